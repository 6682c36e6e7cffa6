//! The driver's USB conversation follows the protocol sheet, and the emulator's frames look like
//! a real 4500's (checked through a recording transport).

mod common;

use common::*;
use scanner::emulator::{Device, EmulatedTransport, EmulatorConfig};
use scanner::{block_on, CaptureOptions, ControlSetup, Scanner, TransferError, Transport, Uru4000};

#[derive(Debug, Clone, PartialEq)]
enum Op {
    Open,
    Close,
    Read(u16, Vec<u8>),
    Write(u16, Vec<u8>),
    Submit(u8),
    Got(u8, Vec<u8>),
    Sleep(u32),
}

struct Recorder {
    inner: EmulatedTransport,
    ops: Vec<Op>,
}

impl Transport for Recorder {
    fn ids(&self) -> (u16, u16) {
        self.inner.ids()
    }
    async fn open(&mut self) -> Result<(), TransferError> {
        self.ops.push(Op::Open);
        self.inner.open().await
    }
    async fn close(&mut self) -> Result<(), TransferError> {
        self.ops.push(Op::Close);
        self.inner.close().await
    }
    async fn control_in(
        &mut self,
        s: ControlSetup,
        len: u16,
        t: u32,
    ) -> Result<Vec<u8>, TransferError> {
        let r = self.inner.control_in(s, len, t).await;
        self.ops
            .push(Op::Read(s.value, r.clone().unwrap_or_default()));
        r
    }
    async fn control_out(
        &mut self,
        s: ControlSetup,
        d: &[u8],
        t: u32,
    ) -> Result<usize, TransferError> {
        self.ops.push(Op::Write(s.value, d.to_vec()));
        self.inner.control_out(s, d, t).await
    }
    fn submit_in(&mut self, ep: u8, len: usize) -> Result<(), TransferError> {
        self.ops.push(Op::Submit(ep));
        self.inner.submit_in(ep, len)
    }
    async fn wait_in(&mut self, ep: u8, t: Option<u32>) -> Result<Vec<u8>, TransferError> {
        let r = self.inner.wait_in(ep, t).await;
        if let Ok(d) = &r {
            self.ops.push(Op::Got(ep, d.clone()));
        }
        r
    }
    async fn clear_halt(&mut self, ep: u8) -> Result<(), TransferError> {
        self.inner.clear_halt(ep).await
    }
    async fn sleep(&mut self, ms: u32) {
        self.ops.push(Op::Sleep(ms));
        self.inner.sleep(ms).await
    }
    fn now_ms(&self) -> f64 {
        self.inner.now_ms()
    }
}

fn session() -> Vec<Op> {
    let cfg = EmulatorConfig::uru4500(carriable(W, H));
    let rec = Recorder {
        inner: EmulatedTransport::new(Device::new(cfg)),
        ops: Vec::new(),
    };
    let mut s = Uru4000::new(rec).unwrap();
    block_on(async {
        s.open().await.unwrap();
        s.wait_finger_on(5_000).await.unwrap();
        s.capture(&CaptureOptions::default(), &mut |_| true)
            .await
            .unwrap();
        s.wait_finger_off(5_000).await.unwrap();
        s.close().await.unwrap();
    });
    s.into_transport().ops
}

fn position(ops: &[Op], f: impl Fn(&Op) -> bool) -> usize {
    ops.iter().position(f).expect("op present")
}

