//! Opening a streamed response ([`Opening`]): a success of the expected content type streams,
//! any other status is read whole and decoded as the operation declares.

use std::convert::Infallible;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{ready, Context, Poll};

use reqwest::header::{HeaderMap, HeaderValue, CONTENT_TYPE};
use reqwest::StatusCode;

use super::exchange::{self, Failure, Prepared};
use super::limits::StreamConfig;
use super::options::BoxFuture;
use super::request::Decode;
use super::response::{essence, Error, Response};

/// A streamed response whose status and content type were accepted.
pub(crate) struct Head {
    pub(crate) response: reqwest::Response,
    /// What reconnecting needs: a copy of the request as prepared (SSE only; `None` when the
    /// body is a stream and cannot be sent again).
    pub(crate) resend: Option<Resend>,
}

impl Head {
    pub(crate) fn status(&self) -> StatusCode {
        self.response.status()
    }

    pub(crate) fn headers(&self) -> Box<HeaderMap> {
        Box::new(self.response.headers().clone())
    }
}

/// A streamed request kept to be sent again (an event stream reconnecting).
pub(crate) struct Resend(Prepared);

impl Resend {
    /// Send the request again through the exchange (span, hooks, options), with
    /// `Last-Event-ID: last_id` when there is one; `None` when it cannot be copied.
    pub(crate) fn reopen(
        &self,
        last_id: &str,
    ) -> Option<BoxFuture<'static, Result<Opened, Error<Infallible>>>> {
        let mut prepared = self.0.try_clone()?;
        if let Ok(id) = HeaderValue::from_str(last_id) {
            if !last_id.is_empty() {
                prepared.request.headers_mut().insert("last-event-id", id);
            }
        }
        Some(Box::pin(async move {
            let response = exchange::open(prepared)
                .await
                .map_err(Failure::into_error)?;
            classify(response, SSE, None).await
        }))
    }
}

/// How a streamed exchange ended up.
pub(crate) enum Opened {
    Stream(Box<Head>),
    /// A status that is not a success: read whole for the operation's decoding.
    Whole(Response),
    WrongType {
        status: StatusCode,
        headers: Box<HeaderMap>,
        content_type: Option<String>,
    },
}

/// Whether `accept` (media types; empty: any) takes the response's content type.
fn accepted(accept: &[&str], content_type: Option<&str>) -> bool {
    if accept.is_empty() {
        return true;
    }
    let Some(found) = content_type else {
        return false;
    };
    accept
        .iter()
        .any(|a| a.eq_ignore_ascii_case(found) || (a.starts_with('+') && found.ends_with(a)))
}

/// Send a request through the exchange (span, hooks, options, retries before the stream
/// starts); stream a success, read anything else whole.
pub(crate) fn open(
    prepared: Result<Prepared, Failure>,
    accept: &'static [&'static str],
    keep_request: bool,
) -> BoxFuture<'static, Result<Opened, Error<Infallible>>> {
    Box::pin(async move {
        let prepared = prepared.map_err(Failure::into_error)?;
        let resend = keep_request
            .then(|| prepared.try_clone().map(Resend))
            .flatten();
        let response = exchange::open(prepared)
            .await
            .map_err(Failure::into_error)?;
        classify(response, accept, resend).await
    })
}

/// Sort a response: a success of an accepted type streams, anything else is read whole.
pub(crate) async fn classify(
    response: reqwest::Response,
    accept: &'static [&'static str],
    resend: Option<Resend>,
) -> Result<Opened, Error<Infallible>> {
    let status = response.status();
    if !status.is_success() {
        let headers = response.headers().clone();
        let body = response.bytes().await.map_err(Error::Transport)?;
        return Ok(Opened::Whole(Response::new(status, headers, body)));
    }
    let content_type = essence(response.headers().get(CONTENT_TYPE));
    if !accepted(accept, content_type.as_deref()) {
        return Ok(Opened::WrongType {
            status,
            headers: Box::new(response.headers().clone()),
            content_type,
        });
    }
    Ok(Opened::Stream(Box::new(Head { response, resend })))
}

