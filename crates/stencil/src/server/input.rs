//! Reading a request: parameters (decoded per style, defaults applied, validated) and the body
//! (size-limited, content type checked, decoded, validated), collecting every violation.

use axum::body::{Body as AxumBody, Bytes};
use std::sync::OnceLock;

use axum::extract::{FromRequestParts, RawPathParams, Request};
use http::{header, HeaderMap, Uri};
use http_body_util::BodyExt as _;
use serde::de::DeserializeOwned;
use serde_json::{Map, Number, Value};

use super::direct;
use super::error::ErrorReport;
use super::schema::{Content, Location, MediaKind, Operation, Param, Schema, Style};
use super::validate::validate;
use super::violation::{LocSegment, Violation};
use super::Config;

/// The request body once read.
#[derive(Debug)]
enum BodyState {
    /// Not read (the operation has no body), or absent.
    None,
    /// Rejected: a violation says why.
    Rejected,
    Value(Value),
    Raw(Bytes),
    /// A JSON body whose schema serde enforces by itself ([`direct::may_decode`]): kept as
    /// bytes, decoded straight into the Rust type by [`Input::body`]. Only when that fails is it
    /// decoded and validated as a `Value`, and its violations are then put where `read_body`
    /// would have recorded them (index `at`), so the violation list is the same either way.
    Json {
        bytes: Bytes,
        schema: &'static Schema,
        at: usize,
    },
}

