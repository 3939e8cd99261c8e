//! Where things are in an OpenAPI document: the kind of object at each position and the
//! positions of its children. The bundler, the normaliser and the error finder all walk
//! documents with it, so `$ref`s in examples or extensions are never touched and every schema
//! position is found. Walking allocates nothing per node (big documents must stay fast).

use serde_json::Value;

use crate::load::ext;

/// The kind of OpenAPI object at a position.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Kind {
    Root,
    Components,
    PathItem,
    Operation,
    Parameter,
    Header,
    RequestBody,
    Response,
    MediaType,
    Encoding,
    Schema,
    Example,
    Link,
    Callback,
    SecurityScheme,
}

pub(crate) const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

impl Kind {
    /// The `components` section holding objects of this kind.
    pub(crate) fn section(self) -> Option<&'static str> {
        Some(match self {
            Kind::Schema => "schemas",
            Kind::Parameter => "parameters",
            Kind::Header => "headers",
            Kind::RequestBody => "requestBodies",
            Kind::Response => "responses",
            Kind::Example => "examples",
            Kind::Link => "links",
            Kind::Callback => "callbacks",
            Kind::SecurityScheme => "securitySchemes",
            // 3.2
            Kind::MediaType => "mediaTypes",
            _ => return None,
        })
    }

    /// The kind's name in messages.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Kind::Root => "document",
            Kind::Components => "components object",
            Kind::PathItem => "path item",
            Kind::Operation => "operation",
            Kind::Parameter => "parameter",
            Kind::Header => "header",
            Kind::RequestBody => "request body",
            Kind::Response => "response",
            Kind::MediaType => "media type",
            Kind::Encoding => "encoding",
            Kind::Schema => "schema",
            Kind::Example => "example",
            Kind::Link => "link",
            Kind::Callback => "callback",
            Kind::SecurityScheme => "security scheme",
        }
    }

    /// Whether an object of this kind may be a Reference Object (`{$ref: ...}`).
    pub(crate) fn allows_ref(self) -> bool {
        self.section().is_some() || self == Kind::PathItem
    }
}

/// One step of a pointer from a node to a child.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Step<'a> {
    Key(&'a str),
    Index(usize),
}

/// How the value of a keyword holds children.
#[derive(Clone, Copy)]
enum Shape {
    /// A map of children (`skip_ext`: `x-` keys are extensions, not children).
    Map(bool),
    /// A list of children.
    List,
    /// The value is the child.
    Single,
    /// The value is the child when it is an object or a boolean (schema keywords).
    SchemaOrBool,
    /// The value is the child when it is an object (`additionalProperties: false` is a flag).
    Object,
    /// `items`: one schema, or a list of them (draft-4 tuples).
    Items,
}

/// Keywords whose value is a map of schemas.
const SCHEMA_MAPS: &[&str] = &[
    "properties",
    "patternProperties",
    "$defs",
    "definitions",
    "dependentSchemas",
];
/// Keywords whose value is a list of schemas.
const SCHEMA_LISTS: &[&str] = &[
    "allOf",
    "anyOf",
    "oneOf",
    "prefixItems",
    crate::load::ext::PREFIX_ITEMS,
];
/// Keywords whose value is one schema (boolean schemas included).
const SCHEMA_SINGLES: &[&str] = &[
    "not",
    "if",
    "then",
    "else",
    "contains",
    "propertyNames",
    "contentSchema",
];
/// Keywords whose value is a schema, or a boolean that `openapiv3` reads as a flag.
const SCHEMA_OR_FLAG: &[&str] = &[
    "additionalProperties",
    "unevaluatedProperties",
    "additionalItems",
    "unevaluatedItems",
];

/// What the keyword `key` of an object of kind `kind` holds.
fn role(kind: Kind, key: &str) -> Option<(Shape, Kind)> {
    use Kind::*;
    use Shape::*;
    Some(match (kind, key) {
        (Root, "paths" | "webhooks" | ext::WEBHOOKS) => (Map(true), PathItem),
        (Root, "components") => (Object, Components),
        (Components, "schemas") => (Map(false), Schema),
        (Components, "responses") => (Map(false), Response),
        (Components, "parameters") => (Map(false), Parameter),
        (Components, "examples") => (Map(false), Example),
        (Components, "requestBodies") => (Map(false), RequestBody),
        (Components, "headers") => (Map(false), Header),
        (Components, "securitySchemes") => (Map(false), SecurityScheme),
        (Components, "links") => (Map(false), Link),
        (Components, "callbacks") => (Map(false), Callback),
        (Components, "mediaTypes") => (Map(false), MediaType),
        (PathItem | Operation, "parameters") => (List, Parameter),
        (PathItem, m) if METHODS.contains(&m) => (Object, Operation),
        // 3.2, and the extensions `normalise::objects` moves them to.
        (PathItem, "query" | ext::QUERY) => (Object, Operation),
        (PathItem, "additionalOperations" | ext::ADDITIONAL_OPERATIONS) => (Map(false), Operation),
        (MediaType, "itemSchema" | ext::ITEM_SCHEMA) => (Single, Schema),
        (Operation, "requestBody") => (Single, RequestBody),
        (Operation, "responses") => (Map(true), Response),
        (Operation, "callbacks") => (Map(false), Callback),
        (Callback, k) if !k.starts_with("x-") && k != "$ref" => (Single, PathItem),
        (Parameter | Header | MediaType, "schema") => (Single, Schema),
        (Parameter | Header | RequestBody | Response, "content") => (Map(false), MediaType),
        (Parameter | Header | MediaType, "examples") => (Map(false), Example),
        (Response, "headers") | (Encoding, "headers") => (Map(false), Header),
        (Response, "links") => (Map(false), Link),
        (MediaType, "encoding") => (Map(false), Encoding),
        (Schema, k) if SCHEMA_MAPS.contains(&k) => (Map(false), Schema),
        (Schema, k) if SCHEMA_LISTS.contains(&k) => (List, Schema),
        (Schema, k) if SCHEMA_SINGLES.contains(&k) => (SchemaOrBool, Schema),
        (Schema, k) if SCHEMA_OR_FLAG.contains(&k) => (Object, Schema),
        (Schema, "items") => (Items, Schema),
        _ => return None,
    })
}

