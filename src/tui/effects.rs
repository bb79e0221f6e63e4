//! Effects: what `App::update` asks the outside world to do. Each runs as a tokio task
//! holding a clone of the client or store and a sender, and answers with a `Msg`. Nothing
//! here blocks the loop.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{Map, Value};
use tokio::sync::{mpsc, watch};
use tokio_util::sync::CancellationToken;

use crate::config::Settings;
use crate::connection;
use crate::emulator::Emulator;
use crate::history::{Actor, CustomerKey, OrderRow, Query};
use crate::juspay::{ApiError, Client};
use crate::ledger::Ledger;
use crate::operator::Operator;
use crate::orders::{self, OrderContext, Reconciled};
use crate::paths::Paths;

pub mod live;

use super::history_open;
use super::live_msg::LiveMsg;
use super::msg::Msg;
use super::task_error::{SendError, TaskError, Unavailable};

/// Something to do outside `update`.
#[derive(Debug)]
pub enum Effect {
    /// Record and send a session request (cancellable by `send_id`).
    Send {
        send_id: u64,
        ctx: OrderContext,
        body: Map<String, Value>,
    },
    /// From now on the history's events are written as this operator (the desk's
    /// operator was chosen at start).
    SetOperator(Operator),
    /// Stop waiting for a send; the order is then checked through Order Status.
    CancelSend {
        send_id: u64,
    },
    /// Check an order whose create timed out or failed midway.
    Reconcile {
        send_id: Option<u64>,
        history_id: Option<i64>,
        order_id: String,
    },
    /// Ask for an order's status after `after`; the answer is written to the history.
    PollStatus {
        view_id: Option<u64>,
        history_id: Option<i64>,
        order_id: String,
        after: Duration,
    },
    /// Re-check the open rows of `env_name`'s place after `after` (answers `Rechecked`);
    /// on the branch ledger, the unsettled orders whose poll lease this desk holds or
    /// takes (`orders::recheck_polled`).
    Recheck {
        after: Duration,
        env_name: String,
    },
    LoadHistory {
        generation: u64,
        query: Query,
    },
    /// Read the order view's row again (another counter changed its order); answers
    /// `LiveMsg::Row`. Without a history id, the newest row of the order id.
    ReadOrder {
        view_id: u64,
        history_id: Option<i64>,
        order_id: String,
    },
    /// Re-check one history row (reconcile an unknown one, refresh a created one).
    RefreshRow(Box<OrderRow>),
    Forget {
        history_id: i64,
        order_id: String,
    },
    /// Look a customer up in the history's index by mobile number or email (answers
    /// `CustomerFound`).
    LookupCustomer {
        generation: u64,
        key: CustomerKey,
    },
    WriteDraft(String),
    ClearDraft,
    SaveQr {
        order_id: String,
        link: String,
    },
    /// Demo only: pay (`charged`) or fail the order at the embedded emulator, as the
    /// customer would on its payment page (answers `DemoSettled`).
    DemoSettle {
        order_id: String,
        charged: bool,
    },
    /// Put text on the clipboard (OSC 52, written by the loop to the terminal).
    Copy(String),
    /// Ring the terminal bell (written by the loop).
    Bell,
    OpenBrowser(String),
    /// Deliver `msg` after `after` (debounces, toasts).
    After {
        after: Duration,
        msg: Box<Msg>,
    },
    /// Load another environment from the config (answers `EnvSwitched`).
    SwitchEnv(String),
    /// Build the client for an environment (demo: start the emulator).
    PrepareClient(Box<Settings>),
    /// Refund work (issue 15): the dialog's facts, a send, an order's story, history
    /// marks. Answers `Msg::Refund`.
    Refund(super::refund_msgs::RefundTask),
    /// Stop until the shell resumes the desk (written by the loop, which then redraws).
    Suspend,
    Quit,
}

/// Effects the loop writes to the terminal itself, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TermEffect {
    Copy(String),
    Bell,
    /// Restore the terminal, stop the process, set the terminal up again once resumed.
    Suspend,
}

/// Looks up an environment variable (the real environment, or none in tests).
pub type VarFn = Arc<dyn Fn(&str) -> Option<String> + Send + Sync>;

type Shared<T> = watch::Receiver<Option<Result<T, Unavailable>>>;

/// Waits until a shared service is ready (or known to have failed).
async fn ready<T: Clone>(mut rx: Shared<T>) -> Result<T, Unavailable> {
    loop {
        if let Some(v) = rx.borrow_and_update().clone() {
            return v;
        }
        if rx.changed().await.is_err() {
            return Err(Unavailable::ShuttingDown);
        }
    }
}

