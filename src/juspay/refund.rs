//! The Refund API: `POST /orders/{order_id}/refunds`, its answer (the order with its
//! `refunds` array) and its documented refusals. Source: reference juspay-refunds.md.
//!
//! Amounts are integer paise in code; the wire carries rupees with two decimals.
//! Unlike `POST /session`, a refund whose answer was lost may be sent again with the
//! **same** `unique_request_id`: Juspay then answers `duplicate.call`
//! ([`RefundRefusal::RequestIdUsed`]) and Order Status shows the first attempt.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::client::{Call, Client, FORM_CONTENT_TYPE, ORDER_STATUS_VERSION, call_headers};
use super::error::ApiError;
use super::types::{OrderStatus, lenient};

/// Juspay's limit: a `unique_request_id` is shorter than 21 characters (reference,
/// "Request").
pub const UNIQUE_REQUEST_ID_MAX_CHARS: usize = 20;

/// One refund to ask Juspay for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefundRequest<'a> {
    /// The merchant's order id (not Juspay's `ordv2_…` id).
    pub order_id: &'a str,
    /// Juspay's idempotency key for this attempt: letters and digits, at most 20. Store
    /// it before sending and reuse it when the answer was lost.
    pub unique_request_id: &'a str,
    /// In paise; `None` refunds the whole amount not yet refunded.
    pub amount_paise: Option<u64>,
    /// The `x-routing-id` the order was created with (its customer id, or the order id
    /// for a guest); `None` sends no routing header.
    pub routing_id: Option<&'a str>,
}

impl Client {
    /// `POST {base}/orders/{order_id}/refunds`, form-encoded `unique_request_id` and
    /// `amount` (rupees, two decimals; left out when `amount_paise` is `None`), with the
    /// headers of every call (auth, `x-merchantid`, `x-routing-id`, `version`, a fresh
    /// `x-request-id`). Retried here only when the connection could not be opened
    /// (nothing was sent); after a timeout or a broken answer the caller retries, with
    /// the same `unique_request_id`.
    ///
    /// Answers the Order Status object of the order ([`OrderStatus::refunds`],
    /// [`OrderStatus::amount_refunded_paise`]). Errors: [`ApiError::Refund`] for each
    /// documented refusal, [`ApiError::NotFound`] for an unknown order, else as every
    /// call (an undocumented 400 such as a refund on an unpaid order is
    /// [`ApiError::Invalid`] with Juspay's message).
    pub async fn refund(&self, request: &RefundRequest<'_>) -> Result<OrderStatus, ApiError> {
        let order_id = request.order_id;
        if order_id.trim().is_empty() {
            return Err(ApiError::Invalid {
                message: "the order id is empty".into(),
                fields: vec![("order_id".into(), "must not be empty".into())],
            });
        }
        let url = self.url(&["orders", order_id, "refunds"]);
        let request_id = Client::new_request_id();
        let headers = call_headers(
            FORM_CONTENT_TYPE,
            &request_id,
            request.routing_id,
            Some(ORDER_STATUS_VERSION),
        )?;
        // Scoped: the serializer is not `Send`, and the desk runs refunds as tokio tasks.
        let body = {
            let mut form = form_urlencoded::Serializer::new(String::new());
            form.append_pair("unique_request_id", request.unique_request_id);
            if let Some(paise) = request.amount_paise {
                form.append_pair("amount", &rupees(paise));
            }
            form.finish().into_bytes()
        };
        self.call(
            reqwest::Method::POST,
            url,
            headers,
            body,
            &request_id,
            Call::Refund { order_id },
        )
        .await
    }

    /// A fresh `unique_request_id`: 20 lowercase hex digits (80 random bits), within
    /// Juspay's rule of fewer than 21 letters and digits.
    pub fn new_unique_request_id() -> String {
        let mut id = uuid::Uuid::new_v4().simple().to_string();
        id.truncate(UNIQUE_REQUEST_ID_MAX_CHARS);
        id
    }
}

/// A refund's status (reference, "Response").
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RefundStatus {
    /// Queued at Juspay or the gateway: keep checking Order Status.
    Pending,
    /// Done.
    Success,
    /// Not done; a new attempt needs a new `unique_request_id`.
    Failure,
    /// The gateway's answer was ambiguous: the merchant reconciles it by hand.
    ManualReview,
    /// A word this version does not know, in upper case.
    Other(String),
}

