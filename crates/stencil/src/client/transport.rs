//! [`Transport`]: what carries a request to the server and the response back.
//!
//! reqwest has no pluggable connector for a whole exchange, so the client core holds either a
//! [`reqwest::Client`] (the default, and the fast path) or a function from a built
//! [`reqwest::Request`] to a whole response. [`Transport::service`] makes one from any tower
//! service over `http` types, such as an axum `Router`: the request is converted to an
//! `http::Request<reqwest::Body>`, the service called in-process, and its response body handed
//! on as it comes (read whole for ordinary calls, as a stream for streamed responses).
//! [`Transport::from_fn`] takes a function returning a [`reqwest::Response`]: a
//! `reqwest_middleware::ClientWithMiddleware` plugs in with it, without this crate depending on
//! reqwest-middleware.

use std::fmt;
use std::future::Future;
use std::sync::{Arc, OnceLock};

use bytes::Bytes;
use http_body_util::BodyExt as _;
use reqwest::header::{HeaderMap, HeaderValue, HOST};
use reqwest::StatusCode;
use tower::ServiceExt as _;

use super::options::{BoxError, BoxFuture};

/// A whole response: status, headers and the body read to the end.
pub(crate) type Received = (StatusCode, HeaderMap, Bytes);

/// Why an exchange over a transport failed.
pub(crate) enum TransportError {
    /// From reqwest (the default transport, or a custom one that returns reqwest's errors).
    Reqwest(reqwest::Error),
    /// From a custom transport.
    Other(BoxError),
}

impl TransportError {
    fn from_box(error: BoxError) -> Self {
        match error.downcast::<reqwest::Error>() {
            Ok(e) => TransportError::Reqwest(*e),
            Err(other) => TransportError::Other(other),
        }
    }
}

type Call = dyn Fn(reqwest::Request) -> BoxFuture<'static, Result<reqwest::Response, TransportError>>
    + Send
    + Sync;

/// What carries requests: a [`reqwest::Client`], an in-process service, or a function.
#[derive(Clone)]
pub struct Transport(pub(crate) Kind);

#[derive(Clone)]
pub(crate) enum Kind {
    Reqwest(reqwest::Client),
    Custom(Arc<Call>),
}

impl fmt::Debug for Transport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self.0 {
            Kind::Reqwest(_) => "Transport::Reqwest",
            Kind::Custom(_) => "Transport::Custom",
        })
    }
}

impl From<reqwest::Client> for Transport {
    fn from(client: reqwest::Client) -> Self {
        Transport::reqwest(client)
    }
}

impl Transport {
    /// Send over `client`, as it is configured (timeouts, proxies, TLS, default headers).
    pub fn reqwest(client: reqwest::Client) -> Self {
        Transport(Kind::Reqwest(client))
    }

    /// Call `service` in-process: an axum `Router` (a generated server's router with an `Api`
    /// implementation, or a hand-written mock), or any tower service over `http` types. No
    /// socket is opened: the base URL only supplies the `Host` header and the path prefix (a
    /// router serving at `/` wants a base URL without a path, such as `http://localhost`).
    pub fn service<S, B>(service: S) -> Self
    where
        S: tower::Service<http::Request<reqwest::Body>, Response = http::Response<B>>
            + Clone
            + Send
            + Sync
            + 'static,
        S::Future: Send + 'static,
        S::Error: Into<BoxError>,
        B: http_body::Body<Data = Bytes> + Send + 'static,
        B::Error: Into<BoxError>,
    {
        Transport(Kind::Custom(Arc::new(move |request: reqwest::Request| {
            let service = service.clone();
            Box::pin(async move {
                let host = host(request.url());
                let mut request = http::Request::<reqwest::Body>::try_from(request)
                    .map_err(TransportError::Reqwest)?;
                // As on the wire, where hyper adds it.
                if let Some(host) = host {
                    request.headers_mut().entry(HOST).or_insert(host);
                }
                let response = service
                    .oneshot(request)
                    .await
                    .map_err(|e| TransportError::Other(e.into()))?;
                let (parts, body) = response.into_parts();
                // The body stays a stream: a streamed response is read as the service writes it.
                let body = reqwest::Body::wrap_stream(body.into_data_stream());
                Ok(reqwest::Response::from(http::Response::from_parts(
                    parts, body,
                )))
            })
        })))
    }

    /// Send with `send`, which returns reqwest's response: for example a
    /// `reqwest_middleware::ClientWithMiddleware`:
    ///
    /// ```ignore
    /// let transport = Transport::from_fn(move |request| {
    ///     let client = middleware_client.clone();
    ///     async move { client.execute(request).await }
    /// });
    /// ```
    ///
    /// Errors that are (or wrap, boxed) a `reqwest::Error` become
    /// [`Error::Transport`](super::Error::Transport); others
    /// [`Error::Custom`](super::Error::Custom).
    pub fn from_fn<F, Fut, E>(send: F) -> Self
    where
        F: Fn(reqwest::Request) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<reqwest::Response, E>> + Send + 'static,
        E: Into<BoxError>,
    {
        Transport(Kind::Custom(Arc::new(move |request: reqwest::Request| {
            let sent = send(request);
            Box::pin(async move { sent.await.map_err(|e| TransportError::from_box(e.into())) })
        })))
    }

    /// The reqwest client requests are built with (and sent with, for [`Transport::reqwest`]).
    pub(crate) fn client(&self) -> &reqwest::Client {
        match &self.0 {
            Kind::Reqwest(client) => client,
            // Building a request needs a client but sends nothing: one shared default.
            Kind::Custom(_) => {
                static BUILDER: OnceLock<reqwest::Client> = OnceLock::new();
                BUILDER.get_or_init(reqwest::Client::new)
            }
        }
    }

    /// Send one request and read the whole response.
    pub(crate) async fn send(&self, request: reqwest::Request) -> Result<Received, TransportError> {
        match &self.0 {
            Kind::Reqwest(client) => {
                let response = client
                    .execute(request)
                    .await
                    .map_err(TransportError::Reqwest)?;
                read(response).await.map_err(TransportError::Reqwest)
            }
            Kind::Custom(call) => {
                let timeout = request.timeout().copied();
                let response = call(request);
                let exchange =
                    async move { read(response.await?).await.map_err(TransportError::Reqwest) };
                match timeout {
                    None => exchange.await,
                    Some(limit) => tokio::time::timeout(limit, exchange)
                        .await
                        .unwrap_or_else(|elapsed| Err(TransportError::Other(Box::new(elapsed)))),
                }
            }
        }
    }

    /// Send one request and return as soon as the response head arrived, its body unread
    /// (streamed responses). Bounding the wait is the caller's business.
    pub(crate) async fn open(
        &self,
        request: reqwest::Request,
    ) -> Result<reqwest::Response, TransportError> {
        match &self.0 {
            Kind::Reqwest(client) => client
                .execute(request)
                .await
                .map_err(TransportError::Reqwest),
            Kind::Custom(call) => call(request).await,
        }
    }
}

/// The `Host` header of a URL: the host, and the port when it is not the scheme's default.
fn host(url: &reqwest::Url) -> Option<HeaderValue> {
    let host = url.host_str()?;
    let text = match url.port() {
        Some(port) => format!("{host}:{port}"),
        None => host.to_owned(),
    };
    HeaderValue::from_str(&text).ok()
}

async fn read(response: reqwest::Response) -> Result<Received, reqwest::Error> {
    let status = response.status();
    let headers = response.headers().clone();
    let body = response.bytes().await?;
    Ok((status, headers, body))
}
