//! Which file imports which (the rule is in the parent module's doc): each crate root's module
//! tree is parsed with syn, and every `use` and path of non-test code is resolved to the file
//! defining what it names.

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::fs;
use std::path::{Path, PathBuf};

use syn::ext::IdentExt;
use syn::punctuated::Punctuated;
use syn::visit_mut::{self, VisitMut};
use syn::{Attribute, Expr, Item, Token, UseTree};

/// Macros whose arguments are expressions: paths in them count.
const EXPR_MACROS: &[&str] = &[
    "assert",
    "assert_eq",
    "assert_ne",
    "debug_assert",
    "debug_assert_eq",
    "debug_assert_ne",
    "dbg",
    "eprint",
    "eprintln",
    "format",
    "format_args",
    "panic",
    "print",
    "println",
    "todo",
    "unreachable",
    "vec",
    "write",
    "writeln",
];

/// The imports between files: (importer, imported) → the first path that makes it one.
#[derive(Debug, Default)]
pub struct Graph {
    pub files: BTreeSet<String>,
    pub edges: BTreeMap<(String, String), String>,
}

/// The import graph of the files of `crates` (directories under `root`), and the files that
/// could not be read or parsed (path, error).
pub fn graph(root: &Path, crates: &[&str]) -> (Graph, Vec<(String, String)>) {
    let mut graph = Graph::default();
    let mut errors = Vec::new();
    for krate in crates {
        for crate_root in crate_roots(&root.join(krate).join("src")) {
            load_crate(root, &crate_root, &mut errors).add_edges(&mut graph);
        }
    }
    (graph, errors)
}

/// `path` relative to `root`, with `/` separators.
pub fn relative(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    let parts: Vec<_> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect();
    parts.join("/")
}

/// A crate's roots: `lib.rs`, `main.rs` and `bin/*.rs` (or `bin/*/main.rs`) under `src`.
fn crate_roots(src: &Path) -> Vec<PathBuf> {
    let mut roots: Vec<PathBuf> = ["lib.rs", "main.rs"].iter().map(|f| src.join(f)).collect();
    if let Ok(entries) = fs::read_dir(src.join("bin")) {
        let mut bins: Vec<PathBuf> = entries.filter_map(|e| Some(e.ok()?.path())).collect();
        bins.sort();
        for bin in bins {
            roots.push(if bin.is_dir() {
                bin.join("main.rs")
            } else {
                bin
            });
        }
    }
    roots.retain(|root| root.is_file() && root.extension().is_some_and(|e| e == "rs"));
    roots
}

/// A module (a file or an inline `mod x { ... }`) and the names it defines or brings in.
#[derive(Debug, Default)]
struct Module {
    file: usize,
    items: BTreeSet<String>,
    /// Name → the path a non-glob `use` gives it, as written.
    uses: BTreeMap<String, Vec<String>>,
    /// Paths of glob `use`s, as written.
    globs: Vec<Vec<String>>,
}

/// A path in a file's code, as written, in the module it is written in.
#[derive(Debug)]
struct Ref {
    file: usize,
    module: Vec<String>,
    path: Vec<String>,
    /// In a `use` rather than in code.
    is_use: bool,
}

/// One crate root's module tree.
#[derive(Debug, Default)]
struct Crate {
    files: Vec<String>,
    modules: BTreeMap<Vec<String>, Module>,
    refs: Vec<Ref>,
}

/// Parses the module tree from `crate_root` (non-test modules only).
fn load_crate(root: &Path, crate_root: &Path, errors: &mut Vec<(String, String)>) -> Crate {
    let mut krate = Crate::default();
    let mut queue = VecDeque::from([(crate_root.to_path_buf(), Vec::new())]);
    let mut seen = BTreeSet::new();
    while let Some((path, module)) = queue.pop_front() {
        let rel = relative(root, &path);
        if !seen.insert(rel.clone()) {
            continue;
        }
        let parsed = fs::read_to_string(&path)
            .map_err(|e| e.to_string())
            .and_then(|text| syn::parse_file(&text).map_err(|e| e.to_string()));
        let mut file = match parsed {
            Ok(file) => file,
            Err(e) => {
                errors.push((rel, e));
                continue;
            }
        };
        if is_test(&file.attrs) {
            continue;
        }
        // Where this file's `mod x;` files are: next to a crate root or `mod.rs`, else in a
        // directory named after the file.
        let dir = if path == crate_root || path.ends_with("mod.rs") {
            path.parent().unwrap_or(root).to_path_buf()
        } else {
            path.with_extension("")
        };
        let id = krate.files.len();
        krate.files.push(rel);
        let base = module.len();
        let mut visitor = Visitor {
            krate: &mut krate,
            file: id,
            stack: module.clone(),
            decls: Vec::new(),
        };
        visitor.enter();
        visitor.visit_file_mut(&mut file);
        for (parent, name) in visitor.decls {
            let dir = parent[base..].iter().fold(dir.clone(), |d, s| d.join(s));
            let candidates = [
                dir.join(format!("{name}.rs")),
                dir.join(&name).join("mod.rs"),
            ];
            if let Some(found) = candidates.into_iter().find(|p| p.is_file()) {
                let mut child = parent;
                child.push(name);
                queue.push_back((found, child));
            }
        }
    }
    krate
}

