// The kiosk's offline queue: one IndexedDB object store of signed packets (attachments already
// sealed to the server's key), keyed by a local id. Only storage lives here; what to post, when
// and what an answer means is Rust (app/src/web/queue.rs, app/src/delivery.rs). Each call is its
// own transaction, committed before its promise resolves, so a reload or a crash loses nothing
// that was acknowledged.
const DB = "huella";
const STORE = "cola";

function open() {
  return new Promise((resolve, reject) => {
    const r = indexedDB.open(DB, 1);
    r.onupgradeneeded = () => r.result.createObjectStore(STORE, { keyPath: "id" });
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });
}

function run(mode, body) {
  return open().then((db) => new Promise((resolve, reject) => {
    const t = db.transaction(STORE, mode);
    let out;
    body(t.objectStore(STORE), (v) => { out = v; });
    t.oncomplete = () => { db.close(); resolve(out); };
    t.onerror = () => { db.close(); reject(t.error); };
    t.onabort = () => { db.close(); reject(t.error); };
  }));
}

export function queuePut(json) {
  const rec = JSON.parse(json);
  return run("readwrite", (s) => { s.put(rec); });
}

export function queueAll() {
  return run("readonly", (s, done) => {
    const r = s.getAll();
    r.onsuccess = () => done(JSON.stringify(r.result));
  });
}

export function queueClear() {
  return run("readwrite", (s) => { s.clear(); });
}
