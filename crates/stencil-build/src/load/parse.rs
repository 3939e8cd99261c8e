//! The declared version, and parsing the bundled, normalised document with `openapiv3`. A
//! type mismatch is reported at the pointer of the failing node: `serde_path_to_error` loses
//! the path inside `openapiv3`'s flattened and untagged types, so the failing node is found by
//! parsing the document's objects one by one, down to the deepest one that fails on its own.

use serde_json::Value;

use super::pointer::{self, Tokens};
use super::walk::{children, Kind};
use crate::diag::Diagnostic;

/// The OpenAPI version a document declares.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Version {
    V30,
    V31,
    /// 3.2: read as 3.1, its new keywords carried as extensions (`normalise::objects`).
    V32,
}

/// Check the declared version: `Ok((version, as declared))` or an error at the root.
pub(crate) fn version(root: &Value) -> Result<(Version, String), Box<Diagnostic>> {
    declared(root).map_err(Box::new)
}

#[allow(clippy::result_large_err)]
fn declared(root: &Value) -> Result<(Version, String), Diagnostic> {
    let Value::Object(m) = root else {
        let what = match root {
            Value::Null => "the document is empty",
            _ => "the document is not a mapping (an object with `openapi`, `info` and `paths`)",
        };
        return Err(Diagnostic::error("", what)
            .with_hint("an OpenAPI document starts with `openapi: 3.1.0` (or 3.0.3) and `info`"));
    };
    let declared = match m.get("openapi") {
        Some(Value::String(s)) => s.trim().to_owned(),
        Some(Value::Number(n)) => n.to_string(),
        Some(_) => {
            return Err(
                Diagnostic::error("/openapi", "`openapi` must be a version string")
                    .with_hint("write the version as a string, e.g. `openapi: 3.1.0`"),
            );
        }
        None if m.contains_key("swagger") => {
            return Err(
                Diagnostic::error("/swagger", "Swagger 2.0 is not supported").with_hint(
                    "convert the document to OpenAPI 3 first, e.g. `npx swagger2openapi \
                 swagger.yaml -o openapi.yaml` (or https://converter.swagger.io)",
                ),
            );
        }
        None => {
            return Err(
                Diagnostic::error("", "missing `openapi` field: not an OpenAPI document")
                    .with_hint("add the version at the top, e.g. `openapi: 3.1.0` (or 3.0.3)"),
            );
        }
    };
    let minor = |prefix: &str| {
        declared == prefix
            || declared
                .strip_prefix(prefix)
                .is_some_and(|rest| rest.starts_with('.'))
    };
    if minor("3.0") {
        Ok((Version::V30, declared))
    } else if minor("3.1") {
        Ok((Version::V31, declared))
    } else if minor("3.2") {
        Ok((Version::V32, declared))
    } else {
        let message = if declared.starts_with('2') {
            format!("OpenAPI version `{declared}` (Swagger 2.0) is not supported")
        } else {
            format!("unsupported OpenAPI version `{declared}`")
        };
        Err(Diagnostic::error("/openapi", message)
            .with_hint("Stencil reads OpenAPI 3.0.x, 3.1.x and 3.2.x documents"))
    }
}

type PathError = serde_path_to_error::Error<serde_json::Error>;

/// At most this many type errors are reported.
const MAX_ERRORS: usize = 50;

/// One deepest failing object: where it is, what it is, and the error inside it.
struct Failure {
    /// Pointer of the object.
    at: Tokens,
    kind: Kind,
    /// Path of the failing value inside the object.
    inner: Tokens,
    message: String,
}

impl Failure {
    fn diagnostic(&self) -> Diagnostic {
        let mut pointer = self.at.clone();
        pointer.extend(self.inner.iter().cloned());
        type_error(&pointer, &self.message)
    }
}

/// Rounds of repair before giving up (each round fixes every failure found).
const MAX_REPAIR_ROUNDS: usize = 8;

/// Keywords that only document (they end up in doc comments): a mistyped one is dropped with a
/// warning instead of rejecting the document.
const DOC_KEYWORDS: &[&str] = &["description", "summary", "title", "externalDocs"];

