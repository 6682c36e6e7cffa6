//! e.firma login: choose `.cer` and `.key`, type the password, see who that is, then sign the
//! server's challenge in the page. The key file, the decrypted key and the password stay in
//! this page's memory; the password field is emptied as soon as the key opens.

use super::ui::{Busy, ErrorBox, Problem};
use super::{ctx, js, Registro, Role, Screen, User};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use efirma::{Credential, Identity, Kind};
use leptos::html;
use leptos::prelude::*;
use std::sync::Arc;
use wasm_bindgen::JsCast;
use zeroize::Zeroizing;

/// A chosen file: its name and bytes (the `.key` bytes are wiped on drop).
#[derive(Clone)]
pub struct Picked {
    /// File name as chosen.
    pub name: String,
    /// Contents.
    pub bytes: Arc<Zeroizing<Vec<u8>>>,
}

/// The login form's state; the demo panel fills it too.
#[derive(Clone, Copy)]
pub struct LoginForm {
    /// The `.cer`.
    pub cer: RwSignal<Option<Picked>>,
    /// The `.key`.
    pub key: RwSignal<Option<Picked>>,
    /// The password input.
    pub password: NodeRef<html::Input>,
}

async fn picked_from(ev: &leptos::ev::Event) -> Option<Picked> {
    let input: web_sys::HtmlInputElement = ev.target()?.dyn_into().ok()?;
    let file = input.files()?.get(0)?;
    let bytes = js::file_bytes(&file).await.ok()?;
    Some(Picked {
        name: file.name(),
        bytes: Arc::new(Zeroizing::new(bytes)),
    })
}

/// Opens the credential and checks it may sign for `role` now. Returns the credential (when it
/// opened) and the first problem.
fn open(cer: &[u8], key: &[u8], password: &str) -> (Option<Credential>, Option<Problem>) {
    let cred = match Credential::open(cer, key, password) {
        Ok(c) => c,
        Err(e) => return (None, Some(Problem::with(e.code(), e.message_es()))),
    };
    let problem = if let Err(e) = cred.certificate().check_validity(js::now()) {
        Some(Problem::with(e.code(), e.message_es()))
    } else if cred.identity().kind != Kind::Fiel {
        Some(Problem::code("not_fiel"))
    } else {
        None
    };
    (Some(cred), problem)
}

/// Signs the server's challenge and opens the session; returns the registros patronales.
async fn sign_in(cred: &Credential) -> Result<Vec<Registro>, Problem> {
    let ch = js::request("GET", "/api/v1/session/challenge", None).await;
    if !ch.ok() {
        return Err(Problem::code(ch.code()));
    }
    let challenge = ch.json()["challenge"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let sig = cred
        .sign_cms(challenge.as_bytes(), js::now())
        .map_err(|e| Problem::with(e.code(), e.message_es()))?;
    let body = serde_json::json!({"challenge": challenge, "signature": STANDARD.encode(sig)});
    let r = js::request("POST", "/api/v1/session", Some(&body.to_string())).await;
    if !r.ok() {
        return Err(Problem::with(
            r.code(),
            r.json()["message"].as_str().unwrap_or_default(),
        ));
    }
    Ok(fetch_registros().await)
}

/// The registros patronales bound to the session's RFC.
pub async fn fetch_registros() -> Vec<Registro> {
    let me = js::request("GET", "/api/v1/session", None).await;
    me.json()["registros_patronales"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|r| {
                    Some(Registro {
                        id: r["registro_patronal"].as_str()?.to_string(),
                        name: r["name"].as_str().unwrap_or_default().to_string(),
                        zone: r["zone"].as_str().unwrap_or("general").to_string(),
                    })
                })
                .collect()
        })
        .unwrap_or_default()
}

fn user_of(role: Role, id: &Identity) -> User {
    User {
        role,
        name: id.name.clone(),
        rfc: id.rfc.clone(),
        curp: id.curp.clone().or_else(|| id.representative_curp.clone()),
        certificate_number: id.certificate_number.clone(),
    }
}

