//! Turning a `Query` into SQL, with user input only ever in bound parameters.
//!
//! The table that drives the loop is chosen so a window touches only what it shows, read
//! newest first by local id and stopped after `limit` rows:
//! - no search: `orders` through its primary key (or a filter index ending in `id`);
//! - a search with a term of 3+ characters: the FTS5 trigram index `orders_search`, in
//!   descending rowid (= local id) order, each hit joined to its order;
//! - only 1–2 character terms: the compact `orders_text` table, scanned with `instr`.

use rusqlite::types::Value;

use super::schema::fold;
use super::store::Query;

/// Rows a window returns when the query asks for 0.
pub const DEFAULT_LIMIT: usize = 100;

/// Terms shorter than this cannot use the trigram index.
const TRIGRAM: usize = 3;

/// The selected columns, in `store::row_to_order` order; every statement names `orders AS o`.
pub const COLUMNS: &str = "o.id, o.created_at, o.environment, o.base_host, o.merchant_id, \
    o.profile, o.order_id, o.juspay_id, o.request_id, o.amount, o.currency, o.customer_id, \
    o.customer_name, o.customer_phone, o.customer_email, o.request_body, o.response_body, \
    o.payment_link, o.link_expiry, o.status, o.status_checked_at, o.outcome, o.error";

/// A statement and its positional parameters.
#[derive(Debug, Default)]
pub struct Sql {
    pub sql: String,
    pub params: Vec<Value>,
}

/// Which table drives the loop; see the module comment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Driver {
    Orders,
    Trigram,
    Text,
}

impl Driver {
    /// The driver's id column (= `orders.id`).
    fn key(self) -> &'static str {
        match self {
            Driver::Orders => "o.id",
            Driver::Trigram => "s.rowid",
            Driver::Text => "t.id",
        }
    }
}

/// Conditions collected from a query.
#[derive(Debug)]
struct Conditions {
    driver: Driver,
    /// Short terms are tested on `orders_text AS t`.
    short_terms: bool,
    /// Conditions on the search tables.
    search: Vec<String>,
    /// Conditions on `orders AS o`.
    order: Vec<String>,
    params: Vec<Value>,
}

impl Conditions {
    /// The next parameter placeholder, binding `value` to it.
    fn bind(&mut self, value: Value) -> String {
        self.params.push(value);
        format!("?{}", self.params.len())
    }

    fn where_clause(&self) -> String {
        let all: Vec<&str> = self
            .search
            .iter()
            .chain(&self.order)
            .map(String::as_str)
            .collect();
        if all.is_empty() {
            String::new()
        } else {
            format!(" WHERE {}", all.join(" AND "))
        }
    }

    /// FROM: the driver first, joined by id to the rest (CROSS JOIN fixes the loop order).
    fn from(&self, with_orders: bool) -> String {
        let mut from = match self.driver {
            Driver::Orders => return "orders AS o".to_string(),
            Driver::Trigram => "orders_search AS s".to_string(),
            Driver::Text => "orders_text AS t".to_string(),
        };
        let key = self.driver.key();
        if self.driver == Driver::Trigram && self.short_terms {
            from.push_str(&format!(" CROSS JOIN orders_text AS t ON t.id = {key}"));
        }
        if with_orders || !self.order.is_empty() {
            from.push_str(&format!(" CROSS JOIN orders AS o ON o.id = {key}"));
        }
        from
    }
}

/// One FTS5 phrase matching `term` literally (quotes doubled, so no query syntax leaks).
fn fts_phrase(term: &str) -> String {
    format!("\"{}\"", term.replace('"', "\"\""))
}

