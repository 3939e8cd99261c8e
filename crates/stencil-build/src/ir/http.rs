//! The operations half of the data model: operations, their methods, parameters, bodies,
//! responses and security (the types half is in `mod.rs`). Built by `operations.rs`.

use serde_json::Value;

use super::{Constraints, Docs, TypeRef};

/// An operation: a method on a path.
#[derive(Clone, Debug, PartialEq)]
pub struct Operation {
    /// The `operationId` as written, or one made from method and path.
    pub id: String,
    /// Rust method name (snake_case, unique among operations), FastAPI suffixes removed where
    /// the result stays unique: `login_token_post` → `login`.
    pub name: String,
    /// UpperCamelCase form of `name`, prefix for the operation's own types.
    pub type_name: String,
    /// The HTTP method.
    pub method: Method,
    /// Path template as written: `/device/{device_id}`.
    pub path: String,
    /// `tags`, in document order.
    pub tags: Vec<String>,
    /// `summary` in `title`, `description` in `description`.
    pub docs: Docs,
    /// Its parameters (the path item's and its own), in document order.
    pub params: Vec<Param>,
    /// Its request body.
    pub body: Option<RequestBody>,
    /// In document order; `default` last.
    pub responses: Vec<Response>,
    /// Alternatives (OR) of scheme sets (AND). Empty: no authentication. A set that is empty
    /// means authentication is optional.
    pub security: Vec<Vec<SecurityUse>>,
    /// JSON pointer of the operation object.
    pub origin: String,
    /// How the operation pages (`x-pagination`), when it does.
    pub pagination: Option<Pagination>,
}

/// A paged operation (`x-pagination`): where its items are and where the next page is.
#[derive(Clone, Debug, PartialEq)]
pub struct Pagination {
    /// JSON pointer to the items in the success body; `""` when the body is the list.
    pub items: String,
    /// The query parameter carrying the cursor, page number or offset (wire name).
    pub param: String,
    /// That parameter's Rust field name.
    pub field: String,
    /// The scheme.
    pub scheme: PageScheme,
}

/// Where the next page is.
#[derive(Clone, Debug, PartialEq)]
pub enum PageScheme {
    /// A cursor in the body (JSON pointer).
    Cursor {
        /// Where the next cursor is.
        next: String,
    },
    /// Stripe: `has_more`, and the last item's id as the next cursor.
    HasMore {
        /// The flag (JSON pointer).
        has_more: String,
        /// The id in an item (JSON pointer).
        id: String,
    },
    /// Page numbers counting up from `first`.
    Page {
        /// The first page's number.
        first: i64,
    },
    /// An offset growing by the items received.
    Offset,
    /// `Link: <...>; rel="next"`: the parameter's value in the next link.
    Link,
}

/// An operation the API provider sends to a URL the subscriber gave (OpenAPI 3.1 `webhooks`,
/// operation `callbacks`): the subscriber serves it.
#[derive(Clone, Debug, PartialEq)]
pub struct Hook {
    /// A webhook or a callback, and which.
    pub kind: HookKind,
    /// The request the provider sends and the responses it expects. `path` is the webhook's
    /// name or the callback's URL expression; names are unique among hooks.
    pub operation: Operation,
}

/// What kind of [`Hook`] it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HookKind {
    /// A `webhooks` entry.
    Webhook {
        /// Its key under `webhooks`.
        name: String,
    },
    /// A callback of an operation under `paths`.
    Callback {
        /// The operation's Rust name.
        owner: String,
        /// The callback's key under the operation's `callbacks`.
        name: String,
        /// The URL as a runtime expression (`{$request.body#/callbackUrl}`, ...).
        expression: String,
        /// `expression`, parsed.
        url: Vec<UrlPiece>,
    },
}

/// A declared tag (`tags` of the document).
#[derive(Clone, Debug, PartialEq)]
pub struct Tag {
    /// Its name, as operations write it.
    pub name: String,
    /// The tag it is nested under (`parent`, OpenAPI 3.2): a declared tag, and no cycle.
    pub parent: Option<String>,
    /// `summary` (3.2) in `title`, `description` in `description`.
    pub docs: Docs,
}

/// A piece of a callback URL (a runtime expression template).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum UrlPiece {
    /// Literal text.
    Text(String),
    /// `$url`.
    Url,
    /// `$method`.
    Method,
    /// `$statusCode`.
    StatusCode,
    /// `$request.<source>`.
    Request(ValueSource),
    /// `$response.<source>`.
    Response(ValueSource),
}

