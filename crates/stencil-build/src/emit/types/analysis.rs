//! Eq, Hash and Default over the arena.

use crate::emit::normalize;
use crate::ir::{Api, Presence, Primitive, TypeDef, TypeId, TypeKind, TypeRef};

/// Which generated types implement `Eq + Hash` and `Default`.
///
/// - `Eq` and `Hash` go together: every type generated code uses has both or neither. Floats
///   have neither; `serde_json::Value` (serde_json ≥ 1.0.118), `BTreeMap`, `Vec`, chrono, uuid,
///   `Bytes` and [`Base64`](https://docs.rs/stencil) have both. Greatest fixpoint: a recursive
///   type is `Eq` unless something on it is not.
/// - `Default` only where every field has a default value: optional and nullable fields
///   (`None`), fields with a schema default, and required arrays, maps and structs that are
///   themselves `Default`. Least fixpoint: a type that requires itself (through a `Box`) is
///   never `Default` (its `default()` would not terminate).
///
/// Derives put `T: Trait` bounds on every parameter of a generic type, so `Name<A>` has the
/// trait when `Name` has it and every argument does; a type parameter counts as having it.
#[derive(Clone, Debug)]
pub struct Analysis {
    eq_hash: Vec<bool>,
    default: Vec<bool>,
}

impl Analysis {
    pub fn new(api: &Api) -> Self {
        let n = api.types.len();
        let mut eq_hash = vec![true; n];
        loop {
            let mut changed = false;
            for def in &api.types {
                let i = def.id.0 as usize;
                if eq_hash[i] && !def_eq_hash(def, &eq_hash) {
                    eq_hash[i] = false;
                    changed = true;
                }
            }
            if !changed {
                break;
            }
        }
        let mut default = vec![false; n];
        loop {
            let mut changed = false;
            for def in &api.types {
                let i = def.id.0 as usize;
                if !default[i] && def_default(def, &default) {
                    default[i] = true;
                    changed = true;
                }
            }
            if !changed {
                break;
            }
        }
        Analysis { eq_hash, default }
    }

    /// Whether the type derives `Eq` and `Hash` (enums always do).
    pub fn eq_hash(&self, id: TypeId) -> bool {
        self.eq_hash.get(id.0 as usize).copied().unwrap_or(false)
    }

    /// Whether the type implements `Default`.
    pub fn default(&self, id: TypeId) -> bool {
        self.default.get(id.0 as usize).copied().unwrap_or(false)
    }
}

fn flag(flags: &[bool], id: TypeId) -> bool {
    flags.get(id.0 as usize).copied().unwrap_or(false)
}

fn def_eq_hash(def: &TypeDef, flags: &[bool]) -> bool {
    match &def.kind {
        TypeKind::Struct(s) => {
            s.fields.iter().all(|f| ty_eq_hash(&f.ty, flags))
                && s.additional.as_ref().is_none_or(|t| ty_eq_hash(t, flags))
        }
        TypeKind::StringEnum(_) | TypeKind::IntEnum(_) => true,
        TypeKind::Union(u) => u.variants.iter().all(|v| ty_eq_hash(&v.ty, flags)),
        TypeKind::Alias(t) | TypeKind::Newtype(t, _) => ty_eq_hash(t, flags),
        // Nothing beyond the documented bounds is assumed of a user's type.
        TypeKind::External(_) => false,
    }
}

fn ty_eq_hash(ty: &TypeRef, flags: &[bool]) -> bool {
    match ty {
        TypeRef::Named(id, args) => flag(flags, *id) && args.iter().all(|a| ty_eq_hash(a, flags)),
        TypeRef::Generic(_) | TypeRef::Any => true,
        TypeRef::Primitive(p) => !matches!(p, Primitive::F32 | Primitive::F64),
        TypeRef::Array(t) | TypeRef::Map(t) | TypeRef::Option(t) | TypeRef::Boxed(t) => {
            ty_eq_hash(t, flags)
        }
        TypeRef::Tuple(items) => items.iter().all(|t| ty_eq_hash(t, flags)),
    }
}

fn def_default(def: &TypeDef, flags: &[bool]) -> bool {
    match &def.kind {
        TypeKind::Struct(s) => s
            .fields
            .iter()
            .all(|f| f.presence() != Presence::Required || required_default(&f.ty, flags)),
        // The alias stands for its target in required fields.
        TypeKind::Alias(t) => required_default(t, flags),
        TypeKind::StringEnum(_)
        | TypeKind::IntEnum(_)
        | TypeKind::Union(_)
        | TypeKind::Newtype(..)
        | TypeKind::External(_) => false,
    }
}

/// Whether a required field of this type has a natural default: empty collections, and structs
/// whose fields all have defaults. (A required string or number does not.)
fn required_default(ty: &TypeRef, flags: &[bool]) -> bool {
    match normalize(ty) {
        TypeRef::Array(_) | TypeRef::Map(_) | TypeRef::Option(_) => true,
        TypeRef::Boxed(inner) => required_default(&inner, flags),
        TypeRef::Named(id, args) => flag(flags, id) && args.iter().all(|a| impl_default(a, flags)),
        _ => false,
    }
}

/// Whether the Rust type implements `Default` (for the arguments of a generic type, whose
/// derived impls require it). May answer `false` for a type that does; never the reverse.
fn impl_default(ty: &TypeRef, flags: &[bool]) -> bool {
    match ty {
        TypeRef::Primitive(_) | TypeRef::Any | TypeRef::Generic(_) => true,
        TypeRef::Array(_) | TypeRef::Map(_) | TypeRef::Option(_) => true,
        TypeRef::Boxed(inner) => impl_default(inner, flags),
        TypeRef::Tuple(items) => items.len() <= 12 && items.iter().all(|t| impl_default(t, flags)),
        TypeRef::Named(id, args) => flag(flags, *id) && args.iter().all(|a| impl_default(a, flags)),
    }
}