/// Parse the document, dropping mistyped documentation keywords (`description: {$ref: ...}`,
/// Azure OpenAI) with a warning. Any other type error is an error at the deepest failing
/// object.
pub(crate) fn openapi_lenient(
    raw: &mut Value,
    warnings: &mut Vec<Diagnostic>,
) -> Result<openapiv3::OpenAPI, Vec<Diagnostic>> {
    let mut last = Vec::new();
    for _ in 0..MAX_REPAIR_ROUNDS {
        // Plain deserialisation first: tracking the path costs an allocation per key, and is
        // only needed to locate a failure.
        if let Ok(doc) = <openapiv3::OpenAPI as serde::Deserialize>::deserialize(&*raw) {
            return Ok(doc);
        }
        let e = match serde_path_to_error::deserialize::<_, openapiv3::OpenAPI>(&*raw) {
            Ok(doc) => return Ok(doc),
            Err(e) => e,
        };
        let mut found = Vec::new();
        failures(raw, Kind::Root, &mut Vec::new(), &e, &mut found);
        let repairs: Vec<Option<Diagnostic>> = found.iter().map(|f| repair(raw, f)).collect();
        if repairs.iter().any(Option::is_none) {
            // Report every failure that was not repaired; keep the repairs' warnings.
            let mut errors = Vec::new();
            for (f, r) in found.iter().zip(repairs) {
                match r {
                    Some(w) => warnings.push(w),
                    None => errors.push(f.diagnostic()),
                }
            }
            return Err(errors);
        }
        warnings.extend(repairs.into_iter().flatten());
        last = found;
    }
    Err(last.iter().map(Failure::diagnostic).collect())
}

/// Make the failing object parse: drop mistyped documentation keywords, a mistyped schema
/// keyword, or a callback `openapiv3` cannot read. Returns the
/// warning to give.
fn repair(raw: &mut Value, f: &Failure) -> Option<Diagnostic> {
    if let Some(w) = repair_documentation(raw, f) {
        return Some(w);
    }
    if f.at.iter().chain(&f.inner).any(|t| t == "callbacks") {
        return drop_callback(raw, f);
    }
    match f.kind {
        Kind::Schema => repair_schema(raw, f),
        _ => None,
    }
}

/// Keywords of one failing schema tried for removal when serde does not name the failing one.
const MAX_SCHEMA_TRIES: usize = 32;

/// A schema keyword of the wrong type (`pattern: 0`, `type: {...}`) is dropped: the schema is
/// typed more loosely instead of the document being rejected. The failing keyword when serde
/// names it, else the first keyword whose removal makes the schema parse.
fn repair_schema(raw: &mut Value, f: &Failure) -> Option<Diagnostic> {
    let node = pointer::get_mut(raw, &f.at)?;
    let object = node.as_object()?;
    let named = f.inner.first().filter(|k| object.contains_key(k.as_str()));
    // Each try parses the schema again: a bounded number of them, so a huge failing schema
    // cannot make this quadratic.
    let candidates: Vec<String> = match named {
        Some(k) => vec![k.clone()],
        None => object
            .keys()
            .filter(|k| *k != "$ref")
            .take(MAX_SCHEMA_TRIES)
            .cloned()
            .collect(),
    };
    for key in candidates {
        let mut without = node.clone();
        without.as_object_mut()?.shift_remove(&key);
        // A named keyword goes even when another one still fails (the next round finds it).
        if named.is_some() || check_kind(&without, Kind::Schema).is_ok() {
            *node = without;
            let mut at = f.at.clone();
            at.push(key.clone());
            return Some(
                Diagnostic::warning(
                    pointer::render(&at),
                    format!("ignored schema keyword `{key}`: {}", f.message),
                )
                .with_hint(
                    "fix the keyword's value (see the JSON Schema specification) to have it used",
                ),
            );
        }
    }
    None
}

/// A callback `openapiv3` cannot read (a `$ref` to a callback component, say) is dropped.
fn drop_callback(raw: &mut Value, f: &Failure) -> Option<Diagnostic> {
    // `openapiv3` reads `callbacks` without references: the failure may be reported at the
    // operation, with the callback in the inner path.
    let full: Tokens = f.at.iter().chain(&f.inner).cloned().collect();
    let i = full.iter().rposition(|t| t == "callbacks")?;
    let name = full.get(i + 1)?;
    let callbacks = pointer::get_mut(raw, &full[..=i])?.as_object_mut()?;
    callbacks.shift_remove(name)?;
    Some(
        Diagnostic::warning(
            pointer::render(&full[..=i + 1]),
            format!("ignored callback `{name}`: {}", f.message),
        )
        .with_hint("write the callback inline to have it generated"),
    )
}

