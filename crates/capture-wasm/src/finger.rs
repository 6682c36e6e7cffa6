//! `fingerprintQuality`, `encodeWsq`, `decodeWsq`.

use crate::convert::{coded, to_object, JsResult};
use wasm_bindgen::prelude::*;

/// NFIQ 2-style quality of an 8-bit grey print.
#[wasm_bindgen(js_name = fingerprintQuality)]
pub fn fingerprint_quality(gray: &[u8], width: u32, height: u32, ppi: u32) -> JsResult<JsValue> {
    let q = capture::finger::fingerprint_quality(gray, width, height, ppi)
        .map_err(|e| coded(e.code(), &e.to_string()))?;
    to_object(&q)
}

/// WSQ compression (FBI WSQ v3.1, byte-compatible with NBIS).
#[wasm_bindgen(js_name = encodeWsq)]
pub fn encode_wsq(
    gray: &[u8],
    width: u32,
    height: u32,
    ppi: i32,
    bitrate: f32,
) -> JsResult<Vec<u8>> {
    capture::wsq::encode(gray, width, height, ppi, bitrate)
        .map_err(|e| coded(e.code(), &e.to_string()))
}

/// WSQ decompression → `{ width, height, ppi, pixels: Uint8Array }`.
#[wasm_bindgen(js_name = decodeWsq)]
pub fn decode_wsq(bytes: &[u8]) -> JsResult<JsValue> {
    let img = capture::wsq::decode(bytes).map_err(|e| coded(e.code(), &e.to_string()))?;
    let obj = js_sys::Object::new();
    js_sys::Reflect::set(&obj, &"width".into(), &img.width.into())?;
    js_sys::Reflect::set(&obj, &"height".into(), &img.height.into())?;
    js_sys::Reflect::set(&obj, &"ppi".into(), &img.ppi.into())?;
    let pixels = js_sys::Uint8Array::from(img.pixels.as_slice());
    js_sys::Reflect::set(&obj, &"pixels".into(), &pixels)?;
    Ok(obj.into())
}
