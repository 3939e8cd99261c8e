//! Helpers the client emitter's files share (kept out of `mod.rs`, which imports those files).

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::Operation;

/// The first line of an operation's route: `` `POST /token` ``.
pub(super) fn route(op: &Operation) -> String {
    crate::emit::code_span(&format!("{} {}", op.method.as_str(), op.path))
}

/// `allow` for a method name clippy's `wrong_self_convention` reads as a conversion taking
/// `self` differently: `prefixes` are the ones that clash with the method's receiver.
pub(super) fn self_convention_allow(name: &str, prefixes: &[&str]) -> TokenStream {
    if prefixes.iter().any(|p| name.starts_with(p)) {
        quote!(#[allow(clippy::wrong_self_convention)])
    } else {
        TokenStream::new()
    }
}
