//! The handlers: one small function per operation, and the generic `serve_*` functions they
//! call (at most three per crate: without credentials, with required and with optional ones).
//!
//! A `serve_*` function reads the request (parameters, credentials, body), calls the operation
//! and renders its result or the error; an operation's handler only says how its request
//! struct is made from the input (a plain closure) and which method it calls (an `async`
//! closure with one `.await`). Written per operation, that whole sequence was two state
//! machines with up to five `.await`s each, which dominated the server's compile time and
//! memory on large APIs.

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

use super::messages::{self, BodyShape};
use super::{principal_kind, Cx, Principal};
use crate::emit::ident;
use crate::ir::Operation;
use crate::naming;

impl Cx<'_> {
    /// The `serve_*` functions the operations use, bound on the trait declaring the hooks.
    pub(super) fn serve_fns(&self) -> TokenStream {
        let base = self.base_trait();
        let authenticate = &self.authenticate;
        let render_error = &self.render_error;
        let kinds: Vec<Principal> = self.api.operations.iter().map(principal_kind).collect();
        let mut out = TokenStream::new();
        for (kind, name) in [
            (Principal::None, naming::SERVE_PUBLIC),
            (Principal::Required, naming::SERVE_SECURED),
            (Principal::Optional, naming::SERVE_OPTIONAL),
        ] {
            if !kinds.contains(&kind) {
                continue;
            }
            let name = format_ident!("{name}");
            let (principal_ty, principal, principal_arg) = match kind {
                Principal::None => (TokenStream::new(), TokenStream::new(), TokenStream::new()),
                Principal::Required => (
                    quote!(A::Principal,),
                    quote!(let principal = rt::authenticate(op, &input, |c| server.api().#authenticate(c)).await?;),
                    quote!(principal,),
                ),
                Principal::Optional => (
                    quote!(Option<A::Principal>,),
                    quote!(let principal = rt::authenticate_optional(op, &input, |c| server.api().#authenticate(c)).await?;),
                    quote!(principal,),
                ),
            };
            let doc = match kind {
                Principal::None => "An operation without credentials",
                Principal::Required => "An operation that requires credentials",
                Principal::Optional => "An operation whose credentials are optional",
            };
            let doc = format!(
                " {doc}: read the request, make the operation's request with `make` (`None`: \
                 rejected), call `operation`, answer its result or the error."
            );
            out.extend(quote! {
                #[doc = #doc]
                async fn #name<A: #base, Req, Resp: ::stencil::axum::response::IntoResponse>(
                    server: ::std::sync::Arc<rt::Server<A>>,
                    request: ::stencil::axum::extract::Request,
                    op: &'static rt::Operation,
                    has_body: bool,
                    make: impl FnOnce(&mut rt::Input) -> Option<Req>,
                    operation: impl AsyncFnOnce(&A, #principal_ty Req) -> Result<Resp, A::Error>,
                ) -> ::stencil::axum::response::Response {
                    let result = async {
                        let (mut input, body) = rt::Input::new(op, request).await;
                        #principal
                        if has_body {
                            input.read_body(body, server.config()).await?;
                        }
                        let Some(request) = make(&mut input) else { return Err(input.reject()) };
                        input.check()?;
                        rt::respond(op, operation(server.api(), #principal_arg request).await)
                    }
                    .await;
                    result.unwrap_or_else(|report| server.api().#render_error(report))
                }
            });
        }
        out
    }

    /// Operation `index`'s handler: its `serve_*` function with the closures that make its
    /// request and call its method.
    pub(super) fn handler(&self, index: usize, op: &Operation) -> TokenStream {
        if self.stream_methods[index].is_some() {
            return self.streamed_handler(index, op);
        }
        let api = self.api;
        let handler = format_ident!("handle_{}", op.name);
        let method = ident(&op.name);
        let request_ty = format_ident!("{}Request", op.type_name);
        let stat = &self.statics[index];
        let shape = messages::body_shape(api, op);
        let has_body = !matches!(shape, BodyShape::None);
        let (serve, principal) = match principal_kind(op) {
            Principal::None => (naming::SERVE_PUBLIC, TokenStream::new()),
            Principal::Required => (naming::SERVE_SECURED, quote!(principal,)),
            Principal::Optional => (naming::SERVE_OPTIONAL, quote!(principal,)),
        };
        let serve = format_ident!("{serve}");

        let mut steps = Vec::new();
        let Taken {
            names,
            inits,
            takes,
        } = self.taken(op, &shape, false, &mut steps);
        match names.len() {
            0 => {}
            1 => {
                let (n, t) = (&names[0], &takes[0]);
                steps.push(quote!(let #n = #t?;));
            }
            // Every parameter is read (each records its violations) before any is missing.
            _ => steps.push(quote!(let (#(Some(#names)),*) = (#(#takes),*) else { return None };)),
        }
        let input = if steps.is_empty() {
            quote!(_input)
        } else {
            quote!(input)
        };
        // With one trait per tag, the operation's own trait (its supertrait `ApiBase` has the
        // hooks): a bound on `Api`, whose supertraits are every tag's trait, would make rustc
        // elaborate hundreds of traits in every handler (Microsoft Graph: 289 tags).
        let bound = self.operation_trait(index);
        quote! {
            fn #handler<A: #bound>(
                ::stencil::axum::extract::State(server): ::stencil::axum::extract::State<::std::sync::Arc<rt::Server<A>>>,
                request: ::stencil::axum::extract::Request,
            ) -> impl ::std::future::Future<Output = ::stencil::axum::response::Response> {
                #serve(
                    server,
                    request,
                    &operations::#stat,
                    #has_body,
                    |#input: &mut rt::Input| {
                        #(#steps)*
                        Some(#request_ty { #(#inits),* })
                    },
                    async |api: &A, #principal request| api.#method(#principal request).await,
                )
            }
        }
    }

    /// Operation `index`'s handler when its body is read as a stream (`<op>_stream`): the
    /// whole sequence inline, answered with `rt::respond_streamed`.
    fn streamed_handler(&self, index: usize, op: &Operation) -> TokenStream {
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
        let stream = self.stream_methods[index].as_ref();
        match stream {
            Some(_) => steps.push(quote!(let body = input.stream_body(body, server.config())?;)),
            None if has_body => steps.push(quote!(input.read_body(body, server.config()).await?;)),
            None => {}
        }
        let Taken {
            names,
            inits,
            takes,
        } = self.taken(op, &shape, true, &mut steps);
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
        steps.push(match stream {
            Some(stream) => {
                quote!(rt::respond_streamed(op, server.api().#stream(#principal_arg request).await))
            }
            None => quote!(rt::respond(op, server.api().#method(#principal_arg request).await)),
        });
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

    /// What the handler takes from the input for `op`'s request struct: the callback origin
    /// (before the body is taken: it holds it as JSON), each parameter, the body by its shape
    /// (`streamed`: already a stream). Steps that must come first go to `steps`.
    fn taken(
        &self,
        op: &Operation,
        shape: &BodyShape,
        streamed: bool,
        steps: &mut Vec<TokenStream>,
    ) -> Taken {
        let api = self.api;
        let mut names = Vec::new();
        let mut inits = Vec::new();
        let mut takes = Vec::new();
        let mut locals = naming::Scope::with_reserved(naming::HANDLER_LOCALS);
        if let Some(field) = messages::origin_field(api, op) {
            // Before the body is taken: the origin holds it as JSON.
            let local = ident(&locals.claim(naming::TARGET_ORIGIN).0);
            steps.push(quote!(let #local = input.origin();));
            inits.push(if local == field {
                quote!(#field)
            } else {
                quote!(#field: #local)
            });
        }
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
        match shape {
            BodyShape::None => {}
            // Streamed: `body` is the stream, made before (`stream_body`).
            BodyShape::Single { .. } if streamed => inits.push(quote!(body)),
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
        Taken {
            names,
            inits,
            takes,
        }
    }
}

/// The locals a handler reads from the input, the fields they initialise, and how each is read.
struct Taken {
    names: Vec<TokenStream>,
    inits: Vec<TokenStream>,
    takes: Vec<TokenStream>,
}
