//! The generated PathStack client against a recording server on 127.0.0.1: the exact requests
//! it sends and how it decodes every declared (and undeclared) response.

mod client_support;

use client_support::{Canned, MockServer};
use pathstack::client::{Client, LoginError, RefreshError};
use pathstack::types;
use serde_json::json;
use stencil::chrono::{NaiveDate, TimeZone, Utc};
use stencil::client::Error;

fn credentials() -> types::UsernamePassword {
    types::UsernamePassword {
        username: "fleet@example.com".into(),
        password: "hunter2 & co".into(),
    }
}

fn tokens() -> serde_json::Value {
    json!({"data": {
        "token_type": "bearer",
        "expires_in": 3600,
        "access_token": "access-1",
        "refresh_token": "refresh-1",
        "sub": "user-1",
        "refresh_token_expires_in": 86400
    }})
}

/// A `Success[...]` envelope whose payload has only optional fields.
fn summary() -> Canned {
    Canned::json(200, json!({"data": {}}))
}

fn envelope(code: u16, message: &str) -> serde_json::Value {
    json!({"error": {"code": code, "message": message}})
}

#[tokio::test]
async fn login_sends_the_exact_request_and_decodes_the_tokens() {
    let server = MockServer::start().await;
    server.respond(Canned::json(200, tokens()).header("x-request-id", "r-1"));
    let client = Client::new(server.url());

    let response = client.login(credentials()).await.expect("200 decodes");

    let request = server.last();
    assert_eq!(request.method, "POST");
    assert_eq!(request.path, "/token");
    assert_eq!(request.query, None);
    assert_eq!(request.header("content-type"), Some("application/json"));
    assert_eq!(
        request.header("x-api-version"),
        Some("2024-03-26"),
        "the generated-from version is pinned"
    );
    assert_eq!(request.header("authorization"), None);
    assert_eq!(
        request.body_str(),
        r#"{"username":"fleet@example.com","password":"hunter2 & co"}"#
    );

    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["x-request-id"], "r-1");
    assert_eq!(response.header("x-request-id"), Some("r-1"));
    let data = &response.data;
    assert_eq!(data.access_token, "access-1");
    assert_eq!(data.refresh_token, "refresh-1");
    assert_eq!(data.sub, "user-1");
    assert_eq!(data.expires_in, 3600);
    assert_eq!(data.token_type, "bearer");
    assert_eq!(response.into_inner().data.refresh_token_expires_in, 86400);
}

#[tokio::test]
async fn login_decodes_each_declared_error_status_as_its_variant() {
    let server = MockServer::start().await;
    let client = Client::new(server.url());

    let cases: [(u16, serde_json::Value); 4] = [
        (400, envelope(400, "Invalid JWT format")),
        (401, envelope(401, "Wrong username or password.")),
        (
            403,
            envelope(403, "You do not have access to this resource"),
        ),
        (
            422,
            json!({"error": {"code": 422, "message": "Field required", "loc": ["body", "password", 0], "msg": "Field required", "type": "missing"}}),
        ),
    ];
    for (status, body) in cases {
        server.respond(Canned::json(status, body).header("x-trace", "t"));
        let error = client
            .login(credentials())
            .send()
            .await
            .expect_err("an error status");
        let Error::Api(value) = error else {
            panic!("{status}: expected Error::Api, got {error:?}")
        };
        assert_eq!(value.status(), status);
        assert_eq!(value.headers()["x-trace"], "t");
        let message =
            |e: &types::ErrorResponse| e.error.as_ref().and_then(|e| e.message.clone()).unwrap();
        match (status, value.into_inner()) {
            (400, LoginError::BadRequest(e)) => assert_eq!(message(&e), "Invalid JWT format"),
            (401, LoginError::Unauthorized(e)) => {
                assert_eq!(message(&e), "Wrong username or password.")
            }
            (403, LoginError::Forbidden(e)) => {
                assert_eq!(e.error.unwrap().code, Some(403));
            }
            (422, LoginError::UnprocessableEntity(e)) => {
                let e = e.error.unwrap();
                assert_eq!(e.msg.as_deref(), Some("Field required"));
                assert_eq!(e.type_.as_deref(), Some("missing"));
                assert_eq!(
                    e.loc.unwrap(),
                    vec![
                        types::UnprocessableEntityResponseErrorLocItem::String("body".into()),
                        types::UnprocessableEntityResponseErrorLocItem::String("password".into()),
                        types::UnprocessableEntityResponseErrorLocItem::I64(0),
                    ]
                );
            }
            (status, other) => panic!("{status} decoded as {other:?}"),
        }
    }
    assert_eq!(server.take().len(), 4);
}

