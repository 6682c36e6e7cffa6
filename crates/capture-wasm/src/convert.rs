//! The one mapping to JS: plain objects via JSON, errors as `Error` with `code`.

use serde::Serialize;
use wasm_bindgen::JsValue;

pub type JsResult<T> = Result<T, JsValue>;

/// A JS `Error` whose `code` property is the stable machine code.
pub fn coded(code: &str, message: &str) -> JsValue {
    let err = js_sys::Error::new(message);
    let _ = js_sys::Reflect::set(&err, &"code".into(), &code.into());
    err.into()
}

/// Any serialisable report as a plain JS object.
pub fn to_object<T: Serialize>(value: &T) -> JsResult<JsValue> {
    let json = serde_json::to_string(value).map_err(|e| coded("internal", &e.to_string()))?;
    js_sys::JSON::parse(&json)
}
