//! Payment link -> QR matrix; terminal (half-block) layout, ANSI, PNG and SVG output.
//! Always black on white with a quiet zone, whatever the theme.

use qrcode::{Color, EcLevel};

/// xterm-256 fixed colour 16 (#000000). Not ANSI 0, which themes remap.
pub const BLACK_256: u8 = 16;
/// xterm-256 fixed colour 231 (#ffffff). Not ANSI 7/15, which themes remap.
pub const WHITE_256: u8 = 231;
/// The quiet zone scanners expect.
pub const QUIET_FULL: usize = 4;
/// The smallest quiet zone we allow, used only when it makes the code fit.
pub const QUIET_MIN: usize = 2;

/// Why a QR code could not be made or written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QrError {
    #[error("the link is too long for a QR code ({0} bytes)")]
    TooLong(usize),
    #[error("could not make the QR code: {0}")]
    Encode(String),
    #[error("could not write the PNG image: {0}")]
    Png(String),
}

/// A QR symbol: `width` × `width` modules, row-major, `true` = dark.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QrCode {
    pub width: usize,
    pub modules: Vec<bool>,
}

/// Encodes `text` at error-correction level M, or L when M does not fit.
pub fn encode(text: &str) -> Result<QrCode, QrError> {
    use qrcode::types::QrError as LibError;
    let symbol = match qrcode::QrCode::with_error_correction_level(text, EcLevel::M) {
        Err(LibError::DataTooLong) => qrcode::QrCode::with_error_correction_level(text, EcLevel::L),
        other => other,
    }
    .map_err(|e| match e {
        LibError::DataTooLong => QrError::TooLong(text.len()),
        other => QrError::Encode(other.to_string()),
    })?;
    let width = symbol.width();
    let modules = symbol
        .to_colors()
        .into_iter()
        .map(|c| c == Color::Dark)
        .collect();
    Ok(QrCode { width, modules })
}

/// Black half-blocks on white, as the terminal draws them.
const SGR_BLACK_ON_WHITE: &str = "\x1b[38;5;16;48;5;231m";
const SGR_RESET: &str = "\x1b[0m";
/// Largest PNG side we write, in pixels.
const MAX_PNG_SIDE: usize = 8192;

impl QrCode {
    /// Dark module at (x, y); outside the symbol (the quiet zone) is light.
    pub fn is_dark(&self, x: usize, y: usize) -> bool {
        x < self.width && y < self.width && self.modules.get(y * self.width + x) == Some(&true)
    }

    /// Terminal cells needed with `quiet` modules of quiet zone: (columns, rows).
    /// One column per module, two module rows per text row.
    pub fn text_size(&self, quiet: usize) -> (u16, u16) {
        let side = self.side(quiet);
        let cols = u16::try_from(side).unwrap_or(u16::MAX);
        let rows = u16::try_from(side.div_ceil(2)).unwrap_or(u16::MAX);
        (cols, rows)
    }

    /// Modules per side including the quiet zone on both sides.
    fn side(&self, quiet: usize) -> usize {
        self.width.saturating_add(quiet.saturating_mul(2))
    }

    /// Dark module at (x, y) of the picture with a `quiet` border.
    fn dark_with_quiet(&self, quiet: usize, x: usize, y: usize) -> bool {
        match (x.checked_sub(quiet), y.checked_sub(quiet)) {
            (Some(x), Some(y)) => self.is_dark(x, y),
            _ => false,
        }
    }

    /// The quiet zone that fits in `cols` × `rows` cells (4, else 2), or `None` when even
    /// 2 does not fit: show the link and the size needed instead; never clip.
    pub fn fit(&self, cols: u16, rows: u16) -> Option<usize> {
        [QUIET_FULL, QUIET_MIN].into_iter().find(|&quiet| {
            let (need_cols, need_rows) = self.text_size(quiet);
            need_cols <= cols && need_rows <= rows
        })
    }

    /// Rows of ' ', '▀', '▄', '█': upper half = top module, lower half = bottom module,
    /// drawn with foreground black (`BLACK_256`) on background white (`WHITE_256`).
    pub fn half_block_lines(&self, quiet: usize) -> Vec<String> {
        let side = self.side(quiet);
        (0..side)
            .step_by(2)
            .map(|top| {
                (0..side)
                    .map(|x| {
                        let upper = self.dark_with_quiet(quiet, x, top);
                        let lower = self.dark_with_quiet(quiet, x, top + 1);
                        match (upper, lower) {
                            (true, true) => '█',
                            (true, false) => '▀',
                            (false, true) => '▄',
                            (false, false) => ' ',
                        }
                    })
                    .collect()
            })
            .collect()
    }

    /// The half-block lines with explicit SGR colours (38;5;16 on 48;5;231) and a reset at
    /// each line end, for printing in any terminal (`create --qr`, `history show --qr`).
    pub fn to_ansi(&self, quiet: usize) -> String {
        let mut out = String::new();
        for line in self.half_block_lines(quiet) {
            out.push_str(SGR_BLACK_ON_WHITE);
            out.push_str(&line);
            out.push_str(SGR_RESET);
            out.push('\n');
        }
        out
    }

