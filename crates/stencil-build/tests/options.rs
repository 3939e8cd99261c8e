//! Options that drive what is generated beyond the document: pagination by configuration
//! (`Options::pagination`), and the progress a run reports.

use std::path::{Path, PathBuf};

use stencil_build::{generate, generate_with_progress, Options, Progress, Severity, Stage};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The rules of `codegen.toml`'s `pagination-config` entry: by operationId and by
/// `METHOD /path` (any case).
const RULES: [&str; 5] = [
    "list_by_cursor; scheme=cursor; param=cursor; items=/data; next=/next_cursor",
    "GET /stripe; scheme=has_more; param=starting_after; items=/data",
    "list_pages; scheme=page; param=page; first=1",
    "GET /offset; scheme=offset; param=offset; items=/items",
    "get /link; scheme=link; param=page",
];

fn client(spec: &str, pagination: &[&str]) -> Result<String, stencil_build::Diagnostics> {
    let options = Options {
        server: false,
        pagination: pagination.iter().map(|r| (*r).to_owned()).collect(),
        ..Options::default()
    };
    generate(&root().join(spec), &options).map(|g| g.code)
}

/// The `into_stream` methods of a generated file, each up to the end of its body.
fn into_streams(code: &str) -> Vec<&str> {
    code.match_indices("pub fn into_stream")
        .map(|(at, _)| {
            let end = code[at..].find("\n        }\n").expect("end of the method");
            &code[at..at + end]
        })
        .collect()
}

/// The document says nothing about paging; the options say what `x-pagination` says in
/// pagination.yaml, and the client pages the same way.
#[test]
fn configured_pagination_pages_as_the_extension_does() {
    let plain = client("specs/fixtures/pagination-config.yaml", &[]).unwrap();
    assert!(into_streams(&plain).is_empty(), "no extension, no option");
    let configured = client("specs/fixtures/pagination-config.yaml", &RULES).unwrap();
    let extension = client("specs/fixtures/pagination.yaml", &[]).unwrap();
    let (configured, extension) = (into_streams(&configured), into_streams(&extension));
    assert_eq!(configured.len(), 5);
    assert_eq!(configured, extension);
}

/// The `build.rs` example of README.md's pagination section, its rules read from there: each
/// pages its operation of pagination-config.yaml, whose document says nothing about paging.
#[test]
fn the_readme_pagination_rules_page_their_operations() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let block = readme
        .split("// build.rs\nstencil_build::Config::new()\n")
        .nth(1)
        .and_then(|rest| rest.split(".compile(").next())
        .expect("README.md has the build.rs pagination example");
    let rules: Vec<&str> = block
        .lines()
        .filter_map(|l| l.trim().strip_prefix(".paginate(\"")?.strip_suffix("\")"))
        .collect();
    assert_eq!(rules.len(), 2, "{block}");
    let mut config = stencil_build::Config::new();
    config.client(true).server(false);
    for rule in &rules {
        config.paginate(rule);
    }
    let generated = config
        .generate(root().join("specs/fixtures/pagination-config.yaml"))
        .unwrap();
    let paged: Vec<&str> = into_streams(&generated.code)
        .into_iter()
        .map(|method| {
            if method.contains("Paging::HasMore") {
                "has_more"
            } else if method.contains("Paging::LinkHeader") {
                "link"
            } else {
                "other"
            }
        })
        .collect();
    assert_eq!(paged, ["has_more", "link"]);
}

/// Options win over the extension.
#[test]
fn configured_pagination_overrides_the_extension() {
    let code = client(
        "specs/fixtures/pagination.yaml",
        &["list_pages; scheme=page; param=page; first=0"],
    )
    .unwrap();
    let pages = into_streams(&code)
        .into_iter()
        .find(|m| m.contains("PageNumber"))
        .unwrap();
    assert!(pages.contains("first: 0"), "{pages}");
}

/// Every rule that does not fit is an error naming the option and the operation, located at
/// the operation in the document; nothing is generated.
#[test]
fn bad_pagination_settings_are_located_errors() {
    let errors = client(
        "specs/fixtures/pagination-config.yaml",
        &[
            "list_nothing; scheme=cursor; param=cursor; next=/n",
            "GET /cursor; scheme=cursor; param=after; next=/n",
            "list_stripe; scheme=sideways; param=starting_after",
            "list_by_cursor; scheme=cursor; param=cursor; next=next_cursor",
            "POST /pages; scheme=page; param=page",
        ],
    )
    .expect_err("bad settings");
    let errors: Vec<_> = errors.errors().collect();
    assert_eq!(errors.len(), 5, "{errors:#?}");
    assert!(errors.iter().all(|e| e.severity == Severity::Error));
    let text: Vec<String> = errors.iter().map(|e| e.to_string()).collect();
    assert!(
        text[0].contains("option `pagination`: no operation `list_nothing` in the document"),
        "{}",
        text[0]
    );
    assert!(
        text[1].contains(
            "option `pagination` for operation `GET /cursor`: `after` is not a query parameter"
        ),
        "{}",
        text[1]
    );
    assert_eq!(errors[1].pointer, "/paths/~1cursor/get");
    let position = errors[1].position.expect("located");
    assert_eq!(position.line, 10, "{}", text[1]);
    assert!(
        text[1].contains("pagination-config.yaml:10:"),
        "{}",
        text[1]
    );
    assert!(text[2].contains("unknown scheme `sideways`"), "{}", text[2]);
    assert_eq!(errors[2].pointer, "/paths/~1stripe/get");
    assert!(
        text[3].contains("`next` must be a JSON pointer (`/...`), not `next_cursor`"),
        "{}",
        text[3]
    );
    assert!(
        text[4].contains("no operation `POST /pages`"),
        "{}",
        text[4]
    );
    assert!(errors.iter().all(|e| e.hint.is_some()));
}

/// The counts a progress display reads: every type once, every operation once per part.
#[test]
fn progress_counts_types_and_operations() {
    let spec = root().join("specs/pathstack/openapi_2024-03-26.yaml");
    let progress = Progress::new();
    let mut seen = Vec::new();
    let observed = progress.clone();
    let generated = generate_with_progress(
        &spec,
        &Options::default(),
        &mut |stage, begins| {
            seen.push((stage, begins, observed.done(), observed.total()));
        },
        &progress,
    )
    .unwrap();
    let api = stencil_build::stages::ir::build(
        &stencil_build::stages::load::load(&spec).unwrap(),
        &mut Vec::new(),
    )
    .unwrap();
    let total = api.types().len() + 2 * api.operations.len();
    assert!(api.operations.len() > 10 && total > 50, "{total}");
    assert_eq!((progress.done(), progress.total()), (total, total));
    // Nothing counted before emitting, everything after.
    assert_eq!(seen[0], (Stage::Load, true, 0, 0));
    let emit_end = seen
        .iter()
        .find(|(s, begins, _, _)| *s == Stage::Emit && !begins)
        .unwrap();
    assert_eq!((emit_end.2, emit_end.3), (total, total));
    assert!(!generated.code.is_empty());
}
