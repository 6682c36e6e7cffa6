//! The emulated register file (sheet: *Registers*): HWSTAT power states and the recovery path,
//! MODE and its finger/capture side effects, DEVICE_INFO, and the scramble key registers.

use super::{Device, Event};
use crate::error::TransferError;
use crate::transport::{ControlSetup, RequestType};
use crate::uru4000::{irq, mode, reg, REQ_REGISTER};

impl Device {
    fn hwstat_read(&mut self, now: f64) -> u8 {
        if let Some(n) = self.recovery_polls {
            if n == 0 {
                self.recovery_polls = None;
                self.confused = false;
                self.hwstat = (self.hwstat & 0x0F) | 0x01;
            } else {
                self.recovery_polls = Some(n - 1);
            }
        }
        if let Some(n) = self.power_polls {
            if self.faults.stuck_low_power {
                return self.hwstat;
            }
            if n == 0 {
                self.power_polls = None;
                self.hwstat &= 0x7F;
                if self.faults.lost_power_on > 0 {
                    self.faults.lost_power_on -= 1;
                } else {
                    let late = self.faults.late_power_on_ms.unwrap_or(0.0);
                    let at = now + self.cfg.timing.power_on_message_ms + late;
                    self.schedule(at, Event::PowerOnMessage);
                }
            } else {
                self.power_polls = Some(n - 1);
            }
        }
        self.hwstat
    }

    fn hwstat_write(&mut self, v: u8) {
        if self.confused {
            if v & 0x80 == 0 {
                self.hwstat = v & 0x0E;
                self.recovery_polls = Some(2);
            }
            return;
        }
        if v & 0x80 != 0 {
            self.hwstat = v;
            self.power_polls = None;
        } else if self.hwstat & 0x80 != 0 {
            // Powering up: bit 7 clears after some polls; rewrites do not restart the count.
            self.hwstat = v | 0x80;
            if self.power_polls.is_none() {
                self.power_polls = Some(self.cfg.timing.power_up_polls);
            }
        } else {
            self.hwstat = v;
        }
    }

    fn mode_write(&mut self, m: u8, now: f64) {
        self.mode = m;
        let t = self.cfg.timing.clone();
        self.capture_since = None;
        match m {
            mode::AWAIT_FINGER_ON => {
                if self.finger_down {
                    self.interrupts
                        .push_back((now + t.finger_detect_ms, irq::FINGER_ON));
                } else if let (Some(after), false) = (t.finger_place_ms, self.faults.no_finger) {
                    self.events.retain(|(_, e)| *e != Event::FingerPlaced);
                    self.schedule(now + after, Event::FingerPlaced);
                }
            }
            mode::AWAIT_FINGER_OFF => {
                if self.finger_down {
                    if let Some(after) = t.finger_lift_ms {
                        self.events.retain(|(_, e)| *e != Event::FingerLifted);
                        self.schedule(now + after, Event::FingerLifted);
                    }
                } else {
                    self.interrupts
                        .push_back((now + t.finger_detect_ms, irq::FINGER_OFF));
                }
            }
            mode::CAPTURE => {
                self.capture_since = Some(now);
                self.last_frame_end = now;
                self.frame_in_capture = 0;
                if let Some(after) = self.faults.unplug_in_capture_ms {
                    self.schedule(now + after, Event::Unplug);
                }
            }
            _ => {}
        }
    }

    /// A control transfer device → host.
    pub fn control_in(
        &mut self,
        setup: ControlSetup,
        len: u16,
        now: f64,
    ) -> Result<Vec<u8>, TransferError> {
        self.advance(now);
        self.check()?;
        self.log.control_transfers += 1;
        if setup.request_type != RequestType::Vendor || setup.request != REQ_REGISTER {
            return Err(TransferError::Stall);
        }
        let mut out = match setup.value {
            reg::HWSTAT => vec![self.hwstat_read(now)],
            reg::MODE => vec![self.mode],
            reg::DEVICE_INFO => {
                let mut d = vec![0u8; 16];
                d[4..6].copy_from_slice(&0x0115u16.to_be_bytes());
                d[10..12].copy_from_slice(&0x0010u16.to_be_bytes());
                d
            }
            reg::SCRAMBLE_KEY => (self.key(self.key_number) ^ self.seed)
                .to_le_bytes()
                .to_vec(),
            _ => Vec::new(),
        };
        out.resize(usize::from(len), 0);
        Ok(out)
    }

    /// A control transfer host → device; returns the bytes accepted.
    pub fn control_out(
        &mut self,
        setup: ControlSetup,
        data: &[u8],
        now: f64,
    ) -> Result<usize, TransferError> {
        self.advance(now);
        self.check()?;
        self.log.control_transfers += 1;
        if setup.request_type != RequestType::Vendor || setup.request != REQ_REGISTER {
            return Err(TransferError::Stall);
        }
        let first = data.first().copied().unwrap_or(0);
        match setup.value {
            reg::HWSTAT => self.hwstat_write(first),
            reg::MODE => self.mode_write(first, now),
            reg::SCRAMBLE_INDEX => {
                if let Some(d) = data.get(..5) {
                    self.key_number = d[0];
                    self.seed = u32::from_le_bytes([d[1], d[2], d[3], d[4]]);
                }
            }
            r if r >= reg::FIRMWARE_START => {
                self.log.firmware_writes += 1;
                return Err(TransferError::Stall);
            }
            _ => {}
        }
        Ok(data.len())
    }
}
