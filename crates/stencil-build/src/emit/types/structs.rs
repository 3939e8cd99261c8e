//! Structs: fields by [`Presence`], schema defaults as functions, a hand-written `Default`
//! when a field has one.

use proc_macro2::TokenStream;
use quote::quote;
use serde_json::Value;

use super::defaults::default_expr;
use super::docs::{constraint_line, short_json};
use super::{generic_params, generics_used, impl_generics, Cx, Need};
use crate::emit::redact::{debug_impl, Shown};
use crate::emit::{doc_attrs, doc_lines, ident, join_paragraphs, serde_attrs};
use crate::ir::{Field, Presence, Struct, TypeDef};
use crate::naming::{self, Scope};

impl Cx<'_> {
    pub(super) fn struct_def(&mut self, def: &TypeDef, s: &Struct) -> TokenStream {
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
                None if matches!(field.presence(), Presence::OptionalNullable) => {
                    quote!(::stencil::Nullable::Absent)
                }
                None => quote!(None),
            };
            initialisers.push(quote!(#field_name: #initialiser));
            fields.push(emitted.tokens);
        }
        let mut additional_name = None;
        if let Some(additional) = &s.additional {
            let (field_name, _) = field_scope.claim("additional_properties");
            additional_name = Some(field_name.clone());
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
        let debug_impl = self.redacted_debug(def, s, additional_name.as_deref());
        let mut std = vec!["Debug", "Clone", "PartialEq"];
        if !debug_impl.is_empty() {
            std.retain(|d| *d != "Debug");
        }
        if eq {
            std.extend(["Eq", "Hash"]);
        }
        if default && !has_default_fn {
            std.push("Default");
        }
        let derives = self.derives(&std, &["Serialize", "Deserialize"], def.id);
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
        // The default functions serve `Deserialize` (and a hand-written `Default`): in a build
        // without `Deserialize` for this type, they are not called.
        let unused = default_impl.is_empty() && self.directions.needs(def.id).1 != Need::Always;
        let allow = unused.then(|| quote!(#[allow(dead_code)]));
        let functions = functions.iter().map(|f| quote!(#allow #f));
        quote! {
            #type_docs
            #derives
            #serde
            pub struct #name #generics {
                #(#fields,)*
            }

            #(#functions)*
            #default_impl
            #debug_impl
        }
    }

    /// A `Debug` impl that prints secret fields as `[redacted]` (`Field::is_secret`), for a
    /// struct that has any; else nothing (the struct derives `Debug`). `additional`: the name
    /// of the field holding undeclared properties.
    fn redacted_debug(&self, def: &TypeDef, s: &Struct, additional: Option<&str>) -> TokenStream {
        if !s.fields.iter().any(|f| f.is_secret(self.secret_fields)) {
            return TokenStream::new();
        }
        let mut shown: Vec<Shown> = s
            .fields
            .iter()
            .map(|field| Shown::new(&field.name, field.is_secret(self.secret_fields)))
            .collect();
        shown.extend(additional.map(|field_name| Shown::new(field_name, false)));
        let name = ident(&def.name);
        let (params, args) = impl_generics(def, quote!(::std::fmt::Debug));
        debug_impl(params, quote!(#name #args), &def.name, &shown)
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
                    let fn_name = self
                        .functions
                        .claim(&naming::default_fn_name(&def.name, &field.name));
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
            // One generic serde impl in the runtime: no per-field `with` wrapper types.
            Presence::OptionalNullable => {
                let default = if generic {
                    quote!(default = "::stencil::Nullable::absent")
                } else {
                    quote!(default)
                };
                serde.push(quote!(
                    #default,
                    skip_serializing_if = "::stencil::Nullable::is_absent"
                ));
                quote!(::stencil::Nullable<#value_ty>)
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
}

struct EmittedField {
    tokens: TokenStream,
    /// The function giving the schema default, and its definition.
    default_fn: Option<(proc_macro2::Ident, TokenStream)>,
}
