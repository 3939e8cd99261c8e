//! The generated `streaming-32` crate (specs/fixtures/streaming-3.2.yaml, the OpenAPI 3.2 form):
//! its client and server on 127.0.0.1. Events keyed by name (an enum implementing `FromEvent`),
//! streams typed by `itemSchema`, and bytes streamed both ways: a download the server produces
//! as the client reads it, an upload the server reads as the client sends it, under the body
//! limit, and a download that ends on the server when the client drops it.

use std::convert::Infallible;
use std::sync::Mutex;
use std::time::Duration;

use futures_util::{stream, StreamExt};
use stencil::client::{Binary, Error, StreamError};
use stencil::server::{BodyStream, ByteStream, Config, Event, Events, JsonLines, Server};
use streaming_32::client::{Client, UploadError};
use streaming_32::server::{self as api, Api};
use streaming_32::types::{
    ChatChunk, ChatResponse, Item, OrderCreated, OrderDelivered,
    OrderEventsResponseItem as OrderEvent, OrderEventsResponseItemCancelled, OrderShipped,
    Received, Tick,
};
use tokio::sync::oneshot;

const CHUNK: usize = 64 * 1024;

/// What a test arranges before it calls the server.
#[derive(Default)]
struct Streams {
    /// The download sends its second chunk only once this is released.
    download_gate: Mutex<Option<oneshot::Receiver<()>>>,
    /// The download never ends, and this is sent when the server drops it.
    download_dropped: Mutex<Option<oneshot::Sender<()>>>,
    /// Sent when the upload handler has the first chunk.
    upload_started: Mutex<Option<oneshot::Sender<()>>>,
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

fn chunk(i: usize) -> Result<Vec<u8>, Infallible> {
    Ok(vec![(i % 251) as u8; CHUNK])
}

fn cancelled() -> OrderEvent {
    OrderEvent::Cancelled(OrderEventsResponseItemCancelled {
        id: 3,
        reason: "out of stock".into(),
    })
}

impl Api for Streams {
    type Error = stencil::server::Error;

    async fn ticks(&self, request: api::TicksRequest) -> Result<api::TicksResponse, Self::Error> {
        let ticks = stream::iter(0..request.count).map(|n| {
            Event::new(Tick {
                n,
                text: format!("tick {n}"),
            })
            .id(n.to_string())
        });
        Ok(api::TicksResponse::Ok(Events::new(ticks)))
    }

    async fn order_events(
        &self,
        _: api::OrderEventsRequest,
    ) -> Result<api::OrderEventsResponse, Self::Error> {
        let created = OrderEvent::Created(OrderCreated { id: 1, total: 9.5 });
        let events = [
            Event::keyed(created.clone()),
            Event::keyed(OrderEvent::Shipped(OrderShipped {
                id: 2,
                carrier: "post".into(),
            })),
            // An event type the document does not name: the client's item is an error.
            Event::new(created).event("refunded"),
            Event::keyed(cancelled()),
            // Its branch is a `$ref` to a component.
            Event::keyed(OrderEvent::Delivered(OrderDelivered {
                id: 4,
                signed_by: "Ann".into(),
            })),
        ];
        Ok(api::OrderEventsResponse::Ok(Events::new(stream::iter(
            events,
        ))))
    }

    async fn chat(&self, request: api::ChatRequest) -> Result<api::ChatResponse, Self::Error> {
        let words: Vec<String> = request.body.prompt.split(' ').map(str::to_owned).collect();
        if request.body.stream == Some(true) {
            let chunks = stream::iter(words).map(|delta| Event::new(ChatChunk { delta }));
            return Ok(api::ChatResponse::OkEvents(Events::new(chunks)));
        }
        Ok(api::ChatResponse::Ok(ChatResponse {
            text: words.join(" "),
        }))
    }

    async fn items(&self, _: api::ItemsRequest) -> Result<api::ItemsResponse, Self::Error> {
        let items = stream::iter(0..3).map(|id| Item { id, name: None });
        Ok(api::ItemsResponse::Ok(JsonLines::new(items)))
    }

