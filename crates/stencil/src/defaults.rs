//! Schema defaults that have no Rust literal form.

use serde::de::DeserializeOwned;

/// The value of a schema `default` that generated code cannot write as a Rust literal (a date,
/// an object, ...), deserialized from its JSON text.
///
/// Generated `#[serde(default = "...")]` functions call this only with JSON that Stencil checked
/// deserializes as `T`; a spec whose default does not fit its type gets an optional field
/// instead. A panic here is therefore a Stencil bug, and its message says so.
#[track_caller]
pub fn default_from_json<T: DeserializeOwned>(json: &str) -> T {
    match serde_json::from_str(json) {
        Ok(value) => value,
        Err(error) => panic!(
            "Stencil bug: the schema default {json} does not deserialize as {}: {error}",
            std::any::type_name::<T>()
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::default_from_json;

    #[test]
    fn reads_json() {
        let date: chrono::NaiveDate = default_from_json(r#""2024-02-29""#);
        assert_eq!(date, chrono::NaiveDate::from_ymd_opt(2024, 2, 29).unwrap());
        let list: Vec<Option<u8>> = default_from_json("[1, null]");
        assert_eq!(list, vec![Some(1), None]);
    }

    #[test]
    #[should_panic(expected = "Stencil bug")]
    fn says_whose_bug_it_is() {
        let _: u8 = default_from_json("300");
    }
}
