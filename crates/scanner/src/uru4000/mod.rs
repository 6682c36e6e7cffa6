//! DigitalPersona / HID U.are.U 4000–4500 family (and the Microsoft readers built on it).
//!
//! Written from the protocol facts in `shared/scanner-uru4500.md` (which were gathered from the
//! public behaviour of libfprint's `uru4000` driver and a public USB recording); no code or tables
//! were copied. Section names below refer to that sheet: *Identity and endpoints*, *Registers*,
//! *Interrupt messages*, *Sequence*, *Frame layout*, *Scrambling*, *Orientation*.
//!
//! Every uncertain fact is one constant or one [`Model`] field here, so a correction is a
//! one-line change.

mod capture;
pub mod driver;
pub mod frame;
pub mod scramble;

pub use driver::Uru4000;

/// Interrupt IN endpoint number (address 0x81): 64-byte status messages.
pub const EP_INTR: u8 = 1;
/// Bulk IN endpoint number (address 0x82): image frames.
pub const EP_DATA: u8 = 2;
/// Vendor request number for register access (bmRequestType 0xC0 read / 0x40 write).
pub const REQ_REGISTER: u8 = 0x04;
/// Timeout for every control transfer (libfprint allows 5 s).
pub const CONTROL_TIMEOUT_MS: u32 = 5_000;
/// Interrupt message length; every message is a full 64-byte transfer.
pub const INTR_LEN: usize = 64;

/// Register addresses (sheet: *Registers*).
pub mod reg {
    /// HWSTAT, 1 byte: bit 7 = low power; bits 7+2 = confused state.
    pub const HWSTAT: u16 = 0x07;
    /// MODE, 1 byte.
    pub const MODE: u16 = 0x4E;
    /// DEVICE_INFO, read 16 bytes.
    pub const DEVICE_INFO: u16 = 0xF0;
    /// Scramble index: write `[key number, seed LE u32]`.
    pub const SCRAMBLE_INDEX: u16 = 0x33;
    /// Scramble key: read 4 bytes, LE u32 = key XOR seed.
    pub const SCRAMBLE_KEY: u16 = 0x34;
    /// Start of the firmware area; never written by this driver.
    pub const FIRMWARE_START: u16 = 0x100;
}

/// MODE values the driver writes (sheet: *Registers*; 0x30 and 0x80 are never used).
pub mod mode {
    /// Wait for a finger.
    pub const AWAIT_FINGER_ON: u8 = 0x10;
    /// Wait for the finger to lift.
    pub const AWAIT_FINGER_OFF: u8 = 0x12;
    /// Send image frames on endpoint 2.
    pub const CAPTURE: u8 = 0x20;
    /// Sensor off.
    pub const OFF: u8 = 0x70;
}

/// Interrupt message codes (bytes 0–1, big-endian).
pub mod irq {
    /// Powered on.
    pub const POWER_ON: u16 = 0x56AA;
    /// Finger on.
    pub const FINGER_ON: u16 = 0x0101;
    /// Finger off.
    pub const FINGER_OFF: u16 = 0x0200;
    /// Device trouble: the next frame will probably fail.
    pub const TROUBLE: u16 = 0x0800;
}

/// Sensor geometry and the power-up constants (sheet: *Frame layout*, *Sequence*).
pub mod geometry {
    /// Pixels per line.
    pub const WIDTH: usize = 384;
    /// Output lines.
    pub const HEIGHT: usize = 290;
    /// Frame header length.
    pub const HEADER: usize = 64;
    /// Frame read size: header + 290 lines.
    pub const FRAME_MAX: usize = HEADER + WIDTH * HEIGHT;
    /// Nominal resolution (500 ppi; DigitalPersona quotes 512 dpi average for the 4000 sensor).
    pub const PPI: u16 = 500;
    /// Pause between HWSTAT polls.
    pub const POLL_MS: u32 = 10;
    /// Maximum HWSTAT reads in the recovery and power-up loops.
    pub const MAX_HWSTAT_READS: u32 = 100;
    /// How long to wait for 0x56AA after the power-up loop.
    pub const POWER_ON_WAIT_MS: u32 = 300;
    /// Power-up attempts.
    pub const POWER_UP_ATTEMPTS: u32 = 3;
}

/// One supported (or recognised) USB id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Model {
    /// USB vendor id.
    pub vendor_id: u16,
    /// USB product id.
    pub product_id: u16,
    /// Name.
    pub name: &'static str,
    /// Turn images by 180° (sheet: *Orientation*; today's libfprint turns only 05ba:000a).
    pub flip_180: bool,
    /// Needs the AES challenge/response during power-up (not implemented).
    pub needs_aes: bool,
}

/// The U.are.U family ids (sheet: *Identity and endpoints*).
pub const MODELS: &[Model] = &[
    Model {
        vendor_id: 0x05ba,
        product_id: 0x000a,
        name: "DigitalPersona U.are.U 4500 / 4000B",
        flip_180: true,
        needs_aes: false,
    },
    Model {
        vendor_id: 0x05ba,
        product_id: 0x0007,
        name: "DigitalPersona U.are.U 4000",
        flip_180: false,
        needs_aes: false,
    },
    Model {
        vendor_id: 0x05ba,
        product_id: 0x0008,
        name: "DigitalPersona fingerprint keyboard",
        flip_180: false,
        needs_aes: false,
    },
    Model {
        vendor_id: 0x045e,
        product_id: 0x00bb,
        name: "Microsoft keyboard with fingerprint reader",
        flip_180: false,
        needs_aes: false,
    },
    Model {
        vendor_id: 0x045e,
        product_id: 0x00bc,
        name: "Microsoft IntelliMouse with fingerprint reader",
        flip_180: false,
        needs_aes: false,
    },
    Model {
        vendor_id: 0x045e,
        product_id: 0x00bd,
        name: "Microsoft fingerprint reader",
        flip_180: false,
        needs_aes: false,
    },
    Model {
        vendor_id: 0x045e,
        product_id: 0x00ca,
        name: "Microsoft fingerprint reader v2",
        flip_180: false,
        needs_aes: true,
    },
];

/// The ids this driver can run (for WebUSB `requestDevice` filters): all of [`MODELS`] except
/// those needing AES.
pub fn supported_ids() -> impl Iterator<Item = (u16, u16)> {
    MODELS
        .iter()
        .filter(|m| !m.needs_aes)
        .map(|m| (m.vendor_id, m.product_id))
}

/// Looks up a model by id.
pub fn model_for(vendor_id: u16, product_id: u16) -> Option<&'static Model> {
    MODELS
        .iter()
        .find(|m| m.vendor_id == vendor_id && m.product_id == product_id)
}
