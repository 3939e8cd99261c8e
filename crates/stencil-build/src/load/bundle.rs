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
use std::path::{Component, Path, PathBuf};

use indexmap::IndexMap;
use serde_json::{json, Map, Value};

use super::pointer::{self, Tokens};
use super::source::{self, SourceInfo};
use super::walk::{children, Kind};
use crate::diag::{Diagnostic, Position};

/// Marks a `$ref` the bundler wrote itself (already resolved); removed before returning.
const RESOLVED: &str = "x-stencil-resolved";

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
    };
    if let Some(key) = root_key {
        b.by_path.insert(key, Ok(0));
    }
    b.sources.push(root);
    b.collect();
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
    }
}

/// The `$ref` of an object that may be a Reference Object.
fn ref_of(node: &Value, kind: Kind) -> Option<&str> {
    if !kind.allows_ref() {
        return None;
    }
    node.get("$ref").and_then(Value::as_str)
}

/// A `$ref` with nothing else that matters: a chain link to follow. Schema siblings matter
/// (3.1 applies them); Reference Object siblings (`summary`, `description`) do not.
fn pure_ref(node: &Value, kind: Kind) -> Option<&str> {
    let r = ref_of(node, kind)?;
    let Value::Object(m) = node else { return None };
    let pure = kind != Kind::Schema || m.keys().all(|k| k == "$ref" || k.starts_with("x-"));
    pure.then_some(r)
}

/// A discriminator mapping value that is a reference rather than a schema name.
fn looks_like_ref(s: &str) -> bool {
    s.contains('#')
        || s.contains('/')
        || [".yaml", ".yml", ".json"]
            .iter()
            .any(|ext| s.ends_with(ext))
}

fn is_component(frag: &[String], kind: Kind) -> bool {
    frag.len() == 3 && frag[0] == "components" && kind.section().is_some()
}

fn stub(dest: &[String]) -> Value {
    json!({"$ref": format!("#{}", pointer::render(dest)), RESOLVED: true})
}

impl Bundler {
    fn error(&mut self, file: usize, at: &[String], message: String, hint: String) {
        let display = self
            .sources
            .get(file)
            .map(|s| s.display.clone())
            .unwrap_or_default();
        let mut d = Diagnostic::error(pointer::render(at), message).with_hint(hint);
        d.file = display.into();
        self.errors.push(d);
    }

    // -----------------------------------------------------------------------------------------
    // Collect

    fn collect(&mut self) {
        self.work.push((0, Vec::new(), Kind::Root));
        while let Some((file, ptr, kind)) = self.work.pop() {
            let mut refs: Vec<(Tokens, String)> = Vec::new();
            let mut kids = Vec::new();
            if let Some(node) = pointer::get(&self.sources[file].value, &ptr) {
                let r = ref_of(node, kind);
                if let Some(r) = r {
                    refs.push((pointer::join(&ptr, &["$ref"]), r.to_owned()));
                }
                if kind == Kind::Schema {
                    if let Some(Value::Object(mapping)) =
                        node.get("discriminator").and_then(|d| d.get("mapping"))
                    {
                        for (k, v) in mapping {
                            if let Some(s) = v.as_str().filter(|s| looks_like_ref(s)) {
                                let at = pointer::join(&ptr, &["discriminator", "mapping", k]);
                                refs.push((at, s.to_owned()));
                            }
                        }
                    }
                }
                if r.is_none() || kind == Kind::Schema {
                    kids = children(node, kind);
                }
            }
            for (at, r) in refs {
                self.process(file, &at, kind, &r);
            }
            for (rel, k) in kids.into_iter().rev() {
                let mut child = ptr.clone();
                child.extend(rel);
                self.work.push((file, child, k));
            }
        }
    }

