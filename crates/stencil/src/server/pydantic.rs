//! Pydantic 2's lax mode for JSON input: which values a FastAPI server accepts for a scalar
//! type, what it turns them into, and the error (`type`, `msg`) it gives when it cannot.
//!
//! Used by validation in [`Validation::Pydantic`](super::validate::Validation) mode, chosen for
//! documents FastAPI wrote. Each function takes the JSON value as sent and returns the value in
//! the form the generated Rust type deserialises (`"12"` for an integer becomes `12`, a Unix
//! timestamp for a `date-time` becomes an RFC 3339 string), or the [`Failure`] pydantic reports.
//! Dates and datetimes are parsed with speedate, the parser pydantic-core itself uses, so the
//! same texts are accepted and the error texts are the same.

use serde_json::{Number, Value};
use strum::EnumMessage as _;

use super::violation::Failure;

const INT_TYPE: (&str, &str) = ("int_type", "Input should be a valid integer");
const INT_PARSING: (&str, &str) = (
    "int_parsing",
    "Input should be a valid integer, unable to parse string as an integer",
);
const INT_FROM_FLOAT: (&str, &str) = (
    "int_from_float",
    "Input should be a valid integer, got a number with a fractional part",
);
const FLOAT_TYPE: (&str, &str) = ("float_type", "Input should be a valid number");
const FLOAT_PARSING: (&str, &str) = (
    "float_parsing",
    "Input should be a valid number, unable to parse string as a number",
);
const BOOL_TYPE: (&str, &str) = ("bool_type", "Input should be a valid boolean");
const BOOL_PARSING: (&str, &str) = (
    "bool_parsing",
    "Input should be a valid boolean, unable to interpret input",
);

fn fail((kind, message): (&'static str, &str)) -> Failure {
    Failure::new(kind, message)
}

/// An integer: JSON integers; floats without a fractional part; booleans; strings holding an
/// integer (surrounding white space and trailing decimal zeros allowed, `"1.0"`). An integer
/// beyond 64 bits stays a float without a fractional part: the caller's bounds decide.
pub(crate) fn int(value: &Value) -> Result<Value, Failure> {
    match value {
        Value::Number(n) if n.is_i64() || n.is_u64() => Ok(value.clone()),
        Value::Number(n) => float_as_int(n.as_f64().unwrap_or(f64::NAN)),
        Value::Bool(b) => Ok(Value::from(u8::from(*b))),
        Value::String(s) => str_as_int(s),
        _ => Err(fail(INT_TYPE)),
    }
}

fn float_as_int(f: f64) -> Result<Value, Failure> {
    if !f.is_finite() || f.fract() != 0.0 {
        return Err(fail(INT_FROM_FLOAT));
    }
    // -2^63 <= f < 2^63: an i64.
    const LIMIT: f64 = 9_223_372_036_854_775_808.0;
    if (-LIMIT..LIMIT).contains(&f) {
        return Ok(Value::from(f as i64));
    }
    Ok(Number::from_f64(f).map_or(Value::Null, Value::Number))
}

/// pydantic-core's `str_as_int`: trimmed; a decimal point followed only by zeros is allowed.
pub(crate) fn str_as_int(s: &str) -> Result<Value, Failure> {
    let t = s.trim();
    let t = match t.split_once('.') {
        Some((whole, zeros)) if !zeros.is_empty() && zeros.bytes().all(|b| b == b'0') => whole,
        _ => t,
    };
    if let Ok(n) = t.parse::<i64>() {
        return Ok(Value::from(n));
    }
    if let Ok(n) = t.parse::<u64>() {
        return Ok(Value::from(n));
    }
    let digits = t.strip_prefix(['-', '+']).unwrap_or(t);
    if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        if digits.len() > 4300 {
            return Err(Failure::new(
                "int_parsing_size",
                "Unable to parse input string as an integer, exceeded maximum size",
            ));
        }
        if let Ok(f) = t.parse::<f64>() {
            return float_as_int(f);
        }
    }
    Err(fail(INT_PARSING))
}

/// A number: JSON numbers, booleans, strings holding a number.
pub(crate) fn float(value: &Value) -> Result<Value, Failure> {
    match value {
        Value::Number(_) => Ok(value.clone()),
        Value::Bool(b) => Ok(Value::from(f64::from(u8::from(*b)))),
        Value::String(s) => match s.trim().parse::<f64>().ok().and_then(Number::from_f64) {
            Some(n) => Ok(Value::Number(n)),
            None => Err(fail(FLOAT_PARSING)),
        },
        _ => Err(fail(FLOAT_TYPE)),
    }
}