/// Opens the configured ledger (the branch ledger, else the SQLite history), trying
/// again with growing pauses while it fails, so a lock, a full or read-only disk or a
/// ledger server that goes away needs no restart. Each new failure (and the success) is
/// told to the app as `StoreReady`; the shared slot always holds the latest answer, so a
/// send during a failure is refused with the reason, not kept waiting. `None` when the
/// desk is closing.
async fn open_until_ready(
    settings: Settings,
    actor: Actor,
    store_tx: &watch::Sender<Option<Result<Ledger, Unavailable>>>,
    tx: &mpsc::UnboundedSender<Msg>,
) -> Option<Ledger> {
    let mut pause = history_open::RETRY_FIRST;
    let mut last: Option<history_open::OpenFailure> = None;
    loop {
        let opened = history_open::open_once(&settings, actor.clone()).await;
        match opened {
            Ok(store) => {
                let _ = store_tx.send_replace(Some(Ok(store.clone())));
                return tx.send(Msg::StoreReady(Ok(()))).ok().map(|()| store);
            }
            Err(failure) => {
                let _ = store_tx.send_replace(Some(Err(Unavailable::History(failure.clone()))));
                if last.as_ref() != Some(&failure) {
                    last = Some(failure.clone());
                    tx.send(Msg::StoreReady(Err(failure))).ok()?;
                }
            }
        }
        tokio::time::sleep(pause).await;
        pause = history_open::next_pause(pause);
        if tx.is_closed() {
            return None;
        }
    }
}

/// Runs effects. Owns the services (client, store, emulator) the tasks share.
pub struct Runner {
    tx: mpsc::UnboundedSender<Msg>,
    handle: tokio::runtime::Handle,
    client_tx: watch::Sender<Option<Result<Client, Unavailable>>>,
    store_tx: watch::Sender<Option<Result<Ledger, Unavailable>>>,
    sends: HashMap<u64, CancellationToken>,
    /// Keeps the demo emulator alive for the run.
    emulator: Arc<Mutex<Option<Emulator>>>,
    paths: Paths,
    /// Who the store writes events as (the desk's operator; shared with the store).
    actor: Actor,
    /// The settings in force (the base of environment switches).
    settings: Settings,
    var: VarFn,
    /// Terminal writes for the loop (copy, bell).
    pub term: Vec<TermEffect>,
    /// `Quit` was asked for.
    pub quit: bool,
    /// This desk's name in the branch's poll leases (`live::desk_id`).
    desk_id: String,
    /// The task following the ledger's changes (`live::follow`); aborted with the runner.
    live_task: Option<tokio::task::JoinHandle<()>>,
    /// Tells the app when ledger calls stop (and start again) reaching the ledger.
    health: live::Health,
}

impl Drop for Runner {
    fn drop(&mut self) {
        if let Some(task) = self.live_task.take() {
            task.abort();
        }
    }
}

impl Runner {
    pub fn new(
        tx: mpsc::UnboundedSender<Msg>,
        handle: tokio::runtime::Handle,
        settings: Settings,
        var: VarFn,
    ) -> Runner {
        let paths = settings.paths.clone();
        let (client_tx, _) = watch::channel(None);
        let (store_tx, _) = watch::channel(None);
        let desk_id = live::desk_id(&settings.operator.counter);
        let health = live::Health::new(tx.clone());
        Runner {
            desk_id,
            live_task: None,
            health,
            tx,
            handle,
            client_tx,
            store_tx,
            sends: HashMap::new(),
            emulator: Arc::new(Mutex::new(None)),
            paths,
            actor: Actor::new(settings.operator.clone()),
            settings,
            var,
            term: Vec::new(),
            quit: false,
        }
    }

    fn client(&self) -> Shared<Client> {
        self.client_tx.subscribe()
    }

    fn store(&self) -> Shared<Ledger> {
        self.store_tx.subscribe()
    }

    /// Opens the configured ledger in the background (answer: `StoreReady`; the app then
    /// schedules the start-up re-check of open rows), then follows its changes when it is
    /// the branch ledger (`live::follow`).
    pub fn open_store(&mut self) {
        let settings = self.settings.clone();
        let store_tx = self.store_tx.clone();
        let tx = self.tx.clone();
        let actor = self.actor.clone();
        let task = self.handle.spawn(async move {
            if let Some(ledger) = open_until_ready(settings, actor, &store_tx, &tx).await {
                live::follow(ledger, tx).await;
            }
        });
        if let Some(old) = self.live_task.replace(task) {
            old.abort();
        }
    }

