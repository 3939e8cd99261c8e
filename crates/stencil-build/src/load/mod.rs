//! Loading: read the document (YAML or JSON, detected from content), bundle external `$ref`s,
//! normalise OpenAPI 3.1 to the 3.0 model `openapiv3` reads, and parse it.
//!
//! 1. `source`: parse the text (JSON fast path, YAML otherwise); `parse` checks the version;
//! 2. `bundle`: every `$ref` becomes `#/components/<section>/<name>` of the root document
//!    (external files copied in, other nodes moved into `components`, path items inlined);
//! 3. `normalise`: 3.1 → 3.0 on `serde_json::Value` (and tolerance for common 3.0 mistakes);
//! 4. `parse`: `openapiv3`, with the pointer of the failing node on error.
//!
//! `walk` knows the kind of object at each position of a document; `pointer` handles JSON
//! pointers; `positions` finds their line:column (indexed lazily, only when a diagnostic
//! needs one); `names` makes component names. Every diagnostic the loader returns names a
//! file, a pointer in it, its line:column and what to do.

mod bundle;
mod names;
mod normalise;
mod parse;
mod pointer;
mod positions;
mod source;
mod walk;

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::diag::{Diagnostic, Diagnostics, Position};
use bundle::Source;
use parse::{version, Version};
use source::{Locator, SourceInfo};

pub mod ext;

/// A loaded, bundled and normalised document.
#[derive(Debug)]
pub struct Loaded {
    /// The document, as openapiv3 reads it (3.1 normalised into the 3.0 model).
    pub document: openapiv3::OpenAPI,
    /// The bundled, normalised document as JSON (what `document` was parsed from).
    pub raw: serde_json::Value,
    /// The root document's text exactly as read (the server embeds it).
    pub source_text: String,
    /// The root document's path as the user gave it (named in the `// @generated` header).
    pub root_display: String,
    /// Every file read, the root first (for [`load_str`], the root is the given name).
    pub files: Vec<PathBuf>,
    /// Warnings found while loading.
    pub warnings: Vec<Diagnostic>,
    /// Where each part of `raw` came from, to locate diagnostics.
    locator: Locator,
}

impl Loaded {
    /// Fill in the file and line:column of a diagnostic whose pointer is in the bundled document.
    /// The pointer is rewritten to the pointer inside that file; when the exact node does not
    /// exist in the file (normalisation changed the structure), the position is that of its
    /// closest existing ancestor.
    pub fn locate(&self, diagnostic: Diagnostic) -> Diagnostic {
        self.locator.locate(diagnostic)
    }
}

/// The document `text` (YAML or JSON) with only the operations in `keep` (path, lowercase
/// method) left under `paths` (a path item none of them uses is removed whole), as JSON: what
/// a server generated for a selection embeds and serves. `None` when `text` does not parse (it
/// did when it was loaded).
pub fn trim_paths(text: &str, keep: &[(String, String)]) -> Option<String> {
    const METHODS: [&str; 9] = [
        "get", "put", "post", "delete", "options", "head", "patch", "trace", "query",
    ];
    let mut doc = source::parse(text).ok()?;
    if let Some(Value::Object(paths)) = doc.get_mut("paths") {
        paths.retain(|path, item| {
            let kept: Vec<&str> = keep
                .iter()
                .filter(|(p, _)| p == path)
                .map(|(_, method)| method.as_str())
                .collect();
            if kept.is_empty() {
                return false;
            }
            if let Value::Object(item) = item {
                item.retain(|key, _| {
                    !METHODS.contains(&key.as_str()) || kept.contains(&key.as_str())
                });
                // OpenAPI 3.2: other methods, kept by their lower-case name.
                if let Some(Value::Object(more)) = item.get_mut("additionalOperations") {
                    more.retain(|method, _| kept.contains(&method.to_ascii_lowercase().as_str()));
                }
            }
            true
        });
    }
    serde_json::to_string_pretty(&doc).ok()
}

