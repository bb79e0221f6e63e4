//! Every message the desk reacts to: terminal input, ticks, timers and task results. One
//! queue carries them all; `App::update` handles one at a time.

use std::path::PathBuf;

use crossterm::event::Event;

use super::history_open::OpenFailure;
use super::task_error::{SendError, TaskError};
use crate::history::{OrderRow, ReturningCustomer};
use crate::juspay::{ApiError, OrderStatus};
use crate::orders::{Reconciled, Submitted};

#[derive(Debug)]
pub enum Msg {
    /// A key, mouse, paste or resize event from the terminal.
    Input(Event),
    /// Spinner and countdown tick (only runs while something moves on screen).
    Tick,
    /// The debounced draft save is due; stale generations are ignored.
    DraftDue(u64),
    /// A toast's time is up.
    ToastExpired(u64),
    /// The API client for the environment is ready (demo: the emulator has started).
    ClientReady {
        env_name: String,
        base_url: String,
    },
    /// The environment could not be prepared (emulator did not start, bad URL, …).
    ClientFailed {
        env_name: String,
        message: String,
    },
    /// Another environment was loaded from the config (environment picker).
    EnvSwitched(Box<crate::config::Settings>),
    /// The history database is open (or could not be opened).
    StoreReady(Result<(), OpenFailure>),
    /// A send finished. `Err` means the history row could not be written, so nothing was
    /// sent.
    SendDone {
        send_id: u64,
        result: Result<Submitted, SendError>,
    },
    /// A cancelled or timed-out send was checked through Order Status.
    Reconciled {
        send_id: Option<u64>,
        order_id: String,
        history_id: Option<i64>,
        result: Result<Reconciled, TaskError>,
    },
    /// The open rows were re-checked (at start and every poll interval while some are
    /// open): each row as it was before, and what its check found.
    Rechecked(Result<Vec<(OrderRow, Reconciled)>, TaskError>),
    /// A history row was re-checked (`r` in the history pane); `was` is its outcome before.
    Refreshed {
        order_id: String,
        was: crate::orders::Outcome,
        result: Result<Reconciled, TaskError>,
    },
    /// A status poll for the result view (or a history refresh when `view_id` is `None`).
    StatusPolled {
        view_id: Option<u64>,
        order_id: String,
        result: Result<OrderStatus, ApiError>,
    },
    /// The demo emulator settled an order (`P` / `F` on the result): its status
    /// afterwards, or why it could not.
    DemoSettled {
        order_id: String,
        result: Result<String, String>,
    },
    /// A window of history rows.
    HistoryLoaded {
        generation: u64,
        offset: usize,
        /// How many rows match: exact, or more than the rows counted (a search or filter
        /// is counted up to `COUNT_CAP` past the window).
        total: crate::history::Count,
        rows: Vec<OrderRow>,
    },
    HistoryFailed {
        generation: u64,
        message: String,
    },
    /// A row was forgotten (or could not be).
    Forgotten {
        order_id: String,
        result: Result<(), TaskError>,
    },
    /// A returning-customer lookup (`Effect::LookupCustomer`) answered: the customer's
    /// last details, or `None` when the history does not know them (or could not say).
    CustomerFound {
        generation: u64,
        found: Option<ReturningCustomer>,
    },
    /// The draft could not be written (success is silent).
    DraftFailed(String),
    /// The QR code was saved as PNG and SVG.
    QrSaved(Result<(PathBuf, PathBuf), String>),
    /// The browser could not be opened.
    OpenFailed(String),
    /// A refund task answered (issue 15).
    Refund(Box<super::refund_msgs::RefundMsg>),
    /// The branch ledger as a whole: its changes, whether it answers, the shown order's
    /// row read again (issue 14; see `live_msg`).
    Live(super::live_msg::LiveMsg),
    /// A message for the banner (e.g. logging could not start).
    Banner(String),
    /// SIGTERM, SIGHUP or the like: leave now, restoring the terminal.
    Shutdown,
    /// SIGTSTP: hand the terminal back to the shell until resumed (as Ctrl-Z does).
    Suspend,
}
