//! Colour themes from TOML: the three built-ins (compiled in) and the user's own files in
//! the config directory. A slot a file leaves out keeps the dark theme's style, so a user
//! theme can change one colour. The QR code never uses the theme.

use std::path::Path;
use std::str::FromStr;

use ratatui::style::{Color, Modifier, Style};
use serde::Deserialize;

const DARK: &str = include_str!("../../themes/dark.toml");
const LIGHT: &str = include_str!("../../themes/light.toml");
const HIGH_CONTRAST: &str = include_str!("../../themes/high-contrast.toml");

/// Names of the built-in themes.
pub const BUILTIN: [&str; 3] = ["dark", "light", "high-contrast"];

/// A colour or a full style, as written in a theme file.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
enum StyleSpec {
    /// Just the foreground colour: `error = "red"`.
    Fg(String),
    Full(FullSpec),
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FullSpec {
    fg: Option<String>,
    bg: Option<String>,
    #[serde(default)]
    bold: bool,
    #[serde(default)]
    italic: bool,
    #[serde(default)]
    underline: bool,
    #[serde(default)]
    reversed: bool,
    #[serde(default)]
    dim: bool,
}

fn color(text: &str) -> Result<Color, String> {
    Color::from_str(text).map_err(|_| {
        format!("{text:?} is not a colour (use a name such as \"red\", \"#rrggbb\" or 0-255)")
    })
}

impl StyleSpec {
    fn style(&self) -> Result<Style, String> {
        match self {
            StyleSpec::Fg(c) => Ok(Style::new().fg(color(c)?)),
            StyleSpec::Full(spec) => {
                let mut style = Style::new();
                if let Some(fg) = &spec.fg {
                    style = style.fg(color(fg)?);
                }
                if let Some(bg) = &spec.bg {
                    style = style.bg(color(bg)?);
                }
                let flags = [
                    (spec.bold, Modifier::BOLD),
                    (spec.italic, Modifier::ITALIC),
                    (spec.underline, Modifier::UNDERLINED),
                    (spec.reversed, Modifier::REVERSED),
                    (spec.dim, Modifier::DIM),
                ];
                for (on, m) in flags {
                    if on {
                        style = style.add_modifier(m);
                    }
                }
                Ok(style)
            }
        }
    }
}

macro_rules! slots {
    ($($(#[$doc:meta])* $slot:ident),* $(,)?) => {
        /// Every style the screen uses, by purpose.
        #[derive(Debug, Clone, PartialEq)]
        pub struct Theme {
            pub name: String,
            $($(#[$doc])* pub $slot: Style,)*
        }

        #[derive(Debug, Deserialize)]
        #[serde(deny_unknown_fields)]
        struct ThemeFile {
            #[serde(default)]
            name: Option<String>,
            $(#[serde(default)] $slot: Option<StyleSpec>,)*
        }

        impl Theme {
            fn from_file(file: ThemeFile, base: &Theme) -> Result<Theme, String> {
                Ok(Theme {
                    name: file.name.unwrap_or_else(|| base.name.clone()),
                    $($slot: match &file.$slot {
                        Some(spec) => spec.style().map_err(|e| format!("{}: {e}", stringify!($slot)))?,
                        None => base.$slot,
                    },)*
                })
            }

            fn map_styles(&self, f: impl Fn(Style) -> Style) -> Theme {
                Theme { name: self.name.clone(), $($slot: f(self.$slot),)* }
            }

            /// Slot names, for error messages and docs.
            pub const SLOTS: &'static [&'static str] = &[$(stringify!($slot)),*];
        }
    };
}

slots! {
    /// The whole screen (background).
    base,
    text,
    muted,
    border,
    border_focus,
    title,
    tab,
    tab_active,
    label,
    label_focus,
    required,
    value,
    /// The text input in focus.
    input,
    placeholder,
    fixed,
    error,
    warning,
    success,
    info,
    selection,
    /// Key names in the footer and help.
    key,
    badge_demo,
    badge_sandbox,
    badge_production,
    badge_custom,
    status_paid,
    status_failed,
    status_pending,
    status_unknown,
    toast,
    banner,
    link,
}

/// A theme that could not be used: which file, which line, what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ThemeProblem {
    pub source: String,
    pub line: Option<usize>,
    pub message: String,
}

impl std::fmt::Display for ThemeProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.line {
            Some(line) => write!(f, "theme {} line {line}: {}", self.source, self.message),
            None => write!(f, "theme {}: {}", self.source, self.message),
        }
    }
}

fn line_of(text: &str, offset: usize) -> usize {
    text.get(..offset).unwrap_or(text).matches('\n').count() + 1
}

impl Theme {
    /// The built-in dark theme; the fallback for everything.
    pub fn dark() -> Theme {
        // The embedded file is checked by a unit test; should it ever break, a plain theme
        // keeps the desk usable rather than panicking.
        Theme::parse(DARK, "dark", None).unwrap_or_else(|_| Theme::plain())
    }

    /// A theme without any colour: modifiers only.
    fn plain() -> Theme {
        let s = Style::new();
        let bold = s.add_modifier(Modifier::BOLD);
        let rev = s.add_modifier(Modifier::REVERSED);
        Theme {
            name: "plain".into(),
            base: s,
            text: s,
            muted: s.add_modifier(Modifier::DIM),
            border: s,
            border_focus: bold,
            title: bold,
            tab: s,
            tab_active: rev,
            label: s,
            label_focus: bold,
            required: bold,
            value: s,
            input: s.add_modifier(Modifier::UNDERLINED),
            placeholder: s.add_modifier(Modifier::DIM),
            fixed: s.add_modifier(Modifier::DIM),
            error: bold,
            warning: bold,
            success: bold,
            info: s,
            selection: rev,
            key: bold,
            badge_demo: rev,
            badge_sandbox: rev,
            badge_production: rev.add_modifier(Modifier::BOLD),
            badge_custom: rev,
            status_paid: rev.add_modifier(Modifier::BOLD),
            status_failed: rev.add_modifier(Modifier::BOLD),
            status_pending: bold,
            status_unknown: bold,
            toast: rev,
            banner: bold,
            link: s.add_modifier(Modifier::UNDERLINED),
        }
    }

    /// Parses theme TOML; slots left out keep `base`'s style (dark when `None`).
    pub fn parse(text: &str, source: &str, base: Option<&Theme>) -> Result<Theme, ThemeProblem> {
        let problem = |line: Option<usize>, message: String| ThemeProblem {
            source: source.to_string(),
            line,
            message,
        };
        let file: ThemeFile = toml::from_str(text).map_err(|e| {
            let line = e.span().map(|s| line_of(text, s.start));
            problem(line, e.message().trim().to_string())
        })?;
        let plain;
        let base = match base {
            Some(b) => b,
            None => {
                plain = Theme::plain();
                &plain
            }
        };
        Theme::from_file(file, base).map_err(|message| {
            // Point at the slot's line when the colour value itself is wrong: the line whose
            // key is the slot (`label = …`, `"label" = …`, `label.fg = …` or `[label]`), not
            // merely one starting with it (`label_focus`; found by tests/fuzz_theme.rs).
            let slot = message.split(':').next().unwrap_or("");
            let key_of = |l: &str| {
                let l = l.trim_start();
                let l = l.strip_prefix('[').unwrap_or(l);
                l.split(|c: char| c == '=' || c == '.' || c == ']' || c.is_whitespace())
                    .next()
                    .unwrap_or("")
                    .trim_matches(|c| c == '"' || c == '\'')
                    .to_string()
            };
            let line = text
                .lines()
                .position(|l| !slot.is_empty() && key_of(l) == slot)
                .map(|i| i + 1);
            problem(line, message)
        })
    }

    /// The theme called `name`: a user file `<themes_dir>/<name>.toml` first, then the
    /// built-ins. A missing or broken theme gives the dark theme and a problem to show.
    pub fn load(name: &str, themes_dir: Option<&Path>) -> (Theme, Option<ThemeProblem>) {
        let dark = Theme::dark();
        if let Some(dir) = themes_dir {
            let path = dir.join(format!("{name}.toml"));
            if let Ok(text) = crate::files::read_text(&path) {
                let source = path.display().to_string();
                return match Theme::parse(&text, &source, Some(&dark)) {
                    Ok(theme) => (theme, None),
                    Err(p) => (dark, Some(p)),
                };
            }
        }
        let builtin = match name {
            "dark" => return (dark, None),
            "light" => LIGHT,
            "high-contrast" => HIGH_CONTRAST,
            other => {
                let problem = ThemeProblem {
                    source: other.to_string(),
                    line: None,
                    message: format!(
                        "no such theme; built-in themes are {}, or put {other}.toml in {}",
                        BUILTIN.join(", "),
                        themes_dir
                            .map(|d| d.display().to_string())
                            .unwrap_or_else(|| "the themes directory".into())
                    ),
                };
                return (dark, Some(problem));
            }
        };
        match Theme::parse(builtin, name, Some(&dark)) {
            Ok(theme) => (theme, None),
            Err(p) => (dark, Some(p)),
        }
    }

    /// The same theme with every colour removed (for `NO_COLOR`): modifiers stay, so focus,
    /// badges and problems remain visible.
    pub fn without_colors(&self) -> Theme {
        let plain = Theme::plain();
        let stripped = self.map_styles(|s| {
            let mut s = s;
            s.fg = None;
            s.bg = None;
            s
        });
        // Where a slot relied on colour alone, use the plain theme's modifiers.
        let mut out = stripped.clone();
        macro_rules! keep_visible {
            ($($slot:ident),*) => {$(
                if stripped.$slot.add_modifier.is_empty() {
                    out.$slot = plain.$slot;
                }
            )*};
        }
        keep_visible!(
            tab_active,
            label_focus,
            input,
            selection,
            error,
            warning,
            success,
            key,
            badge_demo,
            badge_sandbox,
            badge_production,
            badge_custom,
            status_paid,
            status_failed,
            status_pending,
            status_unknown,
            toast,
            banner,
            border_focus,
            required,
            link
        );
        out
    }
}

/// Whether `NO_COLOR` asks for no colours (set and not empty, per no-color.org).
pub fn no_color(var: &dyn Fn(&str) -> Option<String>) -> bool {
    var("NO_COLOR").is_some_and(|v| !v.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn full(text: &str, source: &str) -> Theme {
        match Theme::parse(text, source, None) {
            Ok(t) => t,
            Err(p) => panic!("{p}"),
        }
    }

    #[test]
    fn built_in_themes_parse_and_set_every_slot() {
        for (text, name) in [
            (DARK, "dark"),
            (LIGHT, "light"),
            (HIGH_CONTRAST, "high-contrast"),
        ] {
            let file: ThemeFile = match toml::from_str(text) {
                Ok(f) => f,
                Err(e) => panic!("{name}: {e}"),
            };
            let theme = full(text, name);
            assert_eq!(theme.name, name);
            // Every slot is spelled out in the built-in files (no silent fallback).
            let missing: Vec<&str> = Theme::SLOTS
                .iter()
                .copied()
                .filter(|slot| {
                    !text
                        .lines()
                        .any(|l| l.split('=').next().map(str::trim) == Some(*slot))
                })
                .collect();
            assert!(missing.is_empty(), "{name} lacks {missing:?}");
            drop(file);
        }
    }

    #[test]
    fn production_badge_differs_from_demo_and_sandbox() {
        for name in BUILTIN {
            let (t, problem) = Theme::load(name, None);
            assert!(problem.is_none());
            assert_ne!(t.badge_production, t.badge_sandbox, "{name}");
            assert_ne!(t.badge_production, t.badge_demo, "{name}");
        }
    }

    #[test]
    fn a_partial_user_theme_keeps_the_rest_of_dark() {
        let dark = Theme::dark();
        let t = match Theme::parse("error = \"#ff0000\"\n", "mine", Some(&dark)) {
            Ok(t) => t,
            Err(p) => panic!("{p}"),
        };
        assert_eq!(t.error, Style::new().fg(Color::Rgb(255, 0, 0)));
        assert_eq!(t.text, dark.text);
    }

    #[test]
    fn a_broken_theme_names_the_line() {
        let text = "text = \"white\"\nerror = { fg = \"red\", blink = true }\n";
        let Err(p) = Theme::parse(text, "broken.toml", None) else {
            panic!("accepted a broken theme");
        };
        assert_eq!(p.line, Some(2), "{p}");
        assert!(p.to_string().contains("broken.toml line 2"), "{p}");

        let text = "text = \"white\"\n\nmuted = \"no-such-colour\"\n";
        let Err(p) = Theme::parse(text, "bad.toml", None) else {
            panic!("accepted a bad colour");
        };
        assert_eq!(p.line, Some(3), "{p}");
        assert!(p.message.contains("no-such-colour"), "{p}");
    }

    #[test]
    fn a_broken_user_theme_falls_back_to_dark() {
        let dir = match tempfile::tempdir() {
            Ok(d) => d,
            Err(e) => panic!("{e}"),
        };
        let path = dir.path().join("mine.toml");
        if let Err(e) = std::fs::write(&path, "text = [1, 2\n") {
            panic!("{e}");
        }
        let (theme, problem) = Theme::load("mine", Some(dir.path()));
        assert_eq!(theme, Theme::dark());
        let problem = problem.map(|p| p.to_string()).unwrap_or_default();
        assert!(problem.contains("mine.toml line 1"), "{problem}");
    }

    #[test]
    fn an_unknown_theme_name_says_what_exists() {
        let (theme, problem) = Theme::load("neon", None);
        assert_eq!(theme, Theme::dark());
        let problem = problem.map(|p| p.to_string()).unwrap_or_default();
        assert!(problem.contains("dark, light, high-contrast"), "{problem}");
    }

    #[test]
    fn no_color_strips_colours_but_keeps_emphasis() {
        let t = Theme::dark().without_colors();
        for style in [
            t.text,
            t.error,
            t.badge_production,
            t.status_paid,
            t.selection,
        ] {
            assert_eq!(style.fg, None);
            assert_eq!(style.bg, None);
        }
        assert!(!t.badge_production.add_modifier.is_empty());
        assert!(!t.selection.add_modifier.is_empty());
        assert!(no_color(&|_| Some("1".into())));
        assert!(!no_color(&|_| Some(String::new())));
        assert!(!no_color(&|_| None));
    }
}
