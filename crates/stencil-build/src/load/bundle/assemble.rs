//! Assembling the bundle: copies of external targets, moves of root targets (deepest first,
//! a `$ref` stub left in place), then one walk that rewrites every `$ref` to its target's
//! place and inlines path items.

use std::collections::HashMap;

use serde_json::{json, Map, Value};

use super::refs::{looks_like_ref, ref_of};
use super::{Action, Bundler, Key, Target};
use crate::load::pointer;
use crate::load::walk::{each_child_mut, push_steps, Kind};

/// Marks a `$ref` the bundler wrote itself (already resolved); removed before returning.
const RESOLVED: &str = "x-stencil-resolved";

fn stub(dest: &[String]) -> Value {
    json!({"$ref": format!("#{}", pointer::render(dest)), RESOLVED: true})
}

impl Bundler {
    /// Whether the document changes at all: external files, moves, inlined path items, or
    /// `$ref`s whose text is not already their target's pointer.
    fn changes(&self) -> bool {
        self.sources.len() > 1
            || self.targets.values().any(|t| t.action != Action::Keep)
            || self.resolved.iter().any(|((_, r), key)| {
                key.as_ref()
                    .is_ok_and(|k| *r != format!("#{}", pointer::render(&k.1)))
            })
    }

    pub(super) fn assemble(&mut self) -> (Value, HashMap<String, (usize, String)>) {
        let mut doc = std::mem::take(&mut self.sources[0].value);
        let mut relocations = HashMap::new();
        relocations.insert(String::new(), (0, String::new()));
        if !self.changes() {
            return (doc, relocations);
        }
        let mut stubs = 0usize;

        // Copies of external nodes.
        for (key, t) in &self.targets {
            if t.action == Action::Copy {
                // Copies from the root (a reference of another kind) read the document itself,
                // before any node moves.
                let source = if key.0 == 0 {
                    &doc
                } else {
                    &self.sources[key.0].value
                };
                if let Some(node) = pointer::get(source, &key.1).cloned() {
                    pointer::insert(&mut doc, &t.dest, node);
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

        let mut rewrite = Rewrite {
            bundler: self,
            relocations,
            removed: 0,
        };
        rewrite.node(&mut doc, Kind::Root, 0, &mut String::new(), 0);
        let Rewrite {
            relocations,
            removed,
            ..
        } = rewrite;
        if removed < stubs {
            remove_markers(&mut doc);
        }
        if let Some(Value::Object(c)) = doc.get_mut("components") {
            c.shift_remove("pathItems");
        }
        (doc, relocations)
    }

    /// The target of `r` (found in `file`).
    fn target_of(&self, file: usize, r: &str) -> Option<(&Key, &Target)> {
        let key = self.resolved.get(&(file, r.to_owned()))?.as_ref().ok()?;
        self.targets.get_key_value(key)
    }
}

/// The rewriting walk of the assembled document.
struct Rewrite<'b> {
    bundler: &'b Bundler,
    relocations: HashMap<String, (usize, String)>,
    /// How many of the bundler's own stubs it saw (and unmarked).
    removed: usize,
}

/// Path items inlined inside inlined path items (through callbacks) at most this deep.
const MAX_INLINE: usize = 16;

impl Rewrite<'_> {
    /// Rewrite every `$ref` under `node` (from `file`) to its target's place; inline path items.
    fn node(
        &mut self,
        node: &mut Value,
        kind: Kind,
        file: usize,
        path: &mut String,
        inlined: usize,
    ) {
        if let Some(r) = ref_of(node, kind).map(str::to_owned) {
            let Value::Object(m) = node else { return };
            if m.shift_remove(RESOLVED).is_some() {
                self.removed += 1;
                return;
            }
            match self.bundler.target_of(file, &r) {
                Some((key, t)) if t.action == Action::Inline => {
                    if inlined >= MAX_INLINE {
                        return; // recursive callbacks: leave the `$ref`
                    }
                    let mut content = t.inline.clone().unwrap_or(Value::Object(Map::new()));
                    if let Value::Object(c) = &mut content {
                        for (k, v) in std::mem::take(m) {
                            if k != "$ref" {
                                c.insert(k, v);
                            }
                        }
                    }
                    *node = content;
                    self.relocations
                        .insert(path.clone(), (key.0, pointer::render(&key.1)));
                    let file = key.0;
                    return self.node(node, kind, file, path, inlined + 1);
                }
                Some((_, t)) => {
                    let dest = format!("#{}", pointer::render(&t.dest));
                    m.insert("$ref".to_owned(), Value::String(dest));
                }
                None => {}
            }
            if kind != Kind::Schema {
                return;
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
                            if let Some((_, t)) = self.bundler.target_of(file, s) {
                                *s = format!("#{}", pointer::render(&t.dest));
                            }
                        }
                    }
                }
            }
        }
        each_child_mut(node, kind, &mut |a, b, child, k| {
            let len = path.len();
            push_steps(path, a, b);
            // Copied and moved nodes are the entries of the components sections.
            let f = match kind {
                Kind::Components => self.relocations.get(path.as_str()).map_or(file, |r| r.0),
                _ => file,
            };
            self.node(child, k, f, path, inlined);
            path.truncate(len);
        });
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
