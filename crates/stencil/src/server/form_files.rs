//! The file parts of a multipart body, kept as the bytes they arrived as (slices of the body,
//! no copy) beside the JSON object of the other fields, and a serde [`Deserializer`] that reads
//! the body struct from the two: a `format: binary` field is deserialized from its bytes
//! (`visit_bytes`), never from a JSON array of numbers (which would hold each byte as a
//! `serde_json::Value`, 32 times its size).

use std::collections::BTreeMap;

use bytes::Bytes;
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::forward_to_deserialize_any;
use serde_json::{Map, Value};

/// The file parts of a multipart body by field name, in the order they came.
#[derive(Debug, Default, Clone)]
pub(crate) struct Files(BTreeMap<String, Vec<Bytes>>);

impl Files {
    /// Record a file part of field `name`.
    pub(crate) fn push(&mut self, name: &str, data: Bytes) {
        self.0.entry(name.to_owned()).or_default().push(data);
    }

    /// Whether there is no file part.
    pub(crate) fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// What the JSON object holds where a file part is: validation never looks into
/// `format: binary` values, and the deserializer reads the bytes from [`Files`] instead.
pub(crate) fn placeholder() -> Value {
    Value::String(String::new())
}

/// A multipart body as a serde map: the fields of `object`, where a field with file parts is
/// read from `files` (a single value, or a sequence for an array field).
pub(crate) struct Form<'a> {
    pub object: &'a Map<String, Value>,
    pub files: &'a Files,
}

impl<'de> Deserializer<'de> for Form<'de> {
    type Error = serde_json::Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        visitor.visit_map(Fields {
            entries: self.object.iter(),
            files: self.files,
            next: None,
        })
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        visitor.visit_some(self)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        visitor.visit_newtype_struct(self)
    }

    forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct seq tuple tuple_struct map struct enum
        identifier ignored_any
    }
}

/// The value of one field: JSON, or file parts.
enum Field<'a> {
    Json(&'a Value),
    Files(&'a [Bytes]),
}

struct Fields<'a> {
    entries: serde_json::map::Iter<'a>,
    files: &'a Files,
    next: Option<Field<'a>>,
}

impl<'de> MapAccess<'de> for Fields<'de> {
    type Error = serde_json::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Self::Error> {
        let Some((key, value)) = self.entries.next() else {
            return Ok(None);
        };
        self.next = Some(match self.files.0.get(key) {
            Some(parts) => Field::Files(parts),
            None => Field::Json(value),
        });
        seed.deserialize(de::value::BorrowedStrDeserializer::new(key))
            .map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(
        &mut self,
        seed: V,
    ) -> Result<V::Value, Self::Error> {
        match self.next.take() {
            Some(Field::Json(value)) => seed.deserialize(value),
            // An array field's parts are a sequence; any other field has one part.
            Some(Field::Files(parts)) => seed.deserialize(FileParts(parts)),
            None => Err(de::Error::custom("a value was asked for before its key")),
        }
    }
}

/// The parts of one field: one part reads as its bytes, several (or an array field) as a
/// sequence of them.
struct FileParts<'a>(&'a [Bytes]);

impl<'de> Deserializer<'de> for FileParts<'de> {
    type Error = serde_json::Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        match self.0 {
            [one] => visitor.visit_borrowed_bytes(one),
            many => visitor.visit_seq(Parts(many.iter())),
        }
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        visitor.visit_seq(Parts(self.0.iter()))
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        visitor.visit_some(self)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        visitor.visit_newtype_struct(self)
    }

    forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct tuple tuple_struct map struct enum
        identifier ignored_any
    }
}

struct Parts<'a>(std::slice::Iter<'a, Bytes>);

impl<'de> SeqAccess<'de> for Parts<'de> {
    type Error = serde_json::Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Self::Error> {
        self.0
            .next()
            .map(|part| seed.deserialize(FileParts(std::slice::from_ref(part))))
            .transpose()
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.0.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize, PartialEq)]
    struct Upload {
        file: Bytes,
        #[serde(default)]
        more: Vec<Bytes>,
        maybe: Option<Bytes>,
        caption: Option<String>,
        count: i64,
    }

    #[test]
    fn files_are_read_from_their_bytes_and_the_rest_from_json() {
        let object = serde_json::json!({
            "file": "", "more": ["", ""], "maybe": "", "caption": "hi", "count": 3,
        });
        let mut files = Files::default();
        files.push("file", Bytes::from_static(b"\x00\x01"));
        files.push("more", Bytes::from_static(b"a"));
        files.push("more", Bytes::from_static(b"b"));
        files.push("maybe", Bytes::from_static(b"m"));
        let form = Form {
            object: object.as_object().unwrap(),
            files: &files,
        };
        assert_eq!(
            Upload::deserialize(form).unwrap(),
            Upload {
                file: Bytes::from_static(b"\x00\x01"),
                more: vec![Bytes::from_static(b"a"), Bytes::from_static(b"b")],
                maybe: Some(Bytes::from_static(b"m")),
                caption: Some("hi".into()),
                count: 3,
            }
        );
    }

    #[test]
    fn an_array_field_with_one_part_is_a_sequence_of_one() {
        #[derive(Debug, Deserialize)]
        struct Many {
            more: Vec<Bytes>,
        }
        let object = serde_json::json!({ "more": [""] });
        let mut files = Files::default();
        files.push("more", Bytes::from_static(b"only"));
        let form = Form {
            object: object.as_object().unwrap(),
            files: &files,
        };
        assert_eq!(
            Many::deserialize(form).unwrap().more,
            [Bytes::from_static(b"only")]
        );
    }

    #[test]
    fn a_wrong_json_field_is_an_error_with_its_path() {
        let object = serde_json::json!({ "file": "", "count": "three" });
        let mut files = Files::default();
        files.push("file", Bytes::from_static(b"x"));
        let form = Form {
            object: object.as_object().unwrap(),
            files: &files,
        };
        let err = serde_path_to_error::deserialize::<_, Upload>(form).unwrap_err();
        assert_eq!(err.path().to_string(), "count");
    }
}
