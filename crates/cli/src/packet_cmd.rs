//! `huella packet template|build|verify|import` — the signed-packet contract from the command
//! line (crate `packet`, design.md §4).
//!
//! ```text
//! huella packet template biometria > m.json
//! huella packet build --cer f.cer --key f.key --password-file pw --manifest m.json \
//!     --attach face=face.jpg --attach finger.1=f1.wsq … --server http://127.0.0.1:8080 --out p.json
//! huella packet verify --in p.json [--trust-store ca.pem] [--at 2019-06-01T12:00:00Z]
//! huella packet import cola.json --server http://127.0.0.1:8080 --receipts acuses/
//! ```

use crate::args::CredentialArgs;
use crate::error::{print_json, read, CliError};
use clap::{Args, Subcommand};
use packet::{Action, BuildOptions, NewAttachment, PublicKey, Rules, Timestamp, VerifyOptions};
use std::path::PathBuf;

/// `huella packet …`
#[derive(Subcommand)]
pub enum PacketCommand {
    /// Print a valid example manifest for ACTION (patron, alta, baja, modificacion_salario,
    /// cambio_regimen, biometria, supervivencia).
    Template(TemplateArgs),
    /// Fill in issued_at, nonce, signer and digests, seal the attachments and sign.
    Build(BuildArgs),
    /// Verify a packet; prints {"valid", "code", …}.
    Verify(PacketVerifyArgs),
    /// Deliver a kiosk's offline queue export (huella-cola/1) to a server, exactly once.
    Import(crate::import_cmd::ImportArgs),
}

/// `huella packet template ACTION`
#[derive(Args)]
pub struct TemplateArgs {
    /// The action.
    pub action: String,
}

/// `huella packet build …`
#[derive(Args)]
pub struct BuildArgs {
    #[command(flatten)]
    pub credential: CredentialArgs,
    /// Manifest template (JSON, e.g. from `huella packet template`).
    #[arg(long)]
    pub manifest: PathBuf,
    /// Attachment as NAME=FILE (repeatable); sealed to the server's key.
    #[arg(long = "attach", value_name = "NAME=FILE")]
    pub attach: Vec<String>,
    /// Server URL to fetch the sealing key from (GET /api/v1/keys).
    #[arg(long)]
    pub server: Option<String>,
    /// The server's key as JSON (the `current` key of /api/v1/keys, or the whole answer).
    #[arg(long = "server-key")]
    pub server_key: Option<PathBuf>,
    /// Output packet JSON.
    #[arg(long)]
    pub out: PathBuf,
    /// Signing time (RFC 3339); default now.
    #[arg(long)]
    pub at: Option<String>,
}

/// `huella packet verify …`
#[derive(Args)]
pub struct PacketVerifyArgs {
    /// Packet JSON.
    #[arg(long = "in")]
    pub input: PathBuf,
    /// Trust anchors (PEM files or folders; default SAT's production CAs).
    #[arg(long = "trust-store")]
    pub trust_store: Vec<PathBuf>,
    /// Verification time (RFC 3339); default now.
    #[arg(long)]
    pub at: Option<String>,
    /// Freshness window in hours (30 days, as the server's default).
    #[arg(long, default_value_t = 720)]
    pub max_age_hours: i64,
}

fn parse_time(at: &Option<String>) -> Result<Timestamp, CliError> {
    match at {
        None => Ok(Timestamp::now()),
        Some(s) => Timestamp::parse_rfc3339(s)
            .ok_or_else(|| CliError::new("bad_time", format!("Fecha no válida (RFC 3339): {s}"))),
    }
}

impl From<packet::Error> for CliError {
    fn from(e: packet::Error) -> Self {
        CliError::new(e.code(), e.to_string())
    }
}

/// Runs a `huella packet` subcommand.
pub fn run(cmd: PacketCommand) -> Result<(), CliError> {
    match cmd {
        PacketCommand::Template(a) => template(a),
        PacketCommand::Build(a) => build(a),
        PacketCommand::Verify(a) => verify(a),
        PacketCommand::Import(a) => crate::import_cmd::import(a),
    }
}

