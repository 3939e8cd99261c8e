//! The loader: rejected documents (snapshots of their diagnostics), 3.1 → 3.0 normalisation,
//! external and cyclic `$ref`s, positions, and robustness against any input.

use std::path::{Path, PathBuf};

use openapiv3::{ReferenceOr, SchemaKind, Type};
use serde_json::{json, Value};
use stencil_build::stages::load::{self, ext, Loaded};
use stencil_build::{Diagnostic, Position};

// ---------------------------------------------------------------------------------------------
// Helpers

/// A path relative to the crate directory (the tests' working directory), so diagnostics name
/// `../../specs/...`; [`shown`] turns that into a path relative to the repository root.
fn repo(rel: &str) -> PathBuf {
    let path = Path::new("../..").join(rel);
    assert!(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../..")
            .join(rel)
            .exists(),
        "{rel} exists"
    );
    path
}

fn shown(text: &str) -> String {
    text.replace("../../specs/", "specs/")
}

/// Load an invalid fixture and render its diagnostics.
fn rejected(name: &str) -> String {
    let path = repo(&format!("specs/fixtures/invalid/{name}"));
    match load::load(&path) {
        Ok(_) => panic!("{name} loaded, but it must be rejected"),
        Err(e) => {
            for d in &e.0 {
                assert!(d.position.is_some(), "{name}: diagnostic not located: {d}");
                assert!(d.hint.is_some(), "{name}: diagnostic without a hint: {d}");
            }
            shown(&e.to_string())
        }
    }
}

fn ok(text: &str) -> Loaded {
    load::load_str(text, "test.yaml").unwrap_or_else(|e| panic!("loads:\n{e}"))
}

/// A 3.1 document with the given `components/schemas` (YAML, indented by 4).
fn doc31(schemas: &str) -> String {
    format!(
        "openapi: 3.1.0\ninfo:\n  title: t\n  version: '1'\ncomponents:\n  schemas:\n{}",
        indent(schemas, 4)
    )
}

fn indent(text: &str, n: usize) -> String {
    let pad = " ".repeat(n);
    text.lines().map(|l| format!("{pad}{l}\n")).collect()
}

fn schema<'a>(loaded: &'a Loaded, name: &str) -> &'a Value {
    &loaded.raw["components"]["schemas"][name]
}

fn parsed<'a>(loaded: &'a Loaded, name: &str) -> &'a openapiv3::Schema {
    let components = loaded.document.components.as_ref().expect("components");
    match &components.schemas[name] {
        ReferenceOr::Item(s) => s,
        ReferenceOr::Reference { reference } => panic!("{name} is a $ref to {reference}"),
    }
}

fn write(dir: &Path, rel: &str, text: &str) -> PathBuf {
    let path = dir.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, text).unwrap();
    path
}

// ---------------------------------------------------------------------------------------------
// Rejected documents

#[test]
fn invalid_fixtures() {
    for name in [
        "bad-yaml.yaml",
        "bad-json.json",
        "dangling-local-ref.yaml",
        "dangling-external-ref.yaml",
        "dangling-external-pointer.yaml",
        "swagger2.yaml",
        "unknown-version.yaml",
        "missing-openapi.yaml",
        "not-a-mapping.yaml",
        "paths-not-a-map.yaml",
        "parameter-in-body.yaml",
        "two-dangling-refs.yaml",
        "circular-ref.yaml",
    ] {
        let snapshot = format!("invalid_{}", name.replace(['.', '-'], "_"));
        insta::assert_snapshot!(snapshot, rejected(name));
    }
}

#[test]
fn every_invalid_fixture_is_rejected() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../specs/fixtures/invalid");
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_file() {
            assert!(
                load::load(&path).is_err(),
                "{} must be rejected",
                path.display()
            );
        }
    }
}

#[test]
fn two_dangling_refs_are_both_reported() {
    let path = repo("specs/fixtures/invalid/two-dangling-refs.yaml");
    let errors = load::load(&path).unwrap_err();
    assert_eq!(errors.errors().count(), 2, "{errors}");
}

