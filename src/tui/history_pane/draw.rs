//! Drawing the history pane from its own state and a `DrawCtx`: newest first, two lines
//! per order, status badges, search line.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use time::macros::format_description;

use crate::history::{OrderRow, Outcome, RefundMark};
use crate::juspay::OrderState;
use crate::text;
use crate::tui::keymap::{self, Action, Scope};
use crate::tui::order_view::format_amount;
use crate::tui::popup::DrawCtx;
use crate::tui::strings;
use crate::tui::theme::Theme;
use crate::tui::widgets::line_input::LineInput;

use super::{HISTORY_ROW_LINES as ROW_LINES, HistoryPane, history_list as list_area};

fn fit(text: &str, width: usize) -> String {
    text::fit(text, width).into_owned()
}

use crate::text::pad_right as pad;

/// What the pane shows that is not its own state: the desk's re-checks of open rows and
/// where the pane sits.
#[derive(Debug, Clone, Copy, Default)]
pub struct PaneStatus {
    /// The pane sits beside the form: a dividing line on its left.
    pub divider: bool,
    /// When open rows are next re-checked (`None`: no open rows).
    pub next_check: Option<OffsetDateTime>,
}

/// Cells the operator column takes at most (longer names are cut with `…`).
const OPERATOR_CELLS: usize = 8;
/// Below this pane width the operator column is left out: the pane beside the form (37
/// cells inside) keeps it, the full-width pane of the narrowest terminals does not.
const OPERATOR_MIN_WIDTH: usize = 36;

/// The search text in `cells` columns with a thin bar at the caret.
fn search_with_caret(input: &LineInput, cells: usize) -> String {
    let shown = input.shown(cells.saturating_sub(1));
    let (before, after) = text::split_at_width(&shown.text, shown.caret_x);
    pad(&format!("{before}▏{after}"), cells)
}
/// Badge words and style for a row.
fn badge(t: &Theme, row: &OrderRow) -> (String, Style) {
    match row.outcome {
        Outcome::Sending => ("SENDING".into(), t.status_unknown),
        Outcome::Unknown => ("UNKNOWN".into(), t.status_unknown),
        Outcome::Rejected => ("REJECTED".into(), t.status_failed),
        Outcome::NotCreated => ("NOT CREATED".into(), t.status_failed),
        Outcome::Created => match row.status.as_deref().map(OrderState::parse) {
            Some(OrderState::Charged) => (strings::PAID.into(), t.status_paid),
            Some(OrderState::Failed(_)) => ("FAILED".into(), t.status_failed),
            Some(OrderState::New) | None => ("NEW".into(), t.status_pending),
            Some(OrderState::Pending(s)) | Some(OrderState::Other(s)) => {
                (text::sanitize_line(&s).into_owned(), t.status_pending)
            }
        },
    }
}

/// "14:02" for today, "25 Nov" before.
fn when(ctx: &DrawCtx<'_>, created_at: &str) -> String {
    match OffsetDateTime::parse(created_at, &Rfc3339) {
        Ok(at) => {
            let at = at.to_offset(ctx.utc_offset);
            let today = ctx.now.to_offset(ctx.utc_offset).date();
            let fmt = if at.date() == today {
                format_description!("[hour]:[minute]")
            } else {
                format_description!("[day] [month repr:short]")
            };
            at.format(fmt).unwrap_or_default()
        }
        Err(_) => created_at.chars().take(6).collect(),
    }
}

impl HistoryPane {
    fn row_lines(
        &self,
        ctx: &DrawCtx<'_>,
        row: &OrderRow,
        width: usize,
        selected: bool,
    ) -> [Line<'static>; 2] {
        let t = ctx.theme;
        let (badge_text, badge_style) = badge(t, row);
        let badge_text = format!(" {badge_text} ");
        // Refunded orders carry a mark before the badge (measured in cells, like the rest).
        let mark = match self.refund_marks.get(&row.id) {
            Some(RefundMark::Full) => " REFUNDED",
            Some(RefundMark::Partial) => " PART-REFUNDED",
            None => "",
        };
        let left_w = width.saturating_sub(text::width(&badge_text) + text::width(mark) + 1);
        let first = format!(
            "{} {}",
            when(ctx, &row.created_at),
            text::sanitize_line(&row.order_id)
        );
        let who = [&row.customer_name, &row.customer_phone, &row.customer_email]
            .into_iter()
            .find(|s| !s.is_empty())
            .map(|s| text::sanitize_line(s).into_owned())
            .unwrap_or_default();
        let amount = format_amount(&row.amount, &row.currency);
        // The operator column goes first when the pane is narrow: customer and amount matter more.
        let operator = if row.operator.is_empty() || width < OPERATOR_MIN_WIDTH {
            String::new()
        } else {
            format!(
                "{} ",
                fit(&text::sanitize_line(&row.operator), OPERATOR_CELLS)
            )
        };
        let operator_w = text::width(&operator);
        let who_w = width.saturating_sub(text::width(&amount) + 2 + operator_w);
        let base = if selected { t.selection } else { t.text };
        let muted = if selected { t.selection } else { t.muted };
        [
            Line::from(vec![
                Span::styled(pad(&first, left_w), base),
                Span::styled(mark, t.warning),
                Span::raw(" "),
                Span::styled(badge_text, badge_style),
            ]),
            Line::from(vec![
                Span::styled(
                    pad(
                        &format!(" {}", fit(&who, who_w.saturating_sub(1))),
                        who_w + 1,
                    ),
                    muted,
                ),
                Span::styled(operator, muted),
                // Right-aligned and never cut: an amount is shown whole or not at all.
                Span::styled(
                    text::pad_left(&amount, width.saturating_sub(who_w + 1 + operator_w)),
                    base,
                ),
            ]),
        ]
    }

