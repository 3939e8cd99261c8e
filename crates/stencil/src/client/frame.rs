//! Reading a streamed response body: chunks under a read timeout ([`Body`]), cut into lines or
//! records under size limits ([`Framer`]). Nothing here buffers more than one line.

use std::future::Future;
use std::pin::Pin;
use std::task::{ready, Context, Poll};
use std::time::Duration;

use bytes::{Bytes, BytesMut};
use futures_util::Stream;

use super::limits::{StreamConfig, StreamError};

/// Why a stream stopped early. Every one ends the stream.
#[derive(Debug)]
pub(crate) enum Fail {
    Transport(reqwest::Error),
    Timeout(Duration),
    LineTooLong(usize),
    EventTooLarge(usize),
    Utf8,
}

impl From<Fail> for StreamError {
    fn from(fail: Fail) -> Self {
        match fail {
            Fail::Transport(e) => StreamError::Interrupted(e),
            Fail::Timeout(d) => StreamError::Timeout(d),
            Fail::LineTooLong(limit) => StreamError::LineTooLong { limit },
            Fail::EventTooLarge(limit) => StreamError::EventTooLarge { limit },
            Fail::Utf8 => StreamError::InvalidUtf8,
        }
    }
}

type Chunks = Pin<Box<dyn Stream<Item = reqwest::Result<Bytes>> + Send>>;

/// The chunks of a response body as they arrive. Dropping it drops the response, which closes
/// the connection: nothing reads in the background.
pub(crate) struct Body {
    chunks: Chunks,
    timeout: Option<Duration>,
    /// Armed when a poll finds no chunk; re-armed after each chunk.
    timer: Option<Pin<Box<tokio::time::Sleep>>>,
    armed: bool,
}

impl Body {
    pub(crate) fn new(response: reqwest::Response, timeout: Option<Duration>) -> Self {
        Body {
            chunks: Box::pin(response.bytes_stream()),
            timeout,
            timer: None,
            armed: false,
        }
    }

    /// The next non-empty chunk; `None` at the end of the body.
    pub(crate) fn poll_chunk(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<Bytes, Fail>>> {
        loop {
            match self.chunks.as_mut().poll_next(cx) {
                Poll::Ready(Some(Ok(chunk))) => {
                    self.armed = false;
                    if !chunk.is_empty() {
                        return Poll::Ready(Some(Ok(chunk)));
                    }
                }
                Poll::Ready(Some(Err(e))) => return Poll::Ready(Some(Err(Fail::Transport(e)))),
                Poll::Ready(None) => return Poll::Ready(None),
                Poll::Pending => {
                    let Some(timeout) = self.timeout else {
                        return Poll::Pending;
                    };
                    let timer = self
                        .timer
                        .get_or_insert_with(|| Box::pin(tokio::time::sleep(timeout)));
                    if !self.armed {
                        timer.as_mut().reset(tokio::time::Instant::now() + timeout);
                        self.armed = true;
                    }
                    ready!(timer.as_mut().poll(cx));
                    return Poll::Ready(Some(Err(Fail::Timeout(timeout))));
                }
            }
        }
    }
}

/// How a body is cut into pieces.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Framing {
    /// Server-sent events: lines ended by CRLF, LF or CR, each handed on with its end of line.
    Sse,
    /// JSON Lines / NDJSON: lines ended by LF, handed on without it.
    Lines,
    /// JSON text sequences (RFC 7464): records started by RS (0x1E), handed on without it.
    Records,
}

const RS: u8 = 0x1E;

/// A body cut into lines (or records), none longer than the configured limit, and for
/// server-sent events no event (the lines up to a blank one) larger than its limit.
pub(crate) struct Framer {
    body: Body,
    framing: Framing,
    /// The unread rest of the last chunk.
    chunk: Bytes,
    /// The start of a line that continues in the next chunk.
    partial: BytesMut,
    /// `partial` ends with CR: the line is complete unless the next byte is LF (SSE only).
    after_cr: bool,
    max_line: usize,
    max_event: usize,
    /// Bytes of the SSE event being read.
    event_len: usize,
    ended: bool,
}

impl Framer {
    pub(crate) fn new(body: Body, framing: Framing, config: &StreamConfig) -> Self {
        Framer {
            body,
            framing,
            chunk: Bytes::new(),
            partial: BytesMut::new(),
            after_cr: false,
            max_line: config.max_line,
            max_event: config.max_event,
            event_len: 0,
            ended: false,
        }
    }