/// Drop the object's mistyped documentation keywords.
fn repair_documentation(raw: &mut Value, f: &Failure) -> Option<Diagnostic> {
    let node = pointer::get_mut(raw, &f.at)?;
    let object = node.as_object()?;
    // The failing keyword, or (inside `openapiv3`'s flattened schemas, where the path is lost)
    // every documentation keyword of the wrong shape.
    if f.inner
        .first()
        .is_some_and(|k| !DOC_KEYWORDS.contains(&k.as_str()))
    {
        return None;
    }
    // Every mistyped documentation keyword of the object (serde stops at the first).
    let keys: Vec<String> = DOC_KEYWORDS
        .iter()
        .filter(|k| match object.get(**k) {
            Some(Value::String(_)) | None => false,
            Some(Value::Object(_)) => **k != "externalDocs",
            Some(_) => true,
        })
        .map(|k| (*k).to_owned())
        .collect();
    if keys.is_empty() {
        return None;
    }
    let mut without = node.clone();
    for key in &keys {
        without.as_object_mut()?.shift_remove(key)?;
    }
    check_kind(&without, f.kind).ok()?;
    *node = without;
    let mut at = f.at.clone();
    at.push(keys[0].clone());
    let names: Vec<String> = keys.iter().map(|k| format!("`{k}`")).collect();
    Some(
        Diagnostic::warning(
            pointer::render(&at),
            format!("ignored {}: {}", names.join(", "), f.message),
        )
        .with_hint("documentation keywords must be strings here; fix the value to have it used"),
    )
}

/// Parse `$v` as `$t`, keeping only the error.
macro_rules! check {
    ($t:ty, $v:expr) => {
        serde_path_to_error::deserialize::<_, $t>($v).map(|_| ())
    };
}

/// Parse one object as what `openapiv3` reads at a position of this kind.
fn check_kind(v: &Value, kind: Kind) -> Result<(), PathError> {
    use openapiv3::{ReferenceOr as R, *};
    match kind {
        Kind::Root => check!(OpenAPI, v),
        Kind::Components => check!(Components, v),
        Kind::PathItem => check!(R<PathItem>, v),
        Kind::Operation => check!(Operation, v),
        Kind::Parameter => check!(R<Parameter>, v),
        Kind::Header => check!(R<Header>, v),
        Kind::RequestBody => check!(R<RequestBody>, v),
        Kind::Response => check!(R<Response>, v),
        Kind::MediaType => check!(MediaType, v),
        Kind::Encoding => check!(Encoding, v),
        Kind::Schema => check!(R<Schema>, v),
        Kind::Example => check!(R<Example>, v),
        Kind::Link => check!(R<Link>, v),
        Kind::Callback => check!(R<Callback>, v),
        Kind::SecurityScheme => check!(R<SecurityScheme>, v),
    }
}

/// Report the objects under `node` (which failed with `err`) that fail on their own: the
/// children that fail, recursively; `node` itself when none of its children fails.
fn failures(node: &Value, kind: Kind, at: &mut Tokens, err: &PathError, out: &mut Vec<Failure>) {
    let mut child_failed = false;
    for (rel, k) in children(node, kind) {
        if out.len() >= MAX_ERRORS {
            return;
        }
        let Some(child) = pointer::get(node, &rel) else {
            continue;
        };
        if let Err(e) = check_kind(child, k) {
            child_failed = true;
            let len = at.len();
            at.extend(rel);
            failures(child, k, at, &e, out);
            at.truncate(len);
        }
    }
    if child_failed {
        return;
    }
    use serde_path_to_error::Segment;
    let mut inner = Tokens::new();
    for segment in err.path().iter() {
        match segment {
            Segment::Seq { index } => inner.push(index.to_string()),
            Segment::Map { key } => inner.push(key.clone()),
            Segment::Enum { .. } => {}
            Segment::Unknown => break,
        }
    }
    out.push(Failure {
        at: at.clone(),
        kind,
        inner,
        message: err.inner().to_string(),
    });
}

/// A type mismatch found by `openapiv3`, at `at`.
fn type_error(at: &[String], inner: &str) -> Diagnostic {
    let hint = if let Some(field) = between(inner, "missing field `", "`") {
        format!("add the required field `{field}` here")
    } else if inner.starts_with("unknown variant") {
        if inner.contains("`body`") || inner.contains("`formData`") {
            "use one of the listed values; Swagger 2.0 `in: body`/`formData` parameters are a \
             `requestBody` in OpenAPI 3"
                .to_owned()
        } else {
            "use one of the listed values".to_owned()
        }
    } else if inner.starts_with("invalid type") {
        "change the value to the expected type (see the OpenAPI specification for this field)"
            .to_owned()
    } else {
        "fix this object so that it matches the OpenAPI specification".to_owned()
    };
    Diagnostic::error(pointer::render(at), format!("invalid document: {inner}")).with_hint(hint)
}

fn between<'a>(s: &'a str, start: &str, end: &str) -> Option<&'a str> {
    let rest = &s[s.find(start)? + start.len()..];
    Some(&rest[..rest.find(end)?])
}
