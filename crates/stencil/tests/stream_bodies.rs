//! Streamed bodies end to end: JSON Lines and bytes from the server's helpers to the client's
//! streams, and request bodies (bytes, multipart parts) streamed to a handler under the body
//! limit, on a real axum server on 127.0.0.1.

use std::convert::Infallible;

use axum::body::Body;
use axum::response::IntoResponse;
use axum::routing::{get, post};
use axum::Router;
use bytes::Bytes;
use futures_util::{stream, StreamExt};
use stencil::client::{json, Error, ResponseValue, StreamError};
use stencil::server::{body_stream, multipart_parts, BodyError, ByteStream, JsonLines};
use tokio::sync::mpsc;

mod support;

use support::{chunks, decode, raw, serve, tick, within, Problem, Tick};

#[tokio::test]
async fn json_lines_and_sequences_decode_item_by_item() {
    let router = Router::new()
        .route(
            "/ndjson",
            get(|| async {
                raw(
                    "application/x-ndjson",
                    chunks(&[
                        "{\"n\":1,\"text\":\"a\"}\n\n{\"n\":",
                        "2,\"text\":\"b\"}\r\nnope\n{\"n\":3,\"text\":\"c\"}",
                    ]),
                )
            }),
        )
        .route(
            "/seq",
            get(|| async {
                JsonLines::new(stream::iter([tick(1), tick(2)])).media_type("application/json-seq")
            }),
        );
    let core = serve(router).await;
    within(async {
        let lines = core
            .request(reqwest::Method::GET)
            .path("/ndjson")
            .json_lines(json::<Tick>, decode)
            .await
            .unwrap();
        let got: Vec<_> = lines.collect().await;
        assert_eq!(got.len(), 4);
        assert_eq!(got[0].as_ref().unwrap().n, 1);
        assert_eq!(got[1].as_ref().unwrap().n, 2);
        match &got[2] {
            Err(Error::Stream(StreamError::BadItem { item, .. })) => assert_eq!(item, "nope"),
            other => panic!("expected a bad item, got {other:?}"),
        }
        assert_eq!(got[3].as_ref().unwrap().n, 3);

        let records = core
            .request(reqwest::Method::GET)
            .path("/seq")
            .json_lines(json::<Tick>, decode)
            .await
            .unwrap();
        assert_eq!(records.headers()["content-type"], "application/json-seq");
        let got: Vec<Tick> = records.map(Result::unwrap).collect().await;
        assert_eq!(got, [tick(1), tick(2)]);
    })
    .await;
}

#[tokio::test]
async fn a_streamed_body_that_stops_arriving_ends_with_a_timeout() {
    use std::time::Duration;
    let timeout = Duration::from_millis(500);
    // One chunk, then nothing (the connection stays open).
    let stalled = stream::once(async { Ok::<_, Infallible>(Bytes::from_static(b"first")) })
        .chain(stream::pending());
    let mut body = body_stream(Body::from_stream(stalled), 1000).read_timeout(Some(timeout));
    within(async {
        assert_eq!(body.next().await.unwrap().unwrap(), "first");
        match body.next().await {
            Some(Err(BodyError::TimedOut { after })) => assert_eq!(after, timeout),
            other => panic!("expected a timeout, got {other:?}"),
        }
        assert!(
            body.next().await.is_none(),
            "the stream ends after the error"
        );
        // The timeout is the wait for each chunk, not for the whole body: five chunks 150 ms
        // apart (750 ms in all) are read.
        let slow = stream::iter(0..5).then(|_| async {
            tokio::time::sleep(Duration::from_millis(150)).await;
            Ok::<_, Infallible>(Bytes::from_static(b"ab"))
        });
        let body = body_stream(Body::from_stream(slow), 1000).read_timeout(Some(timeout));
        assert_eq!(body.bytes().await.unwrap(), "ababababab");
    })
    .await;
}

#[tokio::test]
async fn an_empty_body_is_missing_only_when_required() {
    let empty = || Body::from_stream(stream::empty::<Result<Bytes, Infallible>>());
    let mut required = body_stream(empty(), 1000).required(true);
    assert!(matches!(
        required.next().await,
        Some(Err(BodyError::Missing))
    ));
    assert!(required.next().await.is_none());
    let mut optional = body_stream(empty(), 1000);
    assert!(optional.next().await.is_none());
    let one = stream::once(async { Ok::<_, Infallible>(Bytes::from_static(b"x")) });
    let body = body_stream(Body::from_stream(one), 1000).required(true);
    assert_eq!(body.bytes().await.unwrap(), "x");
}

