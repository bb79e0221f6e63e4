//! The durable order history (SQLite): schema, migrations, queries. A row is written before
//! a request leaves and updated after, so no order is ever lost.

pub mod store;

pub use store::{HistoryError, NewOrder, OrderRow, Outcome, Query, Store};
