//! The desk's refund work, run as tokio tasks by the effect runner: each takes the ready
//! store and client and answers one [`RefundMsg`]. The money logic is `orders::refund`'s
//! (row before request, the same `unique_request_id` on a lost answer); nothing here
//! decides a refund's state.

use crate::juspay::Client;
use crate::ledger::Ledger;
use crate::orders::refund;
use crate::orders::{Checker, OrderContext};

use super::refund_msgs::{RefundMsg, RefundTask};
use super::task_error::TaskError;

/// Runs `task` against the desk's store and client; `profile` names the lender profile of
/// the place the history rows are scoped by.
pub async fn run(
    task: RefundTask,
    store: Ledger,
    client: Client,
    (env_name, profile): (String, String),
) -> RefundMsg {
    let ctx = |env_name: &str| {
        let config = client.config();
        // The refund row records who works the desk now (the store's actor, set at start
        // and when the operator changes), as its events do.
        OrderContext::new(env_name, &config.base_url, &config.merchant_id, &profile)
            .by(store.actor().get())
    };
    match task {
        RefundTask::Known(target) => {
            let result = refund::known(&store, &ctx(&target.env_name), &target.order_id)
                .await
                .map(Box::new)
                .map_err(TaskError::from);
            RefundMsg::Known { target, result }
        }
        RefundTask::Send(send) => {
            let ctx = OrderContext {
                profile: send.profile.clone(),
                ..ctx(&send.env_name)
            };
            let result = refund::refund(
                &store,
                &client,
                &ctx,
                (send.policy, &send.profile),
                &send.ask,
            )
            .await
            .map(Box::new);
            RefundMsg::Sent {
                order_id: send.ask.order_id.clone(),
                result,
            }
        }
        RefundTask::Story {
            view_id,
            order_id,
            follow,
            after,
        } => {
            if !after.is_zero() {
                tokio::time::sleep(after).await;
            }
            let result = story(&store, &client, &ctx(&env_name), &order_id, follow).await;
            RefundMsg::Story {
                view_id,
                follow,
                result,
            }
        }
        RefundTask::FollowOpen { env_name, after } => {
            if !after.is_zero() {
                tokio::time::sleep(after).await;
            }
            follow_open(&store, &client, &ctx(&env_name)).await
        }
        RefundTask::Marks { generation, ids } => {
            let marks = store.refund_marks(&ids).await.unwrap_or_else(|e| {
                tracing::warn!(error = %e, "desk: refund marks could not be read");
                Vec::new()
            });
            RefundMsg::Marks { generation, marks }
        }
    }
}

/// One order's refunds and events, after following its open refunds when `follow`.
async fn story(
    store: &Ledger,
    client: &Client,
    ctx: &OrderContext,
    order_id: &str,
    follow: bool,
) -> Result<
    (
        Vec<crate::history::RefundRow>,
        Vec<crate::history::OrderEvent>,
    ),
    TaskError,
> {
    if follow {
        follow_order(store, client, ctx, order_id).await?;
    }
    Ok(refund::story(store, order_id).await?)
}

/// Follows every open refund of the place; how many stay open and how many changed
/// (nothing, logged, when they could not be read).
async fn follow_open(store: &Ledger, client: &Client, ctx: &OrderContext) -> RefundMsg {
    let checker = Checker::system();
    match refund::follow_open(store, client, ctx, &checker).await {
        Ok(reports) => RefundMsg::FollowedOpen {
            open: reports
                .iter()
                .filter(|(_, report)| report.refund.state.is_open())
                .count(),
            changed: reports
                .iter()
                .filter(|(was, report)| was.state != report.refund.state)
                .count(),
        },
        Err(e) => {
            tracing::warn!(error = %e, "desk: open refunds could not be followed");
            RefundMsg::FollowedOpen {
                open: 0,
                changed: 0,
            }
        }
    }
}

/// Follows the open refunds of one order (`orders::refund::follow`: Order Status for a
/// pending one, a re-send with its own id for one whose answer was lost). Only refunds
/// made at this desk's place: another merchant's or host's are not this client's to ask.
async fn follow_order(
    store: &Ledger,
    client: &Client,
    ctx: &OrderContext,
    order_id: &str,
) -> Result<(), TaskError> {
    let rows = store.refunds_of(order_id).await?;
    let checker = Checker::system();
    let ours = |r: &&crate::history::RefundRow| r.state.is_open() && refund::same_place(r, ctx);
    for row in rows.iter().filter(ours) {
        refund::follow(store, client, &checker, row).await?;
    }
    Ok(())
}
