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
