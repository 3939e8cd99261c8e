//! Bundling: after it, every `$ref` of the document is `#/components/<section>/<name>` of the
//! root document (path item `$ref`s are inlined), so `openapiv3` and the IR resolve them.
//!
//! 1. *Collect*: walk the root structurally; resolve each `$ref` (relative to the file it is
//!    in), loading external files once each; follow chains of pure `$ref`s; decide for each
//!    target what happens: a root component is kept, another root node is *moved* into
//!    `components` (a `$ref` stub stays in its place), an external node is *copied* into
//!    `components`, a path item is inlined. Targets are walked in turn (cycle-safe: each once).
//! 2. *Assemble*: insert copies, apply moves (deepest first), then walk the result and rewrite
//!    every `$ref` to its target's new place.
//!
//! Every node of the result can be traced back to its file and pointer (the relocations).

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use indexmap::IndexMap;
use serde_json::Value;

use super::names::{closest, last_meaningful, sanitize};
use super::pointer::{self, Tokens};
use super::source::{self, SourceInfo};
use super::walk::Kind;

mod assemble;
mod paths;
mod refs;
mod remote;
use crate::diag::{Diagnostic, Position};
use paths::percent_decode;
pub(crate) use paths::{display_path, normalize};
use refs::{find_refs, is_component, pure_ref};

/// A document read from disk (or given as text).
pub(crate) struct Source {
    /// The path it was read from (for `Loaded::files`).
    pub path: PathBuf,
    /// The directory relative `$ref`s in it are resolved against.
    pub dir: PathBuf,
    /// The path shown in diagnostics (forward slashes).
    pub display: String,
    pub text: String,
    pub value: Value,
}

/// What bundling produced.
pub(crate) struct Bundled {
    /// The bundled document; `None` when there were errors.
    pub doc: Option<Value>,
    pub sources: Vec<SourceInfo>,
    pub files: Vec<PathBuf>,
    /// Bundled pointer prefix → (file, pointer prefix in that file).
    pub relocations: HashMap<String, (usize, String)>,
    pub errors: Vec<Diagnostic>,
    pub warnings: Vec<Diagnostic>,
}

/// A `$ref` target: a file and a pointer in it.
type Key = (usize, Tokens);

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Action {
    /// A root component: the `$ref` points at it already.
    Keep,
    /// An external node: copied into the root's components.
    Copy,
    /// A root node outside the components: moved there, a `$ref` left in its place.
    Move,
    /// A path item: its content replaces the `$ref` (openapiv3 has no path item components).
    Inline,
}

struct Target {
    action: Action,
    /// Where the target is in the bundled document (`components/<section>/<name>`).
    dest: Tokens,
    /// The content of an inlined path item.
    inline: Option<Value>,
}

/// Why a `$ref` could not be resolved.
#[derive(Clone, Debug)]
enum Fail {
    /// Report at the `$ref`: message and hint.
    Site(String, String),
    /// Already reported (e.g. the referenced file does not parse).
    Reported,
}

struct Bundler {
    sources: Vec<Source>,
    by_path: HashMap<PathBuf, Result<usize, Fail>>,
    resolved: HashMap<(usize, String), Result<Key, Fail>>,
    targets: IndexMap<Key, Target>,
    taken: HashMap<&'static str, HashSet<String>>,
    work: Vec<(usize, Tokens, Kind)>,
    errors: Vec<Diagnostic>,
    warnings: Vec<Diagnostic>,
    /// Remote `$ref`s (`https://...`): an error only where something generated needs them
    /// (`settle_remote`).
    remote: Vec<Remote>,
}

/// A remote `$ref` found while collecting (see `remote.rs`).
struct Remote {
    file: usize,
    /// Pointer of the `$ref` keyword.
    at: String,
    /// The kind of object it must point at.
    kind: Kind,
    message: String,
    hint: String,
}

