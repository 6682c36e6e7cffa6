//! Huffman tables: optimal code lengths from symbol counts (encoder), canonical codes, and
//! fast decoding tables (decoder).
//!
//! WSQ reference §5.3; ITU-T T.81 Annex K.2 (figs. K.1–K.3) and Annex C, with WSQ's
//! reserved 257th symbol that keeps every code from being all ones. Code lengths are
//! computed exactly as NBIS does (`find_huff_sizes`, `sort_huffbits`), ties included.

use super::error::WsqError;

/// Longest code WSQ allows.
pub(crate) const MAX_CODE_LEN: usize = 16;

/// A DHT table: BITS\[1..=16\] (stored at index 0..16) and HUFFVAL.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct HuffTable {
    pub bits: [u8; MAX_CODE_LEN],
    pub values: Vec<u8>,
}

/// Builds the table NBIS builds for symbol counts `freq[0..256]` (one reserved symbol added).
pub(crate) fn build_table(counts: &[u32; 256]) -> HuffTable {
    let mut freq = [0u64; 257];
    for (f, &c) in freq.iter_mut().zip(counts.iter()) {
        *f = u64::from(c);
    }
    freq[256] = 1;
    let mut size = [0usize; 257];
    let mut others = [usize::MAX; 257];
    while let Some((v1, v2)) = least_two(&freq) {
        freq[v1] += freq[v2];
        freq[v2] = 0;
        let mut v = v1;
        size[v] += 1;
        while others[v] != usize::MAX {
            v = others[v];
            size[v] += 1;
        }
        others[v] = v2;
        let mut v = v2;
        size[v] += 1;
        while others[v] != usize::MAX {
            v = others[v];
            size[v] += 1;
        }
    }
    // Code-length counts of the 256 real symbols (the reserved one is left out).
    let mut bits = [0i64; 48];
    let mut adjust = false;
    for &s in &size[..256] {
        if s != 0 {
            if let Some(b) = bits.get_mut(s - 1) {
                *b += 1;
            }
        }
        adjust |= s > MAX_CODE_LEN;
    }
    if adjust {
        // T.81 fig. K.3 from the longest length down to 17, as NBIS `sort_huffbits` (which
        // starts at 32; longer codes would overflow its arrays, so it never meets them).
        let mut i = bits.len() - 1;
        while i > MAX_CODE_LEN - 1 {
            while bits[i] > 0 {
                let mut j = i - 2;
                while j > 0 && bits[j] == 0 {
                    j -= 1;
                }
                bits[i] -= 2;
                bits[i - 1] += 1;
                bits[j + 1] += 2;
                bits[j] -= 1;
            }
            bits[i] = 0;
            i -= 1;
        }
        while i > 0 && bits[i] == 0 {
            i -= 1;
        }
        bits[i] -= 1;
    }
    let mut table = HuffTable::default();
    let mut total = 0usize;
    for (dst, &b) in table.bits.iter_mut().zip(bits.iter()) {
        *dst = b.clamp(0, 255) as u8;
        total += *dst as usize;
    }
    // HUFFVAL: symbols sorted by (original code size, symbol), the first ΣBITS of them.
    for len in 1..=bits.len() {
        for (sym, &s) in size[..256].iter().enumerate() {
            if s == len && table.values.len() < total {
                table.values.push(sym as u8);
            }
        }
    }
    table
}

/// NBIS `find_least_freq`: the two symbols of least non-zero count, ties to the larger symbol.
fn least_two(freq: &[u64; 257]) -> Option<(usize, usize)> {
    let mut first: Option<(u64, usize)> = None;
    let mut second: Option<(u64, usize)> = None;
    for (i, &f) in freq.iter().enumerate() {
        if f == 0 {
            continue;
        }
        match first {
            None => first = Some((f, i)),
            Some((f1, _)) if f <= f1 => {
                second = first;
                first = Some((f, i));
            }
            Some(_) => match second {
                Some((f2, _)) if f > f2 => {}
                _ => second = Some((f, i)),
            },
        }
    }
    Some((first?.1, second?.1))
}

/// Canonical code and length of every symbol (length 0 = symbol absent), T.81 Annex C.
pub(crate) fn encoder_codes(table: &HuffTable) -> [(u16, u8); 256] {
    let mut codes = [(0u16, 0u8); 256];
    let mut code = 0u32;
    let mut k = 0usize;
    for len in 1..=MAX_CODE_LEN {
        for _ in 0..table.bits[len - 1] {
            if let Some(&sym) = table.values.get(k) {
                codes[sym as usize] = (code as u16, len as u8);
            }
            code += 1;
            k += 1;
        }
        code <<= 1;
    }
    codes
}

/// Bits looked up at once by the decoder.
const LOOKUP_BITS: u32 = 10;

