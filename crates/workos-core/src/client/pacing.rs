//! Pacing of bulk calls against WorkOS's rate limits, shared by every call in
//! flight (and by later batches of the same worker and API key):
//! - WorkOS's documented limits ([`DOCUMENTED`]) are budgets kept on our
//!   side, over sliding windows, so a bulk sync never sends a call WorkOS
//!   would refuse (WorkOS sends no budget headers to pace by);
//! - a 429 holds back every call until its `Retry-After`, and lowers the
//!   budget it most likely broke to what we had used (the key's real limit
//!   may be lower, or shared with other clients) for a while;
//! - when an answer reports its budget (`X-RateLimit-Limit/Remaining/Reset`,
//!   as proxies and other APIs do), the calls slow down before it runs out.
//!
//! Pure logic over explicit instants, so it is tested without a clock or a
//! network; `bulk.rs` drives it.

use std::collections::VecDeque;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use super::http::{parse_retry_after, RETRY_AFTER_CAP};

/// How long everyone waits after a 429 that named no `Retry-After`.
pub const DEFAULT_HOLD: Duration = Duration::from_secs(1);

/// A `Reset` at or above this is a Unix time, below it a number of seconds
/// (both conventions are in use).
const UNIX_TIME_FLOOR: f64 = 1_000_000_000.0;

/// A `Reset` this much later than the known one starts a new window.
const NEW_WINDOW_SLACK: Duration = Duration::from_millis(500);

/// One of WorkOS's documented rate limits
/// (workos.com/docs/reference/rate-limits) that bulk calls can meet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    pub name: &'static str,
    /// `None`: every method; `Some(true)`: GET only; `Some(false)`: writes.
    pub reads: Option<bool>,
    /// Leading path segments the limit applies to (empty: every path).
    pub prefix: &'static [&'static str],
    /// At least this many segments (e.g. `/organizations/{id}`).
    pub min_segments: usize,
    /// `None`: every method the `reads` filter lets through.
    pub method: Option<&'static str>,
    pub limit: u32,
    pub window: Duration,
}

impl Limit {
    fn applies(&self, method: &str, path: &[&str]) -> bool {
        let is_read = method.eq_ignore_ascii_case("GET");
        self.reads.is_none_or(|r| r == is_read)
            && self.method.is_none_or(|m| m.eq_ignore_ascii_case(method))
            && path.len() >= self.min_segments
            && path.starts_with(self.prefix)
    }
}

/// The documented limits per API key (AuthKit's per environment, which a
/// key belongs to) that bulk work meets. Limits per email or per user
/// (authenticate, magic auth…) are not bulk work and are left out.
pub const DOCUMENTED: &[Limit] = &[
    Limit {
        name: "general",
        reads: None,
        prefix: &[],
        min_segments: 0,
        method: None,
        limit: 6_000,
        window: Duration::from_secs(60),
    },
    Limit {
        name: "user_management_reads",
        reads: Some(true),
        prefix: &["user_management"],
        min_segments: 2,
        method: None,
        limit: 1_000,
        window: Duration::from_secs(10),
    },
    Limit {
        name: "user_management_writes",
        reads: Some(false),
        prefix: &["user_management"],
        min_segments: 2,
        method: None,
        limit: 500,
        window: Duration::from_secs(10),
    },
    Limit {
        name: "delete_organization",
        reads: Some(false),
        prefix: &["organizations"],
        min_segments: 2,
        method: Some("DELETE"),
        limit: 50,
        window: Duration::from_secs(60),
    },
];

/// Which of the [`DOCUMENTED`] limits a call counts against (a bit each).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Limits(u8);

impl Limits {
    pub const NONE: Limits = Limits(0);

    pub fn of(method: &str, path: &[&str]) -> Self {
        let mut bits = 0u8;
        for (i, limit) in DOCUMENTED.iter().enumerate() {
            if limit.applies(method, path) {
                bits |= 1 << i;
            }
        }
        Limits(bits)
    }

    fn has(self, i: usize) -> bool {
        self.0 & (1 << i) != 0
    }
}

/// Our clocks and WorkOS's differ by the network's jitter: a call that
/// left after a full window may still arrive within it. Windows are
/// widened by this share (at least [`MIN_MARGIN`]).
const MARGIN_DIVISOR: u32 = 50;
const MIN_MARGIN: Duration = Duration::from_millis(100);

