//! Serialising parameter values to the wire, per OpenAPI style.
//!
//! Values are first serialised with serde to a [`serde_json::Value`], so everything the types
//! module generates (enums with renamed values, newtypes, dates, uuids, structs with renamed
//! fields, `Option`s) is rendered the way its JSON form reads: `Species::RedPanda` is
//! `red_panda`, a `NaiveDate` is `2024-03-26`, a `DateTime<Utc>` is RFC 3339.

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use serde_json::Value;

/// An OpenAPI parameter `style`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    /// Path and header parameters: `v`, `a,b`.
    Simple,
    /// Path: `.v`, `.a.b`.
    Label,
    /// Path: `;name=v`.
    Matrix,
    /// Query and cookie parameters: `name=v`, `name=a&name=b` or `name=a,b`.
    Form,
    /// Query: `name=a%20b`.
    SpaceDelimited,
    /// Query: `name=a|b`.
    PipeDelimited,
    /// Query: `name[key]=v`.
    DeepObject,
}

/// Everything outside RFC 3986 `unreserved` (`A-Z a-z 0-9 - . _ ~`) is percent-encoded.
const UNRESERVED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// `application/x-www-form-urlencoded` (WHATWG): `*-._` and alphanumerics kept, space as `+`.
const FORM: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'*')
    .remove(b'-')
    .remove(b'.')
    .remove(b'_');

/// Cookie values: RFC 6265 `cookie-octet` minus `%` (so the encoding is reversible).
const COOKIE: &AsciiSet = &percent_encoding::CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b',')
    .add(b';')
    .add(b'\\')
    .add(b'%');

pub(crate) fn pct(s: &str) -> String {
    utf8_percent_encode(s, UNRESERVED).to_string()
}

pub(crate) fn form_pct(s: &str) -> String {
    s.split(' ')
        .map(|w| utf8_percent_encode(w, FORM).to_string())
        .collect::<Vec<_>>()
        .join("+")
}

pub(crate) fn cookie_pct(s: &str) -> String {
    utf8_percent_encode(s, COOKIE).to_string()
}

/// A scalar as its text on the wire: strings as-is, numbers and booleans as JSON writes them.
/// Arrays and objects nested where the style has no room for them are written as JSON text.
/// `None` for `null`.
pub(crate) fn scalar(v: &Value) -> Option<String> {
    match v {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Number(n) => Some(n.to_string()),
        Value::Array(_) | Value::Object(_) => Some(v.to_string()),
    }
}

/// The items of an array or the `(key, value)` pairs of an object, skipping nulls.
enum Shape<'v> {
    Scalar(String),
    Array(Vec<String>),
    Object(Vec<(&'v str, String)>),
}

fn shape(v: &Value) -> Option<Shape<'_>> {
    match v {
        Value::Null => None,
        Value::Array(items) => Some(Shape::Array(items.iter().filter_map(scalar).collect())),
        Value::Object(map) => Some(Shape::Object(
            map.iter()
                .filter_map(|(k, v)| Some((k.as_str(), scalar(v)?)))
                .collect(),
        )),
        other => scalar(other).map(Shape::Scalar),
    }
}

/// `simple` (path and header parameters), before any escaping: items joined with `,`, object
/// members as `k,v` (or `k=v` when exploded). `escape` is applied to each name and value.
pub(crate) fn simple(v: &Value, explode: bool, escape: fn(&str) -> String) -> Option<String> {
    Some(match shape(v)? {
        Shape::Scalar(s) => escape(&s),
        Shape::Array(items) => items
            .iter()
            .map(|s| escape(s))
            .collect::<Vec<_>>()
            .join(","),
        Shape::Object(members) => members
            .iter()
            .map(|(k, v)| {
                if explode {
                    format!("{}={}", escape(k), escape(v))
                } else {
                    format!("{},{}", escape(k), escape(v))
                }
            })
            .collect::<Vec<_>>()
            .join(","),
    })
}

/// `label` path style: `.v`, `.a.b` (exploded) or `.a,b`.
pub(crate) fn label(v: &Value, explode: bool) -> Option<String> {
    let sep = if explode { "." } else { "," };
    Some(match shape(v)? {
        Shape::Scalar(s) => format!(".{}", pct(&s)),
        Shape::Array(items) => format!(
            ".{}",
            items.iter().map(|s| pct(s)).collect::<Vec<_>>().join(sep)
        ),
        Shape::Object(members) => {
            let parts: Vec<String> = members
                .iter()
                .map(|(k, v)| {
                    if explode {
                        format!("{}={}", pct(k), pct(v))
                    } else {
                        format!("{},{}", pct(k), pct(v))
                    }
                })
                .collect();
            format!(".{}", parts.join(sep))
        }
    })
}

