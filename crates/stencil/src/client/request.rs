//! [`Request`]: one HTTP request of a generated operation, assembled from its parameters.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use base64::Engine as _;
use bytes::Bytes;
use reqwest::header::{
    HeaderMap, HeaderName, HeaderValue, ACCEPT, AUTHORIZATION, CONTENT_TYPE, COOKIE,
};
use reqwest::Method;
use serde::Serialize;
use serde_json::Value;

use super::encode::{self, Style};
use super::exchange::{start, Failure, Prepared};
use super::multipart::Multipart;
use super::options::BoxFuture;
use super::response::{Error, Response, ResponseValue};
use super::shared::{Core, Credential, KeyLocation, Scheme};

impl Core {
    /// Start a request; `path` segments and parameters are added by the [`Request`] methods.
    pub fn request(&self, method: reqwest::Method) -> Request<'_> {
        Request::new(self, method)
    }

    /// Start a request of a method `reqwest::Method` has no constant for (`QUERY`, `LINK`,
    /// the methods of OpenAPI 3.2 `additionalOperations`), sent as written. A name that is not
    /// an HTTP token fails the request with [`Error::InvalidRequest`] when it is sent.
    pub fn request_named(&self, method: &str) -> Request<'_> {
        match Method::from_bytes(method.as_bytes()) {
            Ok(m) => Request::new(self, m),
            Err(_) => {
                let mut request = Request::new(self, Method::GET);
                request.fail(format!("`{method}` is not an HTTP method"));
                request
            }
        }
    }
}

enum Body {
    Bytes(Bytes),
    Multipart(reqwest::multipart::Form),
    Stream(reqwest::Body),
}

/// A request being assembled. Every method records the first problem it meets (a header value
/// with CR/LF, a value that does not serialise, ...); [`send`](Request::send) then returns it as
/// [`Error::InvalidRequest`] without sending anything.
#[must_use = "a request does nothing until it is sent"]
pub struct Request<'a> {
    pub(super) core: &'a Core,
    method: Method,
    path: String,
    query: Vec<String>,
    pub(super) headers: HeaderMap,
    cookies: Vec<String>,
    body: Option<Body>,
    auth: &'a [&'a [usize]],
    error: Option<String>,
    operation: Option<&'static str>,
    /// The path template, `/pets/{petId}`, for spans and hooks.
    template: String,
    /// The whole URL, for webhooks and callbacks (instead of the base URL and the path).
    target: Option<String>,
}

fn to_value<T: Serialize + ?Sized>(value: &T) -> Result<Value, String> {
    serde_json::to_value(value).map_err(|e| e.to_string())
}

impl<'a> Request<'a> {
    pub(crate) fn new(core: &'a Core, method: Method) -> Self {
        Request {
            core,
            method,
            path: String::new(),
            query: Vec::new(),
            headers: HeaderMap::new(),
            cookies: Vec::new(),
            body: None,
            auth: &[],
            error: None,
            operation: None,
            template: String::new(),
            target: None,
        }
    }

    pub(super) fn fail(&mut self, message: String) {
        if self.error.is_none() {
            self.error = Some(message);
        }
    }

    /// Serialise `value`, recording a failure; `None` also for `null` (an unset `Option`).
    fn value<T: Serialize + ?Sized>(&mut self, what: &str, name: &str, value: &T) -> Option<Value> {
        match to_value(value) {
            Ok(Value::Null) => None,
            Ok(v) => Some(v),
            Err(e) => {
                self.fail(format!("{what} `{name}` cannot be serialised: {e}"));
                None
            }
        }
    }

    /// The operation's id, for spans and hooks.
    pub fn operation(mut self, id: &'static str) -> Self {
        self.operation = Some(id);
        self
    }

