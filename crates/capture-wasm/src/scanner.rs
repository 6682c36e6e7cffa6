//! Scanner bindings (WebUSB driver + emulator for a fake navigator.usb): being written.
