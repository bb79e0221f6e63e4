//! Loading settings never panics, whatever the config file, environment variables and
//! flags hold. Loads use `KeyPolicy::Skip`, so no generated `api_key_cmd` is ever run
//! (`tests/config_key_policy.rs` proves Skip runs nothing); that lets every environment be
//! selected, not only demo.
//!
//! `cargo test --test config_fuzz` runs 256 cases per property (or `PROPTEST_CASES`);
//! `benches/fuzz.sh` runs 100,000 in release mode.

mod fuzz_support;

use std::collections::HashMap;

use fuzz_support::{config, mutate, nasty_text};
use paydesk::config::{EnvKind, Flags, KeyPolicy, Settings, check_base_url, normalize_base_url};
use paydesk::paths::Paths;
use proptest::prelude::*;
use toml::{Table, Value as Toml};

/// An API key that must never show up in anything printable.
const SECRET: &str = "sk_fuzz_SECRET_91827";

/// Inputs of one load: the file, its mode, environment variables and flags.
#[derive(Debug, Clone)]
struct Case {
    text: String,
    private: bool,
    vars: HashMap<String, String>,
    flags: Flags,
}

thread_local! {
    /// One directory per test thread, reused: creating and removing a directory per case
    /// would make 100,000 cases mostly file-system time.
    static DIR: tempfile::TempDir = tempfile::tempdir().expect("temp dir");
}

fn load_case(case: &Case) -> Settings {
    let paths = DIR.with(|dir| Paths::under(dir.path()));
    std::fs::create_dir_all(&paths.config_dir).expect("dir");
    std::fs::write(&paths.config_file, &case.text).expect("write");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = if case.private { 0o600 } else { 0o644 };
        std::fs::set_permissions(&paths.config_file, std::fs::Permissions::from_mode(mode))
            .expect("chmod");
    }
    let vars = case.vars.clone();
    let settings = Settings::load_with_paths_and_policy(
        &case.flags,
        &move |name| vars.get(name).cloned(),
        paths,
        KeyPolicy::Skip,
    );
    check_invariants(case, &settings);
    settings
}

fn load_text(text: &str) -> Settings {
    load_case(&Case {
        text: text.to_string(),
        private: true,
        vars: HashMap::from([("PAYDESK_ENV".to_string(), "demo".to_string())]),
        flags: Flags::default(),
    })
}

/// What must hold for any load.
fn check_invariants(case: &Case, settings: &Settings) {
    let env = &settings.environment;
    let line_count = case.text.lines().count().max(1) + 1;
    for problem in &settings.problems {
        let shown = problem.to_string();
        assert!(!shown.contains(SECRET), "key in a problem: {shown}");
        if let Some(line) = problem.line {
            assert!(
                line >= 1 && line <= line_count,
                "{shown} in:\n{}",
                case.text
            );
            assert!(problem.column.is_some_and(|c| c >= 1), "{shown}");
        }
    }
    let debug = format!("{settings:?}");
    assert!(!debug.contains(SECRET), "key in Debug output");
    assert!(
        settings.env_names.contains(&env.name) || env.kind == EnvKind::Custom,
        "{} is not a known environment",
        env.name
    );
    // Whatever base URL survived is one a key may be sent to.
    if let Some(url) = &env.base_url {
        assert!(check_base_url(url).is_ok(), "unsafe base URL kept: {url}");
    }
    match settings.client_config() {
        Ok(client) => {
            assert!(env.send_problem().is_none());
            assert!(check_base_url(&client.base_url).is_ok());
        }
        Err(why) => assert!(!why.is_empty() && !why.contains(SECRET)),
    }
    let _ = (env.is_production(), env.base_host(), env.badge());
    let _ = settings.demo_fallback_notice();
    let prefix = &settings.order_prefix;
    assert!(prefix.len() <= 10, "{prefix:?}");
    assert!(
        prefix
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-'),
        "{prefix:?}"
    );
    assert!(!settings.connect_timeout.is_zero() && !settings.request_timeout.is_zero());
}

