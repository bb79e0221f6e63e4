//! Scrolling text pop-ups: the help, the request preview (JSON and curl, copyable) and
//! an order's sdk_payload.

use std::cell::Cell;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{DrawCtx, Popup, Reply, big, frame_box, step_of};
use crate::text::pad_right as pad;
use crate::tui::keymap::{self, Action, HELP_SCOPES, HintPart, Scope};
use crate::tui::strings;
use crate::tui::theme::Theme;

const MOVE: HintPart = (Scope::Overlay, &[Action::Up, Action::Down], "");
/// `↑/↓ scroll` in a text pop-up's key line.
pub const SCROLL: HintPart = (Scope::Overlay, &[Action::Up, Action::Down], "scroll");
const PAGE_SCROLL: HintPart = (
    Scope::Overlay,
    &[Action::PageUp, Action::PageDown],
    "scroll",
);
/// `Esc close` in a pop-up's key line.
pub const CLOSE: HintPart = (Scope::Overlay, &[Action::Back], "close");

/// Scrolls by `step` lines (drawing keeps the last line at the bottom).
pub fn scroll_by(scroll: &mut u16, step: isize) {
    *scroll = (*scroll as isize + step).clamp(0, u16::MAX as isize) as u16;
}

/// The keys every text pop-up shares: scroll, Esc closes, quit is passed on, send closes
/// first.
pub fn text_action<R>(scroll: &mut u16, action: Action) -> Reply<R> {
    scroll_by(scroll, step_of(action) as isize);
    match action {
        Action::Back => Reply::closing(),
        Action::Quit => Reply::passing(action, false),
        Action::Send => Reply::passing(action, true),
        _ => Reply::default(),
    }
}

/// `lines` in a big framed box titled `title`, `hint` below, from line `scroll`, which is
/// brought back so the last line stays at the bottom (and so scrolling back up after
/// pressing ↓ past the end moves at once).
pub fn draw_text(
    frame: &mut Frame,
    screen: Rect,
    t: &Theme,
    title: &str,
    hint: &str,
    lines: Vec<Line<'static>>,
    scroll: &Cell<u16>,
) {
    let inner = frame_box(t, frame, big(screen), title, hint);
    let lines: Vec<Line<'static>> = lines
        .into_iter()
        .flat_map(|line| wrap_line(line, usize::from(inner.width)))
        .collect();
    let max = u16::try_from(lines.len())
        .unwrap_or(u16::MAX)
        .saturating_sub(inner.height);
    scroll.set(scroll.get().min(max));
    frame.render_widget(Paragraph::new(lines).scroll((scroll.get(), 0)), inner);
}

/// `line` wrapped to `cells`, never cut: one span wraps with a two-cell indent; a label
/// and its text (the help's keys, the files) wrap the text under itself, the label's
/// column kept.
fn wrap_line(line: Line<'static>, cells: usize) -> Vec<Line<'static>> {
    if line.width() <= cells {
        return vec![line];
    }
    match line.spans.as_slice() {
        [one] => crate::text::wrap(&one.content, cells, "  ")
            .into_iter()
            .map(|l| Line::styled(l, one.style))
            .collect(),
        [label, text] if crate::text::width(&label.content) < cells / 2 => {
            let column = crate::text::width(&label.content);
            crate::text::wrap(&text.content, cells - column, "")
                .into_iter()
                .enumerate()
                .map(|(i, l)| {
                    let lead = if i == 0 {
                        label.clone()
                    } else {
                        Span::raw(" ".repeat(column))
                    };
                    Line::from(vec![lead, Span::styled(l, text.style)])
                })
                .collect()
        }
        [label, text] => {
            // Too narrow for a label column: the label, then its text under it.
            let mut out = vec![Line::from(label.clone())];
            out.extend(
                crate::text::wrap(&format!("    {}", text.content), cells, "    ")
                    .into_iter()
                    .map(|l| Line::styled(l, text.style)),
            );
            out
        }
        _ => vec![line],
    }
}

/// `text` as lines in the theme's text style.
pub fn text_lines(t: &Theme, text: &str) -> Vec<Line<'static>> {
    text.lines()
        .map(|l| Line::styled(l.to_string(), t.text))
        .collect()
}

// ----- help ----------------------------------------------------------------------------

/// The help screen: generated from the keymap, plus the files paydesk uses.
pub struct Help {
    /// `(label, path)` of each file.
    files: Vec<(&'static str, String)>,
    theme_name: String,
    banners: Vec<String>,
    /// First line shown; drawing keeps it within the text (a `Cell`: `draw` takes `&self`).
    scroll: Cell<u16>,
}

impl Help {
    /// The help, listing `files` (`(label, path)`), the theme's name and the banner's
    /// messages as they are when it opens.
    pub fn new(files: Vec<(&'static str, String)>, theme_name: &str, banners: &[String]) -> Help {
        Help {
            files,
            theme_name: theme_name.to_string(),
            banners: banners.to_vec(),
            scroll: Cell::new(0),
        }
    }

    fn lines(&self, t: &Theme) -> Vec<Line<'static>> {
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
        for (label, path) in &self.files {
            out.push(Line::from(vec![
                Span::styled(pad(&format!("  {label}"), key_w), t.label),
                Span::styled(path.clone(), t.text),
            ]));
        }
        out.push(Line::from(vec![
            Span::styled(pad("  Theme", key_w), t.label),
            Span::styled(self.theme_name.clone(), t.text),
        ]));
        if !self.banners.is_empty() {
            out.push(Line::raw(""));
            out.push(Line::styled("Messages", t.title));
            for b in &self.banners {
                out.push(Line::styled(format!("  {b}"), t.warning));
            }
        }
        out
    }
}

impl<R: Send + 'static> Popup<R> for Help {
    fn name(&self) -> &'static str {
        "Help"
    }

    fn scopes(&self) -> Vec<Scope> {
        vec![Scope::Overlay]
    }

    fn act(&mut self, action: Action) -> Reply<R> {
        text_action(self.scroll.get_mut(), action)
    }

    fn wheel(&mut self, delta: isize) {
        scroll_by(self.scroll.get_mut(), delta);
    }

    fn draw(&self, frame: &mut Frame, screen: Rect, ctx: &DrawCtx<'_>) {
        let hint = keymap::hint(&[MOVE, PAGE_SCROLL, CLOSE]);
        let lines = self.lines(ctx.theme);
        draw_text(frame, screen, ctx.theme, "Help", &hint, lines, &self.scroll);
    }
}

