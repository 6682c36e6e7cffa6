//! The WebUSB transport (wasm32 only): [`Transport`] over `navigator.usb`.
//!
//! WebUSB spec (WICG, "WebUSB API" §6 `USBDevice`): transfers are promises; `transferIn`
//! returns its promise at once, which is what [`Transport::submit_in`] keeps. Timeouts race the
//! transfer against `setTimeout`; the transfer is *not* cancelled (WebUSB cannot cancel one
//! transfer), it stays queued for the next [`Transport::wait_in`], exactly as the trait asks.
//! Releasing the interface (in [`Transport::close`]) ends every queued read.
//!
//! Needs a secure context (https or localhost) and, for [`request_device`], a user gesture.
//! Kiosks can pre-grant the reader (`WebUsbAllowDevicesForUrls`) and use [`granted_devices`].

use js_sys::{Array, Date, Promise, Uint8Array};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    DomException, UsbControlTransferParameters, UsbDevice, UsbDeviceFilter,
    UsbDeviceRequestOptions, UsbDirection, UsbInTransferResult, UsbOutTransferResult, UsbRecipient,
    UsbRequestType, UsbTransferStatus,
};

use crate::error::{ScannerError, TransferError};
use crate::transport::{ControlSetup, Recipient, RequestType, Transport};
use crate::uru4000::supported_ids;

/// Value a timer promise resolves with, to tell it from a transfer result.
const TIMEOUT_SENTINEL: &str = "__huella_usb_timeout__";

/// A WebUSB device as a [`Transport`].
pub struct WebUsbTransport {
    device: UsbDevice,
    interface: u8,
    pending: [Option<Promise>; 16],
    /// Handler attached to every `transferIn` promise so that reads dropped by `close` (which
    /// WebUSB then rejects with `AbortError`) are not reported as unhandled rejections. A JS-owned
    /// function: it stays valid for late rejections even after this transport is dropped.
    ignore: js_sys::Function,
}

impl WebUsbTransport {
    /// Wraps a device obtained from `requestDevice` or `getDevices`.
    pub fn new(device: UsbDevice) -> Self {
        Self {
            device,
            interface: 0,
            pending: Default::default(),
            ignore: Closure::<dyn FnMut(JsValue)>::new(|_: JsValue| {})
                .into_js_value()
                .unchecked_into(),
        }
    }

    /// A transfer failed: if the device is no longer open it was unplugged (Chrome rejects
    /// pending transfers of a vanished device with either `NotFoundError` or `NetworkError`).
    fn classify(&self, e: TransferError) -> TransferError {
        match e {
            TransferError::Other(_) if !self.device.opened() => TransferError::Disconnected,
            e => e,
        }
    }

    /// The underlying `USBDevice`.
    pub fn device(&self) -> &UsbDevice {
        &self.device
    }
}

/// `requestDevice` filters: one per supported `(vendor, product)` id.
pub fn filters() -> Vec<UsbDeviceFilter> {
    supported_ids()
        .map(|(v, p)| {
            let f = UsbDeviceFilter::new();
            f.set_vendor_id(v);
            f.set_product_id(p);
            f
        })
        .collect()
}

/// `navigator.usb`, or [`ScannerError::WebUsbUnavailable`] (Firefox, Safari, plain http, a
/// worker) instead of a JS exception thrown through the WASM frames.
fn usb() -> Result<web_sys::Usb, ScannerError> {
    let navigator = web_sys::window()
        .map(|w| w.navigator())
        .ok_or(ScannerError::WebUsbUnavailable)?;
    let usb =
        js_sys::Reflect::get(&navigator, &JsValue::from_str("usb")).unwrap_or(JsValue::UNDEFINED);
    if usb.is_undefined() || usb.is_null() {
        return Err(ScannerError::WebUsbUnavailable);
    }
    Ok(usb.unchecked_into())
}

/// Asks the user to pick a supported reader (must run inside a user gesture).
pub async fn request_device() -> Result<WebUsbTransport, ScannerError> {
    let options = UsbDeviceRequestOptions::new(&filters());
    let promise: Promise = usb()?.request_device(&options).unchecked_into();
    // The picker rejects with `NotFoundError` when cancelled or empty: that is no device, not an
    // unplugged one.
    let device = JsFuture::from(promise)
        .await
        .map_err(|e| match map_error(e, false) {
            TransferError::Disconnected => ScannerError::NoDevice,
            other => ScannerError::from_transfer(other, 0, "requesting a device"),
        })?;
    Ok(WebUsbTransport::new(device.unchecked_into()))
}

