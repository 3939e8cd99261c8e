//! Retries over a real socket: a scripted server on 127.0.0.1 answers each request with the
//! next status of its script and counts what it received.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::http::{HeaderMap, StatusCode};
use axum::routing::any;
use reqwest::Method;

use super::*;

/// A status and the `Retry-After` to send with it.
pub(super) type Answer = (u16, Option<&'static str>);

/// Statuses to answer in order (the last one repeats), with an optional `Retry-After`.
#[derive(Clone, Default)]
pub(super) struct Script {
    pub(super) answers: Arc<Mutex<Vec<Answer>>>,
    pub(super) received: Arc<AtomicUsize>,
    pub(super) headers: Arc<Mutex<Vec<HeaderMap>>>,
}

impl Script {
    pub(super) fn new(answers: &[Answer]) -> Self {
        Script {
            answers: Arc::new(Mutex::new(answers.to_vec())),
            ..Script::default()
        }
    }

    pub(super) fn received(&self) -> usize {
        self.received.load(Ordering::SeqCst)
    }

    /// The router: every path and method answers from the script.
    pub(super) fn router(&self) -> axum::Router {
        let script = self.clone();
        axum::Router::new().fallback(any(move |headers: HeaderMap| {
            let script = script.clone();
            async move {
                script.received.fetch_add(1, Ordering::SeqCst);
                script.headers.lock().unwrap().push(headers);
                let mut answers = script.answers.lock().unwrap();
                let (status, retry_after) = if answers.len() > 1 {
                    answers.remove(0)
                } else {
                    answers[0]
                };
                let mut response = axum::response::Response::new(axum::body::Body::from(format!(
                    "{{\"status\":{status}}}"
                )));
                *response.status_mut() = StatusCode::from_u16(status).unwrap();
                if let Some(after) = retry_after {
                    response
                        .headers_mut()
                        .insert("retry-after", after.parse().unwrap());
                }
                response
            }
        }))
    }

    /// Serve the router on 127.0.0.1; the base URL.
    pub(super) async fn serve(&self) -> String {
        serve(self.router()).await
    }
}

pub(super) async fn serve(router: axum::Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await });
    format!("http://{address}")
}

/// The status of a request, whatever the outcome (0 for a failure without a response).
pub(super) async fn status(request: Request<'_>) -> Result<u16, Error<()>> {
    let sent = request.send::<serde_json::Value, ()>(|r| match r.status() {
        200..=299 => r.ok(json),
        _ => r.unexpected(),
    });
    match sent.await {
        Ok(v) => Ok(v.status().as_u16()),
        Err(e) => e.status().map(|s| s.as_u16()).ok_or(e),
    }
}

fn fast() -> RetryPolicy {
    RetryPolicy::new()
        .max_attempts(4)
        .backoff(Duration::from_millis(1), Duration::from_millis(5))
}

static NONE: &[Scheme] = &[];

#[tokio::test]
async fn idempotent_requests_are_retried_until_success() {
    let script = Script::new(&[(503, None), (502, None), (504, None), (200, None)]);
    let core = Core::new(script.serve().await, NONE).configure(|o| o.retry(fast()));
    let got = status(core.request(Method::GET).path("/a")).await.unwrap();
    assert_eq!((got, script.received()), (200, 4));
}

#[tokio::test]
async fn attempts_are_capped() {
    let script = Script::new(&[(429, None)]);
    let core = Core::new(script.serve().await, NONE).configure(|o| o.retry(fast().max_attempts(3)));
    let got = status(core.request(Method::PUT).path("/a")).await.unwrap();
    assert_eq!(
        (got, script.received()),
        (429, 3),
        "the last response is returned"
    );
}

#[tokio::test]
async fn other_statuses_and_no_policy_are_not_retried() {
    let script = Script::new(&[(500, None), (200, None)]);
    let url = script.serve().await;
    let core = Core::new(url.clone(), NONE).configure(|o| o.retry(fast()));
    assert_eq!(
        status(core.request(Method::GET).path("/a")).await.unwrap(),
        500
    );
    assert_eq!(script.received(), 1);
    let script = Script::new(&[(503, None), (200, None)]);
    let plain = Core::new(script.serve().await, NONE);
    assert_eq!(
        status(plain.request(Method::GET).path("/a")).await.unwrap(),
        503
    );
    assert_eq!(script.received(), 1, "no policy, no retry");
}

