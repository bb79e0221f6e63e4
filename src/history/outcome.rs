//! What happened to a create request, as stored in the history (`sending`, `created`,
//! `rejected`, `unknown`). Its own file so queries and the store both use it without
//! importing each other.

use serde::Serialize;

/// What happened to a create request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    /// Row written, request in flight (or the process died).
    Sending,
    Created,
    Rejected,
    /// Timed out, cancelled or crashed: must be checked via Order Status.
    Unknown,
}

impl Outcome {
    pub const ALL: [Outcome; 4] = [
        Outcome::Sending,
        Outcome::Created,
        Outcome::Rejected,
        Outcome::Unknown,
    ];

    /// The word stored in the database and shown to people.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Sending => "sending",
            Outcome::Created => "created",
            Outcome::Rejected => "rejected",
            Outcome::Unknown => "unknown",
        }
    }

    /// Parses the stored word (case-insensitive).
    pub fn parse(word: &str) -> Option<Outcome> {
        Outcome::ALL
            .into_iter()
            .find(|o| o.as_str().eq_ignore_ascii_case(word))
    }
}

impl std::fmt::Display for Outcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}
