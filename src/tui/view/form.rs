//! The form: tabs, the fields of the current tab (scrolling when they exceed the height),
//! problems and send progress, and the focused field's help at the bottom.

use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use crate::session::Kind;
use crate::tui::form_state::{Editor, Item};
use crate::tui::keymap::{self, Action, Scope};
use crate::tui::state::{App, Focus, NoticeKind, Screen, SendPhase};
use crate::tui::strings;
use crate::tui::widgets::line_input::LineInput;

use crate::text::wrap;

use super::{Hit, fit, pad, tabs};

const SPINNER: [&str; 10] = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

/// One line of the field list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Row {
    Field {
        item: usize,
        field: usize,
    },
    Problem {
        item: usize,
        text: String,
    },
    MembersHead {
        item: usize,
        field: usize,
    },
    Member {
        item: usize,
        index: usize,
    },
    MembersEmpty {
        item: usize,
    },
    MembersAdd {
        item: usize,
    },
    MetaTitle,
    Passthrough(String),
    Meta {
        key_item: usize,
        value_item: usize,
        row: usize,
    },
    AddMeta {
        item: usize,
    },
    /// How many fields of the tab "all fields" would add, and its key.
    Hidden(String),
}

impl Row {
    fn belongs_to(&self, item: usize) -> bool {
        match self {
            Row::Field { item: i, .. }
            | Row::Problem { item: i, .. }
            | Row::MembersHead { item: i, .. }
            | Row::Member { item: i, .. }
            | Row::MembersEmpty { item: i }
            | Row::MembersAdd { item: i }
            | Row::AddMeta { item: i } => *i == item,
            Row::Meta {
                key_item,
                value_item,
                ..
            } => *key_item == item || *value_item == item,
            Row::MetaTitle | Row::Passthrough(_) | Row::Hidden(_) => false,
        }
    }
}

/// The lines of the current tab, in order.
pub fn rows(app: &App) -> Vec<Row> {
    let form = &app.form;
    let items = form.items();
    let mut rows = Vec::new();
    let mut meta_title = false;
    let mut title = |rows: &mut Vec<Row>| {
        if !meta_title {
            meta_title = true;
            rows.push(Row::MetaTitle);
            if !form.form.passthrough.is_empty() {
                let keys: Vec<&str> = form.form.passthrough.keys().map(String::as_str).collect();
                rows.push(Row::Passthrough(keys.join(", ")));
            }
        }
    };
    for (idx, item) in items.iter().enumerate() {
        match *item {
            Item::Field(fi) => {
                let is_members = form
                    .fields
                    .get(fi)
                    .is_some_and(|f| f.kind == Kind::MemberList);
                if is_members {
                    rows.push(Row::MembersHead {
                        item: idx,
                        field: fi,
                    });
                    if form.form.members.is_empty() {
                        rows.push(Row::MembersEmpty { item: idx });
                    }
                    for j in 0..form.form.members.len() {
                        rows.push(Row::Member {
                            item: idx,
                            index: j,
                        });
                    }
                    rows.push(Row::MembersAdd { item: idx });
                } else {
                    rows.push(Row::Field {
                        item: idx,
                        field: fi,
                    });
                }
                if let Some(text) = form.problem_for(*item) {
                    rows.push(Row::Problem { item: idx, text });
                }
            }
            Item::MetaKey(r) => {
                title(&mut rows);
                rows.push(Row::Meta {
                    key_item: idx,
                    value_item: idx + 1,
                    row: r,
                });
                if let Some(text) = form.problem_for(Item::MetaValue(r)) {
                    rows.push(Row::Problem {
                        item: idx + 1,
                        text,
                    });
                }
            }
            Item::MetaValue(_) => {}
            Item::AddMeta => {
                title(&mut rows);
                rows.push(Row::AddMeta { item: idx });
            }
        }
    }
    if !form.all_fields {
        let section = form.section();
        let count = |fields: &[crate::session::FormField]| {
            fields.iter().filter(|f| f.section == section).count()
        };
        let hidden = count(&form.every_field) - count(&form.fields);
        if hidden > 0 {
            let key = keymap::key_for(Scope::Form, Action::AllFields);
            rows.push(Row::Hidden(strings::hidden_fields(hidden, &key)));
        }
    }
    rows
}

/// The parts of the form area.
#[derive(Debug, Clone, Copy)]
pub struct Parts {
    pub tabs: Rect,
    pub fields: Rect,
    pub status: Rect,
    pub help: Rect,
}

