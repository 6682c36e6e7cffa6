//! Errors: one transport-level enum ([`TransferError`], what a USB transfer can report) and one
//! driver-level enum ([`ScannerError`], what a caller sees, each with a stable [`ScannerError::code`]).

use crate::uru4000::frame::FrameError;

/// What a single USB operation can report. Transports map their platform errors onto these.
///
/// WebUSB mapping (see `webusb.rs`): `status: "stall"` → [`TransferError::Stall`],
/// `status: "babble"` → [`TransferError::Babble`], `NotFoundError` → [`TransferError::Disconnected`],
/// a failed `claimInterface` → [`TransferError::Busy`], `SecurityError` → [`TransferError::AccessDenied`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TransferError {
    /// The endpoint answered STALL; for IN endpoints it must be cleared with `clear_halt`.
    #[error("the endpoint stalled")]
    Stall,
    /// The device sent more data than requested.
    #[error("the device sent more data than requested (babble)")]
    Babble,
    /// No answer within the timeout. A timed-out IN read stays queued (see [`crate::Transport`]).
    #[error("the transfer timed out")]
    Timeout,
    /// The device went away (unplugged, or reset by the host).
    #[error("the device was disconnected")]
    Disconnected,
    /// Another tab or program holds the interface.
    #[error("the device is in use by another tab or program")]
    Busy,
    /// The platform refused access (no permission, or the wrong OS driver is bound).
    #[error("access to the device was denied")]
    AccessDenied,
    /// The transport is not open.
    #[error("the device is not open")]
    NotOpen,
    /// Anything else, with the platform's message.
    #[error("USB error: {0}")]
    Other(String),
}

/// A failure of the scanner driver. After any error other than [`ScannerError::FingerTimeout`]
/// the driver has closed the device (best effort), so `open()` starts again from a clean state.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ScannerError {
    /// The USB id is not one this driver speaks to (or needs a protocol part not implemented).
    #[error("unsupported device {vendor_id:04x}:{product_id:04x}: {reason}")]
    UnsupportedDevice {
        /// USB vendor id.
        vendor_id: u16,
        /// USB product id.
        product_id: u16,
        /// Why it is not supported.
        reason: &'static str,
    },
    /// Another browser tab, program or service (e.g. fprintd) holds the reader.
    #[error(
        "the fingerprint reader is in use by another tab or program (close it, or stop fprintd)"
    )]
    Busy,
    /// The platform denied access: on Windows the reader needs the WinUSB driver, on Linux a udev rule.
    #[error("access to the fingerprint reader was denied (driver or permissions; see the scanner README)")]
    AccessDenied,
    /// The reader was unplugged (possibly mid-capture).
    #[error("the fingerprint reader was disconnected")]
    Disconnected,
    /// No reader was chosen in the browser's picker (cancelled, or none plugged in), or none was
    /// granted to the page.
    #[error("no fingerprint reader was chosen (none connected, or the picker was cancelled)")]
    NoDevice,
    /// The browser offers no WebUSB (`navigator.usb` missing: Firefox, Safari, a page not served
    /// over https or localhost).
    #[error("this browser has no WebUSB: use Chrome or Edge, on a page served over https")]
    WebUsbUnavailable,
    /// A call that needs an open device was made while it is closed.
    #[error("the fingerprint reader is not open")]
    NotOpen,
    /// The HWSTAT recovery loop never saw bit 0 set.
    #[error("the reader did not recover from its confused state after {reads} reads")]
    RecoveryFailed {
        /// HWSTAT reads made.
        reads: u32,
    },
    /// HWSTAT bit 7 (low power) never cleared during the power-up loop.
    #[error("the reader did not power up (HWSTAT stayed 0x{last_hwstat:02x} after {reads} reads)")]
    PowerUpFailed {
        /// HWSTAT reads made.
        reads: u32,
        /// The last value read.
        last_hwstat: u8,
    },
    /// The "powered on" interrupt (0x56AA) never came.
    #[error("the reader never reported power-on after {attempts} attempts")]
    PowerOnTimeout {
        /// Power-up attempts made.
        attempts: u32,
    },
    /// No finger was placed in time. The device stays open: call `wait_finger_on` again.
    #[error("no finger was placed within {waited_ms} ms")]
    FingerTimeout {
        /// How long the driver waited.
        waited_ms: u32,
    },
    /// The finger was not lifted in time.
    #[error("the finger was not lifted within {waited_ms} ms")]
    FingerOffTimeout {
        /// How long the driver waited.
        waited_ms: u32,
    },
    /// No image frame arrived in time.
    #[error("no image frame arrived within {waited_ms} ms")]
    FrameTimeout {
        /// How long the driver waited for one frame.
        waited_ms: u32,
    },
    /// Too many consecutive frames were unusable.
    #[error("{count} consecutive image frames were unusable (last: {last})")]
    BadFrames {
        /// Consecutive bad frames.
        count: u32,
        /// The last frame's problem.
        last: FrameError,
    },
    /// An endpoint kept stalling (or its halt could not be cleared).
    #[error("endpoint 0x{endpoint:02x} stalled while {what}")]
    Stall {
        /// Endpoint address (0 for control).
        endpoint: u8,
        /// What the driver was doing.
        what: &'static str,
    },
    /// A control write moved fewer bytes than asked.
    #[error("short write to register 0x{register:04x}: {written} of {expected} bytes")]
    ShortWrite {
        /// Register address.
        register: u16,
        /// Bytes written.
        written: usize,
        /// Bytes asked.
        expected: usize,
    },
    /// A control read returned fewer bytes than asked.
    #[error("short read of register 0x{register:04x}: {got} of {expected} bytes")]
    ShortRead {
        /// Register address.
        register: u16,
        /// Bytes received.
        got: usize,
        /// Bytes asked.
        expected: usize,
    },
    /// A control transfer did not complete in time.
    #[error("USB timeout while {what}")]
    Timeout {
        /// What the driver was doing.
        what: &'static str,
    },
    /// Any other USB failure.
    #[error("USB failure while {what}: {detail}")]
    Usb {
        /// What the driver was doing.
        what: &'static str,
        /// The transport's message.
        detail: String,
    },
    /// A source image given to the emulator is malformed.
    #[error("invalid image: {width}x{height} with {len} pixels")]
    InvalidImage {
        /// Claimed width.
        width: u32,
        /// Claimed height.
        height: u32,
        /// Pixel buffer length.
        len: usize,
    },
}