    /// Send to `url` (a whole URL: the subscriber's, for a webhook; a callback's, evaluated from
    /// the request that subscribed) instead of the base URL and a path. A failed evaluation is
    /// recorded and returned by `send` as `Error::InvalidRequest`.
    pub fn target<E: std::fmt::Display>(mut self, url: &Result<String, E>) -> Self {
        match url {
            Ok(url) => self.target = Some(url.clone()),
            Err(e) => self.fail(format!("the target URL has no value: {e}")),
        }
        self
    }

    /// Append a literal piece of the path template.
    pub fn path(mut self, literal: &str) -> Self {
        self.path.push_str(literal);
        self.template.push_str(literal);
        self
    }

    /// Append a path parameter. Every character outside RFC 3986 `unreserved` is
    /// percent-encoded, so no value can add a segment, a query or a fragment; a value that would
    /// make an empty, `.` or `..` segment is refused.
    pub fn path_param<T: Serialize + ?Sized>(
        mut self,
        name: &str,
        value: &T,
        style: Style,
        explode: bool,
    ) -> Self {
        self.template.push('{');
        self.template.push_str(name);
        self.template.push('}');
        let Some(v) = self.value("path parameter", name, value) else {
            self.fail(format!("path parameter `{name}` has no value"));
            return self;
        };
        let text = match style {
            Style::Label => encode::label(&v, explode),
            Style::Matrix => encode::matrix(name, &v, explode),
            _ => encode::simple(&v, explode, encode::pct),
        };
        match text {
            Some(text) if !text.is_empty() => self.path.push_str(&text),
            _ => self.fail(format!("path parameter `{name}` is empty")),
        }
        self
    }

    /// Append a path parameter in the default style (`simple`, not exploded):
    /// `path_param(name, value, Style::Simple, false)`, shorter in generated code (most path
    /// parameters of most documents).
    pub fn segment<T: Serialize + ?Sized>(self, name: &str, value: &T) -> Self {
        self.path_param(name, value, Style::Simple, false)
    }

    /// Add a query parameter; `None` (an unset optional parameter) adds nothing.
    pub fn query<T: Serialize + ?Sized>(
        mut self,
        name: &str,
        value: &T,
        style: Style,
        explode: bool,
    ) -> Self {
        if let Some(v) = self.value("query parameter", name, value) {
            encode::query(&mut self.query, name, &v, style, explode);
        }
        self
    }

    /// The whole query string as one value (`in: querystring`, OpenAPI 3.2), written as an
    /// `application/x-www-form-urlencoded` form: an object's properties as `name=value` pairs,
    /// an array property as one pair per item; `None` adds nothing. A value that is not an
    /// object fails the request.
    pub fn query_string<T: Serialize + ?Sized>(mut self, name: &str, value: &T) -> Self {
        if let Some(v) = self.value("query string", name, value) {
            match encode::form_body(&v) {
                Ok(text) if text.is_empty() => {}
                Ok(text) => self.query.push(text),
                Err(e) => self.fail(format!("the query string `{name}`: {e}")),
            }
        }
        self
    }

    fn insert_header(&mut self, name: &str, value: &str) {
        let Ok(header) = HeaderName::from_bytes(name.as_bytes()) else {
            self.fail(format!("`{name}` is not a valid header name"));
            return;
        };
        match HeaderValue::from_str(value) {
            Ok(v) => {
                self.headers.append(header, v);
            }
            Err(_) => self.fail(format!(
                "the value of header `{name}` is not a valid header value (control characters such as CR or LF, or non-ASCII text)"
            )),
        }
    }

    /// Add a header parameter (`style: simple`); `None` adds nothing. A value that is not a
    /// valid header value (CR, LF, other control characters, non-ASCII) fails the request.
    pub fn header<T: Serialize + ?Sized>(mut self, name: &str, value: &T, explode: bool) -> Self {
        if let Some(v) = self.value("header", name, value) {
            if let Some(text) = encode::simple(&v, explode, str::to_owned) {
                self.insert_header(name, &text);
            }
        }
        self
    }

