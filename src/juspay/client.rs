//! The HTTP client: auth, headers, timeouts, size limit, tolerant decoding.
//!
//! One `reqwest::Client` per `Client`; cloning shares it. Nothing here logs a header
//! value: tracing at debug level sees method, path, HTTP status, request id and duration.

use std::sync::Arc;
use std::time::{Duration, Instant};

use base64::Engine as _;
use reqwest::header::{AUTHORIZATION, CONTENT_TYPE, HeaderMap, HeaderValue};
use reqwest::{Method, StatusCode, Url};
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use super::error::{ApiError, RefundRefusal};
use super::types::{ErrorBody, OrderStatus, SessionResponse, mask_client_auth_token_text};
use crate::secret::ApiKey;

/// Answers larger than this are refused (`ApiError::TooLarge`); nothing Juspay sends
/// for a session or a status comes close.
pub const MAX_RESPONSE_BYTES: usize = 1024 * 1024;
/// The Order Status API `version` header paydesk is written against.
pub const ORDER_STATUS_VERSION: &str = "2023-06-30";
/// The body type of the Refund API, and the content type Order Status is sent with.
pub(super) const FORM_CONTENT_TYPE: &str = "application/x-www-form-urlencoded";
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
pub const DEFAULT_REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
/// Extra attempts when the connection could not be opened (nothing was sent).
const CONNECT_RETRIES: u32 = 2;
const CONNECT_RETRY_PAUSE: Duration = Duration::from_millis(250);
/// Characters of a server error body shown to the user.
const SERVER_SNIPPET_CHARS: usize = 200;
/// Characters of an unreadable body shown to the user.
const DECODE_SNIPPET_CHARS: usize = 500;

#[derive(Debug, Clone)]
pub struct ClientConfig {
    /// e.g. `https://sandbox.juspay.in`, no trailing slash needed.
    pub base_url: String,
    pub merchant_id: String,
    pub api_key: ApiKey,
    pub connect_timeout: Duration,
    pub request_timeout: Duration,
}

impl ClientConfig {
    /// A config with the default timeouts (connect 10 s, whole request 30 s).
    pub fn new(
        base_url: impl Into<String>,
        merchant_id: impl Into<String>,
        api_key: ApiKey,
    ) -> Self {
        ClientConfig {
            base_url: base_url.into(),
            merchant_id: merchant_id.into(),
            api_key,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            request_timeout: DEFAULT_REQUEST_TIMEOUT,
        }
    }
}

/// Cheap to clone; one per environment.
#[derive(Debug, Clone)]
pub struct Client {
    config: Arc<ClientConfig>,
    http: reqwest::Client,
    base: Url,
}