    /// This desk's name in the branch's poll leases.
    pub fn desk_id(&self) -> &str {
        &self.desk_id
    }

    /// Gives up this desk's poll leases (the desk closes cleanly), so other desks poll
    /// its orders at once; how many were held (0 on SQLite, or when the ledger is not
    /// open). Errors: the ledger could not be reached.
    pub fn release_poll_leases(
        &self,
    ) -> impl std::future::Future<Output = Result<u64, crate::ledger::LedgerError>> + use<> {
        let ledger = self.store_tx.borrow().clone().and_then(Result::ok);
        let desk = self.desk_id.clone();
        async move {
            match ledger {
                Some(ledger) => ledger.release_poll_leases(&desk).await,
                None => Ok(0),
            }
        }
    }

    /// Every open row of the place the current client talks to, checked with Order
    /// Status (rows a live process is sending are left to it), after `after`.
    fn recheck(&self, after: Duration, env_name: String) {
        let (client, store, tx) = (self.client(), self.store(), self.tx.clone());
        let profile = self.settings.profile.clone();
        let lease = orders::PollLease {
            desk: self.desk_id.clone(),
            lease: live::lease_for(self.settings.poll_interval),
        };
        let health = self.health.clone();
        self.handle.spawn(async move {
            if !after.is_zero() {
                tokio::time::sleep(after).await;
            }
            let result = async {
                let store = ready(store).await?;
                let client = ready(client).await?;
                let config = client.config();
                let ctx =
                    OrderContext::new(&env_name, &config.base_url, &config.merchant_id, &profile);
                let checker = orders::Checker::system();
                let done = orders::recheck_polled(&store, &client, &ctx, &checker, &lease).await;
                health.note(&store, done.as_ref().map(|_| ()));
                done.map_err(TaskError::from)
            }
            .await;
            let _ = tx.send(Msg::Rechecked(result));
        });
    }

    /// Prepares the client for an environment: starts the emulator for demo. Answers
    /// `ClientReady` or `ClientFailed`.
    pub fn prepare_client(&self, settings: &Settings) {
        let settings = settings.clone();
        let client_tx = self.client_tx.clone();
        let emulator_slot = self.emulator.clone();
        let tx = self.tx.clone();
        // Sends wait for the new client, not the old one.
        let _ = client_tx.send_replace(None);
        self.handle.spawn(async move {
            // The desk keeps one demo emulator for the whole run (environment switches
            // come back to the same orders).
            let running = emulator_slot
                .lock()
                .ok()
                .and_then(|g| g.as_ref().map(|e| e.base_url().to_string()));
            let env_name = settings.environment.name.clone();
            match connection::connect(&settings, running.as_deref()).await {
                Ok(connection) => {
                    if let Some(started) = connection.emulator
                        && let Ok(mut slot) = emulator_slot.lock()
                    {
                        *slot = Some(started);
                    }
                    let base_url = connection.client.config().base_url.clone();
                    let _ = client_tx.send_replace(Some(Ok(connection.client)));
                    let _ = tx.send(Msg::ClientReady { env_name, base_url });
                }
                Err(e) => {
                    let message = e.to_string();
                    let _ = client_tx.send_replace(Some(Err(Unavailable::Client(message.clone()))));
                    let _ = tx.send(Msg::ClientFailed { env_name, message });
                }
            }
        });
    }

    /// Installs a ready client and ledger directly (tests): a `Store` or a `Ledger`. A
    /// branch ledger's changes are followed from now on (`live::follow`).
    pub fn set_services(&mut self, client: Client, store: impl Into<Ledger>) {
        let _ = self.client_tx.send_replace(Some(Ok(client)));
        let store = match store.into() {
            Ledger::Sqlite(store) => Ledger::Sqlite(store.with_actor(self.actor.clone())),
            Ledger::Postgres(pg) => Ledger::Postgres(pg.with_actor(self.actor.clone())),
        };
        let _ = self.store_tx.send_replace(Some(Ok(store.clone())));
        let task = self.handle.spawn(live::follow(store, self.tx.clone()));
        if let Some(old) = self.live_task.replace(task) {
            old.abort();
        }
    }

