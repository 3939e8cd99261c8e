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
    /// Schemas replaced by existing Rust types: schema (its key under `components/schemas`,
    /// or its generated Rust name) → Rust path. The generated type becomes an alias of the path.
    pub type_replacements: Vec<(String, String)>,
    /// Split the server's handler trait: one trait per tag (`<Tag>Api`, operations without a
    /// tag in `DefaultApi`), the hooks in `ApiBase`, and `Api` implemented for every type
    /// implementing them all.
    pub server_traits_per_tag: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            client: true,
            server: true,
            feature_gates: false,
            extra_derives: Vec::new(),
            regenerate_command: "stencil generate".to_owned(),
            type_replacements: Vec::new(),
            server_traits_per_tag: false,
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

/// A stage of the pipeline, as reported to a [`generate_observed`] observer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stage {
    Load,
    Ir,
    Emit,
    Render,
}

impl Stage {
    /// Every stage, in pipeline order.
    pub const ALL: [Stage; 4] = [Stage::Load, Stage::Ir, Stage::Emit, Stage::Render];

    /// `load`, `ir`, `emit`, `render`.
    pub fn name(self) -> &'static str {
        match self {
            Stage::Load => "load",
            Stage::Ir => "ir",
            Stage::Emit => "emit",
            Stage::Render => "render",
        }
    }
}

/// [`generate`], also reporting how long each stage took.
pub fn generate_timed(spec: &Path, options: &Options) -> Result<(Generated, Timings), Diagnostics> {
    let mut timings = Timings::default();
    let mut start = Instant::now();
    let generated = generate_observed(spec, options, &mut |stage, begins| {
        if begins {
            start = Instant::now();
            return;
        }
        let elapsed = start.elapsed();
        match stage {
            Stage::Load => timings.load = elapsed,
            Stage::Ir => timings.ir = elapsed,
            Stage::Emit => timings.emit = elapsed,
            Stage::Render => timings.render = elapsed,
        }
    })?;
    Ok((generated, timings))
}

/// [`generate`], calling `observer(stage, true)` as each stage begins and
/// `observer(stage, false)` as it ends (benchmarks measure time and memory per stage with it).
/// A stage that fails ends without its `false` call.
pub fn generate_observed(
    spec: &Path,
    options: &Options,
    observer: &mut dyn FnMut(Stage, bool),
) -> Result<Generated, Diagnostics> {
    observer(Stage::Load, true);
    let loaded = crate::load::load(spec)?;
    observer(Stage::Load, false);
    observer(Stage::Ir, true);
    let mut warnings = loaded.warnings.clone();
    let mut api = crate::ir::build(&loaded, &mut warnings)?;
    replace_types(&mut api, &options.type_replacements, &mut warnings)?;
    // The document is not needed past the IR: freed early, it does not add to the peak memory
    // of the later stages.
    let files = loaded.files.clone();
    let root_display = loaded.root_display.clone();
    drop(loaded);
    observer(Stage::Ir, false);
    let pieces = emit_and_render(&api, options, observer)?;
    let code = crate::render::assemble(pieces, &options.regenerate_command, &root_display);
    observer(Stage::Render, false);
    Ok(Generated {
        code,
        files,
        warnings,
    })
}

/// Emit the parts of the file (types, client, server), then render each. Sequential on the
/// calling thread: exact per-stage timings, no threads to start or wait for in a build script.
/// A panic in an emitter (a Stencil bug, never an input problem) becomes an error diagnostic
/// instead of unwinding into the caller's build script.
fn emit_and_render(
    api: &crate::ir::Api,
    options: &Options,
    observer: &mut dyn FnMut(Stage, bool),
) -> Result<Vec<crate::render::Piece>, Diagnostics> {
    use std::panic::{catch_unwind, AssertUnwindSafe};

    let internal = |what: &str| {
        Diagnostics(vec![Diagnostic::error(
            "",
            format!(
                "internal error while {what} (a Stencil bug; please report it with the document)"
            ),
        )])
    };
    observer(Stage::Emit, true);
    let parts = crate::emit::Part::wanted(options);
    let emitted = catch_unwind(AssertUnwindSafe(|| {
        parts
            .iter()
            .map(|&part| crate::emit::part(api, options, part))
            .collect::<Vec<_>>()
    }))
    .map_err(|_| internal("emitting code"))?;
    observer(Stage::Emit, false);
    observer(Stage::Render, true);
    let pieces = catch_unwind(AssertUnwindSafe(|| {
        emitted
            .into_iter()
            .map(crate::render::render_part)
            .collect::<Result<Vec<_>, String>>()
    }))
    .map_err(|_| internal("formatting the generated code"))?;
    pieces.map_err(|message| Diagnostics(vec![Diagnostic::error("", message)]))
}

/// Apply `Options::type_replacements`: each named schema becomes an alias of the user's type.
/// A path that is not a Rust type is an error; a schema that does not exist is a warning.
fn replace_types(
    api: &mut crate::ir::Api,
    replacements: &[(String, String)],
    warnings: &mut Vec<Diagnostic>,
) -> Result<(), Diagnostics> {
    let mut errors = Vec::new();
    for (schema, path) in replacements {
        if syn::parse_str::<syn::Type>(path).is_err() {
            errors.push(
                Diagnostic::error(
                    "",
                    format!("type replacement for `{schema}`: `{path}` is not a Rust type"),
                )
                .with_hint("give a type path such as `my_crate::Money` or `::chrono::NaiveTime`"),
            );
            continue;
        }
        let pointer = crate::diag::join("/components/schemas", schema);
        let found = api
            .types
            .iter_mut()
            .find(|t| t.origin == pointer || t.name == *schema);
        match found {
            Some(def) if def.generics.is_empty() => {
                def.kind = crate::ir::TypeKind::External(path.clone());
            }
            Some(def) => errors.push(Diagnostic::error(
                def.origin.clone(),
                format!("type replacement for `{schema}`: generic types cannot be replaced"),
            )),
            None => warnings.push(
                Diagnostic::warning(
                    pointer,
                    format!("type replacement for `{schema}`: no such schema"),
                )
                .with_hint("name a key under #/components/schemas or a generated type name"),
            ),
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        warnings.extend(errors);
        Err(Diagnostics(std::mem::take(warnings)))
    }
}
