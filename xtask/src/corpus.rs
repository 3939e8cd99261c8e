//! `cargo xtask corpus DIR`: generate client + server for every OpenAPI document in DIR, `cargo
//! check` the results in one scratch workspace, and print a table.
//!
//! - Generation runs in a child process per document (this same binary, `corpus --one FILE
//!   OUT`), so a panic, a stack overflow or a hang in the generator is reported for that
//!   document instead of killing the sweep; each child has a timeout.
//! - The generated crates become members of one scratch workspace, `target/corpus/ws`, and are
//!   checked by ONE `cargo check --workspace --keep-going` with a shared target directory
//!   (`target/corpus/target`); cargo runs `--jobs` crates in parallel. The first error of each
//!   crate is read from `--message-format=json`.
//! - Documents whose output exceeds `--max-lines` are checked *apart*: the crate's client and
//!   its server (each with the types, through the crate's `client` / `server` features), one
//!   cargo invocation at a time after the others, because one crate of millions of lines needs
//!   more rustc memory than a small machine has (Microsoft Graph: 3.8 M lines). Reported as
//!   `ok (client, server apart)`. `--skip-large` skips them instead.
//!
//! In a debug build the command re-runs itself with `cargo run --release` (generation of a
//! multi-megabyte document is much faster optimised).

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

mod check;
mod report;

use check::{check_apart, check_workspace};
use report::{one_line, summary, table, truncate, Compile, Row};

