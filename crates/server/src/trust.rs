//! The trust store: a set of PEM anchors, by default SAT's production CAs embedded from
//! `crates/server/sat-ca/` (copied from `../shared/sat-ca/`; origin: Mifiel/xml-fiesta-ui, MIT).
//!
//! Configured paths may be PEM/DER files or folders of them. The store is reloaded on SIGHUP
//! (see `lib.rs`) and listed on `/health` (certificate number, subject, validity — no
//! personal data: these are CAs).

use efirma::TrustStore;
use serde::Serialize;
use std::path::PathBuf;

const SAT_PROD: &[(&str, &str)] = &[
    ("raizbm.pem", include_str!("../sat-ca/raizbm.pem")),
    (
        "agenciaregistradoracentral.pem",
        include_str!("../sat-ca/agenciaregistradoracentral.pem"),
    ),
    ("ac5_sat.pem", include_str!("../sat-ca/ac5_sat.pem")),
    ("ac_sat.pem", include_str!("../sat-ca/ac_sat.pem")),
    ("ac_sat1070.pem", include_str!("../sat-ca/ac_sat1070.pem")),
    ("acsat.pem", include_str!("../sat-ca/acsat.pem")),
    ("ac_sat1059.pem", include_str!("../sat-ca/ac_sat1059.pem")),
    ("ac1_sat.pem", include_str!("../sat-ca/ac1_sat.pem")),
    ("ac2_sat.pem", include_str!("../sat-ca/ac2_sat.pem")),
];

/// One anchor, as listed on `/health`.
#[derive(Debug, Clone, Serialize)]
pub struct AnchorInfo {
    /// Certificate number (serial as ASCII).
    pub certificate_number: String,
    /// Subject common name.
    pub subject: String,
    /// Validity start.
    pub not_before: String,
    /// Validity end.
    pub not_after: String,
}

/// Loads the store from `paths` (or the embedded SAT set when empty). Unreadable files are
/// reported in the returned warnings and skipped.
pub fn load(paths: &[PathBuf]) -> (TrustStore, Vec<String>) {
    let mut store = TrustStore::new();
    let mut warnings = Vec::new();
    if paths.is_empty() {
        for (name, pem) in SAT_PROD {
            if let Err(e) = store.add(pem.as_bytes()) {
                warnings.push(format!("{name}: {}", e.code()));
            }
        }
        return (store, warnings);
    }
    for p in paths {
        let files: Vec<PathBuf> = if p.is_dir() {
            match std::fs::read_dir(p) {
                Ok(rd) => {
                    let mut v: Vec<PathBuf> = rd
                        .filter_map(|e| e.ok().map(|e| e.path()))
                        .filter(|f| {
                            f.extension()
                                .and_then(|x| x.to_str())
                                .is_some_and(|x| matches!(x, "pem" | "cer" | "crt" | "der"))
                        })
                        .collect();
                    v.sort();
                    v
                }
                Err(e) => {
                    warnings.push(format!("{}: {e}", p.display()));
                    continue;
                }
            }
        } else {
            vec![p.clone()]
        };
        for f in files {
            match std::fs::read(&f) {
                Ok(bytes) => {
                    if let Err(e) = store.add(&bytes) {
                        warnings.push(format!("{}: {}", f.display(), e.code()));
                    }
                }
                Err(e) => warnings.push(format!("{}: {e}", f.display())),
            }
        }
    }
    (store, warnings)
}

/// [`load`], plus the demo CA when demo mode is on (so it also survives a SIGHUP reload).
pub fn load_with_demo(
    paths: &[PathBuf],
    demo: Option<&crate::demo::Demo>,
) -> (TrustStore, Vec<String>) {
    let (mut store, mut warnings) = load(paths);
    if let Some(d) = demo {
        if let Err(e) = d.trust_into(&mut store) {
            warnings.push(format!("demo CA: {}", e.code()));
        }
    }
    (store, warnings)
}

/// The anchors, for `/health` and the start-up log.
pub fn describe(store: &TrustStore) -> Vec<AnchorInfo> {
    store
        .anchors()
        .iter()
        .map(|c| {
            let id = c.identity();
            AnchorInfo {
                certificate_number: id.certificate_number.clone(),
                subject: id.name.clone(),
                not_before: id.not_before.to_rfc3339(),
                not_after: id.not_after.to_rfc3339(),
            }
        })
        .collect()
}
