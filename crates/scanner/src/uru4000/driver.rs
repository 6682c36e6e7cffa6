//! The U.are.U driver: register access, the interrupt listener, power-up (sheet: *Sequence*
//! steps 1–2 and 4) and the [`Scanner`] implementation. Capture lives in `capture.rs`.

use super::geometry::{
    HEIGHT, MAX_HWSTAT_READS, POLL_MS, POWER_ON_WAIT_MS, POWER_UP_ATTEMPTS, PPI, WIDTH,
};
use super::{
    irq, mode, model_for, reg, Model, CONTROL_TIMEOUT_MS, EP_INTR, INTR_LEN, REQ_REGISTER,
};
use crate::error::{ScannerError, TransferError};
use crate::image::CapturedImage;
use crate::scanner::{CaptureOptions, CaptureStats, DeviceInfo, Scanner};
use crate::transport::{ControlSetup, Transport};

/// Where the driver is in its life cycle.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum State {
    Closed,
    Open,
}

/// The U.are.U 4000/4500 driver over any [`Transport`].
pub struct Uru4000<T: Transport> {
    pub(crate) transport: T,
    pub(crate) model: &'static Model,
    pub(crate) info: DeviceInfo,
    pub(crate) stats: CaptureStats,
    pub(crate) state: State,
    pub(crate) rng: u64,
    /// Transport time of the last finger-on message.
    pub(crate) finger_on_at: Option<f64>,
}

impl<T: Transport> Uru4000<T> {
    /// Wraps a transport whose ids must be a supported U.are.U model.
    pub fn new(transport: T) -> Result<Self, ScannerError> {
        let (vendor_id, product_id) = transport.ids();
        let model = model_for(vendor_id, product_id).ok_or(ScannerError::UnsupportedDevice {
            vendor_id,
            product_id,
            reason: "not a U.are.U 4000/4500 family id",
        })?;
        if model.needs_aes {
            return Err(ScannerError::UnsupportedDevice {
                vendor_id,
                product_id,
                reason: "needs the AES challenge/response, which is not implemented",
            });
        }
        let seed = (transport.now_ms().to_bits() ^ 0x9E37_79B9_7F4A_7C15) | 1;
        Ok(Self {
            transport,
            model,
            info: DeviceInfo {
                vendor_id,
                product_id,
                model: model.name,
                width: WIDTH as u32,
                height: HEIGHT as u32,
                ppi: PPI,
                flip_180: model.flip_180,
                versions: Vec::new(),
            },
            stats: CaptureStats::default(),
            state: State::Closed,
            rng: seed,
            finger_on_at: None,
        })
    }

    /// The transport (e.g. to reach the emulator in tests).
    pub fn transport(&self) -> &T {
        &self.transport
    }

    /// Gives the transport back (the driver is dropped without closing).
    pub fn into_transport(self) -> T {
        self.transport
    }

    /// Mutable access to the transport.
    pub fn transport_mut(&mut self) -> &mut T {
        &mut self.transport
    }

    /// A random non-negative 31-bit seed (xorshift64; seeds need not be secret).
    pub(crate) fn next_seed(&mut self) -> u32 {
        let mut x = self.rng;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.rng = x;
        (x >> 33) as u32
    }

    pub(crate) fn ensure_open(&self) -> Result<(), ScannerError> {
        match self.state {
            State::Open => Ok(()),
            State::Closed => Err(ScannerError::NotOpen),
        }
    }

    /// Reads `len` bytes from register `register`.
    pub(crate) async fn read_reg(
        &mut self,
        register: u16,
        len: u16,
        what: &'static str,
    ) -> Result<Vec<u8>, ScannerError> {
        let setup = ControlSetup::vendor_device(REQ_REGISTER, register);
        let data = self
            .transport
            .control_in(setup, len, CONTROL_TIMEOUT_MS)
            .await
            .map_err(|e| ScannerError::from_transfer(e, 0, what))?;
        if data.len() < usize::from(len) {
            return Err(ScannerError::ShortRead {
                register,
                got: data.len(),
                expected: usize::from(len),
            });
        }
        Ok(data)
    }

    /// Writes `data` to consecutive registers from `register`; a short write is an error.
    pub(crate) async fn write_reg(
        &mut self,
        register: u16,
        data: &[u8],
        what: &'static str,
    ) -> Result<(), ScannerError> {
        let setup = ControlSetup::vendor_device(REQ_REGISTER, register);
        let written = self
            .transport
            .control_out(setup, data, CONTROL_TIMEOUT_MS)
            .await
            .map_err(|e| ScannerError::from_transfer(e, 0, what))?;
        if written < data.len() {
            return Err(ScannerError::ShortWrite {
                register,
                written,
                expected: data.len(),
            });
        }
        Ok(())
    }

