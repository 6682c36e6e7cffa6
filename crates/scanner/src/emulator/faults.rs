//! Fault injection for the emulator: the CLI's named [`Fault`]s and the finer [`Faults`] plan.

use std::fmt;
use std::str::FromStr;

/// A fault the CLI can name (`huella scanner emulate --fault NAME`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// The first frame read stalls (the driver clears the halt and reads again).
    Stall,
    /// The first frame arrives truncated (the driver discards it and reads again).
    ShortFrame,
    /// A `0x0800` message, then an empty frame (the driver discards it and reads again).
    Trouble,
    /// The reader is unplugged during capture (the driver reports `device_disconnected`).
    Unplug,
    /// Nobody places a finger (the driver reports `finger_timeout`).
    NoFinger,
}

impl Fault {
    /// Every fault, in CLI order.
    pub const ALL: [Fault; 5] = [
        Fault::Stall,
        Fault::ShortFrame,
        Fault::Trouble,
        Fault::Unplug,
        Fault::NoFinger,
    ];

    /// The CLI name.
    pub fn name(self) -> &'static str {
        match self {
            Fault::Stall => "stall",
            Fault::ShortFrame => "short-frame",
            Fault::Trouble => "trouble",
            Fault::Unplug => "unplug",
            Fault::NoFinger => "no-finger",
        }
    }
}

impl fmt::Display for Fault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// An unknown fault name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown fault {0:?} (expected one of: stall, short-frame, trouble, unplug, no-finger)")]
pub struct UnknownFault(pub String);

impl FromStr for Fault {
    type Err = UnknownFault;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Fault::ALL
            .into_iter()
            .find(|f| f.name() == s)
            .ok_or_else(|| UnknownFault(s.to_string()))
    }
}

/// Everything the emulator can get wrong, with counts (each count is used up as it fires).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Faults {
    /// Frame reads answered with STALL; the endpoint stays halted until cleared.
    pub stalls: u32,
    /// Frames cut to about half their claimed length.
    pub short_frames: u32,
    /// `0x0800` messages, each followed by an empty frame.
    pub trouble: u32,
    /// Unplug this many ms after MODE 0x20 is written.
    pub unplug_in_capture_ms: Option<f64>,
    /// No finger is ever placed.
    pub no_finger: bool,
    /// Power-up sequences that never send `0x56AA`.
    pub lost_power_on: u32,
    /// `0x56AA` arrives this many ms late (still inside the 300 ms wait when < 300).
    pub late_power_on_ms: Option<f64>,
    /// HWSTAT bit 7 never clears.
    pub stuck_low_power: bool,
    /// HWSTAT starts in the confused state (bits 7 and 2 set), needing the recovery loop.
    pub confused: bool,
    /// Another tab or program holds the interface.
    pub busy: bool,
    /// Frame reads never complete.
    pub no_frames: bool,
}

impl From<Fault> for Faults {
    fn from(f: Fault) -> Self {
        let mut x = Faults::default();
        match f {
            Fault::Stall => x.stalls = 1,
            Fault::ShortFrame => x.short_frames = 1,
            Fault::Trouble => x.trouble = 1,
            Fault::Unplug => x.unplug_in_capture_ms = Some(40.0),
            Fault::NoFinger => x.no_finger = true,
        }
        x
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for f in Fault::ALL {
            assert_eq!(f.to_string().parse::<Fault>(), Ok(f));
        }
        assert!("stalls".parse::<Fault>().is_err());
        assert_eq!("short-frame".parse::<Fault>(), Ok(Fault::ShortFrame));
    }
}
