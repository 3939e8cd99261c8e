//! Emitters: IR → token streams. Small functions, one per concept.
//!
//! Each top-level module of the generated file has one entry, which gives its items to a
//! [`Sink`] in file order: [`types::types_into`], [`client::client_into`],
//! [`server::server_into`], [`hooks::hooks_into`]. They take the plain values they use (derive paths, flags), not the
//! options. The helpers here are shared by every emitter:
//!
//! - [`type_ref`] / [`type_ref_generic`]: the Rust type of a [`TypeRef`];
//! - [`docs`](fn@docs), [`doc_lines`], [`doc_attrs`], [`markdown_lines`], [`code_span`]: `#[doc]`
//!   attributes from document text, safe against any text and against clippy's doc lints;
//! - [`ident`], [`serde_attrs`], [`derive_attr`].
//!
//! Conventions of generated code: it names nothing outside `::stencil::...`, `::std::...` and
//! the prelude (generated type names never shadow prelude names, see [`crate::naming`]); inside
//! `types` types name each other bare, elsewhere as `super::types::Name`.

pub mod client;
mod docs;
pub mod hooks;
mod redact;
pub mod server;
mod sink;
pub mod types;

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use crate::ir::{Api, Primitive, TypeRef};

pub use self::docs::{code_span, doc_attrs, doc_lines, docs, join_paragraphs, markdown_lines};
#[cfg(test)]
pub use self::sink::Collect;
pub use self::sink::{Reserved, Sink};

