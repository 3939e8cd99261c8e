//! The whole pipeline in one call: load → IR → emit → render.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::diag::{Diagnostic, Diagnostics};

/// What to generate. The build.rs, xtask and CLI surfaces all fill this in.
#[derive(Clone, Debug)]
pub struct Options {
    pub client: bool,
    pub server: bool,
    /// Wrap the client and server modules in `#[cfg(feature = "client")]` /
    /// `#[cfg(feature = "server")]` (for generated crates with those features).
    pub feature_gates: bool,
    /// Extra `#[derive(...)]` paths added to every generated type.
    pub extra_derives: Vec<String>,
    /// The command that regenerates the output, named in the `// @generated` header.
    pub regenerate_command: String,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            client: true,
            server: true,
            feature_gates: false,
            extra_derives: Vec::new(),
            regenerate_command: "stencil generate".to_owned(),
        }
    }
}

/// Generated code and what it took to make it.
#[derive(Clone, Debug)]
pub struct Generated {
    /// The rendered Rust source (one file, formatted, with the `// @generated` header).
    pub code: String,
    /// Every file read, the root document first (for `cargo:rerun-if-changed`).
    pub files: Vec<PathBuf>,
    /// Warnings (never errors: errors fail the run).
    pub warnings: Vec<Diagnostic>,
}

/// Run the whole pipeline on the document at `spec`.
pub fn generate(spec: &Path, options: &Options) -> Result<Generated, Diagnostics> {
    generate_timed(spec, options).map(|(generated, _)| generated)
}

/// Wall time spent in each stage of one [`generate`] run (for benchmarks).
#[derive(Clone, Copy, Debug, Default)]
pub struct Timings {
    /// Reading, parsing, bundling, normalising and `openapiv3` deserialisation.
    pub load: Duration,
    pub ir: Duration,
    pub emit: Duration,
    /// prettyplease and the header.
    pub render: Duration,
}

/// [`generate`], also reporting how long each stage took.
pub fn generate_timed(spec: &Path, options: &Options) -> Result<(Generated, Timings), Diagnostics> {
    let mut timings = Timings::default();
    let start = Instant::now();
    let loaded = crate::load::load(spec)?;
    timings.load = start.elapsed();
    let start = Instant::now();
    let mut warnings = loaded.warnings.clone();
    let api = crate::ir::build(&loaded, &mut warnings)?;
    timings.ir = start.elapsed();
    let start = Instant::now();
    let tokens = crate::emit::api(&api, options);
    timings.emit = start.elapsed();
    let start = Instant::now();
    let code = crate::render::render(tokens, &options.regenerate_command, &loaded.root_display)
        .map_err(|message| Diagnostics(vec![Diagnostic::error("", message)]))?;
    timings.render = start.elapsed();
    Ok((
        Generated {
            code,
            files: loaded.files.clone(),
            warnings,
        },
        timings,
    ))
}
