//! Trust anchors and certification paths (RFC 5280 §6, simplified).
//!
//! A [`TrustStore`] is data, not code: SAT's CA certificates (and a test CA in tests), loaded
//! from PEM/DER by the caller. A path is built from the signer upwards through the embedded
//! and stored certificates until an anchor signs it; every certificate on the path must be
//! valid at the verification time (a signature from 2020 is judged with 2020's chain), and
//! every issuer must be allowed to sign certificates (basicConstraints cA, when present).

use crate::cer::Certificate;
use crate::time::Timestamp;
use crate::{Error, Result};
use x509_cert::ext::pkix::BasicConstraints;

/// The CA certificates a signature must chain to.
#[derive(Debug, Clone, Default)]
pub struct TrustStore {
    anchors: Vec<Certificate>,
}

const MAX_DEPTH: usize = 8;

impl TrustStore {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds every certificate in `bytes` (one DER certificate, or PEM with one or more).
    /// Returns how many were added.
    pub fn add(&mut self, bytes: &[u8]) -> Result<usize> {
        if !crate::pem::looks_like_pem(bytes) {
            self.anchors.push(Certificate::from_der(bytes.to_vec())?);
            return Ok(1);
        }
        let text = core::str::from_utf8(bytes)
            .map_err(|_| Error::CorruptCertificate("PEM no es texto"))?;
        let mut added = 0;
        for chunk in text.split_inclusive("-----END CERTIFICATE-----") {
            if chunk.contains("-----BEGIN CERTIFICATE-----") {
                self.anchors
                    .push(Certificate::from_bytes(chunk.as_bytes())?);
                added += 1;
            }
        }
        if added == 0 {
            return Err(Error::CorruptCertificate("el PEM no contiene certificados"));
        }
        Ok(added)
    }

    /// The anchors, for listing on `/health` and at start-up.
    pub fn anchors(&self) -> &[Certificate] {
        &self.anchors
    }

    /// Builds and checks a path from `leaf` to an anchor at time `at`.
    pub fn verify_chain(
        &self,
        leaf: &Certificate,
        pool: &[Certificate],
        at: Timestamp,
    ) -> Result<()> {
        let mut current = leaf.clone();
        for _ in 0..MAX_DEPTH {
            current.check_validity(at)?;
            if let Some(anchor) = self.anchors.iter().find(|a| current.is_signed_by(a)) {
                return check_issuer(anchor, at);
            }
            let next = pool
                .iter()
                .chain(self.anchors.iter())
                .find(|c| c.der() != current.der() && current.is_signed_by(c))
                .cloned();
            match next {
                Some(issuer) => {
                    check_issuer(&issuer, at)?;
                    current = issuer;
                }
                None => return Err(Error::UntrustedChain("emisor desconocido")),
            }
        }
        Err(Error::UntrustedChain("cadena demasiado larga"))
    }
}

fn check_issuer(issuer: &Certificate, at: Timestamp) -> Result<()> {
    issuer
        .check_validity(at)
        .map_err(|_| Error::UntrustedChain("la autoridad emisora no era válida en esa fecha"))?;
    let bc = issuer
        .x509()
        .tbs_certificate()
        .get_extension::<BasicConstraints>()
        .ok()
        .flatten();
    match bc {
        Some((_, bc)) if !bc.ca => Err(Error::UntrustedChain("el emisor no es una autoridad")),
        _ => Ok(()),
    }
}