pub const USAGE: &str = "\
Usage: cargo xtask corpus DIR [--jobs N] [--timeout SECS] [--max-lines N] [--skip-large]
                              [--no-check] [--only NAME]... [--scratch DIR]

  For every *.json / *.yaml / *.yml document in DIR: generate client and server (child process,
  --timeout seconds each, default 300), write it as a crate of the scratch workspace
  target/corpus/ws, `cargo check` all of them (shared target dir target/corpus/target, --jobs
  crates at a time, default 2), and print a table ending in `N passed, M failed`.
  Output over --max-lines lines (default 400000) is checked apart: client and server each with
  the types (the crate's features), one at a time after the rest; with --skip-large it is not
  checked and counts as skipped.
  --scratch DIR holds the workspace and target directory instead of target/corpus (to run two
  sweeps at once).
";

pub(crate) struct Args {
    /// The folders to sweep; with more than one, package names start with the folder's name
    /// and the summary gives a count per folder.
    pub(crate) dirs: Vec<PathBuf>,
    pub(crate) jobs: usize,
    pub(crate) timeout: Duration,
    pub(crate) max_lines: usize,
    pub(crate) skip_large: bool,
    pub(crate) check: bool,
    pub(crate) only: Vec<String>,
    pub(crate) scratch: Option<PathBuf>,
    /// Documents (`folder/file` as shown in the table) that may be rejected with a diagnostic
    /// instead of generating: they count as passed then.
    pub(crate) may_reject: Vec<String>,
}

pub(crate) fn parse_args(args: &[&str]) -> Result<Args, String> {
    let mut out = Args {
        dirs: Vec::new(),
        jobs: 2,
        timeout: Duration::from_secs(300),
        max_lines: 400_000,
        skip_large: false,
        check: true,
        only: Vec::new(),
        scratch: None,
        may_reject: Vec::new(),
    };
    let mut dir = None;
    let mut it = args.iter();
    while let Some(&arg) = it.next() {
        let mut value = |name: &str| {
            it.next()
                .map(|v| v.to_string())
                .ok_or_else(|| format!("{name} needs a value"))
        };
        match arg {
            "--jobs" | "-j" => {
                out.jobs = value(arg)?.parse().map_err(|e| format!("--jobs: {e}"))?;
            }
            "--timeout" => {
                let secs: u64 = value(arg)?.parse().map_err(|e| format!("--timeout: {e}"))?;
                out.timeout = Duration::from_secs(secs);
            }
            "--max-lines" => {
                out.max_lines = value(arg)?
                    .parse()
                    .map_err(|e| format!("--max-lines: {e}"))?;
            }
            "--no-check" => out.check = false,
            "--skip-large" => out.skip_large = true,
            "--only" => out.only.push(value(arg)?),
            "--scratch" => out.scratch = Some(PathBuf::from(value(arg)?)),
            _ if arg.starts_with('-') => return Err(format!("unknown option {arg}")),
            _ if dir.is_none() => dir = Some(PathBuf::from(arg)),
            _ => return Err(format!("unexpected argument {arg}")),
        }
    }
    out.dirs = vec![dir.ok_or("missing DIR")?];
    out.jobs = out.jobs.max(1);
    Ok(out)
}

/// Entry point for `cargo xtask corpus ARGS`.
pub fn run(args: &[&str]) -> ExitCode {
    if let ["--one", spec, out] = args {
        return one(Path::new(spec), Path::new(out));
    }
    if matches!(args, ["--help" | "-h"]) {
        print!("{USAGE}");
        return ExitCode::SUCCESS;
    }
    let parsed = match parse_args(args) {
        Ok(a) => a,
        Err(e) => {
            eprintln!("error: {e}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    if cfg!(debug_assertions) && std::env::var_os("STENCIL_CORPUS_NO_REEXEC").is_none() {
        // Generation of large documents is ~10x faster optimised.
        let root = crate_root();
        let dir = &parsed.dirs[0];
        let dir = std::fs::canonicalize(dir).unwrap_or(dir.clone());
        // Re-pass the options (everything except DIR).
        let mut forwarded = vec![dir.display().to_string()];
        let mut skip_dir = true;
        for a in args {
            if skip_dir && !a.starts_with('-') && Path::new(a) == parsed.dirs[0] {
                skip_dir = false;
                continue;
            }
            forwarded.push(a.to_string());
        }
        eprintln!("corpus: building xtask in release mode");
        let status = xtask::cargo()
            .current_dir(&root)
            .args(["run", "--release", "-q", "-p", "xtask", "--", "corpus"])
            .args(&forwarded)
            .env("STENCIL_CORPUS_NO_REEXEC", "1")
            .status();
        return xtask::exit_code(status);
    }
    sweep(&parsed)
}

pub(crate) fn crate_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives in the workspace")
        .to_path_buf()
}

/// Child mode: generate one document into `out/src/lib.rs`, print one `STATS` line.
fn one(spec: &Path, out: &Path) -> ExitCode {
    let start = Instant::now();
    let loaded = match stencil_build::stages::load::load(spec) {
        Ok(l) => l,
        Err(d) => return diag_exit(&d),
    };
    let mut warnings = loaded.warnings.clone();
    let api = match stencil_build::stages::ir::build(&loaded, &mut warnings) {
        Ok(a) => a,
        Err(d) => return diag_exit(&d),
    };
    let options = stencil_build::Options {
        regenerate_command: "cargo xtask corpus".into(),
        // The crate has `client` and `server` features, so a crate too large to check whole
        // can be checked a part at a time.
        feature_gates: true,
        ..Default::default()
    };
    let generated = match stencil_build::stages::emit_and_render(&api, &options, "corpus") {
        Ok(g) => g,
        Err(d) => return diag_exit(&d),
    };
    let elapsed = start.elapsed();
    let code = generated.code;
    let written = std::fs::create_dir_all(out.join("src"))
        .and_then(|()| std::fs::write(out.join("src/lib.rs"), &code))
        .and_then(|()| match &generated.document {
            Some(document) => std::fs::write(out.join("src").join(&document.name), &document.text),
            None => Ok(()),
        });
    if let Err(e) = written {
        println!("DIAG\tcannot write {}: {e}", out.display());
        return ExitCode::FAILURE;
    }
    for w in &warnings {
        eprintln!("{w}");
    }
    println!(
        "STATS\t{}\t{}\t{}\t{}\t{}",
        api.operations.len(),
        api.types().len(),
        elapsed.as_millis(),
        code.lines().count(),
        warnings.len()
    );
    ExitCode::SUCCESS
}

fn diag_exit(d: &stencil_build::Diagnostics) -> ExitCode {
    let first = d
        .errors()
        .next()
        .or(d.0.first())
        .map(|d| d.to_string())
        .unwrap_or_else(|| "unknown error".into());
    println!("DIAG\t{}", one_line(&first));
    for e in &d.0 {
        eprintln!("{e}");
    }
    ExitCode::FAILURE
}

pub(crate) fn sweep(args: &Args) -> ExitCode {
    let root = crate_root();
    let scratch = match &args.scratch {
        Some(dir) => std::env::current_dir()
            .map(|cwd| cwd.join(dir))
            .unwrap_or_else(|_| dir.clone()),
        None => root.join("target/corpus"),
    };
    let ws = scratch.join("ws");
    let _ = std::fs::remove_dir_all(&ws);
    if let Err(e) = std::fs::create_dir_all(&ws) {
        eprintln!("error: cannot create {}: {e}", ws.display());
        return ExitCode::FAILURE;
    }
    let docs = match documents(args) {
        Ok(docs) => docs,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    let exe = match std::env::current_exe() {
        Ok(e) => e,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };

    // 1. Generate, `jobs` documents at a time.
    let rows: Vec<Mutex<Row>> = docs
        .iter()
        .map(|(folder, d)| {
            let doc = d.file_name().unwrap().to_string_lossy().into_owned();
            let package = match folder {
                // The extension too: `x.json` and `x.yaml` of one folder are two crates.
                Some(f) => package_name(&format!("{f}-{}.x", doc.replace('.', "-"))),
                None => package_name(&doc),
            };
            let text_head = read_head(d);
            let doc = match folder {
                Some(f) => format!("{f}/{doc}"),
                None => doc,
            };
            Mutex::new(Row {
                folder: folder.clone(),
                may_reject: args.may_reject.contains(&doc),
                version: openapi_version(&text_head),
                bytes: std::fs::metadata(d).map(|m| m.len()).unwrap_or(0),
                doc,
                package,
                generate: Err("not run".into()),
                ops: None,
                types: None,
                lines: 0,
                warnings: 0,
                compile: Compile::NotRun,
                gen_time: Duration::ZERO,
            })
        })
        .collect();
    let next = AtomicUsize::new(0);
    std::thread::scope(|s| {
        for _ in 0..args.jobs {
            s.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::SeqCst);
                if i >= docs.len() {
                    break;
                }
                let package = rows[i].lock().unwrap().package.clone();
                let out = ws.join(&package);
                let result = generate_child(&exe, &docs[i].1, &out, args.timeout);
                let mut row = rows[i].lock().unwrap();
                match result {
                    Ok((ops, types, ms, lines, warnings)) => {
                        row.ops = Some(ops);
                        row.types = Some(types);
                        row.gen_time = Duration::from_millis(ms);
                        row.lines = lines;
                        row.warnings = warnings;
                        row.generate = Ok(());
                    }
                    Err((message, elapsed)) => {
                        row.gen_time = elapsed;
                        row.generate = Err(message);
                    }
                }
                eprintln!(
                    "generated {:<45} {}",
                    row.doc,
                    match &row.generate {
                        Ok(()) => format!("ok ({} lines, {:.1?})", row.lines, row.gen_time),
                        Err(e) => format!("FAILED: {}", truncate(e, 100)),
                    }
                );
            });
        }
    });
    let mut rows: Vec<Row> = rows.into_iter().map(|m| m.into_inner().unwrap()).collect();

    // 2. Check every generated crate that is not enormous, in one cargo invocation.
    let mut members = Vec::new();
    let mut large = Vec::new();
    for row in &mut rows {
        if row.generate.is_err() {
            continue;
        }
        if !args.check {
            row.compile = Compile::Skipped("--no-check".into());
        } else if row.lines > args.max_lines && args.skip_large {
            row.compile = Compile::Skipped(format!("{} lines > --max-lines", row.lines));
        } else if row.lines > args.max_lines {
            large.push(row.package.clone());
        } else {
            members.push(row.package.clone());
        }
    }
    if !members.is_empty() || !large.is_empty() {
        let errors = match check_workspace(&root, &ws, &scratch, &members, &large, args.jobs) {
            Ok(e) => e,
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::FAILURE;
            }
        };
        for row in &mut rows {
            if members.contains(&row.package) {
                row.compile = match errors.iter().find(|(p, _)| *p == row.package) {
                    Some((_, e)) => Compile::Failed(e.clone()),
                    None => Compile::Ok,
                };
            }
        }
        for row in &mut rows {
            if large.contains(&row.package) {
                row.compile = check_apart(&ws, &scratch, &row.package);
            }
        }
    }

    // 3. The table.
    print!("{}", table(&rows));
    let passed = rows.iter().filter(|r| report::passed(r)).count();
    let skipped = rows
        .iter()
        .filter(|r| r.generate.is_ok() && matches!(r.compile, Compile::Skipped(_)))
        .count();
    let failed = rows.len() - passed - skipped;
    print!("{}", summary(&rows));
    if args.dirs.len() > 1 {
        print!("{}", report::per_folder(&rows));
    }
    let expected = rows
        .iter()
        .filter(|r| r.may_reject && r.generate.is_err() && report::passed(r))
        .count();
    if expected > 0 {
        println!("({expected} expected rejections with a diagnostic count as passed)");
    }
    if skipped > 0 {
        println!("{passed} passed, {failed} failed, {skipped} generated but not checked");
    } else {
        println!("{passed} passed, {failed} failed");
    }
    if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// The documents to sweep, each with its folder's name when there are several folders.
