//! The QR code must scan: each output (PNG, terminal half blocks, ANSI, SVG) is decoded
//! with a real QR decoder (rqrr) and must give back exactly the payment link.

use paydesk::qr::{self, QUIET_FULL, QUIET_MIN, QrCode};

/// A 110-character payment link as Juspay's sandbox returns them.
const LINK: &str = "https://sandbox.assets.juspay.in/payment-page/order/ordv2_80e53a249d0d4c14b57cef3593304cb1?x=abcdefghijklmnopq";

fn decode_bitmap(side: usize, dark: impl Fn(usize, usize) -> bool) -> Vec<String> {
    // Scale every module to 4×4 pixels, as a camera would see a sharp print.
    const PX: usize = 4;
    decode_luma(side * PX, side * PX, |x, y| {
        if dark(x / PX, y / PX) { 0 } else { 255 }
    })
}

fn decode_luma(w: usize, h: usize, luma: impl FnMut(usize, usize) -> u8) -> Vec<String> {
    let mut image = rqrr::PreparedImage::prepare_from_greyscale(w, h, luma);
    image
        .detect_grids()
        .iter()
        .filter_map(|grid| grid.decode().ok().map(|(_, text)| text))
        .collect()
}

fn code() -> QrCode {
    assert_eq!(LINK.len(), 110);
    qr::encode(LINK).expect("a 110-character link encodes")
}

#[test]
fn png_decodes_to_the_link() {
    let code = code();
    for (quiet, scale) in [(QUIET_FULL, 4), (QUIET_MIN, 3), (QUIET_FULL, 1)] {
        let bytes = code.to_png(quiet, scale).expect("png");
        let decoder = png::Decoder::new(std::io::Cursor::new(bytes));
        let mut reader = decoder.read_info().expect("png header");
        let mut luma = vec![0; reader.output_buffer_size().expect("size")];
        let info = reader.next_frame(&mut luma).expect("png frame");
        assert_eq!(info.color_type, png::ColorType::Grayscale);
        let (w, h) = (info.width as usize, info.height as usize);
        assert_eq!(w, (code.width + 2 * quiet) * scale);
        // Each module's pixels sit exactly where the symbol says, quiet zone included.
        for y in 0..code.width {
            for x in 0..code.width {
                for (dx, dy) in [(0, 0), (scale - 1, scale - 1)] {
                    let px = (x + quiet) * scale + dx;
                    let py = (y + quiet) * scale + dy;
                    let expected = if code.is_dark(x, y) { 0 } else { 255 };
                    assert_eq!(luma[py * info.line_size + px], expected, "module ({x},{y})");
                }
            }
        }
        assert!(
            luma[..quiet * scale * info.line_size]
                .iter()
                .all(|&p| p == 255)
        );
        // Upscale tiny images so the detector has pixels to work with.
        let up = if scale < 3 { 4 } else { 1 };
        let decoded = decode_luma(w * up, h * up, |x, y| {
            luma.get((y / up) * info.line_size + x / up)
                .copied()
                .unwrap_or(255)
        });
        assert_eq!(decoded, [LINK], "quiet {quiet}, scale {scale}");
    }
}

/// Turns half-block rows back into a module bitmap: upper half = even row, lower = odd.
fn bitmap_from_half_blocks(lines: &[String]) -> (usize, Vec<Vec<bool>>) {
    let side = lines.first().map(|l| l.chars().count()).unwrap_or(0);
    let mut rows = Vec::new();
    for line in lines {
        assert_eq!(line.chars().count(), side, "every row has the same width");
        let (upper, lower): (Vec<bool>, Vec<bool>) = line
            .chars()
            .map(|c| match c {
                '█' => (true, true),
                '▀' => (true, false),
                '▄' => (false, true),
                ' ' => (false, false),
                other => panic!("unexpected character {other:?} in the QR rows"),
            })
            .unzip();
        rows.push(upper);
        rows.push(lower);
    }
    (side, rows)
}

#[test]
fn half_block_lines_decode_to_the_link() {
    let code = code();
    for quiet in [QUIET_FULL, QUIET_MIN] {
        let lines = code.half_block_lines(quiet);
        let (cols, rows) = code.text_size(quiet);
        assert_eq!(lines.len(), rows as usize);
        let (side, bitmap) = bitmap_from_half_blocks(&lines);
        assert_eq!(side, cols as usize);
        let decoded = decode_bitmap(side, |x, y| {
            bitmap
                .get(y)
                .and_then(|row| row.get(x))
                .copied()
                .unwrap_or(false)
        });
        assert_eq!(decoded, [LINK], "quiet {quiet}");
    }
}

#[test]
fn ansi_output_decodes_to_the_link_and_is_black_on_white() {
    let code = code();
    let ansi = code.to_ansi(QUIET_FULL);
    let lines: Vec<String> = ansi
        .lines()
        .map(|line| {
            let inner = line
                .strip_prefix("\u{1b}[38;5;16;48;5;231m")
                .and_then(|l| l.strip_suffix("\u{1b}[0m"))
                .expect("every line is black-on-white and reset at its end");
            inner.to_string()
        })
        .collect();
    let (side, bitmap) = bitmap_from_half_blocks(&lines);
    let decoded = decode_bitmap(side, |x, y| {
        bitmap
            .get(y)
            .and_then(|row| row.get(x))
            .copied()
            .unwrap_or(false)
    });
    assert_eq!(decoded, [LINK]);
}

#[test]
fn svg_decodes_to_the_link() {
    let code = code();
    let svg = code.to_svg(QUIET_FULL, 8);
    let side = code.width + 2 * QUIET_FULL;
    assert!(svg.contains(&format!("viewBox=\"0 0 {side} {side}\"")));
    // Read back the path: "M{x},{y}h{run}v1h-{run}z" per horizontal run.
    let d = svg
        .split(" d=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("path");
    let mut bitmap = vec![vec![false; side]; side];
    for rect in d.split('z').filter(|r| !r.is_empty()) {
        let rect = rect.strip_prefix('M').expect("move");
        let (xy, rest) = rect.split_once('h').expect("run");
        let (x, y) = xy.split_once(',').expect("x,y");
        let run = rest.split('v').next().expect("run length");
        let (x, y, run): (usize, usize, usize) = (
            x.parse().expect("x"),
            y.parse().expect("y"),
            run.parse().expect("run"),
        );
        for cell in &mut bitmap[y][x..x + run] {
            *cell = true;
        }
    }
    assert_eq!(decode_bitmap(side, |x, y| bitmap[y][x]), [LINK]);
}

#[test]
fn every_module_matches_between_outputs() {
    // The half blocks and the symbol agree cell by cell (no off-by-one in the quiet zone).
    let code = code();
    let (_, bitmap) = bitmap_from_half_blocks(&code.half_block_lines(QUIET_FULL));
    for y in 0..code.width {
        for x in 0..code.width {
            assert_eq!(
                bitmap[y + QUIET_FULL][x + QUIET_FULL],
                code.is_dark(x, y),
                "({x},{y})"
            );
        }
    }
    for row in bitmap.iter().take(QUIET_FULL) {
        assert!(row.iter().all(|dark| !dark), "the quiet zone is light");
    }
}
