//! The one error type of this crate, with stable machine codes and Spanish/English messages.

use crate::time::Timestamp;

/// Everything that can go wrong opening a credential, signing or verifying.
///
/// Every variant has a stable [`Error::code`] (used by the CLI, the JS layer and the server)
/// and two human messages: [`Error::message_es`] (shown in the UI; also `Display`) and
/// [`Error::message_en`]. No variant ever carries key material or a password.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The key file decrypted to garbage or failed the encrypted container's integrity check:
    /// the password does not open it.
    #[error("{}", self.message_es())]
    BadPassword,
    /// The key file is not a readable private key in any supported format.
    #[error("{}", self.message_es())]
    CorruptKey(&'static str),
    /// The certificate file is not a readable X.509 certificate.
    #[error("{}", self.message_es())]
    CorruptCertificate(&'static str),
    /// The private key is not the one whose public half is in the certificate.
    #[error("{}", self.message_es())]
    KeyMismatch,
    /// The certificate's validity ended before the time in question.
    #[error("{}", self.message_es())]
    Expired { not_after: Timestamp, at: Timestamp },
    /// The certificate's validity starts after the time in question.
    #[error("{}", self.message_es())]
    NotYetValid {
        not_before: Timestamp,
        at: Timestamp,
    },
    /// A FIEL (e.firma) was required, but this is a CSD (sello digital) or unclassifiable.
    #[error("{}", self.message_es())]
    NotFiel,
    /// A cipher, KDF, digest or key type we do not implement.
    #[error("{}", self.message_es())]
    UnsupportedAlgorithm(String),
    /// The signer's certificate does not chain to any configured trust anchor.
    #[error("{}", self.message_es())]
    UntrustedChain(&'static str),
    /// The signature does not match the data, or is not a well-formed signature.
    #[error("{}", self.message_es())]
    BadSignature(&'static str),
}

/// Shorthand for results of this crate.
pub type Result<T> = core::result::Result<T, Error>;

impl Error {
    /// Stable machine code, e.g. `bad_password`.
    pub fn code(&self) -> &'static str {
        match self {
            Error::BadPassword => "bad_password",
            Error::CorruptKey(_) => "corrupt_key",
            Error::CorruptCertificate(_) => "corrupt_certificate",
            Error::KeyMismatch => "key_mismatch",
            Error::Expired { .. } => "expired",
            Error::NotYetValid { .. } => "not_yet_valid",
            Error::NotFiel => "not_fiel",
            Error::UnsupportedAlgorithm(_) => "unsupported_algorithm",
            Error::UntrustedChain(_) => "untrusted_chain",
            Error::BadSignature(_) => "bad_signature",
        }
    }

    /// Message for people, in Spanish (the UI language).
    pub fn message_es(&self) -> String {
        match self {
            Error::BadPassword => "La contraseña de la clave privada no es correcta.".into(),
            Error::CorruptKey(why) => {
                format!("El archivo .key no es una clave privada válida o está dañado ({why}).")
            }
            Error::CorruptCertificate(why) => {
                format!("El archivo .cer no es un certificado válido o está dañado ({why}).")
            }
            Error::KeyMismatch => {
                "La clave privada (.key) no corresponde al certificado (.cer).".into()
            }
            Error::Expired { not_after, at } => format!(
                "El certificado venció el {} (fecha consultada: {}).",
                not_after.to_rfc3339(),
                at.to_rfc3339()
            ),
            Error::NotYetValid { not_before, at } => format!(
                "El certificado aún no es válido: su vigencia inicia el {} (fecha consultada: {}).",
                not_before.to_rfc3339(),
                at.to_rfc3339()
            ),
            Error::NotFiel => {
                "Este certificado no es una e.firma (FIEL); parece un sello digital (CSD).".into()
            }
            Error::UnsupportedAlgorithm(what) => {
                format!("Algoritmo no soportado: {what}.")
            }
            Error::UntrustedChain(why) => {
                format!("El certificado no fue emitido por una autoridad de confianza ({why}).")
            }
            Error::BadSignature(why) => format!("La firma no es válida ({why})."),
        }
    }

    /// Message for people, in English.
    pub fn message_en(&self) -> String {
        match self {
            Error::BadPassword => "The private key password is wrong.".into(),
            Error::CorruptKey(why) => format!("The .key file is not a valid private key ({why})."),
            Error::CorruptCertificate(why) => {
                format!("The .cer file is not a valid certificate ({why}).")
            }
            Error::KeyMismatch => "The private key does not belong to the certificate.".into(),
            Error::Expired { not_after, at } => format!(
                "The certificate expired on {} (checked at {}).",
                not_after.to_rfc3339(),
                at.to_rfc3339()
            ),
            Error::NotYetValid { not_before, at } => format!(
                "The certificate is not valid before {} (checked at {}).",
                not_before.to_rfc3339(),
                at.to_rfc3339()
            ),
            Error::NotFiel => {
                "This certificate is not an e.firma (FIEL); it looks like a CSD.".into()
            }
            Error::UnsupportedAlgorithm(what) => format!("Unsupported algorithm: {what}."),
            Error::UntrustedChain(why) => {
                format!("The certificate does not chain to a trusted authority ({why}).")
            }
            Error::BadSignature(why) => format!("The signature is not valid ({why})."),
        }
    }
}
