//! The layering itself: built-in defaults < config file < environment variables < flags.

use std::path::PathBuf;
use std::time::Duration;

use super::file::{self, FileConfig, FileDesk, FileEnv, Located};
use super::{
    BUILTIN_ENVS, CUSTOM_ENV, ConfigProblem, DEFAULT_CONNECT_TIMEOUT_SECS, DEFAULT_LOG_LEVEL,
    DEFAULT_ORDER_PREFIX, DEFAULT_POLL_INTERVAL_SECS, DEFAULT_PROFILE,
    DEFAULT_REQUEST_TIMEOUT_SECS, DEFAULT_THEME, EnvKind, Environment, Flags, KeyPolicy, KeySource,
    LedgerSettings, PRODUCTION_URL, SANDBOX_URL, Settings, base_url, key_cmd,
};
use crate::emulator::{DEMO_API_KEY, DEMO_CLIENT_ID, DEMO_MERCHANT_ID};
use crate::operator::{self, Operator, OperatorEntry};
use crate::paths::Paths;
use crate::secret::ApiKey;
use crate::session::desk::{CustomerIdRule, DeskDefaults, check_desk_entry};

type Var<'a> = &'a dyn Fn(&str) -> Option<String>;

/// An environment variable, ignoring empty values (`JUSPAY_API_KEY=` means unset).
fn env_var(var: Var<'_>, name: &str) -> Option<String> {
    var(name)
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
}

/// `--config`, else `PAYDESK_CONFIG`.
pub(super) fn config_override(flags: &Flags, var: Var<'_>) -> Option<PathBuf> {
    flags
        .config
        .clone()
        .or_else(|| env_var(var, "PAYDESK_CONFIG").map(PathBuf::from))
}

/// A value with the layer it came from, for messages that point at the right place.
struct Sourced {
    value: String,
    origin: Origin,
}

