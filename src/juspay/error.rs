//! One error type for every way a call can go wrong, in terms a person can act on.
//!
//! The messages never contain the API key or a header value. Whether the order may
//! exist is the question that matters after a failed create: `order_may_exist` answers
//! it, and the wording of each variant says what to do next.

use super::types::ErrorBody;

/// What went wrong with a call to Juspay.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ApiError {
    /// 400 (or another 4xx with an error body): the server named the fields it did not
    /// like. Nothing was created.
    #[error("Juspay rejected the request: {message}{}. Fix the input and send again.", list_fields(.fields))]
    Invalid {
        message: String,
        fields: Vec<(String, String)>,
    },
    /// 401/403.
    #[error(
        "Juspay refused the credentials: {}. Check the API key and merchant id of this environment.",
        sentence(.developer_message, .user_message)
    )]
    Auth {
        user_message: String,
        developer_message: String,
    },
    /// No such order (Order Status), or no such endpoint (check the base URL).
    #[error("{0}")]
    NotFound(String),
    /// 5xx.
    #[error(
        "Juspay had a server error (HTTP {status}): {snippet}. The request may have been processed: check the order's status before sending again."
    )]
    Server { status: u16, snippet: String },
    /// The request was sent and no answer came in time: the order may exist.
    #[error(
        "no answer within {seconds} s. The order may have been created: check its status before sending again."
    )]
    Timeout { seconds: u64 },
    /// Connect, DNS or TLS failure: nothing was sent.
    #[error(
        "could not reach Juspay ({0}). Nothing was sent: check the base URL and the network, then try again."
    )]
    Network(String),
    /// The connection broke after the request had been sent: the order may exist.
    #[error(
        "the connection broke after the request was sent ({0}). The order may have been created: check its status before sending again."
    )]
    Interrupted(String),
    /// An answer we could not read.
    #[error(
        "unexpected answer from Juspay (HTTP {status}): {snippet}. The request may have been processed: check the order's status before sending again."
    )]
    Decode { status: u16, snippet: String },
    /// The body was larger than we accept.
    #[error(
        "the answer was larger than {limit} bytes and was refused. The request may have been processed: check the order's status before sending again."
    )]
    TooLarge { limit: usize },
    /// Juspay refused a refund for one of its documented reasons (see `RefundRefusal`
    /// and reference juspay-refunds.md, "Errors"). This call refunded nothing.
    #[error("{0}")]
    Refund(RefundRefusal),
    /// The client could not be set up (bad base URL, merchant id not usable in a header).
    /// Nothing was sent.
    #[error("cannot send to Juspay: {0}. Nothing was sent: fix the configuration and try again.")]
    Config(String),
}

/// A refund Juspay refused for a documented reason (reference, "Errors"). Each says
/// what to do next; none means money moved in this call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum RefundRefusal {
    /// `duplicate.call`: this `unique_request_id` was already used for this order. An
    /// earlier attempt reached Juspay: its refund is in Order Status.
    #[error(
        "Juspay already has a refund with this unique_request_id for this order (duplicate.call): this call added nothing. Check the order's status to see that refund."
    )]
    RequestIdUsed,
    /// `duplicate.call`: the same amount was refunded on this order a few seconds ago
    /// and is still processing.
    #[error(
        "a refund of this amount on this order is already processing (duplicate.call). Check the order's status before refunding again."
    )]
    SameAmountInProgress,
    /// `invalid.amount.exceeded`: more than the part of the order not yet refunded.
    #[error(
        "the refund amount is more than what is left to refund on this order (invalid.amount.exceeded). Nothing was refunded."
    )]
    AmountExceeded,
    /// `invalid amount`: zero or malformed.
    #[error(
        "Juspay found the refund amount invalid (zero or more than two decimals). Nothing was refunded."
    )]
    InvalidAmount,
    /// `Mandatory fields are missing` (the `unique_request_id`).
    #[error(
        "Juspay says mandatory fields are missing (a refund needs a unique_request_id). Nothing was refunded."
    )]
    MissingFields,
}

