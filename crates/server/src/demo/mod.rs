//! Demo mode (`huella serve --demo`): a walk-through of the whole product without an e.firma
//! of one's own. SAT's published test FIEL expired in 2021, so the server makes its own demo
//! PKI ([`pki`]) under `<data_dir>/demo/`: a CA "AC DEMO HUELLA — NO ES DEL SAT" and, issued
//! by it, three fictitious SAT-like credentials:
//!
//! | id | what |
//! | --- | --- |
//! | `empleador` | FIEL of a fictitious employer (persona física) owning registro patronal [`REGISTRO_PATRONAL`] |
//! | `empleador-csd` | a CSD (sello digital) of the same RFC: must be refused where a FIEL is required |
//! | `pensionado` | FIEL of a fictitious pensioner (for the proof of life) |
//!
//! The files are reused on restart (regenerated only when missing, unreadable or about to
//! expire), and on every start the employer's `patron` packet is filed through the normal
//! ingest path unless the registro is already bound to it.
//!
//! **Security.** The demo CA is trusted *only* with `--demo` (added on top of the configured
//! trust store, also after a SIGHUP reload), and the `/api/v1/demo/…` routes exist only then.
//! `GET /api/v1/demo/credentials` hands out the keys *and their password* ([`PASSWORD`]): that
//! is acceptable only because these identities are fictitious and certified by nobody but this
//! demo CA, which no production server trusts. Never run a production server with `--demo`.

mod http;
pub mod pki;

pub use http::{ca_file, credential_file, list, seed};

use efirma::{Credential, Kind, Timestamp, TrustStore};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// The password of every demo key (fictitious credentials only, see the module docs).
pub const PASSWORD: &str = "demo1234";
/// The demo employer's registro patronal.
pub const REGISTRO_PATRONAL: &str = "Z9000000109";
/// The demo employer's business name (razón social of the `patron` packet).
pub const EMPLOYER_NAME: &str = "Panadería Muñoz Peña (demostración)";

/// Why demo mode could not be set up.
#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    /// Reading or writing `<data_dir>/demo/`.
    #[error("demo: {0}")]
    Io(#[from] std::io::Error),
    /// Building the demo certificates or keys.
    #[error("demo PKI: {0}")]
    Pki(String),
    /// Registering the demo employer.
    #[error("demo patron: {0}")]
    Seed(String),
}

impl DemoError {
    /// Stable code.
    pub fn code(&self) -> &'static str {
        match self {
            DemoError::Io(_) => "demo_io",
            DemoError::Pki(_) => "demo_pki",
            DemoError::Seed(_) => "demo_seed",
        }
    }
}

/// A fictitious person of the demo set.
struct Person {
    id: &'static str,
    label: &'static str,
    name: &'static str,
    rfc: &'static str,
    curp: &'static str,
    email: &'static str,
    /// `Some(branch)` for a CSD.
    branch: Option<&'static str>,
    registro_patronal: Option<&'static str>,
    nss: Option<&'static str>,
}

/// RFC and CURP check digits computed per domain.md §1–2 (and checked by the tests).
const PEOPLE: [Person; 3] = [
    Person {
        id: "empleador",
        label: "Empleador de demostración (FIEL)",
        name: "JOSÉ MUÑOZ PEÑA",
        rfc: "MUPJ750814K33",
        curp: "MUPJ750814HDFXXS09",
        email: "empleador@demo.huella.invalid",
        branch: None,
        registro_patronal: Some(REGISTRO_PATRONAL),
        nss: None,
    },
    Person {
        id: "empleador-csd",
        label: "Sello digital (CSD) del empleador — no es e.firma",
        name: "JOSÉ MUÑOZ PEÑA",
        rfc: "MUPJ750814K33",
        curp: "MUPJ750814HDFXXS09",
        email: "empleador@demo.huella.invalid",
        branch: Some("Sucursal Centro"),
        registro_patronal: None,
        nss: None,
    },
    Person {
        id: "pensionado",
        label: "Pensionada de demostración (FIEL)",
        name: "MARÍA GUADALUPE ÁVILA NÚÑEZ",
        rfc: "AING520319LP7",
        curp: "AING520319MJCVXD00",
        email: "pensionada@demo.huella.invalid",
        branch: None,
        registro_patronal: None,
        nss: Some("01167001237"),
    },
];

