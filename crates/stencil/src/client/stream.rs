//! Streamed responses: opening them ([`Opening`]), their settings ([`StreamConfig`]) and
//! failures ([`StreamError`]), and the JSON Lines ([`JsonLines`]) and byte ([`ByteStream`])
//! streams. Server-sent events are in `sse.rs`.

use std::convert::Infallible;
use std::fmt;
use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::task::{ready, Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use futures_util::Stream;
use reqwest::header::{HeaderMap, HeaderValue, ACCEPT, CONTENT_TYPE};
use reqwest::StatusCode;

use super::frame::{Body, Fail, Framer, Framing};
use super::request::{Decode, Request};
use super::response::{Decoder, Error, Response};
use super::sse::{EventDecoder, EventStream};
use super::BoxFuture;
use crate::Event;

/// The default limit of a line (an SSE line, a JSON Lines item, a JSON text sequence record)
/// and of an SSE event: 8 MiB.
pub const DEFAULT_STREAM_LIMIT: usize = 8 * 1024 * 1024;

/// Limits and timeouts of streamed responses. Set for a client with
/// [`Core::with_stream_config`](super::Core::with_stream_config), or on one stream.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct StreamConfig {
    /// The longest line (SSE line, JSON Lines item, JSON text sequence record) in bytes.
    pub max_line: usize,
    /// The largest SSE event (its lines up to the blank line) in bytes.
    pub max_event: usize,
    /// The longest wait for the next bytes of a stream; `None` (the default) waits forever.
    /// Keep-alive comments of an event stream count as bytes.
    pub read_timeout: Option<Duration>,
    /// The `data` of an SSE event that ends the stream (`[DONE]`, as OpenAI sends); `None`
    /// decodes every event.
    pub done: Option<String>,
}

impl Default for StreamConfig {
    fn default() -> Self {
        StreamConfig {
            max_line: DEFAULT_STREAM_LIMIT,
            max_event: DEFAULT_STREAM_LIMIT,
            read_timeout: None,
            done: Some("[DONE]".to_owned()),
        }
    }
}

impl StreamConfig {
    /// Set [`max_line`](Self::max_line).
    pub fn max_line(mut self, bytes: usize) -> Self {
        self.max_line = bytes;
        self
    }

    /// Set [`max_event`](Self::max_event).
    pub fn max_event(mut self, bytes: usize) -> Self {
        self.max_event = bytes;
        self
    }

    /// Set [`read_timeout`](Self::read_timeout).
    pub fn read_timeout(mut self, timeout: Option<Duration>) -> Self {
        self.read_timeout = timeout;
        self
    }

    /// Set [`done`](Self::done).
    pub fn done(mut self, data: Option<&str>) -> Self {
        self.done = data.map(str::to_owned);
        self
    }
}

/// What went wrong in a streamed response. [`BadEvent`](Self::BadEvent) and
/// [`BadItem`](Self::BadItem) leave the stream going; every other one ends it.
#[derive(Debug)]
#[non_exhaustive]
pub enum StreamError {
    /// The connection failed or was cut before the body ended.
    Interrupted(reqwest::Error),
    /// No byte arrived for this long ([`StreamConfig::read_timeout`]).
    Timeout(Duration),
    /// A line longer than [`StreamConfig::max_line`].
    LineTooLong {
        /// The limit in bytes.
        limit: usize,
    },
    /// An SSE event larger than [`StreamConfig::max_event`].
    EventTooLarge {
        /// The limit in bytes.
        limit: usize,
    },
    /// An event stream that is not UTF-8.
    InvalidUtf8,
    /// An event whose `data` does not decode as the payload type; the event as it came.
    BadEvent {
        /// The event, its data as text.
        event: Box<Event<String>>,
        /// Why the data does not decode.
        message: String,
    },
    /// A JSON Lines item or JSON text sequence record that does not decode; the item as it came.
    BadItem {
        /// The item (its line or record, trimmed).
        item: Bytes,
        /// Why it does not decode.
        message: String,
    },
}