/// Lines of the status box: the messages (sending progress, a notice), then the problem
/// list. Everything wraps, nothing is cut; the box makes room for all the messages.
fn status_lines(app: &App, width: usize) -> Vec<Line<'static>> {
    let mut lines = message_lines(app, width);
    lines.extend(problem_lines(app, width));
    lines
}

/// The sending line and the notice, wrapped to `width`.
fn message_lines(app: &App, width: usize) -> Vec<Line<'static>> {
    let t = &app.theme;
    let mut lines = Vec::new();
    if let Some(customer) = app
        .form
        .returning
        .as_ref()
        .filter(|_| app.screen == Screen::Form)
    {
        // One line: the offer lasts one key, so it must be read at a glance.
        let key = keymap::key_for(Scope::Returning, Action::UseDetails);
        let summary = crate::text::sanitize_line(&customer.summary()).into_owned();
        let text = strings::returning_offer(&summary, &key);
        lines.push(Line::styled(fit(&format!("↩ {text}"), width), t.info));
    }
    if let Some(send) = &app.send {
        let elapsed = (app.now - send.started).as_seconds_f64().max(0.0);
        let frame = SPINNER[((elapsed * 10.0) as usize) % SPINNER.len()];
        let text = match send.phase {
            SendPhase::Sending => strings::sending(&send.order_id, &app.env.badge(), elapsed),
            SendPhase::Checking => strings::cancelled(&send.order_id),
        };
        for l in wrap(&format!("{frame} {text}"), width, "  ") {
            lines.push(Line::styled(l, t.info));
        }
    }
    if let Some(notice) = &app.notice {
        let style = match notice.kind {
            NoticeKind::Error => t.error,
            NoticeKind::Warning => t.warning,
            NoticeKind::Info => t.info,
        };
        // Wrapped, not cut: a notice ends with what to do next (found by the fault drills,
        // tests/drills_faults.rs, where cutting hid "press r to check its status").
        for l in wrap(&notice.title, width, "") {
            lines.push(Line::styled(l, style));
        }
        for l in &notice.lines {
            for l in wrap(&format!("  {l}"), width, "  ") {
                lines.push(Line::styled(l, t.text));
            }
        }
    }
    lines
}

/// The problem list after a send attempt, each problem wrapped to `width`.
fn problem_lines(app: &App, width: usize) -> Vec<Line<'static>> {
    let t = &app.theme;
    let mut lines = Vec::new();
    if app.form.show_problem_list {
        let problems = app.form.all_problems();
        if !problems.is_empty() {
            for l in wrap(&strings::problems_title(problems.len()), width, "") {
                lines.push(Line::styled(l, t.error));
            }
            for (key, message) in problems {
                let tab = app.form.section_of(&key).title();
                let text = format!("  {tab} › {}: {message}", app.form.label_of(&key));
                for l in wrap(&text, width, "    ") {
                    lines.push(Line::styled(l, t.text));
                }
            }
        }
    }
    lines
}

pub fn parts(app: &App, area: Rect) -> Parts {
    let help_h: u16 = if area.height >= 16 {
        3
    } else if area.height >= 10 {
        2
    } else {
        0
    };
    let status = status_lines(app, usize::from(area.width));
    // The problem list takes at most half of what the help line leaves (each problem also
    // shows under its field); the sending line and a notice take all they need: the help
    // goes first, then field rows (they are back once the notice is).
    let messages =
        u16::try_from(message_lines(app, usize::from(area.width)).len()).unwrap_or(u16::MAX);
    let help_h = if messages.saturating_add(3) > area.height.saturating_sub(2 + help_h) {
        0
    } else {
        help_h
    };
    let room = area.height.saturating_sub(2 + help_h);
    let max_status = (room / 2).max(1).max(messages).min(room);
    let status_h = (status.len() as u16).min(max_status);
    let fields_h = area.height.saturating_sub(2 + help_h + status_h);
    let tabs = Rect {
        height: 1.min(area.height),
        ..area
    };
    let fields = Rect {
        y: area.y + 2,
        height: fields_h,
        ..area
    };
    let status = Rect {
        y: fields.y + fields_h,
        height: status_h,
        ..area
    };
    let help = Rect {
        y: status.y + status_h,
        height: help_h,
        ..area
    };
    Parts {
        tabs,
        fields,
        status,
        help,
    }
}

