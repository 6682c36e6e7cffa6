// Demo mode without hardware: the U.are.U 4500 emulator (capture-wasm's UsbEmulator) behind a
// fake `navigator.usb` (../fake-usb.js) — the app's real WebUSB driver code runs against it — and
// optionally a simulated camera (the sample face drawn into a canvas stream). Loaded by the app
// (app/src/web/demo.rs) only in demo mode; the sample images come from the demo fixtures the
// server serves under /testdata/ (`huella serve --demo-testdata`).
import init, { UsbEmulator } from "/pkg/capture-wasm/capture_wasm.js";
import { installFakeUsb } from "/fake-usb.js";

// One sample print per finger position 1–10.
const PRINTS = [
  "p1_1", "p1_2", "p1_3", "p2_1", "p2_2",
  "p2_3", "nist_card0001_01", "nist_card0002_01", "p1_2", "p2_2",
];

async function grayOf(url, filter = "none") {
  const blob = await (await fetch(url)).blob();
  const img = await createImageBitmap(blob);
  const c = new OffscreenCanvas(img.width, img.height);
  const g = c.getContext("2d", { willReadFrequently: true });
  g.fillStyle = "#fff";
  g.fillRect(0, 0, img.width, img.height);
  g.filter = filter;
  g.drawImage(img, 0, 0);
  const rgba = g.getImageData(0, 0, img.width, img.height).data;
  const pixels = new Uint8Array(img.width * img.height);
  for (let i = 0; i < pixels.length; i++) pixels[i] = rgba[i * 4];
  return { pixels, width: img.width, height: img.height };
}

function installFakeCamera() {
  const canvas = document.createElement("canvas");
  canvas.width = 640;
  canvas.height = 480;
  const g = canvas.getContext("2d");
  const face = new Image();
  face.src = "/testdata/faces/astronaut.png";
  let t = 0;
  const draw = () => {
    t += 1;
    g.fillStyle = "#bbb";
    g.fillRect(0, 0, 640, 480);
    if (face.complete && face.naturalWidth) {
      const s = 400 / face.naturalHeight;
      const w = face.naturalWidth * s;
      g.drawImage(face, 320 - w / 2 + Math.sin(t / 9) * 2, 40 + Math.cos(t / 11) * 2, w, 400);
    }
  };
  setInterval(draw, 33);
  draw();
  const stream = canvas.captureStream(30);
  const md = navigator.mediaDevices;
  md.getUserMedia = async () => stream.clone();
  md.enumerateDevices = async () => [{ kind: "videoinput", deviceId: "demo", label: "Cámara simulada", groupId: "demo" }];
}

export async function installDemo({ camera = true } = {}) {
  await init();
  const first = await grayOf(`/testdata/fingerprints/${PRINTS[0]}.png`);
  const emulator = new UsbEmulator(first.pixels, first.width, first.height, true);
  emulator.setAutoFinger(300, 250);
  const fake = installFakeUsb({ emulator, granted: true, requireGesture: false });
  const api = {
    fake,
    emulator,
    smudged: false,
    // The app calls this before each finger: that finger's sample (or a smudged one).
    async usePrint(position) {
      const name = PRINTS[(position - 1) % PRINTS.length];
      const filter = api.smudged ? "blur(5px) contrast(35%) brightness(70%)" : "none";
      const img = await grayOf(`/testdata/fingerprints/${name}.png`, filter);
      emulator.setImage(img.pixels, img.width, img.height);
    },
  };
  if (camera) installFakeCamera();
  window.huellaDemo = api;
  return api;
}
