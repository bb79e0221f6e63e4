//! Fuzzing lender profile files: `Profile::from_toml` on arbitrary text, on mutated
//! built-ins and on structured TOML built from the real vocabulary with random keys,
//! values and types; the order_id pattern language; and `ProfileSet::load` on a directory
//! of such files. Nothing may panic; a profile that loads must be usable.
//!
//! `cargo test --test fuzz_profile_toml` runs 256 cases per property; `benches/fuzz.sh`
//! runs 100,000 in release mode.

mod fuzz_support;

use std::path::PathBuf;

use fuzz_support::{config, mutated, nasty_text};
use paydesk::session::order_id::{Pattern, generate_matching};
use paydesk::session::profile::file::BUILTIN_FILES;
use paydesk::session::wire::{import, to_body};
use paydesk::session::{FIELDS, Kind, Profile, ProfileSet, ProfileSource, Section, validate};
use proptest::prelude::*;
use serde_json::Value;
use time::macros::datetime;
use toml::{Table, Value as Toml};

const BUILTINS: &[&str] = &[
    BUILTIN_FILES[0].1,
    BUILTIN_FILES[1].1,
    BUILTIN_FILES[2].1,
    BUILTIN_FILES[3].1,
];

fn source() -> ProfileSource {
    ProfileSource::File(PathBuf::from("profiles/fuzz.toml"))
}

/// Parses and, when it loads, uses the profile every way the desk does.
fn exercise(text: &str) -> Result<Profile, String> {
    match Profile::from_toml(text, source()) {
        Ok(profile) => {
            use_profile(&profile);
            Ok(profile)
        }
        Err(e) => {
            let lines = text.lines().count() + 1;
            if let Some(line) = e.line {
                assert!(line >= 1 && line <= lines, "line {line} of {lines}: {e}");
            }
            assert!(!e.message.is_empty());
            let _ = e.to_string();
            Err(e.message)
        }
    }
}

/// Everything the desk, validation and the wire do with a loaded profile.
fn use_profile(p: &Profile) {
    let fields = p.form_fields();
    for f in &fields {
        assert_eq!(f.allowed.len(), f.sent_as.len(), "{}", f.key);
    }
    for tab in Section::ALL {
        let _ = p.tab_fields(tab);
    }
    let rule = Pattern::parse(&p.order_id_pattern).expect("a loaded profile's pattern parses");
    let now = datetime!(2026-11-25 13:14:15 UTC);
    if let Some(id) = generate_matching(&rule, "PD", now, 42) {
        assert!(rule.matches(&id), "{id} does not match {}", rule.source);
    }
    let form = p.new_form();
    let _ = validate(&form, p);
    let body = to_body(&form, p);
    // A fresh form goes out and comes back unchanged (its values use the profile's
    // canonical spellings, which `to_body` spells and `import` reads back).
    let back = import(&Value::Object(body), p).expect("a body is an object");
    assert_eq!(
        back, form,
        "new_form did not survive the wire under {}",
        p.name
    );
}

fn catalogue_key() -> BoxedStrategy<String> {
    (0..FIELDS.len())
        .prop_map(|i| FIELDS[i].key.to_string())
        .boxed()
}

/// Words that mean something somewhere in a profile.
fn vocabulary_word() -> BoxedStrategy<String> {
    let enum_values: Vec<String> = FIELDS
        .iter()
        .flat_map(|f| f.allowed.iter().map(|s| s.to_string()))
        .collect();
    let examples: Vec<String> = FIELDS.iter().map(|f| f.example.to_string()).collect();
    prop_oneof![
        3 => catalogue_key(),
        2 => prop::sample::select(enum_values),
        2 => prop::sample::select(examples),
        1 => prop::sample::select(Section::ALL.map(Section::id).to_vec()).prop_map(str::to_string),
        1 => prop::sample::select(Kind::ALL.map(Kind::id).to_vec()).prop_map(str::to_string),
        1 => "metadata\\.[a-z_]{1,8}",
        1 => Just("true".to_string()),
        1 => pattern_text(),
        1 => nasty_text(),
    ]
    .boxed()
}

/// A TOML value of any type, mostly built from the vocabulary.
fn toml_value() -> BoxedStrategy<Toml> {
    let leaf = prop_oneof![
        6 => vocabulary_word().prop_map(Toml::String),
        1 => any::<i64>().prop_map(Toml::Integer),
        1 => any::<f64>().prop_map(Toml::Float),
        1 => any::<bool>().prop_map(Toml::Boolean),
        1 => Just(Toml::Datetime("1979-05-27T07:32:00Z".parse().expect("datetime"))),
    ];
    leaf.prop_recursive(2, 12, 4, |inner| {
        prop_oneof![
            3 => prop::collection::vec(inner.clone(), 0..5).prop_map(Toml::Array),
            1 => prop::collection::vec((vocabulary_word(), inner), 0..3)
                .prop_map(|kv| Toml::Table(kv.into_iter().collect())),
        ]
    })
    .boxed()
}

