//! SAT e.firma in the browser: the JS API of `../shared/design.md` §2 over `crates/efirma`.
//!
//! ```js
//! import init, { Credential, WebCryptoCredential } from "./efirma_wasm.js";
//! await init();
//! const cred = Credential.open(cerBytes, keyBytes, password);   // pure Rust, synchronous
//! cred.rfc; cred.curp; cred.name; cred.certificateNumber; cred.notBefore; cred.notAfter; cred.kind;
//! const p7s = cred.signCms(bytes);          // Uint8Array, detached CMS
//! const sello = cred.signPkcs1(bytes);      // Uint8Array, raw RSA PKCS#1 v1.5 SHA-256
//! cred.free();                              // wipes the key
//!
//! // Fast path: the RSA operation in WebCrypto with a non-extractable key.
//! const fast = await WebCryptoCredential.open(cerBytes, keyBytes, password);
//! const p7s2 = await fast.signCms(bytes);
//! ```
//! Errors are JS `Error` objects with a stable `code` property (`bad_password`, `expired`, …)
//! and a Spanish message. This layer only converts; all logic lives in `efirma`.
#![forbid(unsafe_code)]

mod error;
mod webcrypto;

use efirma::{Identity, Timestamp};
use error::{to_js, JsResult};
use wasm_bindgen::prelude::*;

pub use webcrypto::WebCryptoCredential;

/// Now, from the JS clock (`SystemTime::now()` traps in the browser).
pub(crate) fn now() -> Timestamp {
    Timestamp::from_unix((js_sys::Date::now() / 1000.0) as i64)
}

/// `at` in milliseconds since the epoch (JS `Date.getTime()`), or now.
pub(crate) fn at_or_now(at_ms: Option<f64>) -> Timestamp {
    match at_ms {
        Some(ms) if ms.is_finite() => Timestamp::from_unix((ms / 1000.0).floor() as i64),
        _ => now(),
    }
}

/// An opened e.firma or CSD whose key lives in WASM memory (wiped by `free()`).
#[wasm_bindgen]
pub struct Credential {
    inner: efirma::Credential,
}

#[wasm_bindgen]
impl Credential {
    /// Opens `.cer` + `.key` (or a `.pfx` as `key` with an empty `cer`) with `password`.
    pub fn open(cer: &[u8], key: &[u8], password: String) -> JsResult<Credential> {
        let password = zeroize::Zeroizing::new(password);
        let inner = efirma::Credential::open(cer, key, &password).map_err(to_js)?;
        Ok(Credential { inner })
    }

    /// Detached CMS SignedData over `data`; `atMs` (optional) is the signing time in ms.
    #[wasm_bindgen(js_name = signCms)]
    pub fn sign_cms(&self, data: &[u8], at_ms: Option<f64>) -> JsResult<Vec<u8>> {
        self.inner.sign_cms(data, at_or_now(at_ms)).map_err(to_js)
    }

    /// Raw RSASSA-PKCS1-v1_5 SHA-256 signature over `data`.
    #[wasm_bindgen(js_name = signPkcs1)]
    pub fn sign_pkcs1(&self, data: &[u8], at_ms: Option<f64>) -> JsResult<Vec<u8>> {
        self.inner.sign_pkcs1(data, at_or_now(at_ms)).map_err(to_js)
    }

    /// The certificate's DER bytes.
    #[wasm_bindgen(getter, js_name = certificateDer)]
    pub fn certificate_der(&self) -> Vec<u8> {
        self.inner.certificate().der().to_vec()
    }
}

/// Identity getters shared by both credential classes.
macro_rules! identity_getters {
    ($ty:ty, $id:ident) => {
        #[wasm_bindgen]
        impl $ty {
            /// Holder's RFC (company RFC for a persona moral).
            #[wasm_bindgen(getter)]
            pub fn rfc(&self) -> String {
                self.$id().rfc.clone()
            }
            /// Holder's CURP (for a persona moral: the representative's).
            #[wasm_bindgen(getter)]
            pub fn curp(&self) -> Option<String> {
                let id = self.$id();
                id.curp.clone().or_else(|| id.representative_curp.clone())
            }
            /// Name or company name.
            #[wasm_bindgen(getter)]
            pub fn name(&self) -> String {
                self.$id().name.clone()
            }
            /// Legal representative's RFC (persona moral).
            #[wasm_bindgen(getter, js_name = representativeRfc)]
            pub fn representative_rfc(&self) -> Option<String> {
                self.$id().representative_rfc.clone()
            }
            /// 20-digit certificate number.
            #[wasm_bindgen(getter, js_name = certificateNumber)]
            pub fn certificate_number(&self) -> String {
                self.$id().certificate_number.clone()
            }
            /// Start of validity, RFC 3339.
            #[wasm_bindgen(getter, js_name = notBefore)]
            pub fn not_before(&self) -> String {
                self.$id().not_before.to_rfc3339()
            }
            /// End of validity, RFC 3339.
            #[wasm_bindgen(getter, js_name = notAfter)]
            pub fn not_after(&self) -> String {
                self.$id().not_after.to_rfc3339()
            }
            /// `"FIEL"`, `"CSD"` or `"UNKNOWN"`.
            #[wasm_bindgen(getter)]
            pub fn kind(&self) -> String {
                self.$id().kind.as_str().to_owned()
            }
            /// Issuer common name.
            #[wasm_bindgen(getter)]
            pub fn issuer(&self) -> String {
                self.$id().issuer.clone()
            }
            /// Whether the certificate is expired now (per the JS clock).
            #[wasm_bindgen(getter)]
            pub fn expired(&self) -> bool {
                crate::now() > self.$id().not_after
            }
        }
    };
}

impl Credential {
    fn identity(&self) -> &Identity {
        self.inner.identity()
    }
}
identity_getters!(Credential, identity);
identity_getters!(WebCryptoCredential, identity);
