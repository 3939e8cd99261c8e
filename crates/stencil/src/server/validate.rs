//! Validation of JSON values against [`Schema`] descriptions, collecting every violation.

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

use serde_json::Value;

use super::schema::{IntKind, Object, Rules, Schema, Union};
use super::violation::{LocSegment, Violation};

/// Nesting beyond this is not looked into (recursive schemas, hostile input).
const MAX_DEPTH: usize = 64;

/// Validate `value` against `schema`, appending a violation per failure. `loc` is the location
/// of `value` (e.g. `["body"]`).
pub fn validate(
    schema: &Schema,
    value: &Value,
    loc: &mut Vec<LocSegment>,
    out: &mut Vec<Violation>,
) {
    check(schema, value, loc, out, 0);
}

fn violation(loc: &[LocSegment], kind: &str, msg: impl Into<String>) -> Violation {
    Violation::new(loc.to_vec(), kind, msg)
}

fn check(
    schema: &Schema,
    value: &Value,
    loc: &mut Vec<LocSegment>,
    out: &mut Vec<Violation>,
    depth: usize,
) {
    if depth > MAX_DEPTH {
        return;
    }
    match schema {
        Schema::Any => {}
        Schema::Nullable(inner) => {
            if !value.is_null() {
                check(inner, value, loc, out, depth + 1);
            }
        }
        Schema::Checked(inner, rules) => {
            let before = out.len();
            check(inner, value, loc, out, depth + 1);
            if out.len() == before {
                check_rules(rules, value, loc, out);
            }
        }
        Schema::Bool => {
            if !value.is_boolean() {
                out.push(violation(
                    loc,
                    "bool_type",
                    "Input should be a valid boolean",
                ));
            }
        }
        Schema::Int(kind) => check_int(*kind, value, loc, out),
        Schema::Float => {
            if !value.is_number() {
                out.push(violation(
                    loc,
                    "float_type",
                    "Input should be a valid number",
                ));
            }
        }
        // Binary data travels as raw bytes (or multipart file parts), never checked as JSON.
        Schema::Str(Some("binary")) => {}
        Schema::Str(format) => match value.as_str() {
            None => out.push(violation(
                loc,
                "string_type",
                "Input should be a valid string",
            )),
            Some(s) => {
                if let Some(format) = format {
                    if let Some(v) = check_format(format, s, loc) {
                        out.push(v);
                    }
                }
            }
        },
        Schema::StringEnum(values) => match value.as_str() {
            Some(s) if values.contains(&s) => {}
            _ => out.push(violation(
                loc,
                "enum",
                format!(
                    "Input should be {}",
                    one_of(values.iter().map(|v| format!("'{v}'")))
                ),
            )),
        },
        Schema::IntEnum(values) => match value.as_i64() {
            Some(n) if values.contains(&n) => {}
            _ => out.push(violation(
                loc,
                "enum",
                format!(
                    "Input should be {}",
                    one_of(values.iter().map(|v| v.to_string()))
                ),
            )),
        },
        Schema::Array(items) => match value.as_array() {
            None => out.push(violation(loc, "list_type", "Input should be a valid list")),
            Some(xs) => {
                for (i, x) in xs.iter().enumerate() {
                    loc.push(LocSegment::Index(i));
                    check(items, x, loc, out, depth + 1);
                    loc.pop();
                }
            }
        },
        Schema::Tuple(items) => match value.as_array() {
            None => out.push(violation(
                loc,
                "tuple_type",
                "Input should be a valid tuple",
            )),
            Some(xs) if xs.len() != items.len() => out.push(violation(
                loc,
                "tuple_length",
                format!(
                    "Tuple should have exactly {} items, not {}",
                    items.len(),
                    xs.len()
                ),
            )),
            Some(xs) => {
                for (i, (item, x)) in items.iter().zip(xs).enumerate() {
                    loc.push(LocSegment::Index(i));
                    check(item, x, loc, out, depth + 1);
                    loc.pop();
                }
            }
        },
        Schema::Map(values) => match value.as_object() {
            None => out.push(violation(
                loc,
                "dict_type",
                "Input should be a valid dictionary",
            )),
            Some(map) => {
                for (k, v) in map {
                    loc.push(LocSegment::Key(k.clone()));
                    check(values, v, loc, out, depth + 1);
                    loc.pop();
                }
            }
        },
        Schema::Object(object) => check_object(object, None, value, loc, out, depth),
        Schema::Union(union) => check_union(union, value, loc, out, depth),
    }
}

fn check_object(
    object: &Object,
    skip: Option<&str>,
    value: &Value,
    loc: &mut Vec<LocSegment>,
    out: &mut Vec<Violation>,
    depth: usize,
) {
    let Some(map) = value.as_object() else {
        out.push(violation(
            loc,
            "model_attributes_type",
            "Input should be a valid dictionary or object to extract fields from",
        ));
        return;
    };
    for field in object.fields {
        if Some(field.name) == skip {
            continue;
        }
        loc.push(LocSegment::Key(field.name.to_owned()));
        match map.get(field.name) {
            None if field.required => out.push(Violation::missing(loc.clone())),
            None => {}
            Some(Value::Null) if field.nullable => {}
            Some(v) => check(field.schema, v, loc, out, depth + 1),
        }
        loc.pop();
    }
    if let Some(additional) = object.additional {
        for (k, v) in map {
            if object.fields.iter().any(|f| f.name == k) || Some(k.as_str()) == skip {
                continue;
            }
            loc.push(LocSegment::Key(k.clone()));
            check(additional, v, loc, out, depth + 1);
            loc.pop();
        }
    }
}

