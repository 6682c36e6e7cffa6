//! Capture (sheet: *Sequence* step 3): queue the frame read, write MODE 0x20, read frames until
//! the caller's predicate settles, descrambling with keys fetched from the device.

use super::driver::Uru4000;
use super::frame::{finish, Frame, FrameError};
use super::geometry::{FRAME_MAX, HEIGHT, PPI, WIDTH};
use super::{mode, reg, EP_DATA};
use crate::error::{ScannerError, TransferError};
use crate::image::{CapturedImage, GrayImage};
use crate::scanner::CaptureOptions;
use crate::transport::Transport;

/// Endpoint address of the image endpoint, for error messages.
const EP_DATA_ADDR: u8 = 0x80 | EP_DATA;

impl<T: Transport> Uru4000<T> {
    /// Fetches the key for `key_number`: write `[number, seed LE]` to 0x33, read 0x34, XOR seed.
    async fn fetch_key(&mut self, key_number: u8) -> Result<u32, ScannerError> {
        let seed = self.next_seed();
        let s = seed.to_le_bytes();
        self.write_reg(
            reg::SCRAMBLE_INDEX,
            &[key_number, s[0], s[1], s[2], s[3]],
            "writing the scramble index",
        )
        .await?;
        let v = self
            .read_reg(reg::SCRAMBLE_KEY, 4, "reading the scramble key")
            .await?;
        self.stats.keys_fetched += 1;
        let word = [0, 1, 2, 3].map(|i| v.get(i).copied().unwrap_or(0));
        Ok(u32::from_le_bytes(word) ^ seed)
    }

    /// Turns one transfer into an image, or says why it is unusable.
    async fn decode(
        &mut self,
        transfer: &[u8],
        index: u32,
    ) -> Result<Result<CapturedImage, FrameError>, ScannerError> {
        let frame = match Frame::parse(transfer) {
            Ok(f) => f,
            Err(e) => return Ok(Err(e)),
        };
        let scrambled = frame.is_scrambled();
        let raw = if scrambled {
            let mut keys = Vec::new();
            for k in frame.key_numbers() {
                keys.push(self.fetch_key(k).await?);
            }
            match frame.descramble(&keys) {
                Ok(data) => frame.assemble(&data),
                Err(e) => return Ok(Err(e)),
            }
        } else {
            frame.assemble(frame.data)
        };
        let pixels = finish(raw, self.model.flip_180);
        let image = GrayImage::new(WIDTH as u32, HEIGHT as u32, pixels)?;
        Ok(Ok(CapturedImage {
            image,
            ppi: PPI,
            flipped: self.model.flip_180,
            scrambled,
            frame_index: index,
        }))
    }

    fn queue_frame_read(&mut self) -> Result<(), ScannerError> {
        self.transport
            .submit_in(EP_DATA, FRAME_MAX)
            .map_err(|e| ScannerError::from_transfer(e, EP_DATA_ADDR, "queueing a frame read"))
    }

    pub(crate) async fn capture_inner(
        &mut self,
        opts: &CaptureOptions,
        settled: &mut dyn FnMut(&CapturedImage) -> bool,
    ) -> Result<CapturedImage, ScannerError> {
        let start = self.transport.now_ms();
        let s = &mut self.stats;
        (s.frames_read, s.good_frames, s.bad_frames, s.settled) = (0, 0, 0, false);
        s.last_frame_problem = None;
        // libfprint queues the read before switching the mode on.
        self.queue_frame_read()?;
        self.set_mode(mode::CAPTURE).await?;
        let mut consecutive_bad = 0u32;
        loop {
            let problem = match self
                .transport
                .wait_in(EP_DATA, Some(opts.frame_timeout_ms))
                .await
            {
                Ok(transfer) => {
                    self.stats.frames_read += 1;
                    let index = self.stats.good_frames;
                    match self.decode(&transfer, index).await? {
                        Ok(image) => {
                            self.stats.good_frames += 1;
                            consecutive_bad = 0;
                            let now = self.transport.now_ms();
                            let is_settled = settled(&image);
                            let out_of_time = now - start >= f64::from(opts.timeout_ms);
                            if is_settled
                                || self.stats.good_frames >= opts.max_frames
                                || out_of_time
                            {
                                self.stats.settled = is_settled;
                                self.stats.capture_ms = now - start;
                                self.stats.finger_to_image_ms =
                                    self.finger_on_at.map_or(0.0, |t| now - t);
                                return Ok(image);
                            }
                            None
                        }
                        Err(problem) => Some(problem),
                    }
                }
                Err(TransferError::Stall) => {
                    self.stats.stalls += 1;
                    self.transport.clear_halt(EP_DATA).await.map_err(|e| {
                        ScannerError::from_transfer(e, EP_DATA_ADDR, "clearing the image endpoint")
                    })?;
                    Some(FrameError::Stalled)
                }
                Err(TransferError::Timeout) => {
                    return Err(ScannerError::FrameTimeout {
                        waited_ms: opts.frame_timeout_ms,
                    })
                }
                Err(e) => {
                    return Err(ScannerError::from_transfer(
                        e,
                        EP_DATA_ADDR,
                        "reading a frame",
                    ))
                }
            };
            if let Some(problem) = problem {
                self.stats.bad_frames += 1;
                self.stats.last_frame_problem = Some(problem.code());
                consecutive_bad += 1;
                if consecutive_bad >= opts.max_bad_frames.max(1) {
                    return Err(match problem {
                        FrameError::Stalled => ScannerError::Stall {
                            endpoint: EP_DATA_ADDR,
                            what: "reading frames",
                        },
                        last => ScannerError::BadFrames {
                            count: consecutive_bad,
                            last,
                        },
                    });
                }
            }
            self.queue_frame_read()?;
        }
    }
}
