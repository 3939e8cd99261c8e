//! Reading a request body: size-limited, its content type matched to the operation's declared
//! contents, decoded (JSON, text, form, multipart, binary) and validated.

use axum::body::{Body as AxumBody, Bytes};
use http::{header, HeaderMap};
use serde_json::{Map, Value};

use crate::server::coerce::form_object;
use crate::server::config::Config;
use crate::server::direct;
use crate::server::error::ErrorReport;
use crate::server::form_files::Files;
use crate::server::limits;
use crate::server::schema::{Content, MediaKind, Operation, Schema};
use crate::server::validate::{validate, Validation};
use crate::server::violation::{LocSegment, Violation};

/// The request body once read.
#[derive(Debug)]
pub(super) enum BodyState {
    /// Not read (the operation has no body), or absent.
    None,
    /// Rejected: a violation says why.
    Rejected,
    Value(Value),
    /// A multipart body with file parts: the other fields as `value`, the files beside it
    /// (read with [`crate::server::form_files::Form`]).
    Multipart {
        value: Value,
        files: Files,
    },
    Raw(Bytes),
    /// A JSON body whose schema serde enforces by itself ([`direct::may_decode`]): kept as
    /// bytes, decoded straight into the Rust type by `Input::body`. Only when that fails is it
    /// decoded and validated as a `Value`, and its violations are then put where `read_body`
    /// would have recorded them (index `at`), so the violation list is the same either way.
    Json {
        bytes: Bytes,
        schema: &'static Schema,
        at: usize,
        mode: Validation,
    },
}

impl BodyState {
    /// The body as a JSON value, when it is one (for runtime expressions).
    pub(super) fn json(&self) -> Option<Value> {
        match self {
            BodyState::Value(v) | BodyState::Multipart { value: v, .. } => Some(v.clone()),
            BodyState::Json { bytes, .. } => serde_json::from_slice(bytes).ok(),
            BodyState::Raw(bytes) => serde_json::from_slice(bytes).ok(),
            BodyState::None | BodyState::Rejected => None,
        }
    }

    /// Turn a body kept as JSON bytes into what [`read`] makes of other bodies: a validated
    /// `Value`, or `Rejected` with its violations recorded where `read` would have put them.
    pub(super) fn settle(&mut self, violations: &mut Vec<Violation>) {
        let (bytes, schema, at, mode) = match std::mem::replace(self, BodyState::None) {
            BodyState::Json {
                bytes,
                schema,
                at,
                mode,
            } => (bytes, schema, at, mode),
            other => {
                *self = other;
                return;
            }
        };
        let later = violations.split_off(at.min(violations.len()));
        let value = json_value(&bytes, violations)
            .and_then(|value| validate_body(schema, value, violations, mode));
        *self = value.map_or(BodyState::Rejected, BodyState::Value);
        violations.extend(later);
    }
}

/// What can be checked of the body of `op` before it is streamed to the handler: a declared
/// `Content-Length` above the limit fails (413); a required body declared empty, or a content
/// type the operation does not declare, is a violation.
pub(super) fn check_streamed(
    op: &'static Operation,
    headers: &HeaderMap,
    config: &Config,
    violations: &mut Vec<Violation>,
) -> Result<(), ErrorReport> {
    let Some(spec) = op.body else {
        return Ok(());
    };
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    if declared.is_some_and(|n| n > config.body_limit as u64) {
        return Err(ErrorReport::payload_too_large(op, config.body_limit));
    }
    if declared == Some(0) {
        if spec.required {
            violations.push(missing_body(Validation::of(op)));
        }
        return Ok(());
    }
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok());
    if choose_content(spec.contents, content_type).is_none() {
        violations.push(unsupported(spec.contents, content_type));
    }
    Ok(())
}

fn unsupported(contents: &[Content], content_type: Option<&str>) -> Violation {
    let expected: Vec<&str> = contents.iter().map(|c| c.media_type).collect();
    Violation::new(
        vec!["body".into()],
        "content_type",
        format!(
            "Unsupported content type '{}'; expected {}",
            content_type.unwrap_or(""),
            expected.join(" or ")
        ),
    )
}

