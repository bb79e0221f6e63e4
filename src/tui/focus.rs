//! The one focus chain for input: pop-up, then full-screen result, then the focused pane
//! (history or form), then the screen, then global keys. Keys, paste and resize all enter
//! here.

use crossterm::event::{Event, KeyEvent, KeyEventKind};

use crate::tui::app::*;
use crate::tui::effects::Effect;
use crate::tui::view;

impl App {
    // ----- input --------------------------------------------------------------------

    pub(crate) fn on_event(&mut self, event: Event) -> Vec<Effect> {
        match event {
            Event::Key(key) if key.kind != KeyEventKind::Release => self.on_key(key),
            Event::Paste(text) => self.on_paste(&text),
            Event::Mouse(mouse) => self.on_mouse(mouse),
            Event::Resize(w, h) => {
                self.size = (w, h);
                if view::wide(w) {
                    self.history.shown = false;
                }
                if self.history.available && self.history_visible() {
                    let h = self.history_height();
                    if !self.history.covers(self.history.top, h) {
                        return self.load_history_window();
                    }
                }
                Vec::new()
            }
            _ => {
                self.dirty = false;
                Vec::new()
            }
        }
    }

    pub(crate) fn on_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        if self.screen == Screen::Result
            && let Some(view) = &mut self.result
            && view.full_screen
        {
            view.full_screen = false;
            return Vec::new();
        }
        if let Some(overlay) = self.overlay.take() {
            return self.overlay_key(overlay, key);
        }
        if self.focus == Focus::History && self.history_visible() {
            return self.history_key(key);
        }
        match self.screen {
            Screen::Result => self.result_key(key),
            Screen::Form => self.form_key(key),
        }
    }

    pub(crate) fn on_paste(&mut self, text: &str) -> Vec<Effect> {
        let clean: String = text
            .chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect();
        let clean = clean.trim();
        match &mut self.overlay {
            Some(Overlay::Member(edit)) => {
                let input = if edit.on_phone {
                    &mut edit.phone
                } else {
                    &mut edit.name
                };
                input.insert_str(clean);
                return Vec::new();
            }
            Some(_) => return Vec::new(),
            None => {}
        }
        if self.focus == Focus::History && self.history.searching {
            self.history.search.insert_str(clean);
            return self.reload_history();
        }
        if self.screen == Screen::Form && self.form.is_typing() {
            self.form.input.insert_str(clean);
            self.form.store_input();
        }
        Vec::new()
    }
}
