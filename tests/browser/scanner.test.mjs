// The fingerprint reader in real headless Chromium: the U.are.U 4500 emulator (WASM) behind a fake
// navigator.usb (www/fake-usb.js), driven through FingerprintScanner — i.e. the real
// scanner::webusb transport and driver. Captured pixels must equal the emulator's own
// independently computed expected image, bit for bit.
//
//   bash scripts/build-web.sh capture-wasm && node --test tests/browser/scanner.test.mjs
//   SCANNER_LATENCY_RUNS=20 node --test tests/browser/scanner.test.mjs   (latency figures)
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startStaticServer, launchChromium } from "./harness.mjs";

let server, url, browser;

before(async () => {
  ({ server, url } = await startStaticServer());
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  server?.close();
});

async function demoPage() {
  const page = await browser.context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e));
  await page.goto(`${url}/demo/scanner.html`);
  await page.waitForFunction(() => window.scannerDemo?.ready === true, null, { timeout: 30000 });
  page.errors = errors;
  return page;
}

// One session in the page: emulator (sample print) + fake usb + FingerprintScanner, finger placed
// by hand. Returns the capture facts and whether the pixels equal the emulator's expected image.
async function session(page, opts) {
  return page.evaluate(async ({ scramble, fault, granted, settle }) => {
    const demo = window.scannerDemo;
    const { FingerprintScanner } = demo.modules;
    // requireGesture: false — page.evaluate has no user activation (the click test has one).
    const fake = await demo.useEmulator({ scramble, fault, granted, requireGesture: false });
    const emu = demo.emulator;
    const out = { steps: [] };
    try {
      const reader = granted
        ? (await FingerprintScanner.granted())[0]
        : await FingerprintScanner.request();
      out.info = reader.info;
      await reader.open();
      out.steps.push("open");
      out.infoAfterOpen = reader.info;
      const on = reader.waitFingerOn(5000);
      await new Promise((ok) => setTimeout(ok, 60));
      const t0 = performance.now();
      fake.placeFinger();
      await on;
      out.steps.push("finger_on");
      const img = await reader.capture(5000, settle);
      out.latencyMs = performance.now() - t0;
      out.steps.push("capture");
      const expected = emu.expectedImage();
      let diff = 0;
      for (let i = 0; i < expected.length; i++) diff += expected[i] !== img.pixels[i];
      Object.assign(out, {
        width: img.width, height: img.height, ppi: img.ppi, frames: img.frames, scores: img.scores,
        settled: img.settled, stalls: img.stalls, badFrames: img.badFrames, scrambled: img.scrambled,
        keysFetched: img.keysFetched, fingerToImageMs: img.fingerToImageMs, score: img.quality?.score,
        pixelsLength: img.pixels.length, expectedLength: expected.length, differing: diff,
        dark: img.pixels.reduce((n, v) => n + (v < 128), 0), log: emu.log,
      });
      const off = reader.waitFingerOff(5000);
      fake.liftFinger();
      await off;
      out.steps.push("finger_off");
      await reader.close();
      out.steps.push("close");
      out.openedAfterClose = navigator.usb && (await navigator.usb.getDevices())[0]?.opened;
    } catch (e) {
      out.error = { code: e.code, message: e.message };
    }
    return out;
  }, { scramble: true, fault: "", granted: false, settle: undefined, ...opts });
}

function assertExact(r) {
  assert.equal(r.error, undefined, JSON.stringify(r.error));
  assert.deepEqual(r.steps, ["open", "finger_on", "capture", "finger_off", "close"]);
  assert.equal(r.width, 384);
  assert.equal(r.height, 290);
  assert.equal(r.ppi, 500);
  assert.equal(r.pixelsLength, 384 * 290);
  assert.equal(r.expectedLength, 384 * 290);
  assert.equal(r.differing, 0, "captured pixels differ from the emulator's expected image");
  assert.ok(r.dark > 10000, `a print has ridges (dark pixels: ${r.dark})`);
}

async function closeClean(page) {
  assert.deepEqual(page.errors.map(String), [], "no uncaught errors or unhandled rejections");
  await page.close();
}

