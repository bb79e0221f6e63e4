//! The result view's actions (copy, open, save the QR, full screen, the payload, a status
//! check): its own change plus effects, and what it needs the desk for, as a
//! [`ResultReply`]. No `App` here: the desk runs the reply (`parts/result.rs`).

use std::time::Duration;

use crate::tui::effects::Effect;
use crate::tui::keymap::Action;
use crate::tui::strings;

use super::OrderView;

/// What only the desk can do for the result view.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ResultAsk {
    /// A blank new order.
    NewOrder,
    /// A new order for the same customer (the desk knows the form's fields).
    NewSameCustomer,
    /// Show this `sdk_payload` text in a pop-up.
    Payload(String),
    /// Demo only: pay (`true`) or fail the payment as the customer.
    DemoSettle(bool),
    /// Back to the form, the order kept.
    Back,
}

/// What an action did to the result view, for the desk.
#[derive(Debug, Default)]
pub struct ResultReply {
    pub effects: Vec<Effect>,
    /// A short message and whether it is an error.
    pub toast: Option<(&'static str, bool)>,
    pub ask: Option<ResultAsk>,
    /// An action the view does not take, passed on to the desk's global keys.
    pub propagate: Option<Action>,
}

impl ResultReply {
    fn toast(text: &'static str, error: bool, effects: Vec<Effect>) -> ResultReply {
        ResultReply {
            effects,
            toast: Some((text, error)),
            ..ResultReply::default()
        }
    }

    fn ask(ask: ResultAsk) -> ResultReply {
        ResultReply {
            ask: Some(ask),
            ..ResultReply::default()
        }
    }
}

impl OrderView {
    /// Does `action` on the order shown: a link action needs the link (without one the
    /// reply is an error toast), `Refresh` asks for a status check now.
    pub fn act(&mut self, action: Action) -> ResultReply {
        let link = self.link.clone();
        let with_link = |ok: &'static str, effect: fn(String) -> Effect| match link {
            Some(link) => ResultReply::toast(ok, false, vec![effect(link)]),
            None => ResultReply::toast(strings::NO_LINK, true, Vec::new()),
        };
        match action {
            Action::Copy => with_link(strings::COPIED, Effect::Copy),
            Action::Open => with_link(strings::OPENING, Effect::OpenBrowser),
            Action::SaveQr => match self.link.clone() {
                Some(link) => {
                    let order_id = self.order_id.clone();
                    let save = Effect::SaveQr { order_id, link };
                    ResultReply::toast(strings::SAVING_QR, false, vec![save])
                }
                None => ResultReply::toast(strings::NO_LINK, true, Vec::new()),
            },
            Action::FullScreen => {
                self.full_screen = true;
                ResultReply::default()
            }
            Action::Payload => ResultReply::ask(ResultAsk::Payload(match &self.sdk_payload {
                Some(v) => serde_json::to_string_pretty(v).unwrap_or_default(),
                None => strings::NO_SDK_PAYLOAD.to_string(),
            })),
            Action::Refresh => {
                self.poll_failures = 0;
                ResultReply {
                    effects: vec![Effect::PollStatus {
                        view_id: Some(self.view_id),
                        history_id: self.history_id,
                        order_id: self.order_id.clone(),
                        after: Duration::ZERO,
                    }],
                    ..ResultReply::default()
                }
            }
            Action::NewOrder => ResultReply::ask(ResultAsk::NewOrder),
            Action::NewSameCustomer => ResultReply::ask(ResultAsk::NewSameCustomer),
            Action::DemoPay => ResultReply::ask(ResultAsk::DemoSettle(true)),
            Action::DemoFail => ResultReply::ask(ResultAsk::DemoSettle(false)),
            Action::Back => ResultReply::ask(ResultAsk::Back),
            other => ResultReply {
                propagate: Some(other),
                ..ResultReply::default()
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::session::Form;

    fn view(link: Option<&str>) -> OrderView {
        let mut view = OrderView::blank(7, "ORD7".into(), Form::default());
        view.link = link.map(str::to_string);
        view.history_id = Some(70);
        view
    }

    /// The result part alone: actions in, its own state and its reply out.
    #[test]
    fn the_result_view_acts_alone_and_asks_the_desk_only_for_what_it_cannot_do() {
        let mut without = view(None);
        let reply = without.act(Action::Copy);
        assert_eq!(reply.toast, Some((strings::NO_LINK, true)));
        assert!(reply.effects.is_empty());

        let mut shown = view(Some("https://pay.example/ORD7"));
        let reply = shown.act(Action::Copy);
        assert_eq!(reply.toast, Some((strings::COPIED, false)));
        assert!(matches!(reply.effects.as_slice(), [Effect::Copy(l)] if l.ends_with("ORD7")));
        let reply = shown.act(Action::SaveQr);
        assert!(matches!(
            reply.effects.as_slice(),
            [Effect::SaveQr { order_id, .. }] if order_id == "ORD7"
        ));

        shown.poll_failures = 3;
        let reply = shown.act(Action::Refresh);
        assert_eq!(shown.poll_failures, 0);
        assert!(matches!(
            reply.effects.as_slice(),
            [Effect::PollStatus { view_id: Some(7), history_id: Some(70), after, .. }]
                if after.is_zero()
        ));

        assert!(!shown.full_screen);
        assert!(shown.act(Action::FullScreen).ask.is_none());
        assert!(shown.full_screen);

        let ask = shown.act(Action::Payload).ask;
        assert_eq!(
            ask,
            Some(ResultAsk::Payload(strings::NO_SDK_PAYLOAD.to_string()))
        );
        assert_eq!(
            shown.act(Action::NewSameCustomer).ask,
            Some(ResultAsk::NewSameCustomer)
        );
        assert_eq!(
            shown.act(Action::DemoFail).ask,
            Some(ResultAsk::DemoSettle(false))
        );
        assert_eq!(shown.act(Action::Help).propagate, Some(Action::Help));
    }
}
