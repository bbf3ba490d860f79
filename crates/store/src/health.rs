//! Whether storage is taking writes. A storage failure (disk full, read-only
//! file system, I/O error, lost connection) marks it failing; the next commit
//! that succeeds marks it well again. Each change is logged once, so a full
//! disk under load gives two lines, not one per request.

use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

#[derive(Debug, Default)]
pub struct StorageHealth {
    failing: AtomicBool,
    /// What went wrong first, for the log and `/readyz`.
    cause: Mutex<Option<String>>,
    /// Writes refused since storage began failing.
    refused: AtomicU64,
    /// When a readiness probe last committed.
    last_probe: Mutex<Option<Instant>>,
}

/// How long a successful readiness probe stands.
const PROBE_STANDS: Duration = Duration::from_secs(2);

impl StorageHealth {
    /// A request's change was refused because storage failed: counted, and
    /// noted as [`StorageHealth::failed`].
    pub fn refused(&self, cause: &str) {
        self.refused.fetch_add(1, Ordering::Relaxed);
        self.failed(cause);
    }

    /// Notes `error` if it is a storage failure rather than the request's.
    pub fn note(&self, error: &crate::StoreError) {
        if error.is_unavailable() {
            self.failed(&error.to_string());
        }
    }

    /// A write failed because of storage, not because of its input.
    pub fn failed(&self, cause: &str) {
        if !self.failing.swap(true, Ordering::AcqRel) {
            if let Ok(mut slot) = self.cause.lock() {
                *slot = Some(cause.to_string());
            }
            tracing::error!(
                cause,
                "storage is failing: changes are refused with 503 until it recovers"
            );
        }
    }

    /// A write committed.
    pub fn committed(&self) {
        if self.failing.swap(false, Ordering::AcqRel) {
            let refused = self.refused.swap(0, Ordering::Relaxed);
            if let Ok(mut slot) = self.cause.lock() {
                *slot = None;
            }
            tracing::warn!(refused, "storage has recovered: changes are accepted again");
        }
    }

    /// A readiness probe committed.
    pub fn probed(&self) {
        if let Ok(mut last) = self.last_probe.lock() {
            *last = Some(Instant::now());
        }
        self.committed();
    }

    /// Whether a readiness probe committed moments ago, and storage has not
    /// failed since.
    pub fn recently_probed(&self) -> bool {
        !self.failing.load(Ordering::Acquire)
            && self
                .last_probe
                .lock()
                .ok()
                .and_then(|last| *last)
                .is_some_and(|at| at.elapsed() < PROBE_STANDS)
    }

    /// Why storage is failing, if it is.
    pub fn failure(&self) -> Option<String> {
        if !self.failing.load(Ordering::Acquire) {
            return None;
        }
        Some(
            self.cause
                .lock()
                .ok()
                .and_then(|c| c.clone())
                .unwrap_or_else(|| "storage is failing".into()),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failing_until_a_commit() {
        let health = StorageHealth::default();
        assert_eq!(health.failure(), None);
        health.failed("database or disk is full");
        health.failed("something later");
        assert_eq!(
            health.failure().as_deref(),
            Some("database or disk is full"),
            "the first cause is kept"
        );
        health.committed();
        assert_eq!(health.failure(), None);
        health.failed("disk I/O error");
        assert_eq!(health.failure().as_deref(), Some("disk I/O error"));
    }
}
