//! Fuzzing the theme TOML parser (`tui::theme`): arbitrary text and structured theme files
//! with random keys, colour values and tables. Nothing panics; a valid file gives exactly
//! the styles it spells out (the rest from the base theme); a bad colour is reported on
//! the line that holds it.
//!
//! 256 cases per property by default; PROPTEST_CASES sets more, e.g.
//! `PROPTEST_CASES=100000 cargo test --release --test fuzz_theme`.

use std::collections::BTreeMap;

use paydesk::tui::theme::Theme;
use proptest::prelude::*;
use ratatui::style::{Color, Modifier, Style};

fn config() -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(256);
    ProptestConfig {
        cases,
        // Findings are kept as named regression tests below, not as files.
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// Parses `text` against the dark theme and against none, and uses the result the way the
/// desk does (NO_COLOR strips it). Returns the dark-based result.
fn parse(text: &str) -> Result<Theme, paydesk::tui::theme::ThemeProblem> {
    let dark = Theme::dark();
    if let Ok(t) = Theme::parse(text, "fuzz.toml", None) {
        let _ = t.without_colors();
    }
    let result = Theme::parse(text, "fuzz.toml", Some(&dark));
    if let Ok(t) = &result {
        let _ = t.without_colors();
    }
    result
}

/// A problem names a line that exists (or the line just past the end, for an unexpected
/// end of file).
fn line_in_range(problem: &paydesk::tui::theme::ThemeProblem, text: &str) -> bool {
    let lines = text.lines().count().max(1) + 1;
    problem.line.is_none_or(|l| l >= 1 && l <= lines)
}

fn slot() -> impl Strategy<Value = &'static str> {
    prop::sample::select(Theme::SLOTS.to_vec())
}

/// Colour spellings: named (in the spellings ratatui accepts), hex, indexed, and near
/// misses.
fn colour_text() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "reset",
            "black",
            "red",
            "Light-Blue",
            "bright_green",
            "grey",
            "DarkGray",
            "white",
            "silver",
            "lightblack",
        ])
        .prop_map(str::to_string),
        any::<u8>().prop_map(|n| n.to_string()),
        any::<[u8; 3]>().prop_map(|[r, g, b]| format!("#{r:02x}{g:02X}{b:02x}")),
        "#[0-9a-fA-F+-]{0,8}",
        "#[^\"\\\\]{6}",
        "-?[0-9]{1,5}",
        "[a-z_ -]{0,12}",
        ".{0,8}",
    ]
}

