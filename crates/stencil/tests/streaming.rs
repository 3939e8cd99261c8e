//! Streamed responses end to end: the runtime's server helpers on a real axum server on
//! 127.0.0.1, the runtime's client streams reading them.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;
use bytes::Bytes;
use futures_util::{stream, StreamExt};
use stencil::client::{
    from_event, json_event, text_event, Core, Error, Event, EventStream, FromEvent, Opening,
    Reconnect, StreamConfig, StreamError,
};
use stencil::server::Events;
use tokio::sync::oneshot;

mod support;

use support::{chunks, decode, raw, serve, tick, within, Problem, Tick};

/// The events of `GET /sse`.
fn open(core: &Core, config: StreamConfig) -> Opening<EventStream<Tick, Problem>, Problem> {
    core.request(reqwest::Method::GET)
        .path("/sse")
        .events(json_event::<Tick>, decode)
        .config(config)
}

#[tokio::test]
async fn ten_thousand_typed_events_arrive_in_order() {
    let router = Router::new().route(
        "/sse",
        get(|| async {
            Events::new(stream::iter(
                (0..10_000).map(|n| Event::new(tick(n)).event("tick").id(n.to_string())),
            ))
        }),
    );
    let core = serve(router).await;
    within(async {
        let mut events = open(&core, StreamConfig::default()).await.unwrap();
        assert_eq!(events.status(), 200);
        let mut n = 0;
        while let Some(event) = events.next().await {
            let event = event.unwrap();
            assert_eq!(event.data, tick(n));
            assert_eq!(event.event, "tick");
            assert_eq!(event.id.as_deref(), Some(n.to_string().as_str()));
            n += 1;
        }
        assert_eq!(n, 10_000);
    })
    .await;
}

#[tokio::test]
async fn the_first_event_arrives_before_the_server_produced_the_last() {
    let (release, released) = oneshot::channel::<()>();
    let released = Arc::new(tokio::sync::Mutex::new(Some(released)));
    let router = Router::new().route(
        "/sse",
        get(move || {
            let released = released.clone();
            async move {
                let gate = released.lock().await.take().unwrap();
                let first = stream::once(async { Event::new(tick(1)) });
                // The second event is produced only once the client has the first.
                let second = stream::once(async move {
                    gate.await.unwrap();
                    Event::new(tick(2))
                });
                Events::new(first.chain(second))
            }
        }),
    );
    let core = serve(router).await;
    within(async {
        let mut events = open(&core, StreamConfig::default()).await.unwrap();
        assert_eq!(events.next().await.unwrap().unwrap().data, tick(1));
        release.send(()).unwrap();
        assert_eq!(events.next().await.unwrap().unwrap().data, tick(2));
        assert!(events.next().await.is_none());
    })
    .await;
}

#[tokio::test]
async fn done_ends_the_stream_and_a_bad_event_does_not() {
    let router = Router::new().route(
        "/sse",
        get(|| async {
            let body = chunks(&[
                ": a comment\n\nevent: tick\ndata: {\"n\": 1,",
                " \"text\": \"one\"}\nretry: 250\n\n",
                "id: 7\r\ndata: not json\r\n\r\n",
                "data: {\"n\": 2, \"text\": \"two\"}\n\ndata: [DONE]\n\n",
            ])
            // After `[DONE]` the server keeps the connection open: the client must not wait.
            .chain(stream::pending());
            raw("text/event-stream; charset=utf-8", body)
        }),
    );
    let core = serve(router).await;
    within(async {
        let mut events = open(&core, StreamConfig::default()).await.unwrap();
        let first = events.next().await.unwrap().unwrap();
        assert_eq!(first.event, "tick");
        assert_eq!(first.retry, Some(Duration::from_millis(250)));
        assert_eq!(first.data.text, "one");
        match events.next().await.unwrap() {
            Err(Error::Stream(StreamError::BadEvent { event, message })) => {
                assert_eq!(event.data, "not json");
                assert_eq!(event.id.as_deref(), Some("7"));
                assert_eq!(event.event, "message");
                assert!(message.contains("expected"), "{message}");
            }
            other => panic!("expected a bad event, got {other:?}"),
        }
        let third = events.next().await.unwrap().unwrap();
        assert_eq!((third.data.n, third.id.as_deref()), (2, Some("7")));
        assert!(events.next().await.is_none());
        assert_eq!(events.last_event_id(), Some("7"));
    })
    .await;
}

/// Open `/sse` with `config` and collect every item, errors as their text.
async fn collect(core: &Core, config: StreamConfig) -> Vec<Result<u32, String>> {
    open(core, config)
        .await
        .unwrap()
        .map(|item| item.map(|e| e.data.n).map_err(|e| format!("{e:?}")))
        .collect()
        .await
}