/// A request being turned into an operation's typed request struct. Generated handlers create
/// it with [`Input::new`], authenticate, call [`Input::read_body`], then take every parameter
/// and the body with [`Input::param`] and [`Input::body`]; a `None` from either means a
/// violation was recorded, and [`Input::reject`] turns them all into one rejection.
#[derive(Debug)]
pub struct Input {
    op: &'static Operation,
    headers: HeaderMap,
    uri: Uri,
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
                        super::route::Shape::parse(op.path).path_params(raw)
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
            query: OnceLock::new(),
            cookies: OnceLock::new(),
            params: Vec::with_capacity(op.params.len()),
            body: BodyState::None,
            content: 0,
            violations,
        };
        for p in op.params {
            let value = input.decode_param(p, &path);
            input.params.push(value);
        }
        (input, body)
    }

    fn query_pairs(&self) -> &[(String, String)] {
        self.query.get_or_init(|| {
            self.uri
                .query()
                .map(|q| form_urlencoded::parse(q.as_bytes()).into_owned().collect())
                .unwrap_or_default()
        })
    }

    fn cookie_pairs(&self) -> &[(String, String)] {
        self.cookies.get_or_init(|| {
            self.headers
                .get_all(header::COOKIE)
                .iter()
                .filter_map(|v| v.to_str().ok())
                .flat_map(|v| v.split(';'))
                .filter_map(|c| {
                    c.trim()
                        .split_once('=')
                        .map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned()))
                })
                .collect()
        })
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

    /// Every violation recorded so far. The violations of a JSON body that is decoded straight
    /// into its Rust type are recorded when [`Input::body`] (or [`Input::check`],
    /// [`Input::reject`], [`Input::raw_body`]) takes it.
    pub fn violations(&self) -> &[Violation] {
        &self.violations
    }

    fn decode_param(&mut self, p: &'static Param, path: &[(String, String)]) -> Option<Decoded> {
        let loc = || {
            vec![
                LocSegment::from(p.location.as_str()),
                LocSegment::from(p.name),
            ]
        };
        let raw = match p.location {
            Location::Path => path
                .iter()
                .find(|(k, _)| k == p.name)
                .map(|(_, v)| Raw::One(v.clone())),
            Location::Header => {
                // Several lines are joined with `,`; one line (the usual case) is one copy.
                // Names are compared as they are instead of parsed into a `HeaderName` for a
                // lookup (which costs more than scanning the few headers a request has).
                let mut values = self
                    .headers
                    .iter()
                    .filter(|(name, _)| name.as_str().eq_ignore_ascii_case(p.name))
                    .filter_map(|(_, v)| v.to_str().ok());
                values.next().map(|first| {
                    let mut joined = first.to_owned();
                    for v in values {
                        joined.push(',');
                        joined.push_str(v);
                    }
                    Raw::One(joined)
                })
            }
            Location::Cookie => self.cookie(p.name).map(|v| Raw::One(v.to_owned())),
            Location::Query => self.query_raw(p),
        };
        let value = match raw {
            None => match p.default {
                Some(text) => return Some(Decoded::Default(text)),
                None if p.required => {
                    self.violations.push(Violation::missing(loc()));
                    return None;
                }
                None => return Some(Decoded::Value(Value::Null)),
            },
            Some(raw) => match coerce_param(p, raw) {
                Ok(v) => v,
                Err((kind, msg)) => {
                    self.violations.push(Violation::new(loc(), kind, msg));
                    return None;
                }
            },
        };
        // Validate without a location first (no allocation when the value is valid); only a
        // failing value is validated again with its location, for the violations.
        let mut failed = Vec::new();
        validate(p.schema, &value, &mut Vec::new(), &mut failed);
        if failed.is_empty() {
            return Some(Decoded::Value(value));
        }
        validate(p.schema, &value, &mut loc(), &mut self.violations);
        None
    }

    fn query_raw(&self, p: &Param) -> Option<Raw> {
        let base = p.schema.base();
        if let (Schema::Object(object), true) = (
            base,
            p.style == Style::DeepObject || (p.style == Style::Form && p.explode),
        ) {
            let mut fields = Vec::new();
            for (k, v) in self.query_pairs() {
                let key = if p.style == Style::DeepObject {
                    match k
                        .strip_prefix(p.name)
                        .and_then(|r| r.strip_prefix('['))
                        .and_then(|r| r.strip_suffix(']'))
                    {
                        Some(key) => key,
                        None => continue,
                    }
                } else if object.fields.iter().any(|f| f.name == k) || object.additional.is_some() {
                    k.as_str()
                } else {
                    continue;
                };
                fields.push((key.to_owned(), v.clone()));
            }
            return (!fields.is_empty()).then_some(Raw::Fields(fields));
        }
        let values: Vec<String> = self
            .query_pairs()
            .iter()
            .filter(|(k, _)| k == p.name)
            .map(|(_, v)| v.clone())
            .collect();
        if values.is_empty() {
            None
        } else if matches!(base, Schema::Array(_)) && p.style == Style::Form && p.explode {
            Some(Raw::Many(values))
        } else {
            values.into_iter().last().map(Raw::One)
        }
    }

    /// Read, decode and validate the body (a no-op for operations without one). Fails only
    /// when the body is larger than the configured limit; other failures are violations.
    pub async fn read_body(&mut self, body: AxumBody, config: &Config) -> Result<(), ErrorReport> {
        let before = self.violations.len();
        let result = self.read_body_inner(body, config).await;
        if self.violations.len() != before {
            self.body = BodyState::Rejected;
        }
        result
    }

    async fn read_body_inner(
        &mut self,
        body: AxumBody,
        config: &Config,
    ) -> Result<(), ErrorReport> {
        let Some(spec) = self.op.body else {
            return Ok(());
        };
        let limit = config.body_limit;
        let declared = self
            .known_header(&header::CONTENT_LENGTH)
            .and_then(|v| v.trim().parse::<u64>().ok());
        if declared.is_some_and(|n| n > limit as u64) {
            return Err(ErrorReport::payload_too_large(self.op, limit));
        }
        let bytes = match http_body_util::Limited::new(body, limit).collect().await {
            Ok(collected) => collected.to_bytes(),
            Err(e) if e.is::<http_body_util::LengthLimitError>() => {
                return Err(ErrorReport::payload_too_large(self.op, limit));
            }
            Err(_) => {
                self.violations.push(Violation::new(
                    vec!["body".into()],
                    "body_read",
                    "The request body could not be read",
                ));
                return Ok(());
            }
        };
        if bytes.is_empty() {
            if spec.required {
                self.violations
                    .push(Violation::missing(vec!["body".into()]));
            }
            return Ok(());
        }
        // Borrows only `headers`, so the other fields stay writable below.
        let content_type = self
            .headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok());
        let Some((index, content)) = choose_content(spec.contents, content_type) else {
            let expected: Vec<&str> = spec.contents.iter().map(|c| c.media_type).collect();
            self.violations.push(Violation::new(
                vec!["body".into()],
                "content_type",
                format!(
                    "Unsupported content type '{}'; expected {}",
                    content_type.unwrap_or(""),
                    expected.join(" or ")
                ),
            ));
            return Ok(());
        };
        self.content = index;
        let value = match content.kind {
            MediaKind::Binary => {
                self.body = BodyState::Raw(bytes);
                return Ok(());
            }
            MediaKind::Json => match content.schema {
                Some(schema) if direct::may_decode(schema, &bytes) => {
                    self.body = BodyState::Json {
                        bytes,
                        schema,
                        at: self.violations.len(),
                    };
                    return Ok(());
                }
                _ => match json_value(&bytes, &mut self.violations) {
                    Some(v) => v,
                    None => return Ok(()),
                },
            },
            MediaKind::Text => match String::from_utf8(bytes.to_vec()) {
                Ok(s) => Value::String(s),
                Err(_) => {
                    self.violations.push(Violation::new(vec!["body".into()], "string_unicode", "Input should be a valid string, unable to parse raw data as a unicode string"));
                    return Ok(());
                }
            },
            MediaKind::Form => {
                let pairs: Vec<(String, String)> =
                    form_urlencoded::parse(&bytes).into_owned().collect();
                match form_object(content.schema, pairs) {
                    Ok(v) => v,
                    Err(mut vs) => {
                        self.violations.append(&mut vs);
                        return Ok(());
                    }
                }
            }
            MediaKind::Multipart => {
                let boundary = content_type.and_then(boundary);
                match boundary.and_then(|b| super::multipart::parse(&bytes, &b)) {
                    Some(parts) => match super::multipart::to_value(content.schema, parts) {
                        Ok(v) => v,
                        Err(mut vs) => {
                            self.violations.append(&mut vs);
                            return Ok(());
                        }
                    },
                    None => {
                        self.violations.push(Violation::new(
                            vec!["body".into()],
                            "multipart",
                            "Malformed multipart/form-data body",
                        ));
                        return Ok(());
                    }
                }
            }
        };
        if let Some(schema) = content.schema {
            if !validate_body(schema, &value, &mut self.violations) {
                return Ok(());
            }
        }
        self.body = BodyState::Value(value);
        Ok(())
    }

    /// Turn a body kept as JSON bytes into what `read_body` makes of other bodies: a validated
    /// `Value`, or `Rejected` with its violations recorded where `read_body` would have put them.
    fn settle_json(&mut self) {
        let (bytes, schema, at) = match std::mem::replace(&mut self.body, BodyState::None) {
            BodyState::Json { bytes, schema, at } => (bytes, schema, at),
            other => {
                self.body = other;
                return;
            }
        };
        let later = self.violations.split_off(at.min(self.violations.len()));
        let value = json_value(&bytes, &mut self.violations)
            .filter(|value| validate_body(schema, value, &mut self.violations));
        self.body = value.map_or(BodyState::Rejected, BodyState::Value);
        self.violations.extend(later);
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
        self.convert(value, || {
            vec![
                LocSegment::from(p.location.as_str()),
                LocSegment::from(p.name),
            ]
        })
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
            self.settle_json();
        }
        match std::mem::replace(&mut self.body, BodyState::None) {
            BodyState::Value(v) => self.convert(v, || vec!["body".into()]),
            BodyState::Raw(bytes) => self.convert(
                Value::String(String::from_utf8_lossy(&bytes).into_owned()),
                || vec!["body".into()],
            ),
            BodyState::None => self.convert(Value::Null, || vec!["body".into()]),
            BodyState::Rejected | BodyState::Json { .. } => None,
        }
    }

    /// Take the raw body bytes (binary media types); `None` when there was no body.
    pub fn raw_body(&mut self) -> Option<Bytes> {
        self.settle_json();
        match std::mem::replace(&mut self.body, BodyState::None) {
            BodyState::Raw(bytes) => Some(bytes),
            BodyState::Value(v) => Some(Bytes::from(v.to_string())),
            BodyState::None | BodyState::Rejected | BodyState::Json { .. } => None,
        }
    }

    /// Take the raw body of a required binary body; `None` means a violation was recorded.
    pub fn raw_body_required(&mut self) -> Option<Bytes> {
        self.settle_json();
        let rejected = matches!(self.body, BodyState::Rejected);
        let body = self.raw_body();
        if body.is_none() && !rejected {
            self.violations
                .push(Violation::missing(vec!["body".into()]));
        }
        body
    }

    fn convert<T: DeserializeOwned>(
        &mut self,
        value: Value,
        loc: impl FnOnce() -> Vec<LocSegment>,
    ) -> Option<T> {
        // Fast path: no path tracking (serde_path_to_error allocates a String per map key);
        // only a failure is decoded again to find where it failed.
        if let Ok(t) = T::deserialize(&value) {
            return Some(t);
        }
        let mut loc = loc();
        match serde_path_to_error::deserialize::<_, T>(value) {
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
                self.violations.push(Violation::new(loc, kind, msg));
                None
            }
        }
    }

    /// Fail with every violation recorded, if there is any.
    pub fn check(&mut self) -> Result<(), ErrorReport> {
        self.settle_json();
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
        self.settle_json();
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

/// A JSON body as a `Value`; invalid JSON is a `json_invalid` violation at its byte offset.
fn json_value(bytes: &[u8], violations: &mut Vec<Violation>) -> Option<Value> {
    match serde_json::from_slice::<Value>(bytes) {
        Ok(v) => Some(v),
        Err(e) => {
            let offset = if e.is_eof() {
                bytes.len()
            } else {
                byte_offset(bytes, e.line(), e.column())
            };
            violations.push(Violation::new(
                vec!["body".into(), offset.into()],
                "json_invalid",
                "JSON decode error",
            ));
            None
        }
    }
}

/// Validate a decoded body at location `body`; whether it is valid.
fn validate_body(schema: &Schema, value: &Value, violations: &mut Vec<Violation>) -> bool {
    let before = violations.len();
    validate(
        schema,
        value,
        &mut vec![LocSegment::from("body")],
        violations,
    );
    violations.len() == before
}

/// A parameter's default (JSON text) as a value. A plain string literal, the usual case, is
/// copied without running the JSON parser.
/// A parameter as [`Input::new`] left it.
#[derive(Debug)]
enum Decoded {
    /// Sent, decoded and validated.
    Value(Value),
    /// Not sent: the schema's default (JSON text) applies.
    Default(&'static str),
}

/// A parameter default decoded as `T`, once per thread and default: parsing it on every
/// request (chrono parsing a date default, say) cost more than the rest of the parameter.
/// `None` when the text is not a `T`.
fn cached_default<T: DeserializeOwned + Clone + 'static>(text: &'static str) -> Option<T> {
    use std::any::{Any, TypeId};
    use std::cell::RefCell;
    use std::collections::HashMap;
    type Key = (usize, usize, TypeId);
    type Cache = HashMap<Key, Option<Box<dyn Any>>, std::hash::BuildHasherDefault<KeyHasher>>;
    thread_local! {
        static CACHE: RefCell<Cache> = RefCell::new(HashMap::default());
    }
    let key = (text.as_ptr() as usize, text.len(), TypeId::of::<T>());
    CACHE.with(|cache| {
        let mut cache = cache.borrow_mut();
        let entry = cache.entry(key).or_insert_with(|| {
            let value = default_value(text)?;
            let t = T::deserialize(&value).ok()?;
            Some(Box::new(t) as Box<dyn Any>)
        });
        entry.as_ref()?.downcast_ref::<T>().cloned()
    })
}

/// A multiply-rotate hasher for the default cache's keys (a pointer, a length and a
/// `TypeId`: no attacker chooses them, and SipHash cost more than the lookup saves).
#[derive(Default)]
struct KeyHasher(u64);

impl std::hash::Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.write_u64(u64::from_le_bytes(word));
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }

    fn write_usize(&mut self, n: usize) {
        self.write_u64(n as u64);
    }
}

