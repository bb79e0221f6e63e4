//! Turning a `Query` into SQL, with user input only ever in bound parameters.
//!
//! A window is found in two steps: a subquery picks the window's ids, newest first, from
//! the most compact source that can answer it, and only those rows of `orders` are read.
//! So paging deep (a large OFFSET) skips small index entries, never whole order rows.
//! The ids come from:
//! - a search: the gram index `orders_grams` (see `search`) read in descending rowid
//!   (= id) order, so a common term stops after one window; filters are then checked
//!   through their covering index (each ends in `id`), not the order rows;
//! - only filters (status, outcome, environment, dates): `orders` through the filter's
//!   index;
//! - nothing: `orders_text`, one small row per order.

use rusqlite::types::Value;

use super::search;
use crate::orders::state::Outcome;

/// A window query: newest first.
#[derive(Debug, Clone, Default)]
pub struct Query {
    /// Matches order id, customer name, phone, email: every whitespace-separated term must
    /// appear in one of them (substring, case-insensitive).
    pub search: Option<String>,
    /// Exact Juspay status, e.g. `CHARGED`.
    pub status: Option<String>,
    /// Any of these Juspay statuses (empty: no filter), e.g. the three failure statuses
    /// behind the desk's FAILED badge.
    pub statuses: Vec<String>,
    pub environment: Option<String>,
    pub offset: usize,
    /// Rows to return; 0 means `query::DEFAULT_LIMIT`.
    pub limit: usize,
    pub outcome: Option<Outcome>,
    /// Only rows created at or after this time: an RFC 3339 UTC prefix such as
    /// `2026-11-25` or `2026-11-25T14:00` (compared as text with `created_at`).
    pub since: Option<String>,
    /// Only rows created before this time (same format as `since`, exclusive).
    pub until: Option<String>,
    /// Keyset paging: only rows with a local id below this (the last id of the previous
    /// window). Cheaper than a large `offset`.
    pub before_id: Option<i64>,
    /// Only orders whose successful refunds cover all of the amount, or only part of it.
    pub refunded: Option<RefundMark>,
    /// Only orders created by this clerk: the whole name, ignoring ASCII case.
    pub operator: Option<String>,
    /// Only orders created at this counter: the whole name, ignoring ASCII case.
    pub counter: Option<String>,
}

/// How much of an order its successful refunds (`SUCCESS` at Juspay) give back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefundMark {
    /// All of the order amount.
    Full,
    /// Some, not all.
    Partial,
}

/// Rows a window returns when the query asks for 0.
pub const DEFAULT_LIMIT: usize = 100;

/// How far a search or filter is counted beyond the rows asked for: "more than 1000
/// orders" is as useful to a clerk as the exact figure, and on a ledger of a million
/// orders counting every match of a common name takes a quarter of a second.
pub const COUNT_CAP: u64 = 1_000;

/// How many rows match a query, as far as they were counted (`Store::count_upto`,
/// `Ledger::count_upto`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Count {
    /// Exactly this many.
    Exact(u64),
    /// More than this many (the count stopped there).
    MoreThan(u64),
}

impl Count {
    /// From `n` rows counted with `LIMIT cap + 1`.
    pub fn capped(n: u64, cap: u64) -> Count {
        if n > cap {
            Count::MoreThan(cap)
        } else {
            Count::Exact(n)
        }
    }

    /// The rows known to exist (`MoreThan(n)`: `n`).
    pub fn known(self) -> u64 {
        match self {
            Count::Exact(n) | Count::MoreThan(n) => n,
        }
    }

    /// Whether more rows match than `known`.
    pub fn more(self) -> bool {
        matches!(self, Count::MoreThan(_))
    }
}

impl std::fmt::Display for Count {
    /// `12` or `1000+`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Count::Exact(n) => write!(f, "{n}"),
            Count::MoreThan(n) => write!(f, "{n}+"),
        }
    }
}

impl Query {
    /// True when the query has no search and no filter (paging aside): it asks for every
    /// row, and its count is exact on both engines.
    pub fn is_everything(&self) -> bool {
        crate::history::search::fold(&[self.search.as_deref().unwrap_or("")]).is_empty()
            && self.status.is_none()
            && self.statuses.is_empty()
            && self.environment.is_none()
            && self.outcome.is_none()
            && self.since.is_none()
            && self.until.is_none()
            && self.refunded.is_none()
            && self.operator.is_none()
            && self.counter.is_none()
    }
}

/// Of a long term's three-character grams, this many of the rarest are asked of the index.
pub const GRAMS_PER_TERM: usize = 2;

