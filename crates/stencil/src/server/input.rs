//! Reading a request: the [`Input`] lifecycle. Parameters are decoded when the input is made
//! ([`params`]: per location and style, defaults applied, validated), the body when the
//! generated handler asks ([`body`]: size-limited, content type checked, decoded, validated),
//! and both are then taken as their Rust types, every violation collected.

mod body;
mod defaults;
mod params;
#[cfg(test)]
mod tests;

use std::sync::OnceLock;

use axum::body::{Body as AxumBody, Bytes};
use axum::extract::{FromRequestParts, RawPathParams, Request};
use http::{header, HeaderMap, Uri};
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::config::Config;
use super::error::ErrorReport;
use super::form_files::{Files, Form};
use super::route::Shape;
use super::schema::{Location, Operation};
use super::stream::{body_stream, BodyStream};
use super::validate::Validation;
use super::violation::{LocSegment, Violation};
use body::BodyState;
use defaults::{cached_default, default_value};
use params::{Decoded, Raw};

/// A request being turned into an operation's typed request struct. Generated handlers create
/// it with [`Input::new`], authenticate, call [`Input::read_body`], then take every parameter
/// and the body with [`Input::param`] and [`Input::body`]; a `None` from either means a
/// violation was recorded, and [`Input::reject`] turns them all into one rejection.
#[derive(Debug)]
pub struct Input {
    op: &'static Operation,
    headers: HeaderMap,
    uri: Uri,
    /// The path parameters as received (name, decoded value).
    path: Vec<(String, String)>,
    /// The query pairs and cookies, split on first use (many operations read neither).
    query: OnceLock<Vec<(String, String)>>,
    cookies: OnceLock<Vec<(String, String)>>,
    /// Decoded and validated parameter values, by index in `op.params`; `None` once taken or
    /// when invalid.
    params: Vec<Option<Decoded>>,
    body: BodyState,
    content: usize,
    violations: Vec<Violation>,
}

impl Input {
    /// Split the request and decode its parameters. The body is returned unread.
    pub async fn new(op: &'static Operation, request: Request) -> (Input, AxumBody) {
        let (mut parts, body) = request.into_parts();
        let mut violations = Vec::new();
        // A template without captures has no path parameters to extract (nor to fail on).
        let path: Vec<(String, String)> = if !op.path.contains('{') {
            Vec::new()
        } else {
            match RawPathParams::from_request_parts(&mut parts, &()).await {
                Ok(params) => {
                    let raw: Vec<(String, String)> = params
                        .iter()
                        .map(|(k, v)| (k.to_owned(), v.to_owned()))
                        .collect();
                    // Captures of patterned segments (`{id}.json`) hold several parameters.
                    if raw.iter().any(|(k, _)| k.starts_with("__")) {
                        Shape::parse(op.path).path_params(raw)
                    } else {
                        raw
                    }
                }
                Err(_) => {
                    violations.push(Violation::new(
                    vec!["path".into()],
                    "string_unicode",
                    "Input should be a valid string, unable to parse raw data as a unicode string",
                ));
                    Vec::new()
                }
            }
        };
        let mut input = Input {
            op,
            headers: parts.headers,
            uri: parts.uri,
            path: Vec::new(),
            query: OnceLock::new(),
            cookies: OnceLock::new(),
            params: Vec::with_capacity(op.params.len()),
            body: BodyState::None,
            content: 0,
            violations,
        };
        let mode = Validation::of(op);
        for p in op.params {
            if p.location == Location::QueryString {
                let pairs = input.query_pairs().to_vec();
                let value = params::query_string(p, &pairs, &mut input.violations, mode);
                input.params.push(value);
                continue;
            }
            let raw = match p.location {
                Location::Path => params::path_raw(&path, p.name),
                Location::Header => params::header_raw(&input.headers, p.name),
                Location::Cookie => input.cookie(p.name).map(|v| Raw::One(v.to_owned())),
                Location::Query | Location::QueryString => {
                    params::query_raw(p, input.query_pairs())
                }
            };
            let value = params::decode(p, raw, &mut input.violations, mode);
            input.params.push(value);
        }
        input.path = path;
        (input, body)
    }

    fn query_pairs(&self) -> &[(String, String)] {
        self.query
            .get_or_init(|| params::query_pairs(self.uri.query()))
    }

    fn cookie_pairs(&self) -> &[(String, String)] {
        self.cookies
            .get_or_init(|| params::cookie_pairs(&self.headers))
    }

