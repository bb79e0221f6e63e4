//! Loading settings never panics, whatever the config file holds. The environment is
//! forced to demo so that no generated `api_key_cmd` is ever run.

use paydesk::config::{Flags, Settings};
use paydesk::paths::Paths;
use proptest::prelude::*;

fn load_text(text: &str) -> Settings {
    let dir = tempfile::tempdir().expect("temp dir");
    let paths = Paths::under(dir.path());
    std::fs::create_dir_all(&paths.config_dir).expect("dir");
    std::fs::write(&paths.config_file, text).expect("write");
    let var = |name: &str| (name == "PAYDESK_ENV").then(|| "demo".to_string());
    Settings::load_with_paths(&Flags::default(), &var, paths)
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

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn arbitrary_text_never_panics(text in ".{0,300}") {
        let settings = load_text(&text);
        prop_assert!(settings.environment.is_demo());
    }

    #[test]
    fn vocabulary_lines_never_panic_and_problems_are_located(
        lines in prop::collection::vec(config_line(), 0..12)
    ) {
        let text = lines.join("\n");
        let settings = load_text(&text);
        let line_count = text.lines().count().max(1) + 1;
        for problem in &settings.problems {
            if let Some(line) = problem.line {
                prop_assert!(line >= 1 && line <= line_count, "{problem} in:\n{text}");
                prop_assert!(problem.column.is_some_and(|c| c >= 1));
            }
        }
    }
}
