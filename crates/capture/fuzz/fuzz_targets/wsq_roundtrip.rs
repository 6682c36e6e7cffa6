//! Arbitrary images of 81..=208 pixels a side at arbitrary bit rates: encoding succeeds and
//! the file decodes to an image of the same size and ppi.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if data.len() < 4 {
        return;
    }
    let w = 81 + u32::from(data[0] & 0x7F);
    let h = 81 + u32::from(data[1] & 0x7F);
    let bitrate = 0.1 + f32::from(data[2]) / 255.0 * 7.9;
    let body = &data[3..];
    let px: Vec<u8> = (0..(w * h) as usize)
        .map(|i| body[i % body.len()])
        .collect();
    let file = capture::wsq::encode(&px, w, h, 500, bitrate).expect("encode");
    let img = capture::wsq::decode(&file).expect("decode own file");
    assert_eq!((img.width, img.height, img.ppi), (w, h, 500));
});
