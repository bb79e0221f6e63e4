//! The QR code on the desk's screen scans: the result view is rendered on a TestBackend,
//! its cells (half blocks with their colours) are turned back into pixels, and a real
//! decoder (rqrr) must read exactly the payment link.

use crossterm::event::KeyCode;
use paydesk::juspay::SessionResponse;
use paydesk::tui::app::{Screen, Start};
use paydesk::tui::order_view::OrderView;
use paydesk::tui::testing::{self, fixed_now, key, render};
use paydesk::tui::theme::Theme;
use ratatui::buffer::Buffer;
use ratatui::style::Color;

const SANDBOX_LINK: &str =
    "https://sandbox.assets.juspay.in/payment-page/order/ordv2_80e53a249d0d4c14b57cef3593304cb1";
const EMULATOR_LINK: &str =
    "http://127.0.0.1:45065/payment-page/order/ordv2_b5213e365508482b83342f6ee9491b78";

const BLACK: Color = Color::Indexed(16);
const WHITE: Color = Color::Indexed(231);

/// The screen as pixels, two per cell (upper and lower half), true = dark. Only cells in
/// the QR's own colours count; everything else is light (as paper around a print).
fn pixels(buf: &Buffer) -> (usize, usize, Vec<bool>) {
    let (w, h) = (buf.area.width as usize, buf.area.height as usize);
    let mut out = vec![false; w * h * 2];
    for y in 0..h {
        for x in 0..w {
            let cell = &buf.content[y * w + x];
            if cell.bg != WHITE {
                continue;
            }
            let (upper, lower) = match cell.symbol() {
                "█" => (cell.fg, cell.fg),
                "▀" => (cell.fg, cell.bg),
                "▄" => (cell.bg, cell.fg),
                _ => (cell.bg, cell.bg),
            };
            out[(2 * y) * w + x] = upper == BLACK;
            out[(2 * y + 1) * w + x] = lower == BLACK;
        }
    }
    (w, h * 2, out)
}

fn decode(buf: &Buffer) -> Vec<String> {
    const PX: usize = 4;
    let (w, h, dark) = pixels(buf);
    let mut image = rqrr::PreparedImage::prepare_from_greyscale(w * PX, h * PX, |x, y| {
        if dark[(y / PX) * w + x / PX] { 0 } else { 255 }
    });
    image
        .detect_grids()
        .iter()
        .filter_map(|g| g.decode().ok().map(|(_, text)| text))
        .collect()
}

fn result_app(
    link: &str,
    size: (u16, u16),
    theme: Theme,
) -> (paydesk::tui::app::App, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut app = testing::app(dir.path(), "travel", theme, Start::Blank, size);
    let response: SessionResponse = serde_json::from_value(serde_json::json!({
        "status": "NEW",
        "id": "ordv2_x",
        "order_id": "test_1",
        "payment_links": { "web": link, "expiry": "2026-11-25T10:15:00Z" },
    }))
    .expect("response");
    app.result = Some(OrderView::from_response(
        1,
        app.form.form.clone(),
        &response,
        None,
        "r",
        fixed_now(),
    ));
    app.screen = Screen::Result;
    (app, dir)
}

#[test]
fn the_result_view_qr_decodes_to_the_link() {
    for link in [SANDBOX_LINK, EMULATOR_LINK] {
        for theme in [
            Theme::dark(),
            Theme::load("light", None).0,
            Theme::dark().without_colors(),
        ] {
            let (app, _dir) = result_app(link, (120, 40), theme);
            let terminal = render(&app);
            assert_eq!(decode(terminal.backend().buffer()), [link]);
        }
    }
}

#[test]
fn the_full_screen_qr_decodes_to_the_link_on_80x24() {
    for link in [SANDBOX_LINK, EMULATOR_LINK] {
        let (mut app, _dir) = result_app(link, (80, 24), Theme::dark());
        let _ = app.update(key(KeyCode::Char('f')));
        let terminal = render(&app);
        assert_eq!(
            decode(terminal.backend().buffer()),
            [link],
            "{}",
            terminal.backend()
        );
    }
}

#[test]
fn the_emulator_link_fits_beside_the_details_on_80x24() {
    let (app, _dir) = result_app(EMULATOR_LINK, (80, 24), Theme::dark());
    let terminal = render(&app);
    assert_eq!(
        decode(terminal.backend().buffer()),
        [EMULATOR_LINK],
        "{}",
        terminal.backend()
    );
}
