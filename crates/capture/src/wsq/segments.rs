//! Markers and marker segments of a WSQ file: writers for the encoder, bounds-checked
//! parsers for the decoder.
//!
//! WSQ reference §1 (file structure, segment layouts, scaled numbers, NISTCOM); FBI
//! IAFIS-IC-0110 §5 (syntax). Scaled numbers are written with NBIS's f32 loop (§1.3) so the
//! bytes match NBIS's files.

use super::error::WsqError;
use super::huffman::HuffTable;
use super::quant::QuantTable;
use super::tree::MAX_SUBBANDS;

pub(crate) const SOI: u16 = 0xFFA0;
pub(crate) const EOI: u16 = 0xFFA1;
pub(crate) const SOF: u16 = 0xFFA2;
pub(crate) const SOB: u16 = 0xFFA3;
pub(crate) const DTT: u16 = 0xFFA4;
pub(crate) const DQT: u16 = 0xFFA5;
pub(crate) const DHT: u16 = 0xFFA6;
pub(crate) const DRT: u16 = 0xFFA7;
pub(crate) const COM: u16 = 0xFFA8;

/// Longest filter accepted in a DTT segment.
const MAX_FILTER_TAPS: usize = 31;

fn put_u16(out: &mut Vec<u8>, v: u16) {
    out.extend_from_slice(&v.to_be_bytes());
}

/// NBIS's scaled-number loop (§1.3): returns (E, V) with V ≈ v·10^E, V below `limit`.
fn scale_f32(v: f32, limit: f64) -> (u8, u32) {
    if v == 0.0 {
        return (0, 0);
    }
    let mut x = v;
    let mut e = 0i32;
    while (x as f64) < limit && e < 64 {
        e += 1;
        x *= 10.0;
    }
    e -= 1;
    let val = (x as f64 / 10.0 + 0.5).clamp(0.0, limit) as u32;
    (e.clamp(0, 255) as u8, val)
}

fn put_scaled_u16(out: &mut Vec<u8>, v: f32) {
    let (e, val) = scale_f32(v, 65535.0);
    out.push(e);
    put_u16(out, val as u16);
}

/// Reads a scaled number the way NBIS does: f32(V), then E divisions by 10 in f32.
pub(crate) fn unscale(e: u8, v: u32) -> f32 {
    let mut x = v as f32;
    for _ in 0..e {
        x /= 10.0;
    }
    x
}

pub(crate) fn write_marker(out: &mut Vec<u8>, marker: u16) {
    put_u16(out, marker);
}

pub(crate) fn write_comment(out: &mut Vec<u8>, text: &[u8]) {
    put_u16(out, COM);
    put_u16(out, (text.len() + 2) as u16);
    out.extend_from_slice(text);
}

/// The NISTCOM text `cwsq` writes (§1.4).
pub(crate) fn nistcom(width: u32, height: u32, ppi: i32, bitrate: f32) -> String {
    format!(
        "NIST_COM 9\nPIX_WIDTH {width}\nPIX_HEIGHT {height}\nPIX_DEPTH 8\nPPI {ppi}\nLOSSY 1\n\
         COLORSPACE GRAY\nCOMPRESSION WSQ\nWSQ_BITRATE {:.6}",
        f64::from(bitrate)
    )
}

/// DTT segment of the given analysis filters (odd lengths, centre tap in the middle).
pub(crate) fn write_transform_table(out: &mut Vec<u8>, lo: &[f32], hi: &[f32]) {
    put_u16(out, DTT);
    put_u16(
        out,
        (4 + 6 * (lo.len().div_ceil(2) + hi.len().div_ceil(2))) as u16,
    );
    out.push(lo.len() as u8);
    out.push(hi.len() as u8);
    for filt in [lo, hi] {
        for &c in &filt[filt.len() / 2..] {
            out.push(u8::from(c < 0.0));
            let (e, val) = scale_f32(c.abs(), 4_294_967_295.0);
            out.push(e);
            out.extend_from_slice(&val.to_be_bytes());
        }
    }
}

pub(crate) fn write_quantization_table(out: &mut Vec<u8>, t: &QuantTable) {
    put_u16(out, DQT);
    put_u16(out, 389);
    out.push(2);
    put_u16(out, 44);
    for k in 0..MAX_SUBBANDS {
        if t.q[k] != 0.0 {
            put_scaled_u16(out, t.q[k]);
            put_scaled_u16(out, t.z[k]);
        } else {
            out.extend_from_slice(&[0; 6]);
        }
    }
}

