//! The one error type of the packet contract, each failure with its own stable code.
//!
//! The codes are the order of checks of `design.md` §4; the server maps them onto HTTP
//! statuses and the browser shows their messages.

/// Why a packet or manifest was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Not a `huella.packet/1` JSON document, bad base64, or a manifest that is not JSON of the
    /// expected shape.
    #[error("formato de paquete inválido: {0}")]
    BadFormat(String),
    /// The CMS signature does not verify over the payload bytes.
    #[error("{0}")]
    BadSignature(String),
    /// The signer's certificate does not chain to a configured trust anchor.
    #[error("{0}")]
    UntrustedChain(String),
    /// The certificate was not valid at `issued_at` (expired or not yet valid).
    #[error("{0}")]
    Expired(String),
    /// Signed with a CSD (sello digital) or an unclassifiable certificate instead of a FIEL.
    #[error("el certificado no es una e.firma (FIEL)")]
    NotFiel,
    /// The manifest's `signer` is not who signed (RFC, CURP or certificate number differ).
    #[error("el firmante declarado no coincide con el certificado: {0}")]
    SignerMismatch(String),
    /// An attachment is missing, extra, or its bytes do not match the signed digest.
    #[error("adjunto alterado o faltante: {0}")]
    AttachmentDigest(String),
    /// A sealed attachment could not be opened (unknown key id or failed decryption).
    #[error("no se pudo abrir el adjunto cifrado: {0}")]
    Unseal(String),
    /// `issued_at` is outside the freshness window.
    #[error("paquete fuera de la ventana de vigencia: {0}")]
    Stale(String),
    /// The nonce was already used by a different packet (server).
    #[error("nonce ya utilizado por otro paquete")]
    Replay,
    /// The signer may not act for this employer or subject (server).
    #[error("no autorizado: {0}")]
    NotAuthorized(String),
    /// The manifest breaks a domain rule (check digit, SBC limits, movement fields…).
    #[error("manifiesto inválido en `{field}`: {reason}")]
    InvalidManifest {
        /// JSON path of the offending field, e.g. `subject.nss`.
        field: String,
        /// What is wrong, in Spanish.
        reason: String,
    },
    /// Building a packet failed (credential refused, randomness unavailable, bad key).
    #[error("no se pudo construir el paquete: {0}")]
    Build(String),
}

/// Shorthand for results of this crate.
pub type Result<T> = core::result::Result<T, Error>;

impl Error {
    /// Stable machine code, e.g. `attachment_digest`.
    pub fn code(&self) -> &'static str {
        match self {
            Error::BadFormat(_) => "bad_format",
            Error::BadSignature(_) => "bad_signature",
            Error::UntrustedChain(_) => "untrusted_chain",
            Error::Expired(_) => "expired",
            Error::NotFiel => "not_fiel",
            Error::SignerMismatch(_) => "signer_mismatch",
            Error::AttachmentDigest(_) => "attachment_digest",
            Error::Unseal(_) => "unseal_failed",
            Error::Stale(_) => "stale",
            Error::Replay => "replay",
            Error::NotAuthorized(_) => "not_authorized",
            Error::InvalidManifest { .. } => "invalid_manifest",
            Error::Build(_) => "build_failed",
        }
    }

    pub(crate) fn invalid(field: impl Into<String>, reason: impl Into<String>) -> Self {
        Error::InvalidManifest {
            field: field.into(),
            reason: reason.into(),
        }
    }

    /// Maps an e.firma verification error onto the packet's check order.
    pub(crate) fn from_efirma(e: efirma::Error) -> Self {
        match e.code() {
            "untrusted_chain" => Error::UntrustedChain(e.to_string()),
            "expired" | "not_yet_valid" => Error::Expired(e.to_string()),
            "not_fiel" => Error::NotFiel,
            _ => Error::BadSignature(e.to_string()),
        }
    }
}