#[test]
fn deep_nesting_is_an_error() {
    let deep_json = format!(
        "{{\"openapi\": \"3.1.0\", \"x\": {}0{}}}",
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    let e = load::load_str(&deep_json, "deep.json").unwrap_err();
    insta::assert_snapshot!("invalid_deep_json", e.to_string());

    let mut deep_yaml = String::from("openapi: 3.1.0\nx:\n");
    for i in 1..10_000 {
        deep_yaml.push_str(&" ".repeat(i));
        deep_yaml.push_str("a:\n");
    }
    let e = load::load_str(&deep_yaml, "deep.yaml").unwrap_err();
    insta::assert_snapshot!("invalid_deep_yaml", e.to_string());

    let flow_yaml = format!("openapi: 3.1.0\nx: {}\n", "[".repeat(10_000));
    assert!(load::load_str(&flow_yaml, "flow.yaml").is_err());
}

#[test]
fn missing_file() {
    let e = load::load(Path::new("../../specs/fixtures/invalid/no-such-file.yaml")).unwrap_err();
    assert_eq!(
        shown(&e.to_string()),
        "error: specs/fixtures/invalid/no-such-file.yaml:1:1: cannot read the document: file not \
         found\n  at /\n  help: check the path (relative paths start at the current \
         directory)\n1 error(s), 0 warning(s)"
    );
}

// ---------------------------------------------------------------------------------------------
// Formats and versions

#[test]
fn json_and_yaml_give_the_same_document() {
    let yaml = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses:\n        200: {description: ok}\n";
    let json = r#"{"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {"/a": {"get": {"responses": {"200": {"description": "ok"}}}}}}"#;
    let (a, b) = (ok(yaml), ok(json));
    assert_eq!(a.raw, b.raw);
    assert_eq!(a.document, b.document);
    assert_eq!(a.raw[ext::ORIGINAL_VERSION], "3.0.3");
    assert_eq!(a.source_text, yaml);
    assert_eq!(a.root_display, "test.yaml");
}

#[test]
fn yaml_flow_mapping_starting_with_a_brace() {
    let loaded = ok("{openapi: 3.1.0, info: {title: t, version: '1'}}");
    assert_eq!(loaded.raw["openapi"], "3.0.3");
    assert_eq!(loaded.raw[ext::ORIGINAL_VERSION], "3.1.0");
}

#[test]
fn non_string_keys_become_strings() {
    let loaded = ok(
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses:\n        200: {description: ok}\n        404: {description: missing}\ncomponents:\n  schemas:\n    A:\n      type: object\n      properties:\n        true: {type: string}\n        1.5: {type: string}\n",
    );
    let responses = &loaded.raw["paths"]["/a"]["get"]["responses"];
    assert!(responses.get("200").is_some() && responses.get("404").is_some());
    let props = &schema(&loaded, "A")["properties"];
    assert!(props.get("true").is_some() && props.get("1.5").is_some());
}

#[test]
fn root_of_3_1() {
    let text = "openapi: 3.1.0\njsonSchemaDialect: https://spec.openapis.org/oas/3.1/dialect/base\ninfo:\n  title: t\n  version: '1'\n  license:\n    name: MIT\n    identifier: MIT\nwebhooks:\n  newPet:\n    post:\n      responses:\n        '200':\n          description: ok\n";
    let loaded = ok(text);
    assert_eq!(loaded.raw["paths"], json!({}));
    assert!(loaded.raw.get("webhooks").is_none());
    assert!(loaded.raw.get("jsonSchemaDialect").is_none());
    assert!(loaded.raw["info"]["license"].get("identifier").is_none());
    assert_eq!(loaded.document.openapi, "3.0.3");
    // Webhooks are generated (carried to the IR as an extension): no warning.
    assert!(loaded.raw.get("x-stencil-webhooks").is_some());
    assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
}

// ---------------------------------------------------------------------------------------------
// Normalisation 3.1 → 3.0

#[test]
fn type_array_with_null_is_nullable() {
    let loaded = ok(&doc31("A:\n  type: [string, 'null']\n  maxLength: 3\n"));
    assert_eq!(
        schema(&loaded, "A"),
        &json!({"type": "string", "maxLength": 3, "nullable": true})
    );
    let s = parsed(&loaded, "A");
    assert!(s.schema_data.nullable);
    assert!(matches!(&s.schema_kind, SchemaKind::Type(Type::String(t)) if t.max_length == Some(3)));
}

#[test]
fn type_array_with_several_types_is_any_of() {
    let loaded = ok(&doc31(
        "A:\n  type: [string, integer, 'null']\n  description: d\n  format: int64\n  minimum: 1\n  pattern: '^a'\n  enum: [a, 1, null]\n",
    ));
    assert_eq!(
        schema(&loaded, "A"),
        &json!({
            "description": "d",
            "nullable": true,
            "anyOf": [
                {"type": "string", "pattern": "^a", "enum": ["a"]},
                {"type": "integer", "format": "int64", "minimum": 1, "enum": [1]},
            ],
        })
    );
    let s = parsed(&loaded, "A");
    assert!(s.schema_data.nullable);
    assert!(matches!(&s.schema_kind, SchemaKind::AnyOf { any_of } if any_of.len() == 2));
}

#[test]
fn type_array_object_keywords_go_to_the_object_branch() {
    let loaded = ok(&doc31(
        "A:\n  type: [object, array]\n  properties:\n    x: {type: string}\n  items: {type: integer}\n  minItems: 1\n",
    ));
    assert_eq!(
        schema(&loaded, "A")["anyOf"],
        json!([
            {"type": "object", "properties": {"x": {"type": "string"}}},
            {"type": "array", "items": {"type": "integer"}, "minItems": 1},
        ])
    );
}

#[test]
fn any_of_with_null_is_nullable() {
    // The PathStack pattern: `anyOf: [T, {type: 'null'}]` with a title and a default.
    let loaded = ok(&doc31(
        "B:\n  type: string\nA:\n  type: object\n  properties:\n    b:\n      anyOf:\n        - $ref: '#/components/schemas/B'\n        - type: 'null'\n      title: B\n      default: null\n    c:\n      oneOf:\n        - type: integer\n        - type: 'null'\n",
    ));
    let b = &schema(&loaded, "A")["properties"]["b"];
    assert_eq!(
        b,
        &json!({"anyOf": [{"$ref": "#/components/schemas/B"}], "title": "B", "default": null, "nullable": true})
    );
    let c = &schema(&loaded, "A")["properties"]["c"];
    assert_eq!(
        c,
        &json!({"oneOf": [{"type": "integer"}], "nullable": true})
    );
    let SchemaKind::Type(Type::Object(obj)) = &parsed(&loaded, "A").schema_kind else {
        panic!("object")
    };
    let ReferenceOr::Item(b) = &obj.properties["b"] else {
        panic!("inline")
    };
    assert!(b.schema_data.nullable);
}

#[test]
fn null_type_alone() {
    let loaded = ok(&doc31(
        "A:\n  type: 'null'\nB:\n  anyOf:\n    - type: 'null'\n",
    ));
    assert_eq!(
        schema(&loaded, "A"),
        &json!({"nullable": true, ext::NULL_TYPE: true})
    );
    assert_eq!(
        schema(&loaded, "B"),
        &json!({"nullable": true, ext::NULL_TYPE: true})
    );
    assert!(parsed(&loaded, "A").schema_data.nullable);
}

#[test]
fn const_becomes_a_one_value_enum() {
    let loaded = ok(&doc31(
        "A:\n  const: dog\nB:\n  type: integer\n  const: 3\nC:\n  const: 2.5\n",
    ));
    assert_eq!(
        schema(&loaded, "A"),
        &json!({"type": "string", "enum": ["dog"], ext::CONST: "dog"})
    );
    assert_eq!(
        schema(&loaded, "B"),
        &json!({"type": "integer", "enum": [3], ext::CONST: 3})
    );
    assert_eq!(schema(&loaded, "C")["type"], "number");
    assert!(matches!(
        &parsed(&loaded, "A").schema_kind,
        SchemaKind::Type(Type::String(s)) if s.enumeration == [Some("dog".to_owned())]
    ));
}

#[test]
fn schema_examples_but_not_media_type_examples() {
    let text = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      parameters:\n        - name: q\n          in: query\n          schema: {type: string, examples: [x]}\n          examples:\n            one: {value: x}\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema:\n                type: integer\n                examples: [1, 2]\n              examples:\n                first: {value: 1}\n";
    let loaded = ok(text);
    let get = &loaded.raw["paths"]["/a"]["get"];
    assert_eq!(
        get["parameters"][0]["schema"],
        json!({"type": "string", "example": "x", ext::EXAMPLES: ["x"]})
    );
    assert_eq!(
        get["parameters"][0]["examples"],
        json!({"one": {"value": "x"}})
    );
    let media = &get["responses"]["200"]["content"]["application/json"];
    assert_eq!(
        media["schema"],
        json!({"type": "integer", "example": 1, ext::EXAMPLES: [1, 2]})
    );
    assert_eq!(media["examples"], json!({"first": {"value": 1}}));
}

#[test]
fn numeric_exclusive_bounds() {
    let loaded = ok(&doc31(
        "A:\n  type: integer\n  exclusiveMinimum: 0\n  exclusiveMaximum: 10\n  maximum: 5\nB:\n  type: number\n  minimum: 1\n  exclusiveMinimum: 0.5\n",
    ));
    let a = schema(&loaded, "A");
    assert_eq!(a["minimum"], 0);
    assert_eq!(a["exclusiveMinimum"], true);
    assert_eq!(a["maximum"], 5);
    assert!(
        a.get("exclusiveMaximum").is_none(),
        "maximum 5 is tighter than < 10"
    );
    let b = schema(&loaded, "B");
    assert_eq!(
        (b["minimum"].as_f64(), b.get("exclusiveMinimum")),
        (Some(1.0), None)
    );
    assert!(matches!(
        &parsed(&loaded, "A").schema_kind,
        SchemaKind::Type(Type::Integer(i)) if i.exclusive_minimum && i.minimum == Some(0) && i.maximum == Some(5)
    ));
}

#[test]
fn ref_with_siblings_is_wrapped() {
    let loaded = ok(&doc31(
        "B:\n  type: string\nA:\n  type: object\n  properties:\n    b:\n      $ref: '#/components/schemas/B'\n      description: The b\n      nullable: true\n    c:\n      $ref: '#/components/schemas/B'\n",
    ));
    let props = &schema(&loaded, "A")["properties"];
    assert_eq!(
        props["b"],
        json!({"allOf": [{"$ref": "#/components/schemas/B"}], "description": "The b", "nullable": true, ext::REF_SIBLINGS: true})
    );
    assert_eq!(props["c"], json!({"$ref": "#/components/schemas/B"}));
}

#[test]
fn defs_are_hoisted_and_refs_rewritten() {
    let loaded = ok(&doc31(
        "A:\n  type: object\n  properties:\n    tag:\n      $ref: '#/components/schemas/A/$defs/Tag'\n  $defs:\n    Tag:\n      type: string\n    Unused:\n      type: integer\n",
    ));
    let a = schema(&loaded, "A");
    assert!(a.get("$defs").is_none());
    assert_eq!(
        a["properties"]["tag"],
        json!({"$ref": "#/components/schemas/A_Tag"})
    );
    assert_eq!(schema(&loaded, "A_Tag"), &json!({"type": "string"}));
    assert_eq!(schema(&loaded, "A_Unused"), &json!({"type": "integer"}));
}

#[test]
fn content_encoding_and_media_type() {
    let loaded = ok(&doc31(
        "A:\n  type: string\n  contentEncoding: base64\nB:\n  type: string\n  contentMediaType: image/png\nC:\n  type: string\n  contentMediaType: application/json\nD:\n  type: string\n  contentEncoding: base64\n  contentMediaType: application/octet-stream\n",
    ));
    assert_eq!(
        schema(&loaded, "A"),
        &json!({"type": "string", "format": "byte"})
    );
    assert_eq!(
        schema(&loaded, "B"),
        &json!({"type": "string", "format": "binary", ext::CONTENT_MEDIA_TYPE: "image/png"})
    );
    assert_eq!(
        schema(&loaded, "C"),
        &json!({"type": "string", ext::CONTENT_MEDIA_TYPE: "application/json"})
    );
    assert_eq!(
        schema(&loaded, "D"),
        &json!({"type": "string", "format": "byte", ext::CONTENT_MEDIA_TYPE: "application/octet-stream"})
    );
}

#[test]
fn prefix_items_and_boolean_schemas() {
    let loaded = ok(&doc31(
        "A:\n  type: array\n  prefixItems:\n    - type: string\n    - type: [integer, 'null']\n  items: false\nB:\n  type: object\n  properties:\n    any: true\n    never: false\n  additionalProperties: false\n",
    ));
    assert_eq!(
        schema(&loaded, "A"),
        &json!({"type": "array", ext::PREFIX_ITEMS: [{"type": "string"}, {"type": "integer", "nullable": true}]})
    );
    let b = schema(&loaded, "B");
    assert_eq!(b["properties"], json!({"any": {}, "never": {"not": {}}}));
    assert_eq!(b["additionalProperties"], false);
    assert!(matches!(
        parsed(&loaded, "A").schema_kind,
        SchemaKind::Type(Type::Array(_))
    ));
}

#[test]
fn properties_without_type_stay_any_schema() {
    let loaded = ok(&doc31("A:\n  properties:\n    x: {type: string}\n"));
    assert_eq!(
        schema(&loaded, "A"),
        &json!({"properties": {"x": {"type": "string"}}})
    );
    assert!(
        matches!(&parsed(&loaded, "A").schema_kind, SchemaKind::Any(a) if a.properties.len() == 1)
    );
}

#[test]
fn normalisation_reaches_every_schema_position() {
    let text = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths:\n  /a/{id}:\n    parameters:\n      - {name: id, in: path, required: true, schema: {type: [integer, 'null']}}\n    post:\n      requestBody:\n        content:\n          application/json:\n            schema:\n              type: object\n              additionalProperties: {type: [string, 'null']}\n              properties:\n                list:\n                  type: array\n                  items: {type: [string, 'null']}\n                all:\n                  allOf: [{type: [string, 'null']}]\n                not:\n                  not: {type: [string, 'null']}\n      responses:\n        '200':\n          description: ok\n          headers:\n            X-Rate: {schema: {type: [integer, 'null']}}\n";
    let loaded = ok(text);
    let raw = serde_json::to_string(&loaded.raw).unwrap();
    assert!(!raw.contains("\"null\""), "a type array survived: {raw}");
    assert_eq!(raw.matches("\"nullable\":true").count(), 6, "{raw}");
}

#[test]
fn tolerated_3_0_mistakes() {
    let text = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    A:\n      type: integer\n      minimum: 1.0\n      maximum: 9.5\n      exclusiveMinimum: 0\n      enum: [1.0, 2]\n    B:\n      type: string\n      enum: [1, true, x]\n      maxLength: 3.0\n    C:\n      type: object\n      properties:\n        a: {type: string, required: true}\n        b: {type: string, required: false}\n    D:\n      type: file\n";
    let loaded = ok(text);
    assert_eq!(
        schema(&loaded, "A"),
        &json!({"type": "integer", "minimum": 1, "maximum": 9, "enum": [1, 2]})
    );
    assert!(matches!(
        &parsed(&loaded, "A").schema_kind,
        SchemaKind::Type(Type::Integer(i)) if i.minimum == Some(1) && i.maximum == Some(9) && i.enumeration == [Some(1), Some(2)]
    ));
    assert!(matches!(
        &parsed(&loaded, "B").schema_kind,
        SchemaKind::Type(Type::String(s)) if s.enumeration.len() == 3 && s.max_length == Some(3)
    ));
    assert_eq!(schema(&loaded, "C")["required"], json!(["a"]));
    assert_eq!(
        schema(&loaded, "D"),
        &json!({"type": "string", "format": "binary"})
    );
}

#[test]
fn idempotent_on_normalised_output() {
    let loaded = ok(&doc31(
        "A:\n  type: [string, integer, 'null']\n  const: 1\n  examples: [1]\nB:\n  $ref: '#/components/schemas/A'\n  description: b\n",
    ));
    let again = load::load_str(&serde_json::to_string(&loaded.raw).unwrap(), "again.json").unwrap();
    let mut first = loaded.raw.clone();
    first
        .as_object_mut()
        .unwrap()
        .shift_remove(ext::ORIGINAL_VERSION);
    let mut second = again.raw.clone();
    second
        .as_object_mut()
        .unwrap()
        .shift_remove(ext::ORIGINAL_VERSION);
    assert_eq!(first, second);
}

// ---------------------------------------------------------------------------------------------
// $ref bundling

const ROOT: &str = "openapi: 3.1.0
info:
  title: multi-file
  version: '1'
paths:
  /pets:
    $ref: 'paths/pets.yaml'
  /owners/{id}:
    get:
      parameters:
        - $ref: 'common.yaml#/components/parameters/Id'
        - $ref: '#/paths/~1stores/get/parameters/0'
      responses:
        '200':
          description: An owner
          content:
            application/json:
              schema:
                $ref: './schemas/owner.yaml'
        default:
          $ref: 'common.yaml#/components/responses/Error'
  /stores:
    get:
      parameters:
        - name: limit
          in: query
          schema: {type: integer}
      responses:
        '200':
          description: Stores
components:
  schemas:
    Error:
      type: string
";

const PETS: &str = "get:
  parameters:
    - name: limit
      in: query
      schema: {type: integer}
  responses:
    '200':
      description: Pets
      content:
        application/json:
          schema:
            type: array
            items:
              $ref: '../schemas/pet.yaml'
";

const PET: &str = "type: object
properties:
  name:
    type: string
  owner:
    $ref: 'owner.yaml'
  tag:
    $ref: '#/$defs/Tag'
$defs:
  Tag:
    type: string
";

const OWNER: &str = "type: object
properties:
  pets:
    type: array
    items:
      $ref: 'pet.yaml'
";

const COMMON: &str = "components:
  parameters:
    Id:
      name: id
      in: path
      required: true
      schema: {type: integer}
  responses:
    Error:
      description: An error
      content:
        application/json:
          schema:
            $ref: '#/components/schemas/Error'
  schemas:
    Error:
      type: object
      properties:
        message: {type: string}
";

fn multi_file() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = write(dir.path(), "api.yaml", ROOT);
    write(dir.path(), "paths/pets.yaml", PETS);
    write(dir.path(), "schemas/pet.yaml", PET);
    write(dir.path(), "schemas/owner.yaml", OWNER);
    write(dir.path(), "common.yaml", COMMON);
    (dir, root)
}