/// A call is counted when it starts, but WorkOS counts it when it arrives,
/// which can be as late as its answer: a budget's window is widened by the
/// slowest call seen within this period (so a burst of new connections'
/// handshakes cannot pack more arrivals into WorkOS's window than we
/// started in ours), and by at most [`MAX_SLOWEST`].
const SLOWEST_OVER: Duration = Duration::from_secs(60);
const MAX_SLOWEST: Duration = Duration::from_secs(5);

/// How long a budget lowered by a 429 stays lowered.
pub const LEARNED_FOR: Duration = Duration::from_secs(300);

/// Our side of one documented limit: the starts within its window.
#[derive(Debug)]
struct Budget {
    limit: u32,
    window: Duration,
    /// The limit lowered after a 429, and until when.
    learned: Option<(u32, Instant)>,
    starts: VecDeque<Instant>,
}

impl Budget {
    fn new(limit: &Limit) -> Self {
        Self {
            limit: limit.limit,
            window: limit.window + (limit.window / MARGIN_DIVISOR).max(MIN_MARGIN),
            learned: None,
            starts: VecDeque::new(),
        }
    }

    fn effective(&mut self, now: Instant) -> u32 {
        match self.learned {
            Some((limit, until)) if until > now => limit.min(self.limit),
            Some(_) => {
                self.learned = None;
                self.limit
            }
            None => self.limit,
        }
        .max(1)
    }

    fn forget_before(&mut self, at: Instant, slowest: Duration) {
        let window = self.window + slowest;
        while self.starts.front().is_some_and(|s| *s + window <= at) {
            self.starts.pop_front();
        }
    }

    /// The earliest start at or after `at` that stays within the budget
    /// (its window widened by the slowest recent call).
    fn earliest(&mut self, at: Instant, slowest: Duration) -> Instant {
        self.forget_before(at, slowest);
        let limit = self.effective(at) as usize;
        if self.starts.len() < limit {
            return at;
        }
        // The window must slide past every start but the last `limit - 1`.
        at.max(self.starts[self.starts.len() - limit] + self.window + slowest)
    }

    /// Starts within the window ending at `now`, as a share of the limit.
    fn used(&mut self, now: Instant, slowest: Duration) -> (usize, f64) {
        let window = self.window + slowest;
        let in_window = self
            .starts
            .iter()
            .filter(|s| **s <= now && **s + window > now)
            .count();
        (in_window, in_window as f64 / f64::from(self.effective(now)))
    }
}

/// What one response said about the rate limit.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RateInfo {
    /// `X-RateLimit-Limit`: calls allowed per window.
    pub limit: Option<u64>,
    /// `X-RateLimit-Remaining`: calls left in this window.
    pub remaining: Option<u64>,
    /// `X-RateLimit-Reset`, as a delay from the response.
    pub reset: Option<Duration>,
    /// `Retry-After`, on a 429 or 503.
    pub retry_after: Option<Duration>,
}

impl RateInfo {
    /// Reads the headers through `get` (a case-insensitive lookup). `now` is
    /// the wall clock, for a `Reset` given as a Unix time.
    pub fn from_headers<'a>(get: impl Fn(&str) -> Option<&'a str>, now: SystemTime) -> Self {
        let count = |name: &str| get(name).and_then(|v| v.trim().parse::<u64>().ok());
        let reset = get("X-RateLimit-Reset").and_then(|v| {
            let value = v.trim().parse::<f64>().ok().filter(|s| s.is_finite())?;
            let secs = if value >= UNIX_TIME_FLOOR {
                let now = now.duration_since(UNIX_EPOCH).ok()?.as_secs_f64();
                // Milliseconds since the epoch are at least 1000 times larger.
                let at = if value >= UNIX_TIME_FLOOR * 1000.0 {
                    value / 1000.0
                } else {
                    value
                };
                (at - now).max(0.0)
            } else {
                value.max(0.0)
            };
            Some(Duration::from_secs_f64(
                secs.min(RETRY_AFTER_CAP.as_secs_f64()),
            ))
        });
        Self {
            limit: count("X-RateLimit-Limit"),
            remaining: count("X-RateLimit-Remaining"),
            reset,
            retry_after: get("Retry-After").and_then(parse_retry_after),
        }
    }
}

