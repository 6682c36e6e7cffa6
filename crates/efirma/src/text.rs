//! Lenient decoding of X.509 directory strings (RFC 5280 §4.1.2.4, X.520).
//!
//! SAT certificates put `Ñ` and accented letters in every string type: UTF8String (the right
//! one), but also PrintableString holding UTF-8 (certificates issued in May 2023), TeletexString
//! holding Latin-1, BMPString (UTF-16BE) and double-encoded UTF-8 ("MUÃ\u{91}OZ"). For *display*
//! we recover the intended text from any of them; signatures are always checked over the
//! original bytes, never over re-encoded strings.

use der::{asn1::AnyRef, Tag, Tagged};

/// The text of a directory-string value, whatever its declared type.
pub fn directory_string(value: AnyRef<'_>) -> String {
    let bytes = value.value();
    let text = match value.tag() {
        Tag::BmpString => utf16be(bytes),
        _ => utf8_or_latin1(bytes),
    };
    repair_double_utf8(text)
}

/// UTF-8 when the bytes are UTF-8, else Latin-1 (ISO 8859-1, which TeletexString means in practice).
pub fn utf8_or_latin1(bytes: &[u8]) -> String {
    match core::str::from_utf8(bytes) {
        Ok(s) => s.to_owned(),
        Err(_) => bytes.iter().map(|&b| b as char).collect(),
    }
}

fn utf16be(bytes: &[u8]) -> String {
    let units: Vec<u16> = bytes
        .chunks_exact(2)
        .map(|c| u16::from_be_bytes([c[0], c[1]]))
        .collect();
    char::decode_utf16(units)
        .map(|r| r.unwrap_or(char::REPLACEMENT_CHARACTER))
        .collect()
}

/// Undoes one level of "UTF-8 read as Latin-1 and encoded again" (`MUÃ\u{91}OZ` → `MUÑOZ`).
/// Only when every character is ≤ U+00FF, some are ≥ U+0080, and the bytes form valid UTF-8 —
/// legitimate Latin-1 text almost never satisfies all three.
fn repair_double_utf8(text: String) -> String {
    let all_latin1 = text.chars().all(|c| (c as u32) <= 0xFF);
    let some_high = text.chars().any(|c| (c as u32) >= 0x80);
    if !(all_latin1 && some_high) {
        return text;
    }
    let bytes: Vec<u8> = text.chars().map(|c| c as u32 as u8).collect();
    match String::from_utf8(bytes) {
        Ok(fixed) => fixed,
        Err(_) => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn any(tag: Tag, bytes: &[u8]) -> String {
        directory_string(AnyRef::new(tag, bytes).unwrap())
    }

    #[test]
    fn enie_in_every_string_type() {
        assert_eq!(any(Tag::Utf8String, "PEÑA".as_bytes()), "PEÑA");
        assert_eq!(any(Tag::PrintableString, "PEÑA".as_bytes()), "PEÑA");
        assert_eq!(any(Tag::TeletexString, b"PE\xD1A"), "PEÑA");
        assert_eq!(any(Tag::BmpString, b"\0P\0E\0\xD1\0A"), "PEÑA");
        // Double-encoded UTF-8: "Ñ" = C3 91, each byte re-encoded as UTF-8.
        assert_eq!(any(Tag::Utf8String, "PEÃ\u{91}A".as_bytes()), "PEÑA");
        assert_eq!(
            any(Tag::Utf8String, "Administración".as_bytes()),
            "Administración"
        );
    }
}
