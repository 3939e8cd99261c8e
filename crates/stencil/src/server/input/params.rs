//! Parameter decoding as pure functions of the request's parts: finding a parameter's raw
//! text by location and style, coercing it to a JSON value of its schema, applying its default
//! and validating it. Nothing here needs axum.

use http::{header, HeaderMap};
use serde_json::Value;

use crate::server::coerce::{coerce_scalar, form_object, object_from_fields};
use crate::server::schema::{Location, Param, Schema, Style};
use crate::server::validate::{validate, Validation};
use crate::server::violation::Failure;
use crate::server::violation::{LocSegment, Violation};

/// A parameter's raw text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Raw {
    One(String),
    Many(Vec<String>),
    /// Object properties (deepObject, or form with explode).
    Fields(Vec<(String, String)>),
}

/// A parameter as [`decode`] leaves it.
#[derive(Debug, PartialEq)]
pub(super) enum Decoded {
    /// Sent, decoded and validated.
    Value(Value),
    /// Not sent: the schema's default (JSON text) applies.
    Default(&'static str),
}

/// Where a parameter's violations go: `[location, name]`; `[query]` for the query string read
/// whole (its properties' violations then go to `[query, property]`).
pub(super) fn loc(p: &Param) -> Vec<LocSegment> {
    if p.location == Location::QueryString {
        return vec![LocSegment::from("query")];
    }
    vec![
        LocSegment::from(p.location.as_str()),
        LocSegment::from(p.name),
    ]
}

/// The pairs of a URI's query string, percent-decoded.
pub(super) fn query_pairs(query: Option<&str>) -> Vec<(String, String)> {
    query
        .map(|q| form_urlencoded::parse(q.as_bytes()).into_owned().collect())
        .unwrap_or_default()
}

/// The cookies of every `Cookie` header, in order.
pub(super) fn cookie_pairs(headers: &HeaderMap) -> Vec<(String, String)> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|c| {
            c.trim()
                .split_once('=')
                .map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned()))
        })
        .collect()
}

/// A path parameter's text among the route's captures.
pub(super) fn path_raw(path: &[(String, String)], name: &str) -> Option<Raw> {
    path.iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| Raw::One(v.clone()))
}

/// A header parameter's text: several lines are joined with `,`; one line (the usual case) is
/// one copy. Names are compared as they are instead of parsed into a `HeaderName` for a lookup
/// (which costs more than scanning the few headers a request has).
pub(super) fn header_raw(headers: &HeaderMap, name: &str) -> Option<Raw> {
    let mut values = headers
        .iter()
        .filter(|(n, _)| n.as_str().eq_ignore_ascii_case(name))
        .filter_map(|(_, v)| v.to_str().ok());
    values.next().map(|first| {
        let mut joined = first.to_owned();
        for v in values {
            joined.push(',');
            joined.push_str(v);
        }
        Raw::One(joined)
    })
}

/// A query parameter's text among the query pairs, per its style: an object's properties
/// (deepObject, exploded form), every value of an exploded form array, else the last value.
pub(super) fn query_raw(p: &Param, pairs: &[(String, String)]) -> Option<Raw> {
    let base = p.schema.base();
    if let (Schema::Object(object), true) = (
        base,
        p.style == Style::DeepObject || (p.style == Style::Form && p.explode),
    ) {
        let mut fields = Vec::new();
        for (k, v) in pairs {
            let key = if p.style == Style::DeepObject {
                match k
                    .strip_prefix(p.name)
                    .and_then(|r| r.strip_prefix('['))
                    .and_then(|r| r.strip_suffix(']'))
                {
                    Some(key) => key,
                    None => continue,
                }
            } else if object.fields.iter().any(|f| f.name == k) || object.additional.is_some() {
                k.as_str()
            } else {
                continue;
            };
            fields.push((key.to_owned(), v.clone()));
        }
        return (!fields.is_empty()).then_some(Raw::Fields(fields));
    }
    let values: Vec<String> = pairs
        .iter()
        .filter(|(k, _)| k == p.name)
        .map(|(_, v)| v.clone())
        .collect();
    if values.is_empty() {
        None
    } else if matches!(base, Schema::Array(_)) && p.style == Style::Form && p.explode {
        Some(Raw::Many(values))
    } else {
        values.into_iter().last().map(Raw::One)
    }
}

