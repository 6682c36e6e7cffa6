//! The wavelet split tree (20 nodes) and the 64-subband quantisation tree.
//!
//! WSQ reference §2.4 (w-tree) and §2.5 (q-tree); FBI IAFIS-IC-0110 §3 (subband decomposition).
//! Both trees depend only on the image size, so encoder and decoder build the same ones.

/// Number of split nodes in the wavelet tree.
pub(crate) const W_TREE_LEN: usize = 20;
/// Number of subbands (0..=59 coded, 60..=63 never transmitted).
pub(crate) const NUM_SUBBANDS: usize = 60;
/// Total entries of the DQT table.
pub(crate) const MAX_SUBBANDS: usize = 64;
/// First subband of block 2.
pub(crate) const BLOCK2_START: usize = 19;
/// First subband of block 3.
pub(crate) const BLOCK3_START: usize = 52;

/// A rectangle of the transformed image with its spectral-inversion flags.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Region {
    pub x: usize,
    pub y: usize,
    pub w: usize,
    pub h: usize,
    /// Rows are stored high band first ("inv_rw" in NBIS).
    pub inv_x: bool,
    /// Columns are stored high band first ("inv_cl" in NBIS).
    pub inv_y: bool,
}

impl Region {
    pub(crate) fn area(&self) -> usize {
        self.w * self.h
    }

    /// The four quadrants TL, TR, BL, BR left by one split of this region. The first part of
    /// an odd length is the larger one unless the axis is inverted; a quadrant's own flags
    /// depend only on its position.
    pub(crate) fn quadrants(&self) -> [Region; 4] {
        let (w1, w2) = half(self.w, self.inv_x);
        let (h1, h2) = half(self.h, self.inv_y);
        let q = |x, y, w, h, inv_x, inv_y| Region {
            x,
            y,
            w,
            h,
            inv_x,
            inv_y,
        };
        [
            q(self.x, self.y, w1, h1, false, false),
            q(self.x + w1, self.y, w2, h1, true, false),
            q(self.x, self.y + h1, w1, h2, false, true),
            q(self.x + w1, self.y + h1, w2, h2, true, true),
        ]
    }
}

/// Lengths of the two halves of a split of `n` samples (low band, high band as stored).
pub(crate) fn half(n: usize, inv: bool) -> (usize, usize) {
    if inv {
        (n / 2, n.div_ceil(2))
    } else {
        (n.div_ceil(2), n / 2)
    }
}

/// Both trees for one image size.
#[derive(Debug, Clone)]
pub(crate) struct Trees {
    pub w: [Region; W_TREE_LEN],
    pub q: [Region; MAX_SUBBANDS],
}

impl Trees {
    pub(crate) fn new(width: usize, height: usize) -> Trees {
        let mut w = [Region::default(); W_TREE_LEN];
        w[0] = Region {
            x: 0,
            y: 0,
            w: width,
            h: height,
            inv_x: false,
            inv_y: false,
        };
        let q0 = w[0].quadrants();
        w[1] = q0[0];
        w[2] = q0[1];
        w[3] = q0[2];
        let q1 = w[1].quadrants();
        w[4] = q1[1];
        w[5] = q1[2];
        w[14] = q1[0];
        let (q4, q5, q14) = (w[4].quadrants(), w[5].quadrants(), w[14].quadrants());
        w[6..10].copy_from_slice(&q4);
        w[10..14].copy_from_slice(&q5);
        w[15..19].copy_from_slice(&q14);
        w[19] = w[15].quadrants()[0];

        let mut q = [Region::default(); MAX_SUBBANDS];
        q[0..4].copy_from_slice(&w[19].quadrants());
        let leaves = |node: usize| -> [Region; 16] {
            let mut out = [Region::default(); 16];
            for (c, child) in w[node].quadrants().iter().enumerate() {
                out[4 * c..4 * c + 4].copy_from_slice(&child.quadrants());
            }
            out
        };
        q[4..19].copy_from_slice(&leaves(14)[1..]);
        q[19..35].copy_from_slice(&leaves(4));
        q[35..51].copy_from_slice(&leaves(5));
        q[51] = q1[3];
        q[52..56].copy_from_slice(&w[2].quadrants());
        q[56..60].copy_from_slice(&w[3].quadrants());
        q[60..64].copy_from_slice(&q0[3].quadrants());
        Trees { w, q }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn xywh(r: &Region) -> (usize, usize, usize, usize) {
        (r.x, r.y, r.w, r.h)
    }

    /// The worked example of WSQ reference §2.5 (384 x 290).
    #[test]
    fn example_384x290() {
        let t = Trees::new(384, 290);
        assert_eq!(xywh(&t.w[1]), (0, 0, 192, 145));
        assert_eq!(xywh(&t.w[2]), (192, 0, 192, 145));
        assert_eq!(xywh(&t.w[3]), (0, 145, 192, 145));
        assert_eq!(xywh(&t.w[4]), (96, 0, 96, 73));
        assert_eq!(xywh(&t.w[5]), (0, 73, 96, 72));
        assert_eq!(xywh(&t.w[6]), (96, 0, 48, 37));
        assert_eq!(xywh(&t.w[7]), (144, 0, 48, 37));
        assert_eq!(xywh(&t.w[8]), (96, 37, 48, 36));
        assert_eq!(xywh(&t.w[9]), (144, 37, 48, 36));
        assert_eq!(xywh(&t.w[10]), (0, 73, 48, 36));
        assert_eq!(xywh(&t.w[12]), (0, 109, 48, 36));
        assert_eq!(xywh(&t.w[14]), (0, 0, 96, 73));
        assert_eq!(xywh(&t.w[15]), (0, 0, 48, 37));
        assert_eq!(xywh(&t.w[17]), (0, 37, 48, 36));
        assert_eq!(xywh(&t.w[19]), (0, 0, 24, 19));
        let expect = [
            (0, (0, 0, 12, 10)),
            (1, (12, 0, 12, 10)),
            (2, (0, 10, 12, 9)),
            (3, (12, 10, 12, 9)),
            (4, (24, 0, 24, 19)),
            (5, (0, 19, 24, 18)),
            (19, (96, 0, 24, 19)),
            (35, (0, 73, 24, 18)),
            (51, (96, 73, 96, 72)),
            (52, (192, 0, 96, 73)),
            (54, (192, 73, 96, 72)),
            (56, (0, 145, 96, 72)),
            (58, (0, 217, 96, 73)),
            (59, (96, 217, 96, 73)),
        ];
        for (k, r) in expect {
            assert_eq!(xywh(&t.q[k]), r, "subband {k}");
        }
    }

    /// The 60 coded subbands plus the 4 uncoded ones tile the image exactly.
    #[test]
    fn subbands_tile_the_image() {
        for (w, h) in [
            (81, 81),
            (400, 500),
            (371, 387),
            (1, 1),
            (7, 3),
            (2000, 999),
        ] {
            let t = Trees::new(w, h);
            let mut cover = vec![0u8; w * h];
            for r in &t.q {
                for y in r.y..r.y + r.h {
                    for x in r.x..r.x + r.w {
                        cover[y * w + x] += 1;
                    }
                }
            }
            assert!(cover.iter().all(|&c| c == 1), "{w}x{h}");
        }
    }
}