// ----- request preview -----------------------------------------------------------------

/// The request preview: exactly the JSON body Ctrl-S sends, and a curl command; both can
/// be copied.
pub struct Preview {
    json: String,
    curl: String,
    /// First line shown; drawing keeps it within the text (a `Cell`: `draw` takes `&self`).
    scroll: Cell<u16>,
}

impl Preview {
    /// A preview of `json` and `curl` (which names the key only as `$JUSPAY_API_KEY`).
    pub fn new(json: String, curl: String) -> Preview {
        Preview {
            json,
            curl,
            scroll: Cell::new(0),
        }
    }

    /// The JSON body shown.
    pub fn json(&self) -> &str {
        &self.json
    }

    /// The curl command shown.
    pub fn curl(&self) -> &str {
        &self.curl
    }
}

impl<R: Send + 'static> Popup<R> for Preview {
    fn name(&self) -> &'static str {
        "Preview"
    }

    fn scopes(&self) -> Vec<Scope> {
        vec![Scope::Preview, Scope::Overlay]
    }

    fn act(&mut self, action: Action) -> Reply<R> {
        let copied = match action {
            Action::Copy => Some((self.json.clone(), strings::COPIED_JSON)),
            Action::CopyCurl => Some((self.curl.clone(), strings::COPIED_CURL)),
            _ => None,
        };
        let mut reply = text_action(self.scroll.get_mut(), action);
        if let Some((text, done)) = copied {
            reply.effects.push(crate::tui::effects::Effect::Copy(text));
            reply.toast = Some(done);
        }
        reply
    }

    fn wheel(&mut self, delta: isize) {
        scroll_by(self.scroll.get_mut(), delta);
    }

    fn draw(&self, frame: &mut Frame, screen: Rect, ctx: &DrawCtx<'_>) {
        let t = ctx.theme;
        let hint = keymap::hint(&[
            (Scope::Preview, &[Action::Copy], "copy JSON"),
            (Scope::Preview, &[Action::CopyCurl], "copy curl"),
            SCROLL,
            CLOSE,
        ]);
        let mut lines = vec![Line::styled("JSON body", t.title)];
        lines.extend(text_lines(t, &self.json));
        lines.push(Line::raw(""));
        lines.push(Line::styled(
            "curl (the key stays in $JUSPAY_API_KEY)",
            t.title,
        ));
        lines.extend(text_lines(t, &self.curl));
        let title = "Request preview: exactly what Ctrl-S sends";
        draw_text(frame, screen, t, title, &hint, lines, &self.scroll);
    }
}

#[cfg(test)]
mod tests {
    use crossterm::event::KeyCode;

    use super::*;
    use crate::tui::effects::Effect;
    use crate::tui::popup::testing::{key, screen};

    /// Long lines wrap inside the pop-up, never cut (a clerk probe saw the curl line and
    /// the help's descriptions cut at 80×24).
    #[test]
    fn long_lines_wrap_and_keep_their_end() {
        let curl = format!(
            "curl -X POST https://api.juspay.in/session -d '{}END'",
            "x".repeat(150)
        );
        let p = Preview::new("{}".into(), curl);
        let shown = screen::<()>(&p, 60, 24);
        assert!(shown.contains("END'"), "{shown}");
        // The help's descriptions wrap under their keys, whole at any width.
        let help = Help::new(Vec::new(), "dark", &[]);
        for width in [80, 40] {
            let shown = screen::<()>(&help, width, 40);
            assert!(shown.contains("payment session"), "{shown}");
        }
    }

    #[test]
    fn the_preview_copies_json_and_curl_and_says_so() {
        let mut p = Preview::new("{\"a\":1}".into(), "curl -u $JUSPAY_API_KEY".into());
        let shown = screen::<()>(&p, 80, 24);
        assert!(shown.contains("JSON body") && shown.contains("curl -u $JUSPAY_API_KEY"));
        assert!(shown.contains("c copy JSON · u copy curl"), "{shown}");
        let r: Reply<()> = p.key(&key(KeyCode::Char('u')));
        assert!(!r.close);
        assert!(matches!(&r.effects[..], [Effect::Copy(t)] if t.contains("$JUSPAY_API_KEY")));
        assert_eq!(r.toast, Some(strings::COPIED_CURL));
    }

    #[test]
    fn the_help_lists_the_keymap_and_the_files_it_was_given() {
        let mut h = Help::new(vec![("Log file", "/tmp/x.log".into())], "dark", &[]);
        let shown = screen::<()>(&h, 100, 30);
        assert!(
            shown.contains("Help") && shown.contains("Everywhere"),
            "{shown}"
        );
        let _: Reply<()> = h.key(&key(KeyCode::End));
        for _ in 0..40 {
            let _: Reply<()> = h.key(&key(KeyCode::PageDown));
        }
        let end = screen::<()>(&h, 100, 30);
        assert!(end.contains("/tmp/x.log") && end.contains("dark"), "{end}");
    }
}
