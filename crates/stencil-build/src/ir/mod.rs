//! The intermediate representation: what the emitters see.
//!
//! The IR holds named types in an arena keyed by [`TypeId`] and the operations of the API. It
//! holds no `openapiv3` and no `syn` types: it is built from the loaded document by
//! [`build`](crate::ir::build) and read by the emitters in [`crate::emit`]. Every name in it is
//! already a valid, unique Rust identifier (decided in [`crate::naming`]).
//!
//! Invariants:
//! - `Api::types[i].id == TypeId(i)`; the arena is ordered by type name, so emission order is
//!   deterministic and independent of hash maps.
//! - Every `TypeRef::Named` points into the arena; recursion through named types is broken by a
//!   `TypeRef::Boxed` somewhere on every cycle.
//! - Type, field, variant, method and parameter names are unique in their scope.

pub mod build;
mod compose;
mod convert;
mod cycles;
mod generics;
mod operations;
mod paths;
mod replace;
mod schema;
pub mod select;
mod unions;
mod walk;

pub use build::build;
pub use replace::replace_types;

use serde_json::Value;

/// A whole API: named types and operations.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Api {
    pub title: String,
    pub version: String,
    pub description: Option<String>,
    /// Server URLs in document order; the first is the client's default base URL.
    pub servers: Vec<String>,
    pub types: Vec<TypeDef>,
    pub operations: Vec<Operation>,
    pub security_schemes: Vec<SecurityScheme>,
    /// The document the API was built from, for servers to embed and serve: the root file's
    /// text as written when it is self-contained, else the bundled document as JSON.
    pub document: String,
}

impl Api {
    pub fn ty(&self, id: TypeId) -> &TypeDef {
        &self.types[id.0 as usize]
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TypeId(pub u32);

/// Documentation carried from the document to doc comments.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Docs {
    pub title: Option<String>,
    pub description: Option<String>,
    pub examples: Vec<Value>,
    pub deprecated: bool,
}

/// Validation keywords, recorded for the server's validation and for docs.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Constraints {
    pub minimum: Option<f64>,
    pub maximum: Option<f64>,
    pub exclusive_minimum: bool,
    pub exclusive_maximum: bool,
    pub multiple_of: Option<f64>,
    pub min_length: Option<u64>,
    pub max_length: Option<u64>,
    pub pattern: Option<String>,
    pub min_items: Option<u64>,
    pub max_items: Option<u64>,
    pub unique_items: bool,
    /// The declared `format`, even when it maps to no special Rust type (`email`, `uri`, ...).
    pub format: Option<String>,
}

impl Constraints {
    pub fn is_empty(&self) -> bool {
        *self == Constraints::default()
    }
}

/// A named type.
#[derive(Clone, Debug, PartialEq)]
pub struct TypeDef {
    pub id: TypeId,
    /// Rust name (UpperCamelCase, unique among types).
    pub name: String,
    /// JSON pointer of the schema this type was made from (the first one, when structurally
    /// identical schemas were merged).
    pub origin: String,
    pub docs: Docs,
    /// Type parameters (`T`, `U`, ...) of a generic type; `TypeRef::Generic(i)` refers to them.
    pub generics: Vec<String>,
    pub kind: TypeKind,
}

