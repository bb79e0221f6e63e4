//! The order on the result screen: its link, ids, amount, expiry and live status.

use std::path::PathBuf;
use std::time::Duration;

use serde_json::Value;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::history::{OrderEvent, OrderRow, Outcome, RefundRow};
use crate::juspay::types::mask_client_auth_token;
use crate::juspay::{OrderState, OrderStatus, SessionResponse};
use crate::session::{Form, keys};

use super::qr_view::{self, QrCode};

mod act;
mod draw;
mod story;

pub use act::{ResultAsk, ResultReply};

pub use draw::{QR_STYLE, ResultStatus};

/// How often to poll at most when errors keep coming.
const MAX_BACKOFF: Duration = Duration::from_secs(60);

#[derive(Debug, Clone)]
pub struct OrderView {
    /// Changes for every view, so a late poll answer for an old view is ignored.
    pub view_id: u64,
    pub history_id: Option<i64>,
    pub order_id: String,
    pub juspay_id: Option<String>,
    pub request_id: Option<String>,
    pub link: Option<String>,
    pub expiry: Option<OffsetDateTime>,
    /// The expiry as sent, when it could not be read as a time.
    pub expiry_text: Option<String>,
    pub amount: String,
    pub currency: String,
    pub status: Option<String>,
    pub checked_at: Option<OffsetDateTime>,
    /// The last poll failed: why (the previous status stays on screen).
    pub poll_error: Option<String>,
    pub poll_failures: u32,
    pub sdk_payload: Option<Value>,
    /// The form that created the order (for "new order, same customer").
    pub form: Form,
    /// The terminal bell has rung for CHARGED.
    pub bell_rung: bool,
    pub full_screen: bool,
    pub saved: Option<(PathBuf, PathBuf)>,
    /// Why this view exists when it is not a plain send (e.g. found after a cancel).
    pub note: Option<String>,
    /// The link's QR code, made once when the link is known.
    pub qr: Option<Result<QrCode, String>>,
    /// The lender profile the order was made with, when the history says.
    pub profile: Option<String>,
    /// The order's story (issue 15): its refund attempts and events, oldest first, as
    /// last read from the history.
    pub refunds: Vec<RefundRow>,
    pub events: Vec<OrderEvent>,
    /// The story was asked for; a follow of its open refunds is scheduled.
    pub story_asked: bool,
    pub story_following: bool,
}

fn parse_time(text: &str) -> Option<OffsetDateTime> {
    OffsetDateTime::parse(text, &Rfc3339).ok()
}

impl OrderView {
    fn blank(view_id: u64, order_id: String, form: Form) -> OrderView {
        let amount = form.get(keys::AMOUNT).to_string();
        let currency = match form.get(keys::CURRENCY) {
            "" => "INR".to_string(),
            c => c.to_string(),
        };
        OrderView {
            view_id,
            history_id: None,
            order_id,
            juspay_id: None,
            request_id: None,
            link: None,
            expiry: None,
            expiry_text: None,
            amount,
            currency,
            status: None,
            checked_at: None,
            poll_error: None,
            poll_failures: 0,
            sdk_payload: None,
            form,
            bell_rung: false,
            full_screen: false,
            saved: None,
            note: None,
            qr: None,
            profile: None,
            refunds: Vec::new(),
            events: Vec::new(),
            story_asked: false,
            story_following: false,
        }
    }

    /// Makes the QR code when the link is new.
    fn refresh_qr(&mut self) {
        if self.qr.is_none() {
            self.qr = self.link.as_deref().map(qr_view::encode);
        }
    }

    fn set_expiry(&mut self, expiry: Option<&str>) {
        self.expiry = expiry.and_then(parse_time);
        self.expiry_text = expiry.map(str::to_string);
    }

