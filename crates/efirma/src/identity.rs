//! Who a SAT certificate belongs to (domain.md §9).
//!
//! SAT encodes identity in the subject: `x500UniqueIdentifier` (2.5.4.45) holds the RFC — for a
//! persona moral `"RFC_company / RFC_representative"` — and `serialNumber` (2.5.4.5) holds the
//! CURP — for a moral `" / CURP_representative"`. The certificate number is the serial
//! number's bytes read as ASCII digits. FIEL and CSD are told apart by the OU *and* the key
//! usage together; when they disagree the kind is [`Kind::Unknown`] and flows needing a FIEL
//! refuse it.

use crate::text::directory_string;
use crate::time::Timestamp;
use crate::{Error, Result};
use const_oid::db::rfc4519;
use const_oid::ObjectIdentifier;
use der::Decode;
use serde::Serialize;
use x509_cert::ext::pkix::{ExtendedKeyUsage, KeyUsage};
use x509_cert::name::Name;

const OID_X500_UNIQUE_ID: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.4.45");
const OID_SERIAL_NUMBER: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.4.5");
const OID_NAME: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.4.41");
const OID_EMAIL: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.1");
const OID_KEY_USAGE: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.15");
const OID_EXT_KEY_USAGE: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.37");
const OID_CLIENT_AUTH: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.3.2");
const OID_EMAIL_PROTECTION: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.3.4");

/// FIEL (e.firma, signs as a person) or CSD (sello digital, seals invoices).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Kind {
    /// e.firma: key usage includes data encipherment / key agreement, no OU.
    #[serde(rename = "FIEL")]
    Fiel,
    /// Certificado de sello digital: digitalSignature + nonRepudiation only, OU = branch.
    #[serde(rename = "CSD")]
    Csd,
    /// OU and key usage disagree, or neither pattern matches.
    #[serde(rename = "UNKNOWN")]
    Unknown,
}

impl Kind {
    /// `"FIEL"`, `"CSD"` or `"UNKNOWN"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Fiel => "FIEL",
            Kind::Csd => "CSD",
            Kind::Unknown => "UNKNOWN",
        }
    }
}

/// Identity and metadata of a certificate, ready to display or serialise.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Identity {
    /// The holder's RFC (the company's, for a persona moral).
    pub rfc: String,
    /// The holder's CURP; `None` for a persona moral.
    pub curp: Option<String>,
    /// Name or company name (CN).
    pub name: String,
    /// `true` when the holder is a persona moral (12-character RFC).
    pub persona_moral: bool,
    /// For a persona moral: the legal representative's RFC.
    pub representative_rfc: Option<String>,
    /// For a persona moral: the legal representative's CURP.
    pub representative_curp: Option<String>,
    /// The 20-digit certificate number (serial bytes as ASCII), or the serial in hex.
    pub certificate_number: String,
    /// Issuer common name (or full DN when it has no CN).
    pub issuer: String,
    /// Organizational unit: the branch, for a CSD.
    pub organizational_unit: Option<String>,
    /// e-mail in the subject (FIEL).
    pub email: Option<String>,
    /// Start of validity.
    pub not_before: Timestamp,
    /// End of validity.
    pub not_after: Timestamp,
    /// FIEL or CSD.
    pub kind: Kind,
    /// keyUsage bits, by RFC 5280 name.
    pub key_usage: Vec<&'static str>,
    /// extendedKeyUsage purposes, by name or OID.
    pub extended_key_usage: Vec<String>,
}

impl Identity {
    pub(crate) fn from_certificate(cert: &x509_cert::Certificate) -> Result<Self> {
        let tbs = cert.tbs_certificate();
        let subject = tbs.subject();
        let unique = attr(subject, OID_X500_UNIQUE_ID).unwrap_or_default();
        let serial_attr = attr(subject, OID_SERIAL_NUMBER).unwrap_or_default();
        let (rfc, representative_rfc) = split_pair(&unique);
        let (curp, representative_curp) = split_pair(&serial_attr);
        let name = attr(subject, rfc4519::CN)
            .or_else(|| attr(subject, OID_NAME))
            .or_else(|| attr(subject, rfc4519::O))
            .unwrap_or_default();
        let organizational_unit = attr(subject, rfc4519::OU);
        let issuer = attr(tbs.issuer(), rfc4519::CN)
            .or_else(|| attr(tbs.issuer(), rfc4519::O))
            .unwrap_or_else(|| tbs.issuer().to_string());

        let (key_usage, ku) = key_usage(tbs)?;
        let extended_key_usage = extended_key_usage(tbs)?;
        let kind = classify(
            organizational_unit.is_some(),
            ku.as_ref(),
            &extended_key_usage,
        );
        let rfc = rfc.unwrap_or_default();
        Ok(Identity {
            persona_moral: rfc.chars().count() == 12,
            rfc,
            curp,
            name,
            representative_rfc,
            representative_curp,
            certificate_number: certificate_number(tbs.serial_number().as_bytes()),
            issuer,
            organizational_unit,
            email: attr(subject, OID_EMAIL),
            not_before: Timestamp::from_der(tbs.validity().not_before.to_date_time()),
            not_after: Timestamp::from_der(tbs.validity().not_after.to_date_time()),
            kind,
            key_usage,
            extended_key_usage,
        })
    }
}

