//! Image frames on endpoint 2 (sheet: *Frame layout*): header parsing, validation, the block
//! table walk, descrambling and assembly into the 384 × 290 output image.

use super::geometry::{HEADER, HEIGHT, WIDTH};
use super::scramble;

/// Block flags.
pub mod flags {
    /// Advance to the next key before handling this block.
    pub const CHANGE_KEY: u8 = 0x80;
    /// The key does not change over this block.
    pub const NO_KEY_UPDATE: u8 = 0x04;
    /// The block is scrambled.
    pub const SCRAMBLED: u8 = 0x02;
    /// The block is not present in the data: it repeats the source rows that follow.
    pub const NOT_PRESENT: u8 = 0x01;
}

/// Offset of the line count (u16 LE) in the header.
const OFF_LINES: usize = 4;
/// Offset of the key number.
const OFF_KEY: usize = 6;
/// Offset of the block table (15 × `{flags, lines}`).
const OFF_BLOCKS: usize = 16;
/// Entries in the block table.
pub const MAX_BLOCKS: usize = 15;

/// Why a frame was discarded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum FrameError {
    /// Shorter than the 64-byte header (an empty transfer follows a `0x0800` message).
    #[error("frame of {len} bytes is shorter than its header")]
    TooShort {
        /// Transfer length.
        len: usize,
    },
    /// The header claims 290 or more lines.
    #[error("frame claims {lines} lines (at most 289)")]
    TooManyLines {
        /// Claimed lines.
        lines: usize,
    },
    /// The transfer ended before the claimed lines.
    #[error("frame claims {lines} lines but carries {len} bytes")]
    Truncated {
        /// Claimed lines.
        lines: usize,
        /// Transfer length.
        len: usize,
    },
    /// A not-present block is flagged scrambled (never seen on a device).
    #[error("block {block} is flagged both not-present and scrambled")]
    NotPresentScrambled {
        /// Block index.
        block: usize,
    },
    /// The endpoint stalled instead of delivering a frame.
    #[error("the image endpoint stalled")]
    Stalled,
}

impl FrameError {
    /// Stable code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::TooShort { .. } => "frame_too_short",
            Self::TooManyLines { .. } => "frame_too_many_lines",
            Self::Truncated { .. } => "frame_truncated",
            Self::NotPresentScrambled { .. } => "frame_bad_block",
            Self::Stalled => "frame_stalled",
        }
    }
}

/// One block-table entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Block {
    /// Flags (see [`flags`]).
    pub flags: u8,
    /// Lines covered.
    pub lines: u8,
}

impl Block {
    fn present(self) -> bool {
        self.flags & flags::NOT_PRESENT == 0
    }
}

/// A validated frame.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Frame<'a> {
    /// Source lines `L` (< 290).
    pub lines: usize,
    /// Key number of the first key.
    pub key_number: u8,
    /// The effective block table (after the walk's stopping rules).
    pub blocks: Vec<Block>,
    /// The `L × 384` source bytes.
    pub data: &'a [u8],
}

impl<'a> Frame<'a> {
    /// Parses and validates one transfer. Longer transfers than needed are accepted.
    pub fn parse(transfer: &'a [u8]) -> Result<Self, FrameError> {
        let len = transfer.len();
        let header = transfer.get(..HEADER).ok_or(FrameError::TooShort { len })?;
        let byte = |i: usize| header.get(i).copied().unwrap_or(0);
        let lines = usize::from(u16::from_le_bytes([byte(OFF_LINES), byte(OFF_LINES + 1)]));
        if lines >= HEIGHT {
            return Err(FrameError::TooManyLines { lines });
        }
        let data = transfer
            .get(HEADER..HEADER + lines * WIDTH)
            .ok_or(FrameError::Truncated { lines, len })?;
        // Walk: stop at a zero-line entry, after 15 entries, or once present rows reach L.
        let mut blocks = Vec::new();
        let mut used = 0usize;
        for i in 0..MAX_BLOCKS {
            if used >= lines {
                break;
            }
            let b = Block {
                flags: byte(OFF_BLOCKS + 2 * i),
                lines: byte(OFF_BLOCKS + 2 * i + 1),
            };
            if b.lines == 0 {
                break;
            }
            if b.present() {
                used += usize::from(b.lines);
            }
            blocks.push(b);
        }
        Ok(Self {
            lines,
            key_number: byte(OFF_KEY),
            blocks,
            data,
        })
    }

