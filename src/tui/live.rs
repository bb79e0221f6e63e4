//! The desk live on the branch ledger (issue 14, items 4 to 6), the app's side: other
//! counters' changes reload the history window in place (one reload in flight at a time,
//! one more if changes came in meanwhile) and re-read the order view's row and story when
//! they concern its order; the header says when live updates are paused or the ledger
//! cannot be reached. Plain state changes: the work is done by effects.

use std::time::Duration;

use crate::history::{OrderRow, Outcome};
use crate::ledger::live::LedgerChange;
use crate::tui::app::*;
use crate::tui::effects::Effect;
use crate::tui::live_msg::LiveMsg;
use crate::tui::order_view::OrderView;
use crate::tui::refund_msgs::RefundTask;

/// The header's words while live updates are paused.
pub const PAUSED: &str = "live updates paused — reconnecting";
/// The header's words while the branch ledger cannot be reached (its masked URL follows).
pub const UNREACHABLE: &str = "branch ledger unreachable";

impl App {
    /// A message about the ledger as a whole.
    pub(crate) fn live_msg(&mut self, msg: LiveMsg) -> Vec<Effect> {
        match msg {
            LiveMsg::Branch { place } => {
                self.live.branch = Some(place);
                // Every desk of the branch asks for its poll batch each interval, whether
                // or not it sees open rows (another desk's orders may fall to it).
                let pause = self.recheck_pause();
                self.schedule_recheck(pause).into_iter().collect()
            }
            LiveMsg::Change(change) => self.ledger_changed(change),
            LiveMsg::Unreachable { place, reason } => {
                tracing::warn!(%place, %reason, "desk: the ledger cannot be reached");
                self.live.unreachable = Some(place);
                Vec::new()
            }
            LiveMsg::Reachable => {
                self.live.unreachable = None;
                Vec::new()
            }
            LiveMsg::Row { view_id, row } => self.view_row_read(view_id, row.map(|r| *r)),
        }
    }

    /// What the header says about the ledger, if anything: unreachable first, then live
    /// updates paused.
    pub fn ledger_warning(&self) -> Option<String> {
        if let Some(place) = &self.live.unreachable {
            // The words that matter first: a narrow header cuts the URL's end.
            let url = place.strip_prefix("the branch ledger ").unwrap_or(place);
            return Some(format!("{UNREACHABLE}: {url}"));
        }
        self.live.paused.as_ref().map(|_| PAUSED.to_string())
    }

    fn ledger_changed(&mut self, change: LedgerChange) -> Vec<Effect> {
        self.live.changes += 1;
        match change {
            LedgerChange::Changed { kind, id, order_id } => {
                let mut effects = self.reload_for_change();
                let about_view = self.result.as_ref().is_some_and(|view| {
                    order_id.is_empty()
                        || view.order_id == order_id
                        || (kind.is_order() && view.history_id == Some(id))
                });
                if about_view {
                    effects.extend(self.reread_view());
                }
                effects
            }
            LedgerChange::Resync => {
                self.live.paused = None;
                let mut effects = self.reload_for_change();
                effects.extend(self.reread_view());
                effects
            }
            LedgerChange::Interrupted(why) => {
                tracing::warn!(reason = %why, "desk: live updates paused");
                self.live.paused = Some(why);
                Vec::new()
            }
        }
    }

    /// Reloads the history window for a change, unless a reload for changes is in flight
    /// (then one more follows its answer).
    fn reload_for_change(&mut self) -> Vec<Effect> {
        if self.live.history.in_flight.is_some() {
            self.live.history.again = true;
            return Vec::new();
        }
        let effects = self.reload_history();
        for effect in &effects {
            if let Effect::LoadHistory { generation, .. } = effect {
                self.live.history.in_flight = Some(*generation);
                self.live.reloads += 1;
            }
        }
        effects
    }

    /// A window answer of `generation` arrived (loaded or failed): it ends the reload for
    /// changes when it is that one or newer (asked after it); then the next, if changes
    /// came in meanwhile.
    pub(crate) fn history_answered(&mut self, generation: u64) -> Vec<Effect> {
        match self.live.history.in_flight {
            Some(asked) if generation >= asked => {
                self.live.history.in_flight = None;
                if std::mem::take(&mut self.live.history.again) {
                    return self.reload_for_change();
                }
                Vec::new()
            }
            _ => Vec::new(),
        }
    }

    /// Reads the order view's row and story again, one read at a time.
    fn reread_view(&mut self) -> Vec<Effect> {
        let Some(view) = &self.result else {
            return Vec::new();
        };
        if self.live.view.in_flight == Some(view.view_id) {
            self.live.view.again = true;
            return Vec::new();
        }
        self.live.view = Default::default();
        self.live.view.in_flight = Some(view.view_id);
        vec![
            Effect::ReadOrder {
                view_id: view.view_id,
                history_id: view.history_id,
                order_id: view.order_id.clone(),
            },
            Effect::Refund(RefundTask::Story {
                view_id: view.view_id,
                order_id: view.order_id.clone(),
                follow: false,
                after: Duration::ZERO,
            }),
        ]
    }

    /// The order view's row as read again: its status (and what else the row learnt)
    /// goes on screen; the bell rings when it became paid.
    fn view_row_read(&mut self, view_id: u64, row: Option<OrderRow>) -> Vec<Effect> {
        if self.live.view.in_flight == Some(view_id) {
            self.live.view.in_flight = None;
        }
        let mut effects = Vec::new();
        if let (Some(view), Some(row)) =
            (self.result.as_mut().filter(|v| v.view_id == view_id), row)
        {
            follow_row(view, &row);
            if view.state() == Some(crate::juspay::OrderState::Charged) && !view.bell_rung {
                view.bell_rung = true;
                effects.push(Effect::Bell);
            }
        }
        if std::mem::take(&mut self.live.view.again) {
            effects.extend(self.reread_view());
        }
        effects
    }
}

/// Takes into `view` what its row now says (another counter's poll, send or check): the
/// status, when it was checked, and the Juspay id and link when the view had none.
fn follow_row(view: &mut OrderView, row: &OrderRow) {
    let status = row.status.clone().or_else(|| match row.outcome {
        Outcome::Sending => Some("SENDING".into()),
        Outcome::Unknown => Some("UNKNOWN".into()),
        Outcome::Rejected | Outcome::NotCreated => Some("NOT CREATED".into()),
        Outcome::Created => None,
    });
    if status.is_some() {
        view.status = status;
    }
    if let Some(at) = row.status_checked_at.as_deref().and_then(|t| {
        time::OffsetDateTime::parse(t, &time::format_description::well_known::Rfc3339).ok()
    }) {
        view.checked_at = Some(at);
    }
    if view.juspay_id.is_none() {
        view.juspay_id = row.juspay_id.clone();
    }
    if view.link.is_none() && row.payment_link.is_some() {
        view.link = row.payment_link.clone();
        view.qr = view.link.as_deref().map(crate::tui::qr_view::encode);
    }
    if view.history_id.is_none() {
        view.history_id = Some(row.id);
    }
}
