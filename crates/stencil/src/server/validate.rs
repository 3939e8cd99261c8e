//! Validation of JSON values against [`Schema`] descriptions, collecting every violation.

use serde_json::{json, Value};

use super::pydantic;
use super::schema::{IntKind, Object, Operation, Schema, Union};
use super::violation::{LocSegment, Violation};

mod rules;

pub use rules::{check_format, matches_pattern};
use rules::{check_rules, one_of, violation};

/// Nesting beyond this is not looked into (recursive schemas, hostile input).
const MAX_DEPTH: usize = 64;

/// How values are read: which values of the wrong JSON kind are accepted, and how failures
/// are located and worded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Validation {
    /// JSON Schema semantics: a value must have its schema's JSON kind.
    Standard,
    /// Pydantic 2's lax mode, for documents FastAPI wrote: `"12"` is an integer, `1` a
    /// boolean, a Unix timestamp a datetime (and the value is rewritten into what the Rust type
    /// reads); tagged-union failures are located under the tag, tuple and union failures as
    /// pydantic locates them.
    Pydantic,
}

impl Validation {
    /// [`Validation::Pydantic`] when the operation answers validation failures in FastAPI's
    /// `HTTPValidationError` envelope (`detail`: an array of `{loc, msg, type}`), else
    /// [`Validation::Standard`].
    pub fn of(op: &Operation) -> Validation {
        let envelope = op
            .error_response(op.validation_status())
            .or(op.fallback)
            .and_then(|e| e.schema)
            .and_then(Schema::object);
        let detail = envelope
            .and_then(|o| o.fields.iter().find(|f| f.name == "detail"))
            .and_then(|f| match f.schema.base() {
                Schema::Array(items) => items.object(),
                _ => None,
            });
        let fastapi = detail.is_some_and(|item| {
            ["loc", "msg", "type"]
                .iter()
                .all(|name| item.fields.iter().any(|f| f.name == *name))
        });
        if fastapi {
            Validation::Pydantic
        } else {
            Validation::Standard
        }
    }
}

/// Validate `value` against `schema`, appending a violation per failure. `loc` is the location
/// of `value` (e.g. `["body"]`). In [`Validation::Pydantic`] mode, values accepted after a
/// coercion are rewritten in place (`"12"` → `12`); [`Validation::Standard`] never changes
/// `value`.
pub fn validate(
    schema: &Schema,
    value: &mut Value,
    loc: &mut Vec<LocSegment>,
    out: &mut Vec<Violation>,
    mode: Validation,
) {
    Walk { loc, out, mode }.check(schema, value, 0);
}

/// One validation: where it is, what it found, how it reads values.
struct Walk<'a> {
    loc: &'a mut Vec<LocSegment>,
    out: &'a mut Vec<Violation>,
    mode: Validation,
}

