//! Frame scrambling (sheet: *Scrambling*): the key generator, the per-byte XOR mask, the
//! detection heuristic, and block decoding. The emulator encodes with the same key generator.

use super::geometry::WIDTH;

/// Taps of the key generator.
const KEY_TAPS: u32 = 0x9248_144D;
/// Key bits that form the XOR mask, in output-bit order 0…7.
const MASK_BITS: [u32; 8] = [4, 8, 11, 14, 18, 21, 24, 29];
/// Variance at or above which a frame counts as scrambled (was 1000 before 2016).
pub const SCRAMBLE_VARIANCE_THRESHOLD: u64 = 5_000;

/// One key step: `(parity(key & taps) << 31) | (key >> 1)`.
pub fn step(key: u32) -> u32 {
    let parity = (key & KEY_TAPS).count_ones() & 1;
    (parity << 31) | (key >> 1)
}

/// The XOR mask byte for the current key.
pub fn mask(key: u32) -> u8 {
    MASK_BITS
        .iter()
        .enumerate()
        .fold(0u8, |acc, (out_bit, &key_bit)| {
            acc | ((((key >> key_bit) & 1) as u8) << out_bit)
        })
}

/// Steps the key `n` times.
pub fn step_n(mut key: u32, n: usize) -> u32 {
    for _ in 0..n {
        key = step(key);
    }
    key
}

/// Decodes one scrambled block in place and returns the key after it. The block's first byte on
/// the wire is dropped, so `out[i] = in[i+1] ^ mask` and the last byte becomes 0; the key steps
/// once per byte.
pub fn decode_block(block: &mut [u8], mut key: u32) -> u32 {
    let n = block.len();
    if n == 0 {
        return key;
    }
    for i in 0..n - 1 {
        let m = mask(key);
        key = step(key);
        let next = block.get(i + 1).copied().unwrap_or(0);
        if let Some(b) = block.get_mut(i) {
            *b = next ^ m;
        }
    }
    if let Some(last) = block.last_mut() {
        *last = 0;
    }
    step(key)
}

/// Encodes `plain` into one scrambled block (the inverse of [`decode_block`]): byte 0 is `junk`,
/// byte `i+1` carries `plain[i]`; `plain`'s last byte cannot be carried. Returns the key after it.
pub fn encode_block(plain: &[u8], out: &mut [u8], mut key: u32, junk: u8) -> u32 {
    let n = plain.len().min(out.len());
    if n == 0 {
        return key;
    }
    if let Some(first) = out.first_mut() {
        *first = junk;
    }
    for i in 0..n - 1 {
        let m = mask(key);
        key = step(key);
        if let (Some(o), Some(p)) = (out.get_mut(i + 1), plain.get(i)) {
            *o = p ^ m;
        }
    }
    step(key)
}

/// The detection heuristic over the first two present source rows `a` and `b` (each [`WIDTH`]
/// bytes): integer mean and variance of `a[i] + b[i]`; scrambled when the variance ≥ 5000.
pub fn looks_scrambled(a: &[u8], b: &[u8]) -> bool {
    variance(a, b) >= SCRAMBLE_VARIANCE_THRESHOLD
}

/// `⌊Σ(a[i]+b[i]−mean)² / 384⌋` with `mean = ⌊Σ(a[i]+b[i]) / 384⌋`.
pub fn variance(a: &[u8], b: &[u8]) -> u64 {
    let sums: Vec<i64> = a
        .iter()
        .zip(b)
        .take(WIDTH)
        .map(|(&x, &y)| i64::from(x) + i64::from(y))
        .collect();
    let w = WIDTH as i64;
    let mean = sums.iter().sum::<i64>() / w;
    let sq: i64 = sums.iter().map(|s| (s - mean) * (s - mean)).sum();
    (sq / w) as u64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn step_matches_the_fold_definition() {
        // The sheet's long form: fold t = key & taps by xor-shifting left 16, 8, 4, 2, 1.
        fn folded(key: u32) -> u32 {
            let mut t = key & KEY_TAPS;
            for s in [16, 8, 4, 2, 1] {
                t ^= t << s;
            }
            (t & 0x8000_0000) | (key >> 1)
        }
        let mut k = 0x1234_5678u32;
        for _ in 0..10_000 {
            assert_eq!(step(k), folded(k));
            k = k.wrapping_mul(2_654_435_761).wrapping_add(12345);
        }
    }

    #[test]
    fn mask_picks_the_listed_bits() {
        assert_eq!(mask(0), 0);
        assert_eq!(mask(1 << 4), 0x01);
        assert_eq!(mask(1 << 29), 0x80);
        assert_eq!(mask(1 << 11 | 1 << 21), 0x04 | 0x20);
        assert_eq!(mask(!(1 << 4 | 1 << 8 | 1 << 11)), 0xF8);
    }

    #[test]
    fn decode_hand_computed_vector() {
        // key 0x10: mask = bit 4 -> 0x01; key & taps = 0 -> step = 0x08 (mask 0x00);
        // 0x08 & taps has odd parity -> 0x8000_0004; the final (third) step: bits 31 and 2 of
        // 0x8000_0004 & taps -> even parity -> 0x4000_0002.
        let mut block = [0x09, 0x20, 0x30];
        let key = decode_block(&mut block, 0x10);
        assert_eq!(block, [0x21, 0x30, 0x00]);
        assert_eq!(key, 0x4000_0002);
    }

    #[test]
    fn encode_then_decode_round_trips_all_but_the_last_byte() {
        let plain: Vec<u8> = (0..1000u32).map(|i| (i * 7 % 256) as u8).collect();
        let mut wire = vec![0u8; plain.len()];
        let k_enc = encode_block(&plain, &mut wire, 0xDEAD_BEEF, 0x5A);
        assert_ne!(wire[1..], plain[..plain.len() - 1]);
        let k_dec = decode_block(&mut wire, 0xDEAD_BEEF);
        assert_eq!(k_enc, k_dec);
        assert_eq!(k_dec, step_n(0xDEAD_BEEF, plain.len()));
        assert_eq!(wire[..999], plain[..999]);
        assert_eq!(wire[999], 0);
    }

    #[test]
    fn heuristic_separates_noise_from_smooth_rows() {
        let mut x = 0x9E37_79B9u32;
        let mut noise = || {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            (x >> 24) as u8
        };
        let a: Vec<u8> = (0..WIDTH).map(|_| noise()).collect();
        let b: Vec<u8> = (0..WIDTH).map(|_| noise()).collect();
        let v = variance(&a, &b);
        assert!((9_000..13_000).contains(&v), "random rows gave {v}");
        assert!(looks_scrambled(&a, &b));
        let smooth: Vec<u8> = (0..WIDTH).map(|i| 100 + (i / 8) as u8).collect();
        assert!(!looks_scrambled(&smooth, &smooth));
        // Ridge-rich rows (a strong periodic pattern) can misfire: the sheet's warning.
        let ridges: Vec<u8> = (0..WIDTH)
            .map(|i| if (i / 4) % 2 == 0 { 230 } else { 20 })
            .collect();
        assert!(looks_scrambled(&ridges, &ridges));
    }
}