pub(crate) fn write_frame_header(out: &mut Vec<u8>, width: u16, height: u16, m: f32, r: f32) {
    put_u16(out, SOF);
    put_u16(out, 17);
    out.extend_from_slice(&[0, 255]);
    put_u16(out, height);
    put_u16(out, width);
    put_scaled_u16(out, m);
    put_scaled_u16(out, r);
    out.extend_from_slice(&[2, 0, 0]);
}

pub(crate) fn write_huffman_table(out: &mut Vec<u8>, id: u8, t: &HuffTable) {
    put_u16(out, DHT);
    put_u16(out, (3 + 16 + t.values.len()) as u16);
    out.push(id);
    out.extend_from_slice(&t.bits);
    out.extend_from_slice(&t.values);
}

pub(crate) fn write_block_header(out: &mut Vec<u8>, table: u8) {
    put_u16(out, SOB);
    put_u16(out, 3);
    out.push(table);
}

/// Bounds-checked big-endian reader over one segment's payload.
pub(crate) struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
    segment: &'static str,
}

impl<'a> Reader<'a> {
    pub(crate) fn new(buf: &'a [u8], segment: &'static str) -> Reader<'a> {
        Reader {
            buf,
            pos: 0,
            segment,
        }
    }

    fn short(&self) -> WsqError {
        WsqError::BadSegment {
            segment: self.segment,
            reason: "segment shorter than its contents",
        }
    }

    pub(crate) fn u8(&mut self) -> Result<u8, WsqError> {
        let b = *self.buf.get(self.pos).ok_or_else(|| self.short())?;
        self.pos += 1;
        Ok(b)
    }

    pub(crate) fn u16(&mut self) -> Result<u16, WsqError> {
        Ok(u16::from(self.u8()?) << 8 | u16::from(self.u8()?))
    }

    fn u32(&mut self) -> Result<u32, WsqError> {
        Ok(u32::from(self.u16()?) << 16 | u32::from(self.u16()?))
    }

    fn bytes(&mut self, n: usize) -> Result<&'a [u8], WsqError> {
        let s = self
            .buf
            .get(self.pos..self.pos + n)
            .ok_or_else(|| self.short())?;
        self.pos += n;
        Ok(s)
    }

    fn scaled_u16(&mut self) -> Result<f32, WsqError> {
        let e = self.u8()?;
        Ok(unscale(e, u32::from(self.u16()?)))
    }

    fn at_end(&self) -> bool {
        self.pos == self.buf.len()
    }
}

/// Frame header fields the decoder uses.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Frame {
    pub width: u16,
    pub height: u16,
    pub m: f32,
    pub r: f32,
}

pub(crate) fn parse_frame_header(p: &[u8]) -> Result<Frame, WsqError> {
    if p.len() != 15 {
        return Err(bad("SOF", "length is not 17"));
    }
    let mut r = Reader::new(p, "SOF");
    let _black_white = r.u16()?;
    let height = r.u16()?;
    let width = r.u16()?;
    let m = r.scaled_u16()?;
    let rs = r.scaled_u16()?;
    Ok(Frame {
        width,
        height,
        m,
        r: rs,
    })
}

fn bad(segment: &'static str, reason: &'static str) -> WsqError {
    WsqError::BadSegment { segment, reason }
}

/// Analysis filters (lowpass, highpass) of a DTT segment, expanded to full symmetric form.
pub(crate) fn parse_transform_table(p: &[u8]) -> Result<(Vec<f32>, Vec<f32>), WsqError> {
    let mut r = Reader::new(p, "DTT");
    let l0 = r.u8()? as usize;
    let l1 = r.u8()? as usize;
    for l in [l0, l1] {
        if l % 2 == 0 || l > MAX_FILTER_TAPS {
            return Err(bad("DTT", "filter lengths must be odd and at most 31"));
        }
    }
    if p.len() != 2 + 6 * (l0.div_ceil(2) + l1.div_ceil(2)) {
        return Err(bad("DTT", "length does not match the filter sizes"));
    }
    let mut read = |len: usize| -> Result<Vec<f32>, WsqError> {
        let half = len / 2;
        let mut f = vec![0.0f32; len];
        for i in 0..=half {
            let sign = r.u8()?;
            let e = r.u8()?;
            let mut v = unscale(e, r.u32()?);
            if sign != 0 {
                v = -v;
            }
            f[half + i] = v;
            f[half - i] = v;
        }
        Ok(f)
    };
    let lo = read(l0)?;
    let hi = read(l1)?;
    Ok((lo, hi))
}