#[derive(Clone, Copy)]
enum Origin {
    /// Line and column in the config file.
    File(usize, usize),
    /// An environment variable or flag name.
    Named(&'static str),
}

impl Sourced {
    fn file(l: &Located<String>) -> Sourced {
        Sourced {
            value: l.value.clone(),
            origin: Origin::File(l.line, l.column),
        }
    }
    fn named(value: String, name: &'static str) -> Sourced {
        Sourced {
            value,
            origin: Origin::Named(name),
        }
    }
}

/// Collects problems for one load.
struct Problems {
    path: PathBuf,
    list: Vec<ConfigProblem>,
}

impl Problems {
    fn add(&mut self, origin: Option<Origin>, message: String, hint: Option<String>) {
        let (path, line, column, message) = match origin {
            Some(Origin::File(line, column)) => {
                (Some(self.path.clone()), Some(line), Some(column), message)
            }
            Some(Origin::Named(name)) => (None, None, None, format!("{name}: {message}")),
            None => (None, None, None, message),
        };
        self.list.push(ConfigProblem {
            path,
            line,
            column,
            message,
            hint,
        });
    }
}

pub(super) fn load(flags: &Flags, var: Var<'_>, mut paths: Paths, policy: KeyPolicy) -> Settings {
    let explicit = config_override(flags, var);
    if let Some(path) = &explicit {
        paths.config_file = path.clone();
    }
    let mut file_problems = Vec::new();
    let file = file::load(&paths.config_file, explicit.is_some(), &mut file_problems);
    let mut problems = Problems {
        path: paths.config_file.clone(),
        list: file_problems,
    };

    let log_level = log_level(&file, var, &mut problems);
    let order_prefix = order_prefix(&file, &mut problems);
    let seconds = |l: &Option<Located<u64>>, default: u64| {
        Duration::from_secs(l.as_ref().map(|l| l.value).unwrap_or(default))
    };
    let connect_timeout = seconds(&file.connect_timeout_secs, DEFAULT_CONNECT_TIMEOUT_SECS);
    let request_timeout = seconds(&file.request_timeout_secs, DEFAULT_REQUEST_TIMEOUT_SECS);
    let poll_interval = seconds(&file.poll_interval_secs, DEFAULT_POLL_INTERVAL_SECS);

    let mut env_names: Vec<String> = BUILTIN_ENVS.iter().map(|s| s.to_string()).collect();
    for (name, _) in &file.envs {
        if !env_names.contains(name) {
            env_names.push(name.clone());
        }
    }

    check_env_tables(&file, &mut problems);
    let (environment, demo_fallback) =
        environment(flags, var, &file, &env_names, policy, &mut problems);
    if file.envs.iter().any(|(_, e)| e.api_key.is_some()) && !file.private {
        let first = file.envs.iter().find_map(|(_, e)| e.api_key.as_ref());
        problems.add(
            first.map(|l| Origin::File(l.line, l.column)),
            "this file holds an api_key but other users on this machine may read it, \
             so paydesk refuses to use it"
                .into(),
            Some(format!("run: chmod 600 {}", paths.config_file.display())),
        );
    }

    let profile = flags
        .profile
        .clone()
        .or_else(|| environment.profile.clone())
        .or_else(|| file.profile.as_ref().map(|l| l.value.clone()))
        .unwrap_or_else(|| DEFAULT_PROFILE.to_string());
    let theme = flags
        .theme
        .clone()
        .or_else(|| file.theme.as_ref().map(|l| l.value.clone()))
        .unwrap_or_else(|| DEFAULT_THEME.to_string());

    let desk = desk_defaults(&file, &environment.name, &mut problems);
    let (operator, ask_operator) = operator(flags, var, &file, &mut problems);
    let operators = operators(&file, &mut problems);
    let ledger = ledger(&file, var, &paths.config_file, &mut problems);

    let mut list = problems.list;
    // Config-file problems first, in file order; then the rest in the order found.
    list.sort_by_key(|p| (p.path.is_none(), p.line.unwrap_or(usize::MAX), p.column));
    Settings {
        environment,
        profile,
        theme,
        log_level,
        connect_timeout,
        request_timeout,
        poll_interval,
        order_prefix,
        paths,
        problems: list,
        demo_fallback,
        env_names,
        desk,
        operator,
        operators,
        ask_operator,
        ledger,
        flags: flags.clone(),
    }
}

/// The clerk (`--operator`, else `PAYDESK_OPERATOR`, else `operator = "…"`; the first
/// valid one) and the counter (`counter = "…"`, else the host name). The bool: the desk
/// asks at start (`ask_operator = true` and neither the flag nor the variable named one).
fn operator(
    flags: &Flags,
    var: Var<'_>,
    file: &FileConfig,
    problems: &mut Problems,
) -> (Operator, bool) {
    let candidates = [
        flags
            .operator
            .clone()
            .map(|v| Sourced::named(v, "--operator")),
        env_var(var, "PAYDESK_OPERATOR").map(|v| Sourced::named(v, "PAYDESK_OPERATOR")),
        file.operator.as_ref().map(Sourced::file),
    ];
    let mut name = String::new();
    let mut named_outside_file = false;
    for candidate in candidates.into_iter().flatten() {
        match operator::check_name("operator", &candidate.value) {
            Ok(valid) => {
                named_outside_file = matches!(candidate.origin, Origin::Named(_));
                name = valid;
                break;
            }
            Err(why) => problems.add(
                Some(candidate.origin),
                format!("{why}; it is ignored"),
                Some("operator names are what the history shows, e.g. --operator asha".into()),
            ),
        }
    }
    let counter = match &file.counter {
        Some(l) => match operator::check_name("counter", &l.value) {
            Ok(valid) => Some(valid),
            Err(why) => {
                problems.add(
                    Some(Origin::File(l.line, l.column)),
                    format!("{why}; the host name is used"),
                    Some("for example counter = \"counter-3\"".into()),
                );
                None
            }
        },
        None => None,
    };
    let counter = counter.unwrap_or_else(|| {
        operator::check_name("counter", &operator::host_name()).unwrap_or_default()
    });
    let ask = file.ask_operator.as_ref().is_some_and(|l| l.value) && !named_outside_file;
    (Operator::new(name, counter), ask)
}

/// `[[operators]]`, checked: a bad or repeated name (case-insensitive) is a problem and
/// is left out; a bad display falls back to the name.
fn operators(file: &FileConfig, problems: &mut Problems) -> Vec<OperatorEntry> {
    let mut list: Vec<OperatorEntry> = Vec::new();
    for entry in &file.operators {
        let place = Some(Origin::File(entry.name.line, entry.name.column));
        let name = match operator::check_name("operator", &entry.name.value) {
            Ok(name) => name,
            Err(why) => {
                problems.add(
                    place,
                    format!("{why}; this [[operators]] entry is ignored"),
                    None,
                );
                continue;
            }
        };
        if list
            .iter()
            .any(|e| e.name.to_lowercase() == name.to_lowercase())
        {
            problems.add(
                place,
                format!("operator {name:?} is listed twice in [[operators]]; the first is kept"),
                None,
            );
            continue;
        }
        let display = entry.display.as_ref().and_then(|d| {
            operator::check_name("display", &d.value)
                .map_err(|why| {
                    problems.add(
                        Some(Origin::File(d.line, d.column)),
                        format!("{why}; the name is shown instead"),
                        None,
                    )
                })
                .ok()
        });
        list.push(OperatorEntry { name, display });
    }
    list
}

/// True when a `postgres://user:password@…` URL (or its `password=` parameter) holds a
/// password.
fn url_has_password(url: &str) -> bool {
    let Some((_, rest)) = url.split_once("://") else {
        return false;
    };
    let (authority, query) = match rest.split_once('?') {
        Some((before, query)) => (before.split('/').next().unwrap_or(""), query),
        None => (rest.split('/').next().unwrap_or(""), ""),
    };
    authority
        .rsplit_once('@')
        .is_some_and(|(userinfo, _)| userinfo.contains(':'))
        || query.split('&').any(|pair| pair.starts_with("password="))
}

/// `PAYDESK_LEDGER_URL`, else `[ledger] url`; a password written in the URL of a file
/// others may read is refused, as an `api_key` there is.
fn ledger(
    file: &FileConfig,
    var: Var<'_>,
    config_file: &std::path::Path,
    problems: &mut Problems,
) -> LedgerSettings {
    let section = file.ledger.as_ref();
    let password_cmd = section
        .and_then(|l| l.password_cmd.as_ref())
        .map(|l| l.value.clone())
        .filter(|c| !c.trim().is_empty());
    if let Some(url) = var(super::LEDGER_URL_ENV).filter(|u| !u.trim().is_empty()) {
        return LedgerSettings {
            url: Some(url),
            password_cmd,
        };
    }
    let mut url = section.and_then(|l| l.url.clone());
    if let Some(located) = &url
        && !file.private
        && url_has_password(&located.value)
    {
        problems.add(
            Some(Origin::File(located.line, located.column)),
            "this file holds the ledger's password in `url` but other users on this machine \
             may read it, so paydesk refuses to use it"
                .into(),
            Some(format!(
                "run: chmod 600 {}, or move the password to PGPASSWORD, ~/.pgpass or \
                 password_cmd",
                config_file.display()
            )),
        );
        url = None;
    }
    LedgerSettings {
        url: url.map(|l| l.value).filter(|u| !u.trim().is_empty()),
        password_cmd,
    }
}

/// `[desk]`, then the environment's `[env.NAME.desk]` over it key by key. A bad key or
/// value is a problem (with a did-you-mean) and is left out.
fn desk_defaults(file: &FileConfig, env_name: &str, problems: &mut Problems) -> DeskDefaults {
    let mut desk = DeskDefaults::default();
    let tables = [
        file.desk.as_ref(),
        file.env(env_name).and_then(|e| e.desk.as_ref()),
    ];
    for table in tables.into_iter().flatten() {
        apply_desk_table(table, &mut desk, problems);
    }
    desk
}

fn apply_desk_table(table: &FileDesk, desk: &mut DeskDefaults, problems: &mut Problems) {
    for (key, located) in &table.values {
        match check_desk_entry(key, &located.value) {
            Ok(value) => {
                desk.values.insert(key.clone(), value);
            }
            Err(message) => problems.add(
                Some(Origin::File(located.line, located.column)),
                format!("desk default {message}; it is ignored"),
                Some(
                    "[desk] holds fields as `\"metadata.agent_name\" = \"…\"`; `paydesk fields` lists \
                     the keys"
                        .into(),
                ),
            ),
        }
    }
    if let Some(l) = &table.auto_advance {
        desk.auto_advance = l.value;
    }
    if let Some(l) = &table.customer_id_from {
        match CustomerIdRule::parse(&l.value) {
            Some(rule) => desk.customer_id = Some(rule),
            None => problems.add(
                Some(Origin::File(l.line, l.column)),
                format!(
                    "customer_id_from = {:?} is not a way to make a customer ID; it is ignored",
                    l.value
                ),
                Some(format!("use one of: {}", CustomerIdRule::WORDS.join(", "))),
            ),
        }
    }
}

fn log_level(file: &FileConfig, var: Var<'_>, problems: &mut Problems) -> String {
    let candidates = [
        env_var(var, "PAYDESK_LOG").map(|v| Sourced::named(v, "PAYDESK_LOG")),
        file.log_level.as_ref().map(Sourced::file),
    ];
    for candidate in candidates.into_iter().flatten() {
        if valid_log_filter(&candidate.value) {
            return candidate.value;
        }
        problems.add(
            Some(candidate.origin),
            format!("{:?} is not a log level; it is ignored", candidate.value),
            Some(
                "use one of error, warn, info, debug, trace, off \
                 (or a filter such as paydesk=debug)"
                    .into(),
            ),
        );
    }
    DEFAULT_LOG_LEVEL.to_string()
}

/// Every comma-separated part is a level, or `target=level`.
fn valid_log_filter(filter: &str) -> bool {
    const LEVELS: &[&str] = &["error", "warn", "info", "debug", "trace", "off"];
    let is_level = |s: &str| LEVELS.contains(&s.trim().to_ascii_lowercase().as_str());
    !filter.trim().is_empty()
        && filter.split(',').all(|part| match part.split_once('=') {
            Some((target, level)) => !target.trim().is_empty() && is_level(level),
            None => is_level(part),
        })
        && tracing_subscriber::EnvFilter::try_new(filter).is_ok()
}

fn order_prefix(file: &FileConfig, problems: &mut Problems) -> String {
    let Some(located) = &file.order_prefix else {
        return DEFAULT_ORDER_PREFIX.to_string();
    };
    let value = &located.value;
    let ok = value.len() <= 10
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if ok {
        return value.clone();
    }
    problems.add(
        Some(Origin::File(located.line, located.column)),
        "order_prefix may hold only letters, digits, _ and -, at most 10 characters; \
         the default is used"
            .into(),
        Some(format!(
            "for example order_prefix = \"{DEFAULT_ORDER_PREFIX}\""
        )),
    );
    DEFAULT_ORDER_PREFIX.to_string()
}

/// Picks and builds the environment. The bool is `demo_fallback`.
fn environment(
    flags: &Flags,
    var: Var<'_>,
    file: &FileConfig,
    env_names: &[String],
    policy: KeyPolicy,
    problems: &mut Problems,
) -> (Environment, bool) {
    if flags.demo
        && let Some(other) = flags.env.as_deref().filter(|e| *e != "demo")
    {
        problems.add(
            None,
            format!("both --demo and --env {other} were given; demo is used"),
            Some("give only one of them".into()),
        );
    }
    let chosen = if flags.demo {
        Some(Sourced::named("demo".into(), "--demo"))
    } else {
        flags
            .env
            .clone()
            .map(|v| Sourced::named(v, "--env"))
            .or_else(|| env_var(var, "PAYDESK_ENV").map(|v| Sourced::named(v, "PAYDESK_ENV")))
            .or_else(|| file.default_env.as_ref().map(Sourced::file))
    };
    let url_override = flags
        .base_url
        .clone()
        .map(|v| Sourced::named(v, "--base-url"))
        .or_else(|| env_var(var, "JUSPAY_BASE_URL").map(|v| Sourced::named(v, "JUSPAY_BASE_URL")));

    let mut demo_fallback = false;
    let name = match chosen {
        Some(chosen) if env_names.contains(&chosen.value) => chosen.value,
        Some(chosen) if chosen.value == CUSTOM_ENV && url_override.is_some() => chosen.value,
        Some(chosen) => {
            let known: Vec<&str> = env_names.iter().map(String::as_str).collect();
            let hint = match file::suggest(&chosen.value, &known) {
                Some(near) => format!("did you mean {near:?}? known: {}", known.join(", ")),
                None => format!(
                    "known environments: {}; add others as [env.NAME] with a base_url",
                    known.join(", ")
                ),
            };
            problems.add(
                Some(chosen.origin),
                format!(
                    "there is no environment named {:?}; demo is used",
                    chosen.value
                ),
                Some(hint),
            );
            "demo".to_string()
        }
        None if url_override.is_some() => CUSTOM_ENV.to_string(),
        None => {
            let sandbox_has_key = file.env("sandbox").is_some_and(FileEnv::has_key_source);
            if env_var(var, "JUSPAY_API_KEY").is_some() || sandbox_has_key {
                "sandbox".to_string()
            } else {
                demo_fallback = true;
                "demo".to_string()
            }
        }
    };
    // A base URL for demo means "talk to that server instead of the embedded one".
    let name = if name == "demo" && url_override.is_some() {
        CUSTOM_ENV.to_string()
    } else {
        name
    };
    let file_env = file.env(&name);

    if name == "demo" {
        let mut env = Environment::demo();
        if let Some(file_env) = file_env {
            demo_table(file_env, &mut env);
        }
        return (env, demo_fallback);
    }

    let (kind, builtin_url) = match name.as_str() {
        "sandbox" => (EnvKind::Sandbox, Some(SANDBOX_URL)),
        "production" => (EnvKind::Production, Some(PRODUCTION_URL)),
        _ => (EnvKind::Custom, None),
    };
    let raw_url = url_override
        .or_else(|| {
            file_env
                .and_then(|e| e.base_url.as_ref())
                .map(Sourced::file)
        })
        .or_else(|| builtin_url.map(|u| Sourced::named(u.into(), "built-in")));
    // Values from the file were checked (and reported) by `check_env_tables`.
    let base_url = raw_url.and_then(|raw| match base_url::normalize(&raw.value) {
        Ok(url) => Some(url),
        Err(message) => {
            if let Origin::Named(_) = raw.origin {
                problems.add(
                    Some(raw.origin),
                    format!("{message}; nothing will be sent to environment {name:?}"),
                    None,
                );
            }
            None
        }
    });
    // Against a server on this machine with no credentials of its own, use the demo ones:
    // that is the emulator (`paydesk emulator`) in its default setup.
    let loopback = base_url.as_deref().is_some_and(base_url::is_loopback_url);
    let inherit_demo = kind == EnvKind::Custom && loopback;

    let file_str = |get: fn(&FileEnv) -> &Option<Located<String>>| {
        file_env
            .and_then(|e| get(e).as_ref())
            .map(|l| l.value.clone())
    };
    let merchant_id = flags
        .merchant_id
        .clone()
        .or_else(|| env_var(var, "JUSPAY_MERCHANT_ID"))
        .or_else(|| file_str(|e| &e.merchant_id))
        .or_else(|| inherit_demo.then(|| DEMO_MERCHANT_ID.to_string()))
        .unwrap_or_default();
    let client_id = env_var(var, "JUSPAY_CLIENT_ID")
        .or_else(|| file_str(|e| &e.client_id))
        .or_else(|| inherit_demo.then(|| DEMO_CLIENT_ID.to_string()))
        .unwrap_or_default();
    let return_url = return_url(file_env);
    let profile = file_str(|e| &e.profile);

    let mut env = Environment {
        name,
        kind,
        base_url,
        merchant_id,
        client_id,
        return_url,
        profile,
        api_key: None,
        key_problem: None,
        key_source: KeySource::None,
    };
    resolve_key(
        &mut env,
        var,
        file,
        file_env,
        inherit_demo,
        policy,
        problems,
    );
    (env, demo_fallback)
}

/// Checks every `[env.NAME]` table, selected or not, so `config check` sees them all.
fn check_env_tables(file: &FileConfig, problems: &mut Problems) {
    for (name, env) in &file.envs {
        if name == "demo" {
            check_demo_table(env, problems);
        }
        if let Some(url) = &env.base_url
            && let Err(message) = base_url::normalize(&url.value)
        {
            problems.add(
                Some(Origin::File(url.line, url.column)),
                format!("{message}; nothing will be sent to environment {name:?}"),
                Some(format!(
                    "for example base_url = \"https://sandbox.juspay.in\" under [env.{name}]"
                )),
            );
        }
        let builtin = BUILTIN_ENVS.contains(&name.as_str());
        if env.base_url.is_none() && !builtin {
            problems.add(
                Some(Origin::File(env.line, env.column)),
                format!("environment {name:?} has no base_url; nothing will be sent to it"),
                Some(format!("add base_url = \"https://…\" under [env.{name}]")),
            );
        }
        if let Some(located) = &env.return_url
            && return_url(Some(env)).is_none()
        {
            problems.add(
                Some(Origin::File(located.line, located.column)),
                "return_url must be a web address starting with https:// (or http://); \
                 it is ignored"
                    .into(),
                Some("for example return_url = \"https://shop.example.com/thanks\"".into()),
            );
        }
    }
}

/// `[env.demo]` may set only the profile and return URL: the emulator's credentials are
/// fixed.
fn demo_table(file_env: &FileEnv, env: &mut Environment) {
    env.return_url = return_url(Some(file_env));
    env.profile = file_env.profile.as_ref().map(|l| l.value.clone());
}

fn check_demo_table(file_env: &FileEnv, problems: &mut Problems) {
    let fixed = [
        (
            "base_url",
            file_env.base_url.as_ref().map(|l| (l.line, l.column)),
        ),
        (
            "merchant_id",
            file_env.merchant_id.as_ref().map(|l| (l.line, l.column)),
        ),
        (
            "client_id",
            file_env.client_id.as_ref().map(|l| (l.line, l.column)),
        ),
        (
            "api_key_cmd",
            file_env.api_key_cmd.as_ref().map(|l| (l.line, l.column)),
        ),
        (
            "api_key",
            file_env.api_key.as_ref().map(|l| (l.line, l.column)),
        ),
    ];
    for (key, place) in fixed {
        if let Some((line, column)) = place {
            problems.add(
                Some(Origin::File(line, column)),
                format!("{key} under [env.demo] is ignored: demo always uses the built-in emulator and its credentials"),
                Some(format!(
                    "to talk to another server, make a new section such as [env.staging] with {key}"
                )),
            );
        }
    }
}

/// The table's return URL when it looks like a web address.
fn return_url(file_env: Option<&FileEnv>) -> Option<String> {
    let value = file_env?.return_url.as_ref()?.value.trim();
    let web = value.starts_with("https://") || value.starts_with("http://");
    (web && value.len() > "https://".len()).then(|| value.to_string())
}

/// JUSPAY_API_KEY, else `api_key_cmd`, else `api_key` from a private file.
fn resolve_key(
    env: &mut Environment,
    var: Var<'_>,
    file: &FileConfig,
    file_env: Option<&FileEnv>,
    inherit_demo: bool,
    policy: KeyPolicy,
    problems: &mut Problems,
) {
    let section = format!("[env.{}]", env.name);
    if let Some(key) = env_var(var, "JUSPAY_API_KEY") {
        env.api_key = Some(ApiKey::new(key));
        env.key_source = KeySource::EnvVar;
        return;
    }
    if let Some(cmd) = file_env.and_then(|e| e.api_key_cmd.as_ref()) {
        // The source is known without running the command; only the key is missing.
        env.key_source = KeySource::Command;
        if policy == KeyPolicy::Skip {
            env.key_problem = Some(format!(
                "api_key_cmd under {section} was not run because this command sends nothing"
            ));
            return;
        }
        match key_cmd::run(&cmd.value) {
            Ok(key) => env.api_key = Some(key),
            Err(why) => {
                env.key_source = KeySource::None;
                let message =
                    format!("api_key_cmd under {section} gave no key: {why}; nothing will be sent");
                problems.add(
                    Some(Origin::File(cmd.line, cmd.column)),
                    message.clone(),
                    Some("run the command in a shell to see what it prints; it must print only the key".into()),
                );
                env.key_problem = Some(message);
            }
        }
        return;
    }
    if let Some(key) = file_env.and_then(|e| e.api_key.as_ref()) {
        if file.private {
            env.api_key = Some(key.value.clone());
            env.key_source = KeySource::ConfigFile;
        } else {
            // The problem itself is reported once for the whole file by the caller.
            env.key_problem = Some(format!(
                "the api_key in {} is not used because other users may read the file; \
                 run: chmod 600 {}",
                problems.path.display(),
                problems.path.display()
            ));
        }
        return;
    }
    if inherit_demo {
        env.api_key = Some(ApiKey::new(DEMO_API_KEY));
        env.key_source = KeySource::Demo;
        return;
    }
    let path = problems.path.display();
    env.key_problem = Some(format!(
        "No API key for environment {:?}, so nothing will be sent. Give one in any of three \
         ways: set JUSPAY_API_KEY; or add api_key_cmd = \"pass show juspay/{}\" (a command \
         that prints the key) under {section} in {path}; or add api_key = \"…\" under \
         {section} in {path} and run chmod 600 {path}.",
        env.name, env.name
    ));
}
