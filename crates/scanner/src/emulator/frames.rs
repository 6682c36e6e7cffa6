//! The emulator's frame builder (sheet: *Frame layout*, *Scrambling*, emulator side).
//!
//! Given the raw 384 × 290 image the sensor sees (already inverted and, per model, turned), it
//! plans a block table and encodes one endpoint-2 transfer the way a real 4500 does: at most 289
//! source rows, one not-present block, scrambled blocks separated by single plain rows, several
//! keys per frame, a zero-line terminator followed by junk.
//!
//! ## What a frame can carry (and the lossless rule)
//!
//! The protocol cannot carry every 384 × 290 image: (1) a frame has at most 289 source rows, so
//! one output row is either a repeat of its neighbour (not-present block) or left blank (rows after
//! the last block are 0 = white); (2) each scrambled block drops its last byte (it decodes to 0 =
//! white). The builder therefore places, when the image allows, the missing row where it costs
//! nothing — trailing all-white raw rows, else a pair of equal adjacent rows nearest the middle —
//! and ends every scrambled block on a row whose last raw byte is already 0 (white). When the
//! image offers no such place it loses exactly what a real device loses (a repeated row near the
//! middle, the last pixel of a scrambled block). [`BuiltFrame::expected_raw`] is what a correct
//! driver must reconstruct, computed independently of the driver's code.

use super::Rng;
use crate::uru4000::frame::flags;
use crate::uru4000::geometry::{HEADER, HEIGHT, WIDTH};
use crate::uru4000::scramble;

/// One encoded frame and what a correct driver will make of it.
#[derive(Debug, Clone)]
pub struct BuiltFrame {
    /// The endpoint-2 transfer.
    pub bytes: Vec<u8>,
    /// The raw (pre-inversion) 384 × 290 image a correct driver assembles.
    pub expected_raw: Vec<u8>,
    /// Pixels of `expected_raw` that differ from the input (what the protocol lost).
    pub lost_pixels: usize,
    /// Blocks in the table (excluding the terminator).
    pub blocks: usize,
    /// Keys the frame uses (header key + change flags); 0 when not scrambled.
    pub keys: usize,
}

#[derive(Debug, Clone, Copy)]
struct Seg {
    flags: u8,
    lines: usize,
}

fn row(raw: &[u8], r: usize) -> &[u8] {
    raw.get(r * WIDTH..(r + 1) * WIDTH).unwrap_or(&[])
}

/// Splits output rows `[a, b)` (all present) into blocks.
fn plan_run(raw: &[u8], a: usize, b: usize, scramble: bool, rng: &mut Rng, segs: &mut Vec<Seg>) {
    let eligible = |r: usize| row(raw, r).last().copied() == Some(0);
    let mut pos = a;
    let mut separators = 0u32;
    let mut scrambled = 0u32;
    while pos < b {
        if segs.len() >= 8 || !scramble {
            // Plain blocks of at most 255 (scrambling off) or the rest of the run.
            let max = if scramble { 255 } else { rng.range(60, 140) };
            let n = (b - pos).min(max);
            segs.push(Seg { flags: 0, lines: n });
            pos += n;
            continue;
        }
        let max_end = (pos + rng.range(50, 120)).min(b);
        if max_end - pos < 2 {
            segs.push(Seg {
                flags: 0,
                lines: max_end - pos,
            });
            pos = max_end;
            continue;
        }
        let end = (pos + 2..=max_end)
            .rev()
            .find(|&e| eligible(e - 1))
            .unwrap_or(max_end);
        scrambled += 1;
        let change = if scrambled == 2 || scrambled == 4 {
            flags::CHANGE_KEY
        } else {
            0
        };
        segs.push(Seg {
            flags: flags::SCRAMBLED | change,
            lines: end - pos,
        });
        pos = end;
        if pos < b {
            separators += 1;
            let f = if separators == 1 {
                flags::NO_KEY_UPDATE
            } else {
                0
            };
            segs.push(Seg { flags: f, lines: 1 });
            pos += 1;
        }
    }
}

