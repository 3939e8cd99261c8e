//! The `server` module: an axum server that answers as the document says.
//!
//! ```text
//! pub mod server {
//!     pub const OPENAPI_DOCUMENT: &str;               // the source document, embedded
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
//! and schemas) and thin glue. Here: the module, the handler trait, handlers and routes;
//! `messages.rs`: request and response types; `operations.rs`: the operation table;
//! `schemas.rs`: the schema descriptions validation reads.

mod messages;
mod operations;
mod schemas;

use proc_macro2::{Ident, Literal, TokenStream};
use quote::{format_ident, quote};

use crate::emit::{doc_attrs, ident, markdown_lines, Sink};
use crate::ir::{Api, Operation};
use crate::naming::Scope;
use messages::BodyShape;
use schemas::Schemas;

/// Where `OPENAPI_DOCUMENT` comes from: the name of the file, beside the generated source file,
/// that the pipeline writes the document into and the code `include_str!`s (so the Rust source
/// holds no multi-megabyte literal for rustc, syn and prettyplease to read).
#[derive(Clone, Copy, Debug)]
pub struct Document<'a> {
    pub file: &'a str,
}

/// `pub mod server { ... }` into `sink`, an operation at a time, with `OPENAPI_DOCUMENT`
/// included from `document`'s file. `per_tag`: one handler trait per tag
/// (`Options::server_traits_per_tag`); `gated`: behind `#[cfg(feature = "server")]`.
pub fn server_into(
    api: &Api,
    per_tag: bool,
    document: Option<Document<'_>>,
    gated: bool,
    sink: &mut dyn Sink,
) {
    let gate = super::feature_gate("server", gated);
    let mut cx = Cx::new(api, per_tag);
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
    cx.module(document, sink);
    sink.close();
}

struct Cx<'a> {
    api: &'a Api,
    schemas: Schemas<'a>,
    /// Operation static names, by operation index.
    statics: Vec<Ident>,
    /// Trait hook names (`authenticate`, `render_error`), clear of operation names.
    authenticate: Ident,
    render_error: Ident,
    /// With `Options::server_traits_per_tag`: the handler traits and each operation's.
    per_tag: Option<PerTag>,
}

/// The per-tag handler traits.
struct PerTag {
    /// Trait name, with the tag it was named after (`None`: the untagged operations), in order
    /// of first use.
    traits: Vec<(Ident, Option<String>)>,
    /// Index into `traits`, by operation index.
    of_operation: Vec<usize>,
}

impl PerTag {
    fn new(api: &Api) -> Self {
        let mut traits: Vec<(Ident, Option<String>)> = Vec::new();
        let mut of_operation = Vec::new();
        for op in &api.operations {
            let tag = op.tags.first().filter(|t| !t.trim().is_empty());
            let name = crate::naming::tag_trait_name(tag.map(String::as_str));
            // Tags that name the same trait (`auth`, `Auth`) share it.
            let index = match traits.iter().position(|(t, _)| *t == name) {
                Some(i) => i,
                None => {
                    traits.push((format_ident!("{}", name), tag.cloned()));
                    traits.len() - 1
                }
            };
            of_operation.push(index);
        }
        PerTag {
            traits,
            of_operation,
        }
    }
}

impl<'a> Cx<'a> {
    fn new(api: &'a Api, per_tag: bool) -> Self {
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
        Cx {
            api,
            schemas: Schemas::new(api),
            statics,
            authenticate,
            render_error,
            per_tag: per_tag.then(|| PerTag::new(api)),
        }
    }

    /// The trait declaring the hooks (`Api`, or `ApiBase` with per-tag traits).
    fn base_trait(&self) -> Ident {
        match self.per_tag {
            Some(_) => format_ident!("ApiBase"),
            None => format_ident!("Api"),
        }
    }

    /// The trait declaring operation `index`'s method.
    fn operation_trait(&self, index: usize) -> Ident {
        match &self.per_tag {
            Some(per_tag) => per_tag.traits[per_tag.of_operation[index]].0.clone(),
            None => format_ident!("Api"),
        }
    }

    fn secured(&self) -> bool {
        self.api.operations.iter().any(|op| !op.security.is_empty())
    }

