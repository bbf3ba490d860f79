//! Token buckets: each API token may make a number of requests a minute,
//! with a burst of a quarter of that at once, refilled steadily.

/// One token's bucket: how many requests it may make now, as of when.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bucket {
    pub available: f64,
    /// Seconds on a monotonic clock.
    pub at: f64,
}

/// The most a token may make at once, for a rate a minute.
pub fn burst(per_minute: u32) -> f64 {
    f64::from((per_minute / 4).max(10))
}

impl Bucket {
    /// A full bucket.
    pub fn full(per_minute: u32, now: f64) -> Bucket {
        Bucket {
            available: burst(per_minute),
            at: now,
        }
    }

    /// Takes one request: `Ok` if allowed, else the whole seconds to wait.
    pub fn take(&mut self, per_minute: u32, now: f64) -> Result<(), u64> {
        let per_second = f64::from(per_minute.max(1)) / 60.0;
        let elapsed = (now - self.at).max(0.0);
        self.available = (self.available + elapsed * per_second).min(burst(per_minute));
        self.at = now;
        if self.available >= 1.0 {
            self.available -= 1.0;
            Ok(())
        } else {
            Err(((1.0 - self.available) / per_second).ceil().max(1.0) as u64)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_burst_then_the_steady_rate_then_a_wait_that_says_how_long() {
        // 600 a minute: 150 at once, then 10 a second.
        let mut bucket = Bucket::full(600, 0.0);
        for i in 0..150 {
            assert_eq!(bucket.take(600, 0.0), Ok(()), "request {i}");
        }
        assert_eq!(bucket.take(600, 0.0), Err(1));
        // A second later, ten more.
        for _ in 0..10 {
            assert_eq!(bucket.take(600, 1.0), Ok(()));
        }
        assert!(bucket.take(600, 1.0).is_err());
        // A slow token (6 a minute) waits ten seconds for the next.
        let mut slow = Bucket::full(6, 0.0);
        for _ in 0..10 {
            assert_eq!(slow.take(6, 0.0), Ok(()));
        }
        assert_eq!(slow.take(6, 0.0), Err(10));
        // Half refilled: half the wait is left.
        assert_eq!(slow.take(6, 5.0), Err(5));
        // Never more than a burst, however long it rested.
        let mut rested = Bucket::full(600, 0.0);
        rested.take(600, 0.0).unwrap();
        rested.take(600, 3600.0).unwrap();
        assert!(rested.available <= burst(600));
    }
}
