//! The worker-data fields with live validation (shared by the alta wizard), and the single
//! screen for baja, modificación de salario and cambio de régimen.

use super::receipt::Receipts;
use super::send::{self, Sent};
use super::ui::{BackButton, Busy, ErrorBox, Problem};
use super::{ctx, Registro};
use crate::form::{self, Field, WorkerData};
use leptos::prelude::*;
use packet::{Action, Employer, Rules};

fn label(f: Field) -> (&'static str, &'static str) {
    match f {
        Field::Nss => (
            "Número de Seguridad Social (NSS)",
            "Social security number (NSS)",
        ),
        Field::Curp => ("CURP", "CURP"),
        Field::Name => ("Nombre completo", "Full name"),
        Field::Rfc => ("RFC (opcional)", "RFC (optional)"),
        Field::Date => ("Fecha del movimiento", "Movement date"),
        Field::Sbc => (
            "Salario base de cotización (pesos diarios)",
            "Daily contribution base salary (pesos)",
        ),
        Field::WorkerType => ("Tipo de trabajador", "Worker type"),
        Field::SalaryType => ("Tipo de salario", "Salary type"),
        Field::ReducedWeek => ("Semana o jornada", "Week or working day"),
        Field::Cause => ("Causa de la baja", "Reason for termination"),
    }
}

fn options(f: Field) -> &'static [(&'static str, &'static str, &'static str)] {
    match f {
        Field::WorkerType => &[
            ("1", "1 — Permanente", "1 — Permanent"),
            ("2", "2 — Eventual de la ciudad", "2 — Temporary (city)"),
            (
                "3",
                "3 — Eventual de la construcción",
                "3 — Temporary (construction)",
            ),
            ("4", "4 — Eventual del campo", "4 — Temporary (farm)"),
        ],
        Field::SalaryType => &[
            ("0", "0 — Fijo", "0 — Fixed"),
            ("1", "1 — Variable", "1 — Variable"),
            ("2", "2 — Mixto", "2 — Mixed"),
        ],
        Field::ReducedWeek => &[
            ("0", "Semana completa", "Full week"),
            ("1", "Semana reducida: 1 día", "Reduced week: 1 day"),
            ("2", "Semana reducida: 2 días", "Reduced week: 2 days"),
            ("3", "Semana reducida: 3 días", "Reduced week: 3 days"),
            ("4", "Semana reducida: 4 días", "Reduced week: 4 days"),
            ("5", "Semana reducida: 5 días", "Reduced week: 5 days"),
            (
                "6",
                "Jornada reducida (menos de 8 h)",
                "Reduced day (under 8 h)",
            ),
        ],
        Field::Cause => &[
            ("1", "1 — Término de contrato", "1 — End of contract"),
            ("2", "2 — Separación voluntaria", "2 — Resignation"),
            ("3", "3 — Abandono de empleo", "3 — Job abandonment"),
            ("4", "4 — Defunción", "4 — Death"),
            ("5", "5 — Clausura", "5 — Closure"),
            ("6", "6 — Otras", "6 — Other"),
            ("7", "7 — Ausentismo", "7 — Absenteeism"),
            ("8", "8 — Rescisión de contrato", "8 — Rescission"),
            ("9", "9 — Jubilación", "9 — Retirement"),
            ("A", "A — Pensión", "A — Pension"),
        ],
        _ => &[],
    }
}

fn slug(f: Field) -> &'static str {
    f.path().rsplit('.').next().unwrap_or("field")
}

