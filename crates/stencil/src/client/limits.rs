//! The settings ([`StreamConfig`]) and failures ([`StreamError`]) of streamed responses.

use std::fmt;
use std::time::Duration;

use bytes::Bytes;

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
    /// Keep-alive comments of an event stream count as bytes. Timing needs tokio's time driver
    /// (on in `#[tokio::main]` runtimes; `Builder::enable_time` otherwise), as reconnection does.
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
