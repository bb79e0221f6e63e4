//! Settings: the layering order, environments, key sources, the 0600 and https rules,
//! and problems with line and column. Hermetic: paths under a temp dir, injected env vars.

use std::collections::HashMap;
use std::path::Path;
use std::time::Duration;

use paydesk::config::{
    EnvKind, Flags, KeySource, PRODUCTION_URL, SANDBOX_URL, Settings, check_base_url,
};
use paydesk::emulator::{DEMO_API_KEY, DEMO_MERCHANT_ID};
use paydesk::paths::Paths;
use tempfile::TempDir;

struct Fixture {
    dir: TempDir,
    vars: HashMap<String, String>,
}

impl Fixture {
    fn new() -> Fixture {
        Fixture {
            dir: tempfile::tempdir().expect("temp dir"),
            vars: HashMap::new(),
        }
    }

    fn paths(&self) -> Paths {
        Paths::under(self.dir.path())
    }

    /// Writes the default config file with the given mode.
    fn write_config(&self, text: &str, mode: u32) -> std::path::PathBuf {
        let path = self.paths().config_file;
        write_file(&path, text, mode);
        path
    }

    fn var(mut self, name: &str, value: &str) -> Fixture {
        self.vars.insert(name.into(), value.into());
        self
    }

    fn load(&self, flags: &Flags) -> Settings {
        let vars = self.vars.clone();
        Settings::load_with_paths(flags, &move |name| vars.get(name).cloned(), self.paths())
    }
}

fn write_file(path: &Path, text: &str, mode: u32) {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("config dir");
    }
    std::fs::write(path, text).expect("write config");
    set_mode(path, mode);
}

#[cfg(unix)]
fn set_mode(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).expect("chmod");
}

#[cfg(not(unix))]
fn set_mode(_path: &Path, _mode: u32) {}

fn messages(settings: &Settings) -> String {
    settings
        .problems
        .iter()
        .map(|p| p.to_string())
        .collect::<Vec<_>>()
        .join("\n")
}

const LAYERED: &str = r#"
default_env = "sandbox"
profile = "insurance"
theme = "light"
log_level = "warn"
connect_timeout_secs = 3
request_timeout_secs = 45
poll_interval_secs = 7
order_prefix = "DESK1"

[env.sandbox]
merchant_id = "file_merchant"
client_id = "file_client"
return_url = "https://shop.example/thanks"
base_url = "https://file.example"
api_key_cmd = "echo key_from_cmd"

[env.staging]
base_url = "https://staging.example"
merchant_id = "staging_merchant"
profile = "education"
"#;

#[test]
fn built_in_defaults_without_file() {
    let settings = Fixture::new()
        .var("JUSPAY_API_KEY", "k")
        .load(&Flags::default());
    assert_eq!(settings.environment.name, "sandbox");
    assert_eq!(settings.environment.base_url.as_deref(), Some(SANDBOX_URL));
    assert_eq!(settings.profile, "generic");
    assert_eq!(settings.theme, "dark");
    assert_eq!(settings.log_level, "info");
    assert_eq!(settings.order_prefix, "PD");
    assert_eq!(settings.connect_timeout, Duration::from_secs(10));
    assert_eq!(settings.request_timeout, Duration::from_secs(30));
    assert_eq!(settings.poll_interval, Duration::from_secs(5));
    assert!(settings.problems.is_empty(), "{}", messages(&settings));
}