fn default_value(text: &str) -> Option<Value> {
    let plain = text
        .strip_prefix('"')
        .and_then(|t| t.strip_suffix('"'))
        .filter(|t| !t.bytes().any(|b| b == b'"' || b == b'\\' || b < 0x20));
    match plain {
        Some(s) => Some(Value::String(s.to_owned())),
        None => serde_json::from_str(text).ok(),
    }
}

/// A parameter's raw text.
enum Raw {
    One(String),
    Many(Vec<String>),
    /// Object properties (deepObject, or form with explode).
    Fields(Vec<(String, String)>),
}

type Failure = (&'static str, String);

fn coerce_param(p: &Param, raw: Raw) -> Result<Value, Failure> {
    let base = p.schema.base();
    match raw {
        Raw::Fields(fields) => object_from_fields(p.schema, fields),
        Raw::Many(values) => match base {
            Schema::Array(items) => values
                .iter()
                .map(|v| coerce_scalar(items, v))
                .collect::<Result<Vec<_>, _>>()
                .map(Value::Array),
            _ => coerce_scalar(p.schema, values.last().map_or("", String::as_str)),
        },
        Raw::One(text) => {
            let text = strip_style_prefix(p, &text);
            match base {
                Schema::Array(items) => {
                    if text.is_empty() {
                        return Ok(Value::Array(Vec::new()));
                    }
                    let sep = match (p.style, p.explode) {
                        (Style::SpaceDelimited, _) => " ",
                        (Style::PipeDelimited, _) => "|",
                        (Style::Label, true) => ".",
                        (Style::Matrix, true) => return split_matrix(p, items, text),
                        _ => ",",
                    };
                    text.split(sep)
                        .map(|v| coerce_scalar(items, v))
                        .collect::<Result<Vec<_>, _>>()
                        .map(Value::Array)
                }
                Schema::Object(_) | Schema::Map(_) => {
                    let pairs: Vec<(String, String)> = if p.explode {
                        text.split(',')
                            .filter_map(|kv| kv.split_once('='))
                            .map(|(k, v)| (k.to_owned(), v.to_owned()))
                            .collect()
                    } else {
                        let items: Vec<&str> = text.split(',').collect();
                        items
                            .chunks(2)
                            .map(|c| (c[0].to_owned(), c.get(1).copied().unwrap_or("").to_owned()))
                            .collect()
                    };
                    object_from_fields(p.schema, pairs)
                }
                _ => coerce_scalar(p.schema, text),
            }
        }
    }
}

fn strip_style_prefix<'a>(p: &Param, text: &'a str) -> &'a str {
    match p.style {
        Style::Label => text.strip_prefix('.').unwrap_or(text),
        Style::Matrix if !p.explode => text
            .strip_prefix(';')
            .and_then(|t| t.strip_prefix(p.name))
            .and_then(|t| t.strip_prefix('='))
            .unwrap_or(text),
        _ => text,
    }
}

