//! The transport trait the drivers are written against, and a tiny `block_on` executor.
//!
//! ## Why an async trait (and not a sans-I/O state machine)
//!
//! The browser's WebUSB calls are promises and the native tests are synchronous. Both are served by
//! an `async fn` trait: the WebUSB transport awaits `JsFuture`s, the emulator transport returns
//! futures that are always ready (its clock is virtual), and native code drives the driver with
//! [`block_on`]. The driver then reads as the protocol sheet does — a sequence with loops and
//! retries — instead of an explicit state machine whose every wait would be a hand-written state.
//! The price is that the traits are not `dyn`-compatible (drivers are generic over `T: Transport`)
//! and their futures are not `Send` (fine: WebUSB is single-threaded, tests use `block_on`).
//!
//! ## IN reads are queued, then awaited
//!
//! The U.are.U protocol needs a read to be *pending* while other transfers happen: one 64-byte
//! interrupt read is kept pending for the whole session, and the frame read on endpoint 2 is queued
//! before the capture mode is written. So an IN transfer is two calls: [`Transport::submit_in`]
//! (synchronous: WebUSB's `transferIn` returns its promise at once) and [`Transport::wait_in`].
//! A `wait_in` that times out leaves the read queued; the next `wait_in` keeps waiting on the same
//! read. A read completes once; the caller submits the next one.

use std::future::Future;
use std::pin::pin;
use std::sync::{Arc, Condvar, Mutex};
use std::task::{Context, Poll, Wake, Waker};

use crate::error::TransferError;

/// `bmRequestType` type bits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RequestType {
    /// Standard request.
    Standard,
    /// Class request.
    Class,
    /// Vendor request (all U.are.U register accesses).
    Vendor,
}

/// `bmRequestType` recipient bits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Recipient {
    /// The device.
    Device,
    /// An interface.
    Interface,
    /// An endpoint.
    Endpoint,
    /// Other.
    Other,
}

/// The setup stage of a control transfer (the direction comes from the call used).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ControlSetup {
    /// Request type.
    pub request_type: RequestType,
    /// Recipient.
    pub recipient: Recipient,
    /// `bRequest`.
    pub request: u8,
    /// `wValue`.
    pub value: u16,
    /// `wIndex`.
    pub index: u16,
}

impl ControlSetup {
    /// A vendor request to the device, `wIndex` 0.
    pub fn vendor_device(request: u8, value: u16) -> Self {
        Self {
            request_type: RequestType::Vendor,
            recipient: Recipient::Device,
            request,
            value,
            index: 0,
        }
    }
}

/// A USB connection to one device, as the drivers need it. Endpoints are *numbers* (1, 2), as
/// WebUSB takes them, not addresses (0x81, 0x82).
#[allow(async_fn_in_trait)]
pub trait Transport {
    /// `(vendor id, product id)` of the device behind this transport.
    fn ids(&self) -> (u16, u16);
    /// Opens the device, selects configuration 1 and claims the vendor interface (class, subclass
    /// and protocol 0xFF). Another holder gives [`TransferError::Busy`].
    async fn open(&mut self) -> Result<(), TransferError>;
    /// Releases the interface and closes the device; ends every queued read.
    async fn close(&mut self) -> Result<(), TransferError>;
    /// Control transfer device → host of up to `len` bytes.
    async fn control_in(
        &mut self,
        setup: ControlSetup,
        len: u16,
        timeout_ms: u32,
    ) -> Result<Vec<u8>, TransferError>;
    /// Control transfer host → device; returns the bytes written.
    async fn control_out(
        &mut self,
        setup: ControlSetup,
        data: &[u8],
        timeout_ms: u32,
    ) -> Result<usize, TransferError>;
    /// Queues an IN read of up to `len` bytes on `endpoint` (interrupt or bulk). If a read is
    /// already queued on that endpoint this does nothing.
    fn submit_in(&mut self, endpoint: u8, len: usize) -> Result<(), TransferError>;
    /// Waits for the queued read on `endpoint` (`None` = no limit). On [`TransferError::Timeout`]
    /// the read stays queued; any other outcome consumes it. With nothing queued:
    /// [`TransferError::Other`].
    async fn wait_in(
        &mut self,
        endpoint: u8,
        timeout_ms: Option<u32>,
    ) -> Result<Vec<u8>, TransferError>;
    /// Clears a halt (stall) on IN endpoint `endpoint`.
    async fn clear_halt(&mut self, endpoint: u8) -> Result<(), TransferError>;
    /// Sleeps (virtual time in the emulator, `setTimeout` in the browser).
    async fn sleep(&mut self, ms: u32);
    /// A monotonic clock in milliseconds.
    fn now_ms(&self) -> f64;
}

struct Signal {
    woken: Mutex<bool>,
    cond: Condvar,
}

impl Wake for Signal {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }
    fn wake_by_ref(self: &Arc<Self>) {
        if let Ok(mut w) = self.woken.lock() {
            *w = true;
        }
        self.cond.notify_one();
    }
}

/// Runs a future to completion on the current thread (no runtime needed). The emulator's
/// futures are always ready, so this never actually parks for them.
pub fn block_on<F: Future>(fut: F) -> F::Output {
    let signal = Arc::new(Signal {
        woken: Mutex::new(false),
        cond: Condvar::new(),
    });
    let waker = Waker::from(signal.clone());
    let mut cx = Context::from_waker(&waker);
    let mut fut = pin!(fut);
    loop {
        if let Poll::Ready(out) = fut.as_mut().poll(&mut cx) {
            return out;
        }
        let mut woken = match signal.woken.lock() {
            Ok(w) => w,
            Err(poisoned) => poisoned.into_inner(),
        };
        while !*woken {
            woken = match signal.cond.wait(woken) {
                Ok(w) => w,
                Err(poisoned) => poisoned.into_inner(),
            };
        }
        *woken = false;
    }
}

#[cfg(test)]
mod tests {
    use super::block_on;

    #[test]
    fn block_on_runs_ready_and_pending_futures() {
        assert_eq!(block_on(async { 2 + 2 }), 4);
        // A future that is pending once and wakes itself.
        let mut polled = false;
        let fut = std::future::poll_fn(move |cx| {
            if polled {
                std::task::Poll::Ready(7)
            } else {
                polled = true;
                cx.waker().wake_by_ref();
                std::task::Poll::Pending
            }
        });
        assert_eq!(block_on(fut), 7);
    }
}