    /// Draws the pane in `pane`; `ctx.focused` when the focus chain gives it the keys.
    pub fn draw(&self, frame: &mut Frame, pane: Rect, ctx: &DrawCtx<'_>, status: &PaneStatus) {
        let focused = ctx.focused;
        let t = ctx.theme;
        // The dividing line, when the pane sits beside the form.
        if status.divider {
            let border = if focused { t.border_focus } else { t.border };
            let divider: Vec<Line> = (0..pane.height)
                .map(|_| Line::styled("│", border))
                .collect();
            frame.render_widget(Paragraph::new(divider), Rect { width: 1, ..pane });
        }
        let inner = Rect {
            x: pane.x + 2,
            width: pane.width.saturating_sub(3),
            ..pane
        };
        let width = usize::from(inner.width);
        let line = |n: u16| Rect {
            y: inner.y + n,
            height: 1,
            ..inner
        };
        let title = self.title_line(ctx, status, width);
        frame.render_widget(Paragraph::new(title), line(0));
        frame.render_widget(Paragraph::new(self.search_line(t, width)), line(1));
        let list = list_area(pane);
        if list.height == 0 {
            return;
        }
        if let Some((text, style)) = self.list_message(t) {
            frame.render_widget(
                Paragraph::new(Line::styled(text, style))
                    .wrap(ratatui::widgets::Wrap { trim: true }),
                list,
            );
            return;
        }
        let h = self;
        let rows = usize::from(list.height / ROW_LINES);
        for n in 0..rows {
            let index = h.top + n;
            if index >= h.total {
                break;
            }
            let r = Rect {
                y: list.y + (n as u16) * ROW_LINES,
                height: ROW_LINES,
                ..list
            };
            let lines = match h.row(index) {
                Some(row) => self
                    .row_lines(ctx, row, width, focused && index == h.selected)
                    .to_vec(),
                None => vec![Line::styled("…", t.muted), Line::raw("")],
            };
            frame.render_widget(Paragraph::new(lines), r);
        }
    }

    /// "History · 12 orders", and when open rows are re-checked, when the next check is.
    fn title_line(&self, ctx: &DrawCtx<'_>, status: &PaneStatus, width: usize) -> Line<'static> {
        let (t, focused) = (ctx.theme, ctx.focused);
        let total = self.total;
        let mut count = if self.more {
            // A capped count (`Count::MoreThan`): what is known, no more.
            format!("{total}+ orders")
        } else if total == 1 {
            "1 order".to_string()
        } else {
            format!("{total} orders")
        };
        if let Some(due) = status.next_check {
            let secs = (due - ctx.now).whole_seconds().max(0);
            count.push_str(&format!(" · open: next check in {secs} s"));
        }
        Line::from(vec![
            Span::styled("History", if focused { t.title } else { t.label }),
            Span::styled(
                fit(&format!(" · {count}"), width.saturating_sub(7)),
                t.muted,
            ),
        ])
    }

    /// The search being typed, the search in force, or the pane's keys (from the keymap).
    fn search_line(&self, t: &Theme, width: usize) -> Line<'static> {
        let h = self;
        if h.searching {
            return Line::from(vec![
                Span::styled("/ ", t.key),
                Span::styled(
                    search_with_caret(&h.search, width.saturating_sub(2)),
                    t.input,
                ),
            ]);
        }
        if !h.search.text().is_empty() {
            return Line::from(vec![
                Span::styled("/ ", t.key),
                Span::styled(fit(h.search.text(), width.saturating_sub(2)), t.value),
            ]);
        }
        let key = |a| keymap::key_for(Scope::History, a);
        let keys = format!(
            "{} search · {} open · {} refresh",
            key(Action::Search),
            key(Action::Enter),
            key(Action::Refresh)
        );
        Line::styled(fit(&keys, width), t.muted)
    }

    /// What the list says instead of rows: an error, still opening, empty, no match.
    fn list_message(&self, t: &Theme) -> Option<(String, Style)> {
        let h = self;
        if let Some(err) = &h.error {
            return Some((format!("History unavailable: {err}"), t.error));
        }
        if !h.available {
            return Some((strings::HISTORY_OPENING.to_string(), t.muted));
        }
        if h.total > 0 || h.loading {
            return None;
        }
        let text = if h.search.text().is_empty() {
            strings::HISTORY_EMPTY
        } else {
            strings::HISTORY_NO_MATCH
        };
        Some((text.to_string(), t.muted))
    }
}

#[cfg(test)]
mod tests {
    use crate::history::Count;
    use crate::tui::msg::Msg;
    use crate::tui::state::Start;
    use crate::tui::testing;
    use crate::tui::theme::Theme;

    /// A count that stopped at its cap says so ("1120+"); an exact one does not; the clerk
    /// can scroll through every row counted.
    #[test]
    fn a_count_that_stopped_says_more_and_an_exact_one_does_not() {
        let dir = std::env::temp_dir();
        let mut app = testing::app(&dir, "generic", Theme::dark(), Start::Blank, (140, 40));
        let generation = app.history.generation;
        app.update(Msg::HistoryLoaded {
            generation,
            offset: 0,
            total: Count::MoreThan(1120),
            rows: Vec::new(),
        });
        let screen = testing::render(&app).backend().to_string();
        assert!(screen.contains("History · 1120+ orders"), "{screen}");
        app.history.move_by(10_000, 20);
        assert_eq!(app.history.selected, 1119);
        app.update(Msg::HistoryLoaded {
            generation: app.history.generation,
            offset: 0,
            total: Count::Exact(7),
            rows: Vec::new(),
        });
        let screen = testing::render(&app).backend().to_string();
        assert!(screen.contains("History · 7 orders"), "{screen}");
    }
}
