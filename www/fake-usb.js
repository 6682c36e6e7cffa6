// A fake `navigator.usb` (WICG WebUSB §4 `USB`, §6 `USBDevice`) backed by the U.are.U 4500
// emulator compiled to WASM (`UsbEmulator` from capture-wasm). Pages and tests install it so the
// real WebUSB code path (scanner::webusb + the driver) runs without a reader:
//
//   import init, { UsbEmulator } from "/pkg/capture-wasm/capture_wasm.js";
//   import { installFakeUsb } from "/fake-usb.js";
//   await init();
//   const fake = installFakeUsb({ emulator: new UsbEmulator(gray, w, h, true) });
//   … FingerprintScanner.request() …; fake.placeFinger(); …; fake.liftFinger();
//
// Behaviour follows Chromium's: results are USBInTransferResult/USBOutTransferResult (the real
// classes when the browser has them) with `status` "ok" | "stall" | "babble" and a DataView;
// failures reject with DOMException names (NotFoundError after an unplug, InvalidStateError when
// not open, NetworkError when the interface is held elsewhere, AbortError for reads cancelled by
// releaseInterface/close). Timers follow the emulator's timing model: control transfers take
// `controlMs`; IN reads complete when the emulator says (interrupts on 8 ms boundaries, frames
// after exposure + bulk time); sub-4 ms waits avoid setTimeout's nesting clamp.

const IDS = { vendorId: 0x05ba, productId: 0x000a };

function domError(name, message) {
  return new DOMException(message, name);
}

// Waits until performance.now() >= t. setTimeout clamps nested timers to >= 4 ms, so short
// waits yield through a MessageChannel instead.
const channel = new MessageChannel();
const waiting = [];
channel.port1.onmessage = () => {
  const now = performance.now();
  for (let i = waiting.length - 1; i >= 0; i--) {
    if (waiting[i].t <= now) waiting.splice(i, 1)[0].resolve();
  }
  if (waiting.length) channel.port2.postMessage(0);
};
function sleepUntil(t) {
  const left = t - performance.now();
  if (left <= 0) return Promise.resolve();
  if (left >= 5) return new Promise((ok) => setTimeout(ok, left - 1)).then(() => sleepUntil(t));
  return new Promise((resolve) => {
    waiting.push({ t, resolve });
    if (waiting.length === 1) channel.port2.postMessage(0);
  });
}

function inResult(status, bytes) {
  const data = new DataView((bytes ?? new Uint8Array(0)).buffer.slice(0));
  try { return new USBInTransferResult(status, data); } catch { return { status, data }; }
}

function outResult(status, bytesWritten) {
  try { return new USBOutTransferResult(status, bytesWritten); } catch { return { status, bytesWritten }; }
}

/** The descriptor tree of a U.are.U 4500 (one configuration, one vendor interface). */
function configuration() {
  const endpoint = (endpointNumber, type, packetSize) =>
    ({ endpointNumber, direction: "in", type, packetSize });
  const alternate = {
    alternateSetting: 0, interfaceClass: 0xff, interfaceSubclass: 0xff, interfaceProtocol: 0xff,
    interfaceName: null,
    endpoints: [endpoint(1, "interrupt", 64), endpoint(2, "bulk", 64)],
  };
  const iface = { interfaceNumber: 0, alternate, alternates: [alternate], claimed: false };
  return { configurationValue: 1, configurationName: null, interfaces: [iface] };
}

class FakeUSBDevice {
  #fake; #emu; #opened = false; #gone = false; #reads = []; #timer = null; #timerAt = Infinity;

  constructor(fake, emu) {
    this.#fake = fake;
    this.#emu = emu;
    this.configurations = [configuration()];
    this.configuration = this.configurations[0];
    Object.assign(this, {
      usbVersionMajor: 2, usbVersionMinor: 0, usbVersionSubminor: 0,
      deviceClass: 0, deviceSubclass: 0, deviceProtocol: 0,
      deviceVersionMajor: 1, deviceVersionMinor: 0, deviceVersionSubminor: 4,
      manufacturerName: "DigitalPersona, Inc.",
      productName: "U.are.U\u00ae 4500 Fingerprint Reader (emulated)",
      serialNumber: "{EMULATED-4500}",
    });
  }

