//! The refund work the desk hands to tasks, and what they answer (issue 15, item 4).
//! Data only: `parts::refund` asks, `refund_tasks` runs, `refund_desk` takes the answers.

use crate::history::{OrderEvent, RefundMark, RefundRow};
use crate::orders::refund::{OrderKnown, RefundAsk, RefundRefused, RefundReport};
use crate::session::profile::RefundPolicy;

use super::task_error::TaskError;

/// What the refund dialog is for: the order and what the history knows of its refunds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefundTarget {
    pub order_id: String,
    /// The order amount, in paise.
    pub order_paise: u64,
    /// What is left to refund: the amount minus successful and pending refunds (paise).
    pub refundable_paise: u64,
    /// The lender profile's rule and its name (for the messages).
    pub policy: RefundPolicy,
    pub profile: String,
    /// Production: the dialog asks once more before sending.
    pub production: bool,
    /// The environment whose client sends it.
    pub env_name: String,
}

/// A refund the dialog wants sent (through `orders::refund::refund`, row first).
#[derive(Debug, Clone)]
pub struct RefundSend {
    pub ask: RefundAsk,
    pub policy: RefundPolicy,
    pub profile: String,
    /// The environment whose client sends it (its place scopes the history rows).
    pub env_name: String,
}

/// Refund work for a task (`Effect::Refund`).
#[derive(Debug, Clone)]
pub enum RefundTask {
    /// What the history knows of the order's refunds, to open the dialog for `target`
    /// (its `refundable_paise` still to be worked out).
    Known(Box<RefundTarget>),
    /// Send a refund.
    Send(Box<RefundSend>),
    /// Read the order's refunds and events for the order view, after following its open
    /// refunds (Order Status, or a re-send with the same id) when `follow` is set.
    Story {
        view_id: u64,
        order_id: String,
        follow: bool,
        after: std::time::Duration,
    },
    /// Follow every open refund of the environment's place (`orders::refund::follow_open`,
    /// as at every start), after `after`.
    FollowOpen {
        env_name: String,
        after: std::time::Duration,
    },
    /// Which of these history rows are refunded, in full or in part.
    Marks { generation: u64, ids: Vec<i64> },
}

/// A refund task's answer (`Msg::Refund`).
#[derive(Debug)]
pub enum RefundMsg {
    Known {
        target: Box<RefundTarget>,
        result: Result<Box<OrderKnown>, TaskError>,
    },
    Sent {
        order_id: String,
        result: Result<Box<RefundReport>, RefundRefused>,
    },
    Story {
        view_id: u64,
        /// The answer of a follow (`RefundTask::Story` with `follow`).
        follow: bool,
        result: Result<(Vec<RefundRow>, Vec<OrderEvent>), TaskError>,
    },
    Marks {
        generation: u64,
        marks: Vec<(i64, RefundMark)>,
    },
    /// The open refunds were followed: how many are still open, how many changed state.
    FollowedOpen { open: usize, changed: usize },
    /// The history or the client is not available: nothing was done.
    Unavailable {
        /// Set when a refund was to be sent.
        sending: Option<String>,
        message: String,
    },
}

impl RefundTask {
    /// The answer when the task cannot run (no history or client).
    pub fn unavailable(&self, message: String) -> RefundMsg {
        let sending = match self {
            RefundTask::Send(send) => Some(send.ask.order_id.clone()),
            _ => None,
        };
        RefundMsg::Unavailable { sending, message }
    }
}
