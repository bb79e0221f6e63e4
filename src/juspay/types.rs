//! Response bodies, decoded tolerantly: every field optional, unknown keys kept.
//!
//! Juspay adds keys per API `version` and is not consistent about types (a `status_id`
//! may be a number or a string), so every modelled field goes through a lenient
//! deserializer: a value of the wrong type becomes `None` instead of failing the whole
//! body, and keys we do not model are kept in `extra`.

use serde::de::{DeserializeOwned, Deserializer};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// Lenient field decoders, shared by every response type (`refund.rs` included).
pub(super) mod lenient {
    use super::*;

    /// A string field: strings as they are, numbers and booleans as text, anything else
    /// (null, objects, arrays) as `None`.
    pub fn string<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
        Ok(match Value::deserialize(d)? {
            Value::String(s) => Some(s),
            Value::Number(n) => Some(n.to_string()),
            Value::Bool(b) => Some(b.to_string()),
            _ => None,
        })
    }

    /// Any value kept as sent, `null` as `None`.
    pub fn value<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Value>, D::Error> {
        Ok(match Value::deserialize(d)? {
            Value::Null => None,
            v => Some(v),
        })
    }

    /// A nested object: `None` when it has the wrong shape.
    pub fn object<'de, D: Deserializer<'de>, T: DeserializeOwned>(
        d: D,
    ) -> Result<Option<T>, D::Error> {
        Ok(serde_json::from_value(Value::deserialize(d)?).ok())
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PaymentLinks {
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::string"
    )]
    pub web: Option<String>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::string"
    )]
    pub expiry: Option<String>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// Answer to `POST /session`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SessionResponse {
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::string"
    )]
    pub status: Option<String>,
    /// Juspay's order id (`ordv2_…`).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::string"
    )]
    pub id: Option<String>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::string"
    )]
    pub order_id: Option<String>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::object"
    )]
    pub payment_links: Option<PaymentLinks>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::value"
    )]
    pub sdk_payload: Option<Value>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl SessionResponse {
    /// The payment link to show or encode as a QR code.
    pub fn web_link(&self) -> Option<&str> {
        self.payment_links.as_ref()?.web.as_deref()
    }

    /// When the payment link stops working (ISO-8601 UTC), as Juspay sent it:
    /// `payment_links.expiry`, else the top-level `order_expiry` (some of Juspay's own
    /// samples give only that), else an `expiry` in `sdk_payload` or its `payload`
    /// (reference juspay-session-api.md §4). `clientAuthTokenExpiry` is the token's, not
    /// the link's, and is never used. Blank values count as not given.
    pub fn link_expiry(&self) -> Option<&str> {
        fn given(v: Option<&str>) -> Option<&str> {
            v.map(str::trim).filter(|s| !s.is_empty())
        }
        let sdk = self.sdk_payload.as_ref();
        given(
            self.payment_links
                .as_ref()
                .and_then(|l| l.expiry.as_deref()),
        )
        .or_else(|| given(self.extra.get("order_expiry").and_then(Value::as_str)))
        .or_else(|| given(sdk.and_then(|p| p.get("expiry")).and_then(Value::as_str)))
        .or_else(|| {
            given(
                sdk.and_then(|p| p.pointer("/payload/expiry"))
                    .and_then(Value::as_str),
            )
        })
    }

    /// The status the create answer gave, unless it claims the order is paid: a session
    /// is only created, and PAID comes only from Order Status (issue 11, kind 11).
    pub fn created_status(&self) -> Option<&str> {
        self.status
            .as_deref()
            .filter(|s| !OrderState::parse(s).is_paid())
    }

    /// The body as JSON with every `clientAuthToken` masked: safe to store or show.
    pub fn to_masked_json(&self) -> Value {
        let mut value = serde_json::to_value(self).unwrap_or(Value::Null);
        mask_client_auth_token(&mut value);
        value
    }
}

