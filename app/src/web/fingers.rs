//! Ten prints, finger by finger (positions 1–10, ANSI/NIST-ITL): live quality and guidance after
//! each capture, retries, and missing-finger exceptions (`XX` amputated, `UP` unable to print)
//! with a reason, a photo of the hand and — in kiosks — the operator's confirmation.

use super::reader::{self, Print, GOOD_SCORE};
use super::ui::{Busy, ErrorBox, Problem};
use super::{camera, ctx, demo};
use leptos::html;
use leptos::prelude::*;

/// Tries before a low-quality print may be kept anyway.
const TRIES_BEFORE_ACCEPT: u32 = 3;

/// One finger position's state.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Slot {
    /// Not yet captured.
    #[default]
    Empty,
    /// A print.
    Captured(Print),
    /// No print: `XX` or `UP`, why, the hand photo (JPEG) and the operator's confirmation.
    Exception {
        /// `XX` | `UP`.
        code: String,
        /// Why.
        reason: String,
        /// JPEG of the hand.
        hand: Option<Vec<u8>>,
        /// Operator confirmed (kiosk).
        confirmed: bool,
    },
}

impl Slot {
    /// Done (a print or a complete exception).
    pub fn done(&self, kiosk: bool) -> bool {
        match self {
            Slot::Empty => false,
            Slot::Captured(_) => true,
            Slot::Exception {
                reason,
                hand,
                confirmed,
                ..
            } => !reason.trim().is_empty() && (!kiosk || (hand.is_some() && *confirmed)),
        }
    }
}

/// Spanish and English names of positions 1–10.
pub fn finger_name(lang: crate::i18n::Lang, p: u8) -> &'static str {
    const ES: [&str; 10] = [
        "Pulgar derecho",
        "Índice derecho",
        "Medio derecho",
        "Anular derecho",
        "Meñique derecho",
        "Pulgar izquierdo",
        "Índice izquierdo",
        "Medio izquierdo",
        "Anular izquierdo",
        "Meñique izquierdo",
    ];
    const EN: [&str; 10] = [
        "Right thumb",
        "Right index",
        "Right middle",
        "Right ring",
        "Right little",
        "Left thumb",
        "Left index",
        "Left middle",
        "Left ring",
        "Left little",
    ];
    let i = usize::from(p.clamp(1, 10) - 1);
    lang.pick(ES[i], EN[i])
}

fn draw_preview(canvas: &web_sys::HtmlCanvasElement, print: &Print) {
    let (px, w, h) = &print.preview;
    canvas.set_width(*w);
    canvas.set_height(*h);
    let mut rgba = Vec::with_capacity(px.len() * 4);
    for &g in px {
        rgba.extend_from_slice(&[g, g, g, 255]);
    }
    let Some(g) = camera::context_2d(canvas) else {
        return;
    };
    if let Ok(img) =
        web_sys::ImageData::new_with_u8_clamped_array_and_sh(wasm_bindgen::Clamped(&rgba), *w, *h)
    {
        let _ = g.put_image_data(&img, 0, 0);
    }
}

