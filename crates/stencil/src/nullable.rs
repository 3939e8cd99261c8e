//! [`Nullable<T>`]: a property that is optional *and* nullable, where an absent property, `null`
//! and a value mean three different things (typically in PATCH bodies).

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The value of a property that is optional *and* nullable:
///
/// | wire              | Rust                     |
/// |-------------------|--------------------------|
/// | property absent   | `Nullable::Absent`       |
/// | `"p": null`       | `Nullable::Null`         |
/// | `"p": value`      | `Nullable::Value(value)` |
///
/// Generated structs declare such fields with `#[serde(default, skip_serializing_if =
/// "Nullable::is_absent")]`: `default` makes an absent property `Absent` (its [`Default`]) and
/// `skip_serializing_if` keeps `Absent` absent. Its serde impls are written once here, so a
/// field costs no wrapper type of its own.
///
/// ```
/// use stencil::Nullable;
/// # use stencil::serde::{Deserialize, Serialize};
/// #[derive(Serialize, Deserialize)]
/// # #[serde(crate = "::stencil::serde")]
/// struct Patch {
///     #[serde(default, skip_serializing_if = "Nullable::is_absent")]
///     nickname: Nullable<String>,
/// }
///
/// let patch = Patch { nickname: Nullable::Null };
/// assert_eq!(stencil::serde_json::to_string(&patch).unwrap(), r#"{"nickname":null}"#);
/// let patch = Patch { nickname: "Ann".to_owned().into() };
/// assert_eq!(stencil::serde_json::to_string(&patch).unwrap(), r#"{"nickname":"Ann"}"#);
/// let patch: Patch = stencil::serde_json::from_str("{}").unwrap();
/// assert!(patch.nickname.is_absent());
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Nullable<T> {
    /// The property is not there.
    Absent,
    /// The property is there, `null`.
    Null,
    /// The property is there, with a value.
    Value(T),
}

impl<T> Nullable<T> {
    /// `Absent`: the `#[serde(default = "::stencil::Nullable::absent")]` of fields whose type
    /// mentions a type parameter (a plain `#[serde(default)]` would make serde require
    /// `T: Default`).
    pub const fn absent() -> Self {
        Nullable::Absent
    }

    /// Whether the property is absent (the `skip_serializing_if` of generated fields).
    pub const fn is_absent(&self) -> bool {
        matches!(self, Nullable::Absent)
    }

    /// Whether the property is there and `null`.
    pub const fn is_null(&self) -> bool {
        matches!(self, Nullable::Null)
    }

    /// Whether the property is there with a value.
    pub const fn is_value(&self) -> bool {
        matches!(self, Nullable::Value(_))
    }

    /// The value, if there is one (absent and `null` are both `None`).
    pub fn value(&self) -> Option<&T> {
        match self {
            Nullable::Value(value) => Some(value),
            Nullable::Absent | Nullable::Null => None,
        }
    }

    /// The value, if there is one (absent and `null` are both `None`).
    pub fn into_value(self) -> Option<T> {
        match self {
            Nullable::Value(value) => Some(value),
            Nullable::Absent | Nullable::Null => None,
        }
    }

    /// `Nullable<&T>`, borrowing the value.
    pub fn as_ref(&self) -> Nullable<&T> {
        match self {
            Nullable::Absent => Nullable::Absent,
            Nullable::Null => Nullable::Null,
            Nullable::Value(value) => Nullable::Value(value),
        }
    }

    /// `Nullable<&mut T>`, borrowing the value mutably.
    pub fn as_mut(&mut self) -> Nullable<&mut T> {
        match self {
            Nullable::Absent => Nullable::Absent,
            Nullable::Null => Nullable::Null,
            Nullable::Value(value) => Nullable::Value(value),
        }
    }

    /// The value mapped by `f`; absent and `null` stay as they are.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Nullable<U> {
        match self {
            Nullable::Absent => Nullable::Absent,
            Nullable::Null => Nullable::Null,
            Nullable::Value(value) => Nullable::Value(f(value)),
        }
    }

    /// As an `Option<Option<T>>`: absent is `None`, `null` is `Some(None)`.
    pub fn into_option(self) -> Option<Option<T>> {
        match self {
            Nullable::Absent => None,
            Nullable::Null => Some(None),
            Nullable::Value(value) => Some(Some(value)),
        }
    }

    /// From an `Option<Option<T>>`: `None` is absent, `Some(None)` is `null`.
    pub fn from_option(value: Option<Option<T>>) -> Self {
        match value {
            None => Nullable::Absent,
            Some(None) => Nullable::Null,
            Some(Some(value)) => Nullable::Value(value),
        }
    }
}

