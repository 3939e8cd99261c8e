//! When a JSON body may be decoded straight into its Rust type, skipping `Value` and
//! validation.
//!
//! The usual path decodes a JSON body into a `serde_json::Value`, validates it against the
//! operation's [`Schema`] (collecting every violation) and converts the `Value` into the
//! generated type. For a *plain* schema (below), serde's derived `Deserialize` of the generated
//! type already enforces everything validation checks, except for what the bytes are scanned
//! for ([`plain_bytes`]):
//! - `null` (an optional field is an `Option`, which takes `null` where the schema does not);
//! - `[` when the schema has objects (a derived struct also accepts a JSON array of its
//!   fields);
//! - what serde_json checks when it builds a `Value` but not when it skips the value of an
//!   unknown property: invalid UTF-8, `\u` escapes (lone surrogates), numbers out of `f64`
//!   range (exponents, very long digit runs), nesting deeper than its recursion limit.
//!
//! So when [`may_decode`] says yes, `serde_json::from_slice::<T>` succeeding implies the usual
//! path would have accepted the body and built the same value; when it fails, the caller falls
//! back to the usual path, which finds the violations.
//!
//! A plain schema is made of:
//! - `Bool`, `Int(_)` (the generated integer type has exactly the `IntKind`'s range), `Float`,
//!   `Str(None)`;
//! - `Array` and `Map` of plain schemas;
//! - `Checked` without any rule (aliases, newtypes);
//! - `Object` without `additionalProperties`, whose fields are plain, and whose required fields
//!   are not nullable (a required nullable field is an `Option`, which serde lets be absent).
//!
//! Everything else is not: formats (the Rust types parse more or less than the validator
//! checks), enums (generated enums may keep unknown values), unions, tuples, `Nullable`, `Any`
//! (also what type replacements describe: the user's type decides), rules.

use std::collections::HashMap;
use std::sync::{OnceLock, RwLock};

use super::schema::{Rules, Schema};

/// Schema nodes visited per request before the answer is looked up in (or computed into) the
/// cache instead. Small request schemas are answered by walking them, without a lock.
const WALK_BUDGET: usize = 64;
/// Schema nodes visited at most for one answer; a larger (or recursive) schema is not plain.
const CACHE_BUDGET: usize = 1024;

/// What a plain schema lets the body contain.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Plain {
    /// The schema has an object somewhere: a `[` in the body could be an array posing as one.
    objects: bool,
}

/// Whether `bytes`, a JSON body of `schema`, may be decoded straight into its Rust type (see
/// the module documentation).
pub(crate) fn may_decode(schema: &'static Schema, bytes: &[u8]) -> bool {
    let Some(plain) = plainness(schema) else {
        return false;
    };
    plain_bytes(bytes, plain.objects)
}

/// Nesting allowed (serde_json's recursion limit for a `Value` is 128).
const MAX_NESTING: usize = 100;
/// Digits in a row allowed in a number (an `f64` holds up to about 1.8e308).
const MAX_DIGITS: usize = 300;

/// Whether the bytes contain nothing the scan excludes (see the module documentation). Not a
/// JSON parser: it only has to be conservative on valid JSON, and invalid JSON fails to decode
/// either way.
fn plain_bytes(bytes: &[u8], objects: bool) -> bool {
    if std::str::from_utf8(bytes).is_err() {
        return false;
    }
    let mut depth = 0usize;
    let mut digits = 0usize;
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        i += 1;
        match b {
            b'"' => {
                // Skip the string: only its escapes matter.
                loop {
                    let rest = bytes.get(i..).unwrap_or_default();
                    let Some(end) = rest.iter().position(|&c| c == b'"' || c == b'\\') else {
                        return true; // unterminated: invalid JSON, which fails to decode
                    };
                    i += end + 1;
                    if bytes[i - 1] == b'"' {
                        break;
                    }
                    if bytes.get(i) == Some(&b'u') {
                        return false;
                    }
                    i += 1;
                }
            }
            b'{' | b'[' => {
                depth += 1;
                if depth > MAX_NESTING || (b == b'[' && objects) {
                    return false;
                }
            }
            b'}' | b']' => depth = depth.saturating_sub(1),
            b'n' => return false,
            b'e' | b'E' if digits > 0 => return false,
            b'0'..=b'9' => {
                digits += 1;
                if digits > MAX_DIGITS {
                    return false;
                }
                continue;
            }
            _ => {}
        }
        digits = 0;
    }
    true
}

