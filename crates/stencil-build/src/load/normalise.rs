//! OpenAPI 3.1 → the 3.0 model `openapiv3` reads, on `serde_json::Value`, losing no meaning:
//! 3.1 keywords without a 3.0 equivalent are kept in `x-stencil-*` extensions (see
//! `ext`). The same rules also make common 3.0 mistakes parse (numeric
//! `exclusiveMinimum`, `minimum: 1.0` on integers, `$ref` with siblings, ...). Every rule is
//! idempotent, and applies to every schema position (found by [`walk`](super::walk)).

use serde_json::{json, Map, Value};

use super::ext;
use super::names::{last_meaningful, sanitize};
use super::pointer::{self, Tokens};
use super::source::Locator;
use super::walk::{each_child_mut, push_steps, push_token, Kind};
use crate::diag::Diagnostic;

type Object = Map<String, Value>;

mod objects;
mod types;
pub(crate) use objects::objects;
use types::{null_branches, types};

/// Root-level changes, made before bundling.
pub(crate) fn root(doc: &mut Value, v31: bool, warnings: &mut Vec<Diagnostic>) {
    let Value::Object(m) = doc else { return };
    if matches!(m.get("paths"), None | Some(Value::Null)) {
        m.insert("paths".to_owned(), json!({}));
    }
    // `webhooks` travel as `x-stencil-webhooks` (see `objects`); the IR reads them.
    m.shift_remove("jsonSchemaDialect");
    absolute_paths(m, warnings);
    info(m, warnings);
    if let Some(Value::Object(license)) = m.get_mut("info").and_then(|i| i.get_mut("license")) {
        license.shift_remove("identifier");
    }
    if v31 {
        m.insert("openapi".to_owned(), json!("3.0.3"));
    }
}

/// Keys under `paths` that do not start with `/` (openapiv3 drops them silently) get one, with
/// a warning; `x-` keys are extensions. A key that would then collide stays dropped, warned.
fn absolute_paths(m: &mut Object, warnings: &mut Vec<Diagnostic>) {
    let Some(Value::Object(paths)) = m.get_mut("paths") else {
        return;
    };
    if paths
        .keys()
        .all(|k| k.starts_with('/') || k.starts_with("x-"))
    {
        return;
    }
    let entries = std::mem::take(paths);
    let taken: std::collections::HashSet<String> = entries.keys().cloned().collect();
    for (key, item) in entries {
        if key.starts_with('/') || key.starts_with("x-") {
            paths.insert(key, item);
            continue;
        }
        let pointer = crate::diag::join("/paths", &key);
        let fixed = format!("/{key}");
        if taken.contains(&fixed) {
            warnings.push(
                Diagnostic::warning(
                    pointer,
                    format!("the path `{key}` does not start with `/`, and `{fixed}` exists; it is not generated"),
                )
                .with_hint("start every key under `paths` with `/`"),
            );
            continue;
        }
        warnings.push(
            Diagnostic::warning(
                pointer,
                format!("the path `{key}` does not start with `/`; it is served as `{fixed}`"),
            )
            .with_hint("start every key under `paths` with `/`"),
        );
        paths.insert(fixed, item);
    }
}

/// `info` with a string `title` and `version`: missing or mistyped ones are filled in (with a
/// warning) rather than rejecting the document, since generated code only uses them in docs.
fn info(m: &mut Object, warnings: &mut Vec<Diagnostic>) {
    if !matches!(m.get("info"), Some(Value::Object(_))) {
        warnings.push(
            Diagnostic::warning("/info", "missing or invalid `info`: using an empty one")
                .with_hint("add `info:` with `title` and `version`"),
        );
        m.insert("info".to_owned(), json!({}));
    }
    let Some(Value::Object(info)) = m.get_mut("info") else {
        return;
    };
    for (key, fallback) in [("title", "API"), ("version", "0.0.0")] {
        let fixed = match info.get(key) {
            Some(Value::String(_)) => continue,
            Some(Value::Number(n)) => n.to_string(),
            Some(Value::Bool(b)) => b.to_string(),
            _ => {
                warnings.push(
                    Diagnostic::warning(
                        "/info",
                        format!("missing `info.{key}`: using `{fallback}`"),
                    )
                    .with_hint(format!("add `{key}:` (a string) to `info`")),
                );
                fallback.to_owned()
            }
        };
        info.insert(key.to_owned(), Value::String(fixed));
    }
}

/// A `$defs` entry to move into `components/schemas`.
struct Hoist {
    base: String,
    /// Its pointer in the bundled document.
    from: String,
    value: Value,
}

/// Normalise every schema of the (bundled) document.
pub(crate) fn schemas(doc: &mut Value, locator: &mut Locator) {
    let mut hoisted = Vec::new();
    visit(doc, Kind::Root, &mut String::new(), &mut hoisted);
    while !hoisted.is_empty() {
        for h in std::mem::take(&mut hoisted) {
            let dest = hoist(doc, &h.base, h.value);
            let mut path = pointer::render(&dest);
            let (file, src) = locator.origin(&h.from);
            locator.relocate(path.clone(), file, src);
            if let Some(node) = pointer::get_mut(doc, &dest) {
                visit(node, Kind::Schema, &mut path, &mut hoisted);
            }
        }
    }
}

/// Normalise the schemas under `node` (of kind `kind`, at `path`), parents before children.
fn visit(node: &mut Value, kind: Kind, path: &mut String, hoisted: &mut Vec<Hoist>) {
    if kind == Kind::Schema {
        schema(node, path, hoisted);
    }
    each_child_mut(node, kind, &mut |a, b, child, k| {
        let len = path.len();
        push_steps(path, a, b);
        visit(child, k, path, hoisted);
        path.truncate(len);
    });
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
fn schema(v: &mut Value, ptr: &str, hoisted: &mut Vec<Hoist>) {
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
fn hoist_defs(m: &mut Object, ptr: &str, out: &mut Vec<Hoist>) {
    for key in ["$defs", "definitions"] {
        if !matches!(m.get(key), Some(Value::Object(_))) {
            continue;
        }
        let Some(Value::Object(defs)) = m.shift_remove(key) else {
            continue;
        };
        let tokens = pointer::parse(ptr).unwrap_or_default();
        let parent = if tokens.len() >= 3 && tokens[0] == "components" && tokens[1] == "schemas" {
            tokens[2].clone()
        } else {
            last_meaningful(&tokens).unwrap_or("Schema").to_owned()
        };
        for (name, def) in defs {
            let stub = matches!(&def, Value::Object(o) if o.len() == 1
                && o.get("$ref").and_then(Value::as_str)
                    .is_some_and(|r| r.starts_with("#/components/schemas/")));
            if !stub {
                let mut from = ptr.to_owned();
                push_token(&mut from, key);
                push_token(&mut from, &name);
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
        schema(&mut v, "", &mut hoisted);
        v
    }

    #[test]
    fn bounds() {
        assert_eq!(
            norm(json!({"type": "integer", "exclusiveMinimum": 0, "maximum": 9.5})),
            json!({"type": "integer", "exclusiveMinimum": true, "maximum": 9, "minimum": 0})
        );
    }
}