/// Lines built from the real vocabulary, so the parser gets past syntax often.
fn config_line() -> impl Strategy<Value = String> {
    let key = prop::sample::select(vec![
        "default_env",
        "profile",
        "theme",
        "log_level",
        "order_prefix",
        "connect_timeout_secs",
        "request_timeout_secs",
        "poll_interval_secs",
        "env",
        "base_url",
        "merchant_id",
        "client_id",
        "return_url",
        "api_key",
        "bogus",
    ]);
    let value = prop_oneof![
        any::<i64>().prop_map(|n| n.to_string()),
        "[a-z:/._ -]{0,20}".prop_map(|s| format!("{s:?}")),
        Just("true".to_string()),
        Just("[1, \"a\"]".to_string()),
        Just("{ x = 1 }".to_string()),
        Just("1979-05-27".to_string()),
        ".{0,10}",
    ];
    let header = prop::sample::select(vec![
        "[env.sandbox]",
        "[env.production]",
        "[env.demo]",
        "[env.x]",
        "[env]",
        "[[env]]",
        "[env.sandbox.deep]",
    ]);
    prop_oneof![
        (key, value).prop_map(|(k, v)| format!("{k} = {v}")),
        header.prop_map(str::to_string),
        ".{0,30}",
    ]
}

/// Base URLs around the rules: https anywhere, http only on loopback, no user info,
/// query or fragment; plus odd hosts, ports and encodings.
fn base_url() -> impl Strategy<Value = String> {
    let scheme = prop::sample::select(vec![
        "https://", "http://", "HTTP://", "ftp://", "", "https:",
    ]);
    let host = prop::sample::select(vec![
        "sandbox.juspay.in",
        "api.juspay.in",
        "127.0.0.1",
        "127.1",
        "0x7f.0.0.1",
        "2130706433",
        "[::1]",
        "[::ffff:127.0.0.1]",
        "localhost",
        "LOCALHOST.",
        "localhost.evil.example",
        "user:pw@127.0.0.1",
        "xn--80ak6aa92e.com",
        "пример.рф",
        "",
        "%31%32%37.0.0.1",
    ]);
    let port = prop::sample::select(vec!["", ":443", ":0", ":65535", ":65536", ":x"]);
    let path = prop::sample::select(vec![
        "", "/", "//", "/juspay/", "?x=1", "#f", "/a b", "\t/\n",
    ]);
    prop_oneof![
        4 => (scheme, host, port, path).prop_map(|(s, h, p, t)| format!("{s}{h}{p}{t}")),
        1 => nasty_text(),
    ]
}

/// Log filters: levels, targets, junk.
fn log_filter() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "info",
            "DEBUG",
            "off",
            "paydesk=trace",
            "a=b",
            "=info",
            ",",
            "info,",
            "[x]",
            "paydesk[{x}]=debug"
        ])
        .prop_map(str::to_string),
        nasty_text(),
    ]
}

/// A TOML value: the right type for the key, usually; any type sometimes.
fn toml_any() -> impl Strategy<Value = Toml> {
    let leaf = prop_oneof![
        nasty_text().prop_map(Toml::String),
        any::<i64>().prop_map(Toml::Integer),
        any::<f64>().prop_map(Toml::Float),
        any::<bool>().prop_map(Toml::Boolean),
        Just(Toml::Datetime("1979-05-27".parse().expect("date"))),
    ];
    leaf.prop_recursive(2, 8, 3, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..3).prop_map(Toml::Array),
            prop::collection::vec(("[a-z_]{1,8}", inner), 0..3)
                .prop_map(|kv| Toml::Table(kv.into_iter().collect())),
        ]
    })
}

fn env_name() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => prop::sample::select(vec!["sandbox", "production", "demo", "custom", "staging"]).prop_map(str::to_string),
        1 => "[a-z]{1,6}",
        1 => prop::sample::select(vec!["", "a.b", "Sandbox", " sandbox", "prod uction", "é"]).prop_map(str::to_string),
    ]
}