fn plainness(schema: &'static Schema) -> Option<Plain> {
    let mut budget = WALK_BUDGET;
    match walk(schema, &mut budget) {
        Ok(plain) => plain,
        Err(OverBudget) => cached(schema),
    }
}

/// The answer for a schema too large to walk per request, computed once.
fn cached(schema: &'static Schema) -> Option<Plain> {
    static CACHE: OnceLock<RwLock<HashMap<usize, Option<Plain>>>> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    let key = schema as *const Schema as usize;
    if let Some(answer) = cache.read().unwrap_or_else(|e| e.into_inner()).get(&key) {
        return *answer;
    }
    let mut budget = CACHE_BUDGET;
    let answer = walk(schema, &mut budget).unwrap_or(None);
    cache
        .write()
        .unwrap_or_else(|e| e.into_inner())
        .insert(key, answer);
    answer
}

struct OverBudget;

/// `Ok(None)`: not plain; `Err`: more than `budget` nodes.
fn walk(schema: &Schema, budget: &mut usize) -> Result<Option<Plain>, OverBudget> {
    *budget = budget.checked_sub(1).ok_or(OverBudget)?;
    let leaf = Ok(Some(Plain { objects: false }));
    match schema {
        Schema::Bool | Schema::Int(_) | Schema::Float | Schema::Str(None) => leaf,
        Schema::Array(inner) | Schema::Map(inner) => walk(inner, budget),
        Schema::Checked(inner, rules) if no_rules(rules) => walk(inner, budget),
        Schema::Object(object) => {
            if object.additional.is_some() {
                return Ok(None);
            }
            for field in object.fields {
                if field.required && field.nullable {
                    return Ok(None);
                }
                if walk(field.schema, budget)?.is_none() {
                    return Ok(None);
                }
            }
            Ok(Some(Plain { objects: true }))
        }
        Schema::Any
        | Schema::Str(Some(_))
        | Schema::Tuple(_)
        | Schema::StringEnum(_)
        | Schema::IntEnum(_)
        | Schema::Union(_)
        | Schema::Nullable(_)
        | Schema::Checked(..) => Ok(None),
    }
}

