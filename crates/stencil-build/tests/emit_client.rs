//! Snapshots of the generated client module for every document in `specs/`, made through the
//! whole pipeline (`stencil_build::generate`).

mod common;

use std::path::Path;

use common::{root, SPECS};
use stencil_build::{generate, Options};

/// The `client` module of the generated file (from its doc comment to the end).
fn client_code(rel: &str) -> String {
    let options = Options {
        client: true,
        server: false,
        ..Options::default()
    };
    let generated = generate(&root().join(rel), &options).unwrap_or_else(|e| panic!("{rel}:\n{e}"));
    let start = generated
        .code
        .find("/// An async client for")
        .expect("a client module");
    generated.code[start..].to_owned()
}

#[test]
fn client_snapshots() {
    for (name, rel) in SPECS {
        insta::assert_snapshot!(*name, client_code(rel));
    }
}

#[test]
fn every_spec_has_a_snapshot() {
    fn walk(dir: &Path, out: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, out);
            } else if matches!(
                path.extension().and_then(|e| e.to_str()),
                Some("yaml" | "yml" | "json")
            ) {
                out.push(
                    path.strip_prefix(root())
                        .unwrap()
                        .to_string_lossy()
                        .replace('\\', "/"),
                );
            }
        }
    }
    let mut found = Vec::new();
    walk(&root().join("specs"), &mut found);
    let missing: Vec<&String> = found
        .iter()
        .filter(|p| !p.starts_with("specs/fixtures/invalid/"))
        // The OpenAPI Initiative's test documents: `tests/conformance.rs`.
        .filter(|p| !p.starts_with("specs/conformance/"))
        // OpenAI's published `POST /chat/completions`: thousands of generated lines that no
        // review reads as a snapshot; generated/openai-chat is checked in (drift fails `cargo
        // xtask regen --check`) and tests/tests/openai_chat.rs drives it.
        .filter(|p| !p.starts_with("specs/openai/"))
        .filter(|p| !p.starts_with("specs/fixtures/multi-file/") || p.ends_with("/api.yaml"))
        // Paged by options, not by itself: `tests/options.rs` compares its client with
        // pagination.yaml's.
        .filter(|p| *p != "specs/fixtures/pagination-config.yaml")
        .filter(|p| !SPECS.iter().any(|(_, rel)| rel == p))
        .collect();
    assert!(
        missing.is_empty(),
        "documents without a client snapshot: {missing:?}"
    );
}

#[test]
fn feature_gate_wraps_the_client_module() {
    let options = Options {
        client: true,
        server: false,
        feature_gates: true,
        ..Options::default()
    };
    let generated = generate(&root().join(SPECS[0].1), &options).unwrap();
    assert!(
        generated
            .code
            .contains("#[cfg(feature = \"client\")]\n/// An async client for"),
        "{}",
        &generated.code[..200]
    );
    let options = Options {
        client: false,
        server: false,
        ..Options::default()
    };
    let generated = generate(&root().join(SPECS[0].1), &options).unwrap();
    assert!(!generated.code.contains("pub mod client"));
}
