//! Pop-ups: help, request preview, pickers, the member editor, sdk_payload, questions.

use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};

use crate::tui::state::{App, MemberEdit, OperatorPrompt, Overlay};
use crate::tui::strings;
use crate::tui::widgets::line_input::LineInput;

use crate::text::width;

use crate::tui::keymap::{self, Action, HintPart, Scope};

use super::{centered, fit, pad};

const MOVE: HintPart = (Scope::Overlay, &[Action::Up, Action::Down], "");
const CHOOSE: HintPart = (Scope::Overlay, &[Action::Up, Action::Down], "choose");
const SCROLL: HintPart = (Scope::Overlay, &[Action::Up, Action::Down], "scroll");
const PAGE_SCROLL: HintPart = (
    Scope::Overlay,
    &[Action::PageUp, Action::PageDown],
    "scroll",
);
const CLOSE: HintPart = (Scope::Overlay, &[Action::Back], "close");

fn frame_box(app: &App, frame: &mut Frame, area: Rect, title: &str, hint: &str) -> Rect {
    let t = &app.theme;
    frame.render_widget(Clear, area);
    let block = Block::bordered()
        .border_style(t.border_focus)
        .style(t.base)
        .title_top(Line::styled(format!(" {title} "), t.title))
        .title_bottom(Line::styled(format!(" {hint} "), t.muted));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    inner
}

fn scrolled(lines: Vec<Line<'static>>, scroll: u16, height: u16) -> (Vec<Line<'static>>, u16) {
    let max = (lines.len() as u16).saturating_sub(height);
    let scroll = scroll.min(max);
    (lines, scroll)
}

fn list(app: &App, frame: &mut Frame, area: Rect, items: &[String], selected: usize) {
    let t = &app.theme;
    let height = usize::from(area.height).max(1);
    let top = selected.saturating_sub(height - 1);
    let lines: Vec<Line> = items
        .iter()
        .enumerate()
        .skip(top)
        .take(height)
        .map(|(i, text)| {
            let style = if i == selected { t.selection } else { t.text };
            Line::styled(pad(&format!(" {text}"), usize::from(area.width)), style)
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), area);
}

fn input_line(
    app: &App,
    frame: &mut Frame,
    area: Rect,
    label: &str,
    input: &LineInput,
    focused: bool,
) {
    let t = &app.theme;
    let label_w = 8;
    let shown = input.shown(usize::from(area.width).saturating_sub(label_w));
    let style = if focused { t.input } else { t.value };
    let line = Line::from(vec![
        Span::styled(
            pad(label, label_w),
            if focused { t.label_focus } else { t.label },
        ),
        Span::styled(shown.text, style),
    ]);
    frame.render_widget(Paragraph::new(line), area);
    if focused {
        let x = area.x + label_w as u16 + shown.caret_x as u16;
        frame.set_cursor_position(Position::new(x, area.y));
    }
}

/// "Who works this desk?": the `[[operators]]` pick list, or a name to type; the refusal
/// of a bad name under it.
fn operator_prompt(app: &App, frame: &mut Frame, screen: Rect, big: Rect, prompt: &OperatorPrompt) {
    let t = &app.theme;
    let counter = if app.operator.counter.is_empty() {
        String::new()
    } else {
        format!(" at {}", crate::text::sanitize_line(&app.operator.counter))
    };
    let title = format!("Who works this desk{counter}?");
    let error_lines = u16::from(prompt.error.is_some()) * 2;
    if prompt.choices.is_empty() {
        let r = centered(screen, big.width.min(60), 4 + error_lines);
        let hint = keymap::hint(&[
            (Scope::List, &[Action::Enter], "start"),
            (Scope::Global, &[Action::Quit], "quit"),
        ]);
        let inner = frame_box(app, frame, r, &title, &hint);
        let row = |n: u16| Rect {
            y: inner.y + n,
            height: 1,
            ..inner
        };
        input_line(app, frame, row(0), "Name", &prompt.input, true);
        if let Some(error) = &prompt.error {
            let width = usize::from(inner.width);
            let line = Line::styled(fit(error, width), t.error);
            frame.render_widget(Paragraph::new(line), row(2));
        }
        return;
    }
    let items: Vec<String> = prompt
        .choices
        .iter()
        .map(|c| crate::text::sanitize_line(&c.label()).into_owned())
        .collect();
    let h = (items.len() as u16 + 2).min(big.height);
    let r = centered(screen, big.width.min(60), h);
    let hint = keymap::hint(&[CHOOSE, (Scope::List, &[Action::Enter], "start")]);
    let inner = frame_box(app, frame, r, &title, &hint);
    list(app, frame, inner, &items, prompt.selected);
}

