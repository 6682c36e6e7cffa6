//! X.509 certificates (RFC 5280) as SAT issues them: `.cer` files in DER, sometimes PEM.
//!
//! [`Certificate`] keeps the **original bytes** next to the parsed structure: signatures are
//! always verified over, and certificates always forwarded as, exactly what the issuer signed.

use crate::identity::Identity;
use crate::time::Timestamp;
use crate::{Error, Result};
use der::{Decode, Reader, SliceReader};

/// A parsed certificate plus its original DER bytes.
#[derive(Clone)]
pub struct Certificate {
    der: Vec<u8>,
    inner: x509_cert::Certificate,
    identity: Identity,
}

impl core::fmt::Debug for Certificate {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Certificate")
            .field("certificate_number", &self.identity.certificate_number)
            .field("rfc", &self.identity.rfc)
            .finish_non_exhaustive()
    }
}

impl Certificate {
    /// Parses a `.cer`: DER, or PEM (`-----BEGIN CERTIFICATE-----`).
    pub fn from_bytes(bytes: &[u8]) -> Result<Self> {
        let der = if crate::pem::looks_like_pem(bytes) {
            let block =
                crate::pem::parse(bytes).map_err(|_| Error::CorruptCertificate("PEM ilegible"))?;
            if block.label != "CERTIFICATE" && block.label != "X509 CERTIFICATE" {
                return Err(Error::CorruptCertificate(
                    "el PEM no contiene un certificado",
                ));
            }
            block.der.to_vec()
        } else {
            bytes.to_vec()
        };
        Self::from_der(der)
    }

    /// Parses DER bytes, keeping them verbatim.
    pub fn from_der(der: Vec<u8>) -> Result<Self> {
        let inner = x509_cert::Certificate::from_der(&der)
            .map_err(|_| Error::CorruptCertificate("estructura X.509 inválida"))?;
        let identity = Identity::from_certificate(&inner)?;
        Ok(Certificate {
            der,
            inner,
            identity,
        })
    }

    /// The original DER bytes.
    pub fn der(&self) -> &[u8] {
        &self.der
    }

    /// The parsed structure.
    pub fn x509(&self) -> &x509_cert::Certificate {
        &self.inner
    }

    /// Who holds this certificate, as SAT encodes it.
    pub fn identity(&self) -> &Identity {
        &self.identity
    }

    /// Subject public key.
    pub fn public_key_info(&self) -> &x509_cert::SubjectPublicKeyInfo {
        self.inner.tbs_certificate().subject_public_key_info()
    }

    /// RSA public key of the subject.
    pub fn rsa_public_key(&self) -> Result<rsa::PublicKey> {
        use spki::DecodePublicKey;
        let spki_der = der::Encode::to_der(self.public_key_info())
            .map_err(|_| Error::CorruptCertificate("llave pública ilegible"))?;
        rsa::PublicKey::from_public_key_der(&spki_der)
            .map_err(|_| Error::UnsupportedAlgorithm("llave pública no RSA".into()))
    }

    /// Modulus and exponent of the subject's RSA key (big-endian, no leading zeros), without
    /// building a bignum key.
    pub(crate) fn rsa_public_parts(&self) -> Result<(Vec<u8>, Vec<u8>)> {
        let spki = self.public_key_info();
        if spki.algorithm.oid != const_oid::db::rfc5912::RSA_ENCRYPTION {
            return Err(Error::UnsupportedAlgorithm("llave pública no RSA".into()));
        }
        let bits = spki
            .subject_public_key
            .as_bytes()
            .ok_or(Error::CorruptCertificate("llave pública ilegible"))?;
        let key = pkcs1::RsaPublicKeyRef::from_der(bits)
            .map_err(|_| Error::CorruptCertificate("llave pública ilegible"))?;
        Ok((
            crate::key::strip_zeros(key.modulus.as_bytes()).to_vec(),
            crate::key::strip_zeros(key.public_exponent.as_bytes()).to_vec(),
        ))
    }

    /// Checks `at` lies within the validity period.
    pub fn check_validity(&self, at: Timestamp) -> Result<()> {
        let id = &self.identity;
        if at < id.not_before {
            return Err(Error::NotYetValid {
                not_before: id.not_before,
                at,
            });
        }
        if at > id.not_after {
            return Err(Error::Expired {
                not_after: id.not_after,
                at,
            });
        }
        Ok(())
    }

    /// The exact `tbsCertificate` bytes the issuer signed (RFC 5280 §4.1.1.3), the
    /// signature algorithm OID and the signature bits, taken from the original encoding.
    pub(crate) fn signed_parts(&self) -> Result<(&[u8], const_oid::ObjectIdentifier, &[u8])> {
        let bad = |_| Error::CorruptCertificate("estructura X.509 inválida");
        let mut outer = SliceReader::new(&self.der).map_err(bad)?;
        der::Header::decode(&mut outer).map_err(bad)?;
        let tbs = outer.tlv_bytes().map_err(bad)?;
        let alg = self.inner.signature_algorithm().oid;
        let sig = self
            .inner
            .signature()
            .as_bytes()
            .ok_or(Error::CorruptCertificate("firma con bits sobrantes"))?;
        Ok((tbs, alg, sig))
    }

    /// Whether `issuer` signed this certificate (names match and the signature verifies).
    pub fn is_signed_by(&self, issuer: &Certificate) -> bool {
        if self.inner.tbs_certificate().issuer() != issuer.inner.tbs_certificate().subject() {
            return false;
        }
        let Ok((tbs, alg, sig)) = self.signed_parts() else {
            return false;
        };
        let Ok(key) = issuer.rsa_public_key() else {
            return false;
        };
        crate::rsa_sig::verify_with_oid(&key, alg, tbs, sig).is_ok()
    }
}