fn check_union(
    union: &Union,
    value: &Value,
    loc: &mut Vec<LocSegment>,
    out: &mut Vec<Violation>,
    depth: usize,
) {
    if let Some(tag) = union.tag {
        let Some(map) = value.as_object() else {
            out.push(violation(
                loc,
                "model_attributes_type",
                "Input should be a valid dictionary or object to extract fields from",
            ));
            return;
        };
        let expected = || {
            one_of(
                union
                    .variants
                    .iter()
                    .flat_map(|v| v.tags.iter().map(|t| format!("'{t}'"))),
            )
        };
        match map.get(tag) {
            None => {
                loc.push(LocSegment::Key(tag.to_owned()));
                out.push(Violation::missing(loc.clone()));
                loc.pop();
            }
            Some(Value::String(t)) => match union.variants.iter().find(|v| v.tags.contains(&t.as_str())) {
                Some(variant) => match variant.schema.object() {
                    Some(object) => check_object(object, Some(tag), value, loc, out, depth + 1),
                    None => check(variant.schema, value, loc, out, depth + 1),
                },
                None => out.push(violation(
                    loc,
                    "union_tag_invalid",
                    format!("Input tag '{t}' found using '{tag}' does not match any of the expected tags: {}", expected()),
                )),
            },
            Some(_) => {
                loc.push(LocSegment::Key(tag.to_owned()));
                out.push(violation(loc, "string_type", "Input should be a valid string"));
                loc.pop();
            }
        }
        return;
    }
    // Untagged: valid when a variant accepts it; otherwise report the closest variant.
    let mut best: Option<Vec<Violation>> = None;
    for variant in union.variants {
        let mut attempt = Vec::new();
        check(variant.schema, value, loc, &mut attempt, depth + 1);
        if attempt.is_empty() {
            return;
        }
        if best.as_ref().is_none_or(|b| attempt.len() < b.len()) {
            best = Some(attempt);
        }
    }
    out.extend(best.unwrap_or_default());
}

fn check_int(kind: IntKind, value: &Value, loc: &[LocSegment], out: &mut Vec<Violation>) {
    let n: Option<i128> = match value {
        Value::Number(n) => n
            .as_i64()
            .map(i128::from)
            .or_else(|| n.as_u64().map(i128::from)),
        _ => None,
    };
    match n {
        None => {
            let msg = if value.as_f64().is_some() {
                (
                    "int_from_float",
                    "Input should be a valid integer, got a number with a fractional part",
                )
            } else {
                ("int_type", "Input should be a valid integer")
            };
            out.push(violation(loc, msg.0, msg.1));
        }
        Some(n) => {
            let (min, max) = kind.bounds();
            if n < min {
                out.push(violation(
                    loc,
                    "greater_than_equal",
                    format!("Input should be greater than or equal to {min}"),
                ));
            } else if n > max {
                out.push(violation(
                    loc,
                    "less_than_equal",
                    format!("Input should be less than or equal to {max}"),
                ));
            }
        }
    }
}

fn check_rules(rules: &Rules, value: &Value, loc: &[LocSegment], out: &mut Vec<Violation>) {
    match value {
        Value::Number(n) => {
            let Some(x) = n.as_f64() else { return };
            let num = |f: f64| format_number(f);
            if let Some(min) = rules.minimum {
                if rules.exclusive_minimum && x <= min {
                    out.push(violation(
                        loc,
                        "greater_than",
                        format!("Input should be greater than {}", num(min)),
                    ));
                } else if x < min {
                    out.push(violation(
                        loc,
                        "greater_than_equal",
                        format!("Input should be greater than or equal to {}", num(min)),
                    ));
                }
            }
            if let Some(max) = rules.maximum {
                if rules.exclusive_maximum && x >= max {
                    out.push(violation(
                        loc,
                        "less_than",
                        format!("Input should be less than {}", num(max)),
                    ));
                } else if x > max {
                    out.push(violation(
                        loc,
                        "less_than_equal",
                        format!("Input should be less than or equal to {}", num(max)),
                    ));
                }
            }
            if let Some(m) = rules.multiple_of {
                if m > 0.0 {
                    let q = x / m;
                    if (q - q.round()).abs() > 1e-9 * q.abs().max(1.0) {
                        out.push(violation(
                            loc,
                            "multiple_of",
                            format!("Input should be a multiple of {}", num(m)),
                        ));
                    }
                }
            }
        }
        Value::String(s) => {
            let len = s.chars().count() as u64;
            if let Some(min) = rules.min_length {
                if len < min {
                    out.push(violation(
                        loc,
                        "string_too_short",
                        format!("String should have at least {min} character{}", plural(min)),
                    ));
                }
            }
            if let Some(max) = rules.max_length {
                if len > max {
                    out.push(violation(
                        loc,
                        "string_too_long",
                        format!("String should have at most {max} character{}", plural(max)),
                    ));
                }
            }
            if let Some(pattern) = rules.pattern {
                if !matches_pattern(pattern, s) {
                    out.push(violation(
                        loc,
                        "string_pattern_mismatch",
                        format!("String should match pattern '{pattern}'"),
                    ));
                }
            }
            if let Some(format) = rules.format {
                if let Some(v) = check_format(format, s, loc) {
                    out.push(v);
                }
            }
        }
        Value::Array(xs) => {
            let len = xs.len() as u64;
            if let Some(min) = rules.min_items {
                if len < min {
                    out.push(violation(
                        loc,
                        "too_short",
                        format!(
                            "List should have at least {min} item{} after validation, not {len}",
                            plural(min)
                        ),
                    ));
                }
            }
            if let Some(max) = rules.max_items {
                if len > max {
                    out.push(violation(
                        loc,
                        "too_long",
                        format!(
                            "List should have at most {max} item{} after validation, not {len}",
                            plural(max)
                        ),
                    ));
                }
            }
            if rules.unique_items && xs.iter().enumerate().any(|(i, x)| xs[..i].contains(x)) {
                out.push(violation(
                    loc,
                    "unique_items",
                    "List should have unique items",
                ));
            }
        }
        _ => {}
    }
}

