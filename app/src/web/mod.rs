//! The browser side: context, screens and the shell. Each screen is its own module.

mod alta;
mod camera;
mod consulta;
mod dashboard;
mod demo;
mod face;
mod fingers;
pub mod js;
mod kiosk;
mod login;
mod movement;
mod pension;
mod preflight;
pub mod queue;
mod reader;
mod receipt;
mod send;
mod ui;

use crate::i18n::Lang;
use leptos::prelude::*;
use std::sync::Arc;

/// Who is signing in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// An employer (or its legal representative) with a FIEL.
    Employer,
    /// A pensioner proving they are alive.
    Pensioner,
    /// A kiosk operator at a clinic.
    Operator,
}

/// The screens.
#[derive(Debug, Clone, PartialEq)]
pub enum Screen {
    /// First screen.
    Home,
    /// Browser, reader and camera check.
    Preflight,
    /// e.firma login for a role.
    Login(Role),
    /// Employer: workers and deadlines.
    Dashboard,
    /// Alta wizard; `Some(worker)` captures biometrics for a worker already given alta.
    Alta(Option<crate::form::WorkerData>),
    /// Baja, salary or regime change, prefilled from a worker.
    Movement(packet::Action, crate::form::WorkerData),
    /// Consulta by NSS or CURP.
    Consulta,
    /// Pensioner proof of life.
    ProofOfLife,
    /// Kiosk home (operator signed in).
    KioskHome,
}

/// The signed-in person, as shown (no secrets).
#[derive(Debug, Clone, PartialEq)]
pub struct User {
    /// Role.
    pub role: Role,
    /// Identity from the certificate.
    pub name: String,
    /// RFC.
    pub rfc: String,
    /// CURP (holder or representative).
    pub curp: Option<String>,
    /// Certificate number.
    pub certificate_number: String,
}

/// A registro patronal of the signed-in employer.
#[derive(Debug, Clone, PartialEq)]
pub struct Registro {
    /// The registro patronal.
    pub id: String,
    /// Employer name.
    pub name: String,
    /// Salary zone (`general` | `zlfn`): the SBC limits depend on it.
    pub zone: String,
}

/// App-wide state (all `Copy` handles).
#[derive(Clone, Copy)]
pub struct Ctx {
    /// UI language.
    pub lang: RwSignal<Lang>,
    /// Current screen.
    pub screen: RwSignal<Screen>,
    /// Signed-in person.
    pub user: RwSignal<Option<User>>,
    /// The open e.firma of the session (WASM memory only; dropped — and wiped — on logout).
    pub cred: StoredValue<Option<Arc<efirma::Credential>>>,
    /// The employer's registros patronales.
    pub registros: RwSignal<Vec<Registro>>,
    /// Kiosk mode.
    pub kiosk: RwSignal<bool>,
    /// Demo mode (simulated reader and camera, demo credentials).
    pub demo: RwSignal<bool>,
    /// Queue items (kiosk), refreshed by the drainer.
    pub queue: RwSignal<Vec<queue::Item>>,
    /// Whether the last attempt reached the server.
    pub online: RwSignal<bool>,
    /// Last user activity (ms), for the kiosk's inactivity reset.
    pub activity: RwSignal<f64>,
    /// Bumped on every navigation (a pending kiosk auto-reset fires only if nothing moved).
    pub nav: RwSignal<u32>,
    /// At a kiosk: the attended person's own e.firma (a pensioner), beside the operator's.
    pub person: StoredValue<Option<(User, Arc<efirma::Credential>)>>,
}

impl Ctx {
    /// The string for the current language (reactive inside closures).
    pub fn t(&self, es: &'static str, en: &'static str) -> &'static str {
        self.lang.get().pick(es, en)
    }

    /// The current language.
    pub fn lang(&self) -> Lang {
        self.lang.get()
    }

    /// Goes to `s` and moves keyboard focus to the new screen's heading.
    pub fn go(&self, s: Screen) {
        self.nav.update(|n| *n += 1);
        self.screen.set(s);
        ui::focus_heading();
    }

    /// Forgets the signed-in person and their credential.
    pub fn logout(&self) {
        self.cred.set_value(None);
        self.user.set(None);
        self.registros.set(Vec::new());
        leptos::task::spawn_local(async {
            let _ = js::request("DELETE", "/api/v1/session", None).await;
        });
    }

    /// Records activity (input, a face in front of the camera, a capture or a send finishing):
    /// the kiosk's inactivity reset counts from the last one.
    pub fn touch(&self) {
        self.activity.try_set(js::perf_now());
    }

    /// The open credential.
    pub fn credential(&self) -> Option<Arc<efirma::Credential>> {
        self.cred.get_value()
    }
}

/// The context (panics only if used outside the app, a programming error).
pub fn ctx() -> Ctx {
    expect_context::<Ctx>()
}