/// Decoding form of a DHT table.
#[derive(Debug, Clone)]
pub(crate) struct Decoder {
    /// Indexed by the next LOOKUP_BITS bits: (symbol, length), length 0 = longer code.
    fast: Vec<(u8, u8)>,
    /// Per length L: largest code of that length (−1 = none), and first value index − first code.
    maxcode: [i32; MAX_CODE_LEN + 1],
    valoff: [i32; MAX_CODE_LEN + 1],
    values: Vec<u8>,
}

impl Decoder {
    /// Validates a table read from a file and builds its decoding tables.
    pub(crate) fn new(table: &HuffTable) -> Result<Decoder, WsqError> {
        let bad = |reason| WsqError::BadSegment {
            segment: "DHT",
            reason,
        };
        let total: usize = table.bits.iter().map(|&b| b as usize).sum();
        if total > 256 || total != table.values.len() {
            return Err(bad("more than 256 codes, or BITS and HUFFVAL disagree"));
        }
        let mut fast = vec![(0u8, 0u8); 1 << LOOKUP_BITS];
        let mut maxcode = [-1i32; MAX_CODE_LEN + 1];
        let mut valoff = [0i32; MAX_CODE_LEN + 1];
        let mut code = 0u32;
        let mut k = 0usize;
        for len in 1..=MAX_CODE_LEN {
            let n = table.bits[len - 1] as u32;
            if n > 0 {
                if code + n > (1u32 << len) {
                    return Err(bad("code lengths do not form a prefix code"));
                }
                valoff[len] = k as i32 - code as i32;
                maxcode[len] = (code + n - 1) as i32;
                for c in code..code + n {
                    if len as u32 <= LOOKUP_BITS {
                        let shift = LOOKUP_BITS - len as u32;
                        let sym = table.values.get(k).copied().unwrap_or(0);
                        for e in fast.iter_mut().skip((c << shift) as usize).take(1 << shift) {
                            *e = (sym, len as u8);
                        }
                    }
                    k += 1;
                }
            }
            code = (code + n) << 1;
        }
        Ok(Decoder {
            fast,
            maxcode,
            valoff,
            values: table.values.clone(),
        })
    }

    /// Decodes one symbol from the 32 bits `peek` (MSB = next bit). Returns (symbol, length),
    /// or None when the bits start no code of the table.
    #[inline]
    pub(crate) fn decode(&self, peek: u32) -> Option<(u8, u32)> {
        let (sym, len) = self.fast[(peek >> (32 - LOOKUP_BITS)) as usize];
        if len != 0 {
            return Some((sym, u32::from(len)));
        }
        for len in LOOKUP_BITS as usize + 1..=MAX_CODE_LEN {
            let code = (peek >> (32 - len)) as i32;
            if code <= self.maxcode[len] {
                let idx = self.valoff[len] + code;
                return self
                    .values
                    .get(usize::try_from(idx).ok()?)
                    .map(|&s| (s, len as u32));
            }
        }
        None
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_codes_decode() {
        let mut counts = [0u32; 256];
        for (i, c) in counts.iter_mut().enumerate() {
            *c = ((i * 7919) % 1000) as u32 * (i % 3) as u32;
        }
        let t = build_table(&counts);
        assert!(t.bits.iter().map(|&b| b as usize).sum::<usize>() == t.values.len());
        let codes = encoder_codes(&t);
        let dec = Decoder::new(&t).unwrap();
        for (sym, &(code, len)) in codes.iter().enumerate() {
            if counts[sym] == 0 {
                assert_eq!(len, 0);
                continue;
            }
            assert!(len >= 1 && len as usize <= MAX_CODE_LEN);
            // Never all ones.
            assert_ne!(u32::from(code), (1u32 << len) - 1);
            let peek = (u32::from(code) << (32 - len)) | ((1u32 << (32 - len)) - 1) >> 1;
            assert_eq!(dec.decode(peek), Some((sym as u8, u32::from(len))));
        }
    }

    #[test]
    fn skewed_counts_are_limited_to_16_bits() {
        let mut counts = [0u32; 256];
        let mut f = 1u32;
        for c in counts.iter_mut().skip(1).take(40) {
            *c = f;
            f = f.saturating_mul(2).min(1 << 30);
        }
        let t = build_table(&counts);
        let codes = encoder_codes(&t);
        assert!(codes.iter().all(|&(_, l)| l as usize <= MAX_CODE_LEN));
        assert_eq!(t.values.len(), 40);
        Decoder::new(&t).unwrap();
    }

    #[test]
    fn empty_table() {
        let t = build_table(&[0u32; 256]);
        assert_eq!(t.bits, [0u8; 16]);
        assert!(t.values.is_empty());
    }
}
