//! Actions and their keys, in one table. The footer and the help screen are generated from
//! it, so what the screen promises is what the keys do.

use std::fmt;

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use super::widgets::line_input::Edit;

/// Something the user can ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    Send,
    Quit,
    QuitLetter,
    Help,
    Preview,
    PickProfile,
    PickEnv,
    History,
    HistoryLetter,
    NextTab,
    PrevTab,
    GoTab(u8),
    NextField,
    PrevField,
    Up,
    Down,
    PageUp,
    PageDown,
    Home,
    End,
    Back,
    Enter,
    ClearField,
    ChoiceNext,
    ChoicePrev,
    Toggle,
    AddRow,
    EditRow,
    RemoveRow,
    Copy,
    CopyCurl,
    Open,
    SaveQr,
    Payload,
    FullScreen,
    NewOrder,
    NewSameCustomer,
    Refresh,
    /// Demo only: settle the shown order at the embedded emulator as the customer would,
    /// paying (`DemoPay`) or failing (`DemoFail`) it.
    DemoPay,
    DemoFail,
    Search,
    Reuse,
    Forget,
    Yes,
    No,
    /// Focus the next required field that is empty, on any tab.
    NextEmpty,
    /// Show every field of the visible tabs, or only those the profile uses.
    AllFields,
    /// Pick from the values the profile offers for a free-text field.
    OfferedList,
    /// Fill in the returning customer's details the desk offers.
    UseDetails,
    /// Open the refund dialog for the order in view or in focus.
    Refund,
    /// Hand the terminal back to the shell until `fg` (Ctrl-Z).
    Suspend,
}

/// Where a binding applies. `Global` works everywhere, text fields included.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scope {
    Global,
    /// The form with focus on a field that is not a text input (choice, toggle, list).
    Form,
    /// Only while a text field has focus.
    TextField,
    /// A text field for which the profile offers values (free text still allowed).
    Offered,
    /// While the desk offers a returning customer's details (the next key only).
    Returning,
    Choice,
    Members,
    Extras,
    Result,
    /// The result of a demo order still waiting for payment (the embedded emulator).
    Demo,
    History,
    Overlay,
    /// Pickers: profile, environment, allowed values.
    List,
    Preview,
    Confirm,
    /// The refund dialog.
    Refund,
    /// Pop-ups with text inputs (the member editor, the operator's name): only keys that
    /// type nothing, so every letter is a letter.
    Editor,
}

impl Scope {
    pub fn title(self) -> &'static str {
        match self {
            Scope::Global => "Everywhere",
            Scope::Form => "Form",
            Scope::TextField => "Text fields",
            Scope::Offered => "Text fields with offered values (travel type)",
            Scope::Returning => "Returning customer offered (the next key only)",
            Scope::Choice => "Choice and yes/no fields",
            Scope::Members => "Insured members",
            Scope::Extras => "Extras: metadata rows",
            Scope::Result => "Payment link (after sending)",
            Scope::Demo => "Payment link, demo only (order waiting for payment)",
            Scope::History => "History pane",
            Scope::Overlay => "Pop-ups",
            Scope::List => "Lists",
            Scope::Preview => "Request preview",
            Scope::Confirm => "Questions",
            Scope::Refund => "Refund dialog",
            Scope::Editor => "Pop-ups with text inputs",
        }
    }
}

/// One key, e.g. Ctrl-S.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key {
    pub code: KeyCode,
    pub mods: KeyModifiers,
}

impl Key {
    pub const fn plain(code: KeyCode) -> Key {
        Key {
            code,
            mods: KeyModifiers::NONE,
        }
    }
    pub const fn ch(c: char) -> Key {
        Key::plain(KeyCode::Char(c))
    }
    pub const fn ctrl(c: char) -> Key {
        Key {
            code: KeyCode::Char(c),
            mods: KeyModifiers::CONTROL,
        }
    }
    pub const fn alt(c: char) -> Key {
        Key {
            code: KeyCode::Char(c),
            mods: KeyModifiers::ALT,
        }
    }
    pub const fn f(n: u8) -> Key {
        Key::plain(KeyCode::F(n))
    }
    pub const fn with(code: KeyCode, mods: KeyModifiers) -> Key {
        Key { code, mods }
    }

