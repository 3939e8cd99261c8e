//! Conformance (issue 14): the OpenAPI Initiative's own test documents, copied into
//! `specs/conformance/oas/` (README there). Every `pass-*` document and every example generates
//! (client and server); every `fail-*` document either generates or is rejected with located
//! diagnostics; nothing panics or reaches an internal error. Prints `N passed, M failed` per
//! folder (`cargo test -p stencil-build --test conformance -- --nocapture` shows them).
//!
//! That the generated code also compiles is `cargo xtask conformance` (one scratch workspace,
//! one `cargo check`), too slow for this test.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

use stencil_build::{generate, Diagnostics, Options};

/// Valid documents that may be rejected, and why (still only with located diagnostics).
const MAY_REJECT: &[(&str, &str)] = &[
    (
        "pass-3.1/operation-object-example.yaml",
        "uses a security scheme it never declares, which the JSON schema cannot see",
    ),
    (
        "pass-3.2/operation-object-example.yaml",
        "uses a security scheme it never declares, which the JSON schema cannot see",
    ),
];

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn folder() -> PathBuf {
    root().join("specs/conformance/oas")
}

/// The documents of one folder, sorted.
fn documents(dir: &Path) -> Vec<PathBuf> {
    let mut docs: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| {
            matches!(
                p.extension().and_then(|e| e.to_str()),
                Some("yaml" | "yml" | "json")
            )
        })
        .collect();
    docs.sort();
    docs
}

/// Why the rejection `d` is not acceptable, if it is not: an error without a line:column, or an
/// internal error.
fn unlocated(d: &Diagnostics) -> Option<String> {
    let bad: Vec<String> = d
        .errors()
        .filter(|e| e.position.is_none() || e.message.contains("internal error"))
        .map(|e| e.to_string())
        .collect();
    if d.errors().next().is_none() {
        return Some(format!("rejected without an error:\n{d}"));
    }
    (!bad.is_empty()).then(|| bad.join("\n"))
}

/// What happened to one document: `Ok(outcome)` when acceptable, `Err(why)` otherwise.
fn run(path: &Path, must_generate: bool) -> Result<String, String> {
    let outcome = catch_unwind(AssertUnwindSafe(|| generate(path, &Options::default())));
    match outcome {
        Err(_) => Err("panicked".to_owned()),
        Ok(Ok(generated)) => Ok(format!("generated ({} warnings)", generated.warnings.len())),
        Ok(Err(d)) => {
            if let Some(why) = unlocated(&d) {
                return Err(why);
            }
            if must_generate {
                Err(format!("rejected:\n{d}"))
            } else {
                Ok("rejected with located diagnostics".to_owned())
            }
        }
    }
}

#[test]
fn every_conformance_document() {
    let mut folders: Vec<PathBuf> = std::fs::read_dir(folder())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    folders.sort();
    assert!(folders.len() >= 7, "{folders:?}");
    let mut failures = Vec::new();
    let mut summary = String::new();
    for dir in &folders {
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        let must_generate = !name.starts_with("fail-");
        let (mut passed, mut failed) = (0, 0);
        for doc in documents(dir) {
            let rel = format!("{name}/{}", doc.file_name().unwrap().to_string_lossy());
            let lenient = MAY_REJECT.iter().any(|(p, _)| *p == rel);
            match run(&doc, must_generate && !lenient) {
                Ok(_) => passed += 1,
                Err(why) => {
                    failed += 1;
                    failures.push(format!("{rel}: {why}"));
                }
            }
        }
        summary.push_str(&format!("{name:<10} {passed} passed, {failed} failed\n"));
    }
    println!("{summary}");
    assert!(failures.is_empty(), "{summary}\n{}", failures.join("\n\n"));
}

// ---------------------------------------------------------------------------------------------
// The causes of the failures measured on these documents, one by one

fn load(text: &str) -> Result<stencil_build::stages::load::Loaded, Diagnostics> {
    stencil_build::stages::load::load_str(text, "t.yaml")
}

const HEAD_31: &str = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\n";

