//! Password bytes to try, in order.
//!
//! SAT's own tools and Windows-era software encrypted keys with the password's Windows-1252
//! bytes, while modern tools use UTF-8. For a password with `ñ`, accents or `€` we try the
//! UTF-8 bytes first and then the Windows-1252 (a superset of Latin-1 for printable text) bytes,
//! before answering `bad_password`. Every candidate is wiped when dropped.

use zeroize::Zeroizing;

/// UTF-8 bytes, then Windows-1252 bytes when they differ and every character is representable.
pub(crate) fn candidates(password: &str) -> Vec<Zeroizing<Vec<u8>>> {
    let mut out = vec![Zeroizing::new(password.as_bytes().to_vec())];
    if !password.is_ascii() {
        let mut legacy = Zeroizing::new(Vec::with_capacity(password.len()));
        let all = password.chars().all(|c| match windows_1252(c) {
            Some(b) => {
                legacy.push(b);
                true
            }
            None => false,
        });
        if all {
            out.push(legacy);
        }
    }
    out
}

/// The Windows-1252 byte for `c`, if it has one.
fn windows_1252(c: char) -> Option<u8> {
    const HIGH: [(char, u8); 27] = [
        ('€', 0x80),
        ('‚', 0x82),
        ('ƒ', 0x83),
        ('„', 0x84),
        ('…', 0x85),
        ('†', 0x86),
        ('‡', 0x87),
        ('ˆ', 0x88),
        ('‰', 0x89),
        ('Š', 0x8A),
        ('‹', 0x8B),
        ('Œ', 0x8C),
        ('Ž', 0x8E),
        ('‘', 0x91),
        ('’', 0x92),
        ('“', 0x93),
        ('”', 0x94),
        ('•', 0x95),
        ('–', 0x96),
        ('—', 0x97),
        ('˜', 0x98),
        ('™', 0x99),
        ('š', 0x9A),
        ('›', 0x9B),
        ('œ', 0x9C),
        ('ž', 0x9E),
        ('Ÿ', 0x9F),
    ];
    let u = c as u32;
    if u < 0x80 || (0xA0..=0xFF).contains(&u) {
        return Some(u as u8);
    }
    HIGH.iter().find(|(h, _)| *h == c).map(|&(_, b)| b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enie_gets_two_candidates() {
        let c = candidates("contraseña 1");
        assert_eq!(c.len(), 2);
        assert_eq!(c[0].as_slice(), "contraseña 1".as_bytes());
        assert_eq!(c[1].as_slice(), b"contrase\xF1a 1");
        assert_eq!(candidates("12345678a").len(), 1);
        assert_eq!(candidates("precio€")[1].as_slice(), b"precio\x80");
        assert_eq!(candidates("日本").len(), 1);
    }
}
