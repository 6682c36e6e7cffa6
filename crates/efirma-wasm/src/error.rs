//! The one mapping from `efirma::Error` to a JS `Error` with a `code` property.

use wasm_bindgen::JsValue;

pub type JsResult<T> = Result<T, JsValue>;

/// `new Error(message_es)` with `.code = "bad_password"` etc.
pub fn to_js(e: efirma::Error) -> JsValue {
    coded(e.code(), &e.message_es())
}

/// A JS `Error` with a code.
pub fn coded(code: &str, message: &str) -> JsValue {
    let err = js_sys::Error::new(message);
    let _ = js_sys::Reflect::set(&err, &"code".into(), &code.into());
    err.into()
}
