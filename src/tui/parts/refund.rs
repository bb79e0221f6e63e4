//! The refund dialog (issue 15, item 4), a self-contained part in the shape issue 12 asks
//! for: it owns its state (private), turns a key into its own change plus effects
//! ([`RefundDialog::key`]), draws from that state and a small [`DrawCtx`] (never from
//! `App`), and lists the commands it offers now ([`RefundDialog::commands`]) with the
//! live keys of the keymap.
//!
//! Steps: amount (default: all that is refundable, never more) and reason (a short pick
//! list plus free text, both through the one line-input widget) → a confirmation with the
//! amount in digits and words → in production, a second question → sending (the refund
//! runs as a tokio task through `orders::refund`, which writes its row first) → the
//! outcome. Operator and counter are not recorded yet (issue 14).

mod words;

use crossterm::event::KeyEvent;
use ratatui::Frame;
use ratatui::layout::{Constraint, Position, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};

use crate::juspay::refund::{paise_from_rupees, rupees};
use crate::orders::refund::RefundAsk;
use crate::session::profile::RefundPolicy;
use crate::text;
use crate::tui::effects::Effect;
use crate::tui::keymap::{self, Action, Scope};
use crate::tui::order_view::format_amount;
use crate::tui::popup::{self, Popup};
use crate::tui::refund_msgs::{RefundSend, RefundTarget, RefundTask};
use crate::tui::widgets::line_input::LineInput;

pub use crate::tui::popup::{Command, DrawCtx};
pub use words::rupees_in_words;

/// The reasons offered first; the last one asks for the free text.
pub const REASONS: [&str; 5] = [
    "Trip or course cancelled",
    "Customer withdrew",
    "Customer paid twice",
    "Wrong amount charged",
    "Other (say why below)",
];
/// Longest reason kept, in characters (as `paydesk refund`).
const REASON_MAX: usize = 200;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    Amount,
    Reason,
    Details,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Step {
    Edit,
    Confirm,
    /// Production only: the second question.
    ConfirmAgain,
    Sending,
    /// The outcome in a line; `true` when Juspay took the refund.
    Done(String, bool),
}

/// The refund dialog's state. Private: only its methods change it.
#[derive(Debug, Clone)]
pub struct RefundDialog {
    target: RefundTarget,
    step: Step,
    field: Field,
    amount: LineInput,
    pick: usize,
    details: LineInput,
    error: Option<String>,
}

/// What a key did to the dialog.
#[derive(Debug, Default)]
pub struct Reply {
    /// Work for the runner (the refund task).
    pub effects: Vec<Effect>,
    /// The dialog is done and goes away.
    pub close: bool,
    /// An action the dialog does not use, for the desk to handle (or ignore).
    pub propagate: Option<Action>,
}

impl Reply {
    fn closing() -> Reply {
        Reply {
            close: true,
            ..Reply::default()
        }
    }

    fn propagating(action: Action) -> Reply {
        Reply {
            propagate: Some(action),
            ..Reply::default()
        }
    }
}

impl RefundDialog {
    /// A dialog for `target`, the amount set to all that is refundable.
    pub fn new(target: RefundTarget) -> RefundDialog {
        let amount = LineInput::new(&rupees(target.refundable_paise));
        RefundDialog {
            target,
            step: Step::Edit,
            field: Field::Amount,
            amount,
            pick: 0,
            details: LineInput::new(""),
            error: None,
        }
    }

    /// The order this dialog refunds.
    pub fn order_id(&self) -> &str {
        &self.target.order_id
    }

    /// The keymap scopes of the step (footer and key lookup).
    pub fn scopes(&self) -> Vec<Scope> {
        match self.step {
            Step::Confirm | Step::ConfirmAgain => vec![Scope::Confirm],
            _ => vec![Scope::Refund],
        }
    }

