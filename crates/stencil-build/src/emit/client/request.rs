//! A call's request builder: `{Op}Request<'a>` holding the client, the arguments and the
//! optional parameters; a setter per optional parameter; `send`, which chains the path,
//! parameters, credentials, `Accept` and body onto the runtime's request core; `IntoFuture`.
//! One function per generated item.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::super::redact::{debug_impl, Shown};
use super::super::{doc_attrs, ident};
use super::fields::{fields, multipart_struct, template, Field, TemplatePart, What};
use super::plan::{Call, Plan};
use super::responses::{header_default, is_binary};
use super::shared::{route, self_convention_allow};
use super::streams::Stream;
use crate::ir::{Api, Content, MediaKind, Operation, PageScheme, Param, ParamLocation, ParamStyle};
use crate::naming::Scope;

/// The request builder of each call of an operation, then its response types.
/// `secrets`: the names whose parameters `Debug` redacts (`Param::is_secret`).
pub fn items(api: &Api, plan: &Plan<'_>, secrets: &[String]) -> TokenStream {
    let mut out = TokenStream::new();
    for call in &plan.calls {
        let fields = fields(api, plan, call);
        out.extend(request_struct(api, plan.op, call, &fields, secrets));
        out.extend(request_impl(api, plan, call, &fields));
        out.extend(into_future_impl(plan, call));
    }
    out.extend(plan.responses.items.clone());
    out
}

