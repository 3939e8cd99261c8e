//! The `types` module: one Rust item per [`TypeDef`], in arena order.
//!
//! | IR kind      | Rust                                                                   |
//! |--------------|------------------------------------------------------------------------|
//! | `Struct`     | `pub struct` with serde derives; fields by [`Presence`]                |
//! | `StringEnum` | `pub enum` (+ `Other(String)`), a [`StringEnum`] impl and `impl_string_enum!` |
//! | `IntEnum`    | `pub enum` (+ `Other(i64)`), an `IntEnum` impl and `impl_int_enum!`   |
//! | `Union`      | untagged: `#[serde(untagged)] pub enum`; tagged: a `TaggedUnion` impl  |
//! | `Alias`      | `pub type Name<T> = ...;`                                              |
//! | `Newtype`    | `#[serde(transparent)] pub struct Name(pub T);` with `Deref` and `From` |
//!
//! Which types derive `Eq`, `Hash` and `Default` is decided over the whole arena
//! ([`Analysis`]).
//!
//! [`Presence`]: crate::ir::Presence
//! [`StringEnum`]: https://docs.rs/stencil/latest/stencil/trait.StringEnum.html

mod analysis;
mod defaults;
mod docs;
mod enums;
mod formats;
mod sides;
mod structs;
mod unions;

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::{quote, ToTokens};

use self::docs::constraint_line;
use super::{
    derive_attr, doc_attrs, doc_lines, ident, join_paragraphs, serde_attrs, type_ref_generic, Sink,
};
use crate::ir::{Api, Constraints, TypeDef, TypeId, TypeKind, TypeRef};
use crate::naming::Scope;

pub use self::analysis::Analysis;
pub use self::sides::Sides;

use self::sides::{Directions, Need};