    /// The first two present source rows, if the frame has them.
    fn first_two_rows(&self) -> Option<(&[u8], &[u8])> {
        let a = self.data.get(..WIDTH)?;
        let b = self.data.get(WIDTH..2 * WIDTH)?;
        Some((a, b))
    }

    /// Whether the frame must be descrambled: the variance heuristic over the first two present
    /// rows says so, **and** some block is flagged scrambled (without one, descrambling would only
    /// step the key, so skipping it — and its register reads — gives the same image).
    pub fn is_scrambled(&self) -> bool {
        let flagged = self
            .blocks
            .iter()
            .any(|b| b.flags & (flags::SCRAMBLED | flags::NO_KEY_UPDATE) == flags::SCRAMBLED);
        flagged
            && self
                .first_two_rows()
                .is_some_and(|(a, b)| scramble::looks_scrambled(a, b))
    }

    /// The key numbers descrambling needs, in order: the header's, then one more per change flag.
    pub fn key_numbers(&self) -> Vec<u8> {
        let mut k = self.key_number;
        let mut out = vec![k];
        for b in &self.blocks {
            if b.flags & flags::CHANGE_KEY != 0 {
                k = k.wrapping_add(1);
                out.push(k);
            }
        }
        out
    }

    /// Descrambles the source data with `keys` (one per entry of [`Frame::key_numbers`]).
    pub fn descramble(&self, keys: &[u32]) -> Result<Vec<u8>, FrameError> {
        let mut data = self.data.to_vec();
        let mut ki = 0usize;
        let mut key = keys.first().copied().unwrap_or(0);
        let mut row = 0usize;
        for (i, b) in self.blocks.iter().enumerate() {
            let mut f = b.flags;
            if f & flags::CHANGE_KEY != 0 {
                f &= !flags::CHANGE_KEY;
                ki += 1;
                key = keys.get(ki).copied().unwrap_or(0);
            }
            let lines = usize::from(b.lines);
            let n = lines * WIDTH;
            match f & (flags::SCRAMBLED | flags::NO_KEY_UPDATE) {
                flags::SCRAMBLED => {
                    if !b.present() {
                        return Err(FrameError::NotPresentScrambled { block: i });
                    }
                    let start = (row * WIDTH).min(data.len());
                    let end = ((row + lines) * WIDTH).min(data.len());
                    if let Some(slice) = data.get_mut(start..end) {
                        key = scramble::decode_block(slice, key);
                    }
                }
                0 => key = scramble::step_n(key, n),
                _ => {}
            }
            if b.present() {
                row += lines;
            }
        }
        Ok(data)
    }

    /// Assembles `data` (this frame's source rows, descrambled or not) into the raw 384 × 290
    /// image: a block of `n` lines copies `n` source rows to the output; the output row always
    /// advances, the source row only for present blocks. Unwritten rows stay 0.
    pub fn assemble(&self, data: &[u8]) -> Vec<u8> {
        let mut out = vec![0u8; WIDTH * HEIGHT];
        let (mut src, mut dst) = (0usize, 0usize);
        for b in &self.blocks {
            let lines = usize::from(b.lines);
            for j in 0..lines {
                let (s, d) = (src + j, dst + j);
                if d >= HEIGHT || s >= self.lines {
                    break;
                }
                if let (Some(from), Some(to)) = (
                    data.get(s * WIDTH..(s + 1) * WIDTH),
                    out.get_mut(d * WIDTH..(d + 1) * WIDTH),
                ) {
                    to.copy_from_slice(from);
                }
            }
            dst += lines;
            if b.present() {
                src += lines;
            }
        }
        out
    }
}