/// Where a runtime expression reads its value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ValueSource {
    /// `header.<name>`.
    Header(String),
    /// `query.<name>`.
    Query(String),
    /// `path.<name>`.
    Path(String),
    /// `body#<JSON pointer>` (`""`: the whole body).
    Body(String),
}

/// An HTTP method.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Method {
    /// `GET`.
    Get,
    /// `PUT`.
    Put,
    /// `POST`.
    Post,
    /// `DELETE`.
    Delete,
    /// `OPTIONS`.
    Options,
    /// `HEAD`.
    Head,
    /// `PATCH`.
    Patch,
    /// `TRACE`.
    Trace,
    /// `QUERY` (OpenAPI 3.2): safe and idempotent, with a request body.
    Query,
    /// A method of `additionalOperations` (OpenAPI 3.2), as written (`LINK`): an HTTP token
    /// (RFC 9110), none of the above.
    Other(String),
}

impl Method {
    /// The method as on the wire (upper case for the fixed ones).
    pub fn as_str(&self) -> &str {
        match self {
            Method::Get => "GET",
            Method::Put => "PUT",
            Method::Post => "POST",
            Method::Delete => "DELETE",
            Method::Options => "OPTIONS",
            Method::Head => "HEAD",
            Method::Patch => "PATCH",
            Method::Trace => "TRACE",
            Method::Query => "QUERY",
            Method::Other(name) => name,
        }
    }

    /// The method a path item field or `additionalOperations` key names: the fixed fields
    /// in lower case (`get`, ..., `query`); any other HTTP token is an extension method.
    /// `None`: not a token.
    pub fn from_key(key: &str) -> Option<Method> {
        let fixed = [
            Method::Get,
            Method::Put,
            Method::Post,
            Method::Delete,
            Method::Options,
            Method::Head,
            Method::Patch,
            Method::Trace,
            Method::Query,
        ];
        if let Some(m) = fixed
            .into_iter()
            .find(|m| m.as_str().eq_ignore_ascii_case(key))
        {
            return Some(m);
        }
        let token = |c: char| c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c);
        (!key.is_empty() && key.chars().all(token)).then(|| Method::Other(key.to_owned()))
    }

    /// Whether servers must route it themselves: axum's method router knows only the fixed
    /// methods up to `TRACE`.
    pub fn is_extension(&self) -> bool {
        matches!(self, Method::Query | Method::Other(_))
    }
}

/// A parameter of an operation.
#[derive(Clone, Debug, PartialEq)]
pub struct Param {
    /// Name on the wire.
    pub wire_name: String,
    /// Rust name (snake_case, unique among the operation's parameters).
    pub name: String,
    /// Where it is sent.
    pub location: ParamLocation,
    /// `required`.
    pub required: bool,
    /// Its type.
    pub ty: TypeRef,
    /// The schema's `default`.
    pub default: Option<Value>,
    /// How it is serialised.
    pub style: ParamStyle,
    /// `explode`.
    pub explode: bool,
    /// Validation keywords of its schema.
    pub constraints: Constraints,
    /// Documentation.
    pub docs: Docs,
}

impl Param {
    /// Whether `Debug` hides its value: `format: password`, or a name in `secrets` (the wire
    /// name or the Rust name; `naming::is_secret_name`): an `api_key` query parameter, an
    /// `X-API-Key` header.
    pub fn is_secret(&self, secrets: &[String]) -> bool {
        self.constraints.format.as_deref() == Some("password")
            || crate::naming::is_secret_name(&self.wire_name, secrets)
            || crate::naming::is_secret_name(&self.name, secrets)
    }
}

/// Where a parameter is sent (`in`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ParamLocation {
    /// In the path template.
    Path,
    /// In the query string.
    Query,
    /// In a header.
    Header,
    /// In a cookie.
    Cookie,
    /// The whole query string as one value (`in: querystring`, OpenAPI 3.2), in the
    /// `application/x-www-form-urlencoded` form (an object's properties as `name=value`
    /// pairs).
    QueryString,
}

/// A parameter's `style`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ParamStyle {
    /// `simple`.
    Simple,
    /// `form`.
    Form,
    /// `label`.
    Label,
    /// `matrix`.
    Matrix,
    /// `spaceDelimited`.
    SpaceDelimited,
    /// `pipeDelimited`.
    PipeDelimited,
    /// `deepObject`.
    DeepObject,
}

/// A request body.
#[derive(Clone, Debug, PartialEq)]
pub struct RequestBody {
    /// `required`.
    pub required: bool,
    /// One entry per media type offered, in document order.
    pub contents: Vec<Content>,
    /// Documentation.
    pub docs: Docs,
}

