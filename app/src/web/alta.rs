//! The alta wizard: worker data (live CURP/RFC/NSS/salary checks) → face with live quality →
//! ten prints → review → sign → send → receipt. Two packets: the `alta` movement and the
//! `biometria` enrolment (face + ten WSQ prints, sealed to the server). Every entered value
//! stays in this component while the person moves between steps or retries a failed send.

use super::face::{FaceCapture, FaceShot};
use super::fingers::{finger_name, Fingers, Slot};
use super::movement::{employer_of, WorkerFields};
use super::receipt::Receipts;
use super::send::{self, Sent};
use super::ui::{BackButton, Busy, ErrorBox, Problem};
use super::{ctx, js, Ctx};
use crate::form::{self, WorkerData};
use leptos::prelude::*;
use packet::{Action, Biometrics, Device, Finger, Manifest, NewAttachment, Operator, Rules};

/// Wizard steps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    Data,
    Face,
    Prints,
    Review,
    Done,
}

/// The biometria manifest and its plaintext attachments.
fn biometria(
    ctx: Ctx,
    base: &Manifest,
    face: &FaceShot,
    slots: &[Slot],
) -> (Manifest, Vec<NewAttachment>) {
    let mut m = base.clone();
    m.action = Action::Biometria;
    m.movement = None;
    let mut atts = vec![NewAttachment {
        name: "face".into(),
        media_type: "image/jpeg".into(),
        bytes: face.jpeg.clone(),
        quality: Some(face.quality.clone()),
        device: Some(Device {
            model: "webcam".into(),
            serial: None,
        }),
        ..NewAttachment::default()
    }];
    let mut fingers = Vec::new();
    for (i, s) in slots.iter().enumerate() {
        let position = i as u8 + 1;
        match s {
            Slot::Captured(p) => {
                let name = format!("finger.{position}");
                atts.push(NewAttachment {
                    name: name.clone(),
                    media_type: "image/x-wsq".into(),
                    bytes: p.wsq.clone(),
                    ppi: Some(p.ppi),
                    quality: Some(p.quality.clone()),
                    device: Some(Device {
                        model: super::reader::model().unwrap_or_else(|| "U.are.U 4500".into()),
                        serial: None,
                    }),
                });
                fingers.push(Finger {
                    position,
                    attachment: Some(name),
                    exception: None,
                    reason: None,
                    evidence: None,
                });
            }
            Slot::Exception {
                code, reason, hand, ..
            } => {
                let evidence = hand.as_ref().map(|jpeg| {
                    let name = format!("hand.{position}");
                    atts.push(NewAttachment {
                        name: name.clone(),
                        media_type: "image/jpeg".into(),
                        bytes: jpeg.clone(),
                        ..NewAttachment::default()
                    });
                    name
                });
                fingers.push(Finger {
                    position,
                    attachment: None,
                    exception: Some(code.clone()),
                    reason: Some(reason.clone()),
                    evidence,
                });
            }
            Slot::Empty => {}
        }
    }
    m.biometrics = Some(Biometrics {
        face: "face".into(),
        fingers,
        liveness: None,
    });
    m.operator = operator(ctx, slots);
    (m, atts)
}

/// In a kiosk, the operator named in every packet.
pub fn operator(ctx: Ctx, slots: &[Slot]) -> Option<Operator> {
    if !ctx.kiosk.get_untracked() {
        return None;
    }
    let u = ctx.user.get_untracked()?;
    Some(Operator {
        rfc: u.rfc,
        name: u.name,
        certificate_number: u.certificate_number,
        confirmed_exceptions: slots.iter().all(|s| match s {
            Slot::Exception { confirmed, .. } => *confirmed,
            _ => true,
        }),
        kiosk: js::setting("huella.kioskName").unwrap_or_default(),
    })
}

