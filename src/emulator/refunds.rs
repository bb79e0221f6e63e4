//! The emulator's Refund API (`POST /orders/{order_id}/refunds`), following reference
//! juspay-refunds.md: only `CHARGED` orders, at most the amount not yet refunded,
//! `unique_request_id` as idempotency key (`duplicate.call`), the 5-second same-amount
//! guard, refunds that start `PENDING` and settle after a delay (to `SUCCESS`, or to
//! `FAILURE` / `MANUAL_REVIEW` under the `refund-failure` / `refund-manual-review`
//! faults), and the `refunds` array of Order Status.
//!
//! Time comes from the book's own `Clock`, which tests freeze and move by hand, so the
//! guard and the settling need no sleeps. Statuses are worked out when read; nothing
//! runs in the background.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use axum::http::StatusCode;
use serde_json::{Map, Value, json};
use time::OffsetDateTime;

use super::clock::{Clock, iso, later};
use super::rules;

/// Juspay refuses the same amount again within about 5 seconds (reference, "Errors").
const SAME_AMOUNT_GUARD: time::Duration = time::Duration::seconds(5);
/// How long a refund stays `PENDING` unless set otherwise: long enough to see it in the
/// desk, short enough for a demo (Juspay may take 15 minutes or more).
pub(crate) const DEFAULT_SETTLE_AFTER: Duration = Duration::from_secs(10);
/// Juspay's limit on `unique_request_id` (reference, "Request").
const UNIQUE_REQUEST_ID_MAX: usize = 20;

/// How a refund ends once its delay has passed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefundOutcome {
    Success,
    Failure,
    ManualReview,
}

impl RefundOutcome {
    fn status(self) -> &'static str {
        match self {
            RefundOutcome::Success => "SUCCESS",
            RefundOutcome::Failure => "FAILURE",
            RefundOutcome::ManualReview => "MANUAL_REVIEW",
        }
    }
}

/// One refund as the emulator holds it, for tests and drills.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeldRefund {
    pub unique_request_id: String,
    /// In paise.
    pub amount_paise: u64,
    /// `PENDING`, `SUCCESS`, `FAILURE` or `MANUAL_REVIEW`, at the emulator's clock.
    pub status: &'static str,
}

#[derive(Debug, Clone)]
struct Entry {
    unique_request_id: String,
    amount_paise: u64,
    created: OffsetDateTime,
    settles_at: OffsetDateTime,
    outcome: RefundOutcome,
}

impl Entry {
    fn status(&self, now: OffsetDateTime) -> &'static str {
        if now >= self.settles_at {
            self.outcome.status()
        } else {
            "PENDING"
        }
    }

    /// Counts against the order amount unless it failed.
    fn holds_money(&self, now: OffsetDateTime) -> bool {
        self.status(now) != "FAILURE"
    }

    fn to_json(&self, now: OffsetDateTime) -> Value {
        let status = self.status(now);
        let settled = status != "PENDING";
        let (error_code, error_message) = match status {
            "FAILURE" => (
                json!("REFUND_FAILED"),
                json!("The gateway declined the refund (emulator fault refund-failure)."),
            ),
            "MANUAL_REVIEW" => (
                json!("MANUAL_REVIEW"),
                json!("The gateway's answer was ambiguous (emulator fault refund-manual-review)."),
            ),
            _ => (Value::Null, Value::Null),
        };
        json!({
            // Juspay's `id` falls back to the unique request id.
            "id": self.unique_request_id,
            "ref": if settled { json!(format!("emu_{}", self.unique_request_id)) } else { Value::Null },
            "unique_request_id": self.unique_request_id,
            "amount": rupees_number(self.amount_paise),
            "created": iso(self.created),
            "status": status,
            "sent_to_gateway": settled,
            "refund_type": "STANDARD",
            "refund_source": "EMULATOR",
            "initiated_by": "API",
            "error_code": error_code,
            "error_message": error_message,
        })
    }
}

/// What an order must be for a refund, as the handler knows it.
pub(crate) struct RefundTarget<'a> {
    pub order_id: &'a str,
    pub amount_paise: u64,
    /// The order's status word (`CHARGED`, `NEW`, …).
    pub status: &'a str,
}

/// Every refund the emulator holds, its clock and its settling delay.
pub(crate) struct RefundBook {
    inner: Mutex<Book>,
}

