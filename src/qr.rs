//! Payment link -> QR matrix; terminal (half-block) layout, ANSI, PNG and SVG output.
//! Always black on white with a quiet zone, whatever the theme.

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
    let _ = text;
    todo!("config helper")
}

impl QrCode {
    /// Dark module at (x, y); outside the symbol (the quiet zone) is light.
    pub fn is_dark(&self, x: usize, y: usize) -> bool {
        x < self.width && y < self.width && self.modules.get(y * self.width + x) == Some(&true)
    }

    /// Terminal cells needed with `quiet` modules of quiet zone: (columns, rows).
    /// One column per module, two module rows per text row.
    pub fn text_size(&self, quiet: usize) -> (u16, u16) {
        let _ = quiet;
        todo!("config helper")
    }

    /// The quiet zone that fits in `cols` × `rows` cells (4, else 2), or `None` when even
    /// 2 does not fit: show the link and the size needed instead; never clip.
    pub fn fit(&self, cols: u16, rows: u16) -> Option<usize> {
        let _ = (cols, rows);
        todo!("config helper")
    }

    /// Rows of ' ', '▀', '▄', '█': upper half = top module, lower half = bottom module,
    /// drawn with foreground black (`BLACK_256`) on background white (`WHITE_256`).
    pub fn half_block_lines(&self, quiet: usize) -> Vec<String> {
        let _ = quiet;
        todo!("config helper")
    }

    /// The half-block lines with explicit SGR colours (38;5;16 on 48;5;231) and a reset at
    /// each line end, for printing in any terminal (`create --qr`, `history show --qr`).
    pub fn to_ansi(&self, quiet: usize) -> String {
        let _ = quiet;
        todo!("config helper")
    }

    /// An SVG image, `scale` pixels per module.
    pub fn to_svg(&self, quiet: usize, scale: usize) -> String {
        let _ = (quiet, scale);
        todo!("config helper")
    }

    /// A greyscale PNG image, `scale` pixels per module.
    pub fn to_png(&self, quiet: usize, scale: usize) -> Result<Vec<u8>, QrError> {
        let _ = (quiet, scale);
        todo!("config helper")
    }
}
