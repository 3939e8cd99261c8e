//! Telling union branches apart: an OpenAPI `discriminator` (with or without `mapping`), or a
//! required single-value (`const`) property that every branch declares with distinct values.
//! Unions where neither holds stay untagged.

use crate::ir::build::Builder;
use crate::ir::schema::View;
use crate::ir::{TypeId, TypeKind, TypeRef, UnionVariant};

impl Builder<'_> {
    /// At conversion: the explicit discriminator, with tag values from its mapping or the
    /// branches' component names.
    pub(crate) fn discriminate(
        &mut self,
        v: &View,
        _ptr: &str,
        variants: &mut [UnionVariant],
        branch_ids: &[Option<TypeId>],
    ) -> Option<String> {
        let d = v.data.discriminator.as_ref()?;
        for (variant, id) in variants.iter_mut().zip(branch_ids) {
            let Some(id) = id else { continue };
            let Some(key) = self.slots[id.0 as usize].component.clone() else {
                continue;
            };
            let full = format!("#/components/schemas/{key}");
            let mut values: Vec<String> = d
                .mapping
                .iter()
                .filter(|(_, target)| **target == full || **target == key)
                .map(|(value, _)| value.clone())
                .collect();
            if values.is_empty() {
                values.push(key);
            }
            variant.tag_values = values;
        }
        Some(d.property_name.clone())
    }

    /// After conversion: fill tag values from `const` properties, find implicit tags, and
    /// downgrade to untagged (with a warning) where the branches cannot be told apart.
    pub(crate) fn discriminators(&mut self) {
        for i in 0..self.slots.len() {
            let Some(TypeKind::Union(u)) = &self.slots[i].kind else {
                continue;
            };
            let mut u = u.clone();
            match u.tag.clone() {
                Some(tag) => {
                    // The branch's own single value for the tag property is accepted too:
                    // without a mapping, the tag is the schema name by the specification, but
                    // documents often mean the value the branch declares (`kind: {const:
                    // circle}` in `Circle`). Only values no branch has yet: a value selects one
                    // branch.
                    for i in 0..u.variants.len() {
                        let Some(value) = self.const_of(&u.variants[i].ty, &tag) else {
                            continue;
                        };
                        if !u.variants.iter().any(|v| v.tag_values.contains(&value)) {
                            u.variants[i].tag_values.push(value);
                        }
                    }
                    if u.variants.iter().any(|v| v.tag_values.is_empty()) {
                        let origin = self.slots[i].origin.clone();
                        self.warning(&origin, format!("discriminator `{tag}`: some branches have no tag value; the union is decoded by trying each branch"), "give every branch a mapping entry or a const value for the property");
                        u.tag = None;
                        u.variants.iter_mut().for_each(|v| v.tag_values.clear());
                    }
                }
                None => {
                    if let Some(tag) = self.implicit_tag(&u.variants) {
                        for variant in &mut u.variants {
                            variant.tag_values =
                                self.const_of(&variant.ty, &tag).into_iter().collect();
                        }
                        u.tag = Some(tag);
                    }
                }
            }
            self.slots[i].kind = Some(TypeKind::Union(u));
        }
    }

    /// The struct behind a reference, through aliases.
    fn struct_fields(&self, ty: &TypeRef) -> Option<&crate::ir::Struct> {
        let mut t = ty;
        for _ in 0..16 {
            let TypeRef::Named(id, _) = t else {
                return None;
            };
            match self.slots[self.resolve(*id).0 as usize].kind.as_ref()? {
                TypeKind::Struct(s) => return Some(s),
                TypeKind::Alias(inner) => t = inner,
                _ => return None,
            }
        }
        None
    }

    /// The single value a required property `prop` of the struct behind `ty` can take.
    fn const_of(&self, ty: &TypeRef, prop: &str) -> Option<String> {
        let s = self.struct_fields(ty)?;
        let f = s
            .fields
            .iter()
            .find(|f| f.wire_name == prop && f.required)?;
        let TypeRef::Named(id, _) = &f.ty else {
            return None;
        };
        match self.slots[self.resolve(*id).0 as usize].kind.as_ref()? {
            TypeKind::StringEnum(e) if e.variants.len() == 1 => Some(e.variants[0].value.clone()),
            _ => None,
        }
    }

    fn implicit_tag(&self, variants: &[UnionVariant]) -> Option<String> {
        if variants.len() < 2 {
            return None;
        }
        let first = self.struct_fields(&variants[0].ty)?;
        'props: for f in &first.fields {
            let mut seen = std::collections::HashSet::new();
            for v in variants {
                match self.const_of(&v.ty, &f.wire_name) {
                    Some(value) if !seen.contains(&value) => {
                        seen.insert(value);
                    }
                    _ => continue 'props,
                }
            }
            return Some(f.wire_name.clone());
        }
        None
    }
}

