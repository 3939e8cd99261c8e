//! `type: mutualTLS` (specs/fixtures/openapi-3.1-gaps.yaml, `ping`): the generated client
//! presents a client certificate through the hook its `with_client` documents (a
//! `reqwest::Client` holding the identity), to the generated server behind a TLS acceptor that
//! requires client certificates. Without the certificate, the handshake fails. The test
//! certificates are in `tests/tls/` (README there).

use std::net::SocketAddr;
use std::sync::Arc;

use openapi_31_gaps::client::Client;
use openapi_31_gaps::server::{self as api, Api};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use stencil::server::{http::StatusCode, Credentials, Error};

const CA: &[u8] = include_bytes!("../tls/ca.pem");
const SERVER_CERT: &[u8] = include_bytes!("../tls/server.pem");
const SERVER_KEY: &[u8] = include_bytes!("../tls/server.key");
const CLIENT_IDENTITY: &[u8] = include_bytes!("../tls/client-identity.pem");

struct Pinger;

impl Api for Pinger {
    type Error = Error;
    type Principal = ();

    async fn authenticate(&self, _: Credentials) -> Result<(), Error> {
        Err(Error::unauthorized("no credentials expected"))
    }

    async fn ping(
        &self,
        principal: Option<()>,
        _: api::PingRequest,
    ) -> Result<api::PingResponse, Error> {
        assert!(principal.is_none());
        Ok(api::PingResponse::Success {
            status: StatusCode::ACCEPTED,
        })
    }

    async fn subscribe(&self, _: api::SubscribeRequest) -> Result<api::SubscribeResponse, Error> {
        Err(Error::bad_request("not in this test"))
    }

    async fn get_loop(&self, _: api::GetLoopRequest) -> Result<api::GetLoopResponse, Error> {
        Err(Error::bad_request("not in this test"))
    }
}

/// The generated server behind TLS that requires a client certificate signed by the test CA.
async fn start() -> String {
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

fn http(identity: Option<&[u8]>) -> stencil::reqwest::Client {
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
    let base = start().await;
    let client = Client::with_client(base.clone(), http(Some(CLIENT_IDENTITY)));
    let response = client.ping().await.unwrap();
    assert_eq!(response.status(), 202);

    // The same client without the certificate: the server ends the handshake.
    let anonymous = Client::with_client(base, http(None));
    let e = anonymous.ping().await.unwrap_err();
    assert!(matches!(e, stencil::client::Error::Transport(_)), "{e:?}");
}
