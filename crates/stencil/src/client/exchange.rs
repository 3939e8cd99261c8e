//! Sending a built request: options, hooks, retries and the tracing span around them.
//!
//! Each request runs in one `tracing` span (`http.client.request`, at INFO) carrying the
//! OpenTelemetry HTTP client attributes: `otel.name` (the operation id, which
//! tracing-opentelemetry makes the span's name: tracing span names are fixed per call site),
//! `http.request.method`, `url.template` (the path template: no parameter values),
//! `server.address`, `server.port`, `http.response.status_code`, `error.type` and
//! `http.request.resend_count` (from the first retry on). The URL, headers and bodies are never
//! recorded: credentials travel in them (API keys in queries, cookies, `Authorization`).
//!
//! Streamed responses go through the same exchange ([`open`]): the same span, hooks, extra
//! headers and retries, up to the response head. The per-request timeout then bounds the
//! opening only (the stream's read timeout bounds the body), retries happen only before the
//! stream starts (a retryable status is dropped unread), and a request whose body is a stream
//! is sent once.

use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};

use reqwest::header::HeaderMap;
use reqwest::{Method, StatusCode};
use tracing::field::Empty;
use tracing::Instrument as _;

use super::options::{BoxError, BoxFuture, Operation, Options};
use super::response::{Error, Response};
use super::retry::{retry_after, retryable_error, retryable_status};
use super::transport::{Received, Transport, TransportError};

/// Why an exchange produced no response.
pub(crate) enum Failure {
    Invalid(String),
    Transport(reqwest::Error),
    Custom(BoxError),
    Hook(BoxError),
}

impl Failure {
    /// The operation's error for this failure.
    pub(crate) fn into_error<E>(self) -> Error<E> {
        match self {
            Failure::Invalid(message) => Error::InvalidRequest(message),
            Failure::Transport(error) => Error::Transport(error),
            Failure::Custom(error) => Error::Custom(error),
            Failure::Hook(error) => Error::Hook(error),
        }
    }
}

impl From<TransportError> for Failure {
    fn from(error: TransportError) -> Self {
        match error {
            TransportError::Reqwest(e) => Failure::Transport(e),
            TransportError::Other(e) => Failure::Custom(e),
        }
    }
}

/// A request ready to go, with what is needed to send it.
pub(crate) struct Prepared {
    pub(crate) transport: Transport,
    pub(crate) options: Arc<Options>,
    pub(crate) request: reqwest::Request,
    pub(crate) operation: Option<&'static str>,
    pub(crate) template: String,
}

impl Prepared {
    /// A copy to send again (`None` when the body is a stream).
    pub(crate) fn try_clone(&self) -> Option<Prepared> {
        Some(Prepared {
            transport: self.transport.clone(),
            options: self.options.clone(),
            request: self.request.try_clone()?,
            operation: self.operation,
            template: self.template.clone(),
        })
    }
}

/// What one attempt gets back: a whole response, or the head of a streamed one.
pub(crate) trait Reply: Sized + Send + 'static {
    fn head(&self) -> (StatusCode, &HeaderMap);

    /// Send `request` over `transport`, within `limit`.
    fn send(
        transport: &Transport,
        request: reqwest::Request,
        limit: Option<Duration>,
    ) -> impl Future<Output = Result<Self, TransportError>> + Send;
}

impl Reply for Received {
    fn head(&self) -> (StatusCode, &HeaderMap) {
        (self.0, &self.1)
    }

    fn send(
        transport: &Transport,
        mut request: reqwest::Request,
        limit: Option<Duration>,
    ) -> impl Future<Output = Result<Self, TransportError>> + Send {
        if limit.is_some() {
            *request.timeout_mut() = limit;
        }
        transport.send(request)
    }
}

impl Reply for reqwest::Response {
    fn head(&self) -> (StatusCode, &HeaderMap) {
        (self.status(), self.headers())
    }

    /// The limit bounds the wait for the head only: reqwest's own timeout would also cut the
    /// stream's body.
    fn send(
        transport: &Transport,
        request: reqwest::Request,
        limit: Option<Duration>,
    ) -> impl Future<Output = Result<Self, TransportError>> + Send {
        let opening = transport.open(request);
        async move {
            match limit {
                None => opening.await,
                Some(limit) => tokio::time::timeout(limit, opening)
                    .await
                    .unwrap_or_else(|elapsed| Err(TransportError::Other(Box::new(elapsed)))),
            }
        }
    }
}

