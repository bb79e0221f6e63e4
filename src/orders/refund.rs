//! Refunding an order with the discipline of sending one (`send`, `reconcile`): the
//! attempt's row (owner, lease, `unique_request_id`) is written before the request
//! leaves; what comes back is recorded through the refund state machine
//! (`refund_state`); open attempts are followed at every start and by `history refresh`.
//!
//! A lost answer is sent again with the **same** `unique_request_id` (reference
//! juspay-refunds.md: Juspay answers `duplicate.call` when the first one landed, and
//! Order Status then shows it). A new id is only ever made for a new attempt, and the
//! store refuses a new attempt while an earlier one may exist unseen.
//!
//! For the desk (later): [`spawn_refund`] runs a refund as a tokio task and sends its
//! [`RefundReport`] back; [`story`] lists an order's refunds and events.

use futures::StreamExt;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use super::OrderContext;
use super::reconcile::Checker;
use super::refund_state::{RefundEvidence, RefundState, decide};
use super::send::LEASE_MARGIN;
use crate::history::refunds::refundable_paise;
use crate::history::{NewRefund, OrderEvent, OrderRow, RefundBlocked, RefundRow};
use crate::juspay::refund::paise_from_rupees;
use crate::juspay::{ApiError, Client, OrderStatus, RefundRefusal, RefundRequest, RefundStatus};
use crate::ledger::{Ledger, LedgerError, ToLedger};

/// Open refunds followed in one pass at most (newest first).
pub const FOLLOW_MAX: usize = 200;
/// How many refunds are followed at once.
const PARALLEL: usize = 4;

/// A refund the clerk asked for.
#[derive(Debug, Clone)]
pub struct RefundAsk {
    /// The merchant's order id.
    pub order_id: String,
    /// In paise; `None`: all that is left.
    pub amount_paise: Option<u64>,
    /// Why (required; one line).
    pub reason: String,
}

/// What the history knows of the order before a refund: its row (at this place) and the
/// refund attempts made so far.
#[derive(Debug, Clone, Default)]
pub struct OrderKnown {
    pub row: Option<OrderRow>,
    pub attempts: Vec<RefundRow>,
}

impl OrderKnown {
    /// The order amount in paise, when the history has the order.
    pub fn amount_paise(&self) -> Option<u64> {
        self.row.as_ref().and_then(|r| paise_from_rupees(&r.amount))
    }

    /// What is left to refund, when the order amount is known.
    pub fn refundable_paise(&self) -> Option<u64> {
        self.amount_paise()
            .map(|amount| refundable_paise(amount, &self.attempts))
    }

    /// Paise refunded or on their way (every attempt that may hold money).
    pub fn refunded_paise(&self) -> u64 {
        match (self.amount_paise(), self.refundable_paise()) {
            (Some(amount), Some(left)) => amount - left,
            _ => 0,
        }
    }
}

/// Reads what the history knows of `order_id` at the place `ctx` talks to.
pub async fn known<L: ToLedger + ?Sized>(
    ledger: &L,
    ctx: &OrderContext,
    order_id: &str,
) -> Result<OrderKnown, LedgerError> {
    let ledger = ledger.to_ledger();
    let row = super::reconcile::row_for(&ledger, ctx, order_id).await?;
    let attempts = ledger.refunds_of(order_id).await?;
    let attempts = attempts
        .into_iter()
        .filter(|a| same_place(a, ctx))
        .collect();
    Ok(OrderKnown { row, attempts })
}

/// Whether `refund` was made at `ctx`'s place (the demo environment, or the same Juspay
/// host) and merchant: only those are followed with this place's client.
pub fn same_place(refund: &RefundRow, ctx: &OrderContext) -> bool {
    let place = if ctx.environment == "demo" {
        refund.environment == "demo"
    } else {
        refund.base_host == ctx.base_host
    };
    place && refund.merchant_id == ctx.merchant_id
}

