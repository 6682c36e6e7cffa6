//! Example manifests, one per action (`huella packet template ACTION`).
//!
//! All templates of one employer share one registro patronal and one worker, so they can be
//! filed in sequence: `patron` → `alta` → `biometria` → `modificacion_salario` → … → `baja`.

use crate::manifest::{
    Action, AttachmentInfo, Biometrics, Device, Employer, Finger, Manifest, Movement, Signer,
    Subject,
};

/// The example registro patronal (from CFDI-nómina test suites).
pub const REGISTRO_PATRONAL: &str = "B5510768108";
/// The example worker's NSS.
pub const NSS: &str = "92919084431";
/// The example worker's CURP.
pub const CURP: &str = "LOMA900315MJCPRN09";

fn attachment(name: &str, media_type: &str, ppi: Option<u32>, model: &str) -> AttachmentInfo {
    AttachmentInfo {
        name: name.into(),
        media_type: media_type.into(),
        ppi,
        device: Some(Device {
            model: model.into(),
            serial: None,
        }),
        ..AttachmentInfo::default()
    }
}

/// The ten finger slots, `finger.1` … `finger.10`, with their attachment descriptions.
pub fn ten_fingers() -> (Vec<Finger>, Vec<AttachmentInfo>) {
    let fingers = (1..=10u8)
        .map(|p| Finger {
            position: p,
            attachment: Some(format!("finger.{p}")),
            exception: None,
            reason: None,
            evidence: None,
        })
        .collect();
    let infos = (1..=10u8)
        .map(|p| {
            attachment(
                &format!("finger.{p}"),
                "image/x-wsq",
                Some(500),
                "U.are.U 4500",
            )
        })
        .collect();
    (fingers, infos)
}

/// A valid example manifest for `action` (signer, nonce, time and digests are filled in by
/// `build`).
pub fn template(action: Action) -> Manifest {
    let employer = Some(Employer {
        registro_patronal: REGISTRO_PATRONAL.into(),
        name: Some("Comercializadora Ejemplo, S.A. de C.V.".into()),
        zone: "general".into(),
    });
    let subject = Some(Subject {
        nss: NSS.into(),
        curp: CURP.into(),
        name: "ANA LÓPEZ MARTÍNEZ".into(),
        rfc: Some("LOMA900315H77".into()),
    });
    let mut m = Manifest {
        action,
        issued_at: String::new(),
        nonce: String::new(),
        signer: Signer::default(),
        employer: employer.clone(),
        subject: subject.clone(),
        movement: None,
        biometrics: None,
        attachments: Vec::new(),
        operator: None,
    };
    let date = "2026-03-02".to_string();
    match action {
        Action::Patron => m.subject = None,
        Action::Alta => {
            m.movement = Some(Movement {
                date,
                worker_type: Some(1),
                salary_type: Some(0),
                reduced_week: Some(0),
                sbc: Some(450.00),
                cause: None,
            })
        }
        Action::Baja => {
            m.movement = Some(Movement {
                date,
                cause: Some("2".into()),
                ..Movement::default()
            })
        }
        Action::ModificacionSalario => {
            m.movement = Some(Movement {
                date,
                salary_type: Some(0),
                sbc: Some(520.50),
                ..Movement::default()
            })
        }
        Action::CambioRegimen => {
            m.movement = Some(Movement {
                date,
                worker_type: Some(2),
                salary_type: Some(2),
                reduced_week: Some(6),
                sbc: None,
                cause: None,
            })
        }
        Action::Biometria => {
            let (fingers, mut infos) = ten_fingers();
            infos.insert(0, attachment("face", "image/jpeg", None, "webcam"));
            m.biometrics = Some(Biometrics {
                face: "face".into(),
                fingers,
                liveness: None,
            });
            m.attachments = infos;
        }
        Action::Supervivencia => {
            m.employer = None;
            m.biometrics = Some(Biometrics {
                face: "face".into(),
                fingers: Vec::new(),
                liveness: Some(serde_json::json!({
                    "decision": "live",
                    "challenge": "blink",
                    "evidence": {"blinks": 2, "moire": 0.02}
                })),
            });
            m.attachments = vec![attachment("face", "image/jpeg", None, "webcam")];
        }
    }
    m
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validate::{validate, Rules};

    #[test]
    fn every_template_is_valid() {
        let rules = Rules::default();
        for a in Action::ALL {
            let m = template(a);
            assert_eq!(validate(&m, &rules).map(|_| ()), Ok(()), "{a:?}");
        }
    }
}