/// `Absent` (for any `T`, `Default` or not).
impl<T> Default for Nullable<T> {
    fn default() -> Self {
        Nullable::Absent
    }
}

/// A value: `Nullable::Value(value)`.
impl<T> From<T> for Nullable<T> {
    fn from(value: T) -> Self {
        Nullable::Value(value)
    }
}

/// `Value(v)` as `v`; `Null` (and `Absent`, should it not have been skipped) as `null`.
impl<T: Serialize> Serialize for Nullable<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Nullable::Value(value) => serializer.serialize_some(value),
            Nullable::Null | Nullable::Absent => serializer.serialize_none(),
        }
    }
}

/// A present property: `null` is `Null`, anything else `Value`. An absent property never gets
/// here: the field's `#[serde(default)]` makes it `Absent`.
impl<'de, T: Deserialize<'de>> Deserialize<'de> for Nullable<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Option::<T>::deserialize(deserializer).map(|value| match value {
            Some(value) => Nullable::Value(value),
            None => Nullable::Null,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::Nullable;
    use serde::{Deserialize, Serialize};

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Patch {
        #[serde(default, skip_serializing_if = "Nullable::is_absent")]
        name: Nullable<String>,
    }

    fn round_trip(json: &str, expected: Nullable<&str>) {
        let patch: Patch = serde_json::from_str(json).unwrap();
        assert_eq!(patch.name.as_ref().map(String::as_str), expected, "{json}");
        assert_eq!(serde_json::to_string(&patch).unwrap(), json);
    }

    #[test]
    fn absent_null_and_value_stay_apart() {
        round_trip(r#"{}"#, Nullable::Absent);
        round_trip(r#"{"name":null}"#, Nullable::Null);
        round_trip(r#"{"name":"x"}"#, Nullable::Value("x"));
    }

    #[test]
    fn wrong_type_is_an_error() {
        assert!(serde_json::from_str::<Patch>(r#"{"name":1}"#).is_err());
    }

    #[test]
    fn json_value_null_is_null() {
        #[derive(Debug, Deserialize)]
        struct Any {
            #[serde(default)]
            v: Nullable<serde_json::Value>,
        }
        let any: Any = serde_json::from_str(r#"{"v":null}"#).unwrap();
        assert_eq!(any.v, Nullable::Null);
        let any: Any = serde_json::from_str(r#"{"v":[1]}"#).unwrap();
        assert_eq!(any.v, Nullable::Value(serde_json::json!([1])));
        let any: Any = serde_json::from_str(r#"{}"#).unwrap();
        assert_eq!(any.v, Nullable::Absent);
    }

    #[test]
    fn generic_field_without_default_bound() {
        // No `T: Default`: the field names its default function.
        #[derive(Debug, PartialEq, Serialize, Deserialize)]
        struct Page<T> {
            #[serde(
                default = "Nullable::absent",
                skip_serializing_if = "Nullable::is_absent"
            )]
            next: Nullable<T>,
        }
        struct NoDefault;
        let _ = Page::<NoDefault> {
            next: Nullable::Absent,
        };
        let page: Page<u8> = serde_json::from_str(r#"{"next":7}"#).unwrap();
        assert_eq!(page.next, Nullable::Value(7));
        assert_eq!(serde_json::to_string(&page).unwrap(), r#"{"next":7}"#);
    }

    #[test]
    fn conversions() {
        assert_eq!(Nullable::from(3), Nullable::Value(3));
        assert_eq!(Nullable::from_option(Some(None::<u8>)), Nullable::Null);
        assert_eq!(Nullable::<u8>::Absent.into_option(), None);
        assert_eq!(Nullable::Value(2).map(|v| v * 2).into_value(), Some(4));
        assert_eq!(Nullable::<u8>::Null.value(), None);
        assert!(Nullable::<u8>::default().is_absent());
    }
}