fn env_table() -> impl Strategy<Value = Toml> {
    let entry = prop_oneof![
        3 => base_url().prop_map(|u| ("base_url".to_string(), Toml::String(u))),
        2 => "[a-z0-9_]{0,8}".prop_map(|m| ("merchant_id".to_string(), Toml::String(m))),
        1 => "[a-z0-9_]{0,8}".prop_map(|m| ("client_id".to_string(), Toml::String(m))),
        1 => base_url().prop_map(|u| ("return_url".to_string(), Toml::String(u))),
        1 => prop::sample::select(vec!["travel", "generic", "nope"]).prop_map(|p| ("profile".to_string(), Toml::String(p.into()))),
        2 => nasty_text().prop_map(|c| ("api_key_cmd".to_string(), Toml::String(c))),
        2 => prop_oneof![Just(SECRET.to_string()), nasty_text()].prop_map(|k| ("api_key".to_string(), Toml::String(k))),
        1 => ("[a-z_]{1,12}", toml_any()),
        1 => (prop::sample::select(vec!["base_url", "api_key", "merchant_id"]).prop_map(str::to_string), toml_any()),
    ];
    prop::collection::vec(entry, 0..6).prop_map(|kv| Toml::Table(kv.into_iter().collect()))
}

/// A whole config file as a TOML table.
fn config_table() -> impl Strategy<Value = Table> {
    let top = prop_oneof![
        2 => env_name().prop_map(|e| ("default_env".to_string(), Toml::String(e))),
        1 => prop::sample::select(vec!["travel", "x"]).prop_map(|p| ("profile".to_string(), Toml::String(p.into()))),
        1 => nasty_text().prop_map(|t| ("theme".to_string(), Toml::String(t))),
        2 => log_filter().prop_map(|l| ("log_level".to_string(), Toml::String(l))),
        2 => prop_oneof!["[A-Za-z0-9_-]{0,12}", nasty_text()].prop_map(|p| ("order_prefix".to_string(), Toml::String(p))),
        2 => (
            prop::sample::select(vec!["connect_timeout_secs", "request_timeout_secs", "poll_interval_secs"]),
            prop_oneof![(-5i64..4000).prop_map(Toml::Integer), any::<i64>().prop_map(Toml::Integer), toml_any()],
        ).prop_map(|(k, v)| (k.to_string(), v)),
        1 => ("[a-z_]{1,12}", toml_any()),
        1 => toml_any().prop_map(|v| ("env".to_string(), v)),
    ];
    (
        prop::collection::vec(top, 0..6),
        prop::collection::vec((env_name(), env_table()), 0..4),
    )
        .prop_map(|(top, envs)| {
            let mut t: Table = top.into_iter().collect();
            if !envs.is_empty() && !matches!(t.get("env"), Some(Toml::Table(_))) {
                t.insert("env".into(), Toml::Table(envs.into_iter().collect()));
            }
            t
        })
}

/// Environment variables and flags that take part in the layering.
fn vars_and_flags() -> impl Strategy<Value = (HashMap<String, String>, Flags)> {
    let var = prop_oneof![
        (Just("PAYDESK_ENV"), env_name()),
        (Just("JUSPAY_BASE_URL"), base_url()),
        (
            Just("JUSPAY_API_KEY"),
            prop_oneof![
                Just(SECRET.to_string()),
                Just(String::new()),
                Just("  ".to_string())
            ]
        ),
        (Just("JUSPAY_MERCHANT_ID"), "[a-z ]{0,6}"),
        (Just("JUSPAY_CLIENT_ID"), "[a-z]{0,6}"),
        (Just("PAYDESK_LOG"), log_filter()),
    ];
    (
        prop::collection::vec(var, 0..4),
        prop::option::of(env_name()),
        prop::option::weighted(0.2, base_url()),
        prop::option::weighted(0.2, "[a-z]{0,6}"),
        prop::option::weighted(0.2, nasty_text()),
        prop::option::weighted(0.2, nasty_text()),
        prop::bool::weighted(0.15),
    )
        .prop_map(|(vars, env, base_url, merchant_id, profile, theme, demo)| {
            let vars = vars.into_iter().map(|(k, v)| (k.to_string(), v)).collect();
            let flags = Flags {
                config: None,
                env,
                base_url,
                merchant_id,
                profile,
                theme,
                demo,
                operator: None,
            };
            (vars, flags)
        })
}