/// A parameter from its raw text (`None`: not sent): coerced and validated, or its default,
/// or `null` when optional. `None` when a violation was recorded.
///
/// In pydantic mode scalars (and the items of exploded arrays) are left as text for
/// validation to coerce, as pydantic coerces them: failures are then worded and located (an
/// array item's index) as FastAPI words and locates them.
pub(super) fn decode(
    p: &'static Param,
    raw: Option<Raw>,
    violations: &mut Vec<Violation>,
    mode: Validation,
) -> Option<Decoded> {
    let value = match raw {
        None => match p.default {
            Some(text) => return Some(Decoded::Default(text)),
            None if p.required => {
                let mut missing = Violation::missing(loc(p));
                if mode == Validation::Pydantic {
                    missing.input = Some(Value::Null);
                }
                violations.push(missing);
                return None;
            }
            None => return Some(Decoded::Value(Value::Null)),
        },
        Some(raw) => match match mode {
            Validation::Pydantic => text_param(p, raw),
            Validation::Standard => coerce_param(p, raw),
        } {
            Ok(v) => v,
            Err(failure) => {
                violations.push(failure.at(loc(p)));
                return None;
            }
        },
    };
    // Validate without a location first (no allocation when the value is valid); only a
    // failing value is validated again with its location, for the violations.
    let mut value = value;
    if mode == Validation::Pydantic {
        // Once, with the location: validation coerces the text in place.
        let before = violations.len();
        validate(p.schema, &mut value, &mut loc(p), violations, mode);
        return (violations.len() == before).then_some(Decoded::Value(value));
    }
    let mut failed = Vec::new();
    validate(p.schema, &mut value, &mut Vec::new(), &mut failed, mode);
    if failed.is_empty() {
        return Some(Decoded::Value(value));
    }
    validate(p.schema, &mut value, &mut loc(p), violations, mode);
    None
}

/// The query string read whole (`in: querystring`): its pairs as the properties of the
/// parameter's object, coerced and validated at `[query, property]`. An empty or absent query
/// string is the parameter not sent.
pub(super) fn query_string(
    p: &'static Param,
    pairs: &[(String, String)],
    violations: &mut Vec<Violation>,
    mode: Validation,
) -> Option<Decoded> {
    if pairs.is_empty() {
        return decode(p, None, violations, mode);
    }
    match form_object(Some(p.schema), pairs.to_vec(), mode, "query") {
        Ok(mut value) => {
            let before = violations.len();
            validate(p.schema, &mut value, &mut loc(p), violations, mode);
            (violations.len() == before).then_some(Decoded::Value(value))
        }
        Err(mut found) => {
            violations.append(&mut found);
            None
        }
    }
}

/// Pydantic mode: a scalar parameter, or an exploded array's items, as text.
fn text_param(p: &Param, raw: Raw) -> Result<Value, Failure> {
    let scalar = |s: &Schema| {
        matches!(
            s.base(),
            Schema::Bool | Schema::Int(_) | Schema::Float | Schema::Str(_) | Schema::IntEnum(_)
        )
    };
    match (p.schema.base(), raw) {
        (Schema::Array(items), Raw::Many(values)) if scalar(items) => Ok(Value::Array(
            values.into_iter().map(Value::String).collect(),
        )),
        (base, Raw::One(text)) if scalar(base) => {
            Ok(Value::String(strip_style_prefix(p, &text).to_owned()))
        }
        (_, raw) => coerce_param(p, raw),
    }
}

/// A parameter's raw text as a JSON value of its schema, split per its style.
pub(super) fn coerce_param(p: &Param, raw: Raw) -> Result<Value, Failure> {
    let base = p.schema.base();
    match raw {
        Raw::Fields(fields) => object_from_fields(p.schema, fields, Validation::Standard),
        Raw::Many(values) => match base {
            Schema::Array(items) => values
                .iter()
                .map(|v| coerce_scalar(items, v))
                .collect::<Result<Vec<_>, _>>()
                .map(Value::Array),
            _ => coerce_scalar(p.schema, values.last().map_or("", String::as_str)),
        },
        Raw::One(text) => {
            let text = strip_style_prefix(p, &text);
            match base {
                Schema::Array(items) => {
                    if text.is_empty() {
                        return Ok(Value::Array(Vec::new()));
                    }
                    let sep = match (p.style, p.explode) {
                        (Style::SpaceDelimited, _) => " ",
                        (Style::PipeDelimited, _) => "|",
                        (Style::Label, true) => ".",
                        (Style::Matrix, true) => return split_matrix(p, items, text),
                        _ => ",",
                    };
                    text.split(sep)
                        .map(|v| coerce_scalar(items, v))
                        .collect::<Result<Vec<_>, _>>()
                        .map(Value::Array)
                }
                Schema::Object(_) | Schema::Map(_) => {
                    let pairs: Vec<(String, String)> = if p.explode {
                        text.split(',')
                            .filter_map(|kv| kv.split_once('='))
                            .map(|(k, v)| (k.to_owned(), v.to_owned()))
                            .collect()
                    } else {
                        let items: Vec<&str> = text.split(',').collect();
                        items
                            .chunks(2)
                            .map(|c| (c[0].to_owned(), c.get(1).copied().unwrap_or("").to_owned()))
                            .collect()
                    };
                    object_from_fields(p.schema, pairs, Validation::Standard)
                }
                _ => coerce_scalar(p.schema, text),
            }
        }
    }
}

