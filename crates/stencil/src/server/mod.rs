//! Runtime support for generated axum servers (feature `server`).
//!
//! A generated server module holds a handler trait (`Api`), a request struct and a response
//! enum per operation, `router(api)`, one route function per operation, and static
//! descriptions ([`Operation`], [`Schema`]) of everything a request may carry. This module does
//! the generic work with those descriptions:
//!
//! - [`Input`] reads a request: path, query, header and cookie parameters decoded per their
//!   style with defaults applied, the body size-limited, its content type checked and decoded;
//!   everything validated against the schema, every violation collected;
//! - [`authenticate`] extracts the declared credentials (bearer, basic, API key in a header,
//!   query parameter or cookie) and hands them to the user's hook;
//! - [`ErrorReport`] renders rejections and domain errors in the operation's declared error
//!   envelope ([`fill_envelope`]);
//! - [`json`], [`text`], [`binary`], [`empty`] and [`set_header`] build typed responses;
//!   [`Events`] (server-sent events), [`JsonLines`] and [`ByteStream`] streamed ones, and
//!   [`body_stream`] reads a request body as it arrives.
//!
//! Everything here is public API for generated code.

mod auth;
mod coerce;
mod config;
mod direct;
#[cfg(feature = "docs-ui")]
mod docs_ui;
mod error;
mod form_files;
mod input;
mod limits;
mod multipart;
mod parts;
mod pydantic;
mod route;
mod schema;
mod serve;
mod stream;
mod validate;
mod violation;

use std::sync::Arc;

use axum::response::{IntoResponse, Response};
use axum::routing::{on, MethodFilter};
use axum::Router;
use http::{header, HeaderName, HeaderValue, StatusCode};
use serde::Serialize;
use serde_json::Value;

pub use crate::{Event, FromEvent};
pub use auth::{authenticate, authenticate_optional, Credential, Credentials, Provided};
pub use bytes::Bytes;
pub use config::{Config, DEFAULT_BODY_LIMIT};
#[cfg(feature = "docs-ui")]
pub use docs_ui::docs_route;
pub use error::{fill_envelope, ApiError, Error, ErrorKind, ErrorReport};
pub use http;
pub use input::Input;
pub use parts::{multipart_parts, Part, Parts};
pub use route::{assemble, find_operation, Shape};
pub use schema::{
    Body, Content, ErrorResponse, Field, IntKind, Location, MediaKind, Object, Operation,
    OperationInfo, Param, Rules, Schema, Scheme, SchemeKind, SchemeUse, StatusSpec, Style, Union,
    Variant,
};
pub use serve::serve;
pub use stream::{
    body_stream, byte_stream, events, json_lines, streamed, BodyError, BodyStream, ByteStream,
    Events, JsonLines, DEFAULT_KEEP_ALIVE,
};
pub use validate::{check_format, matches_pattern, validate, Validation};
pub use violation::{summary, LocSegment, Violation};

/// A handler implementation and its settings: the state of generated routes.
#[derive(Debug)]
pub struct Server<A> {
    api: A,
    config: Config,
}

impl<A> Server<A> {
    /// A server with the default [`Config`].
    pub fn new(api: A) -> Arc<Self> {
        Server::with_config(api, Config::default())
    }

    /// A server with `config`.
    pub fn with_config(api: A, config: Config) -> Arc<Self> {
        Arc::new(Server { api, config })
    }

    /// The user's handler implementation.
    pub fn api(&self) -> &A {
        &self.api
    }

    /// The settings.
    pub fn config(&self) -> &Config {
        &self.config
    }
}

/// The operation a request is for: the [`OperationInfo`] generated routes set, else the one
/// whose method and path template match axum's `MatchedPath` (middleware added with
/// `Router::layer` runs before the route sets it).
pub fn operation_of<B>(
    operations: &[&'static Operation],
    request: &http::Request<B>,
) -> Option<&'static Operation> {
    if let Some(info) = request.extensions().get::<OperationInfo>() {
        return Some(info.0);
    }
    let matched = request.extensions().get::<axum::extract::MatchedPath>()?;
    find_operation(operations, request.method(), matched.as_str())
}

/// A generated route function (`routes::<operation>`): the operation's router over `server`.
pub type RouteFn<A> = fn(Arc<Server<A>>) -> Router;

