//! The refund state machine, next to the order one (`state`): what a refund attempt's
//! history row may say, the evidence that moves it, and which states are open.
//!
//! The only place a refund's state is decided: the store writes a [`RefundTransition`],
//! which only [`decide`] makes. The rules (reference juspay-refunds.md, "Consequences for
//! paydesk"):
//!
//! - Juspay showing the refund (in the refund answer or in Order Status's `refunds`,
//!   matched by `unique_request_id`) always wins: the row takes Juspay's status.
//! - A lost answer settles nothing: the row is `unknown` and the same `unique_request_id`
//!   is sent again (Juspay answers `duplicate.call` when the first one landed).
//! - A refusal (amount exceeded, invalid amount, unpaid order, same amount in progress,
//!   unknown order) means no refund exists under this id: `rejected`.
//! - Only a request that never left this machine is `not_sent`.

use serde::Serialize;

use crate::juspay::RefundStatus;

/// What is known about one refund attempt (one `refunds` row).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RefundState {
    /// Row written, request in flight (or its process died before the answer).
    Sending,
    /// Sent, and no answer settled it: retried with the same `unique_request_id`.
    Unknown,
    /// Juspay holds it as `PENDING`: polled with Order Status.
    Pending,
    /// Juspay's `SUCCESS`: the money went back.
    Success,
    /// Juspay's `FAILURE`: nothing refunded; a new attempt needs a new id.
    Failure,
    /// Juspay's `MANUAL_REVIEW`: the merchant settles it with the gateway by hand.
    ManualReview,
    /// Juspay refused the request (400): no refund under this id.
    Rejected,
    /// The request never left this machine.
    NotSent,
}

impl RefundState {
    pub const ALL: [RefundState; 8] = [
        RefundState::Sending,
        RefundState::Unknown,
        RefundState::Pending,
        RefundState::Success,
        RefundState::Failure,
        RefundState::ManualReview,
        RefundState::Rejected,
        RefundState::NotSent,
    ];

    /// The word stored in the database (`sending`, …, `manual_review`, `not_sent`).
    pub fn as_str(self) -> &'static str {
        match self {
            RefundState::Sending => "sending",
            RefundState::Unknown => "unknown",
            RefundState::Pending => "pending",
            RefundState::Success => "success",
            RefundState::Failure => "failure",
            RefundState::ManualReview => "manual_review",
            RefundState::Rejected => "rejected",
            RefundState::NotSent => "not_sent",
        }
    }

    /// Parses the stored word.
    pub fn parse(word: &str) -> Option<RefundState> {
        RefundState::ALL
            .into_iter()
            .find(|s| s.as_str().eq_ignore_ascii_case(word.trim()))
    }

    /// Re-checked at every start and by `history refresh`: `sending`, `unknown`
    /// (re-sent with the same id) and `pending` (polled).
    pub fn is_open(self) -> bool {
        matches!(
            self,
            RefundState::Sending | RefundState::Unknown | RefundState::Pending
        )
    }

    /// Whether Juspay may not know yet whether this attempt exists: a new attempt (new
    /// `unique_request_id`) must wait until it is settled.
    pub fn may_exist_unseen(self) -> bool {
        matches!(self, RefundState::Sending | RefundState::Unknown)
    }

    /// Whether the attempt holds (or may hold) money of the order: everything but
    /// `failure`, `rejected` and `not_sent`. Used for what is left to refund.
    pub fn holds_money(self) -> bool {
        !matches!(
            self,
            RefundState::Failure | RefundState::Rejected | RefundState::NotSent
        )
    }

    /// The stored word and what it means for the clerk, e.g. `pending (Juspay queued
    /// it; ...)`.
    pub fn described(self) -> String {
        let meaning = match self {
            RefundState::Sending => "being sent",
            RefundState::Unknown => "answer lost: sent again with the same id at the next start",
            RefundState::Pending => "Juspay queued it; `paydesk status` follows it",
            RefundState::Success => "refunded",
            RefundState::Failure => "not refunded; a new refund may be made",
            RefundState::ManualReview => "the gateway's answer was unclear: reconcile it by hand",
            RefundState::Rejected => "refused by Juspay: nothing refunded",
            RefundState::NotSent => "never left this machine: nothing refunded",
        };
        format!("{} ({meaning})", self.as_str())
    }

    /// The state for Juspay's status word; an unknown word keeps the refund pending
    /// (checked again) rather than claiming an end.
    pub fn from_juspay(status: &RefundStatus) -> RefundState {
        match status {
            RefundStatus::Success => RefundState::Success,
            RefundStatus::Failure => RefundState::Failure,
            RefundStatus::ManualReview => RefundState::ManualReview,
            RefundStatus::Pending | RefundStatus::Other(_) => RefundState::Pending,
        }
    }
}

impl std::fmt::Display for RefundState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What was learnt about one refund attempt.
#[derive(Debug, Clone)]
pub enum RefundEvidence {
    /// Juspay shows the refund with this status; `amount_paise` as Juspay gives it.
    Seen {
        status: RefundStatus,
        amount_paise: Option<u64>,
        /// Juspay's error code and message of a failed refund, in a line.
        error: Option<String>,
    },
    /// Order Status (or the refund answer) lists the order's refunds and this id is not
    /// among them.
    Absent,
    /// Juspay refused the request: nothing refunded under this id.
    Refused { reason: String },
    /// The request never left this machine.
    NeverSent { reason: String },
    /// The request left and no answer settled it.
    NoAnswer { reason: String },
    /// The Order Status check failed.
    CheckFailed { reason: String },
}

