//! Re-checking orders with Order Status: which rows to check and when, and what each answer
//! proves. The same functions serve start-up (desk and every command that talks to
//! Juspay), `history refresh`, `paydesk status ID`, the desk's polling and its periodic
//! re-check of open rows.
//!
//! Ownership: a `sending` row whose owner is alive and within its lease is not touched by
//! anyone else (its owner records the answer). "The send can no longer land" — the one
//! condition under which Juspay's not-found settles a row as not created — means the
//! sending process is gone and the lease (`sent_at` + its request timeout + a margin) is
//! over. Clock and process probe are injected (`Checker`) so tests can move time and kill
//! owners without sleeping.

use std::sync::{Arc, OnceLock};

use futures::StreamExt;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use super::OrderContext;
use super::state::{Evidence, Outcome, decide};
use crate::history::{CreatedOrder, HistoryError, OrderRow, Owner, Store};
use crate::juspay::refund::paise_from_rupees;
use crate::juspay::{ApiError, Client, OrderStatus};
use crate::ledger::{LedgerError, PollPlace, ToLedger};

/// How many Order Status calls a re-check runs at once.
const PARALLEL: usize = 4;
/// Rows of a place checked in one pass at most (newest first); the rest wait for the next.
pub const RECHECK_MAX: usize = 200;
/// The environment name of the embedded emulator: each run listens on a new port, so its
/// rows are matched by environment, not host.
const DEMO: &str = "demo";

/// This process as the owner of the rows it sends: a token new for every run, the pid
/// and the host name ("" when it cannot be read; other processes then go by the lease).
pub fn this_process() -> Owner {
    static OWNER: OnceLock<Owner> = OnceLock::new();
    OWNER
        .get_or_init(|| Owner {
            token: uuid::Uuid::new_v4().simple().to_string(),
            pid: std::process::id(),
            host: crate::operator::host_name(),
        })
        .clone()
}

/// Who is checking and how it tells time and whether a process lives.
#[derive(Clone)]
pub struct Checker {
    /// This process as an owner of rows (`send::this_process` outside tests).
    pub me: Owner,
    /// Now, UTC.
    pub now: Arc<dyn Fn() -> OffsetDateTime + Send + Sync>,
    /// Whether a process with this pid runs on this host; `None` when it cannot be told
    /// (then the lease alone decides).
    pub pid_alive: Arc<dyn Fn(u32) -> Option<bool> + Send + Sync>,
}

impl std::fmt::Debug for Checker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Checker")
            .field("me", &self.me)
            .finish_non_exhaustive()
    }
}

impl Checker {
    /// This process, the system clock, and `/proc` for other processes (Linux; elsewhere
    /// the lease decides).
    pub fn system() -> Checker {
        Checker {
            me: this_process(),
            now: Arc::new(OffsetDateTime::now_utc),
            pid_alive: Arc::new(|pid| {
                let proc = std::path::Path::new("/proc");
                proc.join("self")
                    .exists()
                    .then(|| proc.join(pid.to_string()).exists())
            }),
        }
    }

    fn lease_over(&self, row: &OrderRow) -> bool {
        match row.send.lease_until.as_deref() {
            // Rows from before leases existed were sent long ago.
            None => true,
            Some(text) => OffsetDateTime::parse(text, &Rfc3339)
                .map(|until| (self.now)() > until)
                // An unreadable lease proves nothing: never settle on it.
                .unwrap_or(false),
        }
    }

    /// True when the process that sent `row` is gone (or, for this process, its send of
    /// the row has ended).
    fn owner_gone(&self, row: &OrderRow) -> bool {
        let Some(owner) = &row.send.owner else {
            return true;
        };
        if owner.token == self.me.token {
            return row.outcome != Outcome::Sending;
        }
        if !owner.host.is_empty()
            && owner.host == self.me.host
            && let Some(alive) = (self.pid_alive)(owner.pid)
        {
            return !alive;
        }
        // Another host, or no way to tell: the lease stands for the process.
        self.lease_over(row)
    }

    /// A live process (this one included) is sending this row right now, within its
    /// lease: its sender records the answer, nobody else touches the row.
    pub fn in_flight(&self, row: &OrderRow) -> bool {
        row.outcome == Outcome::Sending
            && row.send.owner.is_some()
            && !self.owner_gone(row)
            && !self.lease_over(row)
    }

    /// Juspay's not-found settles the row only when this is true: the sending process is
    /// gone and its lease is over.
    pub fn send_can_no_longer_land(&self, row: &OrderRow) -> bool {
        self.owner_gone(row) && self.lease_over(row)
    }
}

