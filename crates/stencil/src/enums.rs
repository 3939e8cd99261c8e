//! String and integer enums: generated code writes the match arms (a [`StringEnum`] or
//! [`IntEnum`] impl) and one macro call ([`impl_string_enum!`](crate::impl_string_enum) /
//! [`impl_int_enum!`](crate::impl_int_enum)) that adds the serde, `Display` and `FromStr` impls
//! on top of them.

use std::fmt;

use serde::de::{self, Deserializer, Unexpected, Visitor};

/// An enum of strings (`type: string, enum: [...]`).
///
/// An enum with a fallback variant (`Other(String)`) keeps values it does not know, so that a
/// server adding a value does not break older clients: `from_wire` never returns `None` for it,
/// and `as_str` gives the kept value back. Without one, unknown values are an error.
pub trait StringEnum: Sized {
    /// The values the document declared, in its order.
    const VALUES: &'static [&'static str];

    /// The value on the wire.
    fn as_str(&self) -> &str;

    /// The variant for a wire value; `None` when it is unknown and there is no fallback.
    fn from_wire(value: &str) -> Option<Self>;
}

/// An enum of integers (`type: integer, enum: [...]`); `Other(i64)` is the fallback variant. See
/// [`StringEnum`].
pub trait IntEnum: Sized {
    /// The values the document declared, in its order.
    const VALUES: &'static [i64];

    /// The value on the wire.
    fn value(&self) -> i64;

    /// The variant for a wire value; `None` when it is unknown and there is no fallback.
    fn from_value(value: i64) -> Option<Self>;
}

/// The `FromStr` error of generated enums: the text is not one of the declared values.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownValue {
    value: String,
    expected: String,
}

impl UnknownValue {
    /// The text that was parsed.
    pub fn value(&self) -> &str {
        &self.value
    }
}

impl fmt::Display for UnknownValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unknown value `{}`, expected {}",
            self.value, self.expected
        )
    }
}

impl std::error::Error for UnknownValue {}

/// `one of `a`, `b``, in the style of serde's messages.
fn one_of<T: fmt::Display>(values: &[T], quote: bool) -> String {
    let quote = if quote { "`" } else { "" };
    match values {
        [] => "no value at all".to_owned(),
        [only] => format!("{quote}{only}{quote}"),
        _ => {
            let list: Vec<String> = values
                .iter()
                .map(|v| format!("{quote}{v}{quote}"))
                .collect();
            format!("one of {}", list.join(", "))
        }
    }
}

// The generic functions below are instantiated once per generated enum (hundreds in a large
// document): they only call `from_wire`/`from_value` and leave everything else (messages,
// allocation) to the non-generic helpers, which are compiled once.

/// The [`UnknownValue`] of a text that is none of `values`.
#[cold]
fn unknown_value(text: &str, expected: String) -> UnknownValue {
    UnknownValue {
        value: text.to_owned(),
        expected,
    }
}

/// `one_of` for string values (not generic: compiled once).
fn one_of_strings(values: &[&str]) -> String {
    one_of(values, true)
}

/// `one_of` for integer values (not generic: compiled once).
fn one_of_ints(values: &[i64]) -> String {
    one_of(values, false)
}

/// `Visitor::expecting` of string enums.
fn expecting_strings(f: &mut fmt::Formatter<'_>, values: &[&str]) -> fmt::Result {
    f.write_str(&one_of_strings(values))
}

/// `Visitor::expecting` of integer enums.
fn expecting_ints(f: &mut fmt::Formatter<'_>, values: &[i64]) -> fmt::Result {
    f.write_str(&one_of_ints(values))
}

/// `FromStr` of a [`StringEnum`].
pub fn parse_string_enum<T: StringEnum>(text: &str) -> Result<T, UnknownValue> {
    match T::from_wire(text) {
        Some(value) => Ok(value),
        None => Err(unknown_value(text, one_of_strings(T::VALUES))),
    }
}

/// `FromStr` of an [`IntEnum`]: the decimal value.
pub fn parse_int_enum<T: IntEnum>(text: &str) -> Result<T, UnknownValue> {
    match text.trim().parse::<i64>().ok().and_then(T::from_value) {
        Some(value) => Ok(value),
        None => Err(unknown_value(text, one_of_ints(T::VALUES))),
    }
}