/// Which call an answer belongs to; decides how a 400/404 reads.
pub(super) enum Call<'a> {
    Session,
    Status { order_id: &'a str },
    Refund { order_id: &'a str },
}

impl Client {
    /// Checks the base URL and merchant id and builds the HTTP client. Fails only on
    /// configuration (`ApiError::Config`); nothing is sent.
    pub fn new(config: ClientConfig) -> Result<Client, ApiError> {
        let base = parse_base_url(&config.base_url)?;

        let mut headers = HeaderMap::new();
        let credentials = base64::engine::general_purpose::STANDARD
            .encode(format!("{}:", config.api_key.expose()));
        let mut auth = HeaderValue::from_str(&format!("Basic {credentials}"))
            .map_err(|_| ApiError::Config("the API key cannot be sent in a header".into()))?;
        auth.set_sensitive(true);
        headers.insert(AUTHORIZATION, auth);
        let merchant = HeaderValue::from_str(config.merchant_id.trim()).map_err(|_| {
            ApiError::Config(format!(
                "the merchant id {:?} has characters that cannot be sent in a header",
                config.merchant_id
            ))
        })?;
        headers.insert("x-merchantid", merchant);

        let mut builder = reqwest::Client::builder()
            .default_headers(headers)
            .user_agent(concat!("paydesk/", env!("CARGO_PKG_VERSION")))
            .connect_timeout(config.connect_timeout)
            .timeout(config.request_timeout)
            // A redirect would turn the POST into a GET; show it as an unexpected answer.
            .redirect(reqwest::redirect::Policy::none());
        if is_loopback(&base) {
            // The emulator is on this machine: never route it through a proxy.
            builder = builder.no_proxy();
        }
        if base.scheme() == "http" {
            // Plain HTTP (only allowed on loopback, and redirects are off): no TLS is ever
            // made, so skip loading the system's root certificates — reading and parsing
            // them was most of the demo desk's start-up after the first frame.
            builder = builder.tls_certs_only(std::iter::empty());
        }
        let http = builder
            .build()
            .map_err(|e| ApiError::Config(format!("could not set up HTTP: {}", describe(&e))))?;
        Ok(Client {
            config: Arc::new(config),
            http,
            base,
        })
    }

    pub fn config(&self) -> &ClientConfig {
        &self.config
    }

    /// A fresh `x-request-id`; the caller stores it with the order before sending.
    pub fn new_request_id() -> String {
        uuid::Uuid::new_v4().to_string()
    }

    /// `POST {base}/session` with the body as JSON. Retried only when the connection
    /// could not be opened (nothing was sent); never after a timeout or a broken answer.
    pub async fn create_session(
        &self,
        body: &Map<String, Value>,
        request_id: &str,
    ) -> Result<SessionResponse, ApiError> {
        let url = self.url(&["session"]);
        let headers = call_headers("application/json", request_id, routing_id(body), None)?;
        let bytes = serde_json::to_vec(body)
            .map_err(|e| ApiError::Config(format!("the body cannot be encoded: {e}")))?;
        self.call(Method::POST, url, headers, bytes, request_id, Call::Session)
            .await
    }

    /// `GET {base}/orders/{order_id}` (the id percent-encoded as one path segment).
    pub async fn order_status(&self, order_id: &str) -> Result<OrderStatus, ApiError> {
        if order_id.trim().is_empty() {
            return Err(ApiError::Invalid {
                message: "the order id is empty".into(),
                fields: vec![("order_id".into(), "must not be empty".into())],
            });
        }
        let url = self.url(&["orders", order_id]);
        let request_id = Client::new_request_id();
        // A form content type as Juspay's Order Status docs and SDKs send it, though the
        // GET has no body.
        let headers = call_headers(
            FORM_CONTENT_TYPE,
            &request_id,
            None,
            Some(ORDER_STATUS_VERSION),
        )?;
        self.call(
            Method::GET,
            url,
            headers,
            Vec::new(),
            &request_id,
            Call::Status { order_id },
        )
        .await
    }

    /// `{base}/seg1/seg2…`, each segment percent-encoded.
    pub(super) fn url(&self, segments: &[&str]) -> Url {
        let mut url = self.base.clone();
        if let Ok(mut path) = url.path_segments_mut() {
            path.pop_if_empty().extend(segments);
        }
        url
    }

    /// Sends one request and decodes its answer as `T` (or the `ApiError` for `call`),
    /// logging method, path, request id and duration only.
    pub(super) async fn call<T: DeserializeOwned>(
        &self,
        method: Method,
        url: Url,
        headers: HeaderMap,
        body: Vec<u8>,
        request_id: &str,
        call: Call<'_>,
    ) -> Result<T, ApiError> {
        let started = Instant::now();
        let path = url.path().to_string();
        let result = self
            .exchange(method.clone(), url, headers, body, &call)
            .await;
        let elapsed_ms = started.elapsed().as_millis() as u64;
        match &result {
            Ok(_) => tracing::debug!(%method, %path, request_id, elapsed_ms, "juspay call ok"),
            Err(e) => {
                tracing::debug!(%method, %path, request_id, elapsed_ms, kind = e.kind(), "juspay call failed")
            }
        }
        result
    }

    async fn exchange<T: DeserializeOwned>(
        &self,
        method: Method,
        url: Url,
        headers: HeaderMap,
        body: Vec<u8>,
        call: &Call<'_>,
    ) -> Result<T, ApiError> {
        let mut attempt = 0;
        let response = loop {
            let request = self
                .http
                .request(method.clone(), url.clone())
                .headers(headers.clone());
            let request = if body.is_empty() {
                request
            } else {
                request.body(body.clone())
            };
            match request.send().await {
                Ok(response) => break response,
                // Connection not opened: the request never left, so trying again is safe.
                Err(e) if e.is_connect() && !e.is_timeout() && attempt < CONNECT_RETRIES => {
                    attempt += 1;
                    tracing::debug!(attempt, "connection failed before sending; retrying");
                    tokio::time::sleep(CONNECT_RETRY_PAUSE * attempt).await;
                }
                Err(e) => return Err(self.send_error(&e)),
            }
        };
        let status = response.status();
        tracing::debug!(status = status.as_u16(), "juspay answered");
        let bytes = self.read_limited(response).await?;
        decode(status, &bytes, call)
    }

    /// Reads the body in chunks, stopping as soon as it passes the limit.
    async fn read_limited(&self, mut response: reqwest::Response) -> Result<Vec<u8>, ApiError> {
        let limit = MAX_RESPONSE_BYTES;
        if response
            .content_length()
            .is_some_and(|len| len > limit as u64)
        {
            return Err(ApiError::TooLarge { limit });
        }
        let mut bytes = Vec::new();
        loop {
            match response.chunk().await {
                Ok(Some(chunk)) => {
                    if bytes.len() + chunk.len() > limit {
                        return Err(ApiError::TooLarge { limit });
                    }
                    bytes.extend_from_slice(&chunk);
                }
                Ok(None) => return Ok(bytes),
                Err(e) => return Err(self.send_error(&e)),
            }
        }
    }

    /// Sorts a transport error by whether the request can have reached Juspay.
    fn send_error(&self, e: &reqwest::Error) -> ApiError {
        if e.is_timeout() {
            if e.is_connect() {
                return ApiError::Network(format!(
                    "no connection within {} s",
                    whole_seconds(self.config.connect_timeout)
                ));
            }
            return ApiError::Timeout {
                seconds: whole_seconds(self.config.request_timeout),
            };
        }
        if e.is_connect() {
            return ApiError::Network(describe(e));
        }
        if e.is_builder() {
            return ApiError::Config(describe(e));
        }
        ApiError::Interrupted(describe(e))
    }
}

/// The answer, by HTTP status (never by the body's `status`, which is inconsistent).
fn decode<T: DeserializeOwned>(
    status: StatusCode,
    bytes: &[u8],
    call: &Call<'_>,
) -> Result<T, ApiError> {
    let code = status.as_u16();
    if status.is_success() {
        return decode_success(code, bytes);
    }
    let body = ErrorBody::parse(bytes);
    if code == 400
        && matches!(call, Call::Refund { .. })
        && let Some(refusal) = body.as_ref().and_then(RefundRefusal::from_body)
    {
        return Err(ApiError::Refund(refusal));
    }
    match code {
        400 | 404
            if matches!(call, Call::Status { .. } | Call::Refund { .. })
                && body.as_ref().is_some_and(ErrorBody::is_not_found) =>
        {
            Err(not_found(call, true))
        }
        404 => Err(not_found(call, false)),
        401 | 403 => {
            let fallback = if code == 401 {
                "Unauthorized"
            } else {
                "Forbidden"
            };
            let user_message = body
                .as_ref()
                .and_then(ErrorBody::user_message)
                .unwrap_or(fallback)
                .to_string();
            let developer_message = body
                .as_ref()
                .and_then(ErrorBody::developer_message)
                .map(str::to_string)
                .unwrap_or_else(|| {
                    format!(
                        "HTTP {code}: {}",
                        plain_snippet(bytes, SERVER_SNIPPET_CHARS)
                    )
                });
            Err(ApiError::Auth {
                user_message,
                developer_message,
            })
        }
        400..=499 => {
            let (message, fields) = match &body {
                Some(b) => (invalid_message(b, code), b.field_pairs()),
                None => (
                    format!(
                        "HTTP {code}: {}",
                        plain_snippet(bytes, SERVER_SNIPPET_CHARS)
                    ),
                    Vec::new(),
                ),
            };
            Err(ApiError::Invalid { message, fields })
        }
        500..=599 => Err(ApiError::Server {
            status: code,
            snippet: plain_snippet(bytes, SERVER_SNIPPET_CHARS),
        }),
        _ => Err(ApiError::Decode {
            status: code,
            snippet: raw_snippet(bytes, DECODE_SNIPPET_CHARS),
        }),
    }
}

fn decode_success<T: DeserializeOwned>(code: u16, bytes: &[u8]) -> Result<T, ApiError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(ApiError::Decode {
            status: code,
            snippet: "(the body was empty)".into(),
        });
    }
    let decode_error = || ApiError::Decode {
        status: code,
        snippet: raw_snippet(bytes, DECODE_SNIPPET_CHARS),
    };
    match serde_json::from_slice::<Value>(bytes) {
        Ok(value @ Value::Object(_)) => serde_json::from_value(value).map_err(|_| decode_error()),
        _ => Err(decode_error()),
    }
}