#[tokio::test]
async fn bytes_stream_both_ways_under_the_body_limit() {
    let router = Router::new()
        .route(
            "/download",
            get(|| async {
                let chunks = stream::iter((0..100u8).map(|i| Ok::<_, Infallible>(vec![i; 1000])));
                ByteStream::new(chunks, "application/octet-stream")
            }),
        )
        .route(
            "/upload",
            post(|body: Body| async move {
                let mut total = 0usize;
                let mut chunks = body_stream(body, 50_000);
                while let Some(chunk) = chunks.next().await {
                    match chunk {
                        Ok(chunk) => total += chunk.len(),
                        Err(e) => return e.into_response(),
                    }
                }
                total.to_string().into_response()
            }),
        );
    let core = serve(router).await;
    within(async {
        let download = core
            .request(reqwest::Method::GET)
            .path("/download")
            .byte_stream(decode)
            .await
            .unwrap();
        let body: Vec<Bytes> = download.map(Result::unwrap).collect().await;
        let body = body.concat();
        assert_eq!(body.len(), 100_000);
        assert!(body
            .chunks(1000)
            .enumerate()
            .all(|(i, c)| c.iter().all(|b| *b as usize == i)));

        for (chunks, expected) in [(40, Ok("40000")), (60, Err(413))] {
            let (tx, rx) = mpsc::channel::<Result<Bytes, std::io::Error>>(1);
            tokio::spawn(async move {
                for _ in 0..chunks {
                    if tx.send(Ok(Bytes::from(vec![7u8; 1000]))).await.is_err() {
                        break;
                    }
                }
            });
            let body = stream::unfold(rx, |mut rx| async { rx.recv().await.map(|c| (c, rx)) });
            let sent = core
                .request(reqwest::Method::POST)
                .path("/upload")
                .body_stream(reqwest::Body::wrap_stream(body), "application/octet-stream")
                .send(|r| match r.status() {
                    200 => r.ok(stencil::client::text),
                    _ => r.unexpected::<String, Problem>(),
                })
                .await;
            match expected {
                Ok(total) => assert_eq!(sent.unwrap().into_inner(), total),
                Err(status) => assert_eq!(sent.unwrap_err().status().unwrap(), status),
            }
        }
    })
    .await;
}

#[tokio::test]
async fn multipart_file_parts_arrive_as_streams_under_the_body_limit() {
    let router = Router::new().route(
        "/upload",
        post(|headers: axum::http::HeaderMap, body: Body| async move {
            let mut parts = match multipart_parts(&headers, body, 300_000) {
                Ok(parts) => parts,
                Err(e) => return e.into_response(),
            };
            let mut seen = Vec::new();
            loop {
                let mut part = match parts.next_part().await {
                    Ok(Some(part)) => part,
                    Ok(None) => break,
                    Err(e) => return e.into_response(),
                };
                let name = part.name().unwrap_or("").to_owned();
                let file = part.file_name().map(str::to_owned);
                let (mut size, mut chunks) = (0, 0);
                while let Some(chunk) = part.chunk().await.transpose() {
                    match chunk {
                        Ok(chunk) => (size, chunks) = (size + chunk.len(), chunks + 1),
                        Err(e) => return e.into_response(),
                    }
                }
                seen.push(format!("{name}:{file:?}:{size}:{}", chunks > 1));
            }
            seen.join(",").into_response()
        }),
    );
    let core = serve(router).await;
    let url = format!("{}/upload", core.base_url());
    let send = |file_size: usize| {
        let form = reqwest::multipart::Form::new().text("title", "hello").part(
            "file",
            reqwest::multipart::Part::bytes(vec![1u8; file_size]).file_name("a.bin"),
        );
        core.http_client().post(&url).multipart(form).send()
    };
    within(async {
        let ok = send(200_000).await.unwrap();
        assert_eq!(ok.status(), 200);
        // The file part came in several chunks: it was streamed, not read whole first.
        assert_eq!(
            ok.text().await.unwrap(),
            "title:None:5:false,file:Some(\"a.bin\"):200000:true"
        );
        assert_eq!(send(400_000).await.unwrap().status(), 413);
        let not_multipart = core
            .http_client()
            .post(&url)
            .body("x")
            .send()
            .await
            .unwrap();
        assert_eq!(not_multipart.status(), 400);
    })
    .await;
}

/// An operation whose 200 is JSON or text, decoded by the actual `Content-Type`.
fn by_type(response: stencil::client::Response) -> Result<ResponseValue<String>, Error<Problem>> {
    match (response.status(), response.media_type().as_deref()) {
        (200, Some("application/json")) => response.ok(|b| json::<Tick>(b).map(|t| t.text)),
        (200, Some("text/plain")) => response.ok(stencil::client::text),
        (200, _) => response.wrong_type(&["application/json", "text/plain"]),
        _ => response.unexpected(),
    }
}

#[tokio::test]
async fn several_media_types_decode_by_content_type() {
    let router = Router::new()
        .route("/json", get(|| async { axum::Json(tick(3)) }))
        .route("/text", get(|| async { "plain" }))
        .route("/csv", get(|| async { raw("text/csv", chunks(&["a,b"])) }));
    let core = serve(router).await;
    let get = |path: &'static str| core.request(reqwest::Method::GET).path(path).send(by_type);
    within(async {
        assert_eq!(get("/json").await.unwrap().into_inner(), "tick 3");
        assert_eq!(get("/text").await.unwrap().into_inner(), "plain");
        match get("/csv").await {
            Err(e @ Error::UnexpectedContentType { .. }) => assert_eq!(
                e.to_string(),
                "the 200 OK response is text/csv, not application/json or text/plain"
            ),
            other => panic!("expected a content type error, got {other:?}"),
        }
    })
    .await;
}