/// The wizard. `existing`: a worker already given alta who still lacks biometrics.
#[component]
pub fn Alta(existing: Option<WorkerData>) -> impl IntoView {
    let ctx = ctx();
    let biometrics_only = existing.is_some();
    let data = RwSignal::new(existing.unwrap_or_else(|| WorkerData::alta_defaults(&js::today())));
    let step = RwSignal::new(if biometrics_only {
        Step::Face
    } else {
        Step::Data
    });
    let face = RwSignal::new(None::<FaceShot>);
    let slots = RwSignal::new(vec![Slot::Empty; 10]);
    let problem = RwSignal::new(None::<Problem>);
    let busy = RwSignal::new(None::<String>);
    let progress = RwSignal::new(0.0f64);
    let signed = StoredValue::new(Vec::<(String, String)>::new());
    let receipts = RwSignal::new(Vec::<(String, Sent)>::new());
    let has_signed = RwSignal::new(false);

    let base = move || -> Result<Manifest, Problem> {
        let reg = ctx
            .registros
            .get_untracked()
            .first()
            .cloned()
            .ok_or_else(|| Problem::code("not_authorized"))?;
        form::manifest(
            Action::Alta,
            &employer_of(&reg),
            &data.get_untracked(),
            &Rules::default(),
        )
        .map_err(|errs| {
            Problem::with(
                "invalid_manifest",
                errs.iter()
                    .map(|(f, m)| format!("{}: {m}", f.path()))
                    .collect::<Vec<_>>()
                    .join("; "),
            )
        })
    };
    let to_face = move |_| {
        problem.set(None);
        match base() {
            Ok(_) => step.set(Step::Face),
            Err(p) => problem.set(Some(p)),
        }
    };

    let send_all = move || {
        problem.set(None);
        leptos::task::spawn_local(async move {
            // Sign once; a retry re-posts the very same bytes (the server answers the same receipt).
            if signed.with_value(Vec::is_empty) {
                let Some(shot) = face.get_untracked() else {
                    return;
                };
                let m = match base() {
                    Ok(m) => m,
                    Err(p) => {
                        problem.set(Some(p));
                        return;
                    }
                };
                let name = data.get_untracked().name.to_uppercase();
                let mut todo = Vec::new();
                if !biometrics_only {
                    todo.push((format!("Alta — {name}"), m.clone(), Vec::new()));
                }
                let (bm, atts) = slots.with_untracked(|s| biometria(ctx, &m, &shot, s));
                todo.push((format!("Biométricos — {name}"), bm, atts));
                let mut out = Vec::new();
                for (i, (label, manifest, atts)) in todo.into_iter().enumerate() {
                    busy.set(Some(
                        ctx.t(
                            "Cifrando los biométricos y firmando con su e.firma…",
                            "Sealing the biometrics and signing with your e.firma…",
                        )
                        .into(),
                    ));
                    progress.set(0.1 + 0.4 * i as f64);
                    js::next_frame().await;
                    ctx.touch();
                    match send::sign(ctx, manifest, atts).await {
                        Ok(json) => out.push((label, json)),
                        Err(p) => {
                            busy.set(None);
                            problem.set(Some(p));
                            return;
                        }
                    }
                }
                signed.set_value(out);
                has_signed.set(true);
            }
            let mut done = Vec::new();
            let total = signed.with_value(Vec::len).max(1);
            for (i, (label, json)) in signed.get_value().into_iter().enumerate() {
                busy.set(Some(ctx.t("Enviando…", "Sending…").into()));
                progress.set(0.5 + 0.5 * i as f64 / total as f64);
                ctx.touch();
                match send::deliver(ctx, label.clone(), json).await {
                    Ok(s) => done.push((label, s)),
                    Err(p) => {
                        busy.set(None);
                        problem.set(Some(p));
                        return;
                    }
                }
            }
            busy.set(None);
            receipts.set(done);
            step.set(Step::Done);
            if ctx.kiosk.get_untracked() {
                super::kiosk::after_person(ctx);
            }
        });
    };

    let steps = move || {
        let s = step.get();
        [
            (Step::Data, ctx.t("Datos", "Data")),
            (Step::Face, ctx.t("Rostro", "Face")),
            (Step::Prints, ctx.t("Huellas", "Prints")),
            (Step::Review, ctx.t("Revisión", "Review")),
            (Step::Done, ctx.t("Acuse", "Receipt")),
        ]
        .into_iter()
        .filter(|(st, _)| !(biometrics_only && *st == Step::Data))
        .map(|(st, name)| view! { <li aria-current=(st == s).then_some("step") class:current=st == s>{name}</li> })
        .collect_view()
    };

    view! {
        <section class="alta">
            <BackButton/>
            <h1 tabindex="-1">{move || if biometrics_only { ctx.t("Registro de biométricos", "Biometric enrolment") } else { ctx.t("Alta de trabajador", "New worker (alta)") }}</h1>
            <ol class="steps" aria-label=move || ctx.t("Pasos", "Steps")>{steps}</ol>
            {move || match step.get() {
                Step::Data => view! {
                    <div data-testid="step-data">
                        <WorkerFields action=Action::Alta data=data server=problem/>
                        <ErrorBox problem=problem/>
                        <button class="primary" data-testid="to-face" on:click=to_face>{move || ctx.t("Siguiente: rostro", "Next: face")}</button>
                    </div>
                }.into_any(),
                Step::Face => view! {
                    <div data-testid="step-face">
                        <p>{move || ctx.t("Mire a la cámara con buena luz de frente. La calidad se mide en vivo; la foto se toma cuando usted pulsa el botón.",
                            "Look at the camera with good light in front of you. Quality is measured live; the photo is taken when you press the button.")}</p>
                        <FaceCapture selfie=false on_done=Callback::new(move |shot| { face.set(Some(shot)); step.set(Step::Prints); })/>
                        <Show when=move || !biometrics_only>
                            <button data-testid="back-to-data" on:click=move |_| step.set(Step::Data)>{move || ctx.t("← Datos", "← Data")}</button>
                        </Show>
                    </div>
                }.into_any(),
                Step::Prints => view! {
                    <div data-testid="step-prints">
                        <Fingers slots=slots/>
                        <div class="row">
                            <button on:click=move |_| step.set(Step::Face)>{move || ctx.t("← Rostro", "← Face")}</button>
                            <button class="primary" data-testid="to-review"
                                disabled=move || { let k = ctx.kiosk.get(); !slots.with(|s| s.iter().all(|x| x.done(k))) }
                                on:click=move |_| step.set(Step::Review)>{move || ctx.t("Siguiente: revisión", "Next: review")}</button>
                        </div>
                    </div>
                }.into_any(),
                Step::Review => view! {
                    <div data-testid="step-review">
                        <dl class="review">
                            <dt>{move || ctx.t("Trabajador", "Worker")}</dt><dd>{move || data.with(|d| format!("{} · NSS {} · CURP {}", d.name.to_uppercase(), d.nss, d.curp))}</dd>
                            <dt>{move || ctx.t("Rostro", "Face")}</dt><dd>{move || face.get().map(|f| format!("{} {}/100", ctx.t("calidad", "quality"), f.score))}</dd>
                            <dt>{move || ctx.t("Huellas", "Prints")}</dt>
                            <dd><ul>{move || slots.get().iter().enumerate().map(|(i, s)| {
                                let text = match s {
                                    Slot::Captured(p) => format!("{} {}", ctx.t("calidad", "quality"), p.score),
                                    Slot::Exception { code, reason, .. } => format!("{code}: {reason}"),
                                    Slot::Empty => "—".into(),
                                };
                                view! { <li>{finger_name(ctx.lang(), i as u8 + 1)}": "{text}</li> }
                            }).collect_view()}</ul></dd>
                        </dl>
                        <p>{move || ctx.t("Al firmar, los biométricos se cifran para el IMSS y el trámite se firma con su e.firma en este equipo.",
                            "When you sign, the biometrics are encrypted for IMSS and the filing is signed with your e.firma on this device.")}</p>
                        <Busy text=busy.into() value=Signal::from(progress)/>
                        <ErrorBox problem=problem/>
                        <div class="row">
                            <button on:click=move |_| step.set(Step::Prints)>{move || ctx.t("← Huellas", "← Prints")}</button>
                            <button class="primary" data-testid="sign-send" disabled=move || busy.get().is_some() on:click=move |_| send_all()>
                                {move || if !has_signed.get() { ctx.t("Firmar y enviar", "Sign and send") } else { ctx.t("Reintentar el envío", "Retry sending") }}
                            </button>
                        </div>
                    </div>
                }.into_any(),
                Step::Done => view! {
                    <div data-testid="step-done">
                        <Receipts items=receipts.get()/>
                        <button class="primary" data-testid="done" on:click=move |_| {
                            ctx.go(if ctx.kiosk.get_untracked() { super::Screen::KioskHome } else { super::Screen::Dashboard })
                        }>{move || ctx.t("Terminar", "Finish")}</button>
                    </div>
                }.into_any(),
            }}
        </section>
    }
}