/// `pub mod types { ... }` into `sink`, one type at a time; every type also derives
/// `derives` (those it does not derive already). Structs with a field named like one of
/// `secret_fields` (lowercase), `format: password` or `writeOnly` get a `Debug` that redacts it.
/// `sides`: the generated parts, which decide the serde impls each type needs ([`Directions`]).
pub fn types_into(
    api: &Api,
    derives: &[syn::Path],
    secret_fields: &[String],
    sides: Sides,
    sink: &mut dyn Sink,
) {
    let mut cx = Cx {
        api,
        secret_fields,
        analysis: Analysis::new(api),
        directions: Directions::new(api, sides),
        extra: derives.iter().map(ToTokens::to_token_stream).collect(),
        extra_names: derives
            .iter()
            .filter_map(|p| p.segments.last().map(|s| s.ident.to_string()))
            .collect(),
        functions: Scope::new(),
        uses_serialize: false,
        uses_deserialize: false,
    };
    let title = if api.title.trim().is_empty() {
        "the API".to_owned()
    } else {
        api.title.trim().to_owned()
    };
    let mut heading = format!("Types of {title}");
    if !api.version.trim().is_empty() {
        heading.push_str(&format!(", version {}", api.version.trim()));
    }
    heading.push('.');
    let module_docs = doc_attrs(&super::markdown_lines(&heading));
    sink.open(quote!(#module_docs pub mod types));
    // The imports depend on what the types derive: known once they are all emitted.
    let imports = sink.reserve();
    for def in &api.types {
        sink.items(cx.type_def(def));
        sink.done();
    }
    let imports_tokens = match (cx.uses_serialize, cx.uses_deserialize) {
        (true, true) => quote!(
            use ::stencil::serde::{Deserialize, Serialize};
        ),
        (true, false) => quote!(
            use ::stencil::serde::Serialize;
        ),
        (false, true) => quote!(
            use ::stencil::serde::Deserialize;
        ),
        (false, false) => TokenStream::new(),
    };
    sink.fill(imports, imports_tokens);
    sink.close();
}

struct Cx<'a> {
    api: &'a Api,
    /// Property names redacted in `Debug` (lowercase).
    secret_fields: &'a [String],
    analysis: Analysis,
    /// Which serde impls each type needs.
    directions: Directions,
    extra: Vec<TokenStream>,
    /// Last path segments of the extra derives, to skip those already derived.
    extra_names: Vec<String>,
    /// Names of generated functions (schema defaults), unique in the module.
    functions: Scope,
    /// Whether a derive names `Serialize` / `Deserialize` (imported from `::stencil::serde`:
    /// prelude-like names that no generated type takes, see [`crate::naming`]).
    uses_serialize: bool,
    uses_deserialize: bool,
}

impl Cx<'_> {
    fn type_def(&mut self, def: &TypeDef) -> TokenStream {
        match &def.kind {
            TypeKind::Struct(s) => self.struct_def(def, s),
            TypeKind::StringEnum(e) => self.string_enum(def, e),
            TypeKind::IntEnum(e) => self.int_enum(def, e),
            TypeKind::Union(u) => self.union(def, u),
            TypeKind::Alias(ty) => self.alias(def, ty),
            TypeKind::Newtype(ty, constraints) => self.newtype(def, ty, constraints),
            TypeKind::External(path) => self.external(def, path),
        }
    }

    /// A schema replaced by the user's own type (`Config::replace_type`).
    fn external(&mut self, def: &TypeDef, path: &str) -> TokenStream {
        let name = ident(&def.name);
        let mut lines = doc_lines(&def.docs);
        lines.push(String::new());
        lines.push(format!(
            "Replaced by `{path}` (configured in the generator)."
        ));
        let docs = doc_attrs(&lines);
        let ty: TokenStream = match syn::parse_str::<syn::Type>(path) {
            Ok(ty) => ty.into_token_stream(),
            Err(_) => quote!(::stencil::serde_json::Value),
        };
        quote! {
            #docs
            pub type #name = #ty;
        }
    }

    fn ty(&self, def: &TypeDef, ty: &TypeRef) -> TokenStream {
        type_ref_generic(self.api, ty, true, &def.generics)
    }

    /// The derive attribute: `std` derives, then those of serde's in `serde` that every build of
    /// the crate needs, then the extra ones not already there; and a `cfg_attr` deriving the
    /// serde impls only the server needs ([`Directions`]).
    fn derives(&mut self, std: &[&str], serde: &[&str], id: TypeId) -> TokenStream {
        let mut derives: Vec<TokenStream> = std
            .iter()
            .map(|name| {
                let name = ident(name);
                quote!(#name)
            })
            .collect();
        let (ser, de) = self.directions.needs(id);
        let mut server_only = Vec::new();
        for name in serde {
            let need = if *name == "Serialize" { ser } else { de };
            match need {
                Need::Always => {
                    match *name {
                        "Serialize" => self.uses_serialize = true,
                        _ => self.uses_deserialize = true,
                    }
                    let name = ident(name);
                    derives.push(quote!(#name));
                }
                Need::Server => {
                    let name = ident(name);
                    server_only.push(quote!(::stencil::serde::#name));
                }
                Need::Never => {}
            }
        }
        for (path, name) in self.extra.iter().zip(&self.extra_names) {
            // serde's impls are Stencil's to write (enums and tagged unions have their own).
            let serde_derive = name == "Serialize" || name == "Deserialize";
            if !std.contains(&name.as_str()) && !serde_derive {
                derives.push(path.clone());
            }
        }
        let derive = derive_attr(&derives);
        if server_only.is_empty() {
            derive
        } else {
            quote! {
                #derive
                #[cfg_attr(feature = "server", derive(#(#server_only),*))]
            }
        }
    }

    // -----------------------------------------------------------------------------------------
    // Aliases and newtypes

    fn alias(&mut self, def: &TypeDef, ty: &TypeRef) -> TokenStream {
        let name = ident(&def.name);
        let generics = generic_params(def);
        let docs = doc_attrs(&doc_lines(&def.docs));
        let ty = self.ty(def, ty);
        quote! {
            #docs
            pub type #name #generics = #ty;
        }
    }

    fn newtype(
        &mut self,
        def: &TypeDef,
        inner: &TypeRef,
        constraints: &Constraints,
    ) -> TokenStream {
        let name = ident(&def.name);
        let generics = generic_params(def);
        let mut lines = doc_lines(&def.docs);
        if let Some(line) = constraint_line(constraints) {
            lines = join_paragraphs(vec![lines, vec![line]]);
        }
        let docs = doc_attrs(&lines);
        let mut std = vec!["Debug", "Clone", "PartialEq"];
        if self.analysis.eq_hash(def.id) {
            std.extend(["Eq", "Hash"]);
        }
        let derives = self.derives(&std, &["Serialize", "Deserialize"], def.id);
        let serde = serde_attrs(quote!(transparent));
        let inner_ty = self.ty(def, inner);
        let (params, args) = impl_generics(def, TokenStream::new());
        // `impl From<Name<T>> for T` would break the orphan rule.
        let into_inner = if generics_used(inner).is_empty() {
            quote! {
                impl From<#name> for #inner_ty {
                    fn from(value: #name) -> Self {
                        value.0
                    }
                }
            }
        } else {
            TokenStream::new()
        };
        quote! {
            #docs
            #derives
            #serde
            pub struct #name #generics(pub #inner_ty);

            impl #params ::std::ops::Deref for #name #args {
                type Target = #inner_ty;

                fn deref(&self) -> &#inner_ty {
                    &self.0
                }
            }

            impl #params From<#inner_ty> for #name #args {
                fn from(value: #inner_ty) -> Self {
                    Self(value)
                }
            }

            #into_inner
        }
    }
}

/// `<T, U>` of a generic type definition (nothing when it has none).
fn generic_params(def: &TypeDef) -> TokenStream {
    if def.generics.is_empty() {
        return TokenStream::new();
    }
    let params = def.generics.iter().map(|g| ident(g));
    quote!(<#(#params),*>)
}

/// `impl<T: bound, U: bound>` parameters and `<T, U>` arguments of a generic type definition.
fn impl_generics(def: &TypeDef, bound: TokenStream) -> (TokenStream, TokenStream) {
    if def.generics.is_empty() {
        return (TokenStream::new(), TokenStream::new());
    }
    let args: Vec<_> = def.generics.iter().map(|g| ident(g)).collect();
    let params = if bound.is_empty() {
        quote!(<#(#args),*>)
    } else {
        quote!(<#(#args: #bound),*>)
    };
    (params, quote!(<#(#args),*>))
}

/// The type parameters (indices) a type mentions.
fn generics_used(ty: &TypeRef) -> BTreeSet<usize> {
    fn walk(ty: &TypeRef, out: &mut BTreeSet<usize>) {
        match ty {
            TypeRef::Generic(i) => {
                out.insert(*i);
            }
            TypeRef::Named(_, args) | TypeRef::Tuple(args) => {
                args.iter().for_each(|a| walk(a, out))
            }
            TypeRef::Array(inner)
            | TypeRef::Map(inner)
            | TypeRef::Option(inner)
            | TypeRef::Boxed(inner) => walk(inner, out),
            TypeRef::Primitive(_) | TypeRef::Any => {}
        }
    }
    let mut out = BTreeSet::new();
    walk(ty, &mut out);
    out
}
