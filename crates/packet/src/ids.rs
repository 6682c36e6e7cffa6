//! Mexican identifiers (domain.md §1–4): CURP, RFC, NSS and registro patronal.
//!
//! Each check returns why a value is refused. The RFC check digit is only a warning
//! ([`rfc_check_digit_ok`]): real RFCs with a wrong digit exist.

const CURP_ALPHABET: &str = "0123456789ABCDEFGHIJKLMNÑOPQRSTUVWXYZ";
const RFC_ALPHABET: &str = "0123456789ABCDEFGHIJKLMN&OPQRSTUVWXYZ Ñ";
const ENTITIES: [&str; 33] = [
    "AS", "BC", "BS", "CC", "CL", "CM", "CS", "CH", "DF", "DG", "GT", "GR", "HG", "JC", "MC", "MN",
    "MS", "NT", "NL", "OC", "PL", "QT", "QR", "SP", "SL", "SR", "TC", "TS", "TL", "VZ", "YN", "ZS",
    "NE",
];

fn index_in(alphabet: &str, c: char) -> Option<u32> {
    alphabet.chars().position(|a| a == c).map(|i| i as u32)
}

fn is_leap(y: u32) -> bool {
    (y.is_multiple_of(4) && !y.is_multiple_of(100)) || y.is_multiple_of(400)
}

/// Whether `yymmdd` (digits) is a real calendar date in `century`.
fn real_date(s: &str, century: u32) -> bool {
    let n = |r: core::ops::Range<usize>| s.get(r).and_then(|x| x.parse::<u32>().ok());
    let (Some(yy), Some(mm), Some(dd)) = (n(0..2), n(2..4), n(4..6)) else {
        return false;
    };
    let y = century + yy;
    let days = match mm {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(y) => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&dd)
}

/// Validates a CURP: structure, entity, calendar date and check digit.
pub fn check_curp(curp: &str) -> Result<(), &'static str> {
    let c: Vec<char> = curp.chars().collect();
    if c.len() != 18 {
        return Err("la CURP debe tener 18 caracteres");
    }
    let upper = |ch: &char| ch.is_ascii_uppercase();
    let digit = |ch: &char| ch.is_ascii_digit();
    let consonant = |ch: &char| upper(ch) && !"AEIOU".contains(*ch);
    let ok_shape = c[..4].iter().all(upper)
        && "AEIOUX".contains(c[1])
        && c[4..10].iter().all(digit)
        && "HMX".contains(c[10])
        && c[13..16].iter().all(consonant)
        && (upper(&c[16]) || digit(&c[16]))
        && digit(&c[17]);
    if !ok_shape {
        return Err("la CURP no tiene la estructura oficial");
    }
    let entity: String = c[11..13].iter().collect();
    if !ENTITIES.contains(&entity.as_str()) {
        return Err("entidad de nacimiento desconocida");
    }
    let century = if c[16].is_ascii_digit() { 1900 } else { 2000 };
    let date: String = c[4..10].iter().collect();
    if !real_date(&date, century) {
        return Err("fecha de nacimiento inexistente");
    }
    let mut sum = 0u32;
    for (i, ch) in c[..17].iter().enumerate() {
        let v = index_in(CURP_ALPHABET, *ch).ok_or("carácter inválido en la CURP")?;
        sum += v * (18 - i as u32);
    }
    let expected = (10 - sum % 10) % 10;
    if c[17].to_digit(10) != Some(expected) {
        return Err("dígito verificador de la CURP incorrecto");
    }
    Ok(())
}

/// Validates an RFC's structure and date (12 moral, 13 física). Generic RFCs are refused.
pub fn check_rfc(rfc: &str) -> Result<(), &'static str> {
    if rfc == "XAXX010101000" || rfc == "XEXX010101000" {
        return Err("RFC genérico: no identifica a una persona");
    }
    let c: Vec<char> = rfc.chars().collect();
    let letters = match c.len() {
        13 => 4,
        12 => 3,
        _ => return Err("el RFC debe tener 12 o 13 caracteres"),
    };
    let letter = |ch: &char| ch.is_ascii_uppercase() || *ch == 'Ñ' || *ch == '&';
    let alnum = |ch: &char| ch.is_ascii_uppercase() || ch.is_ascii_digit();
    let ok = c[..letters].iter().all(letter)
        && c[letters..letters + 6].iter().all(char::is_ascii_digit)
        && c[letters + 6..letters + 8].iter().all(alnum)
        && (c[letters + 8] == 'A' || c[letters + 8].is_ascii_digit());
    if !ok {
        return Err("el RFC no tiene la estructura oficial");
    }
    let date: String = c[letters..letters + 6].iter().collect();
    // Century is not encoded; any century with a real date is accepted (29 Feb: leap year 2000).
    if !real_date(&date, 2000) && !real_date(&date, 1900) {
        return Err("fecha inexistente en el RFC");
    }
    Ok(())
}

