//! The embedded Juspay emulator (axum on 127.0.0.1 only), with fault knobs. It stands in
//! for Juspay in `--demo`, the tests and the drills; it never shares the client's code.
//!
//! Routes: `POST /session`, `GET /orders/{order_id}`, `POST /orders/{order_id}/refunds`
//! (see `refunds`) and the payment page `GET|POST /payment-page/order/{id}` (see `routes`
//! for the wire details). Latency and faults apply to the three API routes only, after the request's work is done (an order
//! is recorded before the reply is delayed or spoiled), so a client that gives up still
//! leaves a real order behind, as it would at Juspay.

mod clock;
mod faults;
mod listener;
mod page;
mod refunds;
mod routes;
mod rules;
mod state;

use std::fmt;
use std::net::Ipv4Addr;
use std::sync::Arc;
use std::time::Duration;

use tokio::net::TcpListener;
use tokio::sync::broadcast;
use tokio_util::sync::CancellationToken;

use listener::{ConnHandle, KillableListener};
use state::Shared;

pub use refunds::{HeldRefund, RefundOutcome};

/// Credentials the demo environment uses against the embedded emulator.
pub const DEMO_API_KEY: &str = "demo_key_paydesk";
pub const DEMO_MERCHANT_ID: &str = "paydesk_demo";
pub const DEMO_CLIENT_ID: &str = "paydesk_demo_client";

/// A misbehaviour the emulator can be told to show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// 500 with an HTML body.
    Html500,
    /// 200 with a body that is not valid JSON.
    MalformedJson,
    /// 200 with an empty body.
    EmptyBody,
    /// The connection is closed without an answer.
    DropConnection,
    /// The body drips out slower than any sane timeout.
    SlowDrip,
    /// A 10 MB body.
    HugeBody,
    /// Answers are untouched; refunds created from now on settle as `FAILURE`.
    RefundFailure,
    /// Answers are untouched; refunds created from now on settle as `MANUAL_REVIEW`.
    RefundManualReview,
}

impl Fault {
    pub const ALL: [Fault; 8] = [
        Fault::Html500,
        Fault::MalformedJson,
        Fault::EmptyBody,
        Fault::DropConnection,
        Fault::SlowDrip,
        Fault::HugeBody,
        Fault::RefundFailure,
        Fault::RefundManualReview,
    ];

    /// The command-line spelling (`html500`, `malformed-json`, …).
    pub fn name(self) -> &'static str {
        match self {
            Fault::Html500 => "html500",
            Fault::MalformedJson => "malformed-json",
            Fault::EmptyBody => "empty-body",
            Fault::DropConnection => "drop-connection",
            Fault::SlowDrip => "slow-drip",
            Fault::HugeBody => "huge-body",
            Fault::RefundFailure => "refund-failure",
            Fault::RefundManualReview => "refund-manual-review",
        }
    }

    /// How a refund created under this fault ends (`Success` for the answer faults).
    pub fn refund_outcome(fault: Option<Fault>) -> RefundOutcome {
        match fault {
            Some(Fault::RefundFailure) => RefundOutcome::Failure,
            Some(Fault::RefundManualReview) => RefundOutcome::ManualReview,
            _ => RefundOutcome::Success,
        }
    }
}

impl fmt::Display for Fault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl std::str::FromStr for Fault {
    type Err = String;

    /// Accepts the command-line spelling, with `_` for `-` and any case.
    fn from_str(text: &str) -> Result<Fault, String> {
        let wanted = text.trim().to_ascii_lowercase().replace('_', "-");
        Fault::ALL
            .into_iter()
            .find(|f| f.name() == wanted)
            .ok_or_else(|| {
                let names: Vec<&str> = Fault::ALL.iter().map(|f| f.name()).collect();
                format!(
                    "unknown fault {text:?}; choose one of: {}",
                    names.join(", ")
                )
            })
    }
}

