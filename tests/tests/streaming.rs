//! The generated `streaming` crate (specs/fixtures/streaming.yaml): its client and server talk
//! server-sent events, JSON Lines and JSON-or-events on 127.0.0.1, typed end to end.

use std::sync::Mutex;
use std::time::Duration;

use futures_util::{stream, StreamExt};
use stencil::bytes::Bytes;
use stencil::client::Error;
use stencil::server::{Event, Events, JsonLines};
use stencil::Nullable;
use streaming::client::{Client, TicksError};
use streaming::server::{self as api, Api};
use streaming::types::{ChatChunk, ChatRequest, ChatResponse, Item, Problem, Received, Tick};
use tokio::sync::oneshot;

#[derive(Default)]
struct Streams {
    /// `GET /ticks?count=2` sends its second tick only once this is released.
    gate: Mutex<Option<oneshot::Receiver<()>>>,
    /// The last multipart body `POST /files` received.
    attached: std::sync::Arc<Mutex<Option<api::AttachRequest>>>,
}

fn tick(n: i32) -> Tick {
    Tick {
        n,
        text: format!("tick {n}"),
    }
}

impl Api for Streams {
    type Error = stencil::server::Error;

    async fn ticks(&self, request: api::TicksRequest) -> Result<api::TicksResponse, Self::Error> {
        if request.count > 100_000 {
            return Ok(api::TicksResponse::BadRequest(Problem {
                message: "too many".into(),
            }));
        }
        let gate = self
            .gate
            .lock()
            .unwrap()
            .take()
            .filter(|_| request.count == 2);
        let ticks = stream::iter(0..request.count).map(|n| Event::new(tick(n)).id(n.to_string()));
        Ok(api::TicksResponse::Ok(match gate {
            // The second event is produced only once the client has the first.
            Some(gate) => Events::new(stream::once(async { Event::new(tick(0)) }).chain(
                stream::once(async move {
                    gate.await.unwrap();
                    Event::new(tick(1))
                }),
            )),
            None => Events::new(ticks),
        }))
    }

    async fn chat(&self, request: api::ChatRequest) -> Result<api::ChatResponse, Self::Error> {
        let words: Vec<String> = request.body.prompt.split(' ').map(str::to_owned).collect();
        if request.body.stream == Some(true) {
            let chunks = stream::iter(words).map(|w| Event::new(ChatChunk { delta: w }));
            return Ok(api::ChatResponse::OkEvents(Events::new(chunks)));
        }
        Ok(api::ChatResponse::Ok(ChatResponse {
            text: words.join(" "),
        }))
    }

    async fn items(&self, _: api::ItemsRequest) -> Result<api::ItemsResponse, Self::Error> {
        let items = stream::iter(0..3).map(|id| Item {
            id,
            name: Some(format!("item {id}")),
        });
        Ok(api::ItemsResponse::Ok(JsonLines::new(items)))
    }

    async fn log(&self, _: api::LogRequest) -> Result<api::LogResponse, Self::Error> {
        let lines = ["started", "two\nlines"].map(|l| Event::new(l.to_owned()));
        Ok(api::LogResponse::Ok(Events::text(stream::iter(lines))))
    }

    async fn download(
        &self,
        _: api::DownloadRequest,
    ) -> Result<api::DownloadResponse, Self::Error> {
        Ok(api::DownloadResponse::Ok(vec![7u8; 100_000].into()))
    }

    async fn upload(
        &self,
        request: api::UploadRequest,
    ) -> Result<api::UploadResponse, Self::Error> {
        Ok(api::UploadResponse::Ok(Received {
            size: request.body.len() as i64,
        }))
    }

    async fn attach(
        &self,
        request: api::AttachRequest,
    ) -> Result<api::AttachResponse, Self::Error> {
        let size = request.body.file.len() as i64;
        *self.attached.lock().unwrap() = Some(request);
        Ok(api::AttachResponse::Ok(Received { size }))
    }
}

async fn start(api: Streams) -> Client {
    let router = api::router(api);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    Client::new(format!("http://{addr}"))
}

/// [`start`] with the default handlers and the server's `config`.
async fn start_with(config: stencil::server::Config) -> Client {
    let router = api::router_with(stencil::server::Server::with_config(
        Streams::default(),
        config,
    ));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    Client::new(format!("http://{addr}"))
}

async fn within<T>(future: impl std::future::Future<Output = T>) -> T {
    tokio::time::timeout(Duration::from_secs(30), future)
        .await
        .expect("the test took longer than 30 s")
}

#[tokio::test]
async fn ten_thousand_typed_events_arrive_in_order() {
    let client = start(Streams::default()).await;
    within(async {
        let mut events = client.ticks(10_000).await.unwrap();
        let mut n = 0;
        while let Some(event) = events.next().await {
            let event = event.unwrap();
            assert_eq!(event.data, tick(n));
            assert_eq!(event.id, Some(n.to_string()));
            n += 1;
        }
        assert_eq!(n, 10_000);
    })
    .await;
}