/// A boolean: JSON booleans, the numbers 0 and 1, and pydantic's words (`yes`, `off`, ...).
pub(crate) fn boolean(value: &Value) -> Result<Value, Failure> {
    match value {
        Value::Bool(_) => Ok(value.clone()),
        // Integers may be 0 or 1; floats are not booleans at all.
        Value::Number(n) => match n.as_i64() {
            Some(0) => Ok(Value::Bool(false)),
            Some(1) => Ok(Value::Bool(true)),
            Some(_) => Err(fail(BOOL_PARSING)),
            None if n.is_u64() => Err(fail(BOOL_PARSING)),
            None => Err(fail(BOOL_TYPE)),
        },
        Value::String(s) => match s.to_ascii_lowercase().as_str() {
            "1" | "on" | "t" | "true" | "y" | "yes" => Ok(Value::Bool(true)),
            "0" | "off" | "f" | "false" | "n" | "no" => Ok(Value::Bool(false)),
            _ => Err(fail(BOOL_PARSING)),
        },
        _ => Err(fail(BOOL_TYPE)),
    }
}

fn parse_error(kind: &'static str, prefix: &str, e: &speedate::ParseError) -> Failure {
    let text = e.get_documentation().unwrap_or_default();
    Failure::new(kind, &format!("{prefix}, {text}")).with_ctx(serde_json::json!({ "error": text }))
}

fn timestamp(value: &Value) -> Option<(i64, u32)> {
    let f = value.as_f64()?;
    if let Some(i) = value.as_i64() {
        return Some((i, 0));
    }
    if !f.is_finite() || f.abs() >= 9.2e18 {
        return Some((i64::MAX, 0));
    }
    let whole = f.floor();
    Some((whole as i64, ((f - whole) * 1e6).round() as u32))
}

fn datetime_of(value: &Value) -> Result<speedate::DateTime, speedate::ParseError> {
    match value {
        Value::String(s) => speedate::DateTime::parse_str(s),
        _ => {
            let (seconds, micros) = timestamp(value).ok_or(speedate::ParseError::TooShort)?;
            speedate::DateTime::from_timestamp(seconds, micros)
        }
    }
}

/// A date (`format: date`): `YYYY-MM-DD`, a datetime at midnight, or a Unix timestamp of a
/// midnight; as `YYYY-MM-DD`.
pub(crate) fn date(value: &Value) -> Result<Value, Failure> {
    if !matches!(value, Value::String(_) | Value::Number(_)) {
        return Err(Failure::new("date_type", "Input should be a valid date"));
    }
    if let Value::String(s) = value {
        if let Ok(d) = speedate::Date::parse_str(s) {
            return Ok(Value::String(d.to_string()));
        }
    }
    match datetime_of(value) {
        Ok(dt) => {
            let t = &dt.time;
            if (t.hour, t.minute, t.second, t.microsecond) == (0, 0, 0, 0) {
                Ok(Value::String(dt.date.to_string()))
            } else {
                Err(Failure::new(
                    "date_from_datetime_inexact",
                    "Datetimes provided to dates should have zero time - e.g. be exact dates",
                ))
            }
        }
        Err(e) => Err(parse_error(
            "date_from_datetime_parsing",
            "Input should be a valid date or datetime",
            &e,
        )),
    }
}

/// A datetime (`format: date-time`): RFC 3339 and the forms speedate reads, a date (its
/// midnight), or a Unix timestamp (seconds, or milliseconds above 2e10); as RFC 3339, in UTC
/// when no offset was given.
pub(crate) fn datetime(value: &Value) -> Result<Value, Failure> {
    match value {
        Value::String(s) => match speedate::DateTime::parse_str(s) {
            Ok(dt) => Ok(rfc3339(&dt)),
            Err(_) => match speedate::Date::parse_str(s) {
                Ok(d) => Ok(Value::String(format!("{d}T00:00:00Z"))),
                Err(e) => Err(parse_error(
                    "datetime_from_date_parsing",
                    "Input should be a valid datetime or date",
                    &e,
                )),
            },
        },
        Value::Number(_) => match datetime_of(value) {
            Ok(dt) => Ok(rfc3339(&dt)),
            Err(e) => Err(parse_error(
                "datetime_parsing",
                "Input should be a valid datetime",
                &e,
            )),
        },
        _ => Err(Failure::new(
            "datetime_type",
            "Input should be a valid datetime",
        )),
    }
}

fn rfc3339(dt: &speedate::DateTime) -> Value {
    let text = dt.to_string();
    if dt.time.tz_offset.is_some() {
        Value::String(text)
    } else {
        Value::String(text + "Z")
    }
}