/// Bundle the document `root` (already parsed, version-checked).
pub(crate) fn bundle(root: Source, root_key: Option<PathBuf>) -> Bundled {
    let mut b = Bundler {
        sources: Vec::new(),
        by_path: HashMap::new(),
        resolved: HashMap::new(),
        targets: IndexMap::new(),
        taken: HashMap::new(),
        work: Vec::new(),
        errors: Vec::new(),
        warnings: Vec::new(),
        remote: Vec::new(),
    };
    if let Some(key) = root_key {
        b.by_path.insert(key, Ok(0));
    }
    b.sources.push(root);
    b.claim_aliases();
    b.collect();
    b.settle_remote();
    let (doc, relocations) = if b.errors.is_empty() {
        let (doc, relocations) = b.assemble();
        (Some(doc), relocations)
    } else {
        (None, HashMap::new())
    };
    let files = b.sources.iter().map(|s| s.path.clone()).collect();
    let sources = b
        .sources
        .into_iter()
        .map(|s| SourceInfo::new(s.display, s.text))
        .collect();
    Bundled {
        doc,
        sources,
        files,
        relocations,
        errors: b.errors,
        warnings: b.warnings,
    }
}

impl Bundler {
    fn error(&mut self, file: usize, at: String, message: String, hint: String) {
        let display = self
            .sources
            .get(file)
            .map(|s| s.display.clone())
            .unwrap_or_default();
        let mut d = Diagnostic::error(at, message).with_hint(hint);
        d.file = display.into();
        self.errors.push(d);
    }

    // -----------------------------------------------------------------------------------------
    // Collect

    /// Root schema components that are only a `$ref` to another file (`Pet: {$ref:
    /// schemas/pet.yaml}`) give the file's schema their name: its copy takes the alias's place,
    /// instead of a second component (`pet`) that the alias points to and that would need a
    /// numbered Rust name next to `Pet`. First come in document order; references that fail to
    /// resolve are left to `collect`, which reports them.
    fn claim_aliases(&mut self) {
        let aliases: Vec<(String, String)> = match self.sources[0]
            .value
            .get("components")
            .and_then(|c| c.get("schemas"))
        {
            Some(Value::Object(schemas)) => schemas
                .iter()
                .filter_map(|(name, node)| {
                    let r = pure_ref(node, Kind::Schema)?;
                    (!r.starts_with('#')).then(|| (name.clone(), r.to_owned()))
                })
                .collect(),
            _ => return,
        };
        for (name, r) in aliases {
            let Ok(key) = self.resolve(0, &r) else {
                continue;
            };
            let chained = pointer::get(&self.sources[key.0].value, &key.1)
                .is_none_or(|node| pure_ref(node, Kind::Schema).is_some());
            if key.0 == 0 || chained || self.targets.contains_key(&key) {
                continue;
            }
            let dest = vec!["components".to_owned(), "schemas".to_owned(), name];
            self.targets.insert(
                key.clone(),
                Target {
                    action: Action::Copy,
                    dest,
                    inline: None,
                },
            );
            self.work.push((key.0, key.1, Kind::Schema));
        }
    }

    fn collect(&mut self) {
        self.work.push((0, Vec::new(), Kind::Root));
        while let Some((file, frag, kind)) = self.work.pop() {
            let mut refs = Vec::new();
            if let Some(node) = pointer::get(&self.sources[file].value, &frag) {
                find_refs(node, kind, &mut pointer::render(&frag), &mut refs);
            }
            for (at, r, kind) in refs {
                self.process(file, &at, kind, &r);
            }
        }
    }