/// Answer to `GET /orders/{id}`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct OrderStatus {
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::string"
    )]
    pub id: Option<String>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::string"
    )]
    pub order_id: Option<String>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::string"
    )]
    pub status: Option<String>,
    /// A number in Juspay's bodies; kept as sent.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::value"
    )]
    pub status_id: Option<Value>,
    /// A JSON number in Order Status; kept as sent.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::value"
    )]
    pub amount: Option<Value>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::string"
    )]
    pub currency: Option<String>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::object"
    )]
    pub payment_links: Option<PaymentLinks>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::string"
    )]
    pub date_created: Option<String>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl OrderStatus {
    /// The status as the desk thinks about it; `None` when Juspay sent no status.
    pub fn state(&self) -> Option<OrderState> {
        self.status.as_deref().map(OrderState::parse)
    }

    /// The amount as text (`"5000.0"`), whether Juspay sent a number or a string.
    pub fn amount_text(&self) -> Option<String> {
        match self.amount.as_ref()? {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        }
    }

    /// A string field we do not model (e.g. `customer_email`, `udf1`), when it is one.
    pub fn extra_str(&self, key: &str) -> Option<&str> {
        self.extra.get(key)?.as_str()
    }

    /// The body as JSON with every `clientAuthToken` masked: safe to store or show.
    pub fn to_masked_json(&self) -> Value {
        let mut value = serde_json::to_value(self).unwrap_or(Value::Null);
        mask_client_auth_token(&mut value);
        value
    }
}

/// One field Juspay complained about in a 400.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct FieldError {
    #[serde(default, deserialize_with = "lenient::string")]
    pub field_name: Option<String>,
    #[serde(default, deserialize_with = "lenient::string")]
    pub reason: Option<String>,
}

/// `error_info` of an error body (reference §5b/§5c).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ErrorInfo {
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::string"
    )]
    pub category: Option<String>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::string"
    )]
    pub request_id: Option<String>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::string"
    )]
    pub developer_message: Option<String>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::string"
    )]
    pub user_message: Option<String>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::string"
    )]
    pub code: Option<String>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "field_list"
    )]
    pub fields: Option<Vec<FieldError>>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `fields` as a list, skipping entries of the wrong shape rather than failing.
fn field_list<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Vec<FieldError>>, D::Error> {
    Ok(match Value::deserialize(d)? {
        Value::Array(items) => Some(
            items
                .into_iter()
                .filter_map(|v| serde_json::from_value(v).ok())
                .collect(),
        ),
        _ => None,
    })
}

/// An error body from Juspay. Its `status` is not consistent (`"Bad Request"`, `"error"`,
/// `"NOT_FOUND"`, …): callers branch on the HTTP status and use these only for wording.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ErrorBody {
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::string"
    )]
    pub status: Option<String>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::value"
    )]
    pub status_id: Option<Value>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::string"
    )]
    pub error_code: Option<String>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::string"
    )]
    pub error_message: Option<String>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::string"
    )]
    pub user_message: Option<String>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::object"
    )]
    pub error_info: Option<ErrorInfo>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl ErrorBody {
    /// Parses an error body; `None` when it is not a JSON object.
    pub fn parse(bytes: &[u8]) -> Option<ErrorBody> {
        match serde_json::from_slice::<Value>(bytes).ok()? {
            v @ Value::Object(_) => serde_json::from_value(v).ok(),
            _ => None,
        }
    }

    /// The most useful developer-facing message the body carries.
    pub fn developer_message(&self) -> Option<&str> {
        let info = self.error_info.as_ref();
        info.and_then(|i| i.developer_message.as_deref())
            .or(self.error_message.as_deref())
            .or(info.and_then(|i| i.user_message.as_deref()))
            .or(self.user_message.as_deref())
            .or(self.error_code.as_deref())
            .filter(|s| !s.trim().is_empty())
    }

    /// The most useful user-facing message the body carries.
    pub fn user_message(&self) -> Option<&str> {
        let info = self.error_info.as_ref();
        info.and_then(|i| i.user_message.as_deref())
            .or(self.user_message.as_deref())
            .or(self.error_message.as_deref())
            .filter(|s| !s.trim().is_empty())
    }

    /// `(field_name, reason)` pairs from `error_info.fields`.
    pub fn field_pairs(&self) -> Vec<(String, String)> {
        let Some(fields) = self.error_info.as_ref().and_then(|i| i.fields.as_ref()) else {
            return Vec::new();
        };
        fields
            .iter()
            .map(|f| {
                (
                    f.field_name.clone().unwrap_or_else(|| "?".to_string()),
                    f.reason.clone().unwrap_or_else(|| "rejected".to_string()),
                )
            })
            .collect()
    }

    /// True for the Order Status "no such order" body (§5c), whatever HTTP status came
    /// with it.
    pub fn is_not_found(&self) -> bool {
        let status = self.status.as_deref().unwrap_or("");
        let code = self
            .error_info
            .as_ref()
            .and_then(|i| i.code.as_deref())
            .unwrap_or("");
        status.eq_ignore_ascii_case("NOT_FOUND") || code.eq_ignore_ascii_case("RESOURCE_NOT_FOUND")
    }
}

