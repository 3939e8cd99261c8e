//! Validation against schema descriptions: every violation, at its location.

use super::*;
use crate::server::schema::{Field, Rules};
use serde_json::json;

static NAME: Schema = Schema::Checked(
    &Schema::Str(None),
    &Rules {
        min_length: Some(2),
        ..Rules::NONE
    },
);
static AGE: Schema = Schema::Checked(
    &Schema::Int(IntKind::I32),
    &Rules {
        minimum: Some(0.0),
        ..Rules::NONE
    },
);
static PERSON: Schema = Schema::Object(&Object {
    fields: &[
        Field {
            name: "name",
            schema: &NAME,
            required: true,
            nullable: false,
        },
        Field {
            name: "age",
            schema: &AGE,
            required: false,
            nullable: true,
        },
        Field {
            name: "kind",
            schema: &Schema::StringEnum(&["a", "b"]),
            required: false,
            nullable: false,
        },
    ],
    additional: None,
});

fn run(mut value: Value) -> Vec<(String, String)> {
    let mut out = Vec::new();
    validate(
        &PERSON,
        &mut value,
        &mut vec!["body".into()],
        &mut out,
        Validation::Standard,
    );
    out.into_iter().map(|v| (v.loc_string(), v.kind)).collect()
}

#[test]
fn collects_every_violation() {
    assert!(run(json!({"name": "Al", "age": null})).is_empty());
    assert_eq!(
        run(json!({"age": -1, "kind": "c"})),
        vec![
            ("body.name".to_owned(), "missing".to_owned()),
            ("body.age".to_owned(), "greater_than_equal".to_owned()),
            ("body.kind".to_owned(), "enum".to_owned()),
        ]
    );
    assert_eq!(
        run(json!({"name": 1, "age": 1.5})),
        vec![
            ("body.name".to_owned(), "string_type".to_owned()),
            ("body.age".to_owned(), "int_from_float".to_owned()),
        ]
    );
    assert_eq!(
        run(json!([1])),
        vec![("body".to_owned(), "model_attributes_type".to_owned())]
    );
    assert_eq!(
        run(json!({"name": "x", "age": 3_000_000_000u64})),
        vec![
            ("body.name".to_owned(), "string_too_short".to_owned()),
            ("body.age".to_owned(), "less_than_equal".to_owned()),
        ]
    );
}

#[test]
fn formats_and_patterns() {
    assert!(check_format("email", "a@b.co", &[]).is_none());
    assert!(check_format("email", "nope", &[]).is_some());
    assert!(check_format("date", "2024-03-26", &[]).is_none());
    assert!(check_format("date", "2024-13-26", &[]).is_some());
    assert!(check_format("uuid", "not-a-uuid", &[]).is_some());
    assert!(matches_pattern("^[A-Z]{2}-[0-9]{3}$", "AB-123"));
    assert!(!matches_pattern("^[A-Z]{2}-[0-9]{3}$", "AB-12"));
}
