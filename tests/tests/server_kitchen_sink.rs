//! The generated kitchen-sink (OpenAPI 3.1) server against its generated client and raw requests:
//! every parameter style, form, multipart, text and binary bodies, a tagged union, enums,
//! patterns, and every kind of credential (bearer, basic, API key in header, query, cookie,
//! AND/OR/optional requirements).

use std::net::SocketAddr;

#[path = "server_support/zoo.rs"]
mod zoo;

use kitchen_sink_31::client::Client;
use kitchen_sink_31::server as api;
use kitchen_sink_31::types;
use serde_json::{json, Value};
use stencil::uuid::Uuid;
use stencil::Nullable;
use zoo::Zoo;

async fn start() -> (std::sync::Arc<stencil::server::Server<Zoo>>, String) {
    let server = stencil::server::Server::new(Zoo::default());
    let router = api::router_with(server.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr: SocketAddr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    (server, format!("http://{addr}"))
}

fn last_seen(server: &stencil::server::Server<Zoo>) -> String {
    server
        .api()
        .seen
        .lock()
        .unwrap()
        .last()
        .cloned()
        .unwrap_or_default()
}

async fn send(request: reqwest::RequestBuilder) -> (u16, Value) {
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let text = response.text().await.unwrap();
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

#[tokio::test]
async fn query_styles_defaults_and_deep_objects() {
    let (server, base) = start().await;
    let client = Client::new(&base);
    client.set_bearer_auth_token("t1");
    let _ = client
        .list_animals("north")
        .species(vec![types::Species::Lion, types::Species::RedPanda])
        .tags(vec!["a".into(), "b".into()])
        .filter(types::AnimalFilter {
            min_age: 2,
            max_age: Some(9),
            sort: types::AnimalFilterSort::Age,
        })
        .await;
    let seen = last_seen(&server);
    assert!(seen.starts_with("bearerAuth=Bearer(..)"), "{seen}");
    assert!(seen.contains("species: Some([Lion, RedPanda])"), "{seen}");
    assert!(seen.contains(r#"tags: Some(["a", "b"])"#), "{seen}");
    assert!(
        seen.contains("filter: Some(AnimalFilter { min_age: 2, max_age: Some(9), sort: Age })"),
        "{seen}"
    );
    assert!(
        seen.contains(r#"zone: "north", include_archived: false, page: 0, limit: 20"#),
        "{seen}"
    );

    // The domain error (400, declared) in the declared envelope.
    let http = reqwest::Client::new();
    let (status, body) = send(http.get(format!("{base}/animals?zone=n")).bearer_auth("t")).await;
    assert_eq!(
        (status, body),
        (400, json!({"error": {"code": 400, "message": "recorded"}}))
    );
}

#[tokio::test]
async fn bad_enum_and_every_violation_in_the_422_envelope() {
    let (_, base) = start().await;
    let http = reqwest::Client::new();
    let (status, body) = send(
        http.get(format!("{base}/animals?species=lion&species=dragon&limit=0&filter[sort]=height&tags=1,2,3,4,5,6,7,8,9,10,11"))
            .bearer_auth("t"),
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(
        body,
        json!({"error": {
            "code": 422,
            "message": "5 validation errors: query.species.1: Input should be 'lion', 'tiger', 'penguin', 'giraffe' or 'red_panda'; query.tags: List should have at most 10 items after validation, not 11; query.filter.sort: Input should be 'name', 'age' or 'species'; query.zone: Field required; query.limit: Input should be greater than or equal to 1",
            "loc": ["query", "species", 1],
            "msg": "Input should be 'lion', 'tiger', 'penguin', 'giraffe' or 'red_panda'",
            "type": "enum"
        }})
    );
}

#[tokio::test]
async fn json_and_form_bodies_and_the_default_envelope() {
    let (server, base) = start().await;
    let client = Client::new(&base);
    client.set_bearer_auth_token("t");
    let animal = types::AnimalCreate {
        name: "Rex".into(),
        species: types::Species::Tiger,
        birth_date: Nullable::Null,
        danger_level: types::DangerLevel::V3,
    };
    let err = client.create_animal(animal.clone()).await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(409));
    assert!(
        last_seen(&server)
            .contains(r#"name: "Rex", species: Tiger, birth_date: Null, danger_level: V3"#),
        "{}",
        last_seen(&server)
    );

    let _ = client.create_animal_form(animal).await;
    assert!(
        last_seen(&server).contains(r#"name: "Rex", species: Tiger"#),
        "{}",
        last_seen(&server)
    );

    // A domain error with a status the operation does not list goes to its `default` response.
    let http = reqwest::Client::new();
    let (status, body) = send(
        http.post(format!("{base}/animals"))
            .bearer_auth("t")
            .header("content-type", "application/x-www-form-urlencoded")
            .body("name=Rex&species=tiger"),
    )
    .await;
    assert_eq!(status, 409);
    assert_eq!(body["message"], json!("Already there"));
    assert_eq!(body["code"], json!(409));

    // Form values are typed by the schema: a bad enum value in a form field.
    let (status, body) = send(
        http.post(format!("{base}/animals"))
            .bearer_auth("t")
            .header("content-type", "application/x-www-form-urlencoded")
            .body("name=Rex&species=dragon&danger_level=9"),
    )
    .await;
    assert_eq!(status, 422, "{body}");
}

#[tokio::test]
async fn multipart_text_binary_and_tagged_union() {
    let (server, base) = start().await;
    let client = Client::new(&base);
    client.set_bearer_auth_token("t");
    let animal = Uuid::from_u128(5);
    let photo = types::UploadPhotoBody {
        file: stencil::bytes::Bytes::from_static(b"\x00\x01binary\xff"),
        metadata: Some(types::PhotoMetadata {
            photographer: Nullable::Value("Ann".into()),
            ..Default::default()
        }),
        caption: Some("at dawn".into()),
    };
    let created = client.upload_photo(animal, photo).await.expect("201");
    assert_eq!(created.status().as_u16(), 201);
    assert_eq!(
        created.header("location"),
        Some(format!("/animals/{animal}/photos/0").as_str())
    );
    // Typed both ways: the handler set `location` in its typed response, the client reads the
    // declared headers into their struct.
    let declared: kitchen_sink_31::client::UploadPhotoCreatedHeaders =
        created.typed_headers().unwrap();
    assert_eq!(
        declared.location.as_deref(),
        Some(format!("/animals/{animal}/photos/0").as_str())
    );
    assert_eq!(
        last_seen(&server),
        r#"b"\0\x01binary\xff" Some("at dawn") Some(PhotoMetadata { taken_at: None, photographer: Value("Ann"), coordinates: None })"#
    );

    let note = client
        .add_note("AB-123", "feed at noon")
        .await
        .expect("note");
    assert_eq!(note.into_inner(), "AB-123: FEED AT NOON");

    client
        .replace_photo(animal, 2, stencil::bytes::Bytes::from_static(b"\x01\x02"))
        .await
        .expect("204");
    assert!(
        last_seen(&server).contains(r#"photo_index: 2, body: b"\x01\x02""#),
        "{}",
        last_seen(&server)
    );

    let feeding: types::Feeding =
        serde_json::from_value(json!({"kind": "ad_hoc", "reason": "hungry", "animal_id": animal}))
            .unwrap();
    let echoed = client.schedule_feeding(feeding.clone()).await.expect("201");
    assert_eq!(echoed.into_inner(), feeding);

    let http = reqwest::Client::new();
    let (status, body) = send(
        http.post(format!("{base}/feedings"))
            .bearer_auth("t")
            .json(&json!({"kind": "snack", "animal_id": animal})),
    )
    .await;
    assert_eq!(status, 422, "{body}");
    let (status, body) = send(
        http.post(format!("{base}/animals/{animal}/photos"))
            .bearer_auth("t")
            .header("content-type", "multipart/form-data; boundary=x")
            .body("--x\r\n"),
    )
    .await;
    assert_eq!(status, 422, "{body}");
    // A form without its required file part: `missing` at `body.file`.
    let (status, body) = send(
        http.post(format!("{base}/animals/{animal}/photos"))
            .bearer_auth("t")
            .multipart(reqwest::multipart::Form::new().text("caption", "no file")),
    )
    .await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["error"]["loc"], json!(["body", "file"]), "{body}");
    assert_eq!(body["error"]["type"], "missing", "{body}");
    // More parts than `Config::multipart_parts` (256 by default): 413, before any is decoded.
    let many: String = (0..300)
        .map(|i| format!("--x\r\nContent-Disposition: form-data; name=\"f{i}\"\r\n\r\nv\r\n"))
        .collect();
    let (status, body) = send(
        http.post(format!("{base}/animals/{animal}/photos"))
            .bearer_auth("t")
            .header("content-type", "multipart/form-data; boundary=x")
            .body(format!("{many}--x--\r\n")),
    )
    .await;
    assert_eq!(status, 413, "{body}");
    assert!(body.to_string().contains("more than 256 parts"), "{body}");
}

#[tokio::test]
async fn path_patterns_and_undeclared_rejections() {
    let (_, base) = start().await;
    let http = reqwest::Client::new();
    // GET /enclosures/{code} declares only 200: the API's usual envelope (its 422 one).
    let (status, body) = send(http.get(format!("{base}/enclosures/nope")).bearer_auth("t")).await;
    assert_eq!(status, 422);
    assert_eq!(
        body,
        json!({"error": {
            "code": 422,
            "message": "String should match pattern '^[A-Z]{2}-[0-9]{3}$'",
            "loc": ["path", "enclosure_code"],
            "msg": "String should match pattern '^[A-Z]{2}-[0-9]{3}$'",
            "type": "string_pattern_mismatch"
        }})
    );
}

#[tokio::test]
async fn every_kind_of_credential() {
    let (server, base) = start().await;
    let animal = Uuid::from_u128(8);
    let client = Client::new(&base);

    // Basic.
    client.set_basic_auth("keeper", "s3cret");
    client.download_photo(animal, 1).await.expect("200");
    assert!(
        last_seen(&server)
            .starts_with("basicAuth=Basic { username: \"keeper\", .. } user=keeper:s3cret"),
        "{}",
        last_seen(&server)
    );

    // Bearer AND api key (header): both are needed.
    let http = reqwest::Client::new();
    let (status, body) = send(
        http.delete(format!("{base}/animals/{animal}"))
            .bearer_auth("t"),
    )
    .await;
    assert_eq!(status, 401, "{body}");
    let (status, _) = send(
        http.delete(format!("{base}/animals/{animal}"))
            .bearer_auth("t")
            .header("X-API-Key", "k1"),
    )
    .await;
    assert_eq!(status, 204);
    assert!(
        last_seen(&server).contains("apiKeyHeader:k1"),
        "{}",
        last_seen(&server)
    );

    // The hook's rejection: its message in the envelope.
    let (status, body) = send(
        http.get(format!("{base}/animals/{animal}/photos/1"))
            .basic_auth("a", Some("b")),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = send(
        http.get(format!("{base}/animals?zone=z"))
            .bearer_auth("bad"),
    )
    .await;
    assert_eq!(status, 401);
    assert!(body.to_string().contains("Token revoked"), "{body}");
    let (status, _) = send(
        http.get(format!("{base}/animals?zone=z"))
            .basic_auth("a", Some("b")),
    )
    .await;
    assert_eq!(status, 401, "basic is not one of the operation's schemes");

    // Optional: API key in the query OR a cookie OR nothing.
    let _ = send(http.get(format!("{base}/search?q=ab"))).await;
    assert!(
        last_seen(&server).starts_with("None GetSearchRequest"),
        "{}",
        last_seen(&server)
    );
    let _ = send(http.get(format!("{base}/search?q=ab&api_key=qk"))).await;
    assert!(
        last_seen(&server).starts_with("Some(\"apiKeyQuery=ApiKey(..) apiKeyQuery:qk\")"),
        "{}",
        last_seen(&server)
    );
    let _ = send(
        http.get(format!("{base}/search?q=ab"))
            .header("cookie", "zoo_session=ck; session_id=s1")
            .header("X-Fields", "a,b")
            .header("X-Access-Token", "tok-7f3a"),
    )
    .await;
    let seen = last_seen(&server);
    assert!(
        seen.starts_with("Some(\"apiKeyCookie=ApiKey(..) apiKeyCookie:ck\")"),
        "{seen}"
    );
    assert!(
        seen.contains(r#"session_id: Some("s1")"#)
            && seen.contains(r#"x_fields: Some(["a", "b"])"#),
        "{seen}"
    );
    // A credential-named parameter reaches the handler but never its `Debug`.
    assert!(
        seen.contains("x_access_token: [redacted]") && !seen.contains("tok-7f3a"),
        "{seen}"
    );
}