/// One demo credential as listed in `credentials.json` and by the API.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DemoCredential {
    /// `empleador`, `empleador-csd`, `pensionado`.
    pub id: String,
    /// What to show.
    pub label: String,
    /// `fiel` or `csd`.
    pub kind: String,
    /// Holder RFC.
    pub rfc: String,
    /// Holder CURP.
    pub curp: String,
    /// Holder name (as in the certificate).
    pub name: String,
    /// The 20-digit certificate number.
    pub certificate_number: String,
    /// End of validity (RFC 3339).
    pub not_after: String,
    /// The employer's registro patronal (`empleador` only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub registro_patronal: Option<String>,
    /// The pensioner's NSS (`pensionado` only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nss: Option<String>,
}

/// `<data_dir>/demo/credentials.json`.
#[derive(Debug, Serialize, Deserialize)]
struct Index {
    format: String,
    password: String,
    ca: String,
    credentials: Vec<DemoCredential>,
}

const INDEX_FORMAT: &str = "huella-demo/1";
/// Regenerate when a certificate would expire within this many seconds.
const RENEW_BEFORE: i64 = 30 * 86_400;

/// The demo set, loaded in memory.
#[derive(Debug)]
pub struct Demo {
    dir: PathBuf,
    ca_der: Vec<u8>,
    credentials: Vec<DemoCredential>,
}

impl Demo {
    /// Loads `<data_dir>/demo/`, or (re)creates it when missing, unreadable or expiring.
    /// Costly (RSA key generation) the first time: call it off the async threads.
    pub fn load_or_create(data_dir: &Path, now: Timestamp) -> Result<Demo, DemoError> {
        let dir = data_dir.join("demo");
        match Demo::load(&dir, now) {
            Ok(d) => return Ok(d),
            Err(why) => tracing::info!(reason = %why, "creating the demo credentials"),
        }
        Demo::create(&dir, now)?;
        Demo::load(&dir, now).map_err(DemoError::Pki)
    }

    /// The folder holding the files.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The demo CA certificate (DER).
    pub fn ca_der(&self) -> &[u8] {
        &self.ca_der
    }

    /// The credentials, in order.
    pub fn credentials(&self) -> &[DemoCredential] {
        &self.credentials
    }

    /// The bytes of `<id>.cer` or `<id>.key` (`None` for any other name).
    pub fn file(&self, file: &str) -> Option<Vec<u8>> {
        let (id, ext) = file.rsplit_once('.')?;
        let known = self.credentials.iter().any(|c| c.id == id);
        (known && (ext == "cer" || ext == "key"))
            .then(|| std::fs::read(self.dir.join(file)).ok())
            .flatten()
    }

    /// Opens a demo credential with [`PASSWORD`].
    pub fn open(&self, id: &str) -> Result<Credential, DemoError> {
        open(&self.dir, id)
    }

    /// Adds the demo CA to `store`.
    pub fn trust_into(&self, store: &mut TrustStore) -> Result<(), efirma::Error> {
        store.add(&self.ca_der).map(|_| ())
    }

    fn load(dir: &Path, now: Timestamp) -> Result<Demo, String> {
        let index = std::fs::read(dir.join("credentials.json")).map_err(|e| e.to_string())?;
        let index: Index = serde_json::from_slice(&index).map_err(|e| e.to_string())?;
        if index.format != INDEX_FORMAT || index.password != PASSWORD {
            return Err("credentials.json de otro formato".into());
        }
        let ca_der = std::fs::read(dir.join("ca.cer")).map_err(|e| e.to_string())?;
        let mut trust = TrustStore::new();
        trust.add(&ca_der).map_err(|e| e.to_string())?;
        if index.credentials.len() != PEOPLE.len() {
            return Err("faltan credenciales".into());
        }
        let later = Timestamp::from_unix(now.unix() + RENEW_BEFORE);
        for (p, c) in PEOPLE.iter().zip(&index.credentials) {
            let cred = open(dir, p.id).map_err(|e| e.to_string())?;
            let id = cred.identity();
            let kind = if p.branch.is_some() {
                Kind::Csd
            } else {
                Kind::Fiel
            };
            if c.id != p.id || id.rfc != p.rfc || id.curp.as_deref() != Some(p.curp) {
                return Err(format!("{}: identidad distinta", p.id));
            }
            if id.kind != kind || c.certificate_number != id.certificate_number {
                return Err(format!("{}: certificado distinto", p.id));
            }
            for at in [now, later] {
                trust
                    .verify_chain(cred.certificate(), &[], at)
                    .map_err(|e| format!("{}: {}", p.id, e.code()))?;
            }
        }
        Ok(Demo {
            dir: dir.to_path_buf(),
            ca_der,
            credentials: index.credentials,
        })
    }

