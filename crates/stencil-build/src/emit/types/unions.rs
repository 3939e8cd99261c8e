//! Unions: untagged (`#[serde(untagged)]`) or tagged (a `TaggedUnion` impl); the payload of
//! server-sent events keyed by event type also implements `FromEvent`.

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::quote;

use super::enums::enum_variant_names_lint;
use super::{generic_params, impl_generics, Cx, Need};
use crate::emit::{doc_attrs, doc_lines, ident, normalize, serde_attrs};
use crate::ir::{TypeDef, TypeRef, Union};

impl Cx<'_> {
    pub(super) fn union(&mut self, def: &TypeDef, u: &Union) -> TokenStream {
        let name = ident(&def.name);
        let generics = generic_params(def);
        let docs = doc_attrs(&doc_lines(&def.docs));
        let eq = self.analysis.eq_hash(def.id);
        let mut std = vec!["Debug", "Clone", "PartialEq"];
        if eq {
            std.extend(["Eq", "Hash"]);
        }
        let serde_derives: &[&str] = if u.tag.is_some() {
            &["Serialize"]
        } else {
            &["Serialize", "Deserialize"]
        };
        let derives = self.derives(&std, serde_derives, def.id);
        // A tagged union derives only `Serialize`; where no build needs it, no `serde` attribute.
        let serde = match (u.tag.is_some(), self.directions.needs(def.id).0) {
            (true, Need::Never) => TokenStream::new(),
            (true, Need::Server) => {
                quote!(#[cfg_attr(feature = "server", serde(crate = "::stencil::serde", untagged))])
            }
            _ => serde_attrs(quote!(untagged)),
        };
        let names: Vec<&str> = u.variants.iter().map(|v| v.name.as_str()).collect();
        let mut allows = Vec::new();
        if let Some(allow) = enum_variant_names_lint(&def.name, &names) {
            allows.push(allow);
        }
        // Variant sizes are unknown here; a union of structs may well be lopsided, and boxing
        // every variant would make the common case worse.
        let by_value_structs = u
            .variants
            .iter()
            .filter(|v| matches!(normalize(&v.ty), TypeRef::Named(..) | TypeRef::Tuple(_)))
            .count();
        if u.variants.len() > 1 && by_value_structs > 0 {
            allows.push(quote!(clippy::large_enum_variant));
        }
        let allow = if allows.is_empty() {
            TokenStream::new()
        } else {
            quote!(#[allow(#(#allows),*)])
        };
        let variants = u.variants.iter().map(|v| {
            let docs = doc_attrs(&doc_lines(&v.docs));
            let variant = ident(&v.name);
            let ty = self.ty(def, &v.ty);
            quote!(#docs #variant(#ty))
        });
        // A tagged union's `Deserialize` is written here, when a generated part needs it; a
        // union keyed by event name is read from events (`FromEvent`).
        let tagged = match (&u.tag, self.directions.needs(def.id).1) {
            (None, _) if u.event_keyed => event_keyed_impl(def, u),
            (Some(_), Need::Never) | (None, _) => TokenStream::new(),
            (Some(tag), need) => self.tagged_impls(def, u, tag, need.cfg()),
        };
        quote! {
            #docs
            #derives
            #serde
            #allow
            pub enum #name #generics {
                #(#variants,)*
            }

            #tagged
        }
    }

    /// The `TaggedUnion` and `Deserialize` impls, each under `cfg` (a `#[cfg]`, or nothing).
    fn tagged_impls(&self, def: &TypeDef, u: &Union, tag: &str, cfg: TokenStream) -> TokenStream {
        let name = ident(&def.name);
        let mut seen = BTreeSet::new();
        let mut tags = Vec::new();
        let mut arms = Vec::new();
        for variant in &u.variants {
            let values: Vec<&str> = variant
                .tag_values
                .iter()
                .map(String::as_str)
                .filter(|v| seen.insert(*v))
                .collect();
            if values.is_empty() {
                continue;
            }
            tags.extend(values.iter().copied());
            let variant = ident(&variant.name);
            arms.push(quote!(#(#values)|* => Some(::stencil::serde_json::from_value(value).map(Self::#variant))));
        }
        let body = if arms.is_empty() {
            quote! {
                fn from_tagged(
                    _tag: &str,
                    _value: ::stencil::serde_json::Value,
                ) -> Option<Result<Self, ::stencil::serde_json::Error>> {
                    None
                }
            }
        } else {
            quote! {
                fn from_tagged(
                    tag: &str,
                    value: ::stencil::serde_json::Value,
                ) -> Option<Result<Self, ::stencil::serde_json::Error>> {
                    match tag {
                        #(#arms,)*
                        _ => None,
                    }
                }
            }
        };
        if def.generics.is_empty() {
            quote! {
                #cfg
                impl ::stencil::TaggedUnion for #name {
                    const TAG: &'static str = #tag;
                    const TAGS: &'static [&'static str] = &[#(#tags),*];

                    #body
                }

                #cfg
                ::stencil::impl_tagged_union!(#name);
            }
        } else {
            let (params, args) = impl_generics(def, quote!(::stencil::serde::de::DeserializeOwned));
            let mut de_params: Vec<TokenStream> = vec![quote!('de)];
            de_params.extend(def.generics.iter().map(|g| {
                let g = ident(g);
                quote!(#g: ::stencil::serde::de::DeserializeOwned)
            }));
            quote! {
                #cfg
                impl #params ::stencil::TaggedUnion for #name #args {
                    const TAG: &'static str = #tag;
                    const TAGS: &'static [&'static str] = &[#(#tags),*];

                    #body
                }

                #cfg
                impl<#(#de_params),*> ::stencil::serde::Deserialize<'de> for #name #args {
                    fn deserialize<D>(deserializer: D) -> Result<Self, D::Error>
                    where
                        D: ::stencil::serde::Deserializer<'de>,
                    {
                        ::stencil::deserialize_tagged(deserializer)
                    }
                }
            }
        }
    }
}

/// `FromEvent` for a union keyed by event type: each variant decodes the `data` of its event
/// as JSON, and names the event it is sent as.
fn event_keyed_impl(def: &TypeDef, u: &Union) -> TokenStream {
    let name = ident(&def.name);
    let mut seen = BTreeSet::new();
    let mut decode = Vec::new();
    let mut names = Vec::new();
    for v in &u.variants {
        let variant = ident(&v.name);
        let Some(event) = v.tag_values.first() else {
            continue;
        };
        names.push(quote!(Self::#variant(_) => #event,));
        if seen.insert(event.as_str()) {
            decode.push(quote! {
                #event => ::stencil::serde_json::from_str(data).map(Self::#variant).map_err(|e| e.to_string()),
            });
        }
    }
    // A format string: the names' braces doubled.
    let expected = seen
        .iter()
        .map(|e| e.replace('{', "{{").replace('}', "}}"))
        .collect::<Vec<_>>()
        .join(", ");
    let message = format!("unexpected event type `{{other}}`; expected {expected}");
    quote! {
        impl ::stencil::FromEvent for #name {
            fn from_event(event: &str, data: &str) -> Result<Self, String> {
                match event {
                    #(#decode)*
                    other => Err(format!(#message)),
                }
            }

            fn event_name(&self) -> Option<&'static str> {
                Some(match self {
                    #(#names)*
                })
            }
        }
    }
}
