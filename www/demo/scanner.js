// Demo: fingerprint capture through WebUSB (real reader) or the emulated U.are.U 4500 behind a
// fake navigator.usb. Plain ES module; the browser tests drive it through `window.scannerDemo`.
import init, { FingerprintScanner, UsbEmulator, fingerprintQuality } from "../pkg/capture-wasm/capture_wasm.js";
import { installFakeUsb, mountFakeUsbControls } from "../fake-usb.js";

const SAMPLE = "/testdata/fingerprints/p1_1.png";
const $ = (id) => document.getElementById(id);

const MESSAGES = {
  no_device: "No se eligió ningún lector.",
  webusb_unavailable: "Este navegador no tiene WebUSB: use Chrome o Edge (https), o el escáner simulado.",
  device_busy: "El lector está en uso por otra pestaña o programa.",
  access_denied: "El sistema negó el acceso al lector (controlador WinUSB o permisos).",
  device_disconnected: "El lector se desconectó.",
  finger_timeout: "No se detectó el dedo a tiempo.",
  finger_off_timeout: "No se retiró el dedo a tiempo.",
  scanner_busy: "El lector está ocupado con otra operación.",
};

const demo = {
  ready: false, reader: null, fake: null, emulator: null, lastCapture: null, lastError: null,
  modules: { FingerprintScanner, UsbEmulator, fingerprintQuality, installFakeUsb },
};
window.scannerDemo = demo;

function status(text, isError = false) {
  $("estado").textContent = text;
  $("estado").className = isError ? "error" : "";
}

function showError(e) {
  demo.lastError = { code: e?.code ?? "error", message: String(e?.message ?? e) };
  status(`${MESSAGES[e?.code] ?? "Error"} (${demo.lastError.code}: ${demo.lastError.message})`, true);
}

/** Gray pixels of an image file, exact (no colour management). */
export async function loadGray(url) {
  const blob = await (await fetch(url)).blob();
  const bmp = await createImageBitmap(blob, { colorSpaceConversion: "none", premultiplyAlpha: "none" });
  const c = new OffscreenCanvas(bmp.width, bmp.height);
  const ctx = c.getContext("2d");
  ctx.drawImage(bmp, 0, 0);
  const rgba = ctx.getImageData(0, 0, bmp.width, bmp.height).data;
  const gray = new Uint8Array(bmp.width * bmp.height);
  for (let i = 0; i < gray.length; i++) {
    gray[i] = Math.round(0.299 * rgba[4 * i] + 0.587 * rgba[4 * i + 1] + 0.114 * rgba[4 * i + 2]);
  }
  return { gray, width: bmp.width, height: bmp.height };
}

/** Loads the sample print into a new emulator and installs the fake navigator.usb. */
demo.useEmulator = async ({ scramble = true, fault = "", auto = false, granted = false, requireGesture = true } = {}) => {
  const img = await loadGray(SAMPLE);
  demo.fake?.uninstall();
  demo.emulator = new UsbEmulator(img.gray, img.width, img.height, scramble, fault || undefined);
  if (auto) demo.emulator.setAutoFinger(250, 200);
  demo.fake = installFakeUsb({ emulator: demo.emulator, granted, requireGesture });
  const controls = $("controles-simulado");
  controls.replaceChildren();
  mountFakeUsbControls(controls, demo.fake);
  controls.classList.remove("oculto");
  status("Escáner simulado listo: pulse «Conectar lector».");
  return demo.fake;
};

function connected(reader) {
  demo.reader = reader;
  const i = reader.info;
  $("lector").textContent = `Lector: ${i.model} (${i.vendorId.toString(16).padStart(4, "0")}:${i.productId.toString(16).padStart(4, "0")}), ${i.width} × ${i.height} a ${i.ppi} ppp`;
  $("capturar").disabled = false;
  $("cerrar").disabled = false;
  status("Lector conectado: pulse «Capturar huella».");
}

demo.connect = async () => {
  try { connected(await FingerprintScanner.request()); } catch (e) { showError(e); throw e; }
};

demo.connectGranted = async () => {
  try {
    const list = await FingerprintScanner.granted();
    if (!list.length) { const e = new Error("ningún lector autorizado"); e.code = "no_device"; throw e; }
    connected(list[0]);
  } catch (e) { showError(e); throw e; }
};

function draw(img) {
  const c = $("imagen");
  c.width = img.width;
  c.height = img.height;
  const ctx = c.getContext("2d");
  const data = ctx.createImageData(img.width, img.height);
  for (let i = 0; i < img.pixels.length; i++) {
    const v = img.pixels[i];
    data.data.set([v, v, v, 255], 4 * i);
  }
  ctx.putImageData(data, 0, 0);
}

function showQuality(img) {
  // Same module, same measure the capture settled on (recomputed here as a page would).
  const q = fingerprintQuality(img.pixels, img.width, img.height, img.ppi);
  $("calidad").textContent = `Calidad: ${q.score} / 100`;
  const list = $("indicaciones");
  list.replaceChildren(...(q.guidance.length ? q.guidance : [{ message: "Buena captura." }]).map((g) => {
    const li = document.createElement("li");
    li.textContent = g.message;
    return li;
  }));
  $("detalle").textContent = `Tramas: ${img.frames} (calidad por trama: ${img.scores.join(", ")}; ` +
    `${img.settled ? "estable" : "límite de tramas"}), dedo → imagen ${img.fingerToImageMs.toFixed(0)} ms, ` +
    `${img.scrambled ? "cifrada" : "sin cifrar"}.`;
  return q;
}

/** One full capture: open → finger on → frames until settled → finger off. */
demo.capture = async ({ fingerTimeoutMs = 30000 } = {}) => {
  const reader = demo.reader;
  $("capturar").disabled = true;
  try {
    status("Encendiendo el lector…");
    await reader.open();
    status("Coloque el dedo en el lector.");
    await reader.waitFingerOn(fingerTimeoutMs);
    status("Capturando… no mueva el dedo.");
    const img = await reader.capture(5000);
    demo.lastCapture = img;
    draw(img);
    demo.lastQuality = showQuality(img);
    status("Listo. Retire el dedo.");
    await reader.waitFingerOff(fingerTimeoutMs);
    status(`Captura terminada: calidad ${demo.lastQuality.score} / 100.`);
    return img;
  } catch (e) {
    showError(e);
    throw e;
  } finally {
    $("capturar").disabled = false;
  }
};

demo.close = async () => { await demo.reader?.close(); status("Lector cerrado."); };

const swallow = (f) => () => f().catch(() => {});
$("simulado").addEventListener("click", swallow(() => demo.useEmulator({
  scramble: $("cifrado").checked, fault: $("falla").value, auto: $("auto").checked,
})));
$("conectar").addEventListener("click", swallow(demo.connect));
$("autorizado").addEventListener("click", swallow(demo.connectGranted));
$("capturar").addEventListener("click", swallow(() => demo.capture()));
$("cerrar").addEventListener("click", swallow(demo.close));

await init();
demo.ready = true;
status(navigator.usb ? "Listo: conecte un lector o use el escáner simulado." :
  "Este navegador no tiene WebUSB: use el escáner simulado.");