fn plural(n: u64) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

fn format_number(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{}", f as i64)
    } else {
        format!("{f}")
    }
}

/// `'a', 'b' or 'c'`.
fn one_of(items: impl Iterator<Item = String>) -> String {
    let items: Vec<String> = items.collect();
    match items.split_last() {
        None => "one of no values".to_owned(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
    }
}

/// Whether `s` matches the ECMA-262-ish `pattern` (unanchored, as JSON Schema says). A pattern
/// the `regex` crate cannot compile accepts everything (and is logged once).
pub fn matches_pattern(pattern: &str, s: &str) -> bool {
    static CACHE: OnceLock<Mutex<HashMap<String, Option<regex::Regex>>>> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    let mut cache = match cache.lock() {
        Ok(guard) => guard,
        Err(poisoned) => poisoned.into_inner(),
    };
    let re = cache.entry(pattern.to_owned()).or_insert_with(|| match regex::Regex::new(pattern) {
        Ok(re) => Some(re),
        Err(e) => {
            tracing::warn!(pattern, error = %e, "schema pattern does not compile; it is not checked");
            None
        }
    });
    re.as_ref().is_none_or(|re| re.is_match(s))
}

/// Check a string `format`; unknown formats pass.
pub fn check_format(format: &str, s: &str, loc: &[LocSegment]) -> Option<Violation> {
    let ok = match format {
        "date" => chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").is_ok(),
        "date-time" => chrono::DateTime::parse_from_rfc3339(s).is_ok(),
        "time" => chrono::NaiveTime::parse_from_str(s.trim_end_matches('Z'), "%H:%M:%S%.f").is_ok(),
        "uuid" => uuid::Uuid::parse_str(s).is_ok(),
        "byte" => {
            use base64::Engine as _;
            base64::engine::general_purpose::STANDARD.decode(s).is_ok()
        }
        "email" => is_email(s),
        "uri" | "url" => is_uri(s),
        "ipv4" => s.parse::<std::net::Ipv4Addr>().is_ok(),
        "ipv6" => s.parse::<std::net::Ipv6Addr>().is_ok(),
        _ => true,
    };
    if ok {
        return None;
    }
    let (kind, msg) = match format {
        "date" => (
            "date_parsing",
            "Input should be a valid date in the format YYYY-MM-DD",
        ),
        "date-time" => ("datetime_parsing", "Input should be a valid datetime"),
        "time" => ("time_parsing", "Input should be in a valid time format"),
        "uuid" => ("uuid_parsing", "Input should be a valid UUID"),
        "byte" => ("base64_decode", "Base64 decoding error"),
        "email" => ("value_error", "value is not a valid email address"),
        "uri" | "url" => ("url_parsing", "Input should be a valid URL"),
        "ipv4" => ("ip_v4_address", "Input is not a valid IPv4 address"),
        _ => ("ip_v6_address", "Input is not a valid IPv6 address"),
    };
    Some(violation(loc, kind, msg))
}

fn is_email(s: &str) -> bool {
    let Some((local, domain)) = s.rsplit_once('@') else {
        return false;
    };
    !local.is_empty()
        && !domain.is_empty()
        && !s.chars().any(|c| c.is_whitespace() || c.is_control())
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
}

fn is_uri(s: &str) -> bool {
    let Some((scheme, rest)) = s.split_once(':') else {
        return false;
    };
    let mut chars = scheme.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        && !rest.is_empty()
        && !s.chars().any(|c| c.is_whitespace() || c.is_control())
}

#[cfg(test)]
mod tests;
