//! Errors: the user's domain errors, rejections made by the runtime, and how both are rendered in
//! the operation's declared error envelope.

use std::fmt;

use axum::response::{IntoResponse, Response};
use http::{header, HeaderValue, StatusCode};
use serde_json::{Map, Number, Value};

use super::schema::{ErrorResponse, Operation, Schema};
use super::violation::{summary, LocSegment, Violation};

/// A domain error that knows the HTTP status it stands for. Map your error type once; every
/// operation renders it in its declared envelope for that status, and an error whose status the
/// operation does not declare becomes a logged 500 that shows nothing of it.
pub trait ApiError: fmt::Display + Send + 'static {
    /// The status this error is answered with.
    fn status(&self) -> StatusCode;
    /// The message put in the envelope. Defaults to the `Display` text.
    fn message(&self) -> String {
        self.to_string()
    }
}

/// A ready-made domain error: a status and a public message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error {
    /// The response status.
    pub status: StatusCode,
    /// A public message (sent to the client).
    pub message: String,
}

impl Error {
    /// An error with any status.
    pub fn new(status: StatusCode, message: impl Into<String>) -> Self {
        Error {
            status,
            message: message.into(),
        }
    }
    /// 400 Bad Request.
    pub fn bad_request(message: impl Into<String>) -> Self {
        Error::new(StatusCode::BAD_REQUEST, message)
    }
    /// 401 Unauthorized.
    pub fn unauthorized(message: impl Into<String>) -> Self {
        Error::new(StatusCode::UNAUTHORIZED, message)
    }
    /// 403 Forbidden.
    pub fn forbidden(message: impl Into<String>) -> Self {
        Error::new(StatusCode::FORBIDDEN, message)
    }
    /// 404 Not Found.
    pub fn not_found(message: impl Into<String>) -> Self {
        Error::new(StatusCode::NOT_FOUND, message)
    }
    /// 500 Internal Server Error.
    pub fn internal(message: impl Into<String>) -> Self {
        Error::new(StatusCode::INTERNAL_SERVER_ERROR, message)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.status.as_u16(), self.message)
    }
}

impl std::error::Error for Error {}

impl ApiError for Error {
    fn status(&self) -> StatusCode {
        self.status
    }
    fn message(&self) -> String {
        self.message.clone()
    }
}

/// What went wrong, for renderers that answer differently per cause.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    /// The request did not match the schema (malformed JSON, wrong content type, missing or
    /// invalid parameters and properties). `violations` lists every failure.
    Validation,
    /// Credentials are missing or the authentication hook rejected them.
    Unauthenticated,
    /// The body is larger than the configured limit (413).
    PayloadTooLarge,
    /// The body did not arrive within the configured time (408).
    RequestTimeout,
    /// The handler returned a domain error whose status the operation declares.
    Domain,
    /// Anything else: the status is 500 and the message says nothing more.
    Internal,
}

/// A failed request on its way to becoming a response. The handler trait's `render_error`
/// method receives every one of them: override it there to change how errors look.
#[derive(Clone, Debug)]
pub struct ErrorReport {
    /// The operation the request was routed to.
    pub operation: &'static Operation,
    /// The response status.
    pub status: StatusCode,
    /// The cause.
    pub kind: ErrorKind,
    /// A public message.
    pub message: String,
    /// Every violation, for validation rejections; empty otherwise.
    pub violations: Vec<Violation>,
}

impl ErrorReport {
    /// A validation rejection listing `violations` (at least one).
    pub fn validation(operation: &'static Operation, violations: Vec<Violation>) -> Self {
        let status = StatusCode::from_u16(operation.validation_status())
            .unwrap_or(StatusCode::UNPROCESSABLE_ENTITY);
        ErrorReport {
            operation,
            status,
            kind: ErrorKind::Validation,
            message: summary(&violations),
            violations,
        }
        .noted()
    }

    /// A 401 rejection: credentials missing or refused.
    pub fn unauthenticated(operation: &'static Operation, message: impl Into<String>) -> Self {
        ErrorReport {
            operation,
            status: StatusCode::UNAUTHORIZED,
            kind: ErrorKind::Unauthenticated,
            message: message.into(),
            violations: Vec::new(),
        }
        .noted()
    }

    /// A 413 rejection: the body is larger than `limit` bytes.
    pub fn payload_too_large(operation: &'static Operation, limit: usize) -> Self {
        ErrorReport {
            operation,
            status: StatusCode::PAYLOAD_TOO_LARGE,
            kind: ErrorKind::PayloadTooLarge,
            message: format!("Request body is larger than {limit} bytes"),
            violations: Vec::new(),
        }
        .noted()
    }