/// `matrix` path style: `;name=v`, `;name=a;name=b` (exploded) or `;name=a,b`.
pub(crate) fn matrix(name: &str, v: &Value, explode: bool) -> Option<String> {
    let name = pct(name);
    Some(match shape(v)? {
        Shape::Scalar(s) => format!(";{name}={}", pct(&s)),
        Shape::Array(items) if explode => items
            .iter()
            .map(|s| format!(";{name}={}", pct(s)))
            .collect(),
        Shape::Array(items) => format!(
            ";{name}={}",
            items.iter().map(|s| pct(s)).collect::<Vec<_>>().join(",")
        ),
        Shape::Object(members) if explode => members
            .iter()
            .map(|(k, v)| format!(";{}={}", pct(k), pct(v)))
            .collect(),
        Shape::Object(members) => format!(
            ";{name}={}",
            members
                .iter()
                .map(|(k, v)| format!("{},{}", pct(k), pct(v)))
                .collect::<Vec<_>>()
                .join(",")
        ),
    })
}

/// Query pairs for `form`, `spaceDelimited`, `pipeDelimited` and `deepObject`, already
/// percent-encoded (delimiters `,` `|` `[` `]` are written as-is, `%20` for spaces).
pub(crate) fn query(out: &mut Vec<String>, name: &str, v: &Value, style: Style, explode: bool) {
    let ename = pct(name);
    if style == Style::DeepObject {
        deep_object(out, &ename, v);
        return;
    }
    let delimiter = match style {
        Style::SpaceDelimited => "%20",
        Style::PipeDelimited => "|",
        _ => ",",
    };
    match shape(v) {
        None => {}
        Some(Shape::Scalar(s)) => out.push(format!("{ename}={}", pct(&s))),
        Some(Shape::Array(items)) => {
            if items.is_empty() {
                // OpenAPI writes `name=` for an empty array, which servers read as `[""]`;
                // sending nothing is the empty list for every server framework.
            } else if explode {
                out.extend(items.iter().map(|s| format!("{ename}={}", pct(s))));
            } else {
                out.push(format!(
                    "{ename}={}",
                    items
                        .iter()
                        .map(|s| pct(s))
                        .collect::<Vec<_>>()
                        .join(delimiter)
                ));
            }
        }
        Some(Shape::Object(members)) => {
            if explode {
                out.extend(
                    members
                        .iter()
                        .map(|(k, v)| format!("{}={}", pct(k), pct(v))),
                );
            } else if !members.is_empty() {
                let flat: Vec<String> =
                    members.iter().flat_map(|(k, v)| [pct(k), pct(v)]).collect();
                out.push(format!("{ename}={}", flat.join(delimiter)));
            }
        }
    }
}

/// `deepObject`: `name[key]=value`, nested objects as `name[a][b]=v`, arrays as repeated keys.
fn deep_object(out: &mut Vec<String>, prefix: &str, v: &Value) {
    match v {
        Value::Null => {}
        Value::Object(map) => {
            for (k, v) in map {
                deep_object(out, &format!("{prefix}[{}]", pct(k)), v);
            }
        }
        Value::Array(items) => {
            for item in items {
                if let Some(s) = scalar(item) {
                    out.push(format!("{prefix}={}", pct(&s)));
                }
            }
        }
        other => {
            if let Some(s) = scalar(other) {
                out.push(format!("{prefix}={}", pct(&s)));
            }
        }
    }
}

/// An `application/x-www-form-urlencoded` body from a serialised object: each member a pair,
/// arrays as repeated keys (`style: form, explode: true`, the OpenAPI default), nested objects
/// as JSON text, nulls skipped.
pub(crate) fn form_body(v: &Value) -> Result<String, String> {
    let Value::Object(map) = v else {
        return Err("a form must serialise to an object".to_owned());
    };
    let mut pairs = Vec::new();
    for (k, v) in map {
        let items: Vec<&Value> = match v {
            Value::Array(items) => items.iter().collect(),
            other => vec![other],
        };
        for item in items {
            if let Some(s) = scalar(item) {
                pairs.push(format!("{}={}", form_pct(k), form_pct(&s)));
            }
        }
    }
    Ok(pairs.join("&"))
}

/// Cookie pairs: `name=value`, arrays and objects as `simple` does (`,`-joined, `form` style,
/// explode is not defined for cookies).
pub(crate) fn cookie(name: &str, v: &Value, explode: bool) -> Option<String> {
    let value = simple(v, explode, cookie_pct)?;
    Some(format!("{}={value}", cookie_pct(name)))
}
