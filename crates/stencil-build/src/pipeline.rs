//! The whole pipeline in one call: load → IR → emit → render.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::diag::{Diagnostic, Diagnostics};
use crate::emit::Sink;
use crate::ir::Api;
use crate::options::{Options, Settings};
use crate::progress::Progress;

/// Generated code and what it took to make it.
#[derive(Clone, Debug)]
pub struct Generated {
    /// The rendered Rust source (one file, formatted, with the `// @generated` header).
    pub code: String,
    /// Every file read, the root document first (for `cargo:rerun-if-changed`).
    pub files: Vec<PathBuf>,
    /// Warnings (never errors: errors fail the run).
    pub warnings: Vec<Diagnostic>,
    /// The document the server's `OPENAPI_DOCUMENT` includes (`include_str!`), to be written
    /// beside [`code`](Generated::code); `None` when no server was generated (or the document
    /// is empty).
    pub document: Option<IncludedFile>,
}

/// A file the generated code includes, to be written in the directory of the generated source
/// file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IncludedFile {
    /// Its file name (`openapi.yaml`, `openapi.json`: see `Options::document_stem`).
    pub name: String,
    /// Its contents.
    pub text: String,
}

/// The file holding `api`'s document when `settings` generate a server.
fn document_file(api: &Api, settings: &Settings) -> Option<IncludedFile> {
    if !settings.server || api.document.is_empty() {
        return None;
    }
    let name = crate::literals::document_file(&settings.document_stem, &api.document)?;
    Some(IncludedFile {
        name,
        text: api.document.clone(),
    })
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
    /// Building the IR (and applying the options to it).
    pub ir: Duration,
    /// Emitting and formatting the parts (interleaved, on worker threads).
    pub emit: Duration,
    /// Joining the parts under the `// @generated` header.
    pub assemble: Duration,
}

/// A stage of the pipeline, as reported to a [`generate_observed`] observer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stage {
    /// Reading and parsing the document.
    Load,
    /// Building the IR.
    Ir,
    /// Emitting the parts and formatting them as they are emitted (a few items at a time, on
    /// worker threads; `render::format_time` tells how much of it was formatting).
    Emit,
    /// Joining the formatted parts into the file.
    Assemble,
}

impl Stage {
    /// Every stage, in pipeline order.
    pub const ALL: [Stage; 4] = [Stage::Load, Stage::Ir, Stage::Emit, Stage::Assemble];