/// The selected columns, in `store::row_to_order` order; every statement names
/// `orders AS o`.
pub const COLUMNS: &str = "o.id, o.created_at, o.environment, o.base_host, o.merchant_id, \
    o.profile, o.order_id, o.juspay_id, o.request_id, o.amount, o.currency, o.customer_id, \
    o.customer_name, o.customer_phone, o.customer_email, o.request_body, o.response_body, \
    o.payment_link, o.link_expiry, o.status, o.status_checked_at, o.outcome, o.error, \
    o.routing_id, o.owner_token, o.owner_pid, o.owner_host, o.sent_at, o.lease_until, \
    o.last_check, o.last_check_at, o.operator, o.counter";

/// A statement and its positional parameters.
#[derive(Debug, Default)]
pub struct Sql {
    pub sql: String,
    pub params: Vec<Value>,
}

/// What a search asks of the index, decided before any SQL is written.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SearchPlan {
    /// Index tokens every match holds (empty: no search).
    pub tokens: Vec<String>,
    /// Long terms, confirmed with `instr` on the folded text.
    pub confirm: Vec<String>,
    /// Some gram is in no order at all: nothing can match.
    pub impossible: bool,
}

/// Orders holding a gram are counted up to this many at first: enough to tell a rare
/// gram from a common one without reading a whole common list.
pub const FIRST_COUNT_CAP: usize = 5_000;

/// Folds and splits the search text, and keeps the `GRAMS_PER_TERM` rarest grams of each
/// long term. `docs(token, cap)` tells how many orders hold a token, counting at most `cap`;
/// once two grams are known, later ones are only counted up to the second-best count, so
/// weighing a common gram stays cheap.
pub fn search_plan<E>(
    query: &Query,
    docs: &mut dyn FnMut(&str, usize) -> Result<usize, E>,
) -> Result<SearchPlan, E> {
    let folded = search::fold(&[query.search.as_deref().unwrap_or("")]);
    let mut plan = SearchPlan::default();
    for term in folded.split_whitespace() {
        let term_plan = search::plan(term);
        if !term_plan.verify {
            plan.tokens.extend(term_plan.tokens);
            continue;
        }
        // The rarest so far, fewest first.
        let mut best: Vec<(usize, String)> = Vec::with_capacity(GRAMS_PER_TERM + 1);
        for token in term_plan.tokens {
            let cap = match best.get(GRAMS_PER_TERM - 1) {
                Some((n, _)) => *n,
                None => FIRST_COUNT_CAP,
            };
            let n = docs(&token, cap)?;
            if n == 0 {
                plan.impossible = true;
                return Ok(plan);
            }
            if n < cap || best.len() < GRAMS_PER_TERM {
                best.push((n, token));
                best.sort();
                best.truncate(GRAMS_PER_TERM);
            }
        }
        plan.tokens.extend(best.into_iter().map(|(_, t)| t));
        plan.confirm.push(term.to_string());
    }
    plan.tokens.sort();
    plan.tokens.dedup();
    Ok(plan)
}

/// The MATCH expression for tokens (implicit AND). Tokens are `[0-9a-fx]+`, quoted anyway.
pub fn match_expression<S: AsRef<str>>(tokens: &[S]) -> String {
    let quoted: Vec<String> = tokens
        .iter()
        .map(|t| format!("\"{}\"", t.as_ref()))
        .collect();
    quoted.join(" ")
}

/// Parameters and conditions being collected.
#[derive(Debug, Default)]
struct Builder {
    params: Vec<Value>,
}

impl Builder {
    /// The next parameter placeholder, bound to `value`.
    fn bind(&mut self, value: Value) -> String {
        self.params.push(value);
        format!("?{}", self.params.len())
    }

    fn text(&mut self, value: &str) -> String {
        self.bind(Value::Text(value.to_string()))
    }

    /// FROM and conditions selecting the ids of a search (`g.rowid`).
    fn search(&mut self, plan: &SearchPlan) -> (String, Vec<String>) {
        let mut from = "orders_grams AS g".to_string();
        let m = self.text(&match_expression(&plan.tokens));
        let mut conditions = vec![format!("g.orders_grams MATCH {m}")];
        if !plan.confirm.is_empty() {
            from.push_str(" CROSS JOIN orders_text AS t ON t.id = g.rowid");
        }
        for term in &plan.confirm {
            // instr, not LIKE: the text is folded already and no wildcard needs escaping.
            let t = self.text(term);
            conditions.push(format!("instr(t.folded, {t}) > 0"));
        }
        (from, conditions)
    }

