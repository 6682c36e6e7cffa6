// Shared by the browser tests and benchmarks: a static server on a free port and headless
// Debian Chromium (playwright-core; flags from ../shared/toolchain.md).
import http from "node:http";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const shared = path.resolve(root, "../shared");

const types = { ".html": "text/html; charset=utf-8", ".js": "text/javascript", ".mjs": "text/javascript",
  ".wasm": "application/wasm", ".css": "text/css", ".json": "application/json", ".png": "image/png",
  ".y4m": "video/x-raw" };

/** The product's Content-Security-Policy (`server::CSP`), read from its one definition so the
 * browser tests run the pages under exactly the policy `huella serve --www` sends. */
export const CSP = (() => {
  const src = fs.readFileSync(path.join(root, "crates/server/src/lib.rs"), "utf8");
  const m = src.match(/pub const CSP: &str = "([^"]*)";/s);
  if (!m) throw new Error("server::CSP not found in crates/server/src/lib.rs");
  return m[1].replace(/\\\n/g, "");
})();

/** Maps a URL path to a file: /vendor/forge.min.js, /testdata/…, else www/…. */
function resolve(urlPath) {
  const p = decodeURIComponent(urlPath.split("?")[0]);
  if (p === "/vendor/forge.min.js") return path.join(root, "node_modules/node-forge/dist/forge.min.js");
  if (p.startsWith("/testdata/")) return path.join(shared, p);
  return path.join(root, "www", p.endsWith("/") ? p + "index.html" : p);
}

export async function startStaticServer() {
  const server = http.createServer((req, res) => {
    const file = resolve(req.url);
    if (!file.startsWith(root) && !file.startsWith(shared)) { res.writeHead(403).end(); return; }
    fs.readFile(file, (err, body) => {
      if (err) { res.writeHead(404).end("not found"); return; }
      res.writeHead(200, {
        "content-type": types[path.extname(file)] ?? "application/octet-stream",
        "content-security-policy": CSP,
      });
      res.end(body);
    });
  });
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  return { server, url: `http://127.0.0.1:${server.address().port}` };
}

export async function launchChromium(extraArgs = []) {
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), "huella-chromium-"));
  const executablePath = process.env.CHROMIUM ?? "/usr/bin/chromium";
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath, headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync",
      "--disable-dev-shm-usage", ...extraArgs],
  });
  return { context, close: async () => { await context.close(); fs.rmSync(userDataDir, { recursive: true, force: true }); } };
}