/// The exchange of a prepared request, boxed: the future of every operation.
pub(crate) fn start(
    prepared: Result<Prepared, Failure>,
) -> BoxFuture<'static, Result<Response, Failure>> {
    Box::pin(async move {
        let (status, headers, body) = exchange::<Received>(prepared?).await?;
        Ok(Response::new(status, headers, body))
    })
}

/// The exchange of a prepared request whose response streams: up to the response head.
pub(crate) async fn open(prepared: Prepared) -> Result<reqwest::Response, Failure> {
    exchange(prepared).await
}

/// Send a prepared request in its span.
async fn exchange<R: Reply>(prepared: Prepared) -> Result<R, Failure> {
    let url = prepared.request.url();
    let span = tracing::info_span!(
        "http.client.request",
        otel.name = prepared.operation.unwrap_or(prepared.template.as_str()),
        otel.kind = "client",
        http.request.method = prepared.request.method().as_str(),
        url.template = prepared.template.as_str(),
        server.address = url.host_str().unwrap_or_default(),
        server.port = url.port_or_known_default(),
        http.request.resend_count = Empty,
        http.response.status_code = Empty,
        error.type = Empty,
    );
    let recorder = span.clone();
    let outcome = attempts::<R>(prepared).instrument(span).await;
    if !recorder.is_disabled() {
        match &outcome {
            Ok(reply) => {
                let (status, _) = reply.head();
                recorder.record("http.response.status_code", status.as_u16());
                if status.is_client_error() || status.is_server_error() {
                    recorder.record("error.type", status.as_str());
                }
            }
            Err(failure) => {
                recorder.record("error.type", error_type(failure));
            }
        }
    }
    outcome
}

/// The `error.type` of a failure: a low-cardinality name, never the message.
fn error_type(failure: &Failure) -> &'static str {
    match failure {
        Failure::Invalid(_) => "invalid_request",
        Failure::Transport(e) if e.is_timeout() => "timeout",
        Failure::Transport(e) if e.is_connect() => "connect",
        Failure::Transport(_) => "transport",
        Failure::Custom(e) if e.is::<tokio::time::error::Elapsed>() => "timeout",
        Failure::Custom(_) => "custom_transport",
        Failure::Hook(_) => "hook",
    }
}

/// Send, and send again while the retry policy says so.
async fn attempts<R: Reply>(prepared: Prepared) -> Result<R, Failure> {
    let Prepared {
        transport,
        options,
        mut request,
        operation,
        template,
    } = prepared;
    for (name, value) in &options.headers {
        request.headers_mut().insert(name, value.clone());
    }
    let method: Method = request.method().clone();
    let policy = options.retry.as_ref().filter(|p| p.allows(&method));
    let started = Instant::now();
    let mut attempt = 1;
    loop {
        // A request whose body is a stream cannot be cloned, so it is sent once.
        let spare = policy.and_then(|_| request.try_clone());
        let limit = match (options.timeout, policy.and_then(|p| p.remaining(started))) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        let info = Operation {
            id: operation,
            method: &method,
            template: &template,
            attempt,
        };
        for hook in &options.hooks {
            hook.before_send(&mut request, &info)
                .map_err(Failure::Hook)?;
        }
        let outcome = R::send(&transport, request, limit).await;
        if let Ok(reply) = &outcome {
            let (status, headers) = reply.head();
            for hook in &options.hooks {
                hook.after_receive(status, headers, &info);
            }
        }
        let (Some(policy), Some(spare)) = (policy, spare) else {
            return outcome.map_err(Failure::from);
        };
        let wait = match &outcome {
            Ok(reply) if retryable_status(reply.head().0) => {
                policy.next_delay(attempt, retry_after(reply.head().1), started)
            }
            Err(TransportError::Reqwest(e)) if retryable_error(e) => {
                policy.next_delay(attempt, None, started)
            }
            _ => None,
        };
        let Some(wait) = wait else {
            return outcome.map_err(Failure::from);
        };
        log_retry(outcome.as_ref().ok().map(|r| r.head().0), attempt, wait);
        tokio::time::sleep(wait).await;
        request = spare;
        attempt += 1;
        tracing::Span::current().record("http.request.resend_count", attempt - 1);
    }
}

#[cold]
fn log_retry(status: Option<StatusCode>, attempt: u32, wait: Duration) {
    tracing::debug!(
        attempt,
        http.response.status_code = status.map(|s| s.as_u16()),
        wait_ms = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX),
        "retrying"
    );
}