/// A list of strings (the usual shape of `tabs`, `required`, `allowed`).
fn word_list() -> BoxedStrategy<Toml> {
    prop::collection::vec(vocabulary_word().prop_map(Toml::String), 0..8)
        .prop_map(Toml::Array)
        .boxed()
}

/// `key -> value` entries for `[defaults]` / `[fixed]`: catalogue keys with values of any type.
fn value_table() -> BoxedStrategy<Toml> {
    prop::collection::vec(
        (
            prop_oneof![4 => catalogue_key(), 1 => vocabulary_word()],
            prop_oneof![3 => vocabulary_word().prop_map(Toml::String), 1 => toml_value()],
        ),
        0..5,
    )
    .prop_map(|kv| Toml::Table(kv.into_iter().collect()))
    .boxed()
}

fn spellings_table() -> BoxedStrategy<Toml> {
    let inner = prop::collection::vec(
        (
            vocabulary_word(),
            prop_oneof![4 => vocabulary_word().prop_map(Toml::String), 1 => toml_value()],
        ),
        0..4,
    )
    .prop_map(|kv| Toml::Table(kv.into_iter().collect()));
    prop::collection::vec((vocabulary_word(), inner), 0..3)
        .prop_map(|kv| Toml::Table(kv.into_iter().collect()))
        .boxed()
}

fn custom_field() -> BoxedStrategy<Toml> {
    let entry = prop_oneof![
        3 => ("metadata\\.[a-z]{1,6}|udf[0-9]{1,2}|[a-z ]{0,6}").prop_map(|k| ("key".to_string(), Toml::String(k))),
        1 => vocabulary_word().prop_map(|w| ("label".to_string(), Toml::String(w))),
        2 => vocabulary_word().prop_map(|w| ("kind".to_string(), Toml::String(w))),
        1 => vocabulary_word().prop_map(|w| ("section".to_string(), Toml::String(w))),
        1 => nasty_text().prop_map(|w| ("help".to_string(), Toml::String(w))),
        1 => any::<bool>().prop_map(|b| ("required".to_string(), Toml::Boolean(b))),
        2 => word_list().prop_map(|l| ("allowed".to_string(), l)),
        1 => (vocabulary_word(), toml_value()),
    ];
    prop::collection::vec(entry, 0..7)
        .prop_map(|kv| Toml::Table(kv.into_iter().collect()))
        .boxed()
}

/// A whole profile as a TOML table: each top-level key present or not, usually with the
/// right type, sometimes not.
fn profile_table() -> BoxedStrategy<Table> {
    let name = prop_oneof![
        3 => "[a-z][a-z0-9_-]{0,10}".prop_map(Toml::String),
        1 => vocabulary_word().prop_map(Toml::String),
        1 => toml_value(),
    ];
    let pattern = prop_oneof![3 => pattern_text().prop_map(Toml::String), 1 => toml_value()];
    let list = || prop_oneof![4 => word_list(), 1 => toml_value()];
    (
        prop::option::of(name),
        prop::option::of(nasty_text().prop_map(Toml::String)),
        prop::option::of(list()),
        prop::option::of(list()),
        prop::option::of(pattern),
        prop::option::of(prop_oneof![4 => value_table(), 1 => toml_value()]),
        prop::option::of(prop_oneof![4 => value_table(), 1 => toml_value()]),
        prop::option::of(prop_oneof![4 => spellings_table(), 1 => toml_value()]),
        prop::option::of(prop::collection::vec(custom_field(), 0..4).prop_map(Toml::Array)),
        prop::option::weighted(0.2, (vocabulary_word(), toml_value())),
    )
        .prop_map(
            |(name, desc, tabs, required, pattern, defaults, fixed, spellings, custom, stray)| {
                let mut t = Table::new();
                let mut put = |k: &str, v: Option<Toml>| {
                    if let Some(v) = v {
                        t.insert(k.to_string(), v);
                    }
                };
                put("name", name);
                put("description", desc);
                put("tabs", tabs);
                put("required", required);
                put("order_id_pattern", pattern);
                put("defaults", defaults);
                put("fixed", fixed);
                put("spellings", spellings);
                put("custom_fields", custom);
                if let Some((k, v)) = stray {
                    t.insert(k, v);
                }
                t
            },
        )
        .boxed()
}