    /// Whether a key event is this key. Shift is part of the character for letters, so it
    /// is ignored there (`N` arrives as Shift+`N`).
    pub fn matches(&self, event: &KeyEvent) -> bool {
        let mut mods =
            event.modifiers & (KeyModifiers::CONTROL | KeyModifiers::ALT | KeyModifiers::SHIFT);
        let code = match event.code {
            KeyCode::Char(c) => {
                mods.remove(KeyModifiers::SHIFT);
                if mods.contains(KeyModifiers::CONTROL) {
                    KeyCode::Char(c.to_ascii_lowercase())
                } else {
                    KeyCode::Char(c)
                }
            }
            KeyCode::BackTab => {
                mods.remove(KeyModifiers::SHIFT);
                KeyCode::BackTab
            }
            other => other,
        };
        code == self.code && mods == self.mods
    }
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.mods.contains(KeyModifiers::CONTROL) {
            f.write_str("Ctrl-")?;
        }
        if self.mods.contains(KeyModifiers::ALT) {
            f.write_str("Alt-")?;
        }
        if self.mods.contains(KeyModifiers::SHIFT) {
            f.write_str("Shift-")?;
        }
        match self.code {
            KeyCode::Char(' ') => f.write_str("Space"),
            KeyCode::Char(c) if self.mods.contains(KeyModifiers::CONTROL) => {
                write!(f, "{}", c.to_ascii_uppercase())
            }
            KeyCode::Char(c) => write!(f, "{c}"),
            KeyCode::F(n) => write!(f, "F{n}"),
            KeyCode::Enter => f.write_str("Enter"),
            KeyCode::Esc => f.write_str("Esc"),
            KeyCode::Tab => f.write_str("Tab"),
            KeyCode::BackTab => f.write_str("Shift-Tab"),
            KeyCode::Up => f.write_str("↑"),
            KeyCode::Down => f.write_str("↓"),
            KeyCode::Left => f.write_str("←"),
            KeyCode::Right => f.write_str("→"),
            KeyCode::PageUp => f.write_str("PgUp"),
            KeyCode::PageDown => f.write_str("PgDn"),
            KeyCode::Home => f.write_str("Home"),
            KeyCode::End => f.write_str("End"),
            KeyCode::Delete => f.write_str("Del"),
            KeyCode::Backspace => f.write_str("Backspace"),
            other => write!(f, "{other:?}"),
        }
    }
}

/// An action, its keys, where it applies and how it is described.
#[derive(Debug, Clone, Copy)]
pub struct Binding {
    pub scope: Scope,
    pub action: Action,
    pub keys: &'static [Key],
    /// Short words for the footer; `None` keeps it out of the footer.
    pub footer: Option<&'static str>,
    /// One line for the help screen.
    pub help: &'static str,
}

const fn b(
    scope: Scope,
    action: Action,
    keys: &'static [Key],
    footer: Option<&'static str>,
    help: &'static str,
) -> Binding {
    Binding {
        scope,
        action,
        keys,
        footer,
        help,
    }
}

use Action as A;
use Scope as S;

const CTRL_LEFT: Key = Key::with(KeyCode::Left, KeyModifiers::CONTROL);
const CTRL_RIGHT: Key = Key::with(KeyCode::Right, KeyModifiers::CONTROL);
const ESC: Key = Key::plain(KeyCode::Esc);
const ENTER: Key = Key::plain(KeyCode::Enter);
const UP: Key = Key::plain(KeyCode::Up);
const DOWN: Key = Key::plain(KeyCode::Down);
const LEFT: Key = Key::plain(KeyCode::Left);
const RIGHT: Key = Key::plain(KeyCode::Right);

