//! RSASSA-PKCS1-v1_5 (RFC 8017 §8.2) with the digest named by an AlgorithmIdentifier OID.

use crate::{Error, Result};
use const_oid::db::rfc5912;
use const_oid::ObjectIdentifier;
use rsa::{Pkcs1v15Sign, PublicKey as RsaPublicKey};
use sha2::Digest;

/// Digests we accept in signatures: SHA-256/384/512, and SHA-1 for old SAT CA certificates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Hash {
    Sha1,
    Sha256,
    Sha384,
    Sha512,
}

impl Hash {
    /// From a digest OID (CMS digestAlgorithm).
    pub(crate) fn from_digest_oid(oid: ObjectIdentifier) -> Result<Self> {
        match oid {
            rfc5912::ID_SHA_1 => Ok(Hash::Sha1),
            rfc5912::ID_SHA_256 => Ok(Hash::Sha256),
            rfc5912::ID_SHA_384 => Ok(Hash::Sha384),
            rfc5912::ID_SHA_512 => Ok(Hash::Sha512),
            other => Err(Error::UnsupportedAlgorithm(format!("digest {other}"))),
        }
    }

    /// From a `*WithRSAEncryption` signature OID.
    pub(crate) fn from_signature_oid(oid: ObjectIdentifier) -> Result<Self> {
        match oid {
            rfc5912::SHA_1_WITH_RSA_ENCRYPTION => Ok(Hash::Sha1),
            rfc5912::SHA_256_WITH_RSA_ENCRYPTION => Ok(Hash::Sha256),
            rfc5912::SHA_384_WITH_RSA_ENCRYPTION => Ok(Hash::Sha384),
            rfc5912::SHA_512_WITH_RSA_ENCRYPTION => Ok(Hash::Sha512),
            other => Err(Error::UnsupportedAlgorithm(format!("firma {other}"))),
        }
    }

    pub(crate) fn digest(self, data: &[u8]) -> Vec<u8> {
        match self {
            Hash::Sha1 => sha1::Sha1::digest(data).to_vec(),
            Hash::Sha256 => sha2::Sha256::digest(data).to_vec(),
            Hash::Sha384 => sha2::Sha384::digest(data).to_vec(),
            Hash::Sha512 => sha2::Sha512::digest(data).to_vec(),
        }
    }

    pub(crate) fn padding(self) -> Pkcs1v15Sign {
        match self {
            Hash::Sha1 => Pkcs1v15Sign::new::<sha1::Sha1>(),
            Hash::Sha256 => Pkcs1v15Sign::new::<sha2::Sha256>(),
            Hash::Sha384 => Pkcs1v15Sign::new::<sha2::Sha384>(),
            Hash::Sha512 => Pkcs1v15Sign::new::<sha2::Sha512>(),
        }
    }
}

/// Verifies `sig` over `data` with the digest implied by a signature-algorithm OID.
pub(crate) fn verify_with_oid(
    key: &RsaPublicKey,
    alg: ObjectIdentifier,
    data: &[u8],
    sig: &[u8],
) -> Result<()> {
    let hash = Hash::from_signature_oid(alg)?;
    key.verify(hash.padding(), &hash.digest(data), sig)
        .map_err(|_| Error::BadSignature("la firma RSA no corresponde"))
}
