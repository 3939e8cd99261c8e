//! OpenAPI 3.1 → the 3.0 model `openapiv3` reads, on `serde_json::Value`, losing no meaning:
//! 3.1 keywords without a 3.0 equivalent are kept in `x-stencil-*` extensions (see
//! [`ext`](super::ext)). The same rules also make common 3.0 mistakes parse (numeric
//! `exclusiveMinimum`, `minimum: 1.0` on integers, `$ref` with siblings, ...). Every rule is
//! idempotent, and applies to every schema position (found by [`walk`](super::walk)).

use serde_json::{json, Map, Value};

use super::bundle::{last_meaningful, sanitize};
use super::ext;
use super::pointer::{self, Tokens};
use super::source::Locator;
use super::walk::{children, Kind};
use crate::diag::Diagnostic;

type Object = Map<String, Value>;

/// Root-level changes, made before bundling.
pub(crate) fn root(doc: &mut Value, v31: bool, warnings: &mut Vec<Diagnostic>) {
    let Value::Object(m) = doc else { return };
    if matches!(m.get("paths"), None | Some(Value::Null)) {
        m.insert("paths".to_owned(), json!({}));
    }
    if let Some(webhooks) = m.shift_remove("webhooks") {
        if webhooks.as_object().is_some_and(|w| !w.is_empty()) {
            warnings.push(
                Diagnostic::warning("/webhooks", "webhooks are not generated")
                    .with_hint("Stencil generates code for `paths` only; declare an operation under `paths` to get code for it"),
            );
        }
    }
    m.shift_remove("jsonSchemaDialect");
    if let Some(Value::Object(license)) = m.get_mut("info").and_then(|i| i.get_mut("license")) {
        license.shift_remove("identifier");
    }
    if v31 {
        m.insert("openapi".to_owned(), json!("3.0.3"));
    }
}

/// A `$defs` entry to move into `components/schemas`.
struct Hoist {
    base: String,
    from: Tokens,
    value: Value,
}

/// Normalise every schema of the (bundled) document.
pub(crate) fn schemas(doc: &mut Value, locator: &mut Locator) {
    let mut work: Vec<(Tokens, Kind)> = vec![(Vec::new(), Kind::Root)];
    while let Some((ptr, kind)) = work.pop() {
        let mut hoisted = Vec::new();
        let kids = {
            let Some(node) = pointer::get_mut(doc, &ptr) else {
                continue;
            };
            if kind == Kind::Schema {
                schema(node, &ptr, &mut hoisted);
            }
            children(node, kind)
        };
        for h in hoisted {
            let dest = hoist(doc, &h.base, h.value);
            let (file, src) = locator.origin(&pointer::render(&h.from));
            locator.relocate(pointer::render(&dest), file, src);
            work.push((dest, Kind::Schema));
        }
        for (rel, k) in kids.into_iter().rev() {
            let mut child = ptr.clone();
            child.extend(rel);
            work.push((child, k));
        }
    }
}

/// Store `value` under a new name in `components/schemas`; returns its pointer.
fn hoist(doc: &mut Value, base: &str, value: Value) -> Tokens {
    let base = sanitize(base);
    let taken = |name: &str| {
        pointer::get(doc, &["components".into(), "schemas".into(), name.into()]).is_some()
    };
    let mut name = base.clone();
    let mut n = 2;
    while taken(&name) {
        name = format!("{base}{n}");
        n += 1;
    }
    let dest = vec!["components".to_owned(), "schemas".to_owned(), name];
    pointer::insert(doc, &dest, value);
    dest
}

/// Normalise one schema (not its subschemas: the walk visits them after).
fn schema(v: &mut Value, ptr: &[String], hoisted: &mut Vec<Hoist>) {
    if let Value::Bool(b) = *v {
        *v = if b { json!({}) } else { json!({"not": {}}) };
        return;
    }
    let Value::Object(m) = v else { return };
    hoist_defs(m, ptr, hoisted);
    ref_siblings(m);
    if m.contains_key("$ref") {
        return;
    }
    examples(m);
    constant(m);
    content(m);
    exclusive_bounds(m);
    tuples(m);
    null_branches(m);
    types(m);
    tolerate(m);
    required_flags(m);
}

// ---------------------------------------------------------------------------------------------
// Rules

/// `$defs` / `definitions` → `components/schemas/<parent>_<name>`. Entries the bundler already
/// moved there (because something referenced them) are `$ref` stubs: dropped.
fn hoist_defs(m: &mut Object, ptr: &[String], out: &mut Vec<Hoist>) {
    for key in ["$defs", "definitions"] {
        if !matches!(m.get(key), Some(Value::Object(_))) {
            continue;
        }
        let Some(Value::Object(defs)) = m.shift_remove(key) else {
            continue;
        };
        let parent = if ptr.len() >= 3 && ptr[0] == "components" && ptr[1] == "schemas" {
            ptr[2].clone()
        } else {
            last_meaningful(ptr).unwrap_or("Schema").to_owned()
        };
        for (name, def) in defs {
            let stub = matches!(&def, Value::Object(o) if o.len() == 1
                && o.get("$ref").and_then(Value::as_str)
                    .is_some_and(|r| r.starts_with("#/components/schemas/")));
            if !stub {
                let from = pointer::join(ptr, &[key, &name]);
                out.push(Hoist {
                    base: format!("{parent}_{name}"),
                    from,
                    value: def,
                });
            }
        }
    }
}

