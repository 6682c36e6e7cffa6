//! `UsbEmulator`: the U.are.U 4500 emulator (`scanner::emulator::Device`) for a fake
//! `navigator.usb` (`www/fake-usb.js`), so the browser runs the real WebUSB code path without a
//! reader. Time (`now`, ms, from `performance.now()`) is always passed in by the caller.
//!
//! Every transfer method returns an *outcome* object instead of throwing, so the JS shim can
//! build WebUSB's results itself (WICG WebUSB §6 `USBInTransferResult`/`USBOutTransferResult`):
//! `{status: "ok" | "stall" | "babble", data?: Uint8Array, bytesWritten?: number}` resolves the
//! transfer promise; `{error: "NotFoundError" | "NetworkError" | …, message}` rejects it with a
//! `DOMException` of that name. `pollIn` may also return `{pending: true, next: ms | null}`.

use crate::convert::{coded, to_object, JsResult};
use scanner::emulator::{webusb_outcome, Device, EmulatorConfig, Fault, Faults, InPoll};
use scanner::{ControlSetup, GrayImage, Recipient, RequestType, TransferError};
use wasm_bindgen::prelude::*;

/// An emulated U.are.U 4500 (`05ba:000a`) seeing one gray image.
#[wasm_bindgen]
pub struct UsbEmulator {
    device: Device,
}

fn set(obj: &js_sys::Object, key: &str, value: &JsValue) {
    let _ = js_sys::Reflect::set(obj, &key.into(), value);
}

/// The outcome object of a transfer result (see the module docs).
fn outcome<T>(r: &Result<T, TransferError>, fill: impl FnOnce(&js_sys::Object, &T)) -> JsValue {
    let obj = js_sys::Object::new();
    match webusb_outcome(r) {
        Ok(status) => {
            set(&obj, "status", &status.into());
            if let Ok(v) = r {
                fill(&obj, v);
            }
        }
        Err(name) => {
            set(&obj, "error", &name.into());
            let message = match r {
                Err(e) => e.to_string(),
                Ok(_) => String::new(),
            };
            set(&obj, "message", &message.into());
        }
    }
    obj.into()
}

fn bytes_outcome(r: &Result<Vec<u8>, TransferError>) -> JsValue {
    outcome(r, |o, v| {
        set(o, "data", &js_sys::Uint8Array::from(v.as_slice()).into())
    })
}

fn unit_outcome(r: &Result<(), TransferError>) -> JsValue {
    outcome(r, |_, _| {})
}

fn setup(
    request_type: &str,
    recipient: &str,
    request: u8,
    value: u16,
    index: u16,
) -> JsResult<ControlSetup> {
    let request_type = match request_type {
        "standard" => RequestType::Standard,
        "class" => RequestType::Class,
        "vendor" => RequestType::Vendor,
        other => return Err(js_sys::TypeError::new(&format!("bad requestType {other:?}")).into()),
    };
    let recipient = match recipient {
        "device" => Recipient::Device,
        "interface" => Recipient::Interface,
        "endpoint" => Recipient::Endpoint,
        "other" => Recipient::Other,
        other => return Err(js_sys::TypeError::new(&format!("bad recipient {other:?}")).into()),
    };
    Ok(ControlSetup {
        request_type,
        recipient,
        request,
        value,
        index,
    })
}

