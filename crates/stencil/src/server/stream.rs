//! Streamed responses and request bodies: server-sent events ([`Events`]), JSON Lines
//! ([`JsonLines`]), bytes ([`ByteStream`]), and a request body read as it arrives under the body
//! limit ([`body_stream`], [`BodyStream`]).
//!
//! Each response type holds the handler's stream and writes it as it yields: nothing is
//! buffered whole. When the client goes away the response body, and with it the handler's
//! stream, is dropped.

use std::convert::Infallible;
use std::fmt;
use std::marker::PhantomData;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use axum::body::Body as AxumBody;
use axum::response::sse::{Event as SseEvent, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::BoxError;
use bytes::Bytes;
use futures_util::stream::BoxStream;
use futures_util::{Stream, StreamExt, TryStream, TryStreamExt};
use http::{header, HeaderValue, StatusCode};
use http_body_util::{BodyDataStream, LengthLimitError, Limited};
use serde::Serialize;

use crate::Event;

/// The keep-alive interval of [`Events`] unless set: 15 s.
pub const DEFAULT_KEEP_ALIVE: Duration = Duration::from_secs(15);

/// A `text/event-stream` response: the handler's events, their `data` as JSON (or as text
/// with [`Events::text`]), with a keep-alive comment every [`DEFAULT_KEEP_ALIVE`] while
/// nothing else is sent.
///
/// An event type or ID that cannot be written on one line (CR, LF, NUL) is left out and
/// logged; a payload that does not serialize, or an `Err` of [`Events::try_new`], ends the
/// response abruptly, which the client sees as an interrupted stream.
#[must_use]
pub struct Events<T> {
    events: BoxStream<'static, Result<SseEvent, axum::Error>>,
    keep_alive: Option<Duration>,
    _payload: PhantomData<fn() -> T>,
}

impl<T: Serialize + Send + 'static> Events<T> {
    /// Send `events`, their data as JSON.
    pub fn new(events: impl Stream<Item = Event<T>> + Send + 'static) -> Self {
        Self::try_new(events.map(Ok::<_, Infallible>))
    }

    /// Send `events` until one is an `Err`, which ends the response abruptly.
    pub fn try_new<S>(events: S) -> Self
    where
        S: TryStream<Ok = Event<T>> + Send + 'static,
        S::Error: Into<BoxError>,
    {
        Self::from_frames(
            events
                .map_err(axum::Error::new)
                .and_then(|event| async move { sse_event(event, SseEvent::json_data) }),
        )
    }
}

impl Events<String> {
    /// Send `events`, their data as text (lines ended by CR, LF or CRLF become `data:` lines).
    pub fn text(events: impl Stream<Item = Event<String>> + Send + 'static) -> Self {
        Self::from_frames(events.map(|event| {
            sse_event(event, |frame, data: String| {
                let data = data.replace("\r\n", "\n").replace('\r', "\n");
                Ok::<_, axum::Error>(frame.data(data))
            })
        }))
    }
}

impl<T> Events<T> {
    fn from_frames(
        frames: impl Stream<Item = Result<SseEvent, axum::Error>> + Send + 'static,
    ) -> Self {
        Events {
            events: frames.boxed(),
            keep_alive: Some(DEFAULT_KEEP_ALIVE),
            _payload: PhantomData,
        }
    }

    /// Send a keep-alive comment after `interval` without an event.
    pub fn keep_alive(mut self, interval: Duration) -> Self {
        self.keep_alive = Some(interval);
        self
    }

    /// Send no keep-alive comments.
    pub fn without_keep_alive(mut self) -> Self {
        self.keep_alive = None;
        self
    }
}

/// Whether `value` can be an SSE field value (it is written on one line).
fn one_line(value: &str) -> bool {
    !value.contains(['\r', '\n', '\0'])
}

/// The frame of `event`, its data written by `data`.
fn sse_event<T, E>(
    event: Event<T>,
    data: impl FnOnce(SseEvent, T) -> Result<SseEvent, E>,
) -> Result<SseEvent, axum::Error>
where
    E: Into<BoxError>,
{
    let mut frame = SseEvent::default();
    if !event.event.is_empty() && event.event != "message" {
        if one_line(&event.event) {
            frame = frame.event(&event.event);
        } else {
            tracing::warn!("an SSE event type with CR, LF or NUL is left out");
        }
    }
    if let Some(id) = &event.id {
        if one_line(id) {
            frame = frame.id(id);
        } else {
            tracing::warn!("an SSE event ID with CR, LF or NUL is left out");
        }
    }
    if let Some(retry) = event.retry {
        frame = frame.retry(retry);
    }
    data(frame, event.data).map_err(|e| {
        let error = axum::Error::new(e);
        tracing::error!(%error, "an SSE event could not be serialized; ending the stream");
        error
    })
}

