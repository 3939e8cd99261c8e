//! `cargo xtask bench [OPTIONS] [FILES...]`: how long generation takes and how much memory it
//! uses, per document and per stage (load, IR, emit and format, assemble, write; how much of
//! the emit stage was formatting), plus the size of the generated code.
//!
//! Always measured in a release build: when this xtask binary is a debug build, it re-runs
//! itself through `cargo run --release`. Memory is measured by a counting global allocator
//! (live heap bytes; the peak of each stage, reset as the stage begins) and, for the whole
//! process, by the kernel's high-water mark of resident memory (`VmHWM`).
//!
//! Prints figures only: nothing here asserts on time.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::sync::atomic::{AtomicIsize, Ordering};
use std::time::{Duration, Instant};

use stencil_build::stages::Stage;
use stencil_build::Options;

pub const USAGE: &str = "\
Usage: cargo xtask bench [--runs N] [--no-client] [--no-server] [--no-format] [--out DIR]
                         [FILES...]

  FILES        OpenAPI documents (default: every document under specs/, except the must-reject
               fixtures in specs/fixtures/invalid/)
  --runs N     generate each document N times and report the fastest run (default: 1)
  --no-client  do not generate the client
  --no-server  do not generate the server
  --no-format  write the code unformatted (Options::format = false)
  --out DIR    where the generated files are written (default: target/bench)
";

/// Counts live heap bytes and their peak; wraps the system allocator. Installed for the whole
/// xtask binary (its cost does not matter to its other commands).
///
/// Each thread keeps its own running balance and adds it to the shared counters only once it
/// passes [`SLACK`]: two threads allocating millions of times would otherwise fight over one
/// cache line and slow the measured run down (the OpenAI document took 40 % longer when every
/// allocation touched the shared counters). The peak is exact to within `SLACK` per thread.
pub struct Counting;

#[global_allocator]
static ALLOCATOR: Counting = Counting;

static CURRENT: AtomicIsize = AtomicIsize::new(0);
static PEAK: AtomicIsize = AtomicIsize::new(0);

/// Bytes a thread may allocate (or free) before it reports them.
const SLACK: isize = 256 << 10;

thread_local! {
    /// This thread's bytes not yet reported. Const-initialised, no destructor: using it never
    /// allocates.
    static UNREPORTED: Cell<isize> = const { Cell::new(0) };
}

fn change(bytes: isize) {
    let pending = UNREPORTED.try_with(|cell| {
        let pending = cell.get() + bytes;
        if pending.abs() < SLACK {
            cell.set(pending);
            0
        } else {
            cell.set(0);
            pending
        }
    });
    // A thread being torn down reports at once.
    let pending = pending.unwrap_or(bytes);
    if pending != 0 {
        let now = CURRENT.fetch_add(pending, Ordering::Relaxed) + pending;
        PEAK.fetch_max(now, Ordering::Relaxed);
    }
}

fn grow(bytes: usize) {
    change(isize::try_from(bytes).unwrap_or(isize::MAX));
}

fn shrink(bytes: usize) {
    change(-isize::try_from(bytes).unwrap_or(isize::MAX));
}

// SAFETY: every call is forwarded to `System` unchanged; only counters are updated.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let ptr = unsafe { System.alloc(layout) };
        if !ptr.is_null() {
            grow(layout.size());
        }
        ptr
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let ptr = unsafe { System.alloc_zeroed(layout) };
        if !ptr.is_null() {
            grow(layout.size());
        }
        ptr
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        shrink(layout.size());
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let new = unsafe { System.realloc(ptr, layout, new_size) };
        if !new.is_null() {
            shrink(layout.size());
            grow(new_size);
        }
        new
    }
}

/// Restart the peak from the live heap bytes now (returned).
fn reset_peak() -> usize {
    let now = CURRENT.load(Ordering::Relaxed);
    PEAK.store(now, Ordering::Relaxed);
    usize::try_from(now).unwrap_or(0)
}

fn peak() -> usize {
    usize::try_from(PEAK.load(Ordering::Relaxed)).unwrap_or(0)
}