pub fn draw(app: &App, frame: &mut Frame, screen: Rect) {
    let Some(overlay) = &app.overlay else { return };
    // Big pop-ups cover everything inside the frame, so nothing peeks through.
    let big = Rect {
        x: screen.x + 1,
        y: screen.y + 1,
        width: screen.width.saturating_sub(2),
        height: screen.height.saturating_sub(2),
    };
    match overlay {
        Overlay::Help { scroll } => {
            let hint = keymap::hint(&[MOVE, PAGE_SCROLL, CLOSE]);
            let inner = frame_box(app, frame, big, "Help", &hint);
            scroll_text(frame, inner, super::help::lines(app), *scroll);
        }
        Overlay::Preview { json, curl, scroll } => {
            let inner = frame_box(
                app,
                frame,
                big,
                "Request preview: exactly what Ctrl-S sends",
                &keymap::hint(&[
                    (Scope::Preview, &[Action::Copy], "copy JSON"),
                    (Scope::Preview, &[Action::CopyCurl], "copy curl"),
                    SCROLL,
                    CLOSE,
                ]),
            );
            scroll_text(frame, inner, preview_lines(app, json, curl), *scroll);
        }
        Overlay::Payload { text, scroll } => {
            let title = "sdk_payload (clientAuthToken masked)";
            let inner = frame_box(app, frame, big, title, &keymap::hint(&[SCROLL, CLOSE]));
            scroll_text(frame, inner, text_lines(app, text), *scroll);
        }
        Overlay::Profiles { selected } => {
            let items = app.profiles.profiles.iter().map(|p| {
                if p.description.is_empty() {
                    p.name.clone()
                } else {
                    format!("{} — {}", p.name, p.description)
                }
            });
            let hint = keymap::hint(&[CHOOSE, (Scope::List, &[Action::Enter], "use"), CLOSE]);
            let picker = Picker::new("Lender profile", &hint, items.collect(), *selected);
            picker.draw(app, frame, screen, big, 70);
        }
        Overlay::Envs { options, selected } => {
            let items = options.iter().map(|o| env_line(o));
            let hint = keymap::hint(&[CHOOSE, (Scope::List, &[Action::Enter], "switch"), CLOSE]);
            let picker = Picker::new("Environment", &hint, items.collect(), *selected);
            picker.draw(app, frame, screen, big, 70);
        }
        Overlay::Choice {
            options, selected, ..
        } => choice(app, frame, screen, big, options, *selected),
        Overlay::Member(edit) => member(app, frame, screen, big, edit),
        Overlay::Confirm { text, .. } => confirm(app, frame, screen, big, text),
        Overlay::Operator(prompt) => operator_prompt(app, frame, screen, big, prompt),
        Overlay::Refund(dialog) => {
            let ctx = crate::tui::parts::refund::DrawCtx {
                theme: &app.theme,
                focused: true,
            };
            dialog.draw(frame, big, &ctx);
        }
    }
}

/// `lines` in `area`, from line `scroll` (kept so the last line stays at the bottom).
fn scroll_text(frame: &mut Frame, area: Rect, lines: Vec<Line<'static>>, scroll: u16) {
    let (lines, scroll) = scrolled(lines, scroll, area.height);
    frame.render_widget(Paragraph::new(lines).scroll((scroll, 0)), area);
}

fn text_lines(app: &App, text: &str) -> Vec<Line<'static>> {
    text.lines()
        .map(|l| Line::styled(l.to_string(), app.theme.text))
        .collect()
}

