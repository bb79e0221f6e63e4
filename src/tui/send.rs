//! The send workflow: check, confirm production, record and send, then the answer,
//! reconciliation after a timeout or cancel, and status polling of the result.

use crate::juspay::ApiError;
use crate::orders::{OrderContext, Reconciled, Submitted};
use crate::session::{Form, Profile, validate_at, wire};
use crate::tui::app::*;
use crate::tui::effects::Effect;
use crate::tui::form_state::ORDER_ID_KEY;
use crate::tui::order_view::OrderView;
use crate::tui::strings;

impl App {
    // ----- send ----------------------------------------------------------------------

    pub(crate) fn order_context(&self) -> OrderContext {
        OrderContext::new(
            &self.env.name,
            self.env.base_url.as_deref().unwrap_or(""),
            &self.env.merchant_id,
            &self.current_profile().name,
        )
    }

    pub(crate) fn start_send(&mut self) -> Vec<Effect> {
        if self.send.is_some() {
            return vec![self.toast(strings::ALREADY_SENDING, true)];
        }
        if self.screen != Screen::Form {
            self.screen = Screen::Form;
        }
        self.leave_field();
        self.form.server.clear();
        let profile = self.current_profile().clone();
        let form = self.form.form().clone();
        let problems = validate_at(&form, &profile, self.today());
        if !problems.is_empty() {
            self.form.set_problems(&problems);
            self.form.show_problem_list = true;
            self.notice = None;
            self.focus = Focus::Form;
            if let Some(first) = problems.first() {
                self.form.focus_key(&first.key);
            }
            return Vec::new();
        }
        self.form.problems.clear();
        self.form.show_problem_list = false;
        if let Some(problem) = &self.env.send_problem {
            let text = strings::cannot_send(&self.env.name, problem);
            self.notice(NoticeKind::Error, text, Vec::new());
            return Vec::new();
        }
        if self.env.production && !self.prod_confirmed {
            self.overlay = Some(Overlay::Confirm {
                kind: Confirm::ProductionSend,
                text: strings::PRODUCTION_CONFIRM.into(),
            });
            return Vec::new();
        }
        self.dispatch_send(form, &profile)
    }

    pub(crate) fn dispatch_send(&mut self, form: Form, profile: &Profile) -> Vec<Effect> {
        let body = wire::to_body(&form, profile);
        let send_id = self.next_id();
        let order_id = form.get(ORDER_ID_KEY).to_string();
        self.send = Some(SendState {
            send_id,
            order_id,
            started: self.now,
            phase: SendPhase::Sending,
            form,
        });
        self.notice = None;
        vec![Effect::Send {
            send_id,
            ctx: self.order_context(),
            body,
        }]
    }

    pub(crate) fn send_done(
        &mut self,
        send_id: u64,
        result: Result<Submitted, String>,
    ) -> Vec<Effect> {
        let Some(send) = self.send.take_if(|s| s.send_id == send_id) else {
            return Vec::new();
        };
        let mut effects = self.reload_history();
        let submitted = match result {
            Ok(s) => s,
            Err(message) => {
                self.notice(
                    NoticeKind::Error,
                    "Not sent",
                    vec![
                        message,
                        "Nothing was lost: the form is as you left it.".into(),
                    ],
                );
                return effects;
            }
        };
        let request = format!(
            "Request id {} (give it to Juspay support if you ask them).",
            submitted.request_id
        );
        if let Some(e) = &submitted.record_error {
            effects.push(self.toast(
                format!("The history could not record Juspay's answer ({e}); paydesk checks this order again at the next start"),
                true,
            ));
        }
        match submitted.result {
            Ok(response) => {
                let view_id = self.next_id();
                let view = OrderView::from_response(
                    view_id,
                    send.form,
                    &response,
                    submitted.history_id,
                    &submitted.request_id,
                    self.now,
                );
                effects.extend(self.show_result(view));
                self.draft_gen += 1;
                effects.push(Effect::ClearDraft);
            }
            Err(ApiError::Invalid { message, fields }) => {
                for (field, reason) in &fields {
                    self.form.server.insert(field.clone(), reason.clone());
                }
                let mut lines = Vec::new();
                if fields.is_empty() {
                    lines.push(
                        "Juspay did not say which field; check the values and send again."
                            .to_string(),
                    );
                } else {
                    lines.push(format!(
                        "Juspay marked {} field(s) in the form; fix them and press Ctrl-S again.",
                        fields.len()
                    ));
                }
                lines.push(request);
                self.notice(
                    NoticeKind::Error,
                    format!("Juspay rejected the request: {message}"),
                    lines,
                );
                self.form.show_problem_list = !fields.is_empty();
                if let Some((first, _)) = fields.first() {
                    self.form.focus_key(first);
                }
            }
            Err(e @ ApiError::Auth { .. }) => {
                self.notice(
                    NoticeKind::Error,
                    e.to_string(),
                    vec![
                        format!("Nothing was created. Check the API key and merchant id for {} (F1 shows the config file).", self.env.name),
                        request,
                    ],
                );
            }
            Err(e @ ApiError::Network(_)) => {
                self.notice(
                    NoticeKind::Error,
                    e.to_string(),
                    vec![
                        "Check the network connection, then press Ctrl-S again; the form is kept."
                            .into(),
                        request,
                    ],
                );
            }
            Err(e) => {
                // Timeout, server error, unreadable answer: the order may exist. Ask.
                let may_exist = e.order_may_exist();
                self.notice(
                    NoticeKind::Warning,
                    e.to_string(),
                    vec![
                        if may_exist {
                            "The order may have been created: checking its status with Juspay…"
                                .into()
                        } else {
                            "Nothing was created; press Ctrl-S to try again.".into()
                        },
                        request,
                    ],
                );
                if may_exist {
                    self.send = Some(SendState {
                        phase: SendPhase::Checking,
                        ..send
                    });
                    effects.push(Effect::Reconcile {
                        send_id: Some(send_id),
                        history_id: submitted.history_id,
                        order_id: self
                            .send
                            .as_ref()
                            .map(|s| s.order_id.clone())
                            .unwrap_or_default(),
                    });
                }
            }
        }
        effects
    }

