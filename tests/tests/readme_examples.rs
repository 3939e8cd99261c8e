//! README.md's client examples ("Retries, timeouts, hooks and tracing", "Pages and typed
//! response headers", "Mocking a client"), run: every ```rust block of those sections is in
//! this file or in `client_runtime.rs` verbatim (`the_readme_client_examples_are_this_code`),
//! and the tests below call them, over the in-process transport.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::Query;
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use axum::routing::{get, post};
use pagination::types::Item;
use pathstack::client::Client;
use pathstack::types::UsernamePassword;
use serde_json::json;
use stencil::client::{BoxError, Hook, Operation, RetryPolicy, Transport};

/// A stand-in for the signing function of the README's example (not an HMAC): what it signs.
fn my_hmac(method: &reqwest::Method, path: &str, body: Option<&reqwest::Body>) -> String {
    let length = body
        .and_then(reqwest::Body::as_bytes)
        .map_or(0, <[u8]>::len);
    format!("{method} {path} {length}")
}

/// Sign every attempt (the body, method and path are all there).
struct Sign;

impl Hook for Sign {
    fn before_send(
        &self,
        request: &mut reqwest::Request,
        _: &Operation<'_>,
    ) -> Result<(), BoxError> {
        let signature = my_hmac(request.method(), request.url().path(), request.body());
        request
            .headers_mut()
            .insert("x-signature", signature.parse()?);
        Ok(())
    }
}

async fn retries_timeouts_and_hooks(
    client: Client,
    body: UsernamePassword,
) -> Result<(), Box<dyn std::error::Error>> {
    let client = client.configure(|o| {
        o.retry(
            RetryPolicy::new()
                .max_attempts(4)
                .deadline(Some(Duration::from_secs(20))),
        )
        .timeout(Duration::from_secs(10))
        .hook(Sign)
    });
    // A POST the server deduplicates, retried too, then one call with a longer timeout:
    let login = client.configure(|o| o.retry(RetryPolicy::new().non_idempotent(true)));
    let tokens = login.login(body).await?.into_inner().data;
    client.set_http_bearer_token(&tokens.access_token);
    client
        .configure(|o| o.timeout(Duration::from_secs(60)))
        .account_summary()
        .await?;
    Ok(())
}

async fn every_item(
    client: &pagination::client::Client,
) -> Result<Vec<Item>, stencil::client::Error<std::convert::Infallible>> {
    use futures_util::TryStreamExt;
    client
        .list_stripe()
        .limit(100)
        .into_stream()
        .try_collect()
        .await
}

#[tokio::test]
async fn the_retries_and_hooks_example_runs() {
    // The login fails once with 503 (retried: the policy allows it for this POST), then every
    // request must carry the signature of its method, path and body length.
    let signatures = Arc::new(Mutex::new(Vec::new()));
    let seen = signatures.clone();
    let logins = Arc::new(Mutex::new(0));
    let record = move |headers: &HeaderMap| {
        let signature = headers
            .get("x-signature")
            .map(|v| v.to_str().unwrap().to_owned());
        seen.lock().unwrap().push(signature.unwrap_or_default());
    };
    let on_login = record.clone();
    let mock = axum::Router::new()
        .route(
            "/token",
            post(move |headers: HeaderMap| {
                on_login(&headers);
                let first = std::mem::replace(&mut *logins.lock().unwrap(), 1) == 0;
                async move {
                    if first {
                        return (StatusCode::SERVICE_UNAVAILABLE, axum::Json(json!({})))
                            .into_response();
                    }
                    let data = json!({"data": {
                        "token_type": "bearer", "expires_in": 3600, "access_token": "t",
                        "refresh_token": "r", "sub": "s", "refresh_token_expires_in": 86400
                    }});
                    (StatusCode::OK, axum::Json(data)).into_response()
                }
            }),
        )
        .route(
            "/account/summary",
            get(move |headers: HeaderMap| {
                record(&headers);
                let bearer = headers
                    .get("authorization")
                    .is_some_and(|v| v == "Bearer t");
                async move {
                    let status = if bearer {
                        StatusCode::OK
                    } else {
                        StatusCode::UNAUTHORIZED
                    };
                    (status, axum::Json(json!({"data": {}})))
                }
            }),
        );
    let client = Client::with_transport("http://pathstack.test", Transport::service(mock));
    let body = UsernamePassword {
        username: "demo".into(),
        password: "secret".into(),
    };
    retries_timeouts_and_hooks(client, body).await.unwrap();
    let signatures = signatures.lock().unwrap();
    assert_eq!(signatures.len(), 3, "{signatures:?}");
    assert!(signatures[0].starts_with("POST /token "), "{signatures:?}");
    assert_eq!(signatures[0], signatures[1], "the retry is signed again");
    assert_eq!(signatures[2], "GET /account/summary 0");
}

#[tokio::test]
async fn the_pagination_example_runs() {
    // Stripe's scheme: `data`, `has_more`, and the next page `starting_after` the last id.
    let mock = axum::Router::new().route(
        "/stripe",
        get(|Query(page): Query<HashMap<String, String>>| async move {
            let start = page
                .get("starting_after")
                .map_or(0, |id| id[1..].parse::<usize>().unwrap() + 1);
            let limit = page
                .get("limit")
                .map_or(10, |l| l.parse::<usize>().unwrap());
            let end = 250.min(start + limit);
            let data: Vec<_> = (start..end)
                .map(|i| json!({"id": format!("i{i}"), "n": i}))
                .collect();
            axum::Json(json!({"data": data, "has_more": end < 250}))
        }),
    );
    let client = pagination::client::Client::with_transport(
        "http://pagination.test",
        Transport::service(mock),
    );
    let items = every_item(&client).await.unwrap();
    assert_eq!(items.len(), 250);
    assert!(items.iter().enumerate().all(|(i, item)| item.n == i as i64));
}

/// The ```rust blocks of the README's client sections, each found verbatim in one of these
/// files.
#[test]
fn the_readme_client_examples_are_this_code() {
    let readme = include_str!("../../README.md");
    let start = readme
        .find("### Retries, timeouts, hooks and tracing (client)")
        .expect("README.md has the retries section");
    let end = readme[start..]
        .find("\n## ")
        .map_or(readme.len(), |e| start + e);
    let sources = [
        include_str!("readme_examples.rs"),
        include_str!("client_runtime.rs"),
    ];
    let blocks: Vec<&str> = readme[start..end]
        .split("```rust\n")
        .skip(1)
        .map(|rest| rest.split("```\n").next().unwrap())
        .collect();
    assert!(blocks.len() >= 3, "{} blocks", blocks.len());
    for block in blocks {
        assert!(
            sources.iter().any(|s| s.contains(block)),
            "this README.md example is not in tests/tests/readme_examples.rs or \
             client_runtime.rs:\n{block}"
        );
    }
}
