//! `cargo xtask regen [--check]`, `cargo xtask test` (in [`test_all`]) and `cargo xtask tidy`
//! (in [`tidy`]).
//!
//! `regen` regenerates the crates listed in `codegen.toml` (rust-analyzer
//! style: one function both writes and checks, and a test calls the check).
//!
//! Every function takes the repository root and the generator, so tests can run them on a
//! temporary copy of the repository and with a fake generator. The generator is called with
//! `root.join(spec)`: pass `Path::new(".")` as the root (after changing into the repository, as
//! `main` does) and the path in each `// @generated` header is the one in `codegen.toml`,
//! independent of where the repository is checked out.

pub mod manifest;
pub mod package;
pub mod test_all;
pub mod tidy;

use std::collections::BTreeMap;
use std::fmt;
use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};
use std::time::Duration;

use stencil_build::{Diagnostic, Diagnostics, Generated, Options};

pub use manifest::{CrateEntry, Manifest};

/// The command that regenerates everything; named in headers and in `--check` failures.
pub const REGEN_COMMAND: &str = "cargo xtask regen";

/// At most this many lines of diff per stale file.
pub const MAX_DIFF_LINES: usize = 200;

/// How the pipeline is invoked: `&stencil_build::generate`, or a fake in tests.
pub type Generator<'a> = &'a dyn Fn(&Path, &Options) -> Result<Generated, Diagnostics>;

/// The cargo running xtask (`$CARGO`), for the commands that re-run themselves in release mode.
pub fn cargo() -> std::process::Command {
    std::process::Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()))
}

/// A child command's outcome as xtask's exit code (a failure to start it said on stderr).
pub fn exit_code(status: io::Result<std::process::ExitStatus>) -> std::process::ExitCode {
    match status {
        Ok(s) if s.success() => std::process::ExitCode::SUCCESS,
        Ok(_) => std::process::ExitCode::FAILURE,
        Err(e) => {
            eprintln!("error: cannot run cargo: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}

/// The repository root (the parent of this crate's directory).
pub fn project_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask is inside the repository")
        .to_owned()
}

/// What regen would write: every file of every generated crate.
#[derive(Debug)]
pub struct Plan {
    /// Path relative to the root (with `/` separators) → contents.
    pub files: BTreeMap<String, String>,
    /// The crates' directories, relative to the root.
    pub dirs: Vec<PathBuf>,
    /// Warnings, by crate name.
    pub warnings: Vec<(String, Diagnostic)>,
}

/// One difference between the plan and the disk.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Change {
    /// The file exists with other contents; `diff` is a bounded unified diff.
    Stale { path: String, diff: String },
    /// Regen would write the file; it does not exist.
    Missing { path: String },
    /// The file is in a generated crate's directory but regen would not write it.
    Orphan { path: String },
}

impl Change {
    pub fn path(&self) -> &str {
        match self {
            Change::Stale { path, .. } | Change::Missing { path } | Change::Orphan { path } => path,
        }
    }
}

#[derive(Debug)]
pub enum Error {
    /// `codegen.toml` is missing or invalid.
    Manifest(String),
    /// Some documents could not be generated: (spec, diagnostics) for each.
    Generate(Vec<(PathBuf, Diagnostics)>),
    Io {
        path: PathBuf,
        error: io::Error,
    },
    /// `--check` found differences.
    Stale(Vec<Change>),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Manifest(message) => write!(f, "error: {message}"),
            Error::Generate(failures) => {
                for (i, (spec, diagnostics)) in failures.iter().enumerate() {
                    if i > 0 {
                        writeln!(f)?;
                    }
                    writeln!(
                        f,
                        "error: could not generate code from {}\n",
                        spec.display()
                    )?;
                    writeln!(f, "{diagnostics}")?;
                }
                write!(f, "nothing was written")
            }
            Error::Io { path, error } => write!(f, "error: {}: {error}", path.display()),
            Error::Stale(changes) => {
                write!(f, "{}{}", stale_diffs(changes), stale_verdict(changes))
            }
        }
    }
}