/// Bin centre C and the Q, Z tables of a DQT segment.
pub(crate) fn parse_quantization_table(p: &[u8]) -> Result<(f32, QuantTable), WsqError> {
    if p.len() != 387 {
        return Err(bad("DQT", "length is not 389"));
    }
    let mut r = Reader::new(p, "DQT");
    let c = r.scaled_u16()?;
    let mut t = QuantTable {
        q: [0.0; MAX_SUBBANDS],
        z: [0.0; MAX_SUBBANDS],
    };
    for k in 0..MAX_SUBBANDS {
        t.q[k] = r.scaled_u16()?;
        t.z[k] = r.scaled_u16()?;
    }
    Ok((c, t))
}

/// The tables of a DHT segment, as (id, table) pairs.
pub(crate) fn parse_huffman_tables(p: &[u8]) -> Result<Vec<(u8, HuffTable)>, WsqError> {
    let mut r = Reader::new(p, "DHT");
    let mut out = Vec::new();
    while !r.at_end() {
        let id = r.u8()?;
        if id >= 8 {
            return Err(bad("DHT", "table id above 7"));
        }
        let mut t = HuffTable::default();
        for b in t.bits.iter_mut() {
            *b = r.u8()?;
        }
        let n: usize = t.bits.iter().map(|&b| b as usize).sum();
        if n > 256 {
            return Err(bad("DHT", "more than 256 codes"));
        }
        t.values = r.bytes(n)?.to_vec();
        out.push((id, t));
    }
    if out.is_empty() {
        return Err(bad("DHT", "no table"));
    }
    Ok(out)
}

/// PPI of a NISTCOM comment text, if it is one and has a PPI line (`atoi` semantics).
pub(crate) fn nistcom_ppi(text: &[u8]) -> Option<Option<i32>> {
    if !text.starts_with(b"NIST_COM") {
        return None;
    }
    for line in text.split(|&b| b == b'\n') {
        let name_end = line
            .iter()
            .position(|&b| b == b' ' || b == b'\t')
            .unwrap_or(line.len());
        if &line[..name_end] != b"PPI" {
            continue;
        }
        let value = &line[name_end..];
        let value = match value.iter().position(|&b| b != b' ' && b != b'\t') {
            Some(i) => &value[i..],
            None => &[][..],
        };
        return Some(Some(atoi(value)));
    }
    Some(None)
}

fn atoi(s: &[u8]) -> i32 {
    let (neg, digits) = match s.first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    let mut v: i64 = 0;
    for &d in digits.iter().take_while(|d| d.is_ascii_digit()) {
        v = (v * 10 + i64::from(d - b'0')).min(i64::from(i32::MAX) + 1);
    }
    let v = if neg { -v } else { v };
    v.clamp(i64::from(i32::MIN), i64::from(i32::MAX)) as i32
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::wsq::wavelet::{HIFILT, LOFILT};

    /// The DTT segment NBIS writes for every file (WSQ reference §2.1).
    #[test]
    fn transform_table_matches_nbis() {
        let mut out = Vec::new();
        write_transform_table(&mut out, &LOFILT, &HIFILT);
        let expect = "FF A4 00 3A 09 07 00 09 32 D3 25 CD 00 0A E0 F3 19 9A 01 0A 41 EF F1 9A \
                      01 0B 8E 27 64 CD 00 0B E1 79 A3 33 00 09 2E FF 56 00 01 0A F9 33 D3 33 \
                      01 0B F2 87 21 9A 00 0A 26 77 DA 33"
            .replace(' ', "");
        let hex: String = out.iter().map(|b| format!("{b:02X}")).collect();
        assert_eq!(hex, expect);
        let (lo, hi) = parse_transform_table(&out[4..]).unwrap();
        assert_eq!(lo.len(), 9);
        assert_eq!(hi.len(), 7);
        assert!((lo[4] - 0.852_698_6).abs() < 1e-6 && (hi[3] - 0.788_485_6).abs() < 1e-6);
    }

    #[test]
    fn frame_header_example() {
        // p1_1 (WSQ reference §1.2): M = 216.30, R = 1.682.
        let mut out = Vec::new();
        write_frame_header(&mut out, 400, 500, 216.3, 1.682);
        assert_eq!(
            out[4..],
            [0x00, 0xFF, 0x01, 0xF4, 0x01, 0x90, 0x02, 0x54, 0x7E, 0x04, 0x41, 0xB4, 0x02, 0, 0]
        );
    }

    #[test]
    fn nistcom_ppi_values() {
        assert_eq!(
            nistcom_ppi(b"NIST_COM 9\nPPI 500\nLOSSY 1"),
            Some(Some(500))
        );
        assert_eq!(nistcom_ppi(b"NIST_COM 2\nPPI\t -1"), Some(Some(-1)));
        assert_eq!(nistcom_ppi(b"NIST_COM 1"), Some(None));
        assert_eq!(nistcom_ppi(b"hello"), None);
    }
}
