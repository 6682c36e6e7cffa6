//! The emulated U.are.U 4500: register file, power state, interrupt queue, finger script, frame
//! generation and faults. Time is passed in by the caller (`now`, ms), so the same core runs under
//! a virtual clock (native tests) or a real one (a JS wrapper).

use std::collections::VecDeque;

mod outcome;
mod registers;

pub use outcome::{webusb_outcome, InPoll};

use super::faults::Faults;
use super::frames::{build, BuiltFrame};
use super::{EmulatorConfig, Rng, Timing};
use crate::error::TransferError;
use crate::image::GrayImage;
use crate::uru4000::geometry::{HEIGHT, WIDTH};
use crate::uru4000::{irq, mode, EP_DATA, EP_INTR, INTR_LEN};

#[derive(Debug, Clone, Copy, PartialEq)]
enum Event {
    PowerOnMessage,
    FingerPlaced,
    FingerLifted,
    Unplug,
}

#[derive(Debug, Clone)]
struct Read {
    len: usize,
    since: f64,
    /// For frame reads: the prepared outcome and when it completes.
    prepared: Option<(f64, Result<Vec<u8>, TransferError>)>,
}

/// Counters kept by the device, for tests and demos.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DeviceLog {
    /// Control transfers served.
    pub control_transfers: u32,
    /// Frames sent (including faulty ones).
    pub frames_sent: u32,
    /// Interrupt messages delivered.
    pub interrupts_sent: u32,
    /// Register writes attempted in the firmware area (all refused).
    pub firmware_writes: u32,
}

/// The emulated device.
#[derive(Debug)]
pub struct Device {
    cfg: EmulatorConfig,
    faults: Faults,
    /// Raw 384 × 290 image the sensor sees (inverted, and turned when the model turns).
    raw: Vec<u8>,
    plugged: bool,
    open: bool,
    hwstat: u8,
    confused: bool,
    recovery_polls: Option<u32>,
    power_polls: Option<u32>,
    mode: u8,
    key_number: u8,
    seed: u32,
    key_secret: u32,
    interrupts: VecDeque<(f64, u16)>,
    events: Vec<(f64, Event)>,
    reads: [Option<Read>; 3],
    halted: [bool; 3],
    capture_since: Option<f64>,
    last_frame_end: f64,
    frame_in_capture: u32,
    finger_down: bool,
    junk: [u8; INTR_LEN],
    rng: Rng,
    last_frame: Option<BuiltFrame>,
    /// Counters.
    pub log: DeviceLog,
}

impl Device {
    /// A device at rest (HWSTAT 0x03, or the confused state when that fault is set).
    pub fn new(cfg: EmulatorConfig) -> Self {
        let mut rng = Rng::new(cfg.seed);
        let fitted = cfg.image.fit_to(WIDTH as u32, HEIGHT as u32);
        let mut raw: Vec<u8> = fitted.pixels().iter().map(|&p| 255 - p).collect();
        if cfg.flip_180 {
            raw.reverse();
        }
        let mut junk = [0u8; INTR_LEN];
        for j in junk.iter_mut() {
            *j = rng.byte();
        }
        let faults = cfg.faults.clone();
        Self {
            hwstat: if faults.confused { 0x86 } else { 0x03 },
            confused: faults.confused,
            key_secret: rng.next_u32(),
            faults,
            raw,
            plugged: true,
            open: false,
            recovery_polls: None,
            power_polls: None,
            mode: 0,
            key_number: 0,
            seed: 0,
            interrupts: VecDeque::new(),
            events: Vec::new(),
            reads: [None, None, None],
            halted: [false; 3],
            capture_since: None,
            last_frame_end: 0.0,
            frame_in_capture: 0,
            finger_down: false,
            junk,
            rng,
            last_frame: None,
            log: DeviceLog::default(),
            cfg,
        }
    }

    /// Puts another finger on the sensor from now on (demo pages and tests switch prints
    /// between captures: ten fingers, a smudged one…).
    pub fn set_image(&mut self, image: &GrayImage) {
        let fitted = image.fit_to(WIDTH as u32, HEIGHT as u32);
        let mut raw: Vec<u8> = fitted.pixels().iter().map(|&p| 255 - p).collect();
        if self.cfg.flip_180 {
            raw.reverse();
        }
        self.raw = raw;
    }

    /// `(vendor id, product id)`.
    pub fn ids(&self) -> (u16, u16) {
        self.cfg.ids
    }

    /// Timing model in use.
    pub fn timing(&self) -> &Timing {
        &self.cfg.timing
    }

    /// Changes the timing model (e.g. a demo switching between scripted and hand-placed
    /// fingers); takes effect for events scheduled afterwards.
    pub fn timing_mut(&mut self) -> &mut Timing {
        &mut self.cfg.timing
    }

