//! `cargo xtask regen [--check]`, `cargo xtask test` and `cargo xtask tidy`. See `xtask/src/lib.rs`.

use std::path::Path;
use std::process::ExitCode;

use xtask::{Change, Error};

mod bench;
mod bench_peers;
mod conformance;
mod corpus;
mod corpus_format;

const USAGE: &str = "\
Usage: cargo xtask <COMMAND>

Commands:
  regen          regenerate the crates listed in codegen.toml (writes only changed files,
                 deletes files in their directories that regen does not write)
  regen --check  write nothing; fail with a diff when anything is stale, missing or orphaned
  test           run every test: cargo test --workspace --all-features, then the contract
                 test tests/contract/run.sh (schemathesis against the generated server)
  tidy [DIR]     check the architecture rules (stage order, no import cycles, no runtime →
                 generator dependency, files at most 600 lines) on the repository (or on a
                 checkout in DIR); print every finding, fail if any
  corpus DIR     generate + cargo check every OpenAPI document in DIR, print a table
                 (`cargo xtask corpus --help`)
  package        check the metadata of stencil, stencil-build and stencil-cli, then
                 `cargo package` them (each built from its packaged files alone)
  docs           cargo doc --no-deps on every generated crate, rustdoc warnings denied
  outside        install the CLI into a scratch directory outside the repository,
                 generate the PathStack crate there and `cargo check` it (minutes)
  corpus-format [DIR]  check that the items printed without syn are prettyplease's text, on
                 every item of every document in DIR (default: ../shared/corpus/dev)
  conformance    generate + cargo check the OpenAPI Initiative's valid test documents
                 (specs/conformance/oas), `N passed, M failed` per folder
  bench [FILES]  generation time, memory and output size per document and stage, in release
                 mode (default: specs/; `cargo xtask bench --help`)
  help           print this help
";

fn exit(ok: bool) -> ExitCode {
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let check = match args.as_slice() {
        ["corpus-format", rest @ ..] => return corpus_format::run(rest),
        ["corpus", rest @ ..] => return corpus::run(rest),
        ["conformance", rest @ ..] => return conformance::run(rest),
        ["bench", rest @ ..] => return bench::main(rest),
        ["test"] => {
            return if xtask::test_all::run(&xtask::project_root()) {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            };
        }
        ["tidy"] => return tidy(&xtask::project_root()),
        ["tidy", dir] if !dir.starts_with('-') => return tidy(Path::new(dir)),
        ["package"] => return exit(xtask::package::run(&xtask::project_root())),
        ["docs"] => return exit(xtask::package::generated_docs(&xtask::project_root())),
        ["outside"] => return exit(xtask::package::outside(&xtask::project_root())),
        ["regen"] => false,
        ["regen", "--check"] | ["regen", "-c"] => true,
        ["help" | "--help" | "-h"]
        | ["regen" | "test" | "tidy" | "package" | "docs" | "outside", "--help" | "-h"] => {
            print!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        _ => {
            eprintln!("error: unexpected arguments {args:?}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };

    // Run from the repository root, so the document paths in `// @generated` headers are the
    // ones in codegen.toml wherever the repository is checked out.
    let root = xtask::project_root();
    if let Err(e) = std::env::set_current_dir(&root) {
        eprintln!("error: cannot change into {}: {e}", root.display());
        return ExitCode::FAILURE;
    }
    let root = Path::new(".");
    let generator = &stencil_build::generate;

    let result = if check {
        xtask::check(root, generator).map(|plan| {
            print_warnings(&plan);
            eprintln!("generated code is up to date ({} files)", plan.files.len());
        })
    } else {
        xtask::regen(root, generator).map(|(changes, plan)| {
            print_warnings(&plan);
            for change in &changes {
                match change {
                    Change::Stale { path, .. } => eprintln!("updated {path}"),
                    Change::Missing { path } => eprintln!("created {path}"),
                    Change::Orphan { path } => eprintln!("deleted {path}"),
                }
            }
            if changes.is_empty() {
                eprintln!("generated code is up to date ({} files)", plan.files.len());
            }
        })
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(Error::Stale(changes)) => {
            // The diffs on stdout, the verdict and the fix on stderr.
            print!("{}", xtask::stale_diffs(&changes));
            eprintln!("{}", xtask::stale_verdict(&changes));
            ExitCode::FAILURE
        }
        Err(e) => {
            eprintln!("{e}");
            ExitCode::FAILURE
        }
    }
}

/// `cargo xtask tidy [DIR]`: the findings on stdout, the verdict on stderr.
fn tidy(root: &Path) -> ExitCode {
    let findings = xtask::tidy::check(root);
    for finding in &findings {
        println!("{finding}");
    }
    if findings.is_empty() {
        eprintln!("tidy: no findings");
        ExitCode::SUCCESS
    } else {
        eprintln!(
            "tidy: {} findings (rules: xtask/src/tidy.rs)",
            findings.len()
        );
        ExitCode::FAILURE
    }
}

fn print_warnings(plan: &xtask::Plan) {
    for (name, warning) in &plan.warnings {
        eprintln!("{name}: {warning}");
    }
}