/// Load the document at `path`, and the files its `$ref`s name.
pub fn load(path: &Path) -> Result<Loaded, Diagnostics> {
    let display = bundle::display_path(path);
    let text = match std::fs::read(path) {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(text) => text,
            Err(e) => {
                let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
                let valid = String::from_utf8_lossy(valid);
                let line = valid.matches('\n').count() + 1;
                let column = valid.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
                let mut d = Diagnostic::error("", "the document is not valid UTF-8")
                    .with_hint("save the file as UTF-8");
                d.file = display.into();
                d.position = Some(Position { line, column });
                return Err(Diagnostics(vec![d]));
            }
        },
        Err(e) => {
            let why = match e.kind() {
                std::io::ErrorKind::NotFound => "file not found".to_owned(),
                _ => e.to_string(),
            };
            let mut d = Diagnostic::error("", format!("cannot read the document: {why}"))
                .with_hint("check the path (relative paths start at the current directory)");
            d.file = display.into();
            d.position = Some(Position { line: 1, column: 1 });
            return Err(Diagnostics(vec![d]));
        }
    };
    let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
    let key = std::fs::canonicalize(path).ok();
    run(
        Source {
            path: path.to_path_buf(),
            dir,
            display,
            text,
            value: Value::Null,
        },
        key,
    )
}

/// Load a document given as text (one document; `$ref`s to other files are resolved relative
/// to the current directory). `name` is shown in diagnostics.
pub fn load_str(text: &str, name: &str) -> Result<Loaded, Diagnostics> {
    let display = name.replace('\\', "/");
    let source = Source {
        path: PathBuf::from(name),
        dir: PathBuf::new(),
        display,
        text: text.to_owned(),
        value: Value::Null,
    };
    run(source, None)
}

/// Stack for the loading thread: `openapiv3`'s deserializers (untagged and flattened enums)
/// take a lot of stack per nesting level in debug builds.
const STACK: usize = 64 << 20;
/// Deeper documents (after bundling and normalisation) are rejected before `openapiv3` sees
/// them.
const MAX_DEPTH: usize = 400;

fn run(root: Source, key: Option<PathBuf>) -> Result<Loaded, Diagnostics> {
    let display = root.display.clone();
    let internal = move || {
        let mut d = Diagnostic::error("", "internal error while loading the document")
            .with_hint("this is a bug in Stencil: please report it with the document");
        d.file = display.clone().into();
        d.position = Some(Position { line: 1, column: 1 });
        Err(Diagnostics(vec![d]))
    };
    let cell = std::sync::Mutex::new(Some((root, key)));
    let job = || {
        let taken = cell.lock().ok().and_then(|mut c| c.take());
        taken.map(|(root, key)| pipeline(root, key))
    };
    let outcome = std::thread::scope(|scope| {
        let spawned = std::thread::Builder::new()
            .name("stencil-load".to_owned())
            .stack_size(STACK)
            .spawn_scoped(scope, job);
        match spawned {
            Ok(handle) => handle.join().ok().flatten(),
            Err(_) => None,
        }
    });
    match outcome {
        Some(result) => result,
        // The thread could not start (or panicked before taking the input): run here.
        None => match std::panic::catch_unwind(std::panic::AssertUnwindSafe(job)) {
            Ok(Some(result)) => result,
            _ => internal(),
        },
    }
}

/// Load on this thread while a second one indexes the root file's positions: most real
/// documents get a few located warnings, and the index then costs no wall time (other files
/// are indexed lazily, when a diagnostic needs it).
fn pipeline(root: Source, key: Option<PathBuf>) -> Result<Loaded, Diagnostics> {
    let text = root.text.clone();
    std::thread::scope(|scope| {
        let pending = std::thread::Builder::new()
            .name("stencil-positions".to_owned())
            .stack_size(STACK)
            .spawn_scoped(scope, || positions::PosIndex::build(&text))
            .ok();
        let pending = std::cell::Cell::new(pending);
        // Called before the bundled document's diagnostics are located.
        let install = |locator: &Locator| {
            let index = pending.take().and_then(|handle| handle.join().ok());
            if let (Some(file), Some(index)) = (locator.files.first(), index) {
                if file.text == text {
                    file.set_index(index);
                }
            }
        };
        load_root(root, key, &install)
    })
}