/// `#[cfg(feature = "<feature>")]` when `gated`, else nothing: what goes before the client
/// and server modules of a generated crate with those features.
fn feature_gate(feature: &str, gated: bool) -> TokenStream {
    if gated {
        quote!(#[cfg(feature = #feature)])
    } else {
        TokenStream::new()
    }
}

// ---------------------------------------------------------------------------------------------
// Identifiers and types

/// An identifier for an IR name. IR names are valid, non-keyword identifiers (see
/// [`crate::naming`]); should one not be, it is repaired rather than panicking in a build script
/// (invalid characters become `_`, a keyword becomes a raw identifier).
pub fn ident(name: &str) -> Ident {
    let valid = !name.is_empty()
        && name != "_"
        && !name.starts_with(|c: char| c.is_ascii_digit())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if valid {
        if crate::naming::is_keyword(name) {
            return match name {
                // These cannot be raw identifiers.
                "self" | "Self" | "super" | "crate" => {
                    Ident::new(&format!("{name}_"), Span::call_site())
                }
                _ => Ident::new_raw(name, Span::call_site()),
            };
        }
        return Ident::new(name, Span::call_site());
    }
    let mut repaired: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if repaired.is_empty() || repaired.starts_with(|c: char| c.is_ascii_digit()) || repaired == "_"
    {
        repaired.insert_str(0, "x_");
    }
    ident(&repaired)
}

/// Redundant boxes dropped: `Vec`, `BTreeMap`, `String` and bytes already put their contents on
/// the heap, so a `Boxed` directly inside or around them is not needed to break a cycle (and
/// would trip clippy's `vec_box` / `box_collection`). Emitters pass every [`TypeRef`] through
/// this (the helpers here do) so that types and values agree.
pub fn normalize(ty: &TypeRef) -> TypeRef {
    fn unbox(ty: &TypeRef) -> TypeRef {
        match ty {
            TypeRef::Boxed(inner) => unbox(inner),
            other => normalize(other),
        }
    }
    match ty {
        TypeRef::Named(id, args) => TypeRef::Named(*id, args.iter().map(normalize).collect()),
        TypeRef::Array(item) => TypeRef::Array(Box::new(unbox(item))),
        TypeRef::Map(value) => TypeRef::Map(Box::new(unbox(value))),
        TypeRef::Tuple(items) => TypeRef::Tuple(items.iter().map(normalize).collect()),
        TypeRef::Option(inner) => TypeRef::Option(Box::new(normalize(inner))),
        TypeRef::Boxed(inner) => match unbox(inner) {
            inner @ (TypeRef::Array(_)
            | TypeRef::Map(_)
            | TypeRef::Primitive(
                Primitive::String | Primitive::Base64 | Primitive::Binary,
            )
            | TypeRef::Any) => inner,
            inner => TypeRef::Boxed(Box::new(inner)),
        },
        TypeRef::Generic(_) | TypeRef::Primitive(_) | TypeRef::Any => ty.clone(),
    }
}

/// The Rust type of `ty`. Outside the `types` module (`in_types_module == false`) named types
/// are `super::types::Name`. A `TypeRef::Generic` has no name here (use
/// [`type_ref_generic`] inside a generic type); it becomes a `compile_error!`.
pub fn type_ref(api: &Api, ty: &TypeRef, in_types_module: bool) -> TokenStream {
    type_ref_generic(api, ty, in_types_module, &[])
}

/// [`type_ref`] inside a generic type whose parameters are `generics`.
pub fn type_ref_generic(
    api: &Api,
    ty: &TypeRef,
    in_types_module: bool,
    generics: &[String],
) -> TokenStream {
    rust_type(api, &normalize(ty), in_types_module, generics)
}

fn rust_type(api: &Api, ty: &TypeRef, in_types: bool, generics: &[String]) -> TokenStream {
    let recurse = |ty: &TypeRef| rust_type(api, ty, in_types, generics);
    match ty {
        TypeRef::Named(id, args) => {
            let name = ident(&api.ty(*id).name);
            let path = if in_types {
                quote!(#name)
            } else {
                quote!(super::types::#name)
            };
            if args.is_empty() {
                path
            } else {
                let args = args.iter().map(recurse);
                quote!(#path<#(#args),*>)
            }
        }
        TypeRef::Generic(i) => match generics.get(*i) {
            Some(name) => {
                let name = ident(name);
                quote!(#name)
            }
            None => {
                let message =
                    format!("Stencil bug: type parameter #{i} used outside its generic type");
                quote!(::core::compile_error!(#message))
            }
        },
        TypeRef::Primitive(p) => primitive(*p),
        TypeRef::Array(item) => {
            let item = recurse(item);
            quote!(Vec<#item>)
        }
        TypeRef::Map(value) => {
            let value = recurse(value);
            quote!(::std::collections::BTreeMap<String, #value>)
        }
        TypeRef::Tuple(items) => {
            let items = items.iter().map(recurse);
            // A one-element tuple needs its trailing comma.
            quote!((#(#items,)*))
        }
        TypeRef::Option(inner) => {
            let inner = recurse(inner);
            quote!(Option<#inner>)
        }
        TypeRef::Boxed(inner) => {
            let inner = recurse(inner);
            quote!(Box<#inner>)
        }
        TypeRef::Any => quote!(::stencil::serde_json::Value),
    }
}

/// The Rust type of a primitive. `Binary` is `::stencil::bytes::Bytes`: the type reqwest and
/// axum use for bodies, with serde impls (an array of numbers in JSON; `format: binary` is meant
/// for raw bodies and multipart parts, not JSON).
pub fn primitive(p: Primitive) -> TokenStream {
    match p {
        Primitive::String => quote!(String),
        Primitive::Bool => quote!(bool),
        Primitive::I8 => quote!(i8),
        Primitive::I16 => quote!(i16),
        Primitive::I32 => quote!(i32),
        Primitive::I64 => quote!(i64),
        Primitive::U8 => quote!(u8),
        Primitive::U16 => quote!(u16),
        Primitive::U32 => quote!(u32),
        Primitive::U64 => quote!(u64),
        Primitive::F32 => quote!(f32),
        Primitive::F64 => quote!(f64),
        Primitive::Date => quote!(::stencil::chrono::NaiveDate),
        Primitive::DateTime => quote!(::stencil::chrono::DateTime<::stencil::chrono::Utc>),
        Primitive::Uuid => quote!(::stencil::uuid::Uuid),
        Primitive::Base64 => quote!(::stencil::Base64),
        Primitive::Binary => quote!(::stencil::bytes::Bytes),
    }
}

// ---------------------------------------------------------------------------------------------
// Attributes

/// `#[derive(...)]` of the given paths (`Debug`, `::stencil::serde::Serialize`, ...).
pub fn derive_attr(derives: &[TokenStream]) -> TokenStream {
    if derives.is_empty() {
        TokenStream::new()
    } else {
        quote!(#[derive(#(#derives),*)])
    }
}

/// `#[serde(crate = "::stencil::serde", ...)]`: every serde derive in generated code names the
/// runtime's serde, so generated crates need no direct serde dependency.
pub fn serde_attrs(extra: TokenStream) -> TokenStream {
    if extra.is_empty() {
        quote!(#[serde(crate = "::stencil::serde")])
    } else {
        quote!(#[serde(crate = "::stencil::serde", #extra)])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn idents_never_panic() {
        assert_eq!(ident("name").to_string(), "name");
        assert_eq!(ident("type").to_string(), "r#type");
        assert_eq!(ident("self").to_string(), "self_");
        assert_eq!(ident("a-b").to_string(), "a_b");
        assert_eq!(ident("1x").to_string(), "x_1x");
        assert_eq!(ident("").to_string(), "x_");
    }
}