/// `Deserialize` of a [`StringEnum`]: unknown values are serde's `unknown variant` error.
pub fn deserialize_string_enum<'de, T, D>(deserializer: D) -> Result<T, D::Error>
where
    T: StringEnum,
    D: Deserializer<'de>,
{
    struct StringEnumVisitor<T>(std::marker::PhantomData<T>);

    impl<T: StringEnum> Visitor<'_> for StringEnumVisitor<T> {
        type Value = T;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            expecting_strings(f, T::VALUES)
        }

        fn visit_str<E: de::Error>(self, value: &str) -> Result<T, E> {
            T::from_wire(value).ok_or_else(|| E::unknown_variant(value, T::VALUES))
        }
    }

    deserializer.deserialize_str(StringEnumVisitor(std::marker::PhantomData))
}

/// `Deserialize` of an [`IntEnum`]: any integer that fits `i64`.
pub fn deserialize_int_enum<'de, T, D>(deserializer: D) -> Result<T, D::Error>
where
    T: IntEnum,
    D: Deserializer<'de>,
{
    struct IntEnumVisitor<T>(std::marker::PhantomData<T>);

    impl<T: IntEnum> Visitor<'_> for IntEnumVisitor<T> {
        type Value = T;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            expecting_ints(f, T::VALUES)
        }

        fn visit_i64<E: de::Error>(self, value: i64) -> Result<T, E> {
            T::from_value(value).ok_or_else(|| E::invalid_value(Unexpected::Signed(value), &self))
        }

        fn visit_u64<E: de::Error>(self, value: u64) -> Result<T, E> {
            match i64::try_from(value) {
                Ok(value) => self.visit_i64(value),
                Err(_) => Err(E::invalid_value(Unexpected::Unsigned(value), &self)),
            }
        }
    }

    deserializer.deserialize_i64(IntEnumVisitor(std::marker::PhantomData))
}

/// The impls of a generated string enum that has a [`StringEnum`] impl: an inherent
/// `as_str()`, `Display`, `FromStr`, `Serialize` and `Deserialize`.
#[macro_export]
macro_rules! impl_string_enum {
    ($name:ident) => {
        impl $name {
            /// The value on the wire.
            pub fn as_str(&self) -> &str {
                <Self as $crate::StringEnum>::as_str(self)
            }
        }

        impl ::core::fmt::Display for $name {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.write_str(<Self as $crate::StringEnum>::as_str(self))
            }
        }

        impl ::core::str::FromStr for $name {
            type Err = $crate::UnknownValue;

            fn from_str(text: &str) -> ::core::result::Result<Self, $crate::UnknownValue> {
                $crate::__private::parse_string_enum(text)
            }
        }

        impl $crate::serde::Serialize for $name {
            fn serialize<S>(&self, serializer: S) -> ::core::result::Result<S::Ok, S::Error>
            where
                S: $crate::serde::Serializer,
            {
                serializer.serialize_str(<Self as $crate::StringEnum>::as_str(self))
            }
        }

        impl<'de> $crate::serde::Deserialize<'de> for $name {
            fn deserialize<D>(deserializer: D) -> ::core::result::Result<Self, D::Error>
            where
                D: $crate::serde::Deserializer<'de>,
            {
                $crate::__private::deserialize_string_enum(deserializer)
            }
        }
    };
}