    /// The commands the dialog offers now, with their keys from the keymap.
    pub fn commands(&self) -> Vec<Command> {
        let list: &[(Scope, Action, &'static str)] = match (&self.step, self.field) {
            (Step::Edit, Field::Reason) => &[
                (Scope::Refund, Action::Enter, "continue"),
                (Scope::Refund, Action::Down, "next reason"),
                (Scope::Refund, Action::NextField, "next field"),
                (Scope::Refund, Action::Back, "cancel"),
            ],
            (Step::Edit, _) => &[
                (Scope::Refund, Action::Enter, "continue"),
                (Scope::Refund, Action::NextField, "next field"),
                (Scope::Refund, Action::Back, "cancel"),
            ],
            (Step::Confirm | Step::ConfirmAgain, _) => &[
                (Scope::Confirm, Action::Yes, "refund"),
                (Scope::Confirm, Action::No, "back"),
            ],
            (Step::Sending | Step::Done(..), _) => &[(Scope::Refund, Action::Back, "close")],
        };
        list.iter()
            .map(|(scope, action, label)| Command {
                key: keymap::key_for(*scope, *action),
                label,
                action: *action,
            })
            .collect()
    }

    /// A key: the dialog's change, and the effects it asks for.
    /// A key: an action of the keymap (see [`RefundDialog::act`]), else an edit of the
    /// field in focus.
    pub fn key(&mut self, key: &KeyEvent) -> Reply {
        match keymap::lookup(&self.scopes(), key) {
            Some(action) => self.act(action),
            None => {
                if self.step == Step::Edit {
                    self.error = None;
                    let input = match self.field {
                        Field::Amount => Some(&mut self.amount),
                        Field::Details => Some(&mut self.details),
                        Field::Reason => None,
                    };
                    if let (Some(input), Some(edit)) = (input, keymap::edit(key)) {
                        input.apply(edit);
                    }
                }
                Reply::default()
            }
        }
    }

    /// An action, from a key or a click on one of [`RefundDialog::commands`]: the
    /// dialog's change and effects. An action it has no use for (quit, say) comes back
    /// in `Reply::propagate` for the desk.
    pub fn act(&mut self, action: Action) -> Reply {
        match self.step {
            Step::Edit => self.edit_action(action),
            Step::Confirm | Step::ConfirmAgain => self.confirm_action(action),
            Step::Sending | Step::Done(..) => match action {
                Action::Back => Reply::closing(),
                Action::Enter if self.step != Step::Sending => Reply::closing(),
                other => Reply::propagating(other),
            },
        }
    }

    /// Pasted text goes into the field being edited.
    pub fn paste(&mut self, text: &str) {
        if self.step != Step::Edit {
            return;
        }
        match self.field {
            Field::Amount => self.amount.insert_str(text),
            Field::Details => self.details.insert_str(text),
            Field::Reason => {}
        }
    }

    /// The refund task answered (for this dialog's order): `Ok` with the refund's state
    /// in words, `Err` with why nothing was refunded.
    pub fn finished(&mut self, outcome: Result<String, String>) {
        self.step = match outcome {
            Ok(text) => Step::Done(text, true),
            Err(text) => Step::Done(text, false),
        };
    }

    fn edit_action(&mut self, action: Action) -> Reply {
        self.error = None;
        match action {
            Action::Back => return Reply::closing(),
            Action::NextField => self.field = self.field_after(1),
            Action::PrevField => self.field = self.field_after(-1),
            // Through the reasons, then on to the next field: no wrapping round, so the
            // reason never changes behind the clerk's back (found by a clerk probe).
            Action::Down if self.field == Field::Reason && self.pick + 1 < REASONS.len() => {
                self.pick += 1
            }
            Action::Up if self.field == Field::Reason && self.pick > 0 => self.pick -= 1,
            Action::Up => self.field = self.field_after(-1),
            Action::Down => self.field = self.field_after(1),
            Action::Enter => match self.checked() {
                Ok(_) => self.step = Step::Confirm,
                Err(e) => self.error = Some(e),
            },
            other => return Reply::propagating(other),
        }
        Reply::default()
    }

    fn confirm_action(&mut self, action: Action) -> Reply {
        match action {
            Action::Yes if self.step == Step::Confirm && self.target.production => {
                self.step = Step::ConfirmAgain;
                Reply::default()
            }
            Action::Yes => match self.checked() {
                Ok(ask) => {
                    self.step = Step::Sending;
                    let send = RefundSend {
                        ask,
                        policy: self.target.policy,
                        profile: self.target.profile.clone(),
                        env_name: self.target.env_name.clone(),
                    };
                    Reply {
                        effects: vec![Effect::Refund(RefundTask::Send(Box::new(send)))],
                        ..Reply::default()
                    }
                }
                Err(e) => {
                    self.step = Step::Edit;
                    self.error = Some(e);
                    Reply::default()
                }
            },
            Action::No => {
                self.step = Step::Edit;
                Reply::default()
            }
            other => Reply::propagating(other),
        }
    }

    fn field_after(&self, step: i32) -> Field {
        const ORDER: [Field; 3] = [Field::Amount, Field::Reason, Field::Details];
        let at = ORDER.iter().position(|f| *f == self.field).unwrap_or(0) as i32;
        ORDER[(at + step).rem_euclid(3) as usize]
    }

    fn amount_paise(&self) -> Result<u64, String> {
        let plain: String = self
            .amount
            .text()
            .chars()
            .filter(|c| !matches!(c, ',' | ' ' | '₹'))
            .collect();
        let left = self.target.refundable_paise;
        match paise_from_rupees(&plain) {
            Some(0) => Err("The amount must be more than ₹0.00.".into()),
            Some(p) if p > left => Err(format!(
                "At most {} is left to refund on this order.",
                money(left)
            )),
            Some(p) => Ok(p),
            None => Err("Type the amount in rupees, e.g. 1250.50.".into()),
        }
    }

    fn reason(&self) -> Result<String, String> {
        let details = text::sanitize_line(self.details.text()).trim().to_string();
        let other = self.pick + 1 == REASONS.len();
        let reason = match (other, details.is_empty()) {
            (true, true) => return Err("Say why the money goes back (the line below).".into()),
            (true, false) => details,
            (false, true) => REASONS[self.pick].to_string(),
            (false, false) => format!("{}: {details}", REASONS[self.pick]),
        };
        if reason.chars().count() > REASON_MAX {
            return Err(format!(
                "The reason is longer than {REASON_MAX} characters."
            ));
        }
        Ok(reason)
    }

    /// The refund asked for, or why it cannot be: amount and reason, then the lender
    /// profile's rule (a `full` profile refuses anything but all of the order).
    fn checked(&self) -> Result<RefundAsk, String> {
        let paise = self.amount_paise()?;
        let reason = self.reason()?;
        let t = &self.target;
        let refunded = t.order_paise.saturating_sub(t.refundable_paise);
        t.policy
            .check(&t.profile, Some(paise), t.order_paise, refunded)
            .map_err(|e| capitalised(&e))?;
        Ok(RefundAsk {
            order_id: t.order_id.clone(),
            amount_paise: Some(paise),
            reason,
        })
    }

    // ----- drawing ------------------------------------------------------------------

    /// Draws the dialog centred in `screen`.
    pub fn draw(&self, frame: &mut Frame, screen: Rect, ctx: &DrawCtx<'_>) {
        let t = ctx.theme;
        let width = screen.width.saturating_sub(4).min(72);
        let body = self.body_lines(ctx, usize::from(width.saturating_sub(2)));
        let height = (body.len() as u16 + 2).min(screen.height);
        let area = screen.centered(Constraint::Length(width), Constraint::Length(height));
        frame.render_widget(Clear, area);
        let hint: Vec<String> = self
            .commands()
            .iter()
            .map(|c| format!("{} {}", c.key, c.label))
            .collect();
        let block = Block::bordered()
            .border_style(if ctx.focused {
                t.border_focus
            } else {
                t.border
            })
            .style(t.base)
            .title_top(Line::styled(
                format!(" Refund {} ", text::sanitize_line(&self.target.order_id)),
                t.title,
            ))
            .title_bottom(Line::styled(format!(" {} ", hint.join(" · ")), t.muted));
        let inner = block.inner(area);
        frame.render_widget(block, area);
        frame.render_widget(Paragraph::new(body), inner);
        if ctx.focused
            && self.step == Step::Edit
            && let Some((row, input)) = match self.field {
                Field::Amount => Some((AMOUNT_ROW, &self.amount)),
                Field::Details => Some((DETAILS_ROW, &self.details)),
                Field::Reason => None,
            }
        {
            let cells = usize::from(inner.width).saturating_sub(LABEL_W);
            let x = inner.x + (LABEL_W + input.shown(cells).caret_x) as u16;
            if row < inner.height && x < inner.x + inner.width {
                frame.set_cursor_position(Position::new(x, inner.y + row));
            }
        }
    }

    fn body_lines(&self, ctx: &DrawCtx<'_>, width: usize) -> Vec<Line<'static>> {
        let t = ctx.theme;
        let target = &self.target;
        let refunded = target.order_paise.saturating_sub(target.refundable_paise);
        // Amounts are never cut: one to a row, after a short label.
        let amount_row = |label: &str, paise: u64, note: &str| {
            Line::from(vec![
                Span::styled(text::pad_right(label, LABEL_W), t.label),
                Span::styled(money(paise), t.value),
                Span::styled(note.to_string(), t.muted),
            ])
        };
        // Once this refund is on its way the figures are those from before it: said so,
        // rather than showing a "Left" that this refund has already changed.
        let (refunded_note, left_note) = match self.step {
            Step::Sending | Step::Done(..) => (" (before this refund)", " (before this refund)"),
            _ => (" (done or pending)", ""),
        };
        let mut lines = vec![
            amount_row("Paid", target.order_paise, ""),
            amount_row("Refunded", refunded, refunded_note),
            amount_row("Left", target.refundable_paise, left_note),
        ];
        match &self.step {
            Step::Edit => self.edit_lines(ctx, width, &mut lines),
            Step::Confirm | Step::ConfirmAgain => self.confirm_lines(ctx, width, &mut lines),
            Step::Sending => {
                lines.push(Line::raw(""));
                lines.extend(wrapped(
                    "Recording the refund, then sending it to Juspay…",
                    t.info,
                    width,
                ));
            }
            Step::Done(text, ok) => {
                lines.push(Line::raw(""));
                let style = if *ok { t.success } else { t.error };
                lines.extend(wrapped(text, style, width));
            }
        }
        lines
    }

    fn edit_lines(&self, ctx: &DrawCtx<'_>, width: usize, lines: &mut Vec<Line<'static>>) {
        let t = ctx.theme;
        let cells = width.saturating_sub(LABEL_W);
        let input = |label: &str, input: &LineInput, on: bool| {
            Line::from(vec![
                Span::styled(
                    text::pad_right(label, LABEL_W),
                    if on { t.label_focus } else { t.label },
                ),
                Span::styled(
                    text::pad_right(&input.shown(cells).text, cells),
                    if on { t.input } else { t.value },
                ),
            ])
        };
        lines.push(input("Amount ₹", &self.amount, self.field == Field::Amount));
        lines.push(Line::styled(
            if self.target.policy == RefundPolicy::Full {
                "  only the whole amount (lender profile)"
            } else {
                "  all that is left, or less"
            },
            t.muted,
        ));
        for (i, reason) in REASONS.iter().enumerate() {
            let label = if i == 0 { "Reason" } else { "" };
            let mark = if i == self.pick { "(•) " } else { "( ) " };
            let style = match (i == self.pick, self.field == Field::Reason) {
                (true, true) => t.selection,
                (true, false) => t.value,
                _ => t.text,
            };
            lines.push(Line::from(vec![
                Span::styled(
                    text::pad_right(label, LABEL_W),
                    if self.field == Field::Reason {
                        t.label_focus
                    } else {
                        t.label
                    },
                ),
                Span::styled(
                    text::fit(&format!("{mark}{reason}"), cells).into_owned(),
                    style,
                ),
            ]));
        }
        lines.push(input(
            "Details",
            &self.details,
            self.field == Field::Details,
        ));
        match &self.error {
            Some(e) => lines.extend(wrapped(e, t.error, width)),
            None => lines.push(Line::raw("")),
        }
    }

    fn confirm_lines(&self, ctx: &DrawCtx<'_>, width: usize, lines: &mut Vec<Line<'static>>) {
        let t = ctx.theme;
        let (paise, reason) = match self.checked() {
            Ok(ask) => (ask.amount_paise.unwrap_or(0), ask.reason),
            Err(_) => (0, String::new()),
        };
        lines.push(Line::raw(""));
        lines.push(Line::styled("Refund this amount to the customer?", t.text));
        let amount = format!("{} — {}", money(paise), rupees_in_words(paise));
        lines.extend(wrapped(&amount, t.title, width));
        lines.extend(wrapped(&format!("Reason: {reason}"), t.text, width));
        lines.push(Line::raw(""));
        if self.step == Step::ConfirmAgain {
            let warning = "PRODUCTION: this sends real money back to the customer. Sure?";
            lines.extend(wrapped(warning, t.warning, width));
        } else {
            let note = "The refund is recorded in the history before it is sent.";
            lines.extend(wrapped(note, t.muted, width));
        }
    }
}

/// The dialog as one of the desk's pop-ups. Its footer lists the keys of its step's
/// scopes; only quitting and suspending pass through it.
impl<R: Send + 'static> Popup<R> for RefundDialog {
    fn name(&self) -> &'static str {
        "Refund"
    }

