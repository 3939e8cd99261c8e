//! [`RetryPolicy`]: when and how long to wait before sending a request again.
//!
//! A small loop in the runtime rather than a crate: reqwest-retry wants the client wrapped in
//! reqwest-middleware and does not read `Retry-After`; backon and tower's retry are generic over
//! the operation, so each call site would instantiate their machinery, and the decisions that
//! matter here (which statuses, which methods, `Retry-After`, a wall-clock deadline) are HTTP
//! ones they leave to the caller anyway. With no policy set the send path does not touch this
//! module beyond one `Option` check.

use std::hash::{BuildHasher, Hasher};
use std::time::{Duration, Instant, SystemTime};

use reqwest::header::{HeaderMap, RETRY_AFTER};
use reqwest::{Method, StatusCode};

/// When to send a request again, and how long to wait before doing so.
///
/// Retried: connection failures (nothing was received) and the statuses 429, 502, 503 and 504,
/// waiting as `Retry-After` says (seconds or an HTTP date) or else an exponential backoff with
/// jitter, until `max_attempts` requests were sent or the next one could not start before the
/// `deadline` (counted from the first attempt). Only idempotent methods are retried (GET, HEAD,
/// OPTIONS, PUT, DELETE, TRACE, QUERY) unless [`non_idempotent`](Self::non_idempotent) says
/// otherwise, and never a request whose body cannot be replayed (a multipart or streamed body).
/// The last response (or failure) is what the operation returns.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    max_attempts: u32,
    initial_delay: Duration,
    max_delay: Duration,
    deadline: Option<Duration>,
    non_idempotent: bool,
}

impl Default for RetryPolicy {
    /// 3 attempts, 100 ms doubling up to 5 s, a 30 s deadline, idempotent methods only.
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 3,
            initial_delay: Duration::from_millis(100),
            max_delay: Duration::from_secs(5),
            deadline: Some(Duration::from_secs(30)),
            non_idempotent: false,
        }
    }
}

impl RetryPolicy {
    /// The default policy: see [`Default`].
    pub fn new() -> Self {
        Self::default()
    }

    /// How many requests are sent at most, the first included (at least 1).
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// The wait before the first retry; each later one doubles it, up to `max`. The wait
    /// actually used is drawn between half of that and all of it (jitter).
    pub fn backoff(mut self, initial: Duration, max: Duration) -> Self {
        self.initial_delay = initial;
        self.max_delay = max.max(initial);
        self
    }

    /// No attempt starts later than this after the first one; `None` for no deadline. A
    /// `Retry-After` that points past the deadline ends the retries at once.
    pub fn deadline(mut self, deadline: Option<Duration>) -> Self {
        self.deadline = deadline;
        self
    }

    /// Retry POST and PATCH too: for operations the server deduplicates (an idempotency key,
    /// as Stripe's take), or that are safe to repeat for another reason.
    pub fn non_idempotent(mut self, retry: bool) -> Self {
        self.non_idempotent = retry;
        self
    }

    /// Whether a request with this method may be sent again.
    pub(crate) fn allows(&self, method: &Method) -> bool {
        self.non_idempotent
            || matches!(
                method.as_str(),
                "GET" | "HEAD" | "OPTIONS" | "PUT" | "DELETE" | "TRACE" | "QUERY"
            )
    }

    /// The wait before attempt `attempt + 1` (1-based `attempt` just failed), or `None` when
    /// the policy gives up: out of attempts, or the wait would end past the deadline.
    pub(crate) fn next_delay(
        &self,
        attempt: u32,
        retry_after: Option<Duration>,
        started: Instant,
    ) -> Option<Duration> {
        if attempt >= self.max_attempts {
            return None;
        }
        let delay = retry_after.unwrap_or_else(|| self.backoff_delay(attempt));
        match self.deadline {
            Some(deadline) if started.elapsed() + delay >= deadline => None,
            _ => Some(delay),
        }
    }

    /// Exponential backoff with "equal jitter": half the step fixed, half random.
    fn backoff_delay(&self, attempt: u32) -> Duration {
        let factor = 1u32
            .checked_shl(attempt.saturating_sub(1))
            .unwrap_or(u32::MAX);
        let step = self
            .initial_delay
            .saturating_mul(factor)
            .min(self.max_delay);
        let half = step / 2;
        let nanos = u64::try_from(half.as_nanos()).unwrap_or(u64::MAX);
        half + Duration::from_nanos(random() % nanos.saturating_add(1))
    }