/// What one check of one row found.
// Made once per order checked; boxing `Found` would only make callers' matches noisier.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone)]
pub enum Reconciled {
    /// Juspay holds the order; the row is `created` with this status (a rejected row
    /// stays rejected: the order is another attempt's).
    Found(OrderStatus),
    /// Juspay's own not-found, and the send can no longer land: the row is `not_created`
    /// (a `created` row stays created: Juspay does not show it now).
    NotFound,
    /// Juspay's own not-found while the send may still land: the row stays open.
    NotYet,
    /// The check failed (plain 404, 5xx, timeout, network): nothing was settled.
    Failed(ApiError),
    /// Not checked: a live process is sending this row and will record its answer.
    InFlight,
    /// Juspay holds another order (another amount) under this order id: `rejected`.
    IdTaken(String),
}

pub(crate) fn created_from_status(status: &OrderStatus) -> CreatedOrder {
    let links = status.payment_links.as_ref();
    CreatedOrder {
        juspay_id: status.id.clone(),
        payment_link: links.and_then(|l| l.web.clone()),
        link_expiry: links.and_then(|l| l.expiry.clone()),
        status: status.status.clone(),
        response_body: Some(status.to_masked_json().to_string()),
    }
}

/// True unless both amounts are readable rupee decimals that differ (compared in paise,
/// never as floats).
pub(crate) fn same_amount(ours: &str, theirs: Option<&str>) -> bool {
    match (paise_from_rupees(ours), theirs.and_then(paise_from_rupees)) {
        (Some(a), Some(b)) => a == b,
        _ => true,
    }
}

pub(crate) fn id_taken_reason(theirs: Option<&str>) -> String {
    format!(
        "Juspay holds another order under this order id (amount {}): this one was not created",
        theirs.unwrap_or("not given")
    )
}

/// What an Order Status answer proves about `row`.
fn evidence(checker: &Checker, row: &OrderRow, answer: &Result<OrderStatus, ApiError>) -> Evidence {
    match answer {
        Ok(status) if same_amount(&row.amount, status.amount_text().as_deref()) => {
            Evidence::OrderSeen(created_from_status(status))
        }
        Ok(status) => Evidence::IdTakenByOtherOrder {
            reason: id_taken_reason(status.amount_text().as_deref()),
        },
        Err(ApiError::OrderNotFound(_)) => Evidence::JuspayNotFound {
            send_can_no_longer_land: checker.send_can_no_longer_land(row),
        },
        Err(error) => Evidence::CheckFailed {
            reason: error.to_string(),
        },
    }
}

fn reconciled(
    answer: Result<OrderStatus, ApiError>,
    row: &OrderRow,
    after: &OrderRow,
) -> Reconciled {
    match answer {
        Ok(status) if after.outcome == Outcome::Rejected && row.outcome != Outcome::Rejected => {
            Reconciled::IdTaken(
                after
                    .error
                    .clone()
                    .unwrap_or_else(|| id_taken_reason(status.amount_text().as_deref())),
            )
        }
        Ok(status) => Reconciled::Found(status),
        Err(ApiError::OrderNotFound(_)) if after.outcome.is_open() => Reconciled::NotYet,
        Err(ApiError::OrderNotFound(_)) => Reconciled::NotFound,
        Err(error) => Reconciled::Failed(error),
    }
}

/// Applies `evidence_for(row)` to the row through the state machine, re-reading and
/// deciding again when another process changed the row in between. `check` is recorded
/// as the row's last Order Status check. Returns the row afterwards (`None`: no such row).
/// Blocking: async callers use `settle`.
pub fn settle_now(
    store: &Store,
    id: i64,
    check: Option<&str>,
    evidence_for: impl Fn(&OrderRow) -> Option<Evidence>,
) -> Result<Option<OrderRow>, HistoryError> {
    // Each lost race means another writer moved the row; a handful is plenty.
    for _ in 0..8 {
        let Some(row) = store.get(id)? else {
            return Ok(None);
        };
        let Some(evidence) = evidence_for(&row) else {
            return Ok(Some(row));
        };
        let transition = decide(row.outcome, evidence);
        if store.apply(id, &transition, check)? {
            return store.get(id);
        }
    }
    store.get(id)
}

