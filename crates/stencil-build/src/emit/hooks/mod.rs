//! The `webhooks` and `callbacks` modules: the requests the API provider sends (OpenAPI 3.1
//! `webhooks`, operation `callbacks`), both sides of each.
//!
//! ```text
//! pub mod webhooks {
//!     #[cfg(feature = "client")] pub mod sender {    // the provider sends
//!         pub struct Client;                          // fn <op>(&self, url, body) -> {Op}Request
//!     }
//!     #[cfg(feature = "server")] pub mod receiver {  // the subscriber receives
//!         pub trait Webhooks { type Error; fn <op>(..); fn render_error(..) }
//!         pub fn router(api) -> Router;               // each at `/<op>`
//!     }
//! }
//! pub mod callbacks {                                 // the same, `Callbacks`; the sender takes
//!     ...                                             // the subscribing request's `Origin`
//! }
//! ```
//!
//! The sender is the API client's machinery (`client::sender_into`), the receiver the server's
//! (`server::receiver_into`): the same typed responses, errors, validation and envelopes. Each
//! side comes with the feature of the runtime it uses: `client` (reqwest) sends, `server`
//! (axum) receives; a provider that serves the API and sends its webhooks enables both.

use proc_macro2::TokenStream;
use quote::quote;

use super::{client, doc_attrs, feature_gate, server, Sink};
use crate::ir::{Api, Hook, HookKind, Operation, UrlPiece};

/// `pub mod webhooks` and `pub mod callbacks` (each when the document has some) into `sink`,
/// the sides `sides` asks for; `secrets`: the names whose parameters `Debug` redacts.
pub fn hooks_into(api: &Api, sides: Sides, secrets: &[String], sink: &mut dyn Sink) {
    let webhooks: Vec<&Hook> = api
        .hooks
        .iter()
        .filter(|h| matches!(h.kind, HookKind::Webhook { .. }))
        .collect();
    let callbacks: Vec<&Hook> = api
        .hooks
        .iter()
        .filter(|h| matches!(h.kind, HookKind::Callback { .. }))
        .collect();
    if !webhooks.is_empty() {
        webhooks_into(api, &webhooks, (sides, secrets), sink);
    }
    if !callbacks.is_empty() {
        callbacks_into(api, &callbacks, (sides, secrets), sink);
    }
}

/// Which sides are generated, and whether behind features.
#[derive(Clone, Copy, Debug)]
pub struct Sides {
    /// The senders (`Options::client`).
    pub client: bool,
    /// The receivers (`Options::server`).
    pub server: bool,
    /// Each behind its feature.
    pub gated: bool,
}

