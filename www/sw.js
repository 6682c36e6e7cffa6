// Huella's service worker: the app shell (pages, scripts, WebAssembly, styles) is kept in a cache
// so a clinic kiosk can reload — or restart after a crash — while the network is down, and its
// offline queue (IndexedDB) drains once it returns. Network first, cache as the fallback: online,
// a new build is always picked up whole (app.js and app_bg.wasm must match); offline, the last
// complete shell is served. The API (/api/, /verify/, /health, /metrics) is never cached or
// answered here: it goes to the network as if there were no service worker.
const CACHE = "huella-shell-v1";
const SHELL = ["/", "/app/boot.js", "/app/app.css", "/pkg/app/app.js", "/pkg/app/app_bg.wasm"];

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((c) => c.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

function isApi(url) {
  return ["/api/", "/verify/", "/health", "/metrics"].some((p) => url.pathname.startsWith(p));
}

self.addEventListener("fetch", (event) => {
  const req = event.request;
  const url = new URL(req.url);
  if (req.method !== "GET" || url.origin !== self.location.origin || isApi(url)) return;
  // Every page address (`/`, `/?kiosk`, `/?demo`) is the one app page.
  const key = req.mode === "navigate" ? "/" : req;
  event.respondWith(
    fetch(req)
      .then((resp) => {
        if (resp.ok && resp.type === "basic") {
          const copy = resp.clone();
          caches.open(CACHE).then((c) => c.put(key, copy));
        }
        return resp;
      })
      .catch(() => caches.match(key).then((hit) => hit ?? Response.error())),
  );
});
