//! `Option<Option<T>>` for properties that are optional *and* nullable, where an absent property,
//! `null` and a value mean three different things (typically in PATCH bodies). Generated code
//! uses [`Nullable`](crate::Nullable) instead (no serde wrapper per field); this module is for
//! hand-written types that keep `Option<Option<T>>`:
//!
//! | wire              | Rust             |
//! |-------------------|------------------|
//! | property absent   | `None`           |
//! | `"p": null`       | `Some(None)`     |
//! | `"p": value`      | `Some(Some(v))`  |
//!
//! Use it with all three attributes, as generated code does; `default` makes an absent property
//! `None` and `skip_serializing_if` keeps `None` absent:
//!
//! ```
//! # use stencil::serde::{Deserialize, Serialize};
//! #[derive(Serialize, Deserialize)]
//! # #[serde(crate = "::stencil::serde")]
//! struct Patch {
//!     #[serde(default, skip_serializing_if = "Option::is_none", with = "::stencil::double_option")]
//!     nickname: Option<Option<String>>,
//! }
//! ```

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// `None`: the `#[serde(default = "::stencil::double_option::absent")]` of fields whose type
/// mentions a type parameter (a plain `#[serde(default)]` would make serde require
/// `T: Default`).
pub fn absent<T>() -> Option<Option<T>> {
    None
}

/// Serialize `Some(Some(v))` as `v` and `Some(None)` as `null`. `None` should have been skipped
/// (`skip_serializing_if = "Option::is_none"`); if it was not, it is written as `null` too.
pub fn serialize<T, S>(value: &Option<Option<T>>, serializer: S) -> Result<S::Ok, S::Error>
where
    T: Serialize,
    S: Serializer,
{
    match value {
        Some(Some(value)) => serializer.serialize_some(value),
        Some(None) | None => serializer.serialize_none(),
    }
}

/// Deserialize a present property: `null` → `Some(None)`, a value → `Some(Some(v))`. An absent
/// property never gets here; `#[serde(default)]` makes it `None`.
pub fn deserialize<'de, T, D>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    T: Deserialize<'de>,
    D: Deserializer<'de>,
{
    Option::<T>::deserialize(deserializer).map(Some)
}

#[cfg(test)]
mod tests {
    use serde::{Deserialize, Serialize};

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Patch {
        #[serde(
            default,
            skip_serializing_if = "Option::is_none",
            with = "crate::double_option"
        )]
        name: Option<Option<String>>,
    }

    fn round_trip(json: &str, expected: Option<Option<&str>>) {
        let patch: Patch = serde_json::from_str(json).unwrap();
        assert_eq!(patch.name, expected.map(|o| o.map(str::to_owned)), "{json}");
        assert_eq!(serde_json::to_string(&patch).unwrap(), json);
    }

    #[test]
    fn absent_null_and_value_stay_apart() {
        round_trip(r#"{}"#, None);
        round_trip(r#"{"name":null}"#, Some(None));
        round_trip(r#"{"name":"x"}"#, Some(Some("x")));
    }

    #[test]
    fn wrong_type_is_an_error() {
        assert!(serde_json::from_str::<Patch>(r#"{"name":1}"#).is_err());
    }

    #[test]
    fn json_value_null_is_some_none() {
        #[derive(Debug, Deserialize)]
        struct Any {
            #[serde(default, with = "crate::double_option")]
            v: Option<Option<serde_json::Value>>,
        }
        let any: Any = serde_json::from_str(r#"{"v":null}"#).unwrap();
        assert_eq!(any.v, Some(None));
        let any: Any = serde_json::from_str(r#"{"v":[1]}"#).unwrap();
        assert_eq!(any.v, Some(Some(serde_json::json!([1]))));
    }
}
