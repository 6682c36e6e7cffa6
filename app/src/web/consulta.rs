//! Consulta by NSS or CURP: the worker's status, history and the Constancia de Vigencia de
//! Derechos (the server's page: seal, QR and an open verification link; print it or save it as
//! PDF from the browser).

use super::dashboard::{status_text, workers};
use super::ui::{BackButton, ErrorBox, Problem};
use super::{ctx, js};
use leptos::prelude::*;

/// The consulta screen.
#[component]
pub fn Consulta() -> impl IntoView {
    let ctx = ctx();
    let query = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<Problem>);
    let found = RwSignal::new(None::<serde_json::Value>);
    let search = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        problem.set(None);
        found.set(None);
        let q = query.get_untracked().trim().to_uppercase();
        leptos::task::spawn_local(async move {
            let nss = if q.len() == 18 {
                match workers().await {
                    Ok(ws) => ws.into_iter().find(|w| w.curp == q).map(|w| w.nss),
                    Err(code) => {
                        problem.set(Some(Problem::code(code)));
                        return;
                    }
                }
            } else if packet::ids::check_nss(&q).is_ok() {
                Some(q.clone())
            } else {
                problem.set(Some(Problem::with(
                    "invalid_manifest",
                    ctx.t(
                        "Escriba un NSS de 11 dígitos o una CURP de 18 caracteres.",
                        "Type an 11-digit NSS or an 18-character CURP.",
                    ),
                )));
                return;
            };
            let Some(nss) = nss else {
                problem.set(Some(Problem::code("not_found")));
                return;
            };
            let a = js::request("GET", &format!("/api/v1/workers/{nss}"), None).await;
            if a.ok() {
                found.set(Some(a.json()));
            } else {
                problem.set(Some(Problem::code(a.code())));
            }
        });
    };
    view! {
        <section class="consulta">
            <BackButton/>
            <h1 tabindex="-1">{move || ctx.t("Consulta de trabajador", "Worker lookup")}</h1>
            <form on:submit=search>
                <label for="q">{move || ctx.t("NSS o CURP", "NSS or CURP")}</label>
                <input id="q" data-testid="consulta-q" prop:value=move || query.get() on:input=move |ev| query.set(event_target_value(&ev))/>
                <button type="submit" class="primary" data-testid="consulta-go">{move || ctx.t("Consultar", "Look up")}</button>
            </form>
            <ErrorBox problem=problem/>
            {move || found.get().map(|v| {
                let w = &v["worker"];
                let s = |k: &str| w[k].as_str().unwrap_or_default().to_string();
                let nss = s("nss");
                let history = v["history"].as_array().cloned().unwrap_or_default();
                view! {
                    <div class="worker-detail" data-testid="consulta-result">
                        <h2>{s("name")}</h2>
                        <p>"NSS "{nss.clone()}" · CURP "{s("curp")}</p>
                        <p>{move || ctx.t("Estado", "Status")}": "<strong data-testid="consulta-status">{status_text(ctx.lang(), &s("status"))}</strong></p>
                        <h3>{move || ctx.t("Historial", "History")}</h3>
                        <ul>{history.into_iter().map(|h| view! {
                            <li>{h["action"].as_str().unwrap_or_default().to_string()}" · "{h["date"].as_str().or(h["received_at"].as_str()).unwrap_or_default().to_string()}" · "{h["folio"].as_str().unwrap_or_default().to_string()}</li>
                        }).collect_view()}</ul>
                        <a class="button primary" href=format!("/api/v1/constancia/{nss}") target="_blank" rel="noopener" data-testid="constancia-open">
                            {move || ctx.t("Constancia de Vigencia de Derechos (imprimir o guardar PDF)", "Certificate of rights (print or save as PDF)")}
                        </a>
                    </div>
                }
            })}
        </section>
    }
}