fn not_found(call: &Call<'_>, order_unknown: bool) -> ApiError {
    match call {
        Call::Status { order_id } if order_unknown => ApiError::NotFound(format!(
            "Juspay has no order {order_id:?} for this merchant. Check the order id and the environment."
        )),
        Call::Status { .. } => ApiError::NotFound(
            "Juspay answered 404 for the Order Status API: check the base URL of this environment.".into(),
        ),
        Call::Refund { order_id } if order_unknown => ApiError::NotFound(format!(
            "Juspay has no order {order_id:?} for this merchant, so nothing was refunded. Check the order id and the environment."
        )),
        Call::Refund { .. } => ApiError::NotFound(
            "Juspay answered 404 for the Refund API: check the base URL of this environment. Nothing was refunded.".into(),
        ),
        Call::Session => ApiError::NotFound(
            "Juspay answered 404 for POST /session: check the base URL of this environment. Nothing was created.".into(),
        ),
    }
}

fn invalid_message(body: &ErrorBody, code: u16) -> String {
    let info = body.error_info.as_ref();
    let main = body
        .error_message
        .as_deref()
        .or(info.and_then(|i| i.developer_message.as_deref()))
        .or(body.user_message.as_deref())
        .or(info.and_then(|i| i.user_message.as_deref()))
        .or(body.error_code.as_deref())
        .filter(|s| !s.trim().is_empty());
    match main {
        Some(m) => sanitize(m, SERVER_SNIPPET_CHARS),
        None => format!("HTTP {code} without an explanation"),
    }
}

