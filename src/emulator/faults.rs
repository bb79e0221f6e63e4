//! The misbehaviours: each replaces the answer an API route would have given. The route
//! has done its work by then (an order is recorded), as in a real outage after the write.

use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use futures::stream;
use tokio_util::sync::CancellationToken;

use super::Fault;
use super::listener::ConnHandle;

/// Pause between two bytes of a slow drip.
const DRIP_EVERY: Duration = Duration::from_millis(200);
/// A slow drip ends after this many bytes (two minutes): far past any client timeout,
/// yet a forgotten emulator does not drip forever.
const DRIP_BYTES: usize = 600;
/// Size of the huge body.
pub(crate) const HUGE_BYTES: usize = 10 * 1024 * 1024;
const HUGE_CHUNK: usize = 64 * 1024;

const HTML_500: &str = "<!DOCTYPE html>\n<html><head><title>500 Internal Server Error</title></head>\n<body><center><h1>500 Internal Server Error</h1></center><hr><center>nginx</center></body></html>\n";
const MALFORMED_JSON: &str = r#"{"status": "NEW", "id": "ordv2_0f3e", "payment_links": {"web": "https://sandbox.assets.juspay.in/payment-page/or"#;

/// The spoiled answer, or `None` for the refund faults, which leave answers alone and
/// change how refunds settle instead (see `refunds`).
pub(crate) fn respond(
    fault: Fault,
    conn: &ConnHandle,
    shutdown: &CancellationToken,
) -> Option<Response> {
    let response = match fault {
        Fault::Html500 => (
            StatusCode::INTERNAL_SERVER_ERROR,
            [(header::CONTENT_TYPE, "text/html")],
            HTML_500,
        )
            .into_response(),
        Fault::MalformedJson => json_response(Body::from(MALFORMED_JSON)),
        Fault::EmptyBody => json_response(Body::empty()),
        Fault::DropConnection => {
            conn.kill();
            // Never written: the connection refuses every byte from now on.
            StatusCode::OK.into_response()
        }
        Fault::SlowDrip => json_response(Body::from_stream(drip(shutdown.clone()))),
        Fault::HugeBody => json_response(Body::from_stream(huge())),
        Fault::RefundFailure | Fault::RefundManualReview => return None,
    };
    Some(response)
}

fn json_response(body: Body) -> Response {
    (
        StatusCode::OK,
        [(header::CONTENT_TYPE, "application/json")],
        body,
    )
        .into_response()
}

/// One byte of a plausible JSON body every `DRIP_EVERY`, until `DRIP_BYTES` or shutdown.
fn drip(
    shutdown: CancellationToken,
) -> impl futures::Stream<Item = Result<Bytes, std::io::Error>> + Send {
    const TEXT: &[u8] = br#"{"status":"NEW","id":"ordv2_slow","padding":""#;
    stream::unfold(0usize, move |sent| {
        let shutdown = shutdown.clone();
        async move {
            if sent >= DRIP_BYTES {
                return None;
            }
            tokio::select! {
                _ = shutdown.cancelled() => return None,
                _ = tokio::time::sleep(DRIP_EVERY) => {}
            }
            let byte = TEXT.get(sent).copied().unwrap_or(b' ');
            Some((Ok(Bytes::from(vec![byte])), sent + 1))
        }
    })
}

/// `HUGE_BYTES` of a JSON-looking body, streamed without a Content-Length so the client
/// has to count.
fn huge() -> impl futures::Stream<Item = Result<Bytes, std::io::Error>> + Send {
    let chunk = Bytes::from(vec![b'a'; HUGE_CHUNK]);
    let head = Bytes::from_static(br#"{"status":"NEW","padding":""#);
    let chunks = HUGE_BYTES / HUGE_CHUNK;
    stream::iter(
        std::iter::once(head)
            .chain(std::iter::repeat_n(chunk, chunks))
            .map(Ok),
    )
}
