//! The `server` module: an axum server that answers as the document says.
//!
//! ```text
//! pub mod server {
//!     pub const OPENAPI_DOCUMENT: &str;               // the source document, include_str!
//!     pub trait Api { type Error; type Principal; fn authenticate(..); fn <op>(..); fn render_error(..) }
//!     // or, with `Options::server_traits_per_tag`:
//!     // pub trait ApiBase { type Error; type Principal; fn authenticate(..); fn render_error(..) }
//!     // pub trait <Tag>Api: ApiBase { fn <op>(..) }   // one per tag; `DefaultApi` for untagged
//!     // pub trait Api: ApiBase + <Tag>Api.. {}         // implemented for every type that can
//!     pub struct <Op>Request { params.., body }        // defaults applied, typed body
//!     pub enum <Op>Response { Ok(..), NotFound(..), .. } // impl IntoResponse
//!     pub fn router(api) -> Router; pub fn router_with(server) -> Router;
//!     pub fn openapi_route(path) -> Router; pub fn operation_of(&request) -> Option<&Operation>;
//!     pub mod routes { pub fn <op>(server) -> Router }  // one route per operation
//!     pub mod operations { pub static <OP>: Operation; pub static ALL: &[&Operation] }
//!     pub mod schemas { pub static <TYPE>: Schema }   // what validation checks
//! }
//! ```
//!
//! The generic machinery (reading and validating requests, credentials, error envelopes) is in
//! the runtime, `stencil::server`; this emitter writes data (`static` descriptions of operations
//! and schemas) and thin glue. Here: the module, the handler trait and routes;
//! `handlers.rs`: the handlers and the generic `serve_*` functions they call; `messages.rs`: request and response types; `operations.rs`: the operation table;
//! `schemas.rs`: the schema descriptions validation reads.

mod handlers;
mod messages;
mod operations;
mod router;
mod schemas;
mod streams;
mod tags;

use proc_macro2::{Ident, Literal, TokenStream};
use quote::{format_ident, quote};

use crate::emit::{doc_attrs, ident, markdown_lines, Sink};
use crate::ir::{Api, Operation};
use crate::naming::Scope;
use schemas::Schemas;
use tags::PerTag;

/// Where `OPENAPI_DOCUMENT` comes from: the name of the file, beside the generated source file,
/// that the pipeline writes the document into and the code `include_str!`s (so the Rust source
/// holds no multi-megabyte literal for rustc, syn and prettyplease to read).
#[derive(Clone, Copy, Debug)]
pub struct Document<'a> {
    pub file: &'a str,
}

