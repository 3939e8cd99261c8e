//! One of the two benchmark servers on 127.0.0.1.
//!
//! ```text
//! runtime-bench-server --mode generated|hand [--addr 127.0.0.1:8700] [--threads 1] [--max-seconds 900]
//! ```
//!
//! Prints `listening on http://ADDR` once it accepts connections, and exits by itself after
//! `--max-seconds` (so a forgotten server does not linger).

use std::time::Duration;

use stencil_runtime_bench::{arg, runtime, Mode};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(mode) = arg::<String>(&args, "--mode").and_then(|m| Mode::parse(&m)) else {
        eprintln!("usage: runtime-bench-server --mode generated|hand [--addr 127.0.0.1:0] [--threads 1] [--max-seconds 900]");
        std::process::exit(2);
    };
    let addr: String = arg(&args, "--addr").unwrap_or_else(|| "127.0.0.1:0".to_owned());
    let threads: usize = arg(&args, "--threads").unwrap_or(1);
    let max_seconds: u64 = arg(&args, "--max-seconds").unwrap_or(900);
    let rt = match runtime(threads) {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("cannot start the runtime: {e}");
            std::process::exit(1);
        }
    };
    rt.block_on(async move {
        let listener = match tokio::net::TcpListener::bind(&addr).await {
            Ok(l) => l,
            Err(e) => {
                eprintln!("cannot listen on {addr}: {e}");
                std::process::exit(1);
            }
        };
        let local = listener
            .local_addr()
            .expect("a bound listener has an address");
        if !local.ip().is_loopback() {
            eprintln!(
                "refusing to serve on {local}: the benchmark stays on the loopback interface"
            );
            std::process::exit(2);
        }
        println!(
            "listening on http://{local} ({} server, {threads} worker thread(s))",
            mode.name()
        );
        let serve = axum::serve(listener, mode.router());
        tokio::select! {
            result = serve => {
                if let Err(e) = result {
                    eprintln!("server error: {e}");
                    std::process::exit(1);
                }
            }
            _ = tokio::time::sleep(Duration::from_secs(max_seconds)) => {
                eprintln!("runtime-bench-server: --max-seconds {max_seconds} reached; exiting");
            }
        }
    });
}
