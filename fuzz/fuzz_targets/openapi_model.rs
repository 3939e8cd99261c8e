//! Structure-aware generator fuzzing: documents built with `arbitrary` over a small model of
//! OpenAPI (schemas with `$ref` cycles and self-references, compositions, discriminators,
//! nullable and enum schemas, parameters of every location and style), then run through the
//! pipeline like `pipeline`'s bytes. Byte mutation rarely builds a valid document with a
//! self-`$ref`; this target builds nothing else.
#![no_main]

#[path = "support/generate.rs"]
mod generate;

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use serde_json::{json, Map, Value};

#[derive(Arbitrary, Debug)]
struct Doc {
    openapi_31: bool,
    schemas: Vec<Kind>,
    operations: Vec<Op>,
}

#[derive(Arbitrary, Debug)]
enum Kind {
    /// `$ref` to component schema `n % count` (itself, a cycle, or a missing one).
    Ref(u8),
    Str(u8),
    Int(u8, Option<i64>, Option<i64>),
    Number,
    Bool,
    Enum(Vec<Name>),
    Object {
        properties: Vec<(Name, Kind)>,
        required: Vec<Name>,
        additional: Option<Box<Kind>>,
    },
    Array(Box<Kind>),
    Map(Box<Kind>),
    AllOf(Vec<Kind>),
    OneOf {
        variants: Vec<Kind>,
        discriminator: Option<Name>,
    },
    AnyOf(Vec<Kind>),
    Nullable(Box<Kind>),
    Const(Name),
    Empty,
}

#[derive(Arbitrary, Debug)]
struct Op {
    method: u8,
    segments: Vec<Name>,
    params: Vec<Param>,
    body: Option<(u8, Kind)>,
    responses: Vec<(u16, Option<Kind>)>,
}

#[derive(Arbitrary, Debug)]
struct Param {
    name: Name,
    location: u8,
    style: u8,
    explode: Option<bool>,
    required: bool,
    schema: Kind,
}

/// A name from a pool of awkward ones, or any text.
#[derive(Arbitrary, Debug)]
enum Name {
    Pool(u8),
    Any(String),
}

const NAMES: &[&str] = &[
    "id",
    "type",
    "self",
    "Self",
    "super",
    "crate",
    "name",
    "a-b",
    "a_b",
    "aB",
    "AB",
    "123",
    "",
    " ",
    "r#type",
    "Ünïcode",
    "kind",
    "value",
    "default",
    "box",
    "Option",
    "Vec",
    "String",
    "$ref",
    "x-y",
    "@type",
    "gen",
    "async",
    "match",
    "None",
];
const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];
const LOCATIONS: &[&str] = &["path", "query", "header", "cookie"];
const STYLES: &[&str] = &[
    "form",
    "simple",
    "label",
    "matrix",
    "spaceDelimited",
    "pipeDelimited",
    "deepObject",
];
const FORMATS: &[&str] = &[
    "",
    "date",
    "date-time",
    "uuid",
    "byte",
    "binary",
    "password",
    "email",
    "uri",
    "int32",
];
const INT_FORMATS: &[&str] = &["", "int32", "int64", "uint8", "int8", "uint64", "weird"];
const MEDIA: &[&str] = &[
    "application/json",
    "application/x-www-form-urlencoded",
    "multipart/form-data",
    "text/plain",
    "application/octet-stream",
    "application/merge-patch+json",
];

impl Name {
    fn text(&self) -> String {
        match self {
            Name::Pool(i) => NAMES[usize::from(*i) % NAMES.len()].to_owned(),
            Name::Any(s) => s.chars().take(24).collect(),
        }
    }
}

struct Ctx {
    count: usize,
    openapi_31: bool,
}

