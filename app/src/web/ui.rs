//! Shared pieces: header, error box, progress line, focus management.

use super::{ctx, Screen};
use crate::messages;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// A problem to show: a stable code and, optionally, a detail (field message, server text).
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    /// Stable code (see `crate::messages`).
    pub code: String,
    /// Extra detail.
    pub detail: Option<String>,
}

impl Problem {
    /// A problem with just a code.
    pub fn code(code: impl Into<String>) -> Self {
        Problem {
            code: code.into(),
            detail: None,
        }
    }

    /// A problem with a detail.
    pub fn with(code: impl Into<String>, detail: impl Into<String>) -> Self {
        Problem {
            code: code.into(),
            detail: Some(detail.into()),
        }
    }
}

/// Moves focus to the screen's `h1` after it renders (screen readers announce the new page).
pub fn focus_heading() {
    leptos::task::spawn_local(async {
        super::js::next_frame().await;
        if let Some(h) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.query_selector("main h1").ok().flatten())
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
        {
            let _ = h.focus();
        }
    });
}

/// Header: name, language switch, the signed-in person, sign out.
#[component]
pub fn Header() -> impl IntoView {
    let ctx = ctx();
    view! {
        <header class="top">
            <span class="brand">"Huella"</span>
            <Show when=move || ctx.demo.get()>
                <span class="badge" data-testid="demo-badge">{move || ctx.t("DEMOSTRACIÓN", "DEMO")}</span>
            </Show>
            <Show when=move || ctx.kiosk.get()>
                <span class="badge kiosk">{move || ctx.t("KIOSCO", "KIOSK")}</span>
            </Show>
            <span class="spacer"></span>
            {move || ctx.user.get().map(|u| view! {
                <span class="who" data-testid="who">{u.name.clone()}" · "{u.rfc.clone()}</span>
                <button class="link" data-testid="logout" on:click=move |_| {
                    ctx.logout();
                    ctx.go(if ctx.kiosk.get_untracked() { Screen::Login(super::Role::Operator) } else { Screen::Home });
                }>{move || ctx.t("Salir", "Sign out")}</button>
            })}
            <button class="link" data-testid="lang" lang=move || ctx.lang.get().other().code()
                on:click=move |_| ctx.lang.update(|l| *l = l.other())>
                {move || ctx.t("English", "Español")}
            </button>
        </header>
    }
}

/// The error box for an optional problem (announced by screen readers).
#[component]
pub fn ErrorBox(problem: RwSignal<Option<Problem>>) -> impl IntoView {
    let ctx = ctx();
    view! {
        <div role="alert" class="alert-slot">
            {move || problem.get().map(|p| {
                let text = messages::for_code(&p.code, ctx.lang.get());
                view! {
                    <div class="error" data-testid="error" data-code=p.code.clone()>
                        <p>{text}</p>
                        {p.detail.clone().map(|d| view! { <p class="detail">{d}</p> })}
                        <p class="code">{move || ctx.t("Código", "Code")}": "{p.code.clone()}</p>
                    </div>
                }
            })}
        </div>
    }
}

/// A progress line for something that takes longer than a moment; `value` in 0–1 when known.
#[component]
pub fn Busy(
    text: Signal<Option<String>>,
    #[prop(optional)] value: Option<Signal<f64>>,
) -> impl IntoView {
    view! {
        <div role="status" aria-live="polite" class="busy-slot">
            {move || text.get().map(|t| view! {
                <div class="busy" data-testid="busy">
                    {match value {
                        Some(v) => view! { <progress max="1" value=move || v.get()></progress> }.into_any(),
                        None => view! { <progress></progress> }.into_any(),
                    }}
                    <span>{t}</span>
                </div>
            })}
        </div>
    }
}

/// Navigation back to the employer's dashboard (or the kiosk home).
#[component]
pub fn BackButton() -> impl IntoView {
    let ctx = ctx();
    view! {
        <button class="link back" data-testid="back" on:click=move |_| {
            ctx.go(if ctx.kiosk.get_untracked() { Screen::KioskHome } else { Screen::Dashboard })
        }>{move || ctx.t("← Volver", "← Back")}</button>
    }
}