/// The `x-routing-id`: the customer id, or the order id for a guest.
fn routing_id(body: &Map<String, Value>) -> Option<&str> {
    let non_empty = |key: &str| {
        body.get(key)
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|s| !s.is_empty())
    };
    non_empty("customer_id").or_else(|| non_empty("order_id"))
}

/// The headers of one call on top of the client's defaults (auth, `x-merchantid`, user
/// agent): content type, `x-request-id`, and when given the `x-routing-id` (skipped if it
/// cannot be a header value: it is only recommended) and the API `version`. Every call
/// builds its headers here.
pub(super) fn call_headers(
    content_type: &'static str,
    request_id: &str,
    routing_id: Option<&str>,
    version: Option<&'static str>,
) -> Result<HeaderMap, ApiError> {
    let mut headers = HeaderMap::new();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert("x-request-id", request_id_header(request_id)?);
    if let Some(routing) = routing_id.and_then(|r| HeaderValue::from_str(r.trim()).ok()) {
        headers.insert("x-routing-id", routing);
    }
    if let Some(version) = version {
        headers.insert("version", HeaderValue::from_static(version));
    }
    Ok(headers)
}

fn request_id_header(request_id: &str) -> Result<HeaderValue, ApiError> {
    HeaderValue::from_str(request_id).map_err(|_| {
        ApiError::Config(format!(
            "the request id {request_id:?} cannot be sent in a header"
        ))
    })
}

