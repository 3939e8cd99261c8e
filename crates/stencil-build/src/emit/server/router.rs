//! `router`, `router_with`, `operation_of` and `pub mod routes` of a generated server.

use quote::{format_ident, quote};

use super::Cx;
use crate::emit::{ident, Sink};
use crate::ir::Operation;

impl Cx<'_> {
    /// `router`, `router_with`, `operation_of` and `pub mod routes`, a route at a time.
    pub(super) fn router(&self, sink: &mut dyn Sink) {
        let api = self.api;
        let bound = self.base_trait_or_api();
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
            pub fn router<A: #bound>(api: A) -> ::stencil::axum::Router {
                router_with(rt::Server::new(api))
            }

            /// [`router`] with settings: `router_with(rt::Server::with_config(api, config))`.
            pub fn router_with<A: #bound>(server: ::std::sync::Arc<rt::Server<A>>) -> ::stencil::axum::Router {
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