/// `pub mod server { ... }` into `sink`, an operation at a time, with `OPENAPI_DOCUMENT`
/// included from `document`'s file. `per_tag`: one handler trait per tag
/// (`Options::server_traits_per_tag`); `gated`: behind `#[cfg(feature = "server")]`;
/// `secrets`: the names whose parameters the request structs' `Debug` redacts; `docs_router`:
/// with `docs_router` behind `#[cfg(feature = "docs-ui")]` (`Options::docs_router`).
pub fn server_into(
    api: &Api,
    per_tag: bool,
    document: Option<Document<'_>>,
    gated: bool,
    secrets: &[String],
    docs_router: bool,
    sink: &mut dyn Sink,
) {
    let gate = super::feature_gate("server", gated);
    let mut cx = Cx::new(api, per_tag, secrets);
    let title = if api.title.trim().is_empty() {
        "the API"
    } else {
        api.title.trim()
    };
    let implement = if cx.per_tag.is_some() {
        "implement [`server::ApiBase`] and the per-tag traits \
         ([`server::Api`] comes with them)"
    } else {
        "implement [`server::Api`]"
    };
    let heading = doc_attrs(&markdown_lines(&format!(
        "An axum server for {title}: {implement}, then serve \
         [`server::router`]."
    )));
    sink.open(quote!(#gate #heading pub mod server));
    cx.module(document, docs_router, sink);
    sink.close();
}

/// A receiver of webhooks or callbacks (into a module the caller opened): the handler trait
/// `trait_name` over `api`'s operations, their request and response types, `router` and the
/// operation and schema tables, as the server has them. `subject`: `webhooks`, `callbacks`;
/// `secrets`: as for [`server_into`].
pub fn receiver_into(
    api: &Api,
    (trait_name, subject): (&str, &'static str),
    secrets: &[String],
    sink: &mut dyn Sink,
) {
    let mut cx = Cx::new(api, false, secrets);
    cx.trait_name = ident(trait_name);
    cx.subject = subject;
    cx.module(None, false, sink);
}

struct Cx<'a> {
    api: &'a Api,
    /// The names whose parameters `Debug` redacts.
    secrets: &'a [String],
    schemas: Schemas<'a>,
    /// Operation static names, by operation index.
    statics: Vec<Ident>,
    /// Trait hook names (`authenticate`, `render_error`), clear of operation names.
    authenticate: Ident,
    render_error: Ident,
    /// The `<op>_stream` method names, by operation index (`None`: no bytes body).
    stream_methods: Vec<Option<Ident>>,
    /// With `Options::server_traits_per_tag`: the handler traits and each operation's.
    per_tag: Option<PerTag>,
    /// The handler trait (`Api`; `Webhooks` / `Callbacks` for a receiver) and what its
    /// methods are (`operations`, `webhooks`), for its docs.
    trait_name: Ident,
    subject: &'static str,
}

impl<'a> Cx<'a> {
    fn new(api: &'a Api, per_tag: bool, secrets: &'a [String]) -> Self {
        let mut scope = Scope::with_reserved(&["ALL"]);
        let statics = api
            .operations
            .iter()
            .map(|op| ident(&scope.claim(&op.name.to_ascii_uppercase()).0))
            .collect();
        let mut methods = Scope::new();
        for op in &api.operations {
            methods.claim(&op.name);
        }
        let authenticate = ident(&methods.claim("authenticate").0);
        let render_error = ident(&methods.claim("render_error").0);
        let stream_methods = streams::method_names(api, &mut methods);
        Cx {
            api,
            secrets,
            schemas: Schemas::new(api),
            statics,
            authenticate,
            render_error,
            stream_methods,
            per_tag: per_tag.then(|| PerTag::new(api)),
            trait_name: format_ident!("Api"),
            subject: "operations",
        }
    }

    /// The trait declaring the hooks (`Api`, or `ApiBase` with per-tag traits).
    fn base_trait(&self) -> Ident {
        match self.per_tag {
            Some(_) => format_ident!("ApiBase"),
            None => self.trait_name.clone(),
        }
    }

    /// The trait declaring operation `index`'s method.
    fn operation_trait(&self, index: usize) -> Ident {
        match &self.per_tag {
            Some(per_tag) => per_tag.traits[per_tag.of_operation[index]].0.clone(),
            None => self.trait_name.clone(),
        }
    }

    /// The trait every operation's handler is found through: `Api` (also with per-tag traits)
    /// or the receiver's trait.
    fn base_trait_or_api(&self) -> Ident {
        match self.per_tag {
            Some(_) => format_ident!("Api"),
            None => self.trait_name.clone(),
        }
    }

    fn secured(&self) -> bool {
        self.api.operations.iter().any(|op| !op.security.is_empty())
    }

    /// The document, its routes (with `docs_router`, the docs page behind the crate's `docs-ui`
    /// feature), the handler trait and the messages.
    fn module(&mut self, document: Option<Document<'_>>, docs_router: bool, sink: &mut dyn Sink) {
        let api = self.api;
        sink.items(quote!(
            use ::stencil::server as rt;
        ));
        if let Some(Document { file }) = document {
            let file = Literal::string(file);
            sink.items(quote! {
                /// The OpenAPI document this server was generated from: as written, or bundled into one
                /// document when it spans several files.
                pub const OPENAPI_DOCUMENT: &str = ::std::include_str!(#file);

                /// A router serving [`OPENAPI_DOCUMENT`] at `path` (e.g. `/openapi.yaml`).
                pub fn openapi_route(path: &str) -> ::stencil::axum::Router {
                    rt::document_route(path, OPENAPI_DOCUMENT)
                }
            });
            if docs_router {
                sink.items(quote! {
                    /// A router serving an interactive documentation page (Swagger UI) for
                    /// [`OPENAPI_DOCUMENT`] at `path` (e.g. `/docs`), the document at
                    /// `path/openapi.yaml` (or `.json`) and every asset under `path/`: nothing
                    /// comes from a CDN. Merge it into [`router`]'s. Feature `docs-ui`.
                    #[cfg(feature = "docs-ui")]
                    pub fn docs_router(path: &str) -> ::stencil::axum::Router {
                        rt::docs_route(path, OPENAPI_DOCUMENT)
                    }
                });
            }
        }
        self.handler_trait(sink);
        for (i, op) in api.operations.iter().enumerate() {
            let handler_trait = self.operation_trait(i).to_string();
            sink.items(messages::request_types(
                api,
                op,
                &handler_trait,
                self.secrets,
            ));
            sink.items(messages::response_type(api, op, &handler_trait));
        }
        self.router(sink);
        sink.items(self.serve_fns());
        for (i, op) in api.operations.iter().enumerate() {
            sink.items(self.handler(i, op));
            sink.done();
        }
        // The operation table names the schemas it checks; they are written after it.
        self.operations(sink);
        let schema_items = std::mem::replace(&mut self.schemas, Schemas::new(api)).into_items();
        sink.open(quote! {
            /// What validation checks: one description per schema a request can carry, and per
            /// error envelope.
            pub mod schemas
        });
        // (Empty when no operation carries a schema: then the import would be unused.)
        let import = (!schema_items.is_empty()).then(|| {
            quote!(
                use ::stencil::server as rt;
            )
        });
        sink.items(quote! {
            #![allow(clippy::approx_constant)]
            #import
        });
        for item in schema_items {
            sink.items(item);
        }
        sink.close();
    }

    // -----------------------------------------------------------------------------------------
    // The handler trait

    /// The handler trait(s), a method at a time.
    fn handler_trait(&self, sink: &mut dyn Sink) {
        let api = self.api;
        let authenticate = &self.authenticate;
        let render_error = &self.render_error;
        let base = self.base_trait();
        let principal = if self.secured() {
            let doc = format!(
                " What [`{base}::{authenticate}`] makes of valid credentials (a user, a tenant, ...); handlers of secured operations receive it."
            );
            quote! {
                #[doc = #doc]
                type Principal: Send + Sync + 'static;

                /// Check the credentials of a request to a secured operation (its declared schemes,
                /// extracted: bearer token, basic user and password, API key). Return the principal,
                /// or an error: a 4xx status is answered in the operation's declared envelope
                /// (401 when it declares one).
                fn #authenticate(&self, credentials: rt::Credentials) -> impl ::std::future::Future<Output = Result<Self::Principal, Self::Error>> + Send;
            }
        } else {
            TokenStream::new()
        };
        let method = |i: usize, op: &Operation| {
            let method = ident(&op.name);
            let request = format_ident!("{}Request", op.type_name);
            let response = format_ident!("{}Response", op.type_name);
            let mut lines = crate::emit::doc_lines(&op.docs);
            if !lines.is_empty() {
                lines.push(String::new());
            }
            lines.push(format!(
                "`{} {}` (`{}`)",
                op.method.as_str(),
                op.path.replace('`', "'"),
                op.id.replace('`', "'")
            ));
            let doc = doc_attrs(&lines);
            // The method is named after the operation, which may be `into_*`, `to_*`, ...
            let allow = ["into_", "to_", "as_", "from_", "is_"]
                .iter()
                .any(|prefix| op.name.starts_with(prefix))
                .then(|| quote!(#[allow(clippy::wrong_self_convention)]));
            let (principal, principal_arg) = match principal_kind(op) {
                Principal::None => (TokenStream::new(), TokenStream::new()),
                Principal::Required => (quote!(principal: Self::Principal,), quote!(principal,)),
                Principal::Optional => (
                    quote!(principal: Option<Self::Principal>,),
                    quote!(principal,),
                ),
            };
            let stream = self.stream_methods[i].as_ref().map(|stream| {
                streams::trait_method(api, op, &method, stream, &principal, &principal_arg)
            });
            quote! {
                #doc
                #allow
                fn #method(&self, #principal request: #request) -> impl ::std::future::Future<Output = Result<#response, Self::Error>> + Send;
                #stream
            }
        };
        let title = api.title.trim();
        let doc = doc_attrs(&markdown_lines(&format!(
            "The {} of {}, to implement. Each method receives its request (parameters with \
             defaults applied and the typed body, all validated) and returns its response enum or a \
             domain error.",
            self.subject,
            if title.is_empty() { "the API" } else { title }
        )));
        let error_doc = quote! {
            /// Your domain error, mapped to a status once ([`rt::ApiError`]). Operations that
            /// declare that status answer it in their declared envelope; others answer a
            /// logged 500 that shows nothing of it.
        };
        let render_doc = quote! {
            /// Render a rejected request or a domain error. The default fills the operation's
            /// declared error envelope ([`rt::ErrorReport::render`]); override it to change how
            /// every error looks.
        };
        if let Some(per_tag) = &self.per_tag {
            let base_doc = doc_attrs(&markdown_lines(&format!(
                "What every handler trait of {} shares: the domain error, the principal and the hooks.",
                if title.is_empty() { "the API" } else { title }
            )));
            sink.items(quote! {
                #base_doc
                pub trait #base: Send + Sync + 'static {
                    #error_doc
                    type Error: rt::ApiError;
                    #principal

                    #render_doc
                    fn #render_error(&self, report: rt::ErrorReport) -> ::stencil::axum::response::Response {
                        report.render()
                    }
                }
            });
            for (t, (name, tag)) in per_tag.traits.iter().enumerate() {
                let mut doc = match tag {
                    Some(tag) => format!(" The operations tagged `{}`.", tag.replace('`', "'")),
                    None => " The operations without a tag.".to_owned(),
                };
                let supertrait = match per_tag.parents[t] {
                    Some(p) => {
                        let parent = &per_tag.traits[p].0;
                        doc.push_str(&format!(
                            " The tag is nested under [`{parent}`]'s (`parent`): implementing \
                             this trait takes that one too."
                        ));
                        quote!(#parent)
                    }
                    None => quote!(#base),
                };
                sink.open(quote! {
                    #[doc = #doc]
                    pub trait #name: #supertrait + Send + Sync + 'static
                });
                for (i, op) in api
                    .operations
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| per_tag.of_operation[*i] == t)
                {
                    sink.items(method(i, op));
                }
                sink.close();
            }
            let names: Vec<&Ident> = per_tag.traits.iter().map(|(name, _)| name).collect();
            sink.items(quote! {
                #doc
                ///
                /// Implemented for every type implementing [`ApiBase`] and each per-tag trait.
                pub trait Api: #base #(+ #names)* {}
                impl<T: #base #(+ #names)*> Api for T {}
            });
            return;
        }
        let name = &self.trait_name;
        sink.open(quote! {
            #doc
            pub trait #name: Send + Sync + 'static
        });
        sink.items(quote! {
            #error_doc
            type Error: rt::ApiError;
            #principal
        });
        for (i, op) in api.operations.iter().enumerate() {
            sink.items(method(i, op));
        }
        sink.items(quote! {
            #render_doc
            fn #render_error(&self, report: rt::ErrorReport) -> ::stencil::axum::response::Response {
                report.render()
            }
        });
        sink.close();
    }
}

/// Whether a handler receives a principal.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Principal {
    None,
    Required,
    Optional,
}

fn principal_kind(op: &Operation) -> Principal {
    if op.security.is_empty() {
        Principal::None
    } else if op.security.iter().any(Vec::is_empty) {
        Principal::Optional
    } else {
        Principal::Required
    }
}