#[derive(Debug, Clone)]
pub struct EmulatorConfig {
    /// 0 picks a free port.
    pub port: u16,
    pub api_key: String,
    pub merchant_id: String,
    pub latency: Duration,
    pub fault: Option<Fault>,
    /// `Some(d)`: answer a new order at once and commit it `d` later (see
    /// `set_commit_delay`).
    pub commit_delay: Option<Duration>,
    /// Paths starting with this answer a plain HTML 404 (see `set_plain_404_prefix`).
    pub plain_404_prefix: Option<String>,
    /// A create with a known order id gets the "already exists" 400 instead of the order.
    pub reject_duplicates: bool,
}

impl Default for EmulatorConfig {
    fn default() -> Self {
        EmulatorConfig {
            port: 0,
            api_key: DEMO_API_KEY.to_string(),
            merchant_id: DEMO_MERCHANT_ID.to_string(),
            latency: Duration::ZERO,
            fault: None,
            commit_delay: None,
            plain_404_prefix: None,
            reject_duplicates: false,
        }
    }
}

/// One API or page call, as the emulator saw it (no header values, no body).
#[derive(Debug, Clone, PartialEq)]
pub struct CallRecord {
    pub method: String,
    pub path: String,
    pub status: u16,
    pub elapsed: Duration,
    pub order_id: Option<String>,
    /// The fault that replaced the answer, if any.
    pub fault: Option<Fault>,
    /// The `x-routing-id` header the call carried (a customer or order id, not a secret).
    pub routing_id: Option<String>,
}

impl fmt::Display for CallRecord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {} -> ", self.method, self.path)?;
        match self.fault {
            Some(fault) => write!(f, "fault {fault}")?,
            None => write!(f, "{}", self.status)?,
        }
        if let Some(order_id) = &self.order_id {
            write!(f, " order {order_id}")?;
        }
        write!(f, " ({} ms)", self.elapsed.as_millis())
    }
}

/// A running emulator. Dropping it stops the server.
pub struct Emulator {
    base_url: String,
    shared: Arc<Shared>,
    shutdown: CancellationToken,
    task: tokio::task::JoinHandle<()>,
}

