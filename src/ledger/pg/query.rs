//! A `history::Query` as PostgreSQL SQL, with user input only in bound parameters.
//!
//! The same filters as `history::query` (status, statuses, outcome, environment, dates,
//! refunded, keyset paging). Search: every folded term must be a substring of
//! `search_text` (`LIKE '%term%'` in an exact count; `strpos` where `pg::search` has the
//! indexes narrow the candidates first with `IndexCut`). Terms hold no
//! whitespace and `search_text` joins the folded words with one space, so, as with SQLite,
//! no term matches across two words.

use tokio_postgres::types::ToSql;

use crate::history::query::{DEFAULT_LIMIT, Query, RefundMark};

/// A statement and its parameters.
pub struct Sql {
    pub sql: String,
    values: Vec<Box<dyn ToSql + Sync + Send>>,
}

impl Sql {
    /// The parameters as tokio-postgres takes them.
    pub fn params(&self) -> Vec<&(dyn ToSql + Sync)> {
        self.values
            .iter()
            .map(|v| v.as_ref() as &(dyn ToSql + Sync))
            .collect()
    }
}

#[derive(Default)]
struct Builder {
    values: Vec<Box<dyn ToSql + Sync + Send>>,
}

impl Builder {
    fn bind(&mut self, value: impl ToSql + Sync + Send + 'static) -> String {
        self.values.push(Box::new(value));
        format!("${}", self.values.len())
    }

    fn conditions(&mut self, query: &Query) -> Vec<String> {
        let mut out = Vec::new();
        let folded = crate::history::search::fold(&[query.search.as_deref().unwrap_or("")]);
        for term in folded.split_whitespace() {
            let p = self.bind(format!("%{}%", escape_like(term)));
            out.push(format!("o.search_text LIKE {p}"));
        }
        out.extend(self.filters(query));
        out
    }

    /// The search terms as exact conditions no index answers (`strpos`, so nothing needs
    /// escaping), then the filters.
    fn exact(&mut self, query: &Query) -> Vec<String> {
        let mut out = Vec::new();
        let folded = crate::history::search::fold(&[query.search.as_deref().unwrap_or("")]);
        for term in folded.split_whitespace() {
            let p = self.bind(term.to_string());
            out.push(format!("strpos(o.search_text, {p}) > 0"));
        }
        out.extend(self.filters(query));
        out
    }

    /// Conditions the search indexes answer: each trigram through `pg_trgm`, the one- and
    /// two-character pieces through `paydesk_short_grams` (schema V5).
    fn indexed(&mut self, cut: &IndexCut) -> Vec<String> {
        let mut out = Vec::new();
        for trigram in &cut.trigrams {
            let p = self.bind(format!("%{}%", escape_like(trigram)));
            out.push(format!("o.search_text LIKE {p}"));
        }
        if !cut.pieces.is_empty() {
            let p = self.bind(cut.pieces.clone());
            out.push(format!("paydesk_short_grams(o.search_text) @> {p}"));
        }
        out
    }

    fn filters(&mut self, query: &Query) -> Vec<String> {
        let mut out = Vec::new();
        // Whole names ignoring case, as SQLite's `COLLATE NOCASE` (ASCII only there too).
        if let Some(operator) = &query.operator {
            out.push(format!(
                "lower(o.operator) = lower({})",
                self.bind(operator.clone())
            ));
        }
        if let Some(counter) = &query.counter {
            out.push(format!(
                "lower(o.counter) = lower({})",
                self.bind(counter.clone())
            ));
        }
        if let Some(status) = &query.status {
            out.push(format!("o.status = {}", self.bind(status.clone())));
        }
        if !query.statuses.is_empty() {
            let p = self.bind(query.statuses.clone());
            out.push(format!("o.status = ANY({p})"));
        }
        if let Some(outcome) = query.outcome {
            out.push(format!("o.outcome = {}", self.bind(outcome.as_str())));
        }
        if let Some(mark) = query.refunded {
            let compare = match mark {
                RefundMark::Full => ">=",
                RefundMark::Partial => "<",
            };
            out.push(format!(
                "o.id IN (SELECT r.order_row_id FROM refunds AS r \
                 WHERE r.order_row_id IS NOT NULL AND r.state = 'success' \
                 GROUP BY r.order_row_id \
                 HAVING SUM(r.amount_paise) {compare} MAX(r.order_amount_paise))"
            ));
        }
        if let Some(environment) = &query.environment {
            out.push(format!(
                "o.environment = {}",
                self.bind(environment.clone())
            ));
        }
        if let Some(since) = &query.since {
            out.push(format!("o.created_at >= {}", self.bind(since.clone())));
        }
        if let Some(until) = &query.until {
            out.push(format!("o.created_at < {}", self.bind(until.clone())));
        }
        out
    }
}

