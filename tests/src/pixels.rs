//! Comparing screenshots: how many pixels of two PNGs differ.

/// A decoded screenshot: width, height and RGBA pixels.
pub struct Picture {
    /// Width in device pixels.
    pub width: u32,
    /// Height in device pixels.
    pub height: u32,
    rgba: Vec<u8>,
}

impl Picture {
    /// Decodes a PNG (as WebDriver's screenshots are).
    pub fn from_png(bytes: &[u8]) -> anyhow::Result<Self> {
        let mut decoder = png::Decoder::new(bytes);
        decoder.set_transformations(png::Transformations::normalize_to_color8());
        let mut reader = decoder.read_info()?;
        let mut buffer = vec![0; reader.output_buffer_size()];
        let info = reader.next_frame(&mut buffer)?;
        buffer.truncate(info.buffer_size());
        let channels = info.color_type.samples();
        let rgba = buffer
            .chunks(channels)
            .flat_map(|px| match channels {
                4 => [px[0], px[1], px[2], px[3]],
                3 => [px[0], px[1], px[2], 255],
                _ => [px[0], px[0], px[0], 255],
            })
            .collect();
        Ok(Picture {
            width: info.width,
            height: info.height,
            rgba,
        })
    }

    /// The share of pixels (0 to 1) whose colour differs by more than a little anti-aliasing;
    /// 1 when the sizes differ.
    pub fn difference(&self, other: &Picture) -> f64 {
        if (self.width, self.height) != (other.width, other.height) {
            return 1.0;
        }
        let differing = self
            .rgba
            .chunks(4)
            .zip(other.rgba.chunks(4))
            .filter(|(a, b)| a.iter().zip(b.iter()).any(|(x, y)| x.abs_diff(*y) > 24))
            .count();
        differing as f64 / f64::from(self.width * self.height)
    }
}