/// The process's resident-memory high-water mark, in bytes (Linux; `None` elsewhere).
fn max_rss() -> Option<usize> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: usize = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

/// load, ir, emit (emit and format, interleaved), assemble (as [`Stage::ALL`]), then write.
const STAGES: usize = 5;

#[derive(Clone, Copy, Default)]
struct Figures {
    time: [Duration; STAGES],
    /// Peak live heap during each stage.
    peak: [usize; STAGES],
    /// Time spent formatting (syn and prettyplease), summed over the worker threads: the part
    /// of `emit` that is formatting, in CPU time.
    format: Duration,
    lines: usize,
    bytes: usize,
}

impl Figures {
    fn total(&self) -> Duration {
        self.time.iter().sum()
    }
}

struct Args {
    runs: usize,
    options: Options,
    out: PathBuf,
    files: Vec<PathBuf>,
}

fn parse(args: &[&str], root: &Path) -> Result<Args, String> {
    let mut parsed = Args {
        runs: 1,
        options: Options {
            regenerate_command: "cargo xtask bench".to_owned(),
            ..Options::default()
        },
        out: root.join("target").join("bench"),
        files: Vec::new(),
    };
    let mut args = args.iter();
    while let Some(&arg) = args.next() {
        match arg {
            "--runs" => {
                parsed.runs = args
                    .next()
                    .and_then(|n| n.parse().ok())
                    .filter(|&n| n > 0)
                    .ok_or("--runs needs a positive number")?;
            }
            "--no-client" => parsed.options.client = false,
            "--no-server" => parsed.options.server = false,
            "--no-format" => parsed.options.format = false,
            "--out" => parsed.out = PathBuf::from(args.next().ok_or("--out needs a directory")?),
            flag if flag.starts_with('-') => return Err(format!("unknown option {flag}")),
            file => parsed.files.push(PathBuf::from(file)),
        }
    }
    if parsed.files.is_empty() {
        let mut files = Vec::new();
        collect_specs(&root.join("specs"), &mut files);
        files.sort();
        parsed.files = files;
    }
    Ok(parsed)
}

/// Every `.yaml`/`.yml`/`.json` under `dir`, except the must-reject fixtures.
fn collect_specs(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            if path.file_name().is_some_and(|n| n != "invalid") {
                collect_specs(&path, out);
            }
        } else if path
            .extension()
            .is_some_and(|e| e == "yaml" || e == "yml" || e == "json")
            && is_root_document(&path)
        {
            out.push(path);
        }
    }
}

/// Whether a file is an OpenAPI document rather than a part of one that others `$ref`: it has
/// a top-level `openapi` field (a YAML line starting `openapi:`, or a JSON `"openapi"` key).
fn is_root_document(path: &Path) -> bool {
    std::fs::read_to_string(path).is_ok_and(|text| {
        text.lines()
            .any(|l| l.starts_with("openapi:") || l.starts_with("\"openapi\":"))
            || (text.trim_start().starts_with('{') && text.contains("\"openapi\""))
    })
}

/// One generation of `spec`, measured, its output written under `out`.
fn run_once(spec: &Path, options: &Options, out: &Path) -> Result<Figures, String> {
    let mut figures = Figures::default();
    let mut start = Instant::now();
    let format_before = stencil_build::stages::format_time();
    let generated =
        stencil_build::stages::generate_observed(spec, options, &mut |stage, begins| {
            let i = Stage::ALL.iter().position(|s| *s == stage).unwrap_or(0);
            if begins {
                reset_peak();
                start = Instant::now();
            } else {
                figures.time[i] = start.elapsed();
                figures.peak[i] = peak();
            }
        })
        .map_err(|diagnostics| {
            let first = diagnostics.0.first().map(ToString::to_string);
            format!(
                "{} diagnostics; first: {}",
                diagnostics.0.len(),
                first.unwrap_or_default()
            )
        })?;
    figures.format = stencil_build::stages::format_time().saturating_sub(format_before);
    reset_peak();
    let start = Instant::now();
    let name = spec
        .file_stem()
        .map_or_else(|| "out".to_owned(), |s| s.to_string_lossy().into_owned());
    let target = out.join(format!("{name}.rs"));
    std::fs::write(&target, &generated.code)
        .map_err(|e| format!("cannot write {}: {e}", target.display()))?;
    figures.time[4] = start.elapsed();
    figures.peak[4] = peak();
    figures.lines = generated.code.lines().count();
    figures.bytes = generated.code.len();
    Ok(figures)
}