/// Mounts the app.
pub fn mount() {
    // A panic (a bug) is reported on this device's console; it never carries secrets.
    std::panic::set_hook(Box::new(|info| {
        web_sys::console::error_1(&format!("Huella: error interno: {info}").into());
    }));
    leptos::mount::mount_to_body(App);
}

#[component]
fn App() -> impl IntoView {
    let lang = Lang::parse(&js::setting("huella.lang").unwrap_or_default());
    let kiosk = js::query_has("kiosk") || js::setting("huella.kiosk").as_deref() == Some("1");
    let demo = js::query_has("demo") || js::setting("huella.demo").as_deref() == Some("1");
    let ctx = Ctx {
        lang: RwSignal::new(lang),
        screen: RwSignal::new(if kiosk {
            Screen::Login(Role::Operator)
        } else {
            Screen::Home
        }),
        user: RwSignal::new(None),
        cred: StoredValue::new(None),
        registros: RwSignal::new(Vec::new()),
        kiosk: RwSignal::new(kiosk),
        demo: RwSignal::new(demo),
        queue: RwSignal::new(Vec::new()),
        online: RwSignal::new(js::online()),
        activity: RwSignal::new(js::perf_now()),
        person: StoredValue::new(None),
        nav: RwSignal::new(0),
    };
    provide_context(ctx);
    Effect::new(move |_| {
        let l = ctx.lang.get();
        js::set_setting("huella.lang", l.code());
        if let Some(html) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.document_element())
        {
            let _ = html.set_attribute("lang", l.code());
        }
    });
    if demo {
        demo::install(ctx);
    }
    kiosk::start_drainer(ctx);
    if kiosk {
        kiosk::start_inactivity_watch(ctx);
    }
    view! {
        <a class="skip" href="#main">{move || ctx.t("Saltar al contenido", "Skip to content")}</a>
        <ui::Header/>
        <main id="main" tabindex="-1">
            {move || match ctx.screen.get() {
                Screen::Home => view! { <Home/> }.into_any(),
                Screen::Preflight => view! { <preflight::Preflight/> }.into_any(),
                Screen::Login(role) => view! { <login::Login role=role/> }.into_any(),
                Screen::Dashboard => view! { <dashboard::Dashboard/> }.into_any(),
                Screen::Alta(existing) => view! { <alta::Alta existing=existing/> }.into_any(),
                Screen::Movement(action, data) => {
                    view! { <movement::MovementForm action=action data=data/> }.into_any()
                }
                Screen::Consulta => view! { <consulta::Consulta/> }.into_any(),
                Screen::ProofOfLife => view! { <pension::ProofOfLife/> }.into_any(),
                Screen::KioskHome => view! { <kiosk::KioskHome/> }.into_any(),
            }}
        </main>
        <Show when=move || ctx.kiosk.get()>
            <kiosk::QueuePanel/>
        </Show>
    }
}

#[component]
fn Home() -> impl IntoView {
    let ctx = ctx();
    view! {
        <section class="home">
            <h1 tabindex="-1">{move || ctx.t("Huella: trámites del IMSS con su e.firma", "Huella: IMSS filings with your e.firma")}</h1>
            <p class="lead">{move || ctx.t(
                "Registre trabajadores con foto y huellas, o compruebe su supervivencia como pensionado, desde este navegador. Su llave privada y su contraseña nunca salen de este equipo.",
                "Enrol workers with photo and fingerprints, or prove you are alive as a pensioner, from this browser. Your private key and password never leave this device.")}</p>
            <div class="choices">
                <button class="big" data-testid="home-employer" on:click=move |_| ctx.go(Screen::Login(Role::Employer))>
                    {move || ctx.t("Soy empleador", "I am an employer")}
                    <small>{move || ctx.t("Altas, bajas, salarios, biométricos, constancias", "Hires, terminations, salaries, biometrics, certificates")}</small>
                </button>
                <button class="big" data-testid="home-pensioner" on:click=move |_| ctx.go(Screen::Login(Role::Pensioner))>
                    {move || ctx.t("Soy pensionado", "I am a pensioner")}
                    <small>{move || ctx.t("Fe de vida con selfie", "Proof of life with a selfie")}</small>
                </button>
            </div>
            <div class="row">
                <button data-testid="home-preflight" on:click=move |_| ctx.go(Screen::Preflight)>
                    {move || ctx.t("Comprobar mi equipo", "Check my equipment")}
                </button>
                <button data-testid="home-kiosk" on:click=move |_| {
                    js::set_setting("huella.kiosk", "1");
                    ctx.kiosk.set(true);
                    kiosk::start_inactivity_watch(ctx);
                    ctx.go(Screen::Login(Role::Operator));
                }>{move || ctx.t("Modo kiosco (clínicas)", "Kiosk mode (clinics)")}</button>
            </div>
            <demo::DemoSwitch/>
        </section>
    }
}
