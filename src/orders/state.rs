//! The order state machine: what an order's history row may say about it, the evidence
//! that moves a row between those states, and which states are final.
//!
//! This is the only place an outcome is decided. The history store writes a
//! [`Transition`] and nothing else; a `Transition` can only be made here, by [`decide`],
//! so every writer (desk, CLI, refresh, start-up) goes through the same rules:
//!
//! - "Not created" needs certainty: Juspay's own not-found answer, given when the send can
//!   no longer land (its process is gone and more than its request timeout plus a margin
//!   has passed since it left), or a request that never left this machine.
//! - Evidence of the order always wins: a 200 to the create or an Order Status answer
//!   showing the order moves any row to `created`, even a `not created` one (and says so),
//!   except a row Juspay rejected with a 400, which stays final.
//! - A plain 404, a proxy page, a 5xx, a timeout or a network error settles nothing; the
//!   row keeps its state and records why the check failed.

use serde::Serialize;

use crate::history::CreatedOrder;

/// What is known about one create attempt (one history row).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Row written, request in flight (or its process died before the answer came).
    Sending,
    /// The request may have reached Juspay and no answer settled it (timeout, 5xx,
    /// cancelled, crashed, or a check that could not tell). Open: re-checked.
    Unknown,
    /// Juspay holds the order (a 200, or Order Status showed it). Final as an outcome;
    /// its payment status may still change.
    Created,
    /// Juspay answered the create with an error (400, 401, …): nothing was created.
    Rejected,
    /// Certainly not at Juspay: the request never left, or Juspay's own not-found came
    /// after the send could no longer land. Still moves to `created` on evidence.
    NotCreated,
}

impl Outcome {
    pub const ALL: [Outcome; 5] = [
        Outcome::Sending,
        Outcome::Unknown,
        Outcome::Created,
        Outcome::Rejected,
        Outcome::NotCreated,
    ];

    /// The word stored in the database (`sending`, `unknown`, `created`, `rejected`,
    /// `not_created`).
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Sending => "sending",
            Outcome::Unknown => "unknown",
            Outcome::Created => "created",
            Outcome::Rejected => "rejected",
            Outcome::NotCreated => "not_created",
        }
    }

    /// Parses the stored word (case-insensitive; `not-created` and `not created` too).
    pub fn parse(word: &str) -> Option<Outcome> {
        let word = word.trim().replace(['-', ' '], "_");
        Outcome::ALL
            .into_iter()
            .find(|o| o.as_str().eq_ignore_ascii_case(&word))
    }

    /// True when no evidence but Juspay showing the order can change it any more:
    /// `created`, `rejected` and `not_created`. Open rows (`sending`, `unknown`) are
    /// re-checked until they settle.
    pub fn is_final(self) -> bool {
        !self.is_open()
    }

    /// `sending` or `unknown`: Juspay may or may not hold the order.
    pub fn is_open(self) -> bool {
        matches!(self, Outcome::Sending | Outcome::Unknown)
    }

    /// True when sending this order again cannot create a second order: only when it is
    /// certainly not at Juspay (`not_created`) or Juspay refused it (`rejected`). A resend
    /// reuses the order id either way (Juspay's idempotency key).
    pub fn may_resend_safely(self) -> bool {
        matches!(self, Outcome::NotCreated | Outcome::Rejected)
    }
}

impl std::fmt::Display for Outcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What was learnt about an order, from a create answer or an Order Status check.
#[derive(Debug, Clone)]
pub enum Evidence {
    /// Juspay showed the order: a 200 to `POST /session`, or Order Status found it.
    OrderSeen(CreatedOrder),
    /// Juspay answered the create with an error that means nothing was created (400,
    /// 401/403, a plain 404 for `POST /session`).
    CreateRefused { reason: String },
    /// The create never left this machine (no connection, bad configuration).
    NeverSent { reason: String },
    /// The create left and no answer settled it (timeout, 5xx, broken or unreadable
    /// answer, cancelled by the clerk).
    NoAnswer { reason: String },
    /// Juspay's own not-found answer to Order Status (its error body, not any 404).
    /// `send_can_no_longer_land` is decided by `reconcile` from the row's owner and lease.
    JuspayNotFound { send_can_no_longer_land: bool },
    /// The check itself failed: plain 404, proxy page, 5xx, timeout, network error.
    CheckFailed { reason: String },
    /// Order Status shows an order with this id but another amount: this attempt's id is
    /// taken, so it can never create its own order.
    IdTakenByOtherOrder { reason: String },
}

/// A decided change to one row: from which outcome (the store writes only if the row is
/// still there), to which, why, and what Juspay said. Only [`decide`] makes one.
#[derive(Debug, Clone)]
pub struct Transition {
    from: Outcome,
    to: Outcome,
    reason: Option<String>,
    order: Option<CreatedOrder>,
    note: Option<&'static str>,
    failed_check: Option<String>,
}

impl Transition {
    /// The outcome the row must still have for the write to apply.
    pub fn from(&self) -> Outcome {
        self.from
    }
    /// The outcome after the write.
    pub fn to(&self) -> Outcome {
        self.to
    }
    /// The reason stored in `error` (what failed or why the row is still open); `None`
    /// clears it.
    pub fn reason(&self) -> Option<&str> {
        self.reason.as_deref()
    }
    /// What Juspay said about the order, when it showed it.
    pub fn order(&self) -> Option<&CreatedOrder> {
        self.order.as_ref()
    }
    /// True when the outcome changes.
    pub fn changes_outcome(&self) -> bool {
        self.from != self.to
    }
    /// A sentence worth telling when the change contradicts what the row said before
    /// (a `not_created` row that Juspay now shows).
    pub fn note(&self) -> Option<&'static str> {
        self.note
    }
    /// Why the check failed, when this records a failed check (an event of the order's
    /// story).
    pub fn failed_check(&self) -> Option<&str> {
        self.failed_check.as_deref()
    }
}

