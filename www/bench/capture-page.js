import init, * as capture from "/pkg/capture-wasm/capture_wasm.js";
import { runCaptureBenchmark, loadGray } from "./capture-bench.js";
await init();
window.capture = capture;
window.loadGray = loadGray;
window.runCaptureBenchmark = runCaptureBenchmark;
window.benchReady = true;
document.getElementById("out").textContent = "listo: runCaptureBenchmark({runs: 30})";
