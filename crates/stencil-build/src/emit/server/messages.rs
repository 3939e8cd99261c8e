//! Per operation: the request struct (parameters with defaults applied, typed body) and the
//! response enum (one variant per declared status) with its `IntoResponse` impl.

use proc_macro2::{Ident, Literal, TokenStream};
use quote::{format_ident, quote};
use serde_json::Value;

use crate::emit::redact::{debug_impl, Shown};
use crate::emit::{doc_attrs, docs, ident, markdown_lines, normalize, type_ref};
use crate::ir::{
    Api, Content, HookKind, MediaKind, Operation, Param, Primitive, Response, Status, TypeKind,
    TypeRef,
};
use crate::naming::Scope;

/// How a parameter's value reaches the request struct.
pub struct ParamField {
    pub field: Ident,
    /// `T` when required or defaulted, else `Option<T>`.
    pub ty: TokenStream,
    /// Whether the schema default is applied (and fits the type).
    pub default: Option<Value>,
}

/// The request body's shape in the request struct.
pub enum BodyShape {
    /// No body declared.
    None,
    /// One Rust type for every declared media type; `raw` for binary media types.
    Single { ty: TokenStream, raw: bool },
    /// A `{Op}Body` enum, one variant per media type: (variant, raw).
    Enum {
        name: Ident,
        variants: Vec<(Ident, bool)>,
    },
}

/// The request struct's field holding the request's values for callback URLs
/// (`stencil::expression::Origin`), when `op` declares callbacks.
pub fn origin_field(api: &Api, op: &Operation) -> Option<Ident> {
    let declares = api
        .hooks
        .iter()
        .any(|h| matches!(&h.kind, HookKind::Callback { owner, .. } if *owner == op.name));
    if !declares {
        return None;
    }
    let mut names = Scope::with_reserved(&["body"]);
    for p in &op.params {
        names.claim(&p.name);
    }
    Some(ident(&names.claim(crate::naming::TARGET_ORIGIN).0))
}

