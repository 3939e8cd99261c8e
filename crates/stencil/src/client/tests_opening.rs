//! Streamed requests and responses go through the same exchange as other calls: hooks, extra
//! headers, the per-request timeout (bounding the opening only), the span, retries before the
//! stream starts and never with a streamed body; over a real socket and in-process.

use std::convert::Infallible;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::http::HeaderMap as AxumHeaders;
use futures_util::StreamExt as _;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use reqwest::{Method, StatusCode};

use super::tests_hooks::record;
use super::tests_retry::serve;
use super::*;

/// A server of events: answers 503 to the first `unavailable` requests, then two events
/// (`id: <request number>`), sent `gap` apart; records every request's headers.
#[derive(Clone, Default)]
struct Events {
    unavailable: usize,
    gap: Duration,
    received: Arc<AtomicUsize>,
    headers: Arc<Mutex<Vec<AxumHeaders>>>,
}

impl Events {
    fn router(&self) -> axum::Router {
        let this = self.clone();
        axum::Router::new().fallback(move |headers: AxumHeaders| {
            let this = this.clone();
            async move {
                let n = this.received.fetch_add(1, Ordering::SeqCst) + 1;
                this.headers.lock().unwrap().push(headers);
                if n <= this.unavailable {
                    let mut response = axum::response::Response::new(axum::body::Body::empty());
                    *response.status_mut() = axum::http::StatusCode::SERVICE_UNAVAILABLE;
                    return response;
                }
                let gap = this.gap;
                let chunks = futures_util::stream::iter(0..2).then(move |i| async move {
                    if i > 0 {
                        tokio::time::sleep(gap).await;
                    }
                    Ok::<_, Infallible>(format!("id: {n}\ndata: event {i} of request {n}\n\n"))
                });
                let mut response =
                    axum::response::Response::new(axum::body::Body::from_stream(chunks));
                response
                    .headers_mut()
                    .insert("content-type", "text/event-stream".parse().unwrap());
                response
            }
        })
    }

    fn received(&self) -> usize {
        self.received.load(Ordering::SeqCst)
    }

    fn header(&self, request: usize, name: &str) -> Option<String> {
        let headers = self.headers.lock().unwrap();
        headers[request]
            .get(name)
            .map(|v| v.to_str().unwrap().to_owned())
    }
}

/// Records each hook call, and adds an `x-attempt` header.
struct Log(Arc<Mutex<Vec<String>>>);

impl Hook for Log {
    fn before_send(
        &self,
        request: &mut reqwest::Request,
        op: &Operation<'_>,
    ) -> Result<(), BoxError> {
        request
            .headers_mut()
            .insert("x-attempt", op.attempt.to_string().parse()?);
        self.0.lock().unwrap().push(format!(
            "before {} {} attempt {}",
            op.id.unwrap_or("-"),
            op.template,
            op.attempt
        ));
        Ok(())
    }

    fn after_receive(&self, status: StatusCode, _: &HeaderMap, op: &Operation<'_>) {
        self.0.lock().unwrap().push(format!(
            "after {} {}",
            op.id.unwrap_or("-"),
            status.as_u16()
        ));
    }
}

fn decode(response: Response) -> Result<ResponseValue<Infallible>, Error<()>> {
    response.unexpected()
}

/// The data of every event of a `watch` operation (GET /events/{topic}) on `core`.
async fn watch(core: &Core) -> Result<Vec<String>, Error<()>> {
    let stream = core
        .request(Method::GET)
        .operation("watch")
        .path("/events/")
        .segment("topic", "t")
        .events(text_event, decode)
        .await?;
    let events: Vec<_> = stream.collect().await;
    events
        .into_iter()
        .map(|e| e.map(|e| e.data))
        .collect::<Result<_, _>>()
}

fn fast() -> RetryPolicy {
    RetryPolicy::new().backoff(Duration::from_millis(1), Duration::from_millis(2))
}

#[tokio::test]
async fn streams_run_hooks_extra_headers_and_retries_before_they_start() {
    for in_process in [false, true] {
        let server = Events {
            unavailable: 1,
            ..Events::default()
        };
        let log = Arc::new(Mutex::new(Vec::new()));
        let base = if in_process {
            Core::with_transport(
                "http://events.test",
                Transport::service(server.router()),
                &[],
            )
        } else {
            Core::new(serve(server.router()).await, &[])
        };
        let core = base.configure(|o| {
            o.hook(Log(log.clone())).retry(fast()).header(
                HeaderName::from_static("x-extra"),
                HeaderValue::from_static("e"),
            )
        });
        let data = watch(&core).await.unwrap();
        assert_eq!(
            data,
            ["event 0 of request 2", "event 1 of request 2"],
            "in process: {in_process}"
        );
        assert_eq!(server.received(), 2, "the 503 was retried");
        assert_eq!(server.header(1, "x-attempt").as_deref(), Some("2"));
        assert_eq!(server.header(1, "x-extra").as_deref(), Some("e"));
        assert_eq!(
            server.header(1, "accept").as_deref(),
            Some("text/event-stream")
        );
        assert_eq!(
            *log.lock().unwrap(),
            [
                "before watch /events/{topic} attempt 1",
                "after watch 503",
                "before watch /events/{topic} attempt 2",
                "after watch 200",
            ]
        );
    }
}

