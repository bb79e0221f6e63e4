//! The send workflow: check, confirm production, record and send, then the answer,
//! reconciliation after a timeout or cancel, and status polling of the result.

use std::time::Duration;

use crate::history::OrderRow;
use crate::juspay::ApiError;
use crate::orders::{OrderContext, Outcome, Reconciled, Submitted};
use crate::session::{Form, Profile, validate_at, wire};
use crate::tui::app::*;
use crate::tui::effects::Effect;
use crate::tui::form_state::ORDER_ID_KEY;
use crate::tui::keymap::{self, Action, Scope};
use crate::tui::order_view::OrderView;
use crate::tui::strings;
use crate::tui::task_error::{SendError, TaskError};

impl App {
    // ----- send ----------------------------------------------------------------------

    pub(crate) fn order_context(&self) -> OrderContext {
        OrderContext::new(
            &self.env.name,
            self.env.base_url.as_deref().unwrap_or(""),
            &self.env.merchant_id,
            &self.current_profile().name,
        )
        .by(self.operator.clone())
    }

    pub(crate) fn start_send(&mut self) -> Vec<Effect> {
        if self.send.is_some() {
            return vec![self.toast(strings::already_sending(), true)];
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
            let send: Then = Box::new(|app: &mut App| {
                app.prod_confirmed = true;
                let profile = app.current_profile().clone();
                let form = app.form.form().clone();
                app.dispatch_send(form, &profile)
            });
            self.open(crate::tui::popup::confirm::Confirm::new(
                strings::PRODUCTION_CONFIRM,
                send,
            ));
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
        result: Result<Submitted, SendError>,
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
                        message.to_string(),
                        "Nothing was lost: the form is as you left it.".into(),
                    ],
                );
                return effects;
            }
        };
        if let Some(e) = &submitted.record_error {
            effects.push(self.toast(
                format!(
                    "The history could not record Juspay's answer ({e}); {}",
                    strings::KEEPS_CHECKING
                ),
                true,
            ));
        }
        if submitted.outcome.is_none_or(Outcome::is_open) {
            let pause = self.recheck_pause();
            self.rechecks.open = self.rechecks.open.max(1);
            effects.extend(self.schedule_recheck(pause));
        }
        let request = format!(
            "Request id {} (give it to Juspay support if you ask them).",
            submitted.request_id
        );
        let advice = strings::outcome_advice(submitted.outcome).to_string();
        match submitted.result {
            Ok(response) => {
                let note = submitted
                    .existing
                    .then(|| strings::ALREADY_AT_JUSPAY.to_string());
                let view = (submitted.history_id, submitted.request_id.as_str(), note);
                effects.extend(self.show_created(send.form, &response, view));
            }
            Err(ApiError::Invalid { message, fields }) => {
                self.juspay_rejected(&message, &fields, request);
            }
            Err(e @ ApiError::Auth { .. }) => {
                let help = keymap::key_for(Scope::Global, Action::Help);
                let check = format!(
                    "Check the API key and merchant id for {} ({help} shows the config file).",
                    self.env.name
                );
                self.notice(
                    NoticeKind::Error,
                    e.to_string(),
                    vec![advice, check, request],
                );
            }
            Err(e @ ApiError::Network(_)) => {
                let check = "Check the network connection first; the form is kept.".to_string();
                self.notice(
                    NoticeKind::Error,
                    e.to_string(),
                    vec![advice, check, request],
                );
            }
            Err(e) => {
                effects.extend(self.answer_unknown(e, advice, request, send, submitted.history_id));
            }
        }
        effects
    }

    /// The order Juspay created: its result screen (`view`: history id, request id, a note),
    /// the form kept as what was sent, the draft cleared.
    fn show_created(
        &mut self,
        form: Form,
        response: &crate::juspay::SessionResponse,
        (history_id, request_id, note): (Option<i64>, &str, Option<String>),
    ) -> Vec<Effect> {
        let view_id = self.next_id();
        self.clean_form = Some(form.clone());
        let mut view =
            OrderView::from_response(view_id, form, response, history_id, request_id, self.now);
        view.note = note;
        let mut effects = self.show_result(view);
        self.draft_gen += 1;
        effects.push(Effect::ClearDraft);
        effects
    }

    /// Juspay refused the request (400): its fields are marked in the form and the first
    /// one gets the focus.
    fn juspay_rejected(&mut self, message: &str, fields: &[(String, String)], request: String) {
        for (field, reason) in fields {
            self.form.server.insert(field.clone(), reason.clone());
        }
        let first = if fields.is_empty() {
            "Juspay did not say which field; check the values and send again.".to_string()
        } else {
            let send = keymap::key_for(Scope::Global, Action::Send);
            format!(
                "Juspay marked {} field(s) in the form; fix them and press {send} again.",
                fields.len()
            )
        };
        self.notice(
            NoticeKind::Error,
            format!("Juspay rejected the request: {message}"),
            vec![first, request],
        );
        self.form.show_problem_list = !fields.is_empty();
        if let Some((first, _)) = fields.first() {
            self.form.focus_key(first);
        }
    }

    /// No answer that settles the create (timeout, server error, unreadable answer): when
    /// the order may exist, Juspay is asked (the send stays, checking).
    fn answer_unknown(
        &mut self,
        error: ApiError,
        advice: String,
        request: String,
        send: SendState,
        history_id: Option<i64>,
    ) -> Vec<Effect> {
        let may_exist = error.order_may_exist();
        let first = if may_exist {
            "The order may have been created: checking its status with Juspay…".into()
        } else {
            advice
        };
        self.notice(NoticeKind::Warning, error.to_string(), vec![first, request]);
        if !may_exist {
            return Vec::new();
        }
        let order_id = send.order_id.clone();
        let send_id = send.send_id;
        self.send = Some(SendState {
            phase: SendPhase::Checking,
            ..send
        });
        vec![Effect::Reconcile {
            send_id: Some(send_id),
            history_id,
            order_id,
        }]
    }

    pub(crate) fn reconciled(
        &mut self,
        send_id: Option<u64>,
        order_id: String,
        history_id: Option<i64>,
        result: Result<Reconciled, TaskError>,
    ) -> Vec<Effect> {
        let send = match send_id {
            Some(id) => match self.send.take_if(|s| s.send_id == id) {
                Some(s) => Some(s),
                None => return Vec::new(),
            },
            None => None,
        };
        let mut effects = self.reload_history();
        let open = matches!(
            result,
            Ok(Reconciled::NotYet | Reconciled::InFlight | Reconciled::Failed(_)) | Err(_)
        );
        match result {
            Ok(Reconciled::Found(status)) => {
                let view_id = self.next_id();
                let form = send
                    .map(|s| s.form)
                    .unwrap_or_else(|| self.form.form().clone());
                self.clean_form = Some(form.clone());
                let mut view = OrderView::from_status(view_id, form, &status, history_id, self.now);
                view.note = Some(format!(
                    "Order {order_id} was created after all (found by checking its status)."
                ));
                effects.extend(self.show_result(view));
                effects.push(Effect::ClearDraft);
            }
            other => {
                let (kind, title, advice) = reconcile_notice(&order_id, other);
                self.notice(kind, title, vec![advice]);
            }
        }
        if open {
            self.rechecks.open = self.rechecks.open.max(1);
            let pause = self.recheck_pause();
            effects.extend(self.schedule_recheck(pause));
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

/// The longest pause between two re-checks of open rows (unless the poll interval is
/// longer): a row that stays open is still looked at about once a minute.
pub(crate) const RECHECK_MAX_PAUSE: Duration = Duration::from_secs(60);

impl App {
    // ----- the open desk's re-check of open rows (issue 10) ----------------------------

    /// The pause before the next re-check: the poll interval, doubled for each pass in a
    /// row that settled nothing, at most `RECHECK_MAX_PAUSE` (or the poll interval).
    pub(crate) fn recheck_pause(&self) -> Duration {
        let doubled = self
            .poll_interval
            .saturating_mul(1u32 << self.rechecks.quiet.min(6));
        doubled.min(RECHECK_MAX_PAUSE.max(self.poll_interval))
    }

    /// Schedules a re-check of the open rows after `after`, unless one is already
    /// scheduled or running.
    pub(crate) fn schedule_recheck(&mut self, after: Duration) -> Option<Effect> {
        if self.rechecks.scheduled {
            return None;
        }
        self.rechecks.scheduled = true;
        self.rechecks.due = Some(self.now + after);
        Some(Effect::Recheck {
            after,
            env_name: self.env.name.clone(),
        })
    }

    /// A re-check pass finished: the history shows what it settled, the clerk is told
    /// about an order the notice speaks of, and the next pass is scheduled while rows stay
    /// open.
    pub(crate) fn rechecked(
        &mut self,
        result: Result<Vec<(OrderRow, Reconciled)>, TaskError>,
    ) -> Vec<Effect> {
        self.rechecks.scheduled = false;
        self.rechecks.due = None;
        self.rechecks.passes += 1;
        // A pass that checked nothing changed nothing: no reload (it would only race the
        // reload of a send in flight).
        let mut effects = match &result {
            Ok(reports) if reports.is_empty() => Vec::new(),
            _ => self.reload_history(),
        };
        // On the branch ledger the pass goes on every interval: other desks' orders may
        // fall to this one (a lease expired), and unpaid orders are polled there too.
        let branch = self.live.branch.is_some();
        let reports = match result {
            Ok(reports) => reports,
            Err(e) => {
                tracing::warn!(error = %e, "desk: could not re-check open orders");
                if self.rechecks.open > 0 || branch {
                    self.rechecks.quiet += 1;
                    let pause = self.recheck_pause();
                    effects.extend(self.schedule_recheck(pause));
                }
                return effects;
            }
        };
        let still_open = |r: &Reconciled| {
            matches!(
                r,
                Reconciled::NotYet | Reconciled::Failed(_) | Reconciled::InFlight
            )
        };
        let open = reports.iter().filter(|(_, r)| still_open(r)).count();
        // Settled: an open row (sending, unknown) now decided. The branch's poll batch also
        // holds created orders awaiting payment; their check settles nothing.
        let settled_now =
            |row: &OrderRow, found: &Reconciled| row.outcome.is_open() && !still_open(found);
        let settled = reports.iter().filter(|(r, f)| settled_now(r, f)).count();
        for (row, found) in &reports {
            if settled_now(row, found) {
                self.settled_meanwhile(&row.order_id, row.outcome, found);
            }
        }
        if settled > 0 && self.notice.is_none() {
            effects.push(self.toast(strings::rechecked(settled, open), false));
        }
        self.rechecks.open = open;
        if open > 0 || branch {
            self.rechecks.quiet = if settled > 0 || branch {
                0
            } else {
                self.rechecks.quiet + 1
            };
            let pause = self.recheck_pause();
            effects.extend(self.schedule_recheck(pause));
        } else {
            self.rechecks.quiet = 0;
        }
        effects
    }

    /// An order settled by a re-check: when the notice on screen speaks of it, the
    /// notice now says what is known.
    fn settled_meanwhile(&mut self, order_id: &str, was: Outcome, found: &Reconciled) {
        let about_it = self
            .notice
            .as_ref()
            .is_some_and(|n| n.title.contains(order_id));
        if !about_it {
            return;
        }
        let (kind, title, lines) = match found {
            Reconciled::Found(status) => {
                let mut lines = vec![format!(
                    "Juspay status: {}. Open it from the history (Enter on its row).",
                    status.status.as_deref().unwrap_or("not given")
                )];
                if was == Outcome::NotCreated {
                    lines.push(crate::orders::state::FOUND_AFTER_NOT_CREATED.into());
                }
                (
                    NoticeKind::Info,
                    format!("Order {order_id} was created after all (found by re-checking it)."),
                    lines,
                )
            }
            Reconciled::NotFound => (
                NoticeKind::Info,
                format!("Order {order_id} was not created."),
                vec![strings::NOT_CREATED.into()],
            ),
            Reconciled::IdTaken(why) => (
                NoticeKind::Warning,
                format!("Order {order_id} was not created: {why}"),
                vec!["Use a new order id.".into()],
            ),
            Reconciled::NotYet | Reconciled::Failed(_) | Reconciled::InFlight => return,
        };
        self.notice(kind, title, lines);
    }

    /// `r` on a history row was answered.
    pub(crate) fn refreshed(
        &mut self,
        order_id: String,
        was: Outcome,
        result: Result<Reconciled, TaskError>,
    ) -> Vec<Effect> {
        let text = match &result {
            Ok(Reconciled::Found(s)) if was == Outcome::NotCreated => format!(
                "{order_id}: {}. {}",
                s.status.as_deref().unwrap_or("found"),
                crate::orders::state::FOUND_AFTER_NOT_CREATED
            ),
            Ok(Reconciled::Found(s)) => {
                format!("{order_id}: {}", s.status.as_deref().unwrap_or("found"))
            }
            Ok(Reconciled::NotFound) => format!("{order_id}: {}", strings::NOT_CREATED),
            Ok(Reconciled::NotYet) => {
                format!("{order_id}: not at Juspay yet; {}", strings::KEEPS_CHECKING)
            }
            Ok(Reconciled::InFlight) => format!("{order_id}: {}", strings::IN_FLIGHT),
            Ok(Reconciled::IdTaken(why)) => format!("{order_id}: {why}"),
            Ok(Reconciled::Failed(e)) => {
                format!(
                    "{order_id}: could not check ({e}); {}",
                    strings::KEEPS_CHECKING
                )
            }
            Err(e) => format!(
                "{order_id}: could not check ({e}); {}",
                strings::KEEPS_CHECKING
            ),
        };
        let failed = !matches!(result, Ok(Reconciled::Found(_) | Reconciled::NotFound));
        // A settled order's earlier "could not check" warning no longer holds.
        if !failed
            && self
                .notice
                .as_ref()
                .is_some_and(|n| n.title.contains(order_id.as_str()))
        {
            self.notice = None;
        }
        let open = matches!(
            result,
            Ok(Reconciled::NotYet | Reconciled::InFlight | Reconciled::Failed(_)) | Err(_)
        );
        let mut effects = vec![self.toast(text, failed)];
        effects.extend(self.reload_history());
        if open {
            self.rechecks.open = self.rechecks.open.max(1);
            let pause = self.recheck_pause();
            effects.extend(self.schedule_recheck(pause));
        }
        effects
    }
}

/// What the desk says when a check of `order_id` did not find the order: its kind, title
/// and advice.
fn reconcile_notice(
    order_id: &str,
    result: Result<Reconciled, TaskError>,
) -> (NoticeKind, String, String) {
    match result {
        Ok(Reconciled::NotFound) => (
            NoticeKind::Info,
            format!("Order {order_id} was not created."),
            strings::NOT_CREATED.into(),
        ),
        Ok(Reconciled::NotYet) => (
            NoticeKind::Warning,
            format!("Order {order_id} is not at Juspay yet, but the send may still land."),
            strings::KEEPS_CHECKING.into(),
        ),
        Ok(Reconciled::InFlight) => (
            NoticeKind::Warning,
            format!("Order {order_id} is still being sent."),
            strings::IN_FLIGHT.into(),
        ),
        Ok(Reconciled::IdTaken(why)) => (
            NoticeKind::Warning,
            format!("Order {order_id} was not created: {why}"),
            "Use a new order id.".into(),
        ),
        Ok(Reconciled::Failed(e)) => (
            NoticeKind::Warning,
            format!("Could not check order {order_id}: {e}"),
            format!(
                "It stays 'unknown' in the history: {}",
                strings::KEEPS_CHECKING
            ),
        ),
        // Found is shown as the order, not as a notice.
        Ok(Reconciled::Found(_)) => (
            NoticeKind::Info,
            format!("Order {order_id} found."),
            String::new(),
        ),
        Err(message) => (
            NoticeKind::Warning,
            format!("Could not check order {order_id}: {message}"),
            format!("It stays open in the history: {}", strings::KEEPS_CHECKING),
        ),
    }
}