    /// Whether the device is plugged in (false after [`Device::unplug`] or a scheduled unplug
    /// fault has fired; call any method with the current time first to let it fire).
    pub fn is_plugged(&self) -> bool {
        self.plugged
    }

    /// Runs the events due by `now` (a scheduled unplug, a finger) without a transfer.
    pub fn tick(&mut self, now: f64) {
        self.advance(now);
    }

    /// The last frame sent and what a correct driver makes of it.
    pub fn last_frame(&self) -> Option<&BuiltFrame> {
        self.last_frame.as_ref()
    }

    /// The image a correct driver returns for the last frame (dark ridges, model orientation).
    pub fn expected_image(&self) -> Option<Vec<u8>> {
        let f = self.last_frame.as_ref()?;
        Some(crate::uru4000::frame::finish(
            f.expected_raw.clone(),
            self.cfg.flip_180,
        ))
    }

    /// The device's key for `key_number` (a fixed per-device function).
    fn key(&self, key_number: u8) -> u32 {
        Device::key_with(self.key_secret, key_number)
    }

    fn schedule(&mut self, t: f64, e: Event) {
        self.events.push((t, e));
    }

    fn advance(&mut self, now: f64) {
        loop {
            let due = self
                .events
                .iter()
                .enumerate()
                .filter(|(_, (t, _))| *t <= now)
                .min_by(|a, b| a.1 .0.total_cmp(&b.1 .0))
                .map(|(i, _)| i);
            let Some(i) = due else { break };
            let (t, e) = self.events.swap_remove(i);
            match e {
                Event::PowerOnMessage => self.interrupts.push_back((t, irq::POWER_ON)),
                Event::FingerPlaced => {
                    self.finger_down = true;
                    if self.mode == mode::AWAIT_FINGER_ON {
                        let at = t + self.cfg.timing.finger_detect_ms;
                        self.interrupts.push_back((at, irq::FINGER_ON));
                    }
                }
                Event::FingerLifted => {
                    self.finger_down = false;
                    if self.mode == mode::AWAIT_FINGER_OFF {
                        let at = t + self.cfg.timing.finger_detect_ms;
                        self.interrupts.push_back((at, irq::FINGER_OFF));
                    }
                }
                Event::Unplug => self.unplug(),
            }
        }
    }

    fn next_event(&self) -> Option<f64> {
        self.events.iter().map(|(t, _)| *t).min_by(f64::total_cmp)
    }

    fn check(&self) -> Result<(), TransferError> {
        if !self.plugged {
            Err(TransferError::Disconnected)
        } else if !self.open {
            Err(TransferError::NotOpen)
        } else {
            Ok(())
        }
    }

    /// Opens the device and claims its interface.
    pub fn open(&mut self, _now: f64) -> Result<(), TransferError> {
        if !self.plugged {
            return Err(TransferError::Disconnected);
        }
        if self.faults.busy {
            return Err(TransferError::Busy);
        }
        self.open = true;
        Ok(())
    }

    /// Releases the interface: queued reads end, the device keeps its state.
    pub fn close(&mut self, _now: f64) -> Result<(), TransferError> {
        self.reads = [None, None, None];
        if !self.plugged {
            return Err(TransferError::Disconnected);
        }
        self.open = false;
        Ok(())
    }

    /// Pulls the plug: every queued and future transfer fails with `Disconnected`.
    pub fn unplug(&mut self) {
        self.plugged = false;
        self.open = false;
    }

    /// Plugs the device back in: it comes back at rest (as after a power cycle), faults spent.
    pub fn replug(&mut self) {
        self.plugged = true;
        self.open = false;
        self.hwstat = 0x03;
        self.mode = 0;
        self.power_polls = None;
        self.capture_since = None;
        self.reads = [None, None, None];
        self.halted = [false; 3];
        self.events.clear();
        self.interrupts.clear();
        self.faults.unplug_in_capture_ms = None;
    }

    /// Places a finger by hand (for interactive demos); detected while MODE is 0x10.
    pub fn place_finger(&mut self, now: f64) {
        self.schedule(now, Event::FingerPlaced);
        self.advance(now);
    }

    /// Lifts the finger by hand.
    pub fn lift_finger(&mut self, now: f64) {
        self.schedule(now, Event::FingerLifted);
        self.advance(now);
    }

    /// Queues an IN read (no-op if one is queued on that endpoint).
    pub fn submit_in(&mut self, endpoint: u8, len: usize, now: f64) -> Result<(), TransferError> {
        self.advance(now);
        self.check()?;
        let slot = self
            .reads
            .get_mut(usize::from(endpoint))
            .filter(|_| endpoint == EP_INTR || endpoint == EP_DATA)
            .ok_or_else(|| TransferError::Other(format!("no IN endpoint {endpoint}")))?;
        if slot.is_none() {
            *slot = Some(Read {
                len,
                since: now,
                prepared: None,
            });
        }
        Ok(())
    }

