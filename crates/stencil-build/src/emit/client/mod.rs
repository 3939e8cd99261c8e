//! The `client` module: a `Client` over reqwest with one method per operation.
//!
//! Shape of the generated code (the runtime half is `stencil::client`):
//!
//! - `Client` wraps `::stencil::client::Core` (base URL, `reqwest::Client`, credentials shared by
//!   clones); `new`, `with_client`, `base_url`, `http_client`, a credential setter per supported
//!   security scheme, `clear_credentials`, `DEFAULT_BASE_URL` and `Default` from the first
//!   server.
//! - Per operation ([`call`], builder fields in [`fields`]): a method named `Operation::name`
//!   taking the required parameters and the body positionally and returning a `{Op}Request<'_>`
//!   builder with a setter per optional parameter, `send()` and `IntoFuture`. A request body
//!   offered in several media types gets one method per media type after the first, suffixed
//!   by the kind (`_form`, `_multipart`, ...).
//! - Per operation ([`responses`]): the success type (the body, or `{Op}Success` when success
//!   statuses have different bodies) and `{Op}Error` (one variant per declared error status,
//!   range and `default`), and the `match` that decodes a response by status.
//! - Per operation ([`streams`]): a success answered as server-sent events or JSON Lines opens
//!   a typed stream (`send` returns `Opening<EventStream<T, E>, E>` / `JsonLines`); a status
//!   that offers such a media type after another adds `send_events` / `send_lines`.

mod call;
mod fields;
mod plan;
mod request;
mod responses;
mod sender;
mod shared;
mod streams;

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::{doc_attrs, ident, markdown_lines, Sink};
use crate::ir::{Api, ParamLocation, SecurityKind};
use crate::naming::{self, Scope};
pub use plan::Target;
pub use sender::sender_into;