fn no_rules(rules: &Rules) -> bool {
    let Rules {
        minimum,
        maximum,
        exclusive_minimum,
        exclusive_maximum,
        multiple_of,
        min_length,
        max_length,
        pattern,
        min_items,
        max_items,
        unique_items,
        format,
    } = rules;
    minimum.is_none()
        && maximum.is_none()
        && !exclusive_minimum
        && !exclusive_maximum
        && multiple_of.is_none()
        && min_length.is_none()
        && max_length.is_none()
        && pattern.is_none()
        && min_items.is_none()
        && max_items.is_none()
        && !unique_items
        && format.is_none()
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::server::schema::{Field, IntKind, Object};

    /// A required string and an optional integer (also the fixture of the `input` tests).
    pub(crate) static LOGIN: Schema = Schema::Object(&Object {
        fields: &[
            Field {
                name: "username",
                schema: &Schema::Str(None),
                required: true,
                nullable: false,
            },
            Field {
                name: "age",
                schema: &Schema::Checked(&Schema::Int(IntKind::U8), &Rules::NONE),
                required: false,
                nullable: false,
            },
        ],
        additional: None,
    });
    static NAMES: Schema = Schema::Array(&Schema::Str(None));
    static DATE: Schema = Schema::Object(&Object {
        fields: &[Field {
            name: "on",
            schema: &Schema::Str(Some("date")),
            required: true,
            nullable: false,
        }],
        additional: None,
    });
    static REQUIRED_NULLABLE: Schema = Schema::Object(&Object {
        fields: &[Field {
            name: "x",
            schema: &Schema::Bool,
            required: true,
            nullable: true,
        }],
        additional: None,
    });
    static RULED: Schema = Schema::Checked(
        &Schema::Str(None),
        &Rules {
            min_length: Some(1),
            ..Rules::NONE
        },
    );
    static OPEN: Schema = Schema::Object(&Object {
        fields: &[],
        additional: Some(&Schema::Any),
    });

    #[test]
    fn plain_schemas_and_their_bodies() {
        assert!(may_decode(&LOGIN, br#"{"username":"a","age":3}"#));
        assert!(may_decode(&NAMES, br#"["a","b"]"#));
        // Strings may hold anything but `\u` escapes.
        assert!(may_decode(
            &LOGIN,
            br#"{"username":"null {[ \" \n","x":{"y":{}},"z":-1.5}"#
        ));
        // Take the usual path: what serde lets through and validation does not...
        assert!(!may_decode(&LOGIN, br#"{"username":"a","age":null}"#));
        assert!(!may_decode(&LOGIN, br#"["a",3]"#));
        assert!(!may_decode(&LOGIN, br#"{"username":"a","x":{"y":[]}}"#));
        // ... and what serde_json skips in unknown properties but refuses in a `Value`.
        assert!(!may_decode(&LOGIN, b"{\"username\":\"a\",\"x\":\"\xff\"}"));
        assert!(!may_decode(&LOGIN, br#"{"username":"a","x":"\ud800"}"#));
        assert!(!may_decode(&LOGIN, br#"{"username":"a","x":1e400}"#));
        assert!(!may_decode(&LOGIN, br#"{"username":"a","x":1E4}"#));
        let long = format!(r#"{{"username":"a","x":{}}}"#, "9".repeat(400));
        assert!(!may_decode(&LOGIN, long.as_bytes()));
        let deep = format!(
            r#"{{"username":"a","x":{}{}}}"#,
            "{\"a\":".repeat(200),
            "1".to_owned() + &"}".repeat(200)
        );
        assert!(!may_decode(&LOGIN, deep.as_bytes()));
        // Invalid JSON may pass the scan: it fails to decode and takes the usual path.
        for cut in [&b"{\"a\":\"x\\"[..], b"{\"a\":\"x\\u", b"{\"a\":\"x", b"\""] {
            assert!(plain_bytes(cut, true) || cut.ends_with(b"u"));
        }
        // Arrays are fine where no object could pose as one.
        assert!(may_decode(&NAMES, br#"["a","[b"]"#));
    }

    #[test]
    fn schemas_serde_does_not_enforce_are_not_plain() {
        for schema in [&DATE, &REQUIRED_NULLABLE, &RULED, &OPEN, &Schema::Any] {
            assert!(!may_decode(schema, br#"{"x":1}"#), "{schema:?}");
        }
    }

    #[test]
    fn large_schemas_are_answered_from_the_cache() {
        // Deeper than the per-request walk budget: the same answer, computed once.
        static DEEP: [Schema; 100] = {
            let mut schemas = [const { Schema::Bool }; 100];
            let mut i = 1;
            while i < 100 {
                schemas[i] = Schema::Array(&DEEP[i - 1]);
                i += 1;
            }
            schemas
        };
        assert!(may_decode(&DEEP[99], b"[[true]]"));
        assert!(may_decode(&DEEP[99], b"[[true]]"));
        assert_eq!(plainness(&DEEP[99]), Some(Plain { objects: false }));
    }
}