impl Crate {
    /// `path` written in `module`, as a path from the crate root; `None` when it leaves the
    /// crate (another crate, a local, a generic, the prelude).
    fn absolute(&self, module: &[String], path: &[String], depth: usize) -> Option<Vec<String>> {
        let (first, mut rest) = path.split_first()?;
        let mut base = match first.as_str() {
            "crate" => Vec::new(),
            "self" => module.to_vec(),
            "super" => {
                let mut base = module.to_vec();
                base.pop()?;
                base
            }
            _ => {
                let mut child = module.to_vec();
                child.push(first.clone());
                if self.modules.contains_key(&child) {
                    child.extend_from_slice(rest);
                    return Some(child);
                }
                let target = self.modules.get(module)?.uses.get(first)?;
                if depth > 8 {
                    return None;
                }
                let mut absolute = self.absolute(module, target, depth + 1)?;
                absolute.extend_from_slice(rest);
                return Some(absolute);
            }
        };
        while let Some(("super", after)) = rest.split_first().map(|(s, r)| (s.as_str(), r)) {
            base.pop()?;
            rest = after;
        }
        base.extend_from_slice(rest);
        Some(base)
    }

    /// The file defining what the absolute `path` names, following `use`s and re-exports.
    fn resolve(&self, path: &[String], depth: usize) -> Option<usize> {
        if depth > 8 {
            return None;
        }
        let mut current = Vec::new();
        for (i, segment) in path.iter().enumerate() {
            current.push(segment.clone());
            if self.modules.contains_key(&current) {
                continue;
            }
            current.pop();
            let module = self.modules.get(&current)?;
            if module.items.contains(segment) {
                return Some(module.file);
            }
            if let Some(target) = module.uses.get(segment) {
                let mut absolute = self.absolute(&current, target, depth + 1)?;
                absolute.extend_from_slice(&path[i + 1..]);
                return self.resolve(&absolute, depth + 1);
            }
            return module.globs.iter().find_map(|glob| {
                let mut absolute = self.absolute(&current, glob, depth + 1)?;
                absolute.extend_from_slice(&path[i..]);
                self.resolve(&absolute, depth + 1)
            });
        }
        self.modules.get(&current).map(|module| module.file)
    }

    fn add_edges(&self, graph: &mut Graph) {
        graph.files.extend(self.files.iter().cloned());
        for r in &self.refs {
            // A one-segment path names a module only in a `use`; in code it can be a local
            // that happens to share a child module's name, so only `use`d names count.
            let path = match r.path.as_slice() {
                [name] if !r.is_use => match self.modules.get(&r.module) {
                    Some(module) => module.uses.get(name).map_or(&[][..], Vec::as_slice),
                    None => continue,
                },
                _ => &r.path,
            };
            let Some(to) = self
                .absolute(&r.module, path, 0)
                .and_then(|path| self.resolve(&path, 0))
            else {
                continue;
            };
            if to != r.file {
                let key = (self.files[r.file].clone(), self.files[to].clone());
                graph.edges.entry(key).or_insert_with(|| path.join("::"));
            }
        }
    }
}

/// Collects a file's modules, definitions, `use`s, paths and `mod x;` declarations, skipping
/// `#[cfg(test)]` items.
struct Visitor<'a> {
    krate: &'a mut Crate,
    file: usize,
    /// The module being visited, from the crate root.
    stack: Vec<String>,
    /// `mod x;` declarations: (the module declaring it, x).
    decls: Vec<(Vec<String>, String)>,
}

impl Visitor<'_> {
    fn enter(&mut self) {
        let file = self.file;
        let module = self.krate.modules.entry(self.stack.clone()).or_default();
        module.file = file;
    }

    fn module(&mut self) -> &mut Module {
        self.krate.modules.entry(self.stack.clone()).or_default()
    }

    fn refer(&mut self, path: Vec<String>, is_use: bool) {
        if !path.is_empty() {
            let module = self.stack.clone();
            let file = self.file;
            let r = Ref {
                file,
                module,
                path,
                is_use,
            };
            self.krate.refs.push(r);
        }
    }
}

