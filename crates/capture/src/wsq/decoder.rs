//! WSQ decoder: parse segments, Huffman-decode blocks, dequantise, inverse transform.
//!
//! WSQ reference §1.1 (accepted segment order), §6 (decoder and its validation); FBI
//! IAFIS-IC-0110 §5. Stricter than NBIS: every length and count is checked, tables may not
//! change once coefficient data has started, and the blocks must fill the subbands exactly.

use super::entropy::read_block;
use super::error::WsqError;
use super::huffman::Decoder;
use super::quant::{dequantize, QuantTable};
use super::segments as seg;
use super::tree::{Trees, NUM_SUBBANDS};
use super::wavelet::{reconstruct, Synthesis};
use super::DecodedImage;

/// See [`super::decode_with_limit`].
pub(crate) fn decode(bytes: &[u8], max_pixels: u64) -> Result<DecodedImage, WsqError> {
    let marker_at = |pos: usize| -> Result<u16, WsqError> {
        match bytes.get(pos..pos + 2) {
            Some(&[a, b]) => Ok(u16::from_be_bytes([a, b])),
            _ => Err(WsqError::Truncated("file ends before EOI")),
        }
    };
    if marker_at(0)? != seg::SOI {
        return Err(WsqError::UnexpectedMarker {
            marker: marker_at(0)?,
            offset: 0,
            context: "a WSQ file starts with SOI (FFA0)",
        });
    }
    let mut pos = 2;
    let mut frame: Option<seg::Frame> = None;
    let mut filters: Option<(Vec<f32>, Vec<f32>)> = None;
    let mut quant: Option<(f32, QuantTable)> = None;
    let mut tables: [Option<Decoder>; 8] = Default::default();
    let mut ppi: Option<i32> = None;
    let mut seen_nistcom = false;
    // Allocated at the first SOB, once the frame and quantisation tables are known.
    let mut coeffs: Option<Vec<i32>> = None;
    let mut count = 0usize;

    loop {
        let marker = marker_at(pos)?;
        if marker == seg::EOI {
            break;
        }
        let len =
            usize::from(marker_at(pos + 2).map_err(|_| WsqError::Truncated("segment length"))?);
        let payload = bytes
            .get(pos + 4..pos + 2 + len.max(2))
            .ok_or(WsqError::Truncated("segment longer than the file"))?;
        if len < 2 {
            return Err(WsqError::BadSegment {
                segment: "marker",
                reason: "segment length below 2",
            });
        }
        let started = coeffs.is_some();
        let unexpected = |context| WsqError::UnexpectedMarker {
            marker,
            offset: pos,
            context,
        };
        match marker {
            seg::SOF => {
                if frame.is_some() || started {
                    return Err(unexpected("a second frame header"));
                }
                let f = seg::parse_frame_header(payload)?;
                let (w, h) = (u32::from(f.width), u32::from(f.height));
                if w == 0 || h == 0 {
                    return Err(WsqError::EmptyImage {
                        width: w,
                        height: h,
                    });
                }
                if u64::from(w) * u64::from(h) > max_pixels {
                    return Err(WsqError::ImageTooLarge {
                        width: w,
                        height: h,
                        max_pixels,
                    });
                }
                frame = Some(f);
            }
            seg::DTT | seg::DQT if started => {
                return Err(unexpected("tables may not change after the first block"));
            }
            seg::DTT => filters = Some(seg::parse_transform_table(payload)?),
            seg::DQT => quant = Some(seg::parse_quantization_table(payload)?),
            seg::DHT => {
                for (id, t) in seg::parse_huffman_tables(payload)? {
                    if let Some(slot) = tables.get_mut(usize::from(id)) {
                        *slot = Some(Decoder::new(&t)?);
                    }
                }
            }
            seg::COM => {
                if !started && !seen_nistcom {
                    if let Some(p) = seg::nistcom_ppi(payload) {
                        seen_nistcom = true;
                        ppi = p;
                    }
                }
            }
            seg::SOB => {
                if payload.len() != 1 {
                    return Err(WsqError::BadSegment {
                        segment: "SOB",
                        reason: "length is not 3",
                    });
                }
                let f = frame.ok_or(WsqError::MissingTable("frame header (SOF)"))?;
                let (_, qt) = quant
                    .as_ref()
                    .ok_or(WsqError::MissingTable("quantization table (DQT)"))?;
                if filters.is_none() {
                    return Err(WsqError::MissingTable("transform table (DTT)"));
                }
                let id = usize::from(payload[0]);
                let table = tables
                    .get(id)
                    .and_then(Option::as_ref)
                    .ok_or(WsqError::MissingTable("Huffman table named by a block"))?;
                let buf = match coeffs.as_mut() {
                    Some(c) => c,
                    None => coeffs.insert(vec![0; coefficient_total(&f, qt)]),
                };
                pos = read_block(bytes, pos + 2 + len, table, buf, &mut count)?;
                continue;
            }
            seg::SOI | seg::DRT => {
                return Err(unexpected(
                    "SOI again, or DRT restart intervals (unsupported)",
                ));
            }
            _ => return Err(unexpected("not a WSQ marker segment")),
        }
        pos += 2 + len;
    }

    let f = frame.ok_or(WsqError::MissingTable("frame header (SOF)"))?;
    let (c, qt) = quant.ok_or(WsqError::MissingTable("quantization table (DQT)"))?;
    let (lo, hi) = filters.ok_or(WsqError::MissingTable("transform table (DTT)"))?;
    let coeffs = coeffs.unwrap_or_default();
    let total = coefficient_total(&f, &qt);
    if count != total {
        return Err(WsqError::CoefficientCount {
            expected: total as u64,
            found: count as u64,
        });
    }

    let (w, h) = (usize::from(f.width), usize::from(f.height));
    let trees = Trees::new(w, h);
    let mut data = vec![0.0f32; w * h];
    let mut src = coeffs.iter();
    for k in 0..NUM_SUBBANDS {
        let (q, half_z) = (qt.q[k], qt.z[k] / 2.0);
        if q == 0.0 {
            continue;
        }
        let r = &trees.q[k];
        for y in r.y..r.y + r.h {
            for (d, &p) in data[y * w + r.x..y * w + r.x + r.w]
                .iter_mut()
                .zip(&mut src)
            {
                *d = dequantize(p, q, half_z, c);
            }
        }
    }
    reconstruct(&mut data, w, &trees, &Synthesis::new(&lo, &hi));
    let pixels = data
        .iter()
        .map(|&a| {
            let v = a * f.r + f.m + 0.5;
            // Clamps NaN to 0 as well.
            if v >= 255.0 {
                255
            } else if v > 0.0 {
                v as u8
            } else {
                0
            }
        })
        .collect();
    Ok(DecodedImage {
        width: u32::from(f.width),
        height: u32::from(f.height),
        ppi: ppi.unwrap_or(-1),
        pixels,
    })
}

/// Number of coefficients the transmitted subbands hold.
fn coefficient_total(f: &seg::Frame, qt: &QuantTable) -> usize {
    let trees = Trees::new(usize::from(f.width), usize::from(f.height));
    (0..NUM_SUBBANDS)
        .filter(|&k| qt.q[k] != 0.0)
        .map(|k| trees.q[k].area())
        .sum()
}