    pub fn run(&mut self, effect: Effect) {
        match effect {
            Effect::Send { send_id, ctx, body } => self.send(send_id, ctx, body),
            Effect::SetOperator(operator) => self.actor.set(operator),
            Effect::CancelSend { send_id } => {
                if let Some(token) = self.sends.remove(&send_id) {
                    token.cancel();
                }
            }
            Effect::Reconcile {
                send_id,
                history_id,
                order_id,
            } => self.reconcile(send_id, history_id, order_id),
            Effect::PollStatus {
                view_id,
                history_id,
                order_id,
                after,
            } => self.poll(view_id, history_id, order_id, after),
            Effect::Recheck { after, env_name } => self.recheck(after, env_name),
            Effect::LoadHistory { generation, query } => self.load_history(generation, query),
            Effect::ReadOrder {
                view_id,
                history_id,
                order_id,
            } => self.read_order(view_id, history_id, order_id),
            Effect::RefreshRow(row) => self.refresh_row(*row),
            Effect::Forget {
                history_id,
                order_id,
            } => self.forget(history_id, order_id),
            Effect::LookupCustomer { generation, key } => self.lookup_customer(generation, key),
            Effect::WriteDraft(json) => self.write_draft(json),
            Effect::ClearDraft => {
                let path = self.paths.draft_file();
                self.handle.spawn_blocking(move || {
                    let _ = std::fs::remove_file(path);
                });
            }
            Effect::SaveQr { order_id, link } => self.save_qr(order_id, link),
            Effect::DemoSettle { order_id, charged } => self.demo_settle(order_id, charged),
            Effect::Copy(text) => self.term.push(TermEffect::Copy(text)),
            Effect::Bell => self.term.push(TermEffect::Bell),
            Effect::Suspend => self.term.push(TermEffect::Suspend),
            Effect::OpenBrowser(url) => self.open_browser(url),
            Effect::After { after, msg } => {
                let tx = self.tx.clone();
                self.handle.spawn(async move {
                    tokio::time::sleep(after).await;
                    let _ = tx.send(*msg);
                });
            }
            Effect::SwitchEnv(name) => self.switch_env(name),
            Effect::PrepareClient(settings) => {
                self.prepare_client(&settings);
                self.settings = *settings;
            }
            Effect::Refund(task) => self.refund(task),
            Effect::Quit => self.quit = true,
        }
    }

    /// Checks one history row with Juspay (the pane's `r`), answering `Refreshed`.
    fn refresh_row(&self, row: crate::history::OrderRow) {
        let (client, store, tx) = (self.client(), self.store(), self.tx.clone());
        self.handle.spawn(async move {
            let result = async {
                let store = ready(store).await.map_err(TaskError::from)?;
                let client = ready(client).await.map_err(TaskError::from)?;
                orders::check_row(&store, &client, &orders::Checker::system(), &row)
                    .await
                    .map_err(TaskError::from)
            }
            .await;
            let _ = tx.send(Msg::Refreshed {
                order_id: row.order_id.clone(),
                was: row.outcome,
                result,
            });
        });
    }

    /// Writes the unsent form's draft (a failure is told as `DraftFailed`).
    fn write_draft(&self, json: String) {
        let path = self.paths.draft_file();
        let tx = self.tx.clone();
        self.handle.spawn_blocking(move || {
            if let Err(e) = super::draft::write(&path, &json) {
                let _ = tx.send(Msg::DraftFailed(e));
            }
        });
    }

    /// Saves the QR as PNG and SVG, answering `QrSaved`.
    fn save_qr(&self, order_id: String, link: String) {
        let dir = self.paths.qr_dir();
        let tx = self.tx.clone();
        self.handle.spawn_blocking(move || {
            let _ = tx.send(Msg::QrSaved(super::qr_view::save(&dir, &order_id, &link)));
        });
    }

    /// Hands a checked link to the system's opener (`OpenFailed` when none works).
    fn open_browser(&self, url: String) {
        let tx = self.tx.clone();
        self.handle.spawn_blocking(move || {
            if let Err(e) = crate::links::open(&url) {
                let _ = tx.send(Msg::OpenFailed(e));
            }
        });
    }

    /// Loads another environment's settings (which may run its api_key_cmd: off the
    /// loop), answering `EnvSwitched`.
    fn switch_env(&self, name: String) {
        let current = self.settings.clone();
        let var = self.var.clone();
        let tx = self.tx.clone();
        self.handle.spawn_blocking(move || {
            let settings = current.switch_env(&name, &|k| var(k));
            let _ = tx.send(Msg::EnvSwitched(Box::new(settings)));
        });
    }

