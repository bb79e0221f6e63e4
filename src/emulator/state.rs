//! What the emulator remembers: its credentials, its knobs, the orders it created and
//! (in `refunds`) their refunds.
//! Everything sits behind one `Arc<Shared>`; locks are held only for map lookups.

use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

use serde_json::{Map, Value, json};
use time::OffsetDateTime;
use tokio::sync::broadcast;
use tokio_util::sync::CancellationToken;

use super::clock::iso;
use super::refunds::RefundBook;
use super::{CallRecord, EmulatorConfig, Fault};

/// How long a payment link stays valid.
pub(crate) const LINK_LIFETIME: time::Duration = time::Duration::minutes(15);

/// Where an order stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Status {
    New,
    Charged,
    AuthorizationFailed,
}

impl Status {
    pub(crate) fn name(self) -> &'static str {
        match self {
            Status::New => "NEW",
            Status::Charged => "CHARGED",
            Status::AuthorizationFailed => "AUTHORIZATION_FAILED",
        }
    }

    /// Juspay's numeric `status_id`.
    pub(crate) fn id(self) -> u32 {
        match self {
            Status::New => 10,
            Status::Charged => 21,
            Status::AuthorizationFailed => 27,
        }
    }
}

/// One order as the emulator created it.
#[derive(Debug, Clone)]
pub(crate) struct Order {
    pub juspay_id: String,
    pub order_id: String,
    pub amount_cents: u64,
    /// The amount as the request spelled it, echoed in `sdk_payload`.
    pub amount_text: String,
    pub currency: String,
    /// Every string field of the request, by wire key (customer, udf, return_url, …).
    pub fields: Map<String, Value>,
    pub status: Status,
    /// Successful payments: 1 once CHARGED, more after "Pay again" (duplicate payments).
    pub payments: u32,
    pub date_created: OffsetDateTime,
    pub link_expiry: OffsetDateTime,
    pub client_auth_token: String,
    pub sdk_request_id: String,
}

impl Order {
    pub(crate) fn field(&self, key: &str) -> &str {
        self.fields.get(key).and_then(Value::as_str).unwrap_or("")
    }

    /// `12345.60` style, for pages.
    pub(crate) fn amount_display(&self) -> String {
        format!("{}.{:02}", self.amount_cents / 100, self.amount_cents % 100)
    }

    pub(crate) fn customer_name(&self) -> String {
        let first = [self.field("customer_first_name"), self.field("first_name")]
            .into_iter()
            .find(|s| !s.is_empty())
            .unwrap_or("");
        let last = [self.field("customer_last_name"), self.field("last_name")]
            .into_iter()
            .find(|s| !s.is_empty())
            .unwrap_or("");
        format!("{first} {last}").trim().to_string()
    }
}

/// The state every handler shares.
pub(crate) struct Shared {
    pub api_key: String,
    pub merchant_id: String,
    pub base_url: String,
    latency_ms: AtomicU64,
    fault: Mutex<Option<Fault>>,
    /// `Some(d)`: new orders are answered at once and committed `d` later (a race fault).
    commit_delay: Mutex<Option<Duration>>,
    /// Paths starting with this get a plain HTML 404, like a proxy or a wrong prefix.
    plain_404_prefix: Mutex<Option<String>>,
    /// A second create with a known order id gets Juspay's "already exists" 400.
    reject_duplicates: AtomicBool,
    orders: Mutex<Orders>,
    pub refunds: RefundBook,
    pub calls: broadcast::Sender<CallRecord>,
    /// Order Status calls answered so far, by the order id asked about (drills count the
    /// branch's polls with it).
    status_calls: Mutex<HashMap<String, u32>>,
    /// Cancelled when the emulator stops; long fault bodies end with it.
    pub shutdown: CancellationToken,
}

#[derive(Default)]
struct Orders {
    /// Answered but not committed yet (`commit_delay`), in arrival order.
    pending: Vec<Order>,
    by_order_id: HashMap<String, Order>,
    /// Juspay id -> order id.
    by_juspay_id: HashMap<String, String>,
}

/// What creating an order did.
pub(crate) enum Created {
    New(Order),
    Existing(Order),
    /// Same order_id, different amount.
    Conflict {
        existing_amount: String,
    },
}

impl Shared {
    pub(crate) fn new(
        config: &EmulatorConfig,
        base_url: String,
        shutdown: CancellationToken,
    ) -> Shared {
        let (calls, _) = broadcast::channel(256);
        Shared {
            api_key: config.api_key.clone(),
            merchant_id: config.merchant_id.clone(),
            base_url,
            latency_ms: AtomicU64::new(duration_ms(config.latency)),
            fault: Mutex::new(config.fault),
            commit_delay: Mutex::new(config.commit_delay),
            plain_404_prefix: Mutex::new(config.plain_404_prefix.clone()),
            reject_duplicates: AtomicBool::new(config.reject_duplicates),
            orders: Mutex::new(Orders::default()),
            refunds: RefundBook::new(),
            calls,
            status_calls: Mutex::new(HashMap::new()),
            shutdown,
        }
    }

