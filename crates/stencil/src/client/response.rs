//! Responses: [`ResponseValue`], [`Error`], and decoding a [`Response`] by status.

use std::fmt;
use std::ops::{Deref, DerefMut};

use bytes::Bytes;
use reqwest::header::HeaderMap;
use reqwest::StatusCode;
use serde::de::DeserializeOwned;

use super::limits::StreamError;
use super::options::BoxError;

/// A decoded response body with the status and headers it came with. Derefs to the body.
#[derive(Clone, Debug, PartialEq)]
pub struct ResponseValue<T> {
    inner: T,
    status: StatusCode,
    // Boxed to keep `Error<E>` small (`clippy::result_large_err`): a `HeaderMap` is ~100 bytes.
    headers: Box<HeaderMap>,
}

impl<T> ResponseValue<T> {
    /// A body with the status and headers of its response.
    pub fn new(inner: T, status: StatusCode, headers: HeaderMap) -> Self {
        ResponseValue {
            inner,
            status,
            headers: Box::new(headers),
        }
    }

    /// The body.
    pub fn into_inner(self) -> T {
        self.inner
    }

    /// The response status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The response headers, declared ones included.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// A header's value as text; `None` when it is absent or not visible ASCII.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name)?.to_str().ok()
    }

    /// A header parsed into `T` (`None` when absent, `Some(Err)` when it does not parse).
    pub fn parse_header<H: std::str::FromStr>(&self, name: &str) -> Option<Result<H, H::Err>> {
        self.header(name).map(str::parse)
    }

    /// The body, the status and the headers.
    pub fn into_parts(self) -> (T, StatusCode, HeaderMap) {
        (self.inner, self.status, *self.headers)
    }

    /// Change the body, keeping status and headers.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> ResponseValue<U> {
        ResponseValue {
            inner: f(self.inner),
            status: self.status,
            headers: self.headers,
        }
    }
}

impl<T> Deref for ResponseValue<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.inner
    }
}

impl<T> DerefMut for ResponseValue<T> {
    fn deref_mut(&mut self) -> &mut T {
        &mut self.inner
    }
}

/// Why an operation failed.
///
/// `E` is the operation's error enum: one variant per error status the document declares.
pub enum Error<E> {
    /// The server answered with a status the operation declares as an error; the body decoded.
    Api(ResponseValue<E>),
    /// The server answered with a status the operation does not declare.
    ///
    /// (`headers` is boxed to keep this type small.)
    UnexpectedStatus {
        /// The response status.
        status: StatusCode,
        /// The response headers.
        headers: Box<HeaderMap>,
        /// The raw body.
        body: Bytes,
    },
    /// The status is declared but the body does not decode as declared.
    Decode {
        /// The response status.
        status: StatusCode,
        /// The response headers.
        headers: Box<HeaderMap>,
        /// The raw body.
        body: Bytes,
        /// Why the body did not decode.
        message: String,
    },
    /// A success status whose `Content-Type` is not what the operation streams (`None`: the
    /// header is absent). The body is not read.
    UnexpectedContentType {
        /// The response status.
        status: StatusCode,
        /// The response headers.
        headers: Box<HeaderMap>,
        /// The media type the server sent, lower case, without parameters.
        content_type: Option<String>,
        /// The media types the operation expected.
        expected: &'static [&'static str],
    },
    /// A streamed response failed while streaming, or one item of it does not decode
    /// ([`StreamError::is_fatal`] tells which).
    Stream(StreamError),
    /// Connecting, sending, or reading the response failed.
    Transport(reqwest::Error),
    /// A custom [`Transport`](super::Transport) failed (an in-process service, or a per-attempt
    /// timeout on one), with an error other than reqwest's.
    Custom(BoxError),
    /// A [`Hook`](super::Hook)'s `before_send` refused the request; it was not sent.
    Hook(BoxError),
    /// The request was not sent: a parameter cannot be put on the wire (a header value with
    /// CR/LF, an empty path parameter, a body that does not serialise, a bad base URL, ...).
    InvalidRequest(String),
}

