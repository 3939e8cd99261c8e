//! The generated PathStack client over the in-process transport (no socket): against the
//! generated server with the in-memory `Api`, and against hand-written mock routers; with
//! retries, hooks and per-request options. Its first three items are README.md's mocking
//! examples (checked by `readme_examples.rs`).

#[path = "server_support/memory.rs"]
mod memory;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::routing::{get, post};
use memory::Memory;
use pathstack::client::{Client, LoginError};
use pathstack::types::UsernamePassword;
use serde_json::json;
use stencil::client::{BoxError, Error, Hook, Operation, RetryPolicy, Transport};

fn demo(password: &str) -> UsernamePassword {
    UsernamePassword {
        username: "demo".into(),
        password: password.into(),
    }
}

/// Code under test, given a client.
async fn active_connections(client: &Client) -> Result<i64, Box<dyn std::error::Error>> {
    let tokens = client.login(demo("secret")).await?.into_inner().data;
    client.set_http_bearer_token(&tokens.access_token);
    let summary = client.account_summary().await?.into_inner().data;
    Ok(summary.connections.and_then(|c| c.active).unwrap_or(0))
}

#[tokio::test]
async fn the_generated_server_in_process() {
    // The generated server's router with an in-memory `Api`.
    let router = pathstack::server::router(Memory::new());
    let client = Client::with_transport("http://pathstack.test", Transport::service(router));
    assert_eq!(active_connections(&client).await.unwrap(), 0);

    // Declared errors decode as over a socket: the server validated and answered.
    let refused = client.login(demo("wrong")).await.unwrap_err();
    assert!(
        matches!(
            refused.as_api().map(|r| &**r),
            Some(LoginError::Unauthorized(_))
        ),
        "{refused:?}"
    );
}

#[tokio::test]
async fn a_hand_written_mock_router() {
    // A mock answering only what the test needs.
    let mock = axum::Router::new()
        .route(
            "/token",
            post(|| async {
                axum::Json(json!({"data": {
                    "token_type": "bearer", "expires_in": 3600, "access_token": "t",
                    "refresh_token": "r", "sub": "s", "refresh_token_expires_in": 86400
                }}))
            }),
        )
        .route(
            "/account/summary",
            get(|| async { axum::Json(json!({"data": {"connections": {"active": 7}}})) }),
        );
    let client = Client::with_transport("http://pathstack.test", Transport::service(mock));
    assert_eq!(active_connections(&client).await.unwrap(), 7);
}

/// Records the operation ids hooks see and signs nothing: the order and ids are what count.
struct Seen(Arc<Mutex<Vec<String>>>);

impl Hook for Seen {
    fn before_send(
        &self,
        request: &mut reqwest::Request,
        operation: &Operation<'_>,
    ) -> Result<(), BoxError> {
        let auth = request.headers().contains_key("authorization");
        self.0.lock().unwrap().push(format!(
            "{} {} {} attempt {} auth {auth}",
            operation.id.unwrap_or("-"),
            operation.method,
            operation.template,
            operation.attempt
        ));
        Ok(())
    }
}

#[tokio::test]
async fn retries_hooks_and_options_on_the_generated_client() {
    let calls = Arc::new(AtomicUsize::new(0));
    let counter = calls.clone();
    // 503 twice, then the summary.
    let mock = axum::Router::new().route(
        "/account/summary",
        get(move || {
            let n = counter.fetch_add(1, Ordering::SeqCst);
            async move {
                if n < 2 {
                    (axum::http::StatusCode::SERVICE_UNAVAILABLE, "{}").into_response()
                } else {
                    axum::Json(json!({"data": {}})).into_response()
                }
            }
        }),
    );
    use axum::response::IntoResponse as _;
    let seen = Arc::new(Mutex::new(Vec::new()));
    let client = Client::with_transport("http://pathstack.test", Transport::service(mock))
        .configure(|o| {
            o.retry(RetryPolicy::new().backoff(Duration::from_millis(1), Duration::from_millis(2)))
                .hook(Seen(seen.clone()))
        });
    client.set_http_bearer_token("tok");
    let summary = client.account_summary().await.unwrap();
    assert_eq!(summary.status(), 200);
    assert_eq!(calls.load(Ordering::SeqCst), 3);
    assert_eq!(
        *seen.lock().unwrap(),
        [
            "account_summary_account_summary_get GET /account/summary attempt 1 auth true",
            "account_summary_account_summary_get GET /account/summary attempt 2 auth true",
            "account_summary_account_summary_get GET /account/summary attempt 3 auth true",
        ]
    );
    // A derived client without retries for one call: the 503 comes back; credentials are shared.
    calls.store(0, Ordering::SeqCst);
    let once = client.configure(|o| o.retry(None));
    let err = once.account_summary().await.unwrap_err();
    assert!(matches!(err, Error::UnexpectedStatus { status, .. } if status == 503));
    assert_eq!(calls.load(Ordering::SeqCst), 1);
    assert!(seen.lock().unwrap().last().unwrap().ends_with("auth true"));
}