/// Search: the text is split on whitespace and every term must appear (as a substring,
/// case-insensitive) in the order id, customer name, phone or email.
fn conditions(query: &Query) -> Conditions {
    let search = fold(query.search.as_deref().unwrap_or(""), "", "", "");
    let terms: Vec<&str> = search.split_whitespace().collect();
    let (long, short): (Vec<&str>, Vec<&str>) =
        terms.iter().partition(|t| t.chars().count() >= TRIGRAM);
    let driver = match (long.is_empty(), short.is_empty()) {
        (false, _) => Driver::Trigram,
        (true, false) => Driver::Text,
        (true, true) => Driver::Orders,
    };
    let mut c = Conditions {
        driver,
        short_terms: !short.is_empty(),
        search: Vec::new(),
        order: Vec::new(),
        params: Vec::new(),
    };
    if !long.is_empty() {
        let phrases: Vec<String> = long.iter().map(|t| fts_phrase(t)).collect();
        let p = c.bind(Value::Text(phrases.join(" ")));
        c.search.push(format!("s.orders_search MATCH {p}"));
    }
    for term in short {
        // instr, not LIKE: the text is already folded and no wildcard needs escaping.
        let p = c.bind(Value::Text(term.to_string()));
        c.search.push(format!("instr(t.folded, {p}) > 0"));
    }
    let text = |v: &str| Value::Text(v.to_string());
    if let Some(status) = query.status.as_deref() {
        let p = c.bind(text(status));
        c.order.push(format!("o.status = {p}"));
    }
    if let Some(outcome) = query.outcome {
        let p = c.bind(text(outcome.as_str()));
        c.order.push(format!("o.outcome = {p}"));
    }
    if let Some(environment) = query.environment.as_deref() {
        let p = c.bind(text(environment));
        c.order.push(format!("o.environment = {p}"));
    }
    if let Some(since) = query.since.as_deref() {
        let p = c.bind(text(since));
        c.order.push(format!("o.created_at >= {p}"));
    }
    if let Some(until) = query.until.as_deref() {
        let p = c.bind(text(until));
        c.order.push(format!("o.created_at < {p}"));
    }
    c
}

/// One window of rows, newest first.
pub fn window(query: &Query) -> Sql {
    let mut c = conditions(query);
    let key = c.driver.key();
    if let Some(id) = query.before_id {
        let p = c.bind(Value::Integer(id));
        c.search.push(format!("{key} < {p}"));
    }
    let limit = if query.limit == 0 {
        DEFAULT_LIMIT
    } else {
        query.limit
    };
    let limit = c.bind(Value::Integer(i64::try_from(limit).unwrap_or(i64::MAX)));
    let offset = c.bind(Value::Integer(
        i64::try_from(query.offset).unwrap_or(i64::MAX),
    ));
    Sql {
        sql: format!(
            "SELECT {COLUMNS} FROM {}{} ORDER BY {key} DESC LIMIT {limit} OFFSET {offset}",
            c.from(true),
            c.where_clause()
        ),
        params: c.params,
    }
}

/// How many rows match (ignoring paging); `orders` is joined only when a filter needs it.
pub fn count(query: &Query) -> Sql {
    let c = conditions(query);
    Sql {
        sql: format!("SELECT COUNT(*) FROM {}{}", c.from(false), c.where_clause()),
        params: c.params,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fts_phrases_cannot_inject_syntax() {
        assert_eq!(fts_phrase("a\"b OR c"), "\"a\"\"b OR c\"");
    }

    #[test]
    fn parameters_are_numbered_in_order() {
        let query = Query {
            search: Some("ab John".into()),
            status: Some("NEW".into()),
            ..Query::default()
        };
        let sql = window(&query);
        assert_eq!(sql.params.len(), 5);
        assert_eq!(sql.params.first(), Some(&Value::Text("\"john\"".into())));
        assert!(sql.sql.contains("MATCH ?1"), "{}", sql.sql);
        assert!(sql.sql.contains("instr(t.folded, ?2)"), "{}", sql.sql);
        assert!(sql.sql.contains("o.status = ?3"), "{}", sql.sql);
        assert!(sql.sql.contains("LIMIT ?4 OFFSET ?5"), "{}", sql.sql);
    }

    #[test]
    fn each_kind_of_query_is_driven_by_the_right_table() {
        let search = |q: &str| Query {
            search: Some(q.into()),
            ..Query::default()
        };
        assert!(
            window(&Query::default())
                .sql
                .contains("FROM orders AS o ORDER BY o.id DESC")
        );
        assert!(
            window(&search("john"))
                .sql
                .contains("FROM orders_search AS s CROSS JOIN")
        );
        assert!(
            window(&search("jo"))
                .sql
                .contains("FROM orders_text AS t CROSS JOIN")
        );
        assert_eq!(
            count(&search("john")).sql,
            "SELECT COUNT(*) FROM orders_search AS s WHERE s.orders_search MATCH ?1"
        );
        assert_eq!(
            count(&Query::default()).sql,
            "SELECT COUNT(*) FROM orders AS o"
        );
    }
}