/// The ten-print step. `slots` holds the ten positions (index 0 = position 1).
#[component]
pub fn Fingers(slots: RwSignal<Vec<Slot>>) -> impl IntoView {
    let ctx = ctx();
    let current = RwSignal::new(
        slots
            .get_untracked()
            .iter()
            .position(|s| *s == Slot::Empty)
            .unwrap_or(0) as u8
            + 1,
    );
    let problem = RwSignal::new(None::<Problem>);
    let busy = RwSignal::new(None::<String>);
    let tries = RwSignal::new(0u32);
    let last = RwSignal::new(None::<Print>);
    let preview: NodeRef<html::Canvas> = NodeRef::new();
    let exception_open = RwSignal::new(false);

    let next_empty = move || {
        let kiosk = ctx.kiosk.get_untracked();
        slots
            .try_with_untracked(|s| s.iter().position(|x| !x.done(kiosk)).map(|i| i as u8 + 1))
            .flatten()
    };

    let capture = move |_| {
        problem.set(None);
        let pos = current.get_untracked();
        busy.set(Some(format!(
            "{} — {}",
            finger_name(ctx.lang(), pos),
            ctx.t(
                "coloque el dedo en el lector",
                "place the finger on the reader"
            )
        )));
        leptos::task::spawn_local(async move {
            if ctx.demo.get_untracked() {
                demo::use_print(pos).await;
            }
            let r = match reader::connect(!ctx.kiosk.get_untracked()).await {
                Ok(()) => reader::capture_finger().await,
                Err(p) => Err(p),
            };
            busy.set(None);
            ctx.touch();
            match r {
                Ok(print) => {
                    tries.update(|t| *t += 1);
                    if let Some(Some(c)) = preview.try_get_untracked() {
                        draw_preview(&c, &print);
                    }
                    if print.score >= GOOD_SCORE {
                        slots.update(|s| s[usize::from(pos - 1)] = Slot::Captured(print.clone()));
                        last.set(Some(print));
                        tries.set(0);
                        if let Some(n) = next_empty() {
                            current.set(n);
                        }
                    } else {
                        // The guidance is listed under the score; the box says what to do.
                        problem.set(Some(Problem::code("low_quality")));
                        last.set(Some(print));
                    }
                }
                Err(p) => {
                    if p.code == "device_disconnected" {
                        reader::forget();
                    }
                    problem.set(Some(p));
                }
            }
        });
    };

    let accept_anyway = move |_| {
        if let Some(p) = last.get_untracked() {
            let pos = current.get_untracked();
            slots.update(|s| s[usize::from(pos - 1)] = Slot::Captured(p));
            problem.set(None);
            tries.set(0);
            if let Some(n) = next_empty() {
                current.set(n);
            }
        }
    };

    view! {
        <div class="fingers">
            <ol class="finger-grid" aria-label=move || ctx.t("Diez dedos", "Ten fingers")>
                {move || (1..=10u8).map(|p| {
                    let slot = slots.with(|s| s[usize::from(p - 1)].clone());
                    let (status, class) = match &slot {
                        Slot::Empty => (ctx.t("pendiente", "pending").to_string(), "empty"),
                        Slot::Captured(pr) => (format!("{} {}", ctx.t("calidad", "quality"), pr.score), "done"),
                        Slot::Exception { code, .. } => (format!("{} {code}", ctx.t("excepción", "exception")), "exception"),
                    };
                    view! {
                        <li class=class class:current=move || current.get() == p>
                            <button data-testid=format!("finger-{p}") aria-current=move || (current.get() == p).then_some("step")
                                on:click=move |_| { current.set(p); problem.set(None); exception_open.set(false); }>
                                <span class="pos">{p}</span>" "{finger_name(ctx.lang(), p)}
                                <span class="status" data-testid=format!("finger-{p}-status")>{status}</span>
                            </button>
                        </li>
                    }
                }).collect_view()}
            </ol>
            <div class="finger-panel">
                <h2>{move || finger_name(ctx.lang(), current.get())}</h2>
                <canvas node_ref=preview class="print-preview" role="img"
                    aria-label=move || ctx.t("Vista previa de la huella", "Print preview")></canvas>
                {move || last.get().map(|p| view! {
                    <p class="score">{move || ctx.t("Calidad", "Quality")}": "<strong data-testid="finger-score">{p.score}</strong>" / 100"</p>
                    <ul class="tips">{p.guidance.iter().map(|g| view! { <li data-code=g.0.clone()>{g.1.clone()}</li> }).collect_view()}</ul>
                })}
                <Busy text=busy.into()/>
                <ErrorBox problem=problem/>
                <div class="row">
                    <button class="primary" data-testid="finger-capture" disabled=move || busy.get().is_some() on:click=capture>
                        {move || ctx.t("Capturar", "Capture")}
                    </button>
                    <Show when=move || { tries.get() >= TRIES_BEFORE_ACCEPT && last.get().is_some() }>
                        <button data-testid="finger-accept" on:click=accept_anyway>{move || ctx.t("Conservar la mejor captura", "Keep the best capture")}</button>
                    </Show>
                    <button data-testid="finger-exception" on:click=move |_| exception_open.update(|o| *o = !*o)>
                        {move || ctx.t("Dedo ausente o sin huella…", "Missing or unprintable finger…")}
                    </button>
                </div>
                <Show when=move || exception_open.get()>
                    <ExceptionForm slots=slots position=current on_saved=Callback::new(move |_| {
                        exception_open.set(false);
                        if let Some(n) = next_empty() { current.set(n); }
                    })/>
                </Show>
            </div>
        </div>
    }
}