/// Said when evidence of the order overturns a `not_created` row.
pub const FOUND_AFTER_NOT_CREATED: &str =
    "Juspay holds this order after all: it was recorded as not created and is now created";
/// The reason kept on an open row after Juspay's not-found came too early to be certain.
pub const NOT_AT_JUSPAY_YET: &str =
    "not at Juspay yet: the send may still land, so paydesk keeps checking";
/// The reason of a row settled as not created by Order Status.
pub const NOT_CREATED: &str = "not created: Juspay has no order with this id";

/// The rule table: what `evidence` does to a row that is `from`.
pub fn decide(from: Outcome, evidence: Evidence) -> Transition {
    let keep = |reason: Option<String>| Transition {
        from,
        to: from,
        reason,
        order: None,
        note: None,
        failed_check: None,
    };
    let to = |to: Outcome, reason: Option<String>| Transition {
        from,
        to,
        reason,
        order: None,
        note: None,
        failed_check: None,
    };
    use Outcome::*;
    match evidence {
        Evidence::OrderSeen(order) => match from {
            // A 400 is final: an order with this id is another attempt's, not this one.
            Rejected => keep(None),
            _ => Transition {
                from,
                to: Created,
                reason: None,
                order: Some(order),
                note: (from == NotCreated).then_some(FOUND_AFTER_NOT_CREATED),
                failed_check: None,
            },
        },
        Evidence::CreateRefused { reason } => match from {
            Sending | Unknown => to(Rejected, Some(reason)),
            _ => keep(None),
        },
        Evidence::NeverSent { reason } => match from {
            Sending => to(NotCreated, Some(reason)),
            _ => keep(None),
        },
        Evidence::NoAnswer { reason } => match from {
            Sending | Unknown => to(Unknown, Some(reason)),
            _ => keep(None),
        },
        Evidence::JuspayNotFound {
            send_can_no_longer_land,
        } => match from {
            Sending | Unknown if send_can_no_longer_land => {
                to(NotCreated, Some(NOT_CREATED.to_string()))
            }
            Sending | Unknown => to(Unknown, Some(NOT_AT_JUSPAY_YET.to_string())),
            _ => keep(None),
        },
        Evidence::CheckFailed { reason } => {
            let reason = format!("check failed: {reason}");
            let transition = match from {
                Sending | Unknown => to(Unknown, Some(reason.clone())),
                // A settled row keeps its reason; the story still tells the failed check.
                _ => keep(None),
            };
            Transition {
                failed_check: Some(reason),
                ..transition
            }
        }
        Evidence::IdTakenByOtherOrder { reason } => match from {
            Sending | Unknown => to(Rejected, Some(reason)),
            _ => keep(None),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seen() -> Evidence {
        Evidence::OrderSeen(CreatedOrder::default())
    }

    #[test]
    fn not_created_needs_a_send_that_can_no_longer_land() {
        let early = Evidence::JuspayNotFound {
            send_can_no_longer_land: false,
        };
        let t = decide(Outcome::Unknown, early);
        assert_eq!(t.to(), Outcome::Unknown);
        assert_eq!(t.reason(), Some(NOT_AT_JUSPAY_YET));
        let late = Evidence::JuspayNotFound {
            send_can_no_longer_land: true,
        };
        assert_eq!(decide(Outcome::Sending, late).to(), Outcome::NotCreated);
    }

    #[test]
    fn evidence_of_the_order_wins_except_over_a_rejection() {
        let t = decide(Outcome::NotCreated, seen());
        assert_eq!(t.to(), Outcome::Created);
        assert_eq!(t.note(), Some(FOUND_AFTER_NOT_CREATED));
        assert_eq!(decide(Outcome::Unknown, seen()).to(), Outcome::Created);
        assert_eq!(decide(Outcome::Rejected, seen()).to(), Outcome::Rejected);
    }

    #[test]
    fn failed_checks_settle_nothing() {
        for from in Outcome::ALL {
            let t = decide(
                from,
                Evidence::CheckFailed {
                    reason: "HTTP 404".into(),
                },
            );
            let expected = if from == Outcome::Sending {
                Outcome::Unknown
            } else {
                from
            };
            assert_eq!(t.to(), expected, "{from}");
            assert_eq!(t.to().is_open(), from.is_open());
        }
    }

    #[test]
    fn a_created_order_is_never_downgraded() {
        let refused = Evidence::CreateRefused {
            reason: "400".into(),
        };
        assert_eq!(decide(Outcome::Created, refused).to(), Outcome::Created);
        let nf = Evidence::JuspayNotFound {
            send_can_no_longer_land: true,
        };
        assert_eq!(decide(Outcome::Created, nf).to(), Outcome::Created);
    }

    #[test]
    fn stored_words_round_trip() {
        for o in Outcome::ALL {
            assert_eq!(Outcome::parse(o.as_str()), Some(o));
        }
        assert_eq!(Outcome::parse("not created"), Some(Outcome::NotCreated));
        assert!(Outcome::NotCreated.may_resend_safely());
        assert!(!Outcome::Unknown.may_resend_safely());
    }
}
