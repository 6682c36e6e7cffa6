//! Demo mode, reachable from the first screen: the simulated reader (the U.are.U 4500 emulator
//! behind a fake `navigator.usb`, so the real WebUSB driver path runs), a simulated camera, and
//! the fictitious e.firmas the server makes from its own demo CA (trusted only in demo mode).
//! SAT's published test FIEL is offered too: it expired in 2021, so it shows that message.

use super::login::{LoginForm, Picked};
use super::{ctx, js, Ctx};
use leptos::prelude::*;
use std::sync::Arc;
use wasm_bindgen::prelude::*;
use zeroize::Zeroizing;

/// Loads `/app/demo.js` and installs the simulated devices.
pub fn install(ctx: Ctx) {
    let camera = js::setting("huella.demoCamera").as_deref() != Some("0");
    leptos::task::spawn_local(async move {
        let result = async {
            let module = js::import("/app/demo.js").await?;
            let f: js_sys::Function =
                js_sys::Reflect::get(&module, &"installDemo".into())?.dyn_into()?;
            let opts = js_sys::Object::new();
            js_sys::Reflect::set(&opts, &"camera".into(), &camera.into())?;
            let p: js_sys::Promise = f.call1(&JsValue::NULL, &opts)?.dyn_into()?;
            wasm_bindgen_futures::JsFuture::from(p).await
        }
        .await;
        if let Err(e) = result {
            web_sys::console::warn_2(&"demo".into(), &e);
            ctx.demo.set(false);
        }
    });
}

/// Waits (up to 15 s) until the simulated devices are installed.
pub async fn ready() -> bool {
    for _ in 0..300 {
        let installed = web_sys::window()
            .and_then(|w| js_sys::Reflect::get(&w, &"huellaDemo".into()).ok())
            .is_some_and(|v| v.is_object());
        if installed {
            return true;
        }
        js::sleep(50).await;
    }
    false
}

/// Before each finger in demo mode: the simulated sensor shows that finger's sample.
pub async fn use_print(position: u8) {
    ready().await;
    let Some(w) = web_sys::window() else { return };
    let Ok(api) = js_sys::Reflect::get(&w, &"huellaDemo".into()) else {
        return;
    };
    let Ok(f) = js_sys::Reflect::get(&api, &"usePrint".into()) else {
        return;
    };
    if let Ok(f) = f.dyn_into::<js_sys::Function>() {
        if let Ok(p) = f.call1(&api, &JsValue::from(position)) {
            if let Ok(p) = p.dyn_into::<js_sys::Promise>() {
                let _ = wasm_bindgen_futures::JsFuture::from(p).await;
            }
        }
    }
}

/// The demo switch on the first screen (reloads the page so the simulated devices are in
/// place before anything uses them).
#[component]
pub fn DemoSwitch() -> impl IntoView {
    let ctx = ctx();
    let toggle = move |_| {
        let on = !ctx.demo.get_untracked();
        js::set_setting("huella.demo", if on { "1" } else { "0" });
        if let Some(w) = web_sys::window() {
            let _ = w.location().set_search(if on { "demo" } else { "" });
        }
    };
    view! {
        <aside class="demo">
            <h2>{move || ctx.t("¿Sin lector ni e.firma?", "No reader or e.firma?")}</h2>
            <p>{move || ctx.t(
                "El modo de demostración usa un lector de huellas simulado, una cámara simulada y e.firmas ficticias que sólo este servidor de demostración reconoce.",
                "Demo mode uses a simulated fingerprint reader, a simulated camera and fictitious e.firmas only this demo server recognises.")}</p>
            <button data-testid="demo-toggle" on:click=toggle>
                {move || if ctx.demo.get() {
                    ctx.t("Salir del modo de demostración", "Leave demo mode")
                } else {
                    ctx.t("Entrar al modo de demostración", "Enter demo mode")
                }}
            </button>
        </aside>
    }
}

#[derive(Clone, Debug)]
struct DemoCredential {
    id: String,
    label: String,
    password: String,
    cer: String,
    key: String,
}

async fn list() -> Vec<DemoCredential> {
    let mut out = Vec::new();
    let a = js::request("GET", "/api/v1/demo/credentials", None).await;
    for c in a.json()["credentials"]
        .as_array()
        .cloned()
        .unwrap_or_default()
    {
        let s = |k: &str| c[k].as_str().unwrap_or_default().to_string();
        out.push(DemoCredential {
            id: s("id"),
            label: s("label"),
            password: s("password"),
            cer: s("cer"),
            key: s("key"),
        });
    }
    out.push(DemoCredential {
        id: "sat-prueba".into(),
        label: "FIEL de prueba publicada por el SAT (vencida en 2021)".into(),
        password: "12345678a".into(),
        cer: "/testdata/efirma/fiel_aaa010101aaa.cer".into(),
        key: "/testdata/efirma/fiel_aaa010101aaa.key".into(),
    });
    out
}

/// Buttons that fill the login form with a demo credential (files and password).
#[component]
pub fn DemoCredentials(form: LoginForm) -> impl IntoView {
    let ctx = ctx();
    let creds = LocalResource::new(list);
    // Completed fills (tests wait for the next one).
    let fills = RwSignal::new(0u32);
    let fill = move |c: DemoCredential| {
        leptos::task::spawn_local(async move {
            let (Some(cer), Some(key)) = (js::get_bytes(&c.cer).await, js::get_bytes(&c.key).await)
            else {
                return;
            };
            let name = |p: &str| p.rsplit('/').next().unwrap_or(p).to_string();
            form.cer.set(Some(Picked {
                name: name(&c.cer),
                bytes: Arc::new(Zeroizing::new(cer)),
            }));
            form.key.set(Some(Picked {
                name: name(&c.key),
                bytes: Arc::new(Zeroizing::new(key)),
            }));
            if let Some(Some(input)) = form.password.try_get_untracked() {
                input.set_value(&c.password);
            }
            fills.update(|n| *n += 1);
        });
    };
    view! {
        <aside class="demo" data-testid="demo-credentials" data-fills=move || fills.get()>
            <h2>{move || ctx.t("e.firmas de demostración", "Demo e.firmas")}</h2>
            <p>{move || ctx.t("Llenan los archivos y la contraseña; después pulse «Abrir e.firma».",
                "They fill in the files and the password; then press “Open e.firma”.")}</p>
            <ul>
                {move || creds.get().map(|list| list.into_iter().map(|c| {
                    let id = c.id.clone();
                    let label = c.label.clone();
                    view! { <li><button data-testid=format!("demo-{id}") on:click=move |_| fill(c.clone())>{label}</button></li> }
                }).collect_view())}
            </ul>
        </aside>
    }
}
