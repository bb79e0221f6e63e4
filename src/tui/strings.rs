//! User-facing words in one place: plain, specific, and saying what to do next. Keys
//! named in them come from the keymap, so a rebound key is named right.

use crate::tui::keymap::{self, Action, Scope};

pub const APP: &str = "paydesk";
/// Where demo orders "return" to: the demo environment has no shop of its own.
pub const DEMO_RETURN_URL: &str = "https://example.com/paydesk-demo/thank-you";
pub const TOO_SMALL: &str = "Terminal too small";
pub const GENERATED: &str = "(generated)";
pub const FIXED: &str = "(fixed by profile)";
pub const NOT_SET: &str = "not set";
pub const NO_MEMBERS: &str = "no insured members yet";
pub const META_TITLE: &str = "Free metadata rows: any key, sent exactly as written";
pub const PAID: &str = "PAID";
/// Copy notices say what was done (the text sent to the terminal as OSC 52), never that
/// it reached the clipboard: the desk cannot know (tmux and some terminals drop it).
pub const COPIED: &str = "Sent the payment link to the terminal clipboard (OSC 52); paste to check";
pub const COPIED_JSON: &str = "Sent the JSON body to the terminal clipboard (OSC 52)";
pub const COPIED_CURL: &str =
    "Sent the curl command to the terminal clipboard (OSC 52; the key stays $JUSPAY_API_KEY)";
pub const OPENING: &str = "Opening the payment link in the browser…";
pub const SAVING_QR: &str = "Saving the QR code…";
pub const NO_LINK: &str = "This order has no payment link.";
pub const NO_SDK_PAYLOAD: &str =
    "This order has no sdk_payload (ask for it with metadata.sdk_payload = true).";
pub const HISTORY_EMPTY: &str = "No orders yet. Orders you send appear here.";
pub const HISTORY_NO_MATCH: &str = "No order matches the search.";
pub const HISTORY_OPENING: &str = "Opening the history…";
pub const QUIT_WHILE_SENDING: &str = "A send is in flight. Quit anyway? The order is recorded as 'sending' and checked at the next start.";
pub const PRODUCTION_CONFIRM: &str =
    "You are about to create a REAL payment session in PRODUCTION. Send it?";

/// The result screen's line in demo while the order waits for payment.
pub const DEMO_PAY_HINT: &str =
    "no real money. P pay as the customer · F fail as the customer · or pay on the link's page (o)";

/// The toast after `P` or `F` in demo.
pub fn demo_settling(charged: bool) -> &'static str {
    if charged {
        "Demo: paying as the customer; the status check shows the result…"
    } else {
        "Demo: failing the payment as the customer; the status check shows the result…"
    }
}

/// The question before `y` in the history replaces a form with unsent edits.
pub fn reuse_confirm(order_id: &str) -> String {
    format!(
        "The form has changes that were not sent. Replace them with a copy of order {order_id}?"
    )
}

pub fn too_small_detail(w: u16, h: u16) -> String {
    format!("{w}×{h}; paydesk needs at least 40×12")
}

/// The first key bound to `action` in `scope`, as the footer names it.
fn key(scope: Scope, action: Action) -> String {
    keymap::key_for(scope, action)
}

/// The header's pointer to the help screen.
pub fn help_hint() -> String {
    format!("{} help", key(Scope::Global, Action::Help))
}

/// The extras tab's last row.
pub fn add_meta() -> String {
    format!(
        "+ add a metadata row ({})",
        key(Scope::Extras, Action::AddRow)
    )
}

/// The member list's last row, unfocused.
pub fn add_member() -> String {
    format!("+ add a member ({})", key(Scope::Members, Action::AddRow))
}

/// A second Ctrl-S while a send is in flight.
pub fn already_sending() -> String {
    format!(
        "A send is already in flight; wait for it or press {} to cancel it.",
        key(Scope::Global, Action::Back)
    )
}

pub fn problems_title(n: usize) -> String {
    let send = key(Scope::Global, Action::Send);
    if n == 1 {
        format!("1 problem: fix it and press {send} again")
    } else {
        format!("{n} problems: fix them and press {send} again")
    }
}

pub fn sending(order_id: &str, env: &str, secs: f64) -> String {
    let cancel = key(Scope::Global, Action::Back);
    format!("Sending order {order_id} to {env} … {secs:.1} s · {cancel} cancels")
}

/// Shown while a send's outcome is checked: after Esc, and after a timeout or an answer
/// that could not be read (so it does not say "cancelled": the fault drills found that).
pub fn cancelled(order_id: &str) -> String {
    format!("Outcome of {order_id} unknown: checking its status with Juspay…")
}

/// The notice after Esc stopped a send.
pub fn cancelled_by_you(order_id: &str) -> String {
    format!(
        "Cancelled sending {order_id}. It may have reached Juspay already, so paydesk is checking its status; the form is kept."
    )
}

