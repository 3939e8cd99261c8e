//! A uniform view of an `openapiv3` schema.
//!
//! `openapiv3` sorts schemas into `Type`, `OneOf`, `AllOf`, `AnyOf`, `Not` and `Any`, and puts
//! everything that mixes keywords (a `type: object` with an `allOf`, an integer with a
//! fractional minimum, properties without `type`) into `Any`. The IR builder wants one shape to
//! look at, so [`View`] flattens all of them.

use openapiv3::{
    AdditionalProperties, IntegerFormat, NumberFormat, ReferenceOr, Schema, SchemaData, SchemaKind,
    StringFormat, Type, VariantOrUnknownOrEmpty,
};
use serde_json::Value;

use crate::ir::Constraints;

/// The JSON type a schema declares (or implies by its keywords).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    String,
    Number,
    Integer,
    Boolean,
    Object,
    Array,
    /// No type and nothing that implies one.
    Unknown,
}

pub struct View<'a> {
    pub data: &'a SchemaData,
    pub kind: Kind,
    pub format: Option<String>,
    pub constraints: Constraints,
    pub enumeration: Vec<Value>,
    pub properties: Vec<(&'a str, &'a ReferenceOr<Box<Schema>>)>,
    pub required: Vec<&'a str>,
    pub additional: Option<&'a AdditionalProperties>,
    pub items: Option<&'a ReferenceOr<Box<Schema>>>,
    pub one_of: &'a [ReferenceOr<Schema>],
    pub any_of: &'a [ReferenceOr<Schema>],
    pub all_of: &'a [ReferenceOr<Schema>],
    pub not: bool,
}

fn fmt<T: std::fmt::Debug>(
    f: &VariantOrUnknownOrEmpty<T>,
    known: impl Fn(&T) -> &'static str,
) -> Option<String> {
    match f {
        VariantOrUnknownOrEmpty::Item(t) => Some(known(t).to_owned()),
        VariantOrUnknownOrEmpty::Unknown(s) => Some(s.clone()),
        VariantOrUnknownOrEmpty::Empty => None,
    }
}

const EMPTY: &[ReferenceOr<Schema>] = &[];