impl ScannerError {
    /// A stable, machine-readable code for this error (used in JSON and JS `Error.code`).
    pub fn code(&self) -> &'static str {
        match self {
            Self::UnsupportedDevice { .. } => "unsupported_device",
            Self::Busy => "device_busy",
            Self::AccessDenied => "access_denied",
            Self::Disconnected => "device_disconnected",
            Self::NoDevice => "no_device",
            Self::WebUsbUnavailable => "webusb_unavailable",
            Self::NotOpen => "not_open",
            Self::RecoveryFailed { .. } => "recovery_failed",
            Self::PowerUpFailed { .. } => "power_up_failed",
            Self::PowerOnTimeout { .. } => "power_on_timeout",
            Self::FingerTimeout { .. } => "finger_timeout",
            Self::FingerOffTimeout { .. } => "finger_off_timeout",
            Self::FrameTimeout { .. } => "frame_timeout",
            Self::BadFrames { .. } => "bad_frames",
            Self::Stall { .. } => "stall",
            Self::ShortWrite { .. } => "short_write",
            Self::ShortRead { .. } => "short_read",
            Self::Timeout { .. } => "usb_timeout",
            Self::Usb { .. } => "usb_error",
            Self::InvalidImage { .. } => "invalid_image",
        }
    }

    /// Maps a transport error met while doing `what` (endpoint `endpoint`) to a driver error.
    pub(crate) fn from_transfer(err: TransferError, endpoint: u8, what: &'static str) -> Self {
        match err {
            TransferError::Stall => Self::Stall { endpoint, what },
            TransferError::Timeout => Self::Timeout { what },
            TransferError::Disconnected => Self::Disconnected,
            TransferError::Busy => Self::Busy,
            TransferError::AccessDenied => Self::AccessDenied,
            TransferError::NotOpen => Self::NotOpen,
            TransferError::Babble => Self::Usb {
                what,
                detail: "babble".into(),
            },
            TransferError::Other(detail) => Self::Usb { what, detail },
        }
    }
}
