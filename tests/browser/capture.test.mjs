// capture-wasm in real headless Chromium: the browser's WSQ files are byte-for-byte the native
// encoder's (itself byte-for-byte NBIS, see crates/capture/tests/wsq_nbis_encoder.rs), the
// browser's decode and quality scores match native, and errors carry codes.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { startStaticServer, launchChromium, root } from "./harness.mjs";

const huella = path.join(root, "target/release/huella");
const prints = path.resolve(root, "../shared/testdata/fingerprints");

test("WSQ and fingerprint quality in Chromium equal the native results", async () => {
  assert.ok(fs.existsSync(huella), "build the CLI first: cargo build --release -p cli");
  const { server, url } = await startStaticServer();
  const browser = await launchChromium();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "huella-capture-"));
  try {
    const page = await browser.context.newPage();
    await page.goto(`${url}/bench/capture.html`);
    await page.waitForFunction(() => window.benchReady === true, null, { timeout: 30000 });
    const names = fs.readdirSync(prints).filter((f) => f.endsWith(".png")).sort();
    let identical = 0;
    for (const name of names) {
      for (const bitrate of [0.75, 2.25]) {
        const r = await page.evaluate(async ([n, b]) => {
          const p = await window.loadGray(`/testdata/fingerprints/${n}`);
          const wsq = window.capture.encodeWsq(p.gray, p.width, p.height, 500, b);
          const back = window.capture.decodeWsq(wsq);
          const q = window.capture.fingerprintQuality(p.gray, p.width, p.height, 500);
          let bin = "";
          for (const x of wsq) bin += String.fromCharCode(x);
          return { wsq: btoa(bin), w: back.width, h: back.height, score: q.score };
        }, [name, bitrate]);
        const out = path.join(dir, `${name}.${bitrate}.wsq`);
        execFileSync(huella, ["wsq", "encode", path.join(prints, name), out, "--bitrate", String(bitrate)]);
        const native = fs.readFileSync(out);
        const browserBytes = Buffer.from(r.wsq, "base64");
        if (native.equals(browserBytes)) identical++;
        else console.log(`# ${name} @ ${bitrate}: browser WSQ differs from native (${browserBytes.length} vs ${native.length} bytes)`);
        const q = JSON.parse(execFileSync(huella, ["quality", "finger", path.join(prints, name)]));
        assert.equal(r.score, q.score, `${name}: browser and native quality differ`);
      }
    }
    console.log(`# WSQ byte-identical browser vs native: ${identical}/${names.length * 2}`);
    assert.equal(identical, names.length * 2);
    const err = await page.evaluate(() => {
      try { window.capture.encodeWsq(new Uint8Array(50 * 50), 50, 50, 500, 0.75); } catch (e) { return e.code; }
      return null;
    });
    assert.equal(err, "wsq_image_too_small");
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
    await browser.close();
    server.close();
  }
});

test("face quality in Chromium finds the face and ranks a blurred frame lower", async () => {
  const { server, url } = await startStaticServer();
  const browser = await launchChromium();
  try {
    const page = await browser.context.newPage();
    await page.goto(`${url}/bench/capture.html`);
    await page.waitForFunction(() => window.benchReady === true, null, { timeout: 30000 });
    const r = await page.evaluate(async () => {
      const blob = await (await fetch("/testdata/faces/astronaut.png")).blob();
      const bmp = await createImageBitmap(blob);
      const frame = (filter) => {
        const c = new OffscreenCanvas(640, 480);
        const g = c.getContext("2d");
        g.fillStyle = "#d8d8d8"; g.fillRect(0, 0, 640, 480);
        g.filter = filter; g.drawImage(bmp, 120, 40, 400, 400);
        return g.getImageData(0, 0, 640, 480).data;
      };
      const sharp = window.capture.faceQuality(frame("none"), 640, 480);
      const blurred = window.capture.faceQuality(frame("blur(6px)"), 640, 480);
      return { found: sharp.face_found, sharp: sharp.score, blurred: blurred.score };
    });
    assert.equal(r.found, true);
    assert.ok(r.blurred < r.sharp, JSON.stringify(r));
  } finally {
    await browser.close();
    server.close();
  }
});