/// A decided change to one refund row. Only [`decide`] makes one.
#[derive(Debug, Clone)]
pub struct RefundTransition {
    from: RefundState,
    to: RefundState,
    reason: Option<String>,
    amount_paise: Option<u64>,
    failed_check: bool,
}

impl RefundTransition {
    /// The state the row must still have for the write to apply.
    pub fn from(&self) -> RefundState {
        self.from
    }
    /// The state after the write.
    pub fn to(&self) -> RefundState {
        self.to
    }
    /// Stored in `error`; `None` keeps an unchanged row's reason and clears a changed one.
    pub fn reason(&self) -> Option<&str> {
        self.reason.as_deref()
    }
    /// The amount Juspay gives for the refund (paise), when it showed it.
    pub fn amount_paise(&self) -> Option<u64> {
        self.amount_paise
    }
    /// True when the state changes.
    pub fn changes_state(&self) -> bool {
        self.from != self.to
    }
    /// True when this records a failed check (an event of the order's story).
    pub fn failed_check(&self) -> bool {
        self.failed_check
    }
}

/// Reason kept on a row whose answer was lost.
pub const RETRY_SAME_ID: &str = "no answer: paydesk sends it again with the same unique_request_id";
/// Reason kept when Juspay's refunds do not list this attempt (yet).
pub const NOT_AT_JUSPAY: &str =
    "Juspay lists no refund with this unique_request_id yet: it is sent again with the same id";

/// The rule table: what `evidence` does to a row that is `from`.
pub fn decide(from: RefundState, evidence: RefundEvidence) -> RefundTransition {
    let make = |to: RefundState, reason: Option<String>| RefundTransition {
        from,
        to,
        reason,
        amount_paise: None,
        failed_check: false,
    };
    let keep = || make(from, None);
    use RefundState::*;
    match evidence {
        RefundEvidence::Seen {
            status,
            amount_paise,
            error,
        } => RefundTransition {
            from,
            to: RefundState::from_juspay(&status),
            reason: error,
            amount_paise,
            failed_check: false,
        },
        RefundEvidence::Absent => match from {
            Sending | Unknown => make(Unknown, Some(NOT_AT_JUSPAY.to_string())),
            _ => keep(),
        },
        RefundEvidence::Refused { reason } => match from {
            Sending | Unknown => make(Rejected, Some(reason)),
            _ => keep(),
        },
        RefundEvidence::NeverSent { reason } => match from {
            Sending => make(NotSent, Some(reason)),
            _ => keep(),
        },
        RefundEvidence::NoAnswer { reason } => match from {
            Sending | Unknown => make(Unknown, Some(format!("{reason}; {RETRY_SAME_ID}"))),
            _ => keep(),
        },
        RefundEvidence::CheckFailed { reason } => {
            let to = if from == Sending { Unknown } else { from };
            RefundTransition {
                failed_check: true,
                ..make(to, Some(format!("check failed: {reason}")))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seen(status: RefundStatus) -> RefundEvidence {
        RefundEvidence::Seen {
            status,
            amount_paise: Some(100),
            error: None,
        }
    }

    #[test]
    fn juspay_showing_the_refund_always_wins() {
        for from in RefundState::ALL {
            assert_eq!(
                decide(from, seen(RefundStatus::Success)).to(),
                RefundState::Success
            );
            assert_eq!(
                decide(from, seen(RefundStatus::Other("NEWWORD".into()))).to(),
                RefundState::Pending
            );
        }
    }

    #[test]
    fn a_lost_answer_keeps_the_attempt_open_for_the_same_id() {
        let t = decide(
            RefundState::Sending,
            RefundEvidence::NoAnswer {
                reason: "timeout".into(),
            },
        );
        assert_eq!(t.to(), RefundState::Unknown);
        assert!(t.to().may_exist_unseen());
        assert_eq!(
            decide(RefundState::Unknown, RefundEvidence::Absent).to(),
            RefundState::Unknown
        );
        // Only a request that never left is not sent; an unknown one may have landed.
        let never = || RefundEvidence::NeverSent {
            reason: "refused".into(),
        };
        assert_eq!(
            decide(RefundState::Sending, never()).to(),
            RefundState::NotSent
        );
        assert_eq!(
            decide(RefundState::Unknown, never()).to(),
            RefundState::Unknown
        );
    }

    #[test]
    fn refusals_and_failed_checks_never_touch_a_refund_juspay_showed() {
        for from in [
            RefundState::Pending,
            RefundState::Success,
            RefundState::ManualReview,
        ] {
            let refused = RefundEvidence::Refused {
                reason: "exceeded".into(),
            };
            assert_eq!(decide(from, refused).to(), from);
            let failed = decide(
                from,
                RefundEvidence::CheckFailed {
                    reason: "500".into(),
                },
            );
            assert_eq!(failed.to(), from);
            assert!(failed.failed_check());
        }
    }

    #[test]
    fn stored_words_round_trip_and_money_is_counted() {
        for s in RefundState::ALL {
            assert_eq!(RefundState::parse(s.as_str()), Some(s));
        }
        assert!(RefundState::Pending.holds_money());
        assert!(RefundState::Unknown.holds_money());
        assert!(!RefundState::Failure.holds_money());
        assert!(!RefundState::Rejected.holds_money());
    }
}
