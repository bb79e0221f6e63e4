//! Talking to Juspay: the Session API, the Order Status API and the Refund API. No UI.

pub mod client;
pub mod error;
pub mod refund;
pub mod types;

pub use client::{Client, ClientConfig};
pub use error::{ApiError, RefundRefusal};
pub use refund::{Refund, RefundRequest, RefundStatus};
pub use types::{OrderState, OrderStatus, SessionResponse};
