//! `huella bench` — load generator for `POST /api/v1/packets` (design.md §8).
//!
//! ```text
//! # in-process server on SQLite (temp folder), the signer's CA as trust store:
//! huella bench --cer fiel.cer --key fiel.key --password-file pw --trust-store ca.pem
//! # same on PostgreSQL:
//! huella bench … --database-url postgres://postgres@127.0.0.1:5432/huella
//! # against a running server (its trust store must accept the signer):
//! huella bench … --url http://127.0.0.1:8080
//! ```
//!
//! Packets (ten 25 KB prints + a 60 KB face, distinct nonces and bytes) are built and signed
//! before timing. Prints one JSON report: packets/s, p50/p99, errors, lost receipts.

use crate::args::CredentialArgs;
use crate::error::{print_json, CliError};
use clap::Args;
use std::path::PathBuf;

/// Flags of `huella bench`.
#[derive(Args)]
pub struct BenchArgs {
    /// A running server; without it a server is started in this process.
    #[arg(long)]
    pub url: Option<String>,
    /// In-process server: database (default SQLite in a temp folder).
    #[arg(long, env = "DATABASE_URL")]
    pub database_url: Option<String>,
    /// In-process server: trust anchors that accept the signer.
    #[arg(long = "trust-store")]
    pub trust_store: Vec<PathBuf>,
    #[command(flatten)]
    pub credential: CredentialArgs,
    /// Signing time (RFC 3339, inside the certificate's validity); default now. The
    /// in-process server's clock is set to it.
    #[arg(long)]
    pub at: Option<String>,
    /// Packets to post.
    #[arg(long, default_value_t = 1500)]
    pub packets: usize,
    /// Concurrent clients.
    #[arg(long, default_value_t = 64)]
    pub concurrency: usize,
    /// Offered load in packets/s (open loop; latency counted from each packet's due time).
    /// Without it the clients post back to back (saturation).
    #[arg(long)]
    pub rate: Option<f64>,
    /// Bytes per fingerprint.
    #[arg(long, default_value_t = 25_000)]
    pub finger_bytes: usize,
    /// Bytes of the face.
    #[arg(long, default_value_t = 60_000)]
    pub face_bytes: usize,
    /// Registro patronal the bench registers and files for.
    #[arg(long, default_value = "B5510768108")]
    pub registro_patronal: String,
}

/// Runs the benchmark and prints the report; fails if any request failed or a receipt was lost.
pub fn bench(a: BenchArgs) -> Result<(), CliError> {
    let at = match &a.at {
        None => None,
        Some(s) => Some(
            efirma::Timestamp::parse_rfc3339(s)
                .ok_or_else(|| CliError::new("bad_time", format!("Fecha no válida: {s}")))?,
        ),
    };
    let credential = a.credential.open()?;
    let data_dir = server::bench::temp_data_dir();
    let target = match a.url {
        Some(u) => server::bench::Target::Url(u),
        None => server::bench::Target::InProcess(Box::new(server::ServeConfig {
            data_dir: data_dir.clone(),
            database_url: a.database_url,
            trust_store: a.trust_store,
            max_connections: 16,
            ..Default::default()
        })),
    };
    let opts = server::bench::BenchOptions {
        target,
        credential,
        at,
        packets: a.packets,
        concurrency: a.concurrency,
        rate: a.rate,
        finger_bytes: a.finger_bytes,
        face_bytes: a.face_bytes,
        registro_patronal: a.registro_patronal,
    };
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| CliError::new("internal", e.to_string()))?;
    let report = rt
        .block_on(server::bench::run(opts))
        .map_err(|e| CliError::new("bench_failed", e));
    let _ = std::fs::remove_dir_all(&data_dir);
    let report = report?;
    print_json(&report)?;
    if report.errors > 0 || report.lost_receipts.unwrap_or(0) > 0 {
        return Err(CliError::new(
            "bench_errors",
            format!(
                "{} errores, {:?} acuses perdidos",
                report.errors, report.lost_receipts
            ),
        ));
    }
    Ok(())
}