#[tokio::test]
async fn post_is_retried_only_when_the_user_opts_in() {
    let script = Script::new(&[(503, None), (200, None)]);
    let url = script.serve().await;
    let core = Core::new(url, NONE).configure(|o| o.retry(fast()));
    let post = || {
        core.request(Method::POST)
            .path("/a")
            .json(&1, "application/json")
    };
    assert_eq!(status(post()).await.unwrap(), 503);
    assert_eq!(script.received(), 1);
    let opted = core.configure(|o| o.retry(fast().non_idempotent(true)));
    let retried = opted
        .request(Method::POST)
        .path("/a")
        .json(&serde_json::json!({"k": 1}), "application/json");
    // The script's 200 is next: one more request.
    *script.answers.lock().unwrap() = vec![(503, None), (200, None)];
    assert_eq!(status(retried).await.unwrap(), 200);
    assert_eq!(script.received(), 3);
}

#[tokio::test]
async fn streamed_bodies_are_sent_once() {
    let script = Script::new(&[(503, None), (200, None)]);
    let core =
        Core::new(script.serve().await, NONE).configure(|o| o.retry(fast().non_idempotent(true)));
    let form = Multipart::new().field("a", "b");
    let got = status(core.request(Method::PUT).path("/a").multipart(form)).await;
    assert_eq!((got.unwrap(), script.received()), (503, 1));
}

#[tokio::test]
async fn retry_after_is_honoured_in_seconds_and_dates() {
    let script = Script::new(&[(429, Some("1")), (200, None)]);
    let core = Core::new(script.serve().await, NONE).configure(|o| o.retry(fast()));
    let start = Instant::now();
    assert_eq!(
        status(core.request(Method::GET).path("/a")).await.unwrap(),
        200
    );
    assert!(
        start.elapsed() >= Duration::from_secs(1),
        "{:?}",
        start.elapsed()
    );
    // A date in the past: no wait at all.
    *script.answers.lock().unwrap() =
        vec![(503, Some("Sun, 06 Nov 1994 08:49:37 GMT")), (200, None)];
    let start = Instant::now();
    assert_eq!(
        status(core.request(Method::GET).path("/a")).await.unwrap(),
        200
    );
    assert!(start.elapsed() < Duration::from_secs(1));
    assert_eq!(script.received(), 4);
}

#[tokio::test]
async fn the_deadline_ends_retries() {
    // The server asks for 30 s; the deadline is 1 s: give up at once with the 503.
    let script = Script::new(&[(503, Some("30")), (200, None)]);
    let core = Core::new(script.serve().await, NONE)
        .configure(|o| o.retry(fast().deadline(Some(Duration::from_secs(1)))));
    let start = Instant::now();
    assert_eq!(
        status(core.request(Method::GET).path("/a")).await.unwrap(),
        503
    );
    assert!(start.elapsed() < Duration::from_secs(1));
    assert_eq!(script.received(), 1);
    // Backoffs that add up past the deadline stop too.
    let script = Script::new(&[(503, None)]);
    let core = Core::new(script.serve().await, NONE).configure(|o| {
        o.retry(
            RetryPolicy::new()
                .max_attempts(100)
                .backoff(Duration::from_millis(100), Duration::from_millis(100))
                .deadline(Some(Duration::from_millis(450))),
        )
    });
    let start = Instant::now();
    assert_eq!(
        status(core.request(Method::GET).path("/a")).await.unwrap(),
        503
    );
    assert!(start.elapsed() < Duration::from_millis(900));
    let n = script.received();
    assert!(
        (5..=10).contains(&n),
        "{n} attempts in 450 ms at 50-100 ms each"
    );
}

#[tokio::test]
async fn connection_failures_are_retried() {
    // A port nothing listens on.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    let attempts = Arc::new(AtomicUsize::new(0));
    struct Count(Arc<AtomicUsize>);
    impl Hook for Count {
        fn before_send(
            &self,
            _: &mut reqwest::Request,
            op: &Operation<'_>,
        ) -> Result<(), BoxError> {
            assert_eq!(
                op.attempt as usize,
                self.0.fetch_add(1, Ordering::SeqCst) + 1
            );
            Ok(())
        }
    }
    let core = Core::new(url, NONE).configure(|o| {
        o.retry(fast().max_attempts(3))
            .hook(Count(attempts.clone()))
    });
    let err = status(core.request(Method::GET).path("/a"))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Transport(e) if e.is_connect()),
        "{err:?}"
    );
    assert_eq!(attempts.load(Ordering::SeqCst), 3);
}