/// Builds one frame of `raw` (384 × 290, raw polarity) with first key number `key_number`.
pub fn build(
    raw: &[u8],
    scramble: bool,
    key_number: u8,
    key_of: &dyn Fn(u8) -> u32,
    rng: &mut Rng,
) -> BuiltFrame {
    let zero_row = |r: usize| row(raw, r).iter().all(|&v| v == 0);
    let mut end = HEIGHT;
    while end > 0 && zero_row(end - 1) {
        end -= 1;
    }
    // `src_rows[s]` = raw row carried as source row s.
    let mut segs = Vec::new();
    let src_rows: Vec<usize> = if end < HEIGHT {
        plan_run(raw, 0, end, scramble, rng, &mut segs);
        (0..end).collect()
    } else {
        let np = (2..HEIGHT - 1)
            .filter(|&r| row(raw, r) == row(raw, r + 1))
            .min_by_key(|&r| r.abs_diff(HEIGHT / 2))
            .unwrap_or(150);
        plan_run(raw, 0, np, scramble, rng, &mut segs);
        segs.push(Seg {
            flags: flags::NOT_PRESENT,
            lines: 1,
        });
        plan_run(raw, np + 1, HEIGHT, scramble, rng, &mut segs);
        (0..HEIGHT).filter(|&r| r != np).collect()
    };
    let lines = src_rows.len();

    // Header: junk, then the known fields and the table.
    let mut bytes = vec![0u8; HEADER + lines * WIDTH];
    for b in bytes.iter_mut().take(HEADER) {
        *b = rng.byte();
    }
    let put = |bytes: &mut Vec<u8>, i: usize, v: u8| {
        if let Some(b) = bytes.get_mut(i) {
            *b = v;
        }
    };
    let l = (lines as u16).to_le_bytes();
    put(&mut bytes, 4, l[0]);
    put(&mut bytes, 5, l[1]);
    put(&mut bytes, 6, key_number);
    for (i, s) in segs.iter().enumerate() {
        put(&mut bytes, 16 + 2 * i, s.flags);
        put(&mut bytes, 17 + 2 * i, s.lines as u8);
    }
    let term = 16 + 2 * segs.len();
    put(&mut bytes, term + 1, 0);
    // Junk after the terminator, as in a real frame (one entry with bit 0x80 set).
    put(&mut bytes, term + 2, 0x80 | flags::SCRAMBLED);
    put(&mut bytes, term + 3, 37);

    // Data, and the independent expectation.
    let mut key = key_of(key_number);
    let mut kn = key_number;
    let mut keys = 1usize;
    let mut expected = vec![0u8; WIDTH * HEIGHT];
    let (mut src, mut out_row) = (0usize, 0usize);
    for s in &segs {
        if scramble && s.flags & flags::CHANGE_KEY != 0 {
            kn = kn.wrapping_add(1);
            key = key_of(kn);
            keys += 1;
        }
        let present = s.flags & flags::NOT_PRESENT == 0;
        for j in 0..s.lines {
            let raw_row = src_rows.get(src + j).map_or(&[][..], |&r| row(raw, r));
            if let Some(e) = expected.get_mut((out_row + j) * WIDTH..(out_row + j + 1) * WIDTH) {
                if raw_row.len() == WIDTH {
                    e.copy_from_slice(raw_row);
                }
            }
        }
        let n = s.lines * WIDTH;
        if present {
            let plain: Vec<u8> = (0..s.lines)
                .flat_map(|j| {
                    src_rows
                        .get(src + j)
                        .map_or(&[][..], |&r| row(raw, r))
                        .to_vec()
                })
                .collect();
            let start = HEADER + src * WIDTH;
            if let Some(out) = bytes.get_mut(start..start + n) {
                if scramble && s.flags & 0x06 == flags::SCRAMBLED {
                    key = scramble::encode_block(&plain, out, key, rng.byte());
                    if let Some(last) = expected.get_mut((out_row + s.lines) * WIDTH - 1) {
                        *last = 0;
                    }
                } else {
                    out.copy_from_slice(&plain);
                }
            }
            src += s.lines;
        }
        if s.flags & 0x06 == 0 {
            key = scramble::step_n(key, n);
        }
        out_row += s.lines;
    }
    let lost_pixels = expected.iter().zip(raw).filter(|(a, b)| a != b).count();
    BuiltFrame {
        bytes,
        expected_raw: expected,
        lost_pixels,
        blocks: segs.len(),
        keys: if scramble { keys } else { 0 },
    }
}