fn schema(kind: &Kind, ctx: &Ctx, depth: usize) -> Value {
    if depth > 6 {
        return json!({"type": "string"});
    }
    let sub = |k: &Kind| schema(k, ctx, depth + 1);
    let list = |ks: &[Kind]| Value::Array(ks.iter().take(6).map(|k| sub(k)).collect());
    match kind {
        Kind::Ref(n) => {
            // One past the end sometimes: a dangling reference.
            let target = usize::from(*n) % (ctx.count + 1);
            json!({"$ref": format!("#/components/schemas/S{target}")})
        }
        Kind::Str(f) => {
            let format = FORMATS[usize::from(*f) % FORMATS.len()];
            if format.is_empty() {
                json!({"type": "string"})
            } else {
                json!({"type": "string", "format": format})
            }
        }
        Kind::Int(f, min, max) => {
            let mut s = Map::new();
            s.insert("type".into(), "integer".into());
            let format = INT_FORMATS[usize::from(*f) % INT_FORMATS.len()];
            if !format.is_empty() {
                s.insert("format".into(), format.into());
            }
            if let Some(m) = min {
                s.insert("minimum".into(), (*m).into());
            }
            if let Some(m) = max {
                s.insert("maximum".into(), (*m).into());
            }
            Value::Object(s)
        }
        Kind::Number => json!({"type": "number"}),
        Kind::Bool => json!({"type": "boolean"}),
        Kind::Enum(names) => {
            let values: Vec<String> = names.iter().take(8).map(Name::text).collect();
            json!({"type": "string", "enum": values})
        }
        Kind::Object {
            properties,
            required,
            additional,
        } => {
            let props: Map<String, Value> = properties
                .iter()
                .take(8)
                .map(|(n, k)| (n.text(), sub(k)))
                .collect();
            let mut s = json!({"type": "object", "properties": props});
            let required: Vec<String> = required.iter().take(8).map(Name::text).collect();
            if !required.is_empty() {
                s["required"] = json!(required);
            }
            if let Some(a) = additional {
                s["additionalProperties"] = sub(a);
            }
            s
        }
        Kind::Array(items) => json!({"type": "array", "items": sub(items)}),
        Kind::Map(values) => json!({"type": "object", "additionalProperties": sub(values)}),
        Kind::AllOf(ks) => json!({"allOf": list(ks)}),
        Kind::AnyOf(ks) => json!({"anyOf": list(ks)}),
        Kind::OneOf {
            variants,
            discriminator,
        } => {
            let mut s = json!({"oneOf": list(variants)});
            if let Some(d) = discriminator {
                s["discriminator"] = json!({"propertyName": d.text()});
            }
            s
        }
        Kind::Nullable(k) => {
            let inner = sub(k);
            if ctx.openapi_31 {
                json!({"anyOf": [inner, {"type": "null"}]})
            } else {
                let mut inner = inner;
                if let Value::Object(m) = &mut inner {
                    m.insert("nullable".into(), true.into());
                }
                inner
            }
        }
        Kind::Const(n) => json!({"const": n.text()}),
        Kind::Empty => json!({}),
    }
}

fn document(doc: &Doc) -> Value {
    let ctx = Ctx {
        count: doc.schemas.len().min(12),
        openapi_31: doc.openapi_31,
    };
    let schemas: Map<String, Value> = doc
        .schemas
        .iter()
        .take(12)
        .enumerate()
        .map(|(i, k)| (format!("S{i}"), schema(k, &ctx, 0)))
        .collect();
    let mut paths = Map::new();
    for (i, op) in doc.operations.iter().take(6).enumerate() {
        let mut template = format!("/p{i}");
        let mut params = Vec::new();
        for p in op.params.iter().take(8) {
            let location = LOCATIONS[usize::from(p.location) % LOCATIONS.len()];
            let name = p.name.text();
            if location == "path" {
                template.push_str(&format!("/{{{name}}}"));
            }
            let mut param = json!({
                "name": name,
                "in": location,
                "required": p.required || location == "path",
                "style": STYLES[usize::from(p.style) % STYLES.len()],
                "schema": schema(&p.schema, &ctx, 1),
            });
            if let Some(e) = p.explode {
                param["explode"] = e.into();
            }
            params.push(param);
        }
        for s in op.segments.iter().take(3) {
            template.push('/');
            template.push_str(&s.text().replace(['{', '}', '/'], ""));
        }
        let mut responses = Map::new();
        for (status, body) in op.responses.iter().take(4) {
            let mut response = json!({"description": "r"});
            if let Some(k) = body {
                response["content"] = json!({"application/json": {"schema": schema(k, &ctx, 1)}});
            }
            responses.insert((100 + status % 500).to_string(), response);
        }
        if responses.is_empty() {
            responses.insert("204".into(), json!({"description": "none"}));
        }
        let mut operation = json!({
            "operationId": format!("op{i}"),
            "parameters": params,
            "responses": responses,
        });
        if let Some((media, k)) = &op.body {
            let media = MEDIA[usize::from(*media) % MEDIA.len()];
            operation["requestBody"] = json!({"content": {media: {"schema": schema(k, &ctx, 1)}}});
        }
        let method = METHODS[usize::from(op.method) % METHODS.len()];
        let entry = paths.entry(template).or_insert_with(|| json!({}));
        entry[method] = operation;
    }
    json!({
        "openapi": if doc.openapi_31 { "3.1.0" } else { "3.0.3" },
        "info": {"title": "fuzz", "version": "1"},
        "paths": paths,
        "components": {"schemas": schemas},
    })
}

fuzz_target!(|doc: Doc| {
    generate::generate(&document(&doc).to_string());
});
