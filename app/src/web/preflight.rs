//! Pre-flight check: secure context, WebUSB, the reader (or the precise reason it cannot be
//! used, with the fix), the camera and its resolution.

use super::ui::Problem;
use super::{camera, ctx, reader, Screen};
use crate::messages;
use leptos::prelude::*;

/// Linux udev rule that lets the logged-in user's browser open the U.are.U 4000/4500.
pub const UDEV_RULE: &str = r#"SUBSYSTEM=="usb", ATTRS{idVendor}=="05ba", ATTRS{idProduct}=="000a", MODE="0660", TAG+="uaccess""#;

#[derive(Clone, Debug, PartialEq)]
enum Check {
    Pending,
    Ok(String),
    Fail { code: String, fix: String },
}

fn platform() -> String {
    web_sys::window()
        .and_then(|w| w.navigator().user_agent().ok())
        .unwrap_or_default()
}

fn fix_for(code: &str, lang: crate::i18n::Lang) -> String {
    let ua = platform();
    match code {
        "webusb_unavailable" => lang.pick("Abra Huella en Google Chrome o Microsoft Edge (versión reciente). Firefox y Safari no tienen WebUSB.",
            "Open Huella in a recent Google Chrome or Microsoft Edge. Firefox and Safari have no WebUSB.").into(),
        "access_denied" if ua.contains("Windows") => lang.pick(
            "En Windows, el controlador del fabricante (DigitalPersona) tiene el lector. Desinstálelo o asigne el controlador WinUSB al lector (por ejemplo con Zadig) y vuelva a conectarlo.",
            "On Windows the vendor (DigitalPersona) driver owns the reader. Uninstall it or assign the WinUSB driver to the reader (e.g. with Zadig) and plug it back in.").into(),
        "access_denied" => format!("{} {UDEV_RULE}", lang.pick(
            "En Linux falta la regla udev. Como administrador, guarde esta línea en /etc/udev/rules.d/70-huella.rules, ejecute «udevadm control --reload» y reconecte el lector:",
            "On Linux the udev rule is missing. As administrator save this line in /etc/udev/rules.d/70-huella.rules, run “udevadm control --reload” and replug the reader:")),
        "device_busy" => lang.pick("Cierre otras pestañas o programas que usen el lector (en Linux, detenga fprintd).",
            "Close other tabs or programs using the reader (on Linux, stop fprintd).").into(),
        "no_device" => lang.pick("Conecte el lector U.are.U 4500 y pulse «Buscar lector»; en kioscos, el administrador concede el lector con la política WebUsbAllowDevicesForUrls.",
            "Plug in the U.are.U 4500 and press “Find reader”; kiosks get the reader from the WebUsbAllowDevicesForUrls policy.").into(),
        "camera_denied" => lang.pick("Permita la cámara en el candado de la barra de direcciones y recargue.", "Allow the camera from the padlock in the address bar and reload.").into(),
        "camera_missing" => lang.pick("Conecte una cámara web.", "Connect a webcam.").into(),
        "camera_busy" => lang.pick("Cierre la aplicación que usa la cámara (videollamadas).", "Close the application using the camera (video calls).").into(),
        "insecure" => lang.pick("Abra Huella por https:// (o en localhost): sin contexto seguro no hay cámara ni WebUSB.",
            "Open Huella over https:// (or on localhost): without a secure context there is no camera or WebUSB.").into(),
        "low_resolution" => lang.pick("Use una cámara de al menos 640×480.", "Use a camera of at least 640×480.").into(),
        _ => String::new(),
    }
}

#[component]
fn Row(label: Signal<&'static str>, check: RwSignal<Check>, testid: &'static str) -> impl IntoView {
    let ctx = ctx();
    view! {
        <li class="check-row" data-testid=testid>
            <strong>{label}</strong>" "
            {move || match check.get() {
                Check::Pending => view! { <span class="pending">{ctx.t("comprobando…", "checking…")}</span> }.into_any(),
                Check::Ok(s) => view! { <span class="ok" data-state="ok">"✔ "{s}</span> }.into_any(),
                Check::Fail { code, fix } => view! {
                    <span class="fail" data-state="fail" data-code=code.clone()>"✘ "{messages::for_code(&code, ctx.lang())}</span>
                    <p class="fix">{fix}</p>
                }.into_any(),
            }}
        </li>
    }
}

/// The pre-flight screen.
#[component]
pub fn Preflight() -> impl IntoView {
    let ctx = ctx();
    let secure = RwSignal::new(Check::Pending);
    let webusb = RwSignal::new(Check::Pending);
    let device = RwSignal::new(Check::Pending);
    let cam = RwSignal::new(Check::Pending);
    let fail = move |code: &str| Check::Fail {
        code: code.to_string(),
        fix: fix_for(code, ctx.lang()),
    };
    let w = web_sys::window();
    let is_secure = w.as_ref().is_some_and(|w| w.is_secure_context());
    secure.set(if is_secure {
        Check::Ok("https / localhost".into())
    } else {
        fail("insecure")
    });
    let has_usb = w
        .as_ref()
        .is_some_and(|w| js_sys::Reflect::has(&w.navigator(), &"usb".into()).unwrap_or(false));
    webusb.set(if has_usb {
        Check::Ok("WebUSB".into())
    } else {
        fail("webusb_unavailable")
    });
    let find = move |may_ask: bool| {
        if !has_usb {
            device.set(fail("webusb_unavailable"));
            return;
        }
        leptos::task::spawn_local(async move {
            if ctx.demo.get_untracked() {
                super::demo::ready().await;
            }
            device.set(match reader::connect(may_ask).await {
                Ok(()) => Check::Ok(reader::model().unwrap_or_default()),
                Err(Problem { code, .. }) => fail(&code),
            });
        });
    };
    find(false);
    leptos::task::spawn_local(async move {
        match camera::open().await {
            Ok(s) => {
                let (w, h) = camera::resolution(&s).unwrap_or((0, 0));
                camera::stop(&s);
                cam.set(if w >= 640 && h >= 480 {
                    Check::Ok(format!("{w}×{h}"))
                } else {
                    Check::Fail {
                        code: "camera_error".into(),
                        fix: format!("{w}×{h}. {}", fix_for("low_resolution", ctx.lang())),
                    }
                });
            }
            Err(p) => cam.set(fail(&p.code)),
        }
    });
    view! {
        <section class="preflight">
            <button class="link back" on:click=move |_| ctx.go(Screen::Home)>{move || ctx.t("← Inicio", "← Home")}</button>
            <h1 tabindex="-1">{move || ctx.t("Comprobación del equipo", "Equipment check")}</h1>
            <ul class="checks">
                <Row label=Signal::derive(move || ctx.t("Conexión segura", "Secure context")) check=secure testid="check-secure"/>
                <Row label=Signal::derive(move || ctx.t("WebUSB en este navegador", "WebUSB in this browser")) check=webusb testid="check-webusb"/>
                <Row label=Signal::derive(move || ctx.t("Lector de huellas", "Fingerprint reader")) check=device testid="check-reader"/>
                <Row label=Signal::derive(move || ctx.t("Cámara", "Camera")) check=cam testid="check-camera"/>
            </ul>
            <button class="primary" data-testid="find-reader" on:click=move |_| { device.set(Check::Pending); find(true); }>
                {move || ctx.t("Buscar lector", "Find reader")}
            </button>
        </section>
    }
}