/// The budget of the current rate-limit window, as far as we know it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Window {
    reset_at: Instant,
    /// Calls we may still start before `reset_at`: WorkOS's last count,
    /// less every call started since.
    remaining: u64,
    limit: Option<u64>,
}

/// The shared pacing state: when the next call may start.
#[derive(Debug)]
pub struct Pacing {
    /// One per [`DOCUMENTED`] limit, in its order.
    budgets: Vec<Budget>,
    /// Starts are handed out in order, so every budget's starts are sorted.
    last_start: Option<Instant>,
    /// No call starts before this (a 429's `Retry-After`).
    hold_until: Option<Instant>,
    window: Option<Window>,
    /// The earliest start of the next call while calls are being spaced.
    next_start: Option<Instant>,
    /// Calls started and not finished: WorkOS has not counted them yet in
    /// the `Remaining` of answers to calls that ran before them.
    in_flight: u64,
    /// How long recent calls took from their counted start to their answer
    /// (when each was seen, how long), as a sliding-window maximum: the
    /// front is the slowest of the last [`SLOWEST_OVER`].
    durations: VecDeque<(Instant, Duration)>,
}

impl Default for Pacing {
    fn default() -> Self {
        Self {
            budgets: DOCUMENTED.iter().map(Budget::new).collect(),
            last_start: None,
            hold_until: None,
            window: None,
            next_start: None,
            in_flight: 0,
            durations: VecDeque::new(),
        }
    }
}

impl Pacing {
    pub fn new() -> Self {
        Self::default()
    }

    /// Reserves a start for one call counted against `limits` and says when
    /// it may be sent (`now` when nothing holds it back). Every call to
    /// `start` must be followed by [`finish`](Self::finish) or
    /// [`cancel`](Self::cancel).
    pub fn start(&mut self, now: Instant, limits: Limits) -> Instant {
        let mut at = now.max(self.last_start.unwrap_or(now));
        if let Some(hold) = self.hold_until {
            if hold > at {
                at = hold;
            } else {
                self.hold_until = None;
            }
        }
        if let Some(w) = self.window {
            if w.reset_at <= at {
                // That window is over: a fresh budget, known once WorkOS
                // answers again.
                self.window = None;
                self.next_start = None;
            }
        }
        if let Some(w) = self.window.as_mut() {
            if w.remaining == 0 {
                // Spent: wait for the window to reset, then start over.
                at = w.reset_at;
                self.window = None;
                self.next_start = None;
            } else {
                // Spend the second half of a budget evenly over what is left
                // of the window: short bursts run at full speed, long ones
                // never run into the limit.
                let half = w.limit.unwrap_or(0) / 2;
                if w.remaining <= half.max(1) || w.limit.is_none() {
                    let left = w.reset_at.saturating_duration_since(at);
                    let interval = left / u32::try_from(w.remaining).unwrap_or(u32::MAX);
                    if let Some(next) = self.next_start {
                        at = at.max(next);
                    }
                    self.next_start = Some(at + interval);
                }
                w.remaining -= 1;
            }
        }
        // Moving later only frees budget, so one pass finds a start that
        // every budget allows.
        let slowest = self.slowest(now);
        for (i, budget) in self.budgets.iter_mut().enumerate() {
            if limits.has(i) {
                at = budget.earliest(at, slowest);
            }
        }
        for (i, budget) in self.budgets.iter_mut().enumerate() {
            if limits.has(i) {
                budget.starts.push_back(at);
            }
        }
        self.last_start = Some(at);
        self.in_flight += 1;
        at
    }

    /// A started call was answered `took` after its counted start (or gave
    /// up): WorkOS counted it somewhere in between.
    pub fn observe(&mut self, now: Instant, took: Duration) {
        let took = took.min(MAX_SLOWEST);
        while self.durations.back().is_some_and(|(_, d)| *d <= took) {
            self.durations.pop_back();
        }
        self.durations.push_back((now, took));
    }

    /// The slowest call seen within [`SLOWEST_OVER`] before `now`.
    fn slowest(&mut self, now: Instant) -> Duration {
        while self
            .durations
            .front()
            .is_some_and(|(seen, _)| *seen + SLOWEST_OVER <= now)
        {
            self.durations.pop_front();
        }
        self.durations.front().map_or(Duration::ZERO, |(_, d)| *d)
    }

