//! `cargo xtask tidy`: keep the architecture true (issue 16). [`check`] returns every finding;
//! the test `tidy_repository` (`tidy/tests.rs`) fails on any, in the style of rust-analyzer's
//! `xtask/src/tidy.rs`.
//!
//! The rules:
//!
//! - **later stage**: in `crates/stencil-build/src` a file imports only from its own stage or an
//!   earlier one: load → ir → emit → render → pipeline/config/lib ([`STAGES`]). A file's stage is
//!   its top-level file or directory under `src` (`ir/convert.rs` is in `ir`, `render/chunks.rs`
//!   in `render`). Leaf modules (rank 0: diag, naming, literals, progress) may be imported by anyone
//!   and import no stage. Every top-level module must be in the table (**unranked module**).
//! - **runtime imports generator**: the runtime `crates/stencil` never depends on the generator:
//!   no `stencil-build` in its `Cargo.toml`, no `stencil_build` in its sources.
//! - **import cycle**: no two files import each other (checked in [`CHECKED_CRATES`]).
//! - **long file**: no source file over [`MAX_LINES`] lines (files under a `tests/` or
//!   `generated/` directory, `tests.rs` and `*_tests.rs` excepted), unless [`ALLOW_LONG`] names
//!   it with a reason; an entry that no longer applies is a **stale allow-list entry**.
//!
//! What "file A imports file B" means: A's non-test code has a `use`, or a path (in a type, an
//! expression, a pattern, or among the arguments of a std macro such as `format!` or `assert!`),
//! that names B's module or an item defined in B. Paths are resolved by the module tree, from
//! each crate root (`src/lib.rs`, `src/main.rs`, `src/bin/*.rs`) along `mod x;` declarations
//! (`x.rs` or `x/mod.rs`): `crate::`, `self::`, `super::`, a child module's name, or a name a
//! `use` brought into scope; and through re-exports (`crate::Options`, where `lib.rs` has
//! `pub use pipeline::Options`, is an import of `pipeline.rs`, not of `lib.rs`). Not imports:
//!
//! - a `mod x;` declaration;
//! - a re-export (`pub use`, `pub(crate) use`, ...) on its own: it is the module's facade, so
//!   `lib.rs` or a `mod.rs` may re-export its children (using a re-exported name in the file's
//!   own code is an import);
//! - anything under `#[cfg(test)]`: tests may import anything in their crate;
//! - paths into other crates, and the bodies of other macros (`quote!` holds generated code).
//!
//! A parent module and its child are two files like any others: a `mod.rs` calling into a child
//! that uses a helper defined in the `mod.rs` is a cycle (move the helper into a module both
//! import, and keep `mod.rs` to declarations, re-exports and what only it uses).

mod imports;
#[cfg(test)]
mod tests;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::fs;
use std::path::{Path, PathBuf};

use imports::{relative, Graph};

/// The longest a source file may be (in lines) unless [`ALLOW_LONG`] names it.
pub const MAX_LINES: usize = 600;

/// The generator's stages by top-level module of `crates/stencil-build/src` (a file `x.rs`, a
/// directory `x/`, or both): a file may import from modules of its rank or lower. Rank 0 are
/// leaf modules anyone may import. Edit freely; a module missing here is a finding.
pub const STAGES: &[(&str, u32)] = &[
    ("diag", 0),
    ("naming", 0),
    ("literals", 0),
    // What a run has made so far, counted by the renderer's sink, read by whoever shows it.
    ("progress", 0),
    ("load", 1),
    ("ir", 2),
    ("emit", 3),
    ("render", 4),
    ("pipeline", 5),
    // Validated options name the IR's path patterns; only the pipeline and config use them.
    ("options", 5),
    ("config", 5),
    ("lib", 5),
];

/// Source files allowed over [`MAX_LINES`]: (path from the repository root, why).
pub const ALLOW_LONG: &[(&str, &str)] = &[];

/// The crates whose files must not import each other (their `src` module trees).
pub const CHECKED_CRATES: &[&str] = &[
    "crates/stencil-build",
    "crates/stencil",
    "crates/stencil-cli",
    "xtask",
];