impl Builder<'_> {
    /// Inheritance as Swagger-era documents write it: a component schema with a
    /// `discriminator` and no `oneOf`/`anyOf` (the *parent*), which other components extend
    /// with `allOf: [{$ref: parent}, ...]` or which its `mapping` names. A value of the parent
    /// type may be any of them, so references to the parent become a tagged union: one variant
    /// per descendant (transitively, in document order) and a first one for the parent's own
    /// fields, a new struct `{Parent}Base`. Tag values come from the mapping, else the schema
    /// keys. The descendants keep their merged fields, so decoding keeps every field of the
    /// actual subtype instead of dropping what the parent does not declare.
    pub(crate) fn inheritance(&mut self) {
        use openapiv3::ReferenceOr;
        const PREFIX: &str = "#/components/schemas/";
        let Some(components) = self.doc.components.as_ref() else {
            return;
        };
        let key_of = |reference: &str| reference.strip_prefix(PREFIX).map(str::to_owned);
        // Parent key → the components whose allOf names it, in document order.
        let mut children: std::collections::HashMap<String, Vec<String>> = Default::default();
        for (key, schema) in &components.schemas {
            let ReferenceOr::Item(s) = schema else {
                continue;
            };
            // `allOf` next to other keywords (`type: object`) is `SchemaKind::Any`: the view
            // sees both.
            {
                for part in View::new(s).all_of {
                    if let ReferenceOr::Reference { reference } = part {
                        if let Some(parent) = key_of(reference).filter(|p| p != key) {
                            children.entry(parent).or_default().push(key.clone());
                        }
                    }
                }
            }
        }
        // The parents: a discriminator on a struct whose tag is one of its fields, and
        // something that extends it.
        let mut parents = Vec::new();
        for (key, schema) in &components.schemas {
            let ReferenceOr::Item(s) = schema else {
                continue;
            };
            let Some(d) = &s.schema_data.discriminator else {
                continue;
            };
            let Some(&id) = self.schema_ids.get(&format!("{PREFIX}{key}")) else {
                continue;
            };
            let Some(TypeKind::Struct(fields)) = &self.slots[id.0 as usize].kind else {
                continue;
            };
            if !fields.fields.iter().any(|f| f.wire_name == d.property_name) {
                continue;
            }
            let mut descendants: Vec<String> = Vec::new();
            let mut queue: Vec<String> = children.get(key).cloned().unwrap_or_default();
            queue.extend(d.mapping.values().filter_map(|t| key_of(t)));
            let mut i = 0;
            while i < queue.len() {
                let k = queue[i].clone();
                i += 1;
                if k == *key || descendants.contains(&k) {
                    continue;
                }
                if !self.schema_ids.contains_key(&format!("{PREFIX}{k}")) {
                    continue;
                }
                queue.extend(children.get(&k).cloned().unwrap_or_default());
                descendants.push(k);
            }
            if descendants.is_empty() {
                continue;
            }
            let order = |k: &String| components.schemas.get_index_of(k).unwrap_or(usize::MAX);
            descendants.sort_by_key(order);
            parents.push((key.clone(), id, d.clone(), descendants));
        }
        // Every parent's own fields move to `{Parent}Base` first, so that a parent extending
        // another is a variant by its base, not a union nested in a union.
        let mut bases = std::collections::HashMap::new();
        for (key, id, _, _) in &parents {
            let slot = &self.slots[id.0 as usize];
            let (kind, docs, origin) = (slot.kind.clone(), slot.docs.clone(), slot.origin.clone());
            let base = self.reserve(&origin, super::build::Hint::under(*id, "Base"), None);
            if let Some(kind) = kind {
                self.set(base, kind, docs);
            }
            bases.insert(key.clone(), base);
        }
        for (key, id, d, descendants) in parents {
            let tag_values = |k: &str| -> Vec<String> {
                let full = format!("{PREFIX}{k}");
                let values: Vec<String> = d
                    .mapping
                    .iter()
                    .filter(|(_, target)| **target == full || *target == k)
                    .map(|(value, _)| value.clone())
                    .collect();
                if values.is_empty() {
                    vec![k.to_owned()]
                } else {
                    values
                }
            };
            let mut scope = crate::naming::Scope::new();
            let mut variants = Vec::new();
            for k in std::iter::once(&key).chain(&descendants) {
                let ty = match bases.get(k) {
                    Some(base) => *base,
                    None => self.schema_ids[&format!("{PREFIX}{k}")],
                };
                let (name, _) = scope.claim(&crate::naming::variant_name(k));
                variants.push(UnionVariant {
                    name,
                    tag_values: tag_values(k),
                    ty: TypeRef::Named(ty, Vec::new()),
                    docs: Default::default(),
                });
            }
            let docs = self.slots[id.0 as usize].docs.clone();
            self.set(
                id,
                TypeKind::Union(crate::ir::Union {
                    tag: Some(d.property_name.clone()),
                    variants,
                    event_keyed: false,
                }),
                docs,
            );
        }
    }
}