    /// The operation this input is for.
    pub fn operation(&self) -> &'static Operation {
        self.op
    }

    /// A header's value (several lines joined with `,`), when present and valid text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// A standard header's value, without parsing its name (as `header` does).
    pub(crate) fn known_header(&self, name: &header::HeaderName) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The last value of a query parameter.
    pub fn query_last(&self, name: &str) -> Option<&str> {
        self.query_pairs()
            .iter()
            .rev()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// A cookie's value.
    pub fn cookie(&self, name: &str) -> Option<&str> {
        self.cookie_pairs()
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The values runtime expressions read (callback URLs): method, URL, parameters, headers
    /// and the JSON body. Call it after [`Input::read_body`] and before the body is taken. The
    /// URL's scheme is the `X-Forwarded-Proto` header's, else `http`; its authority the `Host`
    /// header's.
    pub fn origin(&self) -> crate::expression::Origin {
        let url = if self.uri.scheme().is_some() {
            self.uri.to_string()
        } else {
            let scheme = self.header("x-forwarded-proto").unwrap_or("http");
            let host = self.known_header(&header::HOST).unwrap_or("localhost");
            format!("{scheme}://{host}{}", self.uri)
        };
        let headers = self
            .headers
            .iter()
            .filter_map(|(k, v)| Some((k.as_str().to_owned(), v.to_str().ok()?.to_owned())))
            .collect();
        crate::expression::Origin {
            method: self.op.method.to_owned(),
            url,
            path: self.path.clone(),
            query: self.query_pairs().to_vec(),
            request: crate::expression::Message {
                headers,
                body: self.body.json(),
            },
            response: None,
        }
    }

    /// Every violation recorded so far. The violations of a JSON body that is decoded straight
    /// into its Rust type are recorded when [`Input::body`] (or [`Input::check`],
    /// [`Input::reject`], [`Input::raw_body`]) takes it.
    pub fn violations(&self) -> &[Violation] {
        &self.violations
    }

    /// Read, decode and validate the body (a no-op for operations without one). Fails only
    /// when the body is larger than the configured limit; other failures are violations.
    pub async fn read_body(&mut self, body: AxumBody, config: &Config) -> Result<(), ErrorReport> {
        let (state, content) =
            body::read(self.op, &self.headers, body, config, &mut self.violations).await?;
        self.body = state;
        self.content = content;
        Ok(())
    }

    /// Open the body as a stream for a handler that reads it as it arrives, under the body
    /// limit (past it, the stream ends with
    /// [`BodyError::TooLarge`](crate::server::BodyError::TooLarge)), each chunk within
    /// [`Config::body_read_timeout`] (or it ends with
    /// [`BodyError::TimedOut`](crate::server::BodyError::TimedOut)); a required body that
    /// turns out empty ends with [`BodyError::Missing`](crate::server::BodyError::Missing).
    /// Fails at once when the
    /// declared `Content-Length` is above the limit; a content type the operation does not
    /// declare, or a required body declared empty, is a violation.
    pub fn stream_body(
        &mut self,
        body: AxumBody,
        config: &Config,
    ) -> Result<BodyStream, ErrorReport> {
        body::check_streamed(self.op, &self.headers, config, &mut self.violations)?;
        let required = self.op.body.is_some_and(|b| b.required);
        Ok(body_stream(body, config.body_limit)
            .read_timeout(config.body_read_timeout)
            .required(required))
    }

    /// The index (in the operation's declared contents) of the media type the body came as.
    pub fn content(&self) -> usize {
        self.content
    }

    /// Take parameter `index` as its Rust type. `None`: a violation was recorded.
    pub fn param<T: DeserializeOwned + Clone + 'static>(&mut self, index: usize) -> Option<T> {
        let value = match self.params.get_mut(index).and_then(Option::take)? {
            Decoded::Value(value) => value,
            Decoded::Default(text) => match cached_default::<T>(text) {
                Some(t) => return Some(t),
                // Not decodable as `T`: the usual path records why.
                None => default_value(text).unwrap_or(Value::Null),
            },
        };
        let p = &self.op.params[index];
        convert(value, || params::loc(p), &mut self.violations)
    }

    /// Take the body as its Rust type (`Option<T>` for an optional body). `None`: a violation
    /// was recorded.
    pub fn body<T: DeserializeOwned>(&mut self) -> Option<T> {
        if let BodyState::Json { bytes, .. } = &self.body {
            // Serde enforces everything the schema says (`direct::may_decode`): when it accepts
            // the bytes, validation would have too, and `Value` -> `T` gives the same value.
            if let Ok(t) = serde_json::from_slice::<T>(bytes) {
                self.body = BodyState::None;
                return Some(t);
            }
            self.body.settle(&mut self.violations);
        }
        match std::mem::replace(&mut self.body, BodyState::None) {
            BodyState::Value(v) => convert(v, || vec!["body".into()], &mut self.violations),
            BodyState::Multipart { value, files } => {
                convert_form(&value, &files, &mut self.violations)
            }
            BodyState::Raw(bytes) => convert(
                Value::String(String::from_utf8_lossy(&bytes).into_owned()),
                || vec!["body".into()],
                &mut self.violations,
            ),
            BodyState::None => convert(Value::Null, || vec!["body".into()], &mut self.violations),
            BodyState::Rejected | BodyState::Json { .. } => None,
        }
    }

    /// Take the raw body bytes (binary media types); `None` when there was no body.
    pub fn raw_body(&mut self) -> Option<Bytes> {
        self.body.settle(&mut self.violations);
        match std::mem::replace(&mut self.body, BodyState::None) {
            BodyState::Raw(bytes) => Some(bytes),
            BodyState::Value(v) | BodyState::Multipart { value: v, .. } => {
                Some(Bytes::from(v.to_string()))
            }
            BodyState::None | BodyState::Rejected | BodyState::Json { .. } => None,
        }
    }

    /// Take the raw body of a required binary body; `None` means a violation was recorded.
    pub fn raw_body_required(&mut self) -> Option<Bytes> {
        self.body.settle(&mut self.violations);
        let rejected = matches!(self.body, BodyState::Rejected);
        let body = self.raw_body();
        if body.is_none() && !rejected {
            self.violations
                .push(Violation::missing(vec!["body".into()]));
        }
        body
    }

    /// Fail with every violation recorded, if there is any.
    pub fn check(&mut self) -> Result<(), ErrorReport> {
        self.body.settle(&mut self.violations);
        if self.violations.is_empty() {
            Ok(())
        } else {
            Err(ErrorReport::validation(
                self.op,
                std::mem::take(&mut self.violations),
            ))
        }
    }

    /// The rejection listing every violation recorded.
    pub fn reject(mut self) -> ErrorReport {
        self.body.settle(&mut self.violations);
        if self.violations.is_empty() {
            // Cannot happen through generated code; never answer a bad request with a 500.
            return ErrorReport::validation(
                self.op,
                vec![Violation::new(
                    vec!["body".into()],
                    "value_error",
                    "Invalid request",
                )],
            );
        }
        ErrorReport::validation(self.op, self.violations)
    }
}

