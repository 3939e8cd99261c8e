//! Secrets in generated types (issue 18): `Debug` redacts fields with `format: password`,
//! `writeOnly: true`, or a name in `Options::secret_fields` (credentials by default).

use stencil_build::{generate, Options, DEFAULT_SECRET_FIELDS};

const DOC: &str = r#"
openapi: 3.0.3
info: {title: t, version: "1"}
paths: {}
components:
  schemas:
    Login:
      type: object
      required: [user, pin, apiKey]
      properties:
        user: {type: string}
        pin: {type: string, format: password}
        apiKey: {type: string}
        hint: {type: string, writeOnly: true}
        note: {type: string}
    Plain:
      type: object
      properties:
        token_type: {type: string}
        count: {type: integer}
"#;

fn code(options: &Options) -> String {
    let dir = tempfile::tempdir().unwrap();
    let spec = dir.path().join("openapi.yaml");
    std::fs::write(&spec, DOC).unwrap();
    generate(&spec, options).expect("generates").code
}

#[test]
fn secret_fields_print_redacted_by_default() {
    let code = code(&Options::default());
    assert!(code.contains("impl ::std::fmt::Debug for Login"), "{code}");
    for secret in [
        r#"("pin", None)"#,
        r#"("api_key", None)"#,
        r#"("hint", None)"#,
    ] {
        assert!(code.contains(secret), "{secret} not redacted:\n{code}");
    }
    assert!(code.contains(r#"("note", Some(&self.note))"#), "{code}");
    // A type without secrets keeps its derived Debug, and `token_type` is not `token`.
    assert!(!code.contains("impl ::std::fmt::Debug for Plain"), "{code}");
    assert!(DEFAULT_SECRET_FIELDS.contains(&"api_key"));
}

#[test]
fn the_name_list_is_the_users() {
    let options = Options {
        secret_fields: vec!["Note".to_owned()],
        ..Options::default()
    };
    let code = code(&options);
    assert!(code.contains(r#"("note", None)"#), "{code}");
    // No longer a listed name; the format and writeOnly still count.
    assert!(
        code.contains(r#"("api_key", Some(&self.api_key))"#),
        "{code}"
    );
    assert!(code.contains(r#"("pin", None)"#), "{code}");
    assert!(code.contains(r#"("hint", None)"#), "{code}");
}
