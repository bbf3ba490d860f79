use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use jiff::{SignedDuration, Timestamp};

/// The time, as use cases see it. Tests move it forward to expire sessions
/// and throttles without waiting.
#[derive(Clone, Debug, Default)]
pub struct Clock {
    offset_secs: Arc<AtomicI64>,
}

impl Clock {
    pub fn now(&self) -> Timestamp {
        let offset = SignedDuration::from_secs(self.offset_secs.load(Ordering::Relaxed));
        Timestamp::now()
            .checked_add(offset)
            .unwrap_or_else(|_| Timestamp::now())
    }

    /// Now as stored: fixed-width UTC text, so text order is time order.
    pub fn now_text(&self) -> String {
        instant_text(self.now())
    }

    /// `secs` seconds ago, as stored.
    pub fn ago_text(&self, secs: i64) -> String {
        let then = self
            .now()
            .checked_sub(SignedDuration::from_secs(secs))
            .unwrap_or_else(|_| self.now());
        instant_text(then)
    }

    /// Moves this clock (and every copy of it) forward.
    pub fn advance(&self, secs: i64) {
        self.offset_secs.fetch_add(secs, Ordering::Relaxed);
    }
}

pub fn instant_text(ts: Timestamp) -> String {
    ts.strftime("%Y-%m-%dT%H:%M:%S%.6fZ").to_string()
}

pub fn parse_instant(text: &str) -> Option<Timestamp> {
    text.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_instants_are_fixed_width_and_sort_as_time() {
        let clock = Clock::default();
        let a = clock.now_text();
        clock.advance(90);
        let b = clock.now_text();
        assert_eq!(a.len(), 27);
        assert_eq!(b.len(), 27);
        assert!(a < b);
        assert!(parse_instant(&a).is_some());
        assert!(clock.ago_text(100) < a);
    }
}
