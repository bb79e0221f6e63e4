//! paydesk: create Juspay payment sessions at a sales desk.
//!
//! Layers point downward only: `tui` and `cli` use everything else; `orders` joins
//! `juspay` and `history`; `session` uses only the leaves
//! `text` (the sanitiser) and `files` (every file read).

pub mod cli;
pub mod config;
pub mod emulator;
pub mod files;
pub mod history;
pub mod juspay;
pub mod links;
pub mod logging;
pub mod orders;
pub mod paths;
pub mod qr;
pub mod secret;
pub mod session;
pub mod text;
pub mod tui;
