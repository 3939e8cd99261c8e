//! Text to typed JSON values: what query, path, header and cookie parameters, form fields and
//! multipart text parts are coerced with before validation.

use serde_json::{Map, Number, Value};

use super::schema::{IntKind, Schema};
use super::validate::{validate, Validation};

use super::violation::{Failure, Violation};

/// [`coerce_scalar`], except that in pydantic mode a scalar stays text: validation then coerces
/// it as pydantic does, and words and locates its failure as pydantic does.
pub(crate) fn coerce_text(schema: &Schema, text: &str, mode: Validation) -> Result<Value, Failure> {
    let scalar = matches!(
        schema.base(),
        Schema::Bool | Schema::Int(_) | Schema::Float | Schema::Str(_) | Schema::IntEnum(_)
    );
    if mode == Validation::Pydantic && scalar {
        Ok(Value::String(text.to_owned()))
    } else {
        coerce_scalar(schema, text)
    }
}

/// Text to a JSON value of the schema's kind (query, path, header, cookie and form values).
pub(crate) fn coerce_scalar(schema: &Schema, text: &str) -> Result<Value, Failure> {
    match schema.base() {
        Schema::Bool => match text.to_ascii_lowercase().as_str() {
            "true" | "1" | "yes" | "on" | "t" | "y" => Ok(Value::Bool(true)),
            "false" | "0" | "no" | "off" | "f" | "n" => Ok(Value::Bool(false)),
            _ => Err(Failure::new(
                "bool_parsing",
                "Input should be a valid boolean, unable to interpret input",
            )),
        },
        Schema::Int(_) | Schema::IntEnum(_) => {
            let t = text.trim();
            if let Ok(n) = t.parse::<i64>() {
                Ok(Value::Number(n.into()))
            } else if let Ok(n) = t.parse::<u64>() {
                Ok(Value::Number(n.into()))
            } else if is_integer_text(t) {
                let (min, max) = match schema.base() {
                    Schema::Int(kind) => kind.bounds(),
                    _ => IntKind::I64.bounds(),
                };
                Err(Failure::new(
                    "int_out_of_range",
                    &format!(
                        "Input should be an integer from {min} to {max}; the value is out of range"
                    ),
                ))
            } else {
                Err(Failure::new(
                    "int_parsing",
                    "Input should be a valid integer, unable to parse string as an integer",
                ))
            }
        }
        Schema::Float => match text.trim().parse::<f64>().ok().and_then(Number::from_f64) {
            Some(n) => Ok(Value::Number(n)),
            None => Err(Failure::new(
                "float_parsing",
                "Input should be a valid number, unable to parse string as a number",
            )),
        },
        Schema::Union(u) => {
            for v in u.variants {
                if let Ok(mut value) = coerce_scalar(v.schema, text) {
                    let mut out = Vec::new();
                    validate(
                        v.schema,
                        &mut value,
                        &mut Vec::new(),
                        &mut out,
                        Validation::Standard,
                    );
                    if out.is_empty() {
                        return Ok(value);
                    }
                }
            }
            Ok(Value::String(text.to_owned()))
        }
        Schema::Array(_) | Schema::Object(_) | Schema::Map(_) | Schema::Tuple(_) => {
            Ok(serde_json::from_str(text).unwrap_or_else(|_| Value::String(text.to_owned())))
        }
        _ => Ok(Value::String(text.to_owned())),
    }
}

/// Digits with an optional sign: an integer, whatever its size.
fn is_integer_text(t: &str) -> bool {
    let digits = t.strip_prefix(['-', '+']).unwrap_or(t);
    !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
}

/// Named text values (deepObject or exploded form parameters, form bodies) as a JSON object:
/// each value coerced by its property's schema (an array property collects repeated names),
/// a name the schema does not declare kept as a string.
///
/// In pydantic mode scalar values stay text, for validation to coerce ([`coerce_text`]).
pub(crate) fn object_from_fields(
    schema: &Schema,
    fields: Vec<(String, String)>,
    mode: Validation,
) -> Result<Value, Failure> {
    let object = schema.object();
    let mut map = Map::new();
    for (k, v) in fields {
        let field_schema = object
            .and_then(|o| {
                o.fields
                    .iter()
                    .find(|f| f.name == k)
                    .map(|f| f.schema)
                    .or(o.additional)
            })
            .or(match schema.base() {
                Schema::Map(values) => Some(*values),
                _ => None,
            });
        let value = match field_schema.map(|s| (s, s.base())) {
            Some((_, Schema::Array(items))) => {
                let item = coerce_text(items, &v, mode)?;
                match map.get_mut(&k) {
                    Some(Value::Array(xs)) => {
                        xs.push(item);
                        continue;
                    }
                    _ => Value::Array(vec![item]),
                }
            }
            Some((s, _)) => coerce_text(s, &v, mode)?,
            None => Value::String(v),
        };
        map.insert(k, value);
    }
    Ok(Value::Object(map))
}