#[test]
fn config_file_overrides_defaults() {
    let fx = Fixture::new();
    fx.write_config(LAYERED, 0o600);
    let settings = fx.load(&Flags::default());
    assert!(settings.problems.is_empty(), "{}", messages(&settings));
    let env = &settings.environment;
    assert_eq!(env.name, "sandbox");
    assert_eq!(env.kind, EnvKind::Sandbox);
    assert_eq!(env.base_url.as_deref(), Some("https://file.example"));
    assert_eq!(env.merchant_id, "file_merchant");
    assert_eq!(env.client_id, "file_client");
    assert_eq!(
        env.return_url.as_deref(),
        Some("https://shop.example/thanks")
    );
    assert_eq!(
        env.api_key.as_ref().map(|k| k.expose()),
        Some("key_from_cmd")
    );
    assert_eq!(env.key_source, KeySource::Command);
    assert_eq!(settings.profile, "insurance");
    assert_eq!(settings.theme, "light");
    assert_eq!(settings.log_level, "warn");
    assert_eq!(settings.order_prefix, "DESK1");
    assert_eq!(settings.connect_timeout, Duration::from_secs(3));
    assert_eq!(settings.request_timeout, Duration::from_secs(45));
    assert_eq!(settings.poll_interval, Duration::from_secs(7));
    assert_eq!(
        settings.env_names,
        ["demo", "sandbox", "production", "staging"]
    );
}

#[test]
fn environment_variables_override_the_file() {
    let fx = Fixture::new()
        .var("JUSPAY_API_KEY", "key_from_env")
        .var("JUSPAY_MERCHANT_ID", "env_merchant")
        .var("JUSPAY_CLIENT_ID", "env_client")
        .var("JUSPAY_BASE_URL", "https://env.example/")
        .var("PAYDESK_LOG", "debug");
    fx.write_config(LAYERED, 0o600);
    let settings = fx.load(&Flags::default());
    let env = &settings.environment;
    assert_eq!(env.base_url.as_deref(), Some("https://env.example"));
    assert_eq!(env.merchant_id, "env_merchant");
    assert_eq!(env.client_id, "env_client");
    assert_eq!(
        env.api_key.as_ref().map(|k| k.expose()),
        Some("key_from_env")
    );
    assert_eq!(env.key_source, KeySource::EnvVar);
    assert_eq!(settings.log_level, "debug");

    let staging = Fixture::new()
        .var("PAYDESK_ENV", "staging")
        .var("JUSPAY_API_KEY", "k");
    staging.write_config(LAYERED, 0o600);
    let settings = staging.load(&Flags::default());
    assert_eq!(settings.environment.name, "staging");
    assert_eq!(settings.environment.kind, EnvKind::Custom);
    assert_eq!(
        settings.environment.base_url.as_deref(),
        Some("https://staging.example")
    );
    // The environment's profile beats the top-level one.
    assert_eq!(settings.profile, "education");
}

#[test]
fn flags_override_environment_variables() {
    let fx = Fixture::new()
        .var("JUSPAY_API_KEY", "k")
        .var("JUSPAY_MERCHANT_ID", "env_merchant")
        .var("JUSPAY_BASE_URL", "https://env.example")
        .var("PAYDESK_ENV", "staging");
    fx.write_config(LAYERED, 0o600);
    let flags = Flags {
        env: Some("production".into()),
        base_url: Some("https://flag.example".into()),
        merchant_id: Some("flag_merchant".into()),
        profile: Some("travel".into()),
        theme: Some("high-contrast".into()),
        ..Flags::default()
    };
    let settings = fx.load(&flags);
    assert_eq!(settings.environment.name, "production");
    assert_eq!(settings.environment.kind, EnvKind::Production);
    assert_eq!(
        settings.environment.base_url.as_deref(),
        Some("https://flag.example")
    );
    assert_eq!(settings.environment.merchant_id, "flag_merchant");
    assert_eq!(settings.profile, "travel");
    assert_eq!(settings.theme, "high-contrast");
    assert!(settings.environment.is_production());

    // Without the base URL flag and variable, production keeps Juspay's URL.
    let plain = Fixture::new().var("JUSPAY_API_KEY", "k");
    let settings = plain.load(&Flags {
        env: Some("production".into()),
        ..Flags::default()
    });
    assert_eq!(
        settings.environment.base_url.as_deref(),
        Some(PRODUCTION_URL)
    );
    assert_eq!(settings.environment.base_host(), "api.juspay.in");
}

