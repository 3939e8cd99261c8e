//! `cargo xtask corpus-format [DIR|FILE]...`: the differential check of the printer that writes
//! common items without syn (`render::direct` in stencil-build), on every item of every
//! document given: its text must be the text syn and prettyplease make of the same tokens. The
//! tests run the same check on the fixtures; this runs it on a corpus (the dev corpus is
//! `../shared/corpus/dev` next to the repository, when present).
//!
//! Run in a release build (re-runs itself through `cargo run --release` otherwise).

use std::path::PathBuf;
use std::process::ExitCode;

use stencil_build::stages::DirectCheck;

pub const USAGE: &str = "\
Usage: cargo xtask corpus-format [DIR|FILE]...

  Checks, on every item Stencil generates from each OpenAPI document (client, server, types,
  feature gates on), that the text printed without syn is exactly prettyplease's. Prints one
  row per document and the first differing items; fails when any item differs.
  DIR is searched recursively for documents (default: ../shared/corpus/dev).
";

pub fn run(args: &[&str]) -> ExitCode {
    if args.iter().any(|a| matches!(*a, "--help" | "-h")) {
        print!("{USAGE}");
        return ExitCode::SUCCESS;
    }
    if cfg!(debug_assertions) {
        eprintln!("corpus-format: building and running xtask in release mode");
        let status = xtask::cargo()
            .args(["run", "--quiet", "--release", "--package", "xtask", "--"])
            .arg("corpus-format")
            .args(args)
            .status();
        return xtask::exit_code(status);
    }
    let root = xtask::project_root();
    let given: Vec<PathBuf> = if args.is_empty() {
        vec![root.join("../shared/corpus/dev")]
    } else {
        args.iter().map(PathBuf::from).collect()
    };
    let mut files = Vec::new();
    for path in &given {
        if path.is_dir() {
            crate::bench::collect_specs(path, &mut files);
        } else if path.is_file() {
            files.push(path.clone());
        } else {
            eprintln!("error: {} does not exist", path.display());
            return ExitCode::FAILURE;
        }
    }
    files.sort();
    println!(
        "{:<44} {:>8} {:>8} {:>7} {:>9}",
        "document", "items", "direct", "bytes %", "differing"
    );
    let mut total = DirectCheck::default();
    let mut skipped = 0;
    for file in &files {
        let name = file.file_name().map_or_else(
            || file.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        );
        let check = match check_one(file) {
            Ok(check) => check,
            Err(why) => {
                println!("{name:<44} skipped: {why}");
                skipped += 1;
                continue;
            }
        };
        println!(
            "{:<44} {:>8} {:>8} {:>7.1} {:>9}",
            name,
            check.items,
            check.direct,
            percent(check.direct_bytes, check.bytes),
            check.differing
        );
        for error in &check.errors {
            println!("  error: {error}");
        }
        total.merge(check);
    }
    println!(
        "{:<44} {:>8} {:>8} {:>7.1} {:>9}",
        format!("total ({} documents, {skipped} skipped)", files.len()),
        total.items,
        total.direct,
        percent(total.direct_bytes, total.bytes),
        total.differing
    );
    for (direct, prettyplease) in &total.shown {
        println!("--- printed without syn\n{direct}--- prettyplease\n{prettyplease}");
    }
    if total.differing > 0 || !total.errors.is_empty() {
        eprintln!(
            "error: {} item(s) differ from prettyplease's text",
            total.differing
        );
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}

fn percent(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        0.0
    } else {
        100.0 * part as f64 / whole as f64
    }
}

/// The check on one document; `Err` (why) when it does not load or build.
fn check_one(file: &std::path::Path) -> Result<DirectCheck, String> {
    let first = |d: stencil_build::Diagnostics| {
        d.errors()
            .next()
            .map(|e| e.message.clone())
            .unwrap_or_else(|| "no IR".to_owned())
    };
    let loaded = stencil_build::stages::load::load(file).map_err(first)?;
    let mut warnings = Vec::new();
    let api = stencil_build::stages::ir::build(&loaded, &mut warnings).map_err(first)?;
    drop(loaded);
    let options = stencil_build::Options {
        feature_gates: true,
        ..stencil_build::Options::default()
    };
    stencil_build::stages::check_direct(&api, &options).map_err(first)
}
