//! `huella inspect|sign|verify` as a user runs them: JSON out, `{code,message}` + exit 1 on failure.

use std::path::PathBuf;
use std::process::{Command, Output};

fn sat(name: &str) -> PathBuf {
    PathBuf::from(format!(
        "{}/../../../shared/testdata/efirma/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
}

fn tmp(tag: &str) -> PathBuf {
    let p = std::env::temp_dir().join(format!("huella-cli-{tag}-{}", std::process::id()));
    std::fs::create_dir_all(&p).unwrap();
    p
}

fn huella(args: &[&str], password: Option<&str>) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_huella"));
    cmd.args(args).env_remove("HUELLA_PASSWORD");
    if let Some(pw) = password {
        cmd.env("HUELLA_PASSWORD", pw);
    }
    cmd.output().unwrap()
}

fn json(bytes: &[u8]) -> serde_json::Value {
    serde_json::from_slice(bytes)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(bytes)))
}

#[test]
fn inspect_reports_identity_expiry_and_key_match() {
    let dir = tmp("inspect");
    let pw = dir.join("pw");
    std::fs::write(&pw, "12345678a\n").unwrap();
    let cer = sat("fiel_aaa010101aaa.cer");
    let out = huella(
        &[
            "inspect",
            "--cer",
            cer.to_str().unwrap(),
            "--key",
            sat("fiel_aaa010101aaa.key").to_str().unwrap(),
            "--password-file",
            pw.to_str().unwrap(),
        ],
        None,
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v = json(&out.stdout);
    assert_eq!(v["rfc"], "AAA010101AAA");
    assert_eq!(v["kind"], "FIEL");
    assert_eq!(v["certificate_number"], "30001000000300023685");
    assert_eq!(v["expired"], true);
    assert_eq!(v["key_matches"], true);
    assert_eq!(v["representative_curp"], "HEGT761003MDFRNN09");
    for field in ["curp", "name", "not_before", "not_after", "issuer"] {
        assert!(v.get(field).is_some(), "{field}");
    }
    // The CSD key with the FIEL certificate: key_matches false, exit 0.
    let out = huella(
        &[
            "inspect",
            "--cer",
            cer.to_str().unwrap(),
            "--key",
            sat("csd01_aaa010101aaa.key").to_str().unwrap(),
        ],
        Some("12345678a"),
    );
    assert_eq!(json(&out.stdout)["key_matches"], false);
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn sign_then_verify_both_formats() {
    let dir = tmp("sign");
    let input = dir.join("doc.txt");
    std::fs::write(&input, "alta NSS 92919084431").unwrap();
    let (cer, key) = (sat("fiel_aaa010101aaa.cer"), sat("fiel_aaa010101aaa.key"));
    for format in ["cms", "pkcs1"] {
        let sig = dir.join(format!("doc.{format}"));
        let out = huella(
            &[
                "sign",
                "--cer",
                cer.to_str().unwrap(),
                "--key",
                key.to_str().unwrap(),
                "--in",
                input.to_str().unwrap(),
                "--out",
                sig.to_str().unwrap(),
                "--format",
                format,
                "--at",
                "2019-06-01T12:00:00Z",
            ],
            Some("12345678a"),
        );
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let mut args = vec![
            "verify",
            "--in",
            input.to_str().unwrap(),
            "--sig",
            sig.to_str().unwrap(),
        ];
        if format == "pkcs1" {
            args.extend(["--cer", cer.to_str().unwrap()]);
        }
        let out = huella(&args, None);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let v = json(&out.stdout);
        assert_eq!(v["valid"], true);
        assert_eq!(v["signer"]["rfc"], "AAA010101AAA");
        // Tampered content fails with a code on stderr and exit 1.
        std::fs::write(dir.join("other.txt"), "baja").unwrap();
        args[2] = dir.join("other.txt").to_str().unwrap().to_owned().leak();
        let out = huella(&args, None);
        assert_eq!(out.status.code(), Some(1));
        assert_eq!(json(&out.stderr)["code"], "bad_signature");
        assert_eq!(json(&out.stdout)["valid"], false);
    }
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn failures_are_json_on_stderr_and_never_echo_the_password() {
    let dir = tmp("fail");
    let input = dir.join("doc.txt");
    std::fs::write(&input, "x").unwrap();
    let (cer, key) = (sat("fiel_aaa010101aaa.cer"), sat("fiel_aaa010101aaa.key"));
    let sig = dir.join("s");
    let secret = "clave-secreta-ñ";
    let out = huella(
        &[
            "sign",
            "--cer",
            cer.to_str().unwrap(),
            "--key",
            key.to_str().unwrap(),
            "--in",
            input.to_str().unwrap(),
            "--out",
            sig.to_str().unwrap(),
        ],
        Some(secret),
    );
    assert_eq!(out.status.code(), Some(1));
    let err = json(&out.stderr);
    assert_eq!(err["code"], "bad_password");
    assert!(!String::from_utf8_lossy(&out.stderr).contains(secret));
    assert!(!String::from_utf8_lossy(&out.stdout).contains(secret));
    // Right password, but now is after the certificate expired.
    let out = huella(
        &[
            "sign",
            "--cer",
            cer.to_str().unwrap(),
            "--key",
            key.to_str().unwrap(),
            "--in",
            input.to_str().unwrap(),
            "--out",
            sig.to_str().unwrap(),
        ],
        Some("12345678a"),
    );
    assert_eq!(json(&out.stderr)["code"], "expired");
    assert!(!sig.exists());
    // Missing file.
    let out = huella(&["inspect", "--cer", "/nonexistent.cer"], None);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(json(&out.stderr)["code"], "io");
    let _ = std::fs::remove_dir_all(dir);
}