    /// A 413 rejection: a multipart body has more than `limit` parts.
    pub fn too_many_parts(operation: &'static Operation, limit: usize) -> Self {
        ErrorReport {
            operation,
            status: StatusCode::PAYLOAD_TOO_LARGE,
            kind: ErrorKind::PayloadTooLarge,
            message: format!("Request body has more than {limit} parts"),
            violations: Vec::new(),
        }
        .noted()
    }

    /// A 408 rejection: the body did not arrive within `timeout`.
    pub fn request_timeout(operation: &'static Operation, timeout: std::time::Duration) -> Self {
        ErrorReport {
            operation,
            status: StatusCode::REQUEST_TIMEOUT,
            kind: ErrorKind::RequestTimeout,
            message: format!(
                "Request body did not arrive within {} s",
                timeout.as_secs_f64()
            ),
            violations: Vec::new(),
        }
        .noted()
    }

    /// A logged 500 that shows nothing of its cause.
    pub fn internal(operation: &'static Operation) -> Self {
        ErrorReport {
            operation,
            status: StatusCode::INTERNAL_SERVER_ERROR,
            kind: ErrorKind::Internal,
            message: "Internal Server Error".to_owned(),
            violations: Vec::new(),
        }
    }

    /// A domain error: rendered with its status when the operation declares it, else logged
    /// and answered with a 500.
    pub fn domain<E: ApiError>(operation: &'static Operation, error: &E) -> Self {
        let status = error.status();
        if (status.is_client_error() || status.is_server_error())
            && operation.declares(status.as_u16())
        {
            return ErrorReport {
                operation,
                status,
                kind: ErrorKind::Domain,
                message: error.message(),
                violations: Vec::new(),
            };
        }
        tracing::error!(
            operation = operation.id,
            status = status.as_u16(),
            error = %error,
            "handler error with a status the operation does not declare; answering 500"
        );
        ErrorReport::internal(operation)
    }

    /// An authentication hook's rejection: its status (401 unless it says 403) and message.
    pub fn auth<E: ApiError>(operation: &'static Operation, error: &E) -> Self {
        let status = error.status();
        if status.is_client_error() {
            return ErrorReport {
                operation,
                status,
                kind: ErrorKind::Unauthenticated,
                message: error.message(),
                violations: Vec::new(),
            }
            .noted();
        }
        ErrorReport::domain(operation, error)
    }

    /// Log the rejection at debug level: the operation, the status, the cause and the public
    /// message (what the client is told anyway), never a header or a parameter's value, so
    /// no credential reaches the logs.
    fn noted(self) -> Self {
        tracing::debug!(
            operation = self.operation.id,
            status = self.status.as_u16(),
            kind = ?self.kind,
            message = %self.message,
            "request rejected"
        );
        self
    }

    /// The declared response this report is rendered in: the operation's own for the status,
    /// else the API's usual error envelope.
    pub fn envelope(&self) -> Option<&'static ErrorResponse> {
        self.operation
            .error_response(self.status.as_u16())
            .or(self.operation.fallback)
    }

    /// The body the default rendering sends: the envelope's schema filled by well-known
    /// property names (see [`fill_envelope`]).
    pub fn body(&self) -> Value {
        match self.envelope().and_then(|e| e.schema) {
            Some(schema) => fill_envelope(schema, self),
            None => fill_envelope(&BUILTIN, self),
        }
    }

    /// The default rendering: the filled envelope with the envelope's media type.
    pub fn render(self) -> Response {
        let envelope = self.envelope();
        let media_type = envelope
            .and_then(|e| e.media_type)
            .unwrap_or("application/json");
        let body = self.body();
        let bytes = match &body {
            Value::String(s) if !is_json(media_type) => s.clone().into_bytes(),
            other => serde_json::to_vec(other).unwrap_or_default(),
        };
        let mut response = (self.status, bytes).into_response();
        if let Ok(v) = HeaderValue::from_str(media_type) {
            response.headers_mut().insert(header::CONTENT_TYPE, v);
        }
        if self.status == StatusCode::UNAUTHORIZED {
            if let Some(challenge) = challenge(self.operation) {
                response.headers_mut().insert(
                    header::WWW_AUTHENTICATE,
                    HeaderValue::from_static(challenge),
                );
            }
        }
        response
            .extensions_mut()
            .insert(super::schema::OperationInfo(self.operation));
        response
    }
}

fn is_json(media_type: &str) -> bool {
    let essence = media_type.split(';').next().unwrap_or("").trim();
    essence == "application/json" || essence.ends_with("+json")
}

fn challenge(op: &Operation) -> Option<&'static str> {
    use super::schema::SchemeKind;
    op.security
        .iter()
        .flat_map(|set| set.iter())
        .find_map(|u| match u.scheme.kind {
            SchemeKind::Bearer => Some("Bearer"),
            SchemeKind::Basic => Some("Basic"),
            _ => None,
        })
}