fn case() -> impl Strategy<Value = Case> {
    let text = prop_oneof![
        3 => config_table().prop_map(|t| toml::to_string(&t).unwrap_or_default()),
        1 => (config_table(), prop::collection::vec(fuzz_support::edit(), 1..4))
            .prop_map(|(t, edits)| mutate(&toml::to_string(&t).unwrap_or_default(), &edits)),
        1 => prop::collection::vec(config_line(), 0..12).prop_map(|l| l.join("\n")),
    ];
    (text, any::<bool>(), vars_and_flags()).prop_map(|(text, private, (vars, flags))| Case {
        text,
        private,
        vars,
        flags,
    })
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn arbitrary_text_never_panics(text in ".{0,300}") {
        let settings = load_text(&text);
        prop_assert!(settings.environment.is_demo());
    }

    #[test]
    fn vocabulary_lines_never_panic_and_problems_are_located(
        lines in prop::collection::vec(config_line(), 0..12)
    ) {
        load_text(&lines.join("\n"));
    }

    #[test]
    fn structured_configs_with_any_vars_and_flags_never_panic(case in case()) {
        load_case(&case);
    }

    #[test]
    fn base_urls_are_normalised_once_and_stay_safe(url in base_url()) {
        if let Ok(normal) = normalize_base_url(&url) {
            prop_assert_eq!(normalize_base_url(&normal), Ok(normal.clone()));
            let parsed = reqwest::Url::parse(&normal).expect("normalised URL parses");
            let host = parsed.host_str().unwrap_or_default();
            let loopback = host == "localhost"
                || host
                    .trim_start_matches('[')
                    .trim_end_matches(']')
                    .parse::<std::net::IpAddr>()
                    .is_ok_and(|ip| ip.is_loopback());
            prop_assert!(
                parsed.scheme() == "https" || (parsed.scheme() == "http" && loopback),
                "{} accepted as {}", url, normal
            );
            prop_assert!(parsed.query().is_none() && parsed.fragment().is_none());
            prop_assert!(parsed.username().is_empty() && parsed.password().is_none());
        }
    }

    #[test]
    fn every_unknown_key_is_located_exactly(
        lines in prop::collection::vec(("[ \t]{0,3}", "[a-zé]{1,6}", "[a-z0-9é\"]{0,6}"), 1..40)
    ) {
        // One unknown key per line, after some indentation; non-ASCII before and after.
        let text: String = lines
            .iter()
            .enumerate()
            .map(|(i, (indent, word, tail))| format!("{indent}\"zz{i}{word}\" = \"{}\"\n", tail.replace('"', "")))
            .collect();
        let settings = load_text(&text);
        let found: Vec<(usize, usize)> = settings
            .problems
            .iter()
            .filter(|p| p.message.starts_with("unknown key"))
            .filter_map(|p| Some((p.line?, p.column?)))
            .collect();
        let want: Vec<(usize, usize)> = lines
            .iter()
            .enumerate()
            .map(|(i, (indent, _, _))| (i + 1, indent.chars().count() + 1))
            .collect();
        prop_assert_eq!(found, want, "in:\n{}", text);
    }
}

/// Regression (found while fuzzing): locating each problem rescanned the file from the
/// top, so a config with tens of thousands of unknown keys took minutes to load — every
/// command hung. Each problem must still point at its own line.
#[test]
fn many_unknown_keys_are_each_located() {
    let count = 20_000;
    let text: String = (0..count).map(|i| format!("\"k{i}é\" = 1\n")).collect();
    let settings = load_text(&text);
    let unknown: Vec<_> = settings
        .problems
        .iter()
        .filter(|p| p.message.starts_with("unknown key"))
        .collect();
    assert_eq!(unknown.len(), count);
    for (i, p) in unknown.iter().enumerate() {
        assert_eq!((p.line, p.column), (Some(i + 1), Some(1)), "{p}");
    }
}