/// Width of the label column for the current tab.
fn label_width(app: &App, width: u16) -> usize {
    let longest = app
        .form
        .items()
        .iter()
        .filter_map(|i| app.form.field(*i))
        .map(|f| f.label.chars().count() + 2)
        .max()
        .unwrap_or(12);
    let longest_key = app
        .form
        .meta_rows
        .iter()
        .map(|r| r.key.chars().count() + 1)
        .max()
        .unwrap_or(0);
    if app.form.section() == crate::session::Section::Extras && longest_key > longest {
        return longest_key.clamp(12, 36).min(usize::from(width) * 2 / 5);
    }
    longest.clamp(12, 26).min(usize::from(width) / 3)
}

/// Lines of the focused item `(first, end)` and the height of the field list, for
/// scrolling. `None` when the form is not on screen.
pub fn focus_lines(app: &App, screen: Rect) -> Option<(usize, usize, usize)> {
    if super::too_small(screen) || app.screen != Screen::Form {
        return None;
    }
    let main = super::areas(app, screen).main;
    if main.height == 0 {
        return None;
    }
    let p = parts(app, main);
    let rows = rows(app);
    let first = rows.iter().position(|r| r.belongs_to(app.form.focus))?;
    let last = rows
        .iter()
        .rposition(|r| r.belongs_to(app.form.focus))
        .unwrap_or(first);
    Some((first, last + 1, usize::from(p.fields.height)))
}

pub fn hit(app: &App, area: Rect, x: u16, y: u16) -> Option<Hit> {
    let p = parts(app, area);
    if let Some(i) = tabs::hit(app, p.tabs, x, y) {
        return Some(Hit::Tab(i));
    }
    if y < p.fields.y || y >= p.fields.y + p.fields.height {
        return None;
    }
    let line = app.form.scroll + usize::from(y - p.fields.y);
    let rows = rows(app);
    let value_x = area.x + 2 + label_width(app, area.width) as u16 + 1;
    match rows.get(line)? {
        Row::Field { item, .. }
        | Row::Problem { item, .. }
        | Row::MembersHead { item, .. }
        | Row::Member { item, .. }
        | Row::MembersEmpty { item }
        | Row::MembersAdd { item }
        | Row::AddMeta { item } => Some(Hit::Item(*item)),
        Row::Meta {
            key_item,
            value_item,
            ..
        } => Some(Hit::Item(if x < value_x { *key_item } else { *value_item })),
        Row::MetaTitle | Row::Passthrough(_) | Row::Hidden(_) => None,
    }
}

fn format_hint(kind: Kind) -> Option<&'static str> {
    match kind {
        Kind::DateDmy => Some("dd-mm-yyyy"),
        Kind::DateDMonY => Some("dd-Mon-yyyy"),
        _ => None,
    }
}

pub fn draw(app: &App, frame: &mut Frame, area: Rect) {
    let t = &app.theme;
    let p = parts(app, area);
    tabs::draw(app, frame, p.tabs);
    if area.height > 1 {
        let rule = Rect {
            y: area.y + 1,
            height: 1,
            ..area
        };
        frame.render_widget(
            Paragraph::new(Line::styled("─".repeat(usize::from(area.width)), t.border)),
            rule,
        );
    }
    draw_fields(app, frame, p.fields);
    if p.status.height > 0 {
        let lines = status_lines(app, usize::from(area.width));
        frame.render_widget(Paragraph::new(lines), p.status);
    }
    draw_help(app, frame, p.help);
}

fn draw_fields(app: &App, frame: &mut Frame, area: Rect) {
    if area.height == 0 {
        return;
    }
    let rows = rows(app);
    if rows.is_empty() {
        let text = "This tab has no fields under the current profile.";
        frame.render_widget(Paragraph::new(Line::styled(text, app.theme.muted)), area);
        return;
    }
    let lw = label_width(app, area.width);
    for (n, row) in rows
        .iter()
        .skip(app.form.scroll)
        .take(usize::from(area.height))
        .enumerate()
    {
        let r = Rect {
            y: area.y + n as u16,
            height: 1,
            ..area
        };
        draw_row(app, frame, r, row, lw);
    }
    // Scroll marks when fields are hidden above or below.
    let t = &app.theme;
    if app.form.scroll > 0 {
        let r = Rect {
            x: area.x + area.width.saturating_sub(1),
            y: area.y,
            width: 1,
            height: 1,
        };
        frame.render_widget(Paragraph::new(Span::styled("▲", t.muted)), r);
    }
    if rows.len() > app.form.scroll + usize::from(area.height) {
        let r = Rect {
            x: area.x + area.width.saturating_sub(1),
            y: area.y + area.height - 1,
            width: 1,
            height: 1,
        };
        frame.render_widget(Paragraph::new(Span::styled("▼", t.muted)), r);
    }
}