    /// Add a header parameter, or `default` (its schema default, as written on the wire) when
    /// it is `None`.
    pub fn header_or<T: Serialize>(
        self,
        name: &str,
        value: &Option<T>,
        default: &str,
        explode: bool,
    ) -> Self {
        match value {
            Some(v) => self.header(name, v, explode),
            None => self.header(name, default, explode),
        }
    }

    /// Add a cookie parameter (sent in one `Cookie` header); `None` adds nothing.
    pub fn cookie<T: Serialize + ?Sized>(mut self, name: &str, value: &T, explode: bool) -> Self {
        if let Some(v) = self.value("cookie", name, value) {
            if let Some(pair) = encode::cookie(name, &v, explode) {
                self.cookies.push(pair);
            }
        }
        self
    }

    /// The media types the client decodes, when a response offers several.
    pub fn accept(mut self, media_types: &str) -> Self {
        self.insert_header(ACCEPT.as_str(), media_types);
        self
    }

    fn content(&mut self, content_type: &str, body: Bytes) {
        self.insert_header(CONTENT_TYPE.as_str(), content_type);
        self.body = Some(Body::Bytes(body));
    }

    /// A JSON body.
    pub fn json<T: Serialize + ?Sized>(mut self, body: &T, content_type: &str) -> Self {
        match serde_json::to_vec(body) {
            Ok(bytes) => self.content(content_type, bytes.into()),
            Err(e) => self.fail(format!("the request body cannot be serialised: {e}")),
        }
        self
    }

    /// An `application/x-www-form-urlencoded` body.
    pub fn form<T: Serialize + ?Sized>(mut self, body: &T, content_type: &str) -> Self {
        match to_value(body).and_then(|v| encode::form_body(&v)) {
            Ok(text) => self.content(content_type, text.into()),
            Err(e) => self.fail(format!(
                "the request body cannot be serialised as a form: {e}"
            )),
        }
        self
    }

    /// A text body.
    pub fn text(mut self, body: String, content_type: &str) -> Self {
        self.content(content_type, body.into());
        self
    }

    /// A binary body.
    pub fn bytes(mut self, body: Bytes, content_type: &str) -> Self {
        self.content(content_type, body);
        self
    }

    /// A body read from a stream as it is sent (e.g. `reqwest::Body::wrap_stream` over a file),
    /// never held whole. Such a request cannot be sent again, so an event stream it opens
    /// cannot reconnect.
    pub fn body_stream(mut self, body: reqwest::Body, content_type: &str) -> Self {
        self.insert_header(CONTENT_TYPE.as_str(), content_type);
        self.body = Some(Body::Stream(body));
        self
    }

    /// A `multipart/form-data` body.
    pub fn multipart(mut self, body: Multipart) -> Self {
        match body.into_form() {
            Ok(form) => self.body = Some(Body::Multipart(form)),
            Err(e) => self.fail(e),
        }
        self
    }

