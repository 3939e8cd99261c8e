//! `Debug` impls that print secret values as `[redacted]` (`stencil::fmt_redacted`): generated
//! types with credential fields, and the client's and server's request structs with credential
//! parameters. Which value is secret is the IR's answer (`Field::is_secret`,
//! `Param::is_secret`).

use proc_macro2::TokenStream;
use quote::quote;

use super::ident;

/// One field (`self.<name>`, a Rust name) as `Debug` shows it, and whether its value is hidden.
pub struct Shown {
    pub name: String,
    pub secret: bool,
}

impl Shown {
    pub fn new(name: &str, secret: bool) -> Self {
        Shown {
            name: name.to_owned(),
            secret,
        }
    }
}

/// `impl #generics Debug for #ty { .. }` printing `fields` under `name`, secret ones redacted.
pub fn debug_impl(
    generics: TokenStream,
    ty: TokenStream,
    name: &str,
    fields: &[Shown],
) -> TokenStream {
    let entries = fields.iter().map(|field| {
        let shown = field.name.trim_start_matches("r#");
        if field.secret {
            quote!((#shown, None))
        } else {
            let value = ident(&field.name);
            quote!((#shown, Some(&self.#value)))
        }
    });
    quote! {
        impl #generics ::std::fmt::Debug for #ty {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                ::stencil::fmt_redacted(f, #name, &[#(#entries,)*])
            }
        }
    }
}