#[derive(Clone, Debug, PartialEq)]
pub enum TypeKind {
    Struct(Struct),
    StringEnum(StringEnum),
    IntEnum(IntEnum),
    Union(Union),
    /// `pub type Name = <TypeRef>;` (also used for generic instantiations).
    Alias(TypeRef),
    /// `pub struct Name(pub <TypeRef>);` for a constrained scalar or array that deserves a type.
    Newtype(TypeRef, Constraints),
    /// A type the user supplies instead (`Config::replace_type`): `pub type Name = <path>;`.
    /// The path is a Rust path as the user wrote it; the type must implement `Debug`, `Clone`,
    /// `PartialEq`, `Serialize` and `Deserialize` (nothing more is assumed of it).
    External(String),
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Struct {
    pub fields: Vec<Field>,
    /// `additionalProperties` next to declared properties: a flattened map of the rest.
    pub additional: Option<TypeRef>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Field {
    /// Rust field name (snake_case, never a keyword).
    pub name: String,
    /// Property name on the wire.
    pub wire_name: String,
    /// The value type, without the `Option` that presence and nullability add.
    pub ty: TypeRef,
    pub required: bool,
    pub nullable: bool,
    pub default: Option<Value>,
    pub read_only: bool,
    pub write_only: bool,
    pub constraints: Constraints,
    pub docs: Docs,
}

impl Field {
    /// How the field is represented in Rust.
    pub fn presence(&self) -> Presence {
        match (self.required, self.nullable, self.default.is_some()) {
            (true, false, _) => Presence::Required,
            (true, true, _) => Presence::RequiredNullable,
            (false, false, true) => Presence::Defaulted,
            (false, false, false) => Presence::Optional,
            (false, true, _) => Presence::OptionalNullable,
        }
    }
}

/// Required/optional × nullable, as it maps to Rust.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Presence {
    /// `T`, always serialised.
    Required,
    /// `Option<T>`, always serialised (`null` when `None`).
    RequiredNullable,
    /// `T` with `#[serde(default = ...)]`: the schema's default applies when absent.
    Defaulted,
    /// `Option<T>`, skipped when `None`.
    Optional,
    /// `Option<Option<T>>`: absent (`None`), `null` (`Some(None)`) and a value are kept apart.
    OptionalNullable,
}

#[derive(Clone, Debug, PartialEq)]
pub struct StringEnum {
    pub variants: Vec<EnumVariant<String>>,
    /// Emit an `Other(String)` variant that keeps values this version did not know.
    pub fallback: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct IntEnum {
    pub variants: Vec<EnumVariant<i64>>,
    /// Emit an `Other(i64)` variant that keeps values this version did not know.
    pub fallback: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct EnumVariant<V> {
    /// Rust variant name (UpperCamelCase, unique in the enum).
    pub name: String,
    pub value: V,
    pub docs: Docs,
}

/// `oneOf`/`anyOf`: tagged when a discriminator (or a shared single-value property) tells the
/// branches apart, untagged otherwise.
#[derive(Clone, Debug, PartialEq)]
pub struct Union {
    /// Wire name of the discriminating property, for a tagged union.
    pub tag: Option<String>,
    pub variants: Vec<UnionVariant>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct UnionVariant {
    /// Rust variant name (UpperCamelCase, unique in the enum).
    pub name: String,
    /// The tag values selecting this variant (tagged unions only; several when the
    /// discriminator mapping names the same schema more than once).
    pub tag_values: Vec<String>,
    pub ty: TypeRef,
    pub docs: Docs,
}

/// A reference to a type, as it appears in a field, parameter or body.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TypeRef {
    /// A named type, with arguments when it is generic.
    Named(TypeId, Vec<TypeRef>),
    /// The i-th type parameter of the enclosing generic type.
    Generic(usize),
    Primitive(Primitive),
    Array(Box<TypeRef>),
    /// A JSON object with string keys: `BTreeMap<String, T>` (ordered, so output is stable).
    Map(Box<TypeRef>),
    Tuple(Vec<TypeRef>),
    /// A nullable value inside an array, map or tuple (fields carry nullability themselves).
    Option(Box<TypeRef>),
    /// Heap indirection that breaks a recursive cycle.
    Boxed(Box<TypeRef>),
    /// Anything: `serde_json::Value`.
    Any,
}

impl TypeRef {
    /// This type inside a generic type instantiated with `args`: every `Generic(i)` replaced by
    /// `args[i]` (by `Any` should the instantiation lack it), at any depth.
    pub fn substitute(&self, args: &[TypeRef]) -> TypeRef {
        if args.is_empty() {
            return self.clone();
        }
        let each = |t: &TypeRef| t.substitute(args);
        let boxed = |t: &TypeRef| Box::new(t.substitute(args));
        match self {
            TypeRef::Generic(i) => args.get(*i).cloned().unwrap_or(TypeRef::Any),
            TypeRef::Named(id, inner) => TypeRef::Named(*id, inner.iter().map(each).collect()),
            TypeRef::Tuple(items) => TypeRef::Tuple(items.iter().map(each).collect()),
            TypeRef::Array(t) => TypeRef::Array(boxed(t)),
            TypeRef::Map(t) => TypeRef::Map(boxed(t)),
            TypeRef::Option(t) => TypeRef::Option(boxed(t)),
            TypeRef::Boxed(t) => TypeRef::Boxed(boxed(t)),
            TypeRef::Primitive(_) | TypeRef::Any => self.clone(),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Primitive {
    String,
    Bool,
    I8,
    I16,
    I32,
    I64,
    U8,
    U16,
    U32,
    U64,
    F32,
    F64,
    /// `format: date` → `chrono::NaiveDate`
    Date,
    /// `format: date-time` → `chrono::DateTime<chrono::Utc>`
    DateTime,
    /// `format: uuid` → `uuid::Uuid`
    Uuid,
    /// `format: byte` / `contentEncoding: base64`: bytes, base64 on the wire.
    Base64,
    /// `format: binary`: raw bytes (request/response bodies, multipart file parts).
    Binary,
}

// ---------------------------------------------------------------------------------------------
// Operations

#[derive(Clone, Debug, PartialEq)]
pub struct Operation {
    /// The `operationId` as written, or one made from method and path.
    pub id: String,
    /// Rust method name (snake_case, unique among operations), FastAPI suffixes removed where
    /// the result stays unique: `login_token_post` → `login`.
    pub name: String,
    /// UpperCamelCase form of `name`, prefix for the operation's own types.
    pub type_name: String,
    pub method: Method,
    /// Path template as written: `/device/{device_id}`.
    pub path: String,
    pub tags: Vec<String>,
    /// `summary` in `title`, `description` in `description`.
    pub docs: Docs,
    pub params: Vec<Param>,
    pub body: Option<RequestBody>,
    /// In document order; `default` last.
    pub responses: Vec<Response>,
    /// Alternatives (OR) of scheme sets (AND). Empty: no authentication. A set that is empty
    /// means authentication is optional.
    pub security: Vec<Vec<SecurityUse>>,
    /// JSON pointer of the operation object.
    pub origin: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Method {
    Get,
    Put,
    Post,
    Delete,
    Options,
    Head,
    Patch,
    Trace,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Put => "PUT",
            Method::Post => "POST",
            Method::Delete => "DELETE",
            Method::Options => "OPTIONS",
            Method::Head => "HEAD",
            Method::Patch => "PATCH",
            Method::Trace => "TRACE",
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Param {
    /// Name on the wire.
    pub wire_name: String,
    /// Rust name (snake_case, unique among the operation's parameters).
    pub name: String,
    pub location: ParamLocation,
    pub required: bool,
    pub ty: TypeRef,
    pub default: Option<Value>,
    pub style: ParamStyle,
    pub explode: bool,
    pub constraints: Constraints,
    pub docs: Docs,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ParamLocation {
    Path,
    Query,
    Header,
    Cookie,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ParamStyle {
    Simple,
    Form,
    Label,
    Matrix,
    SpaceDelimited,
    PipeDelimited,
    DeepObject,
}

#[derive(Clone, Debug, PartialEq)]
pub struct RequestBody {
    pub required: bool,
    /// One entry per media type offered, in document order.
    pub contents: Vec<Content>,
    pub docs: Docs,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Content {
    /// The media type as written (`application/json`, `application/vnd.x+json`, ...).
    pub media_type: String,
    pub kind: MediaKind,
    /// The body's type; `None` when the media type has no schema.
    pub ty: Option<TypeRef>,
}

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
}

#[derive(Clone, Debug, PartialEq)]
pub struct Response {
    pub status: Status,
    pub description: String,
    pub contents: Vec<Content>,
    pub headers: Vec<ResponseHeader>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Status {
    Code(u16),
    /// `1XX` .. `5XX`: the first digit.
    Range(u16),
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

    pub fn is_success(self) -> bool {
        match self {
            Status::Code(c) => (200..300).contains(&c),
            Status::Range(r) => r == 2,
            Status::Default => false,
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct ResponseHeader {
    pub wire_name: String,
    pub name: String,
    pub required: bool,
    pub ty: TypeRef,
    pub docs: Docs,
}

#[derive(Clone, Debug, PartialEq)]
pub struct SecurityUse {
    /// Index into `Api::security_schemes`.
    pub scheme: usize,
    pub scopes: Vec<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct SecurityScheme {
    /// Key under `components/securitySchemes`.
    pub key: String,
    /// Rust name (snake_case, unique among schemes).
    pub name: String,
    pub kind: SecurityKind,
    pub docs: Docs,
}

#[derive(Clone, Debug, PartialEq)]
pub enum SecurityKind {
    HttpBearer,
    HttpBasic,
    ApiKey {
        location: ParamLocation,
        wire_name: String,
    },
    /// OAuth2 and OpenID Connect are sent as bearer tokens.
    OAuth2,
    /// A scheme Stencil does not implement (e.g. `mutualTLS`, other HTTP schemes).
    Unsupported(String),
}