fn split_matrix(p: &Param, items: &Schema, text: &str) -> Result<Value, Failure> {
    let prefix = format!("{}=", p.name);
    text.split(';')
        .filter(|s| !s.is_empty())
        .map(|s| coerce_scalar(items, s.strip_prefix(prefix.as_str()).unwrap_or(s)))
        .collect::<Result<Vec<_>, _>>()
        .map(Value::Array)
}

fn object_from_fields(schema: &Schema, fields: Vec<(String, String)>) -> Result<Value, Failure> {
    let object = schema.object();
    let mut map = Map::new();
    for (k, v) in fields {
        let field_schema = object
            .and_then(|o| {
                o.fields
                    .iter()
                    .find(|f| f.name == k)
                    .map(|f| f.schema)
                    .or(o.additional)
            })
            .or(match schema.base() {
                Schema::Map(values) => Some(*values),
                _ => None,
            });
        let value = match field_schema.map(|s| (s, s.base())) {
            Some((_, Schema::Array(items))) => {
                let item = coerce_scalar(items, &v)?;
                match map.get_mut(&k) {
                    Some(Value::Array(xs)) => {
                        xs.push(item);
                        continue;
                    }
                    _ => Value::Array(vec![item]),
                }
            }
            Some((s, _)) => coerce_scalar(s, &v)?,
            None => Value::String(v),
        };
        map.insert(k, value);
    }
    Ok(Value::Object(map))
}

