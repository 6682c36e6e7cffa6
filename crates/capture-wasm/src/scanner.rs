//! The fingerprint reader in the browser: `FingerprintScanner` (the `scanner` crate's U.are.U
//! driver over its WebUSB transport, WICG WebUSB §5–6) and `UsbEmulator` (the device emulator
//! for a fake `navigator.usb`, see `www/fake-usb.js`).
//!
//! ```js
//! const reader = await FingerprintScanner.request();   // inside a click: the browser's picker
//! // kiosks with WebUsbAllowDevicesForUrls: const [reader] = await FingerprintScanner.granted();
//! await reader.open();
//! await reader.waitFingerOn(30000);
//! const img = await reader.capture(5000);             // {width, height, ppi, pixels, quality, …}
//! await reader.waitFingerOff(30000);
//! await reader.close();
//! ```
//! `capture` reads frames until the print's quality settles (see [`scanner::settle`]). Errors are JS
//! `Error`s whose `code` is the scanner's stable code (`device_busy`, `device_disconnected`,
//! `finger_timeout`, …) plus `no_device` (picker cancelled) and `scanner_busy` (a call made while
//! another one on the same reader is still running).

mod emulator;

pub use emulator::UsbEmulator;
#[cfg(target_arch = "wasm32")]
pub use web::FingerprintScanner;

#[cfg(target_arch = "wasm32")]
mod web {
    use std::cell::RefCell;

    use crate::convert::{coded, to_object, JsResult};
    use scanner::settle::{SettleRule, Settler};
    use scanner::webusb::{self, WebUsbTransport};
    use scanner::{CaptureOptions, DeviceInfo, Scanner, ScannerError, Uru4000};
    use wasm_bindgen::prelude::*;

    type Driver = Uru4000<WebUsbTransport>;

    fn scanner_err(e: ScannerError) -> JsValue {
        coded(e.code(), &e.to_string())
    }

    /// A U.are.U 4000/4500 reader reached through WebUSB.
    #[wasm_bindgen]
    pub struct FingerprintScanner {
        /// `None` while an operation runs (the driver is moved into its future).
        driver: RefCell<Option<Driver>>,
        info: RefCell<DeviceInfo>,
    }

    impl FingerprintScanner {
        fn wrap(transport: WebUsbTransport) -> JsResult<FingerprintScanner> {
            let driver = Uru4000::new(transport).map_err(scanner_err)?;
            Ok(FingerprintScanner {
                info: RefCell::new(driver.info().clone()),
                driver: RefCell::new(Some(driver)),
            })
        }

        fn take(&self) -> JsResult<Driver> {
            self.driver.borrow_mut().take().ok_or_else(|| {
                coded(
                    "scanner_busy",
                    "another operation on this fingerprint reader is still running",
                )
            })
        }

        fn put(&self, d: Driver) {
            *self.info.borrow_mut() = d.info().clone();
            *self.driver.borrow_mut() = Some(d);
        }
    }

    #[wasm_bindgen]
    impl FingerprintScanner {
        /// Shows the browser's device picker filtered to supported readers (call it from a user
        /// gesture). Rejects with `no_device` when the picker is cancelled.
        pub async fn request() -> JsResult<FingerprintScanner> {
            let t = webusb::request_device().await.map_err(scanner_err)?;
            FingerprintScanner::wrap(t)
        }

        /// Readers this page may already use without a prompt (kiosk policy
        /// `WebUsbAllowDevicesForUrls`, or an earlier `request`): an array, maybe empty.
        pub async fn granted() -> JsResult<js_sys::Array> {
            let list = webusb::granted_devices().await.map_err(scanner_err)?;
            let out = js_sys::Array::new();
            for t in list {
                out.push(&FingerprintScanner::wrap(t)?.into());
            }
            Ok(out)
        }

        /// Wraps a `USBDevice` the page already has (e.g. from a `connect` event).
        #[wasm_bindgen(js_name = fromDevice)]
        pub fn from_device(device: web_sys::UsbDevice) -> JsResult<FingerprintScanner> {
            FingerprintScanner::wrap(WebUsbTransport::new(device))
        }

        /// The `requestDevice` filters used: `[{vendorId, productId}, …]`.
        pub fn filters() -> JsResult<JsValue> {
            let ids: Vec<serde_json::Value> = scanner::uru4000::supported_ids()
                .map(|(v, p)| serde_json::json!({ "vendorId": v, "productId": p }))
                .collect();
            to_object(&ids)
        }