/// A profile that mostly makes sense: valid tab ids, catalogue keys with values taken from
/// the field's own example or allowed list, spellings of real enum values, custom fields
/// of real kinds. Many of these load, so `use_profile` sees unusual but valid profiles.
fn plausible_profile_table() -> BoxedStrategy<Table> {
    let field = || 0..FIELDS.len();
    let tab = prop::sample::select(Section::ALL.map(Section::id).to_vec());
    let tabs = prop::option::weighted(
        0.3,
        prop::collection::vec(tab.clone(), 1..6)
            .prop_map(|v| Toml::Array(v.into_iter().map(|t| Toml::String(t.into())).collect())),
    );
    let required = prop::collection::vec(field(), 0..10).prop_map(|v| {
        Toml::Array(
            v.into_iter()
                .map(|i| Toml::String(FIELDS[i].key.into()))
                .collect(),
        )
    });
    // A field's own example or one of its allowed values: usually passes check_field.
    let value_of = |i: usize, pick: usize| -> Toml {
        let f = &FIELDS[i];
        if f.allowed.is_empty() || pick.is_multiple_of(3) {
            Toml::String(f.example.to_string())
        } else {
            Toml::String(f.allowed[pick % f.allowed.len()].to_string())
        }
    };
    let values = prop::collection::vec((field(), any::<usize>()), 0..4).prop_map(move |v| {
        Toml::Table(
            v.into_iter()
                .filter(|(i, _)| FIELDS[*i].kind != Kind::MemberList)
                .map(|(i, pick)| (FIELDS[i].key.to_string(), value_of(i, pick)))
                .collect(),
        )
    });
    let enum_fields: Vec<usize> = (0..FIELDS.len())
        .filter(|i| FIELDS[*i].kind == Kind::Enum)
        .collect();
    let spellings = prop::collection::vec(
        (
            prop::sample::select(enum_fields),
            prop::collection::vec((any::<usize>(), "[A-Za-z_ -]{1,10}"), 0..3),
        ),
        0..3,
    )
    .prop_map(|v| {
        Toml::Table(
            v.into_iter()
                .map(|(i, pairs)| {
                    let f = &FIELDS[i];
                    let inner = pairs
                        .into_iter()
                        .map(|(pick, wire)| {
                            (
                                f.allowed[pick % f.allowed.len()].to_string(),
                                Toml::String(wire),
                            )
                        })
                        .collect();
                    (f.key.to_string(), Toml::Table(inner))
                })
                .collect(),
        )
    });
    let kinds: Vec<&str> = Kind::ALL
        .iter()
        .filter(|k| **k != Kind::MemberList)
        .map(|k| k.id())
        .collect();
    let custom = prop::collection::vec(
        (
            "metadata\\.[a-z]{1,6}",
            prop::sample::select(kinds),
            prop::option::of(tab),
            any::<bool>(),
            prop::collection::vec("[A-Z]{1,6}", 0..4),
        )
            .prop_map(|(key, kind, section, required, allowed)| {
                let mut t = Table::new();
                t.insert("key".into(), Toml::String(key));
                let kind = if allowed.is_empty() { kind } else { "enum" };
                t.insert("kind".into(), Toml::String(kind.into()));
                if let Some(s) = section {
                    t.insert("section".into(), Toml::String(s.into()));
                }
                t.insert("required".into(), Toml::Boolean(required));
                if !allowed.is_empty() {
                    t.insert(
                        "allowed".into(),
                        Toml::Array(allowed.into_iter().map(Toml::String).collect()),
                    );
                }
                Toml::Table(t)
            }),
        0..3,
    )
    .prop_map(Toml::Array);
    let pattern = prop::option::of(prop_oneof![
        Just("[A-Za-z0-9_-]{1,20}".to_string()),
        Just("[0-9]{12}".to_string()),
        Just("[A-Z]{3,5}".to_string()),
        pattern_text(),
    ]);
    (
        "[a-z][a-z0-9_-]{0,10}",
        tabs,
        required,
        pattern,
        values.clone(),
        values,
        spellings,
        custom,
    )
        .prop_map(
            |(name, tabs, required, pattern, defaults, fixed, spellings, custom)| {
                let mut t = Table::new();
                t.insert("name".into(), Toml::String(name));
                if let Some(tabs) = tabs {
                    t.insert("tabs".into(), tabs);
                }
                t.insert("required".into(), required);
                if let Some(p) = pattern {
                    t.insert("order_id_pattern".into(), Toml::String(p));
                }
                t.insert("defaults".into(), defaults);
                t.insert("fixed".into(), fixed);
                t.insert("spellings".into(), spellings);
                t.insert("custom_fields".into(), custom);
                t
            },
        )
        .boxed()
}