/// The Rust type of a body content (or response content) without a schema: bytes, text or
/// any JSON value.
pub fn content_type(api: &Api, c: &Content) -> (TokenStream, bool) {
    let raw = c.kind == MediaKind::Binary;
    match (&c.ty, c.kind) {
        // Responses only (request bodies of these kinds are `Binary`): the handler returns a
        // stream of items, the schema describing one.
        (Some(ty), MediaKind::EventStream) if !is_string(api, ty) => {
            let item = type_ref(api, ty, false);
            (quote!(::stencil::server::Events<#item>), false)
        }
        (_, MediaKind::EventStream) => (quote!(::stencil::server::Events<String>), false),
        (Some(ty), MediaKind::JsonLines) => {
            let item = type_ref(api, ty, false);
            (quote!(::stencil::server::JsonLines<#item>), false)
        }
        (None, MediaKind::JsonLines) => (
            quote!(::stencil::server::JsonLines<::stencil::serde_json::Value>),
            false,
        ),
        (Some(ty), MediaKind::Binary) if is_binary(api, ty) => (type_ref(api, ty, false), true),
        (_, MediaKind::Binary) => (quote!(::stencil::bytes::Bytes), raw),
        (None, MediaKind::Text) => (quote!(String), false),
        (Some(ty), _) => (type_ref(api, ty, false), false),
        (None, _) => (quote!(::stencil::serde_json::Value), false),
    }
}

fn is_binary(api: &Api, ty: &TypeRef) -> bool {
    match normalize(ty) {
        TypeRef::Primitive(Primitive::Binary) => true,
        TypeRef::Named(id, _) => {
            matches!(&api.ty(id).kind, TypeKind::Alias(t) if is_binary(api, t))
        }
        _ => false,
    }
}

pub fn param_field(api: &Api, p: &Param) -> ParamField {
    let base = type_ref(api, &p.ty, false);
    let default = p.default.clone().filter(|d| default_fits(api, &p.ty, d));
    let ty = if p.required || default.is_some() {
        base
    } else {
        quote!(Option<#base>)
    };
    ParamField {
        field: ident(&p.name),
        ty,
        default,
    }
}

/// Whether a default value deserializes into the parameter's type (roughly: its JSON kind).
fn default_fits(api: &Api, ty: &TypeRef, v: &Value) -> bool {
    match normalize(ty) {
        TypeRef::Primitive(p) => match p {
            Primitive::Bool => v.is_boolean(),
            Primitive::F32 | Primitive::F64 => v.is_number(),
            Primitive::I8 | Primitive::I16 | Primitive::I32 | Primitive::I64 => {
                v.as_i64().is_some()
            }
            Primitive::U8 | Primitive::U16 | Primitive::U32 | Primitive::U64 => {
                v.as_u64().is_some()
            }
            Primitive::Date => v.as_str().is_some_and(chrono_like_date),
            Primitive::String => v.is_string(),
            _ => false,
        },
        TypeRef::Array(item) => v
            .as_array()
            .is_some_and(|xs| xs.iter().all(|x| default_fits(api, &item, x))),
        TypeRef::Named(id, _) => match &api.ty(id).kind {
            TypeKind::StringEnum(e) => v
                .as_str()
                .is_some_and(|s| e.variants.iter().any(|x| x.value == s)),
            TypeKind::IntEnum(e) => v
                .as_i64()
                .is_some_and(|n| e.variants.iter().any(|x| x.value == n)),
            TypeKind::Alias(t) | TypeKind::Newtype(t, _) => default_fits(api, t, v),
            _ => false,
        },
        TypeRef::Any => true,
        _ => false,
    }
}

fn chrono_like_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && s.chars()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
}

pub fn body_shape(api: &Api, op: &Operation) -> BodyShape {
    let Some(body) = &op.body else {
        return BodyShape::None;
    };
    if body.contents.is_empty() {
        return BodyShape::None;
    }
    let types: Vec<(TokenStream, bool)> =
        body.contents.iter().map(|c| content_type(api, c)).collect();
    let first = types[0].0.to_string();
    if types
        .iter()
        .all(|(t, raw)| t.to_string() == first && *raw == types[0].1)
    {
        let (ty, raw) = types[0].clone();
        let ty = if body.required {
            ty
        } else {
            quote!(Option<#ty>)
        };
        return BodyShape::Single { ty, raw };
    }
    let mut scope = Scope::new();
    let variants = body
        .contents
        .iter()
        .zip(&types)
        .map(|(c, (_, raw))| {
            let word = match c.kind {
                MediaKind::Json => "Json",
                MediaKind::Form => "Form",
                MediaKind::Multipart => "Multipart",
                MediaKind::Text => "Text",
                MediaKind::Binary | MediaKind::EventStream | MediaKind::JsonLines => "Binary",
            };
            (ident(&scope.claim(word).0), *raw)
        })
        .collect();
    BodyShape::Enum {
        name: format_ident!("{}Body", op.type_name),
        variants,
    }
}

/// Whether the operation's body is bytes of one type, which a handler may read as a stream
/// (the trait's `<op>_stream` method; see `streams.rs`).
pub fn streams_body(api: &Api, op: &Operation) -> bool {
    matches!(body_shape(api, op), BodyShape::Single { raw: true, .. })
}

/// `{Op}Request` (and `{Op}Body` when the body comes in several types).
/// `handler_trait` names the trait declaring the operation's method, for doc links; `Debug`
/// redacts the parameters `secrets` names (`Param::is_secret`).
pub fn request_types(
    api: &Api,
    op: &Operation,
    handler_trait: &str,
    secrets: &[String],
) -> TokenStream {
    let name = format_ident!("{}Request", op.type_name);
    let method = ident(&op.name);
    let mut fields = Vec::new();
    for p in &op.params {
        let pf = param_field(api, p);
        let mut lines = crate::emit::doc_lines(&p.docs);
        let mut note = format!(
            "{} parameter `{}`",
            location_word(p),
            p.wire_name.replace('`', "'")
        );
        if let Some(d) = &pf.default {
            note.push_str(&format!(
                "; defaults to `{}`",
                d.to_string().replace('`', "'")
            ));
        }
        note.push('.');
        lines = crate::emit::join_paragraphs(vec![lines, vec![note]]);
        let doc = doc_attrs(&lines);
        let field = pf.field;
        let ty = pf.ty;
        fields.push(quote!(#doc pub #field: #ty,));
    }
    let mut extra = TokenStream::new();
    let mut generics = TokenStream::new();
    match body_shape(api, op) {
        BodyShape::None => {}
        BodyShape::Single { ty, raw: true } => {
            // `B` is the whole body by default; `rt::BodyStream` for the `_stream` method.
            generics = quote!(<B = #ty>);
            fields.push(quote! {
                /// The request body: whole, or as it arrives (`rt::BodyStream`) for the
                /// handler that streams it.
                pub body: B,
            })
        }
        BodyShape::Single { ty, .. } => {
            fields.push(quote!(#[doc = " The request body."] pub body: #ty,))
        }
        BodyShape::Enum {
            name: body_name,
            variants,
        } => {
            let body = op.body.as_ref().expect("a body shape comes from a body");
            let items = body.contents.iter().zip(&variants).map(|(c, (v, _))| {
                let (ty, _) = content_type(api, c);
                let doc = format!(" `{}`", c.media_type.replace('`', "'"));
                quote!(#[doc = #doc] #v(#ty),)
            });
            let doc = format!(
                " The request body of [`{handler_trait}::{}`], by media type.",
                op.name
            );
            extra = quote! {
                #[doc = #doc]
                #[derive(Debug)]
                #[allow(clippy::large_enum_variant)]
                pub enum #body_name { #(#items)* }
            };
            let ty = if body.required {
                quote!(#body_name)
            } else {
                quote!(Option<#body_name>)
            };
            fields.push(quote!(#[doc = " The request body."] pub body: #ty,));
        }
    }
    if let Some(origin) = origin_field(api, op) {
        fields.push(quote! {
            /// The request's method, URL, parameters, headers and JSON body, which the
            /// operation's callback URLs are evaluated from: hand it to the callback sender
            /// (`callbacks::sender::Client`), now or later.
            pub #origin: ::stencil::expression::Origin,
        });
    }
    let doc = format!(
        " The request of [`{handler_trait}::{method}`]: `{} {}`.",
        op.method.as_str(),
        op.path.replace('`', "'")
    );
    let debug_impl = request_debug(op, secrets, !generics.is_empty());
    let derive = debug_impl.is_empty().then(|| quote!(#[derive(Debug)]));
    quote! {
        #[doc = #doc]
        #derive
        pub struct #name #generics { #(#fields)* }
        #debug_impl
        #extra
    }
}

/// A `Debug` for `{Op}Request` printing secret parameters as `[redacted]`, when it has any
/// (else nothing: the struct derives `Debug`). `streamed`: the struct has the body type
/// parameter `B`.
fn request_debug(op: &Operation, secrets: &[String], streamed: bool) -> TokenStream {
    if !op.params.iter().any(|p| p.is_secret(secrets)) {
        return TokenStream::new();
    }
    let mut shown: Vec<Shown> = op
        .params
        .iter()
        .map(|p| Shown::new(&p.name, p.is_secret(secrets)))
        .collect();
    if op.body.is_some() {
        shown.push(Shown::new("body", false));
    }
    let name = format_ident!("{}Request", op.type_name);
    let (generics, ty) = if streamed {
        (quote!(<B: ::std::fmt::Debug>), quote!(#name<B>))
    } else {
        (TokenStream::new(), quote!(#name))
    };
    debug_impl(generics, ty, &name.to_string(), &shown)
}

fn location_word(p: &Param) -> &'static str {
    match p.location {
        crate::ir::ParamLocation::Path => "Path",
        crate::ir::ParamLocation::Query => "Query",
        crate::ir::ParamLocation::QueryString => "Query string",
        crate::ir::ParamLocation::Header => "Header",
        crate::ir::ParamLocation::Cookie => "Cookie",
    }
}

/// One response variant.
struct VariantInfo {
    name: Ident,
    /// `Some` for ranges and `default`: the status is a field.
    has_status: bool,
    body: Option<(TokenStream, &'static str, String)>,
    headers: Vec<(Ident, String, TokenStream)>,
    code: u16,
}

/// The variant body of a response content: its type, the runtime helper answering it, its
/// media type.
fn variant_body(api: &Api, c: &Content) -> (TokenStream, &'static str, String) {
    let (ty, _) = content_type(api, c);
    let helper = match c.kind {
        MediaKind::Binary => "binary",
        MediaKind::EventStream => "events",
        MediaKind::JsonLines => "json_lines",
        MediaKind::Text if c.ty.as_ref().is_none_or(|t| is_string(api, t)) => "text",
        _ => "json",
    };
    (ty, helper, c.media_type.clone())
}

/// One variant per response (its first media type), and one more per streamed media type the
/// response also offers (`OkEvents`, `OkLines`: JSON or events for one status, as OpenAI's
/// `stream: true`).
fn variants<'o>(api: &Api, op: &'o Operation) -> Vec<(VariantInfo, &'o Response)> {
    let mut scope = Scope::new();
    op.responses
        .iter()
        .flat_map(|r| {
            let name = ident(&scope.claim(&r.status.variant_name()).0);
            let body = r.contents.first().map(|c| variant_body(api, c));
            let mut hscope = Scope::with_reserved(&["body", "status"]);
            let headers: Vec<_> = r
                .headers
                .iter()
                .filter(|h| !h.wire_name.eq_ignore_ascii_case("content-type"))
                .map(|h| {
                    let base = type_ref(api, &h.ty, false);
                    let ty = if h.required {
                        base
                    } else {
                        quote!(Option<#base>)
                    };
                    (ident(&hscope.claim(&h.name).0), h.wire_name.clone(), ty)
                })
                .collect();
            let code = match r.status {
                Status::Code(c) => c,
                Status::Range(r) => r * 100,
                Status::Default => 500,
            };
            let has_status = !matches!(r.status, Status::Code(_));
            let mut out = Vec::new();
            let mut kinds = Vec::new();
            // `OkEvents`, `OkLines`: the other streamed media types; `OkStream`: a binary
            // media type's body as a byte stream.
            for (i, c) in r.contents.iter().enumerate() {
                let bytes = c.kind == MediaKind::Binary && content_type(api, c).1;
                let (suffix, body) = match c.kind {
                    MediaKind::EventStream if i > 0 => ("Events", variant_body(api, c)),
                    MediaKind::JsonLines if i > 0 => ("Lines", variant_body(api, c)),
                    MediaKind::Binary if bytes => (
                        "Stream",
                        (
                            quote!(::stencil::server::ByteStream),
                            "byte_stream",
                            c.media_type.clone(),
                        ),
                    ),
                    _ => continue,
                };
                if kinds.contains(&c.kind) {
                    continue;
                }
                kinds.push(c.kind);
                let extra = format!("{}{suffix}", r.status.variant_name());
                out.push((
                    VariantInfo {
                        name: ident(&scope.claim(&extra).0),
                        has_status,
                        body: Some(body),
                        headers: headers.clone(),
                        code,
                    },
                    r,
                ));
            }
            out.insert(
                0,
                (
                    VariantInfo {
                        name,
                        has_status,
                        body,
                        headers,
                        code,
                    },
                    r,
                ),
            );
            out
        })
        .collect()
}

fn is_string(api: &Api, ty: &TypeRef) -> bool {
    match normalize(ty) {
        TypeRef::Primitive(Primitive::String) => true,
        TypeRef::Named(id, _) => {
            matches!(&api.ty(id).kind, TypeKind::Alias(t) if is_string(api, t))
        }
        _ => false,
    }
}

/// `{Op}Response` and its `IntoResponse` impl.
/// `handler_trait` names the trait declaring the operation's method, for doc links.
pub fn response_type(api: &Api, op: &Operation, handler_trait: &str) -> TokenStream {
    let name = format_ident!("{}Response", op.type_name);
    let vs = variants(api, op);
    let mut defs = Vec::new();
    let mut arms = Vec::new();
    for (v, r) in &vs {
        let vname = &v.name;
        let mut doc_lines = vec![match r.status {
            Status::Code(c) => format!("{c}: {}", r.description.trim()),
            Status::Range(d) => format!("{d}XX: {}", r.description.trim()),
            Status::Default => format!("Any other status: {}", r.description.trim()),
        }];
        if let Some((_, _, media_type)) = &v.body {
            doc_lines.push(String::new());
            doc_lines.push(format!("Sent as `{}`.", media_type.replace('`', "'")));
        }
        let doc_lines: Vec<String> = doc_lines
            .iter()
            .flat_map(|l| {
                if l.is_empty() {
                    vec![String::new()]
                } else {
                    markdown_lines(l)
                }
            })
            .collect();
        let doc = doc_attrs(&doc_lines);
        let code = Literal::u16_unsuffixed(v.code);
        let code_expr = if v.has_status {
            quote!(status.as_u16())
        } else {
            quote!(#code)
        };
        let make = match &v.body {
            Some((_, helper, media_type)) => {
                let arg = if *helper == "json" {
                    quote!(&body)
                } else {
                    quote!(body)
                };
                let helper = ident(helper);
                quote!(rt::#helper(#code_expr, #media_type, #arg))
            }
            None => quote!(rt::empty(#code_expr)),
        };
        if !v.has_status && v.headers.is_empty() {
            match &v.body {
                Some((ty, _, _)) => {
                    defs.push(quote!(#doc #vname(#ty),));
                    arms.push(quote!(Self::#vname(body) => #make,));
                }
                None => {
                    defs.push(quote!(#doc #vname,));
                    arms.push(quote!(Self::#vname => #make,));
                }
            }
            continue;
        }
        let mut fields = Vec::new();
        let mut pattern = Vec::new();
        if v.has_status {
            fields.push(quote!(#[doc = " The status to answer with."] status: ::stencil::server::http::StatusCode,));
            pattern.push(quote!(status));
        }
        if let Some((ty, _, _)) = &v.body {
            fields.push(quote!(body: #ty,));
            pattern.push(quote!(body));
        }
        let mut sets = Vec::new();
        for ((field, wire, ty), h) in v.headers.iter().zip(&r.headers) {
            let mut lines = docs(&h.docs);
            let line = format!(" The `{}` header.", wire.replace('`', "'"));
            lines.extend(quote!(#[doc = #line]));
            fields.push(quote!(#lines #field: #ty,));
            pattern.push(quote!(#field));
            sets.push(quote!(rt::set_header(&mut response, #wire, &#field);));
        }
        defs.push(quote!(#doc #vname { #(#fields)* },));
        let body = if sets.is_empty() {
            make
        } else {
            quote!({
                let mut response = #make;
                #(#sets)*
                response
            })
        };
        arms.push(quote!(Self::#vname { #(#pattern),* } => #body,));
    }
    let doc = format!(
        " The responses of [`{handler_trait}::{}`], one variant per declared status.",
        op.name
    );
    if defs.is_empty() {
        // An operation without declared responses answers 204.
        return quote! {
            #[doc = #doc]
            #[derive(Debug)]
            pub enum #name {
                #[doc = " No content."]
                NoContent,
            }
            impl ::stencil::axum::response::IntoResponse for #name {
                fn into_response(self) -> ::stencil::axum::response::Response {
                    rt::empty(204)
                }
            }
        };
    }
    quote! {
        #[doc = #doc]
        #[derive(Debug)]
        #[allow(clippy::large_enum_variant)]
        pub enum #name { #(#defs)* }
        impl ::stencil::axum::response::IntoResponse for #name {
            fn into_response(self) -> ::stencil::axum::response::Response {
                match self { #(#arms)* }
            }
        }
    }
}