/// What the search indexes are asked, as a first cut of the candidates (the exact terms
/// confirm them): trigrams for `pg_trgm`, short pieces for `paydesk_short_grams`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IndexCut {
    /// Three ASCII letters or digits each (`pg_trgm` indexes exactly these in a pattern).
    pub trigrams: Vec<String>,
    /// One or two characters each: every match holds them all as pieces of its words.
    pub pieces: Vec<String>,
}

/// The conditions of a bounded read: the index cut (if any), the query's own, `from <= id
/// < to`; with the builder holding their values and `limit` bound last.
fn bounded(
    query: &Query,
    cut: Option<&IndexCut>,
    from: Option<i64>,
    to: Option<i64>,
    limit: u64,
) -> (Builder, String, String) {
    let mut b = Builder::default();
    let mut conditions = match cut {
        Some(cut) => b.indexed(cut),
        None => Vec::new(),
    };
    conditions.extend(b.exact(query));
    conditions.extend(b.range(from, to));
    let limit = b.bind(i64::try_from(limit).unwrap_or(i64::MAX));
    (b, where_clause(&conditions), limit)
}

/// Ids of matching rows with `from <= id < to` (either end open), newest first, at most
/// `limit`. With a cut, the indexes can answer; without, only the id order can.
pub fn ids(
    query: &Query,
    cut: Option<&IndexCut>,
    from: Option<i64>,
    to: Option<i64>,
    limit: u64,
) -> Sql {
    let (b, filter, limit) = bounded(query, cut, from, to, limit);
    Sql {
        sql: format!("SELECT o.id FROM orders AS o{filter} ORDER BY o.id DESC LIMIT {limit}"),
        values: b.values,
    }
}

/// How many rows match with `from <= id < to`, counting at most `limit`.
pub fn count_range(
    query: &Query,
    cut: Option<&IndexCut>,
    from: Option<i64>,
    to: Option<i64>,
    limit: u64,
) -> Sql {
    let (b, filter, limit) = bounded(query, cut, from, to, limit);
    Sql {
        sql: format!("SELECT COUNT(*) FROM (SELECT 1 FROM orders AS o{filter} LIMIT {limit}) AS c"),
        values: b.values,
    }
}

/// Of the newest `sample` rows below `to`: how many there are, and how many hold each of
/// `needles`.
pub fn sample_counts(needles: &[String], to: i64, sample: u64) -> Sql {
    let mut b = Builder::default();
    let mut columns = vec!["COUNT(*)".to_string()];
    for needle in needles {
        let p = b.bind(needle.clone());
        columns.push(format!(
            "COUNT(*) FILTER (WHERE strpos(o.search_text, {p}) > 0)"
        ));
    }
    let to = b.bind(to);
    let sample = b.bind(i64::try_from(sample).unwrap_or(i64::MAX));
    Sql {
        sql: format!(
            "SELECT {} FROM (SELECT search_text FROM orders WHERE id < {to} \
             ORDER BY id DESC LIMIT {sample}) AS o",
            columns.join(", ")
        ),
        values: b.values,
    }
}

