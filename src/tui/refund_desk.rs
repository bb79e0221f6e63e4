//! Refunds at the desk (issue 15, item 4), the router's side: which order the refund key
//! means (the history row in focus, else the result's order), the checks that need no
//! task (paid, the lender profile), opening the dialog (`parts::refund`) with what the
//! history knows, and the answers of the refund tasks (dialog outcome, the order view's
//! story and its live refunds, the history marks).

use std::time::Duration;

use crate::history::{OrderRow, Outcome};
use crate::juspay::OrderState;
use crate::juspay::refund::paise_from_rupees;
use crate::orders::refund::OrderKnown;
use crate::session::profile::RefundPolicy;
use crate::tui::app::*;
use crate::tui::chain::Target;
use crate::tui::effects::Effect;
use crate::tui::parts::refund::RefundDialog;
use crate::tui::refund_msgs::{RefundMsg, RefundTarget, RefundTask};

/// The order the refund key is about: id, amount (rupees as stored), Juspay status,
/// lender profile.
struct Chosen {
    order_id: String,
    amount: String,
    status: Option<String>,
    profile: Option<String>,
}

impl Chosen {
    fn from_row(row: &OrderRow) -> Chosen {
        Chosen {
            order_id: row.order_id.clone(),
            amount: row.amount.clone(),
            status: match row.outcome {
                Outcome::Created => row.status.clone(),
                _ => None,
            },
            profile: Some(row.profile.clone()),
        }
    }
}

impl App {
    /// The refund key: on a paid order, asks the history what is left (the dialog opens
    /// with the answer); else says why not in a toast.
    pub(crate) fn open_refund(&mut self) -> Vec<Effect> {
        let chosen = match self.focus_target() {
            Target::History => self.history.selected_row().map(Chosen::from_row),
            Target::Result => self.result.as_ref().map(|v| Chosen {
                order_id: v.order_id.clone(),
                amount: v.amount.clone(),
                status: v.status.clone(),
                profile: v.profile.clone(),
            }),
            _ => None,
        };
        let Some(chosen) = chosen else {
            return vec![self.toast("Choose a paid order to refund first", true)];
        };
        let paid = chosen
            .status
            .as_deref()
            .is_some_and(|s| OrderState::parse(s) == OrderState::Charged);
        if !paid {
            let status = chosen.status.as_deref().unwrap_or("not known");
            let text = format!(
                "Order {} is not paid (status {status}): there is nothing to refund",
                chosen.order_id
            );
            return vec![self.toast(text, true)];
        }
        let (policy, profile) = {
            let profile = chosen
                .profile
                .as_deref()
                .and_then(|name| self.profiles.get(name))
                .unwrap_or_else(|| self.current_profile());
            (profile.refunds, profile.name.clone())
        };
        if policy == RefundPolicy::None {
            let text = format!(
                "Refunds are not allowed for this lender (profile {profile}): ask the lender to \
                 cancel"
            );
            return vec![self.toast(text, true)];
        }
        let Some(order_paise) = paise_from_rupees(&chosen.amount) else {
            let text = format!("The amount of order {} is not known", chosen.order_id);
            return vec![self.toast(text, true)];
        };
        let target = RefundTarget {
            order_id: chosen.order_id,
            order_paise,
            refundable_paise: order_paise,
            policy,
            profile,
            production: self.env.production,
            env_name: self.env.name.clone(),
        };
        vec![Effect::Refund(RefundTask::Known(Box::new(target)))]
    }

    /// A refund task answered.
    pub(crate) fn refund_msg(&mut self, msg: RefundMsg) -> Vec<Effect> {
        match msg {
            RefundMsg::Known { target, result } => match result {
                Ok(known) => self.open_dialog(*target, &known),
                Err(e) => {
                    vec![self.toast(format!("Could not read the order's refunds: {e}"), true)]
                }
            },
            RefundMsg::Sent { order_id, result } => {
                let outcome = match &result {
                    Ok(report) => {
                        let state = report.refund.state;
                        let text = format!("Refund {}", state.described());
                        if state.holds_money() {
                            Ok(text)
                        } else {
                            Err(text)
                        }
                    }
                    Err(refused) => Err(format!("Not refunded: {refused}")),
                };
                let open = matches!(&result, Ok(report) if report.refund.state.is_open());
                let mut effects = self.refund_outcome(&order_id, outcome);
                effects.extend(self.story_now(&order_id));
                effects.extend(self.marks_due());
                if open {
                    effects.extend(self.follow_open_refunds(self.poll_interval));
                }
                effects
            }
            RefundMsg::Story {
                view_id,
                follow,
                result,
            } => self.story_loaded(view_id, follow, result),
            RefundMsg::FollowedOpen { open, changed } => {
                self.rechecks.refunds = false;
                let mut effects = Vec::new();
                if changed > 0 {
                    effects.extend(self.marks_due());
                }
                if open > 0 {
                    effects.extend(self.follow_open_refunds(self.poll_interval));
                }
                effects
            }
            RefundMsg::Marks { generation, marks } => {
                if generation == self.history.generation {
                    self.history.refund_marks = marks.into_iter().collect();
                }
                Vec::new()
            }
            RefundMsg::Unavailable { sending, message } => match sending {
                Some(order_id) => self.refund_outcome(
                    &order_id,
                    Err(format!("Not refunded: {message}; nothing was sent")),
                ),
                None => vec![self.toast(format!("Refunds: {message}"), true)],
            },
        }
    }