/// `pub mod client { ... }` into `sink`, one operation at a time; `gated`: behind
/// `#[cfg(feature = "client")]`.
/// `secrets`: the names whose parameters the request builders' `Debug` redacts.
pub fn client_into(api: &Api, gated: bool, secrets: &[String], sink: &mut dyn Sink) {
    let gate = super::feature_gate("client", gated);
    let mut methods = Scope::new();
    let mut types = Scope::with_reserved(&["Client", "Error", "ResponseValue"]);
    for op in &api.operations {
        methods.claim(&op.name);
    }
    // Per operation: its calls (one per media type of the body) and its response types.
    let plans: Vec<plan::Plan> = api
        .operations
        .iter()
        .map(|op| plan::plan(api, op, plan::Target::Base, &mut methods, &mut types))
        .collect();

    let title = api.title.trim();
    let title = if title.is_empty() { "the API" } else { title };
    let mut heading = format!("An async client for {title}");
    if !api.version.trim().is_empty() {
        heading.push_str(&format!(", version {}", api.version.trim()));
    }
    heading.push_str(", over reqwest.");
    let mut lines = markdown_lines(&heading);
    lines.extend([
        String::new(),
        "Start with [`Client`](client::Client): each operation is a method returning a request \
         builder; set optional parameters on the builder, then `.await` it."
            .to_owned(),
    ]);
    let module_docs = doc_attrs(&lines);
    sink.open(quote!(#gate #module_docs pub mod client));
    sink.items(quote!(
        pub use ::stencil::client::{Error, ResponseValue};
    ));
    client_impl(api, &plans, &mut methods, sink);
    for plan in &plans {
        sink.items(request::items(api, plan, secrets));
        sink.done();
    }
    sink.close();
}

/// The `Client` struct, its constructors, credential setters and operation methods, a method
/// at a time.
fn client_impl(api: &Api, plans: &[plan::Plan], methods: &mut Scope, sink: &mut dyn Sink) {
    let default_url =
        api.servers.first().map(|s| s.trim()).filter(|s| {
            (s.starts_with("http://") || s.starts_with("https://")) && !s.contains('{')
        });
    let (default_const, default_impl, url_doc) = match default_url {
        Some(url) => {
            let doc = doc_attrs(&[format!(
                "The document's first server: {}.",
                super::code_span(url)
            )]);
            (
                quote! {
                    #doc
                    pub const DEFAULT_BASE_URL: &str = #url;
                },
                quote! {
                    /// A client for [`Client::DEFAULT_BASE_URL`].
                    impl Default for Client {
                        fn default() -> Self {
                            Self::new(Self::DEFAULT_BASE_URL)
                        }
                    }
                },
                " (or `Client::default()` for [`Client::DEFAULT_BASE_URL`])",
            )
        }
        None => (TokenStream::new(), TokenStream::new(), ""),
    };

    let schemes = api.security_schemes.iter().map(|s| match &s.kind {
        SecurityKind::HttpBearer | SecurityKind::OAuth2 => {
            quote!(::stencil::client::Scheme::Bearer)
        }
        SecurityKind::HttpBasic => quote!(::stencil::client::Scheme::Basic),
        SecurityKind::ApiKey {
            location,
            wire_name,
        } => {
            let location = match location {
                ParamLocation::Query => quote!(Query),
                ParamLocation::Cookie => quote!(Cookie),
                ParamLocation::Header | ParamLocation::Path | ParamLocation::QueryString => {
                    quote!(Header)
                }
            };
            quote!(::stencil::client::Scheme::ApiKey {
                location: ::stencil::client::KeyLocation::#location,
                name: #wire_name,
            })
        }
        SecurityKind::MutualTls | SecurityKind::Unsupported(_) => {
            quote!(::stencil::client::Scheme::Unsupported)
        }
    });
    let setters = credential_setters(api, methods);
    let any_credentials = !setters.is_empty();
    let http_client = ident(&methods.claim("http_client").0);
    let with_transport = ident(&methods.claim("with_transport").0);
    let configure = ident(&methods.claim("configure").0);
    let clear = if any_credentials {
        let clear = ident(&methods.claim("clear_credentials").0);
        quote! {
            /// Forget every credential set on this client (and its clones).
            pub fn #clear(&self) {
                self.core.clear_all();
            }
        }
    } else {
        TokenStream::new()
    };
    let with_client_doc = doc_attrs(&with_client_doc(api));
    let new_doc = doc_attrs(&[format!(
        "A client for the API at `base_url`{url_doc}, with a default `reqwest::Client`."
    )]);
    sink.items(quote! {
        /// The API's client. Clones share the connection pool and the credentials.
        ///
        /// Each operation is a method taking the required parameters (and the request body)
        /// and returning a request builder: set optional parameters on it, then `.await` it (or
        /// call `.send().await`). The result is the decoded body with its status and headers
        /// ([`ResponseValue`]), or an [`Error`] that tells declared error responses, undeclared
        /// statuses, undecodable bodies, transport failures and invalid requests apart.
        #[derive(Clone, Debug)]
        pub struct Client {
            core: ::stencil::client::Core,
        }

        /// The security schemes of the document, in order; operations refer to them by index.
        const SCHEMES: &[::stencil::client::Scheme] = &[#(#schemes),*];
    });
    sink.open(quote!(impl Client));
    sink.items(quote! {
            #default_const

            #new_doc
            pub fn new(base_url: impl Into<String>) -> Self {
                Self { core: ::stencil::client::Core::new(base_url, SCHEMES) }
            }

            #with_client_doc
            pub fn with_client(base_url: impl Into<String>, http: ::stencil::reqwest::Client) -> Self {
                Self { core: ::stencil::client::Core::with_client(base_url, http, SCHEMES) }
            }

            /// A client for the API at `base_url` over `transport`: an axum `Router` called
            /// in-process (`Transport::service`, for tests and mocks: no socket), a function
            /// such as a reqwest-middleware client's `execute` (`Transport::from_fn`), or reqwest.
            pub fn #with_transport(base_url: impl Into<String>, transport: ::stencil::client::Transport) -> Self {
                Self { core: ::stencil::client::Core::with_transport(base_url, transport, SCHEMES) }
            }

            /// This client with other options (retry policy, timeout, extra headers, hooks):
            /// `client.configure(|o| o.retry(RetryPolicy::new()).timeout(duration))`. The new
            /// client shares the connection pool and the credentials; use it for all requests
            /// or for one.
            pub fn #configure(
                &self,
                change: impl FnOnce(&mut ::stencil::client::Options) -> &mut ::stencil::client::Options,
            ) -> Self {
                Self { core: self.core.configure(change) }
            }

            /// The base URL requests are sent to (without a trailing `/`).
            pub fn base_url(&self) -> &str {
                self.core.base_url()
            }

            /// The underlying `reqwest::Client`.
            pub fn #http_client(&self) -> &::stencil::reqwest::Client {
                self.core.http_client()
            }

            #(#setters)*
            #clear
    });
    for plan in plans {
        for call in &plan.calls {
            sink.items(call::method(api, plan, call));
        }
    }
    sink.close();
    sink.items(default_impl);
}

