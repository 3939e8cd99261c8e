//! The JSON Lines ([`JsonLines`]) and byte ([`ByteStream`]) streams, the [`Request`] methods
//! that open every streamed response (server-sent events are in `sse.rs`), and [`Binary`], a
//! binary request body in memory or streamed.

use std::convert::Infallible;
use std::fmt;
use std::marker::PhantomData;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{ready, Context, Poll};

use bytes::{Bytes, BytesMut};
use futures_util::Stream;
use reqwest::header::{HeaderMap, ACCEPT, CONTENT_TYPE};
use reqwest::StatusCode;

use super::frame::{Body, Fail, Framer, Framing};
use super::limits::{StreamConfig, StreamError};
use super::opening::{open, response_parts, Head, Make, Opening, JSON_LINES, SSE};
use super::request::{Decode, Request};
use super::response::{essence, Decoder, Error};
use super::sse::{EventDecoder, EventStream};

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
        Opening::new(
            open(self.prepare(), accept, keep_request),
            decode,
            accept,
            config,
            make,
        )
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

/// A binary request body (`application/octet-stream`, `format: binary`, ...): bytes in memory
/// (from `Bytes`, `Vec<u8>`, `String`, `&'static [u8]`, ...), or a stream sent as it is read
/// ([`Binary::stream`]: a file, a relayed download), never held whole.
///
/// A streamed body can be sent once: a clone of the request shares it, and sending the request a
/// second time fails with `Error::Request` (nothing is sent).
#[derive(Clone)]
pub struct Binary(BinaryBody);

#[derive(Clone)]
enum BinaryBody {
    Bytes(Bytes),
    Stream(Arc<Mutex<Option<reqwest::Body>>>),
}

impl Binary {
    /// A body streamed as it is sent, e.g. `reqwest::Body::wrap_stream(chunks)`, or
    /// `tokio::fs::File` through `reqwest::Body::from`.
    pub fn stream(body: impl Into<reqwest::Body>) -> Self {
        Binary(BinaryBody::Stream(Arc::new(Mutex::new(Some(body.into())))))
    }

    /// The bytes of a body in memory; `None` for a stream.
    pub fn as_bytes(&self) -> Option<&Bytes> {
        match &self.0 {
            BinaryBody::Bytes(bytes) => Some(bytes),
            BinaryBody::Stream(_) => None,
        }
    }
}

macro_rules! binary_from {
    ($($t:ty),*) => {$(
        impl From<$t> for Binary {
            fn from(bytes: $t) -> Self {
                Binary(BinaryBody::Bytes(Bytes::from(bytes)))
            }
        }
    )*};
}
binary_from!(
    Bytes,
    BytesMut,
    Vec<u8>,
    Box<[u8]>,
    String,
    &'static [u8],
    &'static str
);

impl fmt::Debug for Binary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            BinaryBody::Bytes(bytes) => f.debug_tuple("Binary").field(&bytes.len()).finish(),
            BinaryBody::Stream(_) => f.write_str("Binary(stream)"),
        }
    }
}

impl Request<'_> {
    /// A binary body, in memory or streamed ([`Binary`]).
    pub fn binary(mut self, body: Binary, content_type: &str) -> Self {
        match body.0 {
            BinaryBody::Bytes(bytes) => self.bytes(bytes, content_type),
            BinaryBody::Stream(shared) => {
                let taken = shared.lock().map(|mut body| body.take()).unwrap_or(None);
                match taken {
                    Some(stream) => self.body_stream(stream, content_type),
                    None => {
                        self.fail(
                            "a streamed request body can be sent once, and this one was sent \
                             already"
                                .to_owned(),
                        );
                        self
                    }
                }
            }
        }
    }
}

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