/// `$ref` with sibling keywords → `allOf: [{$ref}]` next to the siblings.
fn ref_siblings(m: &mut Object) {
    if !m.contains_key("$ref") || m.keys().all(|k| k == "$ref" || k.starts_with("x-")) {
        return;
    }
    let Some(r) = m.shift_remove("$ref") else {
        return;
    };
    let mut all_of = vec![json!({ "$ref": r })];
    if let Some(Value::Array(rest)) = m.get_mut("allOf") {
        all_of.append(rest);
    }
    m.shift_insert(0, "allOf".to_owned(), Value::Array(all_of));
    m.insert(ext::REF_SIBLINGS.to_owned(), json!(true));
}

/// Schema `examples: [..]` → `example: <first>` and `x-stencil-examples`.
fn examples(m: &mut Object) {
    if !matches!(m.get("examples"), Some(Value::Array(_))) {
        return;
    }
    let Some(Value::Array(list)) = m.shift_remove("examples") else {
        return;
    };
    if !m.contains_key("example") {
        if let Some(first) = list.first() {
            m.insert("example".to_owned(), first.clone());
        }
    }
    m.insert(ext::EXAMPLES.to_owned(), Value::Array(list));
}

fn json_type(v: &Value) -> Option<&'static str> {
    Some(match v {
        Value::Null => return None,
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    })
}

/// `const: v` → `enum: [v]` and `x-stencil-const: v`, with a `type` inferred from `v`.
fn constant(m: &mut Object) {
    let Some(v) = m.shift_remove("const") else {
        return;
    };
    if !m.contains_key("type") {
        match json_type(&v) {
            Some(t) => {
                m.insert("type".to_owned(), json!(t));
            }
            None => {
                m.insert("nullable".to_owned(), json!(true));
                m.insert(ext::NULL_TYPE.to_owned(), json!(true));
            }
        }
    }
    m.insert("enum".to_owned(), json!([v.clone()]));
    m.insert(ext::CONST.to_owned(), v);
}

fn is_binary_media(media: &str) -> bool {
    let t = media
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    let Some((top, sub)) = t.split_once('/') else {
        return false;
    };
    match top {
        "image" | "audio" | "video" | "font" => true,
        "application" => ![
            "json",
            "xml",
            "yaml",
            "javascript",
            "x-www-form-urlencoded",
            "graphql",
            "sql",
        ]
        .iter()
        .any(|text| sub.contains(text)),
        _ => false,
    }
}

/// `contentEncoding: base64` → `format: byte`; `contentMediaType` → the extension (and
/// `format: binary` for a binary media type that is not encoded).
fn content(m: &mut Object) {
    let encoding = m
        .get("contentEncoding")
        .and_then(Value::as_str)
        .map(str::to_owned);
    if encoding
        .as_deref()
        .is_some_and(|e| e.eq_ignore_ascii_case("base64"))
    {
        m.shift_remove("contentEncoding");
        m.entry("format").or_insert_with(|| json!("byte"));
        m.entry("type").or_insert_with(|| json!("string"));
    }
    if let Some(media) = m.shift_remove("contentMediaType") {
        let binary = media.as_str().is_some_and(is_binary_media);
        if binary && encoding.is_none() {
            m.entry("format").or_insert_with(|| json!("binary"));
            m.entry("type").or_insert_with(|| json!("string"));
        }
        m.insert(ext::CONTENT_MEDIA_TYPE.to_owned(), media);
    }
}

/// Numeric `exclusiveMinimum: n` → `minimum: n, exclusiveMinimum: true` (the tighter bound
/// wins when `minimum` is also given); same for the maximum.
fn exclusive_bounds(m: &mut Object) {
    for (exclusive, bound, lower) in [
        ("exclusiveMinimum", "minimum", true),
        ("exclusiveMaximum", "maximum", false),
    ] {
        let Some(Value::Number(n)) = m.get(exclusive).cloned() else {
            continue;
        };
        let limit = n.as_f64().unwrap_or_default();
        let inclusive_is_tighter = m.get(bound).and_then(Value::as_f64).is_some_and(|b| {
            if lower {
                b > limit
            } else {
                b < limit
            }
        });
        if inclusive_is_tighter {
            m.shift_remove(exclusive);
        } else {
            m.insert(bound.to_owned(), Value::Number(n));
            m.insert(exclusive.to_owned(), json!(true));
        }
    }
}