/// The envelope used when the API declares no error response at all:
/// `{"code": ..., "message": ..., "errors": [{"loc", "msg", "type"}]}`.
static BUILTIN: Schema = Schema::Object(&super::schema::Object {
    fields: &[
        field("code", &Schema::Int(super::schema::IntKind::U16), true),
        field("message", &Schema::Str(None), true),
        field("errors", &Schema::Array(&VIOLATION), false),
    ],
    additional: None,
});
static VIOLATION: Schema = Schema::Object(&super::schema::Object {
    fields: &[
        field("loc", &Schema::Array(&Schema::Any), true),
        field("msg", &Schema::Str(None), true),
        field("type", &Schema::Str(None), true),
    ],
    additional: None,
});

const fn field(
    name: &'static str,
    schema: &'static Schema,
    required: bool,
) -> super::schema::Field {
    super::schema::Field {
        name,
        schema,
        required,
        nullable: false,
    }
}

/// Fill an error envelope from a report, by property names:
///
/// - `code`, `status`, `status_code`: the HTTP status (a number, or a string for string schemas);
/// - `message`, `detail`, `title`, `description`, `error_description`, `error_message`,
///   `reason`: the report's message;
/// - `msg`: the first violation's message (else the report's message);
/// - `loc`, `location`, `path`, `field`, `pointer`, `param`: the first violation's location
///   (an array, or a dotted string for string schemas);
/// - `type`, `kind`, `error_type`: the first violation's kind (else a snake_case word for the
///   status; `about:blank` when the schema wants a URI);
/// - an array of objects (`errors`, `detail`, `details`, `violations`, ...): one item per
///   violation, filled the same way;
/// - any other object: filled recursively (`{"error": {...}}`).
///
/// Other required properties get their schema's empty value; other optional ones are left out.
/// A string envelope (e.g. `text/plain`) is the message.
pub fn fill_envelope(schema: &Schema, report: &ErrorReport) -> Value {
    let ctx = Ctx {
        status: report.status.as_u16(),
        message: &report.message,
        first: report.violations.first(),
        all: &report.violations,
        kind: report.kind,
    };
    fill(schema, &ctx, 0).unwrap_or(Value::Null)
}

struct Ctx<'a> {
    status: u16,
    message: &'a str,
    first: Option<&'a Violation>,
    all: &'a [Violation],
    kind: ErrorKind,
}

impl Ctx<'_> {
    fn default_kind(&self) -> &'static str {
        match self.kind {
            ErrorKind::Validation => "validation_error",
            ErrorKind::Unauthenticated => "unauthenticated",
            ErrorKind::PayloadTooLarge => "payload_too_large",
            ErrorKind::RequestTimeout => "request_timeout",
            ErrorKind::Domain => "http_error",
            ErrorKind::Internal => "internal_error",
        }
    }
}

fn fill(schema: &Schema, ctx: &Ctx, depth: usize) -> Option<Value> {
    if depth > 8 {
        return None;
    }
    match schema.base() {
        Schema::Object(object) => {
            let mut map = Map::new();
            for f in object.fields {
                let value = fill_property(f.name, f.schema, ctx, depth);
                match value {
                    Some(v) => {
                        map.insert(f.name.to_owned(), v);
                    }
                    None if f.required => {
                        map.insert(f.name.to_owned(), empty(f.schema));
                    }
                    None => {}
                }
            }
            add_pydantic_extras(object, ctx.first, &mut map);
            Some(Value::Object(map))
        }
        Schema::Str(_) | Schema::Any => Some(Value::String(ctx.message.to_owned())),
        Schema::Union(u) => u
            .variants
            .first()
            .and_then(|v| fill(v.schema, ctx, depth + 1)),
        _ => None,
    }
}

