//! The order view's refunds and story (issue 15): each refund attempt with its live state,
//! then the newest events of the order, newest first (time, what happened, operator and
//! counter when recorded). Drawn from the view's copy of the history, which the desk re-reads while a
//! refund is open.

use ratatui::style::Style;
use ratatui::text::{Line, Span};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use time::macros::format_description;

use crate::history::OrderEvent;
use crate::juspay::refund::rupees;
use crate::orders::refund_state::RefundState;
use crate::text;
use crate::tui::popup::DrawCtx;

use super::{OrderView, format_amount};

/// Events shown at most (the newest); `paydesk history show` has them all.
const EVENTS_SHOWN: usize = 6;
/// Label column, as the other details of the result.
const LABEL_W: usize = 11;

/// Lines for the refunds and the story; none while the history has neither.
pub fn lines(ctx: &DrawCtx<'_>, view: &OrderView, width: usize) -> Vec<Line<'static>> {
    let t = ctx.theme;
    let value_w = width.saturating_sub(LABEL_W).max(1);
    let row = |label: &str, value: String, style: Style| {
        Line::from(vec![
            Span::styled(text::pad_right(label, LABEL_W), t.label),
            Span::styled(
                text::fit(&text::sanitize_line(&value), value_w).into_owned(),
                style,
            ),
        ])
    };
    let mut out = Vec::new();
    for (i, refund) in view.refunds.iter().enumerate() {
        let amount = refund
            .amount_paise
            .map_or("all that was left".to_string(), |p| {
                format_amount(&rupees(p), "INR")
            });
        let style = match refund.state {
            RefundState::Success => t.status_paid,
            RefundState::Failure | RefundState::Rejected | RefundState::NotSent => t.status_failed,
            RefundState::ManualReview => t.warning,
            _ => t.status_pending,
        };
        let live = if refund.state.is_open() {
            " · live"
        } else {
            ""
        };
        let label = if i == 0 { "Refunds" } else { "" };
        out.push(Line::from(vec![
            Span::styled(text::pad_right(label, LABEL_W), t.label),
            Span::styled(
                text::fit(
                    &format!("{amount} {}{live}", refund.state.as_str().to_uppercase()),
                    value_w,
                )
                .into_owned(),
                style,
            ),
        ]));
        out.push(row("", format!("reason: {}", refund.reason), t.muted));
    }
    // Newest first, so a short screen cuts the oldest.
    let skipped = view.events.len().saturating_sub(EVENTS_SHOWN);
    for (i, event) in view.events.iter().rev().take(EVENTS_SHOWN).enumerate() {
        let label = if i == 0 { "Story" } else { "" };
        out.push(row(label, event_text(event, ctx.utc_offset), t.muted));
    }
    if skipped > 0 {
        out.push(row(
            "",
            format!("… {skipped} earlier: paydesk history show"),
            t.muted,
        ));
    }
    out
}

/// `14:02 refund abc: success · by asha · at counter 2`: the detail, or the kind for an
/// event without one.
fn event_text(event: &OrderEvent, utc_offset: time::UtcOffset) -> String {
    let at = OffsetDateTime::parse(&event.at, &Rfc3339)
        .ok()
        .and_then(|at| {
            at.to_offset(utc_offset)
                .format(format_description!("[hour]:[minute]"))
                .ok()
        })
        .unwrap_or_else(|| event.at.clone());
    // The detail says what happened; an event without one (an order created) by its kind.
    let what = if event.detail.is_empty() {
        &event.kind
    } else {
        &event.detail
    };
    let mut text = format!("{at} {what}");
    if let Some(operator) = event.operator.as_deref().filter(|o| !o.is_empty()) {
        text.push_str(&format!(" · by {operator}"));
    }
    if let Some(counter) = event.counter.as_deref().filter(|c| !c.is_empty()) {
        text.push_str(&format!(" · at {counter}"));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(kind: &str, detail: &str) -> OrderEvent {
        OrderEvent {
            id: 1,
            order_id: "PD1".into(),
            order_row_id: Some(1),
            refund_id: None,
            at: "2026-11-30T09:21:00.000Z".into(),
            kind: kind.into(),
            detail: detail.into(),
            operator: Some("asha".into()),
            counter: Some("vm".into()),
        }
    }

    #[test]
    fn an_event_without_detail_shows_its_kind() {
        let utc = time::UtcOffset::UTC;
        assert_eq!(
            event_text(&event("created", ""), utc),
            "09:21 created · by asha · at vm"
        );
        assert_eq!(
            event_text(&event("status", "CHARGED"), utc),
            "09:21 CHARGED · by asha · at vm"
        );
    }
}
