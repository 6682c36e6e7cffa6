// Side-by-side e.firma benchmark, run in the page. Used by www/bench/efirma.html and by
// tests/browser/efirma.test.mjs (headless Chromium). Returns medians (ms) and one signature
// from each path so the runner can check them with OpenSSL.

const AT_MS = Date.UTC(2019, 5, 1, 12); // inside the expired SAT test certificate's validity
const PASSWORD = "12345678a";

async function fetchBytes(url) {
  const r = await fetch(url);
  if (!r.ok) throw new Error(`${url}: ${r.status}`);
  return new Uint8Array(await r.arrayBuffer());
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

const toB64 = (u8) => btoa(String.fromCharCode(...u8));

// node-forge, as @nodecfdi/credentials uses it: decrypt PKCS#8, then PKCS#7 detached signature.
function forgeOpenAndSign(cerDer, keyDer, data) {
  const f = window.forge;
  const bin = (u8) => f.util.binary.raw.encode(u8);
  const encrypted = f.asn1.fromDer(bin(keyDer));
  const keyInfo = f.pki.decryptPrivateKeyInfo(encrypted, PASSWORD);
  if (!keyInfo) throw new Error("node-forge: bad password");
  const key = f.pki.privateKeyFromAsn1(keyInfo);
  const cert = f.pki.certificateFromAsn1(f.asn1.fromDer(bin(cerDer)));
  const p7 = f.pkcs7.createSignedData();
  p7.content = f.util.createBuffer(bin(data));
  p7.addCertificate(cert);
  p7.addSigner({
    key, certificate: cert, digestAlgorithm: f.pki.oids.sha256,
    authenticatedAttributes: [
      { type: f.pki.oids.contentType, value: f.pki.oids.data },
      { type: f.pki.oids.messageDigest },
      { type: f.pki.oids.signingTime, value: new Date(AT_MS) },
    ],
  });
  p7.sign({ detached: true });
  const der = f.asn1.toDer(p7.toAsn1()).getBytes();
  return Uint8Array.from(der, (c) => c.charCodeAt(0));
}

export async function runBenchmark({ runs = 30 } = {}) {
  const { Credential, WebCryptoCredential } = window.huella;
  const cer = await fetchBytes("/testdata/efirma/fiel_aaa010101aaa.cer");
  const key = await fetchBytes("/testdata/efirma/fiel_aaa010101aaa.key");
  const data = new Uint8Array(1024).map((_, i) => (i * 7) & 255);
  // For the WebCrypto floor: the already-decrypted PKCS#8 (decryption excluded from the floor).
  const plain = Credential.open(cer, key, PASSWORD);
  const pkcs8 = forgePkcs8(cer, key);
  plain.free();
  const alg = { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" };
  const t = { huella_webcrypto: [], huella_pure_rust: [], node_forge: [], webcrypto_floor: [] };
  const sigs = {};
  for (let i = 0; i < runs + 2; i++) {
    const warm = i < 2;
    let t0 = performance.now();
    const fast = await WebCryptoCredential.open(cer, key, PASSWORD);
    const s1 = await fast.signCms(data, AT_MS);
    fast.free();
    let dt = performance.now() - t0;
    if (!warm) t.huella_webcrypto.push(dt);
    sigs.huella_webcrypto = s1;

    t0 = performance.now();
    const cred = Credential.open(cer, key, PASSWORD);
    const s2 = cred.signCms(data, AT_MS);
    cred.free();
    dt = performance.now() - t0;
    if (!warm) t.huella_pure_rust.push(dt);
    sigs.huella_pure_rust = s2;

    t0 = performance.now();
    const s3 = forgeOpenAndSign(cer, key, data);
    dt = performance.now() - t0;
    if (!warm) t.node_forge.push(dt);
    sigs.node_forge = s3;

    t0 = performance.now();
    const k = await crypto.subtle.importKey("pkcs8", pkcs8, alg, false, ["sign"]);
    await crypto.subtle.sign(alg, k, data);
    dt = performance.now() - t0;
    if (!warm) t.webcrypto_floor.push(dt);
  }
  const medians = Object.fromEntries(Object.entries(t).map(([k, v]) => [k, median(v)]));
  return {
    runs, medians, samples: t, userAgent: navigator.userAgent,
    signatures: Object.fromEntries(Object.entries(sigs).map(([k, v]) => [k, toB64(v)])),
    data: toB64(data),
  };
}

// PKCS#8 bytes for the floor, decrypted once with node-forge (outside the timed loop).
function forgePkcs8(cerDer, keyDer) {
  const f = window.forge;
  const info = f.pki.decryptPrivateKeyInfo(f.asn1.fromDer(f.util.binary.raw.encode(keyDer)), PASSWORD);
  const der = f.asn1.toDer(info).getBytes();
  return Uint8Array.from(der, (c) => c.charCodeAt(0));
}
