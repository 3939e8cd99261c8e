//! Snapshots of the generated `server` module for every document in `specs/`.
//!
//! Each snapshot holds the server module only (the types and client modules have their own
//! snapshots), generated through the whole pipeline with `stencil_build::generate`.

use std::path::{Path, PathBuf};

use stencil_build::Options;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The `pub mod server { ... }` part of the generated file (from its doc comment on).
fn server_module(spec: &str) -> String {
    let options = Options {
        client: false,
        server: true,
        ..Options::default()
    };
    let generated = match stencil_build::generate(&root().join(spec), &options) {
        Ok(g) => g,
        Err(e) => panic!("{spec} does not generate: {e:?}"),
    };
    let code = generated.code;
    let start = code.find("pub mod server {").expect("a server module");
    // Include the module's doc comment lines just above it.
    let doc_start = code[..start].rfind("\n\n").map_or(0, |i| i + 2);
    code[doc_start..].to_owned()
}

macro_rules! snapshot {
    ($name:ident, $spec:expr) => {
        #[test]
        fn $name() {
            insta::assert_snapshot!(server_module($spec));
        }
    };
}

snapshot!(pathstack, "specs/pathstack/openapi_2024-03-26.yaml");
snapshot!(
    pathstack_token,
    "specs/pathstack/openapi_2024-03-26.token.yaml"
);
snapshot!(
    pathstack_2024_03_27,
    "specs/pathstack/openapi_2024-03-27.yaml"
);
snapshot!(kitchen_sink_30, "specs/fixtures/kitchen-sink-3.0.yaml");
snapshot!(kitchen_sink_31, "specs/fixtures/kitchen-sink-3.1.yaml");
snapshot!(petstore, "specs/fixtures/petstore-3.0.json");
snapshot!(multi_file, "specs/fixtures/multi-file/api.yaml");
snapshot!(hostile, "specs/fixtures/hostile.yaml");
snapshot!(real_world, "specs/fixtures/real-world.yaml");
snapshot!(streaming, "specs/fixtures/streaming.yaml");
snapshot!(streaming_3_2, "specs/fixtures/streaming-3.2.yaml");
snapshot!(fastapi_diff, "specs/fastapi-diff/openapi.json");
snapshot!(pagination, "specs/fixtures/pagination.yaml");
snapshot!(openapi_3_1_gaps, "specs/fixtures/openapi-3.1-gaps.yaml");
snapshot!(openapi_3_2, "specs/fixtures/openapi-3.2.yaml");
snapshot!(webhook_example, "specs/fixtures/webhook-example.yaml");
snapshot!(callback_example, "specs/fixtures/callback-example.yaml");

/// Every spec in `specs/` (outside `invalid/`) has a snapshot above.
#[test]
fn every_spec_is_covered() {
    let covered = [
        "specs/pathstack/openapi_2024-03-26.yaml",
        "specs/pathstack/openapi_2024-03-26.token.yaml",
        "specs/pathstack/openapi_2024-03-27.yaml",
        "specs/fixtures/kitchen-sink-3.0.yaml",
        "specs/fixtures/kitchen-sink-3.1.yaml",
        "specs/fixtures/petstore-3.0.json",
        "specs/fixtures/multi-file/api.yaml",
        "specs/fixtures/hostile.yaml",
        "specs/fixtures/real-world.yaml",
        "specs/fixtures/streaming.yaml",
        "specs/fixtures/streaming-3.2.yaml",
        "specs/fixtures/pagination.yaml",
        // pagination.yaml's operations without the extension: the same server (tests/options.rs
        // covers what it is for, paging by options).
        "specs/fixtures/pagination-config.yaml",
        "specs/fixtures/openapi-3.1-gaps.yaml",
        "specs/fixtures/openapi-3.2.yaml",
        "specs/fixtures/webhook-example.yaml",
        "specs/fixtures/callback-example.yaml",
    ];
    let mut found = Vec::new();
    for dir in ["specs/pathstack", "specs/fixtures"] {
        for entry in std::fs::read_dir(root().join(dir)).expect("specs directory") {
            let path = entry.expect("entry").path();
            let name = path
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or("")
                .to_owned();
            if path.is_file() && (name.ends_with(".yaml") || name.ends_with(".json")) {
                found.push(format!("{dir}/{name}"));
            }
        }
    }
    found.push("specs/fixtures/multi-file/api.yaml".to_owned());
    for f in &found {
        assert!(covered.contains(&f.as_str()), "{f} has no server snapshot");
    }
}

