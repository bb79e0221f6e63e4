//! The result's sdk_payload pop-up (`p`), its clientAuthToken masked by the opener.
//!
//! Added the way any new pop-up is: this file, declared and opened by the one existing
//! file that opens it (`parts/result.rs`); the desk routes to it through
//! `crate::tui::popup::Popup` with no change anywhere else.

use std::cell::Cell;

use ratatui::Frame;
use ratatui::layout::Rect;

use crate::tui::keymap::{self, Action, Scope};
use crate::tui::popup::text::{CLOSE, SCROLL, draw_text, scroll_by, text_action, text_lines};
use crate::tui::popup::{DrawCtx, Popup, Reply};

/// An order's sdk_payload as text. Private state: only its methods change it.
pub struct Payload {
    text: String,
    /// First line shown; drawing keeps it within the text (a `Cell`: `draw` takes `&self`).
    scroll: Cell<u16>,
}

impl Payload {
    /// Shows `text` (masked before it gets here).
    pub fn new(text: String) -> Payload {
        Payload {
            text,
            scroll: Cell::new(0),
        }
    }
}

impl<R: Send + 'static> Popup<R> for Payload {
    fn name(&self) -> &'static str {
        "Payload"
    }

    fn scopes(&self) -> Vec<Scope> {
        vec![Scope::Overlay]
    }

    fn act(&mut self, action: Action) -> Reply<R> {
        text_action(self.scroll.get_mut(), action)
    }

    fn wheel(&mut self, delta: isize) {
        scroll_by(self.scroll.get_mut(), delta);
    }

    fn draw(&self, frame: &mut Frame, screen: Rect, ctx: &DrawCtx<'_>) {
        let title = "sdk_payload (clientAuthToken masked)";
        let hint = keymap::hint(&[SCROLL, CLOSE]);
        let lines = text_lines(ctx.theme, &self.text);
        draw_text(frame, screen, ctx.theme, title, &hint, lines, &self.scroll);
    }
}

#[cfg(test)]
mod tests {
    use crossterm::event::KeyCode;

    use super::*;
    use crate::tui::popup::testing::{key, screen};

    fn long(n: usize) -> String {
        (0..n).map(|i| format!("line {i}\n")).collect()
    }

    #[test]
    fn the_payload_scrolls_but_keeps_its_last_line_at_the_bottom() {
        let mut p = Payload::new(long(40));
        let top = screen::<()>(&p, 60, 12);
        assert!(top.contains("line 0") && !top.contains("line 39"));
        assert!(
            top.contains("sdk_payload (clientAuthToken masked)"),
            "{top}"
        );
        for _ in 0..10 {
            let _: Reply<()> = p.key(&key(KeyCode::PageDown));
        }
        let bottom = screen::<()>(&p, 60, 12);
        assert!(
            bottom.contains("line 39") && !bottom.contains("line 0 "),
            "{bottom}"
        );
        // ↓ past the end does not pile up: one ↑ moves at once.
        for _ in 0..50 {
            let _: Reply<()> = p.key(&key(KeyCode::Down));
        }
        let _ = screen::<()>(&p, 60, 12);
        let _: Reply<()> = p.key(&key(KeyCode::Up));
        let up = screen::<()>(&p, 60, 12);
        assert!(!up.contains("line 39"), "{up}");
        let esc: Reply<()> = p.key(&key(KeyCode::Esc));
        assert!(esc.close);
    }
}
