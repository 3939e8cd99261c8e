//! The generated PathStack server's logs never hold a credential (issue 18): every event and
//! span at every level, captured while failing authenticated requests are served over
//! 127.0.0.1, is searched for the bearer token and the password the requests carried.
//!
//! One test in its own binary: the subscriber is process-wide.

#[path = "server_support/memory.rs"]
mod memory;

use std::io::Write;
use std::sync::{Arc, Mutex};

use memory::Memory;
use stencil::server::Config;
use tracing_subscriber::fmt::MakeWriter;

const TOKEN: &str = "tok-SECRET-3f9a1c";
const PASSWORD: &str = "pw-SECRET-77d2e0";

#[derive(Clone, Default)]
struct Capture(Arc<Mutex<Vec<u8>>>);

impl Write for Capture {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for Capture {
    type Writer = Capture;
    fn make_writer(&'a self) -> Capture {
        self.clone()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn failing_authenticated_requests_log_no_credentials() {
    let capture = Capture::default();
    tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(capture.clone())
        .with_ansi(false)
        .init();

    let config = Config::default();
    let router = pathstack::server::router(Memory::new());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { stencil::server::serve(listener, router, &config).await });

    let http = reqwest::Client::new();
    let login = |body: String| {
        http.post(format!("{base}/token"))
            .header("content-type", "application/json")
            .body(body)
            .send()
    };
    // A refused bearer token.
    let response = http
        .get(format!("{base}/account/summary"))
        .bearer_auth(TOKEN)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 401);
    // A refused token with an invalid query besides.
    let response = http
        .get(format!("{base}/account/activity-summary?limit=x"))
        .bearer_auth(TOKEN)
        .send()
        .await
        .unwrap();
    assert!(response.status().is_client_error());
    // A wrong password, a malformed login body, a login body of the wrong shape.
    let wrong = format!(r#"{{"username":"demo","password":"{PASSWORD}"}}"#);
    assert_eq!(login(wrong).await.unwrap().status(), 401);
    let malformed = format!(r#"{{"username":"demo","password":"{PASSWORD}""#);
    assert_eq!(login(malformed).await.unwrap().status(), 422);
    let shape = format!(r#"{{"username":7,"password":"{PASSWORD}"}}"#);
    assert_eq!(login(shape).await.unwrap().status(), 422);

    let logs = String::from_utf8(capture.0.lock().unwrap().clone()).unwrap();
    // The capture works: the rejections were logged.
    assert!(logs.contains("request rejected"), "{logs}");
    assert!(logs.contains("status=401"), "{logs}");
    assert!(
        !logs.contains(TOKEN),
        "the bearer token was logged:\n{logs}"
    );
    assert!(!logs.contains(PASSWORD), "the password was logged:\n{logs}");
    assert!(
        !logs.to_ascii_lowercase().contains("authorization"),
        "{logs}"
    );
}
