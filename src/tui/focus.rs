//! Input entry: keys, paste and resize, each routed to the part `App::focus_target`
//! (the one focus chain, in `chain.rs`) names.

use crossterm::event::{Event, KeyEvent, KeyEventKind};

use crate::tui::app::*;
use crate::tui::chain::Target;
use crate::tui::effects::Effect;
use crate::tui::keymap::{self, Action, Scope};
use crate::tui::layout;

impl App {
    // ----- input --------------------------------------------------------------------

    pub(crate) fn on_event(&mut self, event: Event) -> Vec<Effect> {
        match event {
            Event::Key(key) if key.kind != KeyEventKind::Release => self.on_key(key),
            Event::Paste(text) => self.on_paste(&text),
            Event::Mouse(mouse) => self.on_mouse(mouse),
            Event::Resize(w, h) => {
                self.size = (w, h);
                if layout::wide(w) {
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
        // A returning customer's details are offered for one key: the accept key takes
        // them, any other key drops the offer and does what it always does.
        if let Some(customer) = self.form.returning.take()
            && self.focus_target() == Target::Form
            && keymap::lookup(&[Scope::Returning], &key) == Some(Action::UseDetails)
        {
            return self.use_returning(customer);
        }
        match self.focus_target() {
            Target::FullScreen => {
                if let Some(view) = &mut self.result {
                    view.full_screen = false;
                }
                Vec::new()
            }
            Target::Overlay => self.popup_key(key),
            Target::History => self.history_key(key),
            Target::Result => self.result_key(key),
            Target::Form => self.form_key(key),
            Target::Screen => self.screen_key(key),
        }
    }

    pub(crate) fn on_paste(&mut self, text: &str) -> Vec<Effect> {
        let clean: String = text
            .chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect();
        let clean = clean.trim();
        match self.focus_target() {
            Target::Overlay => {
                self.popup_paste(clean);
                Vec::new()
            }
            Target::Screen => {
                self.screen_paste(clean);
                Vec::new()
            }
            Target::History if self.history.searching => {
                self.history.search.insert_str(clean);
                self.reload_history()
            }
            Target::Form if self.form.is_typing() => {
                self.form.input.insert_str(clean);
                self.form.store_input();
                Vec::new()
            }
            _ => Vec::new(),
        }
    }
}
