//! The webcam: `getUserMedia` into a `<video>`, frames read back as RGBA through a canvas.

use super::ui::Problem;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// Maps a `getUserMedia` failure (a `DOMException` name) to a stable code.
pub fn problem_of(err: &wasm_bindgen::JsValue) -> Problem {
    let name = err
        .dyn_ref::<web_sys::DomException>()
        .map(|e| e.name())
        .unwrap_or_default();
    Problem::with(
        match name.as_str() {
            "NotAllowedError" | "SecurityError" => "camera_denied",
            "NotFoundError" | "OverconstrainedError" => "camera_missing",
            "NotReadableError" | "AbortError" => "camera_busy",
            _ => "camera_error",
        },
        name,
    )
}

/// Opens the front camera at about 640×480.
pub async fn open() -> Result<web_sys::MediaStream, Problem> {
    let md = web_sys::window()
        .and_then(|w| w.navigator().media_devices().ok())
        .ok_or_else(|| Problem::code("camera_missing"))?;
    let c = web_sys::MediaStreamConstraints::new();
    let video = js_sys::JSON::parse(
        r#"{"width":{"ideal":640},"height":{"ideal":480},"facingMode":"user","frameRate":{"ideal":30}}"#,
    )
    .map_err(|e| problem_of(&e))?;
    c.set_video(&video);
    c.set_audio(&false.into());
    let p = md
        .get_user_media_with_constraints(&c)
        .map_err(|e| problem_of(&e))?;
    let s = JsFuture::from(p).await.map_err(|e| problem_of(&e))?;
    s.dyn_into().map_err(|e| problem_of(&e))
}

/// Shows `stream` in `video` and starts playback.
pub async fn attach(video: &web_sys::HtmlVideoElement, stream: &web_sys::MediaStream) {
    video.set_src_object(Some(stream));
    video.set_muted(true);
    if let Ok(p) = video.play() {
        let _ = JsFuture::from(p).await;
    }
}

/// Stops every track.
pub fn stop(stream: &web_sys::MediaStream) {
    for t in stream.get_tracks().iter() {
        if let Ok(t) = t.dyn_into::<web_sys::MediaStreamTrack>() {
            t.stop();
        }
    }
}

/// The stream's resolution, as the browser settled it.
pub fn resolution(stream: &web_sys::MediaStream) -> Option<(u32, u32)> {
    let t: web_sys::MediaStreamTrack = stream.get_video_tracks().get(0).dyn_into().ok()?;
    let s = t.get_settings();
    Some((s.get_width()? as u32, s.get_height()? as u32))
}

/// A canvas's 2-D drawing context.
pub fn context_2d(
    canvas: &web_sys::HtmlCanvasElement,
) -> Option<web_sys::CanvasRenderingContext2d> {
    canvas.get_context("2d").ok()??.dyn_into().ok()
}

/// Reads the current frame as RGBA (`None` until the video has a frame).
pub fn grab(
    video: &web_sys::HtmlVideoElement,
    canvas: &web_sys::HtmlCanvasElement,
) -> Option<(Vec<u8>, u32, u32)> {
    let (w, h) = (video.video_width(), video.video_height());
    if w == 0 || h == 0 {
        return None;
    }
    if canvas.width() != w || canvas.height() != h {
        canvas.set_width(w);
        canvas.set_height(h);
    }
    let opts = js_sys::JSON::parse(r#"{"willReadFrequently":true}"#).ok()?;
    let g: web_sys::CanvasRenderingContext2d = canvas
        .get_context_with_context_options("2d", &opts)
        .ok()??
        .dyn_into()
        .ok()?;
    g.draw_image_with_html_video_element(video, 0.0, 0.0).ok()?;
    let data = g.get_image_data(0, 0, w as i32, h as i32).ok()?;
    Some((data.data().0, w, h))
}