fn parse_base_url(text: &str) -> Result<Url, ApiError> {
    let text = text.trim();
    let url = Url::parse(text)
        .map_err(|e| ApiError::Config(format!("the base URL {text:?} is not a URL ({e})")))?;
    if !matches!(url.scheme(), "http" | "https") || url.host().is_none() {
        return Err(ApiError::Config(format!(
            "the base URL {text:?} must start with https:// (or http:// for loopback)"
        )));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(ApiError::Config(format!(
            "the base URL {text:?} must not have a query or fragment"
        )));
    }
    Ok(url)
}

fn is_loopback(url: &Url) -> bool {
    let host = url.host_str().unwrap_or("");
    let host = host.trim_start_matches('[').trim_end_matches(']');
    host.eq_ignore_ascii_case("localhost")
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

fn whole_seconds(d: Duration) -> u64 {
    d.as_secs() + u64::from(d.subsec_nanos() > 0)
}

/// The innermost cause of a transport error, without the URL.
fn describe(e: &reqwest::Error) -> String {
    let mut cause: &dyn std::error::Error = e;
    while let Some(inner) = cause.source() {
        cause = inner;
    }
    let text = cause.to_string();
    if text.is_empty() {
        "unknown transport error".into()
    } else {
        sanitize(&text, SERVER_SNIPPET_CHARS)
    }
}

/// The first `max` characters of a body, HTML tags removed and whitespace collapsed.
fn plain_snippet(bytes: &[u8], max: usize) -> String {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return "(the body was empty)".into();
    }
    let text = String::from_utf8_lossy(bytes);
    let mut plain = String::with_capacity(text.len().min(4 * max));
    let mut in_tag = false;
    for c in text.chars() {
        match c {
            '<' => {
                in_tag = true;
                plain.push(' ');
            }
            '>' if in_tag => in_tag = false,
            _ if !in_tag => plain.push(c),
            _ => {}
        }
        if plain.len() > 8 * max {
            break;
        }
    }
    // Masked after the tags are gone: `<b>clientAuthToken</b>: tkn` leaks only then.
    sanitize(&mask_client_auth_token_text(&plain), max)
}

/// The first `max` characters of a body as sent (lossy UTF-8), for `Decode`.
fn raw_snippet(bytes: &[u8], max: usize) -> String {
    let head = &bytes[..bytes.len().min(4 * max)];
    sanitize(
        &mask_client_auth_token_text(&String::from_utf8_lossy(head)),
        max,
    )
}