#[tokio::test]
async fn undeclared_statuses_and_undecodable_bodies_keep_the_raw_response() {
    let server = MockServer::start().await;
    let client = Client::new(server.url());

    server.respond(Canned::new(503, "text/html", "<h1>down</h1>").header("retry-after", "30"));
    match client.login(credentials()).await {
        Err(Error::UnexpectedStatus {
            status,
            headers,
            body,
        }) => {
            assert_eq!(status, 503);
            assert_eq!(headers["retry-after"], "30");
            assert_eq!(&body[..], b"<h1>down</h1>");
        }
        other => panic!("expected UnexpectedStatus, got {other:?}"),
    }

    // A declared status whose body does not decode: success and error alike.
    for status in [200, 401] {
        server.respond(Canned::new(status, "application/json", "{not json").header("x-a", "b"));
        match client.login(credentials()).await {
            Err(Error::Decode {
                status: got,
                headers,
                body,
                message,
            }) => {
                assert_eq!(got, status);
                assert_eq!(headers["x-a"], "b");
                assert_eq!(&body[..], b"{not json");
                assert!(!message.is_empty());
            }
            other => panic!("expected Decode, got {other:?}"),
        }
    }
    // Well-formed JSON of the wrong shape is a decode error too.
    server.respond(Canned::json(200, json!({"data": {"access_token": 5}})));
    let error = client.login(credentials()).await.unwrap_err();
    assert!(matches!(error, Error::Decode { .. }), "{error:?}");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(200));
    assert_eq!(
        error.body().map(|b| b.len()),
        Some(r#"{"data":{"access_token":5}}"#.len())
    );
    assert!(error.to_string().contains("200"), "{error}");

    // Empty and huge bodies, binary garbage: errors, never panics.
    for body in [Vec::new(), vec![0xff; 3], "[".repeat(50_000).into_bytes()] {
        server.respond(Canned::new(200, "application/json", body));
        assert!(matches!(
            client.login(credentials()).await,
            Err(Error::Decode { .. })
        ));
    }
    server.take();
}

#[tokio::test]
async fn the_caller_can_choose_another_api_version() {
    let server = MockServer::start().await;
    server.respond(Canned::json(200, tokens()));
    let client = Client::new(server.url());
    client
        .login(credentials())
        .x_api_version(NaiveDate::from_ymd_opt(2024, 3, 27).unwrap())
        .await
        .unwrap();
    assert_eq!(server.last().header("x-api-version"), Some("2024-03-27"));
}

#[tokio::test]
async fn bearer_token_is_sent_on_authenticated_operations_only_and_can_be_replaced_live() {
    let server = MockServer::start().await;
    let client = Client::new(server.url());

    // No token set yet: the authenticated operation goes without one.
    server.respond(summary());
    client.account_summary().await.unwrap();
    assert_eq!(server.last().header("authorization"), None);

    server.respond(Canned::json(200, tokens()));
    let login = client.login(credentials()).await.unwrap();
    client.set_http_bearer_token(&login.data.access_token);
    assert_eq!(
        server.last().header("authorization"),
        None,
        "/token sends no token"
    );

    server.respond(summary());
    client.account_summary().await.unwrap();
    let request = server.last();
    assert_eq!(
        (request.method.as_str(), request.path.as_str()),
        ("GET", "/account/summary")
    );
    assert_eq!(request.header("authorization"), Some("Bearer access-1"));
    assert_eq!(request.header("x-api-version"), Some("2024-03-26"));

    // /refresh sends no token either, even though one is set.
    server.respond(Canned::json(
        200,
        json!({"data": {"access_token": "access-2", "token_type": "bearer", "expires_in": 3600}}),
    ));
    let refreshed = client
        .refresh(types::RefreshToken {
            sub: "user-1".into(),
            refresh_token: "refresh-1".into(),
        })
        .await
        .unwrap();
    let request = server.last();
    assert_eq!(request.path, "/refresh");
    assert_eq!(request.header("authorization"), None);
    assert_eq!(
        request.json(),
        json!({"sub": "user-1", "refresh_token": "refresh-1"})
    );

    // A new token on the live client (through a clone: clones share credentials).
    let clone = client.clone();
    clone.set_http_bearer_token(refreshed.into_inner().data.access_token.unwrap());
    server.respond(summary());
    client.account_activity_summary().days(30).await.unwrap();
    let request = server.last();
    assert_eq!(request.header("authorization"), Some("Bearer access-2"));
    assert_eq!(request.query.as_deref(), Some("days=30"));

    client.clear_credentials();
    server.respond(summary());
    clone.account_summary().await.unwrap();
    assert_eq!(server.last().header("authorization"), None);
}