/// Statuses after which Juspay expects no further change: polling and refresh stop there.
pub const FINAL_STATUSES: &[&str] = &[
    "CHARGED",
    "AUTHENTICATION_FAILED",
    "AUTHORIZATION_FAILED",
    "JUSPAY_DECLINED",
    "AUTO_REFUNDED",
    "VOIDED",
];

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
    /// Juspay's status word, case-insensitively. The payload of `Pending`, `Failed` and
    /// `Other` is the word in upper case.
    pub fn parse(status: &str) -> OrderState {
        let word = status.trim().to_ascii_uppercase();
        match word.as_str() {
            "NEW" => OrderState::New,
            "CHARGED" => OrderState::Charged,
            "PENDING_VBV" | "AUTHORIZING" | "STARTED" => OrderState::Pending(word),
            "AUTHENTICATION_FAILED" | "AUTHORIZATION_FAILED" | "JUSPAY_DECLINED" => {
                OrderState::Failed(word)
            }
            _ => OrderState::Other(word),
        }
    }

    /// No further change is expected.
    pub fn is_final(&self) -> bool {
        FINAL_STATUSES.contains(&self.as_str())
    }

    /// The customer has paid.
    pub fn is_paid(&self) -> bool {
        matches!(self, OrderState::Charged)
    }

    /// Juspay's word for the state (`NEW`, `CHARGED`, `PENDING_VBV`, …).
    pub fn as_str(&self) -> &str {
        match self {
            OrderState::New => "NEW",
            OrderState::Charged => "CHARGED",
            OrderState::Pending(s) | OrderState::Failed(s) | OrderState::Other(s) => s,
        }
    }
}