/// Raw assembled pixels → output image: invert (ridges dark) and optionally turn by 180°.
pub fn finish(mut raw: Vec<u8>, flip_180: bool) -> Vec<u8> {
    for p in raw.iter_mut() {
        *p = 255 - *p;
    }
    if flip_180 {
        raw.reverse();
    }
    raw
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame_bytes(lines: usize, blocks: &[(u8, u8)], fill: impl Fn(usize) -> u8) -> Vec<u8> {
        let mut v = vec![0u8; HEADER + lines * WIDTH];
        v[4..6].copy_from_slice(&(lines as u16).to_le_bytes());
        for (i, &(f, n)) in blocks.iter().enumerate() {
            v[16 + 2 * i] = f;
            v[17 + 2 * i] = n;
        }
        for i in 0..lines * WIDTH {
            v[HEADER + i] = fill(i / WIDTH);
        }
        v
    }

    #[test]
    fn validation() {
        assert_eq!(Frame::parse(&[]), Err(FrameError::TooShort { len: 0 }));
        assert_eq!(
            Frame::parse(&[0; 63]).unwrap_err().code(),
            "frame_too_short"
        );
        let mut big = frame_bytes(0, &[], |_| 0);
        big[4..6].copy_from_slice(&290u16.to_le_bytes());
        assert_eq!(
            Frame::parse(&big),
            Err(FrameError::TooManyLines { lines: 290 })
        );
        let f = frame_bytes(10, &[(0, 10)], |_| 0);
        assert!(matches!(
            Frame::parse(&f[..f.len() - 1]),
            Err(FrameError::Truncated { lines: 10, .. })
        ));
        let mut longer = f.clone();
        longer.extend_from_slice(&[9; 100]);
        assert_eq!(Frame::parse(&longer).unwrap().data.len(), 10 * WIDTH);
    }

    #[test]
    fn walk_stops_at_terminator_and_at_l() {
        let f = frame_bytes(5, &[(0, 2), (0, 3), (0, 0), (0x80, 9)], |_| 0);
        assert_eq!(Frame::parse(&f).unwrap().blocks.len(), 2);
        let f = frame_bytes(5, &[(0, 2), (1, 1), (0, 3), (0x82, 9)], |_| 0);
        assert_eq!(Frame::parse(&f).unwrap().blocks.len(), 3);
    }

    #[test]
    fn assembly_repeats_rows_after_a_not_present_block() {
        let f = frame_bytes(4, &[(0, 2), (1, 1), (0, 2)], |r| r as u8 + 1);
        let fr = Frame::parse(&f).unwrap();
        let raw = fr.assemble(fr.data);
        let row = |r: usize| raw[r * WIDTH];
        assert_eq!(
            [row(0), row(1), row(2), row(3), row(4), row(5)],
            [1, 2, 3, 3, 4, 0]
        );
    }

    #[test]
    fn hostile_tables_stay_in_bounds() {
        // 15 blocks of 255 lines, claiming far more rows than exist.
        let blocks = [(0u8, 255u8); 15];
        let f = frame_bytes(289, &blocks, |r| r as u8);
        let fr = Frame::parse(&f).unwrap();
        assert_eq!(fr.assemble(fr.data).len(), WIDTH * HEIGHT);
        let np = [(1u8, 255u8); 15];
        let f = frame_bytes(3, &np, |r| r as u8);
        let fr = Frame::parse(&f).unwrap();
        assert_eq!(fr.assemble(fr.data).len(), WIDTH * HEIGHT);
        let bad = frame_bytes(3, &[(0x03, 1), (0, 3)], |_| 7);
        let fr = Frame::parse(&bad).unwrap();
        assert_eq!(
            fr.descramble(&[1]),
            Err(FrameError::NotPresentScrambled { block: 0 })
        );
    }

    #[test]
    fn random_transfers_never_panic() {
        let mut x = 0x2545_F491u32;
        let mut next = move || {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            x
        };
        for _ in 0..3_000 {
            let len = (next() as usize) % (HEADER + 20 * WIDTH);
            let mut t: Vec<u8> = (0..len).map(|_| next() as u8).collect();
            if t.len() >= HEADER && next() % 2 == 0 {
                // Make the line count plausible so the walk and assembly run.
                let lines = (t.len() - HEADER) / WIDTH;
                t[4..6].copy_from_slice(&(lines as u16).to_le_bytes());
            }
            if let Ok(f) = Frame::parse(&t) {
                let keys: Vec<u32> = f.key_numbers().iter().map(|&k| u32::from(k) * 77).collect();
                if let Ok(d) = f.descramble(&keys) {
                    assert_eq!(f.assemble(&d).len(), WIDTH * HEIGHT);
                }
                let _ = f.is_scrambled();
            }
        }
    }

    #[test]
    fn finish_inverts_and_flips() {
        let mut raw = vec![0u8; WIDTH * HEIGHT];
        raw[0] = 200;
        let img = finish(raw.clone(), false);
        assert_eq!((img[0], img[1]), (55, 255));
        let img = finish(raw, true);
        assert_eq!(img[WIDTH * HEIGHT - 1], 55);
    }
}
