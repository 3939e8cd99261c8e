//! [`Base64`]: bytes that travel as a base64 string.

use std::fmt;
use std::ops::{Deref, DerefMut};
use std::str::FromStr;

use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig, STANDARD};
use base64::engine::DecodePaddingMode;
use base64::Engine as _;
use serde::de::{self, Deserialize, Deserializer, Visitor};
use serde::{Serialize, Serializer};

/// Decoding accepts padded and unpadded input and ignores stray trailing bits.
const LENIENT: GeneralPurposeConfig = GeneralPurposeConfig::new()
    .with_decode_padding_mode(DecodePaddingMode::Indifferent)
    .with_decode_allow_trailing_bits(true);
const STANDARD_LENIENT: GeneralPurpose = GeneralPurpose::new(&base64::alphabet::STANDARD, LENIENT);
const URL_SAFE_LENIENT: GeneralPurpose = GeneralPurpose::new(&base64::alphabet::URL_SAFE, LENIENT);

/// Bytes that travel as a base64 string (`type: string, format: byte`, or
/// `contentEncoding: base64`).
///
/// Serialized with the standard alphabet and padding (RFC 4648 §4). Deserialized leniently: the
/// standard or the URL-safe alphabet, with or without padding, ASCII whitespace ignored. Formats
/// that are not human-readable get the raw bytes instead of a string.
///
/// `Debug` and `Display` show the base64 form.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Base64(pub Vec<u8>);

impl Base64 {
    /// Wraps the bytes.
    pub fn new(bytes: impl Into<Vec<u8>>) -> Self {
        Base64(bytes.into())
    }

    /// The bytes.
    pub fn into_inner(self) -> Vec<u8> {
        self.0
    }

    /// The bytes, borrowed.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// The standard, padded base64 form.
    pub fn encode(&self) -> String {
        STANDARD.encode(&self.0)
    }

    /// Decode the standard or URL-safe alphabet, padded or not, ignoring ASCII whitespace.
    pub fn decode(text: &str) -> Result<Self, base64::DecodeError> {
        let compact;
        let text = if text.bytes().any(|b| b.is_ascii_whitespace()) {
            compact = text
                .chars()
                .filter(|c| !c.is_ascii_whitespace())
                .collect::<String>();
            compact.as_str()
        } else {
            text
        };
        match STANDARD_LENIENT.decode(text) {
            Ok(bytes) => Ok(Base64(bytes)),
            Err(standard_error) => match URL_SAFE_LENIENT.decode(text) {
                Ok(bytes) => Ok(Base64(bytes)),
                Err(_) => Err(standard_error),
            },
        }
    }
}

impl fmt::Debug for Base64 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Base64").field(&self.encode()).finish()
    }
}

impl fmt::Display for Base64 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.encode())
    }
}

impl FromStr for Base64 {
    type Err = base64::DecodeError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Base64::decode(text)
    }
}

impl Deref for Base64 {
    type Target = Vec<u8>;

    fn deref(&self) -> &Vec<u8> {
        &self.0
    }
}

impl DerefMut for Base64 {
    fn deref_mut(&mut self) -> &mut Vec<u8> {
        &mut self.0
    }
}

impl AsRef<[u8]> for Base64 {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

impl From<Vec<u8>> for Base64 {
    fn from(bytes: Vec<u8>) -> Self {
        Base64(bytes)
    }
}

impl From<&[u8]> for Base64 {
    fn from(bytes: &[u8]) -> Self {
        Base64(bytes.to_vec())
    }
}

impl From<bytes::Bytes> for Base64 {
    fn from(bytes: bytes::Bytes) -> Self {
        Base64(bytes.into())
    }
}

impl From<Base64> for Vec<u8> {
    fn from(value: Base64) -> Self {
        value.0
    }
}

impl From<Base64> for bytes::Bytes {
    fn from(value: Base64) -> Self {
        value.0.into()
    }
}

impl Serialize for Base64 {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if serializer.is_human_readable() {
            serializer.serialize_str(&self.encode())
        } else {
            serializer.serialize_bytes(&self.0)
        }
    }
}

impl<'de> Deserialize<'de> for Base64 {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Base64Visitor;

        impl Visitor<'_> for Base64Visitor {
            type Value = Base64;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a base64 string")
            }

            fn visit_str<E: de::Error>(self, text: &str) -> Result<Base64, E> {
                Base64::decode(text).map_err(|e| E::custom(format_args!("invalid base64: {e}")))
            }

            fn visit_bytes<E: de::Error>(self, bytes: &[u8]) -> Result<Base64, E> {
                Ok(Base64(bytes.to_vec()))
            }

            fn visit_byte_buf<E: de::Error>(self, bytes: Vec<u8>) -> Result<Base64, E> {
                Ok(Base64(bytes))
            }
        }

        if deserializer.is_human_readable() {
            deserializer.deserialize_str(Base64Visitor)
        } else {
            deserializer.deserialize_byte_buf(Base64Visitor)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Base64;

    #[test]
    fn serializes_standard_padded() {
        let value = Base64(b"hello?>".to_vec());
        assert_eq!(serde_json::to_string(&value).unwrap(), r#""aGVsbG8/Pg==""#);
        assert_eq!(format!("{value:?}"), r#"Base64("aGVsbG8/Pg==")"#);
        assert_eq!(value.to_string(), "aGVsbG8/Pg==");
    }

    #[test]
    fn deserializes_leniently() {
        for text in [
            "aGVsbG8/Pg==",
            "aGVsbG8/Pg",
            "aGVsbG8_Pg==",
            "aGVsbG8_Pg",
            "aGVs\nbG8/Pg==",
        ] {
            let value: Base64 = serde_json::from_value(serde_json::Value::from(text)).unwrap();
            assert_eq!(value.as_bytes(), b"hello?>", "{text}");
        }
        assert_eq!(
            serde_json::from_str::<Base64>(r#""""#).unwrap(),
            Base64::default()
        );
    }

    #[test]
    fn rejects_garbage() {
        let error = serde_json::from_str::<Base64>(r#""not base64!""#).unwrap_err();
        assert!(error.to_string().starts_with("invalid base64"), "{error}");
        assert!(serde_json::from_str::<Base64>("[1, 2]").is_err());
    }
}
