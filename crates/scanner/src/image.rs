//! Gray images in and out of the scanners, and the rule that fits any image to a sensor.

use crate::error::ScannerError;

/// An 8-bit gray image, row-major, `width × height` bytes, 0 = black.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GrayImage {
    width: u32,
    height: u32,
    pixels: Vec<u8>,
}

impl GrayImage {
    /// Wraps a pixel buffer; its length must be exactly `width × height` (both non-zero).
    pub fn new(width: u32, height: u32, pixels: Vec<u8>) -> Result<Self, ScannerError> {
        let expected = (width as usize).checked_mul(height as usize);
        if width == 0 || height == 0 || expected != Some(pixels.len()) {
            return Err(ScannerError::InvalidImage {
                width,
                height,
                len: pixels.len(),
            });
        }
        Ok(Self {
            width,
            height,
            pixels,
        })
    }

    /// A uniform image.
    pub fn filled(width: u32, height: u32, value: u8) -> Result<Self, ScannerError> {
        Self::new(
            width,
            height,
            vec![value; (width as usize) * (height as usize)],
        )
    }

    /// Width in pixels.
    pub fn width(&self) -> u32 {
        self.width
    }

    /// Height in pixels.
    pub fn height(&self) -> u32 {
        self.height
    }

    /// The pixels, row-major.
    pub fn pixels(&self) -> &[u8] {
        &self.pixels
    }

    /// Consumes the image, returning its pixels.
    pub fn into_pixels(self) -> Vec<u8> {
        self.pixels
    }

    /// The pixel at `(x, y)`, or `None` outside the image.
    pub fn get(&self, x: u32, y: u32) -> Option<u8> {
        if x >= self.width || y >= self.height {
            return None;
        }
        self.pixels
            .get(y as usize * self.width as usize + x as usize)
            .copied()
    }

    /// Fits the image to a `width × height` sensor **without scaling** (a 500 ppi print stays
    /// 500 ppi): each axis is centre-cropped when the source is larger and centre-padded with white
    /// (255, the background of a press sensor) when it is smaller. When the difference is odd the
    /// extra pixel is cropped from / padded at the right or bottom edge. An image of exactly the
    /// sensor size is returned unchanged.
    pub fn fit_to(&self, width: u32, height: u32) -> GrayImage {
        let (w, h) = (width as usize, height as usize);
        let (sw, sh) = (self.width as usize, self.height as usize);
        let mut out = vec![255u8; w * h];
        // Source offset (crop) and destination offset (pad) per axis.
        let (sx, dx) = if sw >= w {
            ((sw - w) / 2, 0)
        } else {
            (0, (w - sw) / 2)
        };
        let (sy, dy) = if sh >= h {
            ((sh - h) / 2, 0)
        } else {
            (0, (h - sh) / 2)
        };
        let cw = sw.min(w);
        let ch = sh.min(h);
        for row in 0..ch {
            let src = (sy + row) * sw + sx;
            let dst = (dy + row) * w + dx;
            if let (Some(s), Some(d)) = (self.pixels.get(src..src + cw), out.get_mut(dst..dst + cw))
            {
                d.copy_from_slice(s);
            }
        }
        GrayImage {
            width,
            height,
            pixels: out,
        }
    }
}

/// An image produced by a scanner.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CapturedImage {
    /// The pixels: dark ridges on a light background.
    pub image: GrayImage,
    /// Nominal resolution in pixels per inch.
    pub ppi: u16,
    /// Whether the driver turned the raw frame by 180° (per-model flag).
    pub flipped: bool,
    /// Whether the frame was scrambled on the wire.
    pub scrambled: bool,
    /// 0-based index of the good frame this image came from within its capture.
    pub frame_index: u32,
}

#[cfg(test)]
mod tests {
    use super::GrayImage;

    fn ramp(w: u32, h: u32) -> GrayImage {
        let px = (0..w * h).map(|i| (i % 251) as u8).collect();
        GrayImage::new(w, h, px).unwrap()
    }

    #[test]
    fn rejects_bad_buffers() {
        assert!(GrayImage::new(2, 2, vec![0; 3]).is_err());
        assert!(GrayImage::new(0, 2, vec![]).is_err());
    }

    #[test]
    fn same_size_is_identity() {
        let img = ramp(384, 290);
        assert_eq!(img.fit_to(384, 290), img);
    }

    #[test]
    fn larger_is_centre_cropped() {
        let img = ramp(10, 9);
        let fit = img.fit_to(4, 4);
        // Crop offsets: x (10-4)/2 = 3, y (9-4)/2 = 2.
        for y in 0..4 {
            for x in 0..4 {
                assert_eq!(fit.get(x, y), img.get(x + 3, y + 2));
            }
        }
    }

    #[test]
    fn smaller_is_centre_padded_white() {
        let img = GrayImage::filled(3, 2, 7).unwrap();
        let fit = img.fit_to(6, 5);
        // Pad offsets: x (6-3)/2 = 1, y (5-2)/2 = 1.
        for y in 0..5 {
            for x in 0..6 {
                let inside = (1..4).contains(&x) && (1..3).contains(&y);
                assert_eq!(fit.get(x, y), Some(if inside { 7 } else { 255 }), "{x},{y}");
            }
        }
    }

    #[test]
    fn mixed_axes() {
        let img = ramp(8, 2);
        let fit = img.fit_to(4, 4);
        assert_eq!(fit.get(0, 0), Some(255));
        assert_eq!(fit.get(0, 1), img.get(2, 0));
        assert_eq!(fit.get(3, 2), img.get(5, 1));
        assert_eq!(fit.get(3, 3), Some(255));
    }
}
