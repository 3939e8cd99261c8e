//! `cargo xtask test`: every test, as the README promises and CI runs it.
//!
//! 1. `cargo test --workspace --all-features`, output streamed as it comes (stdout is passed
//!    through and read on the way to add up libtest's `test result:` lines; stderr is
//!    inherited). `--all-features` so that the generated crates' `client` and `server` modules,
//!    which sit behind those features, are compiled and doc-tested too. Cargo's default
//!    fail-fast applies: the first failing test binary stops the run.
//! 2. The conformance compile check, `cargo xtask conformance` (the OpenAPI Initiative's valid
//!    test documents generated into one scratch workspace and checked by one `cargo check`,
//!    about a minute from cold), then the script tests of [`SCRIPTS`], each only when step 1
//!    passed: the contract test,
//!    `tests/contract/run.sh` (schemathesis against the generated PathStack server), and the
//!    FastAPI differential test, `tests/fastapi-diff/run.sh` (the same invalid requests to a
//!    FastAPI app and to its generated server), the FastAPI streaming test,
//!    `tests/fastapi-stream/run.sh` (the generated client reads a FastAPI app's server-sent
//!    events and NDJSON), and the FastAPI webhooks test, `tests/fastapi-webhooks/run.sh` (a
//!    FastAPI app's webhooks sent by the generated sender to the app and to the generated
//!    receiver).
//! 3. A summary whose last line is a plain `N passed, M failed` count.
//!
//! The exit status is non-zero when anything failed.

use std::fmt;
use std::io::{self, Read, Write};
use std::path::Path;
use std::process::{Command, Stdio};

/// The contract test script, relative to the repository root.
pub const CONTRACT_SCRIPT: &str = "tests/contract/run.sh";

/// The tests run as scripts after `cargo test`: (name, script relative to the repository root).
pub const SCRIPTS: &[(&str, &str)] = &[
    ("contract test", CONTRACT_SCRIPT),
    ("FastAPI differential test", "tests/fastapi-diff/run.sh"),
    ("FastAPI streaming test", "tests/fastapi-stream/run.sh"),
    ("FastAPI webhooks test", "tests/fastapi-webhooks/run.sh"),
];

/// The `cargo test` arguments.
pub const CARGO_TEST_ARGS: &[&str] = &["test", "--workspace", "--all-features"];

/// The counts of libtest's `test result:` lines, added up.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub passed: u64,
    pub failed: u64,
    pub ignored: u64,
    /// How many `test result:` lines (test binaries and doc-test runs) were seen.
    pub runs: u64,
}

impl Counts {
    /// Add the counts of one line of `cargo test` output, if it is a libtest summary:
    /// `test result: ok. 3 passed; 1 failed; 2 ignored; 0 measured; 0 filtered out; finished...`
    pub fn add_line(&mut self, line: &str) {
        let Some(rest) = line.trim().strip_prefix("test result: ") else {
            return;
        };
        let Some((_verdict, counts)) = rest.split_once(". ") else {
            return;
        };
        let mut found = Counts::default();
        let mut any = false;
        for part in counts.split(';') {
            let mut words = part.split_whitespace();
            let (Some(n), Some(what)) = (words.next(), words.next()) else {
                continue;
            };
            let Ok(n) = n.parse::<u64>() else {
                continue;
            };
            match what {
                "passed" => found.passed = n,
                "failed" => found.failed = n,
                "ignored" => found.ignored = n,
                _ => continue,
            }
            any = true;
        }
        if any {
            self.passed += found.passed;
            self.failed += found.failed;
            self.ignored += found.ignored;
            self.runs += 1;
        }
    }
}

impl fmt::Display for Counts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} passed, {} failed, {} ignored ({} test binaries and doc-test runs)",
            self.passed, self.failed, self.ignored, self.runs
        )
    }
}

/// How one step ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    Passed,
    /// Failed, with what to say about it (exit status, or why it could not start).
    Failed(String),
    /// Not run, and why.
    Skipped(String),
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Outcome::Passed => f.write_str("passed"),
            Outcome::Failed(why) => write!(f, "FAILED ({why})"),
            Outcome::Skipped(why) => write!(f, "skipped ({why})"),
        }
    }
}

fn section(title: &str) {
    let _ = io::stdout().flush();
    println!("\n======== {title} ========");
    let _ = io::stdout().flush();
}

/// The cargo that runs `cargo xtask` (Cargo sets `CARGO`), or the one on the PATH.
fn cargo() -> Command {
    Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
}

/// Run `command` with stdin and stderr inherited and stdout passed through to ours as it comes,
/// feeding each complete line to `on_line`. Returns the exit status.
fn run_tee(
    mut command: Command,
    mut on_line: impl FnMut(&str),
) -> io::Result<std::process::ExitStatus> {
    let mut child = command.stdout(Stdio::piped()).spawn()?;
    let mut pipe = child.stdout.take().expect("stdout is piped");
    let mut stdout = io::stdout();
    let mut buf = [0u8; 8192];
    let mut line = Vec::new();
    loop {
        let n = match pipe.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(e);
            }
        };
        // A closed stdout (`cargo xtask test | head`) must not stop the tests.
        let _ = stdout.write_all(&buf[..n]).and_then(|()| stdout.flush());
        for &byte in &buf[..n] {
            if byte == b'\n' {
                on_line(&String::from_utf8_lossy(&line));
                line.clear();
            } else {
                line.push(byte);
            }
        }
    }
    if !line.is_empty() {
        on_line(&String::from_utf8_lossy(&line));
    }
    child.wait()
}