impl RefundStatus {
    /// Juspay's word, case-insensitively.
    pub fn parse(status: &str) -> RefundStatus {
        let word = status.trim().to_ascii_uppercase();
        match word.as_str() {
            "PENDING" => RefundStatus::Pending,
            "SUCCESS" => RefundStatus::Success,
            "FAILURE" => RefundStatus::Failure,
            "MANUAL_REVIEW" => RefundStatus::ManualReview,
            _ => RefundStatus::Other(word),
        }
    }

    /// Polling stops here. `MANUAL_REVIEW` is final for Juspay: only the merchant moves it.
    pub fn is_final(&self) -> bool {
        matches!(
            self,
            RefundStatus::Success | RefundStatus::Failure | RefundStatus::ManualReview
        )
    }

    /// Juspay's word (`PENDING`, `SUCCESS`, …).
    pub fn as_str(&self) -> &str {
        match self {
            RefundStatus::Pending => "PENDING",
            RefundStatus::Success => "SUCCESS",
            RefundStatus::Failure => "FAILURE",
            RefundStatus::ManualReview => "MANUAL_REVIEW",
            RefundStatus::Other(word) => word,
        }
    }
}

/// One entry of an order's `refunds` array, decoded leniently like every answer.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Refund {
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::string"
    )]
    pub unique_request_id: Option<String>,
    /// Juspay's or the gateway's id; falls back to the unique request id.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::string"
    )]
    pub id: Option<String>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::string"
    )]
    pub status: Option<String>,
    /// Rupees, a number or a string as sent; see [`Refund::amount_paise`].
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::value"
    )]
    pub amount: Option<Value>,
    /// ISO-8601 time of creation, as sent.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::string"
    )]
    pub created: Option<String>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::value"
    )]
    pub sent_to_gateway: Option<Value>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::string"
    )]
    pub error_code: Option<String>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::string"
    )]
    pub error_message: Option<String>,
    /// `ref`, `refund_type`, `refund_source`, `initiated_by` and anything newer.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl Refund {
    /// `None` when Juspay sent no status.
    pub fn state(&self) -> Option<RefundStatus> {
        self.status.as_deref().map(RefundStatus::parse)
    }

    /// The amount in paise; `None` when missing or not a plain rupee amount.
    pub fn amount_paise(&self) -> Option<u64> {
        paise_of(self.amount.as_ref()?)
    }

    /// Whether Juspay has passed the refund to the gateway yet (`false` at first).
    pub fn sent_to_gateway(&self) -> Option<bool> {
        match self.sent_to_gateway.as_ref()? {
            Value::Bool(b) => Some(*b),
            Value::String(s) if s.trim().eq_ignore_ascii_case("true") => Some(true),
            Value::String(s) if s.trim().eq_ignore_ascii_case("false") => Some(false),
            _ => None,
        }
    }
}

/// The refund part of an Order Status answer (of `GET /orders/{id}` and of a refund).
impl OrderStatus {
    /// The `refunds` array, oldest first as Juspay lists it; entries of the wrong shape
    /// are skipped. Empty when the order has no refunds.
    pub fn refunds(&self) -> Vec<Refund> {
        match self.extra.get("refunds") {
            Some(Value::Array(items)) => items
                .iter()
                .filter_map(|v| serde_json::from_value(v.clone()).ok())
                .collect(),
            _ => Vec::new(),
        }
    }

    /// The refund sent with this `unique_request_id`, if Juspay has it.
    pub fn refund_by_request_id(&self, unique_request_id: &str) -> Option<Refund> {
        self.refunds()
            .into_iter()
            .find(|r| r.unique_request_id.as_deref() == Some(unique_request_id))
    }

    /// `amount_refunded` in paise (Juspay sends rupees).
    pub fn amount_refunded_paise(&self) -> Option<u64> {
        paise_of(self.extra.get("amount_refunded")?)
    }

    /// `refunded`: true once the whole amount is refunded.
    pub fn refunded(&self) -> Option<bool> {
        self.extra.get("refunded")?.as_bool()
    }

    /// The order amount in paise.
    pub fn amount_paise(&self) -> Option<u64> {
        paise_of(self.amount.as_ref()?)
    }
}

/// Paise as Juspay's rupee text: `150050` -> `"1500.50"`.
pub fn rupees(paise: u64) -> String {
    format!("{}.{:02}", paise / 100, paise % 100)
}

