//! Capture latency of the U.are.U driver against the emulator, natively.
//!
//! ```text
//! cargo run -p scanner --release --example latency [-- ITERATIONS]
//! ```
//!
//! Two clocks are reported:
//! - **simulated**: the emulator's virtual USB clock, finger-on message → image returned, under
//!   the timing model documented in `scanner::emulator` (full speed: 1 ms per control transfer,
//!   8 ms interrupt polling, 30 ms exposure, 1,000 bytes/ms bulk, so a 111,040-byte frame takes
//!   111 ms on the wire). This is what a user would wait on a real reader, if the model holds.
//! - **CPU**: real time spent by this process in the driver + emulator for one capture (frame
//!   building, scrambling, descrambling, assembly) and for a whole session (power-up → close).
//!   On a real reader the CPU part overlaps nothing: it adds to the USB time.

use std::time::{Duration, Instant};

use scanner::emulator::{Device, EmulatedTransport, EmulatorConfig};
use scanner::{block_on, CaptureOptions, GrayImage, Scanner, Uru4000};

fn print_image() -> GrayImage {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/testdata/fingerprints/p1_1.png"
    );
    let decoded = std::fs::File::open(path).ok().and_then(|f| {
        let mut dec = png::Decoder::new(std::io::BufReader::new(f));
        dec.set_transformations(png::Transformations::normalize_to_color8());
        let mut r = dec.read_info().ok()?;
        let mut buf = vec![0; r.output_buffer_size()?];
        let info = r.next_frame(&mut buf).ok()?;
        let ch = info.color_type.samples();
        let px = buf
            .get(..info.buffer_size())?
            .chunks(ch)
            .map(|c| c[0])
            .collect();
        GrayImage::new(info.width, info.height, px).ok()
    });
    decoded.unwrap_or_else(|| {
        eprintln!("(testdata print not found: using a synthetic image)");
        let px = (0..384u32 * 290).map(|i| (i * 7 % 251) as u8).collect();
        GrayImage::new(384, 290, px).unwrap_or_else(|_| unreachable!())
    })
}

struct Sample {
    simulated_ms: f64,
    capture_cpu: Duration,
    session_cpu: Duration,
}

fn one(image: &GrayImage, scramble: bool, seed: u64) -> Sample {
    let cfg = EmulatorConfig {
        scramble,
        seed,
        ..EmulatorConfig::uru4500(image.clone())
    };
    let t0 = Instant::now();
    let mut s = match Uru4000::new(EmulatedTransport::new(Device::new(cfg))) {
        Ok(s) => s,
        Err(e) => panic!("{e}"),
    };
    let mut capture_cpu = Duration::ZERO;
    let r = block_on(async {
        s.open().await?;
        s.wait_finger_on(10_000).await?;
        let c0 = Instant::now();
        s.capture(&CaptureOptions::default(), &mut |_| true).await?;
        capture_cpu = c0.elapsed();
        s.wait_finger_off(10_000).await?;
        s.close().await
    });
    if let Err(e) = r {
        panic!("session failed: {e}");
    }
    Sample {
        simulated_ms: s.stats().finger_to_image_ms,
        capture_cpu,
        session_cpu: t0.elapsed(),
    }
}

fn median(mut v: Vec<f64>) -> (f64, f64, f64) {
    v.sort_by(f64::total_cmp);
    let n = v.len();
    (v[0], v[n / 2], v[n - 1])
}

fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(50);
    let image = print_image();
    println!(
        "U.are.U 4500 driver + emulator, {n} sessions each, print {}x{}",
        image.width(),
        image.height()
    );
    println!(
        "{:<10} {:>26} {:>26} {:>26}",
        "frames", "simulated ms (min/med/max)", "capture CPU ms", "session CPU ms"
    );
    for scramble in [true, false] {
        let samples: Vec<Sample> = (0..n)
            .map(|i| one(&image, scramble, 1 + i as u64))
            .collect();
        let sim = median(samples.iter().map(|s| s.simulated_ms).collect());
        let cap = median(
            samples
                .iter()
                .map(|s| s.capture_cpu.as_secs_f64() * 1e3)
                .collect(),
        );
        let ses = median(
            samples
                .iter()
                .map(|s| s.session_cpu.as_secs_f64() * 1e3)
                .collect(),
        );
        let f = |t: (f64, f64, f64)| format!("{:.1} / {:.1} / {:.1}", t.0, t.1, t.2);
        let label = if scramble { "scrambled" } else { "plain" };
        println!("{label:<10} {:>26} {:>26} {:>26}", f(sim), f(cap), f(ses));
    }
}
