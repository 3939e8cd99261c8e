//! The compile step of `cargo xtask corpus`: one `cargo check` over the scratch workspace,
//! crates too large for it checked apart, and the first error of each crate.

use std::fmt::Write as _;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;

use super::report::{one_line, Compile};

/// One `cargo check --workspace --keep-going` over `members` (the `large` crates are members
/// of the workspace but left to [`check_apart`]); returns (package, first error) for each
/// package that failed.
pub(super) fn check_workspace(
    root: &Path,
    ws: &Path,
    scratch: &Path,
    members: &[String],
    large: &[String],
    jobs: usize,
) -> Result<Vec<(String, String)>, String> {
    let stencil = root.join("crates/stencil");
    let mut manifest = String::from(
        "# Written by `cargo xtask corpus`; scratch, rewritten on every run.\n[workspace]\nresolver = \"2\"\nmembers = [\n",
    );
    for m in members.iter().chain(large) {
        let _ = writeln!(manifest, "    \"{m}\",");
        let cargo_toml = format!(
            "[package]\nname = \"{m}\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n[lib]\npath = \"src/lib.rs\"\ndoctest = false\n\n[lints.rust]\nwarnings = \"allow\"\n\n[features]\ndefault = [\"client\", \"server\"]\nclient = [\"stencil/client\"]\nserver = [\"stencil/server\"]\n\n[dependencies]\nstencil = {{ path = \"{}\" }}\n",
            stencil.display()
        );
        std::fs::write(ws.join(m).join("Cargo.toml"), cargo_toml).map_err(|e| e.to_string())?;
    }
    manifest.push_str("]\n");
    std::fs::write(ws.join("Cargo.toml"), manifest).map_err(|e| e.to_string())?;
    // The project's lock file: the same dependency versions, no resolution over the network.
    let _ = std::fs::copy(root.join("Cargo.lock"), ws.join("Cargo.lock"));
    if members.is_empty() {
        return Ok(Vec::new());
    }
    eprintln!(
        "checking {} crates (cargo check --jobs {jobs})",
        members.len()
    );
    let start = Instant::now();
    let mut command = cargo_check(ws, scratch);
    command.args(["--workspace", "--keep-going"]);
    for m in large {
        command.args(["--exclude", m]);
    }
    let output = command
        .args(["--jobs", &jobs.to_string()])
        .output()
        .map_err(|e| format!("cannot run cargo check: {e}"))?;
    eprintln!("cargo check finished in {:.0?}", start.elapsed());
    let errors = first_errors(&output.stdout, members);
    // A crate cargo could not even start (manifest errors etc.) shows on stderr, not as JSON.
    if !output.status.success() && errors.is_empty() {
        return Err("cargo check failed without compiler errors (see above)".into());
    }
    Ok(errors)
}

/// Check a crate too large for one `cargo check` as two: its client, then its server (each
/// with the types), alone.
pub(super) fn check_apart(ws: &Path, scratch: &Path, package: &str) -> Compile {
    for feature in ["client", "server"] {
        eprintln!("checking {package} with only its {feature} (too large to check whole)");
        let start = Instant::now();
        let output = cargo_check(ws, scratch)
            .args([
                "-p",
                package,
                "--no-default-features",
                "--features",
                feature,
            ])
            .output();
        eprintln!("cargo check finished in {:.0?}", start.elapsed());
        let output = match output {
            Ok(o) => o,
            Err(e) => return Compile::Failed(format!("cannot run cargo check: {e}")),
        };
        let members = [package.to_owned()];
        if let Some((_, e)) = first_errors(&output.stdout, &members).into_iter().next() {
            return Compile::Failed(format!("{feature}: {e}"));
        }
        if !output.status.success() {
            return Compile::Failed(format!(
                "{feature}: cargo check failed ({}) without compiler errors; out of memory?",
                output.status
            ));
        }
    }
    Compile::OkApart
}

pub(super) fn cargo_check(ws: &Path, scratch: &Path) -> Command {
    let mut command = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    command
        .current_dir(ws)
        .args(["check", "--message-format=json"])
        .env("CARGO_TARGET_DIR", scratch.join("target"))
        .stderr(Stdio::inherit());
    command
}

/// The first compiler error of each package in cargo's JSON messages.
pub(super) fn first_errors(stdout: &[u8], members: &[String]) -> Vec<(String, String)> {
    let stdout = String::from_utf8_lossy(stdout);
    let mut errors: Vec<(String, String)> = Vec::new();
    for line in stdout.lines() {
        let Ok(msg) = serde_json::from_str::<serde_json::Value>(line) else {
            continue;
        };
        if msg["reason"] != "compiler-message" || msg["message"]["level"] != "error" {
            continue;
        }
        let Some(package) = package_of(&msg, members) else {
            continue;
        };
        if errors.iter().any(|(p, _)| *p == package) {
            continue;
        }
        let m = &msg["message"];
        let mut text = m["message"].as_str().unwrap_or("?").to_owned();
        if let Some(span) = m["spans"]
            .as_array()
            .and_then(|s| s.iter().find(|s| s["is_primary"] == true))
        {
            let _ = write!(
                text,
                " at lib.rs:{}:{}",
                span["line_start"], span["column_start"]
            );
        }
        errors.push((package, one_line(&text)));
    }
    errors
}

pub(super) fn package_of(msg: &serde_json::Value, members: &[String]) -> Option<String> {
    let id = msg["package_id"].as_str()?;
    // `path+file:///.../ws/corpus-x#0.0.0` (new) or `corpus-x 0.0.0 (path+file://...)` (old).
    members
        .iter()
        .find(|m| {
            id.starts_with(&format!("{m} "))
                || id.contains(&format!("/{m}#"))
                || id.contains(&format!("#{m}@"))
        })
        .cloned()
}