    /// The next line; `None` at the end of the body (after a last line without an end).
    pub(crate) fn poll_line(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<Bytes, Fail>>> {
        loop {
            match self.split() {
                Ok(Some(line)) => return Poll::Ready(Some(self.count(line))),
                Ok(None) => {}
                Err(fail) => return Poll::Ready(Some(Err(self.stop(fail)))),
            }
            if self.ended {
                self.after_cr = false;
                if self.partial.is_empty() {
                    return Poll::Ready(None);
                }
                let line = self.partial.split().freeze();
                return Poll::Ready(Some(self.count(line)));
            }
            match ready!(self.body.poll_chunk(cx)) {
                Some(Ok(chunk)) => self.chunk = chunk,
                Some(Err(fail)) => return Poll::Ready(Some(Err(self.stop(fail)))),
                None => self.ended = true,
            }
        }
    }

    fn stop(&mut self, fail: Fail) -> Fail {
        self.ended = true;
        self.chunk = Bytes::new();
        self.partial = BytesMut::new();
        fail
    }

    /// Enforce the event limit on a complete SSE line.
    fn count(&mut self, line: Bytes) -> Result<Bytes, Fail> {
        if self.framing == Framing::Sse {
            if matches!(&line[..], b"\n" | b"\r" | b"\r\n") {
                self.event_len = 0;
            } else {
                self.event_len += line.len();
                if self.event_len > self.max_event {
                    return Err(self.stop(Fail::EventTooLarge(self.max_event)));
                }
            }
        }
        Ok(line)
    }

    /// Take the next complete line out of `partial` and `chunk`, or move what is there into
    /// `partial` and answer `None`.
    fn split(&mut self) -> Result<Option<Bytes>, Fail> {
        if self.chunk.is_empty() {
            return Ok(None);
        }
        if self.after_cr {
            // The line in `partial` ended with CR; CRLF is one end of line.
            self.after_cr = false;
            if self.chunk[0] == b'\n' {
                self.partial.extend_from_slice(b"\n");
                self.chunk = self.chunk.slice(1..);
            }
            return Ok(Some(self.partial.split().freeze()));
        }
        let found = match self.framing {
            Framing::Sse => memchr::memchr2(b'\n', b'\r', &self.chunk),
            Framing::Lines => memchr::memchr(b'\n', &self.chunk),
            Framing::Records => memchr::memchr(RS, &self.chunk),
        };
        let Some(at) = found else {
            if self.partial.len() + self.chunk.len() > self.max_line {
                return Err(Fail::LineTooLong(self.max_line));
            }
            self.partial.extend_from_slice(&self.chunk);
            self.chunk = Bytes::new();
            return Ok(None);
        };
        if self.partial.len() + at > self.max_line {
            return Err(Fail::LineTooLong(self.max_line));
        }
        let (end, skip) = match self.framing {
            Framing::Sse if self.chunk[at] == b'\r' => match self.chunk.get(at + 1) {
                Some(b'\n') => (at + 2, at + 2),
                Some(_) => (at + 1, at + 1),
                None => {
                    // Whether LF follows is known with the next chunk.
                    self.partial.extend_from_slice(&self.chunk);
                    self.chunk = Bytes::new();
                    self.after_cr = true;
                    return Ok(None);
                }
            },
            Framing::Sse => (at + 1, at + 1),
            // The separator itself is not part of the line.
            Framing::Lines | Framing::Records => (at, at + 1),
        };
        let line = self.chunk.slice(..end);
        self.chunk = self.chunk.slice(skip..);
        if self.partial.is_empty() {
            Ok(Some(line))
        } else {
            self.partial.extend_from_slice(&line);
            Ok(Some(self.partial.split().freeze()))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Cut `chunks` (each one response chunk) with `framing`, through a real response.
    async fn lines(
        framing: Framing,
        chunks: &[&'static [u8]],
        config: StreamConfig,
    ) -> Vec<Result<Vec<u8>, String>> {
        let stream = futures_util::stream::iter(
            chunks
                .iter()
                .map(|c| Ok::<_, std::io::Error>(Bytes::from_static(c)))
                .collect::<Vec<_>>(),
        );
        let response = http::Response::new(reqwest::Body::wrap_stream(stream));
        let body = Body::new(reqwest::Response::from(response), None);
        let mut framer = Framer::new(body, framing, &config);
        let mut out = Vec::new();
        while let Some(line) = std::future::poll_fn(|cx| framer.poll_line(cx)).await {
            out.push(line.map(|l| l.to_vec()).map_err(|e| format!("{e:?}")));
        }
        out
    }

    fn ok(lines: &[&[u8]]) -> Vec<Result<Vec<u8>, String>> {
        lines.iter().map(|l| Ok(l.to_vec())).collect()
    }

    #[tokio::test]
    async fn sse_lines_keep_their_ends_across_chunks() {
        let config = StreamConfig::default();
        let got = lines(
            Framing::Sse,
            &[
                b"data: a\r",
                b"\ndata: b\rdata: c",
                b"\n\r",
                b"\r\n",
                b"tail",
            ],
            config,
        )
        .await;
        assert_eq!(
            got,
            ok(&[
                b"data: a\r\n",
                b"data: b\r",
                b"data: c\n",
                b"\r",
                b"\r\n",
                b"tail"
            ])
        );
    }

    #[tokio::test]
    async fn json_lines_and_records() {
        let config = StreamConfig::default();
        let got = lines(
            Framing::Lines,
            &[b"{\"a\":1}\n{\"a\"", b":2}\r\n\n3"],
            config.clone(),
        )
        .await;
        assert_eq!(got, ok(&[b"{\"a\":1}", b"{\"a\":2}\r", b"", b"3"]));
        let got = lines(Framing::Records, &[b"\x1e1\n\x1e", b"2\n"], config).await;
        assert_eq!(got, ok(&[b"", b"1\n", b"2\n"]));
    }

    #[tokio::test]
    async fn limits_end_the_stream() {
        let config = StreamConfig::default().max_line(4).max_event(6);
        let got = lines(
            Framing::Lines,
            &[b"1234\n12", b"345\nnext\n"],
            config.clone(),
        )
        .await;
        assert_eq!(got.len(), 2);
        assert_eq!(got[0], Ok(b"1234".to_vec()));
        assert_eq!(got[1], Err("LineTooLong(4)".to_owned()));
        let got = lines(Framing::Sse, &[b"a:1\n\na:1\na:2\n\n"], config).await;
        assert_eq!(got[..3], ok(&[b"a:1\n", b"\n", b"a:1\n"])[..]);
        assert_eq!(got[3], Err("EventTooLarge(6)".to_owned()));
        assert_eq!(got.len(), 4);
    }
}
