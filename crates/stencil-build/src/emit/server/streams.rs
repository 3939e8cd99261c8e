//! Operations whose request body is bytes of one type: besides `<op>`, the handler trait has
//! `<op>_stream`, which receives the body as it arrives (`rt::BodyStream`, under the body limit)
//! and is what the generated handler calls. Its default reads the body whole and calls `<op>`,
//! so implementing `<op>` alone keeps working; override `<op>_stream` to stream.

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use crate::emit::{doc_attrs, ident};
use crate::ir::{Api, Operation};

/// The trait method `stream` of operation `op` (whose whole-body method is `method`), with its
/// default. `principal`: the principal parameter (`principal: Self::Principal,`, or nothing) and
/// `principal_arg` the argument passing it on.
pub fn trait_method(
    api: &Api,
    op: &Operation,
    method: &Ident,
    stream: &Ident,
    principal: &TokenStream,
    principal_arg: &TokenStream,
) -> TokenStream {
    let request = format_ident!("{}Request", op.type_name);
    let response = format_ident!("{}Response", op.type_name);
    let fields: Vec<Ident> = op
        .params
        .iter()
        .map(|p| super::messages::param_field(api, p).field)
        .collect();
    let required = op.body.as_ref().is_some_and(|b| b.required);
    // An optional body sent empty is no body, as when it is read whole.
    let whole = if required {
        quote!(let body = body.bytes().await?;)
    } else {
        quote! {
            let body = body.bytes().await?;
            let body = (!body.is_empty()).then_some(body);
        }
    };
    let doc = doc_attrs(&[
        format!("[`{method}`](Self::{method}) with the request body read as it arrives: chunks"),
        "of a [`rt::BodyStream`], ending with [`rt::BodyError::TooLarge`] past the body limit"
            .to_owned(),
        "and with [`rt::BodyError::TimedOut`] when a chunk does not arrive within the body read"
            .to_owned(),
        "timeout.".to_owned(),
        "The generated handler calls this method.".to_owned(),
    ]);
    quote! {
        #doc
        ///
        /// The default reads the body whole (413 past the limit, as without streaming) and
        /// calls it. `?` on a chunk turns a body error into the 413, 408 or 400 answer.
        fn #stream(&self, #principal request: #request<rt::BodyStream>) -> impl ::std::future::Future<Output = Result<#response, rt::StreamedBodyError<Self::Error>>> + Send {
            async move {
                let #request { #(#fields,)* body } = request;
                #whole
                self.#method(#principal_arg #request { #(#fields,)* body }).await.map_err(rt::StreamedBodyError::Api)
            }
        }
    }
}

/// The name of each operation's `_stream` method (`None` for operations without a bytes body),
/// claimed in `methods` after every operation's own name.
pub fn method_names(api: &Api, methods: &mut crate::naming::Scope) -> Vec<Option<Ident>> {
    api.operations
        .iter()
        .map(|op| {
            super::messages::streams_body(api, op)
                .then(|| ident(&methods.claim(&crate::naming::stream_method(&op.name)).0))
        })
        .collect()
}
