//! The side-by-side part of `cargo xtask bench`: the `stencil` CLI and other generators, each
//! run as a separate process on the same document (wall time, CPU time of the process, peak
//! resident memory), best of the runs, with Stencil's ratio to each (below 1: Stencil is
//! faster or smaller). The other generators are openapi-to-rust and oas3-gen at the versions
//! below, when they are installed (the table says how to install them when not), and, with
//! `--baseline BIN`, another `stencil` binary (an earlier build: before/after on the same
//! machine in the same run).
//!
//! The scope is the benchmark's: `--no-server` makes Stencil generate types and client only,
//! which is what both peers generate.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// How to install the peers, at the versions measured.
pub const INSTALL: &str = "cargo install --locked openapi-to-rust@0.23.0 oas3-gen@0.29.0";

/// One process run.
#[derive(Clone, Copy, Debug)]
struct Run {
    wall: Duration,
    cpu: Duration,
    max_rss: usize,
}

/// The command generating a document (first path) into a directory (second path).
type MakeCommand = Box<dyn Fn(&Path, &Path) -> Command>;

/// A peer: its program, the version measured, and its command line.
type Peer = (&'static str, &'static str, fn(&Path, &Path) -> Command);

/// A generator run by command line.
struct Tool {
    name: String,
    command: MakeCommand,
}

/// What the side-by-side table compares Stencil with.
pub struct Peers {
    stencil: Tool,
    others: Vec<Tool>,
    missing: Vec<&'static str>,
}

impl Peers {
    /// Stencil's CLI (`stencil`, next to this xtask binary), with the scope of `client` and
    /// `server`; the peers found on `PATH`; `baseline`, another stencil binary.
    pub fn find(client: bool, server: bool, baseline: Option<&Path>) -> Result<Peers, String> {
        let exe = std::env::current_exe().map_err(|e| e.to_string())?;
        let stencil_bin = exe.with_file_name(format!("stencil{}", std::env::consts::EXE_SUFFIX));
        if !stencil_bin.is_file() {
            return Err(format!(
                "{} not found (build it: cargo build --release -p stencil-cli)",
                stencil_bin.display()
            ));
        }
        let stencil = stencil_tool("stencil", stencil_bin, client, server);
        let mut others = Vec::new();
        if let Some(baseline) = baseline {
            others.push(stencil_tool(
                "stencil (baseline)",
                baseline.to_owned(),
                client,
                server,
            ));
        }
        let mut missing = Vec::new();
        // Both generate types and an HTTP client; oas3-gen's `client-mod` writes a module
        // directory, as Stencil writes a crate.
        let peers: [Peer; 2] = [
            ("openapi-to-rust", "openapi-to-rust 0.23.0", |doc, out| {
                let mut command = Command::new("openapi-to-rust");
                command
                    .arg("generate")
                    .arg(doc)
                    .arg("--output-dir")
                    .arg(out);
                command.arg("--quiet");
                command
            }),
            ("oas3-gen", "oas3-gen 0.29.0", |doc, out| {
                let mut command = Command::new("oas3-gen");
                command
                    .args(["generate", "client-mod", "--quiet", "-i"])
                    .arg(doc);
                command.arg("-o").arg(out);
                command
            }),
        ];
        for (program, wanted, command) in peers {
            match version(program) {
                Some(name) => others.push(Tool {
                    name,
                    command: Box::new(command),
                }),
                None => missing.push(wanted),
            }
        }
        Ok(Peers {
            stencil,
            others,
            missing,
        })
    }

