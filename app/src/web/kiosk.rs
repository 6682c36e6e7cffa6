//! Kiosk mode (`?kiosk`): full screen, an operator's e.firma session, auto-reset after each
//! person and after inactivity, the reader granted by policy, and the offline queue shown with
//! its progress — plus export to a file for clinics offline for days
//! (`huella packet import FILE` delivers it from a connected machine).

use super::queue::{self, State};
use super::{ctx, js, Ctx, Role, Screen};
use leptos::prelude::*;
use std::cell::Cell;

/// Inactivity before the kiosk drops the person's data and returns home (ms; the clinic can
/// change it with the `huella.kioskIdleMs` setting).
pub const IDLE_RESET_MS: f64 = 120_000.0;
/// How long a receipt stays on screen before the next person (ms; `huella.kioskReceiptMs`).
pub const RECEIPT_MS: i32 = 15_000;

fn setting_ms(key: &str, default: f64) -> f64 {
    js::setting(key)
        .and_then(|v| v.parse::<f64>().ok())
        .filter(|v| v.is_finite() && *v >= 1000.0)
        .unwrap_or(default)
}

thread_local! {
    static WOKEN: Cell<bool> = const { Cell::new(false) };
    static STARTED: Cell<bool> = const { Cell::new(false) };
    static WATCHING: Cell<bool> = const { Cell::new(false) };
}

/// Asks the drainer to try now.
pub fn wake(_ctx: Ctx) {
    WOKEN.with(|w| w.set(true));
}

async fn refresh(ctx: Ctx) {
    if let Ok(items) = queue::all().await {
        ctx.queue.set(items);
    }
}

/// Starts the drainer: every few seconds (sooner when woken or back online) it posts pending
/// packets in order. Also runs outside kiosk mode, so a queue left by a kiosk session drains.
pub fn start_drainer(ctx: Ctx) {
    if STARTED.with(|s| s.replace(true)) {
        return;
    }
    leptos::task::spawn_local(async move {
        refresh(ctx).await;
        loop {
            let pending = ctx
                .queue
                .with_untracked(|q| q.iter().any(|i| i.state == State::Pendiente));
            if pending {
                let r = queue::drain_once().await;
                ctx.online.set(matches!(r, Ok(true)));
                refresh(ctx).await;
            }
            for _ in 0..20 {
                js::sleep(150).await;
                if WOKEN.with(|w| w.replace(false)) {
                    refresh(ctx).await;
                    break;
                }
            }
        }
    });
}

/// Clears the attended person and returns home after the receipt has been seen.
pub fn after_person(ctx: Ctx) {
    ctx.person.set_value(None);
    let nav = ctx.nav.get_untracked();
    leptos::task::spawn_local(async move {
        js::sleep(setting_ms("huella.kioskReceiptMs", f64::from(RECEIPT_MS)) as i32).await;
        // Only if the receipt is still what is on screen (nobody moved on meanwhile).
        let untouched = ctx.nav.get_untracked() == nav;
        if untouched && ctx.kiosk.get_untracked() && ctx.user.get_untracked().is_some() {
            ctx.go(Screen::KioskHome);
        }
    });
}

/// Watches for inactivity: after [`IDLE_RESET_MS`] without input, the person's data is dropped.
pub fn start_inactivity_watch(ctx: Ctx) {
    if WATCHING.with(|w| w.replace(true)) {
        return;
    }
    let _ = window_event_listener(leptos::ev::pointerdown, move |_| ctx.touch());
    let _ = window_event_listener(leptos::ev::keydown, move |_| ctx.touch());
    leptos::task::spawn_local(async move {
        let limit = setting_ms("huella.kioskIdleMs", IDLE_RESET_MS);
        loop {
            js::sleep((limit / 10.0).clamp(200.0, 5_000.0) as i32).await;
            let idle = js::perf_now() - ctx.activity.get_untracked();
            let screen = ctx.screen.get_untracked();
            let at_rest = matches!(screen, Screen::KioskHome | Screen::Login(Role::Operator));
            if idle > limit && !at_rest {
                ctx.person.set_value(None);
                ctx.go(if ctx.user.get_untracked().is_some() {
                    Screen::KioskHome
                } else {
                    Screen::Login(Role::Operator)
                });
            }
        }
    });
}

