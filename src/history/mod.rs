//! The durable order history (SQLite): schema, migrations, queries. A row is written before
//! a request leaves and updated after, so no order is ever lost.

pub mod csv;
pub mod events;
pub mod mask;
pub mod query;
pub mod refunds;
pub mod returning;
pub mod schema;
pub mod search;
pub mod status_filter;
pub mod store;

pub use events::OrderEvent;
pub use query::{COUNT_CAP, Count};
pub use refunds::{NewRefund, RefundBlocked, RefundRow};
pub use returning::{CustomerKey, ReturningCustomer};
pub use store::{
    Actor, CreatedOrder, FINAL_STATUSES, HistoryError, NewOrder, OrderRow, Outcome, Owner, Query,
    RefundMark, SendRecord, Store, Transition, is_final_status,
};
