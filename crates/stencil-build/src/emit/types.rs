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
//! [`StringEnum`]: https://docs.rs/stencil/latest/stencil/trait.StringEnum.html

use std::collections::BTreeSet;

use heck::ToSnakeCase;
use proc_macro2::{Literal, TokenStream};
use quote::{quote, ToTokens};
use serde_json::Value;

use super::{
    code_span, derive_attr, doc_attrs, doc_lines, extra_derives, ident, join_paragraphs, normalize,
    serde_attrs, type_ref_generic,
};
use crate::ir::{
    Api, Constraints, Field, IntEnum, Presence, Primitive, StringEnum, Struct, TypeDef, TypeId,
    TypeKind, TypeRef, Union,
};
use crate::naming::Scope;
use crate::pipeline::Options;

/// `pub mod types { ... }`.
pub fn types(api: &Api, options: &Options) -> TokenStream {
    let (extra, errors) = extra_derives(options);
    let mut cx = Cx {
        api,
        analysis: Analysis::new(api),
        extra: extra.iter().map(ToTokens::to_token_stream).collect(),
        extra_names: extra
            .iter()
            .filter_map(|p| p.segments.last().map(|s| s.ident.to_string()))
            .collect(),
        functions: Scope::new(),
        uses_serialize: false,
        uses_deserialize: false,
    };
    let items: Vec<TokenStream> = api.types.iter().map(|def| cx.type_def(def)).collect();
    let imports = match (cx.uses_serialize, cx.uses_deserialize) {
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
    quote! {
        #module_docs
        pub mod types {
            #imports
            #errors
            #(#items)*
        }
    }
}

struct Cx<'a> {
    api: &'a Api,
    analysis: Analysis,
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

    /// The derive attribute: `std` derives, then serde's (when `serde`), then the extra ones
    /// not already there.
    fn derives(&mut self, std: &[&str], serde: &[&str]) -> TokenStream {
        let mut derives: Vec<TokenStream> = std
            .iter()
            .map(|name| {
                let name = ident(name);
                quote!(#name)
            })
            .collect();
        for name in serde {
            match *name {
                "Serialize" => self.uses_serialize = true,
                _ => self.uses_deserialize = true,
            }
            let name = ident(name);
            derives.push(quote!(#name));
        }
        for (path, name) in self.extra.iter().zip(&self.extra_names) {
            // serde's impls are Stencil's to write (enums and tagged unions have their own).
            let serde_derive = name == "Serialize" || name == "Deserialize";
            if !std.contains(&name.as_str()) && !serde_derive {
                derives.push(path.clone());
            }
        }
        derive_attr(&derives)
    }

    // -----------------------------------------------------------------------------------------
    // Structs

    fn struct_def(&mut self, def: &TypeDef, s: &Struct) -> TokenStream {
        let name = ident(&def.name);
        let generics = generic_params(def);
        let type_docs = doc_attrs(&doc_lines(&def.docs));

        let mut fields = Vec::new();
        let mut functions = Vec::new();
        // Field initialisers for a hand-written `Default` (needed when a field has a schema default).
        let mut initialisers = Vec::new();
        let mut has_default_fn = false;
        let mut field_scope = Scope::new();
        for field in &s.fields {
            field_scope.claim(&field.name);
        }
        for field in &s.fields {
            let emitted = self.field(def, field);
            let field_name = ident(&field.name);
            let initialiser = match &emitted.default_fn {
                Some((fn_name, function)) => {
                    has_default_fn = true;
                    functions.push(function.clone());
                    quote!(#fn_name())
                }
                None if matches!(field.presence(), Presence::Required) => {
                    quote!(::std::default::Default::default())
                }
                None => quote!(None),
            };
            initialisers.push(quote!(#field_name: #initialiser));
            fields.push(emitted.tokens);
        }
        if let Some(additional) = &s.additional {
            let (field_name, _) = field_scope.claim("additional_properties");
            let field_name = ident(&field_name);
            let value = self.ty(def, additional);
            fields.push(quote! {
                /// Properties the schema does not declare.
                #[serde(flatten)]
                pub #field_name: ::std::collections::BTreeMap<String, #value>
            });
            initialisers.push(quote!(#field_name: ::std::collections::BTreeMap::new()));
        }

        let eq = self.analysis.eq_hash(def.id);
        let default = self.analysis.default(def.id);
        let mut std = vec!["Debug", "Clone", "PartialEq"];
        if eq {
            std.extend(["Eq", "Hash"]);
        }
        if default && !has_default_fn {
            std.push("Default");
        }
        let derives = self.derives(&std, &["Serialize", "Deserialize"]);
        let serde = serde_attrs(TokenStream::new());
        let default_impl = if default && has_default_fn {
            let (params, args) = impl_generics(def, quote!(::std::default::Default));
            quote! {
                impl #params ::std::default::Default for #name #args {
                    fn default() -> Self {
                        Self {
                            #(#initialisers,)*
                        }
                    }
                }
            }
        } else {
            TokenStream::new()
        };
        quote! {
            #type_docs
            #derives
            #serde
            pub struct #name #generics {
                #(#fields,)*
            }

            #(#functions)*
            #default_impl
        }
    }

    fn field(&mut self, def: &TypeDef, field: &Field) -> EmittedField {
        let name = ident(&field.name);
        let value_ty = self.ty(def, &field.ty);
        let mut doc = doc_lines(&field.docs);
        let mut notes = Vec::new();
        if field.read_only {
            notes.push("Read-only: sent by the server, ignored in requests.".to_owned());
        }
        if field.write_only {
            notes.push("Write-only: sent in requests, not returned by the server.".to_owned());
        }
        let constraints = constraint_line(&field.constraints);

        let mut presence = field.presence();
        let mut default_fn = None;
        if presence == Presence::Defaulted && field.default.as_ref().is_some_and(Value::is_null) {
            // `default: null` on a non-nullable property: absent is all it can mean.
            presence = Presence::Optional;
        } else if presence == Presence::Defaulted {
            let value = field
                .default
                .as_ref()
                .expect("Defaulted fields have a default");
            let shown = short_json(value);
            match default_expr(self.api, &field.ty, value) {
                Some(expr) => {
                    let fn_name = self.functions.claim(&format!(
                        "default_{}_{}",
                        def.name.to_snake_case(),
                        field.name.trim_end_matches('_')
                    ));
                    let fn_name = ident(&fn_name.0);
                    let allow = if expr.approx_constant {
                        quote!(#[allow(clippy::approx_constant)]) // the document's number, not π
                    } else {
                        TokenStream::new()
                    };
                    let body = expr.tokens;
                    let function = quote! {
                        #allow
                        fn #fn_name() -> #value_ty {
                            #body
                        }
                    };
                    default_fn = Some((fn_name, function));
                    notes.push(match shown {
                        Some(shown) => format!("Defaults to {shown}."),
                        None => {
                            "Has a default (see the function in its `serde(default)`).".to_owned()
                        }
                    });
                }
                None => {
                    presence = Presence::Optional;
                    notes.push(match shown {
                        Some(shown) => format!(
                            "The document's default, {shown}, does not fit this type and is not applied."
                        ),
                        None => "The document's default does not fit this type and is not applied.".to_owned(),
                    });
                }
            }
        }
        if let (
            Some(value),
            Presence::Required | Presence::RequiredNullable | Presence::OptionalNullable,
        ) = (&field.default, presence)
        {
            // A default that does not change the Rust representation: documented only.
            if let Some(shown) = short_json(value) {
                notes.push(format!("The document's default: {shown}."));
            }
        }
        if let Some(constraints) = constraints {
            notes.push(constraints);
        }
        if !notes.is_empty() {
            doc = join_paragraphs(vec![doc, vec![notes.join(" ")]]);
        }
        let docs = doc_attrs(&doc);

        let mut serde = Vec::new();
        if field.name != field.wire_name {
            let wire = &field.wire_name;
            serde.push(quote!(rename = #wire));
        }
        let generic = !generics_used(&field.ty).is_empty();
        let ty = match presence {
            Presence::Required => value_ty,
            Presence::RequiredNullable => quote!(Option<#value_ty>),
            Presence::Defaulted => {
                let (fn_name, _) = default_fn.as_ref().expect("set above");
                let path = fn_name.to_string();
                serde.push(quote!(default = #path));
                value_ty
            }
            // serde's `default` puts a `T: Default` bound on the type parameters the field
            // mentions; an absent `Option` is `None` without it.
            Presence::Optional if generic => {
                serde.push(quote!(skip_serializing_if = "Option::is_none"));
                quote!(Option<#value_ty>)
            }
            Presence::Optional => {
                serde.push(quote!(default, skip_serializing_if = "Option::is_none"));
                quote!(Option<#value_ty>)
            }
            Presence::OptionalNullable => {
                let default = if generic {
                    quote!(default = "::stencil::double_option::absent")
                } else {
                    quote!(default)
                };
                serde.push(quote!(
                    #default,
                    skip_serializing_if = "Option::is_none",
                    with = "::stencil::double_option"
                ));
                // serde infers no bounds for fields with `with`.
                let params = generics_used(&field.ty);
                if !params.is_empty() {
                    let names: Vec<&str> = params
                        .iter()
                        .filter_map(|i| def.generics.get(*i).map(String::as_str))
                        .collect();
                    let ser = names
                        .iter()
                        .map(|t| format!("{t}: ::stencil::serde::Serialize"))
                        .collect::<Vec<_>>()
                        .join(", ");
                    let de = names
                        .iter()
                        .map(|t| format!("{t}: ::stencil::serde::Deserialize<'de>"))
                        .collect::<Vec<_>>()
                        .join(", ");
                    serde.push(quote!(bound(serialize = #ser, deserialize = #de)));
                }
                quote!(Option<Option<#value_ty>>)
            }
        };
        let serde = if serde.is_empty() {
            TokenStream::new()
        } else {
            quote!(#[serde(#(#serde),*)])
        };
        EmittedField {
            tokens: quote! {
                #docs
                #serde
                pub #name: #ty
            },
            default_fn,
        }
    }

    // -----------------------------------------------------------------------------------------
    // Enums

    fn string_enum(&mut self, def: &TypeDef, e: &StringEnum) -> TokenStream {
        let name = ident(&def.name);
        let docs = doc_attrs(&doc_lines(&def.docs));
        let derives = self.derives(
            &[
                "Debug",
                "Clone",
                "PartialEq",
                "Eq",
                "Hash",
                "PartialOrd",
                "Ord",
            ],
            &[],
        );
        let mut variant_names: Vec<&str> = e.variants.iter().map(|v| v.name.as_str()).collect();
        if e.fallback {
            variant_names.push("Other");
        }
        let allow = enum_variant_names_allow(&def.name, &variant_names);

        let variants = e.variants.iter().map(|v| {
            let docs = doc_attrs(&variant_doc(&v.docs, &v.value, &v.name));
            let variant = ident(&v.name);
            quote!(#docs #variant)
        });
        let other = e.fallback.then(|| {
            quote! {
                /// A value that was not in the document when this code was generated.
                Other(String)
            }
        });
        let values: Vec<&str> = e.variants.iter().map(|v| v.value.as_str()).collect();
        let mut as_str: Vec<TokenStream> = e
            .variants
            .iter()
            .map(|v| {
                let variant = ident(&v.name);
                let value = &v.value;
                quote!(Self::#variant => #value)
            })
            .collect();
        if e.fallback {
            as_str.push(quote!(Self::Other(value) => value));
        }
        let as_str_body = if as_str.is_empty() {
            quote!(match *self {})
        } else {
            quote!(match self { #(#as_str,)* })
        };
        let mut seen = BTreeSet::new();
        let arms: Vec<TokenStream> = e
            .variants
            .iter()
            .filter(|v| seen.insert(v.value.as_str()))
            .map(|v| {
                let variant = ident(&v.name);
                let value = &v.value;
                quote!(#value => Some(Self::#variant))
            })
            .collect();
        let from_wire = if e.fallback {
            quote! {
                fn from_wire(value: &str) -> Option<Self> {
                    match value {
                        #(#arms,)*
                        other => Some(Self::Other(other.to_owned())),
                    }
                }
            }
        } else if arms.is_empty() {
            quote! {
                fn from_wire(_value: &str) -> Option<Self> {
                    None
                }
            }
        } else {
            quote! {
                fn from_wire(value: &str) -> Option<Self> {
                    match value {
                        #(#arms,)*
                        _ => None,
                    }
                }
            }
        };
        quote! {
            #docs
            #derives
            #allow
            pub enum #name {
                #(#variants,)*
                #other
            }

            impl ::stencil::StringEnum for #name {
                const VALUES: &'static [&'static str] = &[#(#values),*];

                fn as_str(&self) -> &str {
                    #as_str_body
                }

                #from_wire
            }

            ::stencil::impl_string_enum!(#name);
        }
    }

    fn int_enum(&mut self, def: &TypeDef, e: &IntEnum) -> TokenStream {
        let name = ident(&def.name);
        let docs = doc_attrs(&doc_lines(&def.docs));
        let derives = self.derives(
            &[
                "Debug",
                "Clone",
                "PartialEq",
                "Eq",
                "Hash",
                "PartialOrd",
                "Ord",
            ],
            &[],
        );
        let mut variant_names: Vec<&str> = e.variants.iter().map(|v| v.name.as_str()).collect();
        if e.fallback {
            variant_names.push("Other");
        }
        let allow = enum_variant_names_allow(&def.name, &variant_names);
        let variants = e.variants.iter().map(|v| {
            let docs = doc_attrs(&variant_doc(&v.docs, &v.value.to_string(), &v.name));
            let variant = ident(&v.name);
            quote!(#docs #variant)
        });
        let other = e.fallback.then(|| {
            quote! {
                /// A value that was not in the document when this code was generated.
                Other(i64)
            }
        });
        let values: Vec<TokenStream> = e.variants.iter().map(|v| int_literal(v.value)).collect();
        let mut value_arms: Vec<TokenStream> = e
            .variants
            .iter()
            .map(|v| {
                let variant = ident(&v.name);
                let value = int_literal(v.value);
                quote!(Self::#variant => #value)
            })
            .collect();
        if e.fallback {
            value_arms.push(quote!(Self::Other(value) => *value));
        }
        let value_body = if value_arms.is_empty() {
            quote!(match *self {})
        } else {
            quote!(match self { #(#value_arms,)* })
        };
        let mut seen = BTreeSet::new();
        let arms: Vec<TokenStream> = e
            .variants
            .iter()
            .filter(|v| seen.insert(v.value))
            .map(|v| {
                let variant = ident(&v.name);
                let value = int_literal(v.value);
                quote!(#value => Some(Self::#variant))
            })
            .collect();
        let from_value = if e.fallback {
            quote! {
                fn from_value(value: i64) -> Option<Self> {
                    match value {
                        #(#arms,)*
                        other => Some(Self::Other(other)),
                    }
                }
            }
        } else if arms.is_empty() {
            quote! {
                fn from_value(_value: i64) -> Option<Self> {
                    None
                }
            }
        } else {
            quote! {
                fn from_value(value: i64) -> Option<Self> {
                    match value {
                        #(#arms,)*
                        _ => None,
                    }
                }
            }
        };
        quote! {
            #docs
            #derives
            #allow
            pub enum #name {
                #(#variants,)*
                #other
            }

            impl ::stencil::IntEnum for #name {
                const VALUES: &'static [i64] = &[#(#values),*];

                fn value(&self) -> i64 {
                    #value_body
                }

                #from_value
            }

            ::stencil::impl_int_enum!(#name);
        }
    }

    // -----------------------------------------------------------------------------------------
    // Unions

    fn union(&mut self, def: &TypeDef, u: &Union) -> TokenStream {
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
        let derives = self.derives(&std, serde_derives);
        let serde = serde_attrs(quote!(untagged));
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
        let tagged = match &u.tag {
            Some(tag) => self.tagged_impls(def, u, tag),
            None => TokenStream::new(),
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

    fn tagged_impls(&self, def: &TypeDef, u: &Union, tag: &str) -> TokenStream {
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
                impl ::stencil::TaggedUnion for #name {
                    const TAG: &'static str = #tag;
                    const TAGS: &'static [&'static str] = &[#(#tags),*];

                    #body
                }

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
                impl #params ::stencil::TaggedUnion for #name #args {
                    const TAG: &'static str = #tag;
                    const TAGS: &'static [&'static str] = &[#(#tags),*];

                    #body
                }

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
        let derives = self.derives(&std, &["Serialize", "Deserialize"]);
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

struct EmittedField {
    tokens: TokenStream,
    /// The function giving the schema default, and its definition.
    default_fn: Option<(proc_macro2::Ident, TokenStream)>,
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

/// Doc lines of an enum variant: its own docs, or the wire value when the name does not show it.
fn variant_doc(docs: &crate::ir::Docs, wire: &str, name: &str) -> Vec<String> {
    let lines = doc_lines(docs);
    if lines.is_empty() && !wire.eq_ignore_ascii_case(name) {
        vec![code_span(wire)]
    } else {
        lines
    }
}

/// Compact JSON shown in a doc line, as inline code; `None` when too long to be useful inline.
fn short_json(value: &Value) -> Option<String> {
    let text = value.to_string();
    (text.chars().count() <= 80).then(|| code_span(&text))
}

/// One doc line listing the validation keywords, e.g. ``Constraints: `minLength: 1`, `format: email`.``
fn constraint_line(c: &Constraints) -> Option<String> {
    fn number(n: f64) -> String {
        if n.fract() == 0.0 && n.abs() < 1e15 {
            format!("{}", n as i64)
        } else {
            format!("{n}")
        }
    }
    let mut parts = Vec::new();
    if let Some(min) = c.minimum {
        let key = if c.exclusive_minimum {
            "exclusiveMinimum"
        } else {
            "minimum"
        };
        parts.push(format!("{key}: {}", number(min)));
    }
    if let Some(max) = c.maximum {
        let key = if c.exclusive_maximum {
            "exclusiveMaximum"
        } else {
            "maximum"
        };
        parts.push(format!("{key}: {}", number(max)));
    }
    if let Some(m) = c.multiple_of {
        parts.push(format!("multipleOf: {}", number(m)));
    }
    if let Some(n) = c.min_length {
        parts.push(format!("minLength: {n}"));
    }
    if let Some(n) = c.max_length {
        parts.push(format!("maxLength: {n}"));
    }
    if let Some(p) = &c.pattern {
        parts.push(format!("pattern: {p}"));
    }
    if let Some(n) = c.min_items {
        parts.push(format!("minItems: {n}"));
    }
    if let Some(n) = c.max_items {
        parts.push(format!("maxItems: {n}"));
    }
    if c.unique_items {
        parts.push("uniqueItems: true".to_owned());
    }
    if let Some(f) = &c.format {
        parts.push(format!("format: {f}"));
    }
    if parts.is_empty() {
        return None;
    }
    let parts: Vec<String> = parts.iter().map(|p| code_span(p)).collect();
    Some(format!("Constraints: {}.", parts.join(", ")))
}

// ---------------------------------------------------------------------------------------------
// clippy::enum_variant_names

/// `#[allow(clippy::enum_variant_names)]` when clippy would flag the names: they come from the
/// document. Errs on the side of allowing.
fn enum_variant_names_allow(enum_name: &str, variants: &[&str]) -> TokenStream {
    match enum_variant_names_lint(enum_name, variants) {
        Some(lint) => quote!(#[allow(#lint)]),
        None => TokenStream::new(),
    }
}

fn enum_variant_names_lint(enum_name: &str, variants: &[&str]) -> Option<TokenStream> {
    let words = |name: &str| -> Vec<String> {
        let mut words: Vec<String> = Vec::new();
        let mut previous_lower = false;
        for c in name.chars() {
            if (c.is_ascii_uppercase() && previous_lower) || words.is_empty() {
                words.push(String::new());
            }
            previous_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
            words.last_mut().expect("pushed").push(c);
        }
        words
    };
    let enum_words = words(enum_name);
    let mentions_enum = variants.iter().any(|v| {
        let w = words(v);
        w.starts_with(&enum_words) || w.ends_with(&enum_words)
    });
    let shared = variants.len() >= 3 && {
        let all: Vec<Vec<String>> = variants.iter().map(|v| words(v)).collect();
        let first = all.iter().map(|w| w.first()).collect::<Vec<_>>();
        let last = all.iter().map(|w| w.last()).collect::<Vec<_>>();
        first.windows(2).all(|p| p[0] == p[1]) || last.windows(2).all(|p| p[0] == p[1])
    };
    (mentions_enum || shared).then(|| quote!(clippy::enum_variant_names))
}

// ---------------------------------------------------------------------------------------------
// Eq, Hash and Default over the arena

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

    /// Whether a type reference implements `Eq` and `Hash`.
    pub fn ty_eq_hash(&self, ty: &TypeRef) -> bool {
        ty_eq_hash(ty, &self.eq_hash)
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

// ---------------------------------------------------------------------------------------------
// Schema defaults as Rust expressions

struct DefaultExpr {
    tokens: TokenStream,
    /// A float literal in it looks like a `std` constant to clippy.
    approx_constant: bool,
}

/// The body of the function that gives a field's schema default: a Rust expression when the
/// value has a literal form, else `::stencil::default_from_json` of its JSON when the value is
/// known to deserialize as the type. `None` when the default does not fit the type (or the type
/// mentions a type parameter).
fn default_expr(api: &Api, ty: &TypeRef, value: &Value) -> Option<DefaultExpr> {
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
        let json = raw_string(&value.to_string());
        return Some(DefaultExpr {
            tokens: quote!(::stencil::default_from_json(#json)),
            approx_constant: false,
        });
    }
    None
}

/// Recursion limit for walking values against types (a union may contain itself).
const MAX_DEPTH: usize = 64;

/// Replace the type parameters in `ty` by `args`.
fn subst(ty: &TypeRef, args: &[TypeRef]) -> TypeRef {
    if args.is_empty() {
        return ty.clone();
    }
    match ty {
        TypeRef::Generic(i) => args.get(*i).cloned().unwrap_or_else(|| ty.clone()),
        TypeRef::Named(id, inner) => {
            TypeRef::Named(*id, inner.iter().map(|a| subst(a, args)).collect())
        }
        TypeRef::Tuple(items) => TypeRef::Tuple(items.iter().map(|a| subst(a, args)).collect()),
        TypeRef::Array(t) => TypeRef::Array(Box::new(subst(t, args))),
        TypeRef::Map(t) => TypeRef::Map(Box::new(subst(t, args))),
        TypeRef::Option(t) => TypeRef::Option(Box::new(subst(t, args))),
        TypeRef::Boxed(t) => TypeRef::Boxed(Box::new(subst(t, args))),
        TypeRef::Primitive(_) | TypeRef::Any => ty.clone(),
    }
}

/// `r#"text"#` with enough `#`s (readable JSON in generated code); a plain string literal
/// should the text not make a raw string.
fn raw_string(text: &str) -> Literal {
    let mut hashes = 1;
    while text.contains(&format!("\"{}", "#".repeat(hashes))) {
        hashes += 1;
    }
    let fence = "#".repeat(hashes);
    if text.contains('\r') {
        return Literal::string(text);
    }
    format!("r{fence}\"{text}\"{fence}")
        .parse()
        .unwrap_or_else(|_| Literal::string(text))
}

fn int_literal(value: i64) -> TokenStream {
    let abs = Literal::u64_unsuffixed(value.unsigned_abs());
    if value < 0 {
        quote!(-#abs)
    } else {
        quote!(#abs)
    }
}

fn float_literal(value: f64, f32: bool, approx_constant: &mut bool) -> Option<TokenStream> {
    let repr = if f32 {
        let narrow = value as f32;
        if !narrow.is_finite() {
            return None;
        }
        format!("{:?}", narrow.abs())
    } else {
        if !value.is_finite() {
            return None;
        }
        format!("{:?}", value.abs())
    };
    *approx_constant |= looks_like_constant(&repr);
    let literal: Literal = repr.parse().ok()?;
    Some(if value.is_sign_negative() && value != 0.0 {
        quote!(-#literal)
    } else {
        quote!(#literal)
    })
}

/// Whether clippy's `approx_constant` would take this literal for a `std::f64::consts` value.
fn looks_like_constant(repr: &str) -> bool {
    use std::f64::consts::*;
    const CONSTANTS: &[f64] = &[
        E,
        FRAC_1_PI,
        FRAC_1_SQRT_2,
        FRAC_2_PI,
        FRAC_2_SQRT_PI,
        FRAC_PI_2,
        FRAC_PI_3,
        FRAC_PI_4,
        FRAC_PI_6,
        FRAC_PI_8,
        LN_10,
        LN_2,
        LOG10_E,
        LOG2_E,
        LOG2_10,
        LOG10_2,
        PI,
        SQRT_2,
        TAU,
    ];
    let Some((_, decimals)) = repr.split_once('.') else {
        return false;
    };
    if repr.len() < 4 || repr.contains('e') {
        return false;
    }
    CONSTANTS.iter().any(|c| {
        let full = c.to_string();
        full.starts_with(repr) || format!("{c:.*}", decimals.len()) == repr
    })
}

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
                .and_then(|f| float_literal(f, p == Primitive::F32, approx)),
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
                        let n = int_literal(n);
                        Some(quote!(#name::Other(#n)))
                    } else {
                        None
                    }
                }
                TypeKind::Alias(t) => recurse(&subst(t, &args), value),
                TypeKind::Newtype(t, _) => {
                    recurse(&subst(t, &args), value).map(|v| quote!(#name(#v)))
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
                TypeKind::Alias(t) | TypeKind::Newtype(t, _) => fits(&subst(t, &args), value),
                // A default for a user's type cannot be checked here.
                TypeKind::External(_) => false,
                TypeKind::Union(u) => match &u.tag {
                    None => u.variants.iter().any(|v| fits(&subst(&v.ty, &args), value)),
                    Some(tag) => {
                        let Some(tag) = value.get(tag.as_str()).and_then(Value::as_str) else {
                            return false;
                        };
                        u.variants
                            .iter()
                            .find(|v| v.tag_values.iter().any(|t| t == tag))
                            .is_some_and(|v| value.is_object() && fits(&subst(&v.ty, &args), value))
                    }
                },
                TypeKind::Struct(s) => {
                    let Some(object) = value.as_object() else {
                        return false;
                    };
                    let declared = s.fields.iter().all(|f| {
                        let ty = subst(&f.ty, &args);
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
                            let t = subst(t, &args);
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

fn digits(s: &str, n: usize) -> Option<u32> {
    (s.len() == n && s.bytes().all(|b| b.is_ascii_digit()))
        .then(|| s.parse().ok())
        .flatten()
}

/// `YYYY-MM-DD`, a real date.
fn is_date(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    let [y, m, d] = parts.as_slice() else {
        return false;
    };
    let (Some(y), Some(m), Some(d)) = (digits(y, 4), digits(m, 2), digits(d, 2)) else {
        return false;
    };
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&d)
}

/// RFC 3339 date-time: `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)`.
fn is_date_time(s: &str) -> bool {
    if !s.is_ascii() || s.len() < 20 {
        return false;
    }
    let (date, rest) = s.split_at(10);
    if !is_date(date) || !matches!(rest.as_bytes()[0], b'T' | b't') {
        return false;
    }
    let rest = &rest[1..];
    let (time, offset) = match rest.find(['Z', 'z', '+', '-']) {
        Some(i) => rest.split_at(i),
        None => return false,
    };
    let (hms, fraction) = match time.split_once('.') {
        Some((hms, fraction)) => (hms, Some(fraction)),
        None => (time, None),
    };
    if fraction.is_some_and(|f| f.is_empty() || !f.bytes().all(|b| b.is_ascii_digit())) {
        return false;
    }
    let hms: Vec<&str> = hms.split(':').collect();
    let [h, m, sec] = hms.as_slice() else {
        return false;
    };
    let (Some(h), Some(m), Some(sec)) = (digits(h, 2), digits(m, 2), digits(sec, 2)) else {
        return false;
    };
    if h > 23 || m > 59 || sec > 59 {
        return false;
    }
    match offset {
        "Z" | "z" => true,
        _ => {
            let Some((oh, om)) = offset[1..].split_once(':') else {
                return false;
            };
            matches!((digits(oh, 2), digits(om, 2)), (Some(oh), Some(om)) if oh <= 23 && om <= 59)
        }
    }
}

/// `8-4-4-4-12` hexadecimal digits, or 32 in a row.
fn is_uuid(s: &str) -> bool {
    let hex = |part: &str, n: usize| part.len() == n && part.bytes().all(|b| b.is_ascii_hexdigit());
    let parts: Vec<&str> = s.split('-').collect();
    match parts.as_slice() {
        [a, b, c, d, e] => hex(a, 8) && hex(b, 4) && hex(c, 4) && hex(d, 4) && hex(e, 12),
        [whole] => hex(whole, 32),
        _ => false,
    }
}

/// What `stencil::Base64` decodes: one of the two alphabets, optional correct padding.
fn is_base64(s: &str) -> bool {
    let body = s.trim_end_matches('=');
    let padding = s.len() - body.len();
    let standard = body
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'+' || b == b'/');
    let url = body
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    (standard || url) && body.len() % 4 != 1 && (padding == 0 || body.len() % 4 + padding == 4)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_times() {
        assert!(is_date("2024-02-29"));
        assert!(!is_date("2023-02-29"));
        assert!(!is_date("2024-13-01"));
        assert!(!is_date("24-01-01"));
        assert!(is_date_time("2024-01-31T10:00:00Z"));
        assert!(is_date_time("2024-01-31T10:00:00.123+02:00"));
        assert!(!is_date_time("2024-01-31T25:00:00Z"));
        assert!(!is_date_time("2024-01-31 10:00:00"));
        assert!(!is_date_time("2024-01-31T10:00:00+0200"));
    }

    #[test]
    fn uuids_and_base64() {
        assert!(is_uuid("67e55044-10b1-426f-9247-bb680e5fe0c8"));
        assert!(is_uuid("67e5504410b1426f9247bb680e5fe0c8"));
        assert!(!is_uuid("67e55044-10b1-426f-9247-bb680e5fe0c"));
        assert!(is_base64("aGVsbG8="));
        assert!(is_base64("aGVsbG8"));
        assert!(is_base64("a-_b"));
        assert!(!is_base64("a"));
        assert!(!is_base64("a+_b"));
        assert!(!is_base64("aGVsbG8=="));
    }

    #[test]
    fn clippy_constants() {
        assert!(looks_like_constant("3.14"));
        assert!(looks_like_constant("2.718"));
        assert!(!looks_like_constant("3.0"));
        assert!(!looks_like_constant("0.5"));
        assert!(!looks_like_constant("1.5"));
    }

    #[test]
    fn variant_name_lint() {
        assert!(enum_variant_names_lint("Pet", &["PetCat", "Dog"]).is_some());
        assert!(enum_variant_names_lint(
            "Result",
            &["OkResponse", "ErrorResponse", "OtherResponse"]
        )
        .is_some());
        assert!(enum_variant_names_lint("Color", &["Red", "Green", "Other"]).is_none());
        assert!(enum_variant_names_lint("Kind", &["AB", "AC"]).is_none());
    }
}