/// The diffs (bounded) and missing/orphaned lines of a failed check.
pub fn stale_diffs(changes: &[Change]) -> String {
    let mut out = String::new();
    for change in changes {
        match change {
            Change::Stale { diff, .. } => out.push_str(diff),
            Change::Missing { path } => out.push_str(&format!("missing: {path}\n")),
            Change::Orphan { path } => out.push_str(&format!(
                "orphaned: {path} (not generated; regen deletes it)\n"
            )),
        }
    }
    out
}

/// What a failed check says after the diffs: which files, and the command that fixes them.
pub fn stale_verdict(changes: &[Change]) -> String {
    let paths: Vec<&str> = changes.iter().map(Change::path).collect();
    format!(
        "error: generated code is out of date ({} file(s): {})\nrun: {REGEN_COMMAND}",
        changes.len(),
        paths.join(", ")
    )
}

impl std::error::Error for Error {}

fn io_err(path: &Path) -> impl FnOnce(io::Error) -> Error + '_ {
    move |error| Error::Io {
        path: path.to_owned(),
        error,
    }
}

/// Read `codegen.toml` under `root`.
pub fn read_manifest(root: &Path) -> Result<Manifest, Error> {
    let path = root.join(manifest::FILE);
    let text = fs::read_to_string(&path)
        .map_err(|e| Error::Manifest(format!("cannot read {}: {e}", path.display())))?;
    manifest::parse(&text).map_err(|e| Error::Manifest(e.to_string()))
}

/// `root.join(rel)` without a leading `./`, so a root of `.` gives the path as written.
fn join(root: &Path, rel: &Path) -> PathBuf {
    root.join(rel)
        .components()
        .filter(|c| *c != Component::CurDir)
        .collect()
}

/// A relative path with `/` separators, for messages and diff headers.
fn slash(rel: &Path) -> String {
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

/// Generate everything in memory. Fails, with every document's diagnostics, when any fails.
pub fn plan(root: &Path, generator: Generator<'_>) -> Result<Plan, Error> {
    let manifest = read_manifest(root)?;
    let mut files = BTreeMap::new();
    let mut warnings = Vec::new();
    let mut failures = Vec::new();
    for entry in &manifest.crates {
        let options = Options {
            client: entry.client,
            server: entry.server,
            feature_gates: true,
            extra_derives: entry.derive.clone(),
            regenerate_command: REGEN_COMMAND.to_owned(),
            type_replacements: Vec::new(),
            server_traits_per_tag: entry.server_traits_per_tag,
            format: true,
            include_paths: entry.include_paths.clone(),
            exclude_paths: entry.exclude_paths.clone(),
            secret_fields: entry
                .secret_fields
                .clone()
                .unwrap_or_else(|| Options::default().secret_fields),
            pagination: entry.pagination.clone(),
            // The crate's Cargo.toml has the `docs-ui` feature (`cargo_toml`).
            docs_router: entry.server,
            document_stem: Options::default().document_stem,
        };
        let spec = join(root, &entry.spec);
        match generator(&spec, &options) {
            Ok(generated) => {
                let out = slash(&entry.out);
                files.insert(format!("{out}/Cargo.toml"), cargo_toml(entry));
                files.insert(format!("{out}/src/lib.rs"), generated.code);
                if let Some(document) = generated.document {
                    files.insert(format!("{out}/src/{}", document.name), document.text);
                }
                warnings.extend(
                    generated
                        .warnings
                        .into_iter()
                        .map(|w| (entry.name.clone(), w)),
                );
            }
            Err(diagnostics) => failures.push((spec, diagnostics)),
        }
    }
    if !failures.is_empty() {
        return Err(Error::Generate(failures));
    }
    let dirs = manifest.crates.iter().map(|c| c.out.clone()).collect();
    Ok(Plan {
        files,
        dirs,
        warnings,
    })
}

/// The `Cargo.toml` of a generated crate (a workspace member: path dependency on the runtime).
pub fn cargo_toml(entry: &CrateEntry) -> String {
    let up = "../".repeat(entry.out.components().count());
    let mut s = format!(
        "# @generated by Stencil from {} ({}). Do not edit: run `{REGEN_COMMAND}`.\n\
         \n\
         [package]\n\
         name = \"{}\"\n\
         version = \"0.1.0\"\n\
         edition = \"2021\"\n\
         publish = false\n",
        slash(&entry.spec),
        manifest::FILE,
        entry.name,
    );
    if entry.client || entry.server {
        s.push_str("\n[features]\ndefault = []\n");
        if entry.client {
            s.push_str("client = [\"stencil/client\"]\n");
        }
        if entry.server {
            s.push_str("server = [\"stencil/server\"]\n");
            // `server::docs_router`: the documentation page.
            s.push_str("docs-ui = [\"server\", \"stencil/docs-ui\"]\n");
        }
    }
    s.push_str(&format!(
        "\n[dependencies]\nstencil = {{ path = \"{up}crates/stencil\" }}\n"
    ));
    s
}

/// Compare the plan with the files under `root`.
pub fn changes(root: &Path, plan: &Plan) -> Result<Vec<Change>, Error> {
    let mut changes = Vec::new();
    for (rel, new) in &plan.files {
        let path = root.join(rel);
        match fs::read(&path) {
            Ok(old) if old == new.as_bytes() => {}
            Ok(old) => changes.push(Change::Stale {
                path: rel.clone(),
                diff: unified_diff(&String::from_utf8_lossy(&old), new, rel),
            }),
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                changes.push(Change::Missing { path: rel.clone() })
            }
            Err(e) => return Err(Error::Io { path, error: e }),
        }
    }
    for dir in &plan.dirs {
        for rel in files_under(root, dir)? {
            if !plan.files.contains_key(&rel) {
                changes.push(Change::Orphan { path: rel });
            }
        }
    }
    changes.sort_by(|a, b| a.path().cmp(b.path()));
    Ok(changes)
}

