//! Server-sent events: [`EventStream`], a typed stream of [`Event`]s with opt-in reconnection.
//!
//! The body is cut into lines under the configured limits (`frame.rs`); the `eventsource-stream`
//! crate applies the HTML standard's rules to them (fields, `data` lines joined, the last event
//! ID kept, comments and unknown fields ignored, events without data not dispatched).

use std::convert::Infallible;
use std::marker::PhantomData;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::task::{ready, Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use eventsource_stream::{EventStream as Parser, EventStreamError};
use futures_util::{FutureExt, Stream, StreamExt};
use reqwest::header::HeaderMap;
use reqwest::StatusCode;
use serde::de::DeserializeOwned;

use super::frame::{Body, Fail, Framer, Framing};
use super::limits::{StreamConfig, StreamError};
use super::opening::{failed, response_parts, Head, Opened, Resend, SSE};
use super::options::BoxFuture;
use super::request::Decode;
use super::response::Error;
use crate::{Event, FromEvent};

/// Decodes the `data` of an event of type `event` (the first argument).
pub type EventDecoder<T> = fn(&str, &str) -> Result<T, String>;

/// Decode an event's data as JSON, whatever its type.
pub fn json_event<T: DeserializeOwned>(_event: &str, data: &str) -> Result<T, String> {
    serde_json::from_str(data).map_err(|e| e.to_string())
}

/// Keep an event's data as text.
pub fn text_event(_event: &str, data: &str) -> Result<String, String> {
    Ok(data.to_owned())
}

/// [`FromEvent::from_event`] as an [`EventDecoder`].
pub fn from_event<T: FromEvent>(event: &str, data: &str) -> Result<T, String> {
    T::from_event(event, data)
}

/// Opt-in reconnection of an [`EventStream`]: when the connection fails, times out or ends
/// (other than by the `done` sentinel), the request is sent again after `delay` (or the
/// server's last `retry:`) with `Last-Event-ID`, as a browser's `EventSource` does.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Reconnect {
    /// The wait before reconnecting when the server sent no `retry:`.
    pub delay: Duration,
    /// Attempts in a row without an event before the stream gives up with the last error.
    pub max_attempts: u32,
}

impl Default for Reconnect {
    fn default() -> Self {
        Reconnect {
            delay: Duration::from_secs(3),
            max_attempts: 5,
        }
    }
}

impl Reconnect {
    /// Set [`delay`](Self::delay).
    pub fn delay(mut self, delay: Duration) -> Self {
        self.delay = delay;
        self
    }

    /// Set [`max_attempts`](Self::max_attempts).
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts;
        self
    }
}

/// The lines of an event stream, as `eventsource-stream` takes them: UTF-8 checked here, so
/// that its own decoder never holds bytes back.
///
/// `retry:` lines are also noted here: the parser reports `retry` only with an event that has
/// data, while the standard applies it at once (servers often send `retry: N` alone, first).
struct Lines {
    framer: Framer,
    retry: Arc<AtomicU64>,
}

impl Stream for Lines {
    type Item = Result<Bytes, Fail>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        Poll::Ready(match ready!(self.framer.poll_line(cx)) {
            Some(Ok(line)) if std::str::from_utf8(&line).is_err() => Some(Err(Fail::Utf8)),
            Some(Ok(line)) => {
                if let Some(ms) = retry_field(&line) {
                    self.retry.store(ms, Ordering::Relaxed);
                }
                Some(Ok(line))
            }
            other => other,
        })
    }
}

/// The milliseconds of a `retry:` line; `None` for any other line and for a value that is not
/// all ASCII digits (which the standard ignores).
fn retry_field(line: &[u8]) -> Option<u64> {
    let value = line.strip_prefix(b"retry:")?.trim_ascii_end();
    let value = value.strip_prefix(b" ").unwrap_or(value);
    if value.is_empty() || !value.iter().all(u8::is_ascii_digit) {
        return None;
    }
    std::str::from_utf8(value).ok()?.parse().ok()
}

