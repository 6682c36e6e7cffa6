// Proof of life in real headless Chromium with its fake webcam fed a .y4m built from the sample
// portrait (crates/capture/examples/face_y4m.rs): getUserMedia → canvas → LivenessSession.
import { test, before } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { startStaticServer, launchChromium, root } from "./harness.mjs";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "huella-y4m-"));

before(() => {
  execFileSync("cargo", ["run", "--release", "-q", "-p", "capture", "--example", "face_y4m", "--", dir],
    { cwd: root, stdio: "inherit" });
});

async function withCamera(y4m, fn) {
  const { server, url } = await startStaticServer();
  const browser = await launchChromium(["--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream",
    `--use-file-for-fake-video-capture=${path.join(dir, y4m)}`]);
  try {
    const page = await browser.context.newPage();
    await page.goto(`${url}/demo/liveness.html`);
    await page.waitForFunction(() => window.livenessReady === true, null, { timeout: 30000 });
    return await fn(page);
  } finally {
    await browser.close();
    server.close();
  }
}

test("a live (warped, noisy) face doing blink then turn-left passes the matching challenge", async () => {
  const r = await withCamera("live.y4m", async (page) => page.evaluate(async () => {
    // The server's nonce picks the challenge; find one asking for exactly what the video does.
    let nonceHex = null;
    for (let i = 0; i < 4096 && !nonceHex; i++) {
      const hex = i.toString(16).padStart(8, "0");
      const c = window.challengeFor(hex).map((s) => s.code).join(",");
      if (c === "blink,turn_left") nonceHex = hex;
    }
    return window.runLiveness({ nonceHex, seconds: 4.5 });
  }));
  console.log(`# live: ${r.frames} frames ${r.width}x${r.height}, decision ${r.result.decision}, reasons ${r.result.reasons}`);
  assert.ok(r.frames >= 30, `too few frames: ${r.frames}`);
  assert.equal(r.result.decision, "live", JSON.stringify(r.result.reasons));
});

test("a still photo in front of the camera is refused with evidence", async () => {
  const r = await withCamera("still.y4m", async (page) => page.evaluate(() =>
    window.runLiveness({ nonceHex: "00000001", seconds: 3 })));
  console.log(`# still: ${r.frames} frames, decision ${r.result.decision}, reasons ${r.result.reasons}`);
  assert.notEqual(r.result.decision, "live");
  assert.ok(r.result.reasons.includes("still_photo"), JSON.stringify(r.result.reasons));
});

test("the same recording fails a challenge it did not anticipate", async () => {
  const r = await withCamera("live.y4m", async (page) => page.evaluate(async () => {
    let nonceHex = null;
    for (let i = 0; i < 4096 && !nonceHex; i++) {
      const hex = i.toString(16).padStart(8, "0");
      if (window.challengeFor(hex).map((s) => s.code).join(",") === "nod,turn_right") nonceHex = hex;
    }
    return window.runLiveness({ nonceHex, seconds: 4.5 });
  }));
  console.log(`# replayed: decision ${r.result.decision}, reasons ${r.result.reasons}`);
  assert.notEqual(r.result.decision, "live");
});