    /// Runs a refund task once the store and the client are ready, answering `Refund`.
    fn refund(&self, task: super::refund_msgs::RefundTask) {
        let (client, store, tx) = (self.client(), self.store(), self.tx.clone());
        let place = (
            self.settings.environment.name.clone(),
            self.settings.profile.clone(),
        );
        self.handle.spawn(async move {
            let (store, client) = match (ready(store).await, ready(client).await) {
                (Ok(store), Ok(client)) => (store, client),
                (Err(e), _) | (_, Err(e)) => {
                    let _ = tx.send(Msg::Refund(Box::new(task.unavailable(e.to_string()))));
                    return;
                }
            };
            let answer = super::refund_tasks::run(task, store, client, place).await;
            let _ = tx.send(Msg::Refund(Box::new(answer)));
        });
    }

    /// Settles `order_id` at the demo emulator this runner started, off the loop.
    fn demo_settle(&self, order_id: String, charged: bool) {
        let emulator = self.emulator.clone();
        let tx = self.tx.clone();
        self.handle.spawn(async move {
            let result = match emulator.lock().as_deref() {
                Ok(Some(emulator)) => emulator
                    .settle(&order_id, charged)
                    .ok_or_else(|| format!("The demo emulator has no order {order_id}.")),
                Ok(None) | Err(_) => Err("The demo emulator is not running.".to_string()),
            };
            let _ = tx.send(Msg::DemoSettled { order_id, result });
        });
    }

    fn send(&mut self, send_id: u64, ctx: OrderContext, body: Map<String, Value>) {
        let token = CancellationToken::new();
        self.sends.insert(send_id, token.clone());
        let (client, store) = (self.client(), self.store());
        let (client2, store2) = (self.client(), self.store());
        let tx = self.tx.clone();
        let health = self.health.clone();
        let order_id = body
            .get(crate::session::keys::ORDER_ID)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        self.handle.spawn(async move {
            let work = async {
                let store = ready(store).await.map_err(SendError::NoHistory)?;
                let client = ready(client).await.map_err(SendError::NoClient)?;
                let sent = orders::submit_to(Some(&store), &client, &ctx, body).await;
                health.note(&store, sent.as_ref().map(|_| ()));
                sent.map_err(|error| SendError::NotRecorded { place: store.place(), error })
            };
            tracing::info!(order_id = %order_id, environment = %ctx.environment, "desk: sending a session");
            tokio::select! {
                result = work => {
                    match &result {
                        Ok(s) => match &s.result {
                            Ok(_) => tracing::info!(order_id = %order_id, request_id = %s.request_id, "desk: session created"),
                            Err(e) => tracing::warn!(order_id = %order_id, request_id = %s.request_id, error = %e, "desk: session not created"),
                        },
                        Err(e) => tracing::warn!(order_id = %order_id, error = %e, "desk: not sent"),
                    }
                    let _ = tx.send(Msg::SendDone { send_id, result });
                }
                _ = token.cancelled() => {
                    tracing::info!(order_id = %order_id, "desk: send cancelled; checking Order Status");
                    // The request may or may not have reached Juspay: ask Order Status.
                    let result = reconcile_task(store2, client2, None, &order_id).await;
                    let _ = tx.send(Msg::Reconciled { send_id: Some(send_id), order_id, history_id: None, result });
                }
            }
        });
    }

    fn reconcile(&self, send_id: Option<u64>, history_id: Option<i64>, order_id: String) {
        let client = self.client();
        let store = self.store();
        let tx = self.tx.clone();
        self.handle.spawn(async move {
            let result = reconcile_task(store, client, history_id, &order_id).await;
            let _ = tx.send(Msg::Reconciled {
                send_id,
                order_id,
                history_id,
                result,
            });
        });
    }

    fn poll(
        &self,
        view_id: Option<u64>,
        history_id: Option<i64>,
        order_id: String,
        after: Duration,
    ) {
        let client = self.client();
        let store = self.store();
        let tx = self.tx.clone();
        self.handle.spawn(async move {
            if !after.is_zero() {
                tokio::time::sleep(after).await;
            }
            let store = ready(store).await.ok();
            let result = match ready(client).await {
                Ok(client) => orders::poll(store.as_ref(), &client, history_id, &order_id).await,
                Err(e) => Err(ApiError::Network(e.to_string())),
            };
            let _ = tx.send(Msg::StatusPolled {
                view_id,
                order_id,
                result,
            });
        });
    }

