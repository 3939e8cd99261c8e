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

mod arena;
pub(crate) mod build;
mod compose;
mod convert;
mod cycles;
mod expression;
mod generics;
mod hooks;
mod http;
mod media;
mod openapi32;
mod operations;
mod pagination;
mod paths;
mod replace;
mod schema;
mod security;
pub(crate) mod select;
mod unions;
mod walk;

pub use build::build;
pub use http::*;
pub use pagination::configure as configure_pagination;
pub use replace::replace_types;

use serde_json::Value;

/// A whole API: named types and operations.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Api {
    /// `info.title`.
    pub title: String,
    /// `info.version`.
    pub version: String,
    /// `info.description`.
    pub description: Option<String>,
    /// Server URLs in document order; the first is the client's default base URL.
    pub servers: Vec<String>,
    /// The type arena (see the invariants above): read it with [`Api::types`], set it with
    /// [`Api::with_types`], which checks them.
    pub(crate) types: Vec<TypeDef>,
    /// The operations in document order.
    pub operations: Vec<Operation>,
    /// `components/securitySchemes`, in document order; [`SecurityUse::scheme`] indexes it.
    pub security_schemes: Vec<SecurityScheme>,
    /// The declared `tags`, in document order, with their 3.2 hierarchy (`parent`).
    pub tags: Vec<Tag>,
    /// Operations the API provider sends rather than serves: webhooks and callbacks, in
    /// document order.
    pub hooks: Vec<Hook>,
    /// The document the API was built from, for servers to embed and serve: the root file's
    /// text as written when it is self-contained, else the bundled document as JSON.
    pub document: String,
}

impl Api {
    /// The type `id` names.
    pub fn ty(&self, id: TypeId) -> &TypeDef {
        &self.types[id.0 as usize]
    }

    /// The type arena, ordered by name; `types()[i].id` is the `i`-th [`TypeId`].
    pub fn types(&self) -> &[TypeDef] {
        &self.types
    }

    /// Every operation: those under `paths`, then the hooks'.
    pub fn operations_mut(&mut self) -> impl Iterator<Item = &mut Operation> {
        self.operations
            .iter_mut()
            .chain(self.hooks.iter_mut().map(|h| &mut h.operation))
    }
}

/// A type's index in [`Api::types`]. Only the IR builder makes them (and [`TypeId::at`], for
/// IR built by hand, which [`Api::with_types`] checks).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TypeId(pub(crate) u32);

impl TypeId {
    /// The id of the type at `index` in the arena.
    pub fn at(index: u32) -> TypeId {
        TypeId(index)
    }

    /// Its index in [`Api::types`].
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// Documentation carried from the document to doc comments.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Docs {
    /// `title`.
    pub title: Option<String>,
    /// `description` (Markdown).
    pub description: Option<String>,
    /// `example` / `examples`.
    pub examples: Vec<Value>,
    /// `deprecated: true`.
    pub deprecated: bool,
}

/// Validation keywords, recorded for the server's validation and for docs.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Constraints {
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
    /// `minLength`.
    pub min_length: Option<u64>,
    /// `maxLength`.
    pub max_length: Option<u64>,
    /// `pattern` (an ECMA-262 regular expression).
    pub pattern: Option<String>,
    /// `minItems`.
    pub min_items: Option<u64>,
    /// `maxItems`.
    pub max_items: Option<u64>,
    /// `uniqueItems`.
    pub unique_items: bool,
    /// The declared `format`, even when it maps to no special Rust type (`email`, `uri`, ...).
    pub format: Option<String>,
    /// The keywords of an array's items (`items: {minimum: 0}`).
    pub items: Option<Box<Constraints>>,
}

impl Constraints {
    /// Whether no keyword constrains the value.
    pub fn is_empty(&self) -> bool {
        *self == Constraints::default()
    }
}

/// A named type.
#[derive(Clone, Debug, PartialEq)]
pub struct TypeDef {
    /// Its index in the arena.
    pub id: TypeId,
    /// Rust name (UpperCamelCase, unique among types).
    pub name: String,
    /// JSON pointer of the schema this type was made from (the first one, when structurally
    /// identical schemas were merged).
    pub origin: String,
    /// Documentation from the schema.
    pub docs: Docs,
    /// Type parameters (`T`, `U`, ...) of a generic type; `TypeRef::Generic(i)` refers to them.
    pub generics: Vec<String>,
    /// What the type is.
    pub kind: TypeKind,
}

