//! Response bodies, decoded tolerantly: every field optional, unknown keys kept.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PaymentLinks {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub web: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expiry: Option<String>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// Answer to `POST /session`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SessionResponse {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// Juspay's order id (`ordv2_…`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_links: Option<PaymentLinks>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sdk_payload: Option<Value>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// Answer to `GET /orders/{id}`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct OrderStatus {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// A number in Juspay's bodies; kept as sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status_id: Option<Value>,
    /// A JSON number in Order Status; kept as sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_links: Option<PaymentLinks>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date_created: Option<String>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// An order status as the desk thinks about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OrderState {
    New,
    Pending(String),
    Charged,
    Failed(String),
    Other(String),
}

impl OrderState {
    pub fn parse(status: &str) -> OrderState {
        let _ = status;
        todo!("juspay helper")
    }
    /// No further change is expected.
    pub fn is_final(&self) -> bool {
        matches!(self, OrderState::Charged | OrderState::Failed(_))
    }
}

/// Replaces every `clientAuthToken` (at any depth) with `***` before a body is stored or
/// shown.
pub fn mask_client_auth_token(value: &mut Value) {
    let _ = value;
    todo!("juspay helper")
}
