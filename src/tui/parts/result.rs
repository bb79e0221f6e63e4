//! The result part's keys and actions: copy, open, save the QR, full screen, new order.

mod payload;

use std::time::Duration;

use crossterm::event::KeyEvent;

use crate::session::Form;
use crate::tui::app::*;
use crate::tui::effects::Effect;
use crate::tui::keymap::{self, Action};
use crate::tui::strings;

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

    pub(crate) fn result_action(&mut self, action: Action) -> Vec<Effect> {
        let Some(view) = &mut self.result else {
            self.screen = Screen::Form;
            return Vec::new();
        };
        let link = view.link.clone();
        match action {
            Action::Copy => match link {
                Some(link) => vec![Effect::Copy(link), self.toast(strings::COPIED, false)],
                None => vec![self.toast(strings::NO_LINK, true)],
            },
            Action::Open => match link {
                Some(link) => vec![
                    Effect::OpenBrowser(link),
                    self.toast(strings::OPENING, false),
                ],
                None => vec![self.toast(strings::NO_LINK, true)],
            },
            Action::SaveQr => match link {
                Some(link) => {
                    let order_id = view.order_id.clone();
                    vec![
                        Effect::SaveQr { order_id, link },
                        self.toast(strings::SAVING_QR, false),
                    ]
                }
                None => vec![self.toast(strings::NO_LINK, true)],
            },
            Action::FullScreen => {
                view.full_screen = true;
                Vec::new()
            }
            Action::Payload => {
                let text = match &view.sdk_payload {
                    Some(v) => serde_json::to_string_pretty(v).unwrap_or_default(),
                    None => "This order has no sdk_payload (ask for it with metadata.sdk_payload = true).".into(),
                };
                self.open(payload::Payload::new(text));
                Vec::new()
            }
            Action::Refresh => {
                view.poll_failures = 0;
                vec![Effect::PollStatus {
                    view_id: Some(view.view_id),
                    history_id: view.history_id,
                    order_id: view.order_id.clone(),
                    after: Duration::ZERO,
                }]
            }
            Action::NewOrder => {
                self.result = None;
                self.new_order(Form::default());
                Vec::new()
            }
            Action::NewSameCustomer => {
                let keep = view.customer_form(&self.form.fields);
                self.result = None;
                self.new_order(keep);
                Vec::new()
            }
            Action::DemoPay => self.demo_settle(true),
            Action::DemoFail => self.demo_settle(false),
            Action::Back => {
                self.screen = Screen::Form;
                Vec::new()
            }
            Action::Help => self.global_action(Action::Help),
            other => self.global_action(other),
        }
    }
}
