//! Property tests: validation and import never panic on arbitrary input, and a form
//! survives to_body -> import unchanged.
//!
//! 256 cases per property by default; set PROPTEST_CASES for longer runs, e.g.
//! `PROPTEST_CASES=20000 cargo test --test session_props`.

use std::collections::BTreeMap;

use paydesk::session::wire::{import, import_str, to_body};
use paydesk::session::{
    FIELDS, Form, Kind, Member, Profile, ProfileSet, check_field, keys, validate,
};
use proptest::prelude::*;
use serde_json::{Map, Value};

fn profiles() -> Vec<Profile> {
    ProfileSet::builtin().profiles
}

fn any_profile() -> impl Strategy<Value = Profile> {
    let all = profiles();
    (0..all.len()).prop_map(move |i| all[i].clone())
}

/// Strings that stress char handling: ASCII, control characters, emoji, RTL, combining
/// marks, and near-valid values.
fn nasty_string() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[0-9+. -]{0,16}",
        "[a-z0-9._@-]{0,24}",
        "[0-9]{1,2}-[A-Za-z]{1,9}-[0-9]{1,5}",
        "https?://[a-z.:\\[\\]0-9/@?#]{0,30}",
        Just("\u{202e}مرحبا\u{200f}🙂\u{0301}\0\r\n".to_string()),
        Just("9".repeat(20_000)),
    ]
}

fn json_leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        nasty_string().prop_map(Value::String),
    ]
}

fn any_json() -> impl Strategy<Value = Value> {
    json_leaf().prop_recursive(4, 64, 8, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec((key(), inner), 0..6)
                .prop_map(|kv| Value::Object(kv.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

/// Mostly real keys (so the special cases are hit), sometimes free ones.
fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => (0..FIELDS.len()).prop_map(|i| FIELDS[i].key.to_string()),
        1 => Just(keys::MEMBER_NAME.to_string()),
        1 => Just(keys::MEMBER_PHONE.to_string()),
        1 => "[a-z._:]{1,12}",
    ]
}

fn request_object() -> impl Strategy<Value = Value> {
    prop::collection::vec((key(), any_json()), 0..20)
        .prop_map(|kv| Value::Object(kv.into_iter().collect::<Map<_, _>>()))
}

proptest! {
    #[test]
    fn check_field_never_panics(i in 0..FIELDS.len(), value in nasty_string(), p in any_profile()) {
        let _ = check_field(FIELDS[i].key, &value, &p);
        let _ = check_field("metadata.free", &value, &p);
    }

    #[test]
    fn validate_never_panics(values in prop::collection::vec((key(), nasty_string()), 0..40),
                             members in prop::collection::vec((nasty_string(), nasty_string()), 0..4),
                             p in any_profile()) {
        let mut form = Form::default();
        for (k, v) in values {
            form.set(&k, v);
        }
        form.members = members
            .into_iter()
            .map(|(member_name, member_phone)| Member { member_name, member_phone, ..Member::default() })
            .collect();
        let problems = validate(&form, &p);
        for problem in problems {
            prop_assert!(!problem.message.is_empty());
        }
    }

    #[test]
    fn import_never_panics_and_loses_no_key(json in prop_oneof![any_json(), request_object()],
                                            p in any_profile()) {
        if let Ok(form) = import(&json, &p) {
            let _ = validate(&form, &p);
            let body = to_body(&form, &p);
            if let Value::Object(obj) = &json {
                for k in obj.keys() {
                    prop_assert!(body.contains_key(k), "lost {k}");
                }
            }
        } else {
            prop_assert!(!json.is_object());
        }
    }

    #[test]
    fn import_str_never_panics(text in any::<String>(), p in any_profile()) {
        let _ = import_str(&text, &p);
    }

    #[test]
    fn forms_survive_the_wire(form in form_for_a_profile()) {
        let (p, mut form) = form;
        // The desk holds values as normalised when the clerk leaves each field.
        paydesk::session::entry::normalise_form(&mut form, &p, None);
        let body = to_body(&form, &p);
        let back = import(&Value::Object(body), &p);
        prop_assert_eq!(back.ok(), Some(form));
    }
}

/// A form as the desk builds it under a profile: enum fields hold canonical values, fixed
/// fields hold their fixed value, members and is_primary_holder in their own slots, and
/// passthrough holds only what import would put there (explicit empty strings and
/// non-text values under free keys).
fn form_for_a_profile() -> impl Strategy<Value = (Profile, Form)> {
    any_profile()
        .prop_flat_map(|p| {
            let scalar_keys: Vec<&'static paydesk::session::Field> = FIELDS
                .iter()
                .filter(|f| f.kind != Kind::MemberList && f.key != keys::IS_PRIMARY_HOLDER)
                .collect();
            let values = prop::collection::vec(
                (0..scalar_keys.len(), any::<String>(), any::<usize>()),
                0..30,
            );
            let free = prop::collection::btree_map("x\\.[a-z]{1,8}", ".+", 0..4);
            let members = prop::collection::vec(
                (
                    any::<String>(),
                    any::<String>(),
                    prop::collection::btree_map("[a-z]{1,6}", json_leaf(), 0..2),
                ),
                0..3,
            );
            let passthrough = prop::collection::btree_map(
                "y\\.[a-z]{1,8}",
                prop_oneof![
                    Just(Value::String(String::new())),
                    json_leaf().prop_filter("not text", |v| !v.is_string())
                ],
                0..4,
            );
            let empties = prop::collection::vec(0..scalar_keys.len(), 0..3);
            (
                Just(p),
                Just(scalar_keys),
                values,
                free,
                members,
                any::<Option<bool>>(),
                passthrough,
                empties,
            )
        })
        .prop_map(
            |(p, scalar_keys, values, free, members, holder, passthrough, empties)| {
                let mut form = Form::default();
                for (i, text, pick) in values {
                    let f = scalar_keys[i];
                    let value = if f.kind == Kind::Enum {
                        f.allowed[pick % f.allowed.len()].to_string()
                    } else {
                        text
                    };
                    form.set(f.key, value);
                }
                for (k, v) in free {
                    form.set(&k, v);
                }
                for (k, v) in &p.fixed {
                    form.set(k, v.clone());
                }
                form.members = members
                    .into_iter()
                    .map(|(member_name, member_phone, extra)| Member {
                        member_name,
                        member_phone,
                        extra: extra.into_iter().collect(),
                    })
                    .collect();
                form.is_primary_holder = holder;
                let mut pass = Map::new();
                for (k, v) in passthrough {
                    pass.insert(k, v);
                }
                // An explicitly empty catalogue field, as imported from `"customer_middle_name": ""`.
                let taken: BTreeMap<String, ()> =
                    form.values.keys().map(|k| (k.clone(), ())).collect();
                for i in empties {
                    let k = scalar_keys[i].key;
                    if !taken.contains_key(k) && !p.fixed.contains_key(k) {
                        pass.insert(k.to_string(), Value::String(String::new()));
                    }
                }
                form.passthrough = pass;
                (p, form)
            },
        )
}