/// What one refund attempt came to.
#[derive(Debug, Clone)]
pub struct RefundReport {
    /// The attempt's row afterwards.
    pub refund: RefundRow,
    /// What Juspay answered last (the order with its refunds, or the error); `None` when
    /// nothing was asked (in flight elsewhere).
    pub answer: Option<Result<OrderStatus, ApiError>>,
    /// True when the request was a re-send with the row's own `unique_request_id`.
    pub resent: bool,
}

/// Writes a new attempt (a fresh `unique_request_id`, owned by `checker.me`, leased for
/// the request timeout plus `LEASE_MARGIN`). `Ok(Err(_))`: refused by the history
/// (an earlier attempt unsettled, or more than is left); nothing may be sent.
pub async fn start<L: ToLedger + ?Sized>(
    ledger: &L,
    client: &Client,
    ctx: &OrderContext,
    known: &OrderKnown,
    ask: &RefundAsk,
    checker: &Checker,
) -> Result<Result<RefundRow, RefundBlocked>, LedgerError> {
    let row = known.row.as_ref();
    let new = NewRefund {
        order_row_id: row.map(|r| r.id),
        environment: ctx.environment.clone(),
        base_host: ctx.base_host.clone(),
        merchant_id: ctx.merchant_id.clone(),
        order_id: ask.order_id.clone(),
        routing_id: row
            .map(|r| r.send.routing_id.clone())
            .unwrap_or_else(|| ask.order_id.clone()),
        unique_request_id: Client::new_unique_request_id(),
        amount_paise: ask.amount_paise,
        order_amount_paise: known.amount_paise(),
        reason: ask.reason.clone(),
        owner: Some(checker.me.clone()),
        lease: client.config().request_timeout + LEASE_MARGIN,
        operator: ctx.operator.name.clone(),
        counter: ctx.operator.counter.clone(),
    };
    let ledger = ledger.to_ledger();
    match ledger.insert_refund(&new).await? {
        Ok(id) => match ledger.refund_row(id).await? {
            Some(row) => Ok(Ok(row)),
            None => Err(LedgerError::Sql(format!("refund {id} vanished"))),
        },
        Err(blocked) => Ok(Err(blocked)),
    }
}

/// Sends the attempt `row` (its own `unique_request_id`, amount and routing id) and
/// records what the answer proves. `duplicate.call` for this id, and any refusal of a
/// re-send, are confirmed with Order Status first.
pub async fn send<L: ToLedger + ?Sized>(
    ledger: &L,
    client: &Client,
    row: &RefundRow,
) -> Result<RefundReport, LedgerError> {
    let resent = row.state != RefundState::Sending;
    let request = RefundRequest {
        order_id: &row.order_id,
        unique_request_id: &row.unique_request_id,
        amount_paise: row.amount_paise,
        routing_id: Some(&row.routing_id)
            .filter(|r| !r.is_empty())
            .map(|r| r.as_str()),
    };
    let answer = client.refund(&request).await;
    let confirm = match &answer {
        Err(ApiError::Refund(RefundRefusal::RequestIdUsed)) => true,
        Err(ApiError::Refund(_) | ApiError::Invalid { .. } | ApiError::NotFound(_)) => resent,
        _ => false,
    };
    let (answer, evidence) = if confirm {
        let check = client
            .order_status(&row.order_id, Some(&row.routing_id))
            .await;
        let evidence = match &check {
            Ok(status) => seen_or_absent(status, &row.unique_request_id),
            Err(e) => RefundEvidence::CheckFailed { reason: said(e) },
        };
        // A refusal confirmed absent stays a refusal.
        let evidence = match (evidence, &answer) {
            (RefundEvidence::Absent, Err(e))
                if !matches!(e, ApiError::Refund(RefundRefusal::RequestIdUsed)) =>
            {
                RefundEvidence::Refused {
                    reason: e.to_string(),
                }
            }
            (evidence, _) => evidence,
        };
        (check, evidence)
    } else {
        let evidence = answer_evidence(&answer, &row.unique_request_id, resent);
        (answer, evidence)
    };
    let line = check_line(&answer);
    let after = settle(ledger, row.id, Some(line), move |_| Some(evidence.clone())).await?;
    Ok(RefundReport {
        refund: after.unwrap_or_else(|| row.clone()),
        answer: Some(answer),
        resent,
    })
}