/// The Rust shape of a named type.
#[derive(Clone, Debug, PartialEq)]
pub enum TypeKind {
    /// A struct with named fields.
    Struct(Struct),
    /// A string enum.
    StringEnum(StringEnum),
    /// An integer enum.
    IntEnum(IntEnum),
    /// A `oneOf` / `anyOf` union, tagged or not.
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

/// An object schema.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Struct {
    /// Its properties, in document order.
    pub fields: Vec<Field>,
    /// `additionalProperties` next to declared properties: a flattened map of the rest.
    pub additional: Option<TypeRef>,
}

/// A property of a struct.
#[derive(Clone, Debug, PartialEq)]
pub struct Field {
    /// Rust field name (snake_case, never a keyword).
    pub name: String,
    /// Property name on the wire.
    pub wire_name: String,
    /// The value type, without the `Option` that presence and nullability add.
    pub ty: TypeRef,
    /// Listed in `required`.
    pub required: bool,
    /// `null` is allowed.
    pub nullable: bool,
    /// The schema's `default`.
    pub default: Option<Value>,
    /// `readOnly`.
    pub read_only: bool,
    /// `writeOnly`.
    pub write_only: bool,
    /// Validation keywords of the property.
    pub constraints: Constraints,
    /// Documentation from the property's schema.
    pub docs: Docs,
}

impl Field {
    /// Whether `Debug` hides its value: `format: password`, `writeOnly`, or a name in `secrets`
    /// (the wire name or the Rust name; `naming::is_secret_name`).
    pub fn is_secret(&self, secrets: &[String]) -> bool {
        self.write_only
            || self.constraints.format.as_deref() == Some("password")
            || crate::naming::is_secret_name(&self.wire_name, secrets)
            || crate::naming::is_secret_name(&self.name, secrets)
    }

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
    /// `stencil::Nullable<T>`: absent (`Absent`), `null` (`Null`) and a value (`Value`) are kept
    /// apart.
    OptionalNullable,
}

/// A string `enum`.
#[derive(Clone, Debug, PartialEq)]
pub struct StringEnum {
    /// The values, in document order.
    pub variants: Vec<EnumVariant<String>>,
    /// Emit an `Other(String)` variant that keeps values this version did not know.
    pub fallback: bool,
}

/// An integer `enum`.
#[derive(Clone, Debug, PartialEq)]
pub struct IntEnum {
    /// The values, in document order.
    pub variants: Vec<EnumVariant<i64>>,
    /// Emit an `Other(i64)` variant that keeps values this version did not know.
    pub fallback: bool,
}

/// A value of an enum.
#[derive(Clone, Debug, PartialEq)]
pub struct EnumVariant<V> {
    /// Rust variant name (UpperCamelCase, unique in the enum).
    pub name: String,
    /// The value on the wire.
    pub value: V,
    /// Documentation (`x-enum-descriptions` and the like).
    pub docs: Docs,
}

/// `oneOf`/`anyOf`: tagged when a discriminator (or a shared single-value property) tells the
/// branches apart, untagged otherwise.
#[derive(Clone, Debug, PartialEq)]
pub struct Union {
    /// Wire name of the discriminating property, for a tagged union.
    pub tag: Option<String>,
    /// The branches, in document order.
    pub variants: Vec<UnionVariant>,
    /// A server-sent event's payload keyed by the event's type (OpenAPI 3.2 `itemSchema`, a
    /// `oneOf` over `event` names): each variant's `tag_values` is its event name, and the
    /// variant's type is the event's `data`.
    pub event_keyed: bool,
}

/// A branch of a union.
#[derive(Clone, Debug, PartialEq)]
pub struct UnionVariant {
    /// Rust variant name (UpperCamelCase, unique in the enum).
    pub name: String,
    /// The tag values selecting this variant (tagged unions only; several when the
    /// discriminator mapping names the same schema more than once).
    pub tag_values: Vec<String>,
    /// The branch's type.
    pub ty: TypeRef,
    /// Documentation from the branch's schema.
    pub docs: Docs,
}

/// A reference to a type, as it appears in a field, parameter or body.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TypeRef {
    /// A named type, with arguments when it is generic.
    Named(TypeId, Vec<TypeRef>),
    /// The i-th type parameter of the enclosing generic type.
    Generic(usize),
    /// A built-in type.
    Primitive(Primitive),
    /// A JSON array: `Vec<T>`.
    Array(Box<TypeRef>),
    /// A JSON object with string keys: `BTreeMap<String, T>` (ordered, so output is stable).
    Map(Box<TypeRef>),
    /// A fixed-length array (`prefixItems`): a Rust tuple.
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

/// A type with a built-in Rust form (strings and numbers by `format`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Primitive {
    /// `String`.
    String,
    /// `bool`.
    Bool,
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
    /// `f32`.
    F32,
    /// `f64`.
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