/// The whole keymap. Order is the order of the footer and the help screen.
pub static BINDINGS: &[Binding] = &[
    // Everywhere, text fields included: Ctrl, Alt and F-keys only.
    b(
        S::Global,
        A::Send,
        &[Key::ctrl('s')],
        Some("send"),
        "Check the form and create the payment session",
    ),
    // One footer entry for both ("Ctrl-←/→ tabs"): see `footer`.
    b(
        S::Global,
        A::PrevTab,
        &[CTRL_LEFT, Key::f(7)],
        Some("tabs"),
        "Previous tab",
    ),
    b(
        S::Global,
        A::NextTab,
        &[CTRL_RIGHT, Key::f(8)],
        Some("tabs"),
        "Next tab",
    ),
    b(S::Global, A::Help, &[Key::f(1)], Some("help"), "This help"),
    b(
        S::Global,
        A::Preview,
        &[Key::f(2)],
        Some("request"),
        "Show the exact JSON body and a curl command",
    ),
    b(
        S::Global,
        A::PickProfile,
        &[Key::f(3), Key::ctrl('p')],
        Some("profile"),
        "Choose the lender profile",
    ),
    b(
        S::Global,
        A::PickEnv,
        &[Key::f(4)],
        None,
        "Choose the environment",
    ),
    b(
        S::Global,
        A::History,
        &[Key::f(6)],
        Some("history"),
        "Show the history pane, or move into it",
    ),
    b(
        S::Global,
        A::GoTab(1),
        &[Key::alt('1')],
        None,
        "Tab 1 (Alt-2 … Alt-6 for the others)",
    ),
    b(S::Global, A::GoTab(2), &[Key::alt('2')], None, ""),
    b(S::Global, A::GoTab(3), &[Key::alt('3')], None, ""),
    b(S::Global, A::GoTab(4), &[Key::alt('4')], None, ""),
    b(S::Global, A::GoTab(5), &[Key::alt('5')], None, ""),
    b(S::Global, A::GoTab(6), &[Key::alt('6')], None, ""),
    b(
        S::Global,
        A::Quit,
        &[Key::ctrl('q'), Key::ctrl('c')],
        Some("quit"),
        "Quit (asks first while a send is in flight)",
    ),
    b(
        S::Global,
        A::Suspend,
        &[Key::ctrl('z')],
        None,
        "Suspend to the shell (fg brings the desk back)",
    ),
    b(
        S::Global,
        A::Back,
        &[ESC],
        None,
        "Cancel a send, close a pop-up, go back",
    ),
    // The form.
    b(
        S::Form,
        A::NextField,
        &[Key::plain(KeyCode::Tab), DOWN],
        Some("next"),
        "Next field",
    ),
    b(
        S::Form,
        A::NextEmpty,
        &[Key::f(5), Key::ctrl('g')],
        Some("next empty"),
        "Next required field still empty, on any tab",
    ),
    b(
        S::Form,
        A::AllFields,
        &[Key::f(9), Key::alt('a')],
        Some("all fields"),
        "Show the fields the profile does not use too (again: hide them)",
    ),
    b(
        S::Form,
        A::PrevField,
        &[Key::plain(KeyCode::BackTab), UP],
        None,
        "Previous field",
    ),
    b(
        S::Form,
        A::PageDown,
        &[Key::plain(KeyCode::PageDown)],
        None,
        "Scroll the form down",
    ),
    b(
        S::Form,
        A::PageUp,
        &[Key::plain(KeyCode::PageUp)],
        None,
        "Scroll the form up",
    ),
    b(
        S::Form,
        A::HistoryLetter,
        &[Key::ch('h')],
        None,
        "History pane (focus not in a text field)",
    ),
    b(
        S::Form,
        A::Help,
        &[Key::ch('?')],
        None,
        "Help (focus not in a text field)",
    ),
    b(
        S::Form,
        A::QuitLetter,
        &[Key::ch('q')],
        None,
        "Quit (focus not in a text field)",
    ),
    b(
        S::TextField,
        A::ClearField,
        &[Key::ctrl('u')],
        None,
        // In the help with the other editing keys (`EDIT_KEYS`).
        "",
    ),
    b(
        S::Offered,
        A::OfferedList,
        &[Key::ctrl('l')],
        Some("list"),
        "Pick one of the values the profile offers (typing another is fine)",
    ),
    b(
        S::Returning,
        A::UseDetails,
        &[ENTER],
        Some("use details"),
        "Fill in the returning customer's last details (any other key: ignore them)",
    ),
    b(
        S::Choice,
        A::ChoiceNext,
        &[RIGHT, Key::ch(' ')],
        Some("change"),
        "Next value (yes/no: toggle)",
    ),
    b(S::Choice, A::ChoicePrev, &[LEFT], None, "Previous value"),
    b(
        S::Choice,
        A::Enter,
        &[ENTER],
        Some("list"),
        "Pick from the list of allowed values",
    ),
    b(
        S::Members,
        A::AddRow,
        &[Key::ch('a'), Key::plain(KeyCode::Insert)],
        Some("add"),
        "Add an insured member",
    ),
    b(
        S::Members,
        A::EditRow,
        &[ENTER, Key::ch('e')],
        Some("edit"),
        "Edit the selected member",
    ),
    b(
        S::Members,
        A::RemoveRow,
        &[Key::ch('x'), Key::plain(KeyCode::Delete)],
        Some("remove"),
        "Remove the selected member",
    ),
    b(
        S::Extras,
        A::AddRow,
        &[Key::ctrl('n')],
        Some("add row"),
        "Add a free metadata.* row",
    ),
    b(
        S::Extras,
        A::RemoveRow,
        &[Key::ctrl('d')],
        Some("remove row"),
        "Remove the metadata row in focus",
    ),
    // The result.
    b(
        S::Result,
        A::Copy,
        &[Key::ch('c')],
        Some("copy"),
        "Copy the payment link",
    ),
    b(
        S::Result,
        A::Open,
        &[Key::ch('o')],
        Some("open"),
        "Open the payment link in the browser",
    ),
    b(
        S::Result,
        A::SaveQr,
        &[Key::ch('s')],
        Some("save QR"),
        "Save the QR code as PNG and SVG",
    ),
    b(
        S::Result,
        A::FullScreen,
        &[Key::ch('f')],
        Some("full screen"),
        "QR code full-screen (any key returns)",
    ),
    b(
        S::Result,
        A::Payload,
        &[Key::ch('p')],
        None,
        "Show the sdk_payload (clientAuthToken masked)",
    ),
    b(
        S::Result,
        A::Refresh,
        &[Key::ch('r')],
        None,
        "Check the status now",
    ),
    b(
        S::Result,
        A::NewOrder,
        &[Key::ch('n')],
        Some("new"),
        "New blank order",
    ),
    b(
        S::Result,
        A::NewSameCustomer,
        &[Key::ch('N')],
        Some("same customer"),
        "New order for the same customer",
    ),
    b(
        S::Result,
        A::Refund,
        &[Key::ch('R')],
        None,
        "Refund the order (paid orders; asks amount and reason)",
    ),
    b(S::Result, A::Back, &[ESC], None, "Back to the form"),
    b(S::Result, A::Help, &[Key::ch('?')], None, "Help"),
    b(
        S::Result,
        A::HistoryLetter,
        &[Key::ch('h')],
        None,
        "History pane",
    ),
    b(S::Result, A::QuitLetter, &[Key::ch('q')], None, "Quit"),
    // The result in demo, while the order waits for payment. Not in the footer: the
    // result screen's demo line names these keys.
    b(
        S::Demo,
        A::DemoPay,
        &[Key::ch('P')],
        None,
        "Demo: pay the order as the customer would (the status poll shows it)",
    ),
    b(
        S::Demo,
        A::DemoFail,
        &[Key::ch('F')],
        None,
        "Demo: fail the payment as the customer would",
    ),
    // History.
    b(
        S::History,
        A::Up,
        &[UP, Key::ch('k')],
        None,
        "Previous order",
    ),
    b(
        S::History,
        A::Down,
        &[DOWN, Key::ch('j')],
        None,
        "Next order",
    ),
    b(
        S::History,
        A::PageUp,
        &[Key::plain(KeyCode::PageUp)],
        None,
        "Page up",
    ),
    b(
        S::History,
        A::PageDown,
        &[Key::plain(KeyCode::PageDown)],
        None,
        "Page down",
    ),
    b(
        S::History,
        A::Home,
        &[Key::plain(KeyCode::Home), Key::ch('g')],
        None,
        "Newest order",
    ),
    b(
        S::History,
        A::End,
        &[Key::plain(KeyCode::End), Key::ch('G')],
        None,
        "Oldest order",
    ),
    b(
        S::History,
        A::Enter,
        &[ENTER],
        Some("open"),
        "Show the order's QR code and live status",
    ),
    b(
        S::History,
        A::Search,
        &[Key::ch('/')],
        Some("search"),
        "Search order id, name, phone, email",
    ),
    b(
        S::History,
        A::Refresh,
        &[Key::ch('r')],
        Some("refresh"),
        "Check the selected order's status",
    ),
    b(
        S::History,
        A::Reuse,
        &[Key::ch('y')],
        Some("copy to new"),
        "Copy the order into a new form",
    ),
    b(
        S::History,
        A::Forget,
        &[Key::ch('d'), Key::plain(KeyCode::Delete)],
        Some("forget"),
        "Forget the order (asks first)",
    ),
    b(
        S::History,
        A::Refund,
        &[Key::ch('R')],
        Some("refund"),
        "Refund the selected order (paid orders)",
    ),
    b(
        S::History,
        A::Back,
        &[ESC, Key::plain(KeyCode::Tab)],
        Some("form"),
        "Back to the form",
    ),
    b(
        S::History,
        A::HistoryLetter,
        &[Key::ch('h')],
        None,
        "Hide the pane (narrow terminals)",
    ),
    b(S::History, A::Help, &[Key::ch('?')], None, "Help"),
    b(S::History, A::QuitLetter, &[Key::ch('q')], None, "Quit"),
    // Lists and pop-ups.
    b(S::Overlay, A::Up, &[UP, Key::ch('k')], None, "Up"),
    b(S::Overlay, A::Down, &[DOWN, Key::ch('j')], None, "Down"),
    b(
        S::Overlay,
        A::PageUp,
        &[Key::plain(KeyCode::PageUp)],
        None,
        "Page up",
    ),
    b(
        S::Overlay,
        A::PageDown,
        &[Key::plain(KeyCode::PageDown)],
        None,
        "Page down",
    ),
    b(
        S::List,
        A::Enter,
        &[ENTER],
        Some("choose"),
        "Choose the highlighted entry",
    ),
    b(
        S::Overlay,
        A::Back,
        &[ESC, Key::ch('q')],
        Some("close"),
        "Close",
    ),
    b(
        S::Preview,
        A::Copy,
        &[Key::ch('c')],
        Some("copy JSON"),
        "Copy the JSON body",
    ),
    b(
        S::Preview,
        A::CopyCurl,
        &[Key::ch('u')],
        Some("copy curl"),
        "Copy the curl command (key as $JUSPAY_API_KEY)",
    ),
    b(
        S::Confirm,
        A::Yes,
        &[Key::ch('y'), ENTER],
        Some("yes"),
        "Yes",
    ),
    b(S::Confirm, A::No, &[Key::ch('n'), ESC], Some("no"), "No"),
    // The refund dialog (its confirmation uses the questions' keys).
    b(
        S::Refund,
        A::Enter,
        &[ENTER],
        Some("continue"),
        "Check the amount and reason, then confirm",
    ),
    b(
        S::Refund,
        A::NextField,
        &[Key::plain(KeyCode::Tab)],
        Some("next field"),
        "Next field",
    ),
    b(
        S::Refund,
        A::PrevField,
        &[Key::plain(KeyCode::BackTab)],
        None,
        "Previous field",
    ),
    b(S::Refund, A::Up, &[UP], None, "Previous reason (or field)"),
    b(S::Refund, A::Down, &[DOWN], None, "Next reason (or field)"),
    b(
        S::Refund,
        A::Back,
        &[ESC],
        Some("cancel"),
        "Close the dialog",
    ),
    // Pop-ups with text inputs (the member editor, the operator's name).
    b(
        S::Editor,
        A::Enter,
        &[ENTER],
        None,
        "Next input, or done on the last one",
    ),
    b(
        S::Editor,
        A::NextField,
        &[Key::plain(KeyCode::Tab)],
        None,
        "Next input",
    ),
    b(
        S::Editor,
        A::PrevField,
        &[Key::plain(KeyCode::BackTab)],
        None,
        "Previous input",
    ),
    b(S::Editor, A::Up, &[UP], None, "Previous input"),
    b(S::Editor, A::Down, &[DOWN], None, "Next input"),
    b(S::Editor, A::Back, &[ESC], Some("close"), "Cancel"),
];

