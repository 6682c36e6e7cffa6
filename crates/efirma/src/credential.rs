//! A certificate and its private key, opened together and checked to belong together.

use crate::cer::Certificate;
use crate::identity::{Identity, Kind};
use crate::key::PrivateKey;
use crate::time::Timestamp;
use crate::{cms_sign, rsa_sig::Hash, Error, Result};

/// An opened e.firma or CSD: certificate + decrypted private key.
///
/// The key is wiped from memory when the credential is dropped; `Debug` shows only the
/// certificate number and RFC. The password is used to decrypt and then forgotten.
pub struct Credential {
    certificate: Certificate,
    key: PrivateKey,
}

impl core::fmt::Debug for Credential {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Credential")
            .field("certificate", &self.certificate)
            .field("key", &self.key)
            .finish()
    }
}

impl Credential {
    /// Opens `cer` (DER/PEM) and `key` (encrypted PKCS#8 DER/PEM, traditional PEM, or PKCS#12)
    /// with `password`, and checks the key is the certificate's.
    ///
    /// `cer` may be empty when `key` is a PKCS#12 file that carries the certificate.
    pub fn open(cer: &[u8], key: &[u8], password: &str) -> Result<Self> {
        // Parse the certificate first: a corrupt .cer is reported even with a wrong password.
        let given = if cer.is_empty() {
            None
        } else {
            Some(Certificate::from_bytes(cer)?)
        };
        let opened = crate::key::open(key, password)?;
        let certificate = match (given, opened.certificate) {
            (Some(c), _) => c,
            (None, Some(der)) => Certificate::from_der(der)?,
            (None, None) => {
                return Err(Error::CorruptCertificate("falta el certificado (.cer)"));
            }
        };
        let cred = Credential {
            certificate,
            key: opened.key,
        };
        cred.check_key_matches()?;
        Ok(cred)
    }

    fn check_key_matches(&self) -> Result<()> {
        let (n, e) = self.certificate.rsa_public_parts()?;
        let (kn, ke) = self.key.public_parts();
        if n == kn && e == ke {
            Ok(())
        } else {
            Err(Error::KeyMismatch)
        }
    }

    /// The certificate.
    pub fn certificate(&self) -> &Certificate {
        &self.certificate
    }

    /// The holder's identity.
    pub fn identity(&self) -> &Identity {
        self.certificate.identity()
    }

    /// Fails with `not_fiel` unless this is an e.firma.
    pub fn require_fiel(&self) -> Result<()> {
        match self.identity().kind {
            Kind::Fiel => Ok(()),
            _ => Err(Error::NotFiel),
        }
    }

    /// Unencrypted PKCS#8 DER of the key, to import into WebCrypto as non-extractable.
    pub fn pkcs8_der(&self) -> &[u8] {
        self.key.pkcs8_der()
    }

    /// Detached CMS SignedData over `content` (RFC 5652), signed at `at`.
    ///
    /// Refuses with `expired` / `not_yet_valid` when `at` is outside the certificate's validity.
    pub fn sign_cms(&self, content: &[u8], at: Timestamp) -> Result<Vec<u8>> {
        self.certificate.check_validity(at)?;
        let prepared = cms_sign::PreparedCms::new(&self.certificate, content, at)?;
        let signature = self.sign_raw(prepared.to_be_signed())?;
        prepared.finish(&signature)
    }

    /// Raw RSASSA-PKCS1-v1_5 SHA-256 signature over `content` (SAT "sello" style).
    pub fn sign_pkcs1(&self, content: &[u8], at: Timestamp) -> Result<Vec<u8>> {
        self.certificate.check_validity(at)?;
        self.sign_raw(content)
    }

    fn sign_raw(&self, data: &[u8]) -> Result<Vec<u8>> {
        let hash = Hash::Sha256;
        self.key
            .rsa()?
            .sign(hash.padding(), &hash.digest(data))
            .map_err(|_| Error::UnsupportedAlgorithm("firma RSA".into()))
    }
}