    /// Resolve the `$ref` `r` found at `at` in `from`, creating its target.
    fn process(&mut self, from: usize, at: &str, kind: Kind, r: &str) {
        let memo = (from, r.to_owned());
        let result = match self.resolved.get(&memo) {
            Some(result) => result.clone(),
            None => {
                let result = self.resolve_final(from, kind, r);
                self.resolved.insert(memo, result.clone());
                result
            }
        };
        if let Err(Fail::Site(message, hint)) = result {
            if Self::is_remote(r) && !at.contains("/discriminator/mapping/") {
                self.remote.push(Remote {
                    file: from,
                    at: at.to_owned(),
                    kind,
                    message,
                    hint,
                });
                return;
            }
            // A discriminator mapping entry only names a branch's tag value: without it the
            // branch is still told apart by its schema name.
            if at.contains("/discriminator/mapping/") {
                let display = self.sources[from].display.clone();
                let mut d = Diagnostic::warning(
                    at.to_owned(),
                    format!("{message}; the discriminator mapping entry is ignored"),
                )
                .with_hint(hint);
                d.file = display.into();
                self.warnings.push(d);
                return;
            }
            self.error(from, at.to_owned(), message, hint);
        }
    }

    /// Resolve `r`, following chains of pure `$ref`s, and make sure its target exists.
    fn resolve_final(&mut self, from: usize, kind: Kind, r: &str) -> Result<Key, Fail> {
        let mut key = self.resolve(from, r)?;
        let mut seen = HashSet::new();
        loop {
            if key.0 == 0 && is_component(&key.1, kind) {
                break;
            }
            if !seen.insert(key.clone()) {
                let at = pointer::render(&pointer::join(&key.1, &["$ref"]));
                let message = "circular `$ref`: this reference leads back to itself".to_owned();
                let hint =
                    "make one of the references in the cycle point to an actual object".to_owned();
                self.error(key.0, at, message, hint);
                return Err(Fail::Reported);
            }
            let next = match pointer::get(&self.sources[key.0].value, &key.1) {
                Some(node) => pure_ref(node, kind).map(str::to_owned),
                None => None,
            };
            let Some(next) = next else { break };
            match self.resolve(key.0, &next) {
                Ok(k) => key = k,
                Err(Fail::Site(message, hint)) => {
                    let at = pointer::render(&pointer::join(&key.1, &["$ref"]));
                    self.error(key.0, at, message, hint);
                    return Err(Fail::Reported);
                }
                Err(Fail::Reported) => return Err(Fail::Reported),
            }
        }
        if !self.targets.contains_key(&key) {
            self.create_target(&key, kind)?;
        }
        Ok(key)
    }

    fn create_target(&mut self, key: &Key, kind: Kind) -> Result<(), Fail> {
        let (file, frag) = key;
        if *file == 0 && is_component(frag, kind) {
            let target = Target {
                action: Action::Keep,
                dest: frag.clone(),
                inline: None,
            };
            self.targets.insert(key.clone(), target);
            return Ok(());
        }
        let Some(section) = kind.section() else {
            // A path item: inlined wherever it is referenced.
            let content = pointer::get(&self.sources[*file].value, frag).cloned();
            let target = Target {
                action: Action::Inline,
                dest: Vec::new(),
                inline: content,
            };
            self.targets.insert(key.clone(), target);
            self.work.push((*file, frag.clone(), kind));
            return Ok(());
        };
        let action = if *file == 0 {
            if frag.len() < 2 || (frag[0] == "components" && frag.len() < 3) {
                return Err(Fail::Site(
                    format!(
                        "`$ref` to `#{}` points at a whole section",
                        pointer::render(frag)
                    ),
                    "point the `$ref` at a single object, e.g. `#/components/schemas/Name`"
                        .to_owned(),
                ));
            }
            // A `$ref` of one kind to an object of another (a schema's `$ref` to a parameter
            // in the paths, enode.io): moving the object would take it from its own place, so
            // the reference gets a copy.
            match super::walk::kind_at(&self.sources[0].value, frag) {
                Some(at) if at != kind && at.section().is_some() => {
                    let mut d = Diagnostic::warning(
                        pointer::render(frag),
                        format!(
                            "a reference to this {} uses it as a {}; it gets a copy",
                            at.name(),
                            kind.name()
                        ),
                    )
                    .with_hint("point the reference at an object of its own kind");
                    d.file = self.sources[0].display.clone().into();
                    self.warnings.push(d);
                    Action::Copy
                }
                _ => Action::Move,
            }
        } else {
            Action::Copy
        };
        let name = self.unique_name(section, self.base_name(*file, frag, kind));
        let dest = vec!["components".to_owned(), section.to_owned(), name];
        self.targets.insert(
            key.clone(),
            Target {
                action,
                dest,
                inline: None,
            },
        );
        self.work.push((*file, frag.clone(), kind));
        Ok(())
    }

