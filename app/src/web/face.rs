//! Face capture with live quality guidance (design.md §3): every frame is measured in WASM
//! (`capture::face`), the box and the most important instruction are drawn over the video, and
//! the photo kept is the best frame of the last second. For a pensioner's selfie the frames
//! also feed a liveness session (`capture::face::LivenessSession`: a nonce-chosen two-step
//! challenge plus passive cues); its decision and evidence go into the signed manifest.

use super::ui::{ErrorBox, Problem};
use super::{camera, ctx, js};
use crate::i18n::Lang;
use capture::face::{self, FaceQuality, LivenessDecision, LivenessSession};
use leptos::html;
use leptos::prelude::*;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::JsCast;

/// Minimum score to accept a photo.
pub const MIN_SCORE: u8 = 50;
/// Frames kept to choose the best from.
const WINDOW: usize = 12;
/// Longest a liveness challenge may take.
const LIVENESS_MS: f64 = 12_000.0;

/// The photo taken.
#[derive(Clone, Debug, PartialEq)]
pub struct FaceShot {
    /// JPEG bytes (full frame).
    pub jpeg: Vec<u8>,
    /// Quality report of the kept frame.
    pub quality: serde_json::Value,
    /// 0–100.
    pub score: u8,
    /// Liveness decision + evidence (selfie only).
    pub liveness: Option<serde_json::Value>,
}

fn english(code: &str) -> Option<&'static str> {
    Some(match code {
        "no_face" => "No face found: look at the camera",
        "multiple_faces" => "Only one person may appear",
        "move_closer" => "Move closer to the camera",
        "move_back" => "Move back from the camera",
        "centre_face" => "Centre your face in the frame",
        "look_straight" => "Look straight at the camera",
        "straighten_head" => "Hold your head straight",
        "backlight" => "There is too much light behind you",
        "too_bright" => "There is too much light on your face",
        "too_dark" => "It is too dark: add light in front of you",
        "low_contrast" => "The image has little contrast",
        "blurry" => "The image is blurry; hold still",
        "open_eyes" => "Open your eyes",
        _ => return None,
    })
}

/// The instruction text in the UI language.
pub fn instruction(lang: Lang, code: &str, spanish: &str) -> String {
    match lang {
        Lang::Es => spanish.to_string(),
        Lang::En => english(code).map_or_else(|| spanish.to_string(), str::to_string),
    }
}

fn challenge_text(lang: Lang, c: face::Challenge) -> String {
    match lang {
        Lang::Es => c.prompt().to_string(),
        Lang::En => match c {
            face::Challenge::Blink => "Blink",
            face::Challenge::TurnLeft => "Turn your head to your left",
            face::Challenge::TurnRight => "Turn your head to your right",
            face::Challenge::Nod => "Nod (up and down)",
        }
        .to_string(),
    }
}

fn draw_overlay(canvas: &web_sys::HtmlCanvasElement, q: &FaceQuality, w: u32, h: u32) {
    if canvas.width() != w || canvas.height() != h {
        canvas.set_width(w);
        canvas.set_height(h);
    }
    let Some(g) = camera::context_2d(canvas) else {
        return;
    };
    g.clear_rect(0.0, 0.0, f64::from(w), f64::from(h));
    g.set_line_width(4.0);
    g.set_stroke_style_str("rgba(255,255,255,0.7)");
    g.begin_path();
    let _ = g.ellipse(
        f64::from(w) / 2.0,
        f64::from(h) / 2.0,
        f64::from(w) * 0.2,
        f64::from(h) * 0.38,
        0.0,
        0.0,
        std::f64::consts::TAU,
    );
    g.stroke();
    if let Some(b) = q.faces.first() {
        g.set_stroke_style_str(if q.score >= MIN_SCORE {
            "#1b8a3a"
        } else {
            "#e0a100"
        });
        g.stroke_rect(
            f64::from(b.x),
            f64::from(b.y),
            f64::from(b.width),
            f64::from(b.height),
        );
    }
}

struct Live {
    stream: Option<web_sys::MediaStream>,
    recent: Vec<(u8, Vec<u8>, FaceQuality)>,
    size: (u32, u32),
    liveness: Option<(LivenessSession, f64)>,
    frames: u32,
    since: f64,
    /// Frames measured since the camera started.
    pushed: u32,
}

