//! Fuzzing what comes back from Juspay: success bodies (`SessionResponse`, `OrderStatus`),
//! error bodies (`ErrorBody::parse`), status words (`OrderState::parse`) and the
//! `clientAuthToken` mask. Nothing may panic, and no token survives the mask.
//!
//! The client's (HTTP status, bytes) -> Result<_, ApiError> mapping is private to
//! `juspay::client`; these properties cover every public decoder it is built from.
//!
//! `cargo test --test fuzz_responses` runs 256 cases per property; `benches/fuzz.sh` runs
//! 100,000 in release mode.

mod fuzz_support;

use fuzz_support::{config, json_soup, mutated, mutated_bytes, nasty_text};
use paydesk::juspay::types::{ErrorBody, mask_client_auth_token};
use paydesk::juspay::{OrderState, OrderStatus, SessionResponse};
use proptest::prelude::*;
use serde_json::{Map, Value};

/// Bodies in the shapes of the reference (§4, §5b, §5c, Order Status).
const SEEDS: &[&str] = &[
    r#"{"status":"NEW","id":"ordv2_80e53a249d0d4c14b57cef3593304cb1","order_id":"test_1uegdsi","payment_links":{"web":"https://sandbox.assets.juspay.in/payment-page/order/ordv2_80e53a249d0d4c14b57cef3593304cb1","expiry":"2026-09-03T10:09:27Z"},"sdk_payload":{"requestId":"55d77de8","service":"in.juspay.hyperpay","payload":{"clientAuthToken":"tkn_SEED_SECRET","amount":"1.00"}}}"#,
    r#"{"status":"Bad Request","error_code":"Mandatory fields are missing","error_message":"Mandatory fields are missing","error_info":{"developer_message":"Invalid input data","user_message":"Invalid input data","code":"INVALID_INPUT","fields":[{"field_name":"currency","reason":"Mandatory fields are missing"}]}}"#,
    r#"{"status":"error","error_code":"access_denied","error_info":{"category":"USER_ERROR","request_id":"949da375-f13c-4054-af38-9996672361a3","developer_message":"Invalid API Key. Please pass a valid and active api key.","user_message":"Unauthorized.","code":"UNAUTHORIZED"}}"#,
    r#"{"status":"NOT_FOUND","error_info":{"user_message":"Order Not Found","developer_message":"Order Not Found","code":"RESOURCE_NOT_FOUND","category":"USER_ERROR"},"status_id":40,"order_id":"173824171"}"#,
    r#"{"id":"ordv2_1","order_id":"PD1","status":"CHARGED","status_id":21,"amount":5000.0,"currency":"INR","customer_email":"a@b.in","udf1":null,"error":null,"payment_links":{"web":"https://x/y","mobile":"m","iframe":"i"},"date_created":"2026-01-01T00:00:00Z"}"#,
    "<html><head><title>502 Bad Gateway</title></head><body><h1>502</h1></body></html>",
    "",
];

/// A token that appears nowhere else in generated bodies, so finding it after masking is
/// a leak.
fn token() -> impl Strategy<Value = String> {
    "[a-z0-9]{1,12}".prop_map(|s| format!("tkn_FUZZ_SECRET_{s}"))
}

/// Values of the types Juspay mixes up.
fn leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        nasty_text().prop_map(Value::String),
        prop::sample::select(vec![
            "NEW",
            "CHARGED",
            "pending_vbv",
            " Authorization_Failed ",
            "JUSPAY_DECLINED",
            "NOT_FOUND",
            "RESOURCE_NOT_FOUND",
        ])
        .prop_map(Value::from),
    ]
}

/// Keys the decoders look at, plus the token keys and free ones.
fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => prop::sample::select(vec![
            "status", "id", "order_id", "payment_links", "web", "expiry", "sdk_payload",
            "payload", "status_id", "amount", "currency", "date_created", "error_code",
            "error_message", "user_message", "developer_message", "error_info", "fields",
            "field_name", "reason", "code", "category", "request_id", "udf1",
        ])
        .prop_map(str::to_string),
        1 => "[a-zA-Z_]{1,10}",
    ]
}

