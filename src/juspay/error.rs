//! One error type for every way a call can go wrong, in terms a person can act on.

/// What went wrong with a call to Juspay.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ApiError {
    /// 400: the server named the fields it did not like.
    #[error("Juspay rejected the request: {message}")]
    Invalid {
        message: String,
        fields: Vec<(String, String)>,
    },
    /// 401/403.
    #[error("Juspay refused the API key: {user_message} ({developer_message})")]
    Auth {
        user_message: String,
        developer_message: String,
    },
    #[error("not found: {0}")]
    NotFound(String),
    /// 5xx.
    #[error("Juspay had a server error (HTTP {status}): {snippet}")]
    Server { status: u16, snippet: String },
    /// The request was sent and no answer came in time: the order may exist.
    #[error("no answer within {seconds} s: the order may have been created")]
    Timeout { seconds: u64 },
    /// Connect, DNS or TLS failure: nothing was sent.
    #[error("could not reach Juspay ({0}): nothing was sent")]
    Network(String),
    /// An answer we could not read.
    #[error("unexpected answer from Juspay (HTTP {status}): {snippet}")]
    Decode { status: u16, snippet: String },
    /// The body was larger than we accept.
    #[error("the answer was larger than {limit} bytes and was refused")]
    TooLarge { limit: usize },
}

impl ApiError {
    /// True when the request may have reached Juspay and created the order.
    pub fn order_may_exist(&self) -> bool {
        todo!("juspay helper")
    }
}
