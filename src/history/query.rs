//! Turning a `Query` into SQL: a WHERE clause and its parameters, never string-pasted
//! user input.

use rusqlite::types::Value;

use super::store::Query;

/// Rows a window returns when the query asks for 0.
pub const DEFAULT_LIMIT: usize = 100;

/// Terms shorter than this cannot use the trigram index and are matched with `LIKE`.
const TRIGRAM: usize = 3;

/// A WHERE clause (`""` or ` WHERE …`) and its positional parameters.
#[derive(Debug, Default)]
pub struct Filter {
    pub sql: String,
    pub params: Vec<Value>,
}

impl Filter {
    fn and(&mut self, clause: &str) {
        self.sql.push_str(if self.sql.is_empty() {
            " WHERE "
        } else {
            " AND "
        });
        self.sql.push_str(clause);
    }
}

/// Escapes `%`, `_` and the escape character itself for `LIKE … ESCAPE '\'`.
pub fn like_escape(term: &str) -> String {
    let mut out = String::with_capacity(term.len() + 2);
    for c in term.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// One FTS5 phrase matching `term` literally (quotes doubled, so no query syntax leaks).
fn fts_phrase(term: &str) -> String {
    format!("\"{}\"", term.replace('"', "\"\""))
}

/// The WHERE clause for `query` over `orders` (no ORDER BY / LIMIT).
///
/// Search: the text is split on whitespace and every term must appear (as a substring,
/// case-insensitive) in the order id, customer name, phone or email. Terms of three or more
/// characters go through the trigram index; shorter ones are matched with `LIKE`.
pub fn filter(query: &Query) -> Filter {
    let mut filter = Filter::default();
    if let Some(search) = query.search.as_deref() {
        let mut phrases = Vec::new();
        for term in search.split_whitespace() {
            if term.chars().count() >= TRIGRAM {
                phrases.push(fts_phrase(term));
            } else {
                filter.and(
                    "(order_id LIKE ?1 ESCAPE '\\' OR customer_name LIKE ?1 ESCAPE '\\' \
                     OR customer_phone LIKE ?1 ESCAPE '\\' OR customer_email LIKE ?1 ESCAPE '\\')"
                        .replace("?1", &format!("?{}", filter.params.len() + 1))
                        .as_str(),
                );
                filter
                    .params
                    .push(Value::Text(format!("%{}%", like_escape(term))));
            }
        }
        if !phrases.is_empty() {
            filter.and(&format!(
                "id IN (SELECT rowid FROM orders_search WHERE orders_search MATCH ?{})",
                filter.params.len() + 1
            ));
            filter.params.push(Value::Text(phrases.join(" ")));
        }
    }
    if let Some(status) = query.status.as_deref() {
        filter.and(&format!("status = ?{}", filter.params.len() + 1));
        filter.params.push(Value::Text(status.to_string()));
    }
    if let Some(outcome) = query.outcome {
        filter.and(&format!("outcome = ?{}", filter.params.len() + 1));
        filter
            .params
            .push(Value::Text(outcome.as_str().to_string()));
    }
    if let Some(environment) = query.environment.as_deref() {
        filter.and(&format!("environment = ?{}", filter.params.len() + 1));
        filter.params.push(Value::Text(environment.to_string()));
    }
    if let Some(since) = query.since.as_deref() {
        filter.and(&format!("created_at >= ?{}", filter.params.len() + 1));
        filter.params.push(Value::Text(since.to_string()));
    }
    if let Some(until) = query.until.as_deref() {
        filter.and(&format!("created_at < ?{}", filter.params.len() + 1));
        filter.params.push(Value::Text(until.to_string()));
    }
    if let Some(before) = query.before_id {
        filter.and(&format!("id < ?{}", filter.params.len() + 1));
        filter.params.push(Value::Integer(before));
    }
    filter
}

/// LIMIT and OFFSET as SQLite integers (saturating; 0 means `DEFAULT_LIMIT`).
pub fn limit_offset(query: &Query) -> (i64, i64) {
    let limit = if query.limit == 0 {
        DEFAULT_LIMIT
    } else {
        query.limit
    };
    (
        i64::try_from(limit).unwrap_or(i64::MAX),
        i64::try_from(query.offset).unwrap_or(i64::MAX),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn like_wildcards_are_escaped() {
        assert_eq!(like_escape("5%_a\\b"), "5\\%\\_a\\\\b");
    }

    #[test]
    fn fts_phrases_cannot_inject_syntax() {
        assert_eq!(fts_phrase("a\"b OR c"), "\"a\"\"b OR c\"");
    }

    #[test]
    fn parameters_are_numbered_in_order() {
        let query = Query {
            search: Some("ab john".into()),
            status: Some("NEW".into()),
            ..Query::default()
        };
        let f = filter(&query);
        assert_eq!(f.params.len(), 3);
        assert!(f.sql.contains("LIKE ?1"));
        assert!(f.sql.contains("MATCH ?2"));
        assert!(f.sql.contains("status = ?3"));
    }
}