    /// A reserved start that was not used (the call gave up first).
    pub fn cancel(&mut self) {
        self.in_flight = self.in_flight.saturating_sub(1);
    }

    /// Records what the answer to a started call said (`status` 0 when
    /// WorkOS was not reached; `info` empty then).
    pub fn finish(&mut self, now: Instant, status: u16, limits: Limits, info: &RateInfo) {
        self.in_flight = self.in_flight.saturating_sub(1);
        if status == 429 {
            // Calls refused together are one signal, not several.
            let already_held = self.hold_until.is_some_and(|h| h > now);
            let hold = now + info.retry_after.unwrap_or(DEFAULT_HOLD);
            self.hold_until = Some(self.hold_until.map_or(hold, |h| h.max(hold)));
            if !already_held {
                self.learn(now, limits);
            }
        }
        let (Some(remaining), Some(reset)) = (info.remaining, info.reset) else {
            return;
        };
        // Calls still in flight were sent after this one was counted.
        let remaining = remaining.saturating_sub(self.in_flight);
        let reset_at = now + reset;
        match self.window.as_mut() {
            Some(w) if reset_at <= w.reset_at + NEW_WINDOW_SLACK => {
                // Same window: answers arrive out of order, so the lowest
                // count is the most recent.
                w.remaining = w.remaining.min(remaining);
                w.limit = info.limit.or(w.limit);
            }
            _ => {
                self.window = Some(Window {
                    reset_at,
                    remaining,
                    limit: info.limit,
                });
                self.next_start = None;
            }
        }
    }

    /// A 429 although every budget had room: the real limit is lower than
    /// documented (or others use the same key). The budget closest to its
    /// limit is the one most likely broken; it is lowered to a little less
    /// than what was used of it, but at most halved per 429: a single
    /// refusal (a blip, another client's burst) costs little, and repeated
    /// ones still converge quickly on the real limit.
    fn learn(&mut self, now: Instant, limits: Limits) {
        let mut tightest: Option<(usize, usize, f64)> = None;
        let slowest = self.slowest(now);
        for (i, budget) in self.budgets.iter_mut().enumerate() {
            if limits.has(i) {
                let (used, share) = budget.used(now, slowest);
                if tightest.is_none_or(|(_, _, s)| share > s) {
                    tightest = Some((i, used, share));
                }
            }
        }
        if let Some((i, used, _)) = tightest {
            let budget = &mut self.budgets[i];
            let lowered = u32::try_from(used.saturating_sub(used / 10 + 1))
                .unwrap_or(u32::MAX)
                .max(1);
            let current = budget.effective(now);
            let limit = current.min(lowered.max(current / 2));
            budget.learned = Some((limit, now + LEARNED_FOR));
        }
    }