/// Read, decode and validate the body of `op` (`None` for operations without one), and the
/// index of the declared content it came as. Fails only when the body is larger than the
/// configured limit; other failures are violations, and the body is then `Rejected`.
pub(super) async fn read(
    op: &'static Operation,
    headers: &HeaderMap,
    body: AxumBody,
    config: &Config,
    violations: &mut Vec<Violation>,
) -> Result<(BodyState, usize), ErrorReport> {
    let before = violations.len();
    let mut content = 0;
    let state = read_inner(op, headers, body, config, violations, &mut content).await?;
    if violations.len() != before {
        return Ok((BodyState::Rejected, content));
    }
    Ok((state, content))
}

async fn read_inner(
    op: &'static Operation,
    headers: &HeaderMap,
    body: AxumBody,
    config: &Config,
    violations: &mut Vec<Violation>,
    content_index: &mut usize,
) -> Result<BodyState, ErrorReport> {
    let Some(spec) = op.body else {
        return Ok(BodyState::None);
    };
    let limit = config.body_limit;
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit as u64) {
        return Err(ErrorReport::payload_too_large(op, limit));
    }
    let Some(read) = limits::collect_within(body, limit, config.body_read_timeout).await else {
        let timeout = config.body_read_timeout.unwrap_or_default();
        return Err(ErrorReport::request_timeout(op, timeout));
    };
    let bytes = match read {
        Ok(bytes) => bytes,
        Err(e) if e.is::<http_body_util::LengthLimitError>() => {
            return Err(ErrorReport::payload_too_large(op, limit));
        }
        Err(_) => {
            violations.push(Violation::new(
                vec!["body".into()],
                "body_read",
                "The request body could not be read",
            ));
            return Ok(BodyState::None);
        }
    };
    let mode = Validation::of(op);
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok());
    let chosen = choose_content(spec.contents, content_type);
    if mode == Validation::Pydantic {
        // FastAPI reads a form operation's body as a form whatever it is: an empty or
        // unreadable one is a form without fields, each required field then missing.
        if let Some(form) =
            form_only(spec.contents).filter(|_| bytes.is_empty() || chosen.is_none())
        {
            return Ok(match form.schema {
                Some(schema) => validate_form(schema, Value::Object(Map::new()), violations, mode),
                None => BodyState::None,
            });
        }
    }
    if bytes.is_empty() {
        if spec.required {
            violations.push(missing_body(mode));
        }
        return Ok(BodyState::None);
    }
    let Some((index, content)) = chosen else {
        violations.push(unsupported(spec.contents, content_type));
        return Ok(BodyState::None);
    };
    *content_index = index;
    if matches!(content.kind, MediaKind::Json) && limits::json_too_deep(&bytes, config.json_depth) {
        violations.push(Violation::new(
            vec!["body".into()],
            "json_depth",
            format!("JSON nesting is deeper than {} levels", config.json_depth),
        ));
        return Ok(BodyState::None);
    }
    let mut files = Files::default();
    let value = match content.kind {
        MediaKind::Binary => {
            return Ok(BodyState::Raw(bytes));
        }
        MediaKind::Json => match content.schema {
            Some(schema) if direct::may_decode(schema, &bytes) => {
                return Ok(BodyState::Json {
                    bytes,
                    schema,
                    at: violations.len(),
                    mode: Validation::of(op),
                });
            }
            _ => match json_value(&bytes, violations) {
                // FastAPI: a JSON `null` for a required body is no body.
                Some(Value::Null) if spec.required && mode == Validation::Pydantic => {
                    violations.push(missing_body(mode));
                    return Ok(BodyState::None);
                }
                Some(v) => v,
                None => return Ok(BodyState::None),
            },
        },
        MediaKind::Text => {
            match String::from_utf8(bytes.to_vec()) {
                Ok(s) => Value::String(s),
                Err(_) => {
                    violations.push(Violation::new(vec!["body".into()], "string_unicode", "Input should be a valid string, unable to parse raw data as a unicode string"));
                    return Ok(BodyState::None);
                }
            }
        }
        MediaKind::Form => {
            let pairs: Vec<(String, String)> =
                form_urlencoded::parse(&bytes).into_owned().collect();
            match form_object(content.schema, pairs, mode, "body") {
                Ok(v) => v,
                Err(mut vs) => {
                    violations.append(&mut vs);
                    return Ok(BodyState::None);
                }
            }
        }
        MediaKind::Multipart => {
            let boundary = content_type.and_then(boundary);
            if let Some(b) = &boundary {
                if limits::multipart_parts(&bytes, b) > config.multipart_parts {
                    return Err(ErrorReport::too_many_parts(op, config.multipart_parts));
                }
            }
            match boundary.and_then(|b| crate::server::multipart::parse(&bytes, &b)) {
                Some(parts) => {
                    match crate::server::multipart::to_value(content.schema, parts, mode) {
                        Ok((v, parts)) => {
                            files = parts;
                            v
                        }
                        Err(mut vs) => {
                            violations.append(&mut vs);
                            return Ok(BodyState::None);
                        }
                    }
                }
                None => {
                    violations.push(Violation::new(
                        vec!["body".into()],
                        "multipart",
                        "Malformed multipart/form-data body",
                    ));
                    return Ok(BodyState::None);
                }
            }
        }
    };
    let form = matches!(content.kind, MediaKind::Form | MediaKind::Multipart);
    match content.schema {
        Some(schema) if form => Ok(match validate_form(schema, value, violations, mode) {
            BodyState::Value(value) if !files.is_empty() => BodyState::Multipart { value, files },
            other => other,
        }),
        Some(schema) => Ok(validate_body(schema, value, violations, mode)
            .map_or(BodyState::None, BodyState::Value)),
        None => Ok(BodyState::Value(value)),
    }
}