fn load_root(
    mut root: Source,
    key: Option<PathBuf>,
    install_index: &dyn Fn(&Locator),
) -> Result<Loaded, Diagnostics> {
    let root_display = root.display.clone();
    let source_text = root.text.clone();
    let located = |d: Diagnostic, text: &str| {
        let mut locator = Locator::default();
        locator
            .files
            .push(SourceInfo::new(root_display.clone(), text.to_owned()));
        locator.locate(d)
    };

    // 1. Parse.
    root.value = match source::parse(&root.text) {
        Ok(v) => v,
        Err(e) => {
            let mut d = Diagnostic::error("", e.message).with_hint(e.hint);
            d.file = root_display.clone().into();
            d.position = e.position.or(Some(Position { line: 1, column: 1 }));
            return Err(Diagnostics(vec![d]));
        }
    };

    // 2. Version.
    let (version, declared) = match version(&root.value) {
        Ok(v) => v,
        Err(d) => {
            let mut d = *d;
            d.file = root_display.clone().into();
            let mut d = located(d, &root.text);
            // An empty document has no node to point at: its start.
            d.position = d.position.or(Some(Position { line: 1, column: 1 }));
            return Err(Diagnostics(vec![d]));
        }
    };
    let mut warnings = Vec::new();
    normalise::root(&mut root.value, version != Version::V30, &mut warnings);
    if let Value::Object(m) = &mut root.value {
        m.insert(ext::ORIGINAL_VERSION.to_owned(), Value::String(declared));
    }

    // 3. Bundle.
    let mut bundled = bundle::bundle(root, key);
    warnings.append(&mut bundled.warnings);
    let mut locator = Locator {
        files: bundled.sources,
        relocations: bundled.relocations,
    };
    let fail = |locator: &Locator, warnings: Vec<Diagnostic>, errors: Vec<Diagnostic>| {
        install_index(locator);
        let all = warnings
            .into_iter()
            .chain(errors)
            .map(|d| locator.locate(d))
            .collect();
        Err(Diagnostics(all))
    };
    let Some(mut raw) = bundled.doc else {
        return fail(&locator, warnings, bundled.errors);
    };

    // 4. Normalise.
    normalise::schemas(&mut raw, &mut locator);
    normalise::objects(&mut raw, version, &mut warnings);

    // 5. Parse with openapiv3.
    if let Some(deep) = pointer::depth_over(&raw, MAX_DEPTH) {
        let d = Diagnostic::error(pointer::render(&deep), "the document nests too deeply")
            .with_hint("simplify the nesting around this position");
        return fail(&locator, warnings, vec![d]);
    }
    let document = match parse::openapi_lenient(&mut raw, &mut warnings) {
        Ok(doc) => doc,
        Err(errors) => return fail(&locator, warnings, errors),
    };
    install_index(&locator);
    let warnings = warnings.into_iter().map(|d| locator.locate(d)).collect();
    Ok(Loaded {
        document,
        raw,
        source_text,
        root_display: locator
            .files
            .first()
            .map(|f| f.display.clone())
            .unwrap_or_default(),
        files: bundled.files,
        warnings,
        locator,
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn trimmed_paths_keep_the_given_operations() {
        let text = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    \
                    summary: kept\n    get: {responses: {'200': {description: ok}}}\n    \
                    post: {responses: {'200': {description: ok}}}\n  /b:\n    \
                    get: {responses: {'200': {description: ok}}}\n";
        let trimmed = super::trim_paths(text, &[("/a".into(), "get".into())]).expect("parses");
        let doc: serde_json::Value = serde_json::from_str(&trimmed).unwrap();
        assert_eq!(
            doc["paths"],
            serde_json::json!({"/a": {"summary": "kept", "get": {"responses": {"200": {"description": "ok"}}}}})
        );
        assert_eq!(doc["info"]["title"], "t");

        let text = "openapi: 3.2.0\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    \
                    query: {}\n    get: {}\n    additionalOperations: {LINK: {}, UNLINK: {}}\n";
        let keep = [("/a".into(), "query".into()), ("/a".into(), "link".into())];
        let trimmed = super::trim_paths(text, &keep).expect("parses");
        let doc: serde_json::Value = serde_json::from_str(&trimmed).unwrap();
        assert_eq!(
            doc["paths"],
            serde_json::json!({"/a": {"query": {}, "additionalOperations": {"LINK": {}}}})
        );
    }
}