struct Book {
    by_order: HashMap<String, Vec<Entry>>,
    clock: Clock,
    settle_after: Duration,
}

impl RefundBook {
    pub(crate) fn new() -> RefundBook {
        RefundBook {
            inner: Mutex::new(Book {
                by_order: HashMap::new(),
                clock: Clock::default(),
                settle_after: DEFAULT_SETTLE_AFTER,
            }),
        }
    }

    fn book(&self) -> std::sync::MutexGuard<'_, Book> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub(crate) fn freeze_clock(&self, at: OffsetDateTime) {
        self.book().clock.freeze(at);
    }

    /// Moves the clock forward, freezing it first at the current time if it runs.
    pub(crate) fn advance_clock(&self, by: Duration) {
        self.book().clock.advance(by);
    }

    /// For refunds created from now on.
    pub(crate) fn set_settle_after(&self, after: Duration) {
        self.book().settle_after = after;
    }

    pub(crate) fn held(&self, order_id: &str) -> Vec<HeldRefund> {
        let book = self.book();
        let now = book.clock.now();
        book.by_order
            .get(order_id)
            .map(|entries| {
                entries
                    .iter()
                    .map(|e| HeldRefund {
                        unique_request_id: e.unique_request_id.clone(),
                        amount_paise: e.amount_paise,
                        status: e.status(now),
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Checks a refund request (the form body) against the order and records it.
    /// `Err` is the 400 answer; `Ok` means the caller answers with Order Status.
    pub(crate) fn request(
        &self,
        order: &RefundTarget<'_>,
        body: &[u8],
        outcome: RefundOutcome,
    ) -> Result<(), (StatusCode, Value)> {
        let form = parse_form(body);
        let unique_request_id = match form.get("unique_request_id").map(|s| s.trim()) {
            Some(id) if !id.is_empty() => id.to_string(),
            _ => return Err(missing_fields()),
        };
        if unique_request_id.len() > UNIQUE_REQUEST_ID_MAX
            || !unique_request_id.bytes().all(|b| b.is_ascii_alphanumeric())
        {
            return Err(bad_unique_request_id());
        }
        let mut book = self.book();
        let now = book.clock.now();
        let settle_after = book.settle_after;
        let entries = book.by_order.entry(order.order_id.to_string()).or_default();
        if entries
            .iter()
            .any(|e| e.unique_request_id == unique_request_id)
        {
            return Err(error(
                "duplicate.call",
                "A refund call has already been completed with this unique_request_id.",
            ));
        }
        if order.status != "CHARGED" {
            // Juspay documents the rule, not the body: this wording is the emulator's.
            return Err(error(
                "invalid.order.status",
                &format!(
                    "Only CHARGED orders can be refunded; this order is {}.",
                    order.status
                ),
            ));
        }
        let held: u64 = entries
            .iter()
            .filter(|e| e.holds_money(now))
            .map(|e| e.amount_paise)
            .sum();
        let remaining = order.amount_paise.saturating_sub(held);
        let amount_paise = match form.get("amount").map(|s| s.trim()) {
            None | Some("") => remaining,
            Some(text) => match rules::amount_cents(text) {
                Some(paise) if paise > 0 => paise,
                _ => return Err(error("invalid amount", "Invalid amount.")),
            },
        };
        if entries
            .iter()
            .any(|e| e.amount_paise == amount_paise && now - e.created < SAME_AMOUNT_GUARD)
        {
            return Err(error(
                "duplicate.call",
                "A refund with this amount is already processing for this order. Try again after some time.",
            ));
        }
        if amount_paise == 0 || amount_paise > remaining {
            return Err(error(
                "invalid.amount.exceeded",
                "The refund amount is more than the amount that can be refunded.",
            ));
        }
        entries.push(Entry {
            unique_request_id,
            amount_paise,
            created: now,
            settles_at: later(now, settle_after),
            outcome,
        });
        Ok(())
    }

    /// `refunded`, `amount_refunded` (rupees; every refund that did not fail) and, when
    /// there are any, `refunds`, for the Order Status body.
    pub(crate) fn status_fields(
        &self,
        order_id: &str,
        order_amount_paise: u64,
    ) -> Map<String, Value> {
        let book = self.book();
        let now = book.clock.now();
        let entries = book
            .by_order
            .get(order_id)
            .map(Vec::as_slice)
            .unwrap_or(&[]);
        let refunded: u64 = entries
            .iter()
            .filter(|e| e.holds_money(now))
            .map(|e| e.amount_paise)
            .sum();
        let mut fields = Map::new();
        fields.insert(
            "refunded".into(),
            Value::Bool(refunded > 0 && refunded >= order_amount_paise),
        );
        fields.insert("amount_refunded".into(), rupees_number(refunded));
        if !entries.is_empty() {
            fields.insert(
                "refunds".into(),
                Value::Array(entries.iter().map(|e| e.to_json(now)).collect()),
            );
        }
        fields
    }
}

/// Form fields (the documented body), or a JSON object's string fields.
fn parse_form(body: &[u8]) -> HashMap<String, String> {
    if let Ok(Value::Object(map)) = serde_json::from_slice::<Value>(body) {
        return map
            .into_iter()
            .filter_map(|(k, v)| match v {
                Value::String(s) => Some((k, s)),
                Value::Number(n) => Some((k, n.to_string())),
                _ => None,
            })
            .collect();
    }
    form_urlencoded::parse(body).into_owned().collect()
}

/// Paise as a JSON number of rupees, as Order Status sends amounts.
fn rupees_number(paise: u64) -> Value {
    serde_json::Number::from_f64(paise as f64 / 100.0)
        .map(Value::Number)
        .unwrap_or(Value::Null)
}

/// The documented error shape (reference, "Errors").
fn error(code: &str, message: &str) -> (StatusCode, Value) {
    (
        StatusCode::BAD_REQUEST,
        json!({
            "status": "ERROR",
            "status_id": -1,
            "error_code": code,
            "error_message": message,
        }),
    )
}

fn missing_fields() -> (StatusCode, Value) {
    (
        StatusCode::BAD_REQUEST,
        json!({
            "status": "Bad Request",
            "error_code": rules::MISSING,
            "error_message": rules::MISSING,
            "error_info": {
                "code": "INVALID_INPUT",
                "fields": [{"field_name": "unique_request_id", "reason": rules::MISSING}],
            }
        }),
    )
}

/// Juspay states the rule, not its error: this wording is the emulator's.
fn bad_unique_request_id() -> (StatusCode, Value) {
    let reason = "must be 1 to 20 letters and digits";
    (
        StatusCode::BAD_REQUEST,
        json!({
            "status": "Bad Request",
            "error_code": "Invalid input data",
            "error_message": "Invalid input data",
            "error_info": {
                "code": "INVALID_INPUT",
                "fields": [{"field_name": "unique_request_id", "reason": reason}],
            }
        }),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const ORDER: RefundTarget<'static> = RefundTarget {
        order_id: "O1",
        amount_paise: 10_000,
        status: "CHARGED",
    };

    fn code(result: Result<(), (StatusCode, Value)>) -> String {
        match result {
            Ok(()) => "ok".into(),
            Err((_, body)) => body["error_code"].as_str().unwrap_or("").to_string(),
        }
    }

    #[test]
    fn refunds_settle_after_the_delay_and_failures_free_the_amount() {
        let book = RefundBook::new();
        book.freeze_clock(OffsetDateTime::UNIX_EPOCH);
        book.set_settle_after(Duration::from_secs(60));
        let ok = book.request(
            &ORDER,
            b"unique_request_id=a1&amount=100",
            RefundOutcome::Failure,
        );
        assert_eq!(code(ok), "ok");
        assert_eq!(book.held("O1")[0].status, "PENDING");
        // Pending money counts: nothing is left.
        book.advance_clock(Duration::from_secs(6));
        assert_eq!(
            code(book.request(&ORDER, b"unique_request_id=a2", RefundOutcome::Success)),
            "invalid.amount.exceeded"
        );
        book.advance_clock(Duration::from_secs(60));
        assert_eq!(book.held("O1")[0].status, "FAILURE");
        let fields = book.status_fields("O1", 10_000);
        assert_eq!(fields["amount_refunded"], json!(0.0));
        assert_eq!(fields["refunds"][0]["error_code"], "REFUND_FAILED");
        // The failed refund's amount is refundable again, with a new id.
        assert_eq!(
            code(book.request(&ORDER, b"unique_request_id=a3", RefundOutcome::Success)),
            "ok"
        );
        assert_eq!(book.held("O1")[1].amount_paise, 10_000);
    }
}