impl Walk<'_> {
    fn push(&mut self, kind: &str, msg: impl Into<String>) {
        self.out.push(violation(self.loc, kind, msg));
    }

    fn push_ctx(&mut self, kind: &str, msg: impl Into<String>, ctx: Value) {
        self.out.push(violation(self.loc, kind, msg).with_ctx(ctx));
    }

    fn at(&mut self, segment: LocSegment, f: impl FnOnce(&mut Self)) {
        self.loc.push(segment);
        f(self);
        self.loc.pop();
    }

    fn lax(&self) -> bool {
        self.mode == Validation::Pydantic
    }

    /// Pydantic mode: replace `value` by what `coerce` makes of it, or record its failure.
    fn coerce(
        &mut self,
        value: &mut Value,
        coerce: fn(&Value) -> Result<Value, super::violation::Failure>,
    ) -> bool {
        match coerce(value) {
            Ok(v) => {
                *value = v;
                true
            }
            Err(failure) => {
                self.out.push(failure.at(self.loc.clone()));
                false
            }
        }
    }

    fn check(&mut self, schema: &Schema, value: &mut Value, depth: usize) {
        if depth > MAX_DEPTH {
            return;
        }
        if !self.lax() {
            return self.check_node(schema, value, depth);
        }
        // Pydantic gives the value as sent with each failure: a scalar is kept before it is
        // coerced (cheap); a container is only copied when something failed at its location.
        let before = self.out.len();
        let original = (!value.is_object() && !value.is_array()).then(|| value.clone());
        self.check_node(schema, value, depth);
        if self.out.len() > before {
            let input = original.unwrap_or_else(|| value.clone());
            for v in &mut self.out[before..] {
                if v.input.is_none() && v.loc == *self.loc {
                    v.input = Some(input.clone());
                }
            }
        }
    }

    fn check_node(&mut self, schema: &Schema, value: &mut Value, depth: usize) {
        let lax = self.lax();
        match schema {
            Schema::Any => {}
            Schema::Nullable(inner) => {
                if !value.is_null() {
                    self.check(inner, value, depth + 1);
                }
            }
            Schema::Checked(inner, rules) => {
                let before = self.out.len();
                self.check(inner, value, depth + 1);
                if self.out.len() == before {
                    check_rules(rules, value, self.loc, self.out, whole(inner));
                } else if lax && self.out.len() == before + 1 && beyond_i64(inner, value) {
                    // An integer too large for its Rust type: pydantic (whose integers have no
                    // size) reports the document's own bound instead, when one is broken.
                    let mut own = Vec::new();
                    check_rules(rules, value, self.loc, &mut own, true);
                    if !own.is_empty() {
                        self.out.truncate(before);
                        self.out.append(&mut own);
                    }
                }
            }
            Schema::Bool if lax => {
                self.coerce(value, pydantic::boolean);
            }
            Schema::Bool => {
                if !value.is_boolean() {
                    self.push("bool_type", "Input should be a valid boolean");
                }
            }
            Schema::Int(kind) => {
                if !lax || self.coerce(value, pydantic::int) {
                    self.check_int(*kind, value);
                }
            }
            Schema::Float if lax => {
                self.coerce(value, pydantic::float);
            }
            Schema::Float => {
                if !value.is_number() {
                    self.push("float_type", "Input should be a valid number");
                }
            }
            // Binary data travels as raw bytes (or multipart file parts), never checked as JSON.
            Schema::Str(Some("binary")) => {}
            Schema::Str(Some("date")) if lax => {
                self.coerce(value, pydantic::date);
            }
            Schema::Str(Some("date-time")) if lax => {
                self.coerce(value, pydantic::datetime);
            }
            Schema::Str(Some("uuid")) if lax => {
                self.coerce(value, pydantic::uuid);
            }
            Schema::Str(format) => match value.as_str() {
                None => self.push("string_type", "Input should be a valid string"),
                Some(s) => {
                    if let Some(format) = format {
                        if let Some(v) = check_format(format, s, self.loc) {
                            self.out.push(v);
                        }
                    }
                }
            },
            Schema::StringEnum(values) => match value.as_str() {
                Some(s) if values.contains(&s) => {}
                _ => {
                    let expected = one_of(values.iter().map(|v| format!("'{v}'")));
                    self.push_ctx(
                        "enum",
                        format!("Input should be {expected}"),
                        json!({ "expected": expected }),
                    );
                }
            },
            Schema::IntEnum(values) => self.check_int_enum(values, value),
            Schema::Array(items) => match value.as_array_mut() {
                None => self.push("list_type", "Input should be a valid list"),
                Some(xs) => {
                    for (i, x) in xs.iter_mut().enumerate() {
                        self.at(LocSegment::Index(i), |w| w.check(items, x, depth + 1));
                    }
                }
            },
            Schema::Tuple(items) => self.check_tuple(items, value, depth),
            Schema::Map(values) => match value.as_object_mut() {
                None => self.push("dict_type", "Input should be a valid dictionary"),
                Some(map) => {
                    for (k, v) in map.iter_mut() {
                        self.at(LocSegment::Key(k.clone()), |w| {
                            w.check(values, v, depth + 1)
                        });
                    }
                }
            },
            Schema::Object(object) => self.check_object(object, None, value, depth),
            Schema::Union(union) => self.check_union(union, value, depth),
        }
    }

    fn check_int_enum(&mut self, values: &[i64], value: &mut Value) {
        if self.lax() {
            if value
                .as_f64()
                .is_some_and(|f| f.fract() == 0.0 && f.abs() >= 9.2e18)
            {
                self.push(
                    "int_parsing_size",
                    "Unable to parse input string as an integer, exceeded maximum size",
                );
                return;
            }
            if let Ok(v) = pydantic::int(value) {
                *value = v;
            }
        }
        match value.as_i64() {
            Some(n) if values.contains(&n) => {}
            _ => {
                let expected = one_of(values.iter().map(|v| v.to_string()));
                self.push_ctx(
                    "enum",
                    format!("Input should be {expected}"),
                    json!({ "expected": expected }),
                );
            }
        }
    }

    fn check_tuple(&mut self, items: &[&Schema], value: &mut Value, depth: usize) {
        if items.is_empty() && !value.is_null() {
            // Rust's `()` (`type: 'null'`): serde reads it from `null` only.
            return self.push("none_required", "Input should be None");
        }
        let lax = self.lax();
        let Some(xs) = value.as_array_mut() else {
            self.push("tuple_type", "Input should be a valid tuple");
            return;
        };
        let (want, got) = (items.len(), xs.len());
        if !lax && want != got {
            self.push(
                "tuple_length",
                format!("Tuple should have exactly {want} items, not {got}"),
            );
            return;
        }
        if got > want {
            // Pydantic: too many items is one failure of the tuple.
            self.push_ctx(
                "too_long",
                format!("Tuple should have at most {want} items after validation, not {got}"),
                json!({ "field_type": "Tuple", "max_length": want, "actual_length": got }),
            );
            return;
        }
        for (i, item) in items.iter().enumerate() {
            match xs.get_mut(i) {
                Some(x) => self.at(LocSegment::Index(i), |w| w.check(item, x, depth + 1)),
                None => {
                    let mut missing = Violation::missing(self.loc.clone());
                    missing.loc.push(LocSegment::Index(i));
                    missing.input = Some(Value::Array(xs.clone()));
                    self.out.push(missing);
                }
            }
        }
    }

    fn check_object(
        &mut self,
        object: &Object,
        skip: Option<&str>,
        value: &mut Value,
        depth: usize,
    ) {
        let Some(map) = value.as_object_mut() else {
            self.push(
                "model_attributes_type",
                "Input should be a valid dictionary or object to extract fields from",
            );
            return;
        };
        let mut missing = Vec::new();
        for field in object.fields {
            if Some(field.name) == skip {
                continue;
            }
            self.at(LocSegment::Key(field.name.to_owned()), |w| {
                match map.get_mut(field.name) {
                    None if field.required => {
                        missing.push(w.out.len());
                        w.out.push(Violation::missing(w.loc.clone()));
                    }
                    None => {}
                    Some(Value::Null) if field.nullable => {}
                    Some(v) => w.check(field.schema, v, depth + 1),
                }
            });
        }
        if let Some(additional) = object.additional {
            for (k, v) in map.iter_mut() {
                if object.fields.iter().any(|f| f.name == k) || Some(k.as_str()) == skip {
                    continue;
                }
                self.at(LocSegment::Key(k.clone()), |w| {
                    w.check(additional, v, depth + 1)
                });
            }
        }
        // Pydantic gives a missing field's input as the object it is missing from.
        if self.lax() && !missing.is_empty() {
            let input = Value::Object(map.clone());
            for i in missing {
                self.out[i].input = Some(input.clone());
            }
        }
    }

    fn check_union(&mut self, union: &Union, value: &mut Value, depth: usize) {
        match union.tag {
            Some(tag) => self.check_tagged(union, tag, value, depth),
            None if self.lax() => self.check_smart(union, value, depth),
            None => self.check_untagged(union, value, depth),
        }
    }

    fn check_tagged(&mut self, union: &Union, tag: &str, value: &mut Value, depth: usize) {
        let lax = self.lax();
        let Some(map) = value.as_object() else {
            self.push(
                "model_attributes_type",
                "Input should be a valid dictionary or object to extract fields from",
            );
            return;
        };
        let tags = union.variants.iter().flat_map(|v| v.tags.iter());
        let expected = if lax {
            tags.map(|t| format!("'{t}'"))
                .collect::<Vec<_>>()
                .join(", ")
        } else {
            one_of(tags.map(|t| format!("'{t}'")))
        };
        let invalid = |w: &mut Self, found: &str| {
            w.push_ctx(
                "union_tag_invalid",
                format!("Input tag '{found}' found using '{tag}' does not match any of the expected tags: {expected}"),
                json!({ "discriminator": format!("'{tag}'"), "tag": found, "expected_tags": expected }),
            )
        };
        let found = match map.get(tag) {
            None if lax => {
                let msg = format!("Unable to extract tag using discriminator '{tag}'");
                return self.push_ctx(
                    "union_tag_not_found",
                    msg,
                    json!({ "discriminator": format!("'{tag}'") }),
                );
            }
            None => {
                return self.at(LocSegment::Key(tag.to_owned()), |w| {
                    w.out.push(Violation::missing(w.loc.clone()))
                });
            }
            Some(Value::String(t)) => t.clone(),
            Some(other) if lax => return invalid(self, &python_str(other)),
            Some(_) => {
                return self.at(LocSegment::Key(tag.to_owned()), |w| {
                    w.push("string_type", "Input should be a valid string")
                });
            }
        };
        let Some(variant) = union
            .variants
            .iter()
            .find(|v| v.tags.contains(&found.as_str()))
        else {
            return invalid(self, &found);
        };
        let mut inner = |w: &mut Self| match variant.schema.object() {
            Some(object) => w.check_object(object, Some(tag), value, depth + 1),
            None => w.check(variant.schema, value, depth + 1),
        };
        if lax {
            // Pydantic locates a member's failures under its tag: `body.pet.cat.meows`.
            self.at(LocSegment::Key(found), inner);
        } else {
            inner(self);
        }
    }

    /// Untagged, standard: valid when a variant accepts it; otherwise the closest variant's
    /// failures.
    fn check_untagged(&mut self, union: &Union, value: &mut Value, depth: usize) {
        let mut best: Option<Vec<Violation>> = None;
        for variant in union.variants {
            let mut attempt = Vec::new();
            Walk {
                loc: self.loc,
                out: &mut attempt,
                mode: self.mode,
            }
            .check(variant.schema, value, depth + 1);
            if attempt.is_empty() {
                return;
            }
            if best.as_ref().is_none_or(|b| attempt.len() < b.len()) {
                best = Some(attempt);
            }
        }
        self.out.extend(best.unwrap_or_default());
    }

    /// Untagged, pydantic's smart mode: a variant that accepts the value as it is wins, then
    /// one that accepts it after coercion; otherwise every variant's failures, each located
    /// under the variant's name (`body.x.int`, `body.x.str`) where pydantic can name them all.
    fn check_smart(&mut self, union: &Union, value: &mut Value, depth: usize) {
        for variant in union.variants {
            let mut attempt = Vec::new();
            Walk {
                loc: self.loc,
                out: &mut attempt,
                mode: Validation::Standard,
            }
            .check(variant.schema, value, depth + 1);
            if attempt.is_empty() {
                return;
            }
        }
        let labels: Option<Vec<String>> = union.variants.iter().map(|v| label(v.schema)).collect();
        let mut failures = Vec::new();
        for (i, variant) in union.variants.iter().enumerate() {
            let mut candidate = value.clone();
            let mut attempt = Vec::new();
            match &labels {
                Some(labels) => {
                    self.loc.push(LocSegment::Key(labels[i].clone()));
                    Walk {
                        loc: self.loc,
                        out: &mut attempt,
                        mode: self.mode,
                    }
                    .check(variant.schema, &mut candidate, depth + 1);
                    self.loc.pop();
                }
                None => Walk {
                    loc: self.loc,
                    out: &mut attempt,
                    mode: self.mode,
                }
                .check(variant.schema, &mut candidate, depth + 1),
            }
            if attempt.is_empty() {
                *value = candidate;
                return;
            }
            failures.push(attempt);
        }
        match labels {
            Some(_) => self.out.extend(failures.into_iter().flatten()),
            None => {
                let best = failures.into_iter().min_by_key(Vec::len);
                self.out.extend(best.unwrap_or_default());
            }
        }
    }

    fn check_int(&mut self, kind: IntKind, value: &Value) {
        let n: Option<i128> = match value {
            Value::Number(n) => n
                .as_i64()
                .map(i128::from)
                .or_else(|| n.as_u64().map(i128::from)),
            _ => None,
        };
        let (min, max) = kind.bounds();
        match n {
            // A whole number beyond 64 bits (pydantic mode keeps those as floats).
            None if self.lax() && value.as_f64().is_some_and(|f| f.fract() == 0.0) => {
                if value.as_f64().is_some_and(|f| f < 0.0) {
                    self.push(
                        "greater_than_equal",
                        format!("Input should be greater than or equal to {min}"),
                    );
                } else {
                    self.push(
                        "less_than_equal",
                        format!("Input should be less than or equal to {max}"),
                    );
                }
            }
            None => {
                if value.as_f64().is_some() {
                    self.push(
                        "int_from_float",
                        "Input should be a valid integer, got a number with a fractional part",
                    );
                } else {
                    self.push("int_type", "Input should be a valid integer");
                }
            }
            Some(n) if n < min => {
                self.push(
                    "greater_than_equal",
                    format!("Input should be greater than or equal to {min}"),
                );
            }
            Some(n) if n > max => {
                self.push(
                    "less_than_equal",
                    format!("Input should be less than or equal to {max}"),
                );
            }
            Some(_) => {}
        }
    }
}