test("scrambled frames: the WebUSB path captures the emulator's exact image", async () => {
  const page = await demoPage();
  const r = await session(page, { scramble: true });
  assertExact(r);
  assert.equal(r.scrambled, true);
  assert.ok(r.keysFetched >= 1);
  assert.equal(r.info.vendorId, 0x05ba);
  assert.equal(r.info.productId, 0x000a);
  assert.equal(r.infoAfterOpen.versions.length, 2);
  assert.ok(r.score > 0 && r.scores.length === r.frames, JSON.stringify(r.scores));
  await closeClean(page);
});

test("plain frames: exact image; a frame cap of 1 stops after one frame", async () => {
  const page = await demoPage();
  const r = await session(page, { scramble: false, settle: { maxFrames: 1, goodScore: 101 } });
  assertExact(r);
  assert.equal(r.scrambled, false);
  assert.equal(r.keysFetched, 0);
  assert.equal(r.frames, 1);
  assert.equal(r.settled, false);
  await closeClean(page);
});

test("a stalled frame read is cleared (clearHalt) and the capture is still exact", async () => {
  const page = await demoPage();
  const r = await session(page, { fault: "stall" });
  assertExact(r);
  assert.equal(r.stalls, 1);
  assert.equal(r.badFrames, 1);
  await closeClean(page);
});

test("unplug during capture rejects with code device_disconnected", async () => {
  const page = await demoPage();
  const r = await session(page, { fault: "unplug" });
  assert.deepEqual(r.steps, ["open", "finger_on"]);
  assert.equal(r.error?.code, "device_disconnected", JSON.stringify(r.error));
  const devices = await page.evaluate(async () => (await navigator.usb.getDevices()).length);
  assert.equal(devices, 0, "an unplugged reader is no longer listed");
  await closeClean(page);
});

test("no finger: finger_timeout keeps the reader open; a later finger is captured", async () => {
  const page = await demoPage();
  const r = await page.evaluate(async () => {
    const demo = window.scannerDemo;
    const fake = await demo.useEmulator({ fault: "no-finger", granted: true });
    const [reader] = await demo.modules.FingerprintScanner.granted();
    await reader.open();
    let code;
    try { await reader.waitFingerOn(300); } catch (e) { code = e.code; }
    const on = reader.waitFingerOn(5000);
    fake.placeFinger();
    await on;
    const img = await reader.capture();
    const expected = demo.emulator.expectedImage();
    await reader.close();
    return { code, same: expected.every((v, i) => v === img.pixels[i]) };
  });
  assert.deepEqual(r, { code: "finger_timeout", same: true });
  await closeClean(page);
});

test("kiosk pre-grant: getDevices() finds the reader with no prompt", async () => {
  const page = await demoPage();
  const r = await session(page, { granted: true, scramble: true });
  assertExact(r);
  assert.equal(r.openedAfterClose, false);
  // Without the grant the list is empty until request() (Playwright's evaluate counts as a user
  // gesture); with no reader plugged in the picker rejects with no_device.
  const flow = await page.evaluate(async () => {
    const demo = window.scannerDemo;
    const { FingerprintScanner } = demo.modules;
    const fake = await demo.useEmulator({ granted: false });
    const before = (await FingerprintScanner.granted()).length;
    await FingerprintScanner.request();
    const afterRequest = (await FingerprintScanner.granted()).length;
    const filters = fake.lastRequestFilters;
    fake.unplug();
    let code;
    try { await FingerprintScanner.request(); } catch (e) { code = e.code; }
    return { before, afterRequest, code, filters, supported: FingerprintScanner.filters() };
  });
  const { filters, supported, ...rest } = flow;
  assert.deepEqual(rest, { before: 0, afterRequest: 1, code: "no_device" });
  // requestDevice got one filter per supported id, the 4500 among them, the AES model not.
  assert.deepEqual(filters, supported);
  assert.ok(filters.some((f) => f.vendorId === 0x05ba && f.productId === 0x000a));
  assert.ok(!filters.some((f) => f.vendorId === 0x045e && f.productId === 0x00ca));
  // Two calls at once on one reader: the second is refused, the first completes.
  const overlap = await page.evaluate(async () => {
    const demo = window.scannerDemo;
    await demo.useEmulator({ granted: true });
    const [reader] = await demo.modules.FingerprintScanner.granted();
    const first = reader.open();
    const second = await reader.open().then(() => "ok", (e) => e.code);
    await first;
    await reader.close();
    return second;
  });
  assert.equal(overlap, "scanner_busy");
  await closeClean(page);
});

