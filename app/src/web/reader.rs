//! The fingerprint reader for the page: the `scanner` crate's U.are.U driver over WebUSB
//! (kiosks: the device granted by policy, no chooser), one capture per finger with the quality
//! measured on every frame, and the WSQ the packet carries.

use super::ui::Problem;
use capture::finger::{fingerprint_quality, FingerQuality};
use scanner::settle::{SettleRule, Settler};
use scanner::webusb::{self, WebUsbTransport};
use scanner::{CaptureOptions, Scanner, ScannerError, Uru4000};
use std::cell::RefCell;

type Driver = Uru4000<WebUsbTransport>;

thread_local! {
    static READER: RefCell<Option<Driver>> = const { RefCell::new(None) };
}

/// WSQ bit rate for enrolment (FBI/IMSS practice: 0.75 bpp, about 15:1).
pub const WSQ_BITRATE: f32 = 0.75;
/// A print at or above this score is accepted without asking.
pub const GOOD_SCORE: u8 = 40;

/// One finger, captured.
#[derive(Debug, Clone, PartialEq)]
pub struct Print {
    /// WSQ bytes.
    pub wsq: Vec<u8>,
    /// 0–100 (NFIQ 2-like).
    pub score: u8,
    /// Quality report (goes into the manifest).
    pub quality: serde_json::Value,
    /// Guidance codes and Spanish texts.
    pub guidance: Vec<(String, String)>,
    /// ppi.
    pub ppi: u32,
    /// Gray pixels (for the preview).
    pub preview: (Vec<u8>, u32, u32),
}

fn problem(e: ScannerError) -> Problem {
    Problem::with(e.code(), e.to_string())
}

/// Whether a reader is connected and open.
pub fn connected() -> bool {
    READER.with(|r| r.borrow().is_some())
}

/// The model name of the connected reader.
pub fn model() -> Option<String> {
    READER.with(|r| r.borrow().as_ref().map(|d| d.info().model.to_string()))
}

/// Connects: a reader already granted (kiosk policy `WebUsbAllowDevicesForUrls` or an earlier
/// choice) without asking, otherwise the browser's chooser when `may_ask` (inside a click).
pub async fn connect(may_ask: bool) -> Result<(), Problem> {
    if connected() {
        return Ok(());
    }
    let transport = match webusb::granted_devices().await.map_err(problem)?.pop() {
        Some(t) => t,
        None if may_ask => webusb::request_device().await.map_err(problem)?,
        None => return Err(Problem::code("no_device")),
    };
    let mut d = Uru4000::new(transport).map_err(problem)?;
    d.open().await.map_err(problem)?;
    READER.with(|r| *r.borrow_mut() = Some(d));
    Ok(())
}

/// Forgets the reader (after a disconnection; the next capture reconnects).
pub fn forget() {
    READER.with(|r| r.borrow_mut().take());
}

/// Waits for a finger, reads frames until the quality settles, waits for the finger to lift.
pub async fn capture_finger() -> Result<Print, Problem> {
    let mut d = READER
        .with(|r| r.borrow_mut().take())
        .ok_or_else(|| Problem::code("no_device"))?;
    let r = capture_with(&mut d).await;
    if matches!(&r, Err(p) if p.code == "device_disconnected") {
        return r;
    }
    READER.with(|slot| *slot.borrow_mut() = Some(d));
    r
}

async fn capture_with(d: &mut Driver) -> Result<Print, Problem> {
    d.wait_finger_on(30_000).await.map_err(problem)?;
    let ppi = u32::from(d.info().ppi);
    // The quality of the frame the driver returns (the last one read).
    let mut quality: Option<FingerQuality> = None;
    let rule = SettleRule::default();
    let mut settler = Settler::new(rule);
    let mut settle = |img: &scanner::CapturedImage| {
        let (pixels, w, h) = (img.image.pixels(), img.image.width(), img.image.height());
        quality = fingerprint_quality(pixels, w, h, ppi).ok();
        settler.push(quality.as_ref().map_or(0, |q| q.score))
    };
    let opts = CaptureOptions {
        max_frames: rule.max_frames,
        ..CaptureOptions::default()
    };
    let img = d.capture(&opts, &mut settle).await.map_err(problem)?;
    let _ = d.wait_finger_off(10_000).await;
    let (w, h) = (img.image.width(), img.image.height());
    let q = match quality {
        Some(q) => q,
        None => fingerprint_quality(img.image.pixels(), w, h, ppi)
            .map_err(|e| Problem::with("invalid_image", e.to_string()))?,
    };
    let wsq = capture::wsq::encode(img.image.pixels(), w, h, ppi as i32, WSQ_BITRATE)
        .map_err(|e| Problem::with("invalid_image", e.to_string()))?;
    let guidance: Vec<(String, String)> = q
        .guidance
        .iter()
        .map(|g| {
            let code = serde_json::to_value(g.code).ok();
            let code = code.as_ref().and_then(|v| v.as_str()).unwrap_or_default();
            (code.to_string(), g.message.clone())
        })
        .collect();
    Ok(Print {
        wsq,
        score: q.score,
        quality: serde_json::json!({"score": q.score, "algorithm": "huella-nfiq2-like/1",
            "guidance": guidance.iter().map(|g| g.0.as_str()).collect::<Vec<_>>()}),
        guidance,
        ppi,
        preview: (img.image.into_pixels(), w, h),
    })
}
