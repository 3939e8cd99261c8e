//! Static descriptions of schemas, operations and security schemes.
//!
//! Generated servers describe every operation as a `static` [`Operation`] and every schema a
//! request can carry as a `static` [`Schema`]; the runtime validates requests, extracts
//! credentials and fills error envelopes from these descriptions. They are plain data, built in
//! constant context, so a generated server holds no per-type validation code.

/// The shape of a JSON value, as far as validation and error envelopes need it.
#[derive(Debug)]
pub enum Schema {
    /// Any JSON value.
    Any,
    /// `true` or `false`.
    Bool,
    /// An integer that must fit the given Rust type.
    Int(IntKind),
    /// A number (`f32`/`f64`); integers are accepted.
    Float,
    /// A string, with the `format` its Rust type depends on (`date`, `date-time`, `uuid`,
    /// `byte`, `binary`) or `None`.
    Str(Option<&'static str>),
    /// An array whose items have this schema.
    Array(&'static Schema),
    /// A JSON object with arbitrary keys whose values have this schema.
    Map(&'static Schema),
    /// A fixed-length array whose members have these schemas (`prefixItems`); without
    /// members, Rust's `()`, which only `null` is (`type: 'null'`).
    Tuple(&'static [&'static Schema]),
    /// A JSON object with declared properties.
    Object(&'static Object),
    /// A string with one of these values.
    StringEnum(&'static [&'static str]),
    /// An integer with one of these values.
    IntEnum(&'static [i64]),
    /// A value matching one of the variants (`oneOf`/`anyOf`).
    Union(&'static Union),
    /// `null` or the inner schema (nullable array items, map values and tuple members).
    Nullable(&'static Schema),
    /// The inner schema plus validation keywords.
    Checked(&'static Schema, &'static Rules),
}

/// Which Rust integer type a value must fit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IntKind {
    /// `i8`.
    I8,
    /// `i16`.
    I16,
    /// `i32`.
    I32,
    /// `i64`.
    I64,
    /// `u8`.
    U8,
    /// `u16`.
    U16,
    /// `u32`.
    U32,
    /// `u64`.
    U64,
}

impl IntKind {
    pub(crate) fn bounds(self) -> (i128, i128) {
        match self {
            IntKind::I8 => (i8::MIN.into(), i8::MAX.into()),
            IntKind::I16 => (i16::MIN.into(), i16::MAX.into()),
            IntKind::I32 => (i32::MIN.into(), i32::MAX.into()),
            IntKind::I64 => (i64::MIN.into(), i64::MAX.into()),
            IntKind::U8 => (0, u8::MAX.into()),
            IntKind::U16 => (0, u16::MAX.into()),
            IntKind::U32 => (0, u32::MAX.into()),
            IntKind::U64 => (0, u64::MAX.into()),
        }
    }
}

/// An object with declared properties.
#[derive(Debug)]
pub struct Object {
    /// The declared properties, in document order.
    pub fields: &'static [Field],
    /// The schema of undeclared properties (`additionalProperties`), when declared.
    pub additional: Option<&'static Schema>,
}

/// A declared property.
#[derive(Debug)]
pub struct Field {
    /// The name on the wire.
    pub name: &'static str,
    /// The property's schema.
    pub schema: &'static Schema,
    /// Whether the property must be present.
    pub required: bool,
    /// Whether the property may be `null`.
    pub nullable: bool,
}

/// `oneOf`/`anyOf`.
#[derive(Debug)]
pub struct Union {
    /// The discriminating property of a tagged union.
    pub tag: Option<&'static str>,
    /// The alternatives, in document order.
    pub variants: &'static [Variant],
}

/// One alternative of a [`Union`].
#[derive(Debug)]
pub struct Variant {
    /// Tag values that select this variant (tagged unions).
    pub tags: &'static [&'static str],
    /// The variant's schema.
    pub schema: &'static Schema,
}

/// Validation keywords (JSON Schema semantics: each applies to values of its kind only).
#[derive(Debug, Clone, Copy)]
pub struct Rules {
    /// `minimum`.
    pub minimum: Option<f64>,
    /// `maximum`.
    pub maximum: Option<f64>,
    /// Whether `minimum` is exclusive.
    pub exclusive_minimum: bool,
    /// Whether `maximum` is exclusive.
    pub exclusive_maximum: bool,
    /// `multipleOf`.
    pub multiple_of: Option<f64>,
    /// `minLength`, in characters.
    pub min_length: Option<u64>,
    /// `maxLength`, in characters.
    pub max_length: Option<u64>,
    /// `pattern`: a regular expression the string must match somewhere.
    pub pattern: Option<&'static str>,
    /// `minItems`.
    pub min_items: Option<u64>,
    /// `maxItems`.
    pub max_items: Option<u64>,
    /// `uniqueItems`.
    pub unique_items: bool,
    /// `format`, checked for the formats the runtime knows (`email`, `ipv4`, ...).
    pub format: Option<&'static str>,
}

impl Rules {
    /// No keyword: the base for `Rules { minimum: Some(1.0), ..Rules::NONE }`.
    pub const NONE: Rules = Rules {
        minimum: None,
        maximum: None,
        exclusive_minimum: false,
        exclusive_maximum: false,
        multiple_of: None,
        min_length: None,
        max_length: None,
        pattern: None,
        min_items: None,
        max_items: None,
        unique_items: false,
        format: None,
    };
}

impl Schema {
    /// The schema without `Checked` and `Nullable` wrappers.
    pub fn base(&self) -> &Schema {
        match self {
            Schema::Checked(inner, _) | Schema::Nullable(inner) => inner.base(),
            other => other,
        }
    }

    /// The object description, when this is an object (through wrappers).
    pub fn object(&self) -> Option<&'static Object> {
        match self.base() {
            Schema::Object(o) => Some(o),
            _ => None,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Operations

/// Where a parameter travels.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Location {
    /// A path segment.
    Path,
    /// The query string.
    Query,
    /// A request header.
    Header,
    /// A cookie.
    Cookie,
    /// The whole query string as one value (`in: querystring`, OpenAPI 3.2), in the
    /// `application/x-www-form-urlencoded` form: its pairs are the object's properties.
    QueryString,
}

impl Location {
    /// The first segment of a violation's location, as FastAPI writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            Location::Path => "path",
            Location::Query | Location::QueryString => "query",
            Location::Header => "header",
            Location::Cookie => "cookie",
        }
    }
}

/// OpenAPI parameter serialisation styles.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    /// `v`, `a,b`, `k,v` (path and header default).
    Simple,
    /// `name=v`, `name=a&name=b` (query and cookie default).
    Form,
    /// `.v`, `.a.b` (path).
    Label,
    /// `;name=v` (path).
    Matrix,
    /// `name=a b` (query arrays).
    SpaceDelimited,
    /// `name=a|b` (query arrays).
    PipeDelimited,
    /// `name[key]=v` (query objects).
    DeepObject,
}

/// A declared parameter.
#[derive(Debug)]
pub struct Param {
    /// The name on the wire.
    pub name: &'static str,
    /// Where it travels.
    pub location: Location,
    /// Whether the request must carry it.
    pub required: bool,
    /// Its `style`.
    pub style: Style,
    /// Its `explode`.
    pub explode: bool,
    /// Its value's schema.
    pub schema: &'static Schema,
    /// The schema's default, as JSON text.
    pub default: Option<&'static str>,
}

/// How a request or response body is encoded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MediaKind {
    /// JSON (`application/json`, `+json`).
    Json,
    /// `application/x-www-form-urlencoded`.
    Form,
    /// `multipart/form-data`.
    Multipart,
    /// Text, read as a UTF-8 string.
    Text,
    /// Anything else, as bytes.
    Binary,
}