#[wasm_bindgen]
impl UsbEmulator {
    /// An emulator whose sensor sees `pixels` (8-bit gray, `width × height`, dark ridges on
    /// white; fitted to 384 × 290 by centre crop / white pad, never scaled). `scramble`: send
    /// scrambled frames as real 4500s do. `fault`: `stall | short-frame | trouble | unplug |
    /// no-finger`. The finger is placed and lifted by hand (`placeFinger`/`liftFinger`); call
    /// `setAutoFinger` for a scripted finger.
    #[wasm_bindgen(constructor)]
    pub fn new(
        pixels: &[u8],
        width: u32,
        height: u32,
        scramble: bool,
        fault: Option<String>,
    ) -> JsResult<UsbEmulator> {
        let image = GrayImage::new(width, height, pixels.to_vec())
            .map_err(|e| coded(e.code(), &e.to_string()))?;
        let mut cfg = EmulatorConfig::uru4500(image);
        cfg.scramble = scramble;
        cfg.timing.finger_place_ms = None;
        cfg.timing.finger_lift_ms = None;
        if let Some(name) = fault.filter(|f| !f.is_empty()) {
            let f: Fault = name.parse().map_err(|e: scanner::emulator::UnknownFault| {
                coded("unknown_fault", &e.to_string())
            })?;
            cfg.faults = Faults::from(f);
        }
        Ok(UsbEmulator {
            device: Device::new(cfg),
        })
    }

    /// Changes the print the sensor sees for the next frames (8-bit gray, `width × height`).
    #[wasm_bindgen(js_name = setImage)]
    pub fn set_image(&mut self, pixels: &[u8], width: u32, height: u32) -> JsResult<()> {
        let image = GrayImage::new(width, height, pixels.to_vec())
            .map_err(|e| coded(e.code(), &e.to_string()))?;
        self.device.set_image(&image);
        Ok(())
    }

    /// USB vendor id (0x05ba).
    #[wasm_bindgen(getter, js_name = vendorId)]
    pub fn vendor_id(&self) -> u16 {
        self.device.ids().0
    }

    /// USB product id (0x000a).
    #[wasm_bindgen(getter, js_name = productId)]
    pub fn product_id(&self) -> u16 {
        self.device.ids().1
    }

    /// Whether the device is plugged in (an `unplug` fault clears it when its time comes).
    #[wasm_bindgen(getter)]
    pub fn plugged(&self) -> bool {
        self.device.is_plugged()
    }

    /// The timing model: `{controlMs, interruptIntervalMs, bulkBytesPerMs, exposureMs,
    /// fingerDetectMs, fingerPlaceMs, fingerLiftMs}` (the last two `null` when by hand).
    #[wasm_bindgen(getter)]
    pub fn timing(&self) -> JsResult<JsValue> {
        let t = self.device.timing();
        to_object(&serde_json::json!({
            "controlMs": t.control_ms,
            "interruptIntervalMs": t.interrupt_interval_ms,
            "bulkBytesPerMs": t.bulk_bytes_per_ms,
            "exposureMs": t.exposure_ms,
            "fingerDetectMs": t.finger_detect_ms,
            "fingerPlaceMs": t.finger_place_ms,
            "fingerLiftMs": t.finger_lift_ms,
        }))
    }

    /// Scripted finger: placed `placeMs` after the driver arms detection, lifted `liftMs` after
    /// it waits for the lift (`undefined`: by hand).
    #[wasm_bindgen(js_name = setAutoFinger)]
    pub fn set_auto_finger(&mut self, place_ms: Option<f64>, lift_ms: Option<f64>) {
        let t = self.device.timing_mut();
        t.finger_place_ms = place_ms;
        t.finger_lift_ms = lift_ms;
    }

    /// Claims the interface (`claimInterface`); `NetworkError` when busy.
    pub fn open(&mut self, now: f64) -> JsValue {
        unit_outcome(&self.device.open(now))
    }

    /// Releases the interface; queued reads end.
    pub fn close(&mut self, now: f64) -> JsValue {
        unit_outcome(&self.device.close(now))
    }

    /// A control transfer device → host (`controlTransferIn`).
    #[wasm_bindgen(js_name = controlIn)]
    #[allow(clippy::too_many_arguments)]
    pub fn control_in(
        &mut self,
        request_type: &str,
        recipient: &str,
        request: u8,
        value: u16,
        index: u16,
        length: u16,
        now: f64,
    ) -> JsResult<JsValue> {
        let s = setup(request_type, recipient, request, value, index)?;
        Ok(bytes_outcome(&self.device.control_in(s, length, now)))
    }

