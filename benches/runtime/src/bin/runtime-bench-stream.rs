//! Streaming memory benchmark (issue 13): peak RSS of the client while a large octet-stream or
//! JSON Lines body goes through it. Run by `benches/runtime/stream.sh`.
//!
//!   runtime-bench-stream serve                       prints `listening on http://...`
//!   runtime-bench-stream consume URL bytes|jsonl|whole SIZE
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
use stencil::server::{ByteStream, JsonLines};

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
                let chunks = (0..size.div_ceil(CHUNK as u64)).map(move |i| {
                    let len = (size - i * CHUNK as u64).min(CHUNK as u64) as usize;
                    Ok::<_, Infallible>(vec![(i % 251) as u8; len])
                });
                ByteStream::new(stream::iter(chunks), "application/octet-stream")
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
        other => panic!("unknown kind `{other}` (bytes, jsonl, whole)"),
    };
    println!(
        "{kind}: {bytes} bytes, {items} items in {:.2} s; peak RSS {} KiB",
        start.elapsed().as_secs_f64(),
        peak_rss_kib()
    );
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    match args.get(1).map(String::as_str) {
        Some("serve") => serve().await,
        Some("consume") if args.len() == 5 => {
            consume(&args[2], &args[3], args[4].parse().expect("SIZE in bytes")).await
        }
        _ => {
            eprintln!("usage: runtime-bench-stream serve | consume URL bytes|jsonl|whole SIZE");
            std::process::exit(2);
        }
    }
}