/// `settle_now` on any ledger: applies `evidence_for(row)` through the state machine,
/// only from the outcome it decided from (re-read and decided again when another writer,
/// at this counter or another, moved the row first).
pub async fn settle<L, F>(
    ledger: &L,
    id: i64,
    check: Option<String>,
    evidence_for: F,
) -> Result<Option<OrderRow>, LedgerError>
where
    L: ToLedger + ?Sized,
    F: Fn(&OrderRow) -> Option<Evidence> + Send,
{
    let ledger = ledger.to_ledger();
    // Each lost race means another writer moved the row; a handful is plenty.
    for _ in 0..8 {
        let Some(row) = ledger.get(id).await? else {
            return Ok(None);
        };
        let Some(evidence) = evidence_for(&row) else {
            return Ok(Some(row));
        };
        let transition = decide(row.outcome, evidence);
        if ledger.apply(id, &transition, check.as_deref()).await? {
            return ledger.get(id).await;
        }
    }
    ledger.get(id).await
}

/// One Order Status call for `order_id`, with the routing id stored on `row` (else the
/// order id), and what it proves written to `row` (when there is a store and a row).
/// A row another live process is sending is only ever moved to `created`.
/// Returns the answer and, with a row, what was recorded.
pub async fn check_status<L: ToLedger + ?Sized>(
    ledger: Option<&L>,
    client: &Client,
    checker: &Checker,
    order_id: &str,
    row: Option<&OrderRow>,
) -> Result<(Result<OrderStatus, ApiError>, Option<Reconciled>), LedgerError> {
    let routing = row.map(|r| r.send.routing_id.as_str());
    let answer = client.order_status(order_id, routing).await;
    let (Some(ledger), Some(row)) = (ledger, row) else {
        return Ok((answer, None));
    };
    let line = match &answer {
        Ok(status) => format!(
            "found: {}",
            status.status.as_deref().unwrap_or("no status given")
        ),
        Err(ApiError::OrderNotFound(_)) => "Juspay has no order with this id".to_string(),
        Err(error) => format!("check failed: {error}"),
    };
    let checker_for_write = checker.clone();
    let answer_for_write = answer.clone();
    let after = settle(ledger, row.id, Some(line), move |now| {
        let evidence = evidence(&checker_for_write, now, &answer_for_write);
        let seen = matches!(evidence, Evidence::OrderSeen(_));
        (seen || !checker_for_write.in_flight(now)).then_some(evidence)
    })
    .await?;
    let after = after.unwrap_or_else(|| row.clone());
    let report = reconciled(answer.clone(), row, &after);
    Ok((answer, Some(report)))
}

/// Checks one row, unless a live process is sending it.
pub async fn check_row<L: ToLedger + ?Sized>(
    ledger: &L,
    client: &Client,
    checker: &Checker,
    row: &OrderRow,
) -> Result<Reconciled, LedgerError> {
    if checker.in_flight(row) {
        return Ok(Reconciled::InFlight);
    }
    let (_, report) = check_status(Some(ledger), client, checker, &row.order_id, Some(row)).await?;
    Ok(report.unwrap_or(Reconciled::InFlight))
}

/// After this process stopped waiting for its own send (Esc, timeout): the row becomes
/// `unknown` if it is still `sending`, then Order Status is asked. `None`: no such row.
pub async fn reconcile<L: ToLedger + ?Sized>(
    ledger: &L,
    client: &Client,
    checker: &Checker,
    history_id: i64,
) -> Result<Option<(OrderRow, Reconciled)>, LedgerError> {
    let me = checker.me.token.clone();
    let row = settle(ledger, history_id, None, move |row| {
        let mine = row.send.owner.as_ref().is_some_and(|o| o.token == me);
        (mine && row.outcome == Outcome::Sending).then(|| Evidence::NoAnswer {
            reason: "no answer received: checking Order Status".into(),
        })
    })
    .await?;
    let Some(row) = row else { return Ok(None) };
    let found = check_row(ledger, client, checker, &row).await?;
    Ok(Some((row, found)))
}

/// True when `row` belongs to the place `ctx` talks to (host and merchant; in demo, the
/// demo environment and merchant, since every demo run has a new port).
pub fn at_place(row: &OrderRow, ctx: &OrderContext) -> bool {
    let same_place = if ctx.environment == DEMO {
        row.environment == DEMO
    } else {
        row.base_host == ctx.base_host
    };
    same_place && row.merchant_id == ctx.merchant_id
}

/// Which rows a re-check takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Recheck {
    /// Open rows only (`sending`, `unknown`): start-up of the desk and of every command
    /// that talks to Juspay, and the desk's periodic re-check.
    Open,
    /// Open rows and created orders whose payment status is not final (`history refresh`).
    OpenAndUnpaid,
}

