//! The JS API in headless Chromium (wasm-bindgen-test): open the SAT test FIEL, wrong
//! password, sign with both paths, and the signatures verify with the Rust verifier.
#![cfg(target_arch = "wasm32")]

use efirma_wasm::{Credential, WebCryptoCredential};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const CER: &[u8] = include_bytes!("../../../../shared/testdata/efirma/fiel_aaa010101aaa.cer");
const KEY: &[u8] = include_bytes!("../../../../shared/testdata/efirma/fiel_aaa010101aaa.key");
/// 2019-06-01T12:00:00Z in ms: inside the (expired) test certificate's validity.
const AT_MS: f64 = 1_559_390_400_000.0;

fn code(err: &JsValue) -> String {
    js_sys::Reflect::get(err, &"code".into())
        .unwrap()
        .as_string()
        .unwrap()
}

#[wasm_bindgen_test]
fn opens_sat_fiel_and_exposes_identity() {
    let cred = Credential::open(CER, KEY, "12345678a".into()).unwrap();
    assert_eq!(cred.rfc(), "AAA010101AAA");
    assert_eq!(cred.kind(), "FIEL");
    assert_eq!(cred.certificate_number(), "30001000000300023685");
    assert_eq!(cred.curp().as_deref(), Some("HEGT761003MDFRNN09"));
    assert!(cred.expired());
    drop(cred); // JS calls cred.free(), which drops and wipes the key
}

#[wasm_bindgen_test]
fn wrong_password_is_an_error_with_code() {
    let err = Credential::open(CER, KEY, "nope".into()).err().unwrap();
    assert!(err.is_instance_of::<js_sys::Error>());
    assert_eq!(code(&err), "bad_password");
}

#[wasm_bindgen_test]
fn expired_without_time_refuses() {
    let cred = Credential::open(CER, KEY, "12345678a".into()).unwrap();
    let err = cred.sign_cms(b"x", None).err().unwrap();
    assert_eq!(code(&err), "expired");
}

#[wasm_bindgen_test]
fn pure_rust_cms_verifies() {
    let cred = Credential::open(CER, KEY, "12345678a".into()).unwrap();
    let sig = cred.sign_cms(b"hola", Some(AT_MS)).unwrap();
    let v = efirma::verify_cms(&sig, b"hola", efirma::VerifyOptions::default()).unwrap();
    assert_eq!(v.signer.identity().rfc, "AAA010101AAA");
}

#[wasm_bindgen_test]
async fn webcrypto_cms_and_pkcs1_verify() {
    let cred = WebCryptoCredential::open(CER.to_vec(), KEY.to_vec(), "12345678a".into())
        .await
        .unwrap();
    assert_eq!(cred.rfc(), "AAA010101AAA");
    let sig = cred
        .sign_cms(b"hola".to_vec(), Some(AT_MS))
        .await
        .unwrap()
        .to_vec();
    let v = efirma::verify_cms(&sig, b"hola", efirma::VerifyOptions::default()).unwrap();
    assert_eq!(v.signing_time.unwrap().unix(), (AT_MS / 1000.0) as i64);
    let raw = cred
        .sign_pkcs1(b"hola".to_vec(), Some(AT_MS))
        .await
        .unwrap()
        .to_vec();
    let cert = efirma::Certificate::from_bytes(CER).unwrap();
    efirma::verify_pkcs1(&cert, b"hola", &raw).unwrap();
    let err = WebCryptoCredential::open(CER.to_vec(), KEY.to_vec(), "x".into())
        .await
        .err()
        .unwrap();
    assert_eq!(code(&err), "bad_password");
}