/// First value of `oid` in `name`, decoded leniently.
fn attr(name: &Name, oid: ObjectIdentifier) -> Option<String> {
    name.iter()
        .find(|atv| atv.oid == oid)
        .map(|atv| directory_string(atv.value.to_ref()).trim().to_owned())
}

/// `"A / B"` → `(Some("A"), Some("B"))`; `" / B"` → `(None, Some("B"))`; `"A"` → `(Some("A"), None)`.
fn split_pair(s: &str) -> (Option<String>, Option<String>) {
    let clean = |p: &str| {
        let t = p.split_whitespace().next().unwrap_or("").to_uppercase();
        (!t.is_empty()).then_some(t)
    };
    match s.split_once('/') {
        Some((a, b)) => (clean(a), clean(b)),
        None => (clean(s), None),
    }
}

fn certificate_number(serial: &[u8]) -> String {
    let digits: &[u8] = match serial.first() {
        Some(0) => &serial[1..],
        _ => serial,
    };
    if !digits.is_empty() && digits.iter().all(u8::is_ascii_digit) {
        digits.iter().map(|&b| b as char).collect()
    } else {
        serial.iter().map(|b| format!("{b:02x}")).collect()
    }
}

type TbsCert = x509_cert::TbsCertificate;

fn extension_value(tbs: &TbsCert, oid: ObjectIdentifier) -> Option<&[u8]> {
    tbs.extensions()?
        .iter()
        .find(|e| e.extn_id == oid)
        .map(|e| e.extn_value.as_bytes())
}

fn key_usage(tbs: &TbsCert) -> Result<(Vec<&'static str>, Option<KeyUsage>)> {
    let Some(bytes) = extension_value(tbs, OID_KEY_USAGE) else {
        return Ok((Vec::new(), None));
    };
    let ku = KeyUsage::from_der(bytes)
        .map_err(|_| Error::CorruptCertificate("extensión keyUsage ilegible"))?;
    let names = [
        (ku.digital_signature(), "digitalSignature"),
        (ku.non_repudiation(), "nonRepudiation"),
        (ku.key_encipherment(), "keyEncipherment"),
        (ku.data_encipherment(), "dataEncipherment"),
        (ku.key_agreement(), "keyAgreement"),
        (ku.key_cert_sign(), "keyCertSign"),
        (ku.crl_sign(), "cRLSign"),
    ]
    .into_iter()
    .filter_map(|(on, name)| on.then_some(name))
    .collect();
    Ok((names, Some(ku)))
}

fn extended_key_usage(tbs: &TbsCert) -> Result<Vec<String>> {
    let Some(bytes) = extension_value(tbs, OID_EXT_KEY_USAGE) else {
        return Ok(Vec::new());
    };
    let eku = ExtendedKeyUsage::from_der(bytes)
        .map_err(|_| Error::CorruptCertificate("extensión extendedKeyUsage ilegible"))?;
    Ok(eku
        .0
        .iter()
        .map(|oid| match *oid {
            OID_CLIENT_AUTH => "clientAuth".to_owned(),
            OID_EMAIL_PROTECTION => "emailProtection".to_owned(),
            other => other.to_string(),
        })
        .collect())
}

/// FIEL: no OU and a key usage beyond signing (dataEncipherment or keyAgreement).
/// CSD: an OU and a key usage of digitalSignature + nonRepudiation only.
fn classify(has_ou: bool, ku: Option<&KeyUsage>, _eku: &[String]) -> Kind {
    let Some(ku) = ku else { return Kind::Unknown };
    let signs = ku.digital_signature() && ku.non_repudiation();
    let beyond = ku.data_encipherment() || ku.key_agreement() || ku.key_encipherment();
    match (has_ou, signs, beyond) {
        (false, true, true) => Kind::Fiel,
        (true, true, false) => Kind::Csd,
        _ => Kind::Unknown,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_moral_pairs() {
        assert_eq!(
            split_pair("AAA010101AAA / HEGT7610034S2"),
            (Some("AAA010101AAA".into()), Some("HEGT7610034S2".into()))
        );
        assert_eq!(
            split_pair(" / HEGT761003MDFRNN09"),
            (None, Some("HEGT761003MDFRNN09".into()))
        );
        assert_eq!(
            split_pair("LOMA900315H77"),
            (Some("LOMA900315H77".into()), None)
        );
    }

    #[test]
    fn certificate_number_is_ascii_serial() {
        assert_eq!(
            certificate_number(b"30001000000300023685"),
            "30001000000300023685"
        );
        assert_eq!(certificate_number(&[0x01, 0xff]), "01ff");
    }
}
