//! One line of the form's field list: a field with its label, value or input and suffix,
//! a problem under it, the member list's lines, the extra (metadata) rows.

use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::session::FormField;
use crate::session::Kind;
use crate::text::width;
use crate::tui::form_ctx::FormCtx;
use crate::tui::form_state::{Editor, Item};
use crate::tui::keymap::{self, Action, Scope};
use crate::tui::strings;
use crate::tui::widgets::line_input::LineInput;

use super::{fit, pad};

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
    pub(super) fn belongs_to(&self, item: usize) -> bool {
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

/// The date format a field of this kind is typed in.
pub(super) fn format_hint(kind: Kind) -> Option<&'static str> {
    match kind {
        Kind::DateDmy => Some("dd-mm-yyyy"),
        Kind::DateDMonY => Some("dd-Mon-yyyy"),
        _ => None,
    }
}

/// Where a row's parts go: the whole row, the label column's width in cells, and the
/// value column after it.
struct Cols {
    row: Rect,
    label_w: usize,
    value: Rect,
}

impl Cols {
    fn new(row: Rect, label_w: usize) -> Cols {
        let start = 2 + label_w as u16 + 1;
        let value = Rect {
            x: row.x + start,
            width: row.width.saturating_sub(start),
            ..row
        };
        Cols {
            row,
            label_w,
            value,
        }
    }

    fn value_w(&self) -> usize {
        usize::from(self.value.width)
    }
}

/// Draws `row` in `r`, with labels `label_w` cells wide.
pub(super) fn draw(ctx: &FormCtx<'_>, frame: &mut Frame, r: Rect, row: &Row, label_w: usize) {
    let t = &ctx.theme;
    let cols = Cols::new(r, label_w);
    let focused = |item: usize| ctx.focused && ctx.form.focus == item;
    let muted_line = |frame: &mut Frame, text: &str, area: Rect| {
        let line = Line::styled(fit(text, usize::from(area.width)), t.muted);
        frame.render_widget(Paragraph::new(line), area);
    };
    match row {
        Row::Field { item, field } => draw_field(ctx, frame, &cols, *field, focused(*item)),
        Row::Problem { text, .. } => {
            let line = Line::styled(fit(&format!("↳ {text}"), cols.value_w()), t.error);
            frame.render_widget(Paragraph::new(line), cols.value);
        }
        Row::MembersHead { .. } | Row::Member { .. } | Row::MembersEmpty { .. } => {
            draw_members_row(ctx, frame, &cols, row, &focused);
        }
        Row::MembersAdd { item } => {
            let on = focused(*item);
            let text = if on {
                let key = |a| keymap::key_for(Scope::Members, a);
                format!(
                    "+ add ({}) · edit ({}) · remove ({}) · ↑/↓ select",
                    key(Action::AddRow),
                    key(Action::EditRow),
                    key(Action::RemoveRow)
                )
            } else {
                strings::add_member()
            };
            let style = if on { t.key } else { t.muted };
            let line = Line::styled(fit(&text, cols.value_w()), style);
            frame.render_widget(Paragraph::new(line), cols.value);
        }
        Row::MetaTitle => muted_line(frame, strings::META_TITLE, r),
        Row::Hidden(text) => muted_line(frame, text, cols.value),
        Row::Passthrough(keys) => {
            muted_line(frame, &format!("Also kept exactly as imported: {keys}"), r);
        }
        Row::Meta {
            key_item,
            value_item,
            row,
        } => draw_meta(
            ctx,
            frame,
            &cols,
            *row,
            focused(*key_item),
            focused(*value_item),
        ),
        Row::AddMeta { item } => {
            let on = focused(*item);
            let style = if on { t.key } else { t.muted };
            let line = Line::from(vec![
                marker(ctx, on),
                Span::styled(strings::add_meta(), style),
            ]);
            frame.render_widget(Paragraph::new(line), r);
        }
    }
}

/// "▶ " before the focused row, two spaces before the others.
fn marker(ctx: &FormCtx<'_>, on: bool) -> Span<'static> {
    Span::styled(if on { "▶ " } else { "  " }, ctx.theme.label_focus)
}

/// The marker and the label, padded to the label column (`*` for required fields).
fn label_spans(
    ctx: &FormCtx<'_>,
    label: &str,
    required: bool,
    on: bool,
    label_w: usize,
) -> Vec<Span<'static>> {
    let t = &ctx.theme;
    let style = if on { t.label_focus } else { t.label };
    let star = if required { " *" } else { "" };
    let text = fit(label, label_w.saturating_sub(star.len()));
    let padding = " ".repeat(label_w.saturating_sub(width(&text) + star.len()) + 1);
    vec![
        marker(ctx, on),
        Span::styled(text, style),
        Span::styled(star, t.required),
        Span::raw(padding),
    ]
}