/// A form body as a JSON object, values typed by the body schema's properties.
fn form_object(
    schema: Option<&Schema>,
    pairs: Vec<(String, String)>,
) -> Result<Value, Vec<Violation>> {
    let Some(schema) = schema else {
        return Ok(Value::Object(
            pairs
                .into_iter()
                .map(|(k, v)| (k, Value::String(v)))
                .collect(),
        ));
    };
    let mut violations = Vec::new();
    let mut map = Map::new();
    for (k, v) in pairs {
        match object_from_fields(schema, vec![(k.clone(), v)]) {
            Ok(Value::Object(one)) => {
                for (key, value) in one {
                    match (map.get_mut(&key), value) {
                        (Some(Value::Array(xs)), Value::Array(mut more)) => xs.append(&mut more),
                        (_, value) => {
                            map.insert(key, value);
                        }
                    }
                }
            }
            Ok(_) => {}
            Err((kind, msg)) => {
                violations.push(Violation::new(vec!["body".into(), k.into()], kind, msg))
            }
        }
    }
    if violations.is_empty() {
        Ok(Value::Object(map))
    } else {
        Err(violations)
    }
}

/// Text to a JSON value of the schema's kind (query, path, header, cookie and form values).
pub(crate) fn coerce_scalar(schema: &Schema, text: &str) -> Result<Value, Failure> {
    match schema.base() {
        Schema::Bool => match text.to_ascii_lowercase().as_str() {
            "true" | "1" | "yes" | "on" | "t" | "y" => Ok(Value::Bool(true)),
            "false" | "0" | "no" | "off" | "f" | "n" => Ok(Value::Bool(false)),
            _ => Err((
                "bool_parsing",
                "Input should be a valid boolean, unable to interpret input".to_owned(),
            )),
        },
        Schema::Int(_) | Schema::IntEnum(_) => {
            let t = text.trim();
            if let Ok(n) = t.parse::<i64>() {
                Ok(Value::Number(n.into()))
            } else if let Ok(n) = t.parse::<u64>() {
                Ok(Value::Number(n.into()))
            } else {
                Err((
                    "int_parsing",
                    "Input should be a valid integer, unable to parse string as an integer"
                        .to_owned(),
                ))
            }
        }
        Schema::Float => match text.trim().parse::<f64>().ok().and_then(Number::from_f64) {
            Some(n) => Ok(Value::Number(n)),
            None => Err((
                "float_parsing",
                "Input should be a valid number, unable to parse string as a number".to_owned(),
            )),
        },
        Schema::Union(u) => {
            for v in u.variants {
                if let Ok(value) = coerce_scalar(v.schema, text) {
                    let mut out = Vec::new();
                    validate(v.schema, &value, &mut Vec::new(), &mut out);
                    if out.is_empty() {
                        return Ok(value);
                    }
                }
            }
            Ok(Value::String(text.to_owned()))
        }
        Schema::Array(_) | Schema::Object(_) | Schema::Map(_) | Schema::Tuple(_) => {
            Ok(serde_json::from_str(text).unwrap_or_else(|_| Value::String(text.to_owned())))
        }
        _ => Ok(Value::String(text.to_owned())),
    }
}

