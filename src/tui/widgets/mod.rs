//! Small building blocks the parts of the desk share.

pub mod line_input;
