//! The generated PathStack client against the generated PathStack server over 127.0.0.1: every
//! operation and each declared status, and bad requests sent raw with reqwest, answered in the
//! declared error envelopes (exact JSON).

#[path = "server_support/memory.rs"]
mod memory;

use std::net::SocketAddr;
use std::sync::Arc;

use memory::{Memory, KNOWN_TRIP, STATIC_TOKEN};
use pathstack::client::{self, Client};
use pathstack::types;
use serde_json::{json, Value};
use stencil::client::Error as ClientError;
use stencil::server::{Config, Server};
use stencil::uuid::Uuid;
use stencil::Nullable;

async fn serve(router: axum::Router) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind 127.0.0.1");
    let addr = listener.local_addr().expect("local addr");
    tokio::spawn(async move {
        axum::serve(listener, router).await.expect("serve");
    });
    addr
}

async fn start() -> (Client, String) {
    start_with(Memory::new(), Config::default()).await
}

async fn start_with(memory: Memory, config: Config) -> (Client, String) {
    let router = pathstack::server::router_with(Server::with_config(memory, config));
    let base = format!("http://{}", serve(router).await);
    (Client::new(base.clone()), base)
}

fn login_body(username: &str, password: &str) -> types::UsernamePassword {
    types::UsernamePassword {
        username: username.to_owned(),
        password: password.to_owned(),
    }
}

async fn logged_in() -> (Client, String) {
    let (client, base) = start().await;
    let auth = client
        .login(login_body("demo", "secret"))
        .await
        .expect("login");
    client.set_http_bearer_token(auth.data.access_token.clone());
    (client, base)
}

/// Send a raw request; the status and the JSON body.
async fn raw(
    method: &str,
    url: String,
    token: Option<&str>,
    content_type: Option<&str>,
    body: Option<&str>,
) -> (u16, Value) {
    let http = reqwest::Client::new();
    let mut request = http.request(method.parse().expect("method"), url);
    if let Some(t) = token {
        request = request.header("authorization", format!("Bearer {t}"));
    }
    if let Some(ct) = content_type {
        request = request.header("content-type", ct);
    }
    if let Some(b) = body {
        request = request.body(b.to_owned());
    }
    let response = request.send().await.expect("send");
    let status = response.status().as_u16();
    let text = response.text().await.expect("body");
    let value = if text.is_empty() {
        Value::Null
    } else {
        serde_json::from_str(&text).unwrap_or(Value::String(text))
    };
    (status, value)
}

fn api_error<E: std::fmt::Debug>(e: ClientError<E>) -> (u16, E) {
    match e {
        ClientError::Api(v) => (v.status().as_u16(), v.into_inner()),
        other => panic!("expected a declared error response, got {other:?}"),
    }
}

fn envelope(code: i64, message: &str) -> types::ErrorResponse {
    types::ErrorResponse {
        error: Some(types::ErrorResponseError {
            code: Some(code),
            message: Some(message.to_owned()),
        }),
    }
}

// ---------------------------------------------------------------------------------------------
// Every operation, every declared status, through the generated client