impl<T> IntoResponse for Events<T> {
    fn into_response(self) -> Response {
        let sse = Sse::new(self.events);
        match self.keep_alive {
            Some(interval) => sse
                .keep_alive(KeepAlive::new().interval(interval))
                .into_response(),
            None => sse.into_response(),
        }
    }
}

impl<T> fmt::Debug for Events<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Events")
            .field("keep_alive", &self.keep_alive)
            .finish_non_exhaustive()
    }
}

/// A JSON Lines response: one JSON text per item, each ended by LF; for a `json-seq` media type
/// a JSON text sequence (RFC 7464: each text after RS). The media type is
/// `application/x-ndjson` unless set with [`media_type`](Self::media_type).
#[must_use]
pub struct JsonLines<T> {
    items: BoxStream<'static, Result<T, BoxError>>,
    media_type: &'static str,
}

impl<T: Serialize + Send + 'static> JsonLines<T> {
    /// Send `items`.
    pub fn new(items: impl Stream<Item = T> + Send + 'static) -> Self {
        Self::try_new(items.map(Ok::<_, Infallible>))
    }

    /// Send `items` until one is an `Err`, which ends the response abruptly.
    pub fn try_new<S>(items: S) -> Self
    where
        S: TryStream<Ok = T> + Send + 'static,
        S::Error: Into<BoxError>,
    {
        JsonLines {
            items: items.map_err(Into::into).into_stream().boxed(),
            media_type: "application/x-ndjson",
        }
    }

    /// The `Content-Type` (e.g. `application/jsonl`, `application/json-seq`).
    pub fn media_type(mut self, media_type: &'static str) -> Self {
        self.media_type = media_type;
        self
    }
}

impl<T: Serialize + Send + 'static> IntoResponse for JsonLines<T> {
    fn into_response(self) -> Response {
        let records = self.media_type.ends_with("json-seq");
        let lines = self.items.map(move |item| {
            let mut line = Vec::with_capacity(128);
            if records {
                line.push(0x1E);
            }
            serde_json::to_writer(&mut line, &item?).map_err(|e| {
                tracing::error!(error = %e, "a JSON Lines item could not be serialized; ending the stream");
                e
            })?;
            line.push(b'\n');
            Ok::<_, BoxError>(Bytes::from(line))
        });
        with_type(self.media_type, AxumBody::from_stream(lines))
    }
}

impl<T> fmt::Debug for JsonLines<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("JsonLines")
            .field("media_type", &self.media_type)
            .finish_non_exhaustive()
    }
}

impl fmt::Debug for ByteStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ByteStream")
            .field("media_type", &self.media_type)
            .finish_non_exhaustive()
    }
}

fn with_type(media_type: &'static str, body: AxumBody) -> Response {
    let mut response = body.into_response();
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(media_type));
    response
}

/// A binary response written as `chunks` yields (a file, a download relayed), never held
/// whole; an `Err` ends it abruptly.
#[must_use]
pub struct ByteStream {
    body: AxumBody,
    media_type: &'static str,
}

impl ByteStream {
    /// Send `chunks` as a body of type `media_type`.
    pub fn new<S>(chunks: S, media_type: &'static str) -> Self
    where
        S: TryStream + Send + 'static,
        S::Ok: Into<Bytes>,
        S::Error: Into<BoxError>,
    {
        ByteStream {
            body: AxumBody::from_stream(chunks),
            media_type,
        }
    }
}

impl IntoResponse for ByteStream {
    fn into_response(self) -> Response {
        with_type(self.media_type, self.body)
    }
}

/// A server-sent events response with the status `code` (a generated response enum's arm; the
/// media type is `text/event-stream`).
pub fn events<T>(code: u16, _media_type: &'static str, body: Events<T>) -> Response {
    streamed(code, body)
}

/// A JSON Lines response with the status `code` and the declared `media_type` (a generated
/// response enum's arm).
pub fn json_lines<T: Serialize + Send + 'static>(
    code: u16,
    media_type: &'static str,
    body: JsonLines<T>,
) -> Response {
    streamed(code, body.media_type(media_type))
}

/// A byte stream response with the status `code` and the declared `media_type` (a generated
/// response enum's `...Stream` arm). A wildcard media type (`*/*`, `image/*`) leaves the
/// stream's own.
pub fn byte_stream(code: u16, media_type: &'static str, mut body: ByteStream) -> Response {
    if !media_type.contains('*') {
        body.media_type = media_type;
    }
    streamed(code, body)
}

/// A streamed response with the status `code` (a generated response enum's arm).
pub fn streamed(code: u16, body: impl IntoResponse) -> Response {
    let mut response = body.into_response();
    *response.status_mut() =
        StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    response
}

