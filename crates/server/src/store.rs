//! Where sealed attachments rest, behind [`AttachmentStore`] (filesystem by default; an
//! S3-compatible store can implement the same trait).
//!
//! Attachments rest **sealed** (HPKE ciphertext exactly as received): a copied disk or a
//! backup never holds a readable face or print. [`FsStore`] writes one bundle per packet,
//! named by the packet digest, and `fsync`s file and folder before returning, so the
//! database commit that references it (and the receipt after it) come only after the bytes
//! are durable. A bundle without a committed packet row is an orphan, never a lost receipt.
//! The bundle is the packet JSON exactly as received (attachments sealed, signature intact),
//! so it can be re-verified later; [`attachments`] reads the sealed attachments back.

use packet::Sealed;
use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Storage for sealed attachment bundles.
pub trait AttachmentStore: Send + Sync + 'static {
    /// Durably stores the bundle (packet JSON) under `key` (a hex digest); idempotent.
    fn put(&self, key: &str, bundle: &[u8]) -> std::io::Result<()>;
    /// Reads a bundle back.
    fn get(&self, key: &str) -> std::io::Result<Vec<u8>>;
    /// Removes a bundle (used when a packet turns out to be a replay).
    fn delete(&self, key: &str) -> std::io::Result<()>;
}

/// One JSON file per packet under `DIR/ab/abcdef….json`.
#[derive(Debug, Clone)]
pub struct FsStore {
    root: PathBuf,
}

impl FsStore {
    /// A store rooted at `root` (created if missing).
    pub fn new(root: &Path) -> std::io::Result<Self> {
        std::fs::create_dir_all(root)?;
        Ok(FsStore {
            root: root.to_path_buf(),
        })
    }

    fn path(&self, key: &str) -> std::io::Result<PathBuf> {
        if key.len() < 8 || !key.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(std::io::Error::other("clave de adjunto inválida"));
        }
        Ok(self.root.join(&key[..2]).join(format!("{key}.json")))
    }
}

impl AttachmentStore for FsStore {
    fn put(&self, key: &str, bundle: &[u8]) -> std::io::Result<()> {
        let path = self.path(key)?;
        let dir = path.parent().unwrap_or(&self.root).to_path_buf();
        std::fs::create_dir_all(&dir)?;
        if path.exists() {
            return Ok(());
        }
        let tmp = dir.join(format!("{key}.tmp{}", std::process::id()));
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bundle)?;
        f.sync_all()?;
        std::fs::rename(&tmp, &path)?;
        std::fs::File::open(&dir)?.sync_all()
    }

    fn get(&self, key: &str) -> std::io::Result<Vec<u8>> {
        std::fs::read(self.path(key)?)
    }

    fn delete(&self, key: &str) -> std::io::Result<()> {
        match std::fs::remove_file(self.path(key)?) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
            _ => Ok(()),
        }
    }
}

/// The sealed attachments of a stored bundle.
pub fn attachments(
    store: &dyn AttachmentStore,
    key: &str,
) -> std::io::Result<BTreeMap<String, Sealed>> {
    let packet = packet::Packet::from_json(&store.get(key)?).map_err(std::io::Error::other)?;
    Ok(packet.attachments)
}