/// The login screen.
#[component]
pub fn Login(role: Role) -> impl IntoView {
    let ctx = ctx();
    let form = LoginForm {
        cer: RwSignal::new(None),
        key: RwSignal::new(None),
        password: NodeRef::new(),
    };
    let problem = RwSignal::new(None::<Problem>);
    let busy = RwSignal::new(None::<String>);
    let opened: StoredValue<Option<Arc<Credential>>> = StoredValue::new(None);
    let identity = RwSignal::new(None::<(Identity, bool)>);
    // Completed attempts to open a key (lets assistive tech and tests tell a new result from
    // the previous one).
    let attempts = RwSignal::new(0u32);

    let on_open = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        problem.set(None);
        identity.set(None);
        let (Some(cer), Some(key)) = (form.cer.get_untracked(), form.key.get_untracked()) else {
            problem.set(Some(Problem::code("missing_files")));
            return;
        };
        let Some(input) = form.password.get_untracked() else {
            return;
        };
        let password = Zeroizing::new(input.value());
        if password.is_empty() {
            problem.set(Some(Problem::code("missing_files")));
            attempts.update(|a| *a += 1);
            return;
        }
        busy.set(Some(
            ctx.t("Abriendo su llave privada…", "Opening your private key…")
                .into(),
        ));
        leptos::task::spawn_local(async move {
            js::next_frame().await;
            js::next_frame().await;
            let (cred, p) = open(&cer.bytes, &key.bytes, &password);
            drop(password);
            busy.set(None);
            if let Some(c) = cred {
                input.set_value("");
                identity.set(Some((c.identity().clone(), p.is_none())));
                opened.set_value(if p.is_none() { Some(Arc::new(c)) } else { None });
            }
            problem.set(p);
            attempts.update(|a| *a += 1);
        });
    };

    let on_sign_in = move |_| {
        let Some(cred) = opened.get_value() else {
            return;
        };
        problem.set(None);
        if role == Role::Pensioner
            && ctx.kiosk.get_untracked()
            && ctx.user.get_untracked().is_some()
        {
            // At a kiosk the pensioner signs their packet beside the operator's session: no
            // server session of their own (it would replace the operator's).
            ctx.person
                .set_value(Some((user_of(role, cred.identity()), cred)));
            opened.set_value(None);
            ctx.go(Screen::ProofOfLife);
            return;
        }
        busy.set(Some(
            ctx.t(
                "Firmando el reto de inicio de sesión…",
                "Signing the sign-in challenge…",
            )
            .into(),
        ));
        leptos::task::spawn_local(async move {
            let r = sign_in(&cred).await;
            busy.set(None);
            match r {
                Ok(registros) => {
                    ctx.user.set(Some(user_of(role, cred.identity())));
                    ctx.registros.set(registros);
                    ctx.cred.set_value(Some(cred));
                    opened.set_value(None);
                    if role == Role::Operator {
                        // A kiosk seals attachments even while offline: keep the server's
                        // public key at hand.
                        leptos::task::spawn_local(async {
                            let _ = super::send::server_key().await;
                        });
                    }
                    ctx.go(match role {
                        Role::Employer => Screen::Dashboard,
                        Role::Pensioner => Screen::ProofOfLife,
                        Role::Operator => Screen::KioskHome,
                    });
                }
                Err(p) => problem.set(Some(p)),
            }
        });
    };

    let title = move || match role {
        Role::Employer => ctx.t(
            "Entrar con la e.firma del empleador",
            "Sign in with the employer's e.firma",
        ),
        Role::Pensioner => ctx.t(
            "Entrar con su e.firma de pensionado",
            "Sign in with your pensioner e.firma",
        ),
        Role::Operator => ctx.t(
            "Kiosco: entrada del operador con su e.firma",
            "Kiosk: operator sign-in with their e.firma",
        ),
    };
    view! {
        <section class="login" data-attempts=move || attempts.get()>
            <h1 tabindex="-1">{title}</h1>
            <p>{move || ctx.t(
                "Elija los dos archivos de su e.firma (FIEL) y escriba su contraseña. Se abren aquí, en su navegador; no se envían a ningún lado.",
                "Choose your e.firma (FIEL) files and type the password. They are opened here, in your browser; they are sent nowhere.")}</p>
            <form on:submit=on_open data-testid="login-form">
                <label for="cer">{move || ctx.t("Certificado (.cer)", "Certificate (.cer)")}</label>
                <input id="cer" type="file" accept=".cer,.crt,.pem" data-testid="cer"
                    on:change=move |ev| { identity.set(None); problem.set(None); opened.set_value(None); leptos::task::spawn_local(async move { form.cer.set(picked_from(&ev).await); }); }/>
                <p class="file-name">{move || form.cer.get().map(|p| p.name)}</p>
                <label for="key">{move || ctx.t("Llave privada (.key)", "Private key (.key)")}</label>
                <input id="key" type="file" accept=".key,.pem,.pfx,.p12" data-testid="key"
                    on:change=move |ev| { identity.set(None); problem.set(None); opened.set_value(None); leptos::task::spawn_local(async move { form.key.set(picked_from(&ev).await); }); }/>
                <p class="file-name">{move || form.key.get().map(|p| p.name)}</p>
                <label for="password">{move || ctx.t("Contraseña de la llave privada", "Private key password")}</label>
                <input id="password" type="password" autocomplete="off" node_ref=form.password data-testid="password"/>
                <button type="submit" class="primary" data-testid="open-key">{move || ctx.t("Abrir e.firma", "Open e.firma")}</button>
            </form>
            <Busy text=busy.into()/>
            <ErrorBox problem=problem/>
            {move || identity.get().map(|(id, usable)| view! { <IdentityCard id=id/>
                <Show when=move || usable>
                    <button class="primary" data-testid="sign-in" on:click=on_sign_in>
                        {move || ctx.t("Firmar e iniciar sesión", "Sign and sign in")}
                    </button>
                </Show>
            })}
            <Show when=move || ctx.demo.get()>
                <super::demo::DemoCredentials form=form/>
            </Show>
        </section>
    }
}

/// Who the credential belongs to, shown before anything is signed.
#[component]
pub fn IdentityCard(id: Identity) -> impl IntoView {
    let ctx = ctx();
    let kind = match id.kind {
        Kind::Fiel => "e.firma (FIEL)",
        _ => "Certificado de Sello Digital (CSD)",
    };
    let curp = id
        .curp
        .clone()
        .or(id.representative_curp.clone())
        .unwrap_or_else(|| "—".into());
    let validity = format!(
        "{} → {}",
        &id.not_before.to_rfc3339()[..10],
        &id.not_after.to_rfc3339()[..10]
    );
    view! {
        <dl class="identity" data-testid="identity">
            <dt>{move || ctx.t("Nombre", "Name")}</dt><dd data-testid="id-name">{id.name.clone()}</dd>
            <dt>"RFC"</dt><dd data-testid="id-rfc">{id.rfc.clone()}</dd>
            <dt>"CURP"</dt><dd data-testid="id-curp">{curp}</dd>
            <dt>{move || ctx.t("No. de certificado", "Certificate number")}</dt><dd data-testid="id-number">{id.certificate_number.clone()}</dd>
            <dt>{move || ctx.t("Vigencia", "Validity")}</dt><dd data-testid="id-validity">{validity}</dd>
            <dt>{move || ctx.t("Tipo", "Kind")}</dt><dd data-testid="id-kind">{kind}</dd>
        </dl>
    }
}