/// Collapses whitespace, replaces control characters (no terminal escapes from a
/// server reach the screen) and cuts at `max` characters on a char boundary.
fn sanitize(text: &str, max: usize) -> String {
    let mut out = String::new();
    let mut count = 0;
    let mut last_space = true;
    for c in text.chars() {
        let c = if c.is_whitespace() || c.is_control() {
            ' '
        } else {
            c
        };
        if c == ' ' && last_space {
            continue;
        }
        last_space = c == ' ';
        if count == max {
            out.push('…');
            return out.trim_end().to_string();
        }
        out.push(c);
        count += 1;
    }
    out.trim_end().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_snippet_is_plain_and_short() {
        let html = b"<html><head><title>500 Internal Server Error</title></head>\n<body><h1>Oops</h1>\x1b[31m</body></html>";
        let s = plain_snippet(html, 200);
        assert_eq!(s, "500 Internal Server Error Oops [31m");
        let long = "é".repeat(1000);
        let s = raw_snippet(long.as_bytes(), 500);
        assert_eq!(s.chars().count(), 501);
        assert!(s.ends_with('…'));
    }

    #[test]
    fn odd_bodies_never_panic_and_land_in_the_right_variant() {
        let session = Call::Session;
        let status = Call::Status { order_id: "O1" };
        let cases: &[(u16, &[u8])] = &[
            (200, b""),
            (200, b"   "),
            (200, b"null"),
            (200, b"[1,2]"),
            (200, b"{\"status\": 5, \"payment_links\": []}"),
            (200, b"{\"status\":\"NEW\", \"id\": \"ord"),
            (200, b"\xff\xfe\x00garbage"),
            (400, b"<html>Bad</html>"),
            (400, b"{\"error_info\": {\"fields\": \"not a list\"}}"),
            (401, b""),
            (403, b"{\"error_info\": 7}"),
            (404, b"{\"status\": \"NOT_FOUND\"}"),
            (302, b""),
            (503, b"<h1>down</h1>"),
        ];
        for (code, body) in cases {
            let code = StatusCode::from_u16(*code).unwrap();
            for call in [&session, &status] {
                let result: Result<SessionResponse, ApiError> = decode(code, body, call);
                let kind = result.as_ref().err().map(ApiError::kind);
                match code.as_u16() {
                    200 if body.starts_with(b"{\"status\": 5") => assert!(result.is_ok()),
                    200 | 302 => assert_eq!(kind, Some("decode"), "{body:?}"),
                    400 => assert_eq!(kind, Some("invalid")),
                    401 | 403 => assert_eq!(kind, Some("auth")),
                    404 => assert_eq!(kind, Some("not_found")),
                    _ => assert_eq!(kind, Some("server")),
                }
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn any_answer_decodes_without_panicking(code in 100u16..600, body in proptest::collection::vec(proptest::num::u8::ANY, 0..300)) {
            if let Ok(code) = StatusCode::from_u16(code) {
                let _ = decode::<OrderStatus>(code, &body, &Call::Status { order_id: "x" });
                let _ = decode::<SessionResponse>(code, &body, &Call::Session);
                let _ = plain_snippet(&body, 7);
                let _ = raw_snippet(&body, 3);
            }
        }
    }

    #[test]
    fn routing_id_prefers_customer_then_order() {
        let mut body = Map::new();
        body.insert("order_id".into(), Value::from("O1"));
        assert_eq!(routing_id(&body), Some("O1"));
        body.insert("customer_id".into(), Value::from("C9"));
        assert_eq!(routing_id(&body), Some("C9"));
        body.insert("customer_id".into(), Value::from(""));
        assert_eq!(routing_id(&body), Some("O1"));
    }

    #[test]
    fn base_url_must_be_http() {
        assert!(parse_base_url("ftp://x").is_err());
        assert!(parse_base_url("not a url").is_err());
        assert!(parse_base_url("https://sandbox.juspay.in/").is_ok());
    }

    #[test]
    fn status_path_encodes_the_id() {
        let client = Client::new(ClientConfig::new(
            "http://127.0.0.1:9/base/",
            "m",
            ApiKey::new("k"),
        ))
        .unwrap();
        assert_eq!(
            client.url(&["orders", "a/b c?#"]).as_str(),
            "http://127.0.0.1:9/base/orders/a%2Fb%20c%3F%23"
        );
        assert_eq!(
            client.url(&["session"]).as_str(),
            "http://127.0.0.1:9/base/session"
        );
    }
}
