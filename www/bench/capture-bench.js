// Capture benchmarks in the page: fingerprint quality and WSQ on the 400×500 live scans,
// face quality on a 640×480 frame made from the sample portrait. Medians in ms.

export const PRINTS = ["p1_1", "p1_2", "p1_3", "p2_1", "p2_2", "p2_3"];

async function imageData(url) {
  const blob = await (await fetch(url)).blob();
  const bmp = await createImageBitmap(blob);
  const c = new OffscreenCanvas(bmp.width, bmp.height);
  const g = c.getContext("2d");
  g.drawImage(bmp, 0, 0);
  return g.getImageData(0, 0, bmp.width, bmp.height);
}

/** An 8-bit grey image from a PNG (first channel of a grey PNG). */
export async function loadGray(url) {
  const d = await imageData(url);
  const gray = new Uint8Array(d.width * d.height);
  for (let i = 0; i < gray.length; i++) gray[i] = d.data[i * 4];
  return { width: d.width, height: d.height, gray };
}

/** A 640×480 RGBA webcam-like frame: the portrait scaled to 400 px tall, centred on grey. */
async function faceFrame() {
  const blob = await (await fetch("/testdata/faces/astronaut.png")).blob();
  const bmp = await createImageBitmap(blob);
  const c = new OffscreenCanvas(640, 480);
  const g = c.getContext("2d");
  g.fillStyle = "#d8d8d8";
  g.fillRect(0, 0, 640, 480);
  g.drawImage(bmp, 120, 40, 400, 400);
  return g.getImageData(0, 0, 640, 480).data;
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function time(fn) {
  const t0 = performance.now();
  const r = fn();
  return [performance.now() - t0, r];
}

export async function runCaptureBenchmark({ runs = 30 } = {}) {
  const c = window.capture;
  const prints = await Promise.all(PRINTS.map((p) => loadGray(`/testdata/fingerprints/${p}.png`)));
  const frame = await faceFrame();
  const t = { finger_quality: [], wsq_encode: [], wsq_decode: [], face_quality: [] };
  const scores = {};
  for (let i = 0; i < runs + 2; i++) {
    const warm = i < 2;
    for (const [k, p] of prints.entries()) {
      const [dq, q] = time(() => c.fingerprintQuality(p.gray, p.width, p.height, 500));
      const [de, wsq] = time(() => c.encodeWsq(p.gray, p.width, p.height, 500, 0.75));
      const [dd] = time(() => c.decodeWsq(wsq));
      if (!warm) { t.finger_quality.push(dq); t.wsq_encode.push(de); t.wsq_decode.push(dd); }
      scores[PRINTS[k]] = q.score;
    }
    const [df, fq] = time(() => c.faceQuality(frame, 640, 480));
    if (!warm) t.face_quality.push(df);
    scores.face = fq.score;
  }
  return {
    runs, userAgent: navigator.userAgent, scores,
    medians: Object.fromEntries(Object.entries(t).map(([k, v]) => [k, median(v)])),
    samples: t,
  };
}
