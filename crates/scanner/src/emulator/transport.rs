//! [`EmulatedTransport`]: the [`Transport`] trait over an emulated [`Device`] with a virtual
//! clock. Every future it returns is ready at once; waiting advances the clock straight to the
//! device's next event, so a 10-second finger timeout costs microseconds.

use super::device::{Device, InPoll};
use crate::error::TransferError;
use crate::transport::{ControlSetup, Transport};

/// A transport whose far end is the emulator.
#[derive(Debug)]
pub struct EmulatedTransport {
    /// The emulated device (public so tests can unplug it, place fingers, read its log).
    pub device: Device,
    clock: f64,
}

impl EmulatedTransport {
    /// Connects to `device`; the clock starts at 0 ms.
    pub fn new(device: Device) -> Self {
        Self { device, clock: 0.0 }
    }

    fn tick_control(&mut self) {
        self.clock += self.device.timing().control_ms;
    }
}

impl Transport for EmulatedTransport {
    fn ids(&self) -> (u16, u16) {
        self.device.ids()
    }

    async fn open(&mut self) -> Result<(), TransferError> {
        self.tick_control();
        self.device.open(self.clock)
    }

    async fn close(&mut self) -> Result<(), TransferError> {
        self.tick_control();
        self.device.close(self.clock)
    }

    async fn control_in(
        &mut self,
        setup: ControlSetup,
        len: u16,
        _timeout_ms: u32,
    ) -> Result<Vec<u8>, TransferError> {
        self.tick_control();
        self.device.control_in(setup, len, self.clock)
    }

    async fn control_out(
        &mut self,
        setup: ControlSetup,
        data: &[u8],
        _timeout_ms: u32,
    ) -> Result<usize, TransferError> {
        self.tick_control();
        self.device.control_out(setup, data, self.clock)
    }

    fn submit_in(&mut self, endpoint: u8, len: usize) -> Result<(), TransferError> {
        self.device.submit_in(endpoint, len, self.clock)
    }

    async fn wait_in(
        &mut self,
        endpoint: u8,
        timeout_ms: Option<u32>,
    ) -> Result<Vec<u8>, TransferError> {
        let deadline = timeout_ms.map(|t| self.clock + f64::from(t));
        loop {
            match self.device.poll_in(endpoint, self.clock) {
                InPoll::Ready(r) => return r,
                InPoll::Pending(next) => {
                    // Never stand still: an event due "now" that changed nothing moves us on.
                    let next = next.map(|t| t.max(self.clock + 0.001));
                    match (next, deadline) {
                        (Some(t), Some(d)) if t <= d => self.clock = t,
                        (Some(t), None) => self.clock = t,
                        (_, Some(d)) => {
                            self.clock = self.clock.max(d);
                            return Err(TransferError::Timeout);
                        }
                        (None, None) => {
                            return Err(TransferError::Other(
                                "the emulator would wait forever (no finger script?)".into(),
                            ))
                        }
                    }
                }
            }
        }
    }

    async fn clear_halt(&mut self, endpoint: u8) -> Result<(), TransferError> {
        self.tick_control();
        self.device.clear_halt(endpoint, self.clock)
    }

    async fn sleep(&mut self, ms: u32) {
        self.clock += f64::from(ms);
    }

    fn now_ms(&self) -> f64 {
        self.clock
    }
}