fn secs(d: Duration) -> String {
    format!("{:.3}", d.as_secs_f64())
}

fn mib(bytes: usize) -> String {
    format!("{:.1}", bytes as f64 / (1024.0 * 1024.0))
}

/// `cargo xtask bench ...`.
pub fn main(args: &[&str]) -> ExitCode {
    if args.iter().any(|a| matches!(*a, "--help" | "-h")) {
        print!("{USAGE}");
        return ExitCode::SUCCESS;
    }
    if cfg!(debug_assertions) {
        // Timing a debug build says nothing: run the same command from a release build.
        eprintln!("bench: building and running xtask in release mode");
        let status = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()))
            .args([
                "run",
                "--quiet",
                "--release",
                "--package",
                "xtask",
                "--",
                "bench",
            ])
            .args(args)
            .status();
        return match status {
            Ok(s) if s.success() => ExitCode::SUCCESS,
            Ok(_) => ExitCode::FAILURE,
            Err(e) => {
                eprintln!("error: cannot run cargo: {e}");
                ExitCode::FAILURE
            }
        };
    }
    let root = xtask::project_root();
    let args = match parse(args, &root) {
        Ok(args) => args,
        Err(e) => {
            eprintln!("error: {e}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    if let Err(e) = std::fs::create_dir_all(&args.out) {
        eprintln!("error: cannot create {}: {e}", args.out.display());
        return ExitCode::FAILURE;
    }
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    println!(
        "stencil generation benchmark: {cores} cores, client {}, server {}, format {}, best of {} \
         run(s)",
        args.options.client, args.options.server, args.options.format, args.runs
    );
    println!(
        "times in seconds (wall; `fmt cpu`: the formatting inside `emit`, CPU time summed over \
         threads); memory in MiB (peak live heap during the stage)"
    );
    println!(
        "{:<40} {:>7} | {:>6} {:>6} {:>6} {:>7} {:>8} {:>6} {:>7} | {:>7} {:>7} {:>7} {:>8} {:>7} | {:>9} {:>8}",
        "document", "MiB in", "load", "ir", "emit", "fmt cpu", "assemble", "write", "total",
        "load", "ir", "emit", "assemble", "write", "lines", "MiB out"
    );
    let mut failed = false;
    for file in &args.files {
        let size = std::fs::metadata(file).map_or(0, |m| m.len() as usize);
        let mut best: Option<Figures> = None;
        for _ in 0..args.runs {
            match run_once(file, &args.options, &args.out) {
                Ok(figures) => {
                    if best.is_none_or(|b| figures.total() < b.total()) {
                        best = Some(figures);
                    }
                }
                Err(e) => {
                    println!("{:<40} failed: {e}", file.display());
                    failed = true;
                    break;
                }
            }
        }
        let Some(f) = best else { continue };
        let name = file
            .strip_prefix(&root)
            .unwrap_or(file)
            .display()
            .to_string();
        let name = if name.len() > 40 {
            format!("...{}", &name[name.len() - 37..])
        } else {
            name
        };
        println!(
            "{:<40} {:>7} | {:>6} {:>6} {:>6} {:>7} {:>8} {:>6} {:>7} | {:>7} {:>7} {:>7} {:>8} {:>7} | {:>9} {:>8}",
            name,
            mib(size),
            secs(f.time[0]),
            secs(f.time[1]),
            secs(f.time[2]),
            secs(f.format),
            secs(f.time[3]),
            secs(f.time[4]),
            secs(f.total()),
            mib(f.peak[0]),
            mib(f.peak[1]),
            mib(f.peak[2]),
            mib(f.peak[3]),
            mib(f.peak[4]),
            f.lines,
            mib(f.bytes),
        );
    }
    if let Some(rss) = max_rss() {
        println!("process peak resident memory (VmHWM): {} MiB", mib(rss));
    }
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