/// The crate whose modules are ranked by [`STAGES`].
const STAGED_CRATE: &str = "crates/stencil-build";
/// The runtime, which must not depend on the generator.
const RUNTIME_CRATE: &str = "crates/stencil";
/// Directories the long-file rule skips.
const SKIPPED_DIRS: &[&str] = &["tests", "generated", "target", "node_modules"];

/// Which rule a finding breaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Rule {
    Parse,
    Unranked,
    Stage,
    Runtime,
    Cycle,
    Long,
    StaleAllow,
}

impl Rule {
    pub fn name(self) -> &'static str {
        match self {
            Rule::Parse => "unreadable file",
            Rule::Unranked => "unranked module",
            Rule::Stage => "later stage",
            Rule::Runtime => "runtime imports generator",
            Rule::Cycle => "import cycle",
            Rule::Long => "long file",
            Rule::StaleAllow => "stale allow-list entry",
        }
    }

    pub fn fix(self) -> &'static str {
        match self {
            Rule::Parse => "make the file valid Rust (tidy parses every module file with syn)",
            Rule::Unranked => "add the module to STAGES in xtask/src/tidy.rs",
            Rule::Stage => {
                "move the shared item into the earlier stage or into a leaf module both can import \
                 (options, diag, naming, literal), or pass it in as an argument"
            }
            Rule::Runtime => {
                "move what both need into crates/stencil: the generator may depend on the runtime, \
                 never the reverse"
            }
            Rule::Cycle => {
                "move the shared item into a module both can import (for a parent mod.rs: out of \
                 mod.rs into a sibling of the child), or merge the two files"
            }
            Rule::Long => {
                "split the file by concept, or add it to ALLOW_LONG in xtask/src/tidy.rs with a reason"
            }
            Rule::StaleAllow => "remove the entry from ALLOW_LONG in xtask/src/tidy.rs",
        }
    }
}

/// One broken rule: the files involved (paths from the repository root) and what was found.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Finding {
    pub rule: Rule,
    pub files: Vec<String>,
    pub detail: String,
}

impl Finding {
    fn new(rule: Rule, files: Vec<String>, detail: String) -> Self {
        Finding {
            rule,
            files,
            detail,
        }
    }
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let files = self.files.join(" and ");
        write!(
            f,
            "{}: {files}: {}\n    fix: {}",
            self.rule.name(),
            self.detail,
            self.rule.fix()
        )
    }
}

/// Every finding in the repository at `root`, sorted.
pub fn check(root: &Path) -> Vec<Finding> {
    let (graph, errors) = imports::graph(root, CHECKED_CRATES);
    let mut findings: Vec<Finding> = errors
        .into_iter()
        .map(|(file, error)| Finding::new(Rule::Parse, vec![file], error))
        .collect();
    cycles(&graph, &mut findings);
    stages(&graph, &mut findings);
    runtime(root, &mut findings);
    findings.extend(long_files(root, ALLOW_LONG));
    findings.sort();
    findings.dedup();
    findings
}

fn cycles(graph: &Graph, findings: &mut Vec<Finding>) {
    for ((a, b), there) in &graph.edges {
        if a < b {
            if let Some(back) = graph.edges.get(&(b.clone(), a.clone())) {
                let detail = format!("{a} uses `{there}`, {b} uses `{back}`");
                findings.push(Finding::new(
                    Rule::Cycle,
                    vec![a.clone(), b.clone()],
                    detail,
                ));
            }
        }
    }
}

/// The stage of a file of the staged crate: its top-level module's name and rank.
fn stage(file: &str) -> Option<(&str, Option<u32>)> {
    let inside = file.strip_prefix(STAGED_CRATE)?.strip_prefix("/src/")?;
    let top = inside.split('/').next()?;
    let top = top.strip_suffix(".rs").unwrap_or(top);
    let rank = STAGES
        .iter()
        .find(|(name, _)| *name == top)
        .map(|&(_, rank)| rank);
    Some((top, rank))
}