#[test]
fn a_remote_ref_is_an_error_only_where_something_generated_needs_it() {
    // A schema property: every component schema is generated.
    let doc = format!(
        "{HEAD_31}paths: {{}}\ncomponents:\n  schemas:\n    A:\n      properties:\n        \
         b: {{$ref: 'https://example.com/s.json#/B'}}\n"
    );
    let e = load(&doc).unwrap_err();
    let d = e.errors().next().unwrap();
    assert_eq!(d.pointer, "/components/schemas/A/properties/b/$ref", "{d}");
    assert_eq!(d.position.map(|p| p.line), Some(8), "{d}");
    // A parameter component: an error when an operation uses it, left out when none does.
    let component = "components:\n  parameters:\n    P: {$ref: 'https://example.com/p.json'}\n";
    let used = format!(
        "{HEAD_31}paths:\n  /a:\n    get:\n      parameters: [{{$ref: '#/components/parameters/P'}}]\n{component}"
    );
    let e = load(&used).unwrap_err();
    assert_eq!(
        e.errors().next().unwrap().pointer,
        "/components/parameters/P/$ref"
    );
    let unused = format!("{HEAD_31}paths:\n  /a:\n    get: {{}}\n{component}");
    let loaded = load(&unused).unwrap_or_else(|e| panic!("{e}"));
    assert!(loaded.warnings[0]
        .message
        .contains("nothing uses this parameter"));
    assert_eq!(loaded.warnings[0].pointer, "/components/parameters/P");
    // A security scheme: needed when a requirement names it.
    let scheme = "components:\n  securitySchemes:\n    S: {$ref: 'https://example.com/s.json'}\n";
    let required = format!("{HEAD_31}security: [{{S: []}}]\npaths: {{}}\n{scheme}");
    assert!(load(&required).is_err());
    let unrequired = format!("{HEAD_31}paths: {{}}\n{scheme}");
    assert!(load(&unrequired).is_ok());
}

#[test]
fn missing_responses_and_descriptions() {
    // Optional `responses` since 3.1; a warning in 3.0, where it is required.
    let loaded = load(&format!("{HEAD_31}paths:\n  /a:\n    get: {{}}\n")).unwrap();
    assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
    let doc = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get: {}\n";
    let loaded = load(doc).unwrap();
    assert!(loaded.warnings[0].message.contains("no `responses`"));
    // A response without `description`: a warning before 3.2, nothing in 3.2.
    let paths = "paths:\n  /a:\n    get:\n      responses:\n        '204': {}\n";
    let loaded = load(&format!("{HEAD_31}{paths}")).unwrap();
    assert_eq!(
        loaded.warnings[0].pointer, "/paths/~1a/get/responses/204",
        "{:?}",
        loaded.warnings
    );
    let loaded = load(&format!(
        "openapi: 3.2.0\ninfo: {{title: t, version: '1'}}\n{paths}"
    ))
    .unwrap();
    assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
}

#[test]
fn openapi_32_keywords_travel_as_extensions() {
    use stencil_build::stages::load::ext;
    let doc = r##"openapi: 3.2.0
$self: https://example.com/api/openapi.yaml
info: {title: t, version: '1'}
tags:
  - {name: pets, summary: Pets, kind: nav}
  - {name: cats, parent: pets}
paths:
  /pets:
    query:
      parameters:
        - name: filter
          in: querystring
          content:
            application/x-www-form-urlencoded:
              schema: {$ref: '#/components/schemas/Filter'}
      responses:
        '200':
          content:
            application/jsonl:
              itemSchema: {$ref: '#/components/schemas/Pet'}
    additionalOperations:
      LINK:
        responses: {'204': {description: linked}}
components:
  schemas:
    Filter: {type: object, properties: {name: {type: [string, 'null']}}}
    Pet: {type: object, properties: {name: {const: cat}}}
  securitySchemes:
    device:
      type: oauth2
      oauth2MetadataUrl: https://example.com/.well-known/oauth-authorization-server
      flows:
        deviceAuthorization:
          deviceAuthorizationUrl: https://example.com/device
          tokenUrl: https://example.com/token
          scopes: {}
"##;
    let loaded = load(doc).unwrap_or_else(|e| panic!("{e}"));
    assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
    let raw = &loaded.raw;
    assert_eq!(raw[ext::SELF], "https://example.com/api/openapi.yaml");
    assert_eq!(raw["tags"][0][ext::TAG_KIND], "nav");
    assert_eq!(raw["tags"][1][ext::TAG_PARENT], "pets");
    let item = &raw["paths"]["/pets"];
    let query = &item[ext::QUERY];
    assert_eq!(query["parameters"][0]["in"], "query");
    assert_eq!(query["parameters"][0][ext::QUERYSTRING], true);
    // The item schema is a schema like any other: its `$ref` resolved, 3.1 normalised.
    let media = &query["responses"]["200"]["content"]["application/jsonl"];
    assert_eq!(media[ext::ITEM_SCHEMA]["$ref"], "#/components/schemas/Pet");
    assert_eq!(
        raw["components"]["schemas"]["Pet"]["properties"]["name"][ext::CONST],
        "cat"
    );
    assert_eq!(
        item[ext::ADDITIONAL_OPERATIONS]["LINK"]["responses"]["204"]["description"],
        "linked"
    );
    let scheme = &raw["components"]["securitySchemes"]["device"];
    assert!(scheme[ext::OAUTH2_METADATA_URL].is_string());
    assert!(scheme["flows"][ext::DEVICE_AUTHORIZATION]["tokenUrl"].is_string());
}