    /// A freshly created session.
    pub fn from_response(
        view_id: u64,
        form: Form,
        response: &SessionResponse,
        history_id: Option<i64>,
        request_id: &str,
        now: OffsetDateTime,
    ) -> OrderView {
        let order_id = response
            .order_id
            .clone()
            .unwrap_or_else(|| form.get(keys::ORDER_ID).to_string());
        let mut view = OrderView::blank(view_id, order_id, form);
        view.history_id = history_id;
        view.request_id = Some(request_id.to_string());
        view.juspay_id = response.id.clone();
        if let Some(links) = &response.payment_links {
            view.link = links.web.clone();
        }
        view.set_expiry(response.link_expiry());
        view.status = response.created_status().map(str::to_string);
        view.checked_at = Some(now);
        view.sdk_payload = response.sdk_payload.clone().map(|mut v| {
            mask_client_auth_token(&mut v);
            v
        });
        view.refresh_qr();
        view
    }

    /// An order found through Order Status (after a cancel or timeout).
    pub fn from_status(
        view_id: u64,
        form: Form,
        status: &OrderStatus,
        history_id: Option<i64>,
        now: OffsetDateTime,
    ) -> OrderView {
        let order_id = status
            .order_id
            .clone()
            .unwrap_or_else(|| form.get(keys::ORDER_ID).to_string());
        let mut view = OrderView::blank(view_id, order_id, form);
        view.history_id = history_id;
        view.apply_status(status, now);
        view
    }

    /// An order from the history (Enter on a row).
    pub fn from_row(view_id: u64, row: &OrderRow, form: Form) -> OrderView {
        let mut view = OrderView::blank(view_id, row.order_id.clone(), form);
        view.history_id = Some(row.id);
        view.profile = Some(row.profile.clone());
        view.juspay_id = row.juspay_id.clone();
        view.request_id = Some(row.request_id.clone());
        view.link = row.payment_link.clone();
        view.set_expiry(row.link_expiry.as_deref());
        view.amount = row.amount.clone();
        view.currency = row.currency.clone();
        view.status = row.status.clone().or_else(|| match row.outcome {
            Outcome::Sending => Some("SENDING".into()),
            Outcome::Unknown => Some("UNKNOWN".into()),
            Outcome::Rejected | Outcome::NotCreated => Some("NOT CREATED".into()),
            Outcome::Created => None,
        });
        view.checked_at = row.status_checked_at.as_deref().and_then(parse_time);
        view.sdk_payload = row
            .response_body
            .as_deref()
            .and_then(|b| serde_json::from_str::<Value>(b).ok())
            .and_then(|mut v| {
                mask_client_auth_token(&mut v);
                v.get("sdk_payload").cloned()
            });
        view.refresh_qr();
        view
    }

