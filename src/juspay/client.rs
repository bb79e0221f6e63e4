//! The HTTP client: auth, headers, timeouts, size limit, tolerant decoding.

use std::time::Duration;

use serde_json::{Map, Value};

use super::error::ApiError;
use super::types::{OrderStatus, SessionResponse};
use crate::secret::ApiKey;

#[derive(Debug, Clone)]
pub struct ClientConfig {
    /// e.g. `https://sandbox.juspay.in`, no trailing slash needed.
    pub base_url: String,
    pub merchant_id: String,
    pub api_key: ApiKey,
    pub connect_timeout: Duration,
    pub request_timeout: Duration,
}

/// Cheap to clone; one per environment.
#[derive(Debug, Clone)]
pub struct Client {
    config: std::sync::Arc<ClientConfig>,
}

impl Client {
    pub fn new(config: ClientConfig) -> Result<Client, ApiError> {
        Ok(Client {
            config: std::sync::Arc::new(config),
        })
    }

    pub fn config(&self) -> &ClientConfig {
        &self.config
    }

    /// A fresh `x-request-id`; the caller stores it with the order before sending.
    pub fn new_request_id() -> String {
        uuid::Uuid::new_v4().to_string()
    }

    /// `POST {base}/session`.
    pub async fn create_session(
        &self,
        body: &Map<String, Value>,
        request_id: &str,
    ) -> Result<SessionResponse, ApiError> {
        let _ = (body, request_id);
        todo!("juspay helper")
    }

    /// `GET {base}/orders/{order_id}`.
    pub async fn order_status(&self, order_id: &str) -> Result<OrderStatus, ApiError> {
        let _ = order_id;
        todo!("juspay helper")
    }
}
