//! A small `multipart/form-data` reader: enough for typed form fields, JSON parts and file parts.

use bytes::Bytes;
use serde_json::{Map, Value};

use super::coerce::coerce_text;
use super::form_files::{placeholder, Files};
use super::schema::Schema;
use super::validate::Validation;
use super::violation::{LocSegment, Violation};

/// One part of a multipart body.
#[derive(Debug)]
pub(crate) struct Part {
    pub name: String,
    pub content_type: Option<String>,
    /// A slice of the body (no copy).
    pub data: Bytes,
}

fn find(haystack: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    if needle.is_empty() || from > haystack.len() {
        return None;
    }
    haystack[from..]
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|i| i + from)
}

/// Split a body into parts; `None` when it is not well-formed.
pub(crate) fn parse(body: &Bytes, boundary: &str) -> Option<Vec<Part>> {
    let delimiter = format!("--{boundary}");
    let delimiter = delimiter.as_bytes();
    let mut pos = find(body, delimiter, 0)? + delimiter.len();
    let mut parts = Vec::new();
    loop {
        if body.get(pos..pos + 2) == Some(b"--") {
            return Some(parts);
        }
        pos = find(body, b"\r\n", pos)? + 2;
        let header_end = find(body, b"\r\n\r\n", pos)?;
        let headers = std::str::from_utf8(&body[pos..header_end]).ok()?;
        let data_start = header_end + 4;
        let mut next_delimiter = Vec::with_capacity(delimiter.len() + 2);
        next_delimiter.extend_from_slice(b"\r\n");
        next_delimiter.extend_from_slice(delimiter);
        let data_end = find(body, &next_delimiter, data_start)?;
        let mut name = None;
        let mut content_type = None;
        for line in headers.split("\r\n") {
            let Some((key, value)) = line.split_once(':') else {
                continue;
            };
            if key.trim().eq_ignore_ascii_case("content-disposition") {
                for param in value.split(';').skip(1) {
                    if let Some((k, v)) = param.trim().split_once('=') {
                        if k.trim().eq_ignore_ascii_case("name") {
                            name = Some(v.trim().trim_matches('"').to_owned());
                        }
                    }
                }
            } else if key.trim().eq_ignore_ascii_case("content-type") {
                content_type = Some(value.trim().to_owned());
            }
        }
        parts.push(Part {
            name: name?,
            content_type,
            data: body.slice(data_start..data_end),
        });
        pos = data_end + next_delimiter.len();
    }
}

fn is_binary(schema: &Schema) -> bool {
    matches!(schema.base(), Schema::Str(Some("binary")))
}

/// The parts as a JSON object typed by the body schema (JSON parts parsed, text parts coerced
/// to the field type) and the file parts (`format: binary` fields) beside it, each as the
/// bytes it came as, with a [`placeholder`] in the object.
pub(crate) fn to_value(
    schema: Option<&Schema>,
    parts: Vec<Part>,
    mode: Validation,
) -> Result<(Value, Files), Vec<Violation>> {
    let object = schema.and_then(Schema::object);
    let mut map = Map::new();
    let mut files = Files::default();
    let mut violations = Vec::new();
    for part in parts {
        let field = object.and_then(|o| {
            o.fields
                .iter()
                .find(|f| f.name == part.name)
                .map(|f| f.schema)
                .or(o.additional)
        });
        let (is_array, item_schema) = match field.map(Schema::base) {
            Some(Schema::Array(items)) => (true, Some(*items)),
            _ => (false, field),
        };
        let loc = || {
            vec![
                LocSegment::from("body"),
                LocSegment::from(part.name.as_str()),
            ]
        };
        let json = part
            .content_type
            .as_deref()
            .map(|ct| {
                ct.split(';')
                    .next()
                    .unwrap_or("")
                    .trim()
                    .to_ascii_lowercase()
            })
            .is_some_and(|e| e == "application/json" || e.ends_with("+json"));
        let value = if item_schema.is_some_and(is_binary) {
            files.push(&part.name, part.data);
            placeholder()
        } else if json {
            match serde_json::from_slice(&part.data) {
                Ok(v) => v,
                Err(_) => {
                    violations.push(Violation::new(loc(), "json_invalid", "JSON decode error"));
                    continue;
                }
            }
        } else {
            let Ok(text) = String::from_utf8(part.data.to_vec()) else {
                violations.push(Violation::new(
                    loc(),
                    "string_unicode",
                    "Input should be a valid string, unable to parse raw data as a unicode string",
                ));
                continue;
            };
            match item_schema {
                Some(s) => match coerce_text(s, &text, mode) {
                    Ok(v) => v,
                    Err(failure) => {
                        violations.push(failure.at(loc()));
                        continue;
                    }
                },
                None => Value::String(text),
            }
        };
        if is_array {
            match map
                .entry(part.name)
                .or_insert_with(|| Value::Array(Vec::new()))
            {
                Value::Array(xs) => xs.push(value),
                other => *other = Value::Array(vec![value]),
            }
        } else {
            map.insert(part.name, value);
        }
    }
    if violations.is_empty() {
        Ok((Value::Object(map), files))
    } else {
        Err(violations)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_parts() {
        let body = b"--XX\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nhello\r\n--XX\r\nContent-Disposition: form-data; name=\"f\"; filename=\"x.bin\"\r\nContent-Type: application/octet-stream\r\n\r\n\x00\x01\r\n--XX--\r\n";
        let parts = parse(&Bytes::from_static(body), "XX").unwrap();
        assert_eq!(parts.len(), 2);
        assert_eq!(parts[0].name, "a");
        assert_eq!(parts[0].data, &b"hello"[..]);
        assert_eq!(parts[1].data, &b"\x00\x01"[..]);
        assert!(parse(&Bytes::from_static(b"garbage"), "XX").is_none());
    }
}
