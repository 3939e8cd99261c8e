//! Streaming memory benchmark (issue 13): peak RSS of the client while a large octet-stream or
//! JSON Lines body goes through it. Run by `benches/runtime/stream.sh`.
//!
//!   runtime-bench-stream serve                       prints `listening on http://...`
//!   runtime-bench-stream consume URL bytes|jsonl|whole SIZE
//!   runtime-bench-stream serve-generated SIZE        the generated `streaming` server
//!   runtime-bench-stream consume URL gen-bytes|gen-jsonl|gen-upload|gen-multipart SIZE
//!
//! `serve` and `bytes`/`jsonl`/`whole` use the runtime by hand (`stencil::client::Core`, axum
//! routes); `serve-generated` and the `gen-*` kinds are the generated client and server of
//! specs/fixtures/streaming.yaml (generated/streaming): `download().send_stream()` (the
//! server's `DownloadResponse::OkStream`), `items()` (`JsonLines<Item>`, ~1 KiB items) and
//! `upload(Binary::stream(..))`, which the server reads in `upload_stream`, counting bytes, and
//! `attach` (a multipart body with a SIZE-byte file part, read whole by the server).
//!
//! The server produces its bodies lazily (`stencil::server::ByteStream` and `JsonLines` over
//! generated chunks), so it holds no more than a chunk either. `consume` reads `SIZE` bytes
//! through `stencil::client::ByteStream` (`bytes`), `JsonLines` (`jsonl`) or, for comparison,
//! the whole-body `bytes` decoder (`whole`), and prints what it read and its own peak RSS.

use std::convert::Infallible;
use std::time::Instant;

use axum::extract::Query;
use axum::routing::get;
use axum::Router;
use futures_util::{stream, StreamExt};
use serde::{Deserialize, Serialize};
use stencil::client::{Core, Error, Response, ResponseValue};
use stencil::server::{BodyStream, ByteStream, JsonLines, StreamedBodyError};
use streaming::server::{self as api, Api};

const CHUNK: usize = 64 * 1024;

#[derive(Deserialize)]
struct Size {
    size: u64,
}

#[derive(Serialize, Deserialize)]
struct Item {
    n: u64,
    text: String,
}

/// One JSON Lines item of about 1 KiB.
fn item(n: u64) -> Item {
    Item {
        n,
        text: "x".repeat(1000),
    }
}

async fn serve() {
    let router = Router::new()
        .route(
            "/bytes",
            get(|Query(Size { size }): Query<Size>| async move {
                ByteStream::new(chunks(size), "application/octet-stream")
            }),
        )
        .route(
            "/jsonl",
            get(|Query(Size { size }): Query<Size>| async move {
                let line = serde_json::to_vec(&item(0)).unwrap().len() as u64 + 1;
                JsonLines::new(stream::iter((0..size / line).map(item)))
            }),
        );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    println!("listening on http://{}", listener.local_addr().unwrap());
    axum::serve(listener, router).await.unwrap();
}

/// The generated server of generated/streaming, its bodies `size` bytes, produced lazily.
struct Generated {
    size: u64,
}

fn chunks(size: u64) -> impl futures_util::Stream<Item = Result<Vec<u8>, Infallible>> {
    stream::iter((0..size.div_ceil(CHUNK as u64)).map(move |i| {
        let len = (size - i * CHUNK as u64).min(CHUNK as u64) as usize;
        Ok::<_, Infallible>(vec![(i % 251) as u8; len])
    }))
}

fn gen_item(id: i64) -> streaming::types::Item {
    streaming::types::Item {
        id,
        name: Some("x".repeat(1000)),
    }
}

impl Api for Generated {
    type Error = stencil::server::Error;

    async fn ticks(&self, _: api::TicksRequest) -> Result<api::TicksResponse, Self::Error> {
        Err(stencil::server::Error::not_found("not benchmarked"))
    }

    async fn chat(&self, _: api::ChatRequest) -> Result<api::ChatResponse, Self::Error> {
        Err(stencil::server::Error::not_found("not benchmarked"))
    }

    async fn items(&self, _: api::ItemsRequest) -> Result<api::ItemsResponse, Self::Error> {
        let line = serde_json::to_vec(&gen_item(0)).unwrap().len() as u64 + 1;
        let items = stream::iter(0..(self.size / line) as i64).map(gen_item);
        Ok(api::ItemsResponse::Ok(JsonLines::new(items)))
    }

    async fn log(&self, _: api::LogRequest) -> Result<api::LogResponse, Self::Error> {
        Err(stencil::server::Error::not_found("not benchmarked"))
    }

    async fn download(
        &self,
        _: api::DownloadRequest,
    ) -> Result<api::DownloadResponse, Self::Error> {
        Ok(api::DownloadResponse::OkStream(ByteStream::new(
            chunks(self.size),
            "application/octet-stream",
        )))
    }

    async fn upload(&self, _: api::UploadRequest) -> Result<api::UploadResponse, Self::Error> {
        Err(stencil::server::Error::internal(
            "uploads are read as streams",
        ))
    }

