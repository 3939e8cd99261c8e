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
            let mut generic = structs[0].clone();
            for (k, &f) in params.iter().enumerate() {
                generic.fields[f].ty = TypeRef::Generic(k);
            }
            let args_of: Vec<Vec<TypeRef>> = structs
                .iter()
                .map(|s| params.iter().map(|&f| s.fields[f].ty.clone()).collect())
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

    /// Indices of the fields that become type parameters, or `None` when the members do not
    /// share a structure.
    fn generic_params(
        &self,
        structs: &[&Struct],
        members: &[(usize, Vec<String>)],
    ) -> Option<Vec<usize>> {
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
            let differing: Vec<usize> = (0..first.fields.len())
                .filter(|&f| structs.iter().any(|s| s.fields[f].ty != first.fields[f].ty))
                .collect();
            // Every member must fill its parameters from its own title arguments.
            let all_match = members.iter().zip(structs).all(|((_, args), s)| {
                differing.len() == args.len()
                    && differing
                        .iter()
                        .zip(args)
                        .all(|(&f, arg)| self.arg_matches(arg, &s.fields[f].ty, 0))
            });
            return all_match.then_some(differing);
        }
        let args = &members[0].1;
        let mut params = Vec::new();
        for arg in args {
            let f = first
                .fields
                .iter()
                .position(|f| self.arg_matches(arg, &f.ty, 0))?;
            params.push(f);
        }
        Some(params)
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
