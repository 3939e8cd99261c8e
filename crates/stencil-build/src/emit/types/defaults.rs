//! Schema defaults as Rust expressions, and whether a default fits its type.

use proc_macro2::{Literal, TokenStream};
use quote::quote;
use serde_json::Value;

use super::formats::{is_base64, is_date, is_date_time, is_uuid};
use super::generics_used;
use crate::emit::{ident, normalize};
use crate::ir::{Api, Presence, Primitive, TypeKind, TypeRef};

pub(super) struct DefaultExpr {
    pub(super) tokens: TokenStream,
    /// A float literal in it looks like a `std` constant to clippy.
    pub(super) approx_constant: bool,
}

/// The body of the function that gives a field's schema default: a Rust expression when the
/// value has a literal form, else `::stencil::default_from_json` of its JSON when the value is
/// known to deserialize as the type. `None` when the default does not fit the type (or the type
/// mentions a type parameter).
pub(super) fn default_expr(api: &Api, ty: &TypeRef, value: &Value) -> Option<DefaultExpr> {
    if !generics_used(ty).is_empty() {
        return None;
    }
    let mut approx_constant = false;
    if let Some(tokens) = literal(api, ty, value, 0, &mut approx_constant) {
        return Some(DefaultExpr {
            tokens,
            approx_constant,
        });
    }
    if fits(api, ty, value, 0) {
        let json = crate::literals::text(&value.to_string());
        return Some(DefaultExpr {
            tokens: quote!(::stencil::default_from_json(#json)),
            approx_constant: false,
        });
    }
    None
}

/// Recursion limit for walking values against types (a union may contain itself).
const MAX_DEPTH: usize = 64;

fn integer(p: Primitive, value: &Value) -> Option<TokenStream> {
    let (min, max): (i128, i128) = match p {
        Primitive::I8 => (i8::MIN.into(), i8::MAX.into()),
        Primitive::I16 => (i16::MIN.into(), i16::MAX.into()),
        Primitive::I32 => (i32::MIN.into(), i32::MAX.into()),
        Primitive::I64 => (i64::MIN.into(), i64::MAX.into()),
        Primitive::U8 => (0, u8::MAX.into()),
        Primitive::U16 => (0, u16::MAX.into()),
        Primitive::U32 => (0, u32::MAX.into()),
        Primitive::U64 => (0, u64::MAX.into()),
        _ => return None,
    };
    let n: i128 = match (value.as_i64(), value.as_u64()) {
        (Some(i), _) => i.into(),
        (_, Some(u)) => u.into(),
        _ => return None,
    };
    if n < min || n > max {
        return None;
    }
    let abs = Literal::u128_unsuffixed(n.unsigned_abs());
    Some(if n < 0 { quote!(-#abs) } else { quote!(#abs) })
}

/// `value` as a Rust expression of type `ty`, when it has a literal form.
fn literal(
    api: &Api,
    ty: &TypeRef,
    value: &Value,
    depth: usize,
    approx: &mut bool,
) -> Option<TokenStream> {
    if depth > MAX_DEPTH {
        return None;
    }
    let mut recurse = |ty: &TypeRef, value: &Value| literal(api, ty, value, depth + 1, approx);
    match normalize(ty) {
        TypeRef::Primitive(p) => match p {
            Primitive::String => value.as_str().map(|s| quote!(#s.to_owned())),
            Primitive::Bool => value.as_bool().map(|b| quote!(#b)),
            Primitive::F32 | Primitive::F64 => value
                .as_f64()
                .and_then(|f| crate::literals::float(f, p == Primitive::F32, approx)),
            Primitive::Uuid => value
                .as_str()
                .filter(|s| is_uuid(s))
                .map(|s| quote!(::stencil::uuid::uuid!(#s))),
            Primitive::Date | Primitive::DateTime | Primitive::Base64 | Primitive::Binary => None,
            _ => integer(p, value),
        },
        TypeRef::Option(inner) => {
            if value.is_null() {
                Some(quote!(None))
            } else {
                recurse(&inner, value).map(|v| quote!(Some(#v)))
            }
        }
        TypeRef::Boxed(inner) => recurse(&inner, value).map(|v| quote!(Box::new(#v))),
        TypeRef::Array(item) => {
            let items = value.as_array()?;
            if items.is_empty() {
                return Some(quote!(Vec::new()));
            }
            let items = items
                .iter()
                .map(|v| recurse(&item, v))
                .collect::<Option<Vec<_>>>()?;
            Some(quote!(vec![#(#items),*]))
        }
        TypeRef::Map(item) => {
            let entries = value.as_object()?;
            if entries.is_empty() {
                return Some(quote!(::std::collections::BTreeMap::new()));
            }
            let entries = entries
                .iter()
                .map(|(k, v)| recurse(&item, v).map(|v| quote!((#k.to_owned(), #v))))
                .collect::<Option<Vec<_>>>()?;
            Some(quote!(::std::collections::BTreeMap::from([#(#entries),*])))
        }
        TypeRef::Tuple(types) => {
            let values = value.as_array()?;
            if values.len() != types.len() {
                return None;
            }
            let items = types
                .iter()
                .zip(values)
                .map(|(t, v)| recurse(t, v))
                .collect::<Option<Vec<_>>>()?;
            Some(quote!((#(#items,)*)))
        }
        TypeRef::Named(id, args) => {
            let def = api.types.get(id.0 as usize)?;
            let name = ident(&def.name);
            match &def.kind {
                TypeKind::StringEnum(e) => {
                    let s = value.as_str()?;
                    if let Some(v) = e.variants.iter().find(|v| v.value == s) {
                        let variant = ident(&v.name);
                        Some(quote!(#name::#variant))
                    } else if e.fallback {
                        Some(quote!(#name::Other(#s.to_owned())))
                    } else {
                        None
                    }
                }
                TypeKind::IntEnum(e) => {
                    let n = value.as_i64()?;
                    if let Some(v) = e.variants.iter().find(|v| v.value == n) {
                        let variant = ident(&v.name);
                        Some(quote!(#name::#variant))
                    } else if e.fallback {
                        let n = crate::literals::int(n);
                        Some(quote!(#name::Other(#n)))
                    } else {
                        None
                    }
                }
                TypeKind::Alias(t) => recurse(&t.substitute(&args), value),
                TypeKind::Newtype(t, _) => {
                    recurse(&t.substitute(&args), value).map(|v| quote!(#name(#v)))
                }
                TypeKind::Struct(_) | TypeKind::Union(_) | TypeKind::External(_) => None,
            }
        }
        TypeRef::Any | TypeRef::Generic(_) => None,
    }
}

/// Whether `value` deserializes as `ty` with the derives and runtime helpers generated for it.
/// May answer `false` for a value that would; never the reverse.
fn fits(api: &Api, ty: &TypeRef, value: &Value, depth: usize) -> bool {
    if depth > MAX_DEPTH {
        return false;
    }
    let fits = |ty: &TypeRef, value: &Value| fits(api, ty, value, depth + 1);
    match normalize(ty) {
        TypeRef::Any => true,
        TypeRef::Generic(_) => false,
        TypeRef::Primitive(p) => match p {
            Primitive::String => value.is_string(),
            Primitive::Bool => value.is_boolean(),
            Primitive::F32 | Primitive::F64 => value.is_number(),
            Primitive::Date => value.as_str().is_some_and(is_date),
            Primitive::DateTime => value.as_str().is_some_and(is_date_time),
            Primitive::Uuid => value.as_str().is_some_and(is_uuid),
            Primitive::Base64 => value.as_str().is_some_and(is_base64),
            Primitive::Binary => false,
            _ => integer(p, value).is_some(),
        },
        TypeRef::Option(inner) => value.is_null() || fits(&inner, value),
        TypeRef::Boxed(inner) => fits(&inner, value),
        TypeRef::Array(item) => value
            .as_array()
            .is_some_and(|items| items.iter().all(|v| fits(&item, v))),
        TypeRef::Map(item) => value
            .as_object()
            .is_some_and(|entries| entries.values().all(|v| fits(&item, v))),
        TypeRef::Tuple(types) => value.as_array().is_some_and(|values| {
            values.len() == types.len() && types.iter().zip(values).all(|(t, v)| fits(t, v))
        }),
        TypeRef::Named(id, args) => {
            let Some(def) = api.types.get(id.0 as usize) else {
                return false;
            };
            match &def.kind {
                TypeKind::StringEnum(e) => value
                    .as_str()
                    .is_some_and(|s| e.fallback || e.variants.iter().any(|v| v.value == s)),
                TypeKind::IntEnum(e) => value
                    .as_i64()
                    .is_some_and(|n| e.fallback || e.variants.iter().any(|v| v.value == n)),
                TypeKind::Alias(t) | TypeKind::Newtype(t, _) => fits(&t.substitute(&args), value),
                // A default for a user's type cannot be checked here.
                TypeKind::External(_) => false,
                TypeKind::Union(u) => match &u.tag {
                    None => u
                        .variants
                        .iter()
                        .any(|v| fits(&v.ty.substitute(&args), value)),
                    Some(tag) => {
                        let Some(tag) = value.get(tag.as_str()).and_then(Value::as_str) else {
                            return false;
                        };
                        u.variants
                            .iter()
                            .find(|v| v.tag_values.iter().any(|t| t == tag))
                            .is_some_and(|v| {
                                value.is_object() && fits(&v.ty.substitute(&args), value)
                            })
                    }
                },
                TypeKind::Struct(s) => {
                    let Some(object) = value.as_object() else {
                        return false;
                    };
                    let declared = s.fields.iter().all(|f| {
                        let ty = f.ty.substitute(&args);
                        match (object.get(&f.wire_name), f.presence()) {
                            (None, Presence::Required) => false,
                            (None, _) => true,
                            (Some(Value::Null), Presence::RequiredNullable)
                            | (Some(Value::Null), Presence::Optional)
                            | (Some(Value::Null), Presence::OptionalNullable) => true,
                            (Some(v), _) => fits(&ty, v),
                        }
                    });
                    let rest = match &s.additional {
                        None => true,
                        Some(t) => {
                            let t = t.substitute(&args);
                            object
                                .iter()
                                .filter(|(k, _)| !s.fields.iter().any(|f| &f.wire_name == *k))
                                .all(|(_, v)| fits(&t, v))
                        }
                    };
                    declared && rest
                }
            }
        }
    }
}