/// Face capture. `selfie`: run the liveness challenge before keeping the photo.
#[component]
pub fn FaceCapture(selfie: bool, on_done: Callback<FaceShot>) -> impl IntoView {
    let ctx = ctx();
    let video: NodeRef<html::Video> = NodeRef::new();
    let overlay: NodeRef<html::Canvas> = NodeRef::new();
    let scratch: NodeRef<html::Canvas> = NodeRef::new();
    let problem = RwSignal::new(None::<Problem>);
    let score = RwSignal::new(0u8);
    let tips = RwSignal::new(Vec::<(String, String)>::new());
    let fps = RwSignal::new(0.0f64);
    let prompt = RwSignal::new(None::<String>);
    let running = RwSignal::new(false);
    let live = Rc::new(RefCell::new(Live {
        stream: None,
        recent: Vec::new(),
        size: (0, 0),
        liveness: None,
        frames: 0,
        since: js::perf_now(),
        pushed: 0,
    }));
    let alive = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(true));

    // Camera + frame loop. The component may go away while this task sleeps between frames:
    // after every await it checks `alive` and only touches the component through `try_` calls.
    {
        let (live, alive) = (live.clone(), alive.clone());
        leptos::task::spawn_local(async move {
            let on = || alive.load(std::sync::atomic::Ordering::Relaxed);
            let stream = match camera::open().await {
                Ok(s) => s,
                Err(p) => {
                    problem.try_set(Some(p));
                    return;
                }
            };
            js::next_frame().await;
            let Some(Some(v)) = video.try_get_untracked().filter(|_| on()) else {
                camera::stop(&stream);
                return;
            };
            camera::attach(&v, &stream).await;
            live.borrow_mut().stream = Some(stream);
            running.try_set(true);
            while on() {
                let Some(Some(v)) = video.try_get_untracked() else {
                    break;
                };
                // Each camera frame once (the screen refreshes faster than the camera).
                let fresh = js::next_video_frame(&v, 250).await;
                if !on() {
                    break;
                }
                if !fresh {
                    continue;
                }
                let Some(Some(sc)) = scratch.try_get_untracked() else {
                    break;
                };
                let Some((rgba, w, h)) = camera::grab(&v, &sc) else {
                    continue;
                };
                let t = js::perf_now();
                // During a liveness challenge the session measures the frame itself.
                let measured = match live.borrow_mut().liveness.as_mut() {
                    Some((session, started)) => {
                        session.push(&rgba, w, h, (t - *started).max(0.0) as u64)
                    }
                    None => face::face_quality(&rgba, w, h),
                };
                let Ok(q) = measured else {
                    continue;
                };
                if q.face_found {
                    // Somebody is in front of the camera: not an abandoned kiosk.
                    ctx.touch();
                }
                if let Some(Some(o)) = overlay.try_get_untracked() {
                    draw_overlay(&o, &q, w, h);
                }
                let lang = ctx.lang.try_get_untracked().unwrap_or_default();
                score.try_set(q.score);
                tips.try_set(
                    q.instructions
                        .iter()
                        .take(2)
                        .map(|i| (i.code.clone(), instruction(lang, &i.code, &i.text)))
                        .collect(),
                );
                let mut l = live.borrow_mut();
                l.frames += 1;
                if t - l.since >= 1000.0 {
                    fps.try_set(f64::from(l.frames) * 1000.0 / (t - l.since));
                    l.frames = 0;
                    l.since = t;
                }
                l.size = (w, h);
                let mut finished = None;
                // Judging re-reads every observation: five times a second is enough.
                l.pushed += 1;
                let judge = l.pushed % 6 == 0;
                if let Some((session, started)) = l.liveness.as_mut().filter(|_| judge) {
                    let r = session.result();
                    let next = r.steps.iter().find(|s| !s.completed).map(|s| s.challenge);
                    prompt.try_set(next.map(|c| challenge_text(lang, c)));
                    if next.is_none() || t - *started > LIVENESS_MS {
                        finished = Some(r);
                    }
                }
                l.recent.push((q.score, rgba, q));
                if l.recent.len() > WINDOW {
                    l.recent.remove(0);
                }
                if let Some(r) = finished {
                    l.liveness = None;
                    prompt.try_set(None);
                    let evidence = serde_json::to_value(&r).unwrap_or_default();
                    if r.decision == LivenessDecision::Live {
                        if let Some(shot) = keep(&l, Some(evidence)) {
                            drop(l);
                            on_done.run(shot);
                            continue;
                        }
                        problem.try_set(Some(Problem::code("face_quality")));
                    } else {
                        problem.try_set(Some(Problem::with("not_live", r.reasons.join(", "))));
                    }
                }
            }
            if let Some(s) = live.borrow_mut().stream.take() {
                camera::stop(&s);
            }
        });
    }
    {
        let alive = alive.clone();
        on_cleanup(move || alive.store(false, std::sync::atomic::Ordering::Relaxed));
    }

    let take = {
        let live = live.clone();
        move |_| {
            problem.set(None);
            let mut l = live.borrow_mut();
            if selfie {
                let mut nonce = [0u8; 16];
                let _ = getrandom::fill(&mut nonce);
                let nonce = demo_nonce().unwrap_or(nonce.to_vec());
                l.liveness = Some((LivenessSession::start(&nonce), js::perf_now()));
                return;
            }
            match keep(&l, None) {
                Some(shot) => {
                    drop(l);
                    on_done.run(shot);
                }
                None => problem.set(Some(Problem::with(
                    "face_quality",
                    tips.get_untracked()
                        .first()
                        .map(|t| t.1.clone())
                        .unwrap_or_default(),
                ))),
            }
        }
    };

    view! {
        <div class="face-capture">
            <div class="stage" class:mirror=true>
                <video node_ref=video playsinline=true autoplay=true muted=true aria-hidden="true"></video>
                <canvas node_ref=overlay class="overlay" aria-hidden="true"></canvas>
            </div>
            <canvas node_ref=scratch class="hidden" aria-hidden="true"></canvas>
            <div class="meter" aria-live="polite">
                <p>
                    {move || ctx.t("Calidad", "Quality")}": "
                    <strong data-testid="face-score">{move || score.get()}</strong>" / 100"
                    <meter min="0" max="100" low="50" optimum="90" value=move || score.get()></meter>
                </p>
                <ul class="tips" data-testid="face-tips">
                    {move || tips.get().into_iter().map(|(code, text)| view! { <li data-code=code>{text}</li> }).collect_view()}
                    {move || (tips.with(Vec::is_empty) && score.get() >= MIN_SCORE).then(|| view! {
                        <li class="good" data-code="ok">{ctx.t("✔ Bien: la imagen cumple. Puede continuar.", "✔ Good: the picture qualifies. You may continue.")}</li>
                    })}
                </ul>
                {move || prompt.get().map(|p| view! { <p class="challenge" data-testid="challenge">{p}</p> })}
                <p class="fps" data-testid="face-fps" data-fps=move || format!("{:.1}", fps.get())>
                    {move || format!("{:.0} fps", fps.get())}
                </p>
            </div>
            <ErrorBox problem=problem/>
            <button class="primary" data-testid="face-take" disabled=move || !running.get() on:click=take>
                {move || if selfie {
                    ctx.t("Comenzar prueba de vida", "Start the liveness check")
                } else {
                    ctx.t("Tomar foto", "Take photo")
                }}
            </button>
        </div>
    }
}

/// Demo mode only: a challenge nonce the demo page (or a test) chose, so a recorded video can
/// perform its challenge (`window.huellaDemo.livenessNonce`, a `Uint8Array`).
fn demo_nonce() -> Option<Vec<u8>> {
    if !ctx().demo.get_untracked() {
        return None;
    }
    let w = web_sys::window()?;
    let api = js_sys::Reflect::get(&w, &"huellaDemo".into()).ok()?;
    let n = js_sys::Reflect::get(&api, &"livenessNonce".into()).ok()?;
    n.dyn_into::<js_sys::Uint8Array>().ok().map(|a| a.to_vec())
}

/// The best recent frame as a shot, if good enough.
fn keep(l: &Live, liveness: Option<serde_json::Value>) -> Option<FaceShot> {
    let (score, rgba, q) = l.recent.iter().max_by_key(|(s, _, _)| *s)?;
    if *score < MIN_SCORE {
        return None;
    }
    let jpeg = face::encode_jpeg(rgba, l.size.0, l.size.1, face::JPEG_QUALITY).ok()?;
    Some(FaceShot {
        jpeg,
        quality: serde_json::to_value(q).unwrap_or_default(),
        score: *score,
        liveness,
    })
}
