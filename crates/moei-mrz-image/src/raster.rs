//! A grey-level image held as `f32` luminance (0 black, 255 white), with the
//! few operations the reader and the generator need.

#[derive(Debug, Clone, PartialEq)]
pub struct Raster {
    width: usize,
    height: usize,
    data: Vec<f32>,
}

impl Raster {
    pub fn new(width: usize, height: usize, fill: f32) -> Raster {
        Raster {
            width,
            height,
            data: vec![fill; width * height],
        }
    }

    pub fn from_luma8(width: usize, height: usize, pixels: &[u8]) -> Raster {
        Raster {
            width,
            height,
            data: pixels.iter().map(|&p| f32::from(p)).collect(),
        }
    }

    /// Pixels rounded and clamped to 0–255.
    pub fn to_luma8(&self) -> Vec<u8> {
        self.data
            .iter()
            .map(|&v| v.round().clamp(0.0, 255.0) as u8)
            .collect()
    }

    pub fn width(&self) -> usize {
        self.width
    }

    pub fn height(&self) -> usize {
        self.height
    }

    pub(crate) fn data_mut(&mut self) -> &mut [f32] {
        &mut self.data
    }

    pub fn get(&self, x: usize, y: usize) -> f32 {
        self.data[y * self.width + x]
    }

    fn index(&self, x: i64, y: i64) -> Option<usize> {
        let (w, h) = (self.width as i64, self.height as i64);
        (x >= 0 && y >= 0 && x < w && y < h).then(|| (y * w + x) as usize)
    }

    /// Moves pixel (x, y) towards `ink` by `coverage` (0–1); outside is ignored.
    pub(crate) fn blend(&mut self, x: i64, y: i64, ink: f32, coverage: f32) {
        if let Some(i) = self.index(x, y) {
            let c = coverage.clamp(0.0, 1.0);
            self.data[i] = self.data[i] * (1.0 - c) + ink * c;
        }
    }

    /// Fills the axis-aligned rectangle with `value(x, y)`.
    pub(crate) fn fill_rect(
        &mut self,
        x0: usize,
        y0: usize,
        x1: usize,
        y1: usize,
        value: impl Fn(usize, usize) -> f32,
    ) {
        for y in y0..y1.min(self.height) {
            for x in x0..x1.min(self.width) {
                self.data[y * self.width + x] = value(x, y);
            }
        }
    }

    /// Bilinear sample at a real position; `None` outside the image.
    pub fn sample(&self, x: f32, y: f32) -> Option<f32> {
        if !(x >= 0.0 && y >= 0.0) {
            return None;
        }
        let (x0, y0) = (x.floor() as usize, y.floor() as usize);
        if x0 + 1 >= self.width || y0 + 1 >= self.height {
            // The last row and column: nearest pixel, if inside.
            return (x0 < self.width && y0 < self.height).then(|| self.get(x0, y0));
        }
        let (fx, fy) = (x - x0 as f32, y - y0 as f32);
        let i = y0 * self.width + x0;
        let top = self.data[i] * (1.0 - fx) + self.data[i + 1] * fx;
        let bottom = self.data[i + self.width] * (1.0 - fx) + self.data[i + self.width + 1] * fx;
        Some(top * (1.0 - fy) + bottom * fy)
    }

    /// Separable Gaussian blur with standard deviation `sigma` pixels.
    pub fn gaussian_blur(&self, sigma: f32) -> Raster {
        if sigma <= 0.05 {
            return self.clone();
        }
        let radius = (sigma * 3.0).ceil() as i64;
        let kernel: Vec<f32> = (-radius..=radius)
            .map(|i| (-(i * i) as f32 / (2.0 * sigma * sigma)).exp())
            .collect();
        let total: f32 = kernel.iter().sum();
        let kernel: Vec<f32> = kernel.iter().map(|k| k / total).collect();
        let horizontal = self.convolve(&kernel, radius, true);
        horizontal.convolve(&kernel, radius, false)
    }

    fn convolve(&self, kernel: &[f32], radius: i64, horizontal: bool) -> Raster {
        let (w, h) = (self.width as i64, self.height as i64);
        let mut out = Raster::new(self.width, self.height, 0.0);
        for y in 0..h {
            for x in 0..w {
                let mut acc = 0.0;
                for (k, weight) in kernel.iter().enumerate() {
                    let d = k as i64 - radius;
                    let (sx, sy) = if horizontal {
                        ((x + d).clamp(0, w - 1), y)
                    } else {
                        (x, (y + d).clamp(0, h - 1))
                    };
                    acc += weight * self.data[(sy * w + sx) as usize];
                }
                out.data[(y * w + x) as usize] = acc;
            }
        }
        out
    }

    /// Shrinks by averaging boxes of source pixels (area resampling), so
    /// that a lower resolution loses detail the way a coarser sensor does.
    pub fn downscale(&self, factor: f32) -> Raster {
        if factor <= 1.0 {
            return self.clone();
        }
        let w = ((self.width as f32 / factor).floor() as usize).max(1);
        let h = ((self.height as f32 / factor).floor() as usize).max(1);
        let mut out = Raster::new(w, h, 0.0);
        for y in 0..h {
            let sy0 = (y as f32 * factor) as usize;
            let sy1 = (((y + 1) as f32 * factor) as usize).clamp(sy0 + 1, self.height);
            for x in 0..w {
                let sx0 = (x as f32 * factor) as usize;
                let sx1 = (((x + 1) as f32 * factor) as usize).clamp(sx0 + 1, self.width);
                let mut acc = 0.0;
                for sy in sy0..sy1 {
                    acc += self.data[sy * self.width + sx0..sy * self.width + sx1]
                        .iter()
                        .sum::<f32>();
                }
                out.data[y * w + x] = acc / ((sy1 - sy0) * (sx1 - sx0)) as f32;
            }
        }
        out
    }
}