    fn open_dialog(&mut self, mut target: RefundTarget, known: &OrderKnown) -> Vec<Effect> {
        if let Some(open) = known.attempts.iter().find(|a| a.state.may_exist_unseen()) {
            let text = format!(
                "An earlier refund ({}) is not settled yet; it is sent again with the same id \
                 first",
                open.unique_request_id
            );
            return vec![self.toast(text, true)];
        }
        let order_paise = known.amount_paise().unwrap_or(target.order_paise);
        target.order_paise = order_paise;
        target.refundable_paise =
            crate::history::refunds::refundable_paise(order_paise, &known.attempts);
        let refunded = order_paise - target.refundable_paise;
        if target.refundable_paise == 0 {
            return vec![self.toast("Nothing is left to refund on this order", true)];
        }
        if let Err(e) = target
            .policy
            .check(&target.profile, None, order_paise, refunded)
        {
            return vec![self.toast(e, true)];
        }
        self.open(RefundDialog::new(target));
        Vec::new()
    }

    /// The refund's outcome goes to its dialog when that is still open, else to a toast.
    fn refund_outcome(&mut self, order_id: &str, outcome: Result<String, String>) -> Vec<Effect> {
        if let Some(dialog) = self.popup_as_mut::<RefundDialog>()
            && dialog.order_id() == order_id
        {
            dialog.finished(outcome);
            return Vec::new();
        }
        let error = outcome.is_err();
        let text = outcome.unwrap_or_else(|e| e);
        vec![self.toast(format!("{order_id}: {text}"), error)]
    }

    /// Follows the open refunds of this place after `after` (at start, and while some stay
    /// open), unless a follow is already scheduled.
    pub(crate) fn follow_open_refunds(&mut self, after: Duration) -> Vec<Effect> {
        if self.rechecks.refunds {
            return Vec::new();
        }
        self.rechecks.refunds = true;
        vec![Effect::Refund(RefundTask::FollowOpen {
            env_name: self.env.name.clone(),
            after,
        })]
    }

    /// The order view's story, asked for once per view (called after every message).
    pub(crate) fn story_due(&mut self) -> Vec<Effect> {
        match &mut self.result {
            Some(view) if !view.story_asked => {
                view.story_asked = true;
                vec![Effect::Refund(RefundTask::Story {
                    view_id: view.view_id,
                    order_id: view.order_id.clone(),
                    follow: false,
                    after: Duration::ZERO,
                })]
            }
            _ => Vec::new(),
        }
    }

    /// Reads the story again now when the order view shows `order_id`.
    fn story_now(&mut self, order_id: &str) -> Vec<Effect> {
        match &self.result {
            Some(view) if view.order_id == order_id => vec![Effect::Refund(RefundTask::Story {
                view_id: view.view_id,
                order_id: view.order_id.clone(),
                follow: false,
                after: Duration::ZERO,
            })],
            _ => Vec::new(),
        }
    }

    fn story_loaded(
        &mut self,
        view_id: u64,
        follow: bool,
        result: Result<
            (
                Vec<crate::history::RefundRow>,
                Vec<crate::history::OrderEvent>,
            ),
            crate::tui::task_error::TaskError,
        >,
    ) -> Vec<Effect> {
        let interval = self.poll_interval;
        let Some(view) = self.result.as_mut().filter(|v| v.view_id == view_id) else {
            return Vec::new();
        };
        let mut effects = Vec::new();
        if follow {
            view.story_following = false;
        }
        match result {
            Ok((refunds, events)) => {
                view.refunds = refunds;
                view.events = events;
            }
            Err(e) => tracing::warn!(error = %e, "desk: the order's story could not be read"),
        }
        // Open refunds are followed while the view is up, one follow at a time.
        let open = view.refunds.iter().any(|r| r.state.is_open());
        if open && !view.story_following {
            view.story_following = true;
            effects.push(Effect::Refund(RefundTask::Story {
                view_id,
                order_id: view.order_id.clone(),
                follow: true,
                after: interval,
            }));
        }
        // A follow may have settled a refund: the history marks follow it.
        if follow {
            effects.extend(self.marks_due());
        }
        effects
    }

    /// The refund marks of the rows in the history window (a row's status there may be
    /// older than its refunds, so every row is asked about).
    pub(crate) fn marks_due(&self) -> Vec<Effect> {
        let ids: Vec<i64> = self.history.rows.iter().map(|r| r.id).collect();
        if ids.is_empty() {
            return Vec::new();
        }
        vec![Effect::Refund(RefundTask::Marks {
            generation: self.history.generation,
            ids,
        })]
    }
}