impl<E> Error<E> {
    /// The response status, when there was a response.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Api(v) => Some(v.status()),
            Error::UnexpectedStatus { status, .. }
            | Error::Decode { status, .. }
            | Error::UnexpectedContentType { status, .. } => Some(*status),
            Error::Transport(e) => e.status(),
            Error::Stream(_) | Error::Custom(_) | Error::Hook(_) | Error::InvalidRequest(_) => None,
        }
    }

    /// The response headers, when there was a response.
    pub fn headers(&self) -> Option<&HeaderMap> {
        match self {
            Error::Api(v) => Some(v.headers()),
            Error::UnexpectedStatus { headers, .. }
            | Error::Decode { headers, .. }
            | Error::UnexpectedContentType { headers, .. } => Some(headers),
            Error::Stream(_)
            | Error::Transport(_)
            | Error::Custom(_)
            | Error::Hook(_)
            | Error::InvalidRequest(_) => None,
        }
    }

    /// The raw body of an undeclared status or an undecodable response.
    pub fn body(&self) -> Option<&Bytes> {
        match self {
            Error::UnexpectedStatus { body, .. } | Error::Decode { body, .. } => Some(body),
            _ => None,
        }
    }

    /// The declared error response, if that is what this is.
    pub fn as_api(&self) -> Option<&ResponseValue<E>> {
        match self {
            Error::Api(v) => Some(v),
            _ => None,
        }
    }

    /// The declared error response, if that is what this is.
    pub fn into_api(self) -> Option<ResponseValue<E>> {
        match self {
            Error::Api(v) => Some(v),
            _ => None,
        }
    }

    /// The same failure with the error body mapped (e.g. to share one error type).
    pub fn map<F>(self, f: impl FnOnce(E) -> F) -> Error<F> {
        match self {
            Error::Api(v) => Error::Api(v.map(f)),
            Error::UnexpectedStatus {
                status,
                headers,
                body,
            } => Error::UnexpectedStatus {
                status,
                headers,
                body,
            },
            Error::Decode {
                status,
                headers,
                body,
                message,
            } => Error::Decode {
                status,
                headers,
                body,
                message,
            },
            Error::UnexpectedContentType {
                status,
                headers,
                content_type,
                expected,
            } => Error::UnexpectedContentType {
                status,
                headers,
                content_type,
                expected,
            },
            Error::Stream(e) => Error::Stream(e),
            Error::Transport(e) => Error::Transport(e),
            Error::Custom(e) => Error::Custom(e),
            Error::Hook(e) => Error::Hook(e),
            Error::InvalidRequest(m) => Error::InvalidRequest(m),
        }
    }
}

/// At most this many bytes of a body are shown by `Debug`/`Display`.
const SHOWN: usize = 512;

struct Shown<'a>(&'a Bytes);

impl fmt::Debug for Shown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let cut = &self.0[..self.0.len().min(SHOWN)];
        write!(f, "{:?}", String::from_utf8_lossy(cut))?;
        if self.0.len() > SHOWN {
            write!(f, " ({} bytes in all)", self.0.len())?;
        }
        Ok(())
    }
}

impl<E: fmt::Debug> fmt::Debug for Error<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Api(v) => f.debug_tuple("Api").field(v).finish(),
            Error::UnexpectedStatus {
                status,
                headers,
                body,
            } => f
                .debug_struct("UnexpectedStatus")
                .field("status", status)
                .field("headers", headers)
                .field("body", &Shown(body))
                .finish(),
            Error::Decode {
                status,
                headers,
                body,
                message,
            } => f
                .debug_struct("Decode")
                .field("status", status)
                .field("headers", headers)
                .field("body", &Shown(body))
                .field("message", message)
                .finish(),
            Error::UnexpectedContentType {
                status,
                headers,
                content_type,
                expected,
            } => f
                .debug_struct("UnexpectedContentType")
                .field("status", status)
                .field("headers", headers)
                .field("content_type", content_type)
                .field("expected", expected)
                .finish(),
            Error::Stream(e) => f.debug_tuple("Stream").field(e).finish(),
            Error::Transport(e) => f.debug_tuple("Transport").field(e).finish(),
            Error::Custom(e) => f.debug_tuple("Custom").field(e).finish(),
            Error::Hook(e) => f.debug_tuple("Hook").field(e).finish(),
            Error::InvalidRequest(m) => f.debug_tuple("InvalidRequest").field(m).finish(),
        }
    }
}

impl<E: fmt::Debug> fmt::Display for Error<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Api(v) => write!(f, "error response {}: {:?}", v.status(), v.inner),
            Error::UnexpectedStatus { status, body, .. } => {
                write!(f, "unexpected response status {status}: {:?}", Shown(body))
            }
            Error::Decode {
                status, message, ..
            } => {
                write!(f, "cannot decode the {status} response body: {message}")
            }
            Error::UnexpectedContentType {
                status,
                content_type,
                expected,
                ..
            } => write!(
                f,
                "the {status} response is {}, not {}",
                content_type.as_deref().unwrap_or("without a content type"),
                expected.join(" or ")
            ),
            Error::Stream(e) => write!(f, "{e}"),
            Error::Transport(e) => write!(f, "request failed: {e}"),
            Error::Custom(e) => write!(f, "request failed: {e}"),
            Error::Hook(e) => write!(f, "a hook refused the request: {e}"),
            Error::InvalidRequest(m) => write!(f, "invalid request: {m}"),
        }
    }
}