/// Whether the RFC's last character matches SAT's check digit (a warning only).
pub fn rfc_check_digit_ok(rfc: &str) -> bool {
    let mut c: Vec<char> = rfc.chars().collect();
    let Some(last) = c.pop() else { return false };
    if c.len() == 11 {
        c.insert(0, ' ');
    }
    if c.len() != 12 {
        return false;
    }
    let mut sum = 0u32;
    for (i, ch) in c.iter().enumerate() {
        let Some(v) = index_in(RFC_ALPHABET, *ch) else {
            return false;
        };
        sum += v * (13 - i as u32);
    }
    let expected = match 11 - sum % 11 {
        11 => '0',
        10 => 'A',
        r => char::from_digit(r, 10).unwrap_or('?'),
    };
    last == expected
}

/// Validates an NSS: 11 digits with a Luhn check digit.
pub fn check_nss(nss: &str) -> Result<(), &'static str> {
    let digits: Vec<u32> = nss.chars().filter_map(|c| c.to_digit(10)).collect();
    if nss.len() != 11 || digits.len() != 11 {
        return Err("el NSS debe tener 11 dígitos");
    }
    let mut sum = 0;
    for (i, d) in digits[..10].iter().enumerate() {
        let p = if i % 2 == 1 { d * 2 } else { *d };
        sum += p / 10 + p % 10;
    }
    if (10 - sum % 10) % 10 != digits[10] {
        return Err("dígito verificador del NSS incorrecto");
    }
    Ok(())
}

/// Validates a registro patronal's format (a letter + 10 digits; the verifier algorithm is
/// not public, so only the format is checked).
pub fn check_registro_patronal(rp: &str) -> Result<(), &'static str> {
    let b = rp.as_bytes();
    if b.len() == 11 && b[0].is_ascii_uppercase() && b[1..].iter().all(u8::is_ascii_digit) {
        Ok(())
    } else {
        Err("el registro patronal debe ser una letra y 10 dígitos")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn curps_from_domain_reference() {
        for ok in [
            "LOMA900315MJCPRN09",
            "HEXC050620HNERXRA0",
            "EAAF011130MMCSRRB2",
            "SABC560626MDFLRN01",
            "BOXW310820HNERXN09",
        ] {
            assert_eq!(check_curp(ok), Ok(()), "{ok}");
        }
        assert!(check_curp("LOMA900315MJCPRN05").is_err());
        assert!(check_curp("LOMA900231MJCPRN06").is_err());
        assert!(check_curp("HEGT761003MDFRNN09").is_err());
    }

    #[test]
    fn rfcs_from_domain_reference() {
        for ok in [
            "SAT970701NN3",
            "EKU9003173C9",
            "HEGT7610034S2",
            "LOMA900315H77",
            "ACM051024KL5",
            "PEXC850101Q31",
        ] {
            assert_eq!(check_rfc(ok), Ok(()), "{ok}");
            assert!(rfc_check_digit_ok(ok), "{ok}");
        }
        assert!(!rfc_check_digit_ok("LOMA900315H75"));
        assert!(!rfc_check_digit_ok("AAA010101AAA"));
        assert!(check_rfc("ACM051324KL9").is_err());
        assert!(check_rfc("XAXX010101000").is_err());
    }

    #[test]
    fn nss_and_registro() {
        for ok in ["92919084431", "01129404578", "43988055125", "12109212345"] {
            assert_eq!(check_nss(ok), Ok(()), "{ok}");
        }
        assert!(check_nss("92919084432").is_err());
        assert!(check_nss("9291908443").is_err());
        assert!(check_registro_patronal("B5510768108").is_ok());
        assert!(check_registro_patronal("b5510768108").is_err());
        assert!(check_registro_patronal("B551076810").is_err());
    }
}