    /// The operation's `security`: alternatives (any one will do) of scheme sets (all needed),
    /// as indexes into the client's schemes. The first alternative whose credentials are all
    /// set is sent; when none is, the request goes without credentials.
    pub fn auth(mut self, alternatives: &'a [&'a [usize]]) -> Self {
        self.auth = alternatives;
        self
    }

    fn apply_auth(&mut self) {
        let Some(credentials) = self.core.credentials.select(self.auth) else {
            return;
        };
        for (scheme, credential) in credentials {
            match (scheme, credential) {
                (Scheme::Bearer, Credential::Token(token)) => {
                    self.insert_header(AUTHORIZATION.as_str(), &format!("Bearer {token}"));
                }
                (Scheme::Basic, Credential::Basic { user, password }) => {
                    let encoded = base64::engine::general_purpose::STANDARD
                        .encode(format!("{user}:{password}"));
                    self.insert_header(AUTHORIZATION.as_str(), &format!("Basic {encoded}"));
                }
                (Scheme::ApiKey { location, name }, Credential::Key(key)) => match location {
                    KeyLocation::Header => self.insert_header(name, &key),
                    KeyLocation::Query => {
                        self.query
                            .push(format!("{}={}", encode::pct(name), encode::pct(&key)))
                    }
                    KeyLocation::Cookie => self.cookies.push(format!(
                        "{}={}",
                        encode::cookie_pct(name),
                        encode::cookie_pct(&key)
                    )),
                },
                // The generated setters only store the credential kind their scheme takes.
                _ => {}
            }
        }
    }

    /// Check the assembled path: no parameter may have produced a `.` or `..` segment, which
    /// URL parsers resolve (also in their percent-encoded forms).
    fn check_path(&mut self) {
        for segment in self.path.split('/') {
            let lower = segment.to_ascii_lowercase().replace("%2e", ".");
            if lower == "." || lower == ".." {
                self.fail(format!("path `{}` has a `.` or `..` segment", self.path));
                return;
            }
        }
    }

    pub(crate) fn build(mut self) -> Result<reqwest::RequestBuilder, String> {
        self.apply_auth();
        self.check_path();
        if !self.cookies.is_empty() {
            let cookies = self.cookies.join("; ");
            self.insert_header(COOKIE.as_str(), &cookies);
        }
        if let Some(error) = self.error {
            return Err(error);
        }
        let mut url = match self.target {
            Some(target) => target,
            None => format!("{}{}", self.core.base_url, self.path),
        };
        if !self.query.is_empty() {
            url.push(if url.contains('?') { '&' } else { '?' });
            url.push_str(&self.query.join("&"));
        }
        let url = reqwest::Url::parse(&url).map_err(|e| format!("invalid URL `{url}`: {e}"))?;
        let builder = self
            .core
            .transport
            .client()
            .request(self.method, url)
            .headers(self.headers);
        Ok(match self.body {
            None => builder,
            Some(Body::Bytes(b)) => builder.body(b),
            Some(Body::Multipart(form)) => builder.multipart(form),
            Some(Body::Stream(body)) => builder.body(body),
        })
    }

    /// Send the request, read the whole response and hand it to `decode`, which maps the
    /// status code to the operation's typed result.
    ///
    /// The request is assembled now; it is sent when the returned future is first polled.
    pub fn send<S, E>(self, decode: Decode<S, E>) -> Sending<S, E> {
        Sending {
            // The exchange itself is not generic: compiled once, not once per operation.
            exchange: start(self.prepare()),
            decode,
        }
    }

    /// The request built, with what sending it needs from the core.
    pub(super) fn prepare(mut self) -> Result<Prepared, Failure> {
        let core = self.core;
        let operation = self.operation;
        let template = std::mem::take(&mut self.template);
        let builder = self.build().map_err(Failure::Invalid)?;
        Ok(Prepared {
            transport: core.transport.clone(),
            options: core.options.clone(),
            request: builder.build().map_err(Failure::Transport)?,
            operation,
            template,
        })
    }
}

/// The decoding function of an operation: maps a response to its typed result by status.
pub type Decode<S, E> = fn(Response) -> Result<ResponseValue<S>, Error<E>>;

/// The future of [`Request::send`]: the exchange, then the operation's decoding.
///
/// A plain struct rather than an `async` block, so that each operation adds one small `poll`
/// instead of a state machine of its own.
#[must_use = "futures do nothing unless polled"]
pub struct Sending<S, E> {
    exchange: BoxFuture<'static, Result<Response, Failure>>,
    decode: Decode<S, E>,
}

impl<S, E> Future for Sending<S, E> {
    type Output = Result<ResponseValue<S>, Error<E>>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let outcome = std::task::ready!(self.exchange.as_mut().poll(cx));
        Poll::Ready(match outcome {
            Ok(response) => (self.decode)(response),
            Err(failure) => Err(failure.into_error()),
        })
    }
}

impl<S, E> std::fmt::Debug for Sending<S, E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sending").finish_non_exhaustive()
    }
}
