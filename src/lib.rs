//! paydesk: create Juspay payment sessions at a sales desk.
//!
//! Layers point downward only: `tui` and `cli` use everything else but never each other
//! (`main.rs` chooses between them; `args`, `exit` and `connection` serve both); `orders`
//! joins `juspay` and `history`; `session` uses only the leaves `text` (the sanitiser) and
//! `files` (every file read). No import circles: `.ci/run` checks.

pub mod args;
pub mod cli;
pub mod config;
pub mod connection;
pub mod emulator;
pub mod exit;
pub mod files;
pub mod history;
pub mod juspay;
pub mod ledger;
pub mod links;
pub mod logging;
pub mod operator;
pub mod orders;
pub mod paths;
pub mod qr;
pub mod secret;
pub mod session;
pub mod text;
pub mod tui;
