//! One operation: the `Client` method(s), the request builder(s) and the response types.
//!
//! Calling convention: required parameters (path, query, header, cookie) and a required body
//! are positional arguments of the method, in document order with the body last; optional ones
//! are setters on the returned `{Op}Request<'_>`. The builder is sent with `.send().await` or
//! just `.await` (`IntoFuture`). An optional header parameter with a schema default sends that
//! default when not set; other unset optional parameters are left out (the server applies its
//! default).

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::super::{code_span, doc_attrs, doc_lines, ident, join_paragraphs, markdown_lines};
use super::fields::{fields, multipart_struct, template, Field, TemplatePart, What};
use super::responses::{self, header_default, is_binary};
use super::{kind_suffix, route};
use crate::ir::{Api, Content, MediaKind, Operation, Param, ParamLocation, ParamStyle};
use crate::naming::{self, Scope};

/// An operation and the calls made for it.
pub struct Plan<'a> {
    pub op: &'a Operation,
    pub calls: Vec<Call<'a>>,
    pub responses: responses::Plan,
}

/// One method of the client: the operation with one media type of its body (or without body).
pub struct Call<'a> {
    /// Rust method name on `Client`.
    pub method: String,
    /// Request builder type name.
    pub request: String,
    pub content: Option<&'a Content>,
}

pub fn plan<'a>(api: &Api, op: &'a Operation, methods: &mut Scope, types: &mut Scope) -> Plan<'a> {
    let contents: Vec<&Content> = op.body.iter().flat_map(|b| &b.contents).collect();
    let mut calls = Vec::new();
    if contents.is_empty() {
        calls.push(Call {
            method: op.name.clone(),
            request: types.claim(&format!("{}Request", op.type_name)).0,
            content: None,
        });
    }
    for (i, content) in contents.iter().enumerate() {
        if i == 0 {
            calls.push(Call {
                method: op.name.clone(),
                request: types.claim(&format!("{}Request", op.type_name)).0,
                content: Some(content),
            });
            continue;
        }
        // `_form`, `_multipart`, ...; the media subtype when two media types share a kind.
        let shared = contents.iter().filter(|c| c.kind == content.kind).count() > 1;
        let suffix = if shared {
            let essence = content.media_type.split(';').next().unwrap_or("");
            naming::field_name(essence.rsplit('/').next().unwrap_or(essence))
        } else {
            kind_suffix(content.kind).to_owned()
        };
        let method = methods.claim(&format!("{}_{suffix}", op.name)).0;
        let request = types
            .claim(&format!(
                "{}{}Request",
                op.type_name,
                naming::type_name(&suffix)
            ))
            .0;
        calls.push(Call {
            method,
            request,
            content: Some(content),
        });
    }
    let responses = responses::plan(api, op, types);
    Plan {
        op,
        calls,
        responses,
    }
}