#[tokio::test]
async fn the_first_event_arrives_before_the_server_produced_the_last() {
    let (release, gate) = oneshot::channel();
    let client = start(Streams {
        gate: Mutex::new(Some(gate)),
        ..Streams::default()
    })
    .await;
    within(async {
        let mut events = client.ticks(2).await.unwrap();
        assert_eq!(events.next().await.unwrap().unwrap().data, tick(0));
        release.send(()).unwrap();
        assert_eq!(events.next().await.unwrap().unwrap().data, tick(1));
        assert!(events.next().await.is_none());
    })
    .await;
}

#[tokio::test]
async fn a_declared_error_decodes_before_anything_streams() {
    let client = start(Streams::default()).await;
    match within(client.ticks(1_000_000).send()).await {
        Err(Error::Api(e)) => {
            assert_eq!(e.status(), 400);
            assert!(matches!(e.into_inner(), TicksError::BadRequest(p) if p.message == "too many"));
        }
        other => panic!("expected the declared 400, got {:?}", other.err()),
    }
}

#[tokio::test]
async fn one_status_answers_json_or_events() {
    let client = start(Streams::default()).await;
    let ask = |stream| ChatRequest {
        prompt: "hello streaming world".into(),
        stream: Some(stream),
    };
    within(async {
        let whole = client.chat(ask(false)).await.unwrap();
        assert_eq!(whole.text, "hello streaming world");
        let deltas: Vec<String> = client
            .chat(ask(true))
            .send_events()
            .await
            .unwrap()
            .map(|e| e.unwrap().data.delta)
            .collect()
            .await;
        assert_eq!(deltas, ["hello", "streaming", "world"]);
        // Events asked for, JSON answered: a typed error, not a stream of garbage.
        match client.chat(ask(false)).send_events().await {
            Err(Error::UnexpectedContentType { content_type, .. }) => {
                assert_eq!(content_type.as_deref(), Some("application/json"))
            }
            other => panic!("expected a content type error, got {:?}", other.err()),
        }
    })
    .await;
}

#[tokio::test]
async fn json_lines_text_events_and_bytes() {
    let client = start(Streams::default()).await;
    within(async {
        let items: Vec<Item> = client
            .items()
            .await
            .unwrap()
            .map(Result::unwrap)
            .collect()
            .await;
        assert_eq!(items.len(), 3);
        assert_eq!(items[2].name.as_deref(), Some("item 2"));

        let log: Vec<String> = client
            .log()
            .await
            .unwrap()
            .map(|e| e.unwrap().data)
            .collect()
            .await;
        assert_eq!(log, ["started", "two\nlines"]);

        assert_eq!(client.download().await.unwrap().len(), 100_000);
        let chunks: Vec<_> = client
            .download()
            .send_stream()
            .await
            .unwrap()
            .map(Result::unwrap)
            .collect()
            .await;
        assert_eq!(chunks.iter().map(|c| c.len()).sum::<usize>(), 100_000);
        assert_eq!(client.upload(vec![1u8; 12_345]).await.unwrap().size, 12_345);
    })
    .await;
}

#[tokio::test]
async fn the_default_upload_stream_reads_whole_under_the_body_limit() {
    // `Api::upload` alone (the default `upload_stream` reads the body whole): a streamed body
    // past the limit is refused with 413 before the handler runs, as a whole one is.
    let config = stencil::server::Config::default().body_limit(10_000);
    let client = start_with(config).await;
    let chunks = stream::iter(0..4).map(|_| Ok::<_, std::io::Error>(vec![0u8; 4_000]));
    let body = stencil::client::Binary::stream(stencil::reqwest::Body::wrap_stream(chunks));
    let error = within(client.upload(body).send()).await.unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(413));
    let small = stream::iter(["a", "bc"]).map(Ok::<_, std::io::Error>);
    let body = stencil::client::Binary::stream(stencil::reqwest::Body::wrap_stream(small));
    assert_eq!(within(client.upload(body).send()).await.unwrap().size, 3);
}

