//! `paydesk config path|check`.

use std::process::ExitCode;

use super::{ConfigCmd, GlobalArgs, exit};
use crate::config::{self, KeySource, Settings};
use crate::paths::Paths;
use crate::session::desk::CustomerIdRule;
use crate::session::{ProfileSet, suggest};
use crate::tui::theme::{self, Theme};

pub fn run(cmd: &ConfigCmd, global: &GlobalArgs) -> ExitCode {
    match cmd {
        ConfigCmd::Path => path(global),
        ConfigCmd::Check => check(global),
    }
}

/// Prints where everything lives. Reads no config, runs no key command.
fn path(global: &GlobalArgs) -> ExitCode {
    let config_override = global.config.clone().or_else(|| {
        std::env::var_os("PAYDESK_CONFIG")
            .filter(|v| !v.is_empty())
            .map(Into::into)
    });
    match Paths::discover(config_override) {
        Ok(paths) => {
            print!("{}", path_lines(&paths));
            ExitCode::from(exit::OK)
        }
        Err(message) => {
            eprintln!("{message}");
            ExitCode::from(exit::OTHER)
        }
    }
}

/// One labelled line per place, aligned.
fn path_lines(paths: &Paths) -> String {
    let missing = if paths.config_file.exists() {
        ""
    } else {
        "  (not created yet)"
    };
    let rows = [
        (
            "config file",
            format!("{}{missing}", paths.config_file.display()),
        ),
        ("data directory", paths.data_dir.display().to_string()),
        ("history DB", paths.history_db().display().to_string()),
        ("log file", paths.log_file().display().to_string()),
        ("saved QR codes", paths.qr_dir().display().to_string()),
        ("user themes", paths.themes_dir().display().to_string()),
        ("user profiles", paths.profiles_dir().display().to_string()),
    ];
    rows.iter()
        .map(|(label, value)| format!("{:<16}{value}\n", format!("{label}:")))
        .collect()
}

/// Loads the settings as every command would and reports on them: exit 2 on any problem.
fn check(global: &GlobalArgs) -> ExitCode {
    let settings = Settings::load(&global.flags(), &|name| std::env::var(name).ok());
    let file = &settings.paths.config_file;
    let env = &settings.environment;
    let mut failed = !settings.problems.is_empty();
    config::print_problems(&settings.problems);
    // A chosen environment that cannot send is a configuration problem too.
    if let Some(refusal) = env.send_problem() {
        eprintln!("{refusal}");
        failed = true;
    }
    // So are a theme or profile name that names nothing (the desk would fall back).
    for problem in unknown_names(&settings) {
        eprintln!("{problem}");
        failed = true;
    }
    if failed {
        let count = settings.problems.len();
        eprintln!(
            "config check failed: {count} problem{} in the settings (file {})",
            if count == 1 { "" } else { "s" },
            file.display()
        );
        return ExitCode::from(exit::INVALID);
    }
    if file.exists() {
        println!("config OK: {}", file.display());
    } else {
        println!(
            "no config file at {}; built-in defaults are used",
            file.display()
        );
    }
    println!("{}", summary(&settings));
    print!("{}", desk_lines(&settings));
    if let Some(notice) = settings.demo_fallback_notice() {
        println!("{notice}");
    }
    ExitCode::from(exit::OK)
}

/// The configured theme and profile when no such theme or profile exists, each with a
/// did-you-mean among the built-in and user-defined names.
fn unknown_names(settings: &Settings) -> Vec<String> {
    let mut problems = Vec::new();
    let (profiles, _) = ProfileSet::load(Some(&settings.paths.profiles_dir()));
    if let Err(message) = profiles.get_or_explain(&settings.profile) {
        problems.push(format!("profile: {message}"));
    }
    let themes_dir = settings.paths.themes_dir();
    if let (_, Some(problem)) = Theme::load(&settings.theme, Some(&themes_dir)) {
        let mut names: Vec<String> = theme::BUILTIN.iter().map(|n| n.to_string()).collect();
        if let Ok(entries) = std::fs::read_dir(&themes_dir) {
            names.extend(entries.filter_map(Result::ok).filter_map(|e| {
                let path = e.path();
                let toml = path.extension().is_some_and(|x| x == "toml");
                toml.then(|| path.file_stem()?.to_str().map(str::to_string))
                    .flatten()
            }));
        }
        let hint = suggest::hint(&settings.theme, names.iter().map(String::as_str));
        problems.push(format!("theme {:?}: {problem}{hint}", settings.theme));
    }
    problems
}

/// The desk defaults in effect, one per line (empty when there are none).
fn desk_lines(settings: &Settings) -> String {
    let desk = &settings.desk;
    let mut out: String = desk
        .values
        .iter()
        .map(|(key, value)| {
            format!(
                "desk default {key} = {}\n",
                crate::text::sanitize_line(value)
            )
        })
        .collect();
    if let Some(rule) = desk.customer_id {
        let how = match rule {
            CustomerIdRule::Phone => "from the mobile number".to_string(),
            CustomerIdRule::Random => format!(
                "as {}<8 random letters and digits>",
                crate::text::sanitize_line(&settings.order_prefix)
            ),
        };
        out.push_str(&format!("walk-in customer ID: generated {how}\n"));
    }
    if desk.auto_advance {
        out.push_str("auto_advance: the cursor leaves a field once its value is complete\n");
    }
    out
}

/// What the desk would run with (never the key itself).
fn summary(settings: &Settings) -> String {
    let env = &settings.environment;
    let url = env.base_url.as_deref().unwrap_or("built-in emulator");
    let key = match env.key_source {
        KeySource::None => "none",
        KeySource::Demo => "demo key",
        KeySource::EnvVar => "from JUSPAY_API_KEY",
        KeySource::Command => "from api_key_cmd",
        KeySource::ConfigFile => "from the config file",
    };
    let merchant = if env.merchant_id.is_empty() {
        "(none)"
    } else {
        env.merchant_id.as_str()
    };
    format!(
        "environment {} ({url}), merchant {merchant}, key {key}, profile {}, theme {}",
        env.name, settings.profile, settings.theme
    )
}
