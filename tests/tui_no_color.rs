//! Under NO_COLOR the theme loses its colours, but the QR keeps its explicit black on
//! white in the bytes written to the terminal (a scanner cannot read an inverted code on a
//! dark terminal). Its own test binary: it sets NO_COLOR for the whole process.

use std::io::Write;
use std::sync::{Arc, Mutex};

use ratatui::backend::{Backend, CrosstermBackend};
use ratatui::buffer::Cell;

/// The bytes the backend writes, readable after it wrote them.
#[derive(Clone, Default)]
struct Written(Arc<Mutex<Vec<u8>>>);

impl Write for Written {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().expect("lock").extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[test]
fn the_qr_keeps_black_on_white_under_no_color() {
    // SAFETY: the only test in this binary; nothing else reads the environment meanwhile.
    unsafe { std::env::set_var("NO_COLOR", "1") };
    paydesk::tui::terminal::force_colours();
    let written = Written::default();
    let mut backend = CrosstermBackend::new(written.clone());
    let mut cell = Cell::new("█");
    cell.set_style(paydesk::tui::order_view::QR_STYLE);
    backend.draw([(0, 0, &cell)].into_iter()).expect("draw");
    Backend::flush(&mut backend).expect("flush");
    let bytes = String::from_utf8_lossy(&written.0.lock().expect("lock")).to_string();
    assert!(bytes.contains("38;5;16"), "black foreground: {bytes:?}");
    assert!(bytes.contains("48;5;231"), "white background: {bytes:?}");
}
