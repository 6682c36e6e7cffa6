//! What a polled read reports, and how a WebUSB shim turns transfer results into WebUSB's
//! (WICG WebUSB §6: `USBTransferStatus` for stalls and babble, `DOMException` names otherwise).

use crate::error::TransferError;

/// Outcome of polling a queued IN read.
#[derive(Debug, Clone, PartialEq)]
pub enum InPoll {
    /// The read completed (data, or an error such as a stall).
    Ready(Result<Vec<u8>, TransferError>),
    /// Not yet; `Some(t)`: something may change at time `t` (poll again then). `None`: nothing
    /// will happen without outside action (a finger placed by hand, a MODE write).
    Pending(Option<f64>),
}

/// How a WebUSB shim reports a transfer outcome: `Ok(status)` resolves the promise with
/// `{status, data}` (`"ok"`, `"stall"` or `"babble"`), `Err(name)` rejects it with a
/// `DOMException` of that name.
pub fn webusb_outcome<T>(r: &Result<T, TransferError>) -> Result<&'static str, &'static str> {
    match r {
        Ok(_) => Ok("ok"),
        Err(TransferError::Stall) => Ok("stall"),
        Err(TransferError::Babble) => Ok("babble"),
        Err(TransferError::Disconnected) => Err("NotFoundError"),
        Err(TransferError::AccessDenied) => Err("SecurityError"),
        Err(TransferError::NotOpen) => Err("InvalidStateError"),
        Err(TransferError::Busy) => Err("NetworkError"),
        Err(TransferError::Timeout) | Err(TransferError::Other(_)) => Err("NetworkError"),
    }
}
