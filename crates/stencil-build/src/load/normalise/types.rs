//! Types: `type` lists (`[T, 'null']`, several types → `anyOf`), `type: 'null'`, and
//! `anyOf`/`oneOf` null branches → `nullable`.

use serde_json::{json, Value};

/// A JSON object (as the normaliser's parent module names it).
type Object = serde_json::Map<String, serde_json::Value>;
use crate::load::ext;

/// Keys a `{type: 'null'}` branch may carry and still be only "null".
const NULL_BRANCH_KEYS: &[&str] = &[
    "type",
    "const",
    "enum",
    "nullable",
    "title",
    "description",
    "default",
    "example",
    "examples",
    "deprecated",
    "readOnly",
    "writeOnly",
    "$comment",
];

fn is_null_schema(b: &Value) -> bool {
    let Value::Object(o) = b else { return false };
    let null = match o.get("type") {
        Some(Value::String(t)) => t == "null",
        Some(Value::Array(a)) => a.len() == 1 && a[0] == "null",
        _ => false,
    } || o.get("const") == Some(&Value::Null)
        || o.get("enum") == Some(&json!([null]));
    null && o
        .keys()
        .all(|k| NULL_BRANCH_KEYS.contains(&k.as_str()) || k.starts_with("x-"))
}

/// `anyOf`/`oneOf` with a `{type: 'null'}` branch → the branch removed, `nullable: true`.
pub(super) fn null_branches(m: &mut Object) {
    let mut nullable = false;
    let mut emptied = false;
    for key in ["anyOf", "oneOf"] {
        let Some(Value::Array(list)) = m.get_mut(key) else {
            continue;
        };
        let before = list.len();
        list.retain(|b| !is_null_schema(b));
        if list.len() < before {
            nullable = true;
            if list.is_empty() {
                m.shift_remove(key);
                emptied = true;
            }
        }
    }
    if nullable {
        m.insert("nullable".to_owned(), json!(true));
        let structure = [
            "type",
            "allOf",
            "anyOf",
            "oneOf",
            "not",
            "properties",
            "items",
            "enum",
        ];
        if emptied && !structure.iter().any(|k| m.contains_key(*k)) {
            m.insert(ext::NULL_TYPE.to_owned(), json!(true));
        }
    }
}

const STRING_KEYS: &[&str] = &[
    "minLength",
    "maxLength",
    "pattern",
    "contentEncoding",
    "contentSchema",
    ext::CONTENT_MEDIA_TYPE,
];
const NUMBER_KEYS: &[&str] = &[
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
];
const OBJECT_KEYS: &[&str] = &[
    "properties",
    "required",
    "additionalProperties",
    "patternProperties",
    "minProperties",
    "maxProperties",
    "propertyNames",
    "dependentRequired",
    "dependentSchemas",
    "unevaluatedProperties",
];
const ARRAY_KEYS: &[&str] = &[
    "items",
    ext::PREFIX_ITEMS,
    "minItems",
    "maxItems",
    "uniqueItems",
    "contains",
    "minContains",
    "maxContains",
    "unevaluatedItems",
];
const NUMERIC_FORMATS: &[&str] = &[
    "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64", "float", "double",
    "decimal",
];

fn keys_for(t: &str) -> &'static [&'static str] {
    match t {
        "string" => STRING_KEYS,
        "integer" | "number" => NUMBER_KEYS,
        "object" => OBJECT_KEYS,
        "array" => ARRAY_KEYS,
        _ => &[],
    }
}

fn matches_type(v: &Value, t: &str) -> bool {
    match t {
        "string" => v.is_string(),
        "boolean" => v.is_boolean(),
        "integer" => v.is_i64() || v.is_u64() || v.as_f64().is_some_and(|f| f.fract() == 0.0),
        "number" => v.is_number(),
        "object" => v.is_object(),
        "array" => v.is_array(),
        _ => false,
    }
}

