//! `huella inspect`, `huella sign`, `huella verify`.

use crate::args::{InspectArgs, SigFormat, SignArgs, VerifyArgs};
use crate::error::{print_json, read, CliError};
use efirma::{Certificate, Credential, Identity, Timestamp, TrustStore, VerifyOptions};
use serde::Serialize;
use std::path::Path;

fn parse_time(at: &Option<String>) -> Result<Timestamp, CliError> {
    match at {
        None => Ok(Timestamp::now()),
        Some(s) => Timestamp::parse_rfc3339(s)
            .ok_or_else(|| CliError::new("bad_time", format!("Fecha no válida (RFC 3339): {s}"))),
    }
}

#[derive(Serialize)]
struct InspectOut<'a> {
    #[serde(flatten)]
    identity: &'a Identity,
    expired: bool,
    not_yet_valid: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    key_matches: Option<bool>,
}

pub fn inspect(a: InspectArgs) -> Result<(), CliError> {
    let at = parse_time(&a.at)?;
    let cert = Certificate::from_bytes(&read(&a.cer)?)?;
    let key_matches = match &a.key {
        None => None,
        Some(key_path) => {
            let key = read(key_path)?;
            let password = crate::password::obtain(&a.password)?;
            match Credential::open(&read(&a.cer)?, &key, &password) {
                Ok(_) => Some(true),
                Err(efirma::Error::KeyMismatch) => Some(false),
                Err(e) => return Err(e.into()),
            }
        }
    };
    let id = cert.identity();
    print_json(&InspectOut {
        identity: id,
        expired: at > id.not_after,
        not_yet_valid: at < id.not_before,
        key_matches,
    })
}

pub fn sign(a: SignArgs) -> Result<(), CliError> {
    let at = parse_time(&a.at)?;
    let content = read(&a.input)?;
    let cred = a.credential.open()?;
    let sig = match a.format {
        SigFormat::Cms => cred.sign_cms(&content, at)?,
        SigFormat::Pkcs1 => cred.sign_pkcs1(&content, at)?,
    };
    std::fs::write(&a.out, &sig).map_err(|e| CliError::io(&a.out, e))?;
    #[derive(Serialize)]
    struct Out<'a> {
        signed: bool,
        format: &'static str,
        out: String,
        bytes: usize,
        signing_time: Timestamp,
        rfc: &'a str,
        certificate_number: &'a str,
    }
    print_json(&Out {
        signed: true,
        format: match a.format {
            SigFormat::Cms => "cms",
            SigFormat::Pkcs1 => "pkcs1",
        },
        out: a.out.display().to_string(),
        bytes: sig.len(),
        signing_time: at,
        rfc: &cred.identity().rfc,
        certificate_number: &cred.identity().certificate_number,
    })
}

/// Loads PEM/DER anchors from files or folders.
pub fn load_trust_store(paths: &[std::path::PathBuf]) -> Result<TrustStore, CliError> {
    let mut store = TrustStore::new();
    for path in paths {
        if path.is_dir() {
            let mut entries: Vec<_> = std::fs::read_dir(path)
                .map_err(|e| CliError::io(path, e))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| {
                    p.extension()
                        .is_some_and(|x| x == "pem" || x == "cer" || x == "crt")
                })
                .collect();
            entries.sort();
            for p in entries {
                store.add(&read(&p)?)?;
            }
        } else {
            store.add(&read(path)?)?;
        }
    }
    Ok(store)
}

#[derive(Serialize)]
struct VerifyOut<'a> {
    valid: bool,
    format: &'static str,
    signer: &'a Identity,
    signing_time: Option<Timestamp>,
    chain_checked: bool,
}

pub fn verify(a: VerifyArgs) -> Result<(), CliError> {
    let content = read(&a.input)?;
    let sig = read(&a.sig)?;
    let at = match &a.at {
        Some(_) => Some(parse_time(&a.at)?),
        None => None,
    };
    let store = if a.trust_store.is_empty() {
        None
    } else {
        Some(load_trust_store(&a.trust_store)?)
    };
    let result = match &a.cer {
        Some(cer) => verify_pkcs1(cer, &content, &sig),
        None => efirma::verify_cms(
            &sig,
            &content,
            VerifyOptions {
                trust: store.as_ref(),
                at,
            },
        )
        .map(|v| (v.signer, v.signing_time, v.chain_checked, "cms")),
    };
    match result {
        Ok((signer, signing_time, chain_checked, format)) => print_json(&VerifyOut {
            valid: true,
            format,
            signer: signer.identity(),
            signing_time,
            chain_checked,
        }),
        Err(e) => {
            let _ = print_json(&serde_json::json!({"valid": false, "code": e.code()}));
            Err(e.into())
        }
    }
}

type Checked = (Certificate, Option<Timestamp>, bool, &'static str);

fn verify_pkcs1(cer: &Path, content: &[u8], sig: &[u8]) -> Result<Checked, efirma::Error> {
    let bytes =
        std::fs::read(cer).map_err(|_| efirma::Error::CorruptCertificate("no se pudo leer"))?;
    let cert = Certificate::from_bytes(&bytes)?;
    efirma::verify_pkcs1(&cert, content, sig)?;
    Ok((cert, None, false, "pkcs1"))
}
