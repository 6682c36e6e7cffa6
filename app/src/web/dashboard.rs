//! The employer's dashboard: workers with their status and the 30-day biometrics countdown,
//! and the way into every movement.

use super::{ctx, js, Screen};
use crate::form::WorkerData;
use crate::i18n::{days_left, Lang};
use leptos::prelude::*;
use packet::Action;
use serde::Deserialize;

/// A worker as the server lists it.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Worker {
    /// NSS.
    pub nss: String,
    /// CURP.
    pub curp: String,
    /// Name.
    pub name: String,
    /// Registro patronal.
    #[serde(default)]
    pub registro_patronal: Option<String>,
    /// Status code.
    pub status: String,
    /// Alta date.
    #[serde(default)]
    pub alta_date: Option<String>,
    /// Current SBC.
    #[serde(default)]
    pub sbc: Option<String>,
    /// Biometrics deadline (RFC 3339) while pending.
    #[serde(default)]
    pub biometrics_deadline: Option<String>,
}

impl Worker {
    /// The worker's data, to prefill a movement.
    pub fn data(&self) -> WorkerData {
        let mut d = WorkerData::alta_defaults(&js::today());
        d.nss = self.nss.clone();
        d.curp = self.curp.clone();
        d.name = self.name.clone();
        d.sbc = self.sbc.clone().unwrap_or_default();
        d
    }
}

/// The status in words.
pub fn status_text(lang: Lang, s: &str) -> &'static str {
    match s {
        "biometrico_registrado" => lang.pick("Biométrico registrado", "Biometrics registered"),
        "sin_biometria" => lang.pick("Sin biométricos", "No biometrics yet"),
        "restringido" => lang.pick(
            "Restringido (venció el plazo)",
            "Restricted (deadline passed)",
        ),
        "dado_de_baja" => lang.pick("Dado de baja", "Terminated"),
        _ => lang.pick("Desconocido", "Unknown"),
    }
}

/// Loads the session's workers.
pub async fn workers() -> Result<Vec<Worker>, String> {
    let a = js::request("GET", "/api/v1/workers", None).await;
    if !a.ok() {
        return Err(a.code());
    }
    serde_json::from_value(a.json()["workers"].clone()).map_err(|e| e.to_string())
}

/// The dashboard.
#[component]
pub fn Dashboard() -> impl IntoView {
    let ctx = ctx();
    let list = LocalResource::new(workers);
    let now = js::now().unix();
    view! {
        <section class="dashboard">
            <h1 tabindex="-1">{move || ctx.t("Trabajadores", "Workers")}</h1>
            <p class="registros" data-testid="registros">
                {move || {
                    let r = ctx.registros.get();
                    if r.is_empty() {
                        ctx.t("Su RFC no tiene registros patronales vinculados en este servidor.", "Your RFC has no employer registrations on this server.").to_string()
                    } else {
                        format!("{}: {}", ctx.t("Registro patronal", "Employer registration"),
                            r.iter().map(|x| format!("{} ({})", x.id, x.name)).collect::<Vec<_>>().join(", "))
                    }
                }}
            </p>
            <div class="row actions">
                <button class="primary" data-testid="new-alta" on:click=move |_| ctx.go(Screen::Alta(None))>{move || ctx.t("Alta de trabajador", "New worker")}</button>
                <button data-testid="consulta" on:click=move |_| ctx.go(Screen::Consulta)>{move || ctx.t("Consulta por NSS o CURP", "Look up by NSS or CURP")}</button>
                <button on:click=move |_| list.refetch()>{move || ctx.t("Actualizar", "Refresh")}</button>
            </div>
            {move || match list.get() {
                None => view! { <p role="status" class="busy"><progress></progress>{ctx.t("Cargando…", "Loading…")}</p> }.into_any(),
                Some(Err(code)) => view! { <p class="error" data-testid="error" data-code=code.clone()>{crate::messages::for_code(&code, ctx.lang())}</p> }.into_any(),
                Some(Ok(ws)) if ws.is_empty() => view! { <p data-testid="no-workers">{ctx.t("Aún no hay trabajadores. Empiece con un alta.", "No workers yet. Start with a new worker.")}</p> }.into_any(),
                Some(Ok(ws)) => view! {
                    <table class="workers" data-testid="workers">
                        <caption class="sr-only">{ctx.t("Trabajadores y estado de sus biométricos", "Workers and their biometrics status")}</caption>
                        <thead><tr>
                            <th scope="col">{ctx.t("Nombre", "Name")}</th><th scope="col">"NSS"</th><th scope="col">"CURP"</th>
                            <th scope="col">{ctx.t("Estado", "Status")}</th><th scope="col">{ctx.t("Plazo", "Deadline")}</th><th scope="col">{ctx.t("Acciones", "Actions")}</th>
                        </tr></thead>
                        <tbody>
                        {ws.into_iter().map(|w| {
                            let lang = ctx.lang();
                            let countdown = w.biometrics_deadline.as_deref().and_then(|d| crate::deadline::days_until(d, now)).map(|d| days_left(lang, d));
                            let pending = matches!(w.status.as_str(), "sin_biometria" | "restringido");
                            let active = w.status != "dado_de_baja";
                            let (d1, d2, d3, d4) = (w.data(), w.data(), w.data(), w.data());
                            let nss = w.nss.clone();
                            view! {
                                <tr data-testid="worker" data-nss=w.nss.clone()>
                                    <td>{w.name.clone()}</td><td>{w.nss.clone()}</td><td>{w.curp.clone()}</td>
                                    <td><span class=format!("status {}", w.status) data-testid="worker-status">{status_text(lang, &w.status)}</span></td>
                                    <td data-testid="worker-deadline">{countdown}</td>
                                    <td class="row-actions">
                                        <Show when=move || pending>
                                            <button data-testid="capture-biometrics" on:click={let d = d1.clone(); move |_| ctx.go(Screen::Alta(Some(d.clone())))}>{ctx.t("Capturar biométricos", "Capture biometrics")}</button>
                                        </Show>
                                        <Show when=move || active>
                                            <button data-testid="salary" on:click={let d = d2.clone(); move |_| ctx.go(Screen::Movement(Action::ModificacionSalario, d.clone()))}>{ctx.t("Salario", "Salary")}</button>
                                            <button data-testid="regime" on:click={let d = d3.clone(); move |_| ctx.go(Screen::Movement(Action::CambioRegimen, d.clone()))}>{ctx.t("Régimen", "Regime")}</button>
                                            <button data-testid="baja" on:click={let d = d4.clone(); move |_| ctx.go(Screen::Movement(Action::Baja, d.clone()))}>{ctx.t("Baja", "Terminate")}</button>
                                        </Show>
                                        <a href=format!("/api/v1/constancia/{nss}") target="_blank" rel="noopener" data-testid="constancia">{ctx.t("Constancia", "Certificate")}</a>
                                    </td>
                                </tr>
                            }
                        }).collect_view()}
                        </tbody>
                    </table>
                }.into_any(),
            }}
        </section>
    }
}