/// The action bound to `event` in the first of `scopes` that binds it, falling back to the
/// global bindings.
pub fn lookup(scopes: &[Scope], event: &KeyEvent) -> Option<Action> {
    if event.kind == KeyEventKind::Release {
        return None;
    }
    let find = |s: Scope| {
        BINDINGS
            .iter()
            .filter(|b| b.scope == s)
            .find(|b| b.keys.iter().any(|k| k.matches(event)))
            .map(|b| b.action)
    };
    scopes
        .iter()
        .find_map(|s| find(*s))
        .or_else(|| find(Scope::Global))
}

/// The editing keys of every text input (form fields, the member editor, the history
/// search), in the order the help lists them. Keys bound to an action in the focused scope
/// or globally (e.g. Ctrl-Left: previous tab) are looked up first and never reach these.
pub static EDIT_KEYS: &[(Edit, &[Key], &str)] = &[
    (Edit::Left, &[LEFT], "Caret one character left"),
    (Edit::Right, &[RIGHT], "Caret one character right"),
    (
        Edit::WordLeft,
        &[Key::with(KeyCode::Left, KeyModifiers::ALT), Key::alt('b')],
        "Caret one word left",
    ),
    (
        Edit::WordRight,
        &[Key::with(KeyCode::Right, KeyModifiers::ALT), Key::alt('f')],
        "Caret one word right",
    ),
    (
        Edit::Home,
        &[Key::plain(KeyCode::Home), Key::ctrl('a')],
        "Start of the text",
    ),
    (
        Edit::End,
        &[Key::plain(KeyCode::End), Key::ctrl('e')],
        "End of the text",
    ),
    (
        Edit::Backspace,
        &[Key::plain(KeyCode::Backspace)],
        "Delete the character before the caret",
    ),
    (
        Edit::Delete,
        &[Key::plain(KeyCode::Delete)],
        "Delete the character after the caret",
    ),
    (
        Edit::DeleteWord,
        &[
            Key::ctrl('w'),
            Key::with(KeyCode::Backspace, KeyModifiers::ALT),
        ],
        "Delete the word before the caret",
    ),
    (Edit::DeleteToEnd, &[Key::ctrl('k')], "Delete to the end"),
    (Edit::Clear, &[Key::ctrl('u')], "Clear the text"),
    (Edit::Undo, &[Key::alt('z')], "Undo (Ctrl-Z suspends)"),
    (Edit::Redo, &[Key::ctrl('y')], "Redo"),
];