  get vendorId() { return this.#emu.vendorId; }
  get productId() { return this.#emu.productId; }
  get opened() { return this.#opened; }

  #now() { return performance.now(); }

  #checkOpen() {
    if (this.#gone || !this.#emu.plugged) throw domError("NotFoundError", "The device was disconnected.");
    if (!this.#opened) throw domError("InvalidStateError", "The device must be opened first.");
  }

  // One transfer's settlement from an emulator outcome.
  #settle(o, ok) {
    if (o.error) {
      if (o.error === "NotFoundError") this.#fake._unplugged(this);
      throw domError(o.error, o.message);
    }
    return ok(o);
  }

  // Control transfers complete `controlMs` after they start.
  async #controlDelay() {
    await sleepUntil(this.#now() + this.#fake.timing.controlMs);
    this.#checkOpen();
  }

  async open() {
    if (this.#gone || !this.#emu.plugged) throw domError("NotFoundError", "The device was disconnected.");
    await sleepUntil(this.#now() + this.#fake.timing.controlMs);
    if (this.#gone || !this.#emu.plugged) throw domError("NotFoundError", "The device was disconnected.");
    this.#opened = true;
  }

  async close() {
    if (!this.#opened) return;
    this.#cancelReads("AbortError", "The transfer was cancelled.");
    for (const i of this.configuration.interfaces) {
      if (i.claimed) { this.#emu.close(this.#now()); i.claimed = false; }
    }
    this.#opened = false;
  }

  async forget() { await this.close(); this.#fake._forget(this); }

  async reset() { this.#checkOpen(); this.#cancelReads("AbortError", "The transfer was cancelled."); }

  async selectConfiguration(value) {
    this.#checkOpen();
    if (value !== 1) throw domError("NotFoundError", "The configuration value provided is not supported by the device.");
    await this.#controlDelay();
  }

  #interface(n) {
    const i = this.configuration?.interfaces.find((x) => x.interfaceNumber === n);
    if (!i) throw domError("NotFoundError", "The interface number provided is not supported by the device in its current configuration.");
    return i;
  }

  async claimInterface(n) {
    this.#checkOpen();
    const i = this.#interface(n);
    if (i.claimed) return;
    await this.#controlDelay();
    const o = this.#emu.open(this.#now());
    if (o.error === "NetworkError") throw domError("NetworkError", "Unable to claim interface.");
    this.#settle(o, () => { i.claimed = true; });
  }

  async releaseInterface(n) {
    this.#checkOpen();
    const i = this.#interface(n);
    if (!i.claimed) return;
    this.#cancelReads("AbortError", "The transfer was cancelled.");
    await this.#controlDelay();
    this.#settle(this.#emu.close(this.#now()), () => { i.claimed = false; });
  }

  async selectAlternateInterface(n, alt) {
    this.#checkOpen();
    this.#interface(n);
    if (alt !== 0) throw domError("NotFoundError", "The alternate setting provided is not supported by the device in its current configuration.");
  }

  async controlTransferIn(setup, length) {
    this.#checkOpen();
    await this.#controlDelay();
    const o = this.#emu.controlIn(setup.requestType, setup.recipient, setup.request, setup.value,
      setup.index, length, this.#now());
    this.#pump();
    return this.#settle(o, (r) => inResult(r.status, r.data));
  }

  async controlTransferOut(setup, data) {
    this.#checkOpen();
    const bytes = data === undefined ? new Uint8Array(0)
      : new Uint8Array(ArrayBuffer.isView(data) ? data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) : data);
    await this.#controlDelay();
    const o = this.#emu.controlOut(setup.requestType, setup.recipient, setup.request, setup.value,
      setup.index, bytes, this.#now());
    this.#pump();
    return this.#settle(o, (r) => outResult(r.status, r.bytesWritten ?? 0));
  }

  #claimedEndpoint(ep) {
    const i = this.configuration.interfaces.find((x) => x.alternate.endpoints.some((e) => e.endpointNumber === ep));
    if (!i || !i.claimed) throw domError("NotFoundError", "The specified endpoint is not part of a claimed and selected alternate interface.");
  }

  transferIn(endpointNumber, length) {
    return new Promise((resolve, reject) => {
      this.#checkOpen();
      this.#claimedEndpoint(endpointNumber);
      const o = this.#emu.submitIn(endpointNumber, length, this.#now());
      if (o.error) return reject(domError(o.error, o.message));
      this.#reads.push({ ep: endpointNumber, resolve, reject });
      this.#pump();
    });
  }

  async transferOut(endpointNumber) {
    this.#checkOpen();
    throw domError("NotFoundError", `The specified endpoint ${endpointNumber} is not part of a claimed and selected alternate interface.`);
  }

  async clearHalt(direction, endpointNumber) {
    this.#checkOpen();
    if (direction !== "in") throw domError("NotFoundError", "The specified endpoint is not part of a claimed and selected alternate interface.");
    this.#claimedEndpoint(endpointNumber);
    await this.#controlDelay();
    this.#settle(this.#emu.clearHalt(endpointNumber, this.#now()), () => undefined);
    this.#pump();
  }

  #cancelReads(name, message) {
    const reads = this.#reads;
    this.#reads = [];
    for (const r of reads) r.reject(domError(name, message));
  }

  /** Called by the fake when the device vanished (unplug, or an emulator unplug fault). */
  _disconnected() {
    this.#gone = true;
    this.#opened = false;
    this.#cancelReads("NotFoundError", "The device was disconnected.");
    if (this.#timer) clearTimeout(this.#timer);
  }

  /** Polls every queued read (first one per endpoint); re-arms the timer for the next event. */
  _pump() { this.#pump(); }
  #pump() {
    const now = this.#now();
    this.#emu.tick(now);
    if (!this.#emu.plugged && !this.#gone) { this.#fake._unplugged(this); return; }
    let next = Infinity;
    let waitingForOutside = false;
    const seen = new Set();
    for (const r of [...this.#reads]) {
      if (seen.has(r.ep)) continue;
      seen.add(r.ep);
      const o = this.#emu.pollIn(r.ep, now);
      if (o.pending) {
        if (o.next === null) waitingForOutside = true; else next = Math.min(next, o.next);
        continue;
      }
      this.#reads.splice(this.#reads.indexOf(r), 1);
      if (o.error) {
        r.reject(domError(o.error, o.message));
        if (o.error === "NotFoundError") { this.#fake._unplugged(this); return; }
      } else {
        r.resolve(inResult(o.status, o.data));
      }
      // Another read on the same endpoint may now be served: poll again right away.
      queueMicrotask(() => this.#pump());
    }
    // A read waiting on outside action (a finger) is also re-polled now and then.
    if (waitingForOutside) next = Math.min(next, now + 100);
    this.#arm(next);
  }

  #arm(t) {
    if (!Number.isFinite(t)) return;
    if (this.#timer && t >= this.#timerAt) return;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timerAt = t;
    this.#timer = true;
    const fire = () => { this.#timer = null; this.#timerAt = Infinity; this.#pump(); };
    if (t - this.#now() < 5) {
      const id = {};
      this.#timer = id;
      sleepUntil(t).then(() => { if (this.#timer === id) fire(); });
    } else {
      this.#timer = setTimeout(fire, t - this.#now());
    }
  }
}

class FakeUSB extends EventTarget {
  onconnect = null;
  ondisconnect = null;
  #opts;
  constructor(opts) { super(); this.#opts = opts; }
  async getDevices() { return this.#opts.getDevices(); }
  async requestDevice(options) { return this.#opts.requestDevice(options); }
  _fire(type, device) {
    const ev = new Event(type);
    ev.device = device;
    this.dispatchEvent(ev);
    const handler = type === "connect" ? this.onconnect : this.ondisconnect;
    if (typeof handler === "function") handler.call(this, ev);
  }
}

/**
 * Installs the fake `navigator.usb` and returns its controls.
 * - `emulator`: a `UsbEmulator`.
 * - `granted`: the device is already granted (kiosk policy): `getDevices()` lists it at once.
 * - `requireGesture` (default true): `requestDevice` needs a user gesture, as in a real browser.
 */
export function installFakeUsb({ emulator, granted = false, requireGesture = true }) {
  if (!emulator) throw new TypeError("installFakeUsb needs { emulator }");
  const previous = Object.getOwnPropertyDescriptor(Navigator.prototype, "usb");
  const state = { granted, device: null };
  const fake = {
    emulator,
    timing: emulator.timing,
    get device() { return state.device; },
    _unplugged(dev) {
      if (dev !== state.device) return;
      state.device = null;
      dev._disconnected();
      usb._fire("disconnect", dev);
    },
    _forget(dev) { if (dev === state.device) state.granted = false; },
    placeFinger() { emulator.placeFinger(performance.now()); state.device?._pump(); },
    liftFinger() { emulator.liftFinger(performance.now()); state.device?._pump(); },
    unplug() {
      emulator.unplug();
      if (state.device) fake._unplugged(state.device);
    },
    replug() {
      emulator.replug();
      state.device = new FakeUSBDevice(fake, emulator);
      usb._fire("connect", state.device);
      return state.device;
    },
    uninstall() {
      if (previous) Object.defineProperty(Navigator.prototype, "usb", previous);
      else delete Navigator.prototype.usb;
    },
  };
  const usb = new FakeUSB({
    getDevices: () => (state.granted && state.device ? [state.device] : []),
    requestDevice: (options) => {
      if (!options || !Array.isArray(options.filters)) {
        throw new TypeError("Failed to execute 'requestDevice' on 'USB': required member filters is undefined.");
      }
      if (requireGesture && !navigator.userActivation?.isActive) {
        throw domError("SecurityError", "Must be handling a user gesture to show a permission request.");
      }
      fake.lastRequestFilters = options.filters.map((f) => ({ ...f }));
      const d = state.device;
      const match = d && options.filters.some((f) =>
        (f.vendorId === undefined || f.vendorId === d.vendorId) &&
        (f.productId === undefined || f.productId === d.productId));
      if (!match) throw domError("NotFoundError", "No device selected.");
      state.granted = true;
      return d;
    },
  });
  state.device = new FakeUSBDevice(fake, emulator);
  Object.defineProperty(Navigator.prototype, "usb", { configurable: true, enumerable: true, get: () => usb });
  fake.usb = usb;
  return fake;
}

/** Adds "Colocar dedo" / "Retirar dedo" / "Desconectar" / "Reconectar" buttons for `fake`. */
export function mountFakeUsbControls(container, fake) {
  const buttons = [
    ["Colocar dedo", () => fake.placeFinger()],
    ["Retirar dedo", () => fake.liftFinger()],
    ["Desconectar lector", () => fake.unplug()],
    ["Reconectar lector", () => fake.replug()],
  ];
  for (const [label, action] of buttons) {
    const b = document.createElement("button");
    b.type = "button";
    b.textContent = label;
    b.addEventListener("click", action);
    container.append(b);
  }
}

export { IDS as FAKE_USB_IDS };
