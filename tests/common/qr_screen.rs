//! The QR code and the link as the desk draws them in the pseudo-terminal, read back from
//! the terminal's cells. Included with `#[path]` by the PTY tests that check a QR.
#![allow(dead_code)] // each test file uses a different subset

use crate::pty::{COLS, ROWS};

/// The screen as pixels (two per cell), dark where the QR's black is; only cells in the
/// QR's colours (black 16 on white 231) count.
pub fn decode_qr(screen: &vt100::Screen) -> Vec<String> {
    const PX: usize = 4;
    let (w, h) = (COLS as usize, ROWS as usize * 2);
    let mut dark = vec![false; w * h];
    for row in 0..ROWS {
        for col in 0..COLS {
            let Some(cell) = screen.cell(row, col) else {
                continue;
            };
            if cell.bgcolor() != vt100::Color::Idx(231) {
                continue;
            }
            let black = cell.fgcolor() == vt100::Color::Idx(16);
            let (upper, lower) = match cell.contents() {
                "█" => (black, black),
                "▀" => (black, false),
                "▄" => (false, black),
                _ => (false, false),
            };
            let (x, y) = (col as usize, row as usize * 2);
            dark[y * w + x] = upper;
            dark[(y + 1) * w + x] = lower;
        }
    }
    let mut image = rqrr::PreparedImage::prepare_from_greyscale(w * PX, h * PX, |x, y| {
        if dark[(y / PX) * w + x / PX] { 0 } else { 255 }
    });
    image
        .detect_grids()
        .iter()
        .filter_map(|g| g.decode().ok().map(|(_, t)| t))
        .collect()
}

/// The link as printed beside the QR: the `Link` row and its continuation rows.
pub fn link_text(screen: &vt100::Screen) -> String {
    const LABEL: &str = "Link       ";
    let rows: Vec<Vec<char>> = screen.rows(0, COLS).map(|r| r.chars().collect()).collect();
    let label: Vec<char> = LABEL.chars().collect();
    let Some((start, col)) = rows.iter().enumerate().find_map(|(i, r)| {
        r.windows(label.len())
            .position(|w| w == label.as_slice())
            .map(|c| (i, c))
    }) else {
        return String::new();
    };
    let value_col = col + label.len();
    let mut link = String::new();
    for (i, row) in rows.iter().enumerate().skip(start) {
        let head: String = row.iter().skip(col).take(label.len()).collect();
        if i > start && !head.trim().is_empty() {
            break;
        }
        let value: String = row
            .iter()
            .skip(value_col)
            .take_while(|c| **c != '│' && **c != ' ')
            .collect();
        if value.is_empty() {
            break;
        }
        link.push_str(&value);
    }
    link
}
