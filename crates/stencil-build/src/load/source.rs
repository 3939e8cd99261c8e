//! Source text: format detection, parsing into `serde_json::Value`; the files read, and
//! locating diagnostics in them (positions are indexed lazily, only when a diagnostic needs
//! one).

use std::collections::HashMap;
use std::fmt;
use std::sync::OnceLock;

use serde_json::Value;

use super::positions::PosIndex;
use crate::diag::{Diagnostic, Position};

/// Nesting deeper than this is rejected by both parsers (their own recursion limits).
pub(crate) const MAX_PARSE_DEPTH: usize = 128;

/// A parse failure: message, where, and what to do.
#[derive(Debug)]
pub(crate) struct ParseError {
    pub message: String,
    pub position: Option<Position>,
    pub hint: String,
}

/// Parse a document. JSON when the first non-whitespace character is `{` (fast path), YAML
/// otherwise. Mapping keys that YAML reads as numbers or booleans (`200:`) keep their text.
pub(crate) fn parse(text: &str) -> Result<Value, ParseError> {
    let body = text.strip_prefix('\u{feff}').unwrap_or(text);
    if body.trim_start().starts_with('{') {
        return match serde_json::from_str::<Value>(body) {
            Ok(v) => Ok(v),
            Err(e) => {
                // A YAML flow mapping (`{openapi: 3.1.0, ...}`) also starts with `{`.
                if e.is_syntax() && !e.to_string().starts_with("recursion limit") {
                    if let Ok(v) = parse_yaml(body) {
                        return Ok(v);
                    }
                }
                Err(json_error(&e))
            }
        };
    }
    parse_yaml(body).map_err(|e| yaml_error(&e))
}

fn parse_yaml(text: &str) -> Result<Value, serde_yaml::Error> {
    use serde::de::DeserializeSeed;
    // Not `serde_json::Value`'s own `Deserialize`: it refuses integers beyond 64 bits
    // (`minimum: -9223372036854776000`, OpenAI), which `Lenient` reads as floats. One pass
    // either way (retrying on that error parsed such documents twice).
    let mut value = lenient::Lenient.deserialize(serde_yaml::Deserializer::from_str(text))?;
    if text.contains("<<") {
        apply_merge_keys(&mut value);
    }
    Ok(value)
}

/// YAML merge keys: `<<: *base` (or a list of aliases) adds the keys the mapping lacks.
fn apply_merge_keys(value: &mut Value) {
    match value {
        Value::Object(m) => {
            if let Some(merge) = m.shift_remove("<<") {
                let sources = match merge {
                    Value::Array(list) => list,
                    other => vec![other],
                };
                for source in sources {
                    if let Value::Object(src) = source {
                        for (k, v) in src {
                            if !m.contains_key(&k) {
                                m.insert(k, v);
                            }
                        }
                    }
                }
            }
            for v in m.values_mut() {
                apply_merge_keys(v);
            }
        }
        Value::Array(list) => list.iter_mut().for_each(apply_merge_keys),
        _ => {}
    }
}

fn strip_location(message: &str, line: usize, column: usize) -> String {
    let at = format!(" at line {line} column {column}");
    match message.find(&at) {
        Some(i) => format!("{}{}", &message[..i], &message[i + at.len()..]),
        None => message.to_owned(),
    }
}

fn depth_hint() -> String {
    format!(
        "the document nests deeper than {MAX_PARSE_DEPTH} levels, which no real API needs; \
         look for runaway nesting (or a generator bug) around this position"
    )
}

fn json_error(e: &serde_json::Error) -> ParseError {
    let (line, column) = (e.line().max(1), e.column().max(1));
    let message = strip_location(&e.to_string(), e.line(), e.column());
    let hint = if message.starts_with("recursion limit") {
        depth_hint()
    } else if e.is_eof() {
        "the JSON ends early: check for a missing `}` or `]`, or a truncated file".to_owned()
    } else {
        "fix the JSON syntax at this position (JSON allows no comments, trailing commas or \
         unquoted keys)"
            .to_owned()
    };
    ParseError {
        message: format!("invalid JSON: {message}"),
        position: Some(Position { line, column }),
        hint,
    }
}

fn yaml_error(e: &serde_yaml::Error) -> ParseError {
    let loc = e.location();
    let mut message = e.to_string();
    if let Some(l) = &loc {
        message = strip_location(&message, l.line(), l.column());
    }
    let hint = if message.starts_with("recursion limit") {
        depth_hint()
    } else if message.contains("more than one document") {
        "keep one document per file (remove the extra `---` separators)".to_owned()
    } else if message.contains("expected a string key") {
        "mapping keys must be plain values (strings, numbers or booleans)".to_owned()
    } else {
        "fix the YAML syntax at this position (check indentation, quoting and `:` after keys)"
            .to_owned()
    };
    ParseError {
        message: format!("invalid YAML: {message}"),
        position: Some(
            loc.map(|l| Position {
                line: l.line().max(1),
                column: l.column().max(1),
            })
            .unwrap_or(Position { line: 1, column: 1 }),
        ),
        hint,
    }
}

// ---------------------------------------------------------------------------------------------
// Files and locating

/// A file read by the loader, kept to locate diagnostics.
pub(crate) struct SourceInfo {
    pub display: String,
    pub text: String,
    index: OnceLock<PosIndex>,
}

