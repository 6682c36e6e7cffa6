// Benchmark: capture-wasm in headless Chromium. Usage:
//   bash scripts/build-web.sh capture-wasm && node tests/browser/bench-capture.mjs [runs]
import fs from "node:fs";
import path from "node:path";
import { startStaticServer, launchChromium, root } from "./harness.mjs";

const runs = Number(process.argv[2] ?? 30);
const { server, url } = await startStaticServer();
const browser = await launchChromium();
try {
  const page = await browser.context.newPage();
  await page.goto(`${url}/bench/capture.html`);
  await page.waitForFunction(() => window.benchReady === true);
  const r = await page.evaluate((n) => window.runCaptureBenchmark({ runs: n }), runs);
  fs.mkdirSync(path.join(root, "target/bench"), { recursive: true });
  fs.writeFileSync(path.join(root, "target/bench/capture.json"), JSON.stringify({ date: new Date().toISOString(), ...r }, null, 2));
  console.log(`runs ${runs}, ${r.userAgent}`);
  for (const [k, v] of Object.entries(r.medians)) console.log(`${k.padEnd(16)} ${v.toFixed(2)} ms (median)`);
  console.log("scores", JSON.stringify(r.scores));
} finally {
  await browser.close();
  server.close();
}
