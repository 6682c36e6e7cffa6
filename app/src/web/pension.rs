//! A pensioner's proof of life (supervivencia): NSS, a selfie with live guidance and the
//! liveness challenge, signed with the pensioner's own e.firma → receipt.

use super::face::{FaceCapture, FaceShot};
use super::receipt::Receipts;
use super::send::{self, Sent};
use super::ui::{Busy, ErrorBox, Problem};
use super::{ctx, Screen};
use leptos::prelude::*;
use packet::{Action, Biometrics, Device, Manifest, NewAttachment, Signer, Subject};

/// The proof-of-life screen.
#[component]
pub fn ProofOfLife() -> impl IntoView {
    let ctx = ctx();
    let kiosk_person = ctx.person.get_value();
    let who = kiosk_person
        .as_ref()
        .map(|p| p.0.clone())
        .or_else(|| ctx.user.get_untracked());
    let nss = RwSignal::new(String::new());
    let nss_ok = RwSignal::new(false);
    let problem = RwSignal::new(None::<Problem>);
    let busy = RwSignal::new(None::<String>);
    let receipts = RwSignal::new(Vec::<(String, Sent)>::new());
    let who2 = who.clone();
    let submit = move |shot: FaceShot| {
        let Some(u) = who2.clone() else { return };
        let m = Manifest {
            action: Action::Supervivencia,
            issued_at: String::new(),
            nonce: String::new(),
            signer: Signer::default(),
            employer: None,
            subject: Some(Subject {
                nss: nss.get_untracked(),
                curp: u.curp.clone().unwrap_or_default(),
                name: u.name.clone(),
                rfc: Some(u.rfc.clone()),
            }),
            movement: None,
            biometrics: Some(Biometrics {
                face: "face".into(),
                fingers: Vec::new(),
                liveness: shot.liveness.clone(),
            }),
            attachments: Vec::new(),
            operator: super::alta::operator(ctx, &[]),
        };
        let atts = vec![NewAttachment {
            name: "face".into(),
            media_type: "image/jpeg".into(),
            bytes: shot.jpeg,
            quality: Some(shot.quality),
            device: Some(Device {
                model: "webcam".into(),
                serial: None,
            }),
            ..NewAttachment::default()
        }];
        busy.set(Some(
            ctx.t("Firmando su fe de vida…", "Signing your proof of life…")
                .into(),
        ));
        leptos::task::spawn_local(async move {
            let person = ctx.person.get_value();
            let signed = match &person {
                Some((_, cred)) => send::sign_with(cred, m, atts).await,
                None => send::sign(ctx, m, atts).await,
            };
            let label = format!("Fe de vida — {}", u.name);
            let r = match signed {
                Ok(json) => send::deliver(ctx, label.clone(), json).await,
                Err(p) => Err(p),
            };
            busy.set(None);
            match r {
                Ok(s) => {
                    receipts.set(vec![(label, s)]);
                    if ctx.kiosk.get_untracked() {
                        super::kiosk::after_person(ctx);
                    }
                }
                Err(p) => problem.set(Some(p)),
            }
        });
    };
    let submit = Callback::new(submit);
    view! {
        <section class="pension">
            <h1 tabindex="-1">{move || ctx.t("Fe de vida", "Proof of life")}</h1>
            <p>{who.map(|u| u.name)}</p>
            <Show when=move || receipts.get().is_empty() fallback=move || view! {
                <Receipts items=receipts.get()/>
                <button class="primary" on:click=move |_| ctx.go(if ctx.kiosk.get_untracked() { Screen::KioskHome } else { Screen::Home })>{ctx.t("Terminar", "Finish")}</button>
            }>
                <label for="nss">{move || ctx.t("Su Número de Seguridad Social (NSS)", "Your social security number (NSS)")}</label>
                <input id="nss" inputmode="numeric" data-testid="field-nss" prop:value=move || nss.get()
                    on:input=move |ev| { let v = event_target_value(&ev).trim().to_string(); nss_ok.set(packet::ids::check_nss(&v).is_ok()); nss.set(v); }/>
                <p class="field-error" aria-live="polite">{move || (!nss.get().is_empty() && !nss_ok.get()).then(|| packet::ids::check_nss(&nss.get()).err().unwrap_or_default())}</p>
                <Show when=move || nss_ok.get()>
                    <p>{move || ctx.t("Cuando pulse el botón, siga las dos indicaciones que aparecen (por ejemplo, parpadear o girar la cabeza).",
                        "When you press the button, follow the two prompts that appear (for example, blink or turn your head).")}</p>
                    <FaceCapture selfie=true on_done=submit/>
                </Show>
                <Busy text=busy.into()/>
                <ErrorBox problem=problem/>
            </Show>
        </section>
    }
}
