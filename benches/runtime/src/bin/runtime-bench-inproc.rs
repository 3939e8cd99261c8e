//! In-process cost per Login request, without sockets: each router is called as a tower
//! service (`oneshot`), so the figures are the framework's and the handler's CPU work alone
//! (no kernel, no hyper connection handling). Then a breakdown of the generated handler by
//! stage (the same runtime calls the generated `handle_login` makes, with timers between
//! them), and micro-timings of the body and parameter decoding steps it does that a
//! hand-written `Json<T>` extractor does not.
//!
//! ```text
//! runtime-bench-inproc [--requests 200000] [--reps 3]
//! ```
//!
//! Single-threaded (current-thread runtime); run.sh pins it to one core.

use std::cell::RefCell;
use std::hint::black_box;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, Method};
use axum::response::Response;
use http_body_util::BodyExt as _;
use pathstack::server::{self as api, operations, schemas, Api as _};
use pathstack::types;
use serde::Deserialize as _;
use stencil::server as rt;
use stencil_runtime_bench::{arg, generated::Bench, hand, thread_cpu_time, LOGIN_BODY};
use tower::ServiceExt as _;

fn login_request() -> Request {
    Request::builder()
        .method(Method::POST)
        .uri("/token")
        .header(header::HOST, "127.0.0.1")
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::CONTENT_LENGTH, LOGIN_BODY.len())
        .body(Body::from(LOGIN_BODY))
        .expect("a valid request")
}

/// `n` requests through `router`: the CPU time this thread spent (the current-thread runtime
/// runs everything on it).
async fn through(router: &axum::Router, n: usize) -> Duration {
    let start = thread_cpu_time();
    for _ in 0..n {
        let response = router
            .clone()
            .oneshot(login_request())
            .await
            .expect("infallible");
        assert_eq!(response.status(), 200);
        let bytes = response
            .into_body()
            .collect()
            .await
            .expect("a full body")
            .to_bytes();
        black_box(bytes);
    }
    thread_cpu_time().saturating_sub(start)
}

// ---- the generated handler, stage by stage -------------------------------------------------

const STAGES: [&str; 6] = [
    "Input::new (parts, declared params only, x-api-version default)",
    "Input::read_body (collect, content type; plain-schema JSON kept as bytes)",
    "Input::param + Input::body (Value -> NaiveDate, bytes -> UsernamePassword)",
    "Input::check + Api::login (the user's code)",
    "rt::respond (LoginResponse -> JSON response, OperationInfo extension)",
    "total inside the handler",
];
thread_local! {
    /// Per-request stage durations (ns); medians are reported, so a request that lost its core
    /// to another process in the middle of a stage does not count.
    static SAMPLES: RefCell<Vec<[u32; 6]>> = const { RefCell::new(Vec::new()) };
}

async fn staged_login(State(server): State<Arc<rt::Server<Bench>>>, request: Request) -> Response {
    let op = &operations::LOGIN;
    let t0 = Instant::now();
    let (mut input, body) = rt::Input::new(op, request).await;
    let t1 = Instant::now();
    input
        .read_body(body, server.config())
        .await
        .expect("a valid body");
    let t2 = Instant::now();
    let (Some(x_api_version), Some(body)) = (input.param(0), input.body()) else {
        panic!("the benchmark request is valid");
    };
    let t3 = Instant::now();
    input.check().expect("no violations");
    let result = server
        .api()
        .login(api::LoginRequest {
            x_api_version,
            body,
        })
        .await;
    let t4 = Instant::now();
    let response = rt::respond(op, result).expect("login answers Ok");
    let t5 = Instant::now();
    let ns = |d: Duration| d.as_nanos().min(u32::MAX as u128) as u32;
    let sample = [
        ns(t1 - t0),
        ns(t2 - t1),
        ns(t3 - t2),
        ns(t4 - t3),
        ns(t5 - t4),
        ns(t5 - t0),
    ];
    SAMPLES.with(|s| s.borrow_mut().push(sample));
    response
}

fn staged_router() -> axum::Router {
    rt::route(&operations::LOGIN, staged_login, rt::Server::new(Bench))
}

// ---- micro-timings of single steps ---------------------------------------------------------

/// CPU nanoseconds per call of `f`.
fn time<T>(n: usize, mut f: impl FnMut() -> T) -> f64 {
    let start = thread_cpu_time();
    for _ in 0..n {
        black_box(f());
    }
    thread_cpu_time().saturating_sub(start).as_nanos() as f64 / n as f64
}