    fn create(dir: &Path, now: Timestamp) -> Result<(), DemoError> {
        std::fs::create_dir_all(dir)?;
        let day = 86_400;
        let ca_key = pki::new_key()?;
        let ca_name = pki::ca_name()?;
        let ca_der = pki::certificate(
            &pki::Spec {
                subject: ca_name.clone(),
                issuer: ca_name.clone(),
                serial_ascii: &pki::serial("0000000000")?,
                not_before: Timestamp::from_unix(now.unix() - day),
                not_after: Timestamp::from_unix(now.unix() + 3650 * day),
                profile: pki::Profile::Ca,
            },
            &ca_key,
            &ca_key,
        )?;
        write_atomic(&dir.join("ca.cer"), &ca_der)?;
        let mut credentials = Vec::new();
        for p in &PEOPLE {
            let key = pki::new_key()?;
            let profile = if p.branch.is_some() {
                pki::Profile::Csd
            } else {
                pki::Profile::Fiel
            };
            let holder = pki::Holder {
                name: p.name,
                rfc: p.rfc,
                curp: p.curp,
                email: p.email,
                branch: p.branch,
            };
            let cer = pki::certificate(
                &pki::Spec {
                    subject: pki::holder_name(&holder)?,
                    issuer: ca_name.clone(),
                    serial_ascii: &pki::serial("3000100000")?,
                    not_before: Timestamp::from_unix(now.unix() - day),
                    not_after: Timestamp::from_unix(now.unix() + 730 * day),
                    profile,
                },
                &key,
                &ca_key,
            )?;
            write_atomic(&dir.join(format!("{}.cer", p.id)), &cer)?;
            write_atomic(
                &dir.join(format!("{}.key", p.id)),
                &pki::encrypted_key(&key, PASSWORD)?,
            )?;
            let cert = efirma::Certificate::from_der(cer)
                .map_err(|e| DemoError::Pki(format!("{}: {}", p.id, e.code())))?;
            let id = cert.identity();
            credentials.push(DemoCredential {
                id: p.id.into(),
                label: p.label.into(),
                kind: if p.branch.is_some() { "csd" } else { "fiel" }.into(),
                rfc: p.rfc.into(),
                curp: p.curp.into(),
                name: p.name.into(),
                certificate_number: id.certificate_number.clone(),
                not_after: id.not_after.to_rfc3339(),
                registro_patronal: p.registro_patronal.map(str::to_string),
                nss: p.nss.map(str::to_string),
            });
        }
        let index = Index {
            format: INDEX_FORMAT.into(),
            password: PASSWORD.into(),
            ca: "ca.cer".into(),
            credentials,
        };
        let json = serde_json::to_vec_pretty(&index).map_err(|e| DemoError::Pki(e.to_string()))?;
        // Written last: its presence marks a complete set.
        write_atomic(&dir.join("credentials.json"), &json)?;
        Ok(())
    }
}

fn open(dir: &Path, id: &str) -> Result<Credential, DemoError> {
    let cer = std::fs::read(dir.join(format!("{id}.cer")))?;
    let key = std::fs::read(dir.join(format!("{id}.key")))?;
    Credential::open(&cer, &key, PASSWORD)
        .map_err(|e| DemoError::Pki(format!("{id}: {}", e.code())))
}

fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let tmp = path.with_extension("tmp");
    std::fs::write(&tmp, bytes)?;
    std::fs::rename(&tmp, path)
}