#[test]
fn external_refs_are_bundled() {
    let (dir, root) = multi_file();
    let loaded = load::load(&root).unwrap_or_else(|e| panic!("{e}"));
    let names: Vec<_> = loaded
        .files
        .iter()
        .map(|f| {
            f.strip_prefix(dir.path())
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/")
        })
        .collect();
    assert_eq!(
        names,
        [
            "api.yaml",
            "paths/pets.yaml",
            "common.yaml",
            "schemas/owner.yaml",
            "schemas/pet.yaml"
        ]
    );

    let raw = &loaded.raw;
    // The path item is inlined, its refs rewritten.
    assert_eq!(
        raw["paths"]["/pets"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
            ["items"],
        json!({"$ref": "#/components/schemas/pet"})
    );
    let c = &raw["components"];
    // Whole-file schemas are named after the file; the cycle pet ↔ owner is closed.
    assert_eq!(
        c["schemas"]["pet"]["properties"]["owner"],
        json!({"$ref": "#/components/schemas/owner"})
    );
    assert_eq!(
        c["schemas"]["owner"]["properties"]["pets"]["items"],
        json!({"$ref": "#/components/schemas/pet"})
    );
    // `#/$defs/Tag` inside pet.yaml: hoisted once, the copy inside `pet` is not duplicated.
    assert_eq!(
        c["schemas"]["pet"]["properties"]["tag"],
        json!({"$ref": "#/components/schemas/pet_Tag"})
    );
    assert_eq!(c["schemas"]["pet_Tag"], json!({"type": "string"}));
    assert!(c["schemas"]["pet"].get("$defs").is_none());
    // Name collision with the root's own `Error`.
    assert_eq!(c["schemas"]["Error"], json!({"type": "string"}));
    assert_eq!(c["schemas"]["Error2"]["type"], "object");
    assert_eq!(
        c["responses"]["Error"]["content"]["application/json"]["schema"],
        json!({"$ref": "#/components/schemas/Error2"})
    );
    let owner = &raw["paths"]["/owners/{id}"]["get"];
    assert_eq!(
        owner["parameters"][0],
        json!({"$ref": "#/components/parameters/Id"})
    );
    assert_eq!(
        owner["responses"]["default"],
        json!({"$ref": "#/components/responses/Error"})
    );
    // A local ref into the paths: moved into components, a `$ref` left in its place.
    assert_eq!(
        owner["parameters"][1],
        json!({"$ref": "#/components/parameters/limit"})
    );
    assert_eq!(c["parameters"]["limit"]["name"], "limit");
    assert_eq!(
        raw["paths"]["/stores"]["get"]["parameters"][0],
        json!({"$ref": "#/components/parameters/limit"})
    );
    assert!(!serde_json::to_string(raw)
        .unwrap()
        .contains("x-stencil-resolved"));

    // Positions of bundled nodes point into the file they came from.
    let d = loaded.locate(Diagnostic::warning(
        "/components/schemas/owner/properties/pets/items",
        "x",
    ));
    assert!(d.file.ends_with("schemas/owner.yaml"), "{d}");
    assert_eq!(
        (d.pointer.as_str(), d.position),
        (
            "/properties/pets/items",
            Some(Position { line: 5, column: 5 })
        )
    );
    let d = loaded.locate(Diagnostic::warning(
        "/paths/~1pets/get/parameters/0/schema",
        "x",
    ));
    assert!(d.file.ends_with("paths/pets.yaml"), "{d}");
    assert_eq!(d.position, Some(Position { line: 5, column: 7 }));
    let d = loaded.locate(Diagnostic::warning("/components/schemas/pet_Tag", "x"));
    assert!(d.file.ends_with("schemas/pet.yaml"), "{d}");
    assert_eq!(
        (d.pointer.as_str(), d.position),
        (
            "/$defs/Tag",
            Some(Position {
                line: 10,
                column: 3
            })
        )
    );
    let d = loaded.locate(Diagnostic::warning(
        "/paths/~1owners~1{id}/get/responses/default",
        "x",
    ));
    assert!(d.file.ends_with("api.yaml"), "{d}");
    assert_eq!(
        d.position,
        Some(Position {
            line: 20,
            column: 9
        })
    );
}

#[test]
fn dangling_refs_in_external_files_are_all_reported() {
    let dir = tempfile::tempdir().unwrap();
    let root = write(
        dir.path(),
        "api.yaml",
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    A: {$ref: 'b.yaml#/B'}\n    C: {$ref: 'nope.yaml'}\n",
    );
    write(
        dir.path(),
        "b.yaml",
        "B:\n  type: object\n  properties:\n    x:\n      $ref: '#/X'\n",
    );
    let e = load::load(&root).unwrap_err();
    let text = e
        .to_string()
        .replace(&dir.path().to_string_lossy().replace('\\', "/"), "<dir>");
    assert_eq!(e.errors().count(), 2, "{text}");
    assert!(
        text.contains("<dir>/b.yaml:5:7: unresolved `$ref` `#/X`"),
        "{text}"
    );
    assert!(
        text.contains("<dir>/api.yaml:7:9: cannot read `<dir>/nope.yaml`"),
        "{text}"
    );
}

#[test]
fn cyclic_refs_terminate() {
    // Recursive schemas across files, and a local recursive schema.
    let dir = tempfile::tempdir().unwrap();
    let root = write(
        dir.path(),
        "api.yaml",
        "openapi: 3.1.0\ninfo: {title: t, version: '1'}\ncomponents:\n  schemas:\n    Tree:\n      type: object\n      properties:\n        children:\n          type: array\n          items: {$ref: '#/components/schemas/Tree'}\n        other: {$ref: 'a.yaml#/A'}\n",
    );
    write(
        dir.path(),
        "a.yaml",
        "A:\n  type: object\n  properties:\n    b: {$ref: 'b.yaml#/B'}\n",
    );
    write(dir.path(), "b.yaml", "B:\n  type: object\n  properties:\n    a: {$ref: 'a.yaml#/A'}\n    root: {$ref: 'api.yaml#/components/schemas/Tree'}\n");
    let loaded = load::load(&root).unwrap_or_else(|e| panic!("{e}"));
    let s = &loaded.raw["components"]["schemas"];
    assert_eq!(
        s["A"]["properties"]["b"],
        json!({"$ref": "#/components/schemas/B"})
    );
    assert_eq!(
        s["B"]["properties"]["a"],
        json!({"$ref": "#/components/schemas/A"})
    );
    assert_eq!(
        s["B"]["properties"]["root"],
        json!({"$ref": "#/components/schemas/Tree"})
    );
    assert_eq!(loaded.files.len(), 3);

    // A cycle of pure `$ref`s has nothing to point at: an error, not a hang.
    write(dir.path(), "c.yaml", "C: {$ref: 'd.yaml#/D'}\n");
    write(dir.path(), "d.yaml", "D: {$ref: 'c.yaml#/C'}\n");
    let root = write(
        dir.path(),
        "cycle.yaml",
        "openapi: 3.1.0\ninfo: {title: t, version: '1'}\ncomponents:\n  schemas:\n    X: {$ref: 'c.yaml#/C'}\n",
    );
    let e = load::load(&root).unwrap_err();
    assert!(e.to_string().contains("circular `$ref`"), "{e}");
}

#[test]
fn discriminator_mapping_refs_are_bundled() {
    let dir = tempfile::tempdir().unwrap();
    let root = write(
        dir.path(),
        "api.yaml",
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    Pet:\n      oneOf:\n        - $ref: 'pets.yaml#/Dog'\n      discriminator:\n        propertyName: kind\n        mapping:\n          dog: 'pets.yaml#/Dog'\n          cat: Cat\n    Cat: {type: object}\n",
    );
    write(
        dir.path(),
        "pets.yaml",
        "Dog:\n  type: object\n  properties:\n    kind: {type: string}\n",
    );
    let loaded = load::load(&root).unwrap_or_else(|e| panic!("{e}"));
    let pet = &loaded.raw["components"]["schemas"]["Pet"];
    assert_eq!(pet["oneOf"][0], json!({"$ref": "#/components/schemas/Dog"}));
    assert_eq!(
        pet["discriminator"]["mapping"],
        json!({"dog": "#/components/schemas/Dog", "cat": "Cat"})
    );
}

#[test]
fn path_item_refs_are_inlined() {
    let text = "openapi: 3.1.0
info: {title: t, version: '1'}
paths:
  /a:
    $ref: '#/components/pathItems/A'
  /b:
    $ref: '#/paths/~1a'
    summary: B
  /c/{id}:
    get:
      parameters:
        - $ref: '#/paths/~1c~1%7Bid%7D/get/parameters/1'
        - {name: id, in: path, required: true, schema: {type: string}}
      responses:
        '200': {description: ok}
components:
  pathItems:
    A:
      get:
        responses:
          '200': {description: ok}
";
    let loaded = ok(text);
    let paths = &loaded.raw["paths"];
    assert_eq!(paths["/a"]["get"]["responses"]["200"]["description"], "ok");
    assert_eq!(paths["/b"]["summary"], "B");
    assert!(paths["/b"]["get"].is_object());
    assert!(loaded.raw["components"].get("pathItems").is_none());
    assert_eq!(
        paths["/c/{id}"]["get"]["parameters"][0],
        json!({"$ref": "#/components/parameters/id"})
    );
    assert_eq!(
        paths["/c/{id}"]["get"]["parameters"][1],
        json!({"$ref": "#/components/parameters/id"})
    );
    assert_eq!(loaded.raw["components"]["parameters"]["id"]["in"], "path");
    assert_eq!(loaded.document.paths.paths.len(), 3);
    // The inlined path item is located where it was written.
    let d = loaded.locate(Diagnostic::warning("/paths/~1a/get/responses", "x"));
    assert_eq!(
        (d.pointer.as_str(), d.position),
        (
            "/components/pathItems/A/get/responses",
            Some(Position {
                line: 20,
                column: 9
            })
        )
    );
}

#[test]
fn json_positions_are_exact() {
    let text = "{\n  \"openapi\": \"3.0.3\",\n  \"info\": {\"title\": \"t\", \"version\": \"1\"},\n  \"paths\": {\"/a\": {\"post\": {\n    \"parameters\": [{\"name\": \"p\", \"in\": \"body\"}],\n    \"responses\": {}}}}\n}\n";
    let e = load::load_str(text, "t.json").unwrap_err();
    let d = &e.0[0];
    assert_eq!(d.pointer, "/paths/~1a/post/parameters/0");
    assert_eq!(
        d.position,
        Some(Position {
            line: 5,
            column: 20
        })
    );
}

#[test]
fn all_type_errors_are_reported() {
    let text = "openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /a:
    post:
      parameters:
        - {name: p, in: body}
      responses:
        '200': {description: ok, content: 5}
  /b:
    get:
      responses:
        default: {description: 7}
";
    let e = load::load_str(text, "t.yaml").unwrap_err();
    let found: Vec<_> =
        e.0.iter()
            .map(|d| (d.pointer.as_str(), d.position.map(|p| p.line)))
            .collect();
    assert_eq!(
        found,
        [
            ("/paths/~1a/post/parameters/0", Some(7)),
            ("/paths/~1a/post/responses/200", Some(9)),
            ("/paths/~1b/get/responses/default", Some(13)),
        ],
        "{e}"
    );
}

#[test]
fn type_error_names_pointer_and_position() {
    let text = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses:\n        '200':\n          description: 5\n          content:\n            application/json:\n              schema:\n                type: object\n                properties:\n                  x:\n                    type: string\n                    maxLength: many\n";
    let e = load::load_str(text, "t.yaml").unwrap_err();
    let d = &e.0[0];
    assert_eq!(d.file, PathBuf::from("t.yaml"));
    assert!(d.pointer.starts_with("/paths/~1a/get/responses/200"), "{d}");
    assert!(d.position.is_some_and(|p| p.line >= 7), "{d}");
}

// ---------------------------------------------------------------------------------------------
// Real documents

#[test]
fn pathstack_documents_load() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../specs/pathstack");
    let mut count = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "yaml") {
            let loaded = load::load(&path).unwrap_or_else(|e| panic!("{}:\n{e}", path.display()));
            assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
            assert_eq!(loaded.raw[ext::ORIGINAL_VERSION], "3.1.0");
            let raw = serde_json::to_string(&loaded.raw).unwrap();
            assert!(!raw.contains("\"type\":\"null\""), "{}", path.display());
            count += 1;
        }
    }
    assert_eq!(count, 3);
}

