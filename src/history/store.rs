//! The store itself.

use std::path::Path;

/// What happened to a create request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Row written, request in flight (or the process died).
    Sending,
    Created,
    Rejected,
    /// Timed out, cancelled or crashed: must be checked via Order Status.
    Unknown,
}

#[derive(Debug, thiserror::Error)]
pub enum HistoryError {
    #[error("history database {path}: {message}")]
    Open { path: String, message: String },
    #[error("history database: {0}")]
    Sql(String),
}

/// What is known about an order before it is sent.
#[derive(Debug, Clone, Default)]
pub struct NewOrder {
    pub environment: String,
    pub base_host: String,
    pub merchant_id: String,
    pub profile: String,
    pub order_id: String,
    pub request_id: String,
    pub amount: String,
    pub currency: String,
    pub customer_id: String,
    pub customer_name: String,
    pub customer_phone: String,
    pub customer_email: String,
    /// The JSON body as sent (holds no secret).
    pub request_body: String,
}

/// One history row.
#[derive(Debug, Clone, PartialEq)]
pub struct OrderRow {
    pub id: i64,
    pub created_at: String,
    pub environment: String,
    pub base_host: String,
    pub merchant_id: String,
    pub profile: String,
    pub order_id: String,
    pub juspay_id: Option<String>,
    pub request_id: String,
    pub amount: String,
    pub currency: String,
    pub customer_id: String,
    pub customer_name: String,
    pub customer_phone: String,
    pub customer_email: String,
    pub request_body: String,
    pub response_body: Option<String>,
    pub payment_link: Option<String>,
    pub link_expiry: Option<String>,
    pub status: Option<String>,
    pub status_checked_at: Option<String>,
    pub outcome: Outcome,
    pub error: Option<String>,
}

/// A window query: newest first.
#[derive(Debug, Clone, Default)]
pub struct Query {
    /// Matches order id, customer name, phone, email.
    pub search: Option<String>,
    pub status: Option<String>,
    pub environment: Option<String>,
    pub offset: usize,
    pub limit: usize,
}

/// Cheap to clone; safe to use from several tasks and processes.
#[derive(Debug, Clone)]
pub struct Store {}

impl Store {
    pub fn open(path: &Path) -> Result<Store, HistoryError> {
        let _ = path;
        todo!("history helper")
    }
}
