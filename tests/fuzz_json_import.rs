//! Fuzzing request JSON import beyond `tests/session_props.rs` (which covers `import` on
//! generated JSON values, `import_str` on arbitrary strings, validation and the round trip
//! of generated forms; `benches/fuzz.sh` runs it at 100,000 cases too). Here:
//!
//! - `import_str` on mutated published samples and on JSON token soup (the near-JSON text
//!   a person pastes);
//! - after one import, the wire is a fixed point: `import(to_body(form))` is stable;
//! - `set_from_text` with arbitrary keys and text;
//! - inputs far past serde_json's limits (deep nesting, many keys).
//!
//! `cargo test --test fuzz_json_import` runs 256 cases per property; `benches/fuzz.sh` runs
//! 100,000 in release mode.

mod fuzz_support;

use fuzz_support::{config, json_soup, mutated, nasty_text};
use paydesk::session::wire::{
    ImportError, import, import_str, set_from_text, to_body, to_body_string,
};
use paydesk::session::{FIELDS, Form, Profile, ProfileSet, keys, validate};
use proptest::prelude::*;
use serde_json::Value;

const SAMPLES: &[&str] = &[
    include_str!("../assets/samples/generic.json"),
    include_str!("../assets/samples/insurance.json"),
    include_str!("../assets/samples/education.json"),
    include_str!("../assets/samples/travel.json"),
];

fn any_profile() -> impl Strategy<Value = Profile> {
    let all = ProfileSet::builtin().profiles;
    (0..all.len()).prop_map(move |i| all[i].clone())
}

/// Import, then everything the desk does with the form; the body must be an object with
/// every imported key.
fn exercise(text: &str, profile: &Profile) -> Option<Form> {
    match import_str(text, profile) {
        Ok(form) => {
            let _ = validate(&form, profile);
            let body = to_body(&form, profile);
            let pretty = to_body_string(&form, profile);
            assert!(pretty.starts_with('{'), "{pretty}");
            if let Ok(Value::Object(obj)) = serde_json::from_str::<Value>(text) {
                for k in obj.keys() {
                    assert!(body.contains_key(k), "lost {k}");
                }
            }
            Some(form)
        }
        Err(ImportError::NotJson(m)) => {
            assert!(!m.is_empty());
            None
        }
        Err(ImportError::NotObject(what)) => {
            assert!(!what.is_empty());
            None
        }
    }
}

/// Keys that reach the special cases, plus free ones.
fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => (0..FIELDS.len()).prop_map(|i| FIELDS[i].key.to_string()),
        1 => Just(keys::INSURED_MEMBER_DETAILS.to_string()),
        1 => Just(keys::IS_PRIMARY_HOLDER.to_string()),
        1 => "[a-z._]{1,12}",
        1 => nasty_text(),
    ]
}

/// Text a person might type into `--set key=value`.
fn typed_text() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => nasty_text(),
        1 => json_soup(),
        1 => Just(r#"[{"member_name":"Ravi","member_phone":"9876543210"}]"#.to_string()),
        1 => Just("[]".to_string()),
        1 => prop::sample::select(vec!["true", "FALSE", " true ", "yes", "1"]).prop_map(str::to_string),
    ]
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn mutated_samples_never_panic(text in mutated(SAMPLES, 6), p in any_profile()) {
        let _ = exercise(&text, &p);
    }

    #[test]
    fn json_token_soup_never_panics(text in json_soup(), p in any_profile()) {
        let _ = exercise(&text, &p);
    }

    #[test]
    fn after_one_import_the_wire_is_a_fixed_point(
        text in prop_oneof![mutated(SAMPLES, 3), json_soup()],
        p in any_profile(),
    ) {
        // The first pass may normalise (numbers under text fields become text, a fixed
        // value replaces what was typed); from then on nothing may change.
        if let Some(first) = exercise(&text, &p) {
            let once = import(&Value::Object(to_body(&first, &p)), &p).expect("object");
            let twice = import(&Value::Object(to_body(&once, &p)), &p).expect("object");
            prop_assert_eq!(&twice, &once);
            prop_assert_eq!(to_body(&twice, &p), to_body(&once, &p));
        }
    }

    #[test]
    fn set_from_text_never_panics_and_empty_text_unsets(
        sample in 0..SAMPLES.len(),
        edits in prop::collection::vec((key(), typed_text()), 1..6),
        p in any_profile(),
    ) {
        let mut form = import_str(SAMPLES[sample], &p).unwrap_or_default();
        for (k, text) in &edits {
            set_from_text(&mut form, k, text, &p);
            let _ = validate(&form, &p);
            let body = to_body(&form, &p);
            if text.is_empty() && !p.fixed.contains_key(k) {
                prop_assert!(!body.contains_key(k.as_str()), "{} still sent after unset", k);
            }
        }
    }
}

/// Nesting and width far past what a request JSON holds: a clear error or a form, never a
/// stack overflow.
#[test]
fn deep_and_wide_json_is_handled() {
    let p = ProfileSet::builtin().profiles.remove(0);
    let depth = 100_000;
    let deep_array = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
    assert!(matches!(
        import_str(&deep_array, &p),
        Err(ImportError::NotJson(_))
    ));
    let deep_value = format!(
        "{{\"metadata.x\":{}1{}}}",
        "{\"a\":".repeat(depth),
        "}".repeat(depth)
    );
    assert!(matches!(
        import_str(&deep_value, &p),
        Err(ImportError::NotJson(_))
    ));
    // Just under serde_json's limit of 128 levels: accepted and kept verbatim.
    let nested = format!("{{\"metadata.x\":{}1{}}}", "[".repeat(100), "]".repeat(100));
    let form = import_str(&nested, &p).expect("imports");
    assert!(to_body(&form, &p).contains_key("metadata.x"));
    let wide: String = (0..20_000)
        .map(|i| format!("\"udf.{i}\":\"v{i}\""))
        .collect::<Vec<_>>()
        .join(",");
    let form = import_str(&format!("{{{wide}}}"), &p).expect("imports");
    let body = to_body(&form, &p);
    // Every key kept, plus the profile's fixed values (e.g. action).
    assert!((0..20_000).all(|i| body.contains_key(&format!("udf.{i}"))));
    assert_eq!(body.len(), 20_000 + p.fixed.len());
}