/// Why reading a streamed request body stopped.
#[derive(Debug)]
#[non_exhaustive]
pub enum BodyError {
    /// The body is larger than the limit (the handler answers 413).
    TooLarge {
        /// The limit in bytes.
        limit: usize,
    },
    /// The connection failed while the body was read.
    Read(BoxError),
    /// The body is not what it should be (e.g. a multipart body without its boundary).
    Malformed(String),
    /// No part of the body arrived for `after` (the handler answers 408); see
    /// [`BodyStream::read_timeout`].
    TimedOut {
        /// How long the stream waited for the next chunk.
        after: Duration,
    },
    /// A required body ended without a byte (the handler answers 422, `body` missing); see
    /// [`BodyStream::required`].
    Missing,
}

impl fmt::Display for BodyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BodyError::TooLarge { limit } => {
                write!(f, "the request body is larger than {limit} bytes")
            }
            BodyError::Read(e) => write!(f, "the request body could not be read: {e}"),
            BodyError::Malformed(m) => write!(f, "the request body is malformed: {m}"),
            BodyError::Missing => write!(f, "the required request body is empty"),
            BodyError::TimedOut { after } => write!(
                f,
                "no part of the request body arrived within {} s",
                after.as_secs_f64()
            ),
        }
    }
}

impl std::error::Error for BodyError {}

impl IntoResponse for BodyError {
    fn into_response(self) -> Response {
        let status = match self {
            BodyError::TooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            BodyError::Read(_) | BodyError::Malformed(_) => StatusCode::BAD_REQUEST,
            BodyError::TimedOut { .. } => StatusCode::REQUEST_TIMEOUT,
            BodyError::Missing => StatusCode::UNPROCESSABLE_ENTITY,
        };
        (status, self.to_string()).into_response()
    }
}

/// A request body as it arrives, chunk by chunk; past `limit` bytes in all it ends with
/// [`BodyError::TooLarge`].
pub struct BodyStream {
    data: BodyDataStream<Limited<AxumBody>>,
    limit: usize,
    finished: bool,
    /// Whether an empty body is [`BodyError::Missing`], and whether a byte has come.
    required: bool,
    seen: bool,
    /// How long to wait for each chunk, and the timer counting it down.
    idle: Option<(Duration, Pin<Box<tokio::time::Sleep>>)>,
}

/// Read `body` as a stream, at most `limit` bytes of it (e.g. the server's
/// [`Config::body_limit`](super::Config::body_limit)).
pub fn body_stream(body: AxumBody, limit: usize) -> BodyStream {
    BodyStream {
        data: BodyDataStream::new(Limited::new(body, limit)),
        limit,
        finished: false,
        required: false,
        seen: false,
        idle: None,
    }
}

impl BodyStream {
    /// End an empty body with [`BodyError::Missing`] (the generated handlers set this for a
    /// required body: one sent chunked, without `Content-Length`, is known empty only at its
    /// end).
    pub fn required(mut self, required: bool) -> Self {
        self.required = required;
        self
    }

    /// End with [`BodyError::TimedOut`] when no chunk arrives for `timeout` (`None`: wait as
    /// long as the client takes). The generated handlers set the server's
    /// [`Config::body_read_timeout`](super::Config::body_read_timeout): for a body read whole it
    /// bounds the whole read, for a stream the wait for each chunk.
    pub fn read_timeout(mut self, timeout: Option<Duration>) -> Self {
        self.idle = timeout.map(|t| (t, Box::pin(tokio::time::sleep(t))));
        self
    }

    /// Read the rest of the body into memory (still under the limit).
    pub async fn bytes(mut self) -> Result<Bytes, BodyError> {
        let mut whole = bytes::BytesMut::new();
        while let Some(chunk) = self.next().await {
            whole.extend_from_slice(&chunk?);
        }
        Ok(whole.freeze())
    }
}

impl Stream for BodyStream {
    type Item = Result<Bytes, BodyError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        if self.finished {
            return Poll::Ready(None);
        }
        let item = match self.data.poll_next_unpin(cx) {
            Poll::Ready(item) => {
                if let Some((after, timer)) = &mut self.idle {
                    timer.as_mut().reset(tokio::time::Instant::now() + *after);
                }
                item
            }
            Poll::Pending => {
                if let Some((after, timer)) = &mut self.idle {
                    if std::future::Future::poll(timer.as_mut(), cx).is_ready() {
                        let after = *after;
                        self.finished = true;
                        return Poll::Ready(Some(Err(BodyError::TimedOut { after })));
                    }
                }
                return Poll::Pending;
            }
        };
        Poll::Ready(match item {
            Some(Ok(chunk)) => {
                self.seen |= !chunk.is_empty();
                Some(Ok(chunk))
            }
            Some(Err(e)) => {
                self.finished = true;
                Some(Err(if e.is::<LengthLimitError>() {
                    BodyError::TooLarge { limit: self.limit }
                } else {
                    BodyError::Read(e)
                }))
            }
            None => {
                self.finished = true;
                (self.required && !self.seen).then_some(Err(BodyError::Missing))
            }
        })
    }
}

impl fmt::Debug for BodyStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BodyStream")
            .field("limit", &self.limit)
            .finish_non_exhaustive()
    }
}