fn form_has_focus(app: &App) -> bool {
    app.focus == Focus::Form && app.screen == Screen::Form && app.overlay.is_none()
}

/// Draws the focused text input with its caret, scrolled so the caret shows.
fn draw_input(app: &App, frame: &mut Frame, area: Rect, input: &LineInput) {
    let t = &app.theme;
    let shown = input.shown(usize::from(area.width));
    frame.render_widget(
        Paragraph::new(Line::from(Span::styled(shown.text, t.input))),
        area,
    );
    let cx = area.x + shown.caret_x as u16;
    if let Some(cell) = frame.buffer_mut().cell_mut(Position::new(cx, area.y)) {
        cell.set_style(t.input.add_modifier(ratatui::style::Modifier::REVERSED));
    }
    frame.set_cursor_position(Position::new(cx, area.y));
}

fn draw_row(app: &App, frame: &mut Frame, r: Rect, row: &Row, lw: usize) {
    let t = &app.theme;
    let form = &app.form;
    let has_focus = form_has_focus(app);
    let focused = |item: usize| has_focus && form.focus == item;
    let marker = |on: bool| Span::styled(if on { "▶ " } else { "  " }, t.label_focus);
    let value_x = r.x + 2 + lw as u16 + 1;
    let value_w = r.width.saturating_sub(2 + lw as u16 + 1);
    let value_r = Rect {
        x: value_x,
        width: value_w,
        ..r
    };
    let label_spans = |label: &str, required: bool, on: bool| {
        let style = if on { t.label_focus } else { t.label };
        let star = if required { " *" } else { "" };
        let text = fit(label, lw.saturating_sub(star.len()));
        let padding = " ".repeat(lw.saturating_sub(text.chars().count() + star.len()) + 1);
        vec![
            Span::styled(text, style),
            Span::styled(star, t.required),
            Span::raw(padding),
        ]
    };
    match row {
        Row::Field { item, field } => {
            let Some(f) = form.fields.get(*field) else {
                return;
            };
            let on = focused(*item);
            let mut spans = vec![marker(on)];
            spans.extend(label_spans(&f.label, f.required, on));
            frame.render_widget(Paragraph::new(Line::from(spans)), r);
            let it = Item::Field(*field);
            let value = form.value(it);
            let offered_hint = form.offered.get(&f.key).filter(|_| on).map(|o| {
                let key = keymap::key_for(Scope::Offered, Action::OfferedList);
                format!("{key}: {}", o.join(" / "))
            });
            let mut suffix: Option<(&str, Style)> = None;
            if f.fixed {
                suffix = Some((strings::FIXED, t.fixed));
            } else if f.key == crate::session::keys::ORDER_ID
                && form.generated_order_id.as_deref() == Some(value.as_str())
            {
                suffix = Some((strings::GENERATED, t.muted));
            } else if let Some(origin) = form.origins.get(&f.key) {
                suffix = Some((origin.label(), t.muted));
            } else if let Some(note) = form.notes.get(&f.key) {
                suffix = Some((note.as_str(), t.muted));
            } else if let Some(h) = format_hint(f.kind).filter(|_| on) {
                suffix = Some((h, t.muted));
            } else if let Some(h) = offered_hint.as_deref() {
                suffix = Some((h, t.muted));
            }
            let suffix_w = suffix
                .map(|(s, _)| s.chars().count() as u16 + 2)
                .unwrap_or(0);
            let input_w = if value_w > suffix_w + 12 {
                value_w - suffix_w
            } else {
                value_w
            };
            let input_r = Rect {
                width: input_w,
                ..value_r
            };
            match form.editor(it) {
                Editor::Text if on => draw_input(app, frame, input_r, &form.input),
                Editor::Choice => {
                    let line = if on {
                        let shown = if value.is_empty() {
                            strings::NOT_SET.to_string()
                        } else {
                            value.clone()
                        };
                        Line::from(vec![
                            Span::styled("◀ ", t.key),
                            Span::styled(shown, t.input),
                            Span::styled(" ▶", t.key),
                            Span::styled("  Enter: list", t.muted),
                        ])
                    } else if value.is_empty() {
                        Line::styled(
                            fit(
                                &format!("choose: {}", f.allowed.join(" / ")),
                                usize::from(input_w),
                            ),
                            t.placeholder,
                        )
                    } else {
                        Line::styled(value.clone(), t.value)
                    };
                    frame.render_widget(Paragraph::new(line), input_r);
                }
                Editor::Toggle => {
                    let (mark, words) = match value.as_str() {
                        "true" => ("[x]", "yes"),
                        "false" => ("[ ]", "no"),
                        _ => ("[ ]", strings::NOT_SET),
                    };
                    let style = if on { t.input } else { t.value };
                    let mut spans = vec![Span::styled(format!("{mark} {words}"), style)];
                    if on {
                        spans.push(Span::styled("  Space: change", t.muted));
                    }
                    frame.render_widget(Paragraph::new(Line::from(spans)), input_r);
                }
                Editor::ReadOnly => {
                    frame.render_widget(
                        Paragraph::new(Line::styled(fit(&value, usize::from(input_w)), t.fixed)),
                        input_r,
                    );
                }
                _ => {
                    let offers = form.offered.get(&f.key);
                    let line = if let Some(offers) = offers.filter(|_| value.is_empty()) {
                        let key = keymap::key_for(Scope::Offered, Action::OfferedList);
                        Line::styled(
                            fit(
                                &strings::offered_placeholder(offers, &key),
                                usize::from(input_w),
                            ),
                            t.placeholder,
                        )
                    } else if value.is_empty() {
                        let hint = match (format_hint(f.kind), f.example.is_empty()) {
                            (Some(h), true) => h.to_string(),
                            (Some(h), false) => format!("{h}, e.g. {}", f.example),
                            (None, false) => format!("e.g. {}", f.example),
                            (None, true) => String::new(),
                        };
                        Line::styled(fit(&hint, usize::from(input_w)), t.placeholder)
                    } else {
                        // Values from the desk's settings are dimmed: nobody typed them.
                        let desk = form.origins.get(&f.key)
                            == Some(&crate::session::desk::Origin::DeskSettings);
                        let style = if desk { t.muted } else { t.value };
                        Line::styled(fit(&value, usize::from(input_w)), style)
                    };
                    frame.render_widget(Paragraph::new(line), input_r);
                }
            }
            if let Some((s, style)) = suffix
                && input_w < value_w
            {
                let sr = Rect {
                    x: input_r.x + input_w + 2,
                    width: value_w - input_w - 2,
                    ..r
                };
                frame.render_widget(
                    Paragraph::new(Line::styled(fit(s, usize::from(sr.width)), style)),
                    sr,
                );
            }
        }
        Row::Problem { text, .. } => {
            let line = Line::styled(fit(&format!("↳ {text}"), usize::from(value_w)), t.error);
            frame.render_widget(Paragraph::new(line), value_r);
        }
        Row::MembersHead { item, field } => {
            let Some(f) = form.fields.get(*field) else {
                return;
            };
            let on = focused(*item);
            let mut spans = vec![marker(on)];
            spans.extend(label_spans(&f.label, f.required, on));
            spans.push(Span::styled(
                members_line("#", "Name", "Phone", usize::from(value_w)),
                t.muted,
            ));
            frame.render_widget(Paragraph::new(Line::from(spans)), r);
        }
        Row::Member { item, index } => {
            let Some(m) = form.form.members.get(*index) else {
                return;
            };
            let on = focused(*item) && form.member_sel == *index;
            let text = members_line(
                &(index + 1).to_string(),
                &m.member_name,
                &m.member_phone,
                usize::from(value_w),
            );
            let style = if on { t.selection } else { t.value };
            frame.render_widget(Paragraph::new(Line::styled(text, style)), value_r);
        }
        Row::MembersEmpty { .. } => {
            frame.render_widget(
                Paragraph::new(Line::styled(strings::NO_MEMBERS, t.placeholder)),
                value_r,
            );
        }
        Row::MembersAdd { item } => {
            let style = if focused(*item) { t.key } else { t.muted };
            let text = if focused(*item) {
                "+ add (a) · edit (Enter) · remove (x) · ↑/↓ select"
            } else {
                strings::ADD_MEMBER
            };
            frame.render_widget(
                Paragraph::new(Line::styled(fit(text, usize::from(value_w)), style)),
                value_r,
            );
        }
        Row::MetaTitle => {
            frame.render_widget(
                Paragraph::new(Line::styled(
                    fit(strings::META_TITLE, usize::from(r.width)),
                    t.muted,
                )),
                r,
            );
        }
        Row::Hidden(text) => {
            frame.render_widget(
                Paragraph::new(Line::styled(fit(text, usize::from(value_w)), t.muted)),
                value_r,
            );
        }
        Row::Passthrough(keys) => {
            let text = format!("Also kept exactly as imported: {keys}");
            frame.render_widget(
                Paragraph::new(Line::styled(fit(&text, usize::from(r.width)), t.muted)),
                r,
            );
        }
        Row::Meta {
            key_item,
            value_item,
            row,
        } => {
            let Some(meta) = form.meta_rows.get(*row) else {
                return;
            };
            let key_on = focused(*key_item);
            let value_on = focused(*value_item);
            frame.render_widget(
                Paragraph::new(marker(key_on || value_on)),
                Rect { width: 2, ..r },
            );
            let key_r = Rect {
                x: r.x + 2,
                width: lw as u16,
                ..r
            };
            if key_on {
                draw_input(app, frame, key_r, &form.input);
            } else {
                let style = if value_on { t.label_focus } else { t.label };
                frame.render_widget(
                    Paragraph::new(Line::styled(fit(&meta.key, lw), style)),
                    key_r,
                );
            }
            if value_on {
                draw_input(app, frame, value_r, &form.input);
            } else if meta.value.is_empty() {
                frame.render_widget(
                    Paragraph::new(Line::styled("value", t.placeholder)),
                    value_r,
                );
            } else {
                frame.render_widget(
                    Paragraph::new(Line::styled(
                        fit(&meta.value, usize::from(value_w)),
                        t.value,
                    )),
                    value_r,
                );
            }
        }
        Row::AddMeta { item } => {
            let on = focused(*item);
            let style = if on { t.key } else { t.muted };
            let line = Line::from(vec![marker(on), Span::styled(strings::ADD_META, style)]);
            frame.render_widget(Paragraph::new(line), r);
        }
    }
}