impl Emulator {
    /// Binds 127.0.0.1 and serves on the current tokio runtime.
    pub async fn start(config: EmulatorConfig) -> std::io::Result<Emulator> {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, config.port)).await?;
        let port = listener.local_addr()?.port();
        let base_url = format!("http://127.0.0.1:{port}");
        let shutdown = CancellationToken::new();
        let shared = Arc::new(Shared::new(&config, base_url.clone(), shutdown.clone()));
        let app =
            routes::router(shared.clone()).into_make_service_with_connect_info::<ConnHandle>();
        let stop = shutdown.clone();
        let task = tokio::spawn(async move {
            let server = axum::serve(KillableListener(listener), app)
                .with_graceful_shutdown(async move { stop.cancelled().await });
            if let Err(e) = server.await {
                tracing::warn!("emulator stopped: {e}");
            }
        });
        tracing::debug!(%base_url, "emulator started");
        Ok(Emulator {
            base_url,
            shared,
            shutdown,
            task,
        })
    }

    /// `http://127.0.0.1:PORT`
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    pub fn port(&self) -> u16 {
        self.base_url
            .rsplit(':')
            .next()
            .and_then(|p| p.parse().ok())
            .unwrap_or(0)
    }

    /// Delay added to every API answer, after the order is recorded.
    pub fn set_latency(&self, latency: Duration) {
        self.shared.set_latency(latency);
    }

    /// Spoil every API answer from now on (`None` to behave again).
    pub fn set_fault(&self, fault: Option<Fault>) {
        self.shared.set_fault(fault);
    }

    /// Freezes the clock the refunds go by (creation, the 5-second guard, settling) at
    /// `at` (UTC), so tests need no sleeps.
    pub fn freeze_clock(&self, at: time::OffsetDateTime) {
        self.shared.refunds.freeze_clock(at);
    }

    /// Moves the refunds' clock forward (freezing it first if it runs).
    pub fn advance_clock(&self, by: Duration) {
        self.shared.refunds.advance_clock(by);
    }

    /// How long refunds created from now on stay `PENDING` (10 s unless set).
    pub fn set_refund_delay(&self, delay: Duration) {
        self.shared.refunds.set_settle_after(delay);
    }

    /// The refunds held for an order (order_id or Juspay id), oldest first, with their
    /// status at the refunds' clock; empty for an unknown order.
    pub fn refunds(&self, order_ref: &str) -> Vec<HeldRefund> {
        self.shared
            .find(order_ref)
            .map(|order| self.shared.refunds.held(&order.order_id))
            .unwrap_or_default()
    }

    /// Pays a CHARGED order once more, as the payment page's "Pay again" button does
    /// (the duplicate-payment demo). Returns how many payments the order has taken,
    /// `None` when there is no such order or it is not CHARGED.
    pub fn pay_again(&self, order_ref: &str) -> Option<u32> {
        self.shared.pay_again(order_ref).map(|order| order.payments)
    }

    /// The late-commit race: from now on a new order is answered at once (or spoiled by
    /// the fault, e.g. a dropped connection or a slow drip that times the client out) but
    /// only committed — visible to Order Status and duplicates — `delay` later, or at
    /// `commit_pending`. `None` commits at once again (held orders stay held).
    pub fn set_commit_delay(&self, delay: Option<Duration>) {
        self.shared.set_commit_delay(delay);
    }

    /// Commits held-back orders now: the one with `order_id`, or every one with `None`.
    /// Returns how many were committed.
    pub fn commit_pending(&self, order_id: Option<&str>) -> usize {
        self.shared.commit_pending(order_id)
    }

    /// How many answered orders are held back, not committed yet (a request has arrived).
    pub fn pending_count(&self) -> usize {
        self.shared.pending_count()
    }

    /// Every path starting with `prefix` (e.g. `/orders`) answers a plain HTML 404 from
    /// now on, as a proxy or a wrong base-URL prefix would; `None` to stop.
    pub fn set_plain_404_prefix(&self, prefix: Option<&str>) {
        self.shared.set_plain_404_prefix(prefix.map(str::to_string));
    }

    /// When on, a create with an order id the emulator holds gets Juspay's "already
    /// exists" 400 (`error_info.code: ALREADY_EXISTS`, reference §5c) instead of the
    /// existing order (the default, idempotent answer).
    pub fn set_reject_duplicates(&self, on: bool) {
        self.shared.set_reject_duplicates(on);
    }

    /// Pays (`charged`) or fails a NEW order, as the payment page's buttons do. Takes the
    /// order_id or the Juspay id. Returns the status afterwards (an order already settled
    /// keeps its status), `None` when there is no such order.
    pub fn settle(&self, order_ref: &str, charged: bool) -> Option<String> {
        self.shared
            .settle(order_ref, charged)
            .map(|(order, _)| order.status.name().to_string())
    }

    /// The current status of an order (order_id or Juspay id), for tests and drills.
    pub fn order_status(&self, order_ref: &str) -> Option<String> {
        self.shared
            .find(order_ref)
            .map(|order| order.status.name().to_string())
    }

    /// How many distinct orders exist.
    pub fn order_count(&self) -> usize {
        self.shared.count()
    }

    /// How many Order Status calls each order id has had so far (whatever the answer),
    /// for drills that count polls.
    pub fn status_calls(&self) -> std::collections::HashMap<String, u32> {
        self.shared.status_calls()
    }

    /// Every call from now on, as it finishes (the `paydesk emulator` log).
    pub fn subscribe(&self) -> broadcast::Receiver<CallRecord> {
        self.shared.calls.subscribe()
    }

    /// Stops accepting connections and ends the server task.
    pub fn stop(&self) {
        self.shutdown.cancel();
        self.task.abort();
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        self.stop();
    }
}

impl fmt::Debug for Emulator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Emulator")
            .field("base_url", &self.base_url)
            .finish_non_exhaustive()
    }
}
