//! Doc lines of generated types and fields: constraints and short JSON values.
use serde_json::Value;

use crate::emit::code_span;
use crate::ir::Constraints;

/// Compact JSON shown in a doc line, as inline code; `None` when too long to be useful inline.
pub(super) fn short_json(value: &Value) -> Option<String> {
    let text = value.to_string();
    (text.chars().count() <= 80).then(|| code_span(&text))
}

/// One doc line listing the validation keywords, e.g. ``Constraints: `minLength: 1`, `format: email`.``
pub(super) fn constraint_line(c: &Constraints) -> Option<String> {
    fn number(n: f64) -> String {
        if n.fract() == 0.0 && n.abs() < 1e15 {
            format!("{}", n as i64)
        } else {
            format!("{n}")
        }
    }
    let mut parts = Vec::new();
    if let Some(min) = c.minimum {
        let key = if c.exclusive_minimum {
            "exclusiveMinimum"
        } else {
            "minimum"
        };
        parts.push(format!("{key}: {}", number(min)));
    }
    if let Some(max) = c.maximum {
        let key = if c.exclusive_maximum {
            "exclusiveMaximum"
        } else {
            "maximum"
        };
        parts.push(format!("{key}: {}", number(max)));
    }
    if let Some(m) = c.multiple_of {
        parts.push(format!("multipleOf: {}", number(m)));
    }
    if let Some(n) = c.min_length {
        parts.push(format!("minLength: {n}"));
    }
    if let Some(n) = c.max_length {
        parts.push(format!("maxLength: {n}"));
    }
    if let Some(p) = &c.pattern {
        parts.push(format!("pattern: {p}"));
    }
    if let Some(n) = c.min_items {
        parts.push(format!("minItems: {n}"));
    }
    if let Some(n) = c.max_items {
        parts.push(format!("maxItems: {n}"));
    }
    if c.unique_items {
        parts.push("uniqueItems: true".to_owned());
    }
    if let Some(f) = &c.format {
        parts.push(format!("format: {f}"));
    }
    if parts.is_empty() {
        return None;
    }
    let parts: Vec<String> = parts.iter().map(|p| code_span(p)).collect();
    Some(format!("Constraints: {}.", parts.join(", ")))
}