impl SourceInfo {
    pub(crate) fn new(display: String, text: String) -> Self {
        SourceInfo {
            display,
            text,
            index: OnceLock::new(),
        }
    }

    /// Install a position index built ahead of time (see `load::pipeline`); it must be the
    /// index of this file's text.
    pub(crate) fn set_index(&self, index: PosIndex) {
        let _ = self.index.set(index);
    }

    pub(crate) fn position(&self, pointer: &str) -> Option<Position> {
        self.index
            .get_or_init(|| PosIndex::build(&self.text))
            .find(pointer)
    }
}

impl fmt::Debug for SourceInfo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "SourceInfo({:?}, {} bytes)",
            self.display,
            self.text.len()
        )
    }
}

/// Maps pointers of the bundled document back to the file and pointer they came from, and
/// pointers of files to line:column.
#[derive(Debug, Default)]
pub(crate) struct Locator {
    pub files: Vec<SourceInfo>,
    /// Bundled pointer prefix → (file index, pointer prefix in that file). `""` → root.
    pub relocations: HashMap<String, (usize, String)>,
}

impl Locator {
    /// The file and file pointer of a pointer of the bundled document.
    pub(crate) fn origin(&self, pointer: &str) -> (usize, String) {
        let mut p = pointer;
        loop {
            if let Some((file, src)) = self.relocations.get(p) {
                return (*file, format!("{src}{}", &pointer[p.len()..]));
            }
            match p.rfind('/') {
                Some(cut) => p = &p[..cut],
                None => return (0, pointer.to_owned()),
            }
        }
    }

    pub(crate) fn relocate(&mut self, bundled: String, file: usize, src: String) {
        self.relocations.insert(bundled, (file, src));
    }

    /// Fill in file and position of a diagnostic. Without a file, its pointer is one of the
    /// bundled document; with one, a pointer in that file.
    pub(crate) fn locate(&self, mut d: Diagnostic) -> Diagnostic {
        if d.position.is_some() {
            return d;
        }
        let file = if d.file.as_os_str().is_empty() {
            let (file, pointer) = self.origin(&d.pointer);
            d.pointer = pointer;
            file
        } else {
            let shown = d.file.to_string_lossy().replace('\\', "/");
            match self.files.iter().position(|f| f.display == shown) {
                Some(i) => i,
                None => return d,
            }
        };
        if let Some(source) = self.files.get(file) {
            d.file = source.display.clone().into();
            d.position = source.position(&d.pointer);
        }
        d
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_keep_their_text() {
        let v = parse("responses:\n  200: {description: ok}\n  true: 1\n").unwrap();
        assert!(v["responses"].get("200").is_some());
        assert!(v["responses"].get("true").is_some());
    }

    #[test]
    fn merge_keys() {
        let v = parse("base: &b {x: 1, y: 1}\nd:\n  <<: *b\n  y: 2\n").unwrap();
        assert_eq!(v["d"], serde_json::json!({"y": 2, "x": 1}));
    }

    #[test]
    fn deep_input_is_an_error() {
        let e = parse(&"[".repeat(10_000)).unwrap_err();
        assert!(e.message.contains("recursion limit"), "{}", e.message);
        let e = parse(&"- ".repeat(10_000)).unwrap_err();
        assert!(e.message.contains("recursion limit"), "{}", e.message);
    }
}

/// A `serde_json::Value` visitor that also takes 128-bit integers (as the nearest `f64`).
mod lenient {
    use std::fmt;

    use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
    use serde_json::{Map, Number, Value};

    pub(super) struct Lenient;

    impl<'de> DeserializeSeed<'de> for Lenient {
        type Value = Value;
        fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
            d.deserialize_any(self)
        }
    }

    fn float(f: f64) -> Value {
        Number::from_f64(f).map_or(Value::Null, Value::Number)
    }

    impl<'de> Visitor<'de> for Lenient {
        type Value = Value;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("any YAML value")
        }
        fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
            Ok(Value::Bool(v))
        }
        fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
            Ok(Value::Number(v.into()))
        }
        fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
            Ok(Value::Number(v.into()))
        }
        fn visit_i128<E>(self, v: i128) -> Result<Value, E> {
            Ok(i64::try_from(v).map_or_else(|_| float(v as f64), |i| Value::Number(i.into())))
        }
        fn visit_u128<E>(self, v: u128) -> Result<Value, E> {
            Ok(u64::try_from(v).map_or_else(|_| float(v as f64), |i| Value::Number(i.into())))
        }
        fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
            Ok(float(v))
        }
        fn visit_str<E>(self, v: &str) -> Result<Value, E> {
            Ok(Value::String(v.to_owned()))
        }
        fn visit_string<E>(self, v: String) -> Result<Value, E> {
            Ok(Value::String(v))
        }
        fn visit_none<E>(self) -> Result<Value, E> {
            Ok(Value::Null)
        }
        fn visit_unit<E>(self) -> Result<Value, E> {
            Ok(Value::Null)
        }
        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
            d.deserialize_any(self)
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
            let mut out = Vec::new();
            while let Some(v) = seq.next_element_seed(Lenient)? {
                out.push(v);
            }
            Ok(Value::Array(out))
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
            let mut out = Map::new();
            while let Some(k) = map.next_key::<String>()? {
                let v = map.next_value_seed(Lenient)?;
                out.insert(k, v);
            }
            Ok(Value::Object(out))
        }
    }
}