fn draw_field(ctx: &FormCtx<'_>, frame: &mut Frame, cols: &Cols, field: usize, on: bool) {
    let form = &ctx.form;
    let Some(f) = form.fields.get(field) else {
        return;
    };
    let label = label_spans(ctx, &f.label, f.required, on, cols.label_w);
    frame.render_widget(Paragraph::new(Line::from(label)), cols.row);
    let it = Item::Field(field);
    let value = form.value(it);
    let suffix = field_suffix(ctx, f, &value, on);
    // The suffix takes the end of the value column when the input keeps 12 cells.
    let value_w = cols.value.width;
    let suffix_w = suffix.as_ref().map_or(0, |(s, _)| width(s) as u16 + 2);
    let input_w = if value_w > suffix_w + 12 {
        value_w - suffix_w
    } else {
        value_w
    };
    let input_r = Rect {
        width: input_w,
        ..cols.value
    };
    match form.editor(it) {
        Editor::Text if on => draw_input(ctx, frame, input_r, &form.input),
        editor => {
            let line = value_line(ctx, f, editor, &value, on, usize::from(input_w));
            frame.render_widget(Paragraph::new(line), input_r);
        }
    }
    if let Some((s, style)) = suffix
        && input_w < value_w
    {
        let sr = Rect {
            x: input_r.x + input_w + 2,
            width: value_w - input_w - 2,
            ..cols.row
        };
        frame.render_widget(
            Paragraph::new(Line::styled(fit(&s, usize::from(sr.width)), style)),
            sr,
        );
    }
}

/// What follows a field's value, first that applies: fixed by the profile, generated by
/// paydesk, where the value came from, the form's note, the date format (focused), the
/// offered values (focused).
fn field_suffix(
    ctx: &FormCtx<'_>,
    f: &FormField,
    value: &str,
    on: bool,
) -> Option<(String, Style)> {
    let t = &ctx.theme;
    let form = &ctx.form;
    if f.fixed {
        return Some((strings::FIXED.to_string(), t.fixed));
    }
    if f.key == crate::session::keys::ORDER_ID && form.generated_order_id.as_deref() == Some(value)
    {
        return Some((strings::GENERATED.to_string(), t.muted));
    }
    if let Some(origin) = form.origins.get(&f.key) {
        return Some((origin.label().to_string(), t.muted));
    }
    if let Some(note) = form.notes.get(&f.key) {
        return Some((note.clone(), t.muted));
    }
    if !on {
        return None;
    }
    if let Some(h) = format_hint(f.kind) {
        return Some((h.to_string(), t.muted));
    }
    form.offered.get(&f.key).map(|o| {
        let key = keymap::key_for(Scope::Offered, Action::OfferedList);
        (format!("{key}: {}", o.join(" / ")), t.muted)
    })
}

/// A field's value as shown when it is not being typed into: a choice between arrows,
/// a check box, a read-only value, or the value (placeholder when empty).
fn value_line(
    ctx: &FormCtx<'_>,
    f: &FormField,
    editor: Editor,
    value: &str,
    on: bool,
    cells: usize,
) -> Line<'static> {
    let t = &ctx.theme;
    match editor {
        Editor::Choice if on => {
            let shown = if value.is_empty() {
                strings::NOT_SET
            } else {
                value
            };
            let list = keymap::key_for(Scope::Choice, Action::Enter);
            Line::from(vec![
                Span::styled("◀ ", t.key),
                Span::styled(shown.to_string(), t.input),
                Span::styled(" ▶", t.key),
                Span::styled(format!("  {list}: list"), t.muted),
            ])
        }
        Editor::Choice if value.is_empty() => Line::styled(
            fit(&format!("choose: {}", f.allowed.join(" / ")), cells),
            t.placeholder,
        ),
        Editor::Choice => Line::styled(value.to_string(), t.value),
        Editor::Toggle => {
            let (mark, words) = match value {
                "true" => ("[x]", "yes"),
                "false" => ("[ ]", "no"),
                _ => ("[ ]", strings::NOT_SET),
            };
            let style = if on { t.input } else { t.value };
            let mut spans = vec![Span::styled(format!("{mark} {words}"), style)];
            if on {
                let keys = keymap::keys_for(Scope::Choice, Action::ChoiceNext);
                spans.push(Span::styled(format!("  {keys}: change"), t.muted));
            }
            Line::from(spans)
        }
        Editor::ReadOnly => Line::styled(fit(value, cells), t.fixed),
        _ => text_value_line(ctx, f, value, cells),
    }
}