#[test]
fn demo_flag_beats_env_and_base_url_turns_demo_into_custom() {
    let fx = Fixture::new().var("PAYDESK_ENV", "sandbox");
    let settings = fx.load(&Flags {
        demo: true,
        ..Flags::default()
    });
    assert_eq!(settings.environment.kind, EnvKind::Demo);
    assert_eq!(
        settings.environment.api_key.as_ref().map(|k| k.expose()),
        Some(DEMO_API_KEY)
    );
    assert_eq!(settings.environment.send_problem(), None);
    assert!(!settings.demo_fallback);

    let flags = Flags {
        demo: true,
        base_url: Some("http://127.0.0.1:4100".into()),
        ..Flags::default()
    };
    let settings = fx.load(&flags);
    let env = &settings.environment;
    assert_eq!(env.name, "custom");
    assert_eq!(env.kind, EnvKind::Custom);
    assert_eq!(env.base_url.as_deref(), Some("http://127.0.0.1:4100"));
    assert_eq!(env.base_host(), "127.0.0.1:4100");
    // A loopback server with no credentials given: the emulator's defaults.
    assert_eq!(env.merchant_id, DEMO_MERCHANT_ID);
    assert_eq!(env.key_source, KeySource::Demo);
    assert!(settings.client_config().is_ok());
}

#[test]
fn no_file_and_no_key_falls_back_to_demo_and_says_so() {
    let settings = Fixture::new().load(&Flags::default());
    assert!(settings.demo_fallback);
    assert_eq!(settings.environment.kind, EnvKind::Demo);
    assert!(settings.problems.is_empty(), "{}", messages(&settings));
    let notice = settings.demo_fallback_notice().unwrap_or_default();
    assert!(
        notice.contains("DEMO") && notice.contains("JUSPAY_API_KEY"),
        "{notice}"
    );
}

#[test]
fn chosen_environment_without_key_refuses_and_names_three_ways() {
    let fx = Fixture::new().var("JUSPAY_MERCHANT_ID", "m");
    let settings = fx.load(&Flags {
        env: Some("sandbox".into()),
        ..Flags::default()
    });
    assert!(!settings.demo_fallback);
    assert!(settings.environment.api_key.is_none());
    assert_eq!(settings.environment.key_source, KeySource::None);
    let problem = settings.environment.send_problem().unwrap_or_default();
    for way in ["JUSPAY_API_KEY", "api_key_cmd", "api_key", "chmod 600"] {
        assert!(problem.contains(way), "{way} missing from: {problem}");
    }
    assert!(settings.client_config().is_err());
}

#[test]
fn api_key_in_a_private_file_is_used() {
    let fx = Fixture::new();
    fx.write_config(
        "[env.sandbox]\nmerchant_id = \"m\"\napi_key = \"key_in_file\"\n",
        0o600,
    );
    let settings = fx.load(&Flags::default());
    assert!(settings.problems.is_empty(), "{}", messages(&settings));
    assert_eq!(settings.environment.name, "sandbox");
    assert_eq!(settings.environment.key_source, KeySource::ConfigFile);
    assert_eq!(
        settings.environment.api_key.as_ref().map(|k| k.expose()),
        Some("key_in_file")
    );
    assert_eq!(settings.environment.send_problem(), None);
}

#[cfg(unix)]
#[test]
fn api_key_in_a_file_others_can_read_is_refused_naming_chmod_600() {
    for mode in [0o644, 0o640, 0o604, 0o620] {
        let fx = Fixture::new();
        let path = fx.write_config(
            "[env.sandbox]\nmerchant_id = \"m\"\napi_key = \"key_in_file\"\n",
            mode,
        );
        let settings = fx.load(&Flags::default());
        assert!(settings.environment.api_key.is_none(), "mode {mode:o}");
        let chmod = format!("chmod 600 {}", path.display());
        let all = messages(&settings);
        assert!(all.contains(&chmod), "mode {mode:o}: {all}");
        let problem = &settings.problems[0];
        assert_eq!((problem.line, problem.column), (Some(3), Some(11)));
        let refusal = settings.environment.send_problem().unwrap_or_default();
        assert!(refusal.contains(&chmod), "{refusal}");
    }
}