/// Readers this origin was already granted (kiosk policy or an earlier `requestDevice`), limited
/// to supported ids.
pub async fn granted_devices() -> Result<Vec<WebUsbTransport>, ScannerError> {
    let promise: Promise = usb()?.get_devices().unchecked_into();
    let list = JsFuture::from(promise)
        .await
        .map_err(|e| ScannerError::from_transfer(map_error(e, false), 0, "listing devices"))?;
    let ids: Vec<(u16, u16)> = supported_ids().collect();
    Ok(list
        .unchecked_into::<Array>()
        .iter()
        .map(|d| d.unchecked_into::<UsbDevice>())
        .filter(|d| ids.contains(&(d.vendor_id(), d.product_id())))
        .map(WebUsbTransport::new)
        .collect())
}

/// Maps a rejected WebUSB promise to a [`TransferError`]. `claiming`: a `NetworkError` while
/// claiming means another holder (tab, fprintd, a native driver).
fn map_error(e: JsValue, claiming: bool) -> TransferError {
    match e.dyn_ref::<DomException>() {
        Some(ex) => match ex.name().as_str() {
            "NotFoundError" => TransferError::Disconnected,
            "SecurityError" => TransferError::AccessDenied,
            "NetworkError" if claiming => TransferError::Busy,
            "InvalidStateError" => TransferError::NotOpen,
            name => TransferError::Other(format!("{name}: {}", ex.message())),
        },
        None => TransferError::Other(format!("{e:?}")),
    }
}

fn status(s: UsbTransferStatus) -> Result<(), TransferError> {
    match s {
        UsbTransferStatus::Ok => Ok(()),
        UsbTransferStatus::Stall => Err(TransferError::Stall),
        UsbTransferStatus::Babble => Err(TransferError::Babble),
        _ => Err(TransferError::Other("unknown transfer status".into())),
    }
}

fn in_result(v: JsValue) -> Result<Vec<u8>, TransferError> {
    let r: UsbInTransferResult = v.unchecked_into();
    status(r.status())?;
    Ok(r.data().map_or_else(Vec::new, |dv| {
        Uint8Array::new_with_byte_offset_and_length(
            &dv.buffer(),
            dv.byte_offset() as u32,
            dv.byte_length() as u32,
        )
        .to_vec()
    }))
}

/// A promise resolving to [`TIMEOUT_SENTINEL`] after `ms`.
fn timer(ms: u32) -> Promise {
    Promise::new(&mut |resolve, _reject| {
        let resolve: js_sys::Function = resolve
            .bind1(&JsValue::NULL, &JsValue::from_str(TIMEOUT_SENTINEL))
            .unchecked_into();
        if let Some(w) = web_sys::window() {
            let ms = i32::try_from(ms).unwrap_or(i32::MAX);
            let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
        }
    })
}

/// Awaits `p`, or times out after `ms` (the promise itself is left running).
async fn with_timeout(p: &Promise, ms: Option<u32>) -> Result<JsValue, TransferError> {
    let raced = match ms {
        Some(ms) => Promise::race(&Array::of2(p, &timer(ms))),
        None => p.clone(),
    };
    let v = JsFuture::from(raced)
        .await
        .map_err(|e| map_error(e, false))?;
    if v.as_string().as_deref() == Some(TIMEOUT_SENTINEL) {
        return Err(TransferError::Timeout);
    }
    Ok(v)
}

fn params(setup: ControlSetup) -> UsbControlTransferParameters {
    let request_type = match setup.request_type {
        RequestType::Standard => UsbRequestType::Standard,
        RequestType::Class => UsbRequestType::Class,
        RequestType::Vendor => UsbRequestType::Vendor,
    };
    let recipient = match setup.recipient {
        Recipient::Device => UsbRecipient::Device,
        Recipient::Interface => UsbRecipient::Interface,
        Recipient::Endpoint => UsbRecipient::Endpoint,
        Recipient::Other => UsbRecipient::Other,
    };
    UsbControlTransferParameters::new(
        setup.index,
        recipient,
        setup.request,
        request_type,
        setup.value,
    )
}

/// The vendor interface: the one whose class, subclass and protocol are all 0xFF (interface 0 on
/// a 4500; not on multi-function models such as the Microsoft keyboard).
fn vendor_interface(device: &UsbDevice) -> u8 {
    let Some(config) = device.configuration() else {
        return 0;
    };
    config
        .interfaces()
        .iter()
        .map(|i| i.unchecked_into::<web_sys::UsbInterface>())
        .find(|i| {
            let a = i.alternate();
            (
                a.interface_class(),
                a.interface_subclass(),
                a.interface_protocol(),
            ) == (0xFF, 0xFF, 0xFF)
        })
        .map_or(0, |i| i.interface_number())
}