    /// `load`, `ir`, `emit`, `assemble`.
    pub fn name(self) -> &'static str {
        match self {
            Stage::Load => "load",
            Stage::Ir => "ir",
            Stage::Emit => "emit",
            Stage::Assemble => "assemble",
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
            Stage::Assemble => timings.assemble = elapsed,
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
    generate_with_progress(spec, options, observer, &Progress::new())
}

/// [`generate_observed`], also counting into `progress` the types and operations emitted (read
/// it from another thread while the run goes on: a progress display).
pub fn generate_with_progress(
    spec: &Path,
    options: &Options,
    observer: &mut dyn FnMut(Stage, bool),
    progress: &Progress,
) -> Result<Generated, Diagnostics> {
    let settings = Settings::new(options)?;
    observer(Stage::Load, true);
    let mut loaded = crate::load::load(spec)?;
    if loaded.files.len() <= 1 && !loaded.source_text.contains("itemSchema") {
        // The JSON form of the document is only needed to embed a multi-file document, and to
        // follow the `$ref`s of 3.2 `itemSchema` event branches (which openapiv3 cannot hold).
        loaded.raw = serde_json::Value::Null;
    }
    observer(Stage::Load, false);
    observer(Stage::Ir, true);
    let mut warnings = loaded.warnings.clone();
    let mut api = crate::ir::build(&loaded, &mut warnings)?;
    // The options' diagnostics point into the document (a replaced schema, `/paths`): located
    // while it is at hand.
    let before = warnings.len();
    let replaced = crate::ir::replace_types(&mut api, &settings.replacements, &mut warnings)
        .and_then(|()| {
            crate::ir::configure_pagination(&mut api, &settings.pagination).map_err(|errors| {
                warnings.extend(errors.0);
                Diagnostics(std::mem::take(&mut warnings))
            })
        });
    if replaced.is_ok() {
        crate::ir::select::apply(
            &mut api,
            &settings.include,
            &settings.exclude,
            &mut warnings,
        );
    }
    let locate = |d: Diagnostic| {
        if d.pointer.is_empty() {
            d
        } else {
            loaded.locate(d)
        }
    };
    match replaced {
        Ok(()) => {
            let added: Vec<Diagnostic> = warnings.drain(before..).map(locate).collect();
            warnings.extend(added);
        }
        Err(Diagnostics(all)) => {
            let (earlier, added) = all.split_at(before.min(all.len()));
            let mut all = earlier.to_vec();
            all.extend(added.iter().cloned().map(locate));
            return Err(Diagnostics(all));
        }
    }
    // The document is not needed past the IR: freed early, it does not add to the peak memory
    // of the later stages.
    let files = loaded.files.clone();
    let root_display = loaded.root_display.clone();
    drop(loaded);
    release_freed_memory();
    if settings.selects() && !api.document.is_empty() {
        // The server serves the document it implements: the selected operations only (read
        // again once the loaded document is freed, so the peak memory stays loading's).
        let kept = crate::ir::select::kept_operations(&api);
        if let Some(document) = crate::load::trim_paths(&api.document, &kept) {
            api.document = document;
        }
    }
    observer(Stage::Ir, false);
    let pieces = emit_and_render_pieces(&api, &settings, observer, progress)?;
    let document = document_file(&api, &settings);
    // Nor is the IR needed past emitting.
    drop(api);
    let code = crate::render::assemble(pieces, &settings.regenerate_command, &root_display);
    observer(Stage::Assemble, false);
    Ok(Generated {
        code,
        files,
        warnings,
        document,
    })
}

/// Give the pages freed with the document back to the OS. The document was parsed on the
/// loading thread, in that thread's malloc arena; the emit workers allocate in their own and
/// cannot reuse those pages, so without this they stay resident for the rest of the run.
/// Measured with `stencil generate` (2 cores): peak RSS for OpenAI's document 69 → 51 MB;
/// Microsoft Graph's 0.93–1.05 → 0.92–0.93 GB. Only glibc has (and needs) it.
fn release_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: `malloc_trim` has no preconditions: it returns free pages to the kernel and
    // changes nothing a program can observe but its resident size.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// Emit and render `api` as one file (the IR is already built): what [`generate`] does after
/// its IR stage (no files listed, no warnings). The path patterns and type replacements of
/// `options` are not applied (they are at the IR stage).
pub fn emit_and_render(
    api: &Api,
    options: &Options,
    source: &str,
) -> Result<Generated, Diagnostics> {
    let settings = Settings::new(options)?;
    let pieces = emit_and_render_pieces(api, &settings, &mut |_, _| {}, &Progress::new())?;
    Ok(Generated {
        code: crate::render::assemble(pieces, &settings.regenerate_command, source),
        files: Vec::new(),
        warnings: Vec::new(),
        document: document_file(api, &settings),
    })
}

/// Compare, on every item of `api`'s parts as `options` generate them, the text printed
/// without syn (`render::direct`) with the text of syn and prettyplease (the differential
/// check `cargo xtask corpus-format` runs on the corpus). Items are emitted and compared on a
/// worker thread with a large stack, one part after the other.
pub fn check_direct(
    api: &Api,
    options: &Options,
) -> Result<crate::render::DirectCheck, Diagnostics> {
    let settings = Settings::new(options)?;
    let check = || {
        let mut total = crate::render::DirectCheck::default();
        for part in Part::wanted(&settings, api) {
            let mut sink = crate::render::Differential::new();
            emit_part(api, &settings, part, &mut sink);
            total.merge(sink.finish());
        }
        total
    };
    std::thread::scope(|scope| {
        std::thread::Builder::new()
            .stack_size(WORKER_STACK)
            .spawn_scoped(scope, check)
            .ok()
            .and_then(|handle| handle.join().ok())
    })
    .ok_or_else(|| Diagnostics(vec![Failure::Render.diagnostic()]))
}

/// Stack size of the emit and render threads. syn and prettyplease recurse once per level of
/// nested generated type, and a build script's main thread may have as little as 8 MB (debug
/// builds use a lot of stack per frame). Only the pages touched are ever committed.
const WORKER_STACK: usize = 256 << 20;

/// Emit the parts of the file (types, client, server) and format them as they are emitted
/// (`render::Formatter`), on up to `available_parallelism` threads. Tokens (`proc_macro2`
/// values are not `Send`) stay on the thread that made them; only text crosses. The output
/// does not depend on the number of threads or on their timing: pieces are assembled in file
/// order.
///
/// A panic in an emitter (a Stencil bug, never an input problem) becomes an error diagnostic
/// instead of unwinding into the caller's build script.
fn emit_and_render_pieces(
    api: &Api,
    settings: &Settings,
    observer: &mut dyn FnMut(Stage, bool),
    progress: &Progress,
) -> Result<Vec<crate::render::Piece>, Diagnostics> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    emit_and_render_on(api, settings, threads, observer, progress)
}