/// Form pairs (a form body, or a query string read whole) as a JSON object, values typed by
/// the schema's properties; a value that does not coerce is a violation at `[root, name]`.
pub(crate) fn form_object(
    schema: Option<&Schema>,
    pairs: Vec<(String, String)>,
    mode: Validation,
    root: &'static str,
) -> Result<Value, Vec<Violation>> {
    let Some(schema) = schema else {
        return Ok(Value::Object(
            pairs
                .into_iter()
                .map(|(k, v)| (k, Value::String(v)))
                .collect(),
        ));
    };
    let mut violations = Vec::new();
    let mut map = Map::new();
    for (k, v) in pairs {
        match object_from_fields(schema, vec![(k.clone(), v)], mode) {
            Ok(Value::Object(one)) => {
                for (key, value) in one {
                    match (map.get_mut(&key), value) {
                        (Some(Value::Array(xs)), Value::Array(mut more)) => xs.append(&mut more),
                        (_, value) => {
                            map.insert(key, value);
                        }
                    }
                }
            }
            Ok(_) => {}
            Err(failure) => violations.push(failure.at(vec![root.into(), k.into()])),
        }
    }
    if violations.is_empty() {
        Ok(Value::Object(map))
    } else {
        Err(violations)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server::schema::{Union, Variant};

    #[test]
    fn text_becomes_a_value_of_the_schema_kind() {
        for yes in ["true", "1", "YES", "on", "t", "y"] {
            assert_eq!(coerce_scalar(&Schema::Bool, yes), Ok(Value::Bool(true)));
        }
        assert_eq!(coerce_scalar(&Schema::Bool, "Off"), Ok(Value::Bool(false)));
        assert_eq!(
            coerce_scalar(&Schema::Bool, "maybe").map_err(|f| f.kind),
            Err("bool_parsing")
        );
        let int = Schema::Int(IntKind::U64);
        assert_eq!(coerce_scalar(&int, " -3 "), Ok(Value::from(-3)));
        assert_eq!(
            coerce_scalar(&int, "18446744073709551615"),
            Ok(Value::from(u64::MAX))
        );
        assert_eq!(
            coerce_scalar(&int, "1.5").map_err(|f| f.kind),
            Err("int_parsing")
        );
        // Too large for any Rust integer: out of range, not unparsable (issue 18).
        let page = coerce_scalar(&Schema::Int(IntKind::I64), "196191364530561351680").unwrap_err();
        assert_eq!(page.kind, "int_out_of_range");
        assert!(page.message.contains("out of range"), "{}", page.message);
        assert!(
            page.message.contains("9223372036854775807"),
            "{}",
            page.message
        );
        assert_eq!(
            coerce_scalar(&int, "-99999999999999999999").map_err(|f| f.kind),
            Err("int_out_of_range")
        );
        assert_eq!(
            coerce_scalar(&int, "1e3").map_err(|f| f.kind),
            Err("int_parsing")
        );
        assert_eq!(coerce_scalar(&Schema::Float, "1.5"), Ok(Value::from(1.5)));
        assert_eq!(
            coerce_scalar(&Schema::Float, "NaN").map_err(|f| f.kind),
            Err("float_parsing")
        );
        assert_eq!(
            coerce_scalar(&Schema::Array(&Schema::Any), "[1]"),
            Ok(serde_json::json!([1]))
        );
        assert_eq!(
            coerce_scalar(&Schema::Array(&Schema::Any), "[1"),
            Ok(Value::from("[1"))
        );
        assert_eq!(
            coerce_scalar(&Schema::Str(None), "007"),
            Ok(Value::from("007"))
        );
    }

    #[test]
    fn a_union_takes_the_first_variant_the_text_is_valid_for() {
        static EITHER: Union = Union {
            variants: &[
                Variant {
                    tags: &[],
                    schema: &Schema::Int(IntKind::U8),
                },
                Variant {
                    tags: &[],
                    schema: &Schema::Bool,
                },
            ],
            tag: None,
        };
        let either = Schema::Union(&EITHER);
        assert_eq!(coerce_scalar(&either, "7"), Ok(Value::from(7)));
        assert_eq!(coerce_scalar(&either, "300"), Ok(Value::from("300")));
        assert_eq!(coerce_scalar(&either, "yes"), Ok(Value::Bool(true)));
        assert_eq!(coerce_scalar(&either, "x"), Ok(Value::from("x")));
    }

    #[test]
    fn a_failure_becomes_a_violation_where_it_happened() {
        let failure = coerce_scalar(&Schema::Bool, "x").unwrap_err();
        let violation = failure.at(vec!["query".into(), "flag".into()]);
        assert_eq!(violation.loc_string(), "query.flag");
        assert_eq!(violation.kind, "bool_parsing");
    }
}