/// What the answer to a refund request proves.
fn answer_evidence(
    answer: &Result<OrderStatus, ApiError>,
    unique_request_id: &str,
    resent: bool,
) -> RefundEvidence {
    match answer {
        Ok(status) => seen_or_absent(status, unique_request_id),
        Err(e @ (ApiError::Network(_) | ApiError::Config(_))) => RefundEvidence::NeverSent {
            reason: format!("not sent: {}", said(e)),
        },
        // A refused key on a re-send says nothing about the first request.
        Err(e @ ApiError::Auth { .. }) if resent => RefundEvidence::NoAnswer {
            reason: e.to_string(),
        },
        Err(
            e @ (ApiError::Refund(_)
            | ApiError::Invalid { .. }
            | ApiError::NotFound(_)
            | ApiError::OrderNotFound(_)
            | ApiError::Auth { .. }),
        ) => RefundEvidence::Refused {
            reason: e.to_string(),
        },
        Err(
            e @ (ApiError::Timeout { .. }
            | ApiError::Server { .. }
            | ApiError::Decode { .. }
            | ApiError::TooLarge { .. }
            | ApiError::Interrupted(_)
            | ApiError::AlreadyExists(_)),
        ) => RefundEvidence::NoAnswer { reason: said(e) },
    }
}

/// The error's first sentence: the client's texts go on to advise about orders
/// ("the order may have been created"), which would mislead on a refund.
fn said(error: &ApiError) -> String {
    let text = error.to_string();
    match text.split_once(". ") {
        Some((first, _)) => first.to_string(),
        None => text.trim_end_matches('.').to_string(),
    }
}

/// Juspay's record of the attempt in an order's `refunds`, or its absence.
fn seen_or_absent(status: &OrderStatus, unique_request_id: &str) -> RefundEvidence {
    match status.refund_by_request_id(unique_request_id) {
        Some(refund) => {
            let error = match (&refund.error_code, &refund.error_message) {
                (None, None) => None,
                (code, message) => Some(
                    [code.as_deref(), message.as_deref()]
                        .into_iter()
                        .flatten()
                        .collect::<Vec<_>>()
                        .join(": "),
                ),
            };
            RefundEvidence::Seen {
                status: refund
                    .state()
                    .unwrap_or_else(|| RefundStatus::Other(String::new())),
                amount_paise: refund.amount_paise(),
                error,
            }
        }
        None => RefundEvidence::Absent,
    }
}

/// What Order Status proves about a refund attempt.
fn status_evidence(
    answer: &Result<OrderStatus, ApiError>,
    unique_request_id: &str,
) -> RefundEvidence {
    match answer {
        Ok(status) => seen_or_absent(status, unique_request_id),
        Err(ApiError::OrderNotFound(_)) => RefundEvidence::Refused {
            reason: "Juspay has no order with this id, so no refund of it".into(),
        },
        Err(e) => RefundEvidence::CheckFailed { reason: said(e) },
    }
}

fn check_line(answer: &Result<OrderStatus, ApiError>) -> String {
    match answer {
        Ok(status) => format!(
            "order {}, {} refund(s) listed",
            status.status.as_deref().unwrap_or("(no status)"),
            status.refunds().len()
        ),
        Err(e) => format!("failed: {}", said(e)),
    }
}

