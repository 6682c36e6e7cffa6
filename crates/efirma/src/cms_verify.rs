//! Verification of detached CMS `SignedData` (RFC 5652 §5.6) — the same code in the CLI, the
//! browser and the server.
//!
//! Checks, in order: the structure (`bad_signature`), the message digest and the RSA signature
//! over the signed attributes (`bad_signature`), then — when a trust store is given — the chain
//! to an anchor and every certificate's validity at the verification time (`untrusted_chain`,
//! `expired`, `not_yet_valid`).

use crate::cer::Certificate;
use crate::chain::TrustStore;
use crate::rsa_sig::Hash;
use crate::time::Timestamp;
use crate::{Error, Result};
use cms::cert::CertificateChoices;
use cms::content_info::ContentInfo;
use cms::signed_data::{SignedData, SignerIdentifier, SignerInfo};
use const_oid::db::{rfc5911, rfc5912};
use der::asn1::{OctetString, UtcTime};
use der::{Decode, Encode};
use x509_cert::time::Time;

/// What to check beyond the signature itself.
#[derive(Default, Clone, Copy)]
pub struct VerifyOptions<'a> {
    /// Anchors the signer must chain to; `None` skips the chain (signature and digest only).
    pub trust: Option<&'a TrustStore>,
    /// When to judge validity; `None` uses the signed `signingTime` (or skips the check if
    /// there is none).
    pub at: Option<Timestamp>,
}

/// A signature that verified, with who made it.
#[derive(Debug, Clone)]
pub struct Verified {
    /// The signer's certificate, as embedded.
    pub signer: Certificate,
    /// The signed `signingTime` attribute, if present.
    pub signing_time: Option<Timestamp>,
    /// `true` when the chain to a trust anchor was checked.
    pub chain_checked: bool,
}

fn bad(why: &'static str) -> impl Fn(der::Error) -> Error {
    move |_| Error::BadSignature(why)
}

/// Verifies a detached CMS signature `sig` (DER, or PEM `-----BEGIN PKCS7-----`/`CMS`) over `content`.
pub fn verify_cms(sig: &[u8], content: &[u8], opts: VerifyOptions<'_>) -> Result<Verified> {
    let pem;
    let der_bytes = if crate::pem::looks_like_pem(sig) {
        pem = crate::pem::parse(sig).map_err(|_| Error::BadSignature("PEM ilegible"))?;
        pem.der.as_slice()
    } else {
        sig
    };
    let ci = ContentInfo::from_der(der_bytes).map_err(bad("no es una firma CMS"))?;
    if ci.content_type != rfc5911::ID_SIGNED_DATA {
        return Err(Error::BadSignature("el CMS no es SignedData"));
    }
    let sd: SignedData = ci.content.decode_as().map_err(bad("SignedData inválido"))?;
    if let Some(econtent) = &sd.encap_content_info.econtent {
        // Attached signature: the embedded content must be the content we were given.
        let inner = econtent
            .decode_as::<OctetString>()
            .map_err(bad("contenido encapsulado inválido"))?;
        if inner.as_bytes() != content {
            return Err(Error::BadSignature("el contenido no coincide"));
        }
    }
    let si = sd
        .signer_infos
        .0
        .iter()
        .next()
        .ok_or(Error::BadSignature("sin firmantes"))?;
    let embedded = embedded_certificates(&sd)?;
    let signer = embedded
        .iter()
        .find(|c| matches_sid(c, &si.sid))
        .cloned()
        .ok_or(Error::BadSignature("falta el certificado del firmante"))?;
    let signing_time = check_signer_info(si, &signer, content)?;

    let mut chain_checked = false;
    if let Some(at) = opts.at.or(signing_time) {
        signer.check_validity(at)?;
        if let Some(trust) = opts.trust {
            trust.verify_chain(&signer, &embedded, at)?;
            chain_checked = true;
        }
    } else if opts.trust.is_some() {
        return Err(Error::UntrustedChain("sin fecha para validar la cadena"));
    }
    Ok(Verified {
        signer,
        signing_time,
        chain_checked,
    })
}

