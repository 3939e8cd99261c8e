//! Visiting every `TypeRef` in the IR (for remapping ids and finding cycles).

use crate::ir::{Content, Operation, TypeKind, TypeRef};

/// Call `f` on `t` and on every type nested in it.
pub fn ref_mut(t: &mut TypeRef, f: &mut impl FnMut(&mut TypeRef)) {
    f(t);
    match t {
        TypeRef::Named(_, args) => args.iter_mut().for_each(|a| ref_mut(a, f)),
        TypeRef::Array(x) | TypeRef::Map(x) | TypeRef::Option(x) | TypeRef::Boxed(x) => {
            ref_mut(x, f)
        }
        TypeRef::Tuple(xs) => xs.iter_mut().for_each(|x| ref_mut(x, f)),
        TypeRef::Generic(_) | TypeRef::Primitive(_) | TypeRef::Any => {}
    }
}

/// The top-level type references of a kind: fields, variants, alias targets.
pub fn kind_tops_mut(k: &mut TypeKind) -> Vec<&mut TypeRef> {
    match k {
        TypeKind::Struct(s) => s
            .fields
            .iter_mut()
            .map(|f| &mut f.ty)
            .chain(s.additional.as_mut())
            .collect(),
        TypeKind::Union(u) => u.variants.iter_mut().map(|v| &mut v.ty).collect(),
        TypeKind::Alias(t) | TypeKind::Newtype(t, _) => vec![t],
        TypeKind::StringEnum(_) | TypeKind::IntEnum(_) | TypeKind::External(_) => Vec::new(),
    }
}

pub fn kind_refs_mut(k: &mut TypeKind, f: &mut impl FnMut(&mut TypeRef)) {
    for t in kind_tops_mut(k) {
        ref_mut(t, f);
    }
}

/// The body type and the item type of a media type.
fn content_refs_mut(c: &mut Content, f: &mut impl FnMut(&mut TypeRef)) {
    for t in c.ty.iter_mut().chain(c.item.iter_mut()) {
        ref_mut(t, f);
    }
}

pub fn operation_refs_mut(op: &mut Operation, f: &mut impl FnMut(&mut TypeRef)) {
    for p in &mut op.params {
        ref_mut(&mut p.ty, f);
    }
    if let Some(body) = &mut op.body {
        for c in &mut body.contents {
            content_refs_mut(c, f);
        }
    }
    for r in &mut op.responses {
        for c in &mut r.contents {
            content_refs_mut(c, f);
        }
        for h in &mut r.headers {
            ref_mut(&mut h.ty, f);
        }
    }
}
