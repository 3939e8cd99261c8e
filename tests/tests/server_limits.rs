//! Hostile clients against the generated PathStack server run by `stencil::server::serve`, over
//! raw TCP on 127.0.0.1: slow headers, slow bodies and idle connections are cut off by the
//! configured timeouts; oversized heads, too many headers, long URIs, deep JSON and huge
//! integers are answered 431 / 414 / 422 (issue 18).

#[path = "server_support/memory.rs"]
mod memory;

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use memory::{Memory, KNOWN_TRIP, STATIC_TOKEN};
use stencil::server::{Config, Server};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// Short limits so each case takes about a second.
fn config() -> Config {
    Config::default()
        .header_read_timeout(Duration::from_millis(800))
        .idle_timeout(Duration::from_millis(1500))
        .body_read_timeout(Some(Duration::from_millis(800)))
        .max_header_size(4096)
        .max_headers(32)
        .max_uri_length(2048)
        .json_depth(16)
}

async fn start(config: Config) -> SocketAddr {
    let router = pathstack::server::router_with(Server::with_config(Memory::new(), config.clone()));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { stencil::server::serve(listener, router, &config).await });
    addr
}

/// Everything the server sends until it closes the connection (or 10 s pass: a failure), and
/// how long that took.
async fn read_to_close(stream: &mut TcpStream) -> (String, Duration) {
    let started = Instant::now();
    let mut out = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        match tokio::time::timeout(Duration::from_secs(10), stream.read(&mut buf)).await {
            Ok(Ok(0)) | Ok(Err(_)) => break,
            Ok(Ok(n)) => out.extend_from_slice(&buf[..n]),
            Err(_) => panic!("the server kept the connection open for 10 s"),
        }
    }
    (
        String::from_utf8_lossy(&out).into_owned(),
        started.elapsed(),
    )
}

/// Send `request` at once; the server's whole answer (the connection is `close`d).
async fn exchange(addr: SocketAddr, request: &[u8]) -> String {
    let mut stream = TcpStream::connect(addr).await.unwrap();
    // The server may answer and close before reading all of an oversized request.
    let _ = stream.write_all(request).await;
    read_to_close(&mut stream).await.0
}

fn status(response: &str) -> u16 {
    response
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("not an HTTP response: {response:?}"))
}

fn body(response: &str) -> serde_json::Value {
    let text = response.split_once("\r\n\r\n").map_or("", |(_, b)| b);
    serde_json::from_str(text).unwrap_or_else(|e| panic!("{e}: {response}"))
}

fn get(target: &str, extra_headers: &str) -> Vec<u8> {
    format!(
        "GET {target} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {STATIC_TOKEN}\r\n{extra_headers}Connection: close\r\n\r\n"
    )
    .into_bytes()
}

#[tokio::test]
async fn slow_headers_are_cut_off() {
    let addr = start(config()).await;
    let mut stream = TcpStream::connect(addr).await.unwrap();
    stream
        .write_all(b"GET /account/summary HTTP/1.1\r\nHost: x\r\n")
        .await
        .unwrap();
    // One header line every 200 ms: never a whole head within the 800 ms timeout.
    let drip = tokio::spawn(async move {
        for i in 0..50 {
            tokio::time::sleep(Duration::from_millis(200)).await;
            if stream
                .write_all(format!("X-{i}: y\r\n").as_bytes())
                .await
                .is_err()
            {
                return (i, stream);
            }
        }
        (50, stream)
    });
    let (lines, mut stream) = drip.await.unwrap();
    assert!(
        lines < 20,
        "the server accepted {lines} header lines over 200 ms each"
    );
    let (answer, _) = read_to_close(&mut stream).await;
    assert!(!answer.contains("200 OK"), "{answer}");
}

#[tokio::test]
async fn slow_bodies_are_answered_408() {
    let addr = start(config()).await;
    let mut stream = TcpStream::connect(addr).await.unwrap();
    let started = Instant::now();
    stream
        .write_all(b"POST /token HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"user")
        .await
        .unwrap();
    let (answer, _) = read_to_close(&mut stream).await;
    assert_eq!(status(&answer), 408, "{answer}");
    let elapsed = started.elapsed();
    assert!(elapsed < Duration::from_secs(5), "{elapsed:?}");
}

#[tokio::test]
async fn idle_connections_are_closed() {
    let config = config().header_read_timeout(Duration::from_secs(30));
    let addr = start(config).await;
    // Silent from the start.
    let mut stream = TcpStream::connect(addr).await.unwrap();
    let (answer, elapsed) = read_to_close(&mut stream).await;
    assert!(answer.is_empty(), "{answer}");
    assert!(elapsed < Duration::from_secs(5), "{elapsed:?}");
    // Kept alive after a request, then silent.
    let mut stream = TcpStream::connect(addr).await.unwrap();
    let request = format!(
        "GET /account/summary HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {STATIC_TOKEN}\r\n\r\n"
    );
    stream.write_all(request.as_bytes()).await.unwrap();
    let (answer, elapsed) = read_to_close(&mut stream).await;
    assert_eq!(status(&answer), 200, "{answer}");
    assert!(elapsed < Duration::from_secs(5), "{elapsed:?}");
}

#[tokio::test]
async fn oversized_heads_are_answered_431() {
    let addr = start(config()).await;
    let big = format!("X-Big: {}\r\n", "a".repeat(8000));
    assert_eq!(
        status(&exchange(addr, &get("/account/summary", &big)).await),
        431
    );
    let many: String = (0..40).map(|i| format!("X-{i}: y\r\n")).collect();
    assert_eq!(
        status(&exchange(addr, &get("/account/summary", &many)).await),
        431
    );
    // Under both limits: served.
    let few: String = (0..10).map(|i| format!("X-{i}: y\r\n")).collect();
    assert_eq!(
        status(&exchange(addr, &get("/account/summary", &few)).await),
        200
    );
}

#[tokio::test]
async fn long_uris_are_answered_414() {
    let addr = start(config()).await;
    let target = format!("/account/summary?pad={}", "a".repeat(3000));
    assert_eq!(status(&exchange(addr, &get(&target, "")).await), 414);
}

#[tokio::test]
async fn deep_json_is_answered_422() {
    let addr = start(config()).await;
    let json = format!("{{\"username\":{}1{}}}", "[".repeat(40), "]".repeat(40));
    let request = format!(
        "POST /token HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{json}",
        json.len()
    );
    let answer = exchange(addr, request.as_bytes()).await;
    assert_eq!(status(&answer), 422, "{answer}");
    assert!(answer.contains("json_depth"), "{answer}");
}

#[tokio::test]
async fn integers_beyond_i64_are_out_of_range() {
    let addr = start(config()).await;
    let target = format!("/device/{KNOWN_TRIP}/trip?page=196191364530561351680");
    let answer = exchange(addr, &get(&target, "")).await;
    assert_eq!(status(&answer), 422, "{answer}");
    let text = body(&answer).to_string();
    assert!(text.contains("out of range"), "{text}");
    assert!(!text.contains("unable to parse"), "{text}");
}
