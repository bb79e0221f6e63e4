//! The emulator's time: a clock tests can freeze and move by hand (refunds go by it, so
//! their 5-second guard and their settling need no sleeps), and its ISO-8601 format.

use std::time::Duration;

use time::OffsetDateTime;

/// The system clock until frozen; then frozen until moved.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Clock {
    frozen_at: Option<OffsetDateTime>,
}

impl Clock {
    pub(crate) fn now(&self) -> OffsetDateTime {
        self.frozen_at.unwrap_or_else(OffsetDateTime::now_utc)
    }

    pub(crate) fn freeze(&mut self, at: OffsetDateTime) {
        self.frozen_at = Some(at);
    }

    /// Moves forward, freezing first at the current time if the clock runs.
    pub(crate) fn advance(&mut self, by: Duration) {
        self.frozen_at = Some(later(self.now(), by));
    }
}

/// `at + by`, saturating.
pub(crate) fn later(at: OffsetDateTime, by: Duration) -> OffsetDateTime {
    at.saturating_add(time::Duration::saturating_seconds_f64(by.as_secs_f64()))
}

/// ISO-8601 UTC to the second, e.g. `2026-09-03T10:09:27Z`.
pub(crate) fn iso(t: OffsetDateTime) -> String {
    let format =
        time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]Z");
    t.to_offset(time::UtcOffset::UTC)
        .format(&format)
        .unwrap_or_default()
}
