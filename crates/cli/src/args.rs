//! Command-line shapes (clap). Field names become the documented flags.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Parser)]
#[command(
    name = "huella",
    version,
    about = "Huella: e.firma, paquetes firmados y biometría IMSS"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
    /// Run the backend: verify, store and receipt signed packets (SQLite or PostgreSQL).
    Serve(crate::serve_cmd::ServeArgs),
    /// Signed packets: template, build, verify.
    #[command(subcommand)]
    Packet(crate::packet_cmd::PacketCommand),
    /// Load generator: post distinct signed packets to a running server.
    Bench(crate::bench_cmd::BenchArgs),
    /// Show a certificate's identity (and check a key against it).
    Inspect(InspectArgs),
    /// Sign a file with an e.firma (detached CMS or raw PKCS#1).
    Sign(SignArgs),
    /// Verify a signature (CMS, or PKCS#1 with --cer).
    Verify(VerifyArgs),
    /// Image quality: fingerprint or face.
    #[command(subcommand)]
    Quality(crate::quality_cmd::QualityCommand),
    /// WSQ fingerprint compression.
    #[command(subcommand)]
    Wsq(crate::wsq_cmd::WsqCommand),
    /// Fingerprint scanners.
    #[command(subcommand)]
    Scanner(ScannerCommand),
}

#[derive(Subcommand)]
pub enum ScannerCommand {
    /// Run the real U.are.U 4500 driver against the device emulator.
    Emulate(crate::scanner_cmd::EmulateArgs),
}

/// Where the password comes from: a file, `HUELLA_PASSWORD`, or a no-echo prompt.
#[derive(Args)]
pub struct PasswordArgs {
    /// File holding the key's password (a trailing newline is ignored).
    #[arg(long)]
    pub password_file: Option<PathBuf>,
}

/// The signer's e.firma: `--cer`, `--key` and where the password comes from.
#[derive(Args)]
pub struct CredentialArgs {
    /// The signer's certificate (.cer, DER or PEM).
    #[arg(long)]
    pub cer: PathBuf,
    /// The signer's private key (.key, .pem or .pfx).
    #[arg(long)]
    pub key: PathBuf,
    #[command(flatten)]
    pub password: PasswordArgs,
}

impl CredentialArgs {
    /// Reads both files, obtains the password and opens the credential; the password is
    /// dropped (and wiped) before this returns.
    pub fn open(&self) -> Result<efirma::Credential, crate::error::CliError> {
        let (cer, key) = (
            crate::error::read(&self.cer)?,
            crate::error::read(&self.key)?,
        );
        let password = crate::password::obtain(&self.password)?;
        Ok(efirma::Credential::open(&cer, &key, &password)?)
    }
}

#[derive(Args)]
pub struct InspectArgs {
    /// Certificate (.cer, DER or PEM).
    #[arg(long)]
    pub cer: PathBuf,
    /// Private key (.key, .pem or .pfx) to check against the certificate.
    #[arg(long)]
    pub key: Option<PathBuf>,
    #[command(flatten)]
    pub password: PasswordArgs,
    /// Judge expiry at this time (RFC 3339) instead of now.
    #[arg(long)]
    pub at: Option<String>,
}

#[derive(Clone, Copy, ValueEnum, Default)]
pub enum SigFormat {
    /// Detached CMS SignedData (DER).
    #[default]
    Cms,
    /// Raw RSASSA-PKCS1-v1_5 SHA-256 ("sello").
    Pkcs1,
}

#[derive(Args)]
pub struct SignArgs {
    #[command(flatten)]
    pub credential: CredentialArgs,
    /// File to sign.
    #[arg(long = "in")]
    pub input: PathBuf,
    /// Where to write the signature.
    #[arg(long)]
    pub out: PathBuf,
    #[arg(long, value_enum, default_value_t)]
    pub format: SigFormat,
    /// Signing time (RFC 3339); defaults to now. Must fall inside the certificate's validity.
    #[arg(long)]
    pub at: Option<String>,
}

#[derive(Args)]
pub struct VerifyArgs {
    /// The signed file.
    #[arg(long = "in")]
    pub input: PathBuf,
    /// The signature (CMS DER/PEM, or raw PKCS#1 with --cer).
    #[arg(long)]
    pub sig: PathBuf,
    /// PEM/DER trust anchors the signer must chain to (repeatable; a folder loads every file).
    #[arg(long)]
    pub trust_store: Vec<PathBuf>,
    /// Certificate for raw PKCS#1 signatures.
    #[arg(long)]
    pub cer: Option<PathBuf>,
    /// Judge validity at this time (RFC 3339) instead of the signed signingTime.
    #[arg(long)]
    pub at: Option<String>,
}
