//! `paydesk fields`, `paydesk profiles`, `paydesk validate`.

use std::path::Path;
use std::process::ExitCode;

use serde_json::{Value, json};

use super::output::{json_out, stderr_text as err, stdout_text as out};
use super::{GlobalArgs, exit};
use crate::config::Settings;
use crate::session::catalogue::Section;
use crate::session::wire::{ImportError, import_str_with_changes};
use crate::session::{FormField, Kind, Profile, ProfileError, ProfileSet, ProfileSource};

/// What the three commands share: the effective profile name and every profile.
struct Loaded {
    settings: Settings,
    profile_name: String,
    profiles: ProfileSet,
    errors: Vec<ProfileError>,
}

impl Loaded {
    fn load(global: &GlobalArgs) -> Loaded {
        // These commands never send, so a password manager must not prompt for the key.
        let settings =
            Settings::load_without_key(&global.flags(), &|name| std::env::var(name).ok());
        let (profiles, errors) = ProfileSet::load(Some(&settings.paths.profiles_dir()));
        Loaded {
            profile_name: settings.profile.clone(),
            settings,
            profiles,
            errors,
        }
    }

    /// [`Loaded::load`], or exit 2 after printing the config's problems.
    fn load_checked(global: &GlobalArgs) -> Result<Loaded, ExitCode> {
        let loaded = Loaded::load(global);
        match super::config_problems(&loaded.settings) {
            Some(code) => Err(code),
            None => Ok(loaded),
        }
    }

    /// The profile in effect, or prints why not (with the broken file if that is the
    /// reason) and gives the exit code.
    fn profile(&self) -> Result<&Profile, ExitCode> {
        self.profiles
            .get_or_explain(&self.profile_name)
            .map_err(|message| {
                let mut text = format!("{message}\n");
                for e in &self.errors {
                    text.push_str(&format!("a profile file was skipped: {e}\n"));
                }
                err(&text);
                ExitCode::from(exit::INVALID)
            })
    }
}

// ── paydesk fields ─────────────────────────────────────────────────────────────────────

pub fn fields(global: &GlobalArgs, json: bool) -> ExitCode {
    let loaded = match Loaded::load_checked(global) {
        Ok(loaded) => loaded,
        Err(code) => return code,
    };
    let profile = match loaded.profile() {
        Ok(p) => p,
        Err(code) => return code,
    };
    let rows: Vec<(FormField, bool)> = Section::ALL
        .iter()
        .flat_map(|tab| {
            let visible = profile.tabs.contains(tab);
            profile
                .tab_fields(*tab)
                .into_iter()
                .map(move |f| (f, visible))
        })
        .collect();
    if json {
        let list: Vec<Value> = rows
            .iter()
            .map(|(f, visible)| field_json(profile, f, *visible))
            .collect();
        json_out(&Value::Array(list));
    } else {
        out(&fields_text(profile, &rows));
    }
    ExitCode::from(exit::OK)
}

fn field_json(profile: &Profile, f: &FormField, visible: bool) -> Value {
    let spellings: serde_json::Map<String, Value> = f
        .allowed
        .iter()
        .zip(&f.sent_as)
        .filter(|(canonical, wire)| canonical != wire)
        .map(|(canonical, wire)| (canonical.clone(), Value::String(wire.clone())))
        .collect();
    json!({
        "key": f.key,
        "label": f.label,
        "section": f.section.id(),
        "kind": f.kind.id(),
        "required": f.required,
        "allowed": f.allowed,
        "sent_as": spellings,
        "help": f.help,
        "example": f.example,
        "fixed": profile.fixed.get(&f.key),
        "default": profile.defaults.get(&f.key),
        "visible": visible,
        "custom": f.custom,
    })
}

fn fields_text(profile: &Profile, rows: &[(FormField, bool)]) -> String {
    let mut text = format!("Fields under the {} profile", profile.name);
    if !profile.description.is_empty() {
        text.push_str(&format!(" ({})", profile.description));
    }
    text.push_str("\n* required   = fixed by the profile\n");
    let key_width = rows
        .iter()
        .map(|(f, _)| crate::text::width(&f.key))
        .max()
        .unwrap_or(0);
    let label_width = rows
        .iter()
        .map(|(f, _)| crate::text::width(&f.label))
        .max()
        .unwrap_or(0);
    let mut current: Option<Section> = None;
    for (f, visible) in rows {
        if current != Some(f.section) {
            current = Some(f.section);
            let note = if *visible {
                ""
            } else {
                "  (tab hidden by this profile)"
            };
            text.push_str(&format!("\n{}{note}\n", f.section.title()));
        }
        let mark = if profile.fixed.contains_key(&f.key) {
            '='
        } else if f.required {
            '*'
        } else {
            ' '
        };
        let mut line = format!(
            "  {mark} {}  {}  {}",
            crate::text::pad_right(&f.key, key_width),
            crate::text::pad_right(&f.label, label_width),
            f.kind.id()
        );
        if !f.allowed.is_empty() {
            let values: Vec<String> = f
                .allowed
                .iter()
                .zip(&f.sent_as)
                .map(|(c, w)| {
                    if c == w {
                        c.clone()
                    } else {
                        format!("{c} (sent as {w:?})")
                    }
                })
                .collect();
            let open = if f.kind == Kind::Currency {
                ", or any 3-letter code"
            } else {
                ""
            };
            line.push_str(&format!("  [{}{open}]", values.join(" | ")));
        }
        if let Some(v) = profile.fixed.get(&f.key) {
            line.push_str(&format!("  always {v:?}"));
        } else if let Some(v) = profile.defaults.get(&f.key) {
            line.push_str(&format!("  default {v:?}"));
        }
        if f.custom {
            line.push_str("  (custom)");
        }
        text.push_str(line.trim_end());
        text.push('\n');
    }
    text
}