    /// Until when every call is held back by a 429, if it is.
    pub fn held_until(&self) -> Option<Instant> {
        self.hold_until
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn info(limit: u64, remaining: u64, reset_secs: u64) -> RateInfo {
        RateInfo {
            limit: Some(limit),
            remaining: Some(remaining),
            reset: Some(Duration::from_secs(reset_secs)),
            retry_after: None,
        }
    }

    const MS: Duration = Duration::from_millis(1);
    const N: Limits = Limits::NONE;

    #[test]
    fn without_information_calls_start_at_once() {
        let mut p = Pacing::new();
        let t0 = Instant::now();
        for _ in 0..100 {
            assert_eq!(p.start(t0, N), t0);
            p.finish(t0, 200, N, &RateInfo::default());
        }
    }

    #[test]
    fn a_429_holds_back_every_call_until_retry_after() {
        let mut p = Pacing::new();
        let t0 = Instant::now();
        let a = p.start(t0, N);
        let b = p.start(t0, N);
        assert_eq!((a, b), (t0, t0));
        let throttled = RateInfo {
            retry_after: Some(Duration::from_secs(2)),
            ..RateInfo::default()
        };
        p.finish(t0 + 10 * MS, 429, N, &throttled);
        // Both the retry of the refused call and any other call wait.
        let hold = t0 + 10 * MS + Duration::from_secs(2);
        assert_eq!(p.start(t0 + 20 * MS, N), hold);
        assert_eq!(p.start(t0 + 30 * MS, N), hold);
        // A 429 without Retry-After still holds, for a second.
        let mut q = Pacing::new();
        q.start(t0, N);
        q.finish(t0, 429, N, &RateInfo::default());
        assert_eq!(q.start(t0, N), t0 + DEFAULT_HOLD);
        // Once the hold has passed, calls start at once again.
        let later = hold + MS;
        assert_eq!(p.start(later, N), later);
    }

    #[test]
    fn a_later_shorter_retry_after_does_not_shorten_the_hold() {
        let mut p = Pacing::new();
        let t0 = Instant::now();
        p.start(t0, N);
        p.start(t0, N);
        let long = RateInfo {
            retry_after: Some(Duration::from_secs(3)),
            ..RateInfo::default()
        };
        let short = RateInfo {
            retry_after: Some(Duration::from_secs(1)),
            ..RateInfo::default()
        };
        p.finish(t0, 429, N, &long);
        p.finish(t0 + MS, 429, N, &short);
        assert_eq!(p.held_until(), Some(t0 + Duration::from_secs(3)));
    }

    #[test]
    fn a_plentiful_budget_does_not_slow_calls_down() {
        let mut p = Pacing::new();
        let t0 = Instant::now();
        p.start(t0, N);
        p.finish(t0, 200, N, &info(500, 499, 10));
        for i in 0..200u32 {
            let now = t0 + i * MS;
            assert_eq!(p.start(now, N), now, "call {i}");
            p.finish(now, 200, N, &info(500, 498 - u64::from(i), 10));
        }
    }

    #[test]
    fn the_second_half_of_a_budget_is_spread_over_the_window() {
        let mut p = Pacing::new();
        let t0 = Instant::now();
        p.start(t0, N);
        // 100 calls left of 500, 10 s to go: one call per 100 ms.
        p.finish(t0, 200, N, &info(500, 100, 10));
        let first = p.start(t0, N);
        let second = p.start(t0, N);
        let third = p.start(t0, N);
        assert_eq!(first, t0);
        assert_eq!(second - first, Duration::from_millis(100));
        assert!(third - second >= Duration::from_millis(100));
    }

    #[test]
    fn a_spent_budget_waits_for_the_reset_and_then_bursts_again() {
        let mut p = Pacing::new();
        let t0 = Instant::now();
        p.start(t0, N);
        p.finish(t0, 200, N, &info(10, 0, 4));
        let reset = t0 + Duration::from_secs(4);
        assert_eq!(p.start(t0 + MS, N), reset);
        // The window reset: the next calls are not held (their answers will
        // say how much of the new budget is left).
        assert_eq!(p.start(reset, N), reset);
        assert_eq!(p.start(reset, N), reset);
    }

    #[test]
    fn calls_in_flight_count_against_the_budget() {
        let mut p = Pacing::new();
        let t0 = Instant::now();
        // Ten calls are sent at once; the first answer says 9 are left, but
        // the nine others in flight will take them: the next call waits.
        for _ in 0..10 {
            p.start(t0, N);
        }
        p.finish(t0 + MS, 200, N, &info(10, 9, 5));
        assert_eq!(p.start(t0 + 2 * MS, N), t0 + MS + Duration::from_secs(5));
    }

    #[test]
    fn answers_out_of_order_keep_the_lowest_count_of_a_window() {
        let mut p = Pacing::new();
        let t0 = Instant::now();
        p.start(t0, N);
        p.start(t0, N);
        // Two left, less the other call in flight.
        p.finish(t0, 200, N, &info(100, 2, 10));
        // An older answer with a higher count arrives late.
        p.finish(t0 + MS, 200, N, &info(100, 40, 10));
        let first = p.start(t0 + 2 * MS, N);
        assert_eq!(first, t0 + 2 * MS);
        // That was the last call of the window.
        assert_eq!(p.start(t0 + 3 * MS, N), t0 + Duration::from_secs(10));
    }

    #[test]
    fn never_more_starts_per_window_than_the_limit() {
        // A simulated WorkOS with a fixed window of 50 calls per second and
        // 20 ms latency, eight calls in flight: no call is ever refused.
        let limit = 50u64;
        let window = Duration::from_secs(1);
        let latency = Duration::from_millis(20);
        let t0 = Instant::now();
        let mut p = Pacing::new();
        let mut used_in_window = std::collections::HashMap::<u128, u64>::new();
        // (arrival at WorkOS, slot) of the calls in flight.
        let mut in_flight: Vec<Instant> = Vec::new();
        let mut clock = t0;
        let mut done = 0;
        let mut refused = 0;
        while done < 400 {
            while in_flight.len() < 8 {
                let at = p.start(clock, N);
                in_flight.push(at.max(clock));
            }
            in_flight.sort();
            let sent = in_flight.remove(0);
            let answered = sent + latency;
            clock = clock.max(answered);
            let idx = (sent - t0).as_nanos() / window.as_nanos();
            let used = used_in_window.entry(idx).or_default();
            let reset_at = t0 + window * (idx as u32 + 1);
            let status = if *used >= limit {
                refused += 1;
                429
            } else {
                *used += 1;
                done += 1;
                200
            };
            let reset = reset_at.saturating_duration_since(answered);
            p.finish(
                answered,
                status,
                N,
                &RateInfo {
                    limit: Some(limit),
                    remaining: Some(limit - *used),
                    reset: Some(reset.max(MS)),
                    retry_after: (status == 429).then_some(reset),
                },
            );
        }
        assert_eq!(refused, 0, "calls over the limit");
        // And the budget is used: 400 calls in about 8 windows.
        let took = clock - t0;
        assert!(took < Duration::from_secs(9), "took {took:?}");
    }

    #[test]
    fn calls_count_against_the_documented_limits_they_meet() {
        let names = |l: Limits| -> Vec<&str> {
            DOCUMENTED
                .iter()
                .enumerate()
                .filter(|(i, _)| l.has(*i))
                .map(|(_, d)| d.name)
                .collect()
        };
        assert_eq!(
            names(Limits::of("POST", &["user_management", "users"])),
            ["general", "user_management_writes"]
        );
        assert_eq!(
            names(Limits::of("GET", &["user_management", "users", "u1"])),
            ["general", "user_management_reads"]
        );
        assert_eq!(
            names(Limits::of("DELETE", &["organizations", "org_1"])),
            ["general", "delete_organization"]
        );
        assert_eq!(names(Limits::of("GET", &["organizations"])), ["general"]);
    }

    #[test]
    fn arrivals_delayed_unevenly_never_exceed_the_limit_at_workos() {
        // WorkOS counts a call when it arrives, anywhere between our start
        // and our answer. Calls on new connections take three round trips
        // (TCP, TLS, request), reused ones one: the budget must hold for
        // arrival times, not only for starts.
        let writes = Limits::of("POST", &["user_management", "users"]);
        let mut p = Pacing::new();
        let t0 = Instant::now();
        let mut arrivals = Vec::new();
        let mut clock = t0;
        for n in 0..1600u32 {
            let at = p.start(clock, writes);
            clock = clock.max(at);
            // Every 7th call opens a connection: it arrives late; the others
            // arrive at once.
            let (arrive, took) = if n % 7 == 0 {
                (at + 600 * MS, 600 * MS)
            } else {
                (at, 200 * MS)
            };
            arrivals.push(arrive);
            p.observe(at + took, took);
            p.finish(at + took, 200, writes, &RateInfo::default());
        }
        arrivals.sort();
        let window = Duration::from_secs(10);
        for (i, a) in arrivals.iter().enumerate() {
            let within = arrivals[i..]
                .iter()
                .take_while(|t| **t < *a + window)
                .count();
            assert!(within <= 500, "{within} arrivals within 10 s from call {i}");
        }
    }

    #[test]
    fn a_bulk_write_never_exceeds_the_documented_limit() {
        // 1,200 user creations as fast as eight in flight allow: at most
        // 500 start within any 10 s (plus margin), and the budget is used.
        let writes = Limits::of("POST", &["user_management", "users"]);
        let mut p = Pacing::new();
        let t0 = Instant::now();
        let mut starts = Vec::new();
        let mut clock = t0;
        for _ in 0..1200 {
            let at = p.start(clock, writes);
            clock = clock.max(at);
            starts.push(at);
            p.finish(at + 20 * MS, 200, writes, &RateInfo::default());
        }
        let window = Duration::from_secs(10);
        for (i, s) in starts.iter().enumerate() {
            let within = starts[i..].iter().take_while(|t| **t < *s + window).count();
            assert!(within <= 500, "{within} starts within 10 s from call {i}");
        }
        assert_eq!(starts[499], t0, "the first 500 go at once");
        let took = *starts.last().unwrap() - t0;
        assert!(
            took > Duration::from_secs(20) && took < Duration::from_secs(21),
            "{took:?}"
        );
    }

    #[test]
    fn a_lower_real_limit_is_learnt_from_a_few_429s() {
        // The key's real limit is 100 writes per 10 s, not the documented
        // 500: a few refusals lower the budget below it, and then the calls
        // flow at about the real limit without further refusals.
        let writes = Limits::of("POST", &["user_management", "users"]);
        let real_limit = 100;
        let window = Duration::from_secs(10);
        let mut p = Pacing::new();
        let t0 = Instant::now();
        let mut accepted: Vec<Instant> = Vec::new();
        let mut refused = 0;
        let mut clock = t0;
        while accepted.len() < 1000 {
            let at = p.start(clock, writes);
            clock = clock.max(at);
            let in_window = accepted.iter().filter(|t| **t + window > at).count();
            if in_window >= real_limit {
                refused += 1;
                let oldest = accepted[accepted.len() - real_limit];
                let retry = RateInfo {
                    retry_after: Some(oldest + window - at),
                    ..RateInfo::default()
                };
                p.finish(at + MS, 429, writes, &retry);
            } else {
                accepted.push(at);
                p.finish(at + MS, 200, writes, &RateInfo::default());
            }
        }
        assert!(refused <= 5, "{refused} refusals");
        let learned = p.budgets[2].learned.unwrap().0;
        assert!((50..100).contains(&learned), "{learned}");
        // 1,000 calls at about 100 per 10 s (at least the learned rate).
        let took = clock - t0;
        assert!(took < Duration::from_secs(220), "{took:?}");
        // The general budget was not touched, and after a while the
        // documented limit applies again.
        assert!(p.budgets[0].learned.is_none());
        let later = clock + LEARNED_FOR + Duration::from_secs(20);
        assert_eq!(p.budgets[2].effective(later), 500);
    }

    #[test]
    fn one_429_only_halves_a_budget() {
        let writes = Limits::of("POST", &["user_management", "users"]);
        let mut p = Pacing::new();
        let t0 = Instant::now();
        for _ in 0..4 {
            p.start(t0, writes);
        }
        // Four calls refused together: one signal.
        for _ in 0..4 {
            p.finish(t0 + MS, 429, writes, &RateInfo::default());
        }
        assert_eq!(p.budgets[2].learned.unwrap().0, 250);
    }

    #[test]
    fn reads_the_headers() {
        let now = UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        let headers = [
            ("X-RateLimit-Limit", "500"),
            ("X-RateLimit-Remaining", "12"),
            ("X-RateLimit-Reset", "1700000007"),
            ("Retry-After", "2"),
        ];
        let get = |name: &str| {
            headers
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(name))
                .map(|(_, v)| *v)
        };
        let i = RateInfo::from_headers(get, now);
        assert_eq!(i.limit, Some(500));
        assert_eq!(i.remaining, Some(12));
        assert_eq!(i.reset, Some(Duration::from_secs(7)));
        assert_eq!(i.retry_after, Some(Duration::from_secs(2)));
        // A delay in seconds, in milliseconds since the epoch, junk.
        for (value, expected) in [
            ("3", Some(Duration::from_secs(3))),
            ("1700000001500", Some(Duration::from_millis(1500))),
            ("1600000000", Some(Duration::ZERO)),
            ("-4", Some(Duration::ZERO)),
            ("soon", None),
            ("NaN", None),
            ("1e300", Some(RETRY_AFTER_CAP)),
            ("99999999", Some(RETRY_AFTER_CAP)),
        ] {
            let i = RateInfo::from_headers(|n| (n == "X-RateLimit-Reset").then_some(value), now);
            assert_eq!(i.reset, expected, "{value}");
        }
        assert_eq!(RateInfo::from_headers(|_| None, now), RateInfo::default());
    }
}
