//! Compositions: `allOf`, and unions next to properties or inside `allOf`.
//!
//! An `allOf` whose parts are objects is one struct with the fields of every part (later parts
//! win, `required` accumulates). A union among the parts is distributed over them, because
//! `allOf: [Base, oneOf: [A, B]]` is `oneOf: [allOf: [Base, A], allOf: [Base, B]]`: the result is
//! a union whose variants are structs with the fields of every other part plus the branch's, and
//! the union's discriminator still applies. The same holds for a schema with `properties` and its
//! own `oneOf`. Three kinds of union are not distributed:
//!
//! - branches that only constrain (`oneOf: [{required: [a]}, {required: [b]}]`): validation, not
//!   alternatives of shape; the struct keeps every field;
//! - a parent listing its children (`Pet: {oneOf: [Cat, Dog]}` with `Cat: {allOf: [Pet, ...]}`),
//!   seen from a child: the child is a struct with the parent's own fields; seen from the parent,
//!   the children are the variants as they are;
//! - a second union among the parts: only the first is distributed, the others are reported.

use openapiv3::{ReferenceOr, Schema};

use crate::diag::join;
use crate::ir::build::{Builder, Hint};
use crate::ir::convert::{docs_of, Typed};
use crate::ir::schema::View;
use crate::ir::{Field, Struct, TypeId, TypeKind, TypeRef, Union, UnionVariant};
use crate::naming;

const PREFIX: &str = "#/components/schemas/";

/// What a union among an `allOf`'s parts means for the composition.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Role {
    /// Alternatives of shape: distributed.
    Types,
    /// Only `required`-style constraints: ignored for typing.
    Constraints,
    /// A parent listing the schemas that extend it.
    Inheritance,
}

/// One part of a flattened `allOf`: the schema, where it is, and the reference it was reached by.
struct Part<'s> {
    view: View<'s>,
    ptr: String,
    reference: Option<String>,
}