fn micro(n: usize) {
    let bytes = axum::body::Bytes::from_static(LOGIN_BODY.as_bytes());
    let value: serde_json::Value = serde_json::from_slice(&bytes).expect("JSON");
    println!("micro (CPU ns per call, {n} calls each):");
    let rows: Vec<(&str, f64)> = vec![
        (
            "serde_json::from_slice::<UsernamePassword> (what Json<T> does)",
            time(n, || {
                serde_json::from_slice::<types::UsernamePassword>(black_box(&bytes)).expect("ok")
            }),
        ),
        (
            "serde_json::from_slice::<Value> (preserve_order map)",
            time(n, || {
                serde_json::from_slice::<serde_json::Value>(black_box(&bytes)).expect("ok")
            }),
        ),
        ("rt::validate(USERNAME_PASSWORD, &value)", {
            // Standard mode never changes the value: one copy serves every iteration.
            let mut value = value.clone();
            time(n, || {
                let mut out = Vec::new();
                rt::validate(
                    &schemas::USERNAME_PASSWORD,
                    black_box(&mut value),
                    &mut vec![rt::LocSegment::from("body")],
                    &mut out,
                    rt::Validation::Standard,
                );
                out.len()
            })
        }),
        (
            "value.clone() (to feed the next row)",
            time(n, || black_box(&value).clone()),
        ),
        (
            "value.clone() + serde_path_to_error::deserialize::<UsernamePassword>",
            time(n, || {
                serde_path_to_error::deserialize::<_, types::UsernamePassword>(
                    black_box(&value).clone(),
                )
                .expect("ok")
            }),
        ),
        (
            "value.clone() + UsernamePassword::deserialize (no path tracking)",
            time(n, || {
                types::UsernamePassword::deserialize(black_box(&value).clone()).expect("ok")
            }),
        ),
        (
            "x-api-version default: serde_json::from_str::<Value>(\"\\\"2024-03-26\\\"\")",
            time(n, || {
                serde_json::from_str::<serde_json::Value>(black_box("\"2024-03-26\"")).expect("ok")
            }),
        ),
        (
            "x-api-version: Value -> NaiveDate via serde_path_to_error",
            time(n, || {
                serde_path_to_error::deserialize::<_, stencil::chrono::NaiveDate>(
                    serde_json::Value::String(black_box("2024-03-26").to_owned()),
                )
                .expect("ok")
            }),
        ),
    ];
    for (name, ns) in rows {
        println!("  {ns:>8.1}  {name}");
    }
}

async fn run(n: usize, reps: usize) {
    let generated = stencil_runtime_bench::generated::router();
    let handwritten = hand::router();
    let staged = staged_router();
    // Warm-up.
    through(&generated, n / 10).await;
    through(&handwritten, n / 10).await;
    let mut g = Vec::new();
    let mut h = Vec::new();
    for rep in 0..reps {
        let order: [(&axum::Router, &mut Vec<f64>, &str); 2] = if rep % 2 == 0 {
            [
                (&generated, &mut g, "generated"),
                (&handwritten, &mut h, "hand"),
            ]
        } else {
            [
                (&handwritten, &mut h, "hand"),
                (&generated, &mut g, "generated"),
            ]
        };
        for (router, out, name) in order {
            let ns = through(router, n).await.as_nanos() as f64 / n as f64;
            println!(
                "inproc rep={} router={name} cpu_ns_per_req={ns:.0}",
                rep + 1
            );
            out.push(ns);
        }
    }
    g.sort_by(|a, b| a.total_cmp(b));
    h.sort_by(|a, b| a.total_cmp(b));
    let (gm, hm) = (g[g.len() / 2], h[h.len() / 2]);
    println!(
        "inproc summary (median of {reps}, {n} requests each, CPU time): generated {gm:.0} ns/req, hand {hm:.0} ns/req, ratio {:.2}, difference {:+.0} ns/req",
        gm / hm,
        gm - hm
    );

    // Stage breakdown.
    through(&staged, n / 10).await;
    SAMPLES.with(|s| s.borrow_mut().clear());
    let total = through(&staged, n).await.as_nanos() as f64 / n as f64;
    let samples = SAMPLES.with(|s| std::mem::take(&mut *s.borrow_mut()));
    println!("generated handler by stage (median ns per request over {n} requests, wall clock between the runtime calls; whole oneshot {total:.0} ns CPU):");
    for (i, name) in STAGES.iter().enumerate() {
        let mut xs: Vec<u32> = samples.iter().map(|s| s[i]).collect();
        xs.sort_unstable();
        println!(
            "  {:>8}  {name}",
            xs.get(xs.len() / 2).copied().unwrap_or(0)
        );
    }
    micro(n);
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let n: usize = arg(&args, "--requests").unwrap_or(200_000).max(10);
    let reps: usize = arg(&args, "--reps").unwrap_or(3).max(1);
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a current-thread runtime");
    rt.block_on(run(n, reps));
}