/// Whether values of `schema` are integers.
fn whole(schema: &Schema) -> bool {
    matches!(schema.base(), Schema::Int(_) | Schema::IntEnum(_))
}

/// Whether `schema` is an integer and `value` a whole number too large for 64 bits.
fn beyond_i64(schema: &Schema, value: &Value) -> bool {
    matches!(schema.base(), Schema::Int(_)) && value.is_f64()
}

/// Pydantic's name of a union member (`int`, `list[str]`), when it has one Stencil can know.
fn label(schema: &Schema) -> Option<String> {
    Some(match schema.base() {
        Schema::Bool => "bool".to_owned(),
        Schema::Int(_) => "int".to_owned(),
        Schema::Float => "float".to_owned(),
        Schema::Str(None) => "str".to_owned(),
        Schema::Str(Some("date")) => "date".to_owned(),
        Schema::Str(Some("date-time")) => "datetime".to_owned(),
        Schema::Str(Some("uuid")) => "uuid".to_owned(),
        Schema::Array(items) => format!("list[{}]", label(items)?),
        Schema::Map(values) => format!("dict[str,{}]", label(values)?),
        _ => return None,
    })
}

/// A JSON value as Python's `str()` prints it (`None`, `True`, `1`), for pydantic's messages.
fn python_str(value: &Value) -> String {
    match value {
        Value::Null => "None".to_owned(),
        Value::Bool(true) => "True".to_owned(),
        Value::Bool(false) => "False".to_owned(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests;
