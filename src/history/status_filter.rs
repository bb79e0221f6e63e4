//! What `history --status` accepts: the words the desk shows (`paid`, `failed`, `new`),
//! our outcomes (`sending`, `created`, `rejected`, `unknown`), Juspay's statuses
//! (`CHARGED`, `PENDING_VBV`, …; reference juspay-session-api.md, order status values)
//! and the refund marks (`refunded`, `partially_refunded`), in any case, with `-` or a
//! space for `_`.

use super::store::{FINAL_STATUSES, Outcome, Query, RefundMark};
use crate::session::suggest;

/// Juspay's order statuses (reference juspay-session-api.md, "Status values") and the
/// final ones paydesk also knows.
const JUSPAY_STATUSES: [&str; 8] = [
    "NEW",
    "PENDING_VBV",
    "CHARGED",
    "AUTHENTICATION_FAILED",
    "AUTHORIZATION_FAILED",
    "JUSPAY_DECLINED",
    "AUTHORIZING",
    "STARTED",
];

/// The statuses behind the desk's FAILED badge.
const FAILED: [&str; 3] = [
    "AUTHENTICATION_FAILED",
    "AUTHORIZATION_FAILED",
    "JUSPAY_DECLINED",
];

/// A parsed `--status` word.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StatusFilter {
    /// One of our outcomes (the row's state before or without a Juspay status).
    Outcome(Outcome),
    /// Any of these Juspay statuses (upper case).
    Statuses(Vec<String>),
    /// Orders whose successful refunds cover all (or part) of the amount.
    Refunded(RefundMark),
}

impl StatusFilter {
    /// Parses a status word in any case. Errors: the word is unknown; the message lists
    /// every accepted word (with a did-you-mean when one is close).
    pub fn parse(word: &str) -> Result<StatusFilter, String> {
        let folded = word.trim().to_ascii_uppercase().replace(['-', ' '], "_");
        if let Some(outcome) = Outcome::parse(&folded) {
            return Ok(StatusFilter::Outcome(outcome));
        }
        let one = |s: &str| Ok(StatusFilter::Statuses(vec![s.to_string()]));
        match folded.as_str() {
            "PAID" => return one("CHARGED"),
            "REFUNDED" => return Ok(StatusFilter::Refunded(RefundMark::Full)),
            "PARTIALLY_REFUNDED" => return Ok(StatusFilter::Refunded(RefundMark::Partial)),
            "FAILED" => {
                return Ok(StatusFilter::Statuses(
                    FAILED.iter().map(|s| s.to_string()).collect(),
                ));
            }
            _ => {}
        }
        if let Some(status) = JUSPAY_STATUSES
            .iter()
            .chain(FINAL_STATUSES)
            .find(|s| **s == folded)
        {
            return one(status);
        }
        let words = Self::words();
        Err(format!(
            "unknown status {:?}{}; use one of: {}",
            crate::text::sanitize_line(word.trim()),
            suggest::hint(word.trim(), words.iter().copied()),
            words.join(", ")
        ))
    }

    /// Every word `parse` accepts, desk words first.
    pub fn words() -> Vec<&'static str> {
        let mut words = vec!["paid", "failed"];
        words.extend(Outcome::ALL.iter().map(|o| o.as_str()));
        words.extend(["refunded", "partially_refunded"]);
        for s in JUSPAY_STATUSES.iter().chain(FINAL_STATUSES) {
            if !words.contains(s) {
                words.push(s);
            }
        }
        words
    }

    /// Narrows a history query to this filter.
    pub fn apply(&self, query: &mut Query) {
        match self {
            StatusFilter::Outcome(outcome) => query.outcome = Some(*outcome),
            StatusFilter::Statuses(statuses) => query.statuses = statuses.clone(),
            StatusFilter::Refunded(mark) => query.refunded = Some(*mark),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn desk_words_and_juspay_statuses_in_any_case() {
        let statuses = |w: &str| match StatusFilter::parse(w) {
            Ok(StatusFilter::Statuses(s)) => s,
            other => panic!("{w}: {other:?}"),
        };
        for w in ["paid", "PAID", "Paid", "charged", "CHARGED", " Charged "] {
            assert_eq!(statuses(w), ["CHARGED"], "{w}");
        }
        assert_eq!(statuses("failed"), FAILED);
        assert_eq!(statuses("new"), ["NEW"]);
        assert_eq!(statuses("pending-vbv"), ["PENDING_VBV"]);
        assert_eq!(statuses("auto_refunded"), ["AUTO_REFUNDED"]);
        assert_eq!(
            StatusFilter::parse("Rejected"),
            Ok(StatusFilter::Outcome(Outcome::Rejected))
        );
        assert_eq!(
            StatusFilter::parse("Partially-Refunded"),
            Ok(StatusFilter::Refunded(RefundMark::Partial))
        );
        assert_eq!(
            StatusFilter::parse("refunded"),
            Ok(StatusFilter::Refunded(RefundMark::Full))
        );
    }

    #[test]
    fn an_unknown_word_lists_the_valid_ones() {
        let Err(m) = StatusFilter::parse("chargd") else {
            panic!("accepted");
        };
        assert!(m.starts_with("unknown status \"chargd\""), "{m}");
        assert!(m.contains("did you mean \"CHARGED\""), "{m}");
        for w in [
            "paid",
            "failed",
            "sending",
            "created",
            "NEW",
            "JUSPAY_DECLINED",
            "VOIDED",
        ] {
            assert!(m.contains(w), "{w} missing from {m}");
        }
    }
}
