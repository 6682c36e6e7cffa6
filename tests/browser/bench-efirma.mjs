// Benchmark: open the SAT .key + CMS-sign 1 KiB in headless Chromium, median of N runs, side by
// side with node-forge and the WebCrypto floor, all in one page. Usage:
//   bash scripts/build-web.sh efirma-wasm && node tests/browser/bench-efirma.mjs [runs]
import fs from "node:fs";
import path from "node:path";
import { startStaticServer, launchChromium, root } from "./harness.mjs";

const runs = Number(process.argv[2] ?? 40);
const { server, url } = await startStaticServer();
const browser = await launchChromium();
try {
  const page = await browser.context.newPage();
  await page.goto(`${url}/bench/efirma.html`);
  await page.waitForFunction(() => window.benchReady === true);
  const r = await page.evaluate((n) => window.runBenchmark({ runs: n }), runs);
  const m = r.medians;
  const out = {
    date: new Date().toISOString(), runs, userAgent: r.userAgent, medians_ms: m,
    forge_over_huella: m.node_forge / m.huella_webcrypto,
    huella_over_floor: m.huella_webcrypto / m.webcrypto_floor,
    samples: r.samples,
  };
  fs.mkdirSync(path.join(root, "target/bench"), { recursive: true });
  fs.writeFileSync(path.join(root, "target/bench/efirma.json"), JSON.stringify(out, null, 2));
  console.log(`runs ${runs}, ${r.userAgent}`);
  for (const [k, v] of Object.entries(m)) console.log(`${k.padEnd(18)} ${v.toFixed(2)} ms`);
  console.log(`node-forge / huella_webcrypto = ${out.forge_over_huella.toFixed(1)}x`);
  console.log(`huella_webcrypto / webcrypto_floor = ${out.huella_over_floor.toFixed(2)}x`);
} finally {
  await browser.close();
  server.close();
}