/// Every file (or symlink, or other non-directory) under `root/dir`, relative to `root`.
fn files_under(root: &Path, dir: &Path) -> Result<Vec<String>, Error> {
    fn walk(root: &Path, rel: &Path, out: &mut Vec<String>) -> Result<(), Error> {
        let path = root.join(rel);
        let entries = match fs::read_dir(&path) {
            Ok(entries) => entries,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
            Err(e) => return Err(Error::Io { path, error: e }),
        };
        for entry in entries {
            let entry = entry.map_err(io_err(&path))?;
            let child = rel.join(entry.file_name());
            if entry.file_type().map_err(io_err(&path))?.is_dir() {
                walk(root, &child, out)?;
            } else {
                out.push(slash(&child));
            }
        }
        Ok(())
    }
    let mut out = Vec::new();
    walk(root, dir, &mut out)?;
    out.sort();
    Ok(out)
}

fn unified_diff(old: &str, new: &str, rel: &str) -> String {
    let diff = similar::TextDiff::configure()
        .timeout(Duration::from_secs(5))
        .diff_lines(old, new);
    let text = diff
        .unified_diff()
        .context_radius(3)
        .header(rel, &format!("{rel} (regenerated)"))
        .to_string();
    let total = text.lines().count();
    let mut out: String = text
        .lines()
        .take(MAX_DIFF_LINES)
        .flat_map(|l| [l, "\n"])
        .collect();
    if total > MAX_DIFF_LINES {
        out.push_str(&format!(
            "... ({} more lines of diff not shown)\n",
            total - MAX_DIFF_LINES
        ));
    }
    out
}

/// `cargo xtask regen --check`: write nothing; `Err(Error::Stale)` when any file is stale,
/// missing or orphaned.
pub fn check(root: &Path, generator: Generator<'_>) -> Result<Plan, Error> {
    let plan = plan(root, generator)?;
    let changes = changes(root, &plan)?;
    if changes.is_empty() {
        Ok(plan)
    } else {
        Err(Error::Stale(changes))
    }
}

