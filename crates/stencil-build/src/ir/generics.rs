//! Pydantic generic models. FastAPI names an instantiation `Success_AuthenticationResult_` and
//! titles it `Success[AuthenticationResult]`. Where the instantiations of one base really share
//! their structure, they become one generic `Success<T>` and an alias per instantiation
//! (`pub type SuccessAuthenticationResult = Success<AuthenticationResult>;`). Where they don't,
//! they stay plain structs.

use std::collections::BTreeMap;

use crate::ir::build::{Builder, Hint, Slot};
use crate::ir::{Primitive, Struct, TypeId, TypeKind, TypeRef};
use crate::naming;

const PARAM_NAMES: &[&str] = &["T", "U", "V", "W", "X", "Y", "Z"];

/// Marks the hole in a field's template (replaced by the parameter's `Generic(k)`).
const HOLE: usize = usize::MAX;

/// A field of a generic model that mentions a type parameter.
struct Param {
    field: usize,
    /// The field's type with `Generic(HOLE)` where the parameter goes.
    template: TypeRef,
    /// What fills the hole, per member.
    args: Vec<TypeRef>,
}

/// The common shape of one field's types across the members: `None` inside when they are all
/// equal, else the template with one hole and each member's filling. `None` outside when they
/// differ in more than one place.
fn unify(types: &[&TypeRef]) -> Option<Option<(TypeRef, Vec<TypeRef>)>> {
    let first = types[0];
    if types.iter().all(|t| *t == first) {
        return Some(None);
    }
    let inner = |t: &TypeRef| -> Option<TypeRef> {
        match (first, t) {
            (TypeRef::Array(_), TypeRef::Array(x))
            | (TypeRef::Map(_), TypeRef::Map(x))
            | (TypeRef::Option(_), TypeRef::Option(x)) => Some((**x).clone()),
            _ => None,
        }
    };
    let inners: Option<Vec<TypeRef>> = types.iter().map(|t| inner(t)).collect();
    match inners {
        Some(inners) => {
            let refs: Vec<&TypeRef> = inners.iter().collect();
            let (template, args) = unify(&refs)?.expect("differing outer types differ inside");
            let wrap: fn(Box<TypeRef>) -> TypeRef = match first {
                TypeRef::Array(_) => TypeRef::Array,
                TypeRef::Map(_) => TypeRef::Map,
                _ => TypeRef::Option,
            };
            Some(Some((wrap(Box::new(template)), args)))
        }
        None => Some(Some((
            TypeRef::Generic(HOLE),
            types.iter().map(|t| (*t).clone()).collect(),
        ))),
    }
}

/// `template` with its hole replaced by `with`.
fn fill(template: &TypeRef, with: &TypeRef) -> TypeRef {
    match template {
        TypeRef::Generic(HOLE) => with.clone(),
        TypeRef::Array(t) => TypeRef::Array(Box::new(fill(t, with))),
        TypeRef::Map(t) => TypeRef::Map(Box::new(fill(t, with))),
        TypeRef::Option(t) => TypeRef::Option(Box::new(fill(t, with))),
        other => other.clone(),
    }
}

