//! Truncated and bit-flipped `.cer` / `.key` files never panic: a short deterministic fuzz run.
//! (Long runs: `cargo fuzz` is not needed for this — raise `FLIPS` locally.)

mod support;

use efirma::{verify_cms, Certificate, Credential, VerifyOptions};
use support::sat;

const FLIPS: usize = 400;

/// xorshift64*: deterministic, no dependency.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
}

fn mutations(original: &[u8], seed: u64) -> Vec<Vec<u8>> {
    let mut out: Vec<Vec<u8>> = (0..original.len())
        .step_by(3)
        .map(|n| original[..n].to_vec())
        .collect();
    let mut rng = Rng(seed);
    for _ in 0..FLIPS {
        let mut m = original.to_vec();
        let flips = 1 + (rng.next() % 4) as usize;
        for _ in 0..flips {
            let i = (rng.next() as usize) % m.len();
            m[i] ^= 1 << (rng.next() % 8);
        }
        out.push(m);
    }
    out
}

#[test]
fn mutated_certificates_never_panic() {
    let cer = sat("fiel_aaa010101aaa.cer");
    for m in mutations(&cer, 1) {
        let _ = Certificate::from_bytes(&m);
    }
}

#[test]
fn mutated_keys_never_panic_and_never_open() {
    let cer = sat("fiel_aaa010101aaa.cer");
    let key = sat("fiel_aaa010101aaa.key");
    for m in mutations(&key, 2) {
        match Credential::open(&cer, &m, "12345678a") {
            Ok(_) => {} // a flip in unused DER bytes can leave the key intact
            Err(e) => assert!(
                [
                    "corrupt_key",
                    "bad_password",
                    "unsupported_algorithm",
                    "key_mismatch"
                ]
                .contains(&e.code()),
                "{e:?}"
            ),
        }
    }
}

#[test]
fn mutated_signatures_never_panic_and_never_verify_wrongly() {
    let cred = Credential::open(
        &sat("fiel_aaa010101aaa.cer"),
        &sat("fiel_aaa010101aaa.key"),
        "12345678a",
    )
    .unwrap();
    let at = efirma::Timestamp::parse_rfc3339("2019-06-01T12:00:00Z").unwrap();
    let sig = cred.sign_cms(b"contenido", at).unwrap();
    for m in mutations(&sig, 3) {
        let _ = verify_cms(&m, b"contenido", VerifyOptions::default());
    }
}