/// No `retry:` seen yet.
const NO_RETRY: u64 = u64::MAX;

fn parser(
    response: reqwest::Response,
    config: &StreamConfig,
    last_id: &str,
    retry: &Arc<AtomicU64>,
) -> Box<Parser<Lines>> {
    let body = Body::new(response, config.read_timeout);
    let lines = Lines {
        framer: Framer::new(body, Framing::Sse, config),
        retry: retry.clone(),
    };
    let mut parser = Parser::new(lines);
    parser.set_last_event_id(last_id);
    Box::new(parser)
}

enum State {
    Reading(Box<Parser<Lines>>),
    Waiting(Pin<Box<tokio::time::Sleep>>),
    Connecting(BoxFuture<'static, Result<Opened, Error<Infallible>>>),
    Finished,
}

/// The server-sent events of a response, their data decoded as `T`.
///
/// An event whose data does not decode is a [`StreamError::BadEvent`] item carrying the raw
/// event, and the stream goes on; an event whose data is the `done` sentinel (`[DONE]`) ends it.
/// A cut connection, a timeout, an over-long line or event and bytes that are not UTF-8 are a
/// last error item, unless [`reconnect`](Self::reconnect) is on. Dropping the stream closes the
/// connection; nothing runs in the background.
pub struct EventStream<T, E> {
    status: StatusCode,
    headers: Box<HeaderMap>,
    state: State,
    data: EventDecoder<T>,
    decode: Decode<Infallible, E>,
    config: StreamConfig,
    last_id: String,
    /// The server's last `retry:` in milliseconds, or [`NO_RETRY`].
    retry: Arc<AtomicU64>,
    resend: Option<Resend>,
    reconnect: Option<Reconnect>,
    attempts: u32,
    _error: PhantomData<fn() -> E>,
}

impl<T, E> EventStream<T, E> {
    pub(crate) fn new(
        head: Head,
        config: StreamConfig,
        data: EventDecoder<T>,
        decode: Decode<Infallible, E>,
    ) -> Self {
        let (status, headers) = (head.status(), head.headers());
        let retry = Arc::new(AtomicU64::new(NO_RETRY));
        EventStream {
            status,
            headers,
            state: State::Reading(parser(head.response, &config, "", &retry)),
            resend: head.resend,
            data,
            decode,
            config,
            last_id: String::new(),
            retry,
            reconnect: None,
            attempts: 0,
            _error: PhantomData,
        }
    }

    response_parts!();

    /// The last event ID the server set, if any.
    pub fn last_event_id(&self) -> Option<&str> {
        Some(self.last_id.as_str()).filter(|id| !id.is_empty())
    }

    /// Whether [`reconnect`](Self::reconnect) can work: the request can be sent again (its
    /// body is not a stream).
    pub fn can_reconnect(&self) -> bool {
        self.resend.is_some()
    }

    /// Reconnect as `policy` says when the connection fails or ends. Off by default: sending a
    /// request again is only right when the operation allows it. Does nothing when the request
    /// cannot be sent again ([`can_reconnect`](Self::can_reconnect)).
    pub fn reconnect(mut self, policy: Reconnect) -> Self {
        self.reconnect = Some(policy);
        self
    }

    /// The next state after the connection ended with `fail` (`None`: the body ended).
    fn ended(&mut self, fail: Option<Fail>) -> Option<Error<E>> {
        let retryable = matches!(fail, None | Some(Fail::Transport(_) | Fail::Timeout(_)));
        match &self.reconnect {
            Some(policy)
                if retryable && self.resend.is_some() && self.attempts < policy.max_attempts =>
            {
                self.attempts += 1;
                let delay = match self.retry.load(Ordering::Relaxed) {
                    NO_RETRY => policy.delay,
                    ms => Duration::from_millis(ms),
                };
                self.state = State::Waiting(Box::pin(tokio::time::sleep(delay)));
                None
            }
            _ => {
                self.state = State::Finished;
                fail.map(|fail| Error::Stream(fail.into()))
            }
        }
    }