    async fn upload_stream(
        &self,
        request: api::UploadRequest<BodyStream>,
    ) -> Result<api::UploadResponse, StreamedBodyError<Self::Error>> {
        let mut body = request.body;
        let mut size = 0;
        while let Some(chunk) = body.next().await {
            size += chunk?.len() as i64;
        }
        Ok(api::UploadResponse::Ok(streaming::types::Received { size }))
    }

    async fn attach(
        &self,
        request: api::AttachRequest,
    ) -> Result<api::AttachResponse, Self::Error> {
        let size = request.body.file.len() as i64;
        Ok(api::AttachResponse::Ok(streaming::types::Received { size }))
    }
}

async fn serve_generated(size: u64) {
    // The body limit lets the upload through (it is counted, never held).
    let config = stencil::server::Config::default().body_limit(usize::MAX);
    let router = api::router_with(stencil::server::Server::with_config(
        Generated { size },
        config,
    ));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    println!("listening on http://{}", listener.local_addr().unwrap());
    axum::serve(listener, router).await.unwrap();
}

fn decode(response: Response) -> Result<ResponseValue<Infallible>, Error<()>> {
    response.unexpected()
}

fn peak_rss_kib() -> i64 {
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut usage) };
    usage.ru_maxrss
}

async fn consume(url: &str, kind: &str, size: u64) {
    let core = Core::new(url, &[]);
    let get = |path: &str| {
        core.request(reqwest::Method::GET).path(path).query(
            "size",
            &size,
            stencil::client::Style::Form,
            true,
        )
    };
    let start = Instant::now();
    let (bytes, items) = match kind {
        "bytes" => {
            let mut body = get("/bytes").byte_stream(decode).await.unwrap();
            let mut total = 0u64;
            while let Some(chunk) = body.next().await {
                total += chunk.unwrap().len() as u64;
            }
            (total, 0)
        }
        "jsonl" => {
            let mut lines = get("/jsonl")
                .json_lines(stencil::client::json::<Item>, decode)
                .await
                .unwrap();
            let (mut total, mut count) = (0u64, 0u64);
            while let Some(item) = lines.next().await {
                let item = item.unwrap();
                assert_eq!(item.n, count);
                total += item.text.len() as u64;
                count += 1;
            }
            (total, count)
        }
        "whole" => {
            let body = get("/bytes")
                .send(|r| r.ok::<_, ()>(stencil::client::bytes))
                .await
                .unwrap();
            (body.len() as u64, 0)
        }
        "gen-bytes" | "gen-jsonl" | "gen-upload" | "gen-multipart" => {
            consume_generated(url, kind, size).await
        }
        other => {
            panic!("unknown kind `{other}` (bytes, jsonl, whole, gen-bytes, gen-jsonl, gen-upload, gen-multipart)")
        }
    };
    println!(
        "{kind}: {bytes} bytes, {items} items in {:.2} s; peak RSS {} KiB",
        start.elapsed().as_secs_f64(),
        peak_rss_kib()
    );
}

/// What the generated client reads (or sends): (bytes, items).
async fn consume_generated(url: &str, kind: &str, size: u64) -> (u64, u64) {
    let client = streaming::client::Client::new(url);
    match kind {
        "gen-bytes" => {
            let mut body = client.download().send_stream().await.unwrap();
            let mut total = 0u64;
            while let Some(chunk) = body.next().await {
                total += chunk.unwrap().len() as u64;
            }
            (total, 0)
        }
        "gen-jsonl" => {
            let mut lines = client.items().await.unwrap();
            let (mut total, mut count) = (0u64, 0i64);
            while let Some(item) = lines.next().await {
                let item = item.unwrap();
                assert_eq!(item.id, count);
                total += item.name.map_or(0, |n| n.len() as u64);
                count += 1;
            }
            (total, count as u64)
        }
        "gen-multipart" => {
            // The client holds the file (a `Bytes` field); what is measured is the server's
            // peak RSS (stream.sh reads it from /proc).
            let body = streaming::types::AttachBody {
                file: vec![7u8; size as usize].into(),
                note: Some("bench".into()),
                more: stencil::Nullable::Absent,
            };
            let received = client.attach(body).await.unwrap();
            (received.size as u64, 0)
        }
        _ => {
            let body = stencil::client::Binary::stream(reqwest::Body::wrap_stream(chunks(size)));
            let received = client.upload(body).await.unwrap();
            (received.size as u64, 0)
        }
    }
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    match args.get(1).map(String::as_str) {
        Some("serve") => serve().await,
        Some("serve-generated") if args.len() == 3 => {
            serve_generated(args[2].parse().expect("SIZE in bytes")).await
        }
        Some("consume") if args.len() == 5 => {
            consume(&args[2], &args[3], args[4].parse().expect("SIZE in bytes")).await
        }
        _ => {
            eprintln!(
                "usage: runtime-bench-stream serve | serve-generated SIZE | consume URL \
                 bytes|jsonl|whole|gen-bytes|gen-jsonl|gen-upload|gen-multipart SIZE"
            );
            std::process::exit(2);
        }
    }
}