/// The declared content a request's `Content-Type` selects. A request without one is read as
/// the first declared content (FastAPI reads such bodies as JSON, too).
fn choose_content(
    contents: &'static [Content],
    content_type: Option<&str>,
) -> Option<(usize, &'static Content)> {
    let Some(ct) = content_type else {
        return contents.first().map(|c| (0, c));
    };
    // Compared without allocating: ASCII case-insensitively, as the media types are.
    let essence = ct.split(';').next().unwrap_or("").trim().as_bytes();
    let json_like = essence.eq_ignore_ascii_case(b"application/json")
        || (essence.len() >= 5 && essence[essence.len() - 5..].eq_ignore_ascii_case(b"+json"));
    let exact = contents.iter().position(|c| {
        c.media_type
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .as_bytes()
            .eq_ignore_ascii_case(essence)
    });
    let index = exact
        .or_else(|| {
            contents
                .iter()
                .position(|c| c.kind == MediaKind::Json && json_like)
        })
        .or_else(|| {
            contents.iter().position(|c| {
                let m = c.media_type.as_bytes();
                m == b"*/*"
                    || m.strip_suffix(b"/*").is_some_and(|major| {
                        essence.len() > major.len()
                            && essence[..major.len()].eq_ignore_ascii_case(major)
                            && essence[major.len()] == b'/'
                    })
            })
        })?;
    Some((index, &contents[index]))
}

fn boundary(content_type: &str) -> Option<String> {
    content_type.split(';').skip(1).find_map(|p| {
        let (k, v) = p.trim().split_once('=')?;
        k.trim()
            .eq_ignore_ascii_case("boundary")
            .then(|| v.trim().trim_matches('"').to_owned())
    })
}

