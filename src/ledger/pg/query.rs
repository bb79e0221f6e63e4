//! A `history::Query` as PostgreSQL SQL, with user input only in bound parameters.
//!
//! The same filters as `history::query` (status, statuses, outcome, environment, dates,
//! refunded, keyset paging). Search: every folded term must be a substring of
//! `search_text` (`LIKE '%term%'`, answered by the `pg_trgm` GIN index). Terms hold no
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
