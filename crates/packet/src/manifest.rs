//! The manifest: the UTF-8 JSON document the signer signs (design.md §4).
//!
//! Typed with serde so the browser and the server read it the same way. Unknown fields are
//! ignored on reading (forward compatibility); the signed bytes are never re-serialised.

use serde::{Deserialize, Serialize};

/// What the packet asks the server to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Hash)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// Register an employer's registro patronal, bound to the signer's RFC.
    Patron,
    /// Alta / reingreso of a worker (IDSE 08).
    Alta,
    /// Baja (IDSE 02).
    Baja,
    /// Modificación de salario (IDSE 07).
    ModificacionSalario,
    /// Cambio de régimen (modelled as an 07 with new worker/salary types).
    CambioRegimen,
    /// Biometric enrolment of a worker (face + 10 fingers).
    Biometria,
    /// A pensioner's proof of life (selfie + liveness).
    Supervivencia,
}

impl Action {
    /// All actions, for templates and help.
    pub const ALL: [Action; 7] = [
        Action::Patron,
        Action::Alta,
        Action::Baja,
        Action::ModificacionSalario,
        Action::CambioRegimen,
        Action::Biometria,
        Action::Supervivencia,
    ];

    /// The snake_case name used on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Patron => "patron",
            Action::Alta => "alta",
            Action::Baja => "baja",
            Action::ModificacionSalario => "modificacion_salario",
            Action::CambioRegimen => "cambio_regimen",
            Action::Biometria => "biometria",
            Action::Supervivencia => "supervivencia",
        }
    }

    /// Parses the wire name.
    pub fn parse(s: &str) -> Option<Action> {
        Action::ALL.into_iter().find(|a| a.as_str() == s)
    }

    /// Whether the action is filed by an employer for a registro patronal.
    pub fn needs_employer(self) -> bool {
        !matches!(self, Action::Supervivencia)
    }
}

/// Who signed, as the certificate says (filled in by `build`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Signer {
    /// Holder RFC (the company's, for a persona moral).
    pub rfc: String,
    /// Holder CURP (the representative's, for a persona moral).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub curp: Option<String>,
    /// 20-digit certificate number.
    pub certificate_number: String,
}

/// The employer the action is filed for.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Employer {
    /// Registro patronal IMSS (`^[A-Z]\d{10}$`).
    pub registro_patronal: String,
    /// Razón social (required for `patron`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Salary zone: `general` or `zlfn` (Zona Libre de la Frontera Norte).
    #[serde(default = "default_zone")]
    pub zone: String,
}

fn default_zone() -> String {
    "general".into()
}

/// The worker or pensioner the action is about.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Subject {
    /// Número de Seguridad Social, 11 digits.
    pub nss: String,
    /// CURP, 18 characters.
    pub curp: String,
    /// Full name.
    pub name: String,
    /// RFC, optional.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rfc: Option<String>,
}

/// Fields of an employment movement (alta, baja, salary and regime changes).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Movement {
    /// Effective date, `YYYY-MM-DD`.
    pub date: String,
    /// Tipo de trabajador: 1 permanente, 2 eventual ciudad, 3 eventual construcción, 4 campo.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub worker_type: Option<u8>,
    /// Tipo de salario: 0 fijo, 1 variable, 2 mixto.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub salary_type: Option<u8>,
    /// Semana o jornada reducida: 0 normal, 1–5 days, 6 jornada reducida.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reduced_week: Option<u8>,
    /// Salario base de cotización, daily, pesos.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sbc: Option<f64>,
    /// Causa de baja: `1`–`9` or `A`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cause: Option<String>,
}

/// One of the ten finger positions: an image attachment or an exception.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finger {
    /// ANSI/NIST-ITL position 1–10.
    pub position: u8,
    /// Name of the attachment holding the WSQ image.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attachment: Option<String>,
    /// `XX` amputated or `UP` unable to print, when there is no image.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exception: Option<String>,
    /// Why, when there is an exception.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// With an exception: the attachment holding a photo of the hand as proof (kiosks require
    /// it, with the operator's confirmation).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evidence: Option<String>,
}

/// Biometric content of a `biometria` or `supervivencia` packet.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Biometrics {
    /// Name of the face attachment.
    pub face: String,
    /// The ten positions (biometria); empty for supervivencia.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fingers: Vec<Finger>,
    /// Liveness decision and evidence (supervivencia).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub liveness: Option<serde_json::Value>,
}

/// Capture device description.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Device {
    /// e.g. `"webcam"`, `"U.are.U 4500"`.
    pub model: String,
    /// Serial or other id, if known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub serial: Option<String>,
}

/// Description of one attachment, signed in the manifest.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AttachmentInfo {
    /// Slot name, e.g. `face`, `finger.1`.
    pub name: String,
    /// `image/jpeg`, `image/x-wsq`, …
    pub media_type: String,
    /// SHA-256 (hex) of the plaintext.
    pub sha256: String,
    /// Plaintext size in bytes.
    pub size: u64,
    /// SHA-256 (hex) of the sealed form (`enc || ct`), checkable without the server key.
    pub sealed_sha256: String,
    /// Resolution in pixels per inch (fingerprints).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ppi: Option<u32>,
    /// Quality report from the capture core.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quality: Option<serde_json::Value>,
    /// Capture device.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device: Option<Device>,
}

/// The signed manifest.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    /// What to do.
    pub action: Action,
    /// RFC 3339 signing time (filled in by `build`).
    #[serde(default)]
    pub issued_at: String,
    /// ≥ 128 random bits, base64url (filled in by `build`).
    #[serde(default)]
    pub nonce: String,
    /// Who signs (filled in by `build`).
    #[serde(default)]
    pub signer: Signer,
    /// The employer, for employer actions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub employer: Option<Employer>,
    /// The worker or pensioner.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<Subject>,
    /// Movement fields (alta, baja, modificacion_salario, cambio_regimen).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub movement: Option<Movement>,
    /// Biometric content (biometria, supervivencia).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub biometrics: Option<Biometrics>,
    /// Attachments, described (filled in by `build`).
    #[serde(default)]
    pub attachments: Vec<AttachmentInfo>,
    /// The kiosk operator who attended the person (their own e.firma session), when the packet
    /// was made at a clinic kiosk.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operator: Option<Operator>,
}

/// A kiosk operator, as named in a packet.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Operator {
    /// The operator's RFC (from their FIEL).
    pub rfc: String,
    /// The operator's name (from their FIEL).
    pub name: String,
    /// The operator's certificate number.
    pub certificate_number: String,
    /// The operator confirmed every missing-finger exception in this packet.
    #[serde(default)]
    pub confirmed_exceptions: bool,
    /// Which kiosk (free text set by the clinic).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub kiosk: String,
}

impl Manifest {
    /// Registro patronal, if any.
    pub fn registro_patronal(&self) -> Option<&str> {
        self.employer.as_ref().map(|e| e.registro_patronal.as_str())
    }

    /// The subject's NSS, if any.
    pub fn nss(&self) -> Option<&str> {
        self.subject.as_ref().map(|s| s.nss.as_str())
    }
}
