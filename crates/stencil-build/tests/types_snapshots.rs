//! Snapshots of the generated `types` module for every complete document in `specs/`
//! (PathStack included), made through the whole pipeline. The kitchen-sink IR built by hand is
//! snapshotted separately in `emit_types.rs`.

use std::path::{Path, PathBuf};

use stencil_build::{generate, Options};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

const SPECS: &[(&str, &str)] = &[
    (
        "pathstack_2024_03_26",
        "specs/pathstack/openapi_2024-03-26.yaml",
    ),
    (
        "pathstack_2024_03_26_token",
        "specs/pathstack/openapi_2024-03-26.token.yaml",
    ),
    (
        "pathstack_2024_03_27",
        "specs/pathstack/openapi_2024-03-27.yaml",
    ),
    ("kitchen_sink_3_0", "specs/fixtures/kitchen-sink-3.0.yaml"),
    ("kitchen_sink_3_1", "specs/fixtures/kitchen-sink-3.1.yaml"),
    ("petstore_3_0", "specs/fixtures/petstore-3.0.json"),
    ("multi_file", "specs/fixtures/multi-file/api.yaml"),
    ("hostile", "specs/fixtures/hostile.yaml"),
];

/// The generated file without client and server: the header, then the `types` module.
fn types_code(rel: &str) -> String {
    let options = Options {
        client: false,
        server: false,
        ..Options::default()
    };
    let generated = generate(&root().join(rel), &options).unwrap_or_else(|e| panic!("{rel}:\n{e}"));
    let start = generated.code.find("\n\n").expect("a header") + 2;
    generated.code[start..].to_owned()
}

#[test]
fn types_snapshots() {
    for (name, rel) in SPECS {
        insta::assert_snapshot!(*name, types_code(rel));
    }
}