type Documents = Vec<(Option<String>, PathBuf)>;

fn documents(args: &Args) -> Result<Documents, String> {
    let mut all = Vec::new();
    for dir in &args.dirs {
        let folder = (args.dirs.len() > 1)
            .then(|| dir.file_name().map(|n| n.to_string_lossy().into_owned()))
            .flatten();
        let mut docs: Vec<PathBuf> = std::fs::read_dir(dir)
            .map_err(|e| format!("cannot read {}: {e}", dir.display()))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| {
                p.is_file()
                    && matches!(
                        p.extension().and_then(|e| e.to_str()),
                        Some("json" | "yaml" | "yml")
                    )
            })
            .filter(|p| {
                args.only.is_empty()
                    || args.only.iter().any(|o| {
                        p.file_name()
                            .and_then(|n| n.to_str())
                            .is_some_and(|n| n.contains(o.as_str()))
                    })
            })
            .collect();
        docs.sort();
        if docs.is_empty() {
            return Err(format!(
                "no *.json/*.yaml/*.yml documents in {}",
                dir.display()
            ));
        }
        all.extend(docs.into_iter().map(|d| (folder.clone(), d)));
    }
    Ok(all)
}

fn package_name(doc: &str) -> String {
    let stem = doc.rsplit_once('.').map_or(doc, |(s, _)| s);
    let mut name = String::from("corpus-");
    for c in stem.chars() {
        name.push(if c.is_ascii_alphanumeric() {
            c.to_ascii_lowercase()
        } else {
            '-'
        });
    }
    name
}