/// [`validate_body`] for a form: FastAPI reads each form field as a parameter of its own, so
/// in pydantic mode a missing field's `input` is `null` (not the form).
fn validate_form(
    schema: &Schema,
    value: Value,
    violations: &mut Vec<Violation>,
    mode: Validation,
) -> BodyState {
    let before = violations.len();
    let valid = validate_body(schema, value, violations, mode);
    if mode == Validation::Pydantic {
        for v in &mut violations[before..] {
            if v.kind == "missing" && v.loc.len() == 2 {
                v.input = Some(Value::Null);
            }
        }
    }
    valid.map_or(BodyState::None, BodyState::Value)
}

/// `body`: `Field required` (with pydantic's `input`, `null`, in that mode).
fn missing_body(mode: Validation) -> Violation {
    let mut v = Violation::missing(vec!["body".into()]);
    if mode == Validation::Pydantic {
        v.input = Some(Value::Null);
    }
    v
}

/// The content of an operation whose body is only a form (URL-encoded or multipart).
fn form_only(contents: &'static [Content]) -> Option<&'static Content> {
    match contents {
        [one] if matches!(one.kind, MediaKind::Form | MediaKind::Multipart) => Some(one),
        _ => None,
    }
}

/// A JSON body as a `Value`; invalid JSON is a `json_invalid` violation at its byte offset.
fn json_value(bytes: &[u8], violations: &mut Vec<Violation>) -> Option<Value> {
    match serde_json::from_slice::<Value>(bytes) {
        Ok(v) => Some(v),
        Err(e) => {
            let offset = if e.is_eof() {
                bytes.len()
            } else {
                byte_offset(bytes, e.line(), e.column())
            };
            violations.push(Violation::new(
                vec!["body".into(), offset.into()],
                "json_invalid",
                "JSON decode error",
            ));
            None
        }
    }
}

/// Validate a decoded body at location `body`: the value (as coerced in pydantic mode) when
/// it is valid.
fn validate_body(
    schema: &Schema,
    mut value: Value,
    violations: &mut Vec<Violation>,
    mode: Validation,
) -> Option<Value> {
    let before = violations.len();
    validate(
        schema,
        &mut value,
        &mut vec![LocSegment::from("body")],
        violations,
        mode,
    );
    (violations.len() == before).then_some(value)
}

/// The declared content a request's `Content-Type` selects. A request without one is read as
/// the first declared content (FastAPI reads such bodies as JSON, too).
fn choose_content(
    contents: &'static [Content],
    content_type: Option<&str>,
) -> Option<(usize, &'static Content)> {
    let Some(ct) = content_type else {
        return contents.first().map(|c| (0, c));
    };
    // Compared without allocating: ASCII case-insensitively, as the media types are.
    let essence = ct.split(';').next().unwrap_or("").trim().as_bytes();
    let json_like = essence.eq_ignore_ascii_case(b"application/json")
        || (essence.len() >= 5 && essence[essence.len() - 5..].eq_ignore_ascii_case(b"+json"));
    let exact = contents.iter().position(|c| {
        c.media_type
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .as_bytes()
            .eq_ignore_ascii_case(essence)
    });
    let index = exact
        .or_else(|| {
            contents
                .iter()
                .position(|c| c.kind == MediaKind::Json && json_like)
        })
        .or_else(|| {
            contents.iter().position(|c| {
                let m = c.media_type.as_bytes();
                m == b"*/*"
                    || m.strip_suffix(b"/*").is_some_and(|major| {
                        essence.len() > major.len()
                            && essence[..major.len()].eq_ignore_ascii_case(major)
                            && essence[major.len()] == b'/'
                    })
            })
        })?;
    Some((index, &contents[index]))
}

fn boundary(content_type: &str) -> Option<String> {
    content_type.split(';').skip(1).find_map(|p| {
        let (k, v) = p.trim().split_once('=')?;
        k.trim()
            .eq_ignore_ascii_case("boundary")
            .then(|| v.trim().trim_matches('"').to_owned())
    })
}

/// The byte offset of a 1-based line and column (serde_json's error position).
fn byte_offset(bytes: &[u8], line: usize, column: usize) -> usize {
    let mut offset = 0;
    for (i, l) in bytes.split(|b| *b == b'\n').enumerate() {
        if i + 1 == line {
            return offset + column.saturating_sub(1).min(l.len());
        }
        offset += l.len() + 1;
    }
    bytes.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_types_choose_the_declared_content() {
        static CONTENTS: [Content; 3] = [
            Content {
                media_type: "application/json",
                kind: MediaKind::Json,
                schema: None,
            },
            Content {
                media_type: "text/plain",
                kind: MediaKind::Text,
                schema: None,
            },
            Content {
                media_type: "image/*",
                kind: MediaKind::Binary,
                schema: None,
            },
        ];
        let index = |ct| choose_content(&CONTENTS, ct).map(|(i, _)| i);
        assert_eq!(index(None), Some(0));
        assert_eq!(index(Some("Application/JSON; charset=utf-8")), Some(0));
        assert_eq!(index(Some("application/problem+JSON")), Some(0));
        assert_eq!(index(Some("TEXT/plain")), Some(1));
        assert_eq!(index(Some("IMAGE/png")), Some(2));
        assert_eq!(index(Some("image")), None);
        assert_eq!(index(Some("text/html")), None);
    }

    #[test]
    fn multipart_boundaries_and_json_error_offsets() {
        assert_eq!(
            boundary("multipart/form-data; charset=utf-8; Boundary=\"a b\"").as_deref(),
            Some("a b")
        );
        assert_eq!(boundary("multipart/form-data"), None);
        assert_eq!(byte_offset(b"{\n  x\n}", 2, 3), 4);
        assert_eq!(byte_offset(b"ab", 1, 9), 2);
        assert_eq!(byte_offset(b"ab", 5, 1), 2);
        let mut violations = Vec::new();
        assert_eq!(json_value(b"[1,\n 2", &mut violations), None);
        assert_eq!(violations[0].loc_string(), "body.6");
        assert_eq!(violations[0].kind, "json_invalid");
    }
}