impl StreamError {
    /// Whether the stream ends with this error.
    pub fn is_fatal(&self) -> bool {
        !matches!(
            self,
            StreamError::BadEvent { .. } | StreamError::BadItem { .. }
        )
    }
}

impl fmt::Display for StreamError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StreamError::Interrupted(e) => write!(f, "the stream was interrupted: {e}"),
            StreamError::Timeout(d) => write!(f, "nothing arrived on the stream for {d:?}"),
            StreamError::LineTooLong { limit } => {
                write!(f, "a line of the stream is longer than {limit} bytes")
            }
            StreamError::EventTooLarge { limit } => {
                write!(f, "an event of the stream is larger than {limit} bytes")
            }
            StreamError::InvalidUtf8 => write!(f, "the event stream is not UTF-8"),
            StreamError::BadEvent { event, message } => {
                write!(f, "the `{}` event does not decode: {message}", event.event)
            }
            StreamError::BadItem { message, .. } => {
                write!(f, "an item of the stream does not decode: {message}")
            }
        }
    }
}

/// A streamed response whose status and content type were accepted.
pub(crate) struct Head {
    pub(crate) response: reqwest::Response,
    /// What reconnecting needs: the client and a copy of the request (SSE only; `None` when
    /// the body is a stream and cannot be sent again).
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

pub(crate) struct Resend {
    pub(crate) client: reqwest::Client,
    pub(crate) request: reqwest::Request,
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

/// The media type of a `Content-Type` value: lower case, without parameters.
pub(crate) fn essence(value: Option<&HeaderValue>) -> Option<String> {
    let text = value?.to_str().ok()?;
    let essence = text.split(';').next().unwrap_or("").trim();
    Some(essence.to_ascii_lowercase())
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

/// Send a request; stream a success, read anything else whole.
pub(crate) fn open(
    built: Result<reqwest::RequestBuilder, String>,
    accept: &'static [&'static str],
    keep_request: bool,
) -> BoxFuture<'static, Result<Opened, Error<Infallible>>> {
    Box::pin(async move {
        let (client, request) = built.map_err(Error::InvalidRequest)?.build_split();
        let request = request.map_err(Error::Transport)?;
        let resend = match keep_request {
            true => request.try_clone().map(|request| Resend {
                client: client.clone(),
                request,
            }),
            false => None,
        };
        let response = client.execute(request).await.map_err(Error::Transport)?;
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

type Make<S, E> = Box<dyn FnOnce(Head, StreamConfig, Decode<Infallible, E>) -> S + Send>;

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

impl Request<'_> {
    fn opening<S, E>(
        mut self,
        accept: &'static [&'static str],
        decode: Decode<Infallible, E>,
        keep_request: bool,
        make: Make<S, E>,
    ) -> Opening<S, E> {
        if !accept.is_empty() && !self.headers.contains_key(ACCEPT) {
            self = self.accept(&accept.join(", "));
        }
        let config = self.core.stream_config().clone();
        Opening {
            exchange: open(self.build(), accept, keep_request),
            decode,
            accept,
            config,
            make: Some(make),
        }
    }

    /// Send the request and stream the server-sent events of a success response, their
    /// `data` decoded by `data` ([`json_event`](super::json_event), [`text_event`](super::text_event),
    /// or a [`FromEvent`](super::FromEvent) impl). Any other status goes through `decode`.
    pub fn events<T: 'static, E: 'static>(
        self,
        data: EventDecoder<T>,
        decode: Decode<Infallible, E>,
    ) -> Opening<EventStream<T, E>, E> {
        self.opening(
            SSE,
            decode,
            true,
            Box::new(move |head, config, decode| EventStream::new(head, config, data, decode)),
        )
    }

    /// Send the request and stream the items of a JSON Lines, NDJSON or JSON text sequence
    /// success response, each decoded by `item` (e.g. [`json`](super::json)).
    pub fn json_lines<T: 'static, E: 'static>(
        self,
        item: Decoder<T>,
        decode: Decode<Infallible, E>,
    ) -> Opening<JsonLines<T, E>, E> {
        self.opening(
            JSON_LINES,
            decode,
            false,
            Box::new(move |head, config, _| JsonLines::new(head, &config, item)),
        )
    }

    /// Send the request and stream the body of a success response as it arrives, whatever
    /// its content type.
    pub fn byte_stream<E: 'static>(
        self,
        decode: Decode<Infallible, E>,
    ) -> Opening<ByteStream<E>, E> {
        self.opening(
            &[],
            decode,
            false,
            Box::new(|head, config, _| ByteStream::new(head, &config)),
        )
    }
}

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

/// The items of a JSON Lines, NDJSON (one JSON text a line) or JSON text sequence (RFC 7464)
/// response, decoded as they arrive. Blank lines are skipped; an item that does not decode is a
/// [`StreamError::BadItem`] and the stream goes on. Dropping it closes the connection.
pub struct JsonLines<T, E> {
    status: StatusCode,
    headers: Box<HeaderMap>,
    framer: Framer,
    item: Decoder<T>,
    finished: bool,
    _error: PhantomData<fn() -> E>,
}

impl<T, E> JsonLines<T, E> {
    pub(crate) fn new(head: Head, config: &StreamConfig, item: Decoder<T>) -> Self {
        let records = essence(head.response.headers().get(CONTENT_TYPE))
            .is_some_and(|t| t.ends_with("json-seq"));
        let framing = if records {
            Framing::Records
        } else {
            Framing::Lines
        };
        let (status, headers) = (head.status(), head.headers());
        let body = Body::new(head.response, config.read_timeout);
        JsonLines {
            status,
            headers,
            framer: Framer::new(body, framing, config),
            item,
            finished: false,
            _error: PhantomData,
        }
    }