impl Builder<'_> {
    pub(crate) fn generics(&mut self) {
        let mut groups: BTreeMap<String, Vec<(usize, Vec<String>)>> = BTreeMap::new();
        for (i, slot) in self.slots.iter().enumerate() {
            if slot.component.is_none() || !matches!(slot.kind, Some(TypeKind::Struct(_))) {
                continue;
            }
            let Some(title) = slot.docs.title.as_deref() else {
                continue;
            };
            if let Some((base, args)) = naming::pydantic_generic(title) {
                groups
                    .entry(base.to_owned())
                    .or_default()
                    .push((i, args.iter().map(|s| (*s).to_owned()).collect()));
            }
        }
        for (base, members) in groups {
            let structs: Vec<&Struct> = members
                .iter()
                .filter_map(|(i, _)| match &self.slots[*i].kind {
                    Some(TypeKind::Struct(s)) => Some(s),
                    _ => None,
                })
                .collect();
            let Some(params) = self.generic_params(&structs, &members) else {
                continue;
            };
            if params.is_empty() || params.len() > PARAM_NAMES.len() {
                continue;
            }
            // The generic struct: each parameterised field's template, with its hole as the
            // k-th type parameter; each member's arguments: what fills its holes.
            let mut generic = structs[0].clone();
            for (k, p) in params.iter().enumerate() {
                generic.fields[p.field].ty = fill(&p.template, &TypeRef::Generic(k));
            }
            let args_of: Vec<Vec<TypeRef>> = (0..structs.len())
                .map(|m| params.iter().map(|p| p.args[m].clone()).collect())
                .collect();
            let id = TypeId(self.slots.len() as u32);
            let first = members[0].0;
            let mut docs = self.slots[first].docs.clone();
            docs.title = Some(base.clone());
            docs.examples.clear();
            self.slots.push(Slot {
                kind: Some(TypeKind::Struct(generic)),
                docs,
                origin: self.slots[first].origin.clone(),
                hints: vec![Hint::root(naming::type_name(&base))],
                generics: PARAM_NAMES[..params.len()]
                    .iter()
                    .map(|s| (*s).to_owned())
                    .collect(),
                ..Slot::default()
            });
            for ((i, _), args) in members.iter().zip(args_of) {
                self.slots[*i].kind = Some(TypeKind::Alias(TypeRef::Named(id, args)));
            }
        }
    }

    /// The fields that become type parameters, or `None` when the members do not share a
    /// structure. A parameter may sit inside arrays, maps or options (`items: list[T]`).
    fn generic_params(
        &self,
        structs: &[&Struct],
        members: &[(usize, Vec<String>)],
    ) -> Option<Vec<Param>> {
        let first = structs.first()?;
        if structs.len() != members.len() || first.additional.is_some() {
            return None;
        }
        for s in &structs[1..] {
            if s.fields.len() != first.fields.len() || s.additional.is_some() {
                return None;
            }
            for (a, b) in s.fields.iter().zip(&first.fields) {
                if (a.wire_name.as_str(), a.required, a.nullable, &a.default)
                    != (b.wire_name.as_str(), b.required, b.nullable, &b.default)
                {
                    return None;
                }
            }
        }
        if structs.len() > 1 {
            let mut params = Vec::new();
            for f in 0..first.fields.len() {
                let types: Vec<&TypeRef> = structs.iter().map(|s| &s.fields[f].ty).collect();
                match unify(&types)? {
                    None => {}
                    Some((template, args)) => params.push(Param {
                        field: f,
                        template,
                        args,
                    }),
                }
            }
            // Every member must fill its parameters from its own title arguments.
            let all_match = members.iter().enumerate().all(|(m, (_, args))| {
                params.len() == args.len()
                    && params
                        .iter()
                        .zip(args)
                        .all(|(p, arg)| self.arg_matches(arg, &p.args[m], 0))
            });
            return all_match.then_some(params);
        }
        let args = &members[0].1;
        let mut params: Vec<Param> = Vec::new();
        for arg in args {
            let found = first.fields.iter().enumerate().find_map(|(f, field)| {
                if params.iter().any(|p| p.field == f) {
                    return None;
                }
                self.find_hole(arg, &field.ty)
                    .map(|(template, hole)| Param {
                        field: f,
                        template,
                        args: vec![hole],
                    })
            })?;
            params.push(found);
        }
        Some(params)
    }

    /// Where `arg` appears in `ty`: the type with a hole there, and what fills the hole.
    fn find_hole(&self, arg: &str, ty: &TypeRef) -> Option<(TypeRef, TypeRef)> {
        if self.arg_matches(arg, ty, 0) {
            return Some((TypeRef::Generic(HOLE), ty.clone()));
        }
        let (inner, wrap): (&TypeRef, fn(Box<TypeRef>) -> TypeRef) = match ty {
            TypeRef::Array(t) => (t, TypeRef::Array),
            TypeRef::Map(t) => (t, TypeRef::Map),
            TypeRef::Option(t) => (t, TypeRef::Option),
            _ => return None,
        };
        let (template, hole) = self.find_hole(arg, inner)?;
        Some((wrap(Box::new(template)), hole))
    }

    /// Whether a pydantic type expression (`AuthenticationResult`, `list[Union[A, B]]`,
    /// `dict[str, int]`, `Optional[X]`) describes `ty`.
    fn arg_matches(&self, arg: &str, ty: &TypeRef, depth: usize) -> bool {
        if depth > 16 {
            return false;
        }
        let ty = match ty {
            TypeRef::Boxed(inner) | TypeRef::Option(inner) => inner.as_ref(),
            t => t,
        };
        if let Some((head, inner)) = naming::pydantic_generic(arg) {
            return match (head.to_ascii_lowercase().as_str(), ty) {
                ("list" | "sequence" | "set" | "tuple", TypeRef::Array(item)) => {
                    inner.len() == 1 && self.arg_matches(inner[0], item, depth + 1)
                }
                ("dict" | "mapping", TypeRef::Map(value)) => {
                    inner.len() == 2 && self.arg_matches(inner[1], value, depth + 1)
                }
                ("optional", t) => inner.len() == 1 && self.arg_matches(inner[0], t, depth + 1),
                ("union", TypeRef::Named(id, _)) => {
                    match &self.slots[self.resolve(*id).0 as usize].kind {
                        Some(TypeKind::Union(u)) => {
                            u.variants.len() == inner.len()
                                && u.variants
                                    .iter()
                                    .zip(&inner)
                                    .all(|(v, a)| self.arg_matches(a, &v.ty, depth + 1))
                        }
                        _ => false,
                    }
                }
                _ => false,
            };
        }
        match (arg, ty) {
            ("str", TypeRef::Primitive(Primitive::String)) => true,
            ("int", TypeRef::Primitive(p)) => matches!(
                p,
                Primitive::I32 | Primitive::I64 | Primitive::U32 | Primitive::U64
            ),
            ("float", TypeRef::Primitive(p)) => matches!(p, Primitive::F32 | Primitive::F64),
            ("bool", TypeRef::Primitive(Primitive::Bool)) => true,
            ("Any" | "dict", TypeRef::Any | TypeRef::Map(_)) => true,
            (name, TypeRef::Named(id, _)) => {
                let slot = &self.slots[self.resolve(*id).0 as usize];
                slot.component.as_deref() == Some(name) || slot.docs.title.as_deref() == Some(name)
            }
            _ => false,
        }
    }
}
