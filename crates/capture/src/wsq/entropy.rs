//! Run/escape symbols of the quantised coefficients and their Huffman bit streams.
//!
//! WSQ reference §5.1, §5.2, §5.4; FBI IAFIS-IC-0110 §4 (Huffman coding, Table 3 symbol
//! categories). The encoder forms symbols exactly as NBIS's `compress_block`; the decoder
//! reads byte-stuffed data up to the next marker, like JPEG's entropy-coded segments.

use super::error::WsqError;
use super::huffman::Decoder;

/// Largest coefficient magnitude with its own symbol (value + 180).
const MAX_COEFF: i32 = 74;
/// Largest zero run with its own symbol.
const MAX_ZRUN: u32 = 100;

/// One Huffman symbol and the raw bits that follow it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Sym {
    pub sym: u8,
    pub extra_len: u8,
    pub extra: u16,
}

fn run_symbol(run: u32) -> Sym {
    if run <= MAX_ZRUN {
        Sym {
            sym: run as u8,
            extra_len: 0,
            extra: 0,
        }
    } else if run <= 0xFF {
        Sym {
            sym: 105,
            extra_len: 8,
            extra: run as u16,
        }
    } else {
        Sym {
            sym: 106,
            extra_len: 16,
            extra: run as u16,
        }
    }
}

fn value_symbol(v: i32) -> Sym {
    let (sym, extra_len, extra) = if v > MAX_COEFF {
        if v > 255 {
            (103, 16, v)
        } else {
            (101, 8, v)
        }
    } else if v < 1 - MAX_COEFF {
        if v < -255 {
            (104, 16, -v)
        } else {
            (102, 8, -v)
        }
    } else {
        ((v + 180) as u8, 0, 0)
    };
    Sym {
        sym,
        extra_len,
        extra: extra as u16,
    }
}

/// Appends the symbols of one block (coefficients already |v| ≤ 65535) and counts them.
pub(crate) fn block_symbols(coeffs: &[i32], out: &mut Vec<Sym>, counts: &mut [u32; 256]) {
    let mut run = 0u32;
    let mut push = |s: Sym, out: &mut Vec<Sym>| {
        counts[s.sym as usize] += 1;
        out.push(s);
    };
    for &v in coeffs {
        if v == 0 {
            if run == 0xFFFF {
                push(run_symbol(run), out);
                run = 0;
            }
            run += 1;
            continue;
        }
        if run > 0 {
            push(run_symbol(run), out);
            run = 0;
        }
        push(value_symbol(v), out);
    }
    if run > 0 {
        push(run_symbol(run), out);
    }
}

/// MSB-first bit packer with WSQ/JPEG byte stuffing (0xFF is followed by 0x00).
struct BitWriter<'a> {
    out: &'a mut Vec<u8>,
    acc: u64,
    nbits: u32,
}

impl BitWriter<'_> {
    #[inline]
    fn put(&mut self, value: u32, len: u32) {
        self.acc = (self.acc << len) | u64::from(value);
        self.nbits += len;
        while self.nbits >= 8 {
            self.nbits -= 8;
            let b = (self.acc >> self.nbits) as u8;
            self.out.push(b);
            if b == 0xFF {
                self.out.push(0);
            }
        }
    }

    /// Pads the last byte with 1 bits.
    fn flush(&mut self) {
        if self.nbits > 0 {
            let pad = 8 - self.nbits;
            self.put((1 << pad) - 1, pad);
        }
    }
}

/// Writes the Huffman-coded bytes of `syms` with `codes` (code, length) per symbol.
pub(crate) fn write_block(syms: &[Sym], codes: &[(u16, u8); 256], out: &mut Vec<u8>) {
    let mut w = BitWriter {
        out,
        acc: 0,
        nbits: 0,
    };
    for s in syms {
        let (code, len) = codes[s.sym as usize];
        w.put(u32::from(code), u32::from(len));
        if s.extra_len > 0 {
            w.put(u32::from(s.extra), u32::from(s.extra_len));
        }
    }
    w.flush();
}

