//! `cargo xtask package`: the crates people depend on can be published. Checks each one's
//! metadata (what crates.io shows and `cargo package` only warns about), then runs `cargo
//! package` on all of them at once, which fails on a dependency without a version and builds
//! each packaged crate from its `.crate` contents alone (the workspace's crates resolved from
//! the packages just made, so nothing has to be published first).

use std::path::Path;
use std::process::Command;

/// The crates meant for crates.io.
pub const PUBLISHED: [&str; 3] = ["stencil", "stencil-build", "stencil-cli"];

/// The `[package]` fields every published crate sets.
const REQUIRED: [&str; 7] = [
    "description",
    "license",
    "readme",
    "keywords",
    "categories",
    "rust_version",
    "documentation",
];

/// What is missing from the metadata of the [`PUBLISHED`] crates, from `cargo metadata
/// --no-deps --format-version 1` output; empty when all is well.
pub fn metadata_problems(metadata: &serde_json::Value) -> Vec<String> {
    let mut problems = Vec::new();
    let packages = metadata["packages"].as_array().cloned().unwrap_or_default();
    for name in PUBLISHED {
        let Some(package) = packages.iter().find(|p| p["name"] == name) else {
            problems.push(format!("{name}: not in the workspace"));
            continue;
        };
        for field in REQUIRED {
            let value = &package[field];
            let empty = value.is_null()
                || value.as_str() == Some("")
                || value.as_array().is_some_and(Vec::is_empty);
            if empty {
                problems.push(format!("{name}: no `{}`", field.replace('_', "-")));
            }
        }
        if package["publish"].as_array().is_some_and(Vec::is_empty) {
            problems.push(format!("{name}: `publish = false`"));
        }
        for dep in package["dependencies"].as_array().into_iter().flatten() {
            let dev = dep["kind"] == "dev";
            if !dev && dep["path"].is_string() && dep["req"] == "*" {
                problems.push(format!(
                    "{name}: dependency `{}` has a path and no version",
                    dep["name"].as_str().unwrap_or("?")
                ));
            }
        }
    }
    problems
}

/// Run the check from the repository `root`; `false` (after saying why) when it fails.
pub fn run(root: &Path) -> bool {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let output = Command::new(&cargo)
        .args(["metadata", "--no-deps", "--format-version", "1"])
        .current_dir(root)
        .output();
    let metadata = match output {
        Ok(out) if out.status.success() => serde_json::from_slice(&out.stdout),
        Ok(out) => {
            eprintln!(
                "error: cargo metadata failed:\n{}",
                String::from_utf8_lossy(&out.stderr)
            );
            return false;
        }
        Err(e) => {
            eprintln!("error: cannot run {cargo}: {e}");
            return false;
        }
    };
    let metadata: serde_json::Value = match metadata {
        Ok(m) => m,
        Err(e) => {
            eprintln!("error: cargo metadata printed invalid JSON: {e}");
            return false;
        }
    };
    let problems = metadata_problems(&metadata);
    if !problems.is_empty() {
        for p in &problems {
            eprintln!("error: {p}");
        }
        return false;
    }
    forget_packaged_sources();
    let mut package = Command::new(&cargo);
    // `--allow-dirty`: a check, not a release; it must pass on a work tree with changes too.
    package.args(["package", "--allow-dirty", "--locked"]);
    for name in PUBLISHED {
        package.args(["-p", name]);
    }
    match succeed(package.current_dir(root)) {
        Ok(()) => {
            eprintln!("packaged {} and built each package", PUBLISHED.join(", "));
            true
        }
        Err(e) => {
            eprintln!("error: {e}");
            false
        }
    }
}

/// Remove what an earlier `cargo package` left extracted of these crates in Cargo's home.
///
/// `cargo package -p a -p b` builds each package against the others through a temporary local
/// registry under `target/package/`, and Cargo extracts that registry's `.crate` files into
/// `$CARGO_HOME/registry/src/-<hash of its path>/<name>-<version>/`, where an existing directory
/// is reused without being compared. A second run from a checkout at the same path (CI always
/// clones to the same place) would then verify `stencil-cli` against the *old* `stencil-build`
/// and fail on anything added since. Local registries are the directories whose name starts
/// with `-` (crates.io's is `index.crates.io-…`); only our crates are removed from them.
fn forget_packaged_sources() {
    let home = std::env::var_os("CARGO_HOME")
        .map(std::path::PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| Path::new(&h).join(".cargo")));
    let Some(home) = home else { return };
    let Ok(registries) = std::fs::read_dir(home.join("registry/src")) else {
        return;
    };
    for registry in registries.flatten() {
        if !registry.file_name().to_string_lossy().starts_with('-') {
            continue;
        }
        let Ok(sources) = std::fs::read_dir(registry.path()) else {
            continue;
        };
        for source in sources.flatten() {
            let name = source.file_name().to_string_lossy().into_owned();
            if PUBLISHED.iter().any(|p| is_version_of(&name, p)) {
                match std::fs::remove_dir_all(source.path()) {
                    Ok(()) => eprintln!("removed stale {}", source.path().display()),
                    Err(e) => eprintln!("warning: cannot remove {}: {e}", source.path().display()),
                }
            }
        }
    }
}

/// Whether `dir` is `<name>-<version>` (`stencil-build-0.1.0` is a version of `stencil-build`,
/// not of `stencil`).
fn is_version_of(dir: &str, name: &str) -> bool {
    dir.strip_prefix(name)
        .and_then(|rest| rest.strip_prefix('-'))
        .is_some_and(|version| version.starts_with(|c: char| c.is_ascii_digit()))
}