/// The fields `action` asks for, each with its live check. `locked`: identity fields that may
/// not change (a movement on an existing worker).
#[component]
pub fn WorkerFields(
    action: Action,
    data: RwSignal<WorkerData>,
    #[prop(optional)] locked: bool,
    #[prop(optional)] server: Option<RwSignal<Option<Problem>>>,
) -> impl IntoView {
    let ctx = ctx();
    let rules = StoredValue::new(Rules::default());
    let touched = RwSignal::new(Vec::<Field>::new());
    // The SBC limits of the employer's salary zone.
    let zone = move || {
        ctx.registros
            .with(|r| r.first().map(|r| r.zone.clone()))
            .unwrap_or_else(|| "general".into())
    };
    form::fields_for(action).iter().map(|&f| {
        let id = format!("f-{}", slug(f));
        let err_id = format!("{id}-err");
        let (es, en) = label(f);
        let message = move || {
            let shown = touched.with(|t| t.contains(&f)) || data.with(|d| !d.get(f).is_empty());
            let local = shown.then(|| data.with(|d| rules.with_value(|r| form::check(f, d, &zone(), r)))).flatten();
            local.or_else(|| server.and_then(|s| s.with(|p| p.as_ref().and_then(|p| {
                let detail = p.detail.as_deref()?;
                detail.starts_with(f.path()).then(|| detail.to_string())
            }))))
        };
        let ro = locked && matches!(f, Field::Nss | Field::Curp | Field::Name);
        let input = if options(f).is_empty() {
            let kind = if f == Field::Date { "date" } else { "text" };
            let mode = match f { Field::Nss => "numeric", Field::Sbc => "decimal", _ => "text" };
            view! {
                <input id=id.clone() type=kind inputmode=mode readonly=ro data-testid=format!("field-{}", slug(f))
                    aria-invalid=move || message().is_some().to_string()
                    aria-describedby=err_id.clone()
                    prop:value=move || data.with(|d| d.get(f).to_string())
                    on:input=move |ev| data.update(|d| d.set(f, &event_target_value(&ev)))
                    on:blur=move |_| touched.update(|t| if !t.contains(&f) { t.push(f) })/>
            }.into_any()
        } else {
            view! {
                <select id=id.clone() data-testid=format!("field-{}", slug(f)) aria-describedby=err_id.clone()
                    prop:value=move || data.with(|d| d.get(f).to_string())
                    on:change=move |ev| data.update(|d| d.set(f, &event_target_value(&ev)))>
                    {options(f).iter().map(|(v, es, en)| view! { <option value=*v>{move || ctx.t(es, en)}</option> }).collect_view()}
                </select>
            }.into_any()
        };
        view! {
            <div class="field">
                <label for=id.clone()>{move || ctx.t(es, en)}</label>
                {input}
                <p class="field-error" id=err_id.clone() data-testid=format!("error-{}", slug(f)) aria-live="polite">{message}</p>
            </div>
        }
    }).collect_view()
}

/// The employer (registro patronal) packets are made for.
pub fn employer_of(r: &Registro) -> Employer {
    Employer {
        registro_patronal: r.id.clone(),
        name: (!r.name.is_empty()).then(|| r.name.clone()),
        zone: r.zone.clone(),
    }
}

/// Baja, salary change or regime change for a worker.
#[component]
pub fn MovementForm(action: Action, data: WorkerData) -> impl IntoView {
    let ctx = ctx();
    let data = RwSignal::new(data);
    let problem = RwSignal::new(None::<Problem>);
    let busy = RwSignal::new(None::<String>);
    let receipts = RwSignal::new(Vec::<(String, Sent)>::new());
    let title = move || match action {
        Action::Baja => ctx.t("Baja de trabajador", "Worker termination"),
        Action::ModificacionSalario => ctx.t("Modificación de salario", "Salary change"),
        _ => ctx.t("Cambio de régimen", "Regime change"),
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        problem.set(None);
        let Some(reg) = ctx.registros.get_untracked().first().cloned() else {
            problem.set(Some(Problem::code("not_authorized")));
            return;
        };
        let m = match form::manifest(
            action,
            &employer_of(&reg),
            &data.get_untracked(),
            &Rules::default(),
        ) {
            Ok(m) => m,
            Err(errs) => {
                let detail = errs
                    .iter()
                    .map(|(f, m)| format!("{}: {m}", f.path()))
                    .collect::<Vec<_>>()
                    .join("; ");
                problem.set(Some(Problem::with("invalid_manifest", detail)));
                return;
            }
        };
        busy.set(Some(
            ctx.t("Firmando y enviando…", "Signing and sending…").into(),
        ));
        leptos::task::spawn_local(async move {
            let label = format!("{} — {}", action.as_str(), data.get_untracked().name);
            let r = match send::sign(ctx, m, Vec::new()).await {
                Ok(json) => send::deliver(ctx, label.clone(), json).await,
                Err(p) => Err(p),
            };
            busy.set(None);
            match r {
                Ok(s) => receipts.set(vec![(label, s)]),
                Err(p) => problem.set(Some(p)),
            }
        });
    };
    view! {
        <section class="movement">
            <BackButton/>
            <h1 tabindex="-1">{title}</h1>
            <Show when=move || receipts.get().is_empty() fallback=move || view! { <Receipts items=receipts.get()/> }>
                <form on:submit=submit data-testid="movement-form">
                    <WorkerFields action=action data=data locked=true server=problem/>
                    <Busy text=busy.into()/>
                    <ErrorBox problem=problem/>
                    <button type="submit" class="primary" data-testid="movement-submit">{move || ctx.t("Firmar y enviar", "Sign and send")}</button>
                </form>
            </Show>
        </section>
    }
}