#[cfg(unix)]
#[test]
fn a_readable_file_with_a_key_is_a_problem_even_when_the_env_var_wins() {
    let fx = Fixture::new().var("JUSPAY_API_KEY", "from_env");
    fx.write_config(
        "[env.sandbox]\nmerchant_id = \"m\"\napi_key = \"x\"\n",
        0o644,
    );
    let settings = fx.load(&Flags::default());
    assert_eq!(settings.environment.key_source, KeySource::EnvVar);
    assert!(messages(&settings).contains("chmod 600"));
}

#[test]
fn key_sources_in_order_env_var_then_command_then_file() {
    let text = "[env.sandbox]\nmerchant_id = \"m\"\napi_key_cmd = \"echo from_cmd\"\napi_key = \"from_file\"\n";
    let fx = Fixture::new();
    fx.write_config(text, 0o600);
    let settings = fx.load(&Flags::default());
    assert_eq!(
        settings.environment.api_key.as_ref().map(|k| k.expose()),
        Some("from_cmd")
    );

    let fx = fx.var("JUSPAY_API_KEY", "from_env");
    let settings = fx.load(&Flags::default());
    assert_eq!(
        settings.environment.api_key.as_ref().map(|k| k.expose()),
        Some("from_env")
    );
}

#[cfg(unix)]
#[test]
fn failing_key_command_is_a_problem_that_never_echoes_its_output() {
    let fx = Fixture::new();
    fx.write_config(
        "[env.sandbox]\nmerchant_id = \"m\"\napi_key_cmd = \"echo sk_leaked_value; exit 1\"\n",
        0o600,
    );
    let settings = fx.load(&Flags::default());
    assert!(settings.environment.api_key.is_none());
    let all = format!("{}\n{settings:?}", messages(&settings));
    assert!(all.contains("exit status 1"), "{all}");
    assert!(!all.contains("sk_leaked_value"), "{all}");
    assert_eq!(settings.problems[0].line, Some(3));
}

#[test]
fn debug_output_never_contains_the_key() {
    const KEY: &str = "sk_live_supersecret_4242";
    let cases: Vec<(Fixture, &str)> = vec![
        (Fixture::new().var("JUSPAY_API_KEY", KEY), ""),
        (
            Fixture::new(),
            "[env.sandbox]\napi_key_cmd = \"echo sk_live_supersecret_4242\"\n",
        ),
        (
            Fixture::new(),
            "[env.sandbox]\napi_key = \"sk_live_supersecret_4242\"\n",
        ),
    ];
    for (fx, text) in cases {
        if !text.is_empty() {
            fx.write_config(text, 0o600);
        }
        let settings = fx.load(&Flags::default());
        assert_eq!(
            settings.environment.api_key.as_ref().map(|k| k.expose()),
            Some(KEY)
        );
        let debug = format!("{settings:?} {settings:#?} {:?}", settings.environment);
        assert!(!debug.contains(KEY), "key leaked in {debug}");
        assert!(!debug.contains("supersecret"), "part of the key leaked");
        if let Ok(client) = settings.client_config() {
            assert!(!format!("{client:?}").contains(KEY));
        }
    }
}

#[test]
fn plain_http_base_url_is_refused_unless_loopback() {
    let fx = Fixture::new()
        .var("JUSPAY_API_KEY", "k")
        .var("JUSPAY_MERCHANT_ID", "m");
    fx.write_config(
        "[env.staging]\nbase_url = \"http://staging.example.com\"\n\n[env.local]\nbase_url = \"http://localhost:4000/\"\n",
        0o600,
    );
    let settings = fx.load(&Flags {
        env: Some("staging".into()),
        ..Flags::default()
    });
    assert_eq!(settings.environment.base_url, None);
    let problem = &settings.problems[0];
    assert_eq!((problem.line, problem.column), (Some(2), Some(12)));
    assert!(problem.message.contains("https://"), "{problem}");
    assert!(settings.environment.send_problem().is_some());
    assert!(settings.client_config().is_err());

    let settings = fx.load(&Flags {
        env: Some("local".into()),
        ..Flags::default()
    });
    assert_eq!(
        settings.environment.base_url.as_deref(),
        Some("http://localhost:4000")
    );
    // Every table is checked, so staging's bad URL is still reported (once).
    assert_eq!(settings.problems.len(), 1, "{}", messages(&settings));
    assert_eq!(settings.problems[0].line, Some(2));

    let settings = fx.load(&Flags {
        base_url: Some("http://203.0.113.9".into()),
        env: Some("sandbox".into()),
        ..Flags::default()
    });
    assert_eq!(
        settings.environment.base_url, None,
        "a bad flag must not fall back"
    );
    assert!(messages(&settings).contains("--base-url"));

    assert!(check_base_url("https://api.juspay.in").is_ok());
    assert!(check_base_url("http://127.0.0.1:9").is_ok());
    assert!(check_base_url("http://[::1]:9").is_ok());
    assert!(check_base_url("http://api.juspay.in").is_err());
}

