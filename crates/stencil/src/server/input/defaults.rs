//! Parameter defaults: the JSON text a generated operation table holds, decoded once per
//! thread and Rust type.

use serde::de::DeserializeOwned;
use serde_json::Value;

/// A parameter default decoded as `T`, once per thread and default: parsing it on every
/// request (chrono parsing a date default, say) cost more than the rest of the parameter.
/// `None` when the text is not a `T`.
pub(super) fn cached_default<T: DeserializeOwned + Clone + 'static>(
    text: &'static str,
) -> Option<T> {
    use std::any::{Any, TypeId};
    use std::cell::RefCell;
    use std::collections::HashMap;
    type Key = (usize, usize, TypeId);
    type Cache = HashMap<Key, Option<Box<dyn Any>>, std::hash::BuildHasherDefault<KeyHasher>>;
    thread_local! {
        static CACHE: RefCell<Cache> = RefCell::new(HashMap::default());
    }
    let key = (text.as_ptr() as usize, text.len(), TypeId::of::<T>());
    CACHE.with(|cache| {
        let mut cache = cache.borrow_mut();
        let entry = cache.entry(key).or_insert_with(|| {
            let value = default_value(text)?;
            let t = T::deserialize(&value).ok()?;
            Some(Box::new(t) as Box<dyn Any>)
        });
        entry.as_ref()?.downcast_ref::<T>().cloned()
    })
}

/// A multiply-rotate hasher for the default cache's keys (a pointer, a length and a
/// `TypeId`: no attacker chooses them, and SipHash cost more than the lookup saves).
#[derive(Default)]
struct KeyHasher(u64);

impl std::hash::Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.write_u64(u64::from_le_bytes(word));
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }

    fn write_usize(&mut self, n: usize) {
        self.write_u64(n as u64);
    }
}

/// A parameter's default (JSON text) as a value. A plain string literal, the usual case, is
/// copied without running the JSON parser.
pub(super) fn default_value(text: &str) -> Option<Value> {
    let plain = text
        .strip_prefix('"')
        .and_then(|t| t.strip_suffix('"'))
        .filter(|t| !t.bytes().any(|b| b == b'"' || b == b'\\' || b < 0x20));
    match plain {
        Some(s) => Some(Value::String(s.to_owned())),
        None => serde_json::from_str(text).ok(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_texts_are_json() {
        assert_eq!(
            default_value(r#""2024-03-26""#),
            Some(Value::String("2024-03-26".into()))
        );
        assert_eq!(
            default_value(r#""a\"b""#),
            Some(Value::String("a\"b".into()))
        );
        assert_eq!(
            default_value(r#""a\u0041""#),
            Some(Value::String("aA".into()))
        );
        assert_eq!(default_value("12"), Some(Value::from(12)));
        assert_eq!(default_value(r#""open"#), None);
    }

    #[test]
    fn cached_defaults_are_per_type_and_text() {
        static DATE: &str = "\"2024-03-26\"";
        static NUMBER: &str = "7";
        for _ in 0..2 {
            assert_eq!(
                cached_default::<chrono::NaiveDate>(DATE),
                chrono::NaiveDate::from_ymd_opt(2024, 3, 26)
            );
            assert_eq!(
                cached_default::<String>(DATE).as_deref(),
                Some("2024-03-26")
            );
            assert_eq!(cached_default::<u8>(DATE), None);
            assert_eq!(cached_default::<u8>(NUMBER), Some(7));
            assert_eq!(cached_default::<Option<i64>>(NUMBER), Some(Some(7)));
        }
    }
}
