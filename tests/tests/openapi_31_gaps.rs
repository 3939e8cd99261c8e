//! The generated `openapi-31-gaps` crate (specs/fixtures/openapi-3.1-gaps.yaml, issue 14): an
//! operation without responses answers and accepts any success, a mutual TLS requirement asks
//! the handlers for no credentials, `type: 'null'` accepts only `null`, and schemas that only
//! refer to themselves are any JSON value.

use std::net::SocketAddr;

use openapi_31_gaps::client::Client;
use openapi_31_gaps::server::{self as api, Api};
use openapi_31_gaps::types::{Loop, Subscription, SubscriptionRequest};
use serde_json::json;
use stencil::server::{http::StatusCode, Credentials, Error};
use stencil::Nullable;

#[test]
fn type_null_accepts_only_null() {
    let s: Subscription =
        serde_json::from_value(json!({"id": "a", "always_null": null, "maybe_null": null}))
            .unwrap();
    assert_eq!(s.always_null, None);
    assert_eq!(s.maybe_null, Nullable::Null);
    let s: Subscription = serde_json::from_value(json!({"id": "a", "always_null": null})).unwrap();
    assert_eq!(s.maybe_null, Nullable::Absent);
    for value in [json!(0), json!("x"), json!({}), json!([]), json!(false)] {
        let always = json!({"id": "a", "always_null": value.clone()});
        assert!(
            serde_json::from_value::<Subscription>(always).is_err(),
            "{value}"
        );
        let maybe = json!({"id": "a", "always_null": null, "maybe_null": value.clone()});
        assert!(
            serde_json::from_value::<Subscription>(maybe).is_err(),
            "{value}"
        );
    }
    // Written back as null, absent when absent.
    let s: Subscription = serde_json::from_value(json!({"id": "a", "always_null": null})).unwrap();
    assert_eq!(
        serde_json::to_value(&s).unwrap(),
        json!({"id": "a", "always_null": null})
    );
}

#[test]
fn a_schema_that_only_refers_to_itself_is_any_json_value() {
    let value: Loop = json!({"anything": [1, "two"]});
    assert!(value.is_object());
}

struct Pinger;

impl Api for Pinger {
    type Error = Error;
    type Principal = ();

    async fn authenticate(&self, _: Credentials) -> Result<(), Error> {
        Err(Error::new(
            StatusCode::UNAUTHORIZED,
            "no credentials expected",
        ))
    }

    async fn ping(
        &self,
        principal: Option<()>,
        _: api::PingRequest,
    ) -> Result<api::PingResponse, Error> {
        // Mutual TLS is below HTTP: nothing reaches the handler as credentials.
        assert!(principal.is_none());
        Ok(api::PingResponse::Success {
            status: StatusCode::ACCEPTED,
        })
    }

    async fn subscribe(
        &self,
        request: api::SubscribeRequest,
    ) -> Result<api::SubscribeResponse, Error> {
        Ok(api::SubscribeResponse::Created(Subscription {
            id: request.body.callback_url,
            always_null: None,
            maybe_null: Nullable::Absent,
        }))
    }

    async fn get_loop(&self, _: api::GetLoopRequest) -> Result<api::GetLoopResponse, Error> {
        Ok(api::GetLoopResponse::Ok(json!([1, 2])))
    }
}

async fn start() -> Client {
    let router = api::router(Pinger);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr: SocketAddr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    Client::new(format!("http://{addr}"))
}

#[tokio::test]
async fn an_operation_without_responses_answers_any_success() {
    let client = start().await;
    let response = client.ping().await.unwrap();
    assert_eq!(response.status(), 202);
    let created = client
        .subscribe(SubscriptionRequest {
            callback_url: "https://example.com/hook".into(),
        })
        .await
        .unwrap();
    assert_eq!(created.id, "https://example.com/hook");
    assert!(created.always_null.is_none());
    let looped = client.get_loop().await.unwrap();
    assert!(matches!(
        looped.into_inner(),
        openapi_31_gaps::client::GetLoopSuccess::Ok(v) if v == json!([1, 2])
    ));
}