/// `allow` for a method name clippy's `wrong_self_convention` reads as a conversion taking
/// `self` differently: `prefixes` are the ones that clash with the method's receiver.
fn self_convention_allow(name: &str, prefixes: &[&str]) -> TokenStream {
    if prefixes.iter().any(|p| name.starts_with(p)) {
        quote!(#[allow(clippy::wrong_self_convention)])
    } else {
        TokenStream::new()
    }
}

/// The `Client` method of a call.
pub fn method(api: &Api, plan: &Plan<'_>, call: &Call<'_>) -> TokenStream {
    let op = plan.op;
    let fields = fields(api, op, call);
    let method = ident(&call.method);
    let request = ident(&call.request);
    let mut args = Vec::new();
    let mut inits = Vec::new();
    let mut arg_docs = Vec::new();
    for f in &fields {
        let name = ident(&f.name);
        match (&f.what, &f.positional) {
            (What::Client, _) => inits.push(quote!(#name: self)),
            (_, Some((arg, into))) => {
                args.push(quote!(#name: #arg));
                inits.push(if *into {
                    quote!(#name: #name.into())
                } else {
                    quote!(#name)
                });
                if let What::Param(p) = f.what {
                    let description = p.docs.description.as_deref().unwrap_or("").trim();
                    if !description.is_empty() {
                        let one_line = description.split_whitespace().collect::<Vec<_>>().join(" ");
                        arg_docs.extend(markdown_lines(&format!(
                            "- {}: {one_line}",
                            code_span(&f.name)
                        )));
                    }
                }
            }
            (_, None) => inits.push(quote!(#name: None)),
        }
    }
    if let Some(body) = fields
        .iter()
        .find(|f| matches!(f.what, What::Body) && f.positional.is_some())
    {
        let description = op
            .body
            .as_ref()
            .and_then(|b| b.docs.description.as_deref())
            .unwrap_or("")
            .trim();
        if !description.is_empty() {
            let one_line = description.split_whitespace().collect::<Vec<_>>().join(" ");
            arg_docs.extend(markdown_lines(&format!(
                "- {}: {one_line}",
                code_span(&body.name)
            )));
        }
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
    let docs = doc_attrs(&join_paragraphs(paragraphs));
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

/// The request builder of a call, its setters, `send` and `IntoFuture`, and (for the first
/// call of an operation) the response types.
pub fn items(api: &Api, plan: &Plan<'_>) -> TokenStream {
    let mut out = TokenStream::new();
    for call in &plan.calls {
        out.extend(call_items(api, plan, call));
    }
    out.extend(plan.responses.items.clone());
    out
}

fn style(p: &Param) -> TokenStream {
    match p.style {
        ParamStyle::Simple => quote!(::stencil::client::Style::Simple),
        ParamStyle::Label => quote!(::stencil::client::Style::Label),
        ParamStyle::Matrix => quote!(::stencil::client::Style::Matrix),
        ParamStyle::Form => quote!(::stencil::client::Style::Form),
        ParamStyle::SpaceDelimited => quote!(::stencil::client::Style::SpaceDelimited),
        ParamStyle::PipeDelimited => quote!(::stencil::client::Style::PipeDelimited),
        ParamStyle::DeepObject => quote!(::stencil::client::Style::DeepObject),
    }
}

fn call_items(api: &Api, plan: &Plan<'_>, call: &Call<'_>) -> TokenStream {
    let op = plan.op;
    let fields = fields(api, op, call);
    let request = ident(&call.request);
    let client = ident(&fields[0].name);
    let success = &plan.responses.success;
    let error = &plan.responses.error;
    let output = quote!(Result<::stencil::client::ResponseValue<#success>, ::stencil::client::Error<#error>>);

    let struct_fields = fields.iter().map(|f| {
        let name = ident(&f.name);
        let ty = &f.stored;
        quote!(#name: #ty)
    });

    let setters = fields.iter().filter_map(|f| {
        let (setter, arg, into) = f.setter.as_ref()?;
        let name = ident(&f.name);
        let setter_ident = ident(setter);
        let value = if *into {
            quote!(value.into())
        } else {
            quote!(value)
        };
        let docs = doc_attrs(&f.docs);
        // `mut self` methods.
        let allow = self_convention_allow(setter, &["as_", "from_", "is_", "to_"]);
        Some(quote! {
            #docs
            #allow
            pub fn #setter_ident(mut self, value: #arg) -> Self {
                self.#name = Some(#value);
                self
            }
        })
    });

    // The request chain: path, parameters, credentials, Accept, body.
    let method = ident(op.method.as_str());
    let mut chain = vec![quote!(.request(::stencil::reqwest::Method::#method))];
    let mut literal = String::new();
    for piece in template(&op.path) {
        let param = match piece {
            TemplatePart::Param(name) => op
                .params
                .iter()
                .find(|p| p.location == ParamLocation::Path && p.wire_name == name),
            TemplatePart::Literal(_) => None,
        };
        match (piece, param) {
            (TemplatePart::Param(name), Some(p)) => {
                if !literal.is_empty() {
                    chain.push(quote!(.path(#literal)));
                    literal.clear();
                }
                let field = ident(&p.name);
                if p.style == ParamStyle::Simple && !p.explode {
                    // The default style, in short.
                    chain.push(quote!(.segment(#name, &self.#field)));
                } else {
                    let style = style(p);
                    let explode = p.explode;
                    chain.push(quote!(.path_param(#name, &self.#field, #style, #explode)));
                }
            }
            // A template name without a parameter is kept as written (and percent-encoded by
            // the URL parser).
            (TemplatePart::Param(name), None) => literal.push_str(&format!("{{{name}}}")),
            (TemplatePart::Literal(text), _) => literal.push_str(text),
        }
    }
    if !literal.is_empty() {
        chain.push(quote!(.path(#literal)));
    }
    for f in &fields {
        let What::Param(p) = f.what else { continue };
        let wire = &p.wire_name;
        let field = ident(&f.name);
        let explode = p.explode;
        match p.location {
            ParamLocation::Path => {}
            ParamLocation::Query => {
                let style = style(p);
                chain.push(quote!(.query(#wire, &self.#field, #style, #explode)));
            }
            ParamLocation::Header => match (&p.default, p.required) {
                (Some(default), false) => {
                    let default = header_default(default);
                    chain.push(quote!(.header_or(#wire, &self.#field, #default, #explode)));
                }
                _ => chain.push(quote!(.header(#wire, &self.#field, #explode))),
            },
            ParamLocation::Cookie => chain.push(quote!(.cookie(#wire, &self.#field, #explode))),
        }
    }
    let alternatives: Vec<TokenStream> = op
        .security
        .iter()
        .map(|set| {
            let indexes = set.iter().map(|u| Literal::usize_unsuffixed(u.scheme));
            quote!(&[#(#indexes),*])
        })
        .collect();
    if op.security.iter().any(|set| !set.is_empty()) {
        chain.push(quote!(.auth(&[#(#alternatives),*])));
    }
    if let Some(accept) = &plan.responses.accept {
        chain.push(quote!(.accept(#accept)));
    }

    let body_field = fields.iter().find(|f| matches!(f.what, What::Body));
    let body_required = body_field.is_some_and(|f| f.positional.is_some());
    let body_call = |value: TokenStream| -> TokenStream {
        let Some(content) = call.content else {
            return TokenStream::new();
        };
        let media_type = &content.media_type;
        match content.kind {
            MediaKind::Json => quote!(.json(&#value, #media_type)),
            MediaKind::Form => quote!(.form(&#value, #media_type)),
            MediaKind::Text => quote!(.text(#value, #media_type)),
            MediaKind::Binary => quote!(.bytes(#value, #media_type)),
            MediaKind::Multipart => {
                let Some((s, args)) = content.ty.as_ref().and_then(|t| multipart_struct(api, t))
                else {
                    return quote!(.multipart(#value));
                };
                let mut parts = Vec::new();
                let mut field_names = Scope::new();
                for f in &s.fields {
                    field_names.claim(&f.name);
                }
                for f in &s.fields {
                    let name = ident(&f.name);
                    let wire = &f.wire_name;
                    if is_binary(&f.ty.substitute(&args)) {
                        let file_name = fields
                            .iter()
                            .find(|b| matches!(&b.what, What::FileName(w) if w == wire));
                        let content_type = fields
                            .iter()
                            .find(|b| matches!(&b.what, What::ContentType(w) if w == wire));
                        let opt = |b: Option<&Field<'_>>| match b {
                            Some(b) => {
                                let b = ident(&b.name);
                                quote!(self.#b.as_deref())
                            }
                            None => quote!(None),
                        };
                        let (file_name, content_type) = (opt(file_name), opt(content_type));
                        parts.push(quote!(.file(#wire, &#value.#name, #file_name, #content_type)));
                    } else {
                        parts.push(quote!(.field(#wire, &#value.#name)));
                    }
                }
                if s.additional.is_some() {
                    let additional = ident(&field_names.claim("additional_properties").0);
                    parts.push(quote!(.fields(&#value.#additional)));
                }
                quote!(.multipart(::stencil::client::Multipart::new() #(#parts)*))
            }
        }
    };
    let decode = &plan.responses.decode;
    let send_body = match body_field {
        Some(_) if body_required => {
            let body = body_call(quote!(self.body));
            quote! {
                self.#client.core #(#chain)* #body .send(#decode)
            }
        }
        Some(_) => {
            let body = body_call(quote!(body));
            quote! {
                let mut request = self.#client.core #(#chain)*;
                if let Some(body) = self.body {
                    request = request #body;
                }
                request.send(#decode)
            }
        }
        None => quote! {
            self.#client.core #(#chain)* .send(#decode)
        },
    };

    let derives = match call.content {
        Some(c)
            if c.kind == MediaKind::Multipart
                && c.ty
                    .as_ref()
                    .and_then(|t| multipart_struct(api, t))
                    .is_none() =>
        {
            quote!(#[derive(Debug)])
        }
        _ => quote!(#[derive(Debug, Clone)]),
    };
    let method = &call.method;
    let how = if fields.iter().any(|f| f.setter.is_some()) {
        "Set optional parameters with the setters, then `.await` it (or call `send`)."
    } else {
        "Send it with `.await` (or `send`)."
    };
    let docs = doc_attrs(&[
        format!("A request of [`Client::{method}`] ({}).", route(op)),
        String::new(),
        how.to_owned(),
    ]);
    quote! {
        #docs
        #derives
        #[must_use = "a request does nothing until it is awaited or sent"]
        pub struct #request<'a> {
            #(#struct_fields,)*
        }

        impl #request<'_> {
            #(#setters)*

            /// Send the request and decode the response by its status.
            ///
            /// The request is assembled when this is called and sent when the future is
            /// first polled.
            // `Error<E>` (returned by the decoding closure) is as large as the document's error
            // bodies make it.
            #[allow(clippy::result_large_err)]
            pub fn send(self) -> ::stencil::client::Sending<#success, #error> {
                #send_body
            }
        }

        impl<'a> ::std::future::IntoFuture for #request<'a> {
            type Output = #output;
            type IntoFuture = ::stencil::client::BoxFuture<'a, Self::Output>;

            fn into_future(self) -> Self::IntoFuture {
                Box::pin(self.send())
            }
        }
    }
}