#[component]
fn ExceptionForm(
    slots: RwSignal<Vec<Slot>>,
    position: RwSignal<u8>,
    on_saved: Callback<()>,
) -> impl IntoView {
    let ctx = ctx();
    let code = RwSignal::new("UP".to_string());
    let reason = RwSignal::new(String::new());
    let hand = RwSignal::new(None::<Vec<u8>>);
    let confirmed = RwSignal::new(false);
    let problem = RwSignal::new(None::<Problem>);
    let save = move |_| {
        let kiosk = ctx.kiosk.get_untracked();
        let slot = Slot::Exception {
            code: code.get_untracked(),
            reason: reason.get_untracked(),
            hand: hand.get_untracked(),
            confirmed: confirmed.get_untracked(),
        };
        if !slot.done(kiosk) {
            problem.set(Some(Problem::with("invalid_manifest", ctx.t(
                "Escriba el motivo; en kiosco también tome la foto de la mano y confirme como operador.",
                "Write the reason; at a kiosk also take the hand photo and confirm as operator."))));
            return;
        }
        let p = usize::from(position.get_untracked() - 1);
        slots.update(|s| s[p] = slot);
        on_saved.run(());
    };
    view! {
        <fieldset class="exception" data-testid="exception-form">
            <legend>{move || ctx.t("Excepción de dedo", "Finger exception")}</legend>
            <label for="exc-code">{move || ctx.t("Tipo", "Kind")}</label>
            <select id="exc-code" on:change=move |ev| code.set(event_target_value(&ev)) prop:value=move || code.get()>
                <option value="UP">{move || ctx.t("UP — no se puede tomar la huella", "UP — cannot be printed")}</option>
                <option value="XX">{move || ctx.t("XX — dedo amputado", "XX — amputated")}</option>
            </select>
            <label for="exc-reason">{move || ctx.t("Motivo", "Reason")}</label>
            <input id="exc-reason" data-testid="exception-reason" prop:value=move || reason.get()
                on:input=move |ev| reason.set(event_target_value(&ev))/>
            <HandPhoto hand=hand/>
            <Show when=move || ctx.kiosk.get()>
                <label class="check">
                    <input type="checkbox" data-testid="exception-confirm" prop:checked=move || confirmed.get()
                        on:change=move |ev| confirmed.set(event_target_checked(&ev))/>
                    {move || ctx.t("Como operador, confirmo que revisé la mano de la persona.", "As the operator, I confirm I checked the person's hand.")}
                </label>
            </Show>
            <ErrorBox problem=problem/>
            <button class="primary" data-testid="exception-save" on:click=save>{move || ctx.t("Guardar excepción", "Save exception")}</button>
        </fieldset>
    }
}

/// A photo of the hand, as proof for an exception.
#[component]
fn HandPhoto(hand: RwSignal<Option<Vec<u8>>>) -> impl IntoView {
    let ctx = ctx();
    let video: NodeRef<html::Video> = NodeRef::new();
    let scratch: NodeRef<html::Canvas> = NodeRef::new();
    let stream = StoredValue::new_local(None::<web_sys::MediaStream>);
    let problem = RwSignal::new(None::<Problem>);
    let start = move |_| {
        leptos::task::spawn_local(async move {
            match camera::open().await {
                Ok(s) => {
                    if let Some(v) = video.get_untracked() {
                        camera::attach(&v, &s).await;
                    }
                    stream.set_value(Some(s));
                }
                Err(p) => problem.set(Some(p)),
            }
        });
    };
    let snap = move |_| {
        let (Some(v), Some(c)) = (video.get_untracked(), scratch.get_untracked()) else {
            return;
        };
        if let Some((rgba, w, h)) = camera::grab(&v, &c) {
            if let Ok(jpeg) = capture::face::encode_jpeg(&rgba, w, h, 85) {
                hand.set(Some(jpeg));
            }
        }
        if let Some(s) = stream.get_value() {
            camera::stop(&s);
        }
    };
    on_cleanup(move || {
        if let Some(s) = stream.try_get_value().flatten() {
            camera::stop(&s);
        }
    });
    view! {
        <div class="hand-photo">
            <video node_ref=video class="hand" playsinline=true muted=true aria-hidden="true"></video>
            <canvas node_ref=scratch class="hidden" aria-hidden="true"></canvas>
            <div class="row">
                <button data-testid="hand-camera" on:click=start>{move || ctx.t("Abrir cámara para la foto de la mano", "Open the camera for the hand photo")}</button>
                <button data-testid="hand-snap" on:click=snap>{move || ctx.t("Tomar foto de la mano", "Take the hand photo")}</button>
            </div>
            <p data-testid="hand-status">{move || if hand.get().is_some() { ctx.t("Foto de la mano lista.", "Hand photo ready.") } else { ctx.t("Sin foto de la mano.", "No hand photo yet.") }}</p>
            <ErrorBox problem=problem/>
        </div>
    }
}
