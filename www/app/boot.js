// Loads the Leptos app (app/ compiled to /pkg/app/). `init` runs the app's start function,
// which mounts the first screen; the mark lets tests and benchmarks read when it was ready.
import init from "/pkg/app/app.js";

init().then(() => {
  performance.mark("huella-interactive");
  document.documentElement.dataset.ready = "1";
}).catch((e) => {
  document.body.textContent = "Huella no pudo iniciar en este navegador: " + e;
});
