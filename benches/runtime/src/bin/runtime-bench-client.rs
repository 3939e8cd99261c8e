//! The generated client's per-request overhead against a hand-written reqwest call.
//!
//! ```text
//! runtime-bench-client --url http://127.0.0.1:PORT [--requests 20000] [--reps 3] [--warmup 2000]
//! ```
//!
//! Sends `--requests` sequential Login calls (one keep-alive connection) per variant and
//! repetition, alternating which variant goes first, against a server already running (run.sh
//! starts the hand-written one on another core). Both variants put the same bytes on the wire
//! (`POST /token`, `x-api-version: 2024-03-26`, `content-type: application/json`, the same body)
//! and decode the same token JSON into a struct, so the server's share of the time is the same
//! and the difference is client-side work. Prints wall-clock and client-CPU microseconds per
//! request (this process runs only the client) and the ratios.

use std::hint::black_box;
use std::time::{Duration, Instant};

use pathstack::client::Client;
use pathstack::types;
use stencil_runtime_bench::{arg, hand, process_cpu_time, PASSWORD, USERNAME};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Variant {
    Generated,
    Hand,
}

impl Variant {
    fn name(self) -> &'static str {
        match self {
            Variant::Generated => "generated",
            Variant::Hand => "hand",
        }
    }
}

struct Clients {
    generated: Client,
    hand: reqwest::Client,
    token_url: String,
}

type BoxError = Box<dyn std::error::Error + Send + Sync>;

async fn one(clients: &Clients, variant: Variant) -> Result<(), BoxError> {
    match variant {
        Variant::Generated => {
            let body = types::UsernamePassword {
                username: USERNAME.to_owned(),
                password: PASSWORD.to_owned(),
            };
            let token = clients.generated.login(body).await?.into_inner();
            black_box(token);
        }
        Variant::Hand => {
            let body = hand::LoginBody {
                username: USERNAME.to_owned(),
                password: PASSWORD.to_owned(),
            };
            let response = clients
                .hand
                .post(&clients.token_url)
                .header("x-api-version", "2024-03-26")
                .json(&body)
                .send()
                .await?;
            if response.status() != reqwest::StatusCode::OK {
                return Err(format!("unexpected status {}", response.status()).into());
            }
            let token: hand::Success<hand::Token> = response.json().await?;
            black_box(token);
        }
    }
    Ok(())
}

/// `n` sequential calls: (wall time, this process's CPU time).
async fn batch(
    clients: &Clients,
    variant: Variant,
    n: usize,
) -> Result<(Duration, Duration), BoxError> {
    let cpu = process_cpu_time();
    let start = Instant::now();
    for _ in 0..n {
        one(clients, variant).await?;
    }
    Ok((start.elapsed(), process_cpu_time().saturating_sub(cpu)))
}

fn per_request_us(d: Duration, n: usize) -> f64 {
    d.as_secs_f64() * 1e6 / n as f64
}

fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(|a, b| a.total_cmp(b));
    xs[xs.len() / 2]
}

async fn run(url: String, requests: usize, reps: usize, warmup: usize) -> Result<(), BoxError> {
    let base = url.trim_end_matches('/').to_owned();
    let clients = Clients {
        // Separate but identically configured reqwest clients: each variant has its own
        // keep-alive connection.
        generated: Client::with_client(base.clone(), reqwest::Client::new()),
        hand: reqwest::Client::new(),
        token_url: format!("{base}/token"),
    };
    for variant in [Variant::Generated, Variant::Hand] {
        batch(&clients, variant, warmup).await?;
    }
    let mut wall = [Vec::new(), Vec::new()];
    let mut cpu = [Vec::new(), Vec::new()];
    for rep in 0..reps {
        let order = if rep % 2 == 0 {
            [Variant::Generated, Variant::Hand]
        } else {
            [Variant::Hand, Variant::Generated]
        };
        for variant in order {
            let (w, c) = batch(&clients, variant, requests).await?;
            let (w, c) = (per_request_us(w, requests), per_request_us(c, requests));
            println!(
                "client rep={} variant={} requests={requests} wall_us_per_req={w:.2} client_cpu_us_per_req={c:.2}",
                rep + 1,
                variant.name()
            );
            let i = variant as usize;
            wall[i].push(w);
            cpu[i].push(c);
        }
    }
    let (gw, hw) = (median(wall[0].clone()), median(wall[1].clone()));
    let (gc, hc) = (median(cpu[0].clone()), median(cpu[1].clone()));
    println!(
        "client summary (median of {reps}): generated wall {gw:.2} us/req, cpu {gc:.2} us/req; hand wall {hw:.2} us/req, cpu {hc:.2} us/req; ratio generated/hand wall {:.3}, cpu {:.3}; generated overhead wall {:+.2} us/req, cpu {:+.2} us/req",
        gw / hw,
        gc / hc,
        gw - hw,
        gc - hc
    );
    Ok(())
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(url) = arg::<String>(&args, "--url") else {
        eprintln!("usage: runtime-bench-client --url http://127.0.0.1:PORT [--requests 20000] [--reps 3] [--warmup 2000]");
        std::process::exit(2);
    };
    let host_ok = url.strip_prefix("http://").is_some_and(|rest| {
        rest.starts_with("127.") || rest.starts_with("localhost") || rest.starts_with("[::1]")
    });
    if !host_ok {
        eprintln!("refusing {url}: the benchmark only talks to the loopback interface");
        std::process::exit(2);
    }
    let requests: usize = arg(&args, "--requests").unwrap_or(20_000).max(1);
    let reps: usize = arg(&args, "--reps").unwrap_or(3).max(1);
    let warmup: usize = arg(&args, "--warmup").unwrap_or(2_000);
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a current-thread runtime");
    if let Err(e) = rt.block_on(run(url, requests, reps, warmup)) {
        eprintln!("runtime-bench-client: {e}");
        std::process::exit(1);
    }
}