/// `each_child` and `each_child_mut`: the same walk over `&Value` and `&mut Value`.
macro_rules! each_child {
    ($(#[$doc:meta])* $name:ident, $iter:ident, $($mut_:ident)?) => {
        $(#[$doc])*
        pub(crate) fn $name<'a>(
            node: &'a $($mut_)? Value,
            kind: Kind,
            f: &mut dyn FnMut(Step<'a>, Option<Step<'a>>, &'a $($mut_)? Value, Kind),
        ) {
            let Value::Object(m) = node else { return };
            for (key, value) in m.$iter() {
                let Some((shape, child)) = role(kind, key) else { continue };
                let step = Step::Key(key.as_str());
                match shape {
                    Shape::Map(skip_ext) => {
                        if let Value::Object(entries) = value {
                            for (k, v) in entries.$iter() {
                                if !(skip_ext && k.starts_with("x-")) {
                                    f(step, Some(Step::Key(k.as_str())), v, child);
                                }
                            }
                        }
                    }
                    Shape::List => {
                        if let Value::Array(list) = value {
                            for (i, v) in list.$iter().enumerate() {
                                f(step, Some(Step::Index(i)), v, child);
                            }
                        }
                    }
                    Shape::Items if value.is_array() => {
                        if let Value::Array(list) = value {
                            for (i, v) in list.$iter().enumerate() {
                                f(step, Some(Step::Index(i)), v, child);
                            }
                        }
                    }
                    Shape::Single => f(step, None, value, child),
                    Shape::SchemaOrBool if value.is_object() || value.is_boolean() => {
                        f(step, None, value, child)
                    }
                    Shape::Object | Shape::Items if value.is_object() => f(step, None, value, child),
                    _ => {}
                }
            }
        }
    };
}

each_child!(
    /// Call `f` for every child object of `node` (of kind `kind`), in document order, with the
    /// one or two pointer steps from `node` to it and its kind.
    each_child, iter,
);
each_child!(
    /// [`each_child()`] with mutable children.
    each_child_mut, iter_mut, mut
);

/// Append a reference token to a pointer, escaped (RFC 6901).
pub(crate) fn push_token(pointer: &mut String, token: &str) {
    pointer.push('/');
    for c in token.chars() {
        match c {
            '~' => pointer.push_str("~0"),
            '/' => pointer.push_str("~1"),
            c => pointer.push(c),
        }
    }
}

/// Append one or two steps to a pointer.
pub(crate) fn push_steps(pointer: &mut String, first: Step<'_>, second: Option<Step<'_>>) {
    for step in std::iter::once(first).chain(second) {
        match step {
            Step::Key(k) => push_token(pointer, k),
            Step::Index(i) => {
                pointer.push('/');
                pointer.push_str(&i.to_string());
            }
        }
    }
}

/// The children of `node` as (tokens from `node`, kind): for the rare walks that need owned
/// paths.
pub(crate) fn children(node: &Value, kind: Kind) -> Vec<(Vec<String>, Kind)> {
    let mut out = Vec::new();
    let owned = |s: Step<'_>| match s {
        Step::Key(k) => k.to_owned(),
        Step::Index(i) => i.to_string(),
    };
    each_child(node, kind, &mut |a, b, _, k| {
        out.push((std::iter::once(a).chain(b).map(owned).collect(), k));
    });
    out
}

/// The kind of object at `tokens` under `root` (a document root), when the walk reaches it.
pub(crate) fn kind_at(root: &Value, tokens: &[String]) -> Option<Kind> {
    let (mut node, mut kind, mut rest) = (root, Kind::Root, tokens);
    while !rest.is_empty() {
        let (steps, k) = children(node, kind)
            .into_iter()
            .find(|(steps, _)| rest.starts_with(steps))?;
        node = crate::load::pointer::get(node, &steps)?;
        kind = k;
        rest = &rest[steps.len()..];
    }
    Some(kind)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn operation_children() {
        let op = json!({
            "parameters": [{"name": "a"}],
            "requestBody": {"content": {}},
            "responses": {"200": {}, "x-ext": {}},
        });
        let kids = children(&op, Kind::Operation);
        assert_eq!(kids.len(), 3);
        assert_eq!(
            kids[2],
            (
                vec!["responses".to_owned(), "200".to_owned()],
                Kind::Response
            )
        );
    }

    #[test]
    fn schema_children_skip_flags() {
        let s = json!({"additionalProperties": false, "items": {"type": "string"}, "not": true});
        assert_eq!(children(&s, Kind::Schema).len(), 2);
        let s = json!({"items": [{}, {}], "additionalProperties": {}});
        assert_eq!(children(&s, Kind::Schema).len(), 3);
    }

    #[test]
    fn pointers() {
        let mut p = String::new();
        push_steps(&mut p, Step::Key("paths"), Some(Step::Key("/a/{b}~")));
        push_steps(&mut p, Step::Key("parameters"), Some(Step::Index(0)));
        assert_eq!(p, "/paths/~1a~1{b}~0/parameters/0");
    }
}
