//! Driver ↔ emulator: every fault gives a clear error or is recovered, and the driver can
//! always start again from a clean state.

mod common;

use common::*;
use scanner::emulator::{run_session, Device, EmulatedTransport, EmulatorConfig, Faults};
use scanner::{
    block_on, emulate_capture, CaptureOptions, Fault, Scanner, ScannerError, Transport, Uru4000,
};

fn cfg_with(faults: Faults) -> EmulatorConfig {
    EmulatorConfig {
        faults,
        ..EmulatorConfig::uru4500(carriable(W, H))
    }
}

fn scanner_for(cfg: EmulatorConfig) -> Uru4000<EmulatedTransport> {
    Uru4000::new(EmulatedTransport::new(Device::new(cfg))).unwrap()
}

/// open → finger → capture (first frame) without closing.
async fn one_capture(
    s: &mut Uru4000<EmulatedTransport>,
) -> Result<scanner::CapturedImage, ScannerError> {
    s.open().await?;
    s.wait_finger_on(5_000).await?;
    s.capture(&CaptureOptions::default(), &mut |_| true).await
}

#[test]
fn recoverable_faults_are_recovered() {
    let src = carriable(W, H);
    for (fault, problem) in [
        (Fault::Stall, "frame_stalled"),
        (Fault::ShortFrame, "frame_truncated"),
        (Fault::Trouble, "frame_too_short"),
    ] {
        let (img, stats) = emulate_capture(src.clone(), true, Some(fault)).unwrap();
        assert_eq!(img.image, src, "{fault}");
        assert_eq!(stats.bad_frames, 1, "{fault}");
        assert_eq!(stats.good_frames, 1, "{fault}");
        assert_eq!(stats.last_frame_problem, Some(problem), "{fault}");
        assert_eq!(stats.stalls, u32::from(fault == Fault::Stall));
        assert_eq!(stats.trouble_messages, u32::from(fault == Fault::Trouble));
    }
}

#[test]
fn unplug_mid_capture_is_reported_and_replug_works() {
    let err = emulate_capture(carriable(W, H), true, Some(Fault::Unplug)).unwrap_err();
    assert_eq!(err, ScannerError::Disconnected);
    assert_eq!(err.code(), "device_disconnected");

    let mut s = scanner_for(cfg_with(Fault::Unplug.into()));
    let err = block_on(one_capture(&mut s)).unwrap_err();
    assert_eq!(err.code(), "device_disconnected");
    // Still gone: reopening fails cleanly.
    assert_eq!(block_on(s.open()), Err(ScannerError::Disconnected));
    s.transport_mut().device.replug();
    let img = block_on(one_capture(&mut s)).unwrap();
    assert_eq!(img.image, carriable(W, H));
}

/// What a JS shim relies on: a scheduled unplug fires on `tick` alone (no transfer needed), is
/// visible through `is_plugged`, and maps to `NotFoundError`; a hand-placed finger works once
/// the timing says fingers are placed by hand.
#[test]
fn shim_hooks_tick_is_plugged_and_hand_placed_finger() {
    use scanner::emulator::{webusb_outcome, InPoll};
    use scanner::uru4000::{irq, mode, reg, REQ_REGISTER};
    use scanner::{ControlSetup, TransferError};
    let register = |r| ControlSetup::vendor_device(REQ_REGISTER, r);
    let mut d = Device::new(cfg_with(Fault::Unplug.into()));
    d.timing_mut().finger_place_ms = None;
    d.open(0.0).unwrap();
    d.submit_in(1, 64, 0.0).unwrap();
    d.control_out(register(reg::MODE), &[mode::AWAIT_FINGER_ON], 1.0)
        .unwrap();
    // No scripted finger: the read waits for outside action.
    assert_eq!(d.poll_in(1, 500.0), InPoll::Pending(None));
    d.place_finger(500.0);
    let mut t = 500.0;
    let msg = loop {
        match d.poll_in(1, t) {
            InPoll::Ready(r) => break r.unwrap(),
            InPoll::Pending(Some(next)) => t = next,
            InPoll::Pending(None) => panic!("finger placed but nothing scheduled"),
        }
    };
    assert_eq!(msg[..2], irq::FINGER_ON.to_be_bytes());
    // Capture mode arms the unplug fault 40 ms later; `tick` alone fires it.
    d.control_out(register(reg::MODE), &[mode::CAPTURE], t)
        .unwrap();
    d.tick(t + 39.0);
    assert!(d.is_plugged());
    d.tick(t + 41.0);
    assert!(!d.is_plugged());
    let r = d.control_in(register(reg::HWSTAT), 1, t + 42.0);
    assert_eq!(r, Err(TransferError::Disconnected));
    assert_eq!(webusb_outcome(&r), Err("NotFoundError"));
}

#[test]
fn no_finger_times_out_and_the_device_stays_usable() {
    let err = emulate_capture(carriable(W, H), true, Some(Fault::NoFinger)).unwrap_err();
    assert_eq!(err, ScannerError::FingerTimeout { waited_ms: 10_000 });
    assert_eq!(err.code(), "finger_timeout");

    let mut s = scanner_for(cfg_with(Fault::NoFinger.into()));
    block_on(s.open()).unwrap();
    let t0 = s.transport().now_ms();
    let err = block_on(s.wait_finger_on(3_000)).unwrap_err();
    assert_eq!(err.code(), "finger_timeout");
    assert!(s.transport().now_ms() - t0 >= 3_000.0);
    // Someone finally presses: the same open session carries on.
    let now = s.transport().now_ms();
    s.transport_mut().device.place_finger(now + 100.0);
    block_on(s.wait_finger_on(3_000)).unwrap();
    let img = block_on(s.capture(&CaptureOptions::default(), &mut |_| true)).unwrap();
    assert_eq!(img.image, carriable(W, H));
}

