import init, { Credential, WebCryptoCredential } from "/pkg/efirma-wasm/efirma_wasm.js";
import { runBenchmark } from "./efirma-bench.js";
await init();
window.huella = { Credential, WebCryptoCredential };
window.runBenchmark = runBenchmark;
document.getElementById("run").onclick = async () => {
  document.getElementById("status").textContent = "midiendo…";
  const r = await runBenchmark({ runs: 30 });
  const rows = Object.entries(r.medians).map(([k, v]) => `<tr><th>${k}</th><td>${v.toFixed(2)} ms</td></tr>`);
  document.getElementById("out").innerHTML = rows.join("");
  document.getElementById("status").textContent = "listo";
};
window.benchReady = true;