fn members_line(n: &str, name: &str, phone: &str, width: usize) -> String {
    let name_w = width.saturating_sub(4 + 14).clamp(8, 28);
    fit(
        &format!("{}{}{}", pad(n, 3), pad(name, name_w + 1), phone),
        width,
    )
}

fn help_text(app: &App) -> String {
    let form = &app.form;
    match form.focused() {
        Some(Item::Field(i)) => match form.fields.get(i) {
            Some(f) => {
                let mut text = f.help.clone();
                if !f.example.is_empty() && !text.contains(&f.example) {
                    text.push_str(&format!(" Example: {}.", f.example));
                }
                if f.fixed {
                    text.push_str(" Set by the lender profile; it cannot be changed here.");
                }
                if !f.allowed.is_empty() && f.kind == Kind::Enum {
                    text.push_str(&format!(" Allowed: {}.", f.allowed.join(", ")));
                }
                text
            }
            None => String::new(),
        },
        Some(Item::MetaKey(_)) => "The key, sent exactly as written: usually metadata.<name>, e.g. metadata.branch. Ctrl-D removes the row.".into(),
        Some(Item::MetaValue(_)) => "The value for this key, sent as a string. Ctrl-D removes the row.".into(),
        Some(Item::AddMeta) => "Enter (or Ctrl-N) adds a free metadata row for lender-specific keys.".into(),
        None => String::new(),
    }
}

fn draw_help(app: &App, frame: &mut Frame, area: Rect) {
    if area.height == 0 {
        return;
    }
    let t = &app.theme;
    let width = usize::from(area.width);
    let label = form_label(app);
    let title = format!("─ {label} ");
    let rule = format!(
        "{title}{}",
        "─".repeat(width.saturating_sub(title.chars().count()))
    );
    frame.render_widget(
        Paragraph::new(Line::styled(fit(&rule, width), t.border)),
        Rect { height: 1, ..area },
    );
    if area.height > 1 {
        let body = Rect {
            y: area.y + 1,
            height: area.height - 1,
            ..area
        };
        frame.render_widget(
            Paragraph::new(help_text(app))
                .style(t.muted)
                .wrap(Wrap { trim: true }),
            body,
        );
    }
}

fn form_label(app: &App) -> String {
    match app.form.focused_field() {
        Some(f) => format!("{} ({})", f.label, f.key),
        None => "help".into(),
    }
}
