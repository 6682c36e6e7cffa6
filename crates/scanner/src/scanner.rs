//! The model-independent [`Scanner`] trait and the types it exchanges.

use crate::error::ScannerError;
use crate::image::CapturedImage;

/// What is known about an opened reader.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeviceInfo {
    /// USB vendor id.
    pub vendor_id: u16,
    /// USB product id.
    pub product_id: u16,
    /// Human model name.
    pub model: &'static str,
    /// Output image width.
    pub width: u32,
    /// Output image height.
    pub height: u32,
    /// Nominal resolution.
    pub ppi: u16,
    /// Whether images are turned by 180°.
    pub flip_180: bool,
    /// Model-specific version words read at open (U.are.U: DEVICE_INFO bytes 4–5 and 10–11,
    /// big-endian; which is hardware and which firmware is unknown). Empty before `open`.
    pub versions: Vec<u16>,
}

/// Limits for one [`Scanner::capture`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaptureOptions {
    /// Stop after this many good frames even if the predicate never settled (≥ 1).
    pub max_frames: u32,
    /// Stop after this long (from the start of capture) once at least one good frame exists.
    pub timeout_ms: u32,
    /// How long to wait for any single frame before [`ScannerError::FrameTimeout`].
    pub frame_timeout_ms: u32,
    /// Consecutive unusable frames (bad, empty, stalled) before [`ScannerError::BadFrames`].
    pub max_bad_frames: u32,
}

impl Default for CaptureOptions {
    fn default() -> Self {
        Self {
            max_frames: 10,
            timeout_ms: 5_000,
            frame_timeout_ms: 2_000,
            max_bad_frames: 5,
        }
    }
}

/// Counters and timings of the last session (reset at `open`), for logs and tests.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CaptureStats {
    /// Power-up attempts made by the last `open` (1 when the first worked).
    pub power_up_attempts: u32,
    /// HWSTAT reads during power-up.
    pub hwstat_reads: u32,
    /// Whether the HWSTAT recovery loop ran.
    pub recovered: bool,
    /// Frames received (good or bad) in the last capture.
    pub frames_read: u32,
    /// Good frames in the last capture.
    pub good_frames: u32,
    /// Unusable frames in the last capture.
    pub bad_frames: u32,
    /// Stalls cleared on the image endpoint.
    pub stalls: u32,
    /// `0x0800` (device trouble) messages seen.
    pub trouble_messages: u32,
    /// Interrupt messages shorter than 64 bytes (ignored).
    pub short_interrupts: u32,
    /// Scramble keys fetched.
    pub keys_fetched: u32,
    /// Whether the predicate said the image settled (false: frame count or time ran out).
    pub settled: bool,
    /// Milliseconds from the finger-on message to the returned image (transport clock).
    pub finger_to_image_ms: f64,
    /// Milliseconds spent in `capture` (transport clock).
    pub capture_ms: f64,
    /// The last bad frame's problem code, if any.
    pub last_frame_problem: Option<&'static str>,
}

/// A fingerprint reader. Implementations are generic over a [`crate::Transport`].
///
/// Typical session: `open` → (`wait_finger_on` → `capture` → `wait_finger_off`)* → `close`.
#[allow(async_fn_in_trait)]
pub trait Scanner {
    /// What is known about the device (versions filled in by `open`).
    fn info(&self) -> &DeviceInfo;
    /// Counters of the current session.
    fn stats(&self) -> &CaptureStats;
    /// Opens and powers up the reader.
    async fn open(&mut self) -> Result<(), ScannerError>;
    /// Arms finger detection and waits for a finger.
    async fn wait_finger_on(&mut self, timeout_ms: u32) -> Result<(), ScannerError>;
    /// Reads frames until `settled(image)` returns true (or the limits in `opts` are reached) and
    /// returns the last good image.
    async fn capture(
        &mut self,
        opts: &CaptureOptions,
        settled: &mut dyn FnMut(&CapturedImage) -> bool,
    ) -> Result<CapturedImage, ScannerError>;
    /// Waits for the finger to be lifted.
    async fn wait_finger_off(&mut self, timeout_ms: u32) -> Result<(), ScannerError>;
    /// Switches the sensor off and closes the device (best effort, never fails twice).
    async fn close(&mut self) -> Result<(), ScannerError>;
}