fn embedded_certificates(sd: &SignedData) -> Result<Vec<Certificate>> {
    let mut out = Vec::new();
    if let Some(set) = &sd.certificates {
        for choice in set.0.iter() {
            if let CertificateChoices::Certificate(c) = choice {
                let der = c.to_der().map_err(bad("certificado embebido inválido"))?;
                out.push(Certificate::from_der(der)?);
            }
        }
    }
    Ok(out)
}

fn matches_sid(cert: &Certificate, sid: &SignerIdentifier) -> bool {
    let tbs = cert.x509().tbs_certificate();
    match sid {
        SignerIdentifier::IssuerAndSerialNumber(isn) => {
            &isn.issuer == tbs.issuer() && &isn.serial_number == tbs.serial_number()
        }
        SignerIdentifier::SubjectKeyIdentifier(ski) => tbs
            .get_extension::<x509_cert::ext::pkix::SubjectKeyIdentifier>()
            .ok()
            .flatten()
            .is_some_and(|(_, own)| own == *ski),
    }
}

/// Digest + RSA checks; returns the signingTime attribute if present.
fn check_signer_info(
    si: &SignerInfo,
    signer: &Certificate,
    content: &[u8],
) -> Result<Option<Timestamp>> {
    let hash = Hash::from_digest_oid(si.digest_alg.oid)?;
    let sig_alg = si.signature_algorithm.oid;
    let sig_hash = match sig_alg {
        rfc5912::RSA_ENCRYPTION => hash,
        other => Hash::from_signature_oid(other)?,
    };
    let key = signer.rsa_public_key()?;
    let digest = hash.digest(content);
    let mut signing_time = None;
    let signed: Vec<u8> = match &si.signed_attrs {
        None => content.to_vec(),
        Some(attrs) => {
            let mut digest_ok = false;
            let mut type_ok = false;
            for attr in attrs.iter() {
                let Some(value) = attr.values.iter().next() else {
                    continue;
                };
                match attr.oid {
                    rfc5911::ID_MESSAGE_DIGEST => {
                        let md: OctetString =
                            value.decode_as().map_err(bad("messageDigest inválido"))?;
                        digest_ok = md.as_bytes() == digest.as_slice();
                    }
                    rfc5911::ID_CONTENT_TYPE => {
                        type_ok = value.decode_as::<const_oid::ObjectIdentifier>().ok()
                            == Some(rfc5911::ID_DATA);
                    }
                    rfc5911::ID_SIGNING_TIME => {
                        let t = Time::from_der(&value.to_der().map_err(bad("signingTime"))?)
                            .or_else(|_| value.decode_as::<UtcTime>().map(Time::UtcTime))
                            .map_err(bad("signingTime inválido"))?;
                        signing_time = Some(Timestamp::from_der(t.to_date_time()));
                    }
                    _ => {}
                }
            }
            if !digest_ok {
                return Err(Error::BadSignature(
                    "el contenido no coincide con lo firmado",
                ));
            }
            if !type_ok {
                return Err(Error::BadSignature(
                    "contentType ausente o distinto de data",
                ));
            }
            attrs
                .to_der()
                .map_err(bad("atributos firmados inválidos"))?
        }
    };
    key.verify(
        sig_hash.padding(),
        &sig_hash.digest(&signed),
        si.signature.as_bytes(),
    )
    .map_err(|_| Error::BadSignature("la firma RSA no corresponde"))?;
    Ok(signing_time)
}

/// Verifies a raw RSASSA-PKCS1-v1_5 SHA-256 signature (SAT "sello") with a certificate's key.
pub fn verify_pkcs1(cert: &Certificate, content: &[u8], sig: &[u8]) -> Result<()> {
    let hash = Hash::Sha256;
    cert.rsa_public_key()?
        .verify(hash.padding(), &hash.digest(content), sig)
        .map_err(|_| Error::BadSignature("la firma RSA no corresponde"))
}