// ---------------------------------------------------------------------------------------------
// Robustness

const SMALL: &str = "openapi: 3.1.0
info: {title: t, version: '1'}
paths:
  /a/{id}:
    get:
      parameters:
        - {name: id, in: path, required: true, schema: {type: [integer, 'null']}}
        - $ref: '#/paths/~1a~1{id}/get/parameters/0'
      responses:
        200:
          description: ok
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/A'
components:
  schemas:
    A:
      anyOf: [{const: 1}, {type: 'null'}]
      $defs: {B: true}
";

#[test]
fn never_panics() {
    ok(SMALL);
    let json = serde_json::to_string_pretty(&ok(SMALL).raw).unwrap();
    for text in [SMALL, json.as_str()] {
        for (i, _) in text.char_indices() {
            let _ = load::load_str(&text[..i], "prefix.yaml");
        }
    }
    // Pseudo-random bytes and pseudo-random edits of the document.
    let mut seed = 0x2545_f491_4f6c_dd1d_u64;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    const ALPHABET: &[u8] = b"{}[]:,-'\"#/$ \n\tabz019&*!|>?~\\";
    for _ in 0..300 {
        let len = (next() % 200) as usize;
        let bytes: Vec<u8> = (0..len)
            .map(|_| ALPHABET[(next() % ALPHABET.len() as u64) as usize])
            .collect();
        let _ = load::load_str(&String::from_utf8_lossy(&bytes), "random.yaml");
        let mut edited = SMALL.as_bytes().to_vec();
        for _ in 0..3 {
            let at = (next() % edited.len() as u64) as usize;
            edited[at] = ALPHABET[(next() % ALPHABET.len() as u64) as usize];
        }
        let _ = load::load_str(&String::from_utf8_lossy(&edited), "edited.yaml");
    }
}