#[tokio::test]
async fn an_over_long_line_ends_the_stream_with_an_error() {
    let router = Router::new().route(
        "/sse",
        get(|| async {
            let long = format!("data: \"{}\"\n\n", "x".repeat(5000));
            let body = chunks(&["data: {\"n\": 1, \"text\": \"\"}\n\n"])
                .chain(stream::iter([Ok(Bytes::from(long))]))
                .chain(chunks(&["data: {\"n\": 2, \"text\": \"\"}\n\n"]));
            raw("text/event-stream", body)
        }),
    );
    let core = serve(router).await;
    let got = within(collect(&core, StreamConfig::default().max_line(1024))).await;
    assert_eq!(got.len(), 2, "{got:?}");
    assert_eq!(got[0], Ok(1));
    assert_eq!(
        got[1].as_ref().unwrap_err(),
        "Stream(LineTooLong { limit: 1024 })"
    );
    // An event of many short lines is held to the event limit.
    let got = within(collect(&core, StreamConfig::default().max_event(64))).await;
    assert_eq!(got[0], Ok(1));
    assert!(got[1].as_ref().unwrap_err().contains("EventTooLarge"));
}

#[tokio::test]
async fn a_silent_server_times_out() {
    let router = Router::new().route(
        "/sse",
        get(|| async {
            raw(
                "text/event-stream",
                chunks(&["data: {\"n\": 1, \"text\": \"\"}\n\n"]).chain(stream::pending()),
            )
        }),
    );
    let core = serve(router).await;
    let config = StreamConfig::default().read_timeout(Some(Duration::from_millis(200)));
    let got = within(collect(&core, config)).await;
    assert_eq!(got, vec![Ok(1), Err("Stream(Timeout(200ms))".to_owned())]);
}

#[tokio::test]
async fn a_cut_connection_is_an_error() {
    let router = Router::new().route(
        "/sse",
        get(|| async {
            // Cut once the first event is surely on its way.
            let cut = stream::once(async {
                tokio::time::sleep(Duration::from_millis(100)).await;
                Err(std::io::Error::other("cut"))
            });
            raw(
                "text/event-stream",
                chunks(&["data: {\"n\": 1, \"text\": \"\"}\n\ndata: {\"n\""]).chain(cut),
            )
        }),
    );
    let core = serve(router).await;
    let got = within(collect(&core, StreamConfig::default())).await;
    assert_eq!(got.len(), 2, "{got:?}");
    assert_eq!(got[0], Ok(1));
    assert!(got[1]
        .as_ref()
        .unwrap_err()
        .starts_with("Stream(Interrupted("));
}

#[tokio::test]
async fn the_wrong_content_type_and_declared_errors_fail_before_streaming() {
    let router = Router::new()
        .route("/json", get(|| async { axum::Json(tick(1)) }))
        .route(
            "/problem",
            get(|| async {
                (
                    axum::http::StatusCode::BAD_REQUEST,
                    axum::Json(serde_json::json!({"message": "no"})),
                )
            }),
        );
    let core = serve(router).await;
    within(async {
        let open = |path: &'static str| {
            core.request(reqwest::Method::GET)
                .path(path)
                .events(json_event::<Tick>, decode)
        };
        match open("/json").await {
            Err(Error::UnexpectedContentType {
                status,
                content_type,
                expected,
                ..
            }) => {
                assert_eq!(status, 200);
                assert_eq!(content_type.as_deref(), Some("application/json"));
                assert_eq!(expected, ["text/event-stream"]);
            }
            other => panic!("expected a content type error, got {:?}", other.err()),
        }
        match open("/problem").await {
            Err(Error::Api(problem)) => {
                assert_eq!(problem.status(), 400);
                assert_eq!(problem.message, "no");
            }
            other => panic!("expected the declared error, got {:?}", other.err()),
        }
    })
    .await;
}

/// Sends `()` when dropped: the server's stream was dropped.
struct Dropped(Option<oneshot::Sender<()>>);

impl Drop for Dropped {
    fn drop(&mut self) {
        if let Some(tx) = self.0.take() {
            let _ = tx.send(());
        }
    }
}

#[tokio::test]
async fn dropping_the_client_stream_ends_the_server_stream() {
    let (tx, dropped) = oneshot::channel();
    let guard = Arc::new(std::sync::Mutex::new(Some(Dropped(Some(tx)))));
    let router = Router::new().route(
        "/sse",
        get(move || {
            let guard = guard.lock().unwrap().take().unwrap();
            async move {
                // An endless stream that owns the guard.
                let ticks = stream::unfold((0, guard), |(n, guard)| async move {
                    tokio::time::sleep(Duration::from_millis(5)).await;
                    Some((Event::new(tick(n)), (n + 1, guard)))
                });
                Events::new(ticks)
            }
        }),
    );
    let core = serve(router).await;
    within(async {
        let mut events = open(&core, StreamConfig::default()).await.unwrap();
        assert_eq!(events.next().await.unwrap().unwrap().data.n, 0);
        drop(events);
        dropped.await.unwrap();
    })
    .await;
}

