//! The parts of the desk: each file holds one part's keys and actions.

pub mod demo;
pub mod form;
pub mod history;
pub mod popups;
pub mod result;