/// `cargo xtask regen`: write the files that changed, delete orphans (and the directories they
/// leave empty). Generates everything first: when any document fails, nothing is written.
/// Returns what it changed and the plan (for its warnings).
pub fn regen(root: &Path, generator: Generator<'_>) -> Result<(Vec<Change>, Plan), Error> {
    let plan = plan(root, generator)?;
    let changes = changes(root, &plan)?;
    for change in &changes {
        let path = root.join(change.path());
        match change {
            Change::Stale { .. } | Change::Missing { .. } => {
                if let Some(parent) = path.parent() {
                    fs::create_dir_all(parent).map_err(io_err(parent))?;
                }
                fs::write(&path, &plan.files[change.path()]).map_err(io_err(&path))?;
            }
            Change::Orphan { .. } => {
                fs::remove_file(&path).map_err(io_err(&path))?;
                remove_empty_parents(root, Path::new(change.path()), &plan.dirs);
            }
        }
    }
    Ok((changes, plan))
}

/// Remove the directories between `rel` and its crate directory that are now empty.
fn remove_empty_parents(root: &Path, rel: &Path, dirs: &[PathBuf]) {
    let mut dir = rel.parent();
    while let Some(d) = dir {
        if dirs.iter().any(|crate_dir| crate_dir.as_path() == d) || d.as_os_str().is_empty() {
            break;
        }
        // Fails (and stops) on the first directory that is not empty.
        if fs::remove_dir(root.join(d)).is_err() {
            break;
        }
        dir = d.parent();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cargo_toml_matches_the_workspace_member() {
        let entry = CrateEntry {
            name: "pathstack".into(),
            spec: "specs/pathstack/openapi_2024-03-26.yaml".into(),
            out: "generated/pathstack".into(),
            client: true,
            server: true,
            derive: vec![],
            server_traits_per_tag: false,
            include_paths: vec![],
            exclude_paths: vec![],
            secret_fields: None,
            pagination: vec![],
        };
        assert_eq!(
            cargo_toml(&entry),
            "# @generated by Stencil from specs/pathstack/openapi_2024-03-26.yaml (codegen.toml). \
             Do not edit: run `cargo xtask regen`.\n\
             \n\
             [package]\n\
             name = \"pathstack\"\n\
             version = \"0.1.0\"\n\
             edition = \"2021\"\n\
             publish = false\n\
             \n\
             [features]\n\
             default = []\n\
             client = [\"stencil/client\"]\n\
             server = [\"stencil/server\"]\n\
             docs-ui = [\"server\", \"stencil/docs-ui\"]\n\
             \n\
             [dependencies]\n\
             stencil = { path = \"../../crates/stencil\" }\n"
        );
        let types_only = CrateEntry {
            client: false,
            server: false,
            out: "g".into(),
            ..entry
        };
        let toml = cargo_toml(&types_only);
        assert!(!toml.contains("[features]"), "{toml}");
        assert!(
            toml.contains("stencil = { path = \"../crates/stencil\" }"),
            "{toml}"
        );
    }

    #[test]
    fn join_drops_a_leading_dot() {
        assert_eq!(
            join(Path::new("."), Path::new("specs/a.yaml")),
            PathBuf::from("specs/a.yaml")
        );
        assert_eq!(
            join(Path::new("/r"), Path::new("specs/a.yaml")),
            PathBuf::from("/r/specs/a.yaml")
        );
    }

    #[test]
    fn diff_is_bounded() {
        let old: String = (0..500).map(|i| format!("line {i}\n")).collect();
        let d = unified_diff(&old, "", "g/src/lib.rs");
        assert!(
            d.starts_with("--- g/src/lib.rs\n+++ g/src/lib.rs (regenerated)\n"),
            "{d}"
        );
        assert_eq!(d.lines().count(), MAX_DIFF_LINES + 1);
        assert!(
            d.ends_with("... (303 more lines of diff not shown)\n"),
            "{d}"
        );
    }
}