/// `prefixItems` → `x-stencil-prefix-items`; boolean `items` dropped; draft-4 tuple `items:
/// [..]` also becomes `x-stencil-prefix-items` (with `additionalItems` as `items`).
fn tuples(m: &mut Object) {
    if matches!(m.get("prefixItems"), Some(Value::Array(_))) {
        if let Some(p) = m.shift_remove("prefixItems") {
            m.insert(ext::PREFIX_ITEMS.to_owned(), p);
        }
    }
    match m.get("items") {
        Some(Value::Bool(_)) => {
            m.shift_remove("items");
        }
        Some(Value::Array(_)) => {
            if let Some(items) = m.shift_remove("items") {
                if !m.contains_key(ext::PREFIX_ITEMS) {
                    m.insert(ext::PREFIX_ITEMS.to_owned(), items);
                }
            }
            if let Some(Value::Object(rest)) = m.shift_remove("additionalItems") {
                m.insert("items".to_owned(), Value::Object(rest));
            }
        }
        _ => {}
    }
}

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
fn null_branches(m: &mut Object) {
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
fn types(m: &mut Object) {
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

/// Keywords `openapiv3` reads as unsigned integers.
const COUNTS: &[&str] = &[
    "minLength",
    "maxLength",
    "minItems",
    "maxItems",
    "minProperties",
    "maxProperties",
];

/// Common mistakes that would make `openapiv3` reject or mis-read a schema.
fn tolerate(m: &mut Object) {
    if m.get("type").and_then(Value::as_str) == Some("file") {
        m.insert("type".to_owned(), json!("string"));
        m.entry("format").or_insert_with(|| json!("binary"));
    }
    if m.get("x-nullable") == Some(&Value::Bool(true)) && !m.contains_key("nullable") {
        m.insert("nullable".to_owned(), json!(true));
    }
    if m.get("required").is_some_and(Value::is_boolean) {
        m.shift_remove("required");
    }
    for key in COUNTS {
        if let Some(n) = m
            .get(*key)
            .and_then(Value::as_f64)
            .filter(|_| !m[*key].is_u64())
        {
            if n >= 0.0 && n.fract() == 0.0 && n < 9.0e15 {
                m.insert((*key).to_owned(), json!(n as u64));
            }
        }
    }
    match m.get("type").and_then(Value::as_str) {
        Some("integer") => integer_bounds(m),
        Some("string") => {
            if let Some(Value::Array(values)) = m.get_mut("enum") {
                for v in values.iter_mut() {
                    if v.is_number() || v.is_boolean() {
                        *v = Value::String(v.to_string());
                    }
                }
            }
        }
        _ => {}
    }
}

fn as_int(f: f64) -> Option<Value> {
    (f.fract() == 0.0 && f.abs() < 9.0e18).then(|| json!(f as i64))
}

/// Integer schemas with float bounds (`minimum: 1.0`, `maximum: 9.5`) → integer bounds.
fn integer_bounds(m: &mut Object) {
    for (key, exclusive, lower) in [
        ("minimum", "exclusiveMinimum", true),
        ("maximum", "exclusiveMaximum", false),
    ] {
        let Some(Value::Number(n)) = m.get(key) else {
            continue;
        };
        if n.is_i64() || n.is_u64() {
            continue;
        }
        let f = n.as_f64().unwrap_or_default();
        let rounded = if lower { f.ceil() } else { f.floor() };
        if let Some(v) = as_int(rounded) {
            if rounded != f {
                // `> 1.5` and `>= 1.5` are both `>= 2` on integers.
                m.shift_remove(exclusive);
            }
            m.insert(key.to_owned(), v);
        }
    }
    if let Some(Value::Number(n)) = m.get("multipleOf") {
        if let Some(v) = n.as_f64().filter(|_| !n.is_i64()).and_then(as_int) {
            m.insert("multipleOf".to_owned(), v);
        }
    }
    if let Some(Value::Array(values)) = m.get_mut("enum") {
        for v in values.iter_mut() {
            if let Some(i) = v.as_f64().filter(|_| v.is_f64()).and_then(as_int) {
                *v = i;
            }
        }
    }
}

/// `required: true` on a property (a common mistake) → the name in the parent's `required`.
fn required_flags(m: &mut Object) {
    let Some(Value::Object(props)) = m.get_mut("properties") else {
        return;
    };
    let mut names = Vec::new();
    for (name, p) in props.iter_mut() {
        if let Value::Object(po) = p {
            if let Some(Value::Bool(b)) = po.get("required").cloned() {
                po.shift_remove("required");
                if b {
                    names.push(name.clone());
                }
            }
        }
    }
    if names.is_empty() {
        return;
    }
    if let Value::Array(list) = m.entry("required").or_insert_with(|| json!([])) {
        for n in names {
            if !list.iter().any(|v| v.as_str() == Some(&n)) {
                list.push(Value::String(n));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn norm(v: Value) -> Value {
        let mut v = v;
        let mut hoisted = Vec::new();
        schema(&mut v, &[], &mut hoisted);
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
    }

    #[test]
    fn bounds() {
        assert_eq!(
            norm(json!({"type": "integer", "exclusiveMinimum": 0, "maximum": 9.5})),
            json!({"type": "integer", "exclusiveMinimum": true, "maximum": 9, "minimum": 0})
        );
    }
}
