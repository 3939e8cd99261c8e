//! String and integer enums, and clippy's `enum_variant_names` on generated names.

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::quote;

use super::Cx;
use crate::emit::{code_span, doc_attrs, doc_lines, ident};
use crate::ir::{Docs, IntEnum, StringEnum, TypeDef};
use crate::literals::int as int_literal;

impl Cx<'_> {
    pub(super) fn string_enum(&mut self, def: &TypeDef, e: &StringEnum) -> TokenStream {
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
            def.id,
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

    pub(super) fn int_enum(&mut self, def: &TypeDef, e: &IntEnum) -> TokenStream {
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
            def.id,
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
}

/// Doc lines of an enum variant: its own docs, or the wire value when the name does not show it.
fn variant_doc(docs: &Docs, wire: &str, name: &str) -> Vec<String> {
    let lines = doc_lines(docs);
    if lines.is_empty() && !wire.eq_ignore_ascii_case(name) {
        vec![code_span(wire)]
    } else {
        lines
    }
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

pub(super) fn enum_variant_names_lint(enum_name: &str, variants: &[&str]) -> Option<TokenStream> {
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

#[cfg(test)]
mod tests {
    use super::*;

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
