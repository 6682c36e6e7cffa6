//! The fast path: the RSA operation in WebCrypto, with a **non-extractable** key imported from
//! the decrypted PKCS#8, which is wiped at once (both the Rust copy and the JS copy handed to
//! `importKey`). The CMS structure is still built in Rust around WebCrypto's signature
//! (`efirma::PreparedCms`), so the output is byte-for-byte the same shape as the pure-Rust path.

use crate::at_or_now;
use crate::error::{coded, to_js, JsResult};
use efirma::{Certificate, Identity, PreparedCms};
use js_sys::{Array, Object, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{CryptoKey, SubtleCrypto};

const ALG: &str = "RSASSA-PKCS1-v1_5";

/// A credential whose private key lives only inside WebCrypto (not extractable).
#[wasm_bindgen]
pub struct WebCryptoCredential {
    certificate: Certificate,
    key: CryptoKey,
}

fn subtle() -> JsResult<SubtleCrypto> {
    let crypto = Reflect::get(&js_sys::global(), &"crypto".into())?;
    if crypto.is_undefined() {
        return Err(coded(
            "unsupported_algorithm",
            "Este navegador no tiene WebCrypto.",
        ));
    }
    let crypto: web_sys::Crypto = crypto.unchecked_into();
    Ok(crypto.subtle())
}

fn algorithm() -> JsResult<Object> {
    let alg = Object::new();
    Reflect::set(&alg, &"name".into(), &ALG.into())?;
    Reflect::set(&alg, &"hash".into(), &"SHA-256".into())?;
    Ok(alg)
}

#[wasm_bindgen]
impl WebCryptoCredential {
    /// Opens like `Credential.open`, then moves the key into WebCrypto and wipes every copy.
    pub async fn open(
        cer: Vec<u8>,
        key: Vec<u8>,
        password: String,
    ) -> JsResult<WebCryptoCredential> {
        let password = zeroize::Zeroizing::new(password);
        let cred = efirma::Credential::open(&cer, &key, &password).map_err(to_js)?;
        drop(password);
        let subtle = subtle()?;
        let pkcs8 = Uint8Array::from(cred.pkcs8_der());
        let usages = Array::of1(&"sign".into());
        let promise = subtle.import_key_with_object("pkcs8", &pkcs8, &algorithm()?, false, &usages);
        // importKey copied the bytes synchronously (WebCrypto spec, "get a copy of the bytes").
        pkcs8.fill(0, 0, pkcs8.length());
        let certificate = cred.certificate().clone();
        drop(cred); // zeroizes the Rust key
        let key: CryptoKey = JsFuture::from(promise?).await?.unchecked_into();
        Ok(WebCryptoCredential { certificate, key })
    }

    /// Detached CMS SignedData over `data`, signed by WebCrypto.
    #[wasm_bindgen(js_name = signCms)]
    pub async fn sign_cms(&self, data: Vec<u8>, at_ms: Option<f64>) -> JsResult<Uint8Array> {
        let at = at_or_now(at_ms);
        self.certificate.check_validity(at).map_err(to_js)?;
        let prepared = PreparedCms::new(&self.certificate, &data, at).map_err(to_js)?;
        let signature = self.rsa_sign(prepared.to_be_signed()).await?;
        let der = prepared.finish(&signature).map_err(to_js)?;
        Ok(Uint8Array::from(der.as_slice()))
    }

    /// Raw RSASSA-PKCS1-v1_5 SHA-256 signature, by WebCrypto.
    #[wasm_bindgen(js_name = signPkcs1)]
    pub async fn sign_pkcs1(&self, data: Vec<u8>, at_ms: Option<f64>) -> JsResult<Uint8Array> {
        self.certificate
            .check_validity(at_or_now(at_ms))
            .map_err(to_js)?;
        Ok(Uint8Array::from(self.rsa_sign(&data).await?.as_slice()))
    }

    async fn rsa_sign(&self, data: &[u8]) -> JsResult<Vec<u8>> {
        let promise = subtle()?.sign_with_str_and_u8_array(ALG, &self.key, data)?;
        let buf = JsFuture::from(promise).await?;
        Ok(Uint8Array::new(&buf).to_vec())
    }
}

impl WebCryptoCredential {
    pub(crate) fn identity(&self) -> &Identity {
        self.certificate.identity()
    }
}