/// Turn what a failed opening produced into the operation's error.
// A streamed operation's decoding has no success (`Infallible`): its `Ok` arm cannot run.
#[allow(unreachable_code)]
pub(crate) fn failed<E>(
    opened: Result<Opened, Error<Infallible>>,
    decode: Decode<Infallible, E>,
    accept: &'static [&'static str],
) -> Result<Head, Error<E>> {
    match opened {
        Ok(Opened::Stream(head)) => Ok(*head),
        Ok(Opened::Whole(response)) => match decode(response) {
            Ok(value) => match value.into_inner() {},
            Err(e) => Err(e),
        },
        Ok(Opened::WrongType {
            status,
            headers,
            content_type,
        }) => Err(Error::UnexpectedContentType {
            status,
            headers,
            content_type,
            expected: accept,
        }),
        Err(e) => Err(e.map(|never| match never {})),
    }
}

pub(crate) type Make<S, E> = Box<dyn FnOnce(Head, StreamConfig, Decode<Infallible, E>) -> S + Send>;

/// The future of a streamed operation: sends the request and, for a success status with the
/// expected content type, resolves to the stream. Any other status is read whole and decoded as
/// the operation declares (typed errors first), before anything streams.
#[must_use = "futures do nothing unless polled"]
pub struct Opening<S, E> {
    exchange: BoxFuture<'static, Result<Opened, Error<Infallible>>>,
    decode: Decode<Infallible, E>,
    accept: &'static [&'static str],
    config: StreamConfig,
    make: Option<Make<S, E>>,
}

impl<S, E> Opening<S, E> {
    pub(crate) fn new(
        exchange: BoxFuture<'static, Result<Opened, Error<Infallible>>>,
        decode: Decode<Infallible, E>,
        accept: &'static [&'static str],
        config: StreamConfig,
        make: Make<S, E>,
    ) -> Self {
        Opening {
            exchange,
            decode,
            accept,
            config,
            make: Some(make),
        }
    }

    /// Use `config` (limits, read timeout, `done` sentinel) for this stream instead of the
    /// client's.
    pub fn config(mut self, config: StreamConfig) -> Self {
        self.config = config;
        self
    }
}

impl<S, E> Future for Opening<S, E> {
    type Output = Result<S, Error<E>>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let opened = ready!(self.exchange.as_mut().poll(cx));
        let head = failed(opened, self.decode, self.accept)?;
        match self.make.take() {
            Some(make) => {
                let config = std::mem::take(&mut self.config);
                Poll::Ready(Ok(make(head, config, self.decode)))
            }
            None => panic!("`Opening` polled after it completed"),
        }
    }
}

impl<S, E> fmt::Debug for Opening<S, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Opening").finish_non_exhaustive()
    }
}

/// The media types of an event stream.
pub(crate) const SSE: &[&str] = &["text/event-stream"];
/// The media types read as JSON Lines (or, for `json-seq`, as JSON text sequences).
pub const JSON_LINES: &[&str] = &[
    "application/jsonl",
    "application/x-ndjson",
    "application/ndjson",
    "application/x-jsonlines",
    "application/jsonlines",
    "application/json-seq",
    "+json-seq",
];

/// The status and headers of a streamed response.
macro_rules! response_parts {
    () => {
        /// The response status.
        pub fn status(&self) -> reqwest::StatusCode {
            self.status
        }

        /// The response headers.
        pub fn headers(&self) -> &reqwest::header::HeaderMap {
            &self.headers
        }
    };
}
pub(crate) use response_parts;

#[cfg(test)]
mod tests {
    use super::accepted;

    #[test]
    fn content_types() {
        assert!(accepted(&[], None));
        assert!(accepted(&["text/event-stream"], Some("text/event-stream")));
        assert!(!accepted(&["text/event-stream"], Some("application/json")));
        assert!(!accepted(&["text/event-stream"], None));
        assert!(accepted(
            super::JSON_LINES,
            Some("application/geo+json-seq")
        ));
        assert!(accepted(super::JSON_LINES, Some("application/x-ndjson")));
    }
}