/// THE re-check: every row of this place that is not settled and not in flight in a live
/// process is checked with Order Status (newest first, at most `RECHECK_MAX`, a few at a
/// time), `unknown` included. Returns one report per row taken, in the same order, with
/// the row as it was before the check; rows in flight elsewhere come back as `InFlight`.
pub async fn recheck<L: ToLedger + ?Sized>(
    ledger: &L,
    client: &Client,
    ctx: &OrderContext,
    checker: &Checker,
    which: Recheck,
) -> Result<Vec<(OrderRow, Reconciled)>, LedgerError> {
    let ledger = &ledger.to_ledger();
    let rows = match which {
        Recheck::Open => ledger.open_rows(usize::MAX).await?,
        Recheck::OpenAndUnpaid => ledger.non_final(usize::MAX).await?,
    };
    let rows: Vec<OrderRow> = rows
        .into_iter()
        .filter(|row| at_place(row, ctx))
        .take(RECHECK_MAX)
        .collect();
    check_rows(ledger, client, checker, rows).await
}

/// The place `ctx` talks to as a poll-lease filter: `at_place`'s rule, and in demo also
/// the emulator's address, since each demo desk runs an emulator of its own that knows only
/// its own orders (another demo desk's orders on a shared ledger are not this one's to ask).
pub fn poll_place(ctx: &OrderContext) -> PollPlace {
    let demo = ctx.environment == DEMO;
    PollPlace {
        environment: demo.then(|| DEMO.to_string()),
        base_host: Some(ctx.base_host.clone()),
        merchant_id: Some(ctx.merchant_id.clone()),
    }
}

/// A desk's poll lease (see `recheck_polled`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PollLease {
    /// The desk's id, unique per running desk (counter, host, process id…).
    pub desk: String,
    /// How long a claim lasts: a few poll intervals.
    pub lease: std::time::Duration,
}

/// The open desk's periodic re-check, one poller per order for the whole branch: on the
/// branch ledger, the unsettled orders of `ctx`'s place whose poll lease this desk holds
/// or can take now (`Ledger::take_poll_batch_at`, renewing its leases), so however many
/// desks are open each order is checked by one of them; on the desk's own SQLite history,
/// exactly `recheck(.., Recheck::Open)` (no other desk polls there). Reports as `recheck`.
pub async fn recheck_polled<L: ToLedger + ?Sized>(
    ledger: &L,
    client: &Client,
    ctx: &OrderContext,
    checker: &Checker,
    lease: &PollLease,
) -> Result<Vec<(OrderRow, Reconciled)>, LedgerError> {
    let ledger = &ledger.to_ledger();
    if matches!(ledger, crate::ledger::Ledger::Sqlite(_)) {
        return recheck(ledger, client, ctx, checker, Recheck::Open).await;
    }
    let rows = ledger
        .take_poll_batch_at(&lease.desk, lease.lease, RECHECK_MAX, &poll_place(ctx))
        .await?;
    let now = (checker.now)();
    let rows: Vec<OrderRow> = rows
        .into_iter()
        .filter(|row| at_place(row, ctx) && status_check_due(row, now))
        .collect();
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    keeping_leases(
        ledger,
        lease,
        &ids,
        check_rows(ledger, client, checker, rows),
    )
    .await
}

/// Runs `work` while a task renews `lease.desk`'s leases of `ids` every third of the
/// lease: a batch of up to `RECHECK_MAX` orders checked `PARALLEL` at a time, with slow
/// answers, outlasts one lease, and another desk must not start polling those orders
/// meanwhile. A renewal that fails is logged; the work goes on. The task ends with the
/// work.
async fn keeping_leases<T>(
    ledger: &crate::ledger::Ledger,
    lease: &PollLease,
    ids: &[i64],
    work: impl std::future::Future<Output = T>,
) -> T {
    if ids.is_empty() {
        return work.await;
    }
    let period = (lease.lease / 3).max(std::time::Duration::from_millis(10));
    let (ledger, desk, length, ids) = (
        ledger.clone(),
        lease.desk.clone(),
        lease.lease,
        ids.to_vec(),
    );
    let renewer = tokio::spawn(async move {
        let mut renew = tokio::time::interval_at(tokio::time::Instant::now() + period, period);
        renew.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            renew.tick().await;
            if let Err(e) = ledger.renew_poll_leases(&desk, length, &ids).await {
                tracing::warn!(error = %e, "desk: could not renew poll leases");
            }
        }
    });
    let out = work.await;
    renewer.abort();
    out
}

