//! WSQ encoder: normalise, transform, allocate bits, quantise, Huffman-code, write segments.
//!
//! WSQ reference §0 (pipeline), §1.1 (segment order NBIS writes), §3 (normalisation); FBI
//! IAFIS-IC-0110 §3–5. Every floating-point step follows NBIS's `wsq_encode_mem` so that the
//! output is byte-for-byte NBIS's at the same bit rate.

use super::entropy::{block_symbols, write_block, Sym};
use super::error::WsqError;
use super::huffman::{build_table, encoder_codes};
use super::quant::{allocate, quantize, variances};
use super::segments as seg;
use super::tree::{Trees, BLOCK2_START, BLOCK3_START, NUM_SUBBANDS};
use super::wavelet::{decompose, HIFILT, LOFILT};
use super::{DEFAULT_MAX_PIXELS, MIN_ENCODE_SIDE};

/// See [`super::encode`]. `min_side` is [`MIN_ENCODE_SIDE`] except in tests of tiny images.
pub(crate) fn encode(
    gray: &[u8],
    width: u32,
    height: u32,
    ppi: i32,
    bitrate: f32,
    min_side: u32,
) -> Result<Vec<u8>, WsqError> {
    if width == 0 || height == 0 {
        return Err(WsqError::EmptyImage { width, height });
    }
    let pixels = u64::from(width) * u64::from(height);
    if width > 65535 || height > 65535 || pixels > DEFAULT_MAX_PIXELS {
        return Err(WsqError::ImageTooLarge {
            width,
            height,
            max_pixels: DEFAULT_MAX_PIXELS,
        });
    }
    if width < min_side || height < min_side {
        return Err(WsqError::ImageTooSmall {
            width,
            height,
            min: MIN_ENCODE_SIDE,
        });
    }
    if gray.len() as u64 != pixels {
        return Err(WsqError::BadPixelBuffer {
            expected: pixels,
            actual: gray.len(),
        });
    }
    if !(bitrate > 0.0 && bitrate <= 8.0) {
        return Err(WsqError::BadBitrate(bitrate));
    }
    if ppi < 1 && ppi != -1 {
        return Err(WsqError::BadPpi(ppi));
    }
    let (w, h) = (width as usize, height as usize);

    // §3: shift by the mean, scale into ±128 (NBIS `conv_img_2_flt_ret`, all f32).
    let (mut sum, mut lo, mut hi) = (0u32, 255u8, 0u8);
    for &p in gray {
        // Cannot overflow: at most 4096 x 4096 pixels of 255.
        sum += u32::from(p);
        lo = lo.min(p);
        hi = hi.max(p);
    }
    let m_shift = sum as f32 / (w * h) as f32;
    let low_diff = m_shift - f32::from(lo);
    let high_diff = f32::from(hi) - m_shift;
    let r_scale = if low_diff >= high_diff {
        low_diff
    } else {
        high_diff
    } / 128.0;
    let mut data: Vec<f32> = gray
        .iter()
        .map(|&p| (f32::from(p) - m_shift) / r_scale)
        .collect();

    let trees = Trees::new(w, h);
    let mut scratch = Vec::with_capacity(w * h);
    decompose(&mut data, w, &trees, &mut scratch);
    let var = variances(&data, w, &trees.q);
    let mut table = allocate(&var, bitrate);
    drop(scratch);
    let mut qdata: Vec<i32> = Vec::with_capacity(w * h);
    quantize(&data, w, &trees.q, &mut table, &mut qdata);
    drop(data);

    // §5.1: three blocks of consecutive subbands.
    let size = |range: std::ops::Range<usize>| -> usize {
        range
            .filter(|&k| table.q[k] != 0.0)
            .map(|k| trees.q[k].area())
            .sum()
    };
    let n1 = size(0..BLOCK2_START);
    let n2 = size(BLOCK2_START..BLOCK3_START);
    let n3 = size(BLOCK3_START..NUM_SUBBANDS);
    let (b1, rest) = qdata.split_at(n1.min(qdata.len()));
    let (b2, b3) = rest.split_at(n2.min(rest.len()));
    debug_assert_eq!(b3.len(), n3);

    let mut syms1: Vec<Sym> = Vec::new();
    let mut counts1 = [0u32; 256];
    block_symbols(b1, &mut syms1, &mut counts1);
    let mut syms2: Vec<Sym> = Vec::new();
    let mut syms3: Vec<Sym> = Vec::new();
    let mut counts23 = [0u32; 256];
    block_symbols(b2, &mut syms2, &mut counts23);
    block_symbols(b3, &mut syms3, &mut counts23);
    let huff1 = build_table(&counts1);
    let huff2 = build_table(&counts23);

    let mut out = Vec::with_capacity(1024 + (w * h) / 4);
    seg::write_marker(&mut out, seg::SOI);
    seg::write_comment(
        &mut out,
        seg::nistcom(width, height, ppi, bitrate).as_bytes(),
    );
    seg::write_transform_table(&mut out, &LOFILT, &HIFILT);
    seg::write_quantization_table(&mut out, &table);
    seg::write_frame_header(&mut out, width as u16, height as u16, m_shift, r_scale);
    seg::write_huffman_table(&mut out, 0, &huff1);
    seg::write_block_header(&mut out, 0);
    write_block(&syms1, &encoder_codes(&huff1), &mut out);
    seg::write_huffman_table(&mut out, 1, &huff2);
    let codes2 = encoder_codes(&huff2);
    seg::write_block_header(&mut out, 1);
    write_block(&syms2, &codes2, &mut out);
    seg::write_block_header(&mut out, 1);
    write_block(&syms3, &codes2, &mut out);
    seg::write_marker(&mut out, seg::EOI);
    Ok(out)
}
