//! The generated `openapi-31-gaps` crate (specs/fixtures/openapi-3.1-gaps.yaml, issue 14): an
//! operation without responses answers and accepts any success, a mutual TLS requirement asks
//! the handlers for no credentials and the client presents its certificate through the
//! `reqwest::Client` it is given, `type: 'null'` accepts only `null` (in types and in the
//! server's validation), and schemas that only refer to themselves are any JSON value.

use std::net::SocketAddr;
use std::sync::Arc;

use openapi_31_gaps::client::Client;
use openapi_31_gaps::server::{self as api, Api};
use openapi_31_gaps::types::{Loop, Subscription, SubscriptionRequest};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
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
            reserved: stencil::Nullable::Null,
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

#[tokio::test]
async fn the_server_accepts_only_null_for_type_null() {
    let client = start().await;
    let http = reqwest::Client::new();
    let url = format!("{}/subscriptions", client.base_url());
    let post = |body: serde_json::Value| http.post(&url).json(&body).send();
    for body in [
        json!({"callbackUrl": "https://example.com/a", "reserved": null}),
        json!({"callbackUrl": "https://example.com/a"}),
    ] {
        assert_eq!(post(body.clone()).await.unwrap().status(), 201, "{body}");
    }
    for value in [json!(0), json!("x"), json!({}), json!([]), json!(false)] {
        let body = json!({"callbackUrl": "https://example.com/a", "reserved": value});
        let response = post(body).await.unwrap();
        assert_eq!(response.status(), 422, "{value}");
        let report: serde_json::Value = response.json().await.unwrap();
        assert_eq!(
            report["errors"],
            json!([{"loc": ["body", "reserved"], "msg": "Input should be None", "type": "none_required"}]),
            "{value}"
        );
    }
}

// Mutual TLS: the generated client presents a client certificate through the hook its
// `with_client` documents (a `reqwest::Client` holding the identity), to the generated server
// behind a TLS acceptor that requires client certificates. Test certificates: `tests/tls/`.

const CA: &[u8] = include_bytes!("../tls/ca.pem");
const SERVER_CERT: &[u8] = include_bytes!("../tls/server.pem");
const SERVER_KEY: &[u8] = include_bytes!("../tls/server.key");
const CLIENT_IDENTITY: &[u8] = include_bytes!("../tls/client-identity.pem");

/// The generated server behind TLS that requires a client certificate signed by the test CA.
async fn start_tls() -> String {
    let mut roots = rustls::RootCertStore::empty();
    roots
        .add(CertificateDer::from_pem_slice(CA).unwrap())
        .unwrap();
    let verifier = rustls::server::WebPkiClientVerifier::builder(Arc::new(roots))
        .build()
        .unwrap();
    let certs = CertificateDer::pem_slice_iter(SERVER_CERT)
        .collect::<Result<Vec<_>, _>>()
        .unwrap();
    let key = PrivateKeyDer::from_pem_slice(SERVER_KEY).unwrap();
    let config = rustls::ServerConfig::builder()
        .with_client_cert_verifier(verifier)
        .with_single_cert(certs, key)
        .unwrap();
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let router = api::router(Pinger);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr: SocketAddr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        loop {
            let Ok((tcp, _)) = listener.accept().await else {
                return;
            };
            let (acceptor, router) = (acceptor.clone(), router.clone());
            tokio::spawn(async move {
                // A client without a certificate fails here, before HTTP.
                let Ok(tls) = acceptor.accept(tcp).await else {
                    return;
                };
                let service = hyper_util::service::TowerToHyperService::new(router);
                let io = hyper_util::rt::TokioIo::new(tls);
                let _ = hyper::server::conn::http1::Builder::new()
                    .serve_connection(io, service)
                    .await;
            });
        }
    });
    format!("https://{addr}")
}

fn tls_http(identity: Option<&[u8]>) -> stencil::reqwest::Client {
    let ca = stencil::reqwest::Certificate::from_pem(CA).unwrap();
    let mut builder = stencil::reqwest::Client::builder()
        .tls_built_in_root_certs(false)
        .add_root_certificate(ca);
    if let Some(pem) = identity {
        builder = builder.identity(stencil::reqwest::Identity::from_pem(pem).unwrap());
    }
    builder.build().unwrap()
}

#[tokio::test]
async fn the_client_certificate_goes_on_the_reqwest_client() {
    let base = start_tls().await;
    let client = Client::with_client(base.clone(), tls_http(Some(CLIENT_IDENTITY)));
    let response = client.ping().await.unwrap();
    assert_eq!(response.status(), 202);

    // The same client without the certificate: the server ends the handshake.
    let anonymous = Client::with_client(base, tls_http(None));
    let e = anonymous.ping().await.unwrap_err();
    assert!(matches!(e, stencil::client::Error::Transport(_)), "{e:?}");
}