test("a browser without WebUSB gets webusb_unavailable, not an exception", async () => {
  const page = await demoPage();
  const codes = await page.evaluate(async () => {
    Object.defineProperty(Navigator.prototype, "usb", { configurable: true, get: () => undefined });
    const { FingerprintScanner } = window.scannerDemo.modules;
    const code = (p) => p.then(() => "ok", (e) => e.code);
    const out = [await code(FingerprintScanner.request()), await code(FingerprintScanner.granted())];
    // The module still works afterwards (no exception went through the WASM frames).
    const fake = await window.scannerDemo.useEmulator({ granted: true });
    out.push((await FingerprintScanner.granted()).length, fake.device.productId);
    return out;
  });
  assert.deepEqual(codes, ["webusb_unavailable", "webusb_unavailable", 1, 0x000a]);
  await closeClean(page);
});

test("demo page: clicks drive the whole flow through the WebUSB picker (user gesture)", async () => {
  const page = await demoPage();
  await page.check("#auto");
  await page.click("#simulado");
  await page.waitForFunction(() => window.scannerDemo.fake !== null);
  await page.click("#conectar");
  await page.waitForFunction(() => window.scannerDemo.reader !== null);
  await page.click("#capturar");
  await page.waitForFunction(() => /Captura terminada/.test(document.getElementById("estado").textContent),
    null, { timeout: 20000 });
  const r = await page.evaluate(() => {
    const { lastCapture: img, emulator, lastQuality } = window.scannerDemo;
    const expected = emulator.expectedImage();
    return {
      same: expected.every((v, i) => v === img.pixels[i]),
      score: lastQuality.score, quality: document.getElementById("calidad").textContent,
      guidance: document.getElementById("indicaciones").children.length,
    };
  });
  assert.equal(r.same, true);
  assert.match(r.quality, /^Calidad: \d+ \/ 100$/);
  assert.ok(r.guidance >= 1);
  await closeClean(page);
});

test("capture latency (finger on → image) through the fake device", async () => {
  const runs = Number(process.env.SCANNER_LATENCY_RUNS ?? 5);
  const page = await demoPage();
  const report = {};
  for (const [name, opts] of Object.entries({
    scrambled_settled: { scramble: true },
    plain_settled: { scramble: false },
    scrambled_first_frame: { scramble: true, settle: { maxFrames: 1 } },
  })) {
    const lat = [], usb = [], frames = [], scores = [];
    for (let i = 0; i < runs; i++) {
      const r = await session(page, opts);
      assertExact(r);
      lat.push(r.latencyMs);
      usb.push(r.fingerToImageMs);
      frames.push(r.frames);
      scores.push(r.scores);
    }
    const med = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
    report[name] = {
      median_ms: +med(lat).toFixed(1), min_ms: +Math.min(...lat).toFixed(1), max_ms: +Math.max(...lat).toFixed(1),
      driver_finger_msg_to_image_median_ms: +med(usb).toFixed(1), frames: [...new Set(frames)],
      scores: [...new Set(scores.map((s) => s.join("/")))],
    };
  }
  report.fingerprint_quality_cpu_ms = await page.evaluate(() => {
    const { fingerprintQuality } = window.scannerDemo.modules;
    const px = window.scannerDemo.lastCapture?.pixels ?? window.scannerDemo.emulator.expectedImage();
    const t = [];
    for (let i = 0; i < 7; i++) {
      const t0 = performance.now();
      fingerprintQuality(px, 384, 290, 500);
      t.push(performance.now() - t0);
    }
    return +t.sort((a, b) => a - b)[3].toFixed(1);
  });
  console.log(`# scanner latency (${runs} runs each): ${JSON.stringify(report)}`);
  assert.ok(report.scrambled_settled.median_ms < 3000);
  await closeClean(page);
});