/// Whether the branch poller asks Juspay about `row` now. An open row (its create
/// unsettled), always. A created order still waiting for payment is asked less often as it
/// ages — about every twelfth of its age, at most every `WAITING_CHECK_MAX` — so orders
/// nobody pays do not cost a Juspay call every interval for ever. A row whose times cannot
/// be read is asked.
pub fn status_check_due(row: &OrderRow, now: OffsetDateTime) -> bool {
    if row.outcome.is_open() {
        return true;
    }
    let parse = |t: &str| OffsetDateTime::parse(t, &Rfc3339).ok();
    let (Some(created), Some(checked)) = (
        parse(&row.created_at),
        row.status_checked_at.as_deref().and_then(parse),
    ) else {
        return true;
    };
    let age: time::Duration = now - created;
    let pause = (age / 12_i32).clamp(time::Duration::ZERO, WAITING_CHECK_MAX);
    now - checked >= pause
}

/// The longest pause between two status checks of an order waiting for payment.
const WAITING_CHECK_MAX: time::Duration = time::Duration::minutes(15);

/// Checks `rows` a few at a time; one report per row, in order.
async fn check_rows(
    ledger: &crate::ledger::Ledger,
    client: &Client,
    checker: &Checker,
    rows: Vec<OrderRow>,
) -> Result<Vec<(OrderRow, Reconciled)>, LedgerError> {
    let results: Vec<(OrderRow, Result<Reconciled, LedgerError>)> = futures::stream::iter(rows)
        .map(|row| async move {
            let found = check_row(ledger, client, checker, &row).await;
            (row, found)
        })
        .buffered(PARALLEL)
        .collect()
        .await;
    results
        .into_iter()
        .map(|(row, found)| found.map(|found| (row, found)))
        .collect()
}

/// The newest row of `order_id` at the place `ctx` talks to.
pub async fn row_for<L: ToLedger + ?Sized>(
    ledger: &L,
    ctx: &OrderContext,
    order_id: &str,
) -> Result<Option<OrderRow>, LedgerError> {
    let row = ledger.to_ledger().latest_by_order_id(order_id).await?;
    Ok(row.filter(|row| at_place(row, ctx)))
}

/// The desk's status poll of one order: one Order Status call with the row's routing id,
/// and what it proves recorded in the row. A store problem is logged, never shown as the
/// answer (the answer is what Juspay said).
pub async fn poll<L: ToLedger + ?Sized>(
    ledger: Option<&L>,
    client: &Client,
    history_id: Option<i64>,
    order_id: &str,
) -> Result<OrderStatus, ApiError> {
    let ledger = ledger.map(ToLedger::to_ledger);
    let row = match (&ledger, history_id) {
        (Some(ledger), Some(id)) => ledger.get(id).await.ok().flatten(),
        _ => None,
    };
    let checker = Checker::system();
    match check_status(ledger.as_ref(), client, &checker, order_id, row.as_ref()).await {
        Ok((answer, _)) => answer,
        Err(e) => {
            tracing::warn!(history_id, error = %e, "could not record a polled status");
            client
                .order_status(order_id, row.as_ref().map(|r| r.send.routing_id.as_str()))
                .await
        }
    }
}

#[cfg(test)]
mod place_tests {
    use super::*;

