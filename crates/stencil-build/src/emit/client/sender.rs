//! The sender of webhooks or callbacks: a `Client` like the API's, without a base URL, whose
//! methods take the whole URL (a webhook's subscriber URL, or the request that subscribed to
//! a callback, which the callback URL is evaluated from). Requests, typed responses, errors,
//! timeouts, retries and hooks are the API client's (`call.rs`, `request.rs`, `responses.rs`).

use quote::quote;

use super::plan::{self, Target};
use super::{call, request};
use crate::emit::{ident, Sink};
use crate::ir::{Api, Operation};
use crate::naming::Scope;

/// The sender's items (into a module the caller opened): `Client`, its constructors and one
/// method per operation, then the request builders and response types. `what`: what it sends
/// (`webhooks`), for its docs; `secrets`: as for [`super::client_into`].
pub fn sender_into(
    api: &Api,
    ops: &[(&Operation, Target<'_>)],
    (what, secrets): (&str, &[String]),
    sink: &mut dyn Sink,
) {
    let mut methods = Scope::new();
    let mut types = Scope::with_reserved(&["Client", "Error", "ResponseValue"]);
    for (op, _) in ops {
        methods.claim(&op.name);
    }
    let plans: Vec<plan::Plan> = ops
        .iter()
        .map(|(op, target)| plan::plan(api, op, *target, &mut methods, &mut types))
        .collect();
    let new = ident(&methods.claim("new").0);
    let with_client = ident(&methods.claim("with_client").0);
    let with_transport = ident(&methods.claim("with_transport").0);
    let configure = ident(&methods.claim("configure").0);
    let http_client = ident(&methods.claim("http_client").0);
    let struct_doc = format!(
        " Sends the {what}: one method per operation, taking where to send it and the payload, \
         returning a request builder to `.await`. Clones share the connection pool."
    );
    sink.items(quote! {
        pub use ::stencil::client::{Error, ResponseValue};

        #[doc = #struct_doc]
        #[derive(Clone, Debug)]
        pub struct Client {
            core: ::stencil::client::Core,
        }

        /// No security scheme: requests carry what [`Client::configure`] adds.
        const SCHEMES: &[::stencil::client::Scheme] = &[];

        impl Default for Client {
            fn default() -> Self {
                Self::#new()
            }
        }
    });
    sink.open(quote!(impl Client));
    sink.items(quote! {
        /// A sender with a default `reqwest::Client`.
        pub fn #new() -> Self {
            Self { core: ::stencil::client::Core::new("", SCHEMES) }
        }

        /// A sender using `http` as it is configured (timeouts, proxies, TLS, default headers).
        pub fn #with_client(http: ::stencil::reqwest::Client) -> Self {
            Self { core: ::stencil::client::Core::with_client("", http, SCHEMES) }
        }

        /// A sender over `transport` (an in-process service, a function, or reqwest).
        pub fn #with_transport(transport: ::stencil::client::Transport) -> Self {
            Self { core: ::stencil::client::Core::with_transport("", transport, SCHEMES) }
        }

        /// This sender with other options (retry policy, timeout, extra headers such as a
        /// signature, hooks): `sender.configure(|o| o.timeout(duration))`.
        pub fn #configure(
            &self,
            change: impl FnOnce(&mut ::stencil::client::Options) -> &mut ::stencil::client::Options,
        ) -> Self {
            Self { core: self.core.configure(change) }
        }

        /// The underlying `reqwest::Client`.
        pub fn #http_client(&self) -> &::stencil::reqwest::Client {
            self.core.http_client()
        }
    });
    for plan in &plans {
        for c in &plan.calls {
            sink.items(call::method(api, plan, c));
        }
    }
    sink.close();
    for plan in &plans {
        sink.items(request::items(api, plan, secrets));
    }
}