impl Builder {
    fn range(&mut self, from: Option<i64>, to: Option<i64>) -> Vec<String> {
        let mut out = Vec::new();
        if let Some(from) = from {
            out.push(format!("o.id >= {}", self.bind(from)));
        }
        if let Some(to) = to {
            out.push(format!("o.id < {}", self.bind(to)));
        }
        out
    }
}

/// A window's rows by id, newest first.
pub fn rows_by_id(ids: Vec<i64>) -> Sql {
    let mut b = Builder::default();
    let p = b.bind(ids);
    Sql {
        sql: format!(
            "SELECT {} FROM orders AS o WHERE o.id = ANY({p}) ORDER BY o.id DESC",
            super::COLUMNS
        ),
        values: b.values,
    }
}

/// How many rows match, counting at most `cap + 1` (filters only; searches go through
/// `count_range`).
pub fn count_upto(query: &Query, cap: u64) -> Sql {
    let mut b = Builder::default();
    let conditions = b.conditions(query);
    let limit = b.bind(i64::try_from(cap.saturating_add(1)).unwrap_or(i64::MAX));
    Sql {
        sql: format!(
            "SELECT COUNT(*) FROM (SELECT 1 FROM orders AS o{} LIMIT {limit}) AS c",
            where_clause(&conditions)
        ),
        values: b.values,
    }
}

/// Every order of the ledger, from the totals the triggers keep (schema V5).
pub const TOTAL: &str = "SELECT COALESCE(SUM(n), 0)::BIGINT FROM order_totals";

/// `%`, `_` and `\` stand for themselves in a search term.
fn escape_like(term: &str) -> String {
    let mut out = String::with_capacity(term.len());
    for c in term.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

fn where_clause(conditions: &[String]) -> String {
    if conditions.is_empty() {
        String::new()
    } else {
        format!(" WHERE {}", conditions.join(" AND "))
    }
}

/// One window of rows, newest first.
pub fn window(query: &Query) -> Sql {
    let mut b = Builder::default();
    let mut conditions = b.conditions(query);
    if let Some(id) = query.before_id {
        conditions.push(format!("o.id < {}", b.bind(id)));
    }
    let limit = if query.limit == 0 {
        DEFAULT_LIMIT
    } else {
        query.limit
    };
    let limit = b.bind(i64::try_from(limit).unwrap_or(i64::MAX));
    let offset = b.bind(i64::try_from(query.offset).unwrap_or(i64::MAX));
    Sql {
        sql: format!(
            "SELECT {} FROM orders AS o{} ORDER BY o.id DESC LIMIT {limit} OFFSET {offset}",
            super::COLUMNS,
            where_clause(&conditions)
        ),
        values: b.values,
    }
}

/// How many rows match, ignoring paging.
pub fn count(query: &Query) -> Sql {
    let mut b = Builder::default();
    let conditions = b.conditions(query);
    Sql {
        sql: format!(
            "SELECT COUNT(*) FROM orders AS o{}",
            where_clause(&conditions)
        ),
        values: b.values,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terms_are_folded_escaped_and_bound() {
        let query = Query {
            search: Some("Ra 50%_off".into()),
            status: Some("NEW".into()),
            ..Query::default()
        };
        let sql = window(&query);
        assert!(
            sql.sql
                .contains("o.search_text LIKE $1 AND o.search_text LIKE $2")
        );
        assert!(sql.sql.contains("o.status = $3"), "{}", sql.sql);
        assert!(sql.sql.ends_with("LIMIT $4 OFFSET $5"), "{}", sql.sql);
        assert_eq!(sql.params().len(), 5);
        assert_eq!(escape_like("50%_off\\"), "50\\%\\_off\\\\");
        assert_eq!(
            count(&Query::default()).sql,
            "SELECT COUNT(*) FROM orders AS o"
        );
    }
}
