//! Returning customers on the branch ledger: the details a customer gave on their newest
//! order that was not rejected, by mobile number or email (any case), through the
//! `orders_by_customer_phone` and `orders_by_customer_email` indexes — the same answer as
//! the SQLite history's `history::returning`, so a customer who paid at counter 3 is
//! offered at counter 7. (Emails compare with `lower()`, which folds every letter; SQLite's
//! `NOCASE` folds ASCII letters only, so an address with non-ASCII capitals may match here
//! and not there.)

use super::{PgLedger, pg};
use crate::history::returning::customer_details;
use crate::history::{CustomerKey, ReturningCustomer};
use crate::ledger::LedgerError;

const BY_PHONE: &str = "SELECT order_id, created_at, request_body FROM orders \
     WHERE customer_phone = $1 AND outcome <> 'rejected' ORDER BY id DESC LIMIT 1";
const BY_EMAIL: &str = "SELECT order_id, created_at, request_body FROM orders \
     WHERE lower(customer_email) = lower($1) AND outcome <> 'rejected' \
     ORDER BY id DESC LIMIT 1";

impl PgLedger {
    /// The customer's newest non-rejected order's customer details; `None` for a customer
    /// the ledger does not know (or an empty key).
    pub async fn returning_customer(
        &self,
        key: &CustomerKey,
    ) -> Result<Option<ReturningCustomer>, LedgerError> {
        let (sql, value) = match key {
            CustomerKey::Phone(v) => (BY_PHONE, v.trim()),
            CustomerKey::Email(v) => (BY_EMAIL, v.trim()),
        };
        if value.is_empty() {
            return Ok(None);
        }
        let client = self.client().await?;
        let row = client.query_opt(sql, &[&value]).await.map_err(pg)?;
        let Some(row) = row else { return Ok(None) };
        let body: String = row.try_get(2).map_err(pg)?;
        Ok(Some(ReturningCustomer {
            order_id: row.try_get(0).map_err(pg)?,
            created_at: row.try_get(1).map_err(pg)?,
            details: customer_details(&body),
        }))
    }
}