fn webhooks_into(api: &Api, hooks: &[&Hook], on: (Sides, &[String]), sink: &mut dyn Sink) {
    let (sides, _) = on;
    let docs = module_docs(
        "The document's webhooks: requests the API provider sends to its subscribers.",
        "[`sender::Client`](webhooks::sender::Client) (feature `client`) sends them: one method \
         per webhook, taking the subscriber's URL and the payload.",
        "[`receiver`](webhooks::receiver) (feature `server`) receives them: implement \
         [`receiver::Webhooks`](webhooks::receiver::Webhooks) and serve \
         [`receiver::router`](webhooks::receiver::router), which serves each webhook at `/<method name>` \
         (`Router::nest` it anywhere); give that URL to the provider.",
        sides,
    );
    let senders: Vec<(Operation, client::Target<'_>)> = hooks
        .iter()
        .map(|h| (sender_operation(&h.operation), client::Target::Url))
        .collect();
    let receivers = hooks
        .iter()
        .map(|h| receiver_operation(&h.operation, None))
        .collect();
    module_into(
        api,
        quote!(#docs pub mod webhooks),
        &senders,
        receivers,
        ("Webhooks", "webhooks"),
        on,
        sink,
    );
}

fn callbacks_into(api: &Api, hooks: &[&Hook], on: (Sides, &[String]), sink: &mut dyn Sink) {
    let (sides, _) = on;
    let docs = module_docs(
        "The document's callbacks: requests the API provider sends back to the URL a request \
         gave.",
        "[`sender::Client`](callbacks::sender::Client) (feature `client`) sends them: one method \
         per callback, taking the request that subscribed (the `origin` field of the server's request struct) and the \
         payload; the URL is evaluated from that request as the document's runtime expression \
         says.",
        "[`receiver`](callbacks::receiver) (feature `server`) receives them: implement \
         [`receiver::Callbacks`](callbacks::receiver::Callbacks) and serve \
         [`receiver::router`](callbacks::receiver::router); each callback is served at `/<method name>` followed by \
         what its URL adds after the expression (`/data` for \
         `{$request.query.callbackUrl}/data`): give `http://<receiver>/<method name>` as the \
         callback URL.",
        sides,
    );
    let senders: Vec<(Operation, client::Target<'_>)> = hooks
        .iter()
        .map(|h| {
            let url = match &h.kind {
                HookKind::Callback { url, .. } => url.as_slice(),
                HookKind::Webhook { .. } => &[],
            };
            (
                sender_operation(&h.operation),
                client::Target::Callback(url),
            )
        })
        .collect();
    let receivers = hooks
        .iter()
        .map(|h| {
            let suffix = match &h.kind {
                HookKind::Callback { url, .. } => path_suffix(url),
                HookKind::Webhook { .. } => None,
            };
            receiver_operation(&h.operation, suffix)
        })
        .collect();
    module_into(
        api,
        quote!(#docs pub mod callbacks),
        &senders,
        receivers,
        ("Callbacks", "callbacks"),
        on,
        sink,
    );
}

/// A module's docs: what it holds, then the paragraphs of the sides it has.
fn module_docs(what: &str, sender: &str, receiver: &str, sides: Sides) -> TokenStream {
    let mut lines = vec![what.to_owned()];
    for (generated, paragraph) in [(sides.client, sender), (sides.server, receiver)] {
        if generated {
            lines.push(String::new());
            lines.push(paragraph.to_owned());
        }
    }
    doc_attrs(&lines)
}

/// One of the two modules: its `sender` and `receiver` submodules.
fn module_into(
    api: &Api,
    head: TokenStream,
    senders: &[(Operation, client::Target<'_>)],
    receivers: Vec<Operation>,
    (trait_name, subject): (&str, &'static str),
    (sides, secrets): (Sides, &[String]),
    sink: &mut dyn Sink,
) {
    sink.open(head);
    // Generated code names types `super::types::Name` from a module beside `types`.
    sink.items(quote! {
        #[allow(unused_imports)]
        use super::types;
    });
    if sides.client {
        let gate = feature_gate("client", sides.gated);
        let doc = format!(" Sends the {subject}.");
        sink.open(quote!(#gate #[doc = #doc] pub mod sender));
        let ops: Vec<(&Operation, client::Target<'_>)> =
            senders.iter().map(|(op, t)| (op, *t)).collect();
        client::sender_into(api, &ops, (subject, secrets), sink);
        sink.close();
    }
    if sides.server {
        let gate = feature_gate("server", sides.gated);
        let doc = format!(
            " Receives the {subject}: implement [`{trait_name}`](receiver::{trait_name}), then \
             serve [`router`](receiver::router)."
        );
        sink.open(quote!(#gate #[doc = #doc] pub mod receiver));
        // The same (checked) arena, the receiver's operations, nothing else.
        let receiver_api = Api {
            title: api.title.clone(),
            version: api.version.clone(),
            types: api.types.clone(),
            operations: receivers,
            ..Api::default()
        };
        server::receiver_into(&receiver_api, (trait_name, subject), secrets, sink);
        sink.close();
    }
    sink.close();
}

/// A hook as the sender sends it: the payload always (a positional argument), no credentials
/// (the document's schemes are the API's; headers are set with `configure`).
fn sender_operation(op: &Operation) -> Operation {
    let mut op = op.clone();
    if let Some(body) = &mut op.body {
        body.required = true;
    }
    op.security.clear();
    op
}

/// A hook as the receiver serves it: at its route (see [`crate::naming::hook_route`]), without
/// the API's credentials.
fn receiver_operation(op: &Operation, suffix: Option<&str>) -> Operation {
    let mut op = op.clone();
    op.path = crate::naming::hook_route(&op.name, suffix);
    op.security.clear();
    op
}

/// What a callback URL adds after a leading expression, up to its query: `/data` for
/// `{$request.query.callbackUrl}/data`.
fn path_suffix(url: &[UrlPiece]) -> Option<&str> {
    match url {
        [UrlPiece::Text(_), ..] | [] => None,
        [_, UrlPiece::Text(text), ..] => {
            let end = text.find(['?', '#']).unwrap_or(text.len());
            Some(&text[..end])
        }
        [_, ..] => None,
    }
}
