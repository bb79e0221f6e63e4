//! The help screen: generated from the keymap, plus the files paydesk uses.

use ratatui::text::{Line, Span};

use crate::tui::keymap::{self, HELP_SCOPES};
use crate::tui::state::App;

use super::pad;

pub fn lines(app: &App) -> Vec<Line<'static>> {
    let t = &app.theme;
    let mut out = Vec::new();
    let key_w = 26;
    for scope in HELP_SCOPES {
        let entries = keymap::help(scope);
        if entries.is_empty() {
            continue;
        }
        out.push(Line::styled(scope.title().to_string(), t.title));
        for (keys, text) in entries {
            out.push(Line::from(vec![
                Span::styled(pad(&format!("  {keys}"), key_w), t.key),
                Span::styled(text, t.text),
            ]));
        }
        out.push(Line::raw(""));
    }
    out.push(Line::styled("Files", t.title));
    let p = &app.paths;
    let files = [
        ("Config file", app.config_file.clone()),
        ("History DB", p.history_db().display().to_string()),
        ("Log file", p.log_file().display().to_string()),
        ("Themes", p.themes_dir().display().to_string()),
        ("Profiles", p.profiles_dir().display().to_string()),
        ("Saved QR codes", p.qr_dir().display().to_string()),
        ("Draft", p.draft_file().display().to_string()),
    ];
    for (label, path) in files {
        out.push(Line::from(vec![
            Span::styled(pad(&format!("  {label}"), key_w), t.label),
            Span::styled(path, t.text),
        ]));
    }
    out.push(Line::from(vec![
        Span::styled(pad("  Theme", key_w), t.label),
        Span::styled(app.theme.name.clone(), t.text),
    ]));
    if !app.banners.is_empty() {
        out.push(Line::raw(""));
        out.push(Line::styled("Messages", t.title));
        for b in &app.banners {
            out.push(Line::styled(format!("  {b}"), t.warning));
        }
    }
    out
}
