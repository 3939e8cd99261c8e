//! `stencil`: generate Rust crates from OpenAPI documents. Run `stencil --help`.

mod args;
mod crate_args;
mod crate_files;
mod crate_name;
mod diff;
mod progress;
mod report;
mod write;

use std::fs;
use std::io::{self, Write as _};
use std::path::Path;
use std::process::ExitCode;

use clap::{CommandFactory as _, Parser as _};

use args::{Cli, Command, MessageFormat};
use crate_args::CrateArgs;
use crate_files::{CrateFiles, Generator};

/// Exit status for invalid input, failed writes and stale output. (Usage errors exit with 2,
/// clap's status for them.)
const FAILURE: u8 = 1;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let generator: Generator<'_> = if progress::enabled() {
        &progress::generate
    } else {
        &stencil_build::generate
    };
    let format = cli.message_format;
    let code = match cli.command {
        Command::Generate(g) => generate(&g.options.crate_args(g.spec, g.out), generator, format),
        Command::Check(c) => check(&c.options.crate_args(c.spec, c.against), generator, format),
        Command::Lint { spec } => lint(&spec, generator, format),
        Command::Completions { shell } => {
            clap_complete::generate(shell, &mut Cli::command(), "stencil", &mut io::stdout());
            0
        }
    };
    let _ = io::stdout().flush();
    ExitCode::from(code)
}

/// Print diagnostics to stderr (colour only on a terminal, without `NO_COLOR`).
fn eprint_diagnostics(
    diagnostics: &[stencil_build::Diagnostic],
    format: MessageFormat,
    summary: bool,
) {
    if diagnostics.is_empty() && !summary {
        return;
    }
    let text = report::render(diagnostics, format, summary);
    let _ = anstream::stderr().write_all(text.as_bytes());
}

/// The spec must be a readable file; say so plainly before the pipeline does.
fn check_spec(spec: &Path) -> Result<(), u8> {
    let problem = match fs::metadata(spec) {
        Ok(meta) if meta.is_dir() => "it is a directory".to_owned(),
        Ok(_) => return Ok(()),
        Err(e) if e.kind() == io::ErrorKind::NotFound => "no such file".to_owned(),
        Err(e) => e.to_string(),
    };
    eprintln!("error: cannot read {}: {problem}", spec.display());
    Err(FAILURE)
}

fn cwd() -> Result<std::path::PathBuf, u8> {
    std::env::current_dir().map_err(|e| {
        eprintln!("error: cannot read the current directory: {e}");
        FAILURE
    })
}

/// Generate in memory, printing diagnostics (errors and warnings) to stderr.
fn generate_files(
    args: &CrateArgs,
    generator: Generator<'_>,
    format: MessageFormat,
) -> Result<CrateFiles, u8> {
    check_spec(&args.spec)?;
    let cwd = cwd()?;
    match crate_files::generate(
        args,
        &cwd,
        crate_files::local_runtime().as_deref(),
        generator,
    ) {
        Ok(files) => {
            eprint_diagnostics(&files.warnings, format, false);
            Ok(files)
        }
        Err(diagnostics) => {
            eprint_diagnostics(&diagnostics.0, format, true);
            Err(FAILURE)
        }
    }
}

fn generate(args: &CrateArgs, generator: Generator<'_>, format: MessageFormat) -> u8 {
    let dir = &args.dir;
    if let Err(problem) = crate_files::check_target(dir) {
        eprintln!("error: {problem}");
        return FAILURE;
    }
    let files = match generate_files(args, generator, format) {
        Ok(files) => files,
        Err(code) => {
            eprintln!("error: nothing was written to {}", dir.display());
            return code;
        }
    };
    match write::write_crate(dir, &files.files) {
        Ok(write::Outcome::Created) => {
            let names: Vec<&str> = files.files.iter().map(|(rel, _)| rel.as_str()).collect();
            eprintln!("created {} ({})", dir.display(), names.join(", "));
            0
        }
        Ok(write::Outcome::Updated(changed)) => {
            eprintln!("updated {} ({})", dir.display(), changed.join(", "));
            0
        }
        Ok(write::Outcome::Unchanged) => {
            eprintln!("{} is up to date", dir.display());
            0
        }
        Err(e) => {
            eprintln!(
                "error: could not write {}: {e}; it was left as it was",
                dir.display()
            );
            FAILURE
        }
    }
}

fn check(args: &CrateArgs, generator: Generator<'_>, format: MessageFormat) -> u8 {
    let files = match generate_files(args, generator, format) {
        Ok(files) => files,
        Err(code) => return code,
    };
    let mut stale = Vec::new();
    let mut out = String::new();
    for (rel, new) in &files.files {
        let path = args.dir.join(rel);
        let shown = path.display().to_string();
        match fs::read(&path) {
            Ok(old) if old == new.as_bytes() => {}
            Ok(old) => {
                let old = String::from_utf8_lossy(&old);
                out.push_str(&diff::unified(
                    &old,
                    new,
                    &shown,
                    &format!("{shown} (regenerated)"),
                    diff::MAX_LINES,
                ));
                stale.push(shown);
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                out.push_str(&format!("missing: {shown}\n"));
                stale.push(shown);
            }
            Err(e) => {
                eprintln!("error: cannot read {shown}: {e}");
                return FAILURE;
            }
        }
    }
    if stale.is_empty() {
        return 0;
    }
    print!("{out}");
    eprintln!(
        "error: {} is stale ({} of {} files differ: {})\nrun: {}",
        args.dir.display(),
        stale.len(),
        files.files.len(),
        stale.join(", "),
        files.command
    );
    FAILURE
}

fn lint(spec: &Path, generator: Generator<'_>, format: MessageFormat) -> u8 {
    if let Err(code) = check_spec(spec) {
        return code;
    }
    let options = stencil_build::Options::default();
    let (diagnostics, code) = match generator(spec, &options) {
        Ok(generated) => (generated.warnings, 0),
        Err(diagnostics) => {
            let code = if diagnostics.errors().next().is_some() {
                FAILURE
            } else {
                0
            };
            (diagnostics.0, code)
        }
    };
    let text = report::render(&diagnostics, format, true);
    let _ = anstream::stdout().write_all(text.as_bytes());
    code
}