    #[test]
    fn a_demo_desk_leases_only_its_own_emulator_s_orders() {
        let demo = OrderContext::new(DEMO, "http://127.0.0.1:4010", "paydesk_demo", "generic");
        let place = poll_place(&demo);
        assert_eq!(place.environment.as_deref(), Some(DEMO));
        assert_eq!(place.base_host.as_deref(), Some("127.0.0.1:4010"));
        let sandbox = OrderContext::new("sandbox", "https://sandbox.juspay.in", "acme", "generic");
        let place = poll_place(&sandbox);
        assert_eq!(place.environment, None);
        assert_eq!(place.base_host.as_deref(), Some("sandbox.juspay.in"));
        assert_eq!(place.merchant_id.as_deref(), Some("acme"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::history::SendRecord;

    fn checker(now: &str, alive: Option<bool>) -> Checker {
        let now = OffsetDateTime::parse(now, &Rfc3339).unwrap_or(OffsetDateTime::UNIX_EPOCH);
        Checker {
            me: Owner {
                token: "me".into(),
                pid: 1,
                host: "desk1".into(),
            },
            now: Arc::new(move || now),
            pid_alive: Arc::new(move |_| alive),
        }
    }

    fn row(outcome: Outcome, token: &str, host: &str) -> OrderRow {
        OrderRow {
            id: 1,
            created_at: "2026-11-30T10:00:00.000Z".into(),
            environment: "sandbox".into(),
            base_host: "sandbox.juspay.in".into(),
            merchant_id: "m".into(),
            profile: String::new(),
            order_id: "O1".into(),
            juspay_id: None,
            request_id: "r".into(),
            amount: "100.00".into(),
            currency: "INR".into(),
            customer_id: String::new(),
            customer_name: String::new(),
            customer_phone: String::new(),
            customer_email: String::new(),
            request_body: String::new(),
            response_body: None,
            payment_link: None,
            link_expiry: None,
            status: None,
            status_checked_at: None,
            outcome,
            error: None,
            send: SendRecord {
                routing_id: "O1".into(),
                owner: Some(Owner {
                    token: token.into(),
                    pid: 42,
                    host: host.into(),
                }),
                sent_at: Some("2026-11-30T10:00:00.000Z".into()),
                lease_until: Some("2026-11-30T10:02:30.000Z".into()),
                last_check: None,
                last_check_at: None,
            },
            operator: String::new(),
            counter: String::new(),
        }
    }

    #[test]
    fn a_live_sender_within_its_lease_is_left_alone() {
        let within = checker("2026-11-30T10:01:00Z", Some(true));
        let sending = row(Outcome::Sending, "other", "desk1");
        assert!(within.in_flight(&sending));
        assert!(!within.send_can_no_longer_land(&sending));
        // Dead on this host: checkable, but a not-found is not proof until the lease ends.
        let dead = checker("2026-11-30T10:01:00Z", Some(false));
        assert!(!dead.in_flight(&sending));
        assert!(!dead.send_can_no_longer_land(&sending));
        let later = checker("2026-11-30T10:05:00Z", Some(false));
        assert!(later.send_can_no_longer_land(&sending));
    }

    #[test]
    fn another_host_goes_by_the_lease() {
        let sending = row(Outcome::Sending, "other", "desk2");
        assert!(checker("2026-11-30T10:01:00Z", Some(false)).in_flight(&sending));
        assert!(checker("2026-11-30T10:05:00Z", Some(true)).send_can_no_longer_land(&sending));
    }

    #[test]
    fn my_own_send_is_gone_once_it_stopped_waiting() {
        let c = checker("2026-11-30T10:05:00Z", Some(true));
        assert!(!c.send_can_no_longer_land(&row(Outcome::Sending, "me", "desk1")));
        assert!(c.send_can_no_longer_land(&row(Outcome::Unknown, "me", "desk1")));
    }

    #[test]
    fn amounts_compare_by_value() {
        assert!(same_amount("100.50", Some("100.5")));
        assert!(!same_amount("100.50", Some("200")));
        assert!(same_amount("100", None));
    }

    #[test]
    fn an_order_waiting_for_payment_is_asked_less_often_as_it_ages() {
        let t = |s: &str| OffsetDateTime::parse(s, &Rfc3339).expect("time");
        let mut row = row(Outcome::Created, "tok", "host");
        row.created_at = "2026-11-30T10:00:00.000Z".into();
        row.status_checked_at = Some("2026-11-30T10:00:30.000Z".into());
        // A minute old, checked 30 s ago: due (pause 5 s).
        assert!(status_check_due(&row, t("2026-11-30T10:01:00Z")));
        // Two hours old, checked 5 minutes ago: not due (pause 10 min).
        row.status_checked_at = Some("2026-11-30T11:55:00.000Z".into());
        assert!(!status_check_due(&row, t("2026-11-30T12:00:00Z")));
        assert!(status_check_due(&row, t("2026-11-30T12:10:00Z")));
        // A day old: at most every 15 minutes.
        row.status_checked_at = Some("2026-12-01T09:50:00.000Z".into());
        assert!(!status_check_due(&row, t("2026-12-01T10:00:00Z")));
        assert!(status_check_due(&row, t("2026-12-01T10:05:00Z")));
        // Never checked, or an open row: always.
        row.status_checked_at = None;
        assert!(status_check_due(&row, t("2026-12-01T10:00:00Z")));
        row.outcome = Outcome::Unknown;
        row.status_checked_at = Some("2026-12-01T09:59:59.000Z".into());
        assert!(status_check_due(&row, t("2026-12-01T10:00:00Z")));
    }
}
