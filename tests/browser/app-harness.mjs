// The web app end to end: the real `huella serve --demo` (SQLite in a temp folder) serving www/,
// headless Debian Chromium with a fake webcam, and the steps a person takes. Used by
// app.test.mjs and bench-app.mjs.
import { spawn, execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { launchChromium, root } from "./harness.mjs";

export const shared = path.resolve(root, "../shared");
export const out = path.join(root, "tests/out/app");
fs.mkdirSync(out, { recursive: true });

/** Fake-webcam videos (crates/capture/examples/face_y4m.rs), made once per run. */
export const y4mDir = (() => {
  const dir = path.join(os.tmpdir(), `huella-app-y4m-${process.pid}`);
  if (!fs.existsSync(path.join(dir, "selfie.y4m"))) {
    execFileSync("cargo", ["run", "--release", "-q", "-p", "capture", "--example", "face_y4m", "--", dir],
      { cwd: root, stdio: "inherit" });
  }
  process.on("exit", () => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
})();

/** Starts `huella serve --demo` on a free port with a fresh data folder. */
export async function startHuella() {
  const bin = path.join(root, "target/release/huella");
  if (!fs.existsSync(bin)) execFileSync("cargo", ["build", "--release", "-q", "-p", "cli"], { cwd: root, stdio: "inherit" });
  const data = fs.mkdtempSync(path.join(os.tmpdir(), "huella-app-data-"));
  const proc = spawn(bin, ["serve", "--addr", "127.0.0.1:0", "--data-dir", data, "--www", path.join(root, "www"),
    "--demo-testdata", path.join(shared, "testdata"), "--demo", "--rate-limit", "0"],
  { stdio: ["ignore", "pipe", "pipe"] });
  let logs = "";
  proc.stderr.on("data", (d) => { logs += d; });
  const url = await new Promise((resolve, reject) => {
    let buf = "";
    const t = setTimeout(() => reject(new Error(`server did not start: ${logs}`)), 60000);
    proc.stdout.on("data", (d) => {
      buf += d;
      const m = buf.match(/"url":"([^"]+)"/);
      if (m) { clearTimeout(t); resolve(m[1]); }
    });
    proc.on("exit", (c) => reject(new Error(`server exited ${c}: ${logs}`)));
  });
  return {
    url, data, logs: () => logs,
    /** Packets the server stored, by action (read from its SQLite database). */
    packetCounts() {
      const py = "import sqlite3,sys,json;c=sqlite3.connect(sys.argv[1]);" +
        "print(json.dumps(dict(c.execute('select action,count(*) from packets group by action').fetchall())))";
      const db = fs.readdirSync(data).find((f) => f.endsWith(".db") || f.endsWith(".sqlite"));
      return JSON.parse(execFileSync("python3", ["-c", py, path.join(data, db)]).toString());
    },
    /** The signed manifests the server stored for `action`. */
    manifests(action) {
      const py = "import sqlite3,sys,json;c=sqlite3.connect(sys.argv[1]);" +
        "print(json.dumps([bytes(r[0]).decode() for r in c.execute('select payload from packets where action=?',(sys.argv[2],))]))";
      const db = fs.readdirSync(data).find((f) => f.endsWith(".db") || f.endsWith(".sqlite"));
      return JSON.parse(execFileSync("python3", ["-c", py, path.join(data, db), action]).toString()).map((p) => JSON.parse(p));
    },
    async stop() {
      proc.kill("SIGTERM");
      await new Promise((ok) => { proc.once("exit", ok); setTimeout(ok, 3000); });
      fs.rmSync(data, { recursive: true, force: true });
    },
  };
}

/** Chromium whose webcam plays `y4m` (live.y4m, dark.y4m…). */
export async function browserWithCamera(y4m = "live.y4m") {
  return launchChromium(["--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream",
    `--use-file-for-fake-video-capture=${path.join(y4mDir, y4m)}`]);
}

/** Opens the app in demo mode using Chromium's fake webcam (not the simulated one). */
export async function openApp(context, url, query = "demo", settings = {}) {
  const page = await context.newPage();
  page.on("pageerror", (e) => console.log(`# pageerror: ${e.message}`));
  await page.goto(`${url}/`);
  await page.evaluate((s) => {
    localStorage.setItem("huella.demoCamera", "0");
    for (const [k, v] of Object.entries(s)) localStorage.setItem(k, v);
  }, settings);
  await page.goto(`${url}/?${query}`);
  await page.waitForSelector("html[data-ready='1']", { timeout: 30000 });
  return page;
}

const tid = (id) => `[data-testid="${id}"]`;
export { tid };

/** Fills the login form with a demo credential and opens it (stops before signing in). */
export async function openDemoCredential(page, id, password) {
  const fills = Number(await page.getAttribute(tid("demo-credentials"), "data-fills"));
  await page.click(tid(`demo-${id}`));
  await page.waitForFunction((n) => Number(document.querySelector('[data-testid="demo-credentials"]')?.dataset.fills) > n,
    fills, { timeout: 10000 });
  if (password !== undefined) await page.fill(tid("password"), password);
  const before = Number(await page.getAttribute("section.login", "data-attempts"));
  await page.click(tid("open-key"));
  await page.waitForFunction((n) => Number(document.querySelector("section.login")?.dataset.attempts) > n,
    before, { timeout: 20000 });
}

/** Signs in with a demo credential; lands on the role's first screen. */
export async function signIn(page, id = "empleador") {
  await openDemoCredential(page, id);
  await page.click(tid("sign-in"));
}

/** A valid NSS (Luhn check digit) from 10 digits. */
export function nss(base10) {
  const d = base10.split("").map(Number);
  let sum = 0;
  d.forEach((x, i) => { const p = i % 2 === 1 ? x * 2 : x; sum += Math.floor(p / 10) + (p % 10); });
  return base10 + ((10 - (sum % 10)) % 10);
}

/** A valid CURP (check digit) from its first 17 characters. */
export function curp(first17) {
  const alphabet = "0123456789ABCDEFGHIJKLMNÑOPQRSTUVWXYZ";
  let sum = 0;
  [...first17].forEach((c, i) => { sum += alphabet.indexOf(c) * (18 - i); });
  return first17 + ((10 - (sum % 10)) % 10);
}

/** Types the alta data. */
export async function fillAlta(page, w) {
  await page.fill(tid("field-nss"), w.nss);
  await page.fill(tid("field-curp"), w.curp);
  await page.fill(tid("field-name"), w.name);
  await page.fill(tid("field-sbc"), w.sbc ?? "450.00");
}

/** Waits for a good live face and takes the photo. */
export async function takeFace(page) {
  await page.waitForFunction(() => Number(document.querySelector('[data-testid="face-score"]')?.textContent) >= 50,
    null, { timeout: 30000 });
  await page.click(tid("face-take"));
  await page.waitForSelector(tid("step-prints"), { timeout: 15000 });
}

/** Captures the ten prints through the emulated WebUSB reader (auto finger). */
export async function captureTen(page, last = 10) {
  for (let p = 1; p <= last; p++) {
    await page.click(tid("finger-capture"));
    await page.waitForFunction((p) => document.querySelector(`[data-testid="finger-${p}-status"]`)?.closest("li")?.classList.contains("done"),
      p, { timeout: 30000 });
  }
}

/** Demo mode: makes the next liveness challenge the one `codes` names (e.g. "blink,turn_left"),
 * so a recorded video performs it — the app takes `huellaDemo.livenessNonce` in demo mode only. */
export async function chooseLivenessNonce(page, codes) {
  await page.evaluate(async (codes) => {
    const m = await import("/pkg/capture-wasm/capture_wasm.js");
    await m.default();
    for (let i = 0; i < 65536; i++) {
      const n = new Uint8Array([i >> 8, i & 255, 7, 7]);
      if (m.LivenessSession.start(n).challenge.map((s) => s.code).join(",") === codes) {
        window.huellaDemo.livenessNonce = n;
        return;
      }
    }
    throw new Error(`no nonce gives ${codes}`);
  }, codes);
}

/** Runs axe-core on the page; returns serious/critical violations. */
export async function axe(page) {
  const src = fs.readFileSync(path.join(root, "node_modules/axe-core/axe.min.js"), "utf8");
  await page.evaluate(src);
  const r = await page.evaluate(async () => window.axe.run(document, { resultTypes: ["violations"] }));
  const minor = r.violations.filter((v) => v.impact !== "serious" && v.impact !== "critical");
  if (minor.length) console.log(`#   (minor/moderate: ${minor.map((v) => `${v.id} ×${v.nodes.length}`).join(", ")})`);
  return r.violations.filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id}: ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(" | ")}`);
}

/** Saves a screenshot for review and checks accessibility. */
export async function screen(page, name, problems) {
  await page.screenshot({ path: path.join(out, `${name}.png`), fullPage: true });
  const v = await axe(page);
  console.log(`# ${name}: axe-core ${v.length} serious/critical violations`);
  if (v.length) problems.push(`${name}: ${v.join("; ")}`);
}

/** Records every request the page makes (URL, headers and body). */
export function watchTraffic(page) {
  const seen = [];
  page.on("request", (r) => {
    seen.push({ url: r.url(), headers: JSON.stringify(r.headers()), body: r.postDataBuffer() ?? Buffer.alloc(0) });
  });
  return seen;
}

/** Everything the page stored: localStorage, sessionStorage, cookies, IndexedDB. */
export async function storageDump(page) {
  return page.evaluate(async () => {
    const idb = [];
    for (const info of await indexedDB.databases()) {
      const db = await new Promise((ok, ko) => { const r = indexedDB.open(info.name); r.onsuccess = () => ok(r.result); r.onerror = () => ko(r.error); });
      for (const store of db.objectStoreNames) {
        const all = await new Promise((ok) => { const r = db.transaction(store).objectStore(store).getAll(); r.onsuccess = () => ok(r.result); });
        idb.push(JSON.stringify(all));
      }
      db.close();
    }
    return JSON.stringify({ local: { ...localStorage }, session: { ...sessionStorage }, cookies: document.cookie, idb });
  });
}