/// Wild or plausible, half and half.
fn any_profile_table() -> BoxedStrategy<Table> {
    prop_oneof![profile_table(), plausible_profile_table()].boxed()
}

/// Text in (and around) the order_id pattern language.
fn pattern_text() -> BoxedStrategy<String> {
    let class_item = prop_oneof![
        Just("A-Z".to_string()),
        Just("a-z".to_string()),
        Just("0-9".to_string()),
        Just("_".to_string()),
        Just("-".to_string()),
        Just("\\-".to_string()),
        Just("\\]".to_string()),
        Just("\\".to_string()),
        Just("^".to_string()),
        Just("z-a".to_string()),
        Just("é-ü".to_string()),
        "[ -~]",
        any::<char>().prop_map(String::from),
    ];
    let number = prop_oneof![
        3 => (0usize..40).prop_map(|n| n.to_string()),
        1 => Just("129".to_string()),
        1 => Just("18446744073709551616".to_string()),
        1 => Just(String::new()),
        1 => Just(" 7 ".to_string()),
    ];
    let length = prop_oneof![
        (number.clone(), number.clone()).prop_map(|(a, b)| format!("{{{a},{b}}}")),
        number.clone().prop_map(|n| format!("{{{n}}}")),
        (number.clone(), number).prop_map(|(a, b)| format!("{{{a},{b}")),
        Just(String::new()),
        Just("+".to_string()),
    ];
    prop_oneof![
        6 => (
            prop::option::of(Just("[")),
            prop::collection::vec(class_item, 0..6),
            prop::option::of(Just("]")),
            length
        )
            .prop_map(|(open, items, close, len)| format!(
                "{}{}{}{len}",
                open.unwrap_or(""),
                items.concat(),
                close.unwrap_or("")
            )),
        1 => any::<String>(),
    ]
    .boxed()
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn arbitrary_text_never_panics(text in prop_oneof![any::<String>(), "[a-z_\\[\\]=\"., \n{}0-9]{0,200}"]) {
        let _ = exercise(&text);
    }

    #[test]
    fn mutated_builtins_never_panic(text in mutated(BUILTINS, 6)) {
        let _ = exercise(&text);
    }

    #[test]
    fn structured_profiles_never_panic_and_load_usably(table in any_profile_table()) {
        let text = toml::to_string(&table).unwrap_or_default();
        let _ = exercise(&text);
    }

    #[test]
    fn structured_profiles_with_edits_never_panic(
        table in any_profile_table(),
        edits in prop::collection::vec(fuzz_support::edit(), 1..4),
    ) {
        let text = toml::to_string(&table).unwrap_or_default();
        let _ = exercise(&fuzz_support::mutate(&text, &edits));
    }

    #[test]
    fn order_id_patterns_parse_or_explain(text in pattern_text(), id in "[A-Za-z0-9_\\-é]{0,30}", salt in any::<u64>()) {
        match Pattern::parse(&text) {
            Ok(p) => {
                prop_assert!(p.min >= 1 && p.min <= p.max && p.max <= 128);
                let _ = (p.describe_chars(), p.describe_length(), p.matches(&id));
                let now = datetime!(2026-01-31 23:59:59 UTC);
                if let Some(generated) = generate_matching(&p, "PD", now, salt) {
                    prop_assert!(p.matches(&generated), "{} !~ {}", generated, text);
                }
            }
            Err(message) => prop_assert!(!message.is_empty()),
        }
    }

    #[test]
    fn a_directory_of_profiles_loads_without_panic(
        files in prop::collection::vec(
            (
                prop_oneof![
                    3 => "[a-z]{1,6}",
                    1 => prop::sample::select(vec!["travel", "generic", "x", "insurance"]).prop_map(str::to_string),
                ],
                prop_oneof![
                    2 => any_profile_table().prop_map(|t| toml::to_string(&t).unwrap_or_default()),
                    1 => mutated(BUILTINS, 3),
                    1 => any::<String>(),
                ],
            ),
            0..4,
        )
    ) {
        let dir = tempfile::tempdir().expect("temp dir");
        for (stem, text) in &files {
            std::fs::write(dir.path().join(format!("{stem}.toml")), text).expect("write");
        }
        let (set, errors) = ProfileSet::load(Some(dir.path()));
        for builtin in ["generic", "insurance", "education", "travel"] {
            prop_assert!(set.get(builtin).is_some(), "{} disappeared", builtin);
        }
        let mut names = set.names();
        let count = names.len();
        names.sort_unstable();
        names.dedup();
        prop_assert_eq!(names.len(), count, "duplicate profile names");
        for e in &errors {
            prop_assert!(e.path.starts_with(dir.path()));
        }
        for p in &set.profiles {
            use_profile(p);
        }
    }
}