/// The forget question; `branch` when the desk works on a branch ledger, where forgetting
/// removes the order for every counter.
pub fn forget_confirm(order_id: &str, branch: bool) -> String {
    if branch {
        format!(
            "Forget order {order_id}? It is removed from the branch ledger, for every counter; \
             Juspay keeps it."
        )
    } else {
        format!(
            "Forget order {order_id}? It is removed from this desk's history only; Juspay keeps it."
        )
    }
}

/// The banner line for environment `env`'s client that could not be prepared.
pub fn client_problem(env: &str, message: &str) -> String {
    format!("{env}: {message}")
}

/// Whether `banner` is [`client_problem`] of `env` (dropped when the desk leaves `env`).
pub fn is_client_problem_of(banner: &str, env: &str) -> bool {
    banner
        .strip_prefix(env)
        .is_some_and(|rest| rest.starts_with(": "))
}

pub fn cannot_send(env: &str, problem: &str) -> String {
    format!("Sending is off in {env}: {problem}")
}

/// The banner while the history cannot be opened (the desk keeps trying).
pub fn history_unavailable(failure: &super::history_open::OpenFailure) -> String {
    format!(
        "History cannot be opened: {failure}. Trying again; orders are not sent until it opens (an order that cannot be recorded is not sent)."
    )
}

// ----- what the clerk is told about an order: it follows the row's state (issue 10) -----

/// A final `not_created` row: the only state in which the desk says nothing was charged.
pub const NOT_CREATED: &str =
    "Not created. Nothing was charged. Ctrl-S resends with the same order id.";
/// An open row (`sending`, `unknown`, not at Juspay yet, or a check that failed).
pub const KEEPS_CHECKING: &str =
    "paydesk keeps checking; sending it again now could create a second order.";
/// A row another live paydesk is sending (it records the answer itself).
pub const IN_FLIGHT: &str = "Another paydesk is sending it; paydesk keeps checking. Sending it again now could create a second order.";
/// A resend whose order id Juspay already held: the order shown is that one.
pub const ALREADY_AT_JUSPAY: &str =
    "Juspay already held this order id (an earlier send had reached it): this is that order.";
/// A 400/401 from Juspay: a final `rejected` row; Juspay's reason is the title.
pub const REJECTED: &str = "Juspay refused it: nothing was created under this attempt.";

/// What to tell the clerk about an order whose row is now `outcome` (`None`: the answer
/// could not be recorded, so the row stays open and is re-checked).
pub fn outcome_advice(outcome: Option<crate::orders::Outcome>) -> &'static str {
    use crate::orders::Outcome;
    match outcome {
        Some(Outcome::NotCreated) => NOT_CREATED,
        Some(Outcome::Rejected) => REJECTED,
        Some(Outcome::Created) => "",
        Some(Outcome::Sending | Outcome::Unknown) | None => KEEPS_CHECKING,
    }
}

/// The toast after a re-check of open rows settled some: `settled` of them, `open` still
/// open.
pub fn rechecked(settled: usize, open: usize) -> String {
    let orders = |n: usize| if n == 1 { "order" } else { "orders" };
    if open == 0 {
        format!(
            "Re-checked open orders: {settled} {} settled, see the history",
            orders(settled)
        )
    } else {
        format!(
            "Re-checked open orders: {settled} {} settled, {open} still open (paydesk keeps checking)",
            orders(settled)
        )
    }
}

/// After the next-empty key found nothing to fill.
/// F5 / Ctrl-G when no required field is empty.
pub fn all_required_filled() -> String {
    format!(
        "Every required field is filled in; {} sends",
        key(Scope::Global, Action::Send)
    )
}
pub const ALL_FIELDS_SHOWN: &str = "All fields shown, also those the profile does not use";

/// After "all fields" was turned off.
pub fn only_used_fields(profile: &str) -> String {
    format!("Only the fields the {profile} profile uses are shown")
}

/// Under the tab's fields when "all fields" would show more.
pub fn hidden_fields(n: usize, key: &str) -> String {
    let fields = if n == 1 { "field" } else { "fields" };
    format!("{n} more {fields} not used by this profile: {key}")
}

/// The returning-customer offer, one line: the key first (the details may be cut on a
/// narrow terminal), then what the history knows. Any other key ignores the offer.
pub fn returning_offer(summary: &str, key: &str) -> String {
    format!("Known customer, {key} fills in: {summary}")
}

/// After the returning customer's details were taken.
pub fn details_filled(n: usize, order_id: &str) -> String {
    let fields = if n == 1 { "field" } else { "fields" };
    format!("Filled {n} {fields} from the customer's order {order_id}")
}

/// The placeholder of an empty free-text field with offered values.
pub fn offered_placeholder(values: &[String], key: &str) -> String {
    format!("{} or type ({key}: list)", values.join(" / "))
}