#[tokio::test]
async fn refresh_decodes_its_401() {
    let server = MockServer::start().await;
    server.respond(Canned::json(401, envelope(401, "expired")));
    let client = Client::new(server.url());
    let error = client
        .refresh(types::RefreshToken {
            sub: "s".into(),
            refresh_token: "r".into(),
        })
        .await
        .unwrap_err();
    match error.into_api().map(|v| v.into_inner()) {
        Some(RefreshError::Unauthorized(e)) => {
            assert_eq!(e.error.unwrap().message.as_deref(), Some("expired"))
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn path_and_query_parameters_are_encoded_as_on_the_wire() {
    let server = MockServer::start().await;
    server.respond(Canned::json(200, json!({"data": []})));
    let client = Client::new(format!("{}/", server.url()));
    assert_eq!(
        client.base_url(),
        server.url(),
        "a trailing slash is dropped"
    );
    let device = stencil::uuid::Uuid::parse_str("6f1c1a52-8a8e-4d39-9d7a-0d6c4a1b2c3d").unwrap();
    let _ = client
        .trips(device)
        .start_time_utc(Utc.with_ymd_and_hms(2024, 3, 26, 8, 30, 0).unwrap())
        .verify_data_collection(false)
        .page(2)
        .send()
        .await;
    let request = server.last();
    assert_eq!(
        request.path,
        "/device/6f1c1a52-8a8e-4d39-9d7a-0d6c4a1b2c3d/trip"
    );
    assert_eq!(
        request.query.as_deref(),
        Some("start_time_utc=2024-03-26T08%3A30%3A00Z&verify_data_collection=false&page=2"),
        "unset optional query parameters are left out"
    );
}

#[tokio::test]
async fn an_invalid_header_value_is_an_error_and_nothing_is_sent() {
    let server = MockServer::start().await;
    let client = Client::new(server.url());
    client.set_http_bearer_token("token\r\nX-Injected: yes");
    match client.account_summary().await {
        Err(Error::InvalidRequest(message)) => {
            assert!(message.contains("authorization"), "{message}")
        }
        other => panic!("expected InvalidRequest, got {other:?}"),
    }
    assert!(server.take().is_empty(), "nothing was sent");
}

#[tokio::test]
async fn transport_failures_are_their_own_error() {
    // A port nothing listens on.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    let client = Client::new(url);
    let error = client.login(credentials()).await.unwrap_err();
    assert!(matches!(error, Error::Transport(_)), "{error:?}");
    assert!(std::error::Error::source(&error).is_some());

    let client = Client::new("not a url");
    assert!(matches!(
        client.account_summary().await,
        Err(Error::InvalidRequest(_))
    ));
}

#[tokio::test]
async fn a_user_built_reqwest_client_is_used_as_configured() {
    let server = MockServer::start().await;
    let mut headers = stencil::reqwest::header::HeaderMap::new();
    headers.insert("user-agent", "fleet-sync/1.0".parse().unwrap());
    let http = stencil::reqwest::Client::builder()
        .default_headers(headers)
        .timeout(std::time::Duration::from_secs(5))
        .build()
        .unwrap();
    let client = Client::with_client(server.url(), http);
    server.respond(summary());
    client.account_summary().await.unwrap();
    assert_eq!(server.last().header("user-agent"), Some("fleet-sync/1.0"));
    assert_eq!(Client::default().base_url(), "https://api.pathstack.io");
    assert_eq!(Client::DEFAULT_BASE_URL, "https://api.pathstack.io");
}

/// The example of README.md (PathStack client), with the mock server for PathStack and a
/// fixed password: it compiles and does what it says.
async fn readme_example(client: Client) -> Result<(), Box<dyn std::error::Error>> {
    use pathstack::client::Error;
    use pathstack::types::{RefreshToken, UsernamePassword};

    let credentials = UsernamePassword {
        username: "fleet@example.com".into(),
        password: "secret".into(),
    };
    let tokens = match client.login(credentials).await {
        Ok(response) => response.into_inner().data,
        Err(Error::Api(response)) => match response.into_inner() {
            LoginError::Unauthorized(body) => return Err(format!("login refused: {body:?}").into()),
            other => return Err(format!("login failed: {other:?}").into()),
        },
        Err(other) => return Err(other.into()),
    };

    client.set_http_bearer_token(&tokens.access_token);
    let summary = client.account_summary().await?;
    println!("status {}: {:?}", summary.status(), summary.data);

    let activity = client.account_activity_summary().days(30).limit(5).await?;
    println!("{:?}", activity.data);

    let refreshed = client
        .refresh(RefreshToken {
            sub: tokens.sub,
            refresh_token: tokens.refresh_token,
        })
        .await?;
    if let Some(token) = &refreshed.data.access_token {
        client.set_http_bearer_token(token);
    }
    Ok(())
}

#[tokio::test]
async fn the_readme_example_works() {
    let server = MockServer::start().await;
    server
        .respond(Canned::json(200, tokens()))
        .respond(summary())
        .respond(summary())
        .respond(Canned::json(
            200,
            json!({"data": {"access_token": "access-2"}}),
        ));
    readme_example(Client::new(server.url())).await.unwrap();
    let requests = server.take();
    let seen: Vec<(&str, Option<&str>)> = requests
        .iter()
        .map(|r| (r.path.as_str(), r.header("authorization")))
        .collect();
    assert_eq!(
        seen,
        [
            ("/token", None),
            ("/account/summary", Some("Bearer access-1")),
            ("/account/activity-summary", Some("Bearer access-1")),
            ("/refresh", None),
        ]
    );
    assert_eq!(requests[2].query.as_deref(), Some("days=30&limit=5"));

    server.respond(Canned::json(
        401,
        envelope(401, "Incorrect username or password"),
    ));
    let error = readme_example(Client::new(server.url())).await.unwrap_err();
    assert!(error.to_string().starts_with("login refused"), "{error}");
}
