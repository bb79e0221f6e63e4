//! The desk's use of QR codes: encode a link (`crate::qr`), save it as PNG + SVG.

use std::path::{Path, PathBuf};

pub use crate::qr::{QUIET_FULL, QrCode};

/// Encodes a payment link that `links::checked` allows; the error is a sentence for the
/// screen.
pub fn encode(text: &str) -> Result<QrCode, String> {
    let link = crate::links::checked(text)?;
    crate::qr::encode(link).map_err(|e| e.to_string())
}

/// A file name safe on every platform, from an order id.
fn file_stem(order_id: &str) -> String {
    let stem: String = order_id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .take(64)
        .collect();
    if stem.is_empty() {
        "order".into()
    } else {
        stem
    }
}

/// Saves `<dir>/<order_id>.png` and `.svg`; returns both paths.
pub fn save(dir: &Path, order_id: &str, link: &str) -> Result<(PathBuf, PathBuf), String> {
    let code = encode(link)?;
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let stem = file_stem(order_id);
    let png_path = dir.join(format!("{stem}.png"));
    let svg_path = dir.join(format!("{stem}.svg"));
    let png = code.to_png(QUIET_FULL, 8).map_err(|e| e.to_string())?;
    std::fs::write(&png_path, png).map_err(|e| format!("{}: {e}", png_path.display()))?;
    std::fs::write(&svg_path, code.to_svg(QUIET_FULL, 8))
        .map_err(|e| format!("{}: {e}", svg_path.display()))?;
    Ok((png_path, svg_path))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn saved_files_land_in_the_directory() {
        let Ok(dir) = tempfile::tempdir() else {
            panic!("tempdir")
        };
        let Ok((png, svg)) = save(&dir.path().join("qr"), "ORD/1", "https://x.test/p") else {
            panic!("save failed")
        };
        assert!(png.ends_with("ORD_1.png"));
        let bytes = std::fs::read(&png).unwrap_or_default();
        assert!(bytes.starts_with(b"\x89PNG"));
        let text = std::fs::read_to_string(&svg).unwrap_or_default();
        assert!(text.contains("<svg"), "{text}");
    }
}
