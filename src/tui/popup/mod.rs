//! Pop-ups as self-contained parts (issue 12): each owns its state (private), turns a key
//! or a clicked command into its own change plus a [`Reply`], draws from its own state and
//! a small [`DrawCtx`] (never from `App`), and lists the commands it offers now with the
//! live keys of the keymap.
//!
//! The desk holds one pop-up as `Box<dyn Popup<R>>` and routes to it without knowing
//! which it is. What a pop-up was opened for comes back as the typed request `R` its
//! opener gave it (the desk's `R` is a closure over the desk, `state::Then`), so adding a
//! pop-up adds no arm to the router: a new pop-up is a new file, declared and opened by
//! the one existing file that opens it. Nothing here imports the desk (`App`).
//!
//! The same trait serves screens given as parts (`Screen::Part`, `App::show`): drawn in
//! the main area instead of over the whole terminal.

pub mod confirm;
pub mod member;
pub mod operator;
pub mod picker;
pub mod text;

use std::any::Any;

use crossterm::event::KeyEvent;
use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};
use time::{OffsetDateTime, UtcOffset};

use crate::text::pad_right as pad;
use crate::tui::effects::Effect;
use crate::tui::keymap::{self, Action, Scope};
use crate::tui::theme::Theme;
use crate::tui::widgets::line_input::LineInput;

/// One command a part offers now: the live key, its label, the action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Command {
    /// The first key bound to `action`, as text (`Esc`, `Ctrl-S`).
    pub key: String,
    /// What it does, in a word or two.
    pub label: &'static str,
    /// What a key press or a click on it does.
    pub action: Action,
}

/// Everything drawing needs besides a part's own state: theme, focus, clock.
pub struct DrawCtx<'a> {
    /// The desk's colours.
    pub theme: &'a Theme,
    /// The part has the focus (the caret is placed).
    pub focused: bool,
    /// The time of the frame (the desk's clock reading).
    pub now: OffsetDateTime,
    /// The desk's offset from UTC, for local times.
    pub utc_offset: UtcOffset,
}

impl<'a> DrawCtx<'a> {
    /// Focused, at the Unix epoch in UTC: for parts drawn alone (tests).
    pub fn new(theme: &'a Theme) -> DrawCtx<'a> {
        DrawCtx {
            theme,
            focused: true,
            now: OffsetDateTime::UNIX_EPOCH,
            utc_offset: UtcOffset::UTC,
        }
    }
}

/// What a key or a command did to a pop-up, for the desk.
pub struct Reply<R> {
    /// Work for the runner.
    pub effects: Vec<Effect>,
    /// The pop-up is done and goes away.
    pub close: bool,
    /// A global action the pop-up passes on (quit, send, suspend); others it keeps.
    pub propagate: Option<Action>,
    /// What the pop-up was opened for, now asked: the opener's request, run by the desk.
    pub request: Option<R>,
    /// A short message for the toast line (not an error).
    pub toast: Option<&'static str>,
    /// Nothing changed: no redraw needed.
    pub idle: bool,
}

impl<R> Default for Reply<R> {
    fn default() -> Self {
        Reply {
            effects: Vec::new(),
            close: false,
            propagate: None,
            request: None,
            toast: None,
            idle: false,
        }
    }
}

impl<R> Reply<R> {
    /// The pop-up closes, asking nothing.
    pub fn closing() -> Self {
        Reply {
            close: true,
            ..Reply::default()
        }
    }

    /// The pop-up closes with its opener's request.
    pub fn asking(request: Option<R>) -> Self {
        Reply {
            close: true,
            request,
            ..Reply::default()
        }
    }

    /// The pop-up stays and passes `action` on; closes first when `close`.
    pub fn passing(action: Action, close: bool) -> Self {
        Reply {
            close,
            propagate: Some(action),
            ..Reply::default()
        }
    }

    /// Nothing changed.
    pub fn idle() -> Self {
        Reply {
            idle: true,
            ..Reply::default()
        }
    }
}

/// A pop-up part. `R` is the request type of whoever holds it (the desk: `state::Then`;
/// tests: any plain value).
pub trait Popup<R>: Any + Send {
    /// A short name, for debugging and test messages.
    fn name(&self) -> &'static str;

    /// The keymap scopes of the pop-up now (key lookup, footer).
    fn scopes(&self) -> Vec<Scope>;

    /// A question takes only its own keys and quitting: the footer then lists no other
    /// global key.
    fn modal(&self) -> bool {
        false
    }

    /// The commands it offers now, with their keys from the keymap (the footer lists
    /// them first; a click on one is [`Popup::act`]).
    fn commands(&self) -> Vec<Command> {
        commands_of(&self.scopes())
    }

    /// A key: by default the keymap's action in [`Popup::scopes`] (see [`Popup::act`]).
    fn key(&mut self, key: &KeyEvent) -> Reply<R> {
        match keymap::lookup(&self.scopes(), key) {
            Some(action) => self.act(action),
            None => Reply::default(),
        }
    }