    fn scopes(&self) -> Vec<Scope> {
        RefundDialog::scopes(self)
    }

    fn modal(&self) -> bool {
        true
    }

    fn key(&mut self, key: &KeyEvent) -> popup::Reply<R> {
        as_popup_reply(RefundDialog::key(self, key))
    }

    fn act(&mut self, action: Action) -> popup::Reply<R> {
        as_popup_reply(RefundDialog::act(self, action))
    }

    fn paste(&mut self, text: &str) {
        RefundDialog::paste(self, text)
    }

    fn draw(&self, frame: &mut Frame, screen: Rect, ctx: &DrawCtx<'_>) {
        RefundDialog::draw(self, frame, popup::big(screen), ctx)
    }
}

fn as_popup_reply<R>(reply: Reply) -> popup::Reply<R> {
    popup::Reply {
        effects: reply.effects,
        close: reply.close,
        propagate: reply
            .propagate
            .filter(|a| matches!(a, Action::Quit | Action::Suspend)),
        ..popup::Reply::default()
    }
}

/// Label column of the dialog, in cells.
const LABEL_W: usize = 10;
/// Rows of the amount and details inputs inside the dialog (see `edit_lines`).
const AMOUNT_ROW: u16 = 3;
const DETAILS_ROW: u16 = 5 + REASONS.len() as u16;

/// `text` sanitised and wrapped to `width` cells, one styled line per row.
fn wrapped(text: &str, style: Style, width: usize) -> Vec<Line<'static>> {
    text::wrap(&text::sanitize_line(text), width, "")
        .into_iter()
        .map(|line| Line::styled(line, style))
        .collect()
}

/// `₹1,250.50`.
fn money(paise: u64) -> String {
    format_amount(&rupees(paise), "INR")
}

fn capitalised(sentence: &str) -> String {
    let mut chars = sentence.chars();
    match chars.next() {
        Some(first) => format!("{}{}.", first.to_uppercase(), chars.as_str()),
        None => String::new(),
    }
}