    /// Conditions on `orders AS o` for the filters.
    fn filters(&mut self, query: &Query) -> Vec<String> {
        let mut conditions = Vec::new();
        if let Some(status) = query.status.as_deref() {
            conditions.push(format!("o.status = {}", self.text(status)));
        }
        if !query.statuses.is_empty() {
            let list: Vec<String> = query.statuses.iter().map(|s| self.text(s)).collect();
            conditions.push(format!("o.status IN ({})", list.join(", ")));
        }
        if let Some(outcome) = query.outcome {
            conditions.push(format!("o.outcome = {}", self.text(outcome.as_str())));
        }
        if let Some(mark) = query.refunded {
            // Successful refunds against the order amount stored with them (paise).
            let compare = match mark {
                RefundMark::Full => ">=",
                RefundMark::Partial => "<",
            };
            conditions.push(format!(
                "o.id IN (SELECT r.order_row_id FROM refunds AS r \
                 WHERE r.order_row_id IS NOT NULL AND r.state = 'success' \
                 GROUP BY r.order_row_id \
                 HAVING SUM(r.amount_paise) {compare} MAX(r.order_amount_paise))"
            ));
        }
        if let Some(operator) = query.operator.as_deref() {
            conditions.push(format!(
                "o.operator = {} COLLATE NOCASE",
                self.text(operator)
            ));
        }
        if let Some(counter) = query.counter.as_deref() {
            conditions.push(format!("o.counter = {} COLLATE NOCASE", self.text(counter)));
        }
        if let Some(environment) = query.environment.as_deref() {
            conditions.push(format!("o.environment = {}", self.text(environment)));
        }
        if let Some(since) = query.since.as_deref() {
            conditions.push(format!("o.created_at >= {}", self.text(since)));
        }
        if let Some(until) = query.until.as_deref() {
            conditions.push(format!("o.created_at < {}", self.text(until)));
        }
        conditions
    }

    /// The id source: FROM, its id column and conditions (see the module comment).
    fn source(&mut self, query: &Query, plan: &SearchPlan) -> (String, &'static str, Vec<String>) {
        let filters = self.filters(query);
        if plan.tokens.is_empty() {
            return if filters.is_empty() {
                ("orders_text AS t".to_string(), "t.id", filters)
            } else {
                ("orders AS o".to_string(), "o.id", filters)
            };
        }
        let (mut from, mut conditions) = self.search(plan);
        if !filters.is_empty() {
            from.push_str(" CROSS JOIN orders AS o ON o.id = g.rowid");
            conditions.extend(filters);
        }
        (from, "g.rowid", conditions)
    }
}

fn where_clause(conditions: &[String]) -> String {
    if conditions.is_empty() {
        String::new()
    } else {
        format!(" WHERE {}", conditions.join(" AND "))
    }
}

/// One window of rows, newest first (`None` when the plan says nothing can match).
pub fn window(query: &Query, plan: &SearchPlan) -> Option<Sql> {
    if plan.impossible {
        return None;
    }
    let mut b = Builder::default();
    let (from, key, mut conditions) = b.source(query, plan);
    if let Some(id) = query.before_id {
        conditions.push(format!("{key} < {}", b.bind(Value::Integer(id))));
    }
    let limit = if query.limit == 0 {
        DEFAULT_LIMIT
    } else {
        query.limit
    };
    let limit = b.bind(Value::Integer(i64::try_from(limit).unwrap_or(i64::MAX)));
    let offset = b.bind(Value::Integer(
        i64::try_from(query.offset).unwrap_or(i64::MAX),
    ));
    Some(Sql {
        sql: format!(
            "SELECT {COLUMNS} FROM orders AS o WHERE o.id IN (SELECT {key} FROM {from}{} \
             ORDER BY {key} DESC LIMIT {limit} OFFSET {offset}) ORDER BY o.id DESC",
            where_clause(&conditions)
        ),
        params: b.params,
    })
}

/// How many rows match, ignoring paging (`None` when nothing can match).
pub fn count(query: &Query, plan: &SearchPlan) -> Option<Sql> {
    if plan.impossible {
        return None;
    }
    let mut b = Builder::default();
    let (from, _, conditions) = b.source(query, plan);
    // Without conditions, let SQLite count the smallest index of `orders`.
    let from = if conditions.is_empty() {
        "orders".to_string()
    } else {
        from
    };
    Some(Sql {
        sql: format!("SELECT COUNT(*) FROM {from}{}", where_clause(&conditions)),
        params: b.params,
    })
}