/// Applies `evidence_for(row)` through the refund state machine, deciding again when
/// another process changed the row in between. Returns the row afterwards.
pub async fn settle<L, F>(
    ledger: &L,
    id: i64,
    check: Option<String>,
    evidence_for: F,
) -> Result<Option<RefundRow>, LedgerError>
where
    L: ToLedger + ?Sized,
    F: Fn(&RefundRow) -> Option<RefundEvidence> + Send,
{
    let ledger = ledger.to_ledger();
    for _ in 0..8 {
        let Some(row) = ledger.refund_row(id).await? else {
            return Ok(None);
        };
        let Some(evidence) = evidence_for(&row) else {
            return Ok(Some(row));
        };
        let transition = decide(row.state, evidence);
        if ledger
            .apply_refund(id, &transition, check.as_deref())
            .await?
        {
            return ledger.refund_row(id).await;
        }
    }
    ledger.refund_row(id).await
}

/// A live process (this one included) is sending this attempt now, within its lease:
/// nobody else touches it.
pub fn in_flight(checker: &Checker, row: &RefundRow) -> bool {
    if row.state != RefundState::Sending {
        return false;
    }
    let Some(owner) = &row.owner else {
        return false;
    };
    let lease_over = match row.lease_until.as_deref() {
        None => true,
        Some(text) => OffsetDateTime::parse(text, &Rfc3339)
            .map(|until| (checker.now)() > until)
            .unwrap_or(false),
    };
    if owner.token == checker.me.token {
        return true;
    }
    if !owner.host.is_empty()
        && owner.host == checker.me.host
        && let Some(alive) = (checker.pid_alive)(owner.pid)
    {
        return alive && !lease_over;
    }
    !lease_over
}

/// Follows one open attempt: a `pending` one is checked with Order Status; a `sending`
/// one whose sender is gone, or an `unknown` one, is sent again with its own
/// `unique_request_id`. `None` in `answer`: left alone (in flight in a live process).
pub async fn follow<L: ToLedger + ?Sized>(
    ledger: &L,
    client: &Client,
    checker: &Checker,
    row: &RefundRow,
) -> Result<RefundReport, LedgerError> {
    if in_flight(checker, row) {
        return Ok(RefundReport {
            refund: row.clone(),
            answer: None,
            resent: false,
        });
    }
    match row.state {
        RefundState::Sending | RefundState::Unknown => {
            // The sender is gone: the row becomes `unknown` first, so the re-send is one.
            let mut row = row.clone();
            if row.state == RefundState::Sending {
                let unknown = settle(ledger, row.id, None, |r| {
                    (r.state == RefundState::Sending).then(|| RefundEvidence::NoAnswer {
                        reason: "its sender stopped before the answer".into(),
                    })
                })
                .await?;
                if let Some(unknown) = unknown {
                    row = unknown;
                }
            }
            send(ledger, client, &row).await
        }
        _ => {
            let answer = client
                .order_status(&row.order_id, Some(&row.routing_id))
                .await;
            let evidence = status_evidence(&answer, &row.unique_request_id);
            let line = check_line(&answer);
            let after = settle(ledger, row.id, Some(line), move |_| Some(evidence.clone())).await?;
            Ok(RefundReport {
                refund: after.unwrap_or_else(|| row.clone()),
                answer: Some(answer),
                resent: false,
            })
        }
    }
}

/// Every open refund attempt of the place `ctx` talks to (newest first, at most
/// `FOLLOW_MAX`, a few at a time) is followed: at every start and by `history refresh`.
/// Returns one report per attempt, with the row as it was before.
pub async fn follow_open<L: ToLedger + ?Sized>(
    ledger: &L,
    client: &Client,
    ctx: &OrderContext,
    checker: &Checker,
) -> Result<Vec<(RefundRow, RefundReport)>, LedgerError> {
    let ledger = &ledger.to_ledger();
    let rows = ledger.open_refunds(usize::MAX).await?;
    let rows: Vec<RefundRow> = rows
        .into_iter()
        .filter(|r| same_place(r, ctx))
        .take(FOLLOW_MAX)
        .collect();
    let results: Vec<(RefundRow, Result<RefundReport, LedgerError>)> = futures::stream::iter(rows)
        .map(|row| async move {
            let report = follow(ledger, client, checker, &row).await;
            (row, report)
        })
        .buffered(PARALLEL)
        .collect()
        .await;
    results
        .into_iter()
        .map(|(row, report)| report.map(|report| (row, report)))
        .collect()
}

