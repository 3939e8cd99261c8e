//! Emitters: IR → token streams. Small functions, one per concept.
//!
//! STUB: being written.

use proc_macro2::TokenStream;

use crate::ir::Api;
use crate::pipeline::Options;

/// The whole generated file: `types`, and `client`/`server` as the options ask.
pub fn api(_api: &Api, _options: &Options) -> TokenStream {
    TokenStream::new()
}