    /// A control transfer host → device (`controlTransferOut`); `bytesWritten` on success.
    #[wasm_bindgen(js_name = controlOut)]
    #[allow(clippy::too_many_arguments)]
    pub fn control_out(
        &mut self,
        request_type: &str,
        recipient: &str,
        request: u8,
        value: u16,
        index: u16,
        data: &[u8],
        now: f64,
    ) -> JsResult<JsValue> {
        let s = setup(request_type, recipient, request, value, index)?;
        let r = self.device.control_out(s, data, now);
        Ok(outcome(&r, |o, n| {
            set(o, "bytesWritten", &(*n as u32).into())
        }))
    }

    /// Queues an IN read (`transferIn`); poll it with `pollIn`.
    #[wasm_bindgen(js_name = submitIn)]
    pub fn submit_in(&mut self, endpoint: u8, length: u32, now: f64) -> JsValue {
        unit_outcome(&self.device.submit_in(endpoint, length as usize, now))
    }

    /// The queued read on `endpoint` at `now`: an outcome, or `{pending: true, next}` where
    /// `next` is when to poll again (`null`: only after outside action — a finger, a transfer).
    #[wasm_bindgen(js_name = pollIn)]
    pub fn poll_in(&mut self, endpoint: u8, now: f64) -> JsValue {
        match self.device.poll_in(endpoint, now) {
            InPoll::Ready(r) => bytes_outcome(&r),
            InPoll::Pending(next) => {
                let obj = js_sys::Object::new();
                set(&obj, "pending", &true.into());
                set(&obj, "next", &next.map_or(JsValue::NULL, JsValue::from));
                obj.into()
            }
        }
    }

    /// Clears a halt on IN endpoint `endpoint` (`clearHalt("in", endpoint)`).
    #[wasm_bindgen(js_name = clearHalt)]
    pub fn clear_halt(&mut self, endpoint: u8, now: f64) -> JsValue {
        unit_outcome(&self.device.clear_halt(endpoint, now))
    }

    /// Lets events due by `now` fire (e.g. a scheduled unplug) without a transfer.
    pub fn tick(&mut self, now: f64) {
        self.device.tick(now);
    }

    /// Puts a finger on the sensor.
    #[wasm_bindgen(js_name = placeFinger)]
    pub fn place_finger(&mut self, now: f64) {
        self.device.place_finger(now);
    }

    /// Lifts the finger.
    #[wasm_bindgen(js_name = liftFinger)]
    pub fn lift_finger(&mut self, now: f64) {
        self.device.lift_finger(now);
    }

    /// Pulls the plug: every queued and later transfer fails with `NotFoundError`.
    pub fn unplug(&mut self) {
        self.device.unplug();
    }

    /// Plugs it back in (at rest, faults spent).
    pub fn replug(&mut self) {
        self.device.replug();
    }

    /// The exact 384 × 290 image a correct driver makes of the last frame sent (computed
    /// independently of the driver), or `undefined` before any frame.
    #[wasm_bindgen(js_name = expectedImage)]
    pub fn expected_image(&self) -> Option<Vec<u8>> {
        self.device.expected_image()
    }

    /// Device counters and last frame facts: `{controlTransfers, framesSent, interruptsSent,
    /// firmwareWrites, lastFrame: {bytes, blocks, keys, lostPixels} | null}`.
    #[wasm_bindgen(getter)]
    pub fn log(&self) -> JsResult<JsValue> {
        let l = &self.device.log;
        let last = self.device.last_frame().map(|f| {
            serde_json::json!({
                "bytes": f.bytes.len(), "blocks": f.blocks, "keys": f.keys,
                "lostPixels": f.lost_pixels,
            })
        });
        to_object(&serde_json::json!({
            "controlTransfers": l.control_transfers,
            "framesSent": l.frames_sent,
            "interruptsSent": l.interrupts_sent,
            "firmwareWrites": l.firmware_writes,
            "lastFrame": last,
        }))
    }
}