fn template(a: TemplateArgs) -> Result<(), CliError> {
    let action = Action::parse(&a.action).ok_or_else(|| {
        let all: Vec<&str> = Action::ALL.iter().map(|a| a.as_str()).collect();
        CliError::new(
            "bad_action",
            format!("acción desconocida; use una de: {}", all.join(", ")),
        )
    })?;
    print_json(&packet::template(action))
}

fn server_key(a: &BuildArgs) -> Result<Option<PublicKey>, CliError> {
    let doc: serde_json::Value = if let Some(path) = &a.server_key {
        serde_json::from_slice(&read(path)?)
            .map_err(|e| CliError::new("bad_server_key", e.to_string()))?
    } else if let Some(url) = &a.server {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| CliError::new("internal", e.to_string()))?;
        let url = format!("{}/api/v1/keys", url.trim_end_matches('/'));
        let (status, body) = rt
            .block_on(server::client::Http::new().get(&url, None))
            .map_err(|e| CliError::new("network", e.to_string()))?;
        if status != 200 {
            return Err(CliError::new(
                "network",
                format!("GET {url}: HTTP {status}"),
            ));
        }
        serde_json::from_slice(&body).map_err(|e| CliError::new("bad_server_key", e.to_string()))?
    } else {
        return Ok(None);
    };
    let key = if doc.get("current").is_some() {
        doc["current"].clone()
    } else {
        doc
    };
    serde_json::from_value(key)
        .map(Some)
        .map_err(|e| CliError::new("bad_server_key", e.to_string()))
}

fn build(a: BuildArgs) -> Result<(), CliError> {
    let at = parse_time(&a.at)?;
    let manifest: packet::Manifest = serde_json::from_slice(&read(&a.manifest)?)
        .map_err(|e| CliError::new("bad_format", format!("manifiesto: {e}")))?;
    let mut attachments = Vec::new();
    for spec in &a.attach {
        let (name, file) = spec
            .split_once('=')
            .ok_or_else(|| CliError::new("bad_attach", format!("se espera NAME=FILE: {spec}")))?;
        attachments.push(NewAttachment {
            name: name.to_string(),
            bytes: read(std::path::Path::new(file))?,
            ..Default::default()
        });
    }
    let key = server_key(&a)?;
    if !attachments.is_empty() && key.is_none() {
        return Err(CliError::new(
            "missing_server_key",
            "los adjuntos se cifran para el servidor: use --server URL o --server-key FILE",
        ));
    }
    let cred = a.credential.open()?;
    let rules = Rules::default();
    let built = packet::build(
        manifest,
        &attachments,
        &BuildOptions {
            credential: &cred,
            at,
            server_key: key.as_ref(),
            rules: &rules,
        },
    )?;
    std::fs::write(&a.out, built.packet.to_json()).map_err(|e| CliError::io(&a.out, e))?;
    print_json(&serde_json::json!({
        "out": a.out,
        "action": built.manifest.action,
        "nonce": built.manifest.nonce,
        "issued_at": built.manifest.issued_at,
        "attachments": built.manifest.attachments.len(),
        "warnings": built.warnings,
    }))
}

fn verify(a: PacketVerifyArgs) -> Result<(), CliError> {
    let now = parse_time(&a.at)?;
    let bytes = read(&a.input)?;
    let (trust, skipped) = server::trust::load(&a.trust_store);
    let rules = Rules::default();
    let opts = VerifyOptions {
        trust: Some(&trust),
        max_age_secs: a.max_age_hours * 3600,
        rules: Some(&rules),
        ..VerifyOptions::at(now)
    };
    match packet::verify_json(&bytes, &opts) {
        Ok(v) => print_json(&serde_json::json!({
            "valid": true,
            "code": null,
            "action": v.manifest.action,
            "issued_at": v.manifest.issued_at,
            "signer": v.manifest.signer,
            "digest": v.digest,
            "chain_checked": v.chain_checked,
            "attachments": v.manifest.attachments.len(),
            "warnings": v.warnings,
            "trust_store_skipped": skipped,
        })),
        Err(e) => {
            print_json(&serde_json::json!({
                "valid": false,
                "code": e.code(),
                "message": e.to_string(),
            }))?;
            Err(e.into())
        }
    }
}
