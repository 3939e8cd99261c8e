//! `cargo xtask conformance`: the OpenAPI Initiative's valid test documents
//! (`specs/conformance/oas/pass-*` and `examples/`) generated, client and server, into one
//! scratch workspace (`target/conformance`) and checked by one `cargo check`: the corpus sweep
//! over those folders, with `N passed, M failed` per folder. The invalid documents (`fail-*`)
//! need no compiler: `crates/stencil-build/tests/conformance.rs` runs every document, in
//! `cargo test`.

use std::path::PathBuf;
use std::process::ExitCode;

use crate::corpus;

pub const USAGE: &str = "\
Usage: cargo xtask conformance [--jobs N] [--no-check] [--only NAME]...

  Generate every valid document of specs/conformance/oas (pass-*/, examples/) into the scratch
  workspace target/conformance/ws, `cargo check` them in one invocation, and print a table
  and `N passed, M failed` per folder. Options as for `cargo xtask corpus`.
";

/// Valid documents that may be rejected with a located diagnostic: they use a security scheme
/// they never declare, which the specification's JSON schema cannot see (issue 14). Also in
/// `crates/stencil-build/tests/conformance.rs`.
const MAY_REJECT: &[&str] = &[
    "pass-3.1/operation-object-example.yaml",
    "pass-3.2/operation-object-example.yaml",
];

/// The folders of valid documents, sorted.
fn folders(root: &std::path::Path) -> Result<Vec<PathBuf>, String> {
    let base = root.join("specs/conformance/oas");
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&base)
        .map_err(|e| format!("cannot read {}: {e}", base.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.is_dir()
                && p.file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| n.starts_with("pass-") || n == "examples")
        })
        .collect();
    dirs.sort();
    Ok(dirs)
}

/// Entry point for `cargo xtask conformance ARGS`.
pub fn run(args: &[&str]) -> ExitCode {
    if matches!(args, ["--help" | "-h"]) {
        print!("{USAGE}");
        return ExitCode::SUCCESS;
    }
    let root = corpus::crate_root();
    // The corpus parser wants a folder; the folders are set below.
    let mut with_dir = vec!["."];
    with_dir.extend_from_slice(args);
    let mut parsed = match corpus::parse_args(&with_dir) {
        Ok(a) => a,
        Err(e) => {
            eprintln!("error: {e}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    parsed.dirs = match folders(&root) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    parsed.scratch = Some(root.join("target/conformance"));
    parsed.may_reject = MAY_REJECT.iter().map(|d| (*d).to_owned()).collect();
    corpus::sweep(&parsed)
}