/// A text field's value, or when empty what may go in it (offered values, format, example).
fn text_value_line(ctx: &FormCtx<'_>, f: &FormField, value: &str, cells: usize) -> Line<'static> {
    let t = &ctx.theme;
    let form = &ctx.form;
    if value.is_empty() {
        if let Some(offers) = form.offered.get(&f.key) {
            let key = keymap::key_for(Scope::Offered, Action::OfferedList);
            return Line::styled(
                fit(&strings::offered_placeholder(offers, &key), cells),
                t.placeholder,
            );
        }
        let hint = match (format_hint(f.kind), f.example.is_empty()) {
            (Some(h), true) => h.to_string(),
            (Some(h), false) => format!("{h}, e.g. {}", f.example),
            (None, false) => format!("e.g. {}", f.example),
            (None, true) => String::new(),
        };
        return Line::styled(fit(&hint, cells), t.placeholder);
    }
    // Values from the desk's settings are dimmed: nobody typed them.
    let desk = form.origins.get(&f.key) == Some(&crate::session::desk::Origin::DeskSettings);
    Line::styled(fit(value, cells), if desk { t.muted } else { t.value })
}

/// The member list's heading, one member, or "no members".
fn draw_members_row(
    ctx: &FormCtx<'_>,
    frame: &mut Frame,
    cols: &Cols,
    row: &Row,
    focused: &dyn Fn(usize) -> bool,
) {
    let t = &ctx.theme;
    let form = &ctx.form;
    match row {
        Row::MembersHead { item, field } => {
            let Some(f) = form.fields.get(*field) else {
                return;
            };
            let mut spans = label_spans(ctx, &f.label, f.required, focused(*item), cols.label_w);
            spans.push(Span::styled(
                members_line("#", "Name", "Phone", cols.value_w()),
                t.muted,
            ));
            frame.render_widget(Paragraph::new(Line::from(spans)), cols.row);
        }
        Row::Member { item, index } => {
            let Some(m) = form.form.members.get(*index) else {
                return;
            };
            let on = focused(*item) && form.member_sel == *index;
            let n = (index + 1).to_string();
            let text = members_line(&n, &m.member_name, &m.member_phone, cols.value_w());
            let style = if on { t.selection } else { t.value };
            frame.render_widget(Paragraph::new(Line::styled(text, style)), cols.value);
        }
        _ => frame.render_widget(
            Paragraph::new(Line::styled(strings::NO_MEMBERS, t.placeholder)),
            cols.value,
        ),
    }
}

fn members_line(n: &str, name: &str, phone: &str, width: usize) -> String {
    let name_w = width.saturating_sub(4 + 14).clamp(8, 28);
    fit(
        &format!("{}{}{}", pad(n, 3), pad(name, name_w + 1), phone),
        width,
    )
}

/// An extra (metadata) row: its key in the label column, its value after it.
fn draw_meta(
    ctx: &FormCtx<'_>,
    frame: &mut Frame,
    cols: &Cols,
    row: usize,
    key_on: bool,
    value_on: bool,
) {
    let t = &ctx.theme;
    let form = &ctx.form;
    let Some(meta) = form.meta_rows.get(row) else {
        return;
    };
    frame.render_widget(
        Paragraph::new(marker(ctx, key_on || value_on)),
        Rect {
            width: 2,
            ..cols.row
        },
    );
    let key_r = Rect {
        x: cols.row.x + 2,
        width: cols.label_w as u16,
        ..cols.row
    };
    if key_on {
        draw_input(ctx, frame, key_r, &form.input);
    } else {
        let style = if value_on { t.label_focus } else { t.label };
        let line = Line::styled(fit(&meta.key, cols.label_w), style);
        frame.render_widget(Paragraph::new(line), key_r);
    }
    if value_on {
        draw_input(ctx, frame, cols.value, &form.input);
        return;
    }
    let line = if meta.value.is_empty() {
        Line::styled("value", t.placeholder)
    } else {
        Line::styled(fit(&meta.value, cols.value_w()), t.value)
    };
    frame.render_widget(Paragraph::new(line), cols.value);
}

/// Draws the focused text input with its caret, scrolled so the caret shows.
fn draw_input(ctx: &FormCtx<'_>, frame: &mut Frame, area: Rect, input: &LineInput) {
    let t = &ctx.theme;
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