        /// `{vendorId, productId, model, width, height, ppi, flip180, versions}` (versions are
        /// read by `open`).
        #[wasm_bindgen(getter)]
        pub fn info(&self) -> JsResult<JsValue> {
            let i = self.info.borrow();
            to_object(&serde_json::json!({
                "vendorId": i.vendor_id, "productId": i.product_id, "model": i.model,
                "width": i.width, "height": i.height, "ppi": i.ppi, "flip180": i.flip_180,
                "versions": i.versions,
            }))
        }

        /// Opens the reader and powers the sensor up.
        pub async fn open(&self) -> JsResult<()> {
            let mut d = self.take()?;
            let r = d.open().await;
            self.put(d);
            r.map_err(scanner_err)
        }

        /// Arms finger detection and waits up to `timeoutMs` for a finger (`finger_timeout`
        /// leaves the reader open).
        #[wasm_bindgen(js_name = waitFingerOn)]
        pub async fn wait_finger_on(&self, timeout_ms: u32) -> JsResult<()> {
            let mut d = self.take()?;
            let r = d.wait_finger_on(timeout_ms).await;
            self.put(d);
            r.map_err(scanner_err)
        }

        /// Reads frames until the quality settles (`settle`: `{goodScore, minScore,
        /// stableDelta, maxFrames}`, all optional) or `timeoutMs` (default 5000) passes. Returns
        /// `{width, height, ppi, pixels: Uint8Array, quality, scores, settled, frames,
        /// goodFrames, badFrames, stalls, keysFetched, scrambled, flipped, fingerToImageMs,
        /// captureMs}`.
        pub async fn capture(
            &self,
            timeout_ms: Option<u32>,
            settle: Option<js_sys::Object>,
        ) -> JsResult<JsValue> {
            let rule = match settle {
                Some(o) => {
                    let json = String::from(js_sys::JSON::stringify(&o)?);
                    serde_json::from_str::<SettleRule>(&json)
                        .map_err(|e| coded("bad_settle_rule", &e.to_string()))?
                }
                None => SettleRule::default(),
            };
            let opts = CaptureOptions {
                max_frames: rule.max_frames.max(1),
                timeout_ms: timeout_ms.unwrap_or(5_000),
                ..CaptureOptions::default()
            };
            let mut settler = Settler::new(rule);
            let mut quality = None;
            let mut predicate = |img: &scanner::CapturedImage| {
                let q = capture::finger::fingerprint_quality(
                    img.image.pixels(),
                    img.image.width(),
                    img.image.height(),
                    u32::from(img.ppi),
                )
                .ok();
                let done = settler.push(q.as_ref().map_or(0, |q| q.score));
                quality = q;
                done
            };
            let mut d = self.take()?;
            let r = d.capture(&opts, &mut predicate).await;
            let stats = d.stats().clone();
            self.put(d);
            let img = r.map_err(scanner_err)?;
            let obj = to_object(&serde_json::json!({
                "width": img.image.width(), "height": img.image.height(), "ppi": img.ppi,
                "quality": quality, "scores": settler.scores(), "settled": stats.settled,
                "frames": stats.frames_read, "goodFrames": stats.good_frames,
                "badFrames": stats.bad_frames, "stalls": stats.stalls,
                "keysFetched": stats.keys_fetched, "scrambled": img.scrambled,
                "flipped": img.flipped, "frameIndex": img.frame_index,
                "fingerToImageMs": stats.finger_to_image_ms, "captureMs": stats.capture_ms,
                "lastFrameProblem": stats.last_frame_problem,
            }))?;
            let pixels = js_sys::Uint8Array::from(img.image.pixels());
            js_sys::Reflect::set(&obj, &"pixels".into(), &pixels)?;
            Ok(obj)
        }

        /// Waits up to `timeoutMs` for the finger to be lifted.
        #[wasm_bindgen(js_name = waitFingerOff)]
        pub async fn wait_finger_off(&self, timeout_ms: u32) -> JsResult<()> {
            let mut d = self.take()?;
            let r = d.wait_finger_off(timeout_ms).await;
            self.put(d);
            r.map_err(scanner_err)
        }

        /// Switches the sensor off and releases the reader (safe to call twice).
        pub async fn close(&self) -> JsResult<()> {
            let mut d = self.take()?;
            let r = d.close().await;
            self.put(d);
            r.map_err(scanner_err)
        }
    }
}
