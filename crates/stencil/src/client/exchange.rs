//! Sending a built request: options, hooks, retries and the tracing span around them.
//!
//! Each request runs in one `tracing` span (`http.client.request`, at INFO) carrying the
//! OpenTelemetry HTTP client attributes: `otel.name` (the operation id, which
//! tracing-opentelemetry makes the span's name: tracing span names are fixed per call site),
//! `http.request.method`, `url.template` (the path template: no parameter values),
//! `server.address`, `server.port`, `http.response.status_code`, `error.type` and
//! `http.request.resend_count` (from the first retry on). The URL, headers and bodies are never
//! recorded: credentials travel in them (API keys in queries, cookies, `Authorization`).

use std::sync::Arc;
use std::time::Instant;

use reqwest::{Method, StatusCode};
use tracing::field::Empty;
use tracing::Instrument as _;

use super::options::{BoxError, BoxFuture, Operation, Options};
use super::response::Response;
use super::retry::{retry_after, retryable_error, retryable_status};
use super::transport::{Received, Transport, TransportError};

/// Why an exchange produced no response.
pub(crate) enum Failure {
    Invalid(String),
    Transport(reqwest::Error),
    Custom(BoxError),
    Hook(BoxError),
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

/// The exchange of a prepared request, boxed: the future of every operation.
pub(crate) fn start(
    prepared: Result<Prepared, Failure>,
) -> BoxFuture<'static, Result<Response, Failure>> {
    Box::pin(exchange(prepared))
}

/// Send a prepared request in its span and read the whole response.
async fn exchange(prepared: Result<Prepared, Failure>) -> Result<Response, Failure> {
    let prepared = prepared?;
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
    let outcome = attempts(prepared).instrument(span).await;
    if !recorder.is_disabled() {
        match &outcome {
            Ok((status, _, _)) => {
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
    let (status, headers, body) = outcome?;
    Ok(Response::new(status, headers, body))
}

/// The `error.type` of a failure: a low-cardinality name, never the message.
fn error_type(failure: &Failure) -> &'static str {
    match failure {
        Failure::Invalid(_) => "invalid_request",
        Failure::Transport(e) if e.is_timeout() => "timeout",
        Failure::Transport(e) if e.is_connect() => "connect",
        Failure::Transport(_) => "transport",
        Failure::Custom(_) => "custom_transport",
        Failure::Hook(_) => "hook",
    }
}

/// Send, and send again while the retry policy says so.
async fn attempts(prepared: Prepared) -> Result<Received, Failure> {
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
        if limit.is_some() {
            *request.timeout_mut() = limit;
        }
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
        let outcome = transport.send(request).await;
        if let Ok((status, headers, _)) = &outcome {
            for hook in &options.hooks {
                hook.after_receive(*status, headers, &info);
            }
        }
        let (Some(policy), Some(spare)) = (policy, spare) else {
            return outcome.map_err(Failure::from);
        };
        let wait = match &outcome {
            Ok((status, headers, _)) if retryable_status(*status) => {
                policy.next_delay(attempt, retry_after(headers), started)
            }
            Err(TransportError::Reqwest(e)) if retryable_error(e) => {
                policy.next_delay(attempt, None, started)
            }
            _ => None,
        };
        let Some(wait) = wait else {
            return outcome.map_err(Failure::from);
        };
        log_retry(&outcome, attempt, wait);
        tokio::time::sleep(wait).await;
        request = spare;
        attempt += 1;
        tracing::Span::current().record("http.request.resend_count", attempt - 1);
    }
}

#[cold]
fn log_retry(outcome: &Result<Received, TransportError>, attempt: u32, wait: std::time::Duration) {
    let status: Option<StatusCode> = outcome.as_ref().ok().map(|(s, _, _)| *s);
    tracing::debug!(
        attempt,
        http.response.status_code = status.map(|s| s.as_u16()),
        wait_ms = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX),
        "retrying"
    );
}