/// Byte-stuffed bit reader that stops at the first marker (0xFF followed by non-zero).
struct BitReader<'a> {
    data: &'a [u8],
    pos: usize,
    /// Bits are left-aligned: the next bit is bit 63.
    acc: u64,
    nbits: u32,
    /// A marker (or the end of the buffer) was reached: no more data bits.
    ended: bool,
}

impl BitReader<'_> {
    #[inline]
    fn refill(&mut self) {
        while self.nbits <= 56 && !self.ended {
            let Some(&b) = self.data.get(self.pos) else {
                self.ended = true;
                break;
            };
            if b == 0xFF {
                match self.data.get(self.pos + 1) {
                    Some(0) => self.pos += 2,
                    _ => {
                        self.ended = true;
                        break;
                    }
                }
            } else {
                self.pos += 1;
            }
            self.acc |= u64::from(b) << (56 - self.nbits);
            self.nbits += 8;
        }
    }

    /// Next 32 bits, padded with 1 bits past the end of the data.
    #[inline]
    fn peek32(&self) -> u32 {
        let pad = if self.nbits >= 64 {
            0
        } else {
            u64::MAX >> self.nbits
        };
        ((self.acc | pad) >> 32) as u32
    }

    #[inline]
    fn consume(&mut self, n: u32) {
        self.acc = if n >= 64 { 0 } else { self.acc << n };
        self.nbits -= n;
    }

    fn raw(&mut self, n: u32) -> Result<u32, WsqError> {
        self.refill();
        if self.nbits < n {
            return Err(WsqError::Truncated("escape bits cut short by a marker"));
        }
        let v = (self.acc >> (64 - n)) as u32;
        self.consume(n);
        Ok(v)
    }
}

/// Decodes one block's entropy-coded data starting at `data[start]` into `coeffs` from index
/// `*count` on (runs leave zeros). Returns the offset of the marker that ends the block.
pub(crate) fn read_block(
    data: &[u8],
    start: usize,
    table: &Decoder,
    coeffs: &mut [i32],
    count: &mut usize,
) -> Result<usize, WsqError> {
    let mut r = BitReader {
        data,
        pos: start,
        acc: 0,
        nbits: 0,
        ended: false,
    };
    let total = coeffs.len();
    let overflow = |found: usize| WsqError::CoefficientCount {
        expected: total as u64,
        found: found as u64,
    };
    loop {
        r.refill();
        if r.nbits == 0 {
            break;
        }
        let (sym, len) = match table.decode(r.peek32()) {
            Some((sym, len)) if len <= r.nbits => (sym, len),
            // A code running into the 1-bit padding before the marker ends the block.
            _ if r.ended => break,
            _ => return Err(WsqError::BadEntropyData("bit pattern is no Huffman code")),
        };
        r.consume(len);
        let (run, value) = match sym {
            1..=100 => (u32::from(sym), 0),
            101 => (0, r.raw(8)? as i32),
            102 => (0, -(r.raw(8)? as i32)),
            103 => (0, r.raw(16)? as i32),
            104 => (0, -(r.raw(16)? as i32)),
            105 => (r.raw(8)?, 0),
            106 => (r.raw(16)?, 0),
            107..=254 => (0, i32::from(sym) - 180),
            _ => return Err(WsqError::BadEntropyData("symbol 0 or 255 is not defined")),
        };
        if matches!(sym, 1..=100 | 105 | 106) {
            let end = *count + run as usize;
            if end > total {
                return Err(overflow(end));
            }
            *count = end;
        } else {
            let slot = coeffs.get_mut(*count).ok_or_else(|| overflow(total + 1))?;
            *slot = value;
            *count += 1;
        }
    }
    Ok(r.pos)
}