/// How many rows match, counting at most `cap + 1` (`None` when nothing can match): a
/// count of `cap + 1` means "more than `cap`".
pub fn count_upto(query: &Query, plan: &SearchPlan, cap: u64) -> Option<Sql> {
    let mut sql = count(query, plan)?;
    let from_where = sql
        .sql
        .strip_prefix("SELECT COUNT(*) FROM ")
        .unwrap_or_default()
        .to_string();
    let mut b = Builder {
        params: std::mem::take(&mut sql.params),
    };
    let limit = b.bind(Value::Integer(
        i64::try_from(cap.saturating_add(1)).unwrap_or(i64::MAX),
    ));
    Some(Sql {
        sql: format!("SELECT COUNT(*) FROM (SELECT 1 FROM {from_where} LIMIT {limit})"),
        params: b.params,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn search(q: &str) -> Query {
        Query {
            search: Some(q.into()),
            ..Query::default()
        }
    }

    /// Plans with every token counted as common as its position: no index needed.
    fn planned(query: &Query) -> SearchPlan {
        let mut n = 0;
        search_plan::<()>(query, &mut |_, _| {
            n += 1;
            Ok(n)
        })
        .unwrap_or_default()
    }

    #[test]
    fn long_terms_keep_their_rarest_grams_and_are_confirmed() {
        // "abcdefghij" offers hij, abc, efg, def, bcd, ghi; efg and bcd are rare.
        let mut asked = Vec::new();
        let mut docs = |token: &str, cap: usize| -> Result<usize, ()> {
            asked.push(cap);
            let n = match token {
                "65x66x67" => 3,
                "62x63x64" => 7,
                _ => 100_000,
            };
            Ok(n.min(cap))
        };
        let plan = search_plan(&search("ABCDEFGHIJ"), &mut docs).unwrap_or_default();
        assert_eq!(plan.tokens, ["62x63x64", "65x66x67"]);
        assert_eq!(plan.confirm, ["abcdefghij"]);
        // Once two grams are known, later ones are counted only up to the second best.
        assert_eq!(
            asked,
            [
                FIRST_COUNT_CAP,
                FIRST_COUNT_CAP,
                FIRST_COUNT_CAP,
                FIRST_COUNT_CAP,
                FIRST_COUNT_CAP,
                7
            ]
        );
        let mut none = |_: &str, _: usize| -> Result<usize, ()> { Ok(0) };
        assert!(
            search_plan(&search("zzzz"), &mut none)
                .unwrap_or_default()
                .impossible
        );
        let impossible = SearchPlan {
            impossible: true,
            ..Default::default()
        };
        assert!(window(&search("zzzz"), &impossible).is_none());
    }

    #[test]
    fn parameters_are_numbered_in_order() {
        let query = Query {
            status: Some("NEW".into()),
            ..search("ab John")
        };
        let sql = window(&query, &planned(&query)).unwrap_or_default();
        assert!(sql.sql.contains("o.status = ?1"), "{}", sql.sql);
        assert!(sql.sql.contains("MATCH ?2"), "{}", sql.sql);
        assert!(sql.sql.contains("instr(t.folded, ?3)"), "{}", sql.sql);
        assert_eq!(sql.params.get(2), Some(&Value::Text("john".into())));
        assert!(sql.sql.contains("LIMIT ?4 OFFSET ?5"), "{}", sql.sql);
        assert_eq!(sql.params.len(), 5);
    }

    #[test]
    fn each_kind_of_query_takes_ids_from_the_most_compact_source() {
        let sql = |q: &Query| window(q, &planned(q)).unwrap_or_default().sql;
        assert!(sql(&Query::default()).contains("IN (SELECT t.id FROM orders_text AS t ORDER"));
        let filtered = Query {
            status: Some("NEW".into()),
            ..Query::default()
        };
        assert!(sql(&filtered).contains("IN (SELECT o.id FROM orders AS o WHERE o.status"));
        let short = sql(&search("ra"));
        assert!(short.contains("IN (SELECT g.rowid FROM orders_grams AS g WHERE"));
        assert!(!short.contains("instr"), "short terms are exact: {short}");
        let count_sql = |q: &Query| count(q, &planned(q)).unwrap_or_default().sql;
        assert_eq!(
            count_sql(&search("jo")),
            "SELECT COUNT(*) FROM orders_grams AS g WHERE g.orders_grams MATCH ?1"
        );
        assert_eq!(count_sql(&Query::default()), "SELECT COUNT(*) FROM orders");
    }
}
