//! The server's own keys, generated on first start under `DATA_DIR/keys/` (mode 0600):
//!
//! - `hpke-<unix time>.secret`: 32-byte HPKE secrets (RFC 9180 `DeriveKeyPair`). The newest is
//!   the current key published at `GET /api/v1/keys`; older ones are kept so packets queued
//!   under them still open. Rotate with [`rotate_hpke`] (or drop a new file) and reload.
//! - `seal.secret`: the Ed25519 key (RFC 8032) that seals receipts and constancias.

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use ed25519_dalek::{Signer, SigningKey, Verifier, VerifyingKey};
use packet::Keyring;
use std::io::Write;
use std::path::{Path, PathBuf};
use zeroize::Zeroizing;

/// Loaded key material.
pub struct ServerKeys {
    /// HPKE private keys, current first.
    pub keyring: Keyring,
    /// Receipt/constancia seal key.
    pub seal: SigningKey,
}

fn keys_dir(data_dir: &Path) -> PathBuf {
    data_dir.join("keys")
}

fn write_secret(path: &Path, secret: &[u8]) -> std::io::Result<()> {
    use std::os::unix::fs::OpenOptionsExt;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)?;
    f.write_all(hex::encode(secret).as_bytes())?;
    f.sync_all()
}

fn read_secret(path: &Path) -> std::io::Result<Zeroizing<Vec<u8>>> {
    let text = Zeroizing::new(std::fs::read_to_string(path)?);
    hex::decode(text.trim())
        .map(Zeroizing::new)
        .map_err(|_| std::io::Error::other(format!("{}: not hex", path.display())))
}

/// Adds a new current HPKE key; returns its file.
pub fn rotate_hpke(data_dir: &Path) -> std::io::Result<PathBuf> {
    let dir = keys_dir(data_dir);
    std::fs::create_dir_all(&dir)?;
    let secret = Keyring::generate_secret().map_err(|e| std::io::Error::other(e.to_string()))?;
    let stamp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    let path = dir.join(format!("hpke-{stamp:020}.secret"));
    write_secret(&path, secret.as_slice())?;
    Ok(path)
}

/// Loads the keys, generating them on first start.
pub fn load_or_create(data_dir: &Path) -> std::io::Result<ServerKeys> {
    let dir = keys_dir(data_dir);
    std::fs::create_dir_all(&dir)?;
    let mut hpke_files: Vec<PathBuf> = std::fs::read_dir(&dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("hpke-") && n.ends_with(".secret"))
        })
        .collect();
    if hpke_files.is_empty() {
        hpke_files.push(rotate_hpke(data_dir)?);
    }
    hpke_files.sort();
    hpke_files.reverse();
    let mut keyring = Keyring::new();
    for f in &hpke_files {
        let secret = read_secret(f)?;
        keyring
            .add_secret(&secret)
            .map_err(|e| std::io::Error::other(format!("{}: {e}", f.display())))?;
    }
    let seal_path = dir.join("seal.secret");
    if !seal_path.exists() {
        let secret =
            Keyring::generate_secret().map_err(|e| std::io::Error::other(e.to_string()))?;
        write_secret(&seal_path, secret.as_slice())?;
    }
    let secret = read_secret(&seal_path)?;
    let bytes: [u8; 32] = secret
        .as_slice()
        .try_into()
        .map_err(|_| std::io::Error::other("seal.secret: not 32 bytes"))?;
    Ok(ServerKeys {
        keyring,
        seal: SigningKey::from_bytes(&bytes),
    })
}

/// Seals `content` with the server's Ed25519 key; returns base64.
pub fn seal(key: &SigningKey, content: &[u8]) -> String {
    B64.encode(key.sign(content).to_bytes())
}

/// Checks a base64 Ed25519 seal over `content`.
pub fn check_seal(key: &VerifyingKey, content: &[u8], seal_b64: &str) -> bool {
    let Ok(bytes) = B64.decode(seal_b64) else {
        return false;
    };
    let Ok(sig) = ed25519_dalek::Signature::from_slice(&bytes) else {
        return false;
    };
    key.verify(content, &sig).is_ok()
}
