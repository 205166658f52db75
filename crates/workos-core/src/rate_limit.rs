//! Rate limits as GCRA (the generic cell rate algorithm): one number per key
//! — the "theoretical arrival time" — is all the state, so several web nodes
//! can share it in one database row and update it atomically.
//!
//! `limit` attempts per `period`, with bursts up to `limit`: an attempt is
//! allowed when it would not push the key's TAT more than one period ahead.

use thiserror::Error;

#[derive(Debug, Error, PartialEq, Eq)]
pub enum RateLimitError {
    #[error("limit must be at least 1")]
    BadLimit,
    #[error("period must be at least 1 second")]
    BadPeriod,
    #[error("time must be between 0 and {MAX_TIME_MS} unix ms")]
    BadClock,
}

/// The latest time accepted (about the year 37,000): far enough for any real
/// clock, and small enough that no sum below can overflow.
pub const MAX_TIME_MS: i64 = 1 << 50;

/// The outcome of one attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Decision {
    pub allowed: bool,
    /// The TAT to store (unchanged when refused: refusals cost nothing).
    pub tat_ms: i64,
    /// How long until the next attempt would be allowed (0 when allowed).
    pub retry_after_ms: i64,
    /// Attempts still allowed right now after this one.
    pub remaining: u32,
}

/// Decides one attempt for a key whose stored TAT is `tat_ms` (0 for a new
/// key) at `now_ms`.
pub fn check(
    tat_ms: i64,
    now_ms: i64,
    limit: u32,
    period_secs: u32,
) -> Result<Decision, RateLimitError> {
    if limit == 0 {
        return Err(RateLimitError::BadLimit);
    }
    if period_secs == 0 {
        return Err(RateLimitError::BadPeriod);
    }
    if !(0..=MAX_TIME_MS).contains(&now_ms) {
        return Err(RateLimitError::BadClock);
    }
    let period = i64::from(period_secs) * 1000;
    let interval = (period / i64::from(limit)).max(1);
    // A stored TAT is never legitimately more than one period ahead; one that
    // is (a corrupt or planted row) counts as "limit reached", not as "new".
    let tat = tat_ms.clamp(now_ms, now_ms + period);
    let new_tat = tat + interval;
    let allow_at = new_tat - period;
    if allow_at > now_ms {
        return Ok(Decision {
            allowed: false,
            tat_ms,
            retry_after_ms: allow_at - now_ms,
            remaining: 0,
        });
    }
    let remaining = ((now_ms - allow_at) / interval).clamp(0, i64::from(limit)) as u32;
    Ok(Decision {
        allowed: true,
        tat_ms: new_tat,
        retry_after_ms: 0,
        remaining,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(limit: u32, period: u32, times: &[i64]) -> Vec<bool> {
        let mut tat = 0;
        times
            .iter()
            .map(|&t| {
                let d = check(tat, t, limit, period).unwrap();
                tat = d.tat_ms;
                d.allowed
            })
            .collect()
    }

    #[test]
    fn a_burst_up_to_the_limit_then_refusals() {
        let now = 1_000_000;
        assert_eq!(
            run(5, 60, &[now; 7]),
            vec![true, true, true, true, true, false, false]
        );
    }

    #[test]
    fn attempts_come_back_at_the_rate() {
        let now = 1_000_000;
        // 5 per minute: one attempt back every 12 s.
        let mut times = vec![now; 5];
        times.push(now + 11_000);
        times.push(now + 12_000);
        assert_eq!(
            run(5, 60, &times),
            vec![true, true, true, true, true, false, true]
        );
    }

    #[test]
    fn retry_after_and_remaining_are_exact() {
        let now = 1_000_000;
        let first = check(0, now, 2, 10).unwrap();
        assert_eq!((first.allowed, first.remaining), (true, 1));
        let second = check(first.tat_ms, now, 2, 10).unwrap();
        assert_eq!((second.allowed, second.remaining), (true, 0));
        let third = check(second.tat_ms, now + 1_000, 2, 10).unwrap();
        assert!(!third.allowed);
        assert_eq!(third.retry_after_ms, 4_000);
        assert_eq!(
            third.tat_ms, second.tat_ms,
            "a refusal does not move the TAT"
        );
    }

    #[test]
    fn a_quiet_key_is_fully_reset() {
        let d = check(5_000, 1_000_000, 3, 60).unwrap();
        assert_eq!((d.allowed, d.remaining), (true, 2));
    }

    #[test]
    fn bad_parameters_are_errors() {
        assert_eq!(check(0, 0, 0, 60).unwrap_err(), RateLimitError::BadLimit);
        assert_eq!(check(0, 0, 5, 0).unwrap_err(), RateLimitError::BadPeriod);
    }
}
