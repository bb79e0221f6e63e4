//! The money rules, shared by the desk and the CLI so both record and re-check identically:
//!
//! - `state`: the order state machine (outcomes, evidence, what is final); the only code
//!   that decides an outcome.
//! - `send`: history row first (with its owner and lease), then the request, then the
//!   outcome through the state machine; resends and "order id already exists".
//! - `reconcile`: which open rows to check and when, and what each Order Status answer
//!   proves.
//! - `refund_state`: the refund state machine; `refund`: a refund attempt's row first,
//!   then its request, re-sends with the same `unique_request_id`, following open ones.
//!
//! Every function works on the configured `ledger::Ledger` (the desk's SQLite history or
//! the branch ledger on PostgreSQL; a bare `Store` is taken too, see `ledger::ToLedger`).
//! SQLite calls run on tokio's blocking pool and PostgreSQL calls are async, so the async
//! callers (the desk's effect tasks, the CLI's runtime) never block on the disk or the
//! network.

pub mod reconcile;
pub mod refund;
pub mod refund_state;
pub mod send;
pub mod state;

use serde_json::{Map, Value};

use crate::history::NewOrder;
use crate::operator::Operator;
use crate::session::keys;

pub use reconcile::{
    Checker, PollLease, Recheck, Reconciled, check_row, check_status, poll, poll_place, recheck,
    recheck_polled, reconcile, row_for, this_process,
};
pub use send::{Submitted, submit, submit_to};
pub use state::Outcome;

/// Who an order is created for; stored with the row.
#[derive(Debug, Clone, Default)]
pub struct OrderContext {
    /// Environment name (`demo`, `sandbox`, …).
    pub environment: String,
    /// Host of the base URL, e.g. `sandbox.juspay.in`.
    pub base_host: String,
    pub merchant_id: String,
    /// Lender profile name.
    pub profile: String,
    /// Who creates (or refunds) the order and at which counter; recorded with the row.
    pub operator: Operator,
}

impl OrderContext {
    /// A context for `base_url` (its host, with the port when it is not the default one, is
    /// what `base_host` holds: see `base_host`).
    pub fn new(environment: &str, base_url: &str, merchant_id: &str, profile: &str) -> Self {
        OrderContext {
            environment: environment.to_string(),
            base_host: base_host(base_url),
            merchant_id: merchant_id.to_string(),
            profile: profile.to_string(),
            operator: Operator::default(),
        }
    }

    /// The same context for `operator`.
    pub fn by(mut self, operator: Operator) -> Self {
        self.operator = operator;
        self
    }
}

/// The host of a base URL as stored in the history: `sandbox.juspay.in`, or
/// `127.0.0.1:4321` when the port is not the scheme's default (two emulators on one machine
/// are two different places). Text that is not a URL is kept as it is.
pub fn base_host(base_url: &str) -> String {
    match reqwest::Url::parse(base_url) {
        Ok(url) => match (url.host_str(), url.port()) {
            (Some(host), Some(port)) => format!("{host}:{port}"),
            (Some(host), None) => host.to_string(),
            (None, _) => base_url.to_string(),
        },
        Err(_) => base_url.to_string(),
    }
}

/// A string value of the body (numbers and booleans as written), or "".
fn text(body: &Map<String, Value>, key: &str) -> String {
    match body.get(key) {
        Some(Value::String(s)) => s.trim().to_string(),
        Some(Value::Number(n)) => n.to_string(),
        Some(Value::Bool(b)) => b.to_string(),
        _ => String::new(),
    }
}

/// The customer's name as one line: `customer_first/middle/last_name`, else the generic
/// `first_name`/`last_name` some samples use.
fn customer_name(body: &Map<String, Value>) -> String {
    let join = |keys: &[&str]| {
        keys.iter()
            .map(|k| text(body, k))
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(" ")
    };
    let name = join(&[
        keys::CUSTOMER_FIRST_NAME,
        keys::CUSTOMER_MIDDLE_NAME,
        keys::CUSTOMER_LAST_NAME,
    ]);
    if name.is_empty() {
        join(&[keys::FIRST_NAME, keys::LAST_NAME])
    } else {
        name
    }
}

/// The row written before sending `body` (without owner and lease: `send::submit` adds
/// them for the process that sends it).
pub fn new_order(ctx: &OrderContext, body: &Map<String, Value>, request_id: &str) -> NewOrder {
    let currency = text(body, keys::CURRENCY);
    NewOrder {
        environment: ctx.environment.clone(),
        base_host: ctx.base_host.clone(),
        merchant_id: ctx.merchant_id.clone(),
        profile: ctx.profile.clone(),
        order_id: text(body, keys::ORDER_ID),
        request_id: request_id.to_string(),
        amount: text(body, keys::AMOUNT),
        // Juspay's default when the body names none.
        currency: if currency.is_empty() {
            "INR".to_string()
        } else {
            currency
        },
        customer_id: text(body, keys::CUSTOMER_ID),
        customer_name: customer_name(body),
        customer_phone: text(body, keys::CUSTOMER_PHONE),
        customer_email: text(body, keys::CUSTOMER_EMAIL),
        // The body holds no secret: the key travels only in the Authorization header.
        request_body: Value::Object(body.clone()).to_string(),
        routing_id: crate::juspay::client::routing_id(body)
            .unwrap_or_default()
            .to_string(),
        owner: None,
        lease: std::time::Duration::ZERO,
        operator: ctx.operator.name.clone(),
        counter: ctx.operator.counter.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn base_host_keeps_only_non_default_ports() {
        assert_eq!(base_host("https://sandbox.juspay.in"), "sandbox.juspay.in");
        assert_eq!(base_host("https://api.juspay.in:443/"), "api.juspay.in");
        assert_eq!(base_host("http://127.0.0.1:4321"), "127.0.0.1:4321");
        assert_eq!(base_host("not a url"), "not a url");
    }

    #[test]
    fn new_order_reads_the_body() {
        let body = json!({
            "order_id": "ORD1", "amount": "100.50", "customer_id": "c1",
            "customer_first_name": "Asha", "customer_middle_name": "",
            "customer_last_name": "Rao", "customer_phone": "9876543210",
            "customer_email": "asha@example.com"
        });
        let Value::Object(body) = body else {
            unreachable!()
        };
        let ctx = OrderContext::new("sandbox", "https://sandbox.juspay.in", "m1", "travel");
        let row = new_order(&ctx, &body, "req-1");
        assert_eq!(row.customer_name, "Asha Rao");
        assert_eq!(row.currency, "INR");
        assert_eq!(row.base_host, "sandbox.juspay.in");
        assert_eq!(row.amount, "100.50");
        assert!(row.request_body.contains("\"order_id\":\"ORD1\""));
        assert_eq!(row.routing_id, "c1");
    }

    #[test]
    fn generic_names_are_used_when_customer_names_are_missing() {
        let Value::Object(body) = json!({"first_name": "Ravi", "last_name": "K"}) else {
            unreachable!()
        };
        assert_eq!(customer_name(&body), "Ravi K");
    }
}