/// `pub struct {Op}Request<'a> { .. }`, with its docs and derives; its `Debug` redacts
/// secret parameters ([`request_debug`]).
fn request_struct(
    api: &Api,
    op: &Operation,
    call: &Call<'_>,
    fields: &[Field<'_>],
    secrets: &[String],
) -> TokenStream {
    let request = ident(&call.request);
    let struct_fields = fields.iter().map(|f| {
        let name = ident(&f.name);
        let ty = &f.stored;
        quote!(#name: #ty)
    });
    let debug_impl = request_debug(call, fields, secrets);
    let debug = debug_impl.is_empty().then(|| quote!(Debug,));
    let derives = match call.content {
        Some(c)
            if c.kind == MediaKind::Multipart
                && c.ty
                    .as_ref()
                    .and_then(|t| multipart_struct(api, t))
                    .is_none() =>
        {
            debug.map(|debug| quote!(#[derive(#debug)]))
        }
        _ => Some(quote!(#[derive(#debug Clone)])),
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
        #debug_impl
    }
}

/// A `Debug` for the request builder that prints secret parameters as `[redacted]`, when it
/// has any (else nothing: the builder derives `Debug`).
fn request_debug(call: &Call<'_>, fields: &[Field<'_>], secrets: &[String]) -> TokenStream {
    let secret = |f: &Field<'_>| matches!(f.what, What::Param(p) if p.is_secret(secrets));
    if !fields.iter().any(secret) {
        return TokenStream::new();
    }
    let shown: Vec<Shown> = fields
        .iter()
        .map(|f| Shown::new(&f.name, secret(f)))
        .collect();
    let request = ident(&call.request);
    debug_impl(
        TokenStream::new(),
        quote!(#request<'_>),
        &call.request,
        &shown,
    )
}

/// `impl {Op}Request<'_> { setters.., send }`.
fn request_impl(api: &Api, plan: &Plan<'_>, call: &Call<'_>, fields: &[Field<'_>]) -> TokenStream {
    let request = ident(&call.request);
    let success = &plan.responses.success;
    let error = &plan.responses.error;
    let setters = fields.iter().filter_map(setter);
    let streams = &plan.responses.streams;
    let send = if streams.streamed {
        TokenStream::new()
    } else {
        let decode = &plan.responses.decode;
        let send_body = send_body(api, plan, call, fields, &quote!(.send(#decode)), true);
        quote! {
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
    };
    let opens = streams
        .calls
        .iter()
        .map(|stream| stream_method(api, plan, call, fields, stream));
    let into_stream = into_stream(plan, fields);
    quote! {
        impl #request<'_> {
            #(#setters)*

            #send

            #(#opens)*

            #into_stream
        }
    }
}

/// `into_stream` of a paged operation (`x-pagination`): every item of every page. Only when
/// its success type is one body type (a `{Op}Success` enum is not read as JSON).
fn into_stream(plan: &Plan<'_>, fields: &[Field<'_>]) -> TokenStream {
    let Some(p) = &plan.op.pagination else {
        return TokenStream::new();
    };
    let mut bodies = plan
        .op
        .responses
        .iter()
        .filter(|r| r.status.is_success())
        .map(|r| r.contents.first().map(|c| (&c.media_type, &c.ty)));
    let first = bodies.next();
    if bodies.any(|b| b != first.flatten()) {
        return TokenStream::new();
    }
    let Some(field) = fields.iter().find(|f| {
        matches!(f.what, What::Param(q) if q.location == ParamLocation::Query && q.wire_name == p.param)
    }) else {
        return TokenStream::new();
    };
    let name = ident(&field.name);
    let (items, param) = (&p.items, &p.param);
    let paging = match &p.scheme {
        PageScheme::Cursor { next } => quote!(Cursor { next: #next }),
        PageScheme::HasMore { has_more, id } => quote!(HasMore { has_more: #has_more, id: #id }),
        PageScheme::Page { first } => quote!(PageNumber { first: #first }),
        PageScheme::Offset => quote!(Offset),
        PageScheme::Link => quote!(LinkHeader { param: #param }),
    };
    let error = &plan.responses.error;
    let docs = doc_attrs(&[
        "Every item of every page, as a `Stream` (`x-pagination`): this request first, then"
            .to_owned(),
        format!(
            "the next pages with `{param}` set from each response. Ends after the last page, on a"
        ),
        "cursor the server repeats, and after the first error. `T` is the item type.".to_owned(),
    ]);
    quote! {
        #docs
        pub fn into_stream<'s, T>(self) -> ::stencil::client::Pages<'s, T, #error>
        where
            Self: 's,
            T: ::stencil::serde::de::DeserializeOwned + Send + 's,
        {
            ::stencil::client::paginate(
                self,
                ::stencil::client::Pagination {
                    items: #items,
                    paging: ::stencil::client::Paging::#paging,
                },
                Self::send,
                ::stencil::client::Cursor {
                    get: |r| ::stencil::client::cursor_value(&r.#name),
                    set: |mut r, v| {
                        r.#name = ::stencil::serde_json::from_value(v).map_err(|e| e.to_string())?;
                        Ok(r)
                    },
                },
            )
        }
    }
}

/// A method opening the response as a stream (`send` of a streamed operation, `send_events`,
/// `send_lines`).
fn stream_method(
    api: &Api,
    plan: &Plan<'_>,
    call: &Call<'_>,
    fields: &[Field<'_>],
    stream: &Stream,
) -> TokenStream {
    let method = ident(stream.method);
    let (ty, error) = (&stream.ty, &plan.responses.error);
    // The runtime asks for the streamed media type (`Accept`) itself.
    let body = send_body(api, plan, call, fields, &stream.finish, false);
    let (what, how) = match stream.kind {
        MediaKind::EventStream => (
            "Send the request and open the server-sent events of a success response, each event's",
            "data decoded as it arrives.",
        ),
        MediaKind::JsonLines => (
            "Send the request and open the JSON Lines items of a success response, each item's",
            "data decoded as it arrives.",
        ),
        _ => (
            "Send the request and open the body of a success response, chunk by chunk as it",
            "arrives, never held whole.",
        ),
    };
    let docs = doc_attrs(&[
        what.to_owned(),
        how.to_owned(),
        String::new(),
        "Declared error statuses are read whole and decoded (`Error::Api`) before anything"
            .to_owned(),
        if stream.kind == MediaKind::Binary {
            "streams.".to_owned()
        } else {
            "streams; a success of another content type is `Error::UnexpectedContentType`."
                .to_owned()
        },
        "Dropping the stream closes the connection.".to_owned(),
    ]);
    quote! {
        #docs
        pub fn #method(self) -> ::stencil::client::Opening<#ty, #error> {
            #body
        }
    }
}

/// The setter of an optional field (`None` for the others).
fn setter(f: &Field<'_>) -> Option<TokenStream> {
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
}

/// `impl IntoFuture for {Op}Request<'a>`: awaiting a request sends it.
fn into_future_impl(plan: &Plan<'_>, call: &Call<'_>) -> TokenStream {
    let request = ident(&call.request);
    let success = &plan.responses.success;
    let error = &plan.responses.error;
    let output = match plan.responses.streams.calls.first() {
        Some(stream) if plan.responses.streams.streamed => {
            let ty = &stream.ty;
            quote!(Result<#ty, ::stencil::client::Error<#error>>)
        }
        _ => {
            quote!(Result<::stencil::client::ResponseValue<#success>, ::stencil::client::Error<#error>>)
        }
    };
    quote! {
        impl<'a> ::std::future::IntoFuture for #request<'a> {
            type Output = #output;
            type IntoFuture = ::stencil::client::BoxFuture<'a, Self::Output>;

            fn into_future(self) -> Self::IntoFuture {
                Box::pin(self.send())
            }
        }
    }
}

/// The body of `send`: the request chain, the body (optional or not), then `finish` (the
/// decoding `.send(decode)`, or opening a stream); `accept`: with the `Accept` of the plan.
fn send_body(
    api: &Api,
    plan: &Plan<'_>,
    call: &Call<'_>,
    fields: &[Field<'_>],
    finish: &TokenStream,
    accept: bool,
) -> TokenStream {
    let op = plan.op;
    let client = ident(&fields[0].name);
    let mut chain = match fields.iter().find(|f| matches!(f.what, What::Target)) {
        Some(target) => target_chain(op, target),
        None => path_chain(op),
    };
    chain.extend(param_chain(fields));
    chain.extend(auth_chain(op));
    if let Some(accept) = plan.responses.accept.as_ref().filter(|_| accept) {
        chain.push(quote!(.accept(#accept)));
    }
    let body_field = fields.iter().find(|f| matches!(f.what, What::Body));
    let body_required = body_field.is_some_and(|f| f.positional.is_some());
    match body_field {
        Some(_) if body_required => {
            let body = body_call(api, call.content, fields, quote!(self.body));
            quote! {
                self.#client.core #(#chain)* #body #finish
            }
        }
        Some(_) => {
            let body = body_call(api, call.content, fields, quote!(body));
            quote! {
                let mut request = self.#client.core #(#chain)*;
                if let Some(body) = self.body {
                    request = request #body;
                }
                request #finish
            }
        }
        None => quote! {
            self.#client.core #(#chain)* #finish
        },
    }
}

/// The method, then the whole URL (webhooks and callbacks).
fn target_chain(op: &Operation, target: &Field<'_>) -> Vec<TokenStream> {
    let method = ident(op.method.as_str());
    let id = &op.id;
    let field = ident(&target.name);
    vec![
        quote!(.request(::stencil::reqwest::Method::#method)),
        quote!(.operation(#id)),
        quote!(.target(&self.#field)),
    ]
}

/// The method, then the path: literal runs and path parameters, each in its style.
fn path_chain(op: &Operation) -> Vec<TokenStream> {
    let method = if op.method.is_extension() {
        // Methods reqwest has no constant for (`QUERY`, `LINK`) go by name.
        let name = op.method.as_str();
        quote!(.request_named(#name))
    } else {
        let method = ident(op.method.as_str());
        quote!(.request(::stencil::reqwest::Method::#method))
    };
    let id = &op.id;
    let mut chain = vec![
        method,
        // For spans and hooks.
        quote!(.operation(#id)),
    ];
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
    chain
}

/// Query, header and cookie parameters.
fn param_chain(fields: &[Field<'_>]) -> Vec<TokenStream> {
    let mut chain = Vec::new();
    for f in fields {
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
            ParamLocation::QueryString => chain.push(quote!(.query_string(#wire, &self.#field))),
        }
    }
    chain
}

/// `.auth(..)`: the alternative sets of security schemes, when the operation has any.
fn auth_chain(op: &Operation) -> Option<TokenStream> {
    let alternatives: Vec<TokenStream> = op
        .security
        .iter()
        .map(|set| {
            let indexes = set.iter().map(|u| Literal::usize_unsuffixed(u.scheme));
            quote!(&[#(#indexes),*])
        })
        .collect();
    op.security
        .iter()
        .any(|set| !set.is_empty())
        .then(|| quote!(.auth(&[#(#alternatives),*])))
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

/// The body call of the chain for `value` in the call's media type (nothing without a body).
fn body_call(
    api: &Api,
    content: Option<&Content>,
    fields: &[Field<'_>],
    value: TokenStream,
) -> TokenStream {
    let Some(content) = content else {
        return TokenStream::new();
    };
    let media_type = &content.media_type;
    match content.kind {
        MediaKind::Json => quote!(.json(&#value, #media_type)),
        MediaKind::Form => quote!(.form(&#value, #media_type)),
        MediaKind::Text => quote!(.text(#value, #media_type)),
        MediaKind::Binary | MediaKind::EventStream | MediaKind::JsonLines => {
            quote!(.binary(#value, #media_type))
        }
        MediaKind::Multipart => multipart_call(api, content, fields, value),
    }
}

/// `.multipart(..)`: a part per field of the body's struct (files with their file name and
/// content type fields), or the caller's own `Multipart` without an object schema.
fn multipart_call(
    api: &Api,
    content: &Content,
    fields: &[Field<'_>],
    value: TokenStream,
) -> TokenStream {
    let Some((s, args)) = content.ty.as_ref().and_then(|t| multipart_struct(api, t)) else {
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