    fn module(&mut self, document: Option<Document<'_>>, sink: &mut dyn Sink) {
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
        }
        self.handler_trait(sink);
        for (i, op) in api.operations.iter().enumerate() {
            let handler_trait = self.operation_trait(i).to_string();
            sink.items(messages::request_types(api, op, &handler_trait));
            sink.items(messages::response_type(api, op, &handler_trait));
        }
        self.router(sink);
        for (i, op) in api.operations.iter().enumerate() {
            sink.items(self.handler(i, op));
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
        let method = |op: &Operation| {
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
            let principal = match principal_kind(op) {
                Principal::None => TokenStream::new(),
                Principal::Required => quote!(principal: Self::Principal,),
                Principal::Optional => quote!(principal: Option<Self::Principal>,),
            };
            quote! {
                #doc
                #allow
                fn #method(&self, #principal request: #request) -> impl ::std::future::Future<Output = Result<#response, Self::Error>> + Send;
            }
        };
        let title = api.title.trim();
        let doc = doc_attrs(&markdown_lines(&format!(
            "The operations of {}, to implement. Each method receives its request (parameters with \
             defaults applied and the typed body, all validated) and returns its response enum or a \
             domain error.",
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
                let doc = match tag {
                    Some(tag) => format!(" The operations tagged `{}`.", tag.replace('`', "'")),
                    None => " The operations without a tag.".to_owned(),
                };
                sink.open(quote! {
                    #[doc = #doc]
                    pub trait #name: #base + Send + Sync + 'static
                });
                for (op, _) in api
                    .operations
                    .iter()
                    .zip(&per_tag.of_operation)
                    .filter(|(_, of)| **of == t)
                {
                    sink.items(method(op));
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
        sink.open(quote! {
            #doc
            pub trait Api: Send + Sync + 'static
        });
        sink.items(quote! {
            #error_doc
            type Error: rt::ApiError;
            #principal
        });
        for op in &api.operations {
            sink.items(method(op));
        }
        sink.items(quote! {
            #render_doc
            fn #render_error(&self, report: rt::ErrorReport) -> ::stencil::axum::response::Response {
                report.render()
            }
        });
        sink.close();
    }

    // -----------------------------------------------------------------------------------------
    // Handlers and routing

    fn handler(&self, index: usize, op: &Operation) -> TokenStream {
        let api = self.api;
        let handler = format_ident!("handle_{}", op.name);
        let method = ident(&op.name);
        let request_ty = format_ident!("{}Request", op.type_name);
        let stat = &self.statics[index];
        let authenticate = &self.authenticate;
        let render_error = &self.render_error;
        let shape = messages::body_shape(api, op);
        let has_body = !matches!(shape, BodyShape::None);
        let principal = principal_kind(op);

        let mut steps = Vec::new();
        let body_var = if has_body { quote!(body) } else { quote!(_) };
        steps.push(quote!(let (mut input, #body_var) = rt::Input::new(op, request).await;));
        let principal_arg = match principal {
            Principal::None => TokenStream::new(),
            Principal::Required => {
                steps.push(quote!(let principal = rt::authenticate(op, &input, |c| server.api().#authenticate(c)).await?;));
                quote!(principal,)
            }
            Principal::Optional => {
                steps.push(quote!(let principal = rt::authenticate_optional(op, &input, |c| server.api().#authenticate(c)).await?;));
                quote!(principal,)
            }
        };
        if has_body {
            steps.push(quote!(input.read_body(body, server.config()).await?;));
        }
        let mut names = Vec::new();
        let mut inits = Vec::new();
        let mut takes = Vec::new();
        let mut locals = crate::naming::Scope::with_reserved(crate::naming::HANDLER_LOCALS);
        for (i, p) in op.params.iter().enumerate() {
            let field = ident(&p.name);
            let (local, renamed) = locals.claim(&p.name);
            let local = ident(&local);
            let i = Literal::usize_unsuffixed(i);
            inits.push(if renamed {
                quote!(#field: #local)
            } else {
                quote!(#field)
            });
            names.push(quote!(#local));
            takes.push(quote!(input.param(#i)));
        }
        let required_body = op.body.as_ref().is_some_and(|b| b.required);
        match &shape {
            BodyShape::None => {}
            BodyShape::Single { raw, .. } => {
                names.push(quote!(body));
                inits.push(quote!(body));
                takes.push(match (raw, required_body) {
                    (true, true) => quote!(input.raw_body_required()),
                    (true, false) => quote!(Some(input.raw_body())),
                    (false, _) => quote!(input.body()),
                });
            }
            BodyShape::Enum { name, variants } => {
                let last = variants.len() - 1;
                let arms = variants.iter().enumerate().map(|(i, (v, raw))| {
                    let take = match (raw, required_body) {
                        (true, true) => quote!(input.raw_body_required().map(#name::#v)),
                        (true, false) => quote!(Some(input.raw_body().map(#name::#v))),
                        (false, true) => quote!(input.body().map(#name::#v)),
                        (false, false) => quote!(input.body().map(|b: Option<_>| b.map(#name::#v))),
                    };
                    let pattern = if i == last {
                        quote!(_)
                    } else {
                        let i = Literal::usize_unsuffixed(i);
                        quote!(#i)
                    };
                    quote!(#pattern => #take,)
                });
                steps.push(quote!(let body = match input.content() { #(#arms)* };));
                names.push(quote!(body));
                inits.push(quote!(body));
                takes.push(quote!(body));
            }
        }
        match names.len() {
            0 => {}
            1 => {
                let (n, t) = (&names[0], &takes[0]);
                steps.push(quote!(let Some(#n) = #t else { return Err(input.reject()) };));
            }
            _ => steps.push(quote!(let (#(Some(#names)),*) = (#(#takes),*) else { return Err(input.reject()) };)),
        }
        steps.push(quote!(input.check()?;));
        steps.push(quote!(let request = #request_ty { #(#inits),* };));
        steps.push(quote!(rt::respond(op, server.api().#method(#principal_arg request).await)));
        // With one trait per tag, the operation's own trait (its supertrait `ApiBase` has the
        // hooks): a bound on `Api`, whose supertraits are every tag's trait, would make rustc
        // elaborate hundreds of traits in every handler (Microsoft Graph: 289 tags).
        let bound = self.operation_trait(index);
        quote! {
            async fn #handler<A: #bound>(
                ::stencil::axum::extract::State(server): ::stencil::axum::extract::State<::std::sync::Arc<rt::Server<A>>>,
                request: ::stencil::axum::extract::Request,
            ) -> ::stencil::axum::response::Response {
                let op = &operations::#stat;
                let result = async { #(#steps)* }.await;
                result.unwrap_or_else(|report| server.api().#render_error(report))
            }
        }
    }

    /// `router`, `router_with`, `operation_of` and `pub mod routes`, a route at a time.
    fn router(&self, sink: &mut dyn Sink) {
        let api = self.api;
        let route = |i: usize, op: &Operation| {
            let name = ident(&op.name);
            let handler = format_ident!("handle_{}", op.name);
            let stat = &self.statics[i];
            let t = self.operation_trait(i);
            let doc = format!(
                " `{} {}`: [`{t}::{}`](super::{t}::{}).",
                op.method.as_str(),
                op.path.replace('`', "'"),
                op.name,
                op.name
            );
            quote! {
                #[doc = #doc]
                pub fn #name<A: super::#t>(server: ::std::sync::Arc<rt::Server<A>>) -> ::stencil::axum::Router {
                    rt::route(&super::operations::#stat, super::#handler::<A>, server)
                }
            }
        };
        // A flat list, not a chain of `.merge(..)` calls: a chain of thousands of calls is an
        // expression nested thousands deep, which overflows rustc's stack (Microsoft Graph).
        let route_fns = api.operations.iter().enumerate().map(|(i, op)| {
            let name = ident(&op.name);
            let stat = &self.statics[i];
            quote!((&operations::#stat, routes::#name::<A>))
        });
        sink.items(quote! {
            /// Every operation's route, serving `api` with the default [`rt::Config`]. Compose it
            /// with other routes (`Router::merge`, `Router::nest`) and tower layers.
            pub fn router<A: Api>(api: A) -> ::stencil::axum::Router {
                router_with(rt::Server::new(api))
            }

            /// [`router`] with settings: `router_with(rt::Server::with_config(api, config))`.
            pub fn router_with<A: Api>(server: ::std::sync::Arc<rt::Server<A>>) -> ::stencil::axum::Router {
                let routes: &[(&rt::Operation, rt::RouteFn<A>)] = &[
                    #(#route_fns),*
                ];
                rt::assemble(routes.iter().map(|(op, route)| (*op, route(server.clone()))))
            }

            /// The operation a request is for: set on requests inside generated routes, found by
            /// method and matched path in middleware that runs before them.
            pub fn operation_of<B>(request: &::stencil::server::http::Request<B>) -> Option<&'static rt::Operation> {
                rt::operation_of(operations::ALL, request)
            }

        });
        sink.open(quote! {
            /// One route per operation, for mounting by hand.
            pub mod routes
        });
        // (Empty when the API, or the selection of it, has no operation.)
        if !api.operations.is_empty() {
            sink.items(quote! {
                use ::stencil::server as rt;
            });
        }
        for (i, op) in api.operations.iter().enumerate() {
            sink.items(route(i, op));
        }
        sink.close();
    }
}

/// Whether a handler receives a principal.
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