/// One media type a request body may have.
#[derive(Debug)]
pub struct Content {
    /// The media type as declared, e.g. `application/json`.
    pub media_type: &'static str,
    /// How it is decoded.
    pub kind: MediaKind,
    /// `None` when the media type declares no schema.
    pub schema: Option<&'static Schema>,
}

/// A declared request body.
#[derive(Debug)]
pub struct Body {
    /// Whether the request must carry a body.
    pub required: bool,
    /// The media types the body may have, in document order.
    pub contents: &'static [Content],
}

/// The status a response is declared for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StatusSpec {
    /// Exactly this status.
    Code(u16),
    /// `4XX`: the first digit.
    Range(u16),
    /// `default`: any status.
    Default,
}

impl StatusSpec {
    /// Whether a response declared for `self` covers `status`.
    pub fn covers(self, status: u16) -> bool {
        match self {
            StatusSpec::Code(c) => c == status,
            StatusSpec::Range(r) => status / 100 == r,
            StatusSpec::Default => true,
        }
    }
}

/// A declared error response: where a rejection of that status is rendered.
#[derive(Debug)]
pub struct ErrorResponse {
    /// The status it is declared for.
    pub status: StatusSpec,
    /// The first media type of the response, `None` for a response without content.
    pub media_type: Option<&'static str>,
    /// The response's schema, when it declares one.
    pub schema: Option<&'static Schema>,
}