/// Why a refund was not sent.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RefundRefused {
    /// The history or the lender profile does not allow it (a sentence for the clerk).
    #[error("{0}")]
    NotAllowed(String),
    /// The order is not paid (its Juspay status, or what the history knows).
    #[error("order {order_id} is not paid (status {status}): there is nothing to refund")]
    NotPaid { order_id: String, status: String },
    /// Writing the attempt failed: nothing was sent.
    #[error("the refund could not be recorded in the history first ({0}); nothing was sent")]
    History(LedgerError),
}

/// The whole refund, for the desk and the CLI: the order's row is checked with Order
/// Status (recorded through the order state machine); an unpaid order is refused; the
/// lender `policy` and what is left are checked; the attempt is written, then sent.
pub async fn refund<L: ToLedger + ?Sized>(
    ledger: &L,
    client: &Client,
    ctx: &OrderContext,
    policy: (crate::session::profile::RefundPolicy, &str),
    ask: &RefundAsk,
) -> Result<RefundReport, RefundRefused> {
    let store = &ledger.to_ledger();
    let checker = Checker::system();
    let history = RefundRefused::History;
    let mut order = known(store, ctx, &ask.order_id).await.map_err(history)?;
    if let Some(row) = &order.row {
        let (answer, _) =
            super::reconcile::check_status(Some(store), client, &checker, &ask.order_id, Some(row))
                .await
                .map_err(history)?;
        let status = match &answer {
            Ok(status) => status.status.clone(),
            // The check failed: go by what the history last saw.
            Err(_) => row.status.clone(),
        };
        let status = status.unwrap_or_else(|| "not known".into());
        if !status.eq_ignore_ascii_case("CHARGED") {
            return Err(RefundRefused::NotPaid {
                order_id: ask.order_id.clone(),
                status,
            });
        }
        order = known(store, ctx, &ask.order_id).await.map_err(history)?;
    }
    let (policy, profile) = policy;
    policy
        .check(
            profile,
            ask.amount_paise,
            order.amount_paise().unwrap_or(u64::MAX),
            order.refunded_paise(),
        )
        .map_err(RefundRefused::NotAllowed)?;
    let row = match start(store, client, ctx, &order, ask, &checker)
        .await
        .map_err(history)?
    {
        Ok(row) => row,
        Err(blocked) => return Err(RefundRefused::NotAllowed(blocked.to_string())),
    };
    send(store, client, &row).await.map_err(history)
}

/// For the desk: runs [`refund`] as a tokio task and sends its result on `done` (the
/// render loop never waits for it).
pub fn spawn_refund(
    store: Ledger,
    client: Client,
    ctx: OrderContext,
    policy: crate::session::profile::RefundPolicy,
    profile: String,
    ask: RefundAsk,
    done: tokio::sync::mpsc::UnboundedSender<Result<RefundReport, RefundRefused>>,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let result = refund(&store, &client, &ctx, (policy, &profile), &ask).await;
        let _ = done.send(result);
    })
}

/// An order's story for the desk's order view and `history show`: its refund attempts
/// (oldest first) and its events (oldest first).
pub async fn story<L: ToLedger + ?Sized>(
    ledger: &L,
    order_id: &str,
) -> Result<(Vec<RefundRow>, Vec<OrderEvent>), LedgerError> {
    let ledger = ledger.to_ledger();
    Ok((
        ledger.refunds_of(order_id).await?,
        ledger.events(order_id).await?,
    ))
}