    async fn download(
        &self,
        _: api::DownloadRequest,
    ) -> Result<api::DownloadResponse, Self::Error> {
        if let Some(tx) = self.download_dropped.lock().unwrap().take() {
            let guard = Dropped(Some(tx));
            let endless = stream::iter(0..).map(move |i| {
                let _ = &guard;
                chunk(i)
            });
            return Ok(api::DownloadResponse::OkStream(ByteStream::new(
                endless,
                "application/octet-stream",
            )));
        }
        let chunks = match self.download_gate.lock().unwrap().take() {
            // The second chunk is produced only once the client has the first.
            Some(gate) => stream::once(async { chunk(0) })
                .chain(stream::once(async move {
                    gate.await.unwrap();
                    chunk(1)
                }))
                .boxed(),
            None => stream::iter(0..16).map(chunk).boxed(),
        };
        Ok(api::DownloadResponse::OkStream(ByteStream::new(
            chunks,
            "application/octet-stream",
        )))
    }

    async fn upload(&self, _: api::UploadRequest) -> Result<api::UploadResponse, Self::Error> {
        Err(stencil::server::Error::internal(
            "this server reads uploads as streams (upload_stream)",
        ))
    }

    async fn upload_stream(
        &self,
        request: api::UploadRequest<BodyStream>,
    ) -> Result<api::UploadResponse, stencil::server::StreamedBodyError<Self::Error>> {
        let mut body = request.body;
        let mut size = 0;
        while let Some(chunk) = body.next().await {
            size += chunk?.len() as i64;
            if let Some(started) = self.upload_started.lock().unwrap().take() {
                let _ = started.send(());
            }
        }
        Ok(api::UploadResponse::Ok(Received { size }))
    }
}

async fn start_with(api: Streams, config: Config) -> Client {
    let router = api::router_with(Server::with_config(api, config));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    Client::new(format!("http://{addr}"))
}

async fn start(api: Streams) -> Client {
    start_with(api, Config::default()).await
}

async fn within<T>(future: impl std::future::IntoFuture<Output = T>) -> T {
    tokio::time::timeout(Duration::from_secs(30), future.into_future())
        .await
        .expect("the test took longer than 30 s")
}

#[tokio::test]
async fn events_keyed_by_name_decode_into_their_variants() {
    let client = start(Streams::default()).await;
    let events: Vec<_> = within(client.order_events().await.unwrap().collect()).await;
    assert_eq!(
        events.len(),
        5,
        "a bad event is an item; the stream goes on"
    );
    let event = |i: usize| events[i].as_ref().unwrap();
    assert_eq!(event(0).event, "created");
    assert_eq!(
        event(0).data,
        OrderEvent::Created(OrderCreated { id: 1, total: 9.5 })
    );
    assert_eq!(event(1).event, "shipped");
    assert!(matches!(&event(1).data, OrderEvent::Shipped(s) if s.carrier == "post"));
    match &events[2] {
        Err(Error::Stream(StreamError::BadEvent { event, message })) => {
            assert_eq!(event.event, "refunded");
            assert!(
                message.contains("unexpected event type `refunded`"),
                "{message}"
            );
            assert!(
                message.contains("cancelled, created, delivered, shipped"),
                "{message}"
            );
        }
        other => panic!("expected a bad event, got {other:?}"),
    }
    assert_eq!(event(3).event, "cancelled");
    assert_eq!(event(3).data, cancelled());
    assert_eq!(event(4).event, "delivered");
    assert_eq!(
        event(4).data,
        OrderEvent::Delivered(OrderDelivered {
            id: 4,
            signed_by: "Ann".into(),
        })
    );
}

#[tokio::test]
async fn item_schema_types_events_lines_and_json_or_events() {
    let client = start(Streams::default()).await;
    within(async {
        let ticks: Vec<Tick> = client
            .ticks(100)
            .await
            .unwrap()
            .map(|e| e.unwrap().data)
            .collect()
            .await;
        assert_eq!(ticks.len(), 100);
        assert_eq!(ticks[99].text, "tick 99");
        let items: Vec<Item> = client
            .items()
            .await
            .unwrap()
            .map(Result::unwrap)
            .collect()
            .await;
        assert_eq!(items.iter().map(|i| i.id).collect::<Vec<_>>(), [0, 1, 2]);
        let request = |stream| streaming_32::types::ChatRequest {
            prompt: "a b c".into(),
            stream: Some(stream),
        };
        assert_eq!(client.chat(request(false)).await.unwrap().text, "a b c");
        let deltas: Vec<String> = client
            .chat(request(true))
            .send_events()
            .await
            .unwrap()
            .map(|e| e.unwrap().data.delta)
            .collect()
            .await;
        assert_eq!(deltas, ["a", "b", "c"]);
    })
    .await;
}

#[tokio::test]
async fn a_streamed_download_arrives_as_the_server_produces_it() {
    let (release, gate) = oneshot::channel();
    let client = start(Streams {
        download_gate: Mutex::new(Some(gate)),
        ..Streams::default()
    })
    .await;
    within(async {
        let mut body = client.download().send_stream().await.unwrap();
        let mut first = 0;
        while first < CHUNK {
            first += body.next().await.unwrap().unwrap().len();
        }
        assert_eq!(
            first, CHUNK,
            "the first chunk, before the server made the second"
        );
        release.send(()).unwrap();
        let mut rest = 0;
        while let Some(chunk) = body.next().await {
            rest += chunk.unwrap().len();
        }
        assert_eq!(rest, CHUNK);
    })
    .await;

    // The same download read whole, through `send`.
    let client = start(Streams::default()).await;
    let whole = within(client.download()).await.unwrap();
    assert_eq!(whole.len(), 16 * CHUNK);
    assert_eq!(whole[15 * CHUNK], 15);
}

#[tokio::test]
async fn dropping_the_client_stream_ends_the_server_stream() {
    let (tx, dropped) = oneshot::channel();
    let client = start(Streams {
        download_dropped: Mutex::new(Some(tx)),
        ..Streams::default()
    })
    .await;
    within(async {
        let mut body = client.download().send_stream().await.unwrap();
        assert!(!body.next().await.unwrap().unwrap().is_empty());
        drop(body);
        dropped
            .await
            .expect("the server dropped its endless stream");
    })
    .await;
}

#[tokio::test]
async fn a_streamed_upload_reaches_the_handler_as_it_is_sent() {
    let (started, handler_has_first) = oneshot::channel();
    let client = start(Streams {
        upload_started: Mutex::new(Some(started)),
        ..Streams::default()
    })
    .await;
    // The client sends its second chunk only once the handler has the first: a server that
    // read the body whole before its handler would wait forever.
    let second = async move {
        handler_has_first.await.unwrap();
        chunk(1)
    };
    let chunks = stream::once(async { chunk(0) }).chain(stream::once(second));
    let body = Binary::stream(stencil::reqwest::Body::wrap_stream(chunks));
    let received = within(client.upload(body)).await.unwrap();
    assert_eq!(received.size, 2 * CHUNK as i64);

    // Bytes in memory take the same path.
    let received = within(client.upload(vec![1u8; 1000])).await.unwrap();
    assert_eq!(received.size, 1000);
}

#[tokio::test]
async fn a_streamed_upload_past_the_body_limit_is_answered_413() {
    let client = start_with(Streams::default(), Config::default().body_limit(3 * CHUNK)).await;
    // A stream has no Content-Length: the limit stops it while it is read.
    let chunks = stream::iter(0..8).map(chunk);
    let body = Binary::stream(stencil::reqwest::Body::wrap_stream(chunks));
    match within(client.upload(body)).await {
        Err(Error::Api(response)) => {
            assert_eq!(response.status(), 413);
            let UploadError::PayloadTooLarge(problem) = response.into_inner();
            assert!(problem.message.contains("larger"), "{}", problem.message);
        }
        other => panic!("expected the declared 413, got {:?}", other.map(|r| r.size)),
    }
    // A Content-Length above the limit is refused before the handler runs.
    match within(client.upload(vec![0u8; 4 * CHUNK])).await {
        Err(Error::Api(response)) => assert_eq!(response.status(), 413),
        other => panic!("expected the declared 413, got {:?}", other.map(|r| r.size)),
    }
    // A streamed body is sent once: sending a clone of the request again fails before
    // anything is sent.
    let request = client.upload(Binary::stream(stencil::reqwest::Body::from("abc")));
    assert_eq!(within(request.clone()).await.unwrap().size, 3);
    match within(request).await {
        Err(Error::InvalidRequest(message)) => assert!(message.contains("sent once"), "{message}"),
        other => panic!("expected a request error, got {:?}", other.map(|r| r.size)),
    }
}