/// [`emit_and_render_pieces`] on at most `threads` worker threads.
fn emit_and_render_on(
    api: &Api,
    settings: &Settings,
    threads: usize,
    observer: &mut dyn FnMut(Stage, bool),
    progress: &Progress,
) -> Result<Vec<crate::render::Piece>, Diagnostics> {
    let parts = Part::wanted(settings, api);
    // Each type once, each operation once per client or server part.
    let sides = parts
        .iter()
        .filter(|p| matches!(p, Part::Client | Part::Server))
        .count();
    progress.start(api.types.len() + api.operations.len() * sides);
    let plan = plan_workers(api, &parts, threads);
    observer(Stage::Emit, true);
    let results = std::thread::scope(|scope| {
        let mut workers = Vec::new();
        let mut on_this_thread = Vec::new();
        for assigned in plan {
            let job = assigned.clone();
            let parts = &parts;
            let spawned = std::thread::Builder::new()
                .name("stencil-emit".to_owned())
                .stack_size(WORKER_STACK)
                .spawn_scoped(scope, move || {
                    make_parts(api, settings, parts, &job, progress)
                });
            match spawned {
                Ok(handle) => workers.push(handle),
                // No thread to be had: this thread does the work.
                Err(_) => on_this_thread.extend(assigned),
            }
        }
        let mut results = make_parts(api, settings, &parts, &on_this_thread, progress);
        for handle in workers {
            match handle.join() {
                Ok(made) => results.extend(made),
                Err(_) => results.push((usize::MAX, Err(Failure::Render))),
            }
        }
        results
    });
    observer(Stage::Emit, false);
    observer(Stage::Assemble, true);
    let mut pieces: Vec<(usize, crate::render::Piece)> = Vec::with_capacity(results.len());
    let mut errors = Vec::new();
    for (index, result) in results {
        match result {
            Ok(piece) => pieces.push((index, piece)),
            Err(failure) => errors.push(failure.diagnostic()),
        }
    }
    if !errors.is_empty() {
        errors.dedup_by(|a, b| a.message == b.message);
        return Err(Diagnostics(errors));
    }
    pieces.sort_by_key(|(index, _)| *index);
    Ok(pieces.into_iter().map(|(_, p)| p).collect())
}

/// A top-level module of the generated file. The file is the wanted parts in this order; each
/// is emitted (and rendered) on its own, so that they can be made in parallel.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Part {
    Types,
    Client,
    Server,
    /// Webhooks and callbacks: their senders with the client, their receivers with the server.
    Hooks,
}

impl Part {
    /// The parts `settings` ask for, in file order.
    fn wanted(settings: &Settings, api: &Api) -> Vec<Part> {
        let mut parts = vec![Part::Types];
        if settings.client {
            parts.push(Part::Client);
        }
        if settings.server {
            parts.push(Part::Server);
        }
        if (settings.client || settings.server) && !api.hooks.is_empty() {
            parts.push(Part::Hooks);
        }
        parts
    }
}