fn status_text(status: std::process::ExitStatus) -> String {
    match status.code() {
        Some(code) => format!("exit status {code}"),
        None => format!("{status}"),
    }
}

/// `cargo xtask test`, from the repository root `root`. Returns whether everything passed.
pub fn run(root: &Path) -> bool {
    let command_line = format!("cargo {}", CARGO_TEST_ARGS.join(" "));
    section(&command_line);
    let mut counts = Counts::default();
    let mut cargo_test = cargo();
    cargo_test.args(CARGO_TEST_ARGS).current_dir(root);
    let tests = match run_tee(cargo_test, |line| counts.add_line(line)) {
        Ok(status) if status.success() => Outcome::Passed,
        Ok(status) => Outcome::Failed(status_text(status)),
        Err(e) => Outcome::Failed(format!("could not run cargo: {e}")),
    };

    let mut scripts = Vec::new();
    let conformance = if tests != Outcome::Passed {
        Outcome::Skipped(format!("`{command_line}` failed"))
    } else {
        section("conformance: cargo xtask conformance");
        // Through cargo, not this executable: `cargo test` may just have rebuilt (replaced) it.
        match cargo()
            .args(["run", "--quiet", "--package", "xtask", "--", "conformance"])
            .current_dir(root)
            .status()
        {
            Ok(status) if status.success() => Outcome::Passed,
            Ok(status) => Outcome::Failed(status_text(status)),
            Err(e) => Outcome::Failed(format!("could not run xtask: {e}")),
        }
    };
    scripts.push(("conformance", "cargo xtask conformance", conformance));
    for &(name, script) in SCRIPTS {
        let outcome = if tests != Outcome::Passed {
            Outcome::Skipped(format!("`{command_line}` failed"))
        } else if !root.join(script).is_file() {
            Outcome::Failed(format!("{script} does not exist"))
        } else {
            section(&format!("{name}: {script}"));
            match Command::new("bash").arg(script).current_dir(root).status() {
                Ok(status) if status.success() => Outcome::Passed,
                Ok(status) => Outcome::Failed(status_text(status)),
                Err(e) => Outcome::Failed(format!("could not run bash: {e}")),
            }
        };
        scripts.push((name, script, outcome));
    }

    section("summary");
    println!("{command_line}: {tests}: {counts}");
    for (name, script, outcome) in &scripts {
        println!("{name} ({script}): {outcome}");
    }
    let failed_scripts = scripts
        .iter()
        .filter(|(_, _, o)| matches!(o, Outcome::Failed(_)))
        .count();
    let ok = tests == Outcome::Passed && failed_scripts == 0;
    // The last line is plain `N passed, M failed`: the tests of `cargo test` plus one per
    // script test that ran.
    let passed_scripts = scripts
        .iter()
        .filter(|(_, _, o)| *o == Outcome::Passed)
        .count() as u64;
    println!(
        "{}: {} passed, {} failed",
        if ok { "ok" } else { "FAILED" },
        counts.passed + passed_scripts,
        counts.failed + failed_scripts as u64,
    );
    let _ = io::stdout().flush();
    ok
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn adds_up_libtest_summaries() {
        let mut counts = Counts::default();
        for line in [
            "running 3 tests",
            "test a ... ok",
            "test result: ok. 3 passed; 0 failed; 1 ignored; 0 measured; 0 filtered out; \
             finished in 0.01s",
            "",
            "test result: FAILED. 1 passed; 2 failed; 0 ignored; 0 measured; 0 filtered out; \
             finished in 0.00s",
            "test result: ok. 0 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; \
             finished in 0.00s",
            "    test result: ok. 5 passed; 0 failed; 0 ignored; 0 measured; 2 filtered out",
            "test result: nonsense",
            "test result: ok. lots passed",
        ] {
            counts.add_line(line);
        }
        assert_eq!(
            counts,
            Counts {
                passed: 9,
                failed: 2,
                ignored: 1,
                runs: 4
            }
        );
        assert_eq!(
            counts.to_string(),
            "9 passed, 2 failed, 1 ignored (4 test binaries and doc-test runs)"
        );
    }

    #[test]
    fn tee_passes_output_through_and_sees_every_line() {
        let mut lines = Vec::new();
        let mut command = Command::new("sh");
        command.args(["-c", "printf 'one\\ntwo\\nno newline'; exit 3"]);
        let status = run_tee(command, |line| lines.push(line.to_owned())).unwrap();
        assert_eq!(status.code(), Some(3));
        assert_eq!(lines, ["one", "two", "no newline"]);
    }
}
