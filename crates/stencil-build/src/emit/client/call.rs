//! One operation's `Client` method(s), one per call of its [`Plan`].
//!
//! Calling convention: required parameters (path, query, header, cookie) and a required body
//! are positional arguments of the method, in document order with the body last; optional ones
//! are setters on the returned `{Op}Request<'_>`. The builder is sent with `.send().await` or
//! just `.await` (`IntoFuture`). An optional header parameter with a schema default sends that
//! default when not set; other unset optional parameters are left out (the server applies its
//! default).

use proc_macro2::TokenStream;
use quote::quote;

use super::super::{code_span, doc_attrs, doc_lines, ident, join_paragraphs, markdown_lines};
use super::fields::{fields, Field, What};
use super::plan::{Call, Plan, Target};
use super::shared::{route, self_convention_allow};
use crate::ir::{Api, Operation, UrlPiece, ValueSource};

/// The `Client` method of a call: the positional arguments, the request builder it returns.
pub fn method(api: &Api, plan: &Plan<'_>, call: &Call<'_>) -> TokenStream {
    let fields = fields(api, plan, call);
    let method = ident(&call.method);
    let request = ident(&call.request);
    let mut args = Vec::new();
    let mut inits = Vec::new();
    for f in &fields {
        let name = ident(&f.name);
        match (&f.what, &f.positional) {
            (What::Client, _) => inits.push(quote!(#name: self)),
            (What::Target, Some((arg, _))) => {
                args.push(quote!(#name: #arg));
                inits.push(match plan.target {
                    Target::Callback(pieces) => {
                        let pieces = url_pieces(pieces);
                        quote!(#name: ::stencil::expression::evaluate(&[#(#pieces),*], #name))
                    }
                    Target::Url | Target::Base => quote!(#name: Ok(#name.into())),
                });
            }
            (_, Some((arg, into))) => {
                args.push(quote!(#name: #arg));
                inits.push(if *into {
                    quote!(#name: #name.into())
                } else {
                    quote!(#name)
                });
            }
            (_, None) => inits.push(quote!(#name: None)),
        }
    }
    let docs = method_docs(api, plan, call, &fields);
    let too_many = if args.len() + 1 > 7 {
        quote!(#[allow(clippy::too_many_arguments)])
    } else {
        TokenStream::new()
    };
    // `&self` methods.
    let convention = self_convention_allow(&call.method, &["from_", "into_"]);
    quote! {
        #docs
        #too_many
        #convention
        pub fn #method(&self, #(#args),*) -> #request<'_> {
            #request { #(#inits,)* }
        }
    }
}

/// The method's docs: the operation's, its route (and the other media types' methods), its
/// positional arguments' descriptions, the credentials it sends.
fn method_docs(api: &Api, plan: &Plan<'_>, call: &Call<'_>, fields: &[Field<'_>]) -> TokenStream {
    let op = plan.op;
    let mut arg_docs = Vec::new();
    let mut describe = |name: &str, description: &str| {
        let description = description.trim();
        if !description.is_empty() {
            let one_line = description.split_whitespace().collect::<Vec<_>>().join(" ");
            arg_docs.extend(markdown_lines(&format!(
                "- {}: {one_line}",
                code_span(name)
            )));
        }
    };
    for f in fields.iter().filter(|f| matches!(f.what, What::Target)) {
        let what = match plan.target {
            Target::Callback(_) => {
                "the request that subscribed: the callback URL is evaluated from it \
                 (an `Origin` the request of the operation declaring the callback carries)"
            }
            Target::Url | Target::Base => "the URL to send the request to (the subscriber's)",
        };
        describe(&f.name, what);
    }
    for f in fields.iter().filter(|f| f.positional.is_some()) {
        if let What::Param(p) = f.what {
            describe(&f.name, p.docs.description.as_deref().unwrap_or(""));
        }
    }
    if let Some(body) = fields
        .iter()
        .find(|f| matches!(f.what, What::Body) && f.positional.is_some())
    {
        let description = op.body.as_ref().and_then(|b| b.docs.description.as_deref());
        describe(&body.name, description.unwrap_or(""));
    }
    let mut paragraphs = vec![doc_lines(&op.docs)];
    let mut route_line = route(op);
    if let Some(content) = call.content {
        if plan.calls.len() > 1 {
            route_line.push_str(&format!(", the body as {}", code_span(&content.media_type)));
            let others: Vec<String> = plan
                .calls
                .iter()
                .filter(|c| c.method != call.method)
                .map(|c| format!("[`Client::{}`]", c.method))
                .collect();
            route_line.push_str(&format!(" (other media types: {})", others.join(", ")));
        }
    }
    route_line.push_str(&format!("; see [`{}`].", call.request));
    paragraphs.push(vec![route_line]);
    if !arg_docs.is_empty() {
        paragraphs.push(arg_docs);
    }
    if let Some(line) = security_docs(api, op) {
        paragraphs.push(vec![line]);
    }
    doc_attrs(&join_paragraphs(paragraphs))
}

/// Which credentials an operation sends, for its docs.
fn security_docs(api: &Api, op: &Operation) -> Option<String> {
    let sets: Vec<String> = op
        .security
        .iter()
        .filter(|set| !set.is_empty())
        .map(|set| {
            set.iter()
                .map(|u| {
                    api.security_schemes
                        .get(u.scheme)
                        .map_or_else(|| "?".to_owned(), |s| code_span(&s.key))
                })
                .collect::<Vec<_>>()
                .join(" and ")
        })
        .collect();
    let optional = op.security.iter().any(|set| set.is_empty());
    match sets.as_slice() {
        [] => None,
        [one] if !optional => Some(format!("Sends the {one} credentials set on the client.")),
        many => Some(format!(
            "Sends the first of these credentials that are set on the client: {}{}.",
            many.join("; "),
            if optional { " (or none)" } else { "" }
        )),
    }
}

/// `stencil::expression::Piece`s of a callback URL.
fn url_pieces(pieces: &[UrlPiece]) -> Vec<TokenStream> {
    let source = |s: &ValueSource| match s {
        ValueSource::Header(n) => quote!(::stencil::expression::Source::Header(#n)),
        ValueSource::Query(n) => quote!(::stencil::expression::Source::Query(#n)),
        ValueSource::Path(n) => quote!(::stencil::expression::Source::Path(#n)),
        ValueSource::Body(p) => quote!(::stencil::expression::Source::Body(#p)),
    };
    pieces
        .iter()
        .map(|p| match p {
            UrlPiece::Text(t) => quote!(::stencil::expression::Piece::Text(#t)),
            UrlPiece::Url => quote!(::stencil::expression::Piece::Url),
            UrlPiece::Method => quote!(::stencil::expression::Piece::Method),
            UrlPiece::StatusCode => quote!(::stencil::expression::Piece::StatusCode),
            UrlPiece::Request(s) => {
                let s = source(s);
                quote!(::stencil::expression::Piece::Request(#s))
            }
            UrlPiece::Response(s) => {
                let s = source(s);
                quote!(::stencil::expression::Piece::Response(#s))
            }
        })
        .collect()
}