/// Nested JSON in the vocabulary of the reference, with `clientAuthToken` (either
/// spelling) planted at any depth.
fn body() -> impl Strategy<Value = Value> {
    let planted = (
        prop::sample::select(vec!["clientAuthToken", "client_auth_token"]),
        token(),
    )
        .prop_map(|(k, t)| {
            let mut m = Map::new();
            m.insert(k.to_string(), Value::String(t));
            Value::Object(m)
        });
    let leafish = prop_oneof![4 => leaf(), 1 => planted];
    leafish.prop_recursive(5, 96, 8, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
            prop::collection::vec(
                (
                    prop_oneof![
                        8 => key(),
                        1 => Just("clientAuthToken".to_string()),
                        1 => Just("client_auth_token".to_string()),
                    ],
                    inner
                ),
                0..8
            )
            .prop_map(|kv| Value::Object(kv.into_iter().collect())),
        ]
    })
}

/// True when a planted token is still in `text`.
fn leaks(text: &str) -> bool {
    text.contains("tkn_FUZZ_SECRET_") || text.contains("tkn_SEED_SECRET")
}

/// Runs every public decoder and accessor over one byte string; gives the masked JSON
/// of each body that decoded.
fn decode_all(bytes: &[u8]) -> Vec<String> {
    let mut masked = Vec::new();
    if let Ok(r) = serde_json::from_slice::<SessionResponse>(bytes) {
        let _ = (r.web_link(), r.link_expiry());
        masked.push(r.to_masked_json().to_string());
    }
    if let Ok(s) = serde_json::from_slice::<OrderStatus>(bytes) {
        let _ = (s.state(), s.amount_text(), s.extra_str("customer_email"));
        masked.push(s.to_masked_json().to_string());
    }
    if let Some(e) = ErrorBody::parse(bytes) {
        let _ = (e.developer_message(), e.user_message(), e.is_not_found());
        for (field, reason) in e.field_pairs() {
            assert!(!field.is_empty() || !reason.is_empty());
        }
    }
    masked
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn arbitrary_and_mutated_bytes_never_panic(bytes in mutated_bytes(SEEDS)) {
        decode_all(&bytes);
    }

    #[test]
    fn mutated_reference_bodies_never_panic(text in mutated(SEEDS, 6)) {
        decode_all(text.as_bytes());
    }

    #[test]
    fn json_token_soup_never_panics(text in json_soup()) {
        decode_all(text.as_bytes());
    }

    #[test]
    fn structured_bodies_decode_leniently_and_mask_every_token(value in body()) {
        let bytes = serde_json::to_vec(&value).unwrap_or_default();
        for text in decode_all(&bytes) {
            prop_assert!(!leaks(&text), "token left in {}", text);
        }
        // An object body never fails to decode: wrong types become None, not an error.
        if value.is_object() {
            prop_assert!(serde_json::from_slice::<SessionResponse>(&bytes).is_ok());
            prop_assert!(serde_json::from_slice::<OrderStatus>(&bytes).is_ok());
            prop_assert!(ErrorBody::parse(&bytes).is_some());
        } else {
            prop_assert!(ErrorBody::parse(&bytes).is_none());
        }
        let mut masked = value.clone();
        mask_client_auth_token(&mut masked);
        let text = masked.to_string();
        prop_assert!(!leaks(&text), "token left in {}", text);
    }

    #[test]
    fn order_state_parse_is_total_and_stable(word in prop_oneof![
        nasty_text(),
        "[A-Za-z_ ]{0,24}",
    ]) {
        let state = OrderState::parse(&word);
        let again = OrderState::parse(state.as_str());
        prop_assert_eq!(&again, &state);
        prop_assert!(!state.is_paid() || state.is_final(), "paid but not final");
    }
}

/// Regression guard: nesting far past serde_json's recursion limit is an error, not a
/// stack overflow, in every decoder.
#[test]
fn deep_nesting_is_refused_not_a_crash() {
    let depth = 100_000;
    let arrays = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
    let objects = format!("{}1{}", "{\"a\":".repeat(depth), "}".repeat(depth));
    for text in [&arrays, &objects] {
        let under = format!("{{\"sdk_payload\":{text}}}");
        for bytes in [text.as_bytes(), under.as_bytes()] {
            assert!(serde_json::from_slice::<SessionResponse>(bytes).is_err());
            assert!(serde_json::from_slice::<OrderStatus>(bytes).is_err());
            assert!(ErrorBody::parse(bytes).is_none());
        }
    }
}

/// A 10 MB body of one string decodes (or not) without trouble; the size cap itself is
/// the client's job.
#[test]
fn huge_string_values_decode() {
    let big = "x".repeat(10 * 1024 * 1024);
    let body = format!("{{\"status\":\"NEW\",\"payment_links\":{{\"web\":\"{big}\"}}}}");
    let r: SessionResponse = serde_json::from_slice(body.as_bytes()).expect("decodes");
    assert_eq!(r.web_link().map(str::len), Some(big.len()));
}
