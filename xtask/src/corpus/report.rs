//! What `cargo xtask corpus` reports: a row per document, the table and the summary.

use std::fmt::Write as _;
use std::time::Duration;

#[derive(Clone, Debug)]
pub(super) struct Row {
    /// The folder's name, when several are swept.
    pub(super) folder: Option<String>,
    /// A rejection with a diagnostic counts as passed (`Args::may_reject`).
    pub(super) may_reject: bool,
    pub(super) doc: String,
    pub(super) package: String,
    pub(super) version: String,
    pub(super) bytes: u64,
    pub(super) ops: Option<usize>,
    pub(super) types: Option<usize>,
    pub(super) lines: usize,
    pub(super) warnings: usize,
    pub(super) generate: Result<(), String>,
    pub(super) compile: Compile,
    pub(super) gen_time: Duration,
}

#[derive(Clone, Debug, Default)]
pub(super) enum Compile {
    #[default]
    NotRun,
    Skipped(String),
    Ok,
    /// Too large for one `cargo check`: client and server checked apart, both clean.
    OkApart,
    Failed(String),
}

pub(super) fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_owned()
    } else {
        let mut t: String = s.chars().take(n).collect();
        t.push('…');
        t
    }
}

pub(super) fn size_class(bytes: u64) -> &'static str {
    match bytes {
        0..=49_999 => "S (<50 KB)",
        50_000..=499_999 => "M (50-500 KB)",
        500_000..=4_999_999 => "L (0.5-5 MB)",
        _ => "XL (>=5 MB)",
    }
}

pub(super) fn table(rows: &[Row]) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "\n| document | openapi | size | ops | types | generate | compile | gen time |\n|---|---|---:|---:|---:|---|---|---:|"
    );
    for r in rows {
        let opt = |v: Option<usize>| v.map_or("-".to_owned(), |v| v.to_string());
        let generate = match &r.generate {
            Ok(()) if r.warnings > 0 => format!("ok ({} warnings)", r.warnings),
            Ok(()) => "ok".to_owned(),
            Err(e) => truncate(e, 160),
        };
        let compile = match &r.compile {
            Compile::NotRun => "-".to_owned(),
            Compile::Skipped(why) => format!("skipped: {why}"),
            Compile::Ok => "ok".to_owned(),
            Compile::OkApart => "ok (client, server apart)".to_owned(),
            Compile::Failed(e) => truncate(e, 160),
        };
        let _ = writeln!(
            s,
            "| {} | {} | {} KB | {} | {} | {} | {} | {:.2}s |",
            r.doc,
            r.version,
            r.bytes / 1000,
            opt(r.ops),
            opt(r.types),
            generate.replace('|', "\\|"),
            compile.replace('|', "\\|"),
            r.gen_time.as_secs_f64()
        );
    }
    s
}

/// Whether the document passed: generated and compiled, or rejected with a diagnostic where
/// that is expected.
pub(super) fn passed(r: &Row) -> bool {
    let rejected = matches!(&r.generate, Err(e) if e.starts_with("diagnostic:"));
    (r.generate.is_ok() && matches!(r.compile, Compile::Ok | Compile::OkApart))
        || (r.may_reject && rejected)
}

/// `N passed, M failed` per folder.
pub(super) fn per_folder(rows: &[Row]) -> String {
    let mut s = String::from("\n");
    let mut folders: Vec<&str> = rows.iter().filter_map(|r| r.folder.as_deref()).collect();
    folders.dedup();
    for folder in folders {
        let of = |r: &&Row| r.folder.as_deref() == Some(folder);
        let passed = rows.iter().filter(of).filter(|r| passed(r)).count();
        let failed = rows.iter().filter(of).count() - passed;
        let _ = writeln!(s, "{folder:<10} {passed} passed, {failed} failed");
    }
    s
}

/// Pass rate by OpenAPI version and by size class.
pub(super) fn summary(rows: &[Row]) -> String {
    let mut s = String::from("\n");
    let mut groups: Vec<(String, usize, usize)> = Vec::new();
    for r in rows {
        let minor = if r.version.starts_with("3.2") {
            "OpenAPI 3.2"
        } else if r.version.starts_with("3.1") {
            "OpenAPI 3.1"
        } else if r.version.starts_with("3.0") {
            "OpenAPI 3.0"
        } else {
            "other version"
        };
        for key in [minor.to_owned(), format!("size {}", size_class(r.bytes))] {
            match groups.iter_mut().find(|(k, _, _)| *k == key) {
                Some(g) => {
                    g.1 += 1;
                    g.2 += usize::from(passed(r));
                }
                None => groups.push((key, 1, usize::from(passed(r)))),
            }
        }
    }
    groups.sort();
    for (k, n, p) in groups {
        let _ = writeln!(s, "{k:<24} {p}/{n} passed");
    }
    s
}

/// Whitespace (newlines included) folded into single spaces.
pub(super) fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}