    fn send_again(&mut self) {
        // Through the exchange again: span, hooks (a fresh signature), options.
        self.state = match self.resend.as_ref().and_then(|r| r.reopen(&self.last_id)) {
            Some(reopening) => State::Connecting(reopening),
            None => State::Finished,
        };
    }

    /// An event from the parser, decoded; `None` for the `done` sentinel.
    fn decode_event(
        &mut self,
        raw: eventsource_stream::Event,
    ) -> Option<Result<Event<T>, Error<E>>> {
        self.attempts = 0;
        self.last_id.clone_from(&raw.id);
        if self.config.done.as_deref() == Some(raw.data.trim()) {
            self.state = State::Finished;
            return None;
        }
        let id = Some(raw.id).filter(|id| !id.is_empty());
        Some(match (self.data)(&raw.event, &raw.data) {
            Ok(data) => Ok(Event {
                event: raw.event,
                id,
                retry: raw.retry,
                data,
            }),
            Err(message) => Err(Error::Stream(StreamError::BadEvent {
                event: Box::new(Event {
                    event: raw.event,
                    id,
                    retry: raw.retry,
                    data: raw.data,
                }),
                message,
            })),
        })
    }
}

impl<T, E> Stream for EventStream<T, E> {
    type Item = Result<Event<T>, Error<E>>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        loop {
            match &mut this.state {
                State::Finished => return Poll::Ready(None),
                State::Reading(parser) => {
                    let error = match ready!(parser.poll_next_unpin(cx)) {
                        Some(Ok(raw)) => match this.decode_event(raw) {
                            Some(item) => return Poll::Ready(Some(item)),
                            None => return Poll::Ready(None),
                        },
                        None => this.ended(None),
                        Some(Err(EventStreamError::Transport(fail))) => this.ended(Some(fail)),
                        // Lines are checked UTF-8 and every line parses; kept for safety.
                        Some(Err(EventStreamError::Utf8(_) | EventStreamError::Parser(_))) => {
                            this.ended(Some(Fail::Utf8))
                        }
                    };
                    if let Some(error) = error {
                        return Poll::Ready(Some(Err(error)));
                    }
                }
                State::Waiting(sleep) => {
                    ready!(sleep.as_mut().poll_unpin(cx));
                    this.send_again();
                }
                State::Connecting(exchange) => {
                    let opened = ready!(exchange.as_mut().poll(cx));
                    match opened {
                        Ok(Opened::Stream(head)) if head.status() == StatusCode::NO_CONTENT => {
                            // The standard's way for a server to say "do not reconnect".
                            this.state = State::Finished;
                        }
                        Err(Error::Transport(e)) => {
                            if let Some(error) = this.ended(Some(Fail::Transport(e))) {
                                return Poll::Ready(Some(Err(error)));
                            }
                        }
                        opened => match failed(opened, this.decode, SSE) {
                            Ok(head) => {
                                let parser =
                                    parser(head.response, &this.config, &this.last_id, &this.retry);
                                this.state = State::Reading(parser);
                            }
                            Err(error) => {
                                this.state = State::Finished;
                                return Poll::Ready(Some(Err(error)));
                            }
                        },
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::retry_field;

    #[test]
    fn retry_lines() {
        assert_eq!(retry_field(b"retry: 250\n"), Some(250));
        assert_eq!(retry_field(b"retry:7\r\n"), Some(7));
        assert_eq!(retry_field(b"retry: 1.5\n"), None);
        assert_eq!(retry_field(b"retry:\n"), None);
        assert_eq!(retry_field(b"retry: 99999999999999999999999\n"), None);
        assert_eq!(retry_field(b"data: retry: 5\n"), None);
    }
}