fn fill_property(name: &str, schema: &'static Schema, ctx: &Ctx, depth: usize) -> Option<Value> {
    let lower = name.to_ascii_lowercase();
    let base = schema.base();
    let is_string = matches!(base, Schema::Str(_) | Schema::StringEnum(_));
    let is_number = matches!(base, Schema::Int(_) | Schema::Float | Schema::IntEnum(_));
    let is_array = matches!(base, Schema::Array(_));
    let string_ok = |s: &str| string_fits(schema, s);
    match lower.as_str() {
        "code" | "status" | "status_code" | "statuscode" | "http_status" if is_number => {
            Some(Value::Number(Number::from(ctx.status)))
        }
        "code" | "status" | "status_code" | "statuscode" | "http_status" if is_string => {
            Some(Value::String(ctx.status.to_string()))
                .filter(|v| string_ok(v.as_str().unwrap_or("")))
        }
        "message" | "detail" | "title" | "description" | "error_description" | "error_message"
        | "reason"
            if is_string || matches!(base, Schema::Any) =>
        {
            Some(Value::String(ctx.message.to_owned()))
        }
        "msg" if is_string => Some(Value::String(
            ctx.first.map_or(ctx.message, |v| v.msg.as_str()).to_owned(),
        )),
        "loc" | "location" | "path" | "field" | "pointer" | "param" | "parameter" => {
            let v = ctx.first?;
            if is_array {
                Some(Value::Array(v.loc.iter().map(loc_value).collect()))
            } else if is_string {
                Some(Value::String(v.loc_string()))
            } else {
                None
            }
        }
        "type" | "kind" | "error_type" if is_string => {
            let word = ctx.first.map_or(ctx.default_kind(), |v| v.kind.as_str());
            if matches!(schema_format(schema), Some("uri" | "uri-reference")) {
                Some(Value::String("about:blank".to_owned()))
            } else if string_ok(word) {
                Some(Value::String(word.to_owned()))
            } else {
                None
            }
        }
        _ => match base {
            Schema::Array(items) if items.object().is_some() => {
                let items_schema: &Schema = items;
                let list = ctx
                    .all
                    .iter()
                    .filter_map(|v| {
                        let one = Ctx {
                            status: ctx.status,
                            message: &v.msg,
                            first: Some(v),
                            all: std::slice::from_ref(v),
                            kind: ctx.kind,
                        };
                        fill(items_schema, &one, depth + 1)
                    })
                    .collect();
                Some(Value::Array(list))
            }
            Schema::Object(_) => fill(schema, ctx, depth + 1),
            _ => None,
        },
    }
}

/// FastAPI's validation error items (`loc`, `msg`, `type`) also carry `input` and, for most
/// failures, `ctx`: added for violations of pydantic-mode validation, which sets `input`.
fn add_pydantic_extras(
    object: &super::schema::Object,
    violation: Option<&Violation>,
    map: &mut Map<String, Value>,
) {
    let Some(v) = violation else { return };
    let Some(input) = &v.input else { return };
    let item = ["loc", "msg", "type"]
        .iter()
        .all(|n| object.fields.iter().any(|f| f.name == *n));
    if !item {
        return;
    }
    map.entry("input").or_insert_with(|| input.clone());
    if let Some(ctx) = &v.ctx {
        map.entry("ctx").or_insert_with(|| ctx.clone());
    }
}

fn loc_value(seg: &LocSegment) -> Value {
    match seg {
        LocSegment::Key(k) => Value::String(k.clone()),
        LocSegment::Index(i) => Value::Number(Number::from(*i)),
    }
}

fn schema_format(schema: &Schema) -> Option<&'static str> {
    match schema {
        Schema::Checked(inner, rules) => rules.format.or_else(|| schema_format(inner)),
        Schema::Nullable(inner) => schema_format(inner),
        Schema::Str(f) => *f,
        _ => None,
    }
}

/// Whether a string value is acceptable for an enum schema.
fn string_fits(schema: &Schema, s: &str) -> bool {
    match schema.base() {
        Schema::StringEnum(values) => values.contains(&s),
        _ => true,
    }
}

/// The empty value of a schema, for required properties nothing fills.
fn empty(schema: &Schema) -> Value {
    match schema {
        Schema::Nullable(_) => Value::Null,
        Schema::Checked(inner, rules) => match inner.base() {
            Schema::Int(_) | Schema::Float => {
                let n = rules
                    .minimum
                    .unwrap_or(0.0)
                    .max(rules.maximum.map_or(f64::MIN, |m| m.min(0.0)));
                Number::from_f64(n).map_or(Value::Null, |n| {
                    if let (true, Some(i)) = (matches!(inner.base(), Schema::Int(_)), n.as_f64()) {
                        Value::Number(Number::from(i as i64))
                    } else {
                        Value::Number(n)
                    }
                })
            }
            _ => empty(inner),
        },
        Schema::Bool => Value::Bool(false),
        Schema::Int(_) | Schema::Float => Value::Number(Number::from(0)),
        Schema::Str(_) => Value::String(String::new()),
        Schema::StringEnum(values) => values
            .first()
            .map_or(Value::Null, |v| Value::String((*v).to_owned())),
        Schema::IntEnum(values) => values
            .first()
            .map_or(Value::Null, |v| Value::Number(Number::from(*v))),
        Schema::Array(_) => Value::Array(Vec::new()),
        Schema::Map(_) | Schema::Object(_) => Value::Object(Map::new()),
        Schema::Tuple(items) => Value::Array(items.iter().map(|s| empty(s)).collect()),
        Schema::Union(u) => u.variants.first().map_or(Value::Null, |v| empty(v.schema)),
        Schema::Any => Value::Null,
    }
}