    /// An SVG image, `scale` pixels per module.
    pub fn to_svg(&self, quiet: usize, scale: usize) -> String {
        let side = self.side(quiet);
        let pixels = side.saturating_mul(scale.max(1));
        // One path; each horizontal run of dark modules is one rectangle.
        let mut path = String::new();
        for y in 0..self.width {
            let mut x = 0;
            while x < self.width {
                if !self.is_dark(x, y) {
                    x += 1;
                    continue;
                }
                let start = x;
                while x < self.width && self.is_dark(x, y) {
                    x += 1;
                }
                let run = x - start;
                path.push_str(&format!("M{},{}h{run}v1h-{run}z", start + quiet, y + quiet));
            }
        }
        format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
             <svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" \
             width=\"{pixels}\" height=\"{pixels}\" viewBox=\"0 0 {side} {side}\" \
             shape-rendering=\"crispEdges\">\n\
             <rect width=\"{side}\" height=\"{side}\" fill=\"#ffffff\"/>\n\
             <path fill=\"#000000\" d=\"{path}\"/>\n\
             </svg>\n"
        )
    }

    /// A greyscale PNG image, `scale` pixels per module.
    pub fn to_png(&self, quiet: usize, scale: usize) -> Result<Vec<u8>, QrError> {
        let scale = scale.max(1);
        let pixels = self.side(quiet).saturating_mul(scale);
        if pixels > MAX_PNG_SIDE {
            return Err(QrError::Png(format!(
                "{pixels} pixels per side is too large (at most {MAX_PNG_SIDE}); use a smaller scale"
            )));
        }
        let side = u32::try_from(pixels).map_err(|e| QrError::Png(e.to_string()))?;
        let mut data = Vec::with_capacity(pixels * pixels);
        for py in 0..pixels {
            for px in 0..pixels {
                let dark = self.dark_with_quiet(quiet, px / scale, py / scale);
                data.push(if dark { 0u8 } else { 255u8 });
            }
        }
        let mut bytes = Vec::new();
        let mut encoder = png::Encoder::new(&mut bytes, side, side);
        encoder.set_color(png::ColorType::Grayscale);
        encoder.set_depth(png::BitDepth::Eight);
        let png_error = |e: png::EncodingError| QrError::Png(e.to_string());
        let mut writer = encoder.write_header().map_err(png_error)?;
        writer.write_image_data(&data).map_err(png_error)?;
        writer.finish().map_err(png_error)?;
        Ok(bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A 2×2 symbol: dark at (0,0) and (1,1).
    fn tiny() -> QrCode {
        QrCode {
            width: 2,
            modules: vec![true, false, false, true],
        }
    }

    #[test]
    fn half_blocks_pair_module_rows() {
        assert_eq!(tiny().half_block_lines(0), vec!["▀▄".to_string()]);
        // A quiet zone of 1 makes a 4×4 picture: two text rows of four columns.
        assert_eq!(
            tiny().half_block_lines(1),
            vec![" ▄  ".to_string(), "  ▀ ".to_string()]
        );
    }

    #[test]
    fn odd_sides_end_with_a_light_lower_half() {
        let code = QrCode {
            width: 1,
            modules: vec![true],
        };
        assert_eq!(code.half_block_lines(0), vec!["▀".to_string()]);
        assert_eq!(code.text_size(0), (1, 1));
        assert_eq!(code.text_size(4), (9, 5));
    }

    #[test]
    fn ansi_is_black_on_white_with_a_reset_on_every_line() {
        let ansi = tiny().to_ansi(1);
        let lines: Vec<&str> = ansi.lines().collect();
        assert_eq!(lines.len(), 2);
        for line in lines {
            assert!(line.starts_with("\x1b[38;5;16;48;5;231m"), "{line:?}");
            assert!(line.ends_with("\x1b[0m"), "{line:?}");
        }
    }

    #[test]
    fn fit_prefers_four_then_two_then_nothing() -> Result<(), QrError> {
        let code = encode("https://sandbox.juspay.in/x")?;
        let (full_cols, full_rows) = code.text_size(QUIET_FULL);
        let (min_cols, min_rows) = code.text_size(QUIET_MIN);
        assert_eq!(code.fit(full_cols, full_rows), Some(4));
        assert_eq!(code.fit(200, 200), Some(4));
        assert_eq!(code.fit(full_cols - 1, full_rows), Some(2));
        assert_eq!(code.fit(full_cols, full_rows - 1), Some(2));
        assert_eq!(code.fit(min_cols, min_rows), Some(2));
        assert_eq!(code.fit(min_cols - 1, min_rows), None);
        assert_eq!(code.fit(min_cols, min_rows - 1), None);
        assert_eq!(code.fit(0, 0), None);
        Ok(())
    }

    #[test]
    fn is_dark_outside_the_symbol_is_light() {
        let code = tiny();
        assert!(code.is_dark(0, 0));
        assert!(!code.is_dark(2, 0));
        assert!(!code.is_dark(usize::MAX, usize::MAX));
    }

    #[test]
    fn too_long_is_an_error_not_a_panic() {
        let text = "x".repeat(5000);
        assert_eq!(encode(&text), Err(QrError::TooLong(5000)));
    }

    #[test]
    fn falls_back_to_level_l_when_m_is_too_small() -> Result<(), QrError> {
        // 2331 bytes fit version 40 at M; 2900 only at L (max 2953).
        let code = encode(&"y".repeat(2900))?;
        assert_eq!(code.width, 177);
        Ok(())
    }

    #[test]
    fn svg_draws_every_dark_module() {
        let svg = tiny().to_svg(4, 8);
        assert!(svg.contains("viewBox=\"0 0 10 10\""), "{svg}");
        assert!(svg.contains("width=\"80\""), "{svg}");
        assert!(
            svg.contains("M4,4h1v1h-1z") && svg.contains("M5,5h1v1h-1z"),
            "{svg}"
        );
    }

    #[test]
    fn png_refuses_absurd_sizes() {
        assert!(matches!(tiny().to_png(4, 10_000), Err(QrError::Png(_))));
    }
}
