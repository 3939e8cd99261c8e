//! Where things are in an OpenAPI document: the kind of object at each position and the
//! positions of its children. The bundler and the normaliser both walk documents with it, so
//! `$ref`s in examples or extensions are never touched and every schema position is found.

use serde_json::Value;

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
            _ => return None,
        })
    }

    /// Whether an object of this kind may be a Reference Object (`{$ref: ...}`).
    pub(crate) fn allows_ref(self) -> bool {
        self.section().is_some() || self == Kind::PathItem
    }
}

/// A child position: the tokens from the parent to the child, and the child's kind.
pub(crate) type Child = (Vec<String>, Kind);

/// The children of `node` (of kind `kind`) that are OpenAPI objects, in document order.
pub(crate) fn children(node: &Value, kind: Kind) -> Vec<Child> {
    let mut out = Vec::new();
    let Value::Object(m) = node else { return out };
    match kind {
        Kind::Root => {
            entries(m, "paths", Kind::PathItem, true, &mut out);
            entries(m, "webhooks", Kind::PathItem, true, &mut out);
            if m.get("components").is_some_and(Value::is_object) {
                out.push((vec!["components".to_owned()], Kind::Components));
            }
        }
        Kind::Components => {
            entries(m, "schemas", Kind::Schema, false, &mut out);
            entries(m, "responses", Kind::Response, false, &mut out);
            entries(m, "parameters", Kind::Parameter, false, &mut out);
            entries(m, "examples", Kind::Example, false, &mut out);
            entries(m, "requestBodies", Kind::RequestBody, false, &mut out);
            entries(m, "headers", Kind::Header, false, &mut out);
            entries(m, "securitySchemes", Kind::SecurityScheme, false, &mut out);
            entries(m, "links", Kind::Link, false, &mut out);
            entries(m, "callbacks", Kind::Callback, false, &mut out);
        }
        Kind::PathItem => {
            items(m.get("parameters"), "parameters", Kind::Parameter, &mut out);
            for method in METHODS {
                if m.get(*method).is_some_and(Value::is_object) {
                    out.push((vec![(*method).to_owned()], Kind::Operation));
                }
            }
        }
        Kind::Operation => {
            items(m.get("parameters"), "parameters", Kind::Parameter, &mut out);
            if m.contains_key("requestBody") {
                out.push((vec!["requestBody".to_owned()], Kind::RequestBody));
            }
            entries(m, "responses", Kind::Response, true, &mut out);
            entries(m, "callbacks", Kind::Callback, false, &mut out);
        }
        Kind::Callback => {
            for k in m.keys() {
                if !k.starts_with("x-") && k != "$ref" {
                    out.push((vec![k.clone()], Kind::PathItem));
                }
            }
        }
        Kind::Parameter | Kind::Header => {
            if m.contains_key("schema") {
                out.push((vec!["schema".to_owned()], Kind::Schema));
            }
            entries(m, "content", Kind::MediaType, false, &mut out);
            entries(m, "examples", Kind::Example, false, &mut out);
        }
        Kind::RequestBody => entries(m, "content", Kind::MediaType, false, &mut out),
        Kind::Response => {
            entries(m, "headers", Kind::Header, false, &mut out);
            entries(m, "content", Kind::MediaType, false, &mut out);
            entries(m, "links", Kind::Link, false, &mut out);
        }
        Kind::MediaType => {
            if m.contains_key("schema") {
                out.push((vec!["schema".to_owned()], Kind::Schema));
            }
            entries(m, "examples", Kind::Example, false, &mut out);
            entries(m, "encoding", Kind::Encoding, false, &mut out);
        }
        Kind::Encoding => entries(m, "headers", Kind::Header, false, &mut out),
        Kind::Schema => schema_children(m, &mut out),
        Kind::Example | Kind::Link | Kind::SecurityScheme => {}
    }
    out
}

fn entries(
    m: &serde_json::Map<String, Value>,
    key: &str,
    kind: Kind,
    skip_ext: bool,
    out: &mut Vec<Child>,
) {
    if let Some(Value::Object(items)) = m.get(key) {
        for k in items.keys() {
            if !(skip_ext && k.starts_with("x-")) {
                out.push((vec![key.to_owned(), k.clone()], kind));
            }
        }
    }
}

fn items(list: Option<&Value>, key: &str, kind: Kind, out: &mut Vec<Child>) {
    if let Some(Value::Array(list)) = list {
        for i in 0..list.len() {
            out.push((vec![key.to_owned(), i.to_string()], kind));
        }
    }
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
/// Keywords whose value is a schema, or a boolean that is not a schema position for
/// `openapiv3` (`additionalProperties: false` stays a boolean).
const SCHEMA_OR_FLAG: &[&str] = &[
    "additionalProperties",
    "unevaluatedProperties",
    "additionalItems",
    "unevaluatedItems",
];

fn schema_children(m: &serde_json::Map<String, Value>, out: &mut Vec<Child>) {
    for (key, value) in m {
        let key = key.as_str();
        if SCHEMA_MAPS.contains(&key) {
            if let Value::Object(entries) = value {
                for k in entries.keys() {
                    out.push((vec![key.to_owned(), k.clone()], Kind::Schema));
                }
            }
        } else if SCHEMA_LISTS.contains(&key) {
            items(Some(value), key, Kind::Schema, out);
        } else if SCHEMA_SINGLES.contains(&key) {
            if value.is_object() || value.is_boolean() {
                out.push((vec![key.to_owned()], Kind::Schema));
            }
        } else if key == "items" {
            match value {
                Value::Array(_) => items(Some(value), key, Kind::Schema, out),
                Value::Object(_) => out.push((vec![key.to_owned()], Kind::Schema)),
                _ => {}
            }
        } else if SCHEMA_OR_FLAG.contains(&key) && value.is_object() {
            out.push((vec![key.to_owned()], Kind::Schema));
        }
    }
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
        let kids = children(&s, Kind::Schema);
        assert_eq!(kids.len(), 2);
    }
}
