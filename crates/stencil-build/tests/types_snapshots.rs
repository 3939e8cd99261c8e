//! Snapshots of the generated `types` module for every complete document in `specs/`
//! (PathStack included), made through the whole pipeline. The kitchen-sink IR built by hand is
//! snapshotted separately in `emit_types.rs`.

mod common;

use common::{root, SPECS};
use stencil_build::{generate, Options};

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