#[test]
fn big_json_document_loads() {
    // ~2 MB here (the 20 MB timing is in `big_json_document_is_fast`, run with --ignored).
    let text = big_document(2_000);
    let loaded = load::load_str(&text, "big.json").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(loaded.document.paths.paths.len(), 2_000);
}

#[test]
#[ignore = "timing: run with --release -- --ignored"]
fn big_json_document_is_fast() {
    let text = big_document(7_000);
    assert!(text.len() > 19_000_000, "{}", text.len());
    let start = std::time::Instant::now();
    let loaded = load::load_str(&text, "big.json").unwrap_or_else(|e| panic!("{e}"));
    let took = start.elapsed();
    eprintln!("{} bytes loaded in {took:?}", text.len());
    assert_eq!(loaded.document.paths.paths.len(), 7_000);
    let start = std::time::Instant::now();
    let d = loaded.locate(Diagnostic::warning(
        "/components/schemas/S6999/properties/p9",
        "x",
    ));
    eprintln!("first locate in {:?}: {d}", start.elapsed());
    assert!(d.position.is_some());
}

fn big_document(n: usize) -> String {
    let mut paths = serde_json::Map::new();
    let mut schemas = serde_json::Map::new();
    for i in 0..n {
        let props: serde_json::Map<String, Value> = (0..10)
            .map(|p| {
                (format!("p{p}"), json!({"type": ["string", "null"], "description": "a property of some schema with some text", "maxLength": 64}))
            })
            .collect();
        schemas.insert(
            format!("S{i}"),
            json!({"type": "object", "properties": props, "required": ["p0"]}),
        );
        paths.insert(
            format!("/things/{i}/{{id}}"),
            json!({"get": {
                "operationId": format!("get_thing_{i}"),
                "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "integer"}}],
                "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": format!("#/components/schemas/S{i}")}}}}}
            }}),
        );
    }
    let doc = json!({"openapi": "3.1.0", "info": {"title": "big", "version": "1"}, "paths": paths, "components": {"schemas": schemas}});
    serde_json::to_string_pretty(&doc).unwrap()
}