    async fn read_hwstat(&mut self) -> Result<u8, ScannerError> {
        self.stats.hwstat_reads += 1;
        let v = self.read_reg(reg::HWSTAT, 1, "reading HWSTAT").await?;
        Ok(v.first().copied().unwrap_or(0))
    }

    pub(crate) async fn set_mode(&mut self, m: u8) -> Result<(), ScannerError> {
        self.write_reg(reg::MODE, &[m], "writing MODE").await
    }

    /// Takes the next interrupt message (re-queuing the read first, as the sheet asks), or
    /// `None` on timeout. Short messages are counted and skipped; a stall is cleared.
    pub(crate) async fn next_interrupt(
        &mut self,
        timeout_ms: u32,
    ) -> Result<Option<u16>, ScannerError> {
        let t = &mut self.transport;
        match t.wait_in(EP_INTR, Some(timeout_ms)).await {
            Ok(msg) => {
                t.submit_in(EP_INTR, INTR_LEN)
                    .map_err(|e| ScannerError::from_transfer(e, 0x81, "queueing interrupt read"))?;
                match msg.get(..INTR_LEN) {
                    Some(m) => {
                        let code = u16::from_be_bytes([m[0], m[1]]);
                        if code == irq::TROUBLE {
                            self.stats.trouble_messages += 1;
                        }
                        Ok(Some(code))
                    }
                    None => {
                        self.stats.short_interrupts += 1;
                        Ok(Some(0))
                    }
                }
            }
            Err(TransferError::Timeout) => Ok(None),
            Err(TransferError::Stall) => {
                t.clear_halt(EP_INTR).await.map_err(|e| {
                    ScannerError::from_transfer(e, 0x81, "clearing interrupt stall")
                })?;
                t.submit_in(EP_INTR, INTR_LEN)
                    .map_err(|e| ScannerError::from_transfer(e, 0x81, "queueing interrupt read"))?;
                Ok(Some(0))
            }
            Err(e) => Err(ScannerError::from_transfer(
                e,
                0x81,
                "waiting for interrupt",
            )),
        }
    }

    /// Waits up to `timeout_ms` for message `code`, ignoring others. `false` on timeout.
    pub(crate) async fn wait_for(
        &mut self,
        code: u16,
        timeout_ms: u32,
    ) -> Result<bool, ScannerError> {
        let deadline = self.transport.now_ms() + f64::from(timeout_ms);
        loop {
            let left = (deadline - self.transport.now_ms()).max(0.0) as u32;
            match self.next_interrupt(left).await? {
                Some(c) if c == code => return Ok(true),
                // Other messages are ignored, but a flood cannot outlast the deadline.
                Some(_) if left > 0 => continue,
                Some(_) | None => return Ok(false),
            }
        }
    }

    /// Collects messages already delivered; returns whether `code` was among them.
    async fn drain(&mut self, code: u16) -> Result<bool, ScannerError> {
        let mut seen = false;
        // Bounded: a device that keeps answering cannot hold the driver here.
        for _ in 0..64 {
            match self.next_interrupt(0).await? {
                Some(c) => seen |= c == code,
                None => break,
            }
        }
        Ok(seen)
    }

    /// One power-up attempt (sheet: *Sequence* 1.1–1.5). `Ok(false)`: 0x56AA never came.
    async fn power_up_once(&mut self) -> Result<bool, ScannerError> {
        let mut h = self.read_hwstat().await?;
        if h & 0x84 == 0x84 {
            self.stats.recovered = true;
            self.write_reg(reg::HWSTAT, &[h & 0x0F], "writing HWSTAT (recovery)")
                .await?;
            let mut reads = 0;
            loop {
                h = self.read_hwstat().await?;
                reads += 1;
                if h & 0x01 != 0 {
                    break;
                }
                if reads >= MAX_HWSTAT_READS {
                    return Err(ScannerError::RecoveryFailed { reads });
                }
                self.transport.sleep(POLL_MS).await;
            }
        }
        if h & 0x80 == 0 {
            self.write_reg(reg::HWSTAT, &[h | 0x80], "writing HWSTAT (power down)")
                .await?;
        }
        // Messages delivered before the power-up loop do not count.
        self.drain(irq::POWER_ON).await?;
        let p = h & 0x0F;
        let mut powered_msg = false;
        let mut reads = 0;
        loop {
            self.write_reg(reg::HWSTAT, &[p], "writing HWSTAT (power up)")
                .await?;
            let v = self.read_hwstat().await?;
            reads += 1;
            powered_msg |= self.drain(irq::POWER_ON).await?;
            if v & 0x80 == 0 {
                break;
            }
            if reads >= MAX_HWSTAT_READS {
                return Err(ScannerError::PowerUpFailed {
                    reads,
                    last_hwstat: v,
                });
            }
            self.transport.sleep(POLL_MS).await;
        }
        if powered_msg {
            return Ok(true);
        }
        self.wait_for(irq::POWER_ON, POWER_ON_WAIT_MS).await
    }

