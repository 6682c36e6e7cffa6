import init, { LivenessSession, faceQuality } from "/pkg/capture-wasm/capture_wasm.js";
await init();

const hexToBytes = (h) => Uint8Array.from(h.match(/../g) ?? [], (b) => parseInt(b, 16));

/** Challenge steps for a nonce (the server's, in production). */
window.challengeFor = (nonceHex) => LivenessSession.start(hexToBytes(nonceHex)).challenge;

/** Opens the camera, runs a liveness session for `seconds`, returns the result with evidence. */
window.runLiveness = async ({ nonceHex, seconds = 4 }) => {
  const video = document.getElementById("cam");
  const stream = await navigator.mediaDevices.getUserMedia({ video: true, audio: false });
  video.srcObject = stream;
  await video.play();
  const session = LivenessSession.start(hexToBytes(nonceHex));
  document.getElementById("prompt").textContent = session.challenge.map((s) => s.prompt).join(" → ");
  const canvas = new OffscreenCanvas(video.videoWidth, video.videoHeight);
  const g = canvas.getContext("2d", { willReadFrequently: true });
  const t0 = performance.now();
  let frames = 0;
  await new Promise((done) => {
    const onFrame = (now) => {
      g.drawImage(video, 0, 0);
      const { data, width, height } = g.getImageData(0, 0, canvas.width, canvas.height);
      const q = session.push(data, width, height, now - t0);
      frames++;
      document.getElementById("hint").textContent = q.instructions.map((i) => i.text).join(" · ");
      if (now - t0 < seconds * 1000) video.requestVideoFrameCallback(onFrame); else done();
    };
    video.requestVideoFrameCallback(onFrame);
  });
  stream.getTracks().forEach((t) => t.stop());
  const result = session.result();
  document.getElementById("result").textContent = JSON.stringify(result, null, 2);
  return { result, frames, width: canvas.width, height: canvas.height };
};

document.getElementById("start").onclick = () => {
  const nonce = crypto.getRandomValues(new Uint8Array(16));
  window.runLiveness({ nonceHex: [...nonce].map((b) => b.toString(16).padStart(2, "0")).join("") });
};
window.livenessReady = true;
