//! Any byte string: the WSQ decoder returns an image or an error, never panics, and keeps
//! within a small pixel budget.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(img) = capture::wsq::decode_with_limit(data, 1 << 22) {
        assert_eq!(
            img.pixels.len() as u64,
            u64::from(img.width) * u64::from(img.height)
        );
    }
});
