//! Soak load for the generated PathStack server (issue 18), run by `benches/soak.sh`.
//!
//! ```text
//! runtime-bench-soak --url http://127.0.0.1:PORT --pid SERVER_PID [--seconds 600]
//!     [--connections 256] [--warmup 60]
//! ```
//!
//! `--connections` tasks, each with its own keep-alive connection, send requests in turn from a
//! fixed mix for `--seconds`: valid (200), invalid (422) and unauthenticated (401). Every
//! response's status is checked against the one its request must get. Every 5 s the server's
//! resident memory is read from `/proc/PID/status`. Prints the counts, transport errors, wrong
//! statuses, latency percentiles and RSS after warm-up and at the end; exits 1 when a request
//! failed, a status was wrong, or RSS grew by 5 % or more after warm-up.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use stencil_runtime_bench::arg;

const TOKEN: &str = "contract-test-token";
const KNOWN_TRIP: &str = "00000000-0000-4000-8000-000000000001";

/// Method, path, bearer token, body (JSON), expected status.
type Case = (
    &'static str,
    String,
    Option<&'static str>,
    Option<&'static str>,
    u16,
);

fn mix() -> Vec<Case> {
    vec![
        ("GET", "/account/summary".into(), Some(TOKEN), None, 200),
        ("GET", format!("/trip/{KNOWN_TRIP}"), Some(TOKEN), None, 200),
        (
            "GET",
            "/account/activity-summary?limit=5".into(),
            Some(TOKEN),
            None,
            200,
        ),
        (
            "GET",
            "/device/not-a-uuid/trip?page=x".into(),
            Some(TOKEN),
            None,
            422,
        ),
        (
            "POST",
            "/token".into(),
            None,
            Some(r#"{"username":"demo""#),
            422,
        ),
        (
            "POST",
            "/token".into(),
            None,
            Some(r#"{"username":"demo","password":"nope"}"#),
            401,
        ),
        ("GET", "/account/summary".into(), None, None, 401),
        ("GET", "/account/summary".into(), Some("revoked"), None, 401),
    ]
}

/// Latency buckets 1 % wide, from 1 µs.
struct Histogram(Vec<u64>);

impl Histogram {
    const STEP: f64 = 0.00995; // ln(1.01)

    fn new() -> Self {
        Histogram(vec![0; 2500])
    }
    fn record(&mut self, d: Duration) {
        let us = d.as_secs_f64() * 1e6;
        let i = (us.max(1.0).ln() / Self::STEP) as usize;
        let last = self.0.len() - 1;
        self.0[i.min(last)] += 1;
    }
    fn merge(&mut self, other: &Histogram) {
        for (a, b) in self.0.iter_mut().zip(&other.0) {
            *a += b;
        }
    }
    fn percentile(&self, p: f64) -> Duration {
        let total: u64 = self.0.iter().sum();
        let want = (total as f64 * p).ceil() as u64;
        let mut seen = 0;
        for (i, n) in self.0.iter().enumerate() {
            seen += n;
            if seen >= want.max(1) {
                return Duration::from_secs_f64(((i + 1) as f64 * Self::STEP).exp() / 1e6);
            }
        }
        Duration::ZERO
    }
}

#[derive(Default)]
struct Tally {
    sent: u64,
    transport_errors: u64,
    wrong_status: u64,
    first_wrong: Option<String>,
}

fn rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

async fn worker(url: String, offset: usize, stop: Arc<AtomicBool>) -> (Tally, Histogram) {
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(1)
        .build()
        .expect("a client");
    let cases = mix();
    let mut tally = Tally::default();
    let mut histogram = Histogram::new();
    let mut i = offset;
    while !stop.load(Ordering::Relaxed) {
        let (method, path, token, body, expected) = &cases[i % cases.len()];
        i += 1;
        let mut request = client.request(method.parse().expect("a method"), format!("{url}{path}"));
        if let Some(t) = token {
            request = request.bearer_auth(t);
        }
        if let Some(b) = body {
            request = request.header("content-type", "application/json").body(*b);
        }
        let started = Instant::now();
        let result = match request.send().await {
            Ok(response) => {
                let status = response.status().as_u16();
                response.bytes().await.map(|_| status)
            }
            Err(e) => Err(e),
        };
        histogram.record(started.elapsed());
        tally.sent += 1;
        match result {
            Ok(status) if status == *expected => {}
            Ok(status) => {
                tally.wrong_status += 1;
                tally
                    .first_wrong
                    .get_or_insert(format!("{method} {path}: {status}, expected {expected}"));
            }
            Err(_) => tally.transport_errors += 1,
        }
    }
    (tally, histogram)
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let url: String = arg(&args, "--url").expect("--url http://127.0.0.1:PORT");
    let pid: u32 = arg(&args, "--pid").expect("--pid SERVER_PID");
    let seconds: u64 = arg(&args, "--seconds").unwrap_or(600);
    let connections: usize = arg(&args, "--connections").unwrap_or(256);
    let warmup: u64 = arg(&args, "--warmup").unwrap_or(60).min(seconds / 2);

    let stop = Arc::new(AtomicBool::new(false));
    let workers: Vec<_> = (0..connections)
        .map(|n| tokio::spawn(worker(url.clone(), n, stop.clone())))
        .collect();
    let started = Instant::now();
    let mut warm_rss = None;
    let mut peak_rss = 0;
    while started.elapsed() < Duration::from_secs(seconds) {
        tokio::time::sleep(Duration::from_secs(5)).await;
        let rss = rss_kib(pid).unwrap_or(0);
        peak_rss = peak_rss.max(rss);
        if warm_rss.is_none() && started.elapsed() >= Duration::from_secs(warmup) {
            warm_rss = Some(rss);
        }
        println!("{:>5} s  rss {rss} KiB", started.elapsed().as_secs());
    }
    stop.store(true, Ordering::Relaxed);
    let mut total = Tally::default();
    let mut histogram = Histogram::new();
    for w in workers {
        let (tally, h) = w.await.expect("a worker");
        total.sent += tally.sent;
        total.transport_errors += tally.transport_errors;
        total.wrong_status += tally.wrong_status;
        total.first_wrong = total.first_wrong.or(tally.first_wrong);
        histogram.merge(&h);
    }
    let elapsed = started.elapsed().as_secs_f64();
    let end_rss = rss_kib(pid).unwrap_or(0);
    let warm_rss = warm_rss.unwrap_or(end_rss);
    let growth = (end_rss as f64 / warm_rss.max(1) as f64 - 1.0) * 100.0;
    println!("duration          {elapsed:.0} s, {connections} connections");
    println!(
        "requests          {} ({:.0}/s)",
        total.sent,
        total.sent as f64 / elapsed
    );
    println!("transport errors  {}", total.transport_errors);
    println!("wrong statuses    {}", total.wrong_status);
    if let Some(w) = &total.first_wrong {
        println!("  first: {w}");
    }
    for (name, p) in [("p50", 0.5), ("p99", 0.99), ("p99.9", 0.999)] {
        println!(
            "latency {name:<6}    {:.2} ms",
            histogram.percentile(p).as_secs_f64() * 1e3
        );
    }
    println!(
        "rss               {warm_rss} KiB after {warmup} s warm-up, {end_rss} KiB at the end ({growth:+.1} %), peak {peak_rss} KiB"
    );
    if total.transport_errors > 0 || total.wrong_status > 0 || growth >= 5.0 {
        println!("soak FAILED");
        std::process::exit(1);
    }
    println!("soak passed");
}