    /// Counts one Order Status call about `order_id`.
    pub(crate) fn count_status_call(&self, order_id: &str) {
        let mut calls = self.status_calls.lock().unwrap_or_else(|e| e.into_inner());
        *calls.entry(order_id.to_string()).or_insert(0) += 1;
    }

    /// Order Status calls so far, by order id.
    pub(crate) fn status_calls(&self) -> HashMap<String, u32> {
        self.status_calls
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    pub(crate) fn latency(&self) -> Duration {
        Duration::from_millis(self.latency_ms.load(Ordering::Relaxed))
    }

    pub(crate) fn set_latency(&self, latency: Duration) {
        self.latency_ms
            .store(duration_ms(latency), Ordering::Relaxed);
    }

    pub(crate) fn fault(&self) -> Option<Fault> {
        *self.fault.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub(crate) fn set_fault(&self, fault: Option<Fault>) {
        *self.fault.lock().unwrap_or_else(|e| e.into_inner()) = fault;
    }

    fn orders(&self) -> std::sync::MutexGuard<'_, Orders> {
        self.orders.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub(crate) fn commit_delay(&self) -> Option<Duration> {
        *self.commit_delay.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub(crate) fn set_commit_delay(&self, delay: Option<Duration>) {
        *self.commit_delay.lock().unwrap_or_else(|e| e.into_inner()) = delay;
    }

    pub(crate) fn plain_404_prefix(&self) -> Option<String> {
        self.plain_404_prefix
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    pub(crate) fn set_plain_404_prefix(&self, prefix: Option<String>) {
        *self
            .plain_404_prefix
            .lock()
            .unwrap_or_else(|e| e.into_inner()) = prefix;
    }

    pub(crate) fn reject_duplicates(&self) -> bool {
        self.reject_duplicates.load(Ordering::Relaxed)
    }

    pub(crate) fn set_reject_duplicates(&self, on: bool) {
        self.reject_duplicates.store(on, Ordering::Relaxed);
    }

    /// Records a new order, or finds the one with the same order_id. With `later`, a new
    /// order is held back (answered, not visible) until `commit_pending` takes it.
    pub(crate) fn create(&self, order: Order, later: bool) -> Created {
        let mut orders = self.orders();
        if let Some(existing) = orders.by_order_id.get(&order.order_id) {
            if existing.amount_cents == order.amount_cents {
                return Created::Existing(existing.clone());
            }
            return Created::Conflict {
                existing_amount: existing.amount_display(),
            };
        }
        if later {
            orders.pending.push(order.clone());
            return Created::New(order);
        }
        Self::commit(&mut orders, order.clone());
        Created::New(order)
    }

    fn commit(orders: &mut Orders, order: Order) {
        if orders.by_order_id.contains_key(&order.order_id) {
            return;
        }
        orders
            .by_juspay_id
            .insert(order.juspay_id.clone(), order.order_id.clone());
        orders.by_order_id.insert(order.order_id.clone(), order);
    }

    /// Commits held-back orders: the one with this order_id, or all with `None`. Returns
    /// how many were committed.
    pub(crate) fn commit_pending(&self, order_id: Option<&str>) -> usize {
        let mut orders = self.orders();
        let (take, keep): (Vec<Order>, Vec<Order>) = std::mem::take(&mut orders.pending)
            .into_iter()
            .partition(|o| order_id.is_none_or(|id| o.order_id == id));
        orders.pending = keep;
        let n = take.len();
        for order in take {
            Self::commit(&mut orders, order);
        }
        n
    }

    pub(crate) fn get(&self, order_id: &str) -> Option<Order> {
        self.orders().by_order_id.get(order_id).cloned()
    }

    /// By Juspay id first (what payment links carry), then by order_id.
    pub(crate) fn find(&self, reference: &str) -> Option<Order> {
        let orders = self.orders();
        let order_id = orders
            .by_juspay_id
            .get(reference)
            .map(String::as_str)
            .unwrap_or(reference);
        orders.by_order_id.get(order_id).cloned()
    }

    /// Moves a NEW order to CHARGED or AUTHORIZATION_FAILED. Returns the order after the
    /// attempt (unchanged when it was already settled), `None` when there is no such order.
    pub(crate) fn settle(&self, reference: &str, charged: bool) -> Option<(Order, bool)> {
        let mut orders = self.orders();
        let order_id = orders
            .by_juspay_id
            .get(reference)
            .cloned()
            .unwrap_or_else(|| reference.to_string());
        let order = orders.by_order_id.get_mut(&order_id)?;
        if order.status != Status::New {
            return Some((order.clone(), false));
        }
        order.status = if charged {
            order.payments = 1;
            Status::Charged
        } else {
            Status::AuthorizationFailed
        };
        Some((order.clone(), true))
    }

    /// One more payment on a CHARGED order (the duplicate-payment demo); `None` when
    /// there is no such order or it is not CHARGED.
    pub(crate) fn pay_again(&self, reference: &str) -> Option<Order> {
        let mut orders = self.orders();
        let order_id = orders
            .by_juspay_id
            .get(reference)
            .cloned()
            .unwrap_or_else(|| reference.to_string());
        let order = orders.by_order_id.get_mut(&order_id)?;
        if order.status != Status::Charged {
            return None;
        }
        order.payments = order.payments.saturating_add(1);
        Some(order.clone())
    }

    pub(crate) fn pending_count(&self) -> usize {
        self.orders().pending.len()
    }

    pub(crate) fn count(&self) -> usize {
        self.orders().by_order_id.len()
    }

    pub(crate) fn payment_link(&self, order: &Order) -> String {
        format!("{}/payment-page/order/{}", self.base_url, order.juspay_id)
    }

    /// The `POST /session` success body.
    pub(crate) fn session_body(&self, order: &Order) -> Value {
        let first = [
            order.field("first_name"),
            order.field("customer_first_name"),
        ]
        .into_iter()
        .find(|s| !s.is_empty())
        .unwrap_or("");
        let last = [order.field("last_name"), order.field("customer_last_name")]
            .into_iter()
            .find(|s| !s.is_empty())
            .unwrap_or("");
        json!({
            "status": order.status.name(),
            "id": order.juspay_id,
            "order_id": order.order_id,
            "payment_links": {
                "web": self.payment_link(order),
                "expiry": iso(order.link_expiry),
            },
            "sdk_payload": {
                "requestId": order.sdk_request_id,
                "service": "in.juspay.hyperpay",
                "payload": {
                    "clientId": order.field("payment_page_client_id"),
                    "amount": order.amount_text,
                    "merchantId": self.merchant_id,
                    "clientAuthToken": order.client_auth_token,
                    "clientAuthTokenExpiry": iso(order.link_expiry),
                    "environment": "sandbox",
                    "action": order.field("action"),
                    "customerId": order.field("customer_id"),
                    "orderId": order.order_id,
                    "returnUrl": order.field("return_url"),
                    "currency": order.currency,
                    "firstName": first,
                    "lastName": last,
                    "customerPhone": order.field("customer_phone"),
                    "customerEmail": order.field("customer_email"),
                    "description": order.field("description"),
                }
            }
        })
    }

    /// The Order Status body (reference §6).
    pub(crate) fn status_body(&self, order: &Order) -> Value {
        let amount = serde_json::Number::from_f64(order.amount_cents as f64 / 100.0)
            .map(Value::Number)
            .unwrap_or(Value::Null);
        let mut body = json!({
            "id": order.juspay_id,
            "order_id": order.order_id,
            "merchant_id": self.merchant_id,
            "status": order.status.name(),
            "status_id": order.status.id(),
            "amount": amount,
            "effective_amount": amount,
            "currency": order.currency,
            "customer_id": order.field("customer_id"),
            "customer_email": order.field("customer_email"),
            "customer_phone": order.field("customer_phone"),
            "product_id": "",
            "return_url": order.field("return_url"),
            "date_created": iso(order.date_created),
            "payment_links": {
                "web": self.payment_link(order),
                "mobile": self.payment_link(order),
                "iframe": self.payment_link(order),
            },
            "error": null,
            "error_code": null,
            "error_message": null,
            "user_message": null,
            "bank_error_code": null,
            "bank_error_message": null,
        });
        if let Value::Object(map) = &mut body {
            map.extend(
                self.refunds
                    .status_fields(&order.order_id, order.amount_cents),
            );
            for n in 1..=10 {
                let key = format!("udf{n}");
                map.insert(key.clone(), Value::from(order.field(&key)));
            }
            if order.status != Status::New {
                map.insert(
                    "txn_id".into(),
                    Value::from(format!("{}-1", order.order_id)),
                );
                map.insert("payment_method_type".into(), Value::from("EMULATOR"));
                map.insert("payment_method".into(), Value::from("PAYDESK_EMULATOR"));
            }
        }
        body
    }
}

fn duration_ms(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}