/// A body in one media type.
#[derive(Clone, Debug, PartialEq)]
pub struct Content {
    /// The media type as written (`application/json`, `application/vnd.x+json`, ...).
    pub media_type: String,
    /// How it is encoded.
    pub kind: MediaKind,
    /// The body's type; `None` when the media type has no schema.
    pub ty: Option<TypeRef>,
    /// The type of each item of a sequential media type (`text/event-stream`, JSON Lines,
    /// ...), from `itemSchema` (OpenAPI 3.2); `None` when not declared.
    pub item: Option<TypeRef>,
    /// The validation keywords of the body's own schema (a request body given inline, such
    /// as an array with `maxItems`); the server checks them.
    pub constraints: Constraints,
}

/// How a body is encoded, by its media type.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum MediaKind {
    /// `application/json` and `*/*+json`.
    Json,
    /// `application/x-www-form-urlencoded`.
    Form,
    /// `multipart/form-data`.
    Multipart,
    /// `text/*`.
    Text,
    /// Anything else: raw bytes (`application/octet-stream`, images, ...).
    Binary,
    /// `text/event-stream` (responses only): server-sent events, the schema describing the
    /// `data` of each event (how OpenAPI 3.0/3.1 documents write it).
    EventStream,
    /// JSON Lines, NDJSON and JSON text sequences (responses only): the schema describing
    /// each item.
    JsonLines,
}

impl MediaKind {
    /// Whether a response of this kind is read as a stream of items.
    pub fn is_stream(self) -> bool {
        matches!(self, MediaKind::EventStream | MediaKind::JsonLines)
    }
}

/// A response an operation declares.
#[derive(Clone, Debug, PartialEq)]
pub struct Response {
    /// The status it answers.
    pub status: Status,
    /// `description`.
    pub description: String,
    /// Its bodies, one per media type.
    pub contents: Vec<Content>,
    /// Its declared headers.
    pub headers: Vec<ResponseHeader>,
}

/// The status a response is declared for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Status {
    /// One code: `404`.
    Code(u16),
    /// `1XX` .. `5XX`: the first digit.
    Range(u16),
    /// `default`: any other status.
    Default,
}

impl Status {
    /// The variant naming this status in response enums (see [`crate::naming::status_variant`]).
    pub fn variant_name(self) -> String {
        match self {
            Status::Code(code) => crate::naming::status_variant(Some(code), None),
            Status::Range(class) => crate::naming::status_variant(None, Some(class)),
            Status::Default => crate::naming::status_variant(None, None),
        }
    }

    /// Whether the status is a 2xx one.
    pub fn is_success(self) -> bool {
        match self {
            Status::Code(c) => (200..300).contains(&c),
            Status::Range(r) => r == 2,
            Status::Default => false,
        }
    }
}

/// A header a response declares.
#[derive(Clone, Debug, PartialEq)]
pub struct ResponseHeader {
    /// The header's name on the wire.
    pub wire_name: String,
    /// Its Rust name.
    pub name: String,
    /// `required`.
    pub required: bool,
    /// Its type.
    pub ty: TypeRef,
    /// Documentation.
    pub docs: Docs,
}

/// A security scheme an operation uses, with the scopes it needs.
#[derive(Clone, Debug, PartialEq)]
pub struct SecurityUse {
    /// Index into `Api::security_schemes`.
    pub scheme: usize,
    /// The OAuth2 scopes.
    pub scopes: Vec<String>,
}

/// A security scheme of the document.
#[derive(Clone, Debug, PartialEq)]
pub struct SecurityScheme {
    /// Key under `components/securitySchemes`.
    pub key: String,
    /// Rust name (snake_case, unique among schemes).
    pub name: String,
    /// What the client sends.
    pub kind: SecurityKind,
    /// Documentation.
    pub docs: Docs,
}

/// What a security scheme sends.
#[derive(Clone, Debug, PartialEq)]
pub enum SecurityKind {
    /// `http` `bearer`: `Authorization: Bearer`.
    HttpBearer,
    /// `http` `basic`.
    HttpBasic,
    /// `apiKey`: a key in a header, the query or a cookie.
    ApiKey {
        /// Where the key goes.
        location: ParamLocation,
        /// The header, query parameter or cookie name.
        wire_name: String,
    },
    /// OAuth2 and OpenID Connect are sent as bearer tokens.
    OAuth2,
    /// `mutualTLS` (3.1): the client presents a certificate during the TLS handshake, below
    /// HTTP. The client's `reqwest::Client` is given the certificate (`with_client`); nothing
    /// is sent or checked per request.
    MutualTls,
    /// A scheme Stencil does not implement (other HTTP schemes, a `$ref`).
    Unsupported(String),
}
