//! Arbitrary responses (status, headers, body bytes) to each operation of the generated
//! PathStack client: every call ends in `Ok` or a typed `Error`, never a panic or a hang. The
//! responses come from a loopback server in this process that answers whatever the input says.
#![no_main]

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Mutex, OnceLock};
use std::time::Duration;

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use pathstack::client::Client;
use pathstack::types;
use stencil::uuid::Uuid;

#[derive(Arbitrary, Debug)]
struct Input {
    operation: u8,
    status: u16,
    content_type: u8,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

const CONTENT_TYPES: &[&str] = &[
    "application/json",
    "application/problem+json",
    "text/plain",
    "application/octet-stream",
    "",
];

/// The raw response the loopback server sends next.
static RESPONSE: Mutex<Vec<u8>> = Mutex::new(Vec::new());

fn read_request(stream: &mut TcpStream) {
    let mut seen = Vec::new();
    let mut buf = [0u8; 4096];
    while !seen.windows(4).any(|w| w == b"\r\n\r\n") {
        match stream.read(&mut buf) {
            Ok(0) | Err(_) => return,
            Ok(n) => seen.extend_from_slice(&buf[..n]),
        }
    }
    let head_end = seen.windows(4).position(|w| w == b"\r\n\r\n").unwrap_or(0) + 4;
    let head = String::from_utf8_lossy(&seen[..head_end]).to_ascii_lowercase();
    let length: usize = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(0);
    let mut have = seen.len() - head_end;
    while have < length {
        match stream.read(&mut buf) {
            Ok(0) | Err(_) => return,
            Ok(n) => have += n,
        }
    }
}

fn base_url() -> &'static str {
    static BASE: OnceLock<String> = OnceLock::new();
    BASE.get_or_init(|| {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
        let addr = listener.local_addr().expect("an address");
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
                read_request(&mut stream);
                let response = RESPONSE.lock().unwrap().clone();
                let _ = stream.write_all(&response);
                let _ = stream.shutdown(std::net::Shutdown::Both);
            }
        });
        format!("http://{addr}")
    })
}

fn runtime() -> &'static tokio::runtime::Runtime {
    static RUNTIME: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    RUNTIME.get_or_init(|| {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a runtime")
    })
}

fn raw_response(input: &Input) -> Vec<u8> {
    let status = 200 + input.status % 400;
    let mut head = format!("HTTP/1.1 {status} X\r\nconnection: close\r\n");
    let content_type = CONTENT_TYPES[usize::from(input.content_type) % CONTENT_TYPES.len()];
    if !content_type.is_empty() {
        head.push_str(&format!("content-type: {content_type}\r\n"));
    }
    for (name, value) in input.headers.iter().take(8) {
        let ok_name =
            !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
        let ok_value = !value.contains(['\r', '\n']);
        let framing = name.eq_ignore_ascii_case("content-length")
            || name.eq_ignore_ascii_case("transfer-encoding")
            || name.eq_ignore_ascii_case("connection");
        if ok_name && ok_value && !framing {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
    }
    head.push_str(&format!("content-length: {}\r\n\r\n", input.body.len()));
    let mut bytes = head.into_bytes();
    bytes.extend_from_slice(&input.body);
    bytes
}

/// Call operation `n` and reduce its result to a line of text (decoding happened).
async fn call(client: &Client, n: u8) -> String {
    let id = Uuid::from_u128(1);
    macro_rules! show {
        ($call:expr) => {
            match $call.await {
                Ok(v) => format!("ok {}", v.status()),
                Err(e) => format!("err {:?}", e.status()),
            }
        };
    }
    match n % 12 {
        0 => show!(client.login(types::UsernamePassword {
            username: "u".into(),
            password: "p".into(),
        })),
        1 => show!(client.refresh(types::RefreshToken {
            sub: "u".into(),
            refresh_token: "r".into(),
        })),
        2 => show!(client.account_summary()),
        3 => show!(client.account_activity_summary()),
        4 => show!(client.update_connection(id, Default::default())),
        5 => show!(client.update_connection_credentials(id, Default::default())),
        6 => show!(client.update_device_by_id(id, Default::default())),
        7 => show!(client.trips(id)),
        8 => show!(client.trip_by_id(id)),
        9 => show!(client.positions_by_trip_id(id)),
        10 => show!(client.get_realtime_positions(Default::default())),
        _ => show!(client.post_webhook(Default::default())),
    }
}

fuzz_target!(|input: Input| {
    *RESPONSE.lock().unwrap() = raw_response(&input);
    static CLIENT: OnceLock<Client> = OnceLock::new();
    let client = CLIENT.get_or_init(|| {
        let client = Client::new(base_url());
        client.set_http_bearer_token("t");
        client
    });
    runtime().block_on(async {
        tokio::time::timeout(Duration::from_secs(10), call(client, input.operation))
            .await
            .expect("the client hung on a complete response");
    });
});
