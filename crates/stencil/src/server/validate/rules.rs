//! The validation keywords (bounds, lengths, patterns, item counts, formats) and the texts of
//! their violations, in pydantic's words.

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

use serde_json::{json, Value};

use crate::server::schema::Rules;
use crate::server::violation::{LocSegment, Violation};

/// A violation at `loc`.
pub(super) fn violation(loc: &[LocSegment], kind: &str, msg: impl Into<String>) -> Violation {
    Violation::new(loc.to_vec(), kind, msg)
}

/// Check the keywords of `rules` that apply to `value`'s kind.
///
/// `whole`: the value is an integer (bounds in `ctx` are then integers, as pydantic gives them).
pub(super) fn check_rules(
    rules: &Rules,
    value: &Value,
    loc: &[LocSegment],
    out: &mut Vec<Violation>,
    whole: bool,
) {
    match value {
        Value::Number(n) => {
            let Some(x) = n.as_f64() else { return };
            let num = |f: f64| format_number(f);
            if let Some(min) = rules.minimum {
                if rules.exclusive_minimum && x <= min {
                    out.push(
                        violation(
                            loc,
                            "greater_than",
                            format!("Input should be greater than {}", num(min)),
                        )
                        .with_ctx(json!({ "gt": ctx_number(min, whole) })),
                    );
                } else if x < min {
                    out.push(
                        violation(
                            loc,
                            "greater_than_equal",
                            format!("Input should be greater than or equal to {}", num(min)),
                        )
                        .with_ctx(json!({ "ge": ctx_number(min, whole) })),
                    );
                }
            }
            if let Some(max) = rules.maximum {
                if rules.exclusive_maximum && x >= max {
                    out.push(
                        violation(
                            loc,
                            "less_than",
                            format!("Input should be less than {}", num(max)),
                        )
                        .with_ctx(json!({ "lt": ctx_number(max, whole) })),
                    );
                } else if x > max {
                    out.push(
                        violation(
                            loc,
                            "less_than_equal",
                            format!("Input should be less than or equal to {}", num(max)),
                        )
                        .with_ctx(json!({ "le": ctx_number(max, whole) })),
                    );
                }
            }
            if let Some(m) = rules.multiple_of {
                if m > 0.0 {
                    let q = x / m;
                    if (q - q.round()).abs() > 1e-9 * q.abs().max(1.0) {
                        out.push(
                            violation(
                                loc,
                                "multiple_of",
                                format!("Input should be a multiple of {}", num(m)),
                            )
                            .with_ctx(json!({ "multiple_of": ctx_number(m, whole) })),
                        );
                    }
                }
            }
        }
        Value::String(s) => {
            let len = s.chars().count() as u64;
            if let Some(min) = rules.min_length {
                if len < min {
                    out.push(
                        violation(
                            loc,
                            "string_too_short",
                            format!("String should have at least {min} character{}", plural(min)),
                        )
                        .with_ctx(json!({ "min_length": min })),
                    );
                }
            }
            if let Some(max) = rules.max_length {
                if len > max {
                    out.push(
                        violation(
                            loc,
                            "string_too_long",
                            format!("String should have at most {max} character{}", plural(max)),
                        )
                        .with_ctx(json!({ "max_length": max })),
                    );
                }
            }
            if let Some(pattern) = rules.pattern {
                if !matches_pattern(pattern, s) {
                    out.push(
                        violation(
                            loc,
                            "string_pattern_mismatch",
                            format!("String should match pattern '{pattern}'"),
                        )
                        .with_ctx(json!({ "pattern": pattern })),
                    );
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
                    ).with_ctx(json!({ "field_type": "List", "min_length": min, "actual_length": len })));
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
                    ).with_ctx(json!({ "field_type": "List", "max_length": max, "actual_length": len })));
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

/// A bound as pydantic's `ctx` gives it: an integer for integer values, else a float.
fn ctx_number(f: f64, whole: bool) -> Value {
    if whole && f.fract() == 0.0 && f.abs() < 1e15 {
        Value::from(f as i64)
    } else {
        Value::from(f)
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
pub(super) fn one_of(items: impl Iterator<Item = String>) -> String {
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
