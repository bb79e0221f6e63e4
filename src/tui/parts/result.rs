//! The result part's keys and actions: copy, open, save the QR, full screen, new order.

mod payload;

use crossterm::event::KeyEvent;

use crate::session::Form;
use crate::tui::app::*;
use crate::tui::effects::Effect;
use crate::tui::keymap::{self, Action};
use crate::tui::order_view::{ResultAsk, ResultReply};

impl App {
    // ----- result --------------------------------------------------------------------

    pub(crate) fn result_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        match keymap::lookup(&self.scopes(), &key) {
            Some(action) => self.result_action(action),
            None => {
                self.dirty = false;
                Vec::new()
            }
        }
    }

    /// The result view's action: the view does its part (`OrderView::act`), the desk
    /// what the view asks for and the global keys it passes on.
    pub(crate) fn result_action(&mut self, action: Action) -> Vec<Effect> {
        let Some(view) = &mut self.result else {
            self.screen = Screen::Form;
            return Vec::new();
        };
        let ResultReply {
            mut effects,
            toast,
            ask,
            propagate,
        } = view.act(action);
        if let Some((text, error)) = toast {
            effects.push(self.toast(text, error));
        }
        match ask {
            Some(ResultAsk::NewOrder) => {
                self.result = None;
                self.new_order(Form::default());
            }
            Some(ResultAsk::NewSameCustomer) => {
                let keep = self
                    .result
                    .take()
                    .map(|view| view.customer_form(&self.form.fields))
                    .unwrap_or_default();
                self.new_order(keep);
            }
            Some(ResultAsk::Payload(text)) => self.open(payload::Payload::new(text)),
            Some(ResultAsk::DemoSettle(pay)) => effects.extend(self.demo_settle(pay)),
            Some(ResultAsk::Back) => self.screen = Screen::Form,
            None => {}
        }
        if let Some(action) = propagate {
            effects.extend(self.global_action(action));
        }
        effects
    }
}