impl VisitMut for Visitor<'_> {
    fn visit_item_mut(&mut self, item: &mut Item) {
        if is_test(item_attrs(item)) {
            return;
        }
        if let Some(name) = item_name(item) {
            self.module().items.insert(name);
        }
        visit_mut::visit_item_mut(self, item);
    }

    fn visit_impl_item_fn_mut(&mut self, item: &mut syn::ImplItemFn) {
        if !is_test(&item.attrs) {
            visit_mut::visit_impl_item_fn_mut(self, item);
        }
    }

    fn visit_item_mod_mut(&mut self, item: &mut syn::ItemMod) {
        let name = item.ident.unraw().to_string();
        match &mut item.content {
            None => self.decls.push((self.stack.clone(), name)),
            Some((_, items)) => {
                self.stack.push(name);
                self.enter();
                for item in items {
                    self.visit_item_mut(item);
                }
                self.stack.pop();
            }
        }
    }

    fn visit_item_use_mut(&mut self, item: &mut syn::ItemUse) {
        let reexport = !matches!(item.vis, syn::Visibility::Inherited);
        let mut flat = Vec::new();
        flatten(&item.tree, Vec::new(), &mut flat);
        for (path, name) in flat {
            let module = self.module();
            match name {
                Some(name) => module.uses.insert(name, path.clone()),
                None => {
                    module.globs.push(path.clone());
                    None
                }
            };
            if !reexport {
                self.refer(path, true);
            }
        }
    }

    fn visit_path_mut(&mut self, path: &mut syn::Path) {
        if path.leading_colon.is_none() {
            let segments = path.segments.iter().map(|s| s.ident.unraw().to_string());
            self.refer(segments.collect(), false);
        }
        visit_mut::visit_path_mut(self, path);
    }

    fn visit_macro_mut(&mut self, mac: &mut syn::Macro) {
        let name = mac.path.segments.last().map(|s| s.ident.to_string());
        if !name.is_some_and(|name| EXPR_MACROS.contains(&name.as_str())) {
            return;
        }
        let parser = Punctuated::<Expr, Token![,]>::parse_terminated;
        if let Ok(args) = mac.parse_body_with(parser) {
            for mut arg in args {
                self.visit_expr_mut(&mut arg);
            }
        }
    }
}

/// A `use` tree as (path, the name it binds; `None` for a glob).
fn flatten(tree: &UseTree, mut prefix: Vec<String>, out: &mut Vec<(Vec<String>, Option<String>)>) {
    match tree {
        UseTree::Path(p) => {
            prefix.push(p.ident.unraw().to_string());
            flatten(&p.tree, prefix, out);
        }
        UseTree::Name(n) if n.ident == "self" => {
            let name = prefix.last().cloned();
            out.push((prefix, name));
        }
        UseTree::Name(n) => {
            let name = n.ident.unraw().to_string();
            prefix.push(name.clone());
            out.push((prefix, Some(name)));
        }
        UseTree::Rename(r) => {
            prefix.push(r.ident.unraw().to_string());
            out.push((prefix, Some(r.rename.unraw().to_string())));
        }
        UseTree::Glob(_) => out.push((prefix, None)),
        UseTree::Group(g) => {
            for tree in &g.items {
                flatten(tree, prefix.clone(), out);
            }
        }
    }
}

/// Whether the attributes include `#[cfg(test)]`.
fn is_test(attrs: &[Attribute]) -> bool {
    attrs.iter().any(|attr| {
        attr.path().is_ident("cfg")
            && attr
                .meta
                .require_list()
                .is_ok_and(|list| list.tokens.to_string() == "test")
    })
}

fn item_attrs(item: &Item) -> &[Attribute] {
    match item {
        Item::Const(i) => &i.attrs,
        Item::Enum(i) => &i.attrs,
        Item::ExternCrate(i) => &i.attrs,
        Item::Fn(i) => &i.attrs,
        Item::ForeignMod(i) => &i.attrs,
        Item::Impl(i) => &i.attrs,
        Item::Macro(i) => &i.attrs,
        Item::Mod(i) => &i.attrs,
        Item::Static(i) => &i.attrs,
        Item::Struct(i) => &i.attrs,
        Item::Trait(i) => &i.attrs,
        Item::TraitAlias(i) => &i.attrs,
        Item::Type(i) => &i.attrs,
        Item::Union(i) => &i.attrs,
        Item::Use(i) => &i.attrs,
        _ => &[],
    }
}

/// The name an item defines in its module (modules are tracked on their own).
fn item_name(item: &Item) -> Option<String> {
    let ident = match item {
        Item::Const(i) => &i.ident,
        Item::Enum(i) => &i.ident,
        Item::Fn(i) => &i.sig.ident,
        Item::Macro(i) => i.ident.as_ref()?,
        Item::Static(i) => &i.ident,
        Item::Struct(i) => &i.ident,
        Item::Trait(i) => &i.ident,
        Item::TraitAlias(i) => &i.ident,
        Item::Type(i) => &i.ident,
        Item::Union(i) => &i.ident,
        _ => return None,
    };
    Some(ident.unraw().to_string())
}