    /// An action, from a key or a click on one of the commands.
    fn act(&mut self, action: Action) -> Reply<R>;

    /// Pasted text (control characters already replaced).
    fn paste(&mut self, _text: &str) {}

    /// The mouse wheel, `delta` lines.
    fn wheel(&mut self, _delta: isize) {}

    /// Draws the pop-up on `screen` (the whole terminal).
    fn draw(&self, frame: &mut Frame, screen: Rect, ctx: &DrawCtx<'_>);
}

impl<R: 'static> dyn Popup<R> {
    /// The pop-up as its concrete type, if it is a `T`.
    pub fn downcast_ref<T: 'static>(&self) -> Option<&T> {
        let any: &dyn Any = self;
        any.downcast_ref()
    }

    /// The pop-up as its concrete type, if it is a `T`.
    pub fn downcast_mut<T: 'static>(&mut self) -> Option<&mut T> {
        let any: &mut dyn Any = self;
        any.downcast_mut()
    }
}

impl<R: 'static> std::fmt::Debug for dyn Popup<R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// The footer entries of exactly `scopes`, as commands.
pub fn commands_of(scopes: &[Scope]) -> Vec<Command> {
    keymap::footer_of(scopes)
        .into_iter()
        .map(|(key, label, action)| Command { key, label, action })
        .collect()
}

// ----- drawing helpers shared by the pop-ups --------------------------------------------

/// A centred rectangle of at most `w`×`h` inside `area`.
pub fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect {
        x: area.x + (area.width - w) / 2,
        y: area.y + (area.height - h) / 2,
        width: w,
        height: h,
    }
}

/// The area big pop-ups cover: everything inside the frame, so nothing peeks through.
pub fn big(screen: Rect) -> Rect {
    Rect {
        x: screen.x + 1,
        y: screen.y + 1,
        width: screen.width.saturating_sub(2),
        height: screen.height.saturating_sub(2),
    }
}

/// Clears `area` and draws a focused frame titled `title` with `hint` on its bottom
/// border; the inside.
pub fn frame_box(t: &Theme, frame: &mut Frame, area: Rect, title: &str, hint: &str) -> Rect {
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

/// One row of `area`, `n` rows down.
pub fn row(area: Rect, n: u16) -> Rect {
    Rect {
        y: area.y + n,
        height: 1,
        ..area
    }
}

/// A list with `selected` highlighted and kept in view.
pub fn list(t: &Theme, frame: &mut Frame, area: Rect, items: &[String], selected: usize) {
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

/// A labelled one-line input; the caret on it when `focused`.
pub fn input_line(
    t: &Theme,
    frame: &mut Frame,
    area: Rect,
    label: &str,
    input: &LineInput,
    focused: bool,
) {
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

/// Moves a list selection by `step`, within `0..len`.
pub fn move_selection(selected: &mut usize, step: i32, len: usize) {
    let last = len.saturating_sub(1) as i64;
    *selected = (*selected as i64 + i64::from(step)).clamp(0, last) as usize;
}

/// The list step of an action: ↑/↓ one, PgUp/PgDn ten.
pub fn step_of(action: Action) -> i32 {
    match action {
        Action::Up => -1,
        Action::Down => 1,
        Action::PageUp => -10,
        Action::PageDown => 10,
        _ => 0,
    }
}

#[cfg(test)]
pub(crate) mod testing {
    //! Driving one pop-up alone on a `TestBackend`.

    use ratatui::Terminal;
    use ratatui::backend::TestBackend;

    use super::*;

    /// The pop-up drawn alone on a `w`×`h` screen: the terminal (buffer and cursor).
    pub fn drawn<R: 'static>(popup: &dyn Popup<R>, w: u16, h: u16) -> Terminal<TestBackend> {
        let theme = Theme::dark();
        let mut terminal = match Terminal::new(TestBackend::new(w, h)) {
            Ok(t) => t,
            Err(e) => panic!("test terminal: {e}"),
        };
        let ctx = DrawCtx::new(&theme);
        if let Err(e) = terminal.draw(|f| popup.draw(f, f.area(), &ctx)) {
            panic!("draw: {e}");
        }
        terminal
    }

    /// The screen as text, one line per row.
    pub fn screen<R: 'static>(popup: &dyn Popup<R>, w: u16, h: u16) -> String {
        drawn(popup, w, h).backend().to_string()
    }

    /// A key event without modifiers.
    pub fn key(code: crossterm::event::KeyCode) -> KeyEvent {
        KeyEvent::new(code, crossterm::event::KeyModifiers::NONE)
    }

    /// A key event with Ctrl.
    pub fn ctrl(c: char) -> KeyEvent {
        KeyEvent::new(
            crossterm::event::KeyCode::Char(c),
            crossterm::event::KeyModifiers::CONTROL,
        )
    }
}