/// A security scheme.
#[derive(Debug)]
pub struct Scheme {
    /// The key under `components/securitySchemes`.
    pub key: &'static str,
    /// What the scheme checks.
    pub kind: SchemeKind,
}

/// What a security scheme checks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SchemeKind {
    /// `Authorization: Bearer <token>` (HTTP bearer, OAuth 2, OpenID Connect).
    Bearer,
    /// `Authorization: Basic <base64 user:password>`.
    Basic,
    /// An API key in a header, query parameter or cookie of this name.
    ApiKey(Location, &'static str),
    /// A scheme Stencil cannot check (mutual TLS, other HTTP schemes): never satisfied.
    Unsupported,
}

/// A scheme an operation requires, with the scopes it asks for.
#[derive(Debug)]
pub struct SchemeUse {
    /// The scheme.
    pub scheme: &'static Scheme,
    /// The scopes the operation asks of it.
    pub scopes: &'static [&'static str],
}

/// Everything the runtime knows about an operation.
#[derive(Debug)]
pub struct Operation {
    /// The `operationId` (or `METHOD /path` when the document has none).
    pub id: &'static str,
    /// The generated handler method's name.
    pub name: &'static str,
    /// `GET`, `POST`, ...
    pub method: &'static str,
    /// The path template as written in the document.
    pub path: &'static str,
    /// The parameters, in document order.
    pub params: &'static [Param],
    /// The request body, when one is declared.
    pub body: Option<&'static Body>,
    /// Alternatives (OR) of scheme sets (AND); empty: no authentication. An empty set makes
    /// authentication optional.
    pub security: &'static [&'static [SchemeUse]],
    /// The declared non-2xx responses, in document order.
    pub errors: &'static [ErrorResponse],
    /// The API's usual error envelope, used for statuses the operation does not declare.
    pub fallback: Option<&'static ErrorResponse>,
}

impl Operation {
    /// The declared response a rejection with `status` is rendered in: an exact status, else a
    /// range, else `default`.
    pub fn error_response(&self, status: u16) -> Option<&'static ErrorResponse> {
        let find = |pred: &dyn Fn(StatusSpec) -> bool| self.errors.iter().find(|e| pred(e.status));
        find(&|s| s == StatusSpec::Code(status))
            .or_else(|| find(&|s| matches!(s, StatusSpec::Range(_)) && s.covers(status)))
            .or_else(|| find(&|s| s == StatusSpec::Default))
    }

    /// Whether the operation declares a response for `status` (exactly, by range or `default`).
    pub fn declares(&self, status: u16) -> bool {
        self.error_response(status).is_some()
    }

    /// The status validation failures are answered with: 422 when declared, else 400 when
    /// declared, else 422.
    pub fn validation_status(&self) -> u16 {
        let exact = |c| self.errors.iter().any(|e| e.status == StatusSpec::Code(c));
        if exact(422) {
            422
        } else if exact(400) {
            400
        } else {
            422
        }
    }

    /// Whether the operation requires (or accepts) credentials.
    pub fn is_secured(&self) -> bool {
        !self.security.is_empty()
    }
}

/// The operation a request was routed to. Generated routes put it in the request extensions
/// (for extractors and layers added to a single route) and in the response extensions (for
/// every middleware, e.g. logging and metrics). Middleware added with `Router::layer` runs
/// before the route and finds the operation with the generated `operation_of`.
#[derive(Clone, Copy, Debug)]
pub struct OperationInfo(pub &'static Operation);

impl OperationInfo {
    /// The `operationId`.
    pub fn id(&self) -> &'static str {
        self.0.id
    }
}
