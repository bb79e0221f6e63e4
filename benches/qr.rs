//! QR encode and terminal layout for a 110-character payment link (issue 7: part of the
//! "Ctrl-S to QR" path; the full-frame render bench is the TUI's).
//!
//! Run: `cargo bench --bench qr`

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use paydesk::qr;

/// A Juspay payment-page link padded to 110 characters, the length the issue names.
fn link() -> String {
    let mut link = String::from(
        "https://sandbox.assets.juspay.in/payment-page/order/ordv2_80e53a249d0d4c14b57cef3593304cb1?lang=en",
    );
    while link.len() < 110 {
        link.push('x');
    }
    link.truncate(110);
    link
}

/// The result pane of a 120×40 desk leaves about this much room for the code.
const PANE: (u16, u16) = (56, 34);

fn benches(c: &mut Criterion) {
    let link = link();
    assert_eq!(link.len(), 110);
    let code = qr::encode(&link).expect("a 110-character link encodes");
    let quiet = code.fit(PANE.0, PANE.1).expect("fits the pane");
    eprintln!(
        "qr: {} modules per side, quiet zone {quiet}, {}x{} cells",
        code.width,
        code.text_size(quiet).0,
        code.text_size(quiet).1
    );

    c.bench_function("qr/encode_110_chars", |b| {
        b.iter(|| qr::encode(black_box(&link)))
    });
    c.bench_function("qr/fit", |b| {
        b.iter(|| black_box(&code).fit(black_box(PANE.0), black_box(PANE.1)))
    });
    c.bench_function("qr/half_block_lines", |b| {
        b.iter(|| black_box(&code).half_block_lines(black_box(quiet)))
    });
    c.bench_function("qr/layout_fit_and_lines", |b| {
        b.iter(|| {
            let code = black_box(&code);
            code.fit(PANE.0, PANE.1)
                .map(|quiet| code.half_block_lines(quiet))
        })
    });
    c.bench_function("qr/encode_and_layout", |b| {
        b.iter(|| {
            let code = qr::encode(black_box(&link)).ok()?;
            let quiet = code.fit(PANE.0, PANE.1)?;
            Some(code.half_block_lines(quiet))
        })
    });
}

criterion_group!(qr_benches, benches);
criterion_main!(qr_benches);