/// The whole path of a user outside this repository: `cargo install --path crates/stencil-cli`
/// into a scratch directory, `stencil generate` the PathStack document (copied there) with the
/// default options, and `cargo check` the generated crate there, which must find the runtime
/// without any `--runtime-*` option. Takes minutes; `false` (after saying why) on failure.
pub fn outside(root: &Path) -> bool {
    match try_outside(root) {
        Ok(()) => {
            eprintln!("a crate generated outside the repository builds");
            true
        }
        Err(e) => {
            eprintln!("error: {e}");
            false
        }
    }
}

fn try_outside(root: &Path) -> Result<(), String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let scratch = tempfile::Builder::new()
        .prefix("stencil-outside-")
        .tempdir()
        .map_err(|e| format!("cannot make a scratch directory: {e}"))?;
    let scratch = scratch.path();
    if scratch.starts_with(root) {
        return Err(format!("{} is inside the repository", scratch.display()));
    }
    let install = scratch.join("install");
    // `--debug`: the build CI already has; a release build would take minutes more.
    let crate_dir = root.join("crates/stencil-cli");
    succeed(
        Command::new(&cargo)
            .args(["install", "--locked", "--debug", "--path"])
            .arg(&crate_dir)
            .arg("--root")
            .arg(&install),
    )?;

    let work = scratch.join("work");
    std::fs::create_dir_all(&work).map_err(|e| e.to_string())?;
    std::fs::copy(
        root.join("specs/pathstack/openapi_2024-03-26.yaml"),
        work.join("pathstack.yaml"),
    )
    .map_err(|e| format!("cannot copy the PathStack document: {e}"))?;
    succeed(
        Command::new(install.join("bin/stencil"))
            .args(["generate", "pathstack.yaml", "--out", "pathstack"])
            .current_dir(&work),
    )?;
    let manifest = std::fs::read_to_string(work.join("pathstack/Cargo.toml"))
        .map_err(|e| format!("no Cargo.toml generated: {e}"))?;
    // The server's `OPENAPI_DOCUMENT` is `include_str!`ed from beside the code: the crate
    // ships it, and `cargo check` below fails without it.
    if !work.join("pathstack/src/openapi.yaml").is_file() {
        return Err("stencil generate wrote no src/openapi.yaml".to_owned());
    }
    eprintln!("{manifest}");
    succeed(
        Command::new(&cargo)
            .args(["check", "--all-features"])
            .current_dir(work.join("pathstack")),
    )
}

fn succeed(command: &mut Command) -> Result<(), String> {
    eprintln!("$ {command:?}");
    match command.status() {
        Ok(status) if status.success() => Ok(()),
        Ok(status) => Err(format!("{command:?} failed ({status})")),
        Err(e) => Err(format!("cannot run {command:?}: {e}")),
    }
}

/// `cargo xtask docs`: rustdoc, warnings denied, on every crate `codegen.toml` lists (the
/// crates under `generated/`), all features on: the generated docs are the first thing a user
/// of a generated client reads. `false` (after saying why) on failure.
pub fn generated_docs(root: &Path) -> bool {
    let manifest = match crate::read_manifest(root) {
        Ok(m) => m,
        Err(e) => {
            eprintln!("error: {e}");
            return false;
        }
    };
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let flags = std::env::var("RUSTDOCFLAGS").unwrap_or_default();
    let mut doc = Command::new(&cargo);
    doc.args(["doc", "--no-deps", "--all-features", "--keep-going"])
        .env("RUSTDOCFLAGS", format!("{flags} -D warnings").trim())
        .current_dir(root);
    for entry in &manifest.crates {
        doc.args(["-p", &entry.name]);
    }
    match succeed(&mut doc) {
        Ok(()) => {
            eprintln!(
                "the docs of {} generated crates build without warnings",
                manifest.crates.len()
            );
            true
        }
        Err(e) => {
            eprintln!("error: {e}");
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn complete(name: &str) -> serde_json::Value {
        json!({
            "name": name,
            "description": "d",
            "license": "MIT OR Apache-2.0",
            "readme": "README.md",
            "keywords": ["openapi"],
            "categories": ["api-bindings"],
            "rust_version": "1.85",
            "documentation": "https://docs.rs/x",
            "publish": null,
            "dependencies": [
                {"name": "stencil", "path": "/x", "req": "^0.1.0", "kind": null},
                {"name": "helper", "path": "/y", "req": "*", "kind": "dev"},
            ],
        })
    }

    #[test]
    fn extracted_sources_are_matched_by_exact_name() {
        assert!(is_version_of("stencil-0.1.0", "stencil"));
        assert!(is_version_of("stencil-build-0.1.0", "stencil-build"));
        assert!(!is_version_of("stencil-build-0.1.0", "stencil"));
        assert!(!is_version_of("stencil-cli-0.1.0", "stencil"));
        assert!(!is_version_of("stencilx-0.1.0", "stencil"));
    }

    #[test]
    fn complete_metadata_passes() {
        let packages: Vec<_> = PUBLISHED.iter().map(|n| complete(n)).collect();
        assert_eq!(
            metadata_problems(&json!({ "packages": packages })),
            Vec::<String>::new()
        );
    }

    #[test]
    fn every_gap_is_named() {
        let mut cli = complete("stencil-cli");
        cli["keywords"] = json!([]);
        cli["rust_version"] = json!(null);
        cli["publish"] = json!([]);
        cli["dependencies"][0]["req"] = json!("*");
        let packages = json!([complete("stencil"), cli]);
        assert_eq!(
            metadata_problems(&json!({ "packages": packages })),
            [
                "stencil-build: not in the workspace",
                "stencil-cli: no `keywords`",
                "stencil-cli: no `rust-version`",
                "stencil-cli: `publish = false`",
                "stencil-cli: dependency `stencil` has a path and no version",
            ]
        );
    }
}