/// `type: [T, 'null']` → `type: T, nullable: true`; several types → `anyOf`; `type: 'null'`
/// → `nullable` and `x-stencil-null`.
pub(super) fn types(m: &mut Object) {
    match m.get("type") {
        Some(Value::Array(list)) => {
            let mut names: Vec<String> = Vec::new();
            let mut null = false;
            for t in list.iter().filter_map(Value::as_str) {
                if t == "null" {
                    null = true;
                } else if !names.iter().any(|n| n == t) {
                    names.push(t.to_owned());
                }
            }
            if null {
                m.insert("nullable".to_owned(), json!(true));
            }
            match names.len() {
                0 => {
                    m.shift_remove("type");
                    if null {
                        m.insert(ext::NULL_TYPE.to_owned(), json!(true));
                    }
                }
                1 => {
                    m.insert("type".to_owned(), json!(names[0]));
                }
                _ => split(m, &names, null),
            }
        }
        Some(Value::String(t)) if t == "null" => {
            m.shift_remove("type");
            m.insert("nullable".to_owned(), json!(true));
            m.insert(ext::NULL_TYPE.to_owned(), json!(true));
        }
        _ => {}
    }
}

/// Several types → `anyOf` with one branch per type, each with the keywords (and `enum`
/// values, and `format`) that apply to it. Annotations stay on the parent.
fn split(m: &mut Object, names: &[String], nullable: bool) {
    m.shift_remove("type");
    let values = match m.shift_remove("enum") {
        Some(Value::Array(v)) => Some(v),
        Some(other) => {
            m.insert("enum".to_owned(), other);
            None
        }
        None => None,
    };
    let format = m.get("format").and_then(Value::as_str).map(str::to_owned);
    let numeric = format
        .as_deref()
        .is_some_and(|f| NUMERIC_FORMATS.contains(&f));
    let home = |t: &str| {
        format.is_some()
            && if numeric {
                t == "integer" || t == "number"
            } else {
                t == "string"
            }
    };
    let format_placed = names.iter().any(|t| home(t));
    let mut branches = Vec::new();
    for t in names {
        let mut b = Object::new();
        b.insert("type".to_owned(), json!(t));
        if home(t) {
            b.insert("format".to_owned(), json!(format));
        }
        for key in keys_for(t) {
            if let Some(v) = m.get(*key) {
                b.insert((*key).to_owned(), v.clone());
            }
        }
        if let Some(values) = &values {
            let mine: Vec<Value> = values
                .iter()
                .filter(|v| matches_type(v, t))
                .cloned()
                .collect();
            if mine.is_empty() {
                continue;
            }
            b.insert("enum".to_owned(), Value::Array(mine));
        }
        branches.push(Value::Object(b));
    }
    for t in names {
        for key in keys_for(t) {
            m.shift_remove(*key);
        }
    }
    if format_placed {
        m.shift_remove("format");
    }
    match branches.len() {
        0 => {
            if nullable {
                m.insert(ext::NULL_TYPE.to_owned(), json!(true));
            } else {
                m.insert("not".to_owned(), json!({}));
            }
        }
        1 => {
            if let Some(Value::Object(b)) = branches.pop() {
                m.extend(b);
            }
        }
        _ => {
            if !m.contains_key("anyOf") {
                m.insert("anyOf".to_owned(), Value::Array(branches));
            } else if let Some(Value::Array(all_of)) = m.get_mut("allOf") {
                all_of.push(json!({ "anyOf": branches }));
            } else {
                m.insert("allOf".to_owned(), json!([{ "anyOf": branches }]));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn norm(v: Value) -> Value {
        let mut v = v;
        if let Value::Object(m) = &mut v {
            null_branches(m);
            types(m);
        }
        v
    }

    #[test]
    fn type_arrays() {
        assert_eq!(
            norm(json!({"type": ["string", "null"]})),
            json!({"type": "string", "nullable": true})
        );
        let v = norm(
            json!({"type": ["string", "integer"], "minLength": 1, "minimum": 0, "enum": ["a", 1]}),
        );
        assert_eq!(
            v,
            json!({"anyOf": [
                {"type": "string", "minLength": 1, "enum": ["a"]},
                {"type": "integer", "minimum": 0, "enum": [1]},
            ]})
        );
        assert_eq!(
            norm(json!({"type": ["integer", "string"], "enum": [1]})),
            json!({"type": "integer", "enum": [1]})
        );
    }

    #[test]
    fn null_branches_only_when_only_null() {
        let v =
            norm(json!({"anyOf": [{"type": "string"}, {"type": "null", "description": "none"}]}));
        assert_eq!(v, json!({"anyOf": [{"type": "string"}], "nullable": true}));
        let kept = json!({"anyOf": [{"type": "string"}, {"type": "null", "properties": {}}]});
        assert_eq!(norm(kept.clone()), kept);
    }
}
