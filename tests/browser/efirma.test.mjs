// e.firma in real headless Chromium: both signing paths (WebCrypto and pure-Rust WASM), and
// node-forge's, must give CMS signatures that `openssl cms -verify` accepts.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { startStaticServer, launchChromium } from "./harness.mjs";

test("both Huella signing paths give CMS that OpenSSL accepts", async () => {
  const { server, url } = await startStaticServer();
  const browser = await launchChromium();
  try {
    const page = await browser.context.newPage();
    await page.goto(`${url}/bench/efirma.html`);
    await page.waitForFunction(() => window.benchReady === true, null, { timeout: 30000 });
    const r = await page.evaluate(() => window.runBenchmark({ runs: 3 }));
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "huella-sig-"));
    const data = path.join(dir, "data.bin");
    fs.writeFileSync(data, Buffer.from(r.data, "base64"));
    // node-forge is only the speed baseline: OpenSSL cannot match its signer to the SAT
    // certificate ("signer certificate not found"), so it is not checked here.
    const ours = Object.entries(r.signatures).filter(([name]) => name.startsWith("huella_"));
    assert.equal(ours.length, 2);
    for (const [name, b64] of ours) {
      const sig = path.join(dir, `${name}.p7s`);
      fs.writeFileSync(sig, Buffer.from(b64, "base64"));
      // -noverify: SAT's test CA is not published with the test files; signature + digest are checked.
      execFileSync("openssl", ["cms", "-verify", "-binary", "-inform", "DER", "-in", sig,
        "-content", data, "-noverify", "-out", "/dev/null"], { stdio: "pipe" });
    }
    assert.ok(r.medians.huella_webcrypto > 0);
    fs.rmSync(dir, { recursive: true, force: true });
  } finally {
    await browser.close();
    server.close();
  }
});

test("the password and the key never leave the page or land in storage", async () => {
  const { server, url } = await startStaticServer();
  const browser = await launchChromium();
  try {
    const page = await browser.context.newPage();
    const traffic = [];
    page.on("request", (r) => traffic.push(`${r.method()} ${r.url()} ${r.postData() ?? ""}`));
    await page.goto(`${url}/bench/efirma.html`);
    await page.waitForFunction(() => window.benchReady === true, null, { timeout: 30000 });
    const leftovers = await page.evaluate(async () => {
      const { Credential, WebCryptoCredential } = window.huella;
      const get = async (f) => new Uint8Array(await (await fetch(`/testdata/efirma/${f}`)).arrayBuffer());
      const cer = await get("fiel_aaa010101aaa.cer");
      const key = await get("fiel_aaa010101aaa.key");
      const at = Date.UTC(2019, 5, 1, 12);
      const a = Credential.open(cer, key, "12345678a");
      a.signCms(new Uint8Array([1, 2, 3]), at);
      a.free();
      const b = await WebCryptoCredential.open(cer, key, "12345678a");
      await b.signCms(new Uint8Array([1, 2, 3]), at);
      b.free();
      try { Credential.open(cer, key, "otra-clave-secreta"); } catch (e) { window.lastError = String(e.message); }
      const dbs = indexedDB.databases ? await indexedDB.databases() : [];
      return { local: localStorage.length, session: sessionStorage.length, dbs: dbs.length,
        error: window.lastError, cookies: document.cookie };
    });
    assert.deepEqual([leftovers.local, leftovers.session, leftovers.dbs, leftovers.cookies], [0, 0, 0, ""]);
    assert.ok(!leftovers.error.includes("otra-clave-secreta"), leftovers.error);
    // Only GETs of static files: no request carries the password, and nothing is posted.
    for (const line of traffic) {
      assert.ok(line.startsWith("GET "), line);
      assert.ok(!line.includes("12345678a") && !line.includes("otra-clave-secreta"), line);
    }
    assert.ok(traffic.length > 0);
  } finally {
    await browser.close();
    server.close();
  }
});