    response_parts!();
}

impl<T, E> Stream for JsonLines<T, E> {
    type Item = Result<T, Error<E>>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        while !this.finished {
            let line = match ready!(this.framer.poll_line(cx)) {
                Some(Ok(line)) => line,
                Some(Err(fail)) => return Poll::Ready(Some(Err(fatal(&mut this.finished, fail)))),
                None => break,
            };
            let item = line.slice_ref(line.trim_ascii());
            if item.is_empty() {
                continue;
            }
            return Poll::Ready(Some(match (this.item)(&item) {
                Ok(value) => Ok(value),
                Err(message) => Err(Error::Stream(StreamError::BadItem { item, message })),
            }));
        }
        this.finished = true;
        Poll::Ready(None)
    }
}

/// The error that ends a stream.
pub(crate) fn fatal<E>(finished: &mut bool, fail: Fail) -> Error<E> {
    *finished = true;
    Error::Stream(fail.into())
}

/// A response body as it arrives, chunk by chunk, never held whole. Dropping it closes the
/// connection.
pub struct ByteStream<E> {
    status: StatusCode,
    headers: Box<HeaderMap>,
    body: Body,
    finished: bool,
    _error: PhantomData<fn() -> E>,
}

impl<E> ByteStream<E> {
    pub(crate) fn new(head: Head, config: &StreamConfig) -> Self {
        let (status, headers) = (head.status(), head.headers());
        ByteStream {
            status,
            headers,
            body: Body::new(head.response, config.read_timeout),
            finished: false,
            _error: PhantomData,
        }
    }

    response_parts!();
}

impl<E> Stream for ByteStream<E> {
    type Item = Result<Bytes, Error<E>>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        if this.finished {
            return Poll::Ready(None);
        }
        Poll::Ready(match ready!(this.body.poll_chunk(cx)) {
            Some(Ok(chunk)) => Some(Ok(chunk)),
            Some(Err(fail)) => Some(Err(fatal(&mut this.finished, fail))),
            None => {
                this.finished = true;
                None
            }
        })
    }
}
