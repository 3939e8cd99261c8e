//! Tagged unions: `oneOf` with a discriminator.
//!
//! A generated tagged union serializes untagged (each branch struct carries its own tag
//! property) and deserializes through [`deserialize_tagged`]: read the object, look at the tag
//! property, and deserialize the branch it names. Generated code writes the dispatch (a
//! [`TaggedUnion`] impl) and calls [`impl_tagged_union!`](crate::impl_tagged_union) for the
//! `Deserialize` impl.

use serde::de::{Deserialize, Deserializer, Error as _, Unexpected};
use serde_json::Value;

/// A union told apart by a tag property.
pub trait TaggedUnion: Sized {
    /// Wire name of the tag property.
    const TAG: &'static str;
    /// Every tag value that selects a variant, for error messages.
    const TAGS: &'static [&'static str];

    /// Deserialize the variant that `tag` selects from the whole object (tag included); `None`
    /// when no variant has that tag.
    fn from_tagged(tag: &str, value: Value) -> Option<Result<Self, serde_json::Error>>;
}

fn unexpected(value: &Value) -> Unexpected<'_> {
    match value {
        Value::Null => Unexpected::Unit,
        Value::Bool(b) => Unexpected::Bool(*b),
        Value::Number(n) => match (n.as_i64(), n.as_u64(), n.as_f64()) {
            (Some(i), _, _) => Unexpected::Signed(i),
            (_, Some(u), _) => Unexpected::Unsigned(u),
            (_, _, Some(f)) => Unexpected::Float(f),
            _ => Unexpected::Other("number"),
        },
        Value::String(s) => Unexpected::Str(s),
        Value::Array(_) => Unexpected::Seq,
        Value::Object(_) => Unexpected::Map,
    }
}

/// `Deserialize` of a [`TaggedUnion`].
///
/// Errors: not an object; the tag property missing or not a string; an unknown tag (serde's
/// `unknown variant` error, listing the known tags); or the selected branch failing, prefixed
/// with the tag: ``petType `cat`: missing field `name` ``.
pub fn deserialize_tagged<'de, T, D>(deserializer: D) -> Result<T, D::Error>
where
    T: TaggedUnion,
    D: Deserializer<'de>,
{
    let value = Value::deserialize(deserializer)?;
    let tag = match &value {
        Value::Object(object) => match object.get(T::TAG) {
            Some(Value::String(tag)) => tag.clone(),
            Some(other) => {
                let expected = format!("a string in the tag property `{}`", T::TAG);
                return Err(D::Error::invalid_type(
                    unexpected(other),
                    &expected.as_str(),
                ));
            }
            None => return Err(D::Error::missing_field(T::TAG)),
        },
        other => {
            let expected = format!("an object with the tag property `{}`", T::TAG);
            return Err(D::Error::invalid_type(
                unexpected(other),
                &expected.as_str(),
            ));
        }
    };
    match T::from_tagged(&tag, value) {
        Some(Ok(union)) => Ok(union),
        Some(Err(error)) => Err(D::Error::custom(format_args!(
            "{} `{tag}`: {error}",
            T::TAG
        ))),
        None => Err(D::Error::unknown_variant(&tag, T::TAGS)),
    }
}

/// The `Deserialize` impl of a generated tagged union that has a [`TaggedUnion`] impl.
#[macro_export]
macro_rules! impl_tagged_union {
    ($name:ident) => {
        impl<'de> $crate::serde::Deserialize<'de> for $name {
            fn deserialize<D>(deserializer: D) -> ::core::result::Result<Self, D::Error>
            where
                D: $crate::serde::Deserializer<'de>,
            {
                $crate::deserialize_tagged(deserializer)
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use serde::{Deserialize, Serialize};
    use serde_json::{json, Value};

    use super::TaggedUnion;

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Cat {
        #[serde(rename = "petType")]
        pet_type: String,
        lives: u8,
    }

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Dog {
        #[serde(rename = "petType")]
        pet_type: String,
        good: bool,
    }

    #[derive(Debug, PartialEq, Serialize)]
    #[serde(untagged)]
    enum Pet {
        Cat(Cat),
        Dog(Dog),
    }

    impl TaggedUnion for Pet {
        const TAG: &'static str = "petType";
        const TAGS: &'static [&'static str] = &["cat", "dog", "Dog"];

        fn from_tagged(tag: &str, value: Value) -> Option<Result<Self, serde_json::Error>> {
            Some(match tag {
                "cat" => serde_json::from_value(value).map(Self::Cat),
                "dog" | "Dog" => serde_json::from_value(value).map(Self::Dog),
                _ => return None,
            })
        }
    }

    impl_tagged_union!(Pet);

    fn error(value: Value) -> String {
        serde_json::from_value::<Pet>(value)
            .unwrap_err()
            .to_string()
    }

    #[test]
    fn dispatches_on_the_tag() {
        let dog = json!({"petType": "Dog", "good": true});
        let pet: Pet = serde_json::from_value(dog).unwrap();
        assert_eq!(
            pet,
            Pet::Dog(Dog {
                pet_type: "Dog".to_owned(),
                good: true
            })
        );
        // A dog-shaped cat is still a cat: the tag decides, not the shape.
        let text = r#"{"lives":9,"petType":"cat"}"#;
        let pet: Pet = serde_json::from_str(text).unwrap();
        assert_eq!(
            pet,
            Pet::Cat(Cat {
                pet_type: "cat".to_owned(),
                lives: 9
            })
        );
        assert_eq!(
            serde_json::to_value(&pet).unwrap(),
            json!({"petType": "cat", "lives": 9})
        );
    }

    #[test]
    fn explains_failures() {
        assert_eq!(
            error(json!({"petType": "cow"})),
            "unknown variant `cow`, expected one of `cat`, `dog`, `Dog`"
        );
        assert_eq!(error(json!({"lives": 1})), "missing field `petType`");
        assert_eq!(
            error(json!({"petType": 1})),
            "invalid type: integer `1`, expected a string in the tag property `petType`"
        );
        assert_eq!(
            error(json!([1])),
            "invalid type: sequence, expected an object with the tag property `petType`"
        );
        assert_eq!(
            error(json!({"petType": "cat"})),
            "petType `cat`: missing field `lives`"
        );
    }
}