async fn run(p: Promise, claiming: bool) -> Result<JsValue, TransferError> {
    JsFuture::from(p).await.map_err(|e| map_error(e, claiming))
}

impl Transport for WebUsbTransport {
    fn ids(&self) -> (u16, u16) {
        (self.device.vendor_id(), self.device.product_id())
    }

    async fn open(&mut self) -> Result<(), TransferError> {
        if !self.device.opened() {
            run(self.device.open().unchecked_into(), false).await?;
        }
        let configured = self.device.configuration().map(|c| c.configuration_value());
        if configured != Some(1) {
            run(self.device.select_configuration(1).unchecked_into(), false).await?;
        }
        self.interface = vendor_interface(&self.device);
        run(
            self.device.claim_interface(self.interface).unchecked_into(),
            true,
        )
        .await?;
        Ok(())
    }

    async fn close(&mut self) -> Result<(), TransferError> {
        self.pending = Default::default();
        if !self.device.opened() {
            return Ok(());
        }
        let released = run(
            self.device
                .release_interface(self.interface)
                .unchecked_into(),
            false,
        )
        .await;
        run(self.device.close().unchecked_into(), false).await?;
        released.map(|_| ())
    }

    async fn control_in(
        &mut self,
        setup: ControlSetup,
        len: u16,
        timeout_ms: u32,
    ) -> Result<Vec<u8>, TransferError> {
        let p: Promise = self
            .device
            .control_transfer_in(&params(setup), len)
            .unchecked_into();
        let r = with_timeout(&p, Some(timeout_ms)).await;
        in_result(r.map_err(|e| self.classify(e))?)
    }

    async fn control_out(
        &mut self,
        setup: ControlSetup,
        data: &[u8],
        timeout_ms: u32,
    ) -> Result<usize, TransferError> {
        let p: Promise = self
            .device
            .control_transfer_out_with_u8_slice(&params(setup), data)
            .map_err(|e| map_error(e, false))?
            .unchecked_into();
        let r: UsbOutTransferResult = with_timeout(&p, Some(timeout_ms))
            .await
            .map_err(|e| self.classify(e))?
            .unchecked_into();
        status(r.status())?;
        Ok(r.bytes_written() as usize)
    }

    fn submit_in(&mut self, endpoint: u8, len: usize) -> Result<(), TransferError> {
        let slot = self
            .pending
            .get_mut(usize::from(endpoint))
            .ok_or_else(|| TransferError::Other(format!("bad endpoint {endpoint}")))?;
        if slot.is_none() {
            let len = u32::try_from(len).unwrap_or(u32::MAX);
            let p: Promise = self.device.transfer_in(endpoint, len).unchecked_into();
            // Marks the rejection as handled; waiters still see it through `p`.
            if let Ok(catch) = js_sys::Reflect::get(&p, &JsValue::from_str("catch")) {
                let _ = catch
                    .unchecked_into::<js_sys::Function>()
                    .call1(&p, &self.ignore);
            }
            *slot = Some(p);
        }
        Ok(())
    }

    async fn wait_in(
        &mut self,
        endpoint: u8,
        timeout_ms: Option<u32>,
    ) -> Result<Vec<u8>, TransferError> {
        let idx = usize::from(endpoint);
        let p = self
            .pending
            .get(idx)
            .cloned()
            .flatten()
            .ok_or_else(|| TransferError::Other("no read queued".into()))?;
        let r = with_timeout(&p, timeout_ms).await;
        if r != Err(TransferError::Timeout) {
            if let Some(slot) = self.pending.get_mut(idx) {
                *slot = None;
            }
        }
        in_result(r.map_err(|e| self.classify(e))?)
    }

    async fn clear_halt(&mut self, endpoint: u8) -> Result<(), TransferError> {
        run(
            self.device
                .clear_halt(UsbDirection::In, endpoint)
                .unchecked_into(),
            false,
        )
        .await
        .map(|_| ())
        .map_err(|e| self.classify(e))
    }

    async fn sleep(&mut self, ms: u32) {
        let _ = JsFuture::from(timer(ms)).await;
    }

    fn now_ms(&self) -> f64 {
        // performance.now(): monotonic and sub-millisecond (Date::now() only outside a window).
        web_sys::window()
            .and_then(|w| w.performance())
            .map_or_else(Date::now, |p| p.now())
    }
}