    /// Resolve `r` relative to file `from`: the file (loaded if needed) and the pointer, which
    /// must exist.
    fn resolve(&mut self, from: usize, r: &str) -> Result<Key, Fail> {
        let (file_part, frag) = r.split_once('#').unwrap_or((r, ""));
        let (file_part, frag) = (percent_decode(file_part), percent_decode(frag));
        // An absolute URI under the file's own `$self` (3.2) names the file or a neighbour.
        let file_part =
            Self::under_self(&self.sources[from].value, &file_part).unwrap_or(file_part);
        let target = if file_part.is_empty() {
            from
        } else if Self::is_remote(&file_part) {
            return Err(Fail::Site(
                format!("remote `$ref` `{r}` is not supported"),
                "download the document and reference it by a relative path".to_owned(),
            ));
        } else {
            self.load(from, &file_part)?
        };
        let Some(tokens) = pointer::parse(&frag) else {
            return Err(Fail::Site(
                format!("`$ref` `{r}`: the fragment `#{frag}` is not a JSON pointer"),
                "anchors and `$id`s are not supported: use a pointer such as \
                 `#/components/schemas/Name`"
                    .to_owned(),
            ));
        };
        if pointer::get(&self.sources[target].value, &tokens).is_none() {
            return Err(self.not_found(r, target, &tokens));
        }
        Ok((target, tokens))
    }

    fn not_found(&self, r: &str, file: usize, tokens: &[String]) -> Fail {
        let source = &self.sources[file];
        let message = format!(
            "unresolved `$ref` `{r}`: `#{}` does not exist in `{}`",
            pointer::render(tokens),
            source.display
        );
        // The longest prefix that exists, and a close key there.
        let mut n = tokens.len();
        while n > 0 && pointer::get(&source.value, &tokens[..n]).is_none() {
            n -= 1;
        }
        let missing = tokens.get(n).map(String::as_str).unwrap_or_default();
        let parent = pointer::get(&source.value, &tokens[..n]);
        let near = match parent {
            Some(Value::Object(m)) => closest(missing, m.keys().map(String::as_str)),
            _ => None,
        };
        let known = match parent {
            Some(Value::Object(m)) if !m.is_empty() && m.len() <= 8 => {
                let keys: Vec<String> = m.keys().map(|k| format!("`{k}`")).collect();
                format!(" (it has {})", keys.join(", "))
            }
            _ => String::new(),
        };
        let via_ref = pointer::get(&source.value, &tokens[..n])
            .and_then(|v| v.get("$ref"))
            .and_then(Value::as_str);
        let hint = match near {
            _ if n < tokens.len() && via_ref.is_some() => format!(
                "`#{}` is itself a `$ref` to `{}`: point at the referenced object instead",
                pointer::render(&tokens[..n]),
                via_ref.unwrap_or_default()
            ),
            Some(k) => {
                let mut fixed = tokens[..n].to_vec();
                fixed.push(k.to_owned());
                format!("did you mean `#{}`?", pointer::render(&fixed))
            }
            None if n == 0 => "check the pointer: pointers are case-sensitive and start at the \
                 document root"
                .to_owned(),
            None => format!(
                "`#{}` has no `{missing}`{known}; check the spelling (pointers are case-sensitive)",
                pointer::render(&tokens[..n])
            ),
        };
        Fail::Site(message, hint)
    }