/// Replaces every `clientAuthToken` (at any depth) with `***` before a body is stored or
/// shown. The snake_case spelling `client_auth_token` is masked too.
pub fn mask_client_auth_token(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for (key, inner) in map.iter_mut() {
                if key == "clientAuthToken" || key == "client_auth_token" {
                    *inner = Value::String("***".to_string());
                } else {
                    mask_client_auth_token(inner);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(mask_client_auth_token),
        _ => {}
    }
}

/// Token-bearing keys, lower case: [`mask_client_auth_token`] masks their values in JSON,
/// [`mask_client_auth_token_text`] in text that is not (or no longer) JSON.
const TOKEN_KEYS: [&str; 2] = ["clientauthtoken", "client_auth_token"];

/// Text with the value after every `clientAuthToken` / `client_auth_token` (any case)
/// replaced by `***`: for snippets of answers that cannot be parsed (a truncated 200, an
/// HTML 5xx, `key=value` text) before they are shown, stored or logged. The value is
/// whatever follows the key and its separators (quotes, `:`, `=`, spaces) up to a quote,
/// `,`, `}`, `]`, `&`, `;`, `<`, a backslash or white space, or the end of the text.
/// `clientAuthTokenExpiry` is a different key and is left alone.
pub fn mask_client_auth_token_text(text: &str) -> String {
    // ASCII lower-casing keeps every byte where it was, so offsets are shared.
    let lower = text.to_ascii_lowercase();
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut pos = 0;
    while let Some((at, key)) = TOKEN_KEYS
        .iter()
        .filter_map(|key| lower[pos..].find(key).map(|i| (pos + i, key.len())))
        .min()
    {
        let key_end = at + key;
        out.push_str(&text[pos..key_end]);
        pos = key_end;
        if bytes
            .get(key_end)
            .is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_')
        {
            continue;
        }
        let mut start = key_end;
        while bytes.get(start).is_some_and(|b| {
            matches!(b, b'"' | b'\'' | b':' | b'=' | b'\\') || b.is_ascii_whitespace()
        }) {
            start += 1;
        }
        let mut end = start;
        while bytes.get(end).is_some_and(|b| {
            !(matches!(
                b,
                b'"' | b'\'' | b',' | b'}' | b']' | b'&' | b';' | b'<' | b'\\'
            ) || b.is_ascii_whitespace())
        }) {
            end += 1;
        }
        out.push_str(&text[key_end..start]);
        if end > start {
            out.push_str("***");
        }
        pos = end;
    }
    out.push_str(&text[pos..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn token_values_in_text_are_masked() {
        for (text, want) in [
            (
                r#"{"sdk_payload":{"payload":{"clientAuthToken":"tkn_secret","clientAuthTokenExpiry":"2026"#,
                r#"{"sdk_payload":{"payload":{"clientAuthToken":"***","clientAuthTokenExpiry":"2026"#,
            ),
            (
                r#"{"clientAuthToken":"tkn_sec"#,
                r#"{"clientAuthToken":"***"#,
            ),
            (
                "CLIENT_AUTH_TOKEN = tkn_x; next",
                "CLIENT_AUTH_TOKEN = ***; next",
            ),
            (
                r#"<p>clientAuthToken: tkn_y</p> ok"#,
                r#"<p>clientAuthToken: ***</p> ok"#,
            ),
            (
                r#"{\"clientAuthToken\":\"tkn_z\"}"#,
                r#"{\"clientAuthToken\":\"***\"}"#,
            ),
            ("no token here ₹", "no token here ₹"),
            ("clientAuthToken", "clientAuthToken"),
        ] {
            assert_eq!(mask_client_auth_token_text(text), want, "{text}");
        }
    }

    #[test]
    fn order_state_parse_groups_statuses_case_insensitively() {
        assert_eq!(OrderState::parse("new"), OrderState::New);
        assert_eq!(OrderState::parse(" Charged "), OrderState::Charged);
        assert_eq!(
            OrderState::parse("pending_vbv"),
            OrderState::Pending("PENDING_VBV".into())
        );
        assert_eq!(
            OrderState::parse("AUTHORIZING"),
            OrderState::Pending("AUTHORIZING".into())
        );
        assert_eq!(
            OrderState::parse("STARTED"),
            OrderState::Pending("STARTED".into())
        );
        for failed in [
            "AUTHENTICATION_FAILED",
            "authorization_failed",
            "JUSPAY_DECLINED",
        ] {
            assert!(
                matches!(OrderState::parse(failed), OrderState::Failed(_)),
                "{failed}"
            );
        }
        assert_eq!(
            OrderState::parse("AUTO_REFUNDED"),
            OrderState::Other("AUTO_REFUNDED".into())
        );
        assert!(OrderState::parse("CHARGED").is_final());
        assert!(!OrderState::parse("PENDING_VBV").is_final());
        assert!(OrderState::parse("charged").is_paid());
    }

    #[test]
    fn mask_reaches_every_depth() {
        let mut v = json!({
            "clientAuthToken": "tkn_top",
            "sdk_payload": {"payload": {"clientAuthToken": "tkn_deep", "amount": "1"}},
            "list": [{"clientAuthToken": "tkn_in_array"}],
        });
        mask_client_auth_token(&mut v);
        let text = v.to_string();
        assert!(!text.contains("tkn_"), "{text}");
        assert_eq!(v["sdk_payload"]["payload"]["amount"], "1");
        assert_eq!(v["list"][0]["clientAuthToken"], "***");
    }

    #[test]
    fn wrong_types_do_not_fail_the_body() {
        let body = json!({
            "status": 21,
            "id": {"nested": true},
            "order_id": "A1",
            "payment_links": "not an object",
            "sdk_payload": null,
            "brand_new_key": [1, 2],
        });
        let r: SessionResponse = serde_json::from_value(body).expect("tolerant");
        assert_eq!(r.status.as_deref(), Some("21"));
        assert_eq!(r.id, None);
        assert_eq!(r.payment_links, None);
        assert_eq!(r.extra.get("brand_new_key"), Some(&json!([1, 2])));
    }

    #[test]
    fn error_body_reads_the_reference_shapes() {
        let bad = br#"{"status":"Bad Request","error_code":"Mandatory fields are missing",
            "error_message":"Mandatory fields are missing","error_info":{"developer_message":
            "Invalid input data","user_message":"Invalid input data","code":"INVALID_INPUT",
            "fields":[{"field_name":"currency","reason":"Mandatory fields are missing"}, 7]}}"#;
        let body = ErrorBody::parse(bad).expect("object");
        assert_eq!(
            body.field_pairs(),
            vec![(
                "currency".to_string(),
                "Mandatory fields are missing".to_string()
            )]
        );
        assert!(!body.is_not_found());
        let nf = br#"{"status":"NOT_FOUND","error_info":{"user_message":"Order Not Found",
            "developer_message":"Order Not Found","code":"RESOURCE_NOT_FOUND",
            "category":"USER_ERROR"},"status_id":40,"order_id":"173824171"}"#;
        assert!(ErrorBody::parse(nf).expect("object").is_not_found());
        assert!(ErrorBody::parse(b"<html>").is_none());
        assert!(ErrorBody::parse(b"[1]").is_none());
    }
}
