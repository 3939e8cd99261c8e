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
                    for variant in &mut u.variants {
                        if variant.tag_values.is_empty() {
                            if let Some(value) = self.const_of(&variant.ty, &tag) {
                                variant.tag_values.push(value);
                            }
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