/// The module includes the source text, as written, as `OPENAPI_DOCUMENT` from a file beside
/// the code (never a multi-megabyte literal in the Rust source), and offers `openapi_route`.
#[test]
fn embeds_the_document() {
    let path = root().join("specs/pathstack/openapi_2024-03-26.token.yaml");
    let loaded = stencil_build::stages::load::load(&path).expect("loads");
    let mut warnings = Vec::new();
    let api = stencil_build::stages::ir::build(&loaded, &mut warnings).expect("builds");
    let generated =
        stencil_build::stages::emit_and_render(&api, &Options::default(), "x").expect("renders");
    let text = generated.code;
    assert!(
        text.contains("pub const OPENAPI_DOCUMENT: &str = ::std::include_str!(\"openapi.yaml\");"),
        "{text}"
    );
    let document = generated.document.expect("the document beside the code");
    assert_eq!(document.name, "openapi.yaml");
    assert_eq!(document.text, loaded.source_text);
    assert!(text.contains("pub fn openapi_route(path: &str) -> ::stencil::axum::Router"));
}

/// With `server_traits_per_tag`, a tag nested under another (3.2 `parent`) has the parent's
/// trait as its supertrait; top-level tags and untagged operations extend `ApiBase`.
#[test]
fn handler_traits_follow_the_tag_hierarchy() {
    let options = Options {
        client: false,
        server: true,
        server_traits_per_tag: true,
        ..Options::default()
    };
    let spec = root().join("specs/fixtures/openapi-3.2.yaml");
    let code = stencil_build::generate(&spec, &options)
        .expect("generates")
        .code;
    syn::parse_file(&code).expect("valid Rust");
    assert!(code.contains("pub trait PetsApi: ApiBase + Send + Sync + 'static {"));
    assert!(code.contains("pub trait CatsApi: PetsApi + Send + Sync + 'static {"));
    assert!(code.contains("pub trait DefaultApi: ApiBase + Send + Sync + 'static {"));
    assert!(code.contains("nested under [`PetsApi`]"), "{code}");
    // `beta` is only a second tag: no trait of its own.
    assert!(!code.contains("BetaApi"));
}

/// With `server_traits_per_tag`, the hooks move into `ApiBase`, each tag's operations into
/// `<Tag>Api`, and `Api` is implemented for every type implementing them all.
#[test]
fn handler_traits_per_tag() {
    let options = Options {
        client: false,
        server: true,
        server_traits_per_tag: true,
        ..Options::default()
    };
    let spec = root().join("specs/pathstack/openapi_2024-03-26.yaml");
    let code = stencil_build::generate(&spec, &options)
        .expect("generates")
        .code;
    syn::parse_file(&code).expect("valid Rust");
    assert!(
        code.contains("pub trait ApiBase: Send + Sync + 'static {"),
        "{code}"
    );
    assert!(code.contains("pub trait AuthApi: ApiBase + Send + Sync + 'static {"));
    assert!(code.contains("pub trait AccountApi: ApiBase + Send + Sync + 'static {"));
    assert!(code.contains("pub trait Api: ApiBase + AuthApi"));
    // prettyplease may wrap the blanket impl's bounds; compare without whitespace.
    let compact: String = code.split_whitespace().collect();
    assert!(
        compact.contains("impl<T:ApiBase+AuthApi+AccountApi+"),
        "{code}"
    );
    assert!(compact.contains("+DefaultApi,>ApiforT{}"), "{code}");
    // The methods live in the tag traits only, the hooks in the base trait only.
    assert_eq!(
        compact
            .matches("fnlogin(&self,request:LoginRequest,")
            .count(),
        1
    );
    assert_eq!(code.matches("type Error: rt::ApiError;").count(), 1);
    // Off, there is a single `Api` trait.
    let plain = stencil_build::generate(&spec, &Options::default())
        .expect("generates")
        .code;
    assert!(!plain.contains("ApiBase"));
    assert!(!plain.contains("pub trait AuthApi"));
}
