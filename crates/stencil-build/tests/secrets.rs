//! Secrets in generated types (issue 18): `Debug` redacts fields with `format: password`,
//! `writeOnly: true`, or a name in `Options::secret_fields` (credentials by default).

use stencil_build::{generate, Config, Options, DEFAULT_SECRET_FIELDS};

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

const PARAMS: &str = r#"
openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /items:
    get:
      operationId: listItems
      parameters:
        - {name: api_key, in: query, required: true, schema: {type: string}}
        - {name: X-API-Key, in: header, schema: {type: string}}
        - {name: pin, in: query, schema: {type: string, format: password}}
        - {name: limit, in: query, schema: {type: integer}}
      responses:
        '200': {description: ok}
"#;

/// Credential-named (`X-API-Key` is `api_key`) and `format: password` parameters: the client's request builder and the
/// server's request struct print them redacted; other parameters as they are.
#[test]
fn secret_parameters_print_redacted_on_both_sides() {
    let dir = tempfile::tempdir().unwrap();
    let spec = dir.path().join("openapi.yaml");
    std::fs::write(&spec, PARAMS).unwrap();
    let code = generate(&spec, &Options::default())
        .expect("generates")
        .code;
    for ty in ["ListItemsRequest<'_>", "ListItemsRequest"] {
        let header = format!("impl ::std::fmt::Debug for {ty} {{");
        let at = code
            .find(&header)
            .unwrap_or_else(|| panic!("no {header}:\n{code}"));
        let body = &code[at..at + code[at..].find("\n}\n").unwrap()];
        for secret in ["api_key", "x_api_key", "pin"] {
            assert!(
                body.contains(&format!(r#"("{secret}", None)"#)),
                "{secret} not redacted in {ty}:\n{body}"
            );
        }
        assert!(body.contains(r#"("limit", Some(&self.limit))"#), "{body}");
    }
    // No derived Debug beside the hand-written one.
    assert!(!code.contains("#[derive(Debug, Clone)]\n    #[must_use = \"a request does nothing until it is awaited or sent\"]\n    pub struct ListItemsRequest"), "{code}");
}

/// `Config::secret_fields` (the build.rs builder) replaces the list, for parameters too.
#[test]
fn the_builder_sets_the_list() {
    let dir = tempfile::tempdir().unwrap();
    let spec = dir.path().join("openapi.yaml");
    std::fs::write(&spec, PARAMS).unwrap();
    let code = Config::new()
        .secret_fields(["Limit"])
        .generate(&spec)
        .expect("generates")
        .code;
    assert!(code.contains(r#"("limit", None)"#), "{code}");
    assert!(
        code.contains(r#"("api_key", Some(&self.api_key))"#),
        "{code}"
    );
    // `format: password` whatever the list.
    assert!(code.contains(r#"("pin", None)"#), "{code}");
}
