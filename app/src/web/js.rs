//! Browser plumbing: time, same-origin JSON requests, files, downloads, small settings.

use js_sys::{Promise, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// Now, from the browser clock (`SystemTime::now()` traps in wasm32).
pub fn now() -> efirma::Timestamp {
    efirma::Timestamp::from_unix((js_sys::Date::now() / 1000.0) as i64)
}

/// Today as AAAA-MM-DD (local date of the browser).
pub fn today() -> String {
    let d = js_sys::Date::new_0();
    format!(
        "{:04}-{:02}-{:02}",
        d.get_full_year(),
        d.get_month() + 1,
        d.get_date()
    )
}

/// Milliseconds since the page started.
pub fn perf_now() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

/// An HTTP answer: status (0 when there was none) and body text.
#[derive(Debug, Clone)]
pub struct Answer {
    /// HTTP status; 0 = network failure.
    pub status: u16,
    /// Body.
    pub body: String,
}

impl Answer {
    /// 2xx.
    pub fn ok(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// The body as JSON (`Null` when it is not JSON).
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or(serde_json::Value::Null)
    }

    /// The stable error code of a failed answer.
    pub fn code(&self) -> String {
        if self.status == 0 {
            return "network".into();
        }
        self.json()
            .get("code")
            .and_then(|c| c.as_str())
            .map_or_else(|| format!("http_{}", self.status), str::to_string)
    }
}

/// A same-origin request (cookies included); never fails, a network error is status 0.
pub async fn request(method: &str, path: &str, body: Option<&str>) -> Answer {
    match try_request(method, path, body).await {
        Ok(a) => a,
        Err(_) => Answer {
            status: 0,
            body: String::new(),
        },
    }
}

async fn try_request(method: &str, path: &str, body: Option<&str>) -> Result<Answer, JsValue> {
    let init = web_sys::RequestInit::new();
    init.set_method(method);
    init.set_credentials(web_sys::RequestCredentials::SameOrigin);
    if let Some(b) = body {
        init.set_body(&JsValue::from_str(b));
    }
    let req = web_sys::Request::new_with_str_and_init(path, &init)?;
    if body.is_some() {
        req.headers().set("content-type", "application/json")?;
    }
    let window = web_sys::window().ok_or("no window")?;
    let resp: web_sys::Response = JsFuture::from(window.fetch_with_request(&req))
        .await?
        .dyn_into()?;
    let text = JsFuture::from(resp.text()?).await?;
    Ok(Answer {
        status: resp.status(),
        body: text.as_string().unwrap_or_default(),
    })
}

/// GET bytes (demo credential files); `None` on any failure.
pub async fn get_bytes(path: &str) -> Option<Vec<u8>> {
    let window = web_sys::window()?;
    let resp: web_sys::Response = JsFuture::from(window.fetch_with_str(path))
        .await
        .ok()?
        .dyn_into()
        .ok()?;
    if !resp.ok() {
        return None;
    }
    let buf = JsFuture::from(resp.array_buffer().ok()?).await.ok()?;
    Some(Uint8Array::new(&buf).to_vec())
}

/// The bytes of a chosen file.
pub async fn file_bytes(file: &web_sys::File) -> Result<Vec<u8>, JsValue> {
    let buf = JsFuture::from(file.array_buffer()).await?;
    Ok(Uint8Array::new(&buf).to_vec())
}

/// Offers `bytes` as a download named `name`.
pub fn download(name: &str, mime: &str, bytes: &[u8]) -> Result<(), JsValue> {
    let parts = js_sys::Array::new();
    parts.push(&Uint8Array::from(bytes));
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type(mime);
    let blob = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &opts)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob)?;
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or("no document")?;
    let a: web_sys::HtmlAnchorElement = document.create_element("a")?.dyn_into()?;
    a.set_href(&url);
    a.set_download(name);
    a.click();
    web_sys::Url::revoke_object_url(&url)?;
    Ok(())
}

/// A non-secret setting (language, demo, kiosk name) from localStorage.
pub fn setting(key: &str) -> Option<String> {
    web_sys::window()?
        .local_storage()
        .ok()??
        .get_item(key)
        .ok()?
}

/// Stores a non-secret setting.
pub fn set_setting(key: &str, value: &str) {
    if let Some(s) = web_sys::window().and_then(|w| w.local_storage().ok().flatten()) {
        let _ = s.set_item(key, value);
    }
}

/// The page's query string contains `name` (e.g. `?kiosk`).
pub fn query_has(name: &str) -> bool {
    web_sys::window()
        .and_then(|w| w.location().search().ok())
        .is_some_and(|q| {
            q.trim_start_matches('?')
                .split('&')
                .any(|kv| kv.split('=').next() == Some(name))
        })
}

/// Resolves after `ms` milliseconds.
pub async fn sleep(ms: i32) {
    let p = Promise::new(&mut |resolve, _| {
        if let Some(w) = web_sys::window() {
            let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
        }
    });
    let _ = JsFuture::from(p).await;
}

/// The next animation frame.
pub async fn next_frame() {
    let p = Promise::new(&mut |resolve, _| {
        if let Some(w) = web_sys::window() {
            let _ = w.request_animation_frame(&resolve);
        }
    });
    let _ = JsFuture::from(p).await;
}

/// Resolves with `true` at `video`'s next new frame (`requestVideoFrameCallback`), or with
/// `false` after `timeout_ms` without one (a stopped camera never calls back, so the waiting
/// task can still end). Browsers without the call get the next animation frame (`true`).
pub async fn next_video_frame(video: &web_sys::HtmlVideoElement, timeout_ms: i32) -> bool {
    let rvfc = js_sys::Reflect::get(video, &"requestVideoFrameCallback".into())
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok());
    let Some(rvfc) = rvfc else {
        next_frame().await;
        return true;
    };
    let p = Promise::new(&mut |resolve, _| {
        let _ = rvfc.call1(video, &resolve);
        if let Some(w) = web_sys::window() {
            let _ = w.set_timeout_with_callback_and_timeout_and_arguments_1(
                &resolve,
                timeout_ms,
                &JsValue::FALSE,
            );
        }
    });
    JsFuture::from(p)
        .await
        .is_ok_and(|v| v.as_bool() != Some(false))
}

/// `navigator.onLine`.
pub fn online() -> bool {
    web_sys::window().is_none_or(|w| w.navigator().on_line())
}

#[wasm_bindgen(
    inline_js = "export function huella_import(url) { return import(url); }
export function huella_fullscreen() { const e = document.documentElement; if (e.requestFullscreen && !document.fullscreenElement) { e.requestFullscreen().catch(() => {}); } }"
)]
extern "C" {
    fn huella_import(url: &str) -> Promise;
    fn huella_fullscreen();
}

/// Dynamic `import(url)` (same origin; allowed by the CSP's `script-src 'self'`).
pub async fn import(url: &str) -> Result<JsValue, JsValue> {
    JsFuture::from(huella_import(url)).await
}

/// Asks for full screen (kiosk); ignored where not allowed.
pub fn fullscreen() {
    huella_fullscreen();
}
