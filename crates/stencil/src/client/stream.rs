//! The JSON Lines ([`JsonLines`]) and byte ([`ByteStream`]) streams, and the [`Request`]
//! methods that open every streamed response (server-sent events are in `sse.rs`).

use std::convert::Infallible;
use std::marker::PhantomData;
use std::pin::Pin;
use std::task::{ready, Context, Poll};

use bytes::Bytes;
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