fn strip_style_prefix<'a>(p: &Param, text: &'a str) -> &'a str {
    match p.style {
        Style::Label => text.strip_prefix('.').unwrap_or(text),
        Style::Matrix if !p.explode => text
            .strip_prefix(';')
            .and_then(|t| t.strip_prefix(p.name))
            .and_then(|t| t.strip_prefix('='))
            .unwrap_or(text),
        _ => text,
    }
}

fn split_matrix(p: &Param, items: &Schema, text: &str) -> Result<Value, Failure> {
    let prefix = format!("{}=", p.name);
    text.split(';')
        .filter(|s| !s.is_empty())
        .map(|s| coerce_scalar(items, s.strip_prefix(prefix.as_str()).unwrap_or(s)))
        .collect::<Result<Vec<_>, _>>()
        .map(Value::Array)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server::schema::{Field, IntKind, Location, Object, Rules};

    const fn param(
        name: &'static str,
        location: Location,
        style: Style,
        explode: bool,
        schema: &'static Schema,
    ) -> Param {
        Param {
            name,
            location,
            required: false,
            style,
            explode,
            schema,
            default: None,
        }
    }

    static INT: Schema = Schema::Int(IntKind::I32);
    static INTS: Schema = Schema::Array(&INT);
    static POINT: Schema = Schema::Object(&Object {
        fields: &[
            Field {
                name: "x",
                schema: &INT,
                required: true,
                nullable: false,
            },
            Field {
                name: "tags",
                schema: &Schema::Array(&Schema::Str(None)),
                required: false,
                nullable: false,
            },
        ],
        additional: None,
    });

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    fn coerce(p: &Param, text: &str) -> Result<Value, Failure> {
        coerce_param(p, Raw::One(text.to_owned()))
    }

    #[test]
    fn query_and_cookie_text_is_split_and_decoded() {
        assert_eq!(
            query_pairs(Some("a=1&b=x%20y&a=2+3")),
            pairs(&[("a", "1"), ("b", "x y"), ("a", "2 3")])
        );
        assert!(query_pairs(None).is_empty());
        let mut headers = HeaderMap::new();
        headers.append(header::COOKIE, "a=1; b = 2".parse().unwrap());
        headers.append(header::COOKIE, "c=3;junk".parse().unwrap());
        assert_eq!(
            cookie_pairs(&headers),
            pairs(&[("a", "1"), ("b", "2"), ("c", "3")])
        );
    }

    #[test]
    fn raw_text_is_found_by_location_and_style() {
        let query = pairs(&[
            ("n", "1"),
            ("n", "2"),
            ("p[x]", "3"),
            ("x", "4"),
            ("y", "5"),
        ]);
        static LAST: Param = param("n", Location::Query, Style::Form, false, &INT);
        assert_eq!(query_raw(&LAST, &query), Some(Raw::One("2".into())));
        static MANY: Param = param("n", Location::Query, Style::Form, true, &INTS);
        assert_eq!(
            query_raw(&MANY, &query),
            Some(Raw::Many(vec!["1".into(), "2".into()]))
        );
        static DEEP: Param = param("p", Location::Query, Style::DeepObject, true, &POINT);
        assert_eq!(
            query_raw(&DEEP, &query),
            Some(Raw::Fields(pairs(&[("x", "3")])))
        );
        // An exploded form object takes the properties it declares, under their own names.
        static FORM: Param = param("p", Location::Query, Style::Form, true, &POINT);
        assert_eq!(
            query_raw(&FORM, &query),
            Some(Raw::Fields(pairs(&[("x", "4")])))
        );
        static ABSENT: Param = param("z", Location::Query, Style::Form, false, &INT);
        assert_eq!(query_raw(&ABSENT, &query), None);

        let mut headers = HeaderMap::new();
        headers.append("x-a", "1".parse().unwrap());
        headers.append("X-A", "2".parse().unwrap());
        assert_eq!(header_raw(&headers, "X-a"), Some(Raw::One("1,2".into())));
        assert_eq!(header_raw(&headers, "x-b"), None);
        assert_eq!(
            path_raw(&pairs(&[("id", "7")]), "id"),
            Some(Raw::One("7".into()))
        );
    }

    #[test]
    fn styles_split_arrays_and_objects() {
        let ints = |p: &Param, text: &str| coerce(p, text).map_err(|f| f.kind);
        let list = |xs: &[i32]| Ok(Value::from(xs.to_vec()));
        static SIMPLE: Param = param("ids", Location::Path, Style::Simple, false, &INTS);
        assert_eq!(ints(&SIMPLE, "1,2"), list(&[1, 2]));
        assert_eq!(ints(&SIMPLE, ""), list(&[]));
        assert_eq!(ints(&SIMPLE, "1,x"), Err("int_parsing"));
        static LABEL: Param = param("ids", Location::Path, Style::Label, true, &INTS);
        assert_eq!(ints(&LABEL, ".1.2"), list(&[1, 2]));
        static MATRIX: Param = param("ids", Location::Path, Style::Matrix, false, &INTS);
        assert_eq!(ints(&MATRIX, ";ids=1,2"), list(&[1, 2]));
        static MATRIX_EXPLODED: Param = param("ids", Location::Path, Style::Matrix, true, &INTS);
        assert_eq!(ints(&MATRIX_EXPLODED, ";ids=1;ids=2"), list(&[1, 2]));
        static SPACES: Param = param("ids", Location::Query, Style::SpaceDelimited, false, &INTS);
        assert_eq!(ints(&SPACES, "1 2"), list(&[1, 2]));
        static PIPES: Param = param("ids", Location::Query, Style::PipeDelimited, false, &INTS);
        assert_eq!(ints(&PIPES, "1|2"), list(&[1, 2]));

        let point = serde_json::json!({"x": 1, "tags": ["a"]});
        static FLAT: Param = param("p", Location::Path, Style::Simple, false, &POINT);
        assert_eq!(coerce(&FLAT, "x,1,tags,a"), Ok(point.clone()));
        static EXPLODED: Param = param("p", Location::Path, Style::Simple, true, &POINT);
        assert_eq!(coerce(&EXPLODED, "x=1,tags=a"), Ok(point.clone()));
        assert_eq!(
            coerce_param(&EXPLODED, Raw::Fields(pairs(&[("x", "1"), ("tags", "a")]))),
            Ok(point)
        );
        assert_eq!(
            coerce_param(&SIMPLE, Raw::Many(vec!["3".into(), "4".into()])).map_err(|f| f.kind),
            list(&[3, 4])
        );
    }

    #[test]
    fn decoding_applies_defaults_and_records_violations() {
        static MAX_9: Schema = Schema::Checked(
            &INT,
            &Rules {
                maximum: Some(9.0),
                ..Rules::NONE
            },
        );
        static OPTIONAL: Param = param("n", Location::Query, Style::Form, false, &MAX_9);
        static DEFAULTED: Param = Param {
            default: Some("5"),
            ..param("n", Location::Query, Style::Form, false, &MAX_9)
        };
        static REQUIRED: Param = Param {
            required: true,
            ..param("n", Location::Query, Style::Form, false, &MAX_9)
        };
        let mut violations = Vec::new();
        let one = |text: &str| Some(Raw::One(text.to_owned()));
        assert_eq!(
            decode(&OPTIONAL, one("7"), &mut violations, Validation::Standard),
            Some(Decoded::Value(Value::from(7)))
        );
        assert_eq!(
            decode(&OPTIONAL, None, &mut violations, Validation::Standard),
            Some(Decoded::Value(Value::Null))
        );
        assert_eq!(
            decode(&DEFAULTED, None, &mut violations, Validation::Standard),
            Some(Decoded::Default("5"))
        );
        assert!(violations.is_empty());
        assert_eq!(
            decode(&REQUIRED, None, &mut violations, Validation::Standard),
            None
        );
        assert_eq!(
            decode(&REQUIRED, one("x"), &mut violations, Validation::Standard),
            None
        );
        assert_eq!(
            decode(&REQUIRED, one("10"), &mut violations, Validation::Standard),
            None
        );
        let found: Vec<(String, &str)> = violations
            .iter()
            .map(|v| (v.loc_string(), v.kind.as_str()))
            .collect();
        assert_eq!(
            found,
            [
                ("query.n".to_owned(), "missing"),
                ("query.n".to_owned(), "int_parsing"),
                ("query.n".to_owned(), "less_than_equal"),
            ]
        );
    }
}