    /// The time left before the deadline, to bound one attempt.
    pub(crate) fn remaining(&self, started: Instant) -> Option<Duration> {
        self.deadline
            .map(|deadline| deadline.saturating_sub(started.elapsed()))
    }
}

/// A random number from the standard library's per-process hash keys (no `rand` dependency:
/// jitter needs spread, not quality).
fn random() -> u64 {
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u128(
        SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos()),
    );
    hasher.finish()
}

/// Whether a response with this status is worth sending again.
pub(crate) fn retryable_status(status: StatusCode) -> bool {
    matches!(status.as_u16(), 429 | 502 | 503 | 504)
}

/// Whether a reqwest failure means no response came back: the connection could not be made,
/// or broke before an answer (not a timeout: the server may still be working on it).
pub(crate) fn retryable_error(error: &reqwest::Error) -> bool {
    error.is_connect() || (error.is_request() && !error.is_timeout())
}

/// `Retry-After` as a wait: delay-seconds, or an HTTP date (a date already past is no wait).
pub(crate) fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let text = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(seconds) = text.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let date = httpdate::parse_http_date(text).ok()?;
    Some(
        date.duration_since(SystemTime::now())
            .unwrap_or(Duration::ZERO),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    #[test]
    fn retry_after_seconds_and_dates() {
        let mut h = HeaderMap::new();
        assert_eq!(retry_after(&h), None);
        h.insert(RETRY_AFTER, HeaderValue::from_static("3"));
        assert_eq!(retry_after(&h), Some(Duration::from_secs(3)));
        h.insert(RETRY_AFTER, HeaderValue::from_static("soon"));
        assert_eq!(retry_after(&h), None);
        h.insert(
            RETRY_AFTER,
            HeaderValue::from_static("Sun, 06 Nov 1994 08:49:37 GMT"),
        );
        assert_eq!(retry_after(&h), Some(Duration::ZERO), "a past date");
        let later = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(120));
        h.insert(RETRY_AFTER, HeaderValue::from_str(&later).unwrap());
        let wait = retry_after(&h).unwrap();
        assert!(wait > Duration::from_secs(110) && wait <= Duration::from_secs(120));
    }

    #[test]
    fn backoff_grows_with_jitter_and_respects_limits() {
        let p = RetryPolicy::new()
            .max_attempts(5)
            .backoff(Duration::from_millis(100), Duration::from_millis(300))
            .deadline(None);
        let now = Instant::now();
        for _ in 0..50 {
            let d1 = p.next_delay(1, None, now).unwrap();
            assert!(d1 >= Duration::from_millis(50) && d1 <= Duration::from_millis(100));
            let d2 = p.next_delay(2, None, now).unwrap();
            assert!(d2 >= Duration::from_millis(100) && d2 <= Duration::from_millis(200));
            let d4 = p.next_delay(4, None, now).unwrap();
            assert!(d4 >= Duration::from_millis(150) && d4 <= Duration::from_millis(300));
        }
        assert_eq!(p.next_delay(5, None, now), None, "out of attempts");
        assert_eq!(
            p.next_delay(1, Some(Duration::from_secs(7)), now),
            Some(Duration::from_secs(7)),
            "Retry-After wins over the backoff"
        );
        let p = p.deadline(Some(Duration::from_secs(1)));
        assert_eq!(p.next_delay(1, Some(Duration::from_secs(2)), now), None);
        assert!(p.next_delay(1_000, None, now).is_none());
        let huge = RetryPolicy::new().max_attempts(u32::MAX).deadline(None);
        assert!(huge.next_delay(200, None, now).unwrap() <= Duration::from_secs(5));
    }

    #[test]
    fn methods() {
        let p = RetryPolicy::new();
        for m in ["GET", "HEAD", "OPTIONS", "PUT", "DELETE", "QUERY"] {
            assert!(p.allows(&Method::from_bytes(m.as_bytes()).unwrap()), "{m}");
        }
        assert!(!p.allows(&Method::POST));
        assert!(!p.allows(&Method::PATCH));
        assert!(p.clone().non_idempotent(true).allows(&Method::POST));
    }
}