/// Rupees as Juspay sends them (a JSON number such as `5000.0` or a string such as
/// `"12.50"`) to paise. `None` for signs, exponents, non-zero digits past the second
/// decimal, or amounts past 10^15 rupees.
pub fn paise_from_rupees(text: &str) -> Option<u64> {
    let text = text.trim();
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if whole.is_empty() || whole.len() > 15 || !digits(whole) || !digits(fraction) {
        return None;
    }
    let (cents, rest) = fraction.split_at(fraction.len().min(2));
    if rest.bytes().any(|b| b != b'0') {
        return None;
    }
    let whole: u64 = whole.parse().ok()?;
    let cents: u64 = format!("{cents:0<2}").parse().ok()?;
    whole.checked_mul(100)?.checked_add(cents)
}

fn paise_of(value: &Value) -> Option<u64> {
    match value {
        Value::Number(n) => paise_from_rupees(&n.to_string()),
        Value::String(s) => paise_from_rupees(s),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn rupees_and_paise_round_trip() {
        assert_eq!(rupees(150_050), "1500.50");
        assert_eq!(rupees(7), "0.07");
        assert_eq!(paise_from_rupees("5000.0"), Some(500_000));
        assert_eq!(paise_from_rupees("12.5"), Some(1250));
        assert_eq!(paise_from_rupees("12.500"), Some(1250));
        assert_eq!(paise_from_rupees("12"), Some(1200));
        for bad in ["", "-1", "1e3", "12.505", ".5", "abc", "1234567890123456"] {
            assert_eq!(paise_from_rupees(bad), None, "{bad}");
        }
        for paise in [0, 1, 99, 100, 123_456_789] {
            assert_eq!(paise_from_rupees(&rupees(paise)), Some(paise));
        }
    }

    #[test]
    fn refusals_are_read_from_the_documented_bodies() {
        use crate::juspay::error::RefundRefusal;
        use crate::juspay::types::ErrorBody;
        let read = |v: Value| {
            let body = ErrorBody::parse(v.to_string().as_bytes()).expect("object");
            RefundRefusal::from_body(&body)
        };
        assert_eq!(
            read(
                json!({"status": "ERROR", "status_id": -1, "error_code": "duplicate.call",
                "error_message": "A refund call has already been completed with this unique_request_id"})
            ),
            Some(RefundRefusal::RequestIdUsed)
        );
        assert_eq!(
            read(json!({"status": "ERROR", "error_code": "duplicate.call",
                "error_message": "A refund with this amount is already processing"})),
            Some(RefundRefusal::SameAmountInProgress)
        );
        assert_eq!(
            read(json!({"error_code": "invalid.amount.exceeded"})),
            Some(RefundRefusal::AmountExceeded)
        );
        assert_eq!(
            read(json!({"error_code": "invalid amount"})),
            Some(RefundRefusal::InvalidAmount)
        );
        assert_eq!(
            read(json!({"status": "Bad Request", "error_message": "Mandatory fields are missing"})),
            Some(RefundRefusal::MissingFields)
        );
        assert_eq!(read(json!({"error_code": "something.else"})), None);
    }

    #[test]
    fn order_status_exposes_its_refunds() {
        let order: OrderStatus = serde_json::from_value(json!({
            "order_id": "O1", "status": "CHARGED", "amount": 100.0,
            "refunded": false, "amount_refunded": 40.5,
            "refunds": [
                {"unique_request_id": "r1", "status": "pending", "amount": 40.5,
                 "sent_to_gateway": false, "refund_type": "STANDARD"},
                "not an object",
                {"unique_request_id": "r2", "status": "MANUAL_REVIEW", "amount": "x"}
            ]
        }))
        .expect("tolerant");
        let refunds = order.refunds();
        assert_eq!(refunds.len(), 2);
        assert_eq!(refunds[0].state(), Some(RefundStatus::Pending));
        assert_eq!(refunds[0].amount_paise(), Some(4050));
        assert_eq!(refunds[0].sent_to_gateway(), Some(false));
        assert_eq!(
            refunds[0].extra.get("refund_type"),
            Some(&json!("STANDARD"))
        );
        assert_eq!(refunds[1].amount_paise(), None);
        assert!(refunds[1].state().is_some_and(|s| s.is_final()));
        assert_eq!(order.amount_refunded_paise(), Some(4050));
        assert_eq!(order.amount_paise(), Some(10_000));
        assert_eq!(order.refunded(), Some(false));
        assert!(order.refund_by_request_id("r2").is_some());
        assert!(order.refund_by_request_id("r3").is_none());
    }

    #[test]
    fn new_unique_request_ids_follow_juspays_rule() {
        let id = Client::new_unique_request_id();
        assert_eq!(id.len(), UNIQUE_REQUEST_ID_MAX_CHARS);
        assert!(id.bytes().all(|b| b.is_ascii_alphanumeric()), "{id}");
        assert_ne!(id, Client::new_unique_request_id());
    }
}