/// The doc of `with_client`, which is also how a client presents a certificate to a server
/// that asks for one (`mutualTLS` schemes).
fn with_client_doc(api: &Api) -> Vec<String> {
    let mut lines = vec![
        "A client for the API at `base_url` using `http` as it is configured (timeouts,".to_owned(),
        "proxies, TLS, default headers).".to_owned(),
    ];
    let mutual: Vec<String> = api
        .security_schemes
        .iter()
        .filter(|s| s.kind == SecurityKind::MutualTls)
        .map(|s| super::code_span(&s.key))
        .collect();
    if !mutual.is_empty() {
        lines.extend([
            String::new(),
            format!(
                "The API authenticates clients by mutual TLS ({}): the certificate is",
                mutual.join(", ")
            ),
            "presented during the TLS handshake, so give it to `http`:".to_owned(),
            String::new(),
            "```ignore".to_owned(),
            "let pem = std::fs::read(\"client.pem\")?; // certificate and private key".to_owned(),
            "let identity = ::stencil::reqwest::Identity::from_pem(&pem)?;".to_owned(),
            "let http = ::stencil::reqwest::Client::builder().identity(identity).build()?;"
                .to_owned(),
            "let client = Client::with_client(base_url, http);".to_owned(),
            "```".to_owned(),
        ]);
    }
    lines
}

/// `set_<scheme>_token`, `set_<scheme>(user, password)`, `set_<scheme>(key)`.
fn credential_setters(api: &Api, methods: &mut Scope) -> Vec<TokenStream> {
    let mut out = Vec::new();
    for (index, scheme) in api.security_schemes.iter().enumerate() {
        let key = super::code_span(&scheme.key);
        let index = Literal::usize_unsuffixed(index);
        let (name, what, body, args) = match &scheme.kind {
            SecurityKind::HttpBearer | SecurityKind::OAuth2 => (
                format!("set_{}_token", scheme.name),
                format!("Set the bearer token of {key}, sent as `Authorization: Bearer <token>`."),
                quote!(self.core.set_token(#index, token.into())),
                quote!(token: impl Into<String>),
            ),
            SecurityKind::HttpBasic => (
                format!("set_{}", scheme.name),
                format!("Set the user and password of {key} (HTTP basic authentication)."),
                quote!(self.core.set_basic(#index, user.into(), password.into())),
                quote!(user: impl Into<String>, password: impl Into<String>),
            ),
            SecurityKind::ApiKey {
                location,
                wire_name,
            } => {
                let place = match location {
                    ParamLocation::Query => "query parameter",
                    ParamLocation::Cookie => "cookie",
                    _ => "header",
                };
                (
                    format!("set_{}", scheme.name),
                    format!(
                        "Set the API key of {key}, sent as the {} {place}.",
                        super::code_span(wire_name)
                    ),
                    quote!(self.core.set_api_key(#index, key.into())),
                    quote!(key: impl Into<String>),
                )
            }
            SecurityKind::MutualTls | SecurityKind::Unsupported(_) => continue,
        };
        let name = ident(&methods.claim(&naming::field_name(&name)).0);
        let mut lines = vec![what];
        if let Some(description) = scheme
            .docs
            .description
            .as_deref()
            .filter(|d| !d.trim().is_empty())
        {
            lines.push(String::new());
            lines.extend(markdown_lines(description));
        }
        lines.push(String::new());
        lines.push(
            "Takes effect for requests sent from now on, on this client and its clones; \
             operations send it when their `security` asks for it."
                .to_owned(),
        );
        let docs = doc_attrs(&lines);
        out.push(quote! {
            #docs
            pub fn #name(&self, #args) {
                #body;
            }
        });
    }
    out
}
