//! What the person reads when something goes wrong: one Spanish (and English) sentence per
//! stable error code of every layer — e.firma, packet/server, scanner, camera, network. The
//! code is shown beside the sentence so support can find it.

use crate::i18n::Lang;

/// The message for `code` (an unknown code gets a generic sentence; the caller shows the code).
pub fn for_code(code: &str, lang: Lang) -> &'static str {
    let (es, en) = pair(code);
    lang.pick(es, en)
}

/// Whether `code` is one this module knows (tests use it to prove every code is covered).
pub fn known(code: &str) -> bool {
    pair(code).0 != GENERIC.0
}

const GENERIC: (&str, &str) = (
    "Ocurrió un error inesperado. Intente de nuevo; si se repite, comunique el código a soporte.",
    "Something unexpected went wrong. Try again; if it repeats, give the code to support.",
);

fn pair(code: &str) -> (&'static str, &'static str) {
    match code {
        // e.firma (crates/efirma)
        "bad_password" => ("La contraseña de la llave privada no es correcta. Escríbala de nuevo (distingue mayúsculas y minúsculas).",
            "The private key password is wrong. Type it again (it is case-sensitive)."),
        "corrupt_key" => ("El archivo .key está dañado o no es una llave privada del SAT.",
            "The .key file is damaged or is not a SAT private key."),
        "corrupt_certificate" => ("El archivo .cer está dañado o no es un certificado.",
            "The .cer file is damaged or is not a certificate."),
        "key_mismatch" => ("La llave privada (.key) no corresponde a este certificado (.cer). Elija el par correcto.",
            "The private key (.key) does not belong to this certificate (.cer). Choose the matching pair."),
        "expired" => ("El certificado de esta e.firma está vencido. Renuévelo en el SAT antes de firmar.",
            "This e.firma certificate has expired. Renew it with the SAT before signing."),
        "not_yet_valid" => ("El certificado todavía no es válido (revise la fecha y hora de este equipo).",
            "The certificate is not valid yet (check this computer's date and time)."),
        "not_fiel" => ("Este es un Certificado de Sello Digital (CSD), no una e.firma (FIEL). Use los archivos de su e.firma.",
            "This is a digital seal certificate (CSD), not an e.firma (FIEL). Use your e.firma files."),
        "unsupported_algorithm" => ("La llave usa un cifrado que Huella no admite. Exporte la llave en el formato del SAT.",
            "The key uses an encryption Huella does not support. Export it in SAT's format."),
        "untrusted_chain" => ("El certificado no fue emitido por una autoridad reconocida (SAT).",
            "The certificate was not issued by a recognised authority (SAT)."),
        "bad_signature" => ("La firma no es válida.", "The signature is not valid."),
        "missing_files" => ("Elija el archivo .cer, el archivo .key y escriba la contraseña.",
            "Choose the .cer file and the .key file, and type the password."),
        // packets and server (crates/packet, crates/server)
        "bad_format" => ("El paquete está mal formado.", "The packet is malformed."),
        "signer_mismatch" => ("El firmante no coincide con el paquete.", "The signer does not match the packet."),
        "attachment_digest" | "unseal_failed" => ("Un adjunto del paquete no coincide con lo firmado.",
            "An attachment does not match what was signed."),
        "stale" => ("El paquete es demasiado antiguo; fírmelo de nuevo.", "The packet is too old; sign it again."),
        "replay" => ("Este paquete ya se había usado (repetición).", "This packet was already used (replay)."),
        "not_authorized" => ("Su e.firma no está autorizada para este registro patronal o trabajador.",
            "Your e.firma is not authorised for this employer registration or worker."),
        "invalid_manifest" => ("Los datos del trámite no son válidos; revise los campos marcados.",
            "The filing data are not valid; check the marked fields."),
        "unauthenticated" => ("Su sesión terminó. Inicie sesión de nuevo con su e.firma.",
            "Your session ended. Sign in again with your e.firma."),
        "bad_challenge" => ("El reto de inicio de sesión venció. Intente de nuevo.", "The sign-in challenge expired. Try again."),
        "not_found" => ("No se encontró.", "Not found."),
        "rate_limited" => ("Demasiadas solicitudes; espere unos segundos.", "Too many requests; wait a few seconds."),
        "too_large" => ("El envío es demasiado grande.", "The upload is too large."),
        "timeout" => ("El servidor tardó demasiado; se reintentará.", "The server took too long; it will be retried."),
        "internal" | "database" => ("El servidor tuvo un problema; se reintentará.", "The server had a problem; it will be retried."),
        "network" => ("Sin conexión con el servidor. Revise la red; nada se perdió.",
            "No connection to the server. Check the network; nothing was lost."),
        "bad_request" | "build_failed" => ("La solicitud no es válida.", "The request is not valid."),
        // fingerprint reader (crates/scanner)
        "webusb_unavailable" => ("Este navegador no tiene WebUSB. Use Chrome o Edge actualizados.",
            "This browser has no WebUSB. Use an up-to-date Chrome or Edge."),
        "no_device" => ("No se eligió ningún lector de huellas. Conéctelo y elíjalo en la lista.",
            "No fingerprint reader was chosen. Plug it in and pick it from the list."),
        "access_denied" => ("El sistema no permite abrir el lector: en Linux falta la regla udev; en Windows el controlador del fabricante lo está usando.",
            "The system will not let the page open the reader: on Linux a udev rule is missing; on Windows the vendor driver holds it."),
        "device_busy" => ("El lector está ocupado por otro programa o pestaña. Ciérrelo e intente de nuevo.",
            "The reader is held by another program or tab. Close it and try again."),
        "device_disconnected" => ("Se desconectó el lector. Vuelva a conectarlo; la captura continúa desde este dedo.",
            "The reader was unplugged. Plug it back in; capture resumes at this finger."),
        "unsupported_device" => ("Este lector no es compatible (se admite U.are.U 4500/4000).",
            "This reader is not supported (U.are.U 4500/4000 are)."),
        "finger_timeout" => ("No se detectó el dedo a tiempo. Coloque el dedo y presione Capturar de nuevo.",
            "No finger was detected in time. Place the finger and press Capture again."),
        "finger_off_timeout" => ("Retire el dedo del lector.", "Lift the finger from the reader."),
        "not_open" | "recovery_failed" | "power_up_failed" | "power_on_timeout" | "frame_timeout"
        | "bad_frames" | "stall" | "short_write" | "short_read" | "usb_timeout" | "usb_error" | "invalid_image" =>
            ("El lector no respondió bien. Desconéctelo, vuelva a conectarlo e intente de nuevo.",
             "The reader misbehaved. Unplug it, plug it back in and try again."),
        "scanner_busy" => ("El lector todavía está trabajando; espere.", "The reader is still busy; wait."),
        "low_quality" => ("La huella no tiene calidad suficiente. Siga las indicaciones y capture de nuevo.",
            "The print quality is too low. Follow the guidance and capture again."),
        // camera
        "camera_denied" => ("No se dio permiso para usar la cámara. Permítalo en el candado de la barra de direcciones.",
            "Camera permission was refused. Allow it from the padlock in the address bar."),
        "camera_missing" => ("No se encontró una cámara. Conecte una y recargue la página.",
            "No camera was found. Connect one and reload the page."),
        "camera_busy" => ("Otra aplicación está usando la cámara. Ciérrela e intente de nuevo.",
            "Another application is using the camera. Close it and try again."),
        "camera_error" => ("No se pudo iniciar la cámara.", "The camera could not be started."),
        "face_quality" => ("La foto del rostro no tiene calidad suficiente. Siga las indicaciones.",
            "The face photo quality is too low. Follow the guidance."),
        "not_live" => ("No se pudo comprobar que sea una persona presente. Repita el reto frente a la cámara, sin fotos ni pantallas.",
            "Could not confirm a live person. Repeat the challenge in front of the camera, with no photos or screens."),
        "storage" => ("El almacenamiento local del navegador no está disponible; el modo sin conexión no funcionará.",
            "The browser's local storage is unavailable; offline mode will not work."),
        _ => GENERIC,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every stable code the cores can raise has its own sentence.
    #[test]
    fn every_core_code_has_a_message() {
        let efirma = [
            "bad_password",
            "corrupt_key",
            "corrupt_certificate",
            "key_mismatch",
            "expired",
            "not_yet_valid",
            "not_fiel",
            "unsupported_algorithm",
            "untrusted_chain",
            "bad_signature",
        ];
        let packet = [
            "bad_format",
            "bad_signature",
            "untrusted_chain",
            "expired",
            "not_fiel",
            "signer_mismatch",
            "attachment_digest",
            "unseal_failed",
            "stale",
            "replay",
            "not_authorized",
            "invalid_manifest",
        ];
        let scanner = [
            "unsupported_device",
            "device_busy",
            "access_denied",
            "device_disconnected",
            "no_device",
            "webusb_unavailable",
            "not_open",
            "recovery_failed",
            "power_up_failed",
            "power_on_timeout",
            "finger_timeout",
            "finger_off_timeout",
            "frame_timeout",
            "bad_frames",
            "stall",
            "short_write",
            "short_read",
            "usb_timeout",
            "usb_error",
            "invalid_image",
        ];
        for c in efirma.iter().chain(&packet).chain(&scanner) {
            assert!(known(c), "{c} has no message");
            assert_ne!(for_code(c, Lang::Es), for_code(c, Lang::En));
        }
        assert!(!known("something_new"));
    }
}