    pub(crate) fn reconciled(
        &mut self,
        send_id: Option<u64>,
        order_id: String,
        history_id: Option<i64>,
        result: Result<Reconciled, String>,
    ) -> Vec<Effect> {
        let send = match send_id {
            Some(id) => match self.send.take_if(|s| s.send_id == id) {
                Some(s) => Some(s),
                None => return Vec::new(),
            },
            None => None,
        };
        let mut effects = self.reload_history();
        match result {
            Ok(Reconciled::Found(status)) => {
                let view_id = self.next_id();
                let form = send
                    .map(|s| s.form)
                    .unwrap_or_else(|| self.form.form().clone());
                let mut view = OrderView::from_status(view_id, form, &status, history_id, self.now);
                view.note = Some(format!(
                    "Order {order_id} was created after all (found by checking its status)."
                ));
                effects.extend(self.show_result(view));
                effects.push(Effect::ClearDraft);
            }
            Ok(Reconciled::NotFound) => {
                self.notice(
                    NoticeKind::Info,
                    format!("Order {order_id} was not created."),
                    vec![
                        "Nothing was charged. Press Ctrl-S to send it again; the form is kept."
                            .into(),
                    ],
                );
            }
            Ok(Reconciled::NotYet | Reconciled::InFlight) => {
                self.notice(
                    NoticeKind::Warning,
                    format!("Order {order_id} is not at Juspay yet, but the send may still land."),
                    vec![
                        "paydesk keeps checking it. Sending it again now could create a second order.".into(),
                    ],
                );
            }
            Ok(Reconciled::IdTaken(why)) => {
                self.notice(
                    NoticeKind::Warning,
                    format!("Order {order_id} was not created: {why}"),
                    vec!["Use a new order id.".into()],
                );
            }
            Ok(Reconciled::Failed(e)) => {
                self.notice(
                    NoticeKind::Warning,
                    format!("Could not check order {order_id}: {e}"),
                    vec![
                        "It is marked 'unknown' in the history. Before sending again, select it in the history and press r to check its status.".into(),
                    ],
                );
            }
            Err(message) => {
                self.notice(
                    NoticeKind::Warning,
                    format!("Could not check order {order_id}: {message}"),
                    vec!["It stays 'unknown' in the history; paydesk checks it again at the next start.".into()],
                );
            }
        }
        effects
    }

    pub(crate) fn show_result(&mut self, view: OrderView) -> Vec<Effect> {
        let mut effects = Vec::new();
        if !view.is_final() {
            effects.push(Effect::PollStatus {
                view_id: Some(view.view_id),
                history_id: view.history_id,
                order_id: view.order_id.clone(),
                after: self.poll_interval,
            });
        }
        self.result = Some(view);
        self.screen = Screen::Result;
        self.focus = Focus::Form;
        self.notice = None;
        self.overlay = None;
        effects
    }

    pub(crate) fn status_polled(
        &mut self,
        view_id: Option<u64>,
        order_id: String,
        result: Result<crate::juspay::OrderStatus, ApiError>,
    ) -> Vec<Effect> {
        let mut effects = Vec::new();
        let Some(view_id) = view_id else {
            // A refresh from the history pane.
            let text = match &result {
                Ok(s) => format!("{order_id}: {}", s.status.as_deref().unwrap_or("no status")),
                Err(e) => format!("{order_id}: {e}"),
            };
            effects.push(self.toast(text, result.is_err()));
            effects.extend(self.reload_history());
            return effects;
        };
        let now = self.now;
        let interval = self.poll_interval;
        let Some(view) = self.result.as_mut().filter(|v| v.view_id == view_id) else {
            return effects;
        };
        match result {
            Ok(status) => view.apply_status(&status, now),
            Err(e) => {
                view.poll_failures += 1;
                view.poll_error = Some(e.to_string());
            }
        }
        if view.state() == Some(crate::juspay::OrderState::Charged) && !view.bell_rung {
            view.bell_rung = true;
            effects.push(Effect::Bell);
        }
        if !view.is_final() {
            effects.push(Effect::PollStatus {
                view_id: Some(view.view_id),
                history_id: view.history_id,
                order_id: view.order_id.clone(),
                after: view.next_poll(interval),
            });
        }
        effects.extend(self.reload_history());
        effects
    }
}
