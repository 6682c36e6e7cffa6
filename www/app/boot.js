// Loads the Leptos app (app/ compiled to /pkg/app/). `init` runs the app's start function,
// which mounts the first screen; the mark lets tests and benchmarks read when it was ready.
import init from "/pkg/app/app.js";

init().then(() => {
  performance.mark("huella-interactive");
  document.documentElement.dataset.ready = "1";
  // Keep the app shell for offline reloads (kiosks); the API is never cached. The files this
  // first load fetched before the service worker took over (wasm-bindgen snippets among them)
  // are added too, so the next reload works without a network.
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("/sw.js")
      .then(() => navigator.serviceWorker.ready)
      .then(() => {
        const own = performance.getEntriesByType("resource").map((e) => new URL(e.name))
          .filter((u) => u.origin === location.origin && !/^\/(api|verify|health|metrics)\b/.test(u.pathname))
          .map((u) => u.pathname + u.search);
        return caches.open("huella-shell-v1").then((c) => c.addAll([...new Set(own)]));
      })
      .then(() => { document.documentElement.dataset.offlineReady = "1"; })
      .catch(() => {});
  }
}).catch((e) => {
  document.body.textContent = "Huella no pudo iniciar en este navegador: " + e;
});