#[tokio::test]
async fn login_every_declared_status() {
    let (client, _) = start().await;

    let ok = client
        .login(login_body("demo", "secret"))
        .await
        .expect("200");
    assert_eq!(ok.status().as_u16(), 200);
    assert_eq!(ok.data.token_type, "bearer");
    assert!(ok.data.access_token.starts_with("access-demo-"));

    let (status, e) = api_error(client.login(login_body(" ", "x")).await.unwrap_err());
    assert_eq!(
        (status, e),
        (
            400,
            client::LoginError::BadRequest(envelope(400, "Username must not be blank"))
        )
    );

    let (status, e) = api_error(client.login(login_body("demo", "wrong")).await.unwrap_err());
    assert_eq!(
        (status, e),
        (
            401,
            client::LoginError::Unauthorized(envelope(401, "Incorrect username or password"))
        )
    );

    let (status, e) = api_error(client.login(login_body("blocked", "x")).await.unwrap_err());
    assert_eq!(
        (status, e),
        (
            403,
            client::LoginError::Forbidden(envelope(403, "You do not have access to this resource"))
        )
    );

    // 422: the server's own validation (a wrong `x-api-version` header), in the declared envelope.
    let (status, body) = raw(
        "POST",
        format!("{}/token", client.base_url()),
        None,
        Some("application/json"),
        Some(r#"{"username": "demo", "password": "secret", "extra": 1}"#),
    )
    .await;
    assert_eq!(status, 200, "unknown properties are ignored: {body}");
    let http = reqwest::Client::new();
    let response = http
        .post(format!("{}/token", client.base_url()))
        .header("x-api-version", "yesterday")
        .json(&json!({"username": "demo", "password": "secret"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 422);
    assert_eq!(
        response.json::<Value>().await.unwrap(),
        json!({"error": {
            "code": 422,
            "message": "Input should be a valid date in the format YYYY-MM-DD",
            "loc": ["header", "x-api-version"],
            "msg": "Input should be a valid date in the format YYYY-MM-DD",
            "type": "date_parsing"
        }})
    );
}

#[tokio::test]
async fn refresh_ok_and_domain_error_in_declared_401() {
    let (client, _) = start().await;
    let auth = client.login(login_body("demo", "secret")).await.unwrap();
    let ok = client
        .refresh(types::RefreshToken {
            sub: auth.data.sub.clone(),
            refresh_token: auth.data.refresh_token.clone(),
        })
        .await
        .expect("200");
    assert_eq!(ok.data.token_type.as_deref(), Some("bearer"));

    let (status, e) = api_error(
        client
            .refresh(types::RefreshToken {
                sub: auth.data.sub.clone(),
                refresh_token: "nope".into(),
            })
            .await
            .unwrap_err(),
    );
    assert_eq!(
        (status, e),
        (
            401,
            client::RefreshError::Unauthorized(envelope(
                401,
                "Refresh token is invalid or expired."
            ))
        )
    );
}

#[tokio::test]
async fn account_operations() {
    let (client, _) = logged_in().await;
    let summary = client.account_summary().await.expect("summary");
    assert_eq!(summary.status().as_u16(), 200);
    assert_eq!(summary.data.devices.as_ref().and_then(|d| d.total), Some(2));

    // Defaults applied by the server: days 14, limit 10.
    let activity = client.account_activity_summary().await.expect("activity");
    assert_eq!(activity.data.limit, Some(10));
    assert_eq!(
        activity.data.trips_by_connection.as_ref().unwrap()[0].count,
        Some(14)
    );
    let activity = client
        .account_activity_summary()
        .days(30)
        .limit(5)
        .await
        .expect("activity");
    assert_eq!(activity.data.limit, Some(5));
    assert_eq!(
        activity.data.trips_by_connection.as_ref().unwrap()[0].count,
        Some(30)
    );
}

#[tokio::test]
async fn connection_operations() {
    let (client, _) = logged_in().await;
    let id = Uuid::from_u128(7);
    let body = types::UpdateConnectionBody {
        business_name: Nullable::Value("Acme Freight".into()),
        email: Nullable::Value("ops@acme.example".into()),
        active: Nullable::Value(false),
        ..Default::default()
    };
    let updated = client.update_connection(id, body).await.expect("update");
    assert_eq!(updated.data.business_name.as_deref(), Some("Acme Freight"));
    assert_eq!(updated.data.active, Some(false));
    assert_eq!(updated.data.id, Some(id.to_string()));

    let mut credentials = types::Credentials::new();
    credentials.insert("api_key".into(), json!("k"));
    let creds = client
        .update_connection_credentials(id, types::UpdateConnectionCredentialsBody { credentials })
        .await
        .expect("credentials");
    assert_eq!(
        creds.data.credentials.as_ref().unwrap()["api_key"],
        json!("***")
    );
}

#[tokio::test]
async fn device_trip_position_realtime_webhook_operations() {
    let (client, _) = logged_in().await;
    let device = Uuid::from_u128(42);

    let mut update = types::DeviceUpdate::new();
    update.insert("name".into(), json!("Truck 7"));
    let ok = client
        .update_device_by_id(device, update)
        .await
        .expect("device 200");
    assert_eq!(ok.data["id"], json!(device.to_string()));
    let mut bad = types::DeviceUpdate::new();
    bad.insert("name".into(), json!(""));
    let (status, e) = api_error(client.update_device_by_id(device, bad).await.unwrap_err());
    assert_eq!(
        (status, e),
        (
            400,
            client::UpdateDeviceByIdError::BadRequest(envelope(
                400,
                "Device name must not be empty"
            ))
        )
    );

    let trips = client
        .trips(device)
        .verify_data_collection(true)
        .await
        .expect("trips");
    assert_eq!(trips.data.len(), 1);
    let empty = client.trips(device).page(3).await.expect("trips page 3");
    assert!(empty.data.is_empty());

    let trip = client.trip_by_id(KNOWN_TRIP).await.expect("trip 200");
    assert_eq!(trip.data.id, Some(KNOWN_TRIP.to_string()));
    // A domain error (status 400, declared): rendered in the declared envelope.
    let other = Uuid::from_u128(1);
    let (status, e) = api_error(client.trip_by_id(other).await.unwrap_err());
    assert_eq!(
        (status, e),
        (
            400,
            client::TripByIdError::BadRequest(envelope(400, &format!("Trip {other} not found")))
        )
    );

    let positions = client
        .positions_by_trip_id(KNOWN_TRIP)
        .include_osm_road_classification(true)
        .await
        .expect("positions");
    assert_eq!(positions["osm"], json!(true));

    let realtime = client
        .get_realtime_positions(types::RealTimeParameters::new())
        .await
        .expect("realtime");
    assert_eq!(realtime.data.len(), 1);
    let mut bad = types::RealTimeParameters::new();
    bad.insert("filter_parameters".into(), json!(3));
    let (status, e) = api_error(client.get_realtime_positions(bad).await.unwrap_err());
    assert_eq!(
        (status, e),
        (
            400,
            client::GetRealtimePositionsError::BadRequest(envelope(
                400,
                "filter_parameters must be an object"
            ))
        )
    );

    let hook = types::PostWebhookBody {
        url: Some("https://example.org/hook".into()),
        ..Default::default()
    };
    let echoed = client.post_webhook(hook.clone()).await.expect("webhook");
    assert_eq!(echoed.data, Some(hook));
}

// ---------------------------------------------------------------------------------------------
// Bad requests, sent raw, answered in the declared envelopes

#[tokio::test]
async fn invalid_json_is_422_in_the_declared_envelope() {
    let (_, base) = start().await;
    let (status, body) = raw(
        "POST",
        format!("{base}/token"),
        None,
        Some("application/json"),
        Some(r#"{"username": "demo","#),
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(
        body,
        json!({"error": {"code": 422, "message": "JSON decode error", "loc": ["body", 20], "msg": "JSON decode error", "type": "json_invalid"}})
    );
}

#[tokio::test]
async fn missing_fields_are_all_listed() {
    let (_, base) = start().await;
    let (status, body) = raw(
        "POST",
        format!("{base}/token"),
        None,
        Some("application/json"),
        Some("{}"),
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(
        body,
        json!({"error": {
            "code": 422,
            "message": "2 validation errors: body.username: Field required; body.password: Field required",
            "loc": ["body", "username"],
            "msg": "Field required",
            "type": "missing"
        }})
    );
    // No body at all.
    let (status, body) = raw(
        "POST",
        format!("{base}/token"),
        None,
        Some("application/json"),
        None,
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(
        body,
        json!({"error": {"code": 422, "message": "Field required", "loc": ["body"], "msg": "Field required", "type": "missing"}})
    );
}

#[tokio::test]
async fn wrong_types_are_listed() {
    let (_, base) = start().await;
    let (status, body) = raw(
        "POST",
        format!("{base}/token"),
        None,
        Some("application/json"),
        Some(r#"{"username": 5, "password": ["x"]}"#),
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(
        body,
        json!({"error": {
            "code": 422,
            "message": "2 validation errors: body.username: Input should be a valid string; body.password: Input should be a valid string",
            "loc": ["body", "username"],
            "msg": "Input should be a valid string",
            "type": "string_type"
        }})
    );
    let (status, body) = raw(
        "POST",
        format!("{base}/token"),
        None,
        Some("application/json"),
        Some("[1, 2]"),
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(body["error"]["type"], json!("model_attributes_type"));
}

#[tokio::test]
async fn wrong_content_type_is_422() {
    let (_, base) = start().await;
    let (status, body) = raw(
        "POST",
        format!("{base}/token"),
        None,
        Some("text/plain"),
        Some("username=demo"),
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(
        body,
        json!({"error": {
            "code": 422,
            "message": "Unsupported content type 'text/plain'; expected application/json",
            "loc": ["body"],
            "msg": "Unsupported content type 'text/plain'; expected application/json",
            "type": "content_type"
        }})
    );
}

#[tokio::test]
async fn oversized_body_is_413() {
    let (_, base) = start_with(Memory::new(), Config::default().body_limit(64)).await;
    let big = format!(r#"{{"username": "{}", "password": "x"}}"#, "a".repeat(100));
    let (status, body) = raw(
        "POST",
        format!("{base}/token"),
        None,
        Some("application/json"),
        Some(&big),
    )
    .await;
    assert_eq!(status, 413);
    // 413 is not declared: the API's usual envelope (PathStack's 422 one), with the status.
    assert_eq!(
        body,
        json!({"error": {"code": 413, "message": "Request body is larger than 64 bytes", "msg": "Request body is larger than 64 bytes", "type": "payload_too_large"}})
    );
}

#[tokio::test]
async fn missing_or_rejected_token_is_401() {
    let (_, base) = start().await;
    let device = Uuid::from_u128(42);
    // /device/{id} declares 400 only; 401 uses the API's usual envelope with the status.
    let (status, body) = raw(
        "PATCH",
        format!("{base}/device/{device}"),
        None,
        Some("application/json"),
        Some("{}"),
    )
    .await;
    assert_eq!(status, 401);
    assert_eq!(
        body,
        json!({"error": {"code": 401, "message": "Not authenticated", "msg": "Not authenticated", "type": "unauthenticated"}})
    );

    let (status, body) = raw(
        "GET",
        format!("{base}/trip/{KNOWN_TRIP}"),
        Some("forged"),
        None,
        None,
    )
    .await;
    assert_eq!(status, 401);
    assert_eq!(
        body["error"]["message"],
        json!("Authentication header is missing, or token is invalid/expired.")
    );

    // Authentication comes before validation: a bad body without a token is a 401.
    let (status, _) = raw(
        "PATCH",
        format!("{base}/device/not-a-uuid"),
        None,
        Some("application/json"),
        Some("{"),
    )
    .await;
    assert_eq!(status, 401);

    // The static token is accepted.
    let (status, _) = raw(
        "GET",
        format!("{base}/trip/{KNOWN_TRIP}"),
        Some(STATIC_TOKEN),
        None,
        None,
    )
    .await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn parameters_are_validated() {
    let (_, base) = start().await;
    let t = Some(STATIC_TOKEN);
    // Every violation is listed: a bad path uuid, a query below its minimum, a non-integer.
    let (status, body) = raw(
        "GET",
        format!("{base}/device/not-a-uuid/trip?page=-1&start_time_utc=yesterday"),
        t,
        None,
        None,
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(
        body,
        json!({"error": {
            "code": 422,
            "message": "3 validation errors: path.device_id: Input should be a valid UUID; query.start_time_utc: Input should be a valid datetime; query.page: Input should be greater than or equal to 0",
            "loc": ["path", "device_id"],
            "msg": "Input should be a valid UUID",
            "type": "uuid_parsing"
        }})
    );
    let (status, body) = raw(
        "GET",
        format!("{base}/account/activity-summary?limit=101"),
        t,
        None,
        None,
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(body["error"]["loc"], json!(["query", "limit"]));
    assert_eq!(body["error"]["type"], json!("less_than_equal"));
    let (status, body) = raw(
        "GET",
        format!("{base}/account/activity-summary?days=many"),
        t,
        None,
        None,
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(body["error"]["type"], json!("int_parsing"));
    // Booleans the FastAPI way; `0` is false.
    let (status, _) = raw(
        "GET",
        format!("{base}/device/{KNOWN_TRIP}/trip?verify_data_collection=0"),
        t,
        None,
        None,
    )
    .await;
    assert_eq!(status, 200);
    let (status, body) = raw(
        "GET",
        format!("{base}/device/{KNOWN_TRIP}/trip?verify_trip_validity=perhaps"),
        t,
        None,
        None,
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(body["error"]["type"], json!("bool_parsing"));
}

#[tokio::test]
async fn nested_body_formats_are_validated() {
    let (_, base) = start().await;
    let id = Uuid::from_u128(9);
    let (status, body) = raw(
        "PATCH",
        format!("{base}/connection/{id}"),
        Some(STATIC_TOKEN),
        Some("application/json"),
        Some(r#"{"email": "not-an-email", "tags": ["a", 3], "active": null}"#),
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(
        body["error"]["message"],
        json!("2 validation errors: body.tags.1: Input should be a valid string; body.email: value is not a valid email address")
    );
    assert_eq!(body["error"]["loc"], json!(["body", "tags", 1]));
}

#[tokio::test]
async fn undeclared_domain_error_is_a_500_that_leaks_nothing() {
    let mut memory = Memory::new();
    memory.fail_undeclared = true;
    let (_, base) = start_with(memory, Config::default()).await;
    let (status, body) = raw(
        "GET",
        format!("{base}/account/summary"),
        Some(STATIC_TOKEN),
        None,
        None,
    )
    .await;
    assert_eq!(status, 500);
    assert_eq!(
        body,
        json!({"error": {"code": 500, "message": "Internal Server Error", "msg": "Internal Server Error", "type": "internal_error"}})
    );
    assert!(!body.to_string().contains("hunter2"));
}

// ---------------------------------------------------------------------------------------------
// Composition: operation ids for middleware, manual mounting

#[tokio::test]
async fn middleware_sees_the_operation() {
    use axum::extract::Request;
    use axum::middleware::{self, Next};

    async fn tag(request: Request, next: Next) -> axum::response::Response {
        let before = pathstack::server::operation_of(&request).map(|op| op.id);
        let mut response = next.run(request).await;
        let after = response
            .extensions()
            .get::<stencil::server::OperationInfo>()
            .map(|o| o.id());
        let value = format!("{}|{}", before.unwrap_or("-"), after.unwrap_or("-"));
        response
            .headers_mut()
            .insert("x-operation", value.parse().unwrap());
        response
    }

    let router = pathstack::server::router(Memory::new()).layer(middleware::from_fn(tag));
    let base = format!("http://{}", serve(router).await);
    let response = reqwest::Client::new()
        .post(format!("{base}/token"))
        .json(&json!({"username": "demo", "password": "secret"}))
        .send()
        .await
        .unwrap();
    assert_eq!(
        response.headers()["x-operation"],
        "login_token_post|login_token_post"
    );
    // Rejections carry it too.
    let response = reqwest::Client::new()
        .post(format!("{base}/token"))
        .body("{")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 422);
    assert_eq!(
        response.headers()["x-operation"],
        "login_token_post|login_token_post"
    );
}

#[tokio::test]
async fn routes_mount_by_hand_and_compose() {
    let server = Server::new(Memory::new());
    let router = axum::Router::new()
        .route("/health", axum::routing::get(|| async { "ok" }))
        .nest("/v1", pathstack::server::routes::login(Arc::clone(&server)));
    let base = format!("http://{}", serve(router).await);
    let client = Client::new(format!("{base}/v1"));
    assert!(client.login(login_body("demo", "secret")).await.is_ok());
    assert_eq!(
        reqwest::get(format!("{base}/health"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap(),
        "ok"
    );
    // Only the mounted operation is there.
    assert_eq!(
        reqwest::get(format!("{base}/v1/account/summary"))
            .await
            .unwrap()
            .status()
            .as_u16(),
        404
    );
}

#[tokio::test]
async fn the_document_can_be_served() {
    const DOCUMENT: &str = include_str!("../../specs/pathstack/openapi_2024-03-26.yaml");
    let router = pathstack::server::router(Memory::new())
        .merge(stencil::server::document_route("/openapi.yaml", DOCUMENT));
    let base = format!("http://{}", serve(router).await);
    let response = reqwest::get(format!("{base}/openapi.yaml")).await.unwrap();
    assert_eq!(response.headers()["content-type"], "application/yaml");
    assert_eq!(response.text().await.unwrap(), DOCUMENT);
}