    /// Resolve the `$ref` `r` found at `at` in `from`, creating its target.
    fn process(&mut self, from: usize, at: &[String], kind: Kind, r: &str) {
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
            self.error(from, at, message, hint);
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
                let at = pointer::join(&key.1, &["$ref"]);
                let message = "circular `$ref`: this reference leads back to itself".to_owned();
                let hint =
                    "make one of the references in the cycle point to an actual object".to_owned();
                self.error(key.0, &at, message, hint);
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
                    self.error(key.0, &pointer::join(&key.1, &["$ref"]), message, hint);
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
            Action::Move
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
        let target = if file_part.is_empty() {
            from
        } else if file_part.contains("://") || file_part.starts_with("//") {
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

    // -----------------------------------------------------------------------------------------
    // Assemble

    fn assemble(&mut self) -> (Value, HashMap<String, (usize, String)>) {
        let mut doc = std::mem::take(&mut self.sources[0].value);
        let mut relocations = HashMap::new();
        relocations.insert(String::new(), (0, String::new()));
        let mut stubs = 0usize;

        // Copies of external nodes.
        for (key, t) in &self.targets {
            if t.action == Action::Copy {
                if let Some(node) = pointer::get(&self.sources[key.0].value, &key.1) {
                    pointer::insert(&mut doc, &t.dest, node.clone());
                    relocations.insert(pointer::render(&t.dest), (key.0, pointer::render(&key.1)));
                }
            }
        }
        // A copied node inside another copied node: a `$ref` to its own copy.
        for (key, t) in &self.targets {
            if t.action != Action::Copy {
                continue;
            }
            let outer = (0..key.1.len()).rev().find_map(|n| {
                let k = (key.0, key.1[..n].to_vec());
                self.targets
                    .get(&k)
                    .filter(|o| o.action == Action::Copy)
                    .map(|o| (n, o))
            });
            if let Some((n, outer)) = outer {
                let mut at = outer.dest.clone();
                at.extend(key.1[n..].iter().cloned());
                if let Some(slot) = pointer::get_mut(&mut doc, &at) {
                    *slot = stub(&t.dest);
                    stubs += 1;
                }
            }
        }
        // Moves of root nodes, deepest first so that nested moves compose.
        let mut moves: Vec<(&Key, &Target)> = self
            .targets
            .iter()
            .filter(|(_, t)| t.action == Action::Move)
            .collect();
        moves.sort_by_key(|(k, _)| std::cmp::Reverse(k.1.len()));
        for (key, t) in moves {
            if let Some(slot) = pointer::get_mut(&mut doc, &key.1) {
                let node = std::mem::replace(slot, stub(&t.dest));
                stubs += 1;
                pointer::insert(&mut doc, &t.dest, node);
                relocations.insert(pointer::render(&t.dest), (0, pointer::render(&key.1)));
            }
        }

        let removed = self.rewrite(&mut doc, &mut relocations);
        if removed < stubs {
            remove_markers(&mut doc);
        }
        if let Some(Value::Object(c)) = doc.get_mut("components") {
            c.shift_remove("pathItems");
        }
        (doc, relocations)
    }

    /// The bundled pointer of the target of `r` (found in `file`).
    fn dest_of(&self, file: usize, r: &str) -> Option<&Target> {
        let key = self.resolved.get(&(file, r.to_owned()))?.as_ref().ok()?;
        self.targets.get(key)
    }

    /// Rewrite every `$ref` to its target's place; inline path items. Returns how many of the
    /// bundler's own stubs it saw (and unmarked).
    fn rewrite(
        &self,
        doc: &mut Value,
        relocations: &mut HashMap<String, (usize, String)>,
    ) -> usize {
        let mut removed = 0;
        let mut work: Vec<(Tokens, Kind, usize)> = vec![(Vec::new(), Kind::Root, 0)];
        while let Some((ptr, kind, file)) = work.pop() {
            let Some(node) = pointer::get_mut(doc, &ptr) else {
                continue;
            };
            if let Some(r) = ref_of(node, kind).map(str::to_owned) {
                let Value::Object(m) = node else { continue };
                if m.shift_remove(RESOLVED).is_some() {
                    removed += 1;
                    continue;
                }
                match self.dest_of(file, &r) {
                    Some(t) if t.action == Action::Inline => {
                        if ptr.len() > 48 {
                            continue; // recursive callbacks: leave the `$ref`
                        }
                        let key = self.resolved[&(file, r.clone())].clone().ok();
                        let mut content = t.inline.clone().unwrap_or(Value::Object(Map::new()));
                        if let Value::Object(c) = &mut content {
                            for (k, v) in std::mem::take(m) {
                                if k != "$ref" {
                                    c.insert(k, v);
                                }
                            }
                        }
                        *node = content;
                        if let Some((f, src)) = key {
                            relocations.insert(pointer::render(&ptr), (f, pointer::render(&src)));
                            work.push((ptr, kind, f));
                        }
                        continue;
                    }
                    Some(t) => {
                        m.insert(
                            "$ref".to_owned(),
                            format!("#{}", pointer::render(&t.dest)).into(),
                        );
                    }
                    None => {}
                }
                if kind != Kind::Schema {
                    continue;
                }
            }
            if kind == Kind::Schema {
                if let Some(Value::Object(mapping)) = node
                    .get_mut("discriminator")
                    .and_then(|d| d.get_mut("mapping"))
                {
                    for v in mapping.values_mut() {
                        if let Value::String(s) = v {
                            if looks_like_ref(s) {
                                if let Some(t) = self.dest_of(file, s) {
                                    *s = format!("#{}", pointer::render(&t.dest));
                                }
                            }
                        }
                    }
                }
            }
            for (rel, k) in children(node, kind).into_iter().rev() {
                let mut child = ptr.clone();
                child.extend(rel);
                let f = relocations
                    .get(&pointer::render(&child))
                    .map_or(file, |r| r.0);
                work.push((child, k, f));
            }
        }
        removed
    }
}

/// Remove the bundler's markers anywhere (stubs in places the structural walk does not visit).
fn remove_markers(doc: &mut Value) {
    let mut stack = vec![doc];
    while let Some(v) = stack.pop() {
        match v {
            Value::Object(m) => {
                m.shift_remove(RESOLVED);
                stack.extend(m.values_mut());
            }
            Value::Array(a) => stack.extend(a.iter_mut()),
            _ => {}
        }
    }
}

const STRUCTURAL: &[&str] = &[
    "schema",
    "schemas",
    "items",
    "properties",
    "additionalProperties",
    "allOf",
    "anyOf",
    "oneOf",
    "not",
    "content",
    "parameters",
    "responses",
    "requestBody",
    "requestBodies",
    "headers",
    "paths",
    "components",
    "get",
    "put",
    "post",
    "delete",
    "options",
    "head",
    "patch",
    "trace",
    "prefixItems",
    "default",
];

/// The last token of a pointer that names something (not an index, keyword or media type).
pub(crate) fn last_meaningful(tokens: &[String]) -> Option<&str> {
    tokens
        .iter()
        .rev()
        .map(String::as_str)
        .find(|t| pointer::index(t).is_none() && !STRUCTURAL.contains(t) && !t.contains('/'))
}

/// A component name: letters, digits, `.`, `-` and `_` (the 3.0 rule for component keys).
pub(crate) fn sanitize(name: &str) -> String {
    let s: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect();
    let s = s.trim_matches('_').to_owned();
    if s.is_empty() {
        "Schema".to_owned()
    } else {
        s
    }
}

/// The key of `keys` closest to `wanted` (same ignoring case, or at most 2 edits away).
fn closest<'a>(wanted: &str, keys: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    let mut best: Option<(usize, &str)> = None;
    for k in keys {
        let d = if k.eq_ignore_ascii_case(wanted) {
            0
        } else {
            edit_distance(k, wanted)
        };
        if d <= 2 && best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, k));
        }
    }
    best.map(|(_, k)| k)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    if a.len().abs_diff(b.len()) > 2 || a.len() > 64 || b.len() > 64 {
        return usize::MAX;
    }
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// Decode `%XX` escapes (URI references may escape `{`, `}`, spaces, ...).
fn percent_decode(s: &str) -> String {
    if !s.contains('%') {
        return s.to_owned();
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// `a/./b/../c` → `a/c`, lexically (the file may not exist).
pub(crate) fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if matches!(out.components().next_back(), Some(Component::Normal(_))) {
                    out.pop();
                } else {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// A path as shown in diagnostics: forward slashes.
pub(crate) fn display_path(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
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
        assert_eq!(closest("Eror", ["Error", "Pet"].into_iter()), Some("Error"));
        assert_eq!(closest("pet", ["Error", "Pet"].into_iter()), Some("Pet"));
        assert_eq!(closest("Zebra", ["Error", "Pet"].into_iter()), None);
        assert_eq!(sanitize("a b/c"), "a_b_c");
    }
}
