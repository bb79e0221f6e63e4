//! Talking to Juspay: the Session API and the Order Status API. No UI.

pub mod client;
pub mod error;
pub mod types;

pub use client::{Client, ClientConfig};
pub use error::ApiError;
pub use types::{OrderState, OrderStatus, SessionResponse};