    async fn open_inner(&mut self) -> Result<(), ScannerError> {
        self.transport
            .open()
            .await
            .map_err(|e| ScannerError::from_transfer(e, 0, "opening the device"))?;
        self.state = State::Open;
        self.transport
            .submit_in(EP_INTR, INTR_LEN)
            .map_err(|e| ScannerError::from_transfer(e, 0x81, "queueing interrupt read"))?;
        let mut powered = false;
        for attempt in 1..=POWER_UP_ATTEMPTS {
            self.stats.power_up_attempts = attempt;
            if self.power_up_once().await? {
                powered = true;
                break;
            }
        }
        if !powered {
            return Err(ScannerError::PowerOnTimeout {
                attempts: POWER_UP_ATTEMPTS,
            });
        }
        let di = self
            .read_reg(reg::DEVICE_INFO, 16, "reading DEVICE_INFO")
            .await?;
        let word = |i: usize| {
            u16::from_be_bytes([
                di.get(i).copied().unwrap_or(0),
                di.get(i + 1).copied().unwrap_or(0),
            ])
        };
        self.info.versions = vec![word(4), word(10)];
        Ok(())
    }

    /// Best-effort shutdown after a failure, leaving a clean state for `open`.
    pub(crate) async fn fail<R>(&mut self, err: ScannerError) -> Result<R, ScannerError> {
        let _ = self.close().await;
        Err(err)
    }
}

impl<T: Transport> Scanner for Uru4000<T> {
    fn info(&self) -> &DeviceInfo {
        &self.info
    }

    fn stats(&self) -> &CaptureStats {
        &self.stats
    }

    async fn open(&mut self) -> Result<(), ScannerError> {
        if self.state == State::Open {
            return Ok(());
        }
        self.stats = CaptureStats::default();
        match self.open_inner().await {
            Ok(()) => Ok(()),
            Err(e) => self.fail(e).await,
        }
    }

    async fn wait_finger_on(&mut self, timeout_ms: u32) -> Result<(), ScannerError> {
        self.ensure_open()?;
        let r: Result<bool, ScannerError> = async {
            self.drain(0).await?;
            self.set_mode(mode::AWAIT_FINGER_ON).await?;
            self.wait_for(irq::FINGER_ON, timeout_ms).await
        }
        .await;
        match r {
            Ok(true) => {
                self.finger_on_at = Some(self.transport.now_ms());
                Ok(())
            }
            Ok(false) => Err(ScannerError::FingerTimeout {
                waited_ms: timeout_ms,
            }),
            Err(e) => self.fail(e).await,
        }
    }

    async fn capture(
        &mut self,
        opts: &CaptureOptions,
        settled: &mut dyn FnMut(&CapturedImage) -> bool,
    ) -> Result<CapturedImage, ScannerError> {
        self.ensure_open()?;
        match self.capture_inner(opts, settled).await {
            Ok(img) => Ok(img),
            Err(e) => self.fail(e).await,
        }
    }

    async fn wait_finger_off(&mut self, timeout_ms: u32) -> Result<(), ScannerError> {
        self.ensure_open()?;
        let r: Result<bool, ScannerError> = async {
            self.set_mode(mode::AWAIT_FINGER_OFF).await?;
            self.wait_for(irq::FINGER_OFF, timeout_ms).await
        }
        .await;
        match r {
            Ok(true) => Ok(()),
            Ok(false) => Err(ScannerError::FingerOffTimeout {
                waited_ms: timeout_ms,
            }),
            Err(e) => self.fail(e).await,
        }
    }

    async fn close(&mut self) -> Result<(), ScannerError> {
        if self.state == State::Closed {
            // Still release whatever the transport holds (e.g. after a failed open).
            let _ = self.transport.close().await;
            return Ok(());
        }
        self.state = State::Closed;
        // MODE off; errors are ignored (the device may be gone). HWSTAT is not touched.
        let _ = self.set_mode(mode::OFF).await;
        match self.transport.close().await {
            Ok(()) | Err(TransferError::Disconnected) | Err(TransferError::NotOpen) => Ok(()),
            Err(e) => Err(ScannerError::from_transfer(e, 0, "closing the device")),
        }
    }
}