impl<E: fmt::Debug> std::error::Error for Error<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Transport(e) | Error::Stream(StreamError::Interrupted(e)) => Some(e),
            Error::Custom(e) | Error::Hook(e) => Some(&**e),
            _ => None,
        }
    }
}

/// A decoder of a response body; generated code passes one of [`json`], [`text`], [`bytes`]
/// and [`empty`].
pub type Decoder<T> = fn(&Bytes) -> Result<T, String>;

/// Decode a JSON body.
pub fn json<T: DeserializeOwned>(body: &Bytes) -> Result<T, String> {
    serde_json::from_slice(body).map_err(|e| e.to_string())
}

/// Decode a UTF-8 text body.
pub fn text(body: &Bytes) -> Result<String, String> {
    String::from_utf8(body.to_vec()).map_err(|e| e.to_string())
}

/// Keep a binary body as it is.
pub fn bytes(body: &Bytes) -> Result<Bytes, String> {
    Ok(body.clone())
}

/// A response declared without content: whatever the body holds is ignored.
pub fn empty(_: &Bytes) -> Result<(), String> {
    Ok(())
}

/// The media type of a `Content-Type` value: lower case, without parameters.
pub(crate) fn essence(value: Option<&reqwest::header::HeaderValue>) -> Option<String> {
    let text = value?.to_str().ok()?;
    let essence = text.split(';').next().unwrap_or("").trim();
    Some(essence.to_ascii_lowercase())
}

/// A whole response, read, waiting to be decoded by status.
pub struct Response {
    status: StatusCode,
    headers: Box<HeaderMap>,
    body: Bytes,
}

impl Response {
    pub(crate) fn new(status: StatusCode, headers: HeaderMap, body: Bytes) -> Self {
        Response {
            status,
            headers: Box::new(headers),
            body,
        }
    }

    /// The status code, to match on.
    pub fn status(&self) -> u16 {
        self.status.as_u16()
    }

    /// The media type of the body (`Content-Type` lower case, without parameters), to choose a
    /// decoder when a status declares several.
    pub fn media_type(&self) -> Option<String> {
        essence(self.headers.get(reqwest::header::CONTENT_TYPE))
    }

    /// A declared status whose `Content-Type` is none of `expected`:
    /// [`Error::UnexpectedContentType`].
    pub fn wrong_type<S, E>(
        self,
        expected: &'static [&'static str],
    ) -> Result<ResponseValue<S>, Error<E>> {
        Err(Error::UnexpectedContentType {
            status: self.status,
            content_type: self.media_type(),
            headers: self.headers,
            expected,
        })
    }

    // `ok`, `ok_with` and `err` are instantiated once per status arm of every operation: they
    // only move the decoded value into place; the failure path is `decode_error`.

    /// [`Error::Decode`]: the body of a declared status does not decode.
    #[cold]
    fn decode_error<E>(self, message: String) -> Error<E> {
        Error::Decode {
            status: self.status,
            headers: self.headers,
            body: self.body,
            message,
        }
    }

    /// A declared success status whose body is the operation's success type.
    pub fn ok<T, E>(self, decoder: Decoder<T>) -> Result<ResponseValue<T>, Error<E>> {
        match decoder(&self.body) {
            Ok(inner) => Ok(ResponseValue {
                inner,
                status: self.status,
                headers: self.headers,
            }),
            Err(message) => Err(self.decode_error(message)),
        }
    }

    /// A declared success status whose body is one variant of the operation's success enum.
    pub fn ok_with<T, S, E>(
        self,
        decoder: Decoder<T>,
        wrap: fn(T) -> S,
    ) -> Result<ResponseValue<S>, Error<E>> {
        match decoder(&self.body) {
            Ok(value) => Ok(ResponseValue {
                inner: wrap(value),
                status: self.status,
                headers: self.headers,
            }),
            Err(message) => Err(self.decode_error(message)),
        }
    }

    /// A declared error status: [`Error::Api`] with the variant `wrap` makes.
    pub fn err<T, S, E>(
        self,
        decoder: Decoder<T>,
        wrap: fn(T) -> E,
    ) -> Result<ResponseValue<S>, Error<E>> {
        match decoder(&self.body) {
            Ok(value) => Err(Error::Api(ResponseValue {
                inner: wrap(value),
                status: self.status,
                headers: self.headers,
            })),
            Err(message) => Err(self.decode_error(message)),
        }
    }

    /// A status the operation does not declare.
    pub fn unexpected<S, E>(self) -> Result<ResponseValue<S>, Error<E>> {
        Err(Error::UnexpectedStatus {
            status: self.status,
            headers: self.headers,
            body: self.body,
        })
    }
}