    /// Clears a halt on an IN endpoint.
    pub fn clear_halt(&mut self, endpoint: u8, now: f64) -> Result<(), TransferError> {
        self.advance(now);
        self.check()?;
        if let Some(h) = self.halted.get_mut(usize::from(endpoint)) {
            *h = false;
        }
        Ok(())
    }

    /// Polls the queued read on `endpoint` at time `now`.
    pub fn poll_in(&mut self, endpoint: u8, now: f64) -> InPoll {
        self.advance(now);
        let idx = usize::from(endpoint);
        if !self.plugged {
            if let Some(r) = self.reads.get_mut(idx) {
                *r = None;
            }
            return InPoll::Ready(Err(TransferError::Disconnected));
        }
        let Some(Some(read)) = self.reads.get(idx).cloned() else {
            return InPoll::Ready(Err(TransferError::Other("no read queued".into())));
        };
        if self.halted.get(idx).copied().unwrap_or(false) {
            self.reads[idx] = None;
            return InPoll::Ready(Err(TransferError::Stall));
        }
        let next_event = self.next_event();
        if endpoint == EP_INTR {
            let Some(&(t, code)) = self.interrupts.front() else {
                return InPoll::Pending(next_event);
            };
            let every = self.cfg.timing.interrupt_interval_ms.max(0.001);
            let at = (t.max(read.since) / every).ceil() * every;
            if at > now {
                return InPoll::Pending(Some(next_event.map_or(at, |e| e.min(at))));
            }
            self.interrupts.pop_front();
            self.reads[idx] = None;
            self.log.interrupts_sent += 1;
            let mut msg = self.junk.to_vec();
            msg[..2].copy_from_slice(&code.to_be_bytes());
            msg.truncate(read.len);
            return InPoll::Ready(Ok(msg));
        }
        // Image endpoint: frames only while MODE is capture.
        let Some(since) = self.capture_since else {
            return InPoll::Pending(next_event);
        };
        if self.faults.no_frames {
            return InPoll::Pending(next_event);
        }
        let (at, result) = match read.prepared {
            Some(p) => p,
            None => {
                let start = read.since.max(since).max(self.last_frame_end);
                let p = self.prepare_frame(start, read.len);
                if let Some(r) = self.reads[idx].as_mut() {
                    r.prepared = Some(p.clone());
                }
                p
            }
        };
        if at > now {
            return InPoll::Pending(Some(next_event.map_or(at, |e| e.min(at))));
        }
        self.reads[idx] = None;
        self.last_frame_end = at;
        if result == Err(TransferError::Stall) {
            self.halted[idx] = true;
        }
        InPoll::Ready(result)
    }

    /// Decides the next frame (and its faults) for a read starting at `start`.
    fn prepare_frame(
        &mut self,
        start: f64,
        max_len: usize,
    ) -> (f64, Result<Vec<u8>, TransferError>) {
        let t = self.cfg.timing.clone();
        self.log.frames_sent += 1;
        let index = self.frame_in_capture;
        self.frame_in_capture += 1;
        if self.faults.trouble > 0 {
            self.faults.trouble -= 1;
            self.interrupts.push_back((start, irq::TROUBLE));
            return (start + t.exposure_ms, Ok(Vec::new()));
        }
        if self.faults.stalls > 0 {
            self.faults.stalls -= 1;
            return (start + t.exposure_ms, Err(TransferError::Stall));
        }
        // Settling: early frames are fainter (the finger is still pressing down).
        let settle = self.cfg.settle_frames.max(1);
        let raw: Vec<u8> = if index + 1 >= settle {
            self.raw.clone()
        } else {
            let (num, den) = (index + 1, settle);
            self.raw
                .iter()
                .map(|&v| (u32::from(v) * num / den) as u8)
                .collect()
        };
        let kn = self.rng.byte();
        let secret = self.key_secret;
        let key_of = move |k: u8| Device::key_with(secret, k);
        let frame = build(&raw, self.cfg.scramble, kn, &key_of, &mut self.rng);
        let mut bytes = frame.bytes.clone();
        self.last_frame = Some(frame);
        if self.faults.short_frames > 0 {
            self.faults.short_frames -= 1;
            bytes.truncate(bytes.len() / 2);
        }
        if bytes.len() > max_len {
            return (start + t.exposure_ms, Err(TransferError::Babble));
        }
        let at = start + t.exposure_ms + bytes.len() as f64 / t.bulk_bytes_per_ms.max(1.0);
        (at, Ok(bytes))
    }

    fn key_with(secret: u32, key_number: u8) -> u32 {
        let mut x = secret ^ u32::from(key_number).wrapping_mul(0x9E37_79B9);
        x ^= x >> 16;
        x = x.wrapping_mul(0x85EB_CA6B);
        x ^= x >> 13;
        x = x.wrapping_mul(0xC2B2_AE35);
        x ^ (x >> 16)
    }
}