/// The request preview: the JSON body, then the curl command.
fn preview_lines(app: &App, json: &str, curl: &str) -> Vec<Line<'static>> {
    let t = &app.theme;
    let mut lines = vec![Line::styled("JSON body", t.title)];
    lines.extend(text_lines(app, json));
    lines.push(Line::raw(""));
    lines.push(Line::styled(
        "curl (the key stays in $JUSPAY_API_KEY)",
        t.title,
    ));
    lines.extend(text_lines(app, curl));
    lines
}

/// An environment as the switcher lists it.
fn env_line(name: &str) -> String {
    match name {
        "demo" => "demo — the built-in emulator, nothing is real".to_string(),
        "sandbox" => "sandbox — Juspay's test system".to_string(),
        "production" => "production — REAL payments (asks before the first send)".to_string(),
        other => other.to_string(),
    }
}

/// A framed pick list: one line per item, the selected one highlighted.
struct Picker<'a> {
    title: &'a str,
    hint: &'a str,
    items: Vec<String>,
    selected: usize,
}

impl<'a> Picker<'a> {
    fn new(title: &'a str, hint: &'a str, items: Vec<String>, selected: usize) -> Self {
        Picker {
            title,
            hint,
            items,
            selected,
        }
    }

    /// Centred on `screen`, at most `max_w` cells wide and as tall as the list (within
    /// `big`).
    fn draw(&self, app: &App, frame: &mut Frame, screen: Rect, big: Rect, max_w: u16) {
        let h = (self.items.len() as u16 + 2).min(big.height);
        let r = centered(screen, big.width.min(max_w), h);
        let inner = frame_box(app, frame, r, self.title, self.hint);
        list(app, frame, inner, &self.items, self.selected);
    }
}

/// "Please confirm": the question wrapped, then the two answers; tall enough for both.
fn confirm(app: &App, frame: &mut Frame, screen: Rect, big: Rect, text: &str) {
    let t = &app.theme;
    let w = big.width.min(64);
    let question = crate::text::wrap(text, usize::from(w.saturating_sub(2)), "");
    // Borders, the question, a blank line and the answers.
    let h = question.len() as u16 + 4;
    let r = centered(screen, w, h.min(big.height));
    let inner = frame_box(app, frame, r, "Please confirm", "y yes · n no");
    let mut body: Vec<Line> = question
        .into_iter()
        .map(|l| Line::styled(l, t.text))
        .collect();
    body.push(Line::raw(""));
    body.push(Line::from(vec![
        Span::styled("[y] yes", t.key),
        Span::raw("   "),
        Span::styled("[n] no", t.key),
    ]));
    frame.render_widget(Paragraph::new(body), inner);
}

/// The allowed values of the focused field.
fn choice(
    app: &App,
    frame: &mut Frame,
    screen: Rect,
    big: Rect,
    options: &[String],
    selected: usize,
) {
    let items: Vec<String> = options
        .iter()
        .map(|o| {
            if o.is_empty() {
                format!("({})", strings::NOT_SET)
            } else {
                o.clone()
            }
        })
        .collect();
    let w = items.iter().map(|s| width(s) as u16).max().unwrap_or(10) + 6;
    let label = app.form.focused_field().map(|f| f.label.as_str());
    let hint = keymap::hint(&[(Scope::List, &[Action::Enter], "choose"), CLOSE]);
    let picker = Picker::new(label.unwrap_or_default(), &hint, items, selected);
    picker.draw(app, frame, screen, big, w.max(30));
}

/// The insured member editor: name and phone.
fn member(app: &App, frame: &mut Frame, screen: Rect, big: Rect, edit: &MemberEdit) {
    let r = centered(screen, big.width.min(60), 6);
    let title = if edit.index.is_some() {
        "Edit insured member"
    } else {
        "Add insured member"
    };
    let inner = frame_box(app, frame, r, title, "Tab next · Enter save · Esc cancel");
    let row = |n: u16| Rect {
        y: inner.y + n,
        height: 1,
        ..inner
    };
    input_line(app, frame, row(0), "Name", &edit.name, !edit.on_phone);
    input_line(app, frame, row(2), "Phone", &edit.phone, edit.on_phone);
}