/// The edit a key asks of a text input: a typed character, or one of `EDIT_KEYS`.
pub fn edit(event: &KeyEvent) -> Option<Edit> {
    if event.kind == KeyEventKind::Release {
        return None;
    }
    if let KeyCode::Char(c) = event.code
        && is_typing(event)
    {
        return Some(Edit::Insert(c));
    }
    EDIT_KEYS
        .iter()
        .find(|(_, keys, _)| keys.iter().any(|k| k.matches(event)))
        .map(|(edit, _, _)| *edit)
}

/// True for a key that types a character into a text field (no Ctrl or Alt).
pub fn is_typing(event: &KeyEvent) -> bool {
    matches!(event.code, KeyCode::Char(_))
        && !event
            .modifiers
            .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
}

/// Footer entries for the scopes in view, then the global ones: `(key, words, action)`.
/// An action already listed by an earlier scope is not repeated.
pub fn footer(scopes: &[Scope]) -> Vec<(String, &'static str, Action)> {
    let mut all = scopes.to_vec();
    all.push(Scope::Global);
    footer_of(&all)
}

/// Footer entries of exactly these scopes (a question that takes only its own keys).
pub fn footer_of(scopes: &[Scope]) -> Vec<(String, &'static str, Action)> {
    let mut out: Vec<(String, &'static str, Action)> = Vec::new();
    for scope in scopes {
        let mut last: Option<&'static str> = None;
        for b in BINDINGS.iter().filter(|b| b.scope == *scope) {
            if let (Some(words), Some(key)) = (b.footer, b.keys.first())
                && !out.iter().any(|(_, _, a)| *a == b.action)
            {
                let key = key.to_string();
                // Two bindings in a row with the same words share one entry
                // (`Ctrl-←/→ tabs`); a click on it does the second.
                if last == Some(words)
                    && let Some(prev) = out.last_mut()
                {
                    prev.0 = join_keys(&prev.0, &key);
                    prev.2 = b.action;
                } else {
                    out.push((key, words, b.action));
                }
                last = Some(words);
            } else {
                last = None;
            }
        }
    }
    out
}

/// `Ctrl-←` and `Ctrl-→` as `Ctrl-←/→`: the second key without the modifiers they share.
fn join_keys(first: &str, second: &str) -> String {
    let shared = match (first.rfind('-'), second.rfind('-')) {
        (Some(i), Some(j)) if i == j && i > 0 && first[..i] == second[..j] => i + 1,
        _ => 0,
    };
    format!("{first}/{}", &second[shared..])
}

/// Help lines for one scope: `(keys, description)`.
pub fn help(scope: Scope) -> Vec<(String, &'static str)> {
    let keys_text = |keys: &[Key]| {
        let keys: Vec<String> = keys.iter().map(Key::to_string).collect();
        keys.join(" / ")
    };
    let mut out: Vec<(String, &'static str)> = BINDINGS
        .iter()
        .filter(|b| b.scope == scope && !b.help.is_empty())
        .map(|b| (keys_text(b.keys), b.help))
        .collect();
    // Every text input (form field, member editor, history search) edits with these.
    if scope == Scope::TextField {
        out.extend(
            EDIT_KEYS
                .iter()
                .map(|(_, keys, help)| (keys_text(keys), *help)),
        );
    }
    out
}

/// Every scope, in help-screen order.
pub const HELP_SCOPES: [Scope; 16] = [
    Scope::Global,
    Scope::Form,
    Scope::TextField,
    Scope::Offered,
    Scope::Returning,
    Scope::Choice,
    Scope::Members,
    Scope::Extras,
    Scope::Result,
    Scope::Demo,
    Scope::History,
    Scope::Preview,
    Scope::Overlay,
    Scope::List,
    Scope::Confirm,
    Scope::Refund,
];

/// The first key of an action in a scope, as text (for messages such as "press F2").
pub fn key_for(scope: Scope, action: Action) -> String {
    BINDINGS
        .iter()
        .find(|b| b.scope == scope && b.action == action)
        .and_then(|b| b.keys.first())
        .map(Key::to_string)
        .unwrap_or_default()
}

/// One part of a pop-up's key line: the actions' keys in `scope` (joined with `/`) and
/// what they do.
/// Every key bound to `action` in `scope`, joined with `/` (`→/Space`).
pub fn keys_for(scope: Scope, action: Action) -> String {
    BINDINGS
        .iter()
        .filter(|b| b.scope == scope && b.action == action)
        .flat_map(|b| b.keys.iter().map(Key::to_string))
        .collect::<Vec<_>>()
        .join("/")
}

pub type HintPart = (Scope, &'static [Action], &'static str);

/// A pop-up's key line from the keymap, as `"↑/↓ choose · Enter use · Esc close"`: each
/// part's first keys joined with `/`, then its words; parts without words run into the
/// next one ("↑/↓ PgUp/PgDn scroll").
pub fn hint(parts: &[HintPart]) -> String {
    let mut out = String::new();
    for (scope, actions, words) in parts {
        let keys: Vec<String> = actions.iter().map(|a| key_for(*scope, *a)).collect();
        out.push_str(&keys.join("/"));
        if words.is_empty() {
            out.push(' ');
        } else {
            out.push(' ');
            out.push_str(words);
            out.push_str(" · ");
        }
    }
    out.trim_end_matches([' ', '·']).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(code: KeyCode, mods: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, mods)
    }

    #[test]
    fn pop_up_hints_come_from_the_keymap() {
        let help = hint(&[
            (S::Overlay, &[A::Up, A::Down], ""),
            (S::Overlay, &[A::PageUp, A::PageDown], "scroll"),
            (S::Overlay, &[A::Back], "close"),
        ]);
        assert_eq!(help, "↑/↓ PgUp/PgDn scroll · Esc close");
        let pick = hint(&[
            (S::List, &[A::Enter], "use"),
            (S::Global, &[A::Quit], "quit"),
        ]);
        assert_eq!(pick, "Enter use · Ctrl-Q quit");
    }

    #[test]
    fn global_keys_work_in_every_scope() {
        let ctrl_s = ev(KeyCode::Char('s'), KeyModifiers::CONTROL);
        for scope in HELP_SCOPES {
            assert_eq!(lookup(&[scope], &ctrl_s), Some(Action::Send), "{scope:?}");
        }
    }

    #[test]
    fn scope_bindings_win_over_global_ones() {
        let esc = ev(KeyCode::Esc, KeyModifiers::NONE);
        assert_eq!(lookup(&[Scope::Confirm], &esc), Some(Action::No));
        assert_eq!(lookup(&[Scope::Form], &esc), Some(Action::Back));
    }

    #[test]
    fn shifted_letters_match_their_capital() {
        let shift_n = ev(KeyCode::Char('N'), KeyModifiers::SHIFT);
        assert_eq!(
            lookup(&[Scope::Result], &shift_n),
            Some(Action::NewSameCustomer)
        );
        let n = ev(KeyCode::Char('n'), KeyModifiers::NONE);
        assert_eq!(lookup(&[Scope::Result], &n), Some(Action::NewOrder));
        let back_tab = ev(KeyCode::BackTab, KeyModifiers::SHIFT);
        assert_eq!(lookup(&[Scope::Form], &back_tab), Some(Action::PrevField));
    }

    #[test]
    fn typing_is_plain_characters_only() {
        assert!(is_typing(&ev(KeyCode::Char('q'), KeyModifiers::NONE)));
        assert!(is_typing(&ev(KeyCode::Char('Q'), KeyModifiers::SHIFT)));
        assert!(!is_typing(&ev(KeyCode::Char('q'), KeyModifiers::CONTROL)));
        assert!(!is_typing(&ev(KeyCode::F(1), KeyModifiers::NONE)));
    }

    #[test]
    fn keys_print_the_way_the_help_shows_them() {
        assert_eq!(Key::ctrl('s').to_string(), "Ctrl-S");
        assert_eq!(Key::alt('1').to_string(), "Alt-1");
        assert_eq!(Key::f(2).to_string(), "F2");
        assert_eq!(CTRL_LEFT.to_string(), "Ctrl-←");
    }

    #[test]
    fn the_footer_names_both_tab_keys_in_one_entry() {
        let footer = footer(&[Scope::TextField, Scope::Form]);
        let tabs: Vec<&(String, &str, Action)> = footer.iter().filter(|e| e.1 == "tabs").collect();
        assert_eq!(tabs.len(), 1, "{footer:?}");
        assert_eq!(tabs[0].0, "Ctrl-←/→");
        assert_eq!(tabs[0].2, Action::NextTab);
        let empty = footer.iter().find(|e| e.2 == Action::NextEmpty);
        assert_eq!(empty.map(|e| e.0.as_str()), Some("F5"));
        assert_eq!(join_keys("F7", "F8"), "F7/F8");
    }

    #[test]
    fn no_key_is_bound_twice_in_one_scope() {
        for scope in HELP_SCOPES {
            let keys: Vec<Key> = BINDINGS
                .iter()
                .filter(|b| b.scope == scope)
                .flat_map(|b| b.keys.iter().copied())
                .collect();
            for (i, k) in keys.iter().enumerate() {
                assert!(!keys[i + 1..].contains(k), "{k} twice in {scope:?}");
            }
        }
    }
}