fn stages(graph: &Graph, findings: &mut Vec<Finding>) {
    let mut unranked: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for file in &graph.files {
        if let Some((top, None)) = stage(file) {
            unranked.entry(top).or_default().push(file.clone());
        }
    }
    for (top, files) in unranked {
        let detail = format!("module `{top}` has no stage");
        findings.push(Finding::new(Rule::Unranked, files, detail));
    }
    for ((from, to), path) in &graph.edges {
        let (Some((from_top, Some(from_rank))), Some((to_top, Some(to_rank)))) =
            (stage(from), stage(to))
        else {
            continue;
        };
        if from_rank < to_rank {
            let detail = format!(
                "`{path}`: {from_top} (rank {from_rank}) imports from {to_top} (rank {to_rank})"
            );
            findings.push(Finding::new(
                Rule::Stage,
                vec![from.clone(), to.clone()],
                detail,
            ));
        }
    }
}

/// The runtime crate's manifest and sources never name the generator.
fn runtime(root: &Path, findings: &mut Vec<Finding>) {
    let dir = root.join(RUNTIME_CRATE);
    let manifest = dir.join("Cargo.toml");
    let text = fs::read_to_string(&manifest).unwrap_or_default();
    for (n, line) in text.lines().enumerate() {
        let code = line.split('#').next().unwrap_or_default();
        if code.contains("stencil-build") || code.contains("stencil_build") {
            let detail = format!("line {}: `{}`", n + 1, line.trim());
            findings.push(Finding::new(
                Rule::Runtime,
                vec![relative(root, &manifest)],
                detail,
            ));
        }
    }
    for file in rust_files(&dir, &["target"]) {
        let text = fs::read_to_string(&file).unwrap_or_default();
        let Ok(tokens) = text.parse::<proc_macro2::TokenStream>() else {
            continue; // Lexing errors are reported by the cycle rule's parse, or by rustc.
        };
        if names(tokens, "stencil_build") {
            let detail = "names `stencil_build`".to_owned();
            findings.push(Finding::new(
                Rule::Runtime,
                vec![relative(root, &file)],
                detail,
            ));
        }
    }
}

/// Whether `ident` occurs in `tokens` (comments are not tokens; macro bodies are).
fn names(tokens: proc_macro2::TokenStream, ident: &str) -> bool {
    tokens.into_iter().any(|tree| match tree {
        proc_macro2::TokenTree::Ident(i) => i == ident,
        proc_macro2::TokenTree::Group(g) => names(g.stream(), ident),
        _ => false,
    })
}

/// Files over [`MAX_LINES`] lines not in `allow`, and `allow` entries that no longer apply.
pub fn long_files(root: &Path, allow: &[(&str, &str)]) -> Vec<Finding> {
    let mut findings = Vec::new();
    let mut long = BTreeSet::new();
    for file in rust_files(root, SKIPPED_DIRS) {
        let name = file
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        if name == "tests.rs" || name.ends_with("_tests.rs") {
            continue;
        }
        let lines = fs::read_to_string(&file).map_or(0, |text| text.lines().count());
        if lines > MAX_LINES {
            let rel = relative(root, &file);
            if !allow.iter().any(|(path, _)| *path == rel) {
                let detail = format!("{lines} lines (at most {MAX_LINES})");
                findings.push(Finding::new(Rule::Long, vec![rel.clone()], detail));
            }
            long.insert(rel);
        }
    }
    for (path, _) in allow {
        if !long.contains(*path) {
            let detail = format!("not a source file over {MAX_LINES} lines");
            findings.push(Finding::new(
                Rule::StaleAllow,
                vec![(*path).to_owned()],
                detail,
            ));
        }
    }
    findings
}

/// Every `.rs` file under `dir`, sorted, outside hidden directories and directories named in
/// `skip`; symbolic links are not followed.
fn rust_files(dir: &Path, skip: &[&str]) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut entries: Vec<_> = match fs::read_dir(dir) {
        Ok(entries) => entries.filter_map(Result::ok).collect(),
        Err(_) => return files,
    };
    entries.sort_by_key(|entry| entry.file_name());
    for entry in entries {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        if kind.is_dir() && !name.starts_with('.') && !skip.contains(&name.as_str()) {
            files.extend(rust_files(&entry.path(), skip));
        } else if kind.is_file() && name.ends_with(".rs") {
            files.push(entry.path());
        }
    }
    files
}