    /// Takes in a status answer.
    pub fn apply_status(&mut self, status: &OrderStatus, now: OffsetDateTime) {
        if let Some(s) = &status.status {
            self.status = Some(s.clone());
        }
        if self.juspay_id.is_none() {
            self.juspay_id = status.id.clone();
        }
        if let Some(links) = &status.payment_links {
            if self.link.is_none() {
                self.link = links.web.clone();
            }
            if self.expiry.is_none() && links.expiry.is_some() {
                self.set_expiry(links.expiry.as_deref());
            }
        }
        if let Some(amount) = &status.amount
            && self.amount.is_empty()
        {
            self.amount = match amount {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
        }
        self.checked_at = Some(now);
        self.poll_error = None;
        self.poll_failures = 0;
        self.refresh_qr();
    }

    pub fn state(&self) -> Option<OrderState> {
        self.status.as_deref().map(OrderState::parse)
    }

    /// No further status change is expected (or the order is not a live order).
    pub fn is_final(&self) -> bool {
        match self.status.as_deref() {
            Some("NOT CREATED") => true,
            Some(s) => OrderState::parse(s).is_final(),
            None => false,
        }
    }

    /// The wait before the next poll: the interval, doubled per failure, at most a minute.
    pub fn next_poll(&self, interval: Duration) -> Duration {
        let factor = 1u32.checked_shl(self.poll_failures.min(6)).unwrap_or(64);
        interval
            .saturating_mul(factor)
            .min(MAX_BACKOFF.max(interval))
    }

    /// Seconds until the link expires (negative once expired).
    pub fn expires_in(&self, now: OffsetDateTime) -> Option<i64> {
        self.expiry.map(|e| (e - now).whole_seconds())
    }

    /// Customer fields of the order's form, for a new order for the same customer.
    pub fn customer_form(&self, fields: &[crate::session::FormField]) -> Form {
        let mut form = Form::default();
        for f in fields
            .iter()
            .filter(|f| f.section == crate::session::Section::Customer)
        {
            let v = self.form.get(&f.key);
            if !v.is_empty() {
                form.set(&f.key, v);
            }
        }
        form
    }
}

/// "4m 05s", "1h 02m", "expired".
pub fn countdown(seconds: i64) -> String {
    if seconds <= 0 {
        return "expired".into();
    }
    let (h, m, s) = (seconds / 3600, (seconds % 3600) / 60, seconds % 60);
    if h >= 48 {
        format!("{}d {}h", h / 24, h % 24)
    } else if h > 0 {
        format!("{h}h {m:02}m")
    } else {
        format!("{m}m {s:02}s")
    }
}

/// An amount for people: `₹30,500.00` (Indian digit grouping for INR), `12.50 USD`.
pub fn format_amount(amount: &str, currency: &str) -> String {
    let amount = amount.trim();
    let Some((int, frac)) = split_amount(amount) else {
        return format!("{amount} {currency}").trim().to_string();
    };
    if currency.is_empty() || currency.eq_ignore_ascii_case("INR") {
        format!("₹{}.{frac}", group_indian(&int))
    } else {
        format!("{}.{frac} {currency}", group_western(&int))
    }
}

fn split_amount(amount: &str) -> Option<(String, String)> {
    let (int, frac) = match amount.split_once('.') {
        Some((i, f)) => (i, f),
        None => (amount, ""),
    };
    if int.is_empty()
        || !int.bytes().all(|b| b.is_ascii_digit())
        || !frac.bytes().all(|b| b.is_ascii_digit())
        || frac.len() > 2
    {
        return None;
    }
    let int = int.trim_start_matches('0');
    let int = if int.is_empty() { "0" } else { int };
    Some((int.to_string(), format!("{frac:0<2}")))
}

fn group_indian(int: &str) -> String {
    if int.len() <= 3 {
        return int.to_string();
    }
    let (head, last3) = int.split_at(int.len() - 3);
    let mut groups: Vec<&str> = Vec::new();
    let mut rest = head;
    while rest.len() > 2 {
        let (a, b) = rest.split_at(rest.len() - 2);
        groups.push(b);
        rest = a;
    }
    if !rest.is_empty() {
        groups.push(rest);
    }
    groups.reverse();
    format!("{},{last3}", groups.join(","))
}

fn group_western(int: &str) -> String {
    let bytes: Vec<char> = int.chars().collect();
    let mut out = String::new();
    for (i, c) in bytes.iter().enumerate() {
        if i > 0 && (bytes.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(*c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_read_like_money() {
        assert_eq!(format_amount("30500", "INR"), "₹30,500.00");
        assert_eq!(format_amount("1234567.5", "INR"), "₹12,34,567.50");
        assert_eq!(format_amount("999", ""), "₹999.00");
        assert_eq!(format_amount("1234567.5", "USD"), "1,234,567.50 USD");
        assert_eq!(format_amount("abc", "INR"), "abc INR");
        assert_eq!(format_amount("1.234", "INR"), "1.234 INR");
    }

    #[test]
    fn countdown_reads_naturally() {
        assert_eq!(countdown(0), "expired");
        assert_eq!(countdown(65), "1m 05s");
        assert_eq!(countdown(3725), "1h 02m");
        assert_eq!(countdown(3 * 86400 + 7200), "3d 2h");
    }

    #[test]
    fn polling_backs_off_on_errors_up_to_a_minute() {
        let mut view = OrderView::blank(1, "O1".into(), Form::default());
        let five = Duration::from_secs(5);
        assert_eq!(view.next_poll(five), five);
        view.poll_failures = 2;
        assert_eq!(view.next_poll(five), Duration::from_secs(20));
        view.poll_failures = 30;
        assert_eq!(view.next_poll(five), Duration::from_secs(60));
    }
}