impl RefundRefusal {
    /// The refusal a 400 body of the Refund API names, if it is a documented one. The
    /// two `duplicate.call` readings differ only in their message (reference, "Errors").
    pub fn from_body(body: &ErrorBody) -> Option<RefundRefusal> {
        let code = body.error_code.as_deref().unwrap_or("").trim();
        let message = [body.error_message.as_deref(), body.user_message.as_deref()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ")
            .to_ascii_lowercase();
        if code.eq_ignore_ascii_case("duplicate.call") {
            return Some(if message.contains("processing") {
                RefundRefusal::SameAmountInProgress
            } else {
                RefundRefusal::RequestIdUsed
            });
        }
        if code.eq_ignore_ascii_case("invalid.amount.exceeded") {
            return Some(RefundRefusal::AmountExceeded);
        }
        if code.eq_ignore_ascii_case("invalid amount")
            || code.eq_ignore_ascii_case("invalid.amount")
        {
            return Some(RefundRefusal::InvalidAmount);
        }
        let missing = "mandatory fields are missing";
        if message.contains(missing) || code.to_ascii_lowercase().contains(missing) {
            return Some(RefundRefusal::MissingFields);
        }
        None
    }
}

/// The developer message (or the user message when there is none) without its final dot.
fn sentence(developer_message: &str, user_message: &str) -> String {
    let text = if developer_message.trim().is_empty() {
        user_message
    } else {
        developer_message
    };
    text.trim().trim_end_matches('.').to_string()
}

fn list_fields(fields: &[(String, String)]) -> String {
    if fields.is_empty() {
        return String::new();
    }
    let parts: Vec<String> = fields.iter().map(|(f, r)| format!("{f}: {r}")).collect();
    format!(" ({})", parts.join("; "))
}

impl ApiError {
    /// True when the request may have reached Juspay and created the order.
    pub fn order_may_exist(&self) -> bool {
        matches!(
            self,
            ApiError::Timeout { .. }
                | ApiError::Server { .. }
                | ApiError::Decode { .. }
                | ApiError::TooLarge { .. }
                | ApiError::Interrupted(_)
        )
    }

    /// A short name for logs and history rows (`invalid`, `auth`, `timeout`, …).
    pub fn kind(&self) -> &'static str {
        match self {
            ApiError::Invalid { .. } => "invalid",
            ApiError::Auth { .. } => "auth",
            ApiError::NotFound(_) => "not_found",
            ApiError::Server { .. } => "server",
            ApiError::Timeout { .. } => "timeout",
            ApiError::Network(_) => "network",
            ApiError::Interrupted(_) => "interrupted",
            ApiError::Decode { .. } => "decode",
            ApiError::TooLarge { .. } => "too_large",
            ApiError::Refund(_) => "refund_refused",
            ApiError::Config(_) => "config",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_answers_after_sending_mean_the_order_may_exist() {
        assert!(ApiError::Timeout { seconds: 30 }.order_may_exist());
        assert!(
            ApiError::Server {
                status: 502,
                snippet: String::new()
            }
            .order_may_exist()
        );
        assert!(ApiError::Interrupted("reset".into()).order_may_exist());
        assert!(ApiError::TooLarge { limit: 1 }.order_may_exist());
        assert!(
            ApiError::Decode {
                status: 200,
                snippet: String::new()
            }
            .order_may_exist()
        );
        assert!(!ApiError::Network("refused".into()).order_may_exist());
        assert!(
            !ApiError::Invalid {
                message: String::new(),
                fields: vec![]
            }
            .order_may_exist()
        );
        assert!(!ApiError::Config("bad url".into()).order_may_exist());
    }

    #[test]
    fn invalid_lists_the_fields() {
        let e = ApiError::Invalid {
            message: "Mandatory fields are missing".into(),
            fields: vec![(
                "customer_email".into(),
                "Mandatory fields are missing".into(),
            )],
        };
        let text = e.to_string();
        assert!(
            text.contains("customer_email: Mandatory fields are missing"),
            "{text}"
        );
    }
}
