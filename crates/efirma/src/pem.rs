//! Just enough PEM (RFC 7468) — plus the RFC 1421 headers OpenSSL's traditional encrypted keys
//! carry (`Proc-Type`, `DEK-Info`), which strict RFC 7468 parsers refuse.

use base64::Engine;
use zeroize::Zeroizing;

/// One PEM block.
pub(crate) struct Block {
    pub label: String,
    /// `Name: value` headers (RFC 1421), in order.
    pub headers: Vec<(String, String)>,
    /// The decoded body; zeroized on drop since it may hold a key.
    pub der: Zeroizing<Vec<u8>>,
}

/// Whether the bytes look like text PEM rather than DER.
pub(crate) fn looks_like_pem(bytes: &[u8]) -> bool {
    let start = bytes
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(bytes.len());
    bytes[start..].starts_with(b"-----BEGIN ")
}

/// Parses the first PEM block.
pub(crate) fn parse(bytes: &[u8]) -> Result<Block, ()> {
    let text = core::str::from_utf8(bytes).map_err(|_| ())?;
    let mut lines = text.lines().map(str::trim);
    let label = loop {
        let line = lines.next().ok_or(())?;
        if let Some(rest) = line.strip_prefix("-----BEGIN ") {
            break rest.strip_suffix("-----").ok_or(())?.to_owned();
        }
    };
    let end = format!("-----END {label}-----");
    let mut headers = Vec::new();
    let mut body = Zeroizing::new(String::new());
    let mut in_headers = true;
    for line in lines.by_ref() {
        if line == end {
            let der = base64::engine::general_purpose::STANDARD
                .decode(body.as_bytes())
                .map_err(|_| ())?;
            return Ok(Block {
                label,
                headers,
                der: Zeroizing::new(der),
            });
        }
        if in_headers {
            if let Some((k, v)) = line.split_once(':') {
                headers.push((k.trim().to_owned(), v.trim().to_owned()));
                continue;
            }
            in_headers = false;
            if line.is_empty() {
                continue;
            }
        }
        body.push_str(line);
    }
    Err(())
}
