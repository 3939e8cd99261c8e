//! Typed response headers: [`FromHeaders`], [`header`] and [`HeaderError`].
//!
//! A response that declares headers (`X-RateLimit-Remaining`, `ETag`, `Location`) gets a struct
//! with one `Option` field per header; [`ResponseValue::typed_headers`] fills it: an absent
//! header is `None`, one that does not parse as its schema says is a [`HeaderError`] naming it.

use std::fmt;

use reqwest::header::HeaderMap;
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::response::ResponseValue;

/// A declared response header that is present but does not parse as its schema says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HeaderError {
    /// The header's name.
    pub name: String,
    /// Its value as received (lossily as UTF-8).
    pub value: String,
    /// Why it does not parse.
    pub message: String,
}

impl fmt::Display for HeaderError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "response header `{}` ({:?}) does not parse: {}",
            self.name, self.value, self.message
        )
    }
}

impl std::error::Error for HeaderError {}

/// A struct of declared response headers, read from a response's header map.
pub trait FromHeaders: Sized {
    /// Parse every declared header; the first one that does not parse is the error.
    fn from_headers(headers: &HeaderMap) -> Result<Self, HeaderError>;
}

/// The header `name` parsed into `T` (`style: simple`): `None` when absent. The text is read as
/// a string first (so `"007"` stays a string for a string schema), then as a JSON scalar
/// (numbers, booleans), then as a comma-separated list of those.
pub fn header<T: DeserializeOwned>(
    headers: &HeaderMap,
    name: &str,
) -> Result<Option<T>, HeaderError> {
    let Some(raw) = headers.get(name) else {
        return Ok(None);
    };
    let text = String::from_utf8_lossy(raw.as_bytes());
    let text = text.trim();
    let fail = |message: String| HeaderError {
        name: name.to_owned(),
        value: text.to_owned(),
        message,
    };
    let as_string = match T::deserialize(Value::String(text.to_owned())) {
        Ok(v) => return Ok(Some(v)),
        Err(e) => e.to_string(),
    };
    if let Ok(scalar) = serde_json::from_str::<Value>(text) {
        if !scalar.is_string() {
            if let Ok(v) = T::deserialize(scalar) {
                return Ok(Some(v));
            }
        }
    }
    let items: Value = text.split(',').map(|item| scalar(item.trim())).collect();
    T::deserialize(items).map(Some).map_err(|_| fail(as_string))
}

/// An item of a list header: a number or boolean when it reads as one, else the text.
fn scalar(text: &str) -> Value {
    match serde_json::from_str::<Value>(text) {
        Ok(v @ (Value::Number(_) | Value::Bool(_))) => v,
        _ => Value::String(text.to_owned()),
    }
}

impl<T> ResponseValue<T> {
    /// The declared headers of this response, typed (`H` is the response's generated headers
    /// struct).
    pub fn typed_headers<H: FromHeaders>(&self) -> Result<H, HeaderError> {
        H::from_headers(self.headers())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    #[derive(Debug, PartialEq)]
    struct Declared {
        remaining: Option<i64>,
        etag: Option<String>,
        tags: Option<Vec<String>>,
        ids: Option<Vec<u32>>,
        cached: Option<bool>,
    }

    impl FromHeaders for Declared {
        fn from_headers(h: &HeaderMap) -> Result<Self, HeaderError> {
            Ok(Declared {
                remaining: header(h, "x-ratelimit-remaining")?,
                etag: header(h, "etag")?,
                tags: header(h, "x-tags")?,
                ids: header(h, "x-ids")?,
                cached: header(h, "x-cached")?,
            })
        }
    }

    fn map(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        pairs
            .iter()
            .map(|(k, v)| (k.parse().unwrap(), HeaderValue::from_static(v)))
            .collect()
    }

    #[test]
    fn declared_headers_parse_by_type() {
        let h = map(&[
            ("x-ratelimit-remaining", "42"),
            ("etag", "\"33a64df5\""),
            ("x-tags", "a,b"),
            ("x-ids", "1, 2,3"),
            ("x-cached", "true"),
        ]);
        assert_eq!(
            Declared::from_headers(&h).unwrap(),
            Declared {
                remaining: Some(42),
                etag: Some("\"33a64df5\"".into()),
                tags: Some(vec!["a".into(), "b".into()]),
                ids: Some(vec![1, 2, 3]),
                cached: Some(true),
            }
        );
        let none = Declared::from_headers(&HeaderMap::new()).unwrap();
        assert_eq!(none.remaining, None, "absent is None");
        let numeric_etag = map(&[("etag", "007")]);
        assert_eq!(
            Declared::from_headers(&numeric_etag)
                .unwrap()
                .etag
                .as_deref(),
            Some("007")
        );
    }

    #[test]
    fn unparsable_headers_are_inspectable_errors() {
        let h = map(&[("x-ratelimit-remaining", "lots")]);
        let e = Declared::from_headers(&h).unwrap_err();
        assert_eq!(e.name, "x-ratelimit-remaining");
        assert_eq!(e.value, "lots");
        assert!(e.to_string().contains("x-ratelimit-remaining"));
        let h = map(&[("x-ids", "1,x")]);
        assert_eq!(Declared::from_headers(&h).unwrap_err().name, "x-ids");
        let bytes = HeaderMap::from_iter([(
            "x-ratelimit-remaining".parse().unwrap(),
            HeaderValue::from_bytes(b"\xff\xfe").unwrap(),
        )]);
        assert!(Declared::from_headers(&bytes).is_err(), "never a panic");
    }
}
