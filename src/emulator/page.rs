//! The payment page: `assets/payment_page.html` with the order filled in. Every value is
//! HTML-escaped; the only markup we add is our own fixed fragments.

use super::state::{Order, Status};

const TEMPLATE: &str = include_str!("../../assets/payment_page.html");

const PAY_FORM: &str = r#"<form method="post" class="actions">
  <button class="pay" type="submit" name="outcome" value="charged">Pay</button>
  <button class="fail" type="submit" name="outcome" value="failed">Fail</button>
</form>"#;

/// On a paid order: a second payment, for the demo of a customer who paid twice.
const PAY_AGAIN_FORM: &str = r#"<form method="post" class="actions">
  <button class="pay" type="submit" name="outcome" value="again">Pay again (duplicate payment)</button>
</form>"#;

/// The page for an order; `note` is a line of plain text shown under the summary.
pub(crate) fn order_page(order: &Order, note: Option<&str>) -> String {
    let body = match (order.status, note) {
        (Status::New, None) => PAY_FORM.to_string(),
        (Status::New, Some(note)) => format!("<p class=\"result\">{}</p>{PAY_FORM}", escape(note)),
        (status, note) => {
            let text = note.map(str::to_string).unwrap_or_else(|| match status {
                Status::Charged if order.payments > 1 => format!(
                    "Paid {} times: the order is CHARGED and the customer paid {} too many.",
                    order.payments,
                    order.payments - 1
                ),
                Status::Charged => "Payment received: the order is CHARGED.".to_string(),
                _ => format!("Payment failed: the order is {}.", status.name()),
            });
            let again = if status == Status::Charged {
                PAY_AGAIN_FORM
            } else {
                ""
            };
            format!("<p class=\"result\">{}</p>{again}", escape(&text))
        }
    };
    let customer = [
        order.customer_name(),
        order.field("customer_email").to_string(),
        order.field("customer_phone").to_string(),
    ]
    .into_iter()
    .filter(|s| !s.is_empty())
    .collect::<Vec<_>>()
    .join(" · ");
    render(&[
        ("title", escape(&order.order_id)),
        (
            "amount",
            escape(&format!("{} {}", order.currency, order.amount_display())),
        ),
        ("order_id", escape(&order.order_id)),
        ("juspay_id", escape(&order.juspay_id)),
        ("customer", escape(&customer)),
        ("description", escape(order.field("description"))),
        ("status", escape(order.status.name())),
        ("body", body),
    ])
}

/// A page for a request that names no order we know, or says something we cannot use.
pub(crate) fn message_page(title: &str, message: &str) -> String {
    render(&[
        ("title", escape(title)),
        ("amount", escape(title)),
        ("order_id", String::new()),
        ("juspay_id", String::new()),
        ("customer", String::new()),
        ("description", String::new()),
        ("status", String::new()),
        (
            "body",
            format!("<p class=\"result\">{}</p>", escape(message)),
        ),
    ])
}

/// Replaces each `{{name}}` in one pass, so a value that itself contains `{{…}}` is
/// never expanded again.
fn render(values: &[(&str, String)]) -> String {
    let mut out = String::with_capacity(TEMPLATE.len() + 512);
    let mut rest = TEMPLATE;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        match after.find("}}") {
            Some(end) => {
                let name = &after[..end];
                match values.iter().find(|(n, _)| *n == name) {
                    Some((_, value)) => out.push_str(value),
                    None => out.push_str(&rest[start..start + 2 + end + 2]),
                }
                rest = &after[end + 2..];
            }
            None => {
                out.push_str(&rest[start..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_escaped_and_not_expanded_twice() {
        let page = message_page("<b>x</b>", "{{status}} & \"q\"");
        assert!(page.contains("&lt;b&gt;x&lt;/b&gt;"));
        assert!(page.contains("{{status}} &amp; &quot;q&quot;"));
        assert!(!page.contains("<b>x"));
    }
}