/// The byte offset of a 1-based line and column (serde_json's error position).
fn byte_offset(bytes: &[u8], line: usize, column: usize) -> usize {
    let mut offset = 0;
    for (i, l) in bytes.split(|b| *b == b'\n').enumerate() {
        if i + 1 == line {
            return offset + column.saturating_sub(1).min(l.len());
        }
        offset += l.len() + 1;
    }
    bytes.len()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server::direct::tests::LOGIN as USER;
    use crate::server::schema::{Body, IntKind};
    use serde::Deserialize;

    /// The futures here never wait (the body is in memory): poll once.
    fn ready<F: std::future::Future>(future: F) -> F::Output {
        let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
        match std::pin::pin!(future).poll(&mut cx) {
            std::task::Poll::Ready(out) => out,
            std::task::Poll::Pending => panic!("the future waited"),
        }
    }

    /// The same shape with a rule: never decoded directly.
    static RULED_USER: Schema = Schema::Checked(
        &USER,
        &crate::server::schema::Rules {
            min_items: Some(0),
            ..crate::server::schema::Rules::NONE
        },
    );

    const fn op(body: &'static Body) -> Operation {
        Operation {
            id: "create_user",
            name: "create_user",
            method: "POST",
            path: "/users",
            params: &[Param {
                name: "x-version",
                location: Location::Header,
                required: false,
                style: Style::Simple,
                explode: false,
                schema: &Schema::Int(IntKind::U8),
                default: Some("1"),
            }],
            body: Some(body),
            security: &[],
            errors: &[],
            fallback: None,
        }
    }
    /// An operation with the header parameter and a required JSON body of `schema`.
    macro_rules! json_op {
        ($schema:expr) => {
            op(&Body {
                required: true,
                contents: &[Content {
                    media_type: "application/json",
                    kind: MediaKind::Json,
                    schema: Some($schema),
                }],
            })
        };
    }
    static DIRECT: Operation = json_op!(&USER);
    static USUAL: Operation = json_op!(&RULED_USER);

    #[derive(Debug, PartialEq, Deserialize)]
    struct User {
        username: String,
        age: Option<u8>,
    }

    /// What the generated handler does: the parameter, the body, then every violation.
    fn run(
        op: &'static Operation,
        version: &str,
        body: &str,
    ) -> (bool, Result<(u8, User), Vec<Violation>>) {
        let request = http::Request::post("/users")
            .header("x-version", version)
            .header("content-type", "application/json")
            .body(AxumBody::from(body.to_owned()))
            .unwrap();
        let (mut input, body) = ready(Input::new(op, request));
        ready(input.read_body(body, &Config::default())).unwrap();
        let direct = matches!(input.body, BodyState::Json { .. });
        let (Some(version), Some(user)) = (input.param::<u8>(0), input.body::<User>()) else {
            return (direct, Err(input.reject().violations));
        };
        input.check().unwrap();
        (direct, Ok((version, user)))
    }

    fn kinds(violations: Vec<Violation>) -> Vec<(String, String)> {
        violations
            .into_iter()
            .map(|v| (v.loc_string(), v.kind))
            .collect()
    }

    #[test]
    fn a_good_body_is_decoded_directly() {
        let (direct, result) = run(&DIRECT, "7", r#"{"username":"Al","age":3,"extra":{"a":1}}"#);
        assert!(direct);
        let user = User {
            username: "Al".into(),
            age: Some(3),
        };
        assert_eq!(result.unwrap(), (7, user));
        assert!(!run(&USUAL, "7", r#"{"username":"Al"}"#).0);
    }

    #[test]
    fn direct_and_usual_paths_give_the_same_answers() {
        let bodies = [
            r#"{"username":"Al","age":3}"#,
            r#"{"username":"Al"}"#,
            // serde would take these, validation does not: the bytes send them the usual way.
            r#"{"username":"Al","age":null}"#,
            r#"["Al",3]"#,
            // serde fails: decoded again as a `Value` for the violations.
            r#"{"age":300}"#,
            r#"{"username":1,"age":-1}"#,
            r#"{"username":"Al","age":3.5}"#,
            r#"{"username":"Al","username":"Bo"}"#,
            // serde skips unknown properties with fewer checks than a `Value` gets.
            "{\"username\":\"Al\",\"x\":\"\u{0}\"}",
            r#"{"username":"Al","x":"\ud800"}"#,
            r#"{"username":"Al","x":1e400}"#,
            r#"{"username":"Al","x":{"y":null}}"#,
            r#"{"username":"Al""#,
            r#"{"username":"Al"} x"#,
            "true",
        ];
        let deep = format!(
            r#"{{"username":"Al","x":{}1{}}}"#,
            "[".repeat(200),
            "]".repeat(200)
        );
        for body in bodies.iter().copied().chain([deep.as_str()]) {
            for version in ["7", "x"] {
                let (_, direct) = run(&DIRECT, version, body);
                let (_, usual) = run(&USUAL, version, body);
                assert_eq!(direct, usual, "{body} with version {version}");
            }
        }
        let (_, result) = run(&DIRECT, "x", r#"{"username":1,"age":300}"#);
        assert_eq!(
            kinds(result.unwrap_err()),
            vec![
                ("header.x-version".to_owned(), "int_parsing".to_owned()),
                ("body.username".to_owned(), "string_type".to_owned()),
                ("body.age".to_owned(), "less_than_equal".to_owned()),
            ]
        );
    }

    #[test]
    fn direct_and_usual_paths_agree_on_generated_bodies() {
        // Bodies built from fragments (valid and invalid JSON), by a fixed pseudo-random walk.
        const VALUES: [&str; 16] = [
            r#""Al""#,
            "1",
            "300",
            "-1",
            "1.5",
            "1e400",
            "1E2",
            "null",
            "true",
            "[]",
            "{}",
            r#""\u0041""#,
            r#""\ud800""#,
            r#"["a",{"b":null}]"#,
            r#"{"y":[1,2]}"#,
            r#""a\"b""#,
        ];
        const KEYS: [&str; 4] = ["username", "age", "x", "na\\me"];
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut next = |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n as u64) as usize
        };
        for _ in 0..3000 {
            let fields = next(4);
            let mut body = String::from("{");
            for i in 0..fields {
                if i > 0 {
                    body.push(',');
                }
                body.push_str(&format!(r#""{}":{}"#, KEYS[next(4)], VALUES[next(16)]));
            }
            body.push('}');
            if next(8) == 0 {
                body.truncate(next(body.len() + 1));
            }
            let version = ["7", "x"][next(2)];
            assert_eq!(
                run(&DIRECT, version, &body).1,
                run(&USUAL, version, &body).1,
                "{body}"
            );
        }
    }

    #[test]
    fn body_violations_keep_their_place() {
        // Violations recorded after `read_body` (by `param` and `body` conversions) come after
        // the body's, as when the body was validated in `read_body`.
        let (direct, result) = run(&DIRECT, "7", r#"{"username":1}"#);
        assert!(direct);
        assert_eq!(
            kinds(result.unwrap_err()),
            vec![("body.username".to_owned(), "string_type".to_owned())]
        );
        let request = http::Request::post("/users")
            .header("content-type", "application/json")
            .body(AxumBody::from(r#"{"username":1}"#))
            .unwrap();
        let (mut input, body) = ready(Input::new(&DIRECT, request));
        ready(input.read_body(body, &Config::default())).unwrap();
        // The default applies; then a violation recorded before the body is taken.
        assert_eq!(input.param::<u8>(0), Some(1));
        assert_eq!(input.param::<u8>(0), None);
        input
            .violations
            .push(Violation::new(vec!["later".into()], "x", "x"));
        assert!(input.body::<User>().is_none());
        let locs: Vec<String> = input
            .violations()
            .iter()
            .map(Violation::loc_string)
            .collect();
        assert_eq!(locs, ["body.username", "later"]);
    }

    /// An operation with one optional header parameter named `name` with default `default`.
    macro_rules! header_op {
        ($name:expr, $schema:expr, $default:expr) => {
            Operation {
                id: "h",
                name: "h",
                method: "GET",
                path: "/h",
                params: &[Param {
                    name: $name,
                    location: Location::Header,
                    required: false,
                    style: Style::Simple,
                    explode: false,
                    schema: $schema,
                    default: $default,
                }],
                body: None,
                security: &[],
                errors: &[],
                fallback: None,
            }
        };
    }

    #[test]
    fn header_parameters_match_names_in_any_case_and_join_lines() {
        static OP: Operation = header_op!("X-Trace-Id", &Schema::Str(None), None);
        let request = http::Request::get("/h")
            .header("accept", "*/*")
            .header("x-trace-id", "a")
            .header("X-TRACE-ID", "b")
            .body(AxumBody::empty())
            .unwrap();
        let (mut input, _) = ready(Input::new(&OP, request));
        assert_eq!(input.param::<String>(0).as_deref(), Some("a,b"));
        let request = http::Request::get("/h").body(AxumBody::empty()).unwrap();
        let (mut input, _) = ready(Input::new(&OP, request));
        assert_eq!(input.param::<Option<String>>(0), Some(None));
    }

    #[test]
    fn defaults_are_decoded_once_per_type_and_fail_as_before() {
        static DATE: Operation = header_op!(
            "x-api-version",
            &Schema::Str(Some("date")),
            Some("\"2024-03-26\"")
        );
        let expected = chrono::NaiveDate::from_ymd_opt(2024, 3, 26).unwrap();
        for _ in 0..3 {
            let request = http::Request::get("/h").body(AxumBody::empty()).unwrap();
            let (mut input, _) = ready(Input::new(&DATE, request));
            assert_eq!(input.param::<chrono::NaiveDate>(0), Some(expected));
            // The same default text as another type is its own entry.
            let request = http::Request::get("/h").body(AxumBody::empty()).unwrap();
            let (mut input, _) = ready(Input::new(&DATE, request));
            assert_eq!(input.param::<String>(0).as_deref(), Some("2024-03-26"));
        }
        // A sent value wins over the cached default.
        let request = http::Request::get("/h")
            .header("x-api-version", "2025-01-02")
            .body(AxumBody::empty())
            .unwrap();
        let (mut input, _) = ready(Input::new(&DATE, request));
        assert_eq!(
            input.param::<chrono::NaiveDate>(0),
            chrono::NaiveDate::from_ymd_opt(2025, 1, 2)
        );
        // A default that is not a value of the type is a violation, every time.
        static BAD: Operation = header_op!("x-n", &Schema::Int(IntKind::U8), Some("\"many\""));
        for _ in 0..2 {
            let request = http::Request::get("/h").body(AxumBody::empty()).unwrap();
            let (mut input, _) = ready(Input::new(&BAD, request));
            assert_eq!(input.param::<u8>(0), None);
            assert_eq!(input.violations().len(), 1);
            assert_eq!(input.violations()[0].loc_string(), "header.x-n");
        }
    }

    #[test]
    fn defaults_and_content_types() {
        assert_eq!(
            default_value(r#""2024-03-26""#),
            Some(Value::String("2024-03-26".into()))
        );
        assert_eq!(
            default_value(r#""a\"b""#),
            Some(Value::String("a\"b".into()))
        );
        assert_eq!(
            default_value(r#""a\u0041""#),
            Some(Value::String("aA".into()))
        );
        assert_eq!(default_value("12"), Some(Value::from(12)));
        assert_eq!(default_value(r#""open"#), None);
        static CONTENTS: [Content; 3] = [
            Content {
                media_type: "application/json",
                kind: MediaKind::Json,
                schema: None,
            },
            Content {
                media_type: "text/plain",
                kind: MediaKind::Text,
                schema: None,
            },
            Content {
                media_type: "image/*",
                kind: MediaKind::Binary,
                schema: None,
            },
        ];
        let index = |ct| choose_content(&CONTENTS, ct).map(|(i, _)| i);
        assert_eq!(index(None), Some(0));
        assert_eq!(index(Some("Application/JSON; charset=utf-8")), Some(0));
        assert_eq!(index(Some("application/problem+JSON")), Some(0));
        assert_eq!(index(Some("TEXT/plain")), Some(1));
        assert_eq!(index(Some("IMAGE/png")), Some(2));
        assert_eq!(index(Some("image")), None);
        assert_eq!(index(Some("text/html")), None);
    }
}
