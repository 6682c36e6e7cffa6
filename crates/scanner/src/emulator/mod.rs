//! A software U.are.U 4500, written from the same protocol sheet as the driver
//! (`shared/scanner-uru4500.md`, *Testing without hardware*): register file and power states,
//! 64-byte interrupt messages, one frame per endpoint-2 read built from any gray image (plain or
//! scrambled with several keys per frame), and fault injection.
//!
//! - [`Device`] is the core: a state machine that takes the current time with every call, so it
//!   runs under the virtual clock of [`EmulatedTransport`] (native tests, the CLI) or under a real
//!   clock in a JS wrapper (see the crate README, "Emulator API for JavaScript").
//! - [`emulate_capture`] runs the real driver against it: open → finger on → capture →
//!   finger off → close.
//!
//! ## Simulated USB timing ([`Timing`])
//!
//! Full-speed device (12 Mbit/s): each control transfer takes 1 ms (one frame per transfer); the
//! interrupt endpoint is polled every 8 ms (its `bInterval`), so a message is delivered at the
//! first 8 ms boundary after it exists and a read is queued; bulk frames stream at 1,000 bytes/ms
//! (≈ 8 Mbit/s net), so a 289-line frame (111,040 bytes) takes 111 ms after a 30 ms exposure.
//! Power-up: HWSTAT bit 7 clears on the second read after the power-up write, and `0x56AA`
//! follows 20 ms later. Finger: placed 250 ms after MODE 0x10, detected 20 ms later; lifted
//! 200 ms after MODE 0x12. Exposure, detection and power-on delays are assumptions (no
//! measurements of a real 4500 were available); the rest follows from the descriptor.

mod device;
mod faults;
mod frames;
mod transport;

pub use device::{webusb_outcome, Device, DeviceLog, InPoll};
pub use faults::{Fault, Faults, UnknownFault};
pub use frames::BuiltFrame;
pub use transport::EmulatedTransport;

use crate::error::ScannerError;
use crate::image::{CapturedImage, GrayImage};
use crate::scanner::{CaptureOptions, CaptureStats, Scanner};
use crate::transport::block_on;
use crate::uru4000::{model_for, Uru4000};

/// The emulator's timing model (see the module docs).
#[derive(Debug, Clone, PartialEq)]
pub struct Timing {
    /// Duration of one control transfer.
    pub control_ms: f64,
    /// Interrupt endpoint polling interval.
    pub interrupt_interval_ms: f64,
    /// Bulk throughput.
    pub bulk_bytes_per_ms: f64,
    /// Time from the start of a frame read (or MODE 0x20) to its first byte.
    pub exposure_ms: f64,
    /// HWSTAT reads after the power-up write that still show bit 7.
    pub power_up_polls: u32,
    /// Delay from power-up to the `0x56AA` message.
    pub power_on_message_ms: f64,
    /// Finger placed this long after MODE 0x10 (`None`: only by [`Device::place_finger`]).
    pub finger_place_ms: Option<f64>,
    /// Delay from finger placed/lifted to its message.
    pub finger_detect_ms: f64,
    /// Finger lifted this long after MODE 0x12 (`None`: only by [`Device::lift_finger`]).
    pub finger_lift_ms: Option<f64>,
}

impl Default for Timing {
    fn default() -> Self {
        Self {
            control_ms: 1.0,
            interrupt_interval_ms: 8.0,
            bulk_bytes_per_ms: 1_000.0,
            exposure_ms: 30.0,
            power_up_polls: 1,
            power_on_message_ms: 20.0,
            finger_place_ms: Some(250.0),
            finger_detect_ms: 20.0,
            finger_lift_ms: Some(200.0),
        }
    }
}

/// Everything that defines an emulated reader.
#[derive(Debug, Clone)]
pub struct EmulatorConfig {
    /// USB ids (default `05ba:000a`).
    pub ids: (u16, u16),
    /// The finger the sensor sees (dark ridges on white; fitted to 384 × 290 by
    /// [`GrayImage::fit_to`]).
    pub image: GrayImage,
    /// Scramble frames.
    pub scramble: bool,
    /// Turn the raw image by 180° (must match the driver's model flag to round-trip).
    pub flip_180: bool,
    /// Frames until the image is fully pressed (1: every frame is final).
    pub settle_frames: u32,
    /// Faults to inject.
    pub faults: Faults,
    /// Timing model.
    pub timing: Timing,
    /// Seed for keys, junk bytes and block plans.
    pub seed: u64,
}

impl EmulatorConfig {
    /// A 4500 (`05ba:000a`, images turned by 180° as the driver's model table says).
    pub fn uru4500(image: GrayImage) -> Self {
        let ids = (0x05ba, 0x000a);
        Self {
            ids,
            image,
            scramble: true,
            flip_180: model_for(ids.0, ids.1).is_some_and(|m| m.flip_180),
            settle_frames: 1,
            faults: Faults::default(),
            timing: Timing::default(),
            seed: 0x4500_0001,
        }
    }
}

/// Small deterministic generator (xorshift64*) for the emulator's junk, keys and plans.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// Seeds the generator (0 is remapped).
    pub fn new(seed: u64) -> Self {
        Self(seed | 1)
    }
    /// Next 64 bits.
    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    /// Next 32 bits.
    pub fn next_u32(&mut self) -> u32 {
        (self.next_u64() >> 32) as u32
    }
    /// A random byte.
    pub fn byte(&mut self) -> u8 {
        (self.next_u64() >> 56) as u8
    }
    /// Uniform in `lo..=hi`.
    pub fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + (self.next_u64() % ((hi - lo + 1) as u64)) as usize
    }
}

/// Runs the real driver against the emulator: open → wait for finger → capture (first good
/// frame) → wait for finger off → close. `image` is fitted to 384 × 290 (centre crop / white pad,
/// see [`GrayImage::fit_to`]). Recoverable faults (stall, short frame, trouble) show up in the
/// stats; unplug and no-finger give `device_disconnected` and `finger_timeout`.
pub fn emulate_capture(
    image: GrayImage,
    scramble: bool,
    fault: Option<Fault>,
) -> Result<(CapturedImage, CaptureStats), ScannerError> {
    let mut cfg = EmulatorConfig::uru4500(image);
    cfg.scramble = scramble;
    cfg.faults = fault.map(Faults::from).unwrap_or_default();
    let (img, stats, _) = run_session(cfg, &CaptureOptions::default(), &mut |_| true)?;
    Ok((img, stats))
}

/// One full session against an emulator built from `cfg`; also returns the transport so callers
/// can inspect the device (its last frame, expected image and log).
pub fn run_session(
    cfg: EmulatorConfig,
    opts: &CaptureOptions,
    settled: &mut dyn FnMut(&CapturedImage) -> bool,
) -> Result<(CapturedImage, CaptureStats, EmulatedTransport), ScannerError> {
    let mut scanner = Uru4000::new(EmulatedTransport::new(Device::new(cfg)))?;
    block_on(async {
        scanner.open().await?;
        scanner.wait_finger_on(10_000).await?;
        let img = scanner.capture(opts, settled).await?;
        scanner.wait_finger_off(10_000).await?;
        scanner.close().await?;
        Ok::<_, ScannerError>(img)
    })
    .map(|img| {
        let stats = scanner.stats().clone();
        (img, stats, scanner.into_transport())
    })
}