    /// Print the side-by-side rows of `doc` (best of `runs` by wall time), outputs under `out`.
    pub fn compare(&self, doc: &Path, name: &str, runs: usize, out: &Path) {
        let best = |tool: &Tool| -> Result<Run, String> {
            let dir = out.join(format!("{}-{}", name, slug(&tool.name)));
            let mut best: Option<Run> = None;
            for _ in 0..runs {
                let _ = std::fs::remove_dir_all(&dir);
                let run = measure((tool.command)(doc, &dir))?;
                if best.is_none_or(|b| run.wall < b.wall) {
                    best = Some(run);
                }
            }
            let _ = std::fs::remove_dir_all(&dir);
            best.ok_or_else(|| "no run".to_owned())
        };
        let stencil = best(&self.stencil);
        let row = |tool: &str, run: &Result<Run, String>, ratio: Option<&Run>| match run {
            Ok(run) => {
                let mut line = format!(
                    "  {:<38} {:>8.3} {:>8.3} {:>8.1}",
                    tool,
                    run.wall.as_secs_f64(),
                    run.cpu.as_secs_f64(),
                    run.max_rss as f64 / (1024.0 * 1024.0)
                );
                if let (Some(peer), Ok(ours)) = (ratio, &stencil) {
                    line.push_str(&format!(
                        " | {:>5.2} {:>5.2} {:>5.2}  ({:.1}x faster)",
                        ours.wall.as_secs_f64() / peer.wall.as_secs_f64(),
                        ours.cpu.as_secs_f64() / peer.cpu.as_secs_f64(),
                        ours.max_rss as f64 / peer.max_rss as f64,
                        peer.wall.as_secs_f64() / ours.wall.as_secs_f64(),
                    ));
                }
                println!("{line}");
            }
            Err(e) => println!("  {tool:<38} failed: {e}"),
        };
        println!(
            "{name}: {:<32} {:>8} {:>8} {:>8} | stencil / tool: wall, cpu, memory",
            "", "wall s", "cpu s", "MiB"
        );
        row(&self.stencil.name, &stencil, None);
        for tool in &self.others {
            let run = best(tool);
            row(&tool.name, &run, run.as_ref().ok());
        }
    }

    /// The peers that are not installed, and how to install them.
    pub fn missing_note(&self) -> Option<String> {
        (!self.missing.is_empty()).then(|| {
            format!(
                "not installed: {} (install: {INSTALL})",
                self.missing.join(", ")
            )
        })
    }
}

fn stencil_tool(name: &str, bin: PathBuf, client: bool, server: bool) -> Tool {
    Tool {
        name: name.to_owned(),
        command: Box::new(move |doc: &Path, out: &Path| {
            let mut command = Command::new(&bin);
            command.arg("generate").arg(doc).arg("--out").arg(out);
            if !client {
                command.arg("--no-client");
            }
            if !server {
                command.arg("--no-server");
            }
            command
        }),
    }
}

/// `program --version`'s first line, when the program runs.
fn version(program: &str) -> Option<String> {
    let output = Command::new(program)
        .arg("--version")
        .stdin(Stdio::null())
        .output()
        .ok()?;
    let text = String::from_utf8_lossy(&output.stdout);
    let line = text.lines().next()?.trim();
    (output.status.success() && !line.is_empty()).then(|| line.to_owned())
}

fn slug(name: &str) -> String {
    name.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect()
}

/// Run `command` to completion (output discarded): wall time, and the CPU time and peak
/// resident memory of the process, from GNU time (`/usr/bin/time`) when it is installed: the
/// kernel's peak RSS of a process spawned by this one starts at this process's size (Linux
/// keeps the high-water mark of the address space replaced by `exec`), while `time` is small.
/// Without it, CPU time and peak memory are left at zero.
fn measure(command: Command) -> Result<Run, String> {
    let time = Path::new("/usr/bin/time");
    let report = std::env::temp_dir().join(format!("stencil-bench-time-{}", std::process::id()));
    let mut run = if time.is_file() {
        let mut wrapped = Command::new(time);
        wrapped.args(["-f", "%U %S %M", "-o"]).arg(&report);
        wrapped.arg(command.get_program()).args(command.get_args());
        wrapped
    } else {
        command
    };
    let start = Instant::now();
    let output = run
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .output()
        .map_err(|e| format!("cannot run {run:?}: {e}"))?;
    let wall = start.elapsed();
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let tail: Vec<&str> = stderr.lines().rev().take(3).collect();
        return Err(format!("{}: {}", output.status, tail.join(" / ")));
    }
    let mut figures = Run {
        wall,
        cpu: Duration::ZERO,
        max_rss: 0,
    };
    if let Ok(text) = std::fs::read_to_string(&report) {
        let fields: Vec<f64> = text
            .split_whitespace()
            .filter_map(|f| f.parse().ok())
            .collect();
        if let [user, system, kilobytes] = fields[..] {
            figures.cpu = Duration::from_secs_f64(user + system);
            figures.max_rss = (kilobytes * 1024.0) as usize;
        }
        let _ = std::fs::remove_file(&report);
    }
    Ok(figures)
}