/// A single-route router for `op`, with `state` applied and [`OperationInfo`] set. The route
/// is the template as axum can take it ([`Shape`]); [`assemble`] combines these routers.
pub fn route<H, T, S>(op: &'static Operation, handler: H, state: S) -> Router
where
    H: axum::handler::Handler<T, S>,
    T: 'static,
    S: Clone + Send + Sync + 'static,
{
    let filter = match op.method {
        "GET" => MethodFilter::GET,
        "PUT" => MethodFilter::PUT,
        "POST" => MethodFilter::POST,
        "DELETE" => MethodFilter::DELETE,
        "OPTIONS" => MethodFilter::OPTIONS,
        "HEAD" => MethodFilter::HEAD,
        "PATCH" => MethodFilter::PATCH,
        "TRACE" => MethodFilter::TRACE,
        // Methods axum's method router does not know (`QUERY`, `LINK`, ...): the route takes
        // every method and the handler answers only its own.
        _ => {
            let handler = ExtensionMethod(WithOperation { handler, op });
            return Router::new()
                .route(&Shape::parse(op.path).route, axum::routing::any(handler))
                .with_state(state);
        }
    };
    Router::new()
        .route(
            &Shape::parse(op.path).route,
            on(filter, WithOperation { handler, op }),
        )
        .with_state(state)
}

/// The handler of an operation whose method axum's method router does not know, on a route
/// that takes every method: other methods are answered 405 with the `Allow` header.
#[derive(Clone, Copy)]
struct ExtensionMethod<H>(WithOperation<H>);

impl<H, T, S> axum::handler::Handler<T, S> for ExtensionMethod<H>
where
    H: axum::handler::Handler<T, S>,
{
    type Future = futures_util::future::Either<H::Future, std::future::Ready<Response>>;

    fn call(self, request: axum::extract::Request, state: S) -> Self::Future {
        use futures_util::future::Either;
        let op = self.0.op;
        if request.method().as_str() == op.method {
            return Either::Left(self.0.call(request, state));
        }
        let mut response = StatusCode::METHOD_NOT_ALLOWED.into_response();
        if let Ok(allow) = HeaderValue::from_str(op.method) {
            response.headers_mut().insert(header::ALLOW, allow);
        }
        Either::Right(std::future::ready(response))
    }
}

/// A handler that puts [`OperationInfo`] in the request extensions, then runs `handler`. The
/// same as `handler.layer(Extension(OperationInfo(op)))` as far as the handler and every layer
/// can see, without a second boxed service and boxed future per request.
#[derive(Clone, Copy)]
struct WithOperation<H> {
    handler: H,
    op: &'static Operation,
}

impl<H, T, S> axum::handler::Handler<T, S> for WithOperation<H>
where
    H: axum::handler::Handler<T, S>,
{
    type Future = H::Future;

    fn call(self, mut request: axum::extract::Request, state: S) -> Self::Future {
        request.extensions_mut().insert(OperationInfo(self.op));
        self.handler.call(request, state)
    }
}

/// A router serving `document` (the embedded OpenAPI document) at `path`, as JSON or YAML as
/// the text is.
pub fn document_route(path: &str, document: &'static str) -> Router {
    let media_type = if document.trim_start().starts_with('{') {
        "application/json"
    } else {
        "application/yaml"
    };
    Router::new().route(
        path,
        axum::routing::get(move || async move { ([(header::CONTENT_TYPE, media_type)], document) }),
    )
}

/// Turn a handler's result into a response: `Ok` as the response enum says, `Err` as the
/// domain error's declared envelope (or a logged 500).
pub fn respond<R: IntoResponse, E: ApiError>(
    op: &'static Operation,
    result: Result<R, E>,
) -> Result<Response, ErrorReport> {
    match result {
        Ok(r) => {
            let mut response = r.into_response();
            response.extensions_mut().insert(OperationInfo(op));
            Ok(response)
        }
        Err(e) => Err(ErrorReport::domain(op, &e)),
    }
}

/// The error of a handler that reads its request body as a stream (a generated `..._stream`
/// trait method): the body failed ([`BodyError`]: 413 past the limit, 400 when the connection
/// failed), or the handler's domain error. `?` on a [`BodyStream`] item converts.
#[derive(Debug)]
pub enum StreamedBodyError<E> {
    /// Reading the request body failed.
    Body(BodyError),
    /// The handler's domain error.
    Api(E),
}

impl<E> From<BodyError> for StreamedBodyError<E> {
    fn from(error: BodyError) -> Self {
        StreamedBodyError::Body(error)
    }
}

/// [`respond`] for a handler that read its request body as a stream: a body
/// past the limit is answered 413, one that stopped arriving 408, a required one that was
/// empty 422 and a failed read 400, in the operation's declared envelope
/// as when the body is read whole; a domain error as [`respond`] answers it.
pub fn respond_streamed<R: IntoResponse, E: ApiError>(
    op: &'static Operation,
    result: Result<R, StreamedBodyError<E>>,
) -> Result<Response, ErrorReport> {
    match result {
        Ok(r) => respond::<R, E>(op, Ok(r)),
        Err(StreamedBodyError::Api(e)) => respond::<R, E>(op, Err(e)),
        Err(StreamedBodyError::Body(BodyError::TooLarge { limit })) => {
            Err(ErrorReport::payload_too_large(op, limit))
        }
        Err(StreamedBodyError::Body(BodyError::TimedOut { after })) => {
            Err(ErrorReport::request_timeout(op, after))
        }
        Err(StreamedBodyError::Body(BodyError::Missing)) => {
            // As when the body is read whole (FastAPI's `input` is `null` in its mode).
            let mut missing = Violation::missing(vec!["body".into()]);
            if validate::Validation::of(op) == validate::Validation::Pydantic {
                missing.input = Some(Value::Null);
            }
            Err(ErrorReport::validation(op, vec![missing]))
        }
        Err(StreamedBodyError::Body(e)) => Err(ErrorReport::validation(
            op,
            vec![Violation::new(
                vec!["body".into()],
                "body_read",
                format!("The request body could not be read: {e}"),
            )],
        )),
    }
}

fn status(code: u16) -> StatusCode {
    StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
}

fn with_type(code: u16, media_type: &'static str, body: impl Into<axum::body::Body>) -> Response {
    // Checked at compile time; `from_static` at run time checks every byte of the text.
    const JSON: HeaderValue = HeaderValue::from_static("application/json");
    let value = if media_type == "application/json" {
        JSON
    } else {
        HeaderValue::from_static(media_type)
    };
    let mut response = (status(code), body.into()).into_response();
    response.headers_mut().insert(header::CONTENT_TYPE, value);
    response
}

/// A JSON response. A body that cannot be serialized (a non-finite float) is a logged 500.
pub fn json<T: Serialize>(code: u16, media_type: &'static str, body: &T) -> Response {
    // Room for a typical small document without growing (each growth copies what was written).
    let mut bytes = Vec::with_capacity(256);
    match serde_json::to_writer(&mut bytes, body) {
        Ok(()) => with_type(code, media_type, bytes),
        Err(e) => {
            tracing::error!(error = %e, "response body could not be serialized; answering 500");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

/// A text response.
pub fn text(code: u16, media_type: &'static str, body: String) -> Response {
    with_type(code, media_type, body)
}

/// A binary response.
pub fn binary(code: u16, media_type: &'static str, body: Bytes) -> Response {
    with_type(code, media_type, body)
}

/// A response without a body.
pub fn empty(code: u16) -> Response {
    status(code).into_response()
}

/// Set a declared response header from a typed value: strings as they are, numbers and booleans
/// as JSON writes them, arrays joined with `,`; `None` sets nothing.
pub fn set_header<T: Serialize>(response: &mut Response, name: &'static str, value: &T) {
    let text = match serde_json::to_value(value) {
        Ok(Value::Null) | Err(_) => return,
        Ok(Value::String(s)) => s,
        Ok(Value::Array(xs)) => xs.iter().map(scalar_text).collect::<Vec<_>>().join(","),
        Ok(Value::Object(map)) => map
            .iter()
            .map(|(k, v)| format!("{k},{}", scalar_text(v)))
            .collect::<Vec<_>>()
            .join(","),
        Ok(other) => other.to_string(),
    };
    match (
        HeaderName::from_bytes(name.as_bytes()),
        HeaderValue::from_str(&text),
    ) {
        (Ok(name), Ok(value)) => {
            response.headers_mut().insert(name, value);
        }
        _ => tracing::warn!(
            header = name,
            "response header value is not valid in HTTP; it is not sent"
        ),
    }
}

fn scalar_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}