/// A TOML string literal for `s` (basic string, escaped).
fn toml_str(s: &str) -> String {
    let mut out = String::from('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Values of any TOML shape, many of them wrong for a theme.
fn value() -> impl Strategy<Value = String> {
    let field = prop::sample::select(vec![
        "fg",
        "bg",
        "bold",
        "italic",
        "underline",
        "reversed",
        "dim",
        "blink",
        "FG",
    ]);
    let inline = prop::collection::vec(
        (
            field,
            prop_oneof![
                colour_text().prop_map(|c| toml_str(&c)),
                any::<bool>().prop_map(|b| b.to_string()),
                any::<i64>().prop_map(|n| n.to_string()),
                Just("[]".to_string()),
                Just("{}".to_string()),
            ],
        ),
        0..5,
    )
    .prop_map(|kv| {
        let parts: Vec<String> = kv.into_iter().map(|(k, v)| format!("{k} = {v}")).collect();
        format!("{{ {} }}", parts.join(", "))
    });
    prop_oneof![
        3 => colour_text().prop_map(|c| toml_str(&c)),
        3 => inline,
        1 => any::<i64>().prop_map(|n| n.to_string()),
        1 => any::<f64>().prop_map(|n| format!("{n:?}")),
        1 => any::<bool>().prop_map(|b| b.to_string()),
        1 => Just("[\"red\", 1]".to_string()),
        1 => Just("1979-05-27T07:32:00Z".to_string()),
        1 => Just("'''multi\nline'''".to_string()),
        1 => ".{0,12}",
    ]
}

/// One line of a theme file: a slot or another key with a value, a table header, a
/// comment, or noise.
fn line() -> impl Strategy<Value = String> {
    let key = prop_oneof![
        6 => slot().prop_map(str::to_string),
        1 => Just("name".to_string()),
        1 => "[a-z_]{1,12}",
        1 => slot().prop_map(|s| format!("{s}.fg")),
        1 => slot().prop_map(|s| format!("\"{s}\"")),
    ];
    prop_oneof![
        8 => (key, value()).prop_map(|(k, v)| format!("{k} = {v}")),
        1 => slot().prop_map(|s| format!("[{s}]")),
        1 => Just("[[text]]".to_string()),
        1 => Just("# a comment".to_string()),
        1 => ".{0,30}",
    ]
}

/// A valid style spec and the style it must give.
fn valid_spec() -> impl Strategy<Value = (String, Style)> {
    let colour = prop_oneof![
        any::<u8>().prop_map(|n| (n.to_string(), Color::Indexed(n))),
        any::<[u8; 3]>()
            .prop_map(|[r, g, b]| (format!("#{r:02x}{g:02x}{b:02x}"), Color::Rgb(r, g, b))),
        prop::sample::select(vec![
            ("red", Color::Red),
            ("light-blue", Color::LightBlue),
            ("grey", Color::Gray),
            ("reset", Color::Reset),
        ])
        .prop_map(|(s, c)| (s.to_string(), c)),
    ];
    let flags = prop::collection::vec(any::<bool>(), 5);
    prop_oneof![
        colour
            .clone()
            .prop_map(|(text, c)| (toml_str(&text), Style::new().fg(c))),
        (
            prop::option::of(colour.clone()),
            prop::option::of(colour),
            flags
        )
            .prop_map(|(fg, bg, flags)| {
                let mut parts = Vec::new();
                let mut style = Style::new();
                if let Some((text, c)) = fg {
                    parts.push(format!("fg = {}", toml_str(&text)));
                    style = style.fg(c);
                }
                if let Some((text, c)) = bg {
                    parts.push(format!("bg = {}", toml_str(&text)));
                    style = style.bg(c);
                }
                let names = ["bold", "italic", "underline", "reversed", "dim"];
                let mods = [
                    Modifier::BOLD,
                    Modifier::ITALIC,
                    Modifier::UNDERLINED,
                    Modifier::REVERSED,
                    Modifier::DIM,
                ];
                for ((name, m), on) in names.iter().zip(mods).zip(flags) {
                    parts.push(format!("{name} = {on}"));
                    if on {
                        style = style.add_modifier(m);
                    }
                }
                (format!("{{ {} }}", parts.join(", ")), style)
            }),
    ]
}

/// The style of a slot by name (`None` for a name this list lacks: update it when a slot
/// is added; `every_slot_is_listed` checks).
fn style_of(t: &Theme, slot: &str) -> Option<Style> {
    Some(match slot {
        "base" => t.base,
        "text" => t.text,
        "muted" => t.muted,
        "border" => t.border,
        "border_focus" => t.border_focus,
        "title" => t.title,
        "tab" => t.tab,
        "tab_active" => t.tab_active,
        "label" => t.label,
        "label_focus" => t.label_focus,
        "required" => t.required,
        "value" => t.value,
        "input" => t.input,
        "placeholder" => t.placeholder,
        "fixed" => t.fixed,
        "error" => t.error,
        "warning" => t.warning,
        "success" => t.success,
        "info" => t.info,
        "selection" => t.selection,
        "key" => t.key,
        "badge_demo" => t.badge_demo,
        "badge_sandbox" => t.badge_sandbox,
        "badge_production" => t.badge_production,
        "badge_custom" => t.badge_custom,
        "status_paid" => t.status_paid,
        "status_failed" => t.status_failed,
        "status_pending" => t.status_pending,
        "status_unknown" => t.status_unknown,
        "toast" => t.toast,
        "banner" => t.banner,
        "link" => t.link,
        _ => return None,
    })
}

#[test]
fn every_slot_is_listed() {
    let dark = Theme::dark();
    for slot in Theme::SLOTS {
        assert!(style_of(&dark, slot).is_some(), "add {slot} to style_of");
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn arbitrary_text_never_panics(text in any::<String>()) {
        if let Err(p) = parse(&text) {
            prop_assert!(line_in_range(&p, &text), "{p} for {text:?}");
            prop_assert!(!p.message.trim().is_empty());
        }
    }

    #[test]
    fn theme_shaped_lines_never_panic(lines in prop::collection::vec(line(), 0..16)) {
        let text = lines.join("\n");
        if let Err(p) = parse(&text) {
            prop_assert!(line_in_range(&p, &text), "{p} for:\n{text}");
            prop_assert!(!p.message.trim().is_empty());
        }
    }

    #[test]
    fn a_valid_file_gives_exactly_its_styles(
        specs in prop::collection::btree_map(slot(), valid_spec(), 0..12),
        name in prop::option::of("[a-z-]{1,12}"),
    ) {
        let mut text = String::new();
        if let Some(name) = &name {
            text.push_str(&format!("name = {}\n", toml_str(name)));
        }
        for (slot, (spec, _)) in &specs {
            text.push_str(&format!("{slot} = {spec}\n"));
        }
        let dark = Theme::dark();
        let theme = match Theme::parse(&text, "valid.toml", Some(&dark)) {
            Ok(t) => t,
            Err(p) => return Err(TestCaseError::fail(format!("{p} for:\n{text}"))),
        };
        prop_assert_eq!(&theme.name, name.as_ref().unwrap_or(&dark.name));
        // Each slot: the spelled-out style, or dark's.
        let expected: BTreeMap<&str, Style> = specs.iter().map(|(k, (_, s))| (*k, *s)).collect();
        for slot in Theme::SLOTS {
            let got = style_of(&theme, slot);
            let want = expected.get(slot).copied().or_else(|| style_of(&dark, slot));
            prop_assert!(got.is_some() && got == want, "slot {} in:\n{}", slot, text);
        }
    }

    #[test]
    fn a_bad_colour_is_reported_on_its_line(
        specs in prop::collection::btree_map(slot(), valid_spec(), 0..10),
        bad_slot in slot(),
        // Never a colour: every colour name has an "a" or an "e", and these are letters only.
        bad in "[g-z]{3,10}",
    ) {
        let mut lines: Vec<String> = specs
            .iter()
            .filter(|(slot, _)| **slot != bad_slot)
            .map(|(slot, (spec, _))| format!("{slot} = {spec}"))
            .collect();
        let at = lines.len() / 2;
        lines.insert(at, format!("{bad_slot} = {}", toml_str(&bad)));
        let text = lines.join("\n");
        match Theme::parse(&text, "bad.toml", None) {
            Ok(_) => return Err(TestCaseError::fail(format!("accepted {bad:?}"))),
            Err(p) => {
                prop_assert_eq!(p.line, Some(at + 1), "{} in:\n{}", p, text);
                prop_assert!(p.message.contains(&bad), "{}", p);
            }
        }
    }
}

/// Finding: a bad colour in `label` was reported on the line of `label_focus`, the first
/// line merely starting with the slot's name.
#[test]
fn regression_a_slot_named_like_the_start_of_another_gets_its_own_line() {
    for (text, line) in [
        ("label_focus = \"0\"\nlabel = \"ggg\"\n", 2),
        ("tab_active = \"red\"\n\"tab\" = \"nope\"\n", 2),
        ("border_focus = \"red\"\n[border]\nfg = \"nope\"\n", 2),
        ("badge_demo = \"red\"\nbase.fg = \"nope\"\n", 2),
    ] {
        match Theme::parse(text, "bad.toml", None) {
            Ok(_) => panic!("accepted:\n{text}"),
            Err(p) => assert_eq!(p.line, Some(line), "{p} in:\n{text}"),
        }
    }
}