    /// Load (once) the file `rel`, relative to the directory of file `from`.
    fn load(&mut self, from: usize, rel: &str) -> Result<usize, Fail> {
        let path = normalize(&self.sources[from].dir.join(rel));
        let key = std::fs::canonicalize(&path).unwrap_or_else(|_| path.clone());
        if let Some(result) = self.by_path.get(&key) {
            return result.clone();
        }
        let display = display_path(&path);
        let result = match std::fs::read(&path) {
            Err(e) => {
                let why = match e.kind() {
                    std::io::ErrorKind::NotFound => "file not found".to_owned(),
                    _ => e.to_string(),
                };
                let base = display_path(&self.sources[from].dir);
                let base = if base.is_empty() || base == "." {
                    "the current directory".to_owned()
                } else {
                    format!("`{base}`")
                };
                Err(Fail::Site(
                    format!("cannot read `{display}` (referenced as `{rel}`): {why}"),
                    format!(
                        "the path is resolved relative to {base}; fix the path or add the file"
                    ),
                ))
            }
            Ok(bytes) => match String::from_utf8(bytes) {
                Err(_) => Err(Fail::Site(
                    format!("`{display}` is not valid UTF-8"),
                    "save the file as UTF-8".to_owned(),
                )),
                Ok(text) => self.add_source(path, display, text),
            },
        };
        self.by_path.insert(key, result.clone());
        result
    }

    fn add_source(&mut self, path: PathBuf, display: String, text: String) -> Result<usize, Fail> {
        let parsed = source::parse(&text);
        let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
        let id = self.sources.len();
        let (value, failure) = match parsed {
            Ok(v) => (v, None),
            Err(e) => (Value::Null, Some(e)),
        };
        self.sources.push(Source {
            path,
            dir,
            display: display.clone(),
            text,
            value,
        });
        match failure {
            None => Ok(id),
            Some(e) => {
                let mut d = Diagnostic::error("", e.message).with_hint(e.hint);
                d.file = display.into();
                d.position = e.position.or(Some(Position { line: 1, column: 1 }));
                self.errors.push(d);
                Err(Fail::Reported)
            }
        }
    }

    // -----------------------------------------------------------------------------------------
    // Names

    /// A component name for the target at `frag` of `file`, before making it unique.
    fn base_name(&self, file: usize, frag: &[String], kind: Kind) -> String {
        let node = pointer::get(&self.sources[file].value, frag);
        let n = frag.len();
        if n >= 2 && (frag[n - 2] == "$defs" || frag[n - 2] == "definitions") {
            let parent = self.base_name(file, &frag[..n - 2], Kind::Schema);
            return sanitize(&format!("{parent}_{}", frag[n - 1]));
        }
        if n >= 3 && frag[0] == "components" {
            return match last_meaningful(&frag[3..]) {
                Some(t) => sanitize(&format!("{}_{t}", frag[2])),
                None => sanitize(&frag[2]),
            };
        }
        if kind == Kind::Parameter {
            if let Some(name) = node.and_then(|n| n.get("name")).and_then(Value::as_str) {
                return sanitize(name);
            }
        }
        if let Some(t) = last_meaningful(frag) {
            return sanitize(t);
        }
        let stem = Path::new(&self.sources[file].display)
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        if file != 0 && !stem.is_empty() {
            return sanitize(&stem);
        }
        let kind_name = kind.section().unwrap_or("schemas");
        sanitize(&format!("inline_{}", kind_name.trim_end_matches('s')))
    }

    fn unique_name(&mut self, section: &'static str, base: String) -> String {
        let root = &self.sources[0].value;
        let taken = self.taken.entry(section).or_insert_with(|| {
            match root.get("components").and_then(|c| c.get(section)) {
                Some(Value::Object(m)) => m.keys().cloned().collect(),
                _ => HashSet::new(),
            }
        });
        let mut name = base.clone();
        let mut n = 2;
        while taken.contains(&name) {
            name = format!("{base}{n}");
            n += 1;
        }
        taken.insert(name.clone());
        name
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn helpers() {
        assert_eq!(percent_decode("a%7Bid%7D%2"), "a{id}%2");
        assert_eq!(
            normalize(Path::new("a/./b/../../../c")),
            PathBuf::from("../c")
        );
    }
}