#[test]
fn broken_toml_reports_line_and_column_and_defaults_are_used() {
    let fx = Fixture::new().var("JUSPAY_API_KEY", "k");
    let path = fx.write_config("theme = \"light\"\nprofile = \"travel\n\n", 0o600);
    let settings = fx.load(&Flags::default());
    assert!(!settings.problems.is_empty());
    let problem = &settings.problems[0];
    assert_eq!(problem.path.as_deref(), Some(path.as_path()));
    assert_eq!(problem.line, Some(2), "{problem}");
    assert!(problem.column.is_some());
    assert!(problem.hint.is_some());
    let shown = problem.to_string();
    assert!(
        shown.starts_with(&format!("{}:2:", path.display())),
        "{shown}"
    );
    // The whole file is ignored: the theme falls back too.
    assert_eq!(settings.theme, "dark");
}

#[test]
fn wrong_types_and_unknown_keys_are_located_and_the_rest_is_used() {
    let fx = Fixture::new().var("JUSPAY_API_KEY", "k");
    fx.write_config(
        "theme = \"light\"\nconnect_timeout_secs = \"ten\"\nmerchnt_id = \"x\"\n[env.sandbox]\npayment_page_client_id = \"c\"\nmerchant_id = 5\npoll_interval_secs = 1\n",
        0o600,
    );
    let settings = fx.load(&Flags::default());
    assert_eq!(settings.theme, "light");
    assert_eq!(settings.connect_timeout, Duration::from_secs(10));
    let located: Vec<(Option<usize>, Option<usize>)> = settings
        .problems
        .iter()
        .map(|p| (p.line, p.column))
        .collect();
    assert_eq!(
        located,
        [
            (Some(2), Some(24)),
            (Some(3), Some(1)),
            (Some(5), Some(1)),
            (Some(6), Some(15)),
            (Some(7), Some(1))
        ],
        "{}",
        messages(&settings)
    );
    let all = messages(&settings);
    assert!(all.contains("did you mean `client_id`?"), "{all}");
    assert!(
        all.contains("`connect_timeout_secs` must be a whole number"),
        "{all}"
    );
}

#[test]
fn env_written_as_a_string_points_to_default_env() {
    let fx = Fixture::new();
    fx.write_config("env = \"sandbox\"\n", 0o600);
    let settings = fx.load(&Flags::default());
    assert!(
        messages(&settings).contains("default_env = \"sandbox\""),
        "{}",
        messages(&settings)
    );
}

#[test]
fn unknown_environment_is_a_problem_with_a_suggestion_and_sends_nothing_real() {
    let fx = Fixture::new().var("JUSPAY_API_KEY", "k");
    let settings = fx.load(&Flags {
        env: Some("prodution".into()),
        ..Flags::default()
    });
    assert_eq!(settings.environment.kind, EnvKind::Demo);
    assert!(
        messages(&settings).contains("did you mean \"production\"?"),
        "{}",
        messages(&settings)
    );
}

#[test]
fn custom_environment_needs_a_base_url() {
    let fx = Fixture::new().var("JUSPAY_API_KEY", "k");
    fx.write_config("[env.staging]\nmerchant_id = \"m\"\n", 0o600);
    let settings = fx.load(&Flags {
        env: Some("staging".into()),
        ..Flags::default()
    });
    assert_eq!(settings.environment.base_url, None);
    assert_eq!(settings.problems[0].line, Some(1));
    assert!(
        settings
            .environment
            .send_problem()
            .unwrap_or_default()
            .contains("base URL")
    );
}