fn read_head(path: &Path) -> String {
    use std::io::Read;
    let mut buf = vec![0; 64 * 1024];
    let n = std::fs::File::open(path)
        .and_then(|mut f| f.read(&mut buf))
        .unwrap_or(0);
    String::from_utf8_lossy(&buf[..n]).into_owned()
}

/// The `openapi` version string, found textually (so failures show it too).
fn openapi_version(head: &str) -> String {
    for key in [
        "\"openapi\"",
        "openapi:",
        "'openapi'",
        "\"swagger\"",
        "swagger:",
    ] {
        if let Some(i) = head.find(key) {
            let rest = &head[i + key.len()..];
            let rest = rest.trim_start_matches([' ', ':', '\t']);
            let v: String = rest
                .trim_start_matches(['"', '\''])
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '.' || *c == '-')
                .collect();
            if !v.is_empty() {
                return v;
            }
        }
    }
    "?".into()
}

type GenStats = (usize, usize, u64, usize, usize);

fn generate_child(
    exe: &Path,
    spec: &Path,
    out: &Path,
    timeout: Duration,
) -> Result<GenStats, (String, Duration)> {
    let start = Instant::now();
    let _ = std::fs::create_dir_all(out);
    let log = |name: &str| std::fs::File::create(out.join(name)).map(Stdio::from);
    let (stdout, stderr) = match (log("generate.stdout"), log("generate.stderr")) {
        (Ok(o), Ok(e)) => (o, e),
        _ => {
            return Err((
                format!("cannot create logs in {}", out.display()),
                start.elapsed(),
            ))
        }
    };
    let mut child = match Command::new(exe)
        .args(["corpus", "--one"])
        .arg(spec)
        .arg(out)
        .stdout(stdout)
        .stderr(stderr)
        .spawn()
    {
        Ok(c) => c,
        Err(e) => return Err((format!("cannot spawn generator: {e}"), start.elapsed())),
    };
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if start.elapsed() > timeout => {
                let _ = child.kill();
                let _ = child.wait();
                return Err((format!("timeout after {timeout:?}"), start.elapsed()));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(20)),
            Err(e) => return Err((format!("wait: {e}"), start.elapsed())),
        }
    };
    let elapsed = start.elapsed();
    let stdout = std::fs::read_to_string(out.join("generate.stdout")).unwrap_or_default();
    let stderr = std::fs::read_to_string(out.join("generate.stderr")).unwrap_or_default();
    if let Some(stats) = stdout.lines().find_map(|l| l.strip_prefix("STATS\t")) {
        let f: Vec<&str> = stats.split('\t').collect();
        let n = |i: usize| f.get(i).and_then(|s| s.parse::<u64>().ok()).unwrap_or(0);
        if status.success() {
            return Ok((
                n(0) as usize,
                n(1) as usize,
                n(2),
                n(3) as usize,
                n(4) as usize,
            ));
        }
    }
    if let Some(diag) = stdout.lines().find_map(|l| l.strip_prefix("DIAG\t")) {
        return Err((format!("diagnostic: {diag}"), elapsed));
    }
    // No diagnostic: a crash. Name it.
    let panic = stderr
        .lines()
        .find(|l| l.contains("panicked at") || l.contains("overflow"))
        .map(|l| l.to_owned());
    let what = match (status.code(), panic) {
        (_, Some(p)) => format!("CRASH: {}", one_line(&p)),
        (Some(c), None) => format!("CRASH: exit code {c}"),
        (None, None) => {
            #[cfg(unix)]
            {
                use std::os::unix::process::ExitStatusExt;
                format!("CRASH: signal {:?}", status.signal())
            }
            #[cfg(not(unix))]
            {
                "CRASH: killed".to_owned()
            }
        }
    };
    Err((what, elapsed))
}