/// The kiosk's home: what the operator can start for the next person.
#[component]
pub fn KioskHome() -> impl IntoView {
    let ctx = ctx();
    ctx.person.set_value(None);
    view! {
        <section class="kiosk-home">
            <h1 tabindex="-1">{move || ctx.t("Kiosco: ¿qué trámite hará la persona?", "Kiosk: which filing is this person doing?")}</h1>
            <div class="choices">
                <button class="big" data-testid="kiosk-alta" on:click=move |_| { js::fullscreen(); ctx.go(Screen::Alta(None)); }>
                    {move || ctx.t("Alta con biométricos", "New worker with biometrics")}
                </button>
                <button class="big" data-testid="kiosk-pension" on:click=move |_| { js::fullscreen(); ctx.go(Screen::Login(Role::Pensioner)); }>
                    {move || ctx.t("Fe de vida de pensionado", "Pensioner proof of life")}
                </button>
            </div>
            <label for="kiosk-name">{move || ctx.t("Nombre de este kiosco", "This kiosk's name")}</label>
            <input id="kiosk-name" prop:value=js::setting("huella.kioskName").unwrap_or_default()
                on:change=move |ev| js::set_setting("huella.kioskName", &event_target_value(&ev))/>
        </section>
    }
}

/// The queue: how many wait, how many were delivered (with folios), export.
#[component]
pub fn QueuePanel() -> impl IntoView {
    let ctx = ctx();
    let count = move |s: State| {
        ctx.queue
            .with(|q| q.iter().filter(|i| i.state == s).count())
    };
    let export = move |_| {
        let file = ctx.queue.with_untracked(|q| {
            queue::export(q, &js::setting("huella.kioskName").unwrap_or_default())
        });
        if let Ok(bytes) = serde_json::to_vec_pretty(&file) {
            let name = format!("huella-cola-{}.json", js::today());
            let _ = js::download(&name, "application/json", &bytes);
        }
    };
    view! {
        <aside class="queue" aria-label=move || ctx.t("Cola de envíos", "Sending queue") data-testid="queue">
            <div class="queue-line">
                <h2>{move || ctx.t("Cola de envíos", "Sending queue")}</h2>
                <p role="status" aria-live="polite">
                    <span class=move || if ctx.online.get() { "net on" } else { "net off" } data-testid="net">
                        {move || if ctx.online.get() { ctx.t("En línea", "Online") } else { ctx.t("Sin conexión", "Offline") }}
                    </span>" · "
                    {move || ctx.t("Pendientes", "Pending")}": "<strong data-testid="queue-pending">{move || count(State::Pendiente)}</strong>" · "
                    {move || ctx.t("Entregados", "Delivered")}": "<strong data-testid="queue-delivered">{move || count(State::Entregado)}</strong>" · "
                    {move || ctx.t("Rechazados", "Refused")}": "<strong data-testid="queue-refused">{move || count(State::Rechazado)}</strong>
                </p>
                <Show when=move || { let n = ctx.queue.with(|q| q.len()); n > 0 }>
                    <progress max="1" aria-label=move || ctx.t("Avance de la cola", "Queue progress") value=move || {
                        let (done, n) = ctx.queue.with(|q| (q.iter().filter(|i| i.state != State::Pendiente).count(), q.len().max(1)));
                        done as f64 / n as f64
                    }></progress>
                </Show>
                <button data-testid="queue-export" disabled=move || count(State::Pendiente) == 0 on:click=export>
                    {move || ctx.t("Exportar pendientes a un archivo", "Export pending to a file")}
                </button>
            </div>
            <details>
                <summary>{move || ctx.t("Ver envíos y folios", "Show filings and folios")}</summary>
                <ol class="queue-items">
                    {move || ctx.queue.get().into_iter().rev().take(30).map(|i| view! {
                        <li data-testid="queue-item" data-state=format!("{:?}", i.state).to_lowercase()>
                            {i.label.clone()}" — "
                            {match i.state {
                                State::Pendiente => ctx.t("pendiente", "pending").to_string(),
                                State::Entregado => format!("{} {}", ctx.t("folio", "folio"), i.folio.clone().unwrap_or_default()),
                                State::Rechazado => format!("{}: {}", ctx.t("rechazado", "refused"), i.code.clone().unwrap_or_default()),
                            }}
                        </li>
                    }).collect_view()}
                </ol>
            </details>
        </aside>
    }
}