#[test]
fn explicit_config_path_that_does_not_exist_is_a_problem() {
    let fx = Fixture::new();
    let missing = fx.dir.path().join("nope.toml");
    let settings = fx.load(&Flags {
        config: Some(missing.clone()),
        ..Flags::default()
    });
    assert_eq!(settings.paths.config_file, missing);
    assert!(messages(&settings).contains("does not exist"));

    let other = fx.dir.path().join("other.toml");
    write_file(&other, "theme = \"light\"\n", 0o600);
    let fx = fx.var("PAYDESK_CONFIG", other.to_str().unwrap_or_default());
    let settings = fx.load(&Flags::default());
    assert_eq!(settings.paths.config_file, other);
    assert_eq!(settings.theme, "light");
}

#[test]
fn bad_log_level_and_values_out_of_range_fall_back() {
    let fx = Fixture::new().var("PAYDESK_LOG", "loud");
    fx.write_config(
        "log_level = \"paydesk=debug\"\nrequest_timeout_secs = 0\norder_prefix = \"has space\"\n",
        0o600,
    );
    let settings = fx.load(&Flags::default());
    assert_eq!(
        settings.log_level, "paydesk=debug",
        "a bad PAYDESK_LOG falls back to the file"
    );
    assert_eq!(settings.request_timeout, Duration::from_secs(30));
    assert_eq!(settings.order_prefix, "PD");
    let all = messages(&settings);
    assert!(
        all.contains("PAYDESK_LOG") && all.contains("out of range") && all.contains("order_prefix"),
        "{all}"
    );
}

#[test]
fn switching_environment_keeps_profile_and_theme_flags() {
    let fx = Fixture::new().var("JUSPAY_API_KEY", "k");
    fx.write_config(LAYERED, 0o600);
    let settings = fx.load(&Flags {
        merchant_id: Some("flag_m".into()),
        theme: Some("light".into()),
        ..Flags::default()
    });
    let vars = fx.vars.clone();
    let switched = settings.switch_env("staging", &move |n| vars.get(n).cloned());
    assert_eq!(switched.environment.name, "staging");
    assert_eq!(switched.environment.merchant_id, "staging_merchant");
    assert_eq!(switched.theme, "light");
}

#[test]
fn production_host_counts_as_production_under_any_name() {
    let fx = Fixture::new().var("JUSPAY_API_KEY", "k");
    fx.write_config(
        "[env.live]\nbase_url = \"https://api.juspay.in\"\nmerchant_id = \"m\"\n",
        0o600,
    );
    let settings = fx.load(&Flags {
        env: Some("live".into()),
        ..Flags::default()
    });
    assert!(settings.environment.is_production());
    let sandbox = fx.load(&Flags {
        env: Some("sandbox".into()),
        ..Flags::default()
    });
    assert!(!sandbox.environment.is_production());
}

#[test]
fn garbage_files_never_panic() {
    let inputs: [&[u8]; 7] = [
        b"",
        b"\xff\xfe\x00garbage",
        b"[[[[",
        b"env = [1, 2]\n[env]\n",
        b"[env.sandbox]\nbase_url = 12\napi_key = true\n[env.sandbox.nested]\nx = 1\n",
        b"a.b.c.d = 1\nconnect_timeout_secs = 99999999999999999999999\n",
        b"poll_interval_secs = -4\ntheme = { a = 1 }\ndefault_env = 1979-05-27\n",
    ];
    for input in inputs {
        let fx = Fixture::new();
        let path = fx.paths().config_file;
        std::fs::create_dir_all(path.parent().unwrap_or(fx.dir.path())).expect("dir");
        std::fs::write(&path, input).expect("write");
        set_mode(&path, 0o600);
        let settings = fx.load(&Flags::default());
        assert_eq!(settings.theme, "dark");
        if !input.is_empty() {
            assert!(!settings.problems.is_empty(), "no problem for {input:?}");
        }
    }
}
