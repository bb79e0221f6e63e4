//! The parts of the desk: each file holds one part's keys and actions.

pub mod demo;
pub mod form;
pub mod global;
pub mod history;
pub mod operator;
pub mod popups;
pub mod refund;
pub mod result;
pub mod screens;