impl<'a> View<'a> {
    pub fn new(schema: &'a Schema) -> View<'a> {
        let mut v = View {
            data: &schema.schema_data,
            kind: Kind::Unknown,
            format: None,
            constraints: Constraints::default(),
            enumeration: Vec::new(),
            properties: Vec::new(),
            required: Vec::new(),
            additional: None,
            items: None,
            one_of: EMPTY,
            any_of: EMPTY,
            all_of: EMPTY,
            not: false,
        };
        match &schema.schema_kind {
            SchemaKind::Type(t) => match t {
                Type::String(s) => {
                    v.kind = Kind::String;
                    v.format = fmt(&s.format, |f| match f {
                        StringFormat::Date => "date",
                        StringFormat::DateTime => "date-time",
                        StringFormat::Password => "password",
                        StringFormat::Byte => "byte",
                        StringFormat::Binary => "binary",
                    });
                    v.constraints.pattern = s.pattern.clone();
                    v.constraints.min_length = s.min_length.map(|n| n as u64);
                    v.constraints.max_length = s.max_length.map(|n| n as u64);
                    v.enumeration = s
                        .enumeration
                        .iter()
                        .map(|e| e.as_ref().map_or(Value::Null, |s| Value::String(s.clone())))
                        .collect();
                }
                Type::Number(n) => {
                    v.kind = Kind::Number;
                    v.format = fmt(&n.format, |f| match f {
                        NumberFormat::Float => "float",
                        NumberFormat::Double => "double",
                    });
                    v.constraints.minimum = n.minimum;
                    v.constraints.maximum = n.maximum;
                    v.constraints.exclusive_minimum = n.exclusive_minimum;
                    v.constraints.exclusive_maximum = n.exclusive_maximum;
                    v.constraints.multiple_of = n.multiple_of;
                    v.enumeration = n
                        .enumeration
                        .iter()
                        .map(|e| {
                            e.and_then(serde_json::Number::from_f64)
                                .map_or(Value::Null, Value::Number)
                        })
                        .collect();
                }
                Type::Integer(n) => {
                    v.kind = Kind::Integer;
                    v.format = fmt(&n.format, |f| match f {
                        IntegerFormat::Int32 => "int32",
                        IntegerFormat::Int64 => "int64",
                    });
                    v.constraints.minimum = n.minimum.map(|x| x as f64);
                    v.constraints.maximum = n.maximum.map(|x| x as f64);
                    v.constraints.exclusive_minimum = n.exclusive_minimum;
                    v.constraints.exclusive_maximum = n.exclusive_maximum;
                    v.constraints.multiple_of = n.multiple_of.map(|x| x as f64);
                    v.enumeration = n
                        .enumeration
                        .iter()
                        .map(|e| e.map_or(Value::Null, Value::from))
                        .collect();
                }
                Type::Boolean(b) => {
                    v.kind = Kind::Boolean;
                    v.enumeration = b
                        .enumeration
                        .iter()
                        .map(|e| e.map_or(Value::Null, Value::Bool))
                        .collect();
                }
                Type::Object(o) => {
                    v.kind = Kind::Object;
                    v.properties = o.properties.iter().map(|(k, s)| (k.as_str(), s)).collect();
                    v.required = o.required.iter().map(String::as_str).collect();
                    v.additional = o.additional_properties.as_ref();
                }
                Type::Array(a) => {
                    v.kind = Kind::Array;
                    v.items = a.items.as_ref();
                    v.constraints.min_items = a.min_items.map(|n| n as u64);
                    v.constraints.max_items = a.max_items.map(|n| n as u64);
                    v.constraints.unique_items = a.unique_items;
                }
            },
            SchemaKind::OneOf { one_of } => v.one_of = one_of,
            SchemaKind::AnyOf { any_of } => v.any_of = any_of,
            SchemaKind::AllOf { all_of } => v.all_of = all_of,
            SchemaKind::Not { .. } => v.not = true,
            SchemaKind::Any(a) => {
                v.kind = match a.typ.as_deref() {
                    Some("string") => Kind::String,
                    Some("number") => Kind::Number,
                    Some("integer") => Kind::Integer,
                    Some("boolean") => Kind::Boolean,
                    Some("object") => Kind::Object,
                    Some("array") => Kind::Array,
                    _ if !a.properties.is_empty() || a.additional_properties.is_some() => {
                        Kind::Object
                    }
                    _ if a.items.is_some() => Kind::Array,
                    _ => Kind::Unknown,
                };
                v.format = a.format.clone();
                v.constraints = Constraints {
                    minimum: a.minimum,
                    maximum: a.maximum,
                    exclusive_minimum: a.exclusive_minimum.unwrap_or(false),
                    exclusive_maximum: a.exclusive_maximum.unwrap_or(false),
                    multiple_of: a.multiple_of,
                    min_length: a.min_length.map(|n| n as u64),
                    max_length: a.max_length.map(|n| n as u64),
                    pattern: a.pattern.clone(),
                    min_items: a.min_items.map(|n| n as u64),
                    max_items: a.max_items.map(|n| n as u64),
                    unique_items: a.unique_items.unwrap_or(false),
                    format: None,
                    items: None,
                };
                v.enumeration = a.enumeration.clone();
                v.properties = a.properties.iter().map(|(k, s)| (k.as_str(), s)).collect();
                v.required = a.required.iter().map(String::as_str).collect();
                v.additional = a.additional_properties.as_ref();
                v.items = a.items.as_ref();
                v.one_of = &a.one_of;
                v.any_of = &a.any_of;
                v.all_of = &a.all_of;
                v.not = a.not.is_some();
            }
        }
        v.constraints.format = v.format.clone();
        v
    }

    /// An extension value the normaliser left on this schema.
    pub fn ext(&self, key: &str) -> Option<&'a Value> {
        self.data.extensions.get(key)
    }

    /// Has structure of its own beyond composition keywords (properties, items, a type...).
    pub fn has_own_shape(&self) -> bool {
        self.kind != Kind::Unknown || !self.properties.is_empty() || self.additional.is_some()
    }

    /// Whether the schema has its own `oneOf` or `anyOf`.
    pub fn has_union(&self) -> bool {
        !self.one_of.is_empty() || !self.any_of.is_empty()
    }

    /// The schema's own union: its keyword and branches (`oneOf` first).
    pub fn union(&self) -> Option<(&'static str, &'a [ReferenceOr<Schema>])> {
        if !self.one_of.is_empty() {
            Some(("oneOf", self.one_of))
        } else if !self.any_of.is_empty() {
            Some(("anyOf", self.any_of))
        } else {
            None
        }
    }

    /// A schema that only constrains an object without shaping it: `{required: [a]}`, `{not:
    /// ...}` (the branches of `oneOf: [{required: [a]}, {required: [b]}]`).
    pub fn only_constrains(&self) -> bool {
        matches!(self.kind, Kind::Unknown | Kind::Object)
            && self.properties.is_empty()
            && self.additional.is_none()
            && self.enumeration.is_empty()
            && self.one_of.is_empty()
            && self.any_of.is_empty()
            && self.all_of.is_empty()
            && self.items.is_none()
    }

    /// A schema that only annotates (`{nullable: true}`, `{description: ...}`, `{type: object,
    /// title: ...}`): no keywords that constrain the value beyond being an object.
    pub fn only_annotates(&self) -> bool {
        self.only_constrains()
            && self.required.is_empty()
            && !self.not
            && self.constraints.is_empty()
            && self.data.extensions.is_empty()
    }
}