impl<'a> Builder<'a> {
    /// A schema with `allOf`, or with both `properties` and its own `oneOf`/`anyOf`.
    pub(crate) fn composed<'s>(
        &mut self,
        v: &View<'s>,
        ptr: &str,
        hint: Hint,
        target: Option<TypeId>,
    ) -> Typed
    where
        'a: 's,
    {
        let own_ref = target
            .and_then(|t| self.slots[t.0 as usize].component.clone())
            .map(|key| format!("{PREFIX}{key}"));
        let mut seen: Vec<String> = own_ref.iter().cloned().collect();
        let mut parts = Vec::new();
        for (i, part) in v.all_of.iter().enumerate() {
            let p = join(&join(ptr, "allOf"), &i.to_string());
            self.flatten(part, p, &mut parts, &mut seen, 0);
        }
        // The parts whose union is one of alternatives of shape.
        let typed: Vec<bool> = parts
            .iter()
            .map(|p| {
                p.view.has_union() && self.role(&p.view, p.reference.as_deref()) == Role::Types
            })
            .collect();
        // The union to distribute: the schema's own first, else the first among the parts.
        let own_role = v.union().map(|_| self.role(v, own_ref.as_deref()));
        let distributed = if matches!(own_role, Some(Role::Types | Role::Inheritance)) {
            Some(None)
        } else {
            typed.iter().position(|t| *t).map(Some)
        };
        // Unions left in the parts that are alternatives of shape are not typed.
        for (i, p) in parts.iter().enumerate() {
            if typed[i] && distributed != Some(Some(i)) {
                self.warning(
                    &p.ptr,
                    "a second oneOf/anyOf in the same allOf is not merged; its properties are not typed",
                    "move one of the unions into a property",
                );
            }
        }
        let Some(which) = distributed else {
            let id = self.reserve(ptr, hint, target);
            let shared = self.shared_fields(v, ptr, &parts, id);
            let st = self.merged(v, &shared, id, None, &seen);
            let ty = self.finish(id, TypeKind::Struct(st), docs_of(v), target.is_some());
            return Typed::plain(ty);
        };
        let (uview, uptr) = match which {
            None => (v, ptr.to_owned()),
            Some(i) => (&parts[i].view, parts[i].ptr.clone()),
        };
        let Some((key, branches)) = uview.union() else {
            return Typed::plain(TypeRef::Any);
        };
        let id = self.reserve(ptr, hint, target);
        // The other parts' fields are converted once, under the union's name, and copied into
        // every variant (converting them per branch would multiply with every level of nesting).
        let shared = self.shared_fields(v, ptr, &parts, id);
        let mut variants = Vec::new();
        let mut branch_ids = Vec::new();
        let mut scope = naming::Scope::new();
        let mut nullable = false;
        for (i, branch) in branches.iter().enumerate() {
            let bp = join(&join(&uptr, key), &i.to_string());
            if self.is_null_only(branch) {
                nullable = true;
                continue;
            }
            let component = match branch {
                ReferenceOr::Reference { reference } => self.schema_ids.get(reference).copied(),
                ReferenceOr::Item(_) => None,
            };
            let base = match component {
                Some(c) => self.slot_name_hint(c),
                None => format!("Variant{i}"),
            };
            let (name, _) = scope.claim(&naming::variant_name(&base));
            // A branch that extends this very schema already has all of its fields.
            let extends_self = match (branch, &own_ref, which) {
                (ReferenceOr::Reference { reference }, Some(own), None) => {
                    self.extends(reference, own)
                }
                _ => false,
            };
            let ty = if extends_self {
                self.type_of(branch, &bp, Hint::under(id, &base)).ty
            } else {
                let vid = self.reserve(&bp, Hint::under(id, &base), None);
                let st = self.merged(v, &shared, vid, Some((which, branch, &bp)), &seen);
                let docs = match branch {
                    ReferenceOr::Reference { reference } => self
                        .lookup_schema(reference)
                        .map(|(s, _)| docs_of(&View::new(s)))
                        .unwrap_or_default(),
                    ReferenceOr::Item(s) => docs_of(&View::new(s)),
                };
                self.finish(vid, TypeKind::Struct(st), docs, false)
            };
            branch_ids.push(component);
            variants.push(UnionVariant {
                name,
                tag_values: Vec::new(),
                ty,
                docs: Default::default(),
            });
        }
        let tag = self.discriminate(uview, &uptr, &mut variants, &branch_ids);
        let kind = TypeKind::Union(Union {
            tag,
            variants,
            event_keyed: false,
        });
        let ty = self.finish(id, kind, docs_of(v), target.is_some());
        let mut t = Typed::plain(ty);
        t.nullable = nullable;
        t
    }

    /// The fields of each part and then of the schema itself, converted once with `owner`'s
    /// name for the types they define.
    fn shared_fields<'s>(
        &mut self,
        v: &View<'s>,
        ptr: &str,
        parts: &[Part<'s>],
        owner: TypeId,
    ) -> Vec<Struct>
    where
        'a: 's,
    {
        let mut out: Vec<Struct> = parts
            .iter()
            .map(|p| self.fields_of(&p.view, &p.ptr, owner))
            .collect();
        out.push(self.fields_of(v, ptr, owner));
        out
    }

    /// The struct of a composition: the fields of every part in order, then the schema's own
    /// (`shared`, one entry per part and a last for the schema). With a branch, the union at
    /// `which` (a part, or the schema's own with `None`) contributes that branch's fields after
    /// its own.
    fn merged<'s>(
        &mut self,
        v: &View<'s>,
        shared: &[Struct],
        owner: TypeId,
        branch: Option<(Option<usize>, &'s ReferenceOr<Schema>, &str)>,
        seen: &[String],
    ) -> Struct
    where
        'a: 's,
    {
        let mut st = Struct::default();
        let mut seen = seen.to_vec();
        let own = shared.len() - 1;
        for (i, fields) in shared.iter().enumerate() {
            merge_fields(&mut st, fields.clone());
            let at = if i == own { None } else { Some(i) };
            if let Some((which, b, bp)) = branch {
                if which == at {
                    self.merge_part(b, bp, owner, &mut st, &mut seen, 0);
                }
            }
        }
        // `required` next to `allOf` names fields of the parts.
        for f in &mut st.fields {
            f.required |= v.required.contains(&f.wire_name.as_str());
        }
        st
    }

    /// The parts of an `allOf`, with nested `allOf`s flattened and references followed
    /// (each once).
    fn flatten<'s>(
        &mut self,
        part: &'s ReferenceOr<Schema>,
        ptr: String,
        out: &mut Vec<Part<'s>>,
        seen: &mut Vec<String>,
        depth: usize,
    ) where
        'a: 's,
    {
        if depth > 32 {
            return;
        }
        let (schema, p, reference): (&'s Schema, String, Option<String>) = match part {
            ReferenceOr::Reference { reference } => {
                if seen.contains(reference) {
                    return;
                }
                seen.push(reference.clone());
                match self.lookup_schema(reference) {
                    Some((s, p)) => (s, p, Some(reference.clone())),
                    None => {
                        self.reference(reference, &ptr);
                        return;
                    }
                }
            }
            ReferenceOr::Item(s) => (s, ptr, None),
        };
        let view = View::new(schema);
        for (i, x) in view.all_of.iter().enumerate() {
            self.flatten(
                x,
                join(&join(&p, "allOf"), &i.to_string()),
                out,
                seen,
                depth + 1,
            );
        }
        out.push(Part {
            view,
            ptr: p,
            reference,
        });
    }

    /// Merge one branch (and what it extends) into `st`.
    fn merge_part<'s>(
        &mut self,
        part: &'s ReferenceOr<Schema>,
        ptr: &str,
        owner: TypeId,
        st: &mut Struct,
        seen: &mut Vec<String>,
        depth: usize,
    ) where
        'a: 's,
    {
        let mut parts = Vec::new();
        self.flatten(part, ptr.to_owned(), &mut parts, seen, depth);
        for p in &parts {
            if p.view.has_union() && self.role(&p.view, p.reference.as_deref()) == Role::Types {
                self.warning(
                    &p.ptr,
                    "oneOf/anyOf inside a union branch's allOf is not merged; its properties are not typed",
                    "move the union into a property",
                );
            }
            let own = self.fields_of(&p.view, &p.ptr, owner);
            merge_fields(st, own);
        }
    }

    fn role(&self, v: &View, reference: Option<&str>) -> Role {
        let Some((_, branches)) = v.union() else {
            return Role::Constraints;
        };
        let constrains = |b: &ReferenceOr<Schema>| matches!(b, ReferenceOr::Item(s) if View::new(s).only_constrains());
        if branches.iter().all(constrains) {
            return Role::Constraints;
        }
        if let Some(own) = reference {
            let extends = |b: &ReferenceOr<Schema>| matches!(b, ReferenceOr::Reference { reference } if self.extends(reference, own));
            if branches.iter().any(extends) {
                return Role::Inheritance;
            }
        }
        Role::Types
    }

    /// Whether the component `reference` extends `ancestor` through `allOf` references.
    fn extends(&self, reference: &str, ancestor: &str) -> bool {
        let mut queue = vec![reference.to_owned()];
        let mut visited = Vec::new();
        while let Some(r) = queue.pop() {
            if visited.contains(&r) || visited.len() > 64 {
                continue;
            }
            let Some((s, _)) = self.lookup_schema(&r) else {
                continue;
            };
            visited.push(r);
            for part in View::new(s).all_of {
                if let ReferenceOr::Reference { reference } = part {
                    if reference == ancestor {
                        return true;
                    }
                    queue.push(reference.clone());
                }
            }
        }
        false
    }
}

/// Merge `b`'s fields into `a` (allOf): later parts override same-named fields, required wins.
fn merge_fields(a: &mut Struct, b: Struct) {
    for f in b.fields {
        if let Some(existing) = a.fields.iter_mut().find(|x| x.wire_name == f.wire_name) {
            let required = existing.required || f.required;
            *existing = Field { required, ..f };
        } else {
            a.fields.push(f);
        }
    }
    if b.additional.is_some() {
        a.additional = b.additional;
    }
}