/// A UUID: a string in any form the `uuid` crate reads.
pub(crate) fn uuid(value: &Value) -> Result<Value, Failure> {
    match value {
        Value::String(s) => match uuid::Uuid::parse_str(s) {
            Ok(u) => Ok(Value::String(u.to_string())),
            Err(e) => {
                let error = uuid_error(s, &e);
                Err(Failure::new(
                    "uuid_parsing",
                    &format!("Input should be a valid UUID, {error}"),
                )
                .with_ctx(serde_json::json!({ "error": error })))
            }
        },
        _ => Err(Failure::new(
            "uuid_type",
            "UUID input should be a string, bytes or UUID object",
        )),
    }
}

/// The `uuid` error text pydantic-core prints: its `uuid` crate words an invalid character
/// with the expected alphabet and a 1-based position.
fn uuid_error(s: &str, e: &uuid::Error) -> String {
    let body = s.strip_prefix("urn:uuid:").unwrap_or(s);
    let offset = s.len() - body.len();
    match body
        .char_indices()
        .find(|(_, c)| !(c.is_ascii_hexdigit() || *c == '-' || *c == '{' || *c == '}'))
    {
        Some((i, c)) => format!(
            "invalid character: expected an optional prefix of `urn:uuid:` followed by [0-9a-fA-F-], found `{c}` at {}",
            offset + i + 1
        ),
        None => e.to_string().replacen(
            "invalid length: found",
            "invalid length: expected length 32 for simple format, found",
            1,
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn kind(r: Result<Value, Failure>) -> Result<Value, &'static str> {
        r.map_err(|f| f.kind)
    }

    #[test]
    fn integers_as_pydantic_reads_them() {
        assert_eq!(kind(int(&json!("12"))), Ok(json!(12)));
        assert_eq!(kind(int(&json!(" 7 "))), Ok(json!(7)));
        assert_eq!(kind(int(&json!("1.0"))), Ok(json!(1)));
        assert_eq!(kind(int(&json!(36.0))), Ok(json!(36)));
        assert_eq!(kind(int(&json!(true))), Ok(json!(1)));
        assert_eq!(kind(int(&json!("1.5"))), Err("int_parsing"));
        assert_eq!(kind(int(&json!(""))), Err("int_parsing"));
        assert_eq!(kind(int(&json!(36.5))), Err("int_from_float"));
        assert_eq!(kind(int(&json!(null))), Err("int_type"));
        assert_eq!(kind(int(&json!([1]))), Err("int_type"));
        // Beyond 64 bits: kept as a whole float for the bounds to reject.
        assert_eq!(kind(int(&json!("100000000000000000000"))), Ok(json!(1e20)));
    }

    #[test]
    fn numbers_and_booleans() {
        assert_eq!(kind(float(&json!("1.5"))), Ok(json!(1.5)));
        assert_eq!(kind(float(&json!(true))), Ok(json!(1.0)));
        assert_eq!(kind(float(&json!("abc"))), Err("float_parsing"));
        assert_eq!(kind(float(&json!(null))), Err("float_type"));
        assert_eq!(kind(boolean(&json!("Yes"))), Ok(json!(true)));
        assert_eq!(kind(boolean(&json!(0))), Ok(json!(false)));
        assert_eq!(kind(boolean(&json!(-1))), Err("bool_parsing"));
        assert_eq!(kind(boolean(&json!("perhaps"))), Err("bool_parsing"));
        assert_eq!(kind(boolean(&json!([]))), Err("bool_type"));
        assert_eq!(kind(boolean(&json!(1.5))), Err("bool_type"));
    }

    #[test]
    fn dates_and_datetimes_with_speedate_texts() {
        assert_eq!(kind(date(&json!("2024-03-26"))), Ok(json!("2024-03-26")));
        assert_eq!(
            kind(date(&json!("2024-03-26T00:00:00"))),
            Ok(json!("2024-03-26"))
        );
        assert_eq!(
            kind(date(&json!("2024-03-26T10:00:00Z"))),
            Err("date_from_datetime_inexact")
        );
        let e = date(&json!("tomorrow")).unwrap_err();
        assert_eq!(e.kind, "date_from_datetime_parsing");
        assert_eq!(
            e.message,
            "Input should be a valid date or datetime, input is too short"
        );
        assert_eq!(kind(date(&json!(null))), Err("date_type"));
        assert_eq!(
            kind(datetime(&json!(1_711_447_200))),
            Ok(json!("2024-03-26T10:00:00Z"))
        );
        assert_eq!(
            kind(datetime(&json!("2024-03-26"))),
            Ok(json!("2024-03-26T00:00:00Z"))
        );
        let e = datetime(&json!("2024-13-01")).unwrap_err();
        assert_eq!(e.kind, "datetime_from_date_parsing");
        assert_eq!(
            e.message,
            "Input should be a valid datetime or date, month value is outside expected range of 1-12"
        );
        assert_eq!(kind(uuid(&json!(1))), Err("uuid_type"));
        assert_eq!(kind(uuid(&json!("x"))), Err("uuid_parsing"));
    }
}
