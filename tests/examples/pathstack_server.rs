//! The generated PathStack server over the in-memory implementation of the end-to-end tests,
//! for the contract test (`tests/contract/run.sh`).
//!
//! ```text
//! cargo run -p stencil-tests --example pathstack_server -- 127.0.0.1:8123
//! ```
//!
//! Prints `listening on http://ADDR` once it accepts connections. The bearer token
//! `contract-test-token` is always accepted.

#[path = "../tests/server_support/memory.rs"]
mod memory;

#[tokio::main]
async fn main() {
    let addr = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:0".to_owned());
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
    println!("listening on http://{local}");
    let router = pathstack::server::router(memory::Memory::new());
    // `serve`: the connection limits and timeouts of the default `Config` (issue 18).
    let config = stencil::server::Config::default();
    if let Err(e) = stencil::server::serve(listener, router, &config).await {
        eprintln!("server error: {e}");
        std::process::exit(1);
    }
}