/// The impls of a generated integer enum that has an [`IntEnum`] impl: an inherent `value()`,
/// `Display`, `FromStr`, `Serialize` and `Deserialize`.
#[macro_export]
macro_rules! impl_int_enum {
    ($name:ident) => {
        impl $name {
            /// The value on the wire.
            pub fn value(&self) -> i64 {
                <Self as $crate::IntEnum>::value(self)
            }
        }

        impl ::core::fmt::Display for $name {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                ::core::fmt::Display::fmt(&<Self as $crate::IntEnum>::value(self), f)
            }
        }

        impl ::core::str::FromStr for $name {
            type Err = $crate::UnknownValue;

            fn from_str(text: &str) -> ::core::result::Result<Self, $crate::UnknownValue> {
                $crate::__private::parse_int_enum(text)
            }
        }

        impl $crate::serde::Serialize for $name {
            fn serialize<S>(&self, serializer: S) -> ::core::result::Result<S::Ok, S::Error>
            where
                S: $crate::serde::Serializer,
            {
                serializer.serialize_i64(<Self as $crate::IntEnum>::value(self))
            }
        }

        impl<'de> $crate::serde::Deserialize<'de> for $name {
            fn deserialize<D>(deserializer: D) -> ::core::result::Result<Self, D::Error>
            where
                D: $crate::serde::Deserializer<'de>,
            {
                $crate::__private::deserialize_int_enum(deserializer)
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use super::{IntEnum, StringEnum};

    #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
    enum Color {
        Red,
        LightBlue,
        Other(String),
    }

    impl StringEnum for Color {
        const VALUES: &'static [&'static str] = &["red", "light-blue"];

        fn as_str(&self) -> &str {
            match self {
                Self::Red => "red",
                Self::LightBlue => "light-blue",
                Self::Other(value) => value,
            }
        }

        fn from_wire(value: &str) -> Option<Self> {
            Some(match value {
                "red" => Self::Red,
                "light-blue" => Self::LightBlue,
                other => Self::Other(other.to_owned()),
            })
        }
    }

    impl_string_enum!(Color);

    #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
    enum Strict {
        A,
        B,
    }

    impl StringEnum for Strict {
        const VALUES: &'static [&'static str] = &["a", "b"];

        fn as_str(&self) -> &str {
            match self {
                Self::A => "a",
                Self::B => "b",
            }
        }

        fn from_wire(value: &str) -> Option<Self> {
            match value {
                "a" => Some(Self::A),
                "b" => Some(Self::B),
                _ => None,
            }
        }
    }

    impl_string_enum!(Strict);

    #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
    enum Level {
        Low,
        High,
        Other(i64),
    }

    impl IntEnum for Level {
        const VALUES: &'static [i64] = &[1, 3];

        fn value(&self) -> i64 {
            match self {
                Self::Low => 1,
                Self::High => 3,
                Self::Other(value) => *value,
            }
        }

        fn from_value(value: i64) -> Option<Self> {
            Some(match value {
                1 => Self::Low,
                3 => Self::High,
                other => Self::Other(other),
            })
        }
    }

    impl_int_enum!(Level);

    #[test]
    fn string_enum_round_trips_and_keeps_unknown_values() {
        for (json, color) in [
            (r#""red""#, Color::Red),
            (r#""light-blue""#, Color::LightBlue),
            (r#""mauve""#, Color::Other("mauve".to_owned())),
        ] {
            assert_eq!(serde_json::from_str::<Color>(json).unwrap(), color);
            assert_eq!(serde_json::to_string(&color).unwrap(), json);
        }
        assert_eq!(Color::LightBlue.as_str(), "light-blue");
        assert_eq!(Color::Other("x".to_owned()).to_string(), "x");
        assert_eq!("red".parse::<Color>().unwrap(), Color::Red);
        assert!(serde_json::from_str::<Color>("1").is_err());
    }

    #[test]
    fn strict_string_enum_rejects_unknown_values() {
        let error = serde_json::from_str::<Strict>(r#""c""#).unwrap_err();
        assert_eq!(
            error.to_string(),
            "unknown variant `c`, expected `a` or `b` at line 1 column 3"
        );
        let error = "c".parse::<Strict>().unwrap_err();
        assert_eq!(
            error.to_string(),
            "unknown value `c`, expected one of `a`, `b`"
        );
        assert_eq!(error.value(), "c");
        assert_eq!("b".parse::<Strict>(), Ok(Strict::B));
        assert_eq!(Strict::B.as_str(), "b");
        // From a `Value` too (the tagged-union path deserializes branches from one).
        assert_eq!(
            serde_json::from_value::<Strict>(serde_json::json!("a")).unwrap(),
            Strict::A
        );
    }

    #[test]
    fn int_enum_round_trips_and_keeps_unknown_values() {
        for (json, level) in [
            ("1", Level::Low),
            ("3", Level::High),
            ("7", Level::Other(7)),
        ] {
            assert_eq!(serde_json::from_str::<Level>(json).unwrap(), level);
            assert_eq!(serde_json::to_string(&level).unwrap(), json);
        }
        assert_eq!(Level::High.value(), 3);
        assert_eq!(Level::High.to_string(), "3");
        assert_eq!("3".parse::<Level>(), Ok(Level::High));
        assert!("x".parse::<Level>().is_err());
        assert!(serde_json::from_str::<Level>("1.5").is_err());
        assert!(serde_json::from_str::<Level>(r#""1""#).is_err());
        assert!(serde_json::from_str::<Level>("18446744073709551615").is_err());
        assert_eq!(
            serde_json::from_str::<Level>("-2").unwrap(),
            Level::Other(-2)
        );
    }
}