/// Emit `part` into `sink`, each emitter given the settings it uses.
fn emit_part(api: &Api, settings: &Settings, part: Part, sink: &mut dyn Sink) {
    use crate::emit::{client, hooks, server, types};
    match part {
        Part::Types => {
            let sides = types::Sides {
                client: settings.client,
                server: settings.server,
                gated: settings.feature_gates,
            };
            let derives = settings.derive_paths();
            types::types_into(api, &derives, &settings.secret_fields, sides, sink)
        }
        Part::Client => {
            client::client_into(api, settings.feature_gates, &settings.secret_fields, sink)
        }
        Part::Server => {
            let file = crate::literals::document_file(&settings.document_stem, &api.document);
            let document = file
                .as_deref()
                .filter(|_| !api.document.is_empty())
                .map(|file| server::Document { file });
            let per_tag = settings.server_traits_per_tag;
            let (gated, secrets) = (settings.feature_gates, &settings.secret_fields);
            let docs = settings.docs_router;
            server::server_into(api, per_tag, document, gated, secrets, docs, sink);
        }
        Part::Hooks => {
            let sides = hooks::Sides {
                client: settings.client,
                server: settings.server,
                gated: settings.feature_gates,
            };
            hooks::hooks_into(api, sides, &settings.secret_fields, sink)
        }
    }
}

/// Why emitting or rendering a part failed (never an input problem).
#[derive(Debug)]
enum Failure {
    Render,
    /// Tokens that do not parse as Rust.
    Invalid(String),
}

impl Failure {
    fn diagnostic(self) -> Diagnostic {
        match self {
            Failure::Render => Diagnostic::error(
                "",
                "internal error while emitting or formatting code (a Stencil bug; please \
                 report it with the document)",
            ),
            Failure::Invalid(message) => Diagnostic::error("", message),
        }
    }
}

/// Emit and format `parts[i]` for each `i` in `job`, each piece with its part's index.
fn make_parts(
    api: &Api,
    settings: &Settings,
    parts: &[Part],
    job: &[usize],
    progress: &Progress,
) -> Vec<(usize, Result<crate::render::Piece, Failure>)> {
    use std::panic::{catch_unwind, AssertUnwindSafe};
    job.iter()
        .map(|&i| {
            let make = || {
                let mut formatter =
                    crate::render::Formatter::new(settings.format).counting(progress.clone());
                emit_part(api, settings, parts[i], &mut formatter);
                formatter.finish()
            };
            let piece = catch_unwind(AssertUnwindSafe(make))
                .map_err(|_| Failure::Render)
                .and_then(|r| r.map_err(Failure::Invalid));
            (i, piece)
        })
        .collect()
}

/// Which parts each worker emits and renders: longest first, each to the least loaded worker,
/// by an estimate of the lines each part makes (it only balances the work; the output is the
/// same whatever the plan).
fn plan_workers(api: &Api, parts: &[Part], threads: usize) -> Vec<Vec<usize>> {
    let operations = api.operations.len();
    // Relative costs measured on OpenAI's document: ~150 µs per type, ~410 µs per client
    // operation and ~750 µs per server operation (emit + render).
    let weight = |part: Part| match part {
        Part::Types => 3 * api.types.len() + 1,
        Part::Client => 8 * operations + 1,
        Part::Server => 15 * operations + 1,
        Part::Hooks => 25 * api.hooks.len() + 1,
    };
    let workers = threads.clamp(1, parts.len().max(1));
    let mut order: Vec<usize> = (0..parts.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(weight(parts[i])));
    let mut plan = vec![(0usize, Vec::new()); workers];
    for i in order {
        let lightest = (0..workers).min_by_key(|&w| plan[w].0).unwrap_or(0);
        plan[lightest].0 += weight(parts[i]);
        plan[lightest].1.push(i);
    }
    plan.into_iter()
        .map(|(_, job)| job)
        .filter(|job| !job.is_empty())
        .collect()
}

#[cfg(test)]
mod tests;