// ── paydesk profiles ───────────────────────────────────────────────────────────────────

pub fn profiles(global: &GlobalArgs, json: bool) -> ExitCode {
    let loaded = match Loaded::load_checked(global) {
        Ok(loaded) => loaded,
        Err(code) => return code,
    };
    let builtin = ProfileSet::builtin();
    let source_of = |p: &Profile| match &p.source {
        ProfileSource::BuiltIn => "built-in".to_string(),
        ProfileSource::File(path) if builtin.get(&p.name).is_some() => {
            format!("{} (replaces the built-in)", path.display())
        }
        ProfileSource::File(path) => path.display().to_string(),
    };
    if json {
        let list: Vec<Value> = loaded
            .profiles
            .profiles
            .iter()
            .map(|p| {
                json!({
                    "name": p.name,
                    "description": p.description,
                    "source": match &p.source {
                        ProfileSource::BuiltIn => Value::from("built-in"),
                        ProfileSource::File(path) => Value::from(path.display().to_string()),
                    },
                    "replaces_builtin": matches!(p.source, ProfileSource::File(_))
                        && builtin.get(&p.name).is_some(),
                    "active": p.name == loaded.profile_name,
                    "tabs": p.tabs.iter().map(|t| t.id()).collect::<Vec<_>>(),
                    "required": p.required,
                    "order_id_pattern": p.order_id_pattern,
                })
            })
            .collect();
        let errors: Vec<Value> = loaded
            .errors
            .iter()
            .map(|e| json!({"path": e.path.display().to_string(), "line": e.line, "message": e.message}))
            .collect();
        json_out(&json!({"profiles": list, "errors": errors}));
    } else {
        let width = loaded
            .profiles
            .profiles
            .iter()
            .map(|p| crate::text::width(&p.name))
            .max()
            .unwrap_or(0);
        let mut text = String::new();
        for p in &loaded.profiles.profiles {
            let mark = if p.name == loaded.profile_name {
                '*'
            } else {
                ' '
            };
            let name = crate::text::pad_right(&p.name, width);
            text.push_str(&format!("{mark} {name}  {}\n", p.description));
            text.push_str(&format!("  {:<width$}  from {}\n", "", source_of(p)));
        }
        text.push_str("* = the profile in use (change it with --profile or profile = \"...\" in the config)\n");
        out(&text);
        if !loaded.errors.is_empty() {
            let mut text = String::from("\nThese profile files have problems and were skipped:\n");
            for e in &loaded.errors {
                text.push_str(&format!("  {e}\n"));
            }
            err(&text);
        }
    }
    if loaded.errors.is_empty() {
        ExitCode::from(exit::OK)
    } else {
        ExitCode::from(exit::INVALID)
    }
}

// ── paydesk validate ───────────────────────────────────────────────────────────────────

/// `strict`: values normalisation changed are listed (`key: written as …`) and make the
/// file fail, for developers who want to see exactly what a lender receives.
pub fn validate(global: &GlobalArgs, file: &Path, strict: bool) -> ExitCode {
    let text = match crate::files::read_text(file) {
        Ok(text) => text,
        Err(e) => {
            err(&format!("cannot read {}: {e}\n", file.display()));
            return ExitCode::from(exit::OTHER);
        }
    };
    let loaded = match Loaded::load_checked(global) {
        Ok(loaded) => loaded,
        Err(code) => return code,
    };
    let profile = match loaded.profile() {
        Ok(p) => p,
        Err(code) => return code,
    };
    let (form, changes) = match import_str_with_changes(&text, profile) {
        Ok(imported) => imported,
        Err(ImportError::NotJson(why)) => {
            err(&format!("{} is not JSON: {why}\n", file.display()));
            return ExitCode::from(exit::OTHER);
        }
        Err(e @ ImportError::NotObject(_)) => {
            err(&format!("{}: {e}\n", file.display()));
            return ExitCode::from(exit::INVALID);
        }
    };
    let mut problems = crate::session::validate_at(&form, profile, super::context::today());
    if strict {
        let reported: Vec<crate::session::Problem> = changes
            .iter()
            .filter(|c| !problems.iter().any(|p| p.key == c.key))
            .map(|c| crate::session::Problem {
                key: c.key.clone(),
                // As the lender receives it: an enum in the profile's spelling.
                message: format!(
                    "written as {} (the file has {:?})",
                    profile.spelling(&c.key, &c.to),
                    crate::text::sanitize_line(&c.from)
                ),
            })
            .collect();
        problems.extend(reported);
    }
    if problems.is_empty() {
        err(&format!(
            "{}: valid under the {} profile\n",
            file.display(),
            profile.name
        ));
        return ExitCode::from(exit::OK);
    }
    let lines: String = problems
        .iter()
        .map(|p| format!("{}: {}\n", p.key, p.message))
        .collect();
    out(&lines);
    let n = problems.len();
    err(&format!(
        "{}: {n} problem{} under the {} profile\n",
        file.display(),
        if n == 1 { "" } else { "s" },
        profile.name
    ));
    ExitCode::from(exit::INVALID)
}
