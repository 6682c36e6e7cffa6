//! Detached CMS `SignedData` (RFC 5652 §5) as OpenSSL's `cms -sign -binary` writes it:
//! SHA-256, RSASSA-PKCS1-v1_5 (`rsaEncryption`), the signer's certificate embedded, and the
//! signed attributes `contentType`, `signingTime` (RFC 5652 §11.3) and `messageDigest`.
//!
//! Signing is split in two so the RSA operation can happen elsewhere (WebCrypto in the
//! browser): [`PreparedCms::to_be_signed`] gives the DER `SET OF Attribute` to sign
//! (§5.4: the signature covers the signed attributes with an explicit SET OF tag), and
//! [`PreparedCms::finish`] wraps the signature into the final `ContentInfo`.

use crate::cer::Certificate;
use crate::time::Timestamp;
use crate::{Error, Result};
use cms::cert::{CertificateChoices, IssuerAndSerialNumber};
use cms::content_info::{CmsVersion, ContentInfo};
use cms::signed_data::{
    CertificateSet, EncapsulatedContentInfo, SignedAttributes, SignedData, SignerIdentifier,
    SignerInfo, SignerInfos,
};
use const_oid::db::{rfc5911, rfc5912};
use der::asn1::{Any, OctetString, SetOfVec, UtcTime};
use der::Encode;
use sha2::{Digest, Sha256};
use spki::AlgorithmIdentifierOwned;
use x509_cert::attr::Attribute;

/// A SignedData waiting for its RSA signature.
pub struct PreparedCms {
    certificate: x509_cert::Certificate,
    signed_attrs: SignedAttributes,
    to_be_signed: Vec<u8>,
}

fn enc_err(_: der::Error) -> Error {
    Error::CorruptCertificate("no se pudo codificar la firma CMS")
}

fn attribute(oid: const_oid::ObjectIdentifier, value: Any) -> Result<Attribute> {
    Ok(Attribute {
        oid,
        values: SetOfVec::try_from(vec![value]).map_err(enc_err)?,
    })
}

impl PreparedCms {
    /// Prepares the signed attributes for `content` signed at `at`.
    pub fn new(cert: &Certificate, content: &[u8], at: Timestamp) -> Result<Self> {
        let digest = Sha256::digest(content);
        let time = at
            .to_der()
            .and_then(|dt| UtcTime::from_date_time(dt).ok())
            .ok_or(Error::UnsupportedAlgorithm(
                "fecha de firma fuera de rango".into(),
            ))?;
        let attrs = vec![
            attribute(
                rfc5911::ID_CONTENT_TYPE,
                Any::encode_from(&rfc5911::ID_DATA).map_err(enc_err)?,
            )?,
            attribute(
                rfc5911::ID_SIGNING_TIME,
                Any::encode_from(&time).map_err(enc_err)?,
            )?,
            attribute(
                rfc5911::ID_MESSAGE_DIGEST,
                Any::encode_from(&OctetString::new(digest.to_vec()).map_err(enc_err)?)
                    .map_err(enc_err)?,
            )?,
        ];
        let signed_attrs: SignedAttributes = SetOfVec::try_from(attrs).map_err(enc_err)?;
        let to_be_signed = signed_attrs.to_der().map_err(enc_err)?;
        Ok(PreparedCms {
            certificate: cert.x509().clone(),
            signed_attrs,
            to_be_signed,
        })
    }

    /// The exact bytes the RSA-SHA256 signature must cover.
    pub fn to_be_signed(&self) -> &[u8] {
        &self.to_be_signed
    }

    /// Assembles the DER `ContentInfo` around an RSA PKCS#1 v1.5 SHA-256 signature.
    pub fn finish(self, signature: &[u8]) -> Result<Vec<u8>> {
        let tbs = self.certificate.tbs_certificate();
        let sha256 = AlgorithmIdentifierOwned {
            oid: rfc5912::ID_SHA_256,
            parameters: None,
        };
        let signer = SignerInfo {
            version: CmsVersion::V1,
            sid: SignerIdentifier::IssuerAndSerialNumber(IssuerAndSerialNumber {
                issuer: tbs.issuer().clone(),
                serial_number: tbs.serial_number().clone(),
            }),
            digest_alg: sha256.clone(),
            signed_attrs: Some(self.signed_attrs),
            signature_algorithm: AlgorithmIdentifierOwned {
                oid: rfc5912::RSA_ENCRYPTION,
                parameters: Some(Any::null()),
            },
            signature: OctetString::new(signature.to_vec()).map_err(enc_err)?,
            unsigned_attrs: None,
        };
        let signed_data = SignedData {
            version: CmsVersion::V1,
            digest_algorithms: SetOfVec::try_from(vec![sha256]).map_err(enc_err)?,
            encap_content_info: EncapsulatedContentInfo {
                econtent_type: rfc5911::ID_DATA,
                econtent: None,
            },
            certificates: Some(CertificateSet(
                SetOfVec::try_from(vec![CertificateChoices::Certificate(self.certificate)])
                    .map_err(enc_err)?,
            )),
            crls: None,
            signer_infos: SignerInfos(SetOfVec::try_from(vec![signer]).map_err(enc_err)?),
        };
        ContentInfo {
            content_type: rfc5911::ID_SIGNED_DATA,
            content: Any::encode_from(&signed_data).map_err(enc_err)?,
        }
        .to_der()
        .map_err(enc_err)
    }
}