    /// The returning customer of a mobile number or email, from the history's index. A
    /// history that cannot answer is logged and offers nothing: the clerk types as usual.
    fn lookup_customer(&self, generation: u64, key: CustomerKey) {
        let store = self.store();
        let tx = self.tx.clone();
        self.handle.spawn(async move {
            let found = match ready(store).await {
                Ok(ledger) => ledger.returning_customer(&key).await.unwrap_or_else(|e| {
                    tracing::warn!(error = %e, "desk: returning-customer lookup failed");
                    None
                }),
                Err(_) => None,
            };
            let _ = tx.send(Msg::CustomerFound { generation, found });
        });
    }

    fn load_history(&self, generation: u64, query: Query) {
        let store = self.store();
        let tx = self.tx.clone();
        let health = self.health.clone();
        self.handle.spawn(async move {
            let msg = match ready(store).await {
                Ok(store) => {
                    let offset = query.offset;
                    // Counted as far as the clerk can scroll and a good way beyond; the
                    // count grows as the window moves down.
                    let cap = (query.offset as u64)
                        .saturating_add(query.limit as u64)
                        .saturating_add(crate::history::COUNT_CAP);
                    let answer = async {
                        let total = store.count_upto(&query, cap).await?;
                        let rows = store.window(&query).await?;
                        Ok::<_, crate::ledger::LedgerError>((total, rows))
                    }
                    .await;
                    health.note(&store, answer.as_ref().map(|_| ()));
                    match answer {
                        Ok((total, rows)) => Msg::HistoryLoaded {
                            generation,
                            offset,
                            total,
                            rows,
                        },
                        Err(e) => Msg::HistoryFailed {
                            generation,
                            message: e.to_string(),
                        },
                    }
                }
                Err(e) => Msg::HistoryFailed {
                    generation,
                    message: e.to_string(),
                },
            };
            let _ = tx.send(msg);
        });
    }

    /// The order view's row read again (answers `LiveMsg::Row`; `None` when it is gone or
    /// could not be read, which is logged).
    fn read_order(&self, view_id: u64, history_id: Option<i64>, order_id: String) {
        let store = self.store();
        let tx = self.tx.clone();
        let health = self.health.clone();
        self.handle.spawn(async move {
            let row = match ready(store).await {
                Ok(store) => {
                    let read = match history_id {
                        Some(id) => store.get(id).await,
                        None => store.latest_by_order_id(&order_id).await,
                    };
                    health.note(&store, read.as_ref().map(|_| ()));
                    read.unwrap_or_else(|e| {
                        tracing::warn!(error = %e, "desk: could not read the shown order again");
                        None
                    })
                }
                Err(_) => None,
            };
            let row = row.map(Box::new);
            let _ = tx.send(Msg::Live(LiveMsg::Row { view_id, row }));
        });
    }

    fn forget(&self, history_id: i64, order_id: String) {
        let store = self.store();
        let tx = self.tx.clone();
        self.handle.spawn(async move {
            let result = match ready(store).await {
                Ok(Ledger::Sqlite(store)) => store
                    .call(move |s| s.forget_id(history_id))
                    .await
                    .map(|_| ())
                    .map_err(TaskError::from),
                // The branch ledger forgets by order id (its rows, refunds and events), as
                // `history forget` does.
                Ok(store) => store
                    .forget(&order_id)
                    .await
                    .map(|_| ())
                    .map_err(TaskError::from),
                Err(e) => Err(e.into()),
            };
            let _ = tx.send(Msg::Forgotten { order_id, result });
        });
    }
}

/// Reconciles one order. Without a history id, the newest row for the order id is used; no
/// row at all means the send was stopped before anything was recorded or sent.
async fn reconcile_task(
    store: Shared<Ledger>,
    client: Shared<Client>,
    history_id: Option<i64>,
    order_id: &str,
) -> Result<Reconciled, TaskError> {
    let store = ready(store).await?;
    let client = ready(client).await?;
    let id = match history_id {
        Some(id) => id,
        None => {
            let row = store.latest_by_order_id(order_id).await?;
            match row {
                Some(row) => row.id,
                None => return Ok(Reconciled::NotFound),
            }
        }
    };
    match orders::reconcile(&store, &client, &orders::Checker::system(), id).await {
        Ok(Some((_, found))) => Ok(found),
        // The row is gone (forgotten meanwhile): nothing left to check.
        Ok(None) => Err(TaskError::RowGone),
        Err(e) => Err(e.into()),
    }
}