#[tokio::test]
async fn a_retryable_status_past_the_attempts_is_the_operations_error() {
    let server = Events {
        unavailable: 10,
        ..Events::default()
    };
    let core =
        Core::new(serve(server.router()).await, &[]).configure(|o| o.retry(fast().max_attempts(3)));
    let err = watch(&core).await.unwrap_err();
    assert_eq!(
        err.status(),
        Some(StatusCode::SERVICE_UNAVAILABLE),
        "{err:?}"
    );
    assert_eq!(server.received(), 3);
}

#[tokio::test]
async fn a_streamed_request_body_is_sent_once() {
    let server = Events {
        unavailable: 10,
        ..Events::default()
    };
    let core = Core::new(serve(server.router()).await, &[]).configure(|o| o.retry(fast()));
    let chunks = futures_util::stream::iter(["a", "b"].map(Ok::<_, Infallible>));
    let opened = core
        .request(Method::PUT)
        .operation("upload")
        .path("/upload")
        .body_stream(reqwest::Body::wrap_stream(chunks), "text/plain")
        .byte_stream(decode)
        .await;
    let err = opened.err().expect("503");
    assert_eq!(err.status(), Some(StatusCode::SERVICE_UNAVAILABLE));
    assert_eq!(
        server.received(),
        1,
        "PUT is idempotent, but its body is gone"
    );
    // The same body held whole is retried.
    let opened = core
        .request(Method::PUT)
        .path("/upload")
        .text("ab".to_owned(), "text/plain")
        .byte_stream(decode)
        .await;
    assert!(opened.is_err());
    assert_eq!(server.received(), 1 + 3);
}

#[tokio::test]
async fn the_timeout_bounds_the_opening_not_the_stream() {
    // Events 400 ms apart under a 200 ms timeout: the stream is read to its end.
    let server = Events {
        gap: Duration::from_millis(400),
        ..Events::default()
    };
    let url = serve(server.router()).await;
    let core = Core::new(url, &[]).configure(|o| o.timeout(Duration::from_millis(200)));
    assert_eq!(watch(&core).await.unwrap().len(), 2);
    // A head that takes longer than the timeout fails the opening.
    let slow = axum::Router::new().fallback(|| async {
        tokio::time::sleep(Duration::from_secs(3)).await;
        "late"
    });
    let core =
        Core::new(serve(slow).await, &[]).configure(|o| o.timeout(Duration::from_millis(200)));
    let started = std::time::Instant::now();
    let err = watch(&core).await.unwrap_err();
    assert!(
        matches!(&err, Error::Custom(e) if e.is::<tokio::time::error::Elapsed>()),
        "{err:?}"
    );
    assert!(started.elapsed() < Duration::from_secs(2));
}

#[tokio::test]
async fn reconnecting_goes_through_the_hooks_again() {
    let server = Events::default();
    let log = Arc::new(Mutex::new(Vec::new()));
    let core = Core::new(serve(server.router()).await, &[]).configure(|o| o.hook(Log(log.clone())));
    let stream = core
        .request(Method::GET)
        .operation("watch")
        .path("/events")
        .events(text_event, decode)
        .await
        .unwrap()
        .reconnect(Reconnect::default().delay(Duration::from_millis(1)));
    let data: Vec<String> = stream.take(4).map(|e| e.unwrap().data).collect().await;
    assert_eq!(
        data,
        [
            "event 0 of request 1",
            "event 1 of request 1",
            "event 0 of request 2",
            "event 1 of request 2"
        ]
    );
    assert_eq!(server.header(1, "last-event-id").as_deref(), Some("1"));
    assert_eq!(server.header(1, "x-attempt").as_deref(), Some("1"));
    let log = log.lock().unwrap();
    assert_eq!(
        log[..4],
        [
            "before watch /events attempt 1",
            "after watch 200",
            "before watch /events attempt 1",
            "after watch 200"
        ]
    );
}

#[test]
fn a_stream_opening_has_its_span() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let server = Events::default();
    let core = Core::new(runtime.block_on(serve(server.router())), &[]);
    let out = record(|| {
        runtime.block_on(watch(&core)).unwrap();
    });
    for expected in [
        "http.client.request{",
        "otel.name=\"watch\"",
        "http.request.method=\"GET\"",
        "url.template=\"/events/{topic}\"",
        "http.response.status_code=200",
    ] {
        assert!(out.contains(expected), "{expected} not in:\n{out}");
    }
}
