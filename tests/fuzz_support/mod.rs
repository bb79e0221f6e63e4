//! Shared generators for the `fuzz_*` suites and `config_fuzz`.
//!
//! Each suite runs `cases()` cases per property: 256 in a plain `cargo test`, or
//! `PROPTEST_CASES` when set (`benches/fuzz.sh` sets 100000 and builds in release mode).

#![allow(dead_code)] // each suite uses a different subset

use proptest::prelude::*;

/// Cases per property: `PROPTEST_CASES`, else 256.
pub fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(256)
}

/// The proptest configuration every fuzz property uses.
pub fn config() -> ProptestConfig {
    ProptestConfig::with_cases(cases())
}

/// Text that stresses parsers: control characters, quotes, escapes, BOM, NUL, RTL marks,
/// emoji, combining marks and lone backslashes.
pub fn nasty_text() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => any::<String>(),
        2 => "[ -~]{0,40}",
        1 => "[\\\\\"'\\[\\]{}=,.#\n\r\t ]{0,20}",
        1 => Just("\u{feff}\u{202e}مرحبا\u{200f}🙂e\u{0301}\0\x1b[31m".to_string()),
        1 => Just(String::new()),
    ]
}

/// One edit applied by `mutate`.
#[derive(Debug, Clone)]
pub enum Edit {
    /// Remove the characters between two relative positions.
    Delete(usize, usize),
    /// Insert text at a relative position.
    Insert(usize, String),
    /// Copy a range of characters to another place.
    Duplicate(usize, usize, usize),
    /// Cut the text at a relative position.
    Truncate(usize),
}

pub fn edit() -> impl Strategy<Value = Edit> {
    let pos = any::<usize>();
    prop_oneof![
        (pos, 0usize..16).prop_map(|(at, len)| Edit::Delete(at, len)),
        (pos, nasty_text()).prop_map(|(at, s)| Edit::Insert(at, s)),
        (pos, 0usize..32, pos).prop_map(|(a, l, b)| Edit::Duplicate(a, l, b)),
        pos.prop_map(Edit::Truncate),
    ]
}

/// Applies `edits` to `seed`, on character boundaries, so valid documents turn into
/// near-valid ones (the inputs that reach deep into a parser).
pub fn mutate(seed: &str, edits: &[Edit]) -> String {
    let mut chars: Vec<char> = seed.chars().collect();
    for e in edits {
        let n = chars.len();
        let at = |p: usize| if n == 0 { 0 } else { p % (n + 1) };
        match e {
            Edit::Delete(p, len) => {
                let start = at(*p);
                let end = (start + len).min(n);
                chars.drain(start..end);
            }
            Edit::Insert(p, s) => {
                let start = at(*p);
                chars.splice(start..start, s.chars());
            }
            Edit::Duplicate(p, len, to) => {
                let start = at(*p);
                let end = (start + len).min(n);
                let piece: Vec<char> = chars[start..end].to_vec();
                let dest = at(*to);
                chars.splice(dest..dest, piece);
            }
            Edit::Truncate(p) => chars.truncate(at(*p)),
        }
    }
    chars.into_iter().collect()
}

/// A seed picked from `seeds`, then mutated by up to `max_edits` edits.
pub fn mutated(seeds: &'static [&'static str], max_edits: usize) -> impl Strategy<Value = String> {
    (0..seeds.len(), prop::collection::vec(edit(), 0..=max_edits))
        .prop_map(move |(i, edits)| mutate(seeds[i], &edits))
}

/// Raw bytes: arbitrary, or a mutated seed with some bytes overwritten (invalid UTF-8,
/// NUL, high bytes).
pub fn mutated_bytes(seeds: &'static [&'static str]) -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        1 => prop::collection::vec(any::<u8>(), 0..256),
        3 => (
            mutated(seeds, 4),
            prop::collection::vec((any::<usize>(), any::<u8>()), 0..4)
        )
            .prop_map(|(text, flips)| {
                let mut bytes = text.into_bytes();
                for (at, b) in flips {
                    if !bytes.is_empty() {
                        let i = at % bytes.len();
                        bytes[i] = b;
                    }
                }
                bytes
            }),
    ]
}

/// Token soup in JSON's alphabet: brackets, commas, colons, strings with escapes,
/// numbers at the edges of f64/i64/u64, literals. Mostly not JSON, but close.
pub fn json_soup() -> impl Strategy<Value = String> {
    let token = prop_oneof![
        Just("{".to_string()),
        Just("}".to_string()),
        Just("[".to_string()),
        Just("]".to_string()),
        Just(",".to_string()),
        Just(":".to_string()),
        Just("null".to_string()),
        Just("true".to_string()),
        Just("false".to_string()),
        Just("\"\\uD800\"".to_string()),
        Just("\"\\u0000\"".to_string()),
        Just("1e400".to_string()),
        Just("-0".to_string()),
        Just("18446744073709551616".to_string()),
        Just("-9223372036854775809".to_string()),
        Just("0.1e-400".to_string()),
        "\"[a-z_.]{0,12}\"",
        "-?[0-9]{1,20}(\\.[0-9]{1,5})?([eE][+-]?[0-9]{1,3})?",
        "[ \t\r\n]{1,3}",
    ];
    prop::collection::vec(token, 0..40).prop_map(|tokens| tokens.concat())
}