/// A decoded value as its Rust type; a failure is a violation at `loc` and the path within.
fn convert<T: DeserializeOwned>(
    value: Value,
    loc: impl FnOnce() -> Vec<LocSegment>,
    violations: &mut Vec<Violation>,
) -> Option<T> {
    // Fast path: no path tracking (serde_path_to_error allocates a String per map key);
    // only a failure is decoded again to find where it failed.
    if let Ok(t) = T::deserialize(&value) {
        return Some(t);
    }
    located(
        serde_path_to_error::deserialize::<_, T>(value),
        loc,
        violations,
    )
}

/// A multipart body with file parts as its Rust type: [`convert`] reading the files from their
/// bytes.
fn convert_form<T: DeserializeOwned>(
    value: &Value,
    files: &Files,
    violations: &mut Vec<Violation>,
) -> Option<T> {
    let empty = serde_json::Map::new();
    let object = value.as_object().unwrap_or(&empty);
    let form = || Form { object, files };
    if let Ok(t) = T::deserialize(form()) {
        return Some(t);
    }
    located(
        serde_path_to_error::deserialize::<_, T>(form()),
        || vec!["body".into()],
        violations,
    )
}

/// The result of decoding with the path tracked: a failure is a violation at `loc` and the
/// path within.
fn located<T>(
    decoded: Result<T, serde_path_to_error::Error<serde_json::Error>>,
    loc: impl FnOnce() -> Vec<LocSegment>,
    violations: &mut Vec<Violation>,
) -> Option<T> {
    let mut loc = loc();
    match decoded {
        Ok(t) => Some(t),
        Err(e) => {
            for seg in e.path().iter() {
                match seg {
                    serde_path_to_error::Segment::Seq { index } => {
                        loc.push(LocSegment::Index(*index))
                    }
                    serde_path_to_error::Segment::Map { key } => {
                        loc.push(LocSegment::Key(key.clone()))
                    }
                    serde_path_to_error::Segment::Enum { variant } => {
                        loc.push(LocSegment::Key(variant.clone()))
                    }
                    serde_path_to_error::Segment::Unknown => {}
                }
            }
            let msg = e.into_inner().to_string();
            let (kind, msg) = if msg.starts_with("missing field") {
                ("missing", "Field required".to_owned())
            } else {
                ("value_error", msg)
            };
            violations.push(Violation::new(loc, kind, msg));
            None
        }
    }
}
