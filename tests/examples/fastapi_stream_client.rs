//! The generated client of the FastAPI streaming app (`tests/fastapi-stream/run.sh`, issue 13)
//! against the running app: server-sent events, NDJSON, and JSON or events for one status, every
//! item typed and checked. Panics (exit status 101) on the first difference.
//!
//! ```text
//! cargo run -p stencil-tests --example fastapi_stream_client -- http://127.0.0.1:8000
//! ```

use std::time::{Duration, Instant};

use fastapi_stream::client::{Client, Error, TicksError};
use fastapi_stream::types::{ChatChunk, ChatRequest, Item, Tick};
use futures_util::StreamExt;

/// Server-sent events: `GET /ticks?count=N`, each event typed `tick`, its ID `n`.
async fn ticks(client: &Client) {
    let mut events = client.ticks(500).await.expect("the events open");
    let mut n = 0;
    while let Some(event) = events.next().await {
        let event = event.unwrap_or_else(|e| panic!("event {n}: {e}"));
        assert_eq!(event.event, "tick");
        assert_eq!(event.id.as_deref(), Some(n.to_string().as_str()));
        assert_eq!(
            event.data,
            Tick {
                n,
                text: format!("tick {n}")
            }
        );
        n += 1;
    }
    assert_eq!(n, 500, "every event arrives");
    println!("ok: 500 typed events from StreamingResponse(text/event-stream)");

    // FastAPI validates the query before anything streams: its 422 is the declared error.
    match client.ticks(1001).send().await {
        Err(Error::Api(response)) => {
            assert_eq!(response.status(), 422);
            let TicksError::UnprocessableEntity(error) = response.into_inner();
            let detail = error.detail.expect("FastAPI lists the errors");
            assert_eq!(detail[0].type_, "less_than_equal");
        }
        other => panic!("expected FastAPI's 422, got {:?}", other.err()),
    }
    println!("ok: FastAPI's 422 decodes as the declared error before the stream");
}

/// NDJSON: `GET /items?count=N`, one `Item` a line, decoded as they arrive.
async fn items(client: &Client) {
    let start = Instant::now();
    let mut lines = client.items(5_000).await.expect("the lines open");
    let mut id = 0;
    while let Some(item) = lines.next().await {
        let item: Item = item.unwrap_or_else(|e| panic!("item {id}: {e}"));
        assert_eq!(item.id, id);
        assert_eq!(item.name, format!("item {id}"));
        let even: &[String] = if id % 2 == 0 {
            &["even".to_owned()]
        } else {
            &[]
        };
        assert_eq!(item.tags, even);
        // `price` is `Optional[float] = None`: left out (not `null`) when unset.
        assert_eq!(
            item.price,
            stencil::Nullable::from_option((id % 3 == 0).then_some(Some(id as f64 / 4.0)))
        );
        id += 1;
    }
    assert_eq!(id, 5_000, "every line arrives");
    println!(
        "ok: 5000 typed NDJSON items from StreamingResponse(application/x-ndjson) in {:.2} s",
        start.elapsed().as_secs_f64()
    );
}

/// `POST /chat`: JSON by default, events with `stream: true`; the caller chooses.
async fn chat(client: &Client) {
    let ask = |stream| ChatRequest {
        prompt: "streams typed end to end".into(),
        stream,
    };
    let whole = client.chat(ask(false)).await.expect("the JSON answer");
    assert_eq!(whole.text, "streams typed end to end");
    assert_eq!(whole.words, 5);

    let chunks: Vec<ChatChunk> = client
        .chat(ask(true))
        .send_events()
        .await
        .expect("the events open")
        .map(|event| event.expect("a chunk").data)
        .collect()
        .await;
    let deltas: Vec<(i64, &str)> = chunks.iter().map(|c| (c.index, c.delta.as_str())).collect();
    assert_eq!(
        deltas,
        [
            (0, "streams"),
            (1, "typed"),
            (2, "end"),
            (3, "to"),
            (4, "end")
        ],
        "`data: [DONE]` ends the stream, it is no chunk"
    );

    // Events asked for, JSON answered: a typed error naming the content type.
    match client.chat(ask(false)).send_events().await {
        Err(Error::UnexpectedContentType { content_type, .. }) => {
            assert_eq!(content_type.as_deref(), Some("application/json"))
        }
        other => panic!("expected a content type error, got {:?}", other.err()),
    }
    println!("ok: one status, JSON or events, the caller choosing");
}

#[tokio::main]
async fn main() {
    let url = std::env::args()
        .nth(1)
        .expect("usage: fastapi_stream_client URL");
    let client = Client::new(url);
    tokio::time::timeout(Duration::from_secs(120), async {
        ticks(&client).await;
        items(&client).await;
        chat(&client).await;
    })
    .await
    .expect("the checks took longer than 120 s");
}