#[test]
fn persistent_stalls_fail_then_a_fresh_open_succeeds() {
    let mut s = scanner_for(cfg_with(Faults {
        stalls: 5,
        ..Faults::default()
    }));
    let err = block_on(one_capture(&mut s)).unwrap_err();
    assert_eq!(err.code(), "stall");
    assert_eq!(s.stats().stalls, 5);
    // The driver closed itself: calls needing an open device say so.
    assert_eq!(
        block_on(s.capture(&CaptureOptions::default(), &mut |_| true)),
        Err(ScannerError::NotOpen)
    );
    let img = block_on(one_capture(&mut s)).unwrap();
    assert_eq!(img.image, carriable(W, H));
}

#[test]
fn persistent_bad_frames_fail() {
    for faults in [
        Faults {
            short_frames: 20,
            ..Faults::default()
        },
        Faults {
            trouble: 20,
            ..Faults::default()
        },
    ] {
        let err =
            run_session(cfg_with(faults), &CaptureOptions::default(), &mut |_| true).unwrap_err();
        assert_eq!(err.code(), "bad_frames", "{err}");
        assert!(matches!(err, ScannerError::BadFrames { count: 5, .. }));
    }
}

#[test]
fn frames_that_never_come_time_out() {
    let opts = CaptureOptions {
        frame_timeout_ms: 700,
        ..CaptureOptions::default()
    };
    let cfg = cfg_with(Faults {
        no_frames: true,
        ..Faults::default()
    });
    let err = run_session(cfg, &opts, &mut |_| true).unwrap_err();
    assert_eq!(err, ScannerError::FrameTimeout { waited_ms: 700 });
}

#[test]
fn busy_device_is_reported() {
    let cfg = cfg_with(Faults {
        busy: true,
        ..Faults::default()
    });
    let err = run_session(cfg, &CaptureOptions::default(), &mut |_| true).unwrap_err();
    assert_eq!(err, ScannerError::Busy);
    assert_eq!(err.code(), "device_busy");
    assert!(err.to_string().contains("another tab"));
}

#[test]
fn power_up_retries_until_0x56aa_arrives() {
    let src = carriable(W, H);
    // Two lost messages: the third attempt works.
    let cfg = cfg_with(Faults {
        lost_power_on: 2,
        ..Faults::default()
    });
    let (img, stats, _) = run_session(cfg, &CaptureOptions::default(), &mut |_| true).unwrap();
    assert_eq!(stats.power_up_attempts, 3);
    assert_eq!(img.image, src);
    // Three lost messages: give up.
    let cfg = cfg_with(Faults {
        lost_power_on: 3,
        ..Faults::default()
    });
    let err = run_session(cfg, &CaptureOptions::default(), &mut |_| true).unwrap_err();
    assert_eq!(err, ScannerError::PowerOnTimeout { attempts: 3 });
    // A late message (within the 300 ms wait) is fine on the first attempt.
    let cfg = cfg_with(Faults {
        late_power_on_ms: Some(200.0),
        ..Faults::default()
    });
    let (_, stats, _) = run_session(cfg, &CaptureOptions::default(), &mut |_| true).unwrap();
    assert_eq!(stats.power_up_attempts, 1);
}

#[test]
fn hwstat_dance() {
    // At rest 0x03: power down (0x83), then 0x03 until bit 7 clears (on the second read).
    let (_, stats, _) = run_session(
        cfg_with(Faults::default()),
        &CaptureOptions::default(),
        &mut |_| true,
    )
    .unwrap();
    assert!(!stats.recovered);
    assert_eq!(stats.hwstat_reads, 3, "1 initial + 2 in the power-up loop");
    // Confused state (bits 7 and 2): the recovery loop runs first.
    let cfg = cfg_with(Faults {
        confused: true,
        ..Faults::default()
    });
    let (img, stats, _) = run_session(cfg, &CaptureOptions::default(), &mut |_| true).unwrap();
    assert!(stats.recovered);
    assert_eq!(img.image, carriable(W, H));
    // Bit 7 never clears: fail after 100 reads.
    let cfg = cfg_with(Faults {
        stuck_low_power: true,
        ..Faults::default()
    });
    let err = run_session(cfg, &CaptureOptions::default(), &mut |_| true).unwrap_err();
    assert!(matches!(
        err,
        ScannerError::PowerUpFailed { reads: 100, .. }
    ));
    assert_eq!(err.code(), "power_up_failed");
}

#[test]
fn unsupported_ids_are_refused() {
    for ids in [(0x045e, 0x00ca), (0x1234, 0x5678)] {
        let cfg = EmulatorConfig {
            ids,
            ..EmulatorConfig::uru4500(carriable(W, H))
        };
        let err = Uru4000::new(EmulatedTransport::new(Device::new(cfg)))
            .err()
            .unwrap();
        assert_eq!(err.code(), "unsupported_device");
    }
}

#[test]
fn device_info_and_close_are_clean() {
    let mut s = scanner_for(cfg_with(Faults::default()));
    block_on(one_capture(&mut s)).unwrap();
    assert_eq!(s.info().versions, vec![0x0115, 0x0010]);
    block_on(s.close()).unwrap();
    block_on(s.close()).unwrap();
    assert_eq!(s.transport().device.log.firmware_writes, 0);
    // Reopen after a normal close.
    block_on(one_capture(&mut s)).unwrap();
}
