//! Demo only: the result screen's "pay as the customer" (`P`) and "fail as the customer"
//! (`F`) keys. They settle the order at the embedded emulator through a task
//! (`Effect::DemoSettle`, as the emulator's payment page buttons do) and then ask Order
//! Status at once: the order turns PAID or FAILED through the normal status poll, so the
//! state machine decides, not the key.

use std::time::Duration;

use crate::config::EnvKind;
use crate::tui::app::*;
use crate::tui::effects::Effect;
use crate::tui::strings;

impl App {
    /// Whether the demo keys apply: the demo environment, on the result of an order that
    /// still waits for payment. Never outside demo.
    pub fn demo_offered(&self) -> bool {
        self.env.kind == EnvKind::Demo
            && self.screen == Screen::Result
            && self.result.as_ref().is_some_and(|v| !v.is_final())
    }

    /// `P` (`charged`) or `F`: settles the shown order at the emulator.
    pub(crate) fn demo_settle(&mut self, charged: bool) -> Vec<Effect> {
        let order_id = match &self.result {
            Some(view) if self.demo_offered() => view.order_id.clone(),
            _ => return Vec::new(),
        };
        vec![
            Effect::DemoSettle { order_id, charged },
            self.toast(strings::demo_settling(charged), false),
        ]
    }

    /// The emulator settled `order_id` (or could not): check its status now, so the view
    /// shows what Order Status says.
    pub(crate) fn demo_settled(
        &mut self,
        order_id: String,
        result: Result<String, String>,
    ) -> Vec<Effect> {
        if let Err(message) = result {
            return vec![self.toast(message, true)];
        }
        match self.result.as_mut().filter(|v| v.order_id == order_id) {
            Some(view) => {
                view.poll_failures = 0;
                vec![Effect::PollStatus {
                    view_id: Some(view.view_id),
                    history_id: view.history_id,
                    order_id,
                    after: Duration::ZERO,
                }]
            }
            None => Vec::new(),
        }
    }
}
