//! The form: tabs, the fields of the current tab (scrolling when they exceed the height),
//! problems and send progress, and the focused field's help at the bottom.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use crate::session::Kind;
use crate::tui::form_ctx::FormCtx;
use crate::tui::form_state::Item;
use crate::tui::keymap::{self, Action, Scope};
use crate::tui::state::NoticeKind;
use crate::tui::strings;

use crate::text::wrap;

use super::form_row;
pub use super::form_row::Row;
use super::{Hit, fit, tabs};

/// The lines of the current tab, in order.
pub fn rows(ctx: &FormCtx<'_>) -> Vec<Row> {
    let form = &ctx.form;
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
                    member_rows(ctx, &mut rows, idx, fi);
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
    rows.extend(hidden_row(ctx));
    rows
}

/// The member list's lines: its heading, each member (or "no members"), "+ add".
fn member_rows(ctx: &FormCtx<'_>, rows: &mut Vec<Row>, item: usize, field: usize) {
    rows.push(Row::MembersHead { item, field });
    let members = ctx.form.form.members.len();
    if members == 0 {
        rows.push(Row::MembersEmpty { item });
    }
    rows.extend((0..members).map(|index| Row::Member { item, index }));
    rows.push(Row::MembersAdd { item });
}

/// "N more fields this profile does not use", when the tab hides some.
fn hidden_row(ctx: &FormCtx<'_>) -> Option<Row> {
    let form = &ctx.form;
    if form.all_fields {
        return None;
    }
    let section = form.section();
    let count = |fields: &[crate::session::FormField]| {
        fields.iter().filter(|f| f.section == section).count()
    };
    let hidden = count(&form.every_field) - count(&form.fields);
    (hidden > 0).then(|| {
        let key = keymap::key_for(Scope::Form, Action::AllFields);
        Row::Hidden(strings::hidden_fields(hidden, &key))
    })
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
fn status_lines(ctx: &FormCtx<'_>, width: usize) -> Vec<Line<'static>> {
    let mut lines = message_lines(ctx, width);
    lines.extend(problem_lines(ctx, width));
    lines
}

/// The sending line and the notice, wrapped to `width`.
fn message_lines(ctx: &FormCtx<'_>, width: usize) -> Vec<Line<'static>> {
    let t = &ctx.theme;
    let mut lines = Vec::new();
    if let Some(customer) = ctx.form.returning.as_ref().filter(|_| ctx.shown) {
        // One line: the offer lasts one key, so it must be read at a glance.
        let key = keymap::key_for(Scope::Returning, Action::UseDetails);
        let summary = crate::text::sanitize_line(&customer.summary()).into_owned();
        let text = strings::returning_offer(&summary, &key);
        lines.push(Line::styled(fit(&format!("↩ {text}"), width), t.info));
    }
    if let Some(text) = &ctx.sending {
        for l in wrap(text, width, "  ") {
            lines.push(Line::styled(l, t.info));
        }
    }
    if let Some(notice) = &ctx.notice {
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
fn problem_lines(ctx: &FormCtx<'_>, width: usize) -> Vec<Line<'static>> {
    let t = &ctx.theme;
    let mut lines = Vec::new();
    if ctx.form.show_problem_list {
        let problems = ctx.form.all_problems();
        if !problems.is_empty() {
            for l in wrap(&strings::problems_title(problems.len()), width, "") {
                lines.push(Line::styled(l, t.error));
            }
            for (key, message) in problems {
                let tab = ctx.form.section_of(&key).title();
                let text = format!("  {tab} › {}: {message}", ctx.form.label_of(&key));
                for l in wrap(&text, width, "    ") {
                    lines.push(Line::styled(l, t.text));
                }
            }
        }
    }
    lines
}

pub fn parts(ctx: &FormCtx<'_>, area: Rect) -> Parts {
    let help_h: u16 = if area.height >= 16 {
        3
    } else if area.height >= 10 {
        2
    } else {
        0
    };
    let status = status_lines(ctx, usize::from(area.width));
    // The problem list takes at most half of what the help line leaves (each problem also
    // shows under its field); the sending line and a notice take all they need: the help
    // goes first, then field rows (they are back once the notice is).
    let messages =
        u16::try_from(message_lines(ctx, usize::from(area.width)).len()).unwrap_or(u16::MAX);
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
fn label_width(ctx: &FormCtx<'_>, width: u16) -> usize {
    let longest = ctx
        .form
        .items()
        .iter()
        .filter_map(|i| ctx.form.field(*i))
        .map(|f| crate::text::width(&f.label) + 2)
        .max()
        .unwrap_or(12);
    let longest_key = ctx
        .form
        .meta_rows
        .iter()
        .map(|r| crate::text::width(&r.key) + 1)
        .max()
        .unwrap_or(0);
    if ctx.form.section() == crate::session::Section::Extras && longest_key > longest {
        return longest_key.clamp(12, 36).min(usize::from(width) * 2 / 5);
    }
    longest.clamp(12, 26).min(usize::from(width) / 3)
}

/// Lines of the focused item `(first, end)` and the height of the field list in `main`
/// (the form's area, `layout::areas`), for scrolling. `None` when the form is not shown.
pub fn focus_lines(ctx: &FormCtx<'_>, main: Rect) -> Option<(usize, usize, usize)> {
    if !ctx.shown || main.height == 0 {
        return None;
    }
    let p = parts(ctx, main);
    let rows = rows(ctx);
    let first = rows.iter().position(|r| r.belongs_to(ctx.form.focus))?;
    let last = rows
        .iter()
        .rposition(|r| r.belongs_to(ctx.form.focus))
        .unwrap_or(first);
    Some((first, last + 1, usize::from(p.fields.height)))
}

pub fn hit(ctx: &FormCtx<'_>, area: Rect, x: u16, y: u16) -> Option<Hit> {
    let p = parts(ctx, area);
    if let Some(i) = tabs::hit(ctx, p.tabs, x, y) {
        return Some(Hit::Tab(i));
    }
    if y < p.fields.y || y >= p.fields.y + p.fields.height {
        return None;
    }
    let line = ctx.form.scroll + usize::from(y - p.fields.y);
    let rows = rows(ctx);
    let value_x = area.x + 2 + label_width(ctx, area.width) as u16 + 1;
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

pub fn draw(ctx: &FormCtx<'_>, frame: &mut Frame, area: Rect) {
    let t = &ctx.theme;
    let p = parts(ctx, area);
    tabs::draw(ctx, frame, p.tabs);
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
    draw_fields(ctx, frame, p.fields);
    if p.status.height > 0 {
        let lines = status_lines(ctx, usize::from(area.width));
        frame.render_widget(Paragraph::new(lines), p.status);
    }
    draw_help(ctx, frame, p.help);
}

fn draw_fields(ctx: &FormCtx<'_>, frame: &mut Frame, area: Rect) {
    if area.height == 0 {
        return;
    }
    let rows = rows(ctx);
    if rows.is_empty() {
        let text = "This tab has no fields under the current profile.";
        frame.render_widget(Paragraph::new(Line::styled(text, ctx.theme.muted)), area);
        return;
    }
    let lw = label_width(ctx, area.width);
    for (n, row) in rows
        .iter()
        .skip(ctx.form.scroll)
        .take(usize::from(area.height))
        .enumerate()
    {
        let r = Rect {
            y: area.y + n as u16,
            height: 1,
            ..area
        };
        form_row::draw(ctx, frame, r, row, lw);
    }
    // Scroll marks when fields are hidden above or below.
    let t = &ctx.theme;
    if ctx.form.scroll > 0 {
        let r = Rect {
            x: area.x + area.width.saturating_sub(1),
            y: area.y,
            width: 1,
            height: 1,
        };
        frame.render_widget(Paragraph::new(Span::styled("▲", t.muted)), r);
    }
    if rows.len() > ctx.form.scroll + usize::from(area.height) {
        let r = Rect {
            x: area.x + area.width.saturating_sub(1),
            y: area.y + area.height - 1,
            width: 1,
            height: 1,
        };
        frame.render_widget(Paragraph::new(Span::styled("▼", t.muted)), r);
    }
}

fn help_text(ctx: &FormCtx<'_>) -> String {
    let form = &ctx.form;
    match form.focused() {
        Some(Item::Field(i)) => match form.fields.get(i) {
            Some(f) => {
                let mut text = f.help.clone();
                // The help may carry its own example (`Example: Female`); one is enough.
                if !f.example.is_empty() && !text.contains(&f.example) && !text.contains("Example:")
                {
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

fn draw_help(ctx: &FormCtx<'_>, frame: &mut Frame, area: Rect) {
    if area.height == 0 {
        return;
    }
    let t = &ctx.theme;
    let width = usize::from(area.width);
    let label = form_label(ctx);
    let title = format!("─ {label} ");
    let rule = format!(
        "{title}{}",
        "─".repeat(width.saturating_sub(crate::text::width(&title)))
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
            Paragraph::new(help_text(ctx))
                .style(t.muted)
                .wrap(Wrap { trim: true }),
            body,
        );
    }
}

fn form_label(ctx: &FormCtx<'_>) -> String {
    match ctx.form.focused_field() {
        Some(f) => format!("{} ({})", f.label, f.key),
        None => "help".into(),
    }
}

#[cfg(test)]
mod tests {
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;

    use super::*;
    use crate::session::Form;
    use crate::tui::form_state::FormState;
    use crate::tui::testing::fixture_profile;
    use crate::tui::theme::Theme;
    use crate::tui::widgets::line_input::Edit;

    /// The form shown and focused, nothing being sent, no notice.
    fn focused<'a>(form: &'a FormState, theme: &'a Theme) -> FormCtx<'a> {
        FormCtx {
            form,
            theme,
            shown: true,
            focused: true,
            sending: None,
            notice: None,
        }
    }

    fn screen(ctx: &FormCtx<'_>, width: u16, height: u16) -> String {
        let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("terminal");
        terminal
            .draw(|frame| draw(ctx, frame, frame.area()))
            .expect("draw");
        terminal.backend().to_string()
    }

    /// The form part alone: its own state changed by its own edits, drawn through its
    /// context, with no `App` anywhere.
    #[test]
    fn the_form_draws_alone_from_its_state_and_context() {
        let profile = fixture_profile();
        let mut form = FormState::new(&profile, Form::default(), None);
        assert!(form.focus_key("customer_first_name"));
        form.load_input();
        for c in "陈伟😀abc".chars() {
            form.input.apply(Edit::Insert(c));
        }
        form.store_input();
        let theme = Theme::dark();
        let ctx = FormCtx {
            sending: Some("⠋ Sending order D7 to the emulator…".into()),
            ..focused(&form, &theme)
        };
        let text = screen(&ctx, 80, 24);
        assert!(text.contains("陈伟😀abc"), "{text}");
        assert!(text.contains("▶ "), "the focused field is marked:\n{text}");
        assert!(text.contains("Sending order D7"), "{text}");
        assert!(
            text.contains("customer_first_name"),
            "the help names the field:\n{text}"
        );
        // The same state, not focused: no marker, and the hit-test finds the field row.
        let idle = FormCtx {
            focused: false,
            sending: None,
            ..ctx
        };
        let text = screen(&idle, 80, 24);
        assert!(!text.contains("▶ "), "{text}");
        assert!(!text.contains("Sending"), "{text}");
        let area = Rect::new(0, 0, 80, 24);
        let (first, _, height) = focus_lines(&idle, area).expect("the form is shown");
        assert!(first < height);
        let y = 2 + (first - form.scroll) as u16;
        assert_eq!(hit(&idle, area, 10, y), Some(Hit::Item(form.focus)));
    }

    #[test]
    fn a_help_with_its_own_example_gets_no_second_one() {
        let profile = fixture_profile();
        let mut form = FormState::new(&profile, Form::default(), None);
        assert!(form.focus_key(crate::session::keys::CUSTOMER_GENDER));
        let theme = Theme::dark();
        let ctx = focused(&form, &theme);
        let text = screen(&ctx, 120, 30);
        assert_eq!(text.matches("Example:").count(), 1, "{text}");
    }

    #[test]
    fn a_focused_yes_no_field_names_its_keys_from_the_keymap() {
        let profile = fixture_profile();
        let mut form = FormState::new(&profile, Form::default(), None);
        assert!(form.focus_key(crate::session::keys::GET_CLIENT_AUTH_TOKEN));
        let theme = Theme::dark();
        let ctx = focused(&form, &theme);
        let text = screen(&ctx, 100, 30);
        assert!(text.contains("→/Space: change"), "{text}");
    }
}
