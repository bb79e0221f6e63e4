//! Validate + wire for the published travel sample under the travel profile (issue 7):
//! what the desk does on every keystroke (validate) and on Ctrl-S (validate, then the
//! body), plus importing the sample (`--from`, paste).
//!
//! Run: `cargo bench --bench session`

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use paydesk::session::wire::{import, import_str, to_body, to_body_string};
use paydesk::session::{ProfileSet, validate};
use serde_json::Value;

const TRAVEL: &str = include_str!("../assets/samples/travel.json");

fn benches(c: &mut Criterion) {
    let set = ProfileSet::builtin();
    let profile = set.get("travel").expect("built-in travel profile");
    let value: Value = serde_json::from_str(TRAVEL).expect("sample is JSON");
    let form = import(&value, profile).expect("sample imports");
    assert!(validate(&form, profile).is_empty(), "the sample is valid");

    c.bench_function("session/validate_travel", |b| {
        b.iter(|| validate(black_box(&form), black_box(profile)))
    });
    c.bench_function("session/to_body_travel", |b| {
        b.iter(|| to_body(black_box(&form), black_box(profile)))
    });
    c.bench_function("session/validate_and_to_body_travel", |b| {
        b.iter(|| {
            let problems = validate(black_box(&form), profile);
            (problems, to_body(&form, profile))
        })
    });
    c.bench_function("session/to_body_string_travel", |b| {
        b.iter(|| to_body_string(black_box(&form), black_box(profile)))
    });
    c.bench_function("session/import_value_travel", |b| {
        b.iter(|| import(black_box(&value), black_box(profile)))
    });
    c.bench_function("session/import_str_travel", |b| {
        b.iter(|| import_str(black_box(TRAVEL), black_box(profile)))
    });
}

criterion_group!(session_benches, benches);
criterion_main!(session_benches);