#[test]
fn power_up_sequence_matches_the_sheet() {
    let ops = session();
    let control: Vec<&Op> = ops
        .iter()
        .filter(|o| matches!(o, Op::Read(..) | Op::Write(..) | Op::Sleep(_)))
        .take(7)
        .collect();
    assert_eq!(
        control,
        [
            &Op::Read(0x07, vec![0x03]),
            &Op::Write(0x07, vec![0x83]),
            &Op::Write(0x07, vec![0x03]),
            &Op::Read(0x07, vec![0x83]),
            &Op::Sleep(10),
            &Op::Write(0x07, vec![0x03]),
            &Op::Read(0x07, vec![0x03]),
        ]
    );
    // The interrupt read is queued right after open, before any register access.
    assert_eq!(ops[0], Op::Open);
    assert_eq!(ops[1], Op::Submit(1));
    // DEVICE_INFO is read after 0x56AA.
    let power_on = position(
        &ops,
        |o| matches!(o, Op::Got(1, d) if d[..2] == [0x56, 0xAA]),
    );
    let info = position(&ops, |o| matches!(o, Op::Read(0xF0, _)));
    assert!(power_on < info);
}

#[test]
fn interrupts_are_64_bytes_and_requeued_before_acting() {
    let ops = session();
    for (i, op) in ops.iter().enumerate() {
        if let Op::Got(1, d) = op {
            assert_eq!(d.len(), 64);
            assert_eq!(ops[i + 1], Op::Submit(1), "re-queue first");
        }
    }
}

#[test]
fn capture_queues_the_read_before_the_mode_and_fetches_keys() {
    let ops = session();
    let submit = position(&ops, |o| *o == Op::Submit(2));
    let mode = position(&ops, |o| *o == Op::Write(0x4E, vec![0x20]));
    assert_eq!(submit + 1, mode);
    let finger_on_mode = position(&ops, |o| *o == Op::Write(0x4E, vec![0x10]));
    assert!(finger_on_mode < submit);
    // Key fetches: 5-byte index write, then a 4-byte key read.
    let idx: Vec<usize> = ops
        .iter()
        .enumerate()
        .filter(|(_, o)| matches!(o, Op::Write(0x33, d) if d.len() == 5))
        .map(|(i, _)| i)
        .collect();
    assert!(idx.len() >= 2, "several keys per frame");
    for i in idx {
        assert!(matches!(&ops[i + 1], Op::Read(0x34, d) if d.len() == 4));
    }
    // Shutdown: MODE 0x12, then 0x70 and close; HWSTAT untouched after capture.
    let off = position(&ops, |o| *o == Op::Write(0x4E, vec![0x70]));
    assert!(position(&ops, |o| *o == Op::Write(0x4E, vec![0x12])) < off);
    assert_eq!(ops.last(), Some(&Op::Close));
    assert!(!ops[mode..].iter().any(|o| matches!(o, Op::Write(0x07, _))));
}

#[test]
fn emulator_frames_look_like_a_real_4500() {
    let ops = session();
    let frame = ops
        .iter()
        .find_map(|o| match o {
            Op::Got(2, d) => Some(d.clone()),
            _ => None,
        })
        .unwrap();
    let lines = u16::from_le_bytes([frame[4], frame[5]]) as usize;
    // The carriable image has a white top row: it is left out rather than repeated.
    assert_eq!(lines, 289);
    assert_eq!(frame.len(), 64 + 384 * lines);
    assert_eq!(frame.len() % 64, 0, "a multiple of the packet size");
    let table: Vec<(u8, u8)> = (0..15)
        .map(|i| (frame[16 + 2 * i], frame[17 + 2 * i]))
        .collect();
    let n = table.iter().position(|b| b.1 == 0).expect("a terminator");
    let (blocks, after) = (&table[..n], &table[n + 1..]);
    assert!(
        after.iter().any(|b| b.0 & 0x80 != 0),
        "junk after the terminator"
    );
    let present: usize = blocks
        .iter()
        .filter(|b| b.0 & 1 == 0)
        .map(|b| b.1 as usize)
        .sum();
    assert_eq!(present, lines);
    assert!(blocks.iter().filter(|b| b.0 & 0x02 != 0).count() >= 3);
    assert!(blocks.iter().filter(|b| b.0 & 0x80 != 0).count() >= 1);
    assert!(
        blocks.iter().any(|b| b.0 == 0x04 && b.1 == 1),
        "a no-key-update plain row"
    );
}