#[tokio::test]
async fn a_multipart_file_reaches_the_handler_as_its_bytes() {
    let api = Streams::default();
    let attached = api.attached.clone();
    let router = api::router(api);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    let client = Client::new(format!("http://{addr}"));
    // 1 MiB of every byte value, a part boundary's bytes among them.
    let mut file: Vec<u8> = (0..1 << 20).map(|i| (i % 251) as u8).collect();
    file.extend_from_slice(b"\r\n--not-the-boundary\r\n");
    let more = vec![
        Bytes::from_static(b"\x00one"),
        Bytes::from_static(b"two\xff"),
    ];
    let body = streaming::types::AttachBody {
        file: file.clone().into(),
        note: Some("scan".into()),
        more: Nullable::Value(more.clone()),
    };
    let received = within(client.attach(body).send())
        .await
        .unwrap()
        .into_inner();
    assert_eq!(received.size, file.len() as i64);
    let seen = attached.lock().unwrap().take().unwrap();
    assert_eq!(seen.body.file, file);
    assert_eq!(seen.body.note.as_deref(), Some("scan"));
    // An array of files: a part per item, in order; absent when not sent.
    assert_eq!(seen.body.more, Nullable::Value(more));
    let body = streaming::types::AttachBody {
        file: Bytes::from_static(b"f"),
        note: None,
        more: Nullable::Absent,
    };
    within(client.attach(body).send()).await.unwrap();
    let seen = attached.lock().unwrap().take().unwrap();
    assert_eq!(seen.body.more, Nullable::Absent);
    assert_eq!(seen.body.note, None);

    // Without its required file part: 422 in the document's default envelope, the handler not
    // called.
    let form = stencil::reqwest::multipart::Form::new().text("note", "no file");
    let response = stencil::reqwest::Client::new()
        .post(format!("http://{addr}/files"))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 422);
    let error: serde_json::Value = response.json().await.unwrap();
    assert_eq!(error, serde_json::json!({"message": "Field required"}));
    assert!(attached.lock().unwrap().is_none());
}

#[tokio::test]
async fn a_streamed_upload_that_stops_arriving_is_answered_408() {
    // `Api::upload` alone: the default `upload_stream` reads the body chunk by chunk, each
    // within the server's body read timeout.
    let config =
        stencil::server::Config::default().body_read_timeout(Some(Duration::from_millis(300)));
    let client = start_with(config).await;
    let stalled =
        stream::once(async { Ok::<_, std::io::Error>(vec![1u8; 10]) }).chain(stream::pending());
    let body = stencil::client::Binary::stream(stencil::reqwest::Body::wrap_stream(stalled));
    let error = within(client.upload(body).send()).await.unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(408), "{error}");
}

#[tokio::test]
async fn a_required_streamed_upload_sent_chunked_and_empty_is_missing() {
    // No `Content-Length`: the server knows the body is empty only at its end.
    let client = start(Streams::default()).await;
    let empty = stream::empty::<Result<Vec<u8>, std::io::Error>>();
    let body = stencil::client::Binary::stream(stencil::reqwest::Body::wrap_stream(empty));
    let error = within(client.upload(body).send()).await.unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(422), "{error}");
    assert!(error.to_string().contains("Field required"), "{error}");
}

/// README.md's streaming example, verbatim (`the_readme_streaming_example_is_this_code`).
async fn readme_streaming_example(client: &Client) -> Result<(), Box<dyn std::error::Error>> {
    use futures_util::{stream, StreamExt};
    use stencil::client::Binary;
    use streaming::types::ChatRequest;

    // Server-sent events, each an `Event<Tick>` (`event`, `id`, `retry`, typed `data`),
    // as the server sends them.
    let mut ticks = client.ticks(3).await?;
    while let Some(event) = ticks.next().await {
        let event = event?;
        println!("{} (id {:?})", event.data.text, event.id);
    }

    // One status, JSON or events: the caller chooses.
    let ask = |stream| ChatRequest {
        prompt: "hello streaming world".into(),
        stream: Some(stream),
    };
    println!("whole: {}", client.chat(ask(false)).await?.text);
    let mut chunks = client.chat(ask(true)).send_events().await?;
    while let Some(chunk) = chunks.next().await {
        println!("chunk: {}", chunk?.data.delta);
    }

    // Bytes as they arrive, and an upload from a stream: neither is held whole.
    let mut download = client.download().send_stream().await?;
    let mut size = 0;
    while let Some(bytes) = download.next().await {
        size += bytes?.len();
    }
    let parts = stream::iter(["one ", "two ", "three"]).map(Ok::<_, std::io::Error>);
    let upload = Binary::stream(stencil::reqwest::Body::wrap_stream(parts));
    let received = client.upload(upload).await?;
    println!("downloaded {size} bytes, uploaded {}", received.size);
    Ok(())
}

#[tokio::test]
async fn the_readme_streaming_example_runs() {
    let client = start(Streams::default()).await;
    within(readme_streaming_example(&client)).await.unwrap();
}

#[test]
fn the_readme_streaming_example_is_this_code() {
    let readme = include_str!("../../README.md");
    let block = readme
        .split("```rust\nasync fn readme_streaming_example")
        .nth(1)
        .and_then(|rest| rest.split("\n```\n").next())
        .expect("README.md has the streaming example");
    let example = format!("async fn readme_streaming_example{block}\n");
    assert!(
        include_str!("streaming.rs").contains(&example),
        "README.md's streaming example is not `readme_streaming_example` of tests/tests/streaming.rs"
    );
}