#[tokio::test]
async fn reconnection_sends_the_last_event_id() {
    let connections = Arc::new(AtomicUsize::new(0));
    let seen = connections.clone();
    let router = Router::new().route(
        "/sse",
        get(move |headers: axum::http::HeaderMap| {
            let n = seen.fetch_add(1, Ordering::SeqCst);
            assert_eq!(headers["accept"], "text/event-stream");
            async move {
                let last = headers
                    .get("last-event-id")
                    .map(|v| v.to_str().unwrap().to_owned());
                match (n, last.as_deref()) {
                    (0, None) => raw(
                        "text/event-stream",
                        chunks(&[
                            // `retry:` alone, before any event, sets the delay.
                            "retry: 10\n\nid: a\ndata: {\"n\": 1, \"text\": \"\"}\n\n",
                            "id: b\ndata: {\"n\": 2, \"text\": \"\"}\n\n",
                        ]),
                    ),
                    (1, Some("b")) => raw(
                        "text/event-stream",
                        chunks(&["id: c\ndata: {\"n\": 3, \"text\": \"\"}\n\ndata: [DONE]\n\n"]),
                    ),
                    _ => axum::http::StatusCode::CONFLICT.into_response(),
                }
            }
        }),
    );
    let core = serve(router).await;
    let got: Vec<u32> = within(async {
        open(&core, StreamConfig::default())
            .await
            .unwrap()
            // Without the server's `retry: 10` this would wait a minute.
            .reconnect(Reconnect::default().delay(Duration::from_secs(60)))
            .map(|e| e.unwrap().data.n)
            .collect()
            .await
    })
    .await;
    assert_eq!(got, [1, 2, 3]);
    assert_eq!(connections.load(Ordering::SeqCst), 2);
}

/// A payload keyed by the event type, as generated for a 3.2 `itemSchema` `oneOf` over `event`.
#[derive(Debug, PartialEq)]
enum Update {
    Tick(Tick),
    Note(String),
}

impl FromEvent for Update {
    fn from_event(event: &str, data: &str) -> Result<Self, String> {
        match event {
            "tick" => json_event(event, data).map(Update::Tick),
            "note" => text_event(event, data).map(Update::Note),
            other => Err(format!("unknown event type `{other}`")),
        }
    }
}

#[tokio::test]
async fn payloads_keyed_by_event_type_and_text_events() {
    let router = Router::new().route(
        "/sse",
        get(|| async {
            Events::text(stream::iter([
                Event::new(r#"{"n": 1, "text": "a"}"#.to_owned()).event("tick"),
                // Line breaks of every kind become `data:` lines, joined by LF on arrival.
                Event::new("two\r\nlines\rand\nmore".to_owned()).event("note"),
                // An event type that cannot be written on one line is left out: `message`.
                Event::new("x".to_owned()).event("bad\nname").id("bad\0id"),
            ]))
        }),
    );
    let core = serve(router).await;
    let got: Vec<_> = within(async {
        core.request(reqwest::Method::GET)
            .path("/sse")
            .events(from_event::<Update>, decode)
            .await
            .unwrap()
            .map(|e| e.map(|e| e.data).map_err(|e| e.to_string()))
            .collect()
            .await
    })
    .await;
    assert_eq!(got.len(), 3);
    assert_eq!(got[0], Ok(Update::Tick(tick_text(1, "a"))));
    assert_eq!(got[1], Ok(Update::Note("two\nlines\nand\nmore".to_owned())));
    assert_eq!(
        got[2],
        Err("the `message` event does not decode: unknown event type `message`".to_owned())
    );
}

fn tick_text(n: u32, text: &str) -> Tick {
    Tick {
        n,
        text: text.to_owned(),
    }
}

#[tokio::test]
async fn keep_alive_comments_keep_a_quiet_stream_within_the_read_timeout() {
    let router = Router::new().route(
        "/sse",
        get(|| async {
            let late = stream::once(async {
                tokio::time::sleep(Duration::from_millis(600)).await;
                Event::new(tick(1))
            });
            Events::new(late).keep_alive(Duration::from_millis(50))
        }),
    );
    let core = serve(router).await;
    let config = StreamConfig::default().read_timeout(Some(Duration::from_millis(300)));
    assert_eq!(within(collect(&core, config)).await, vec![Ok(1)]);
}

#[test]
fn streams_and_their_futures_can_move_across_threads() {
    fn send<T: Send + 'static>() {}
    send::<Opening<EventStream<Tick, Problem>, Problem>>();
    send::<EventStream<Tick, Problem>>();
    send::<stencil::client::JsonLines<Tick, Problem>>();
    send::<stencil::client::ByteStream<Problem>>();
    send::<Events<Tick>>();
    send::<stencil::server::Parts>();
}
