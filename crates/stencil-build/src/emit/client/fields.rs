//! The fields of a request builder: the client reference, the operation's parameters, the
//! body, and the file name / content type of each binary multipart field; and the pieces of a
//! path template.

use proc_macro2::TokenStream;
use quote::quote;

use super::super::{code_span, doc_lines, join_paragraphs, normalize, type_ref};
use super::plan::{Call, Plan, Target};
use super::responses::{header_default, is_binary};
use crate::ir::{
    Api, Content, MediaKind, Param, ParamLocation, Primitive, Struct, TypeKind, TypeRef,
};
use crate::naming::Scope;

/// A field of a request builder.
pub(super) struct Field<'a> {
    pub(super) name: String,
    /// The type as stored (with `Option` for optional ones).
    pub(super) stored: TokenStream,
    /// Positional argument type (`impl Into<String>` for strings); `None` for setters.
    pub(super) positional: Option<(TokenStream, bool)>,
    /// Setter name, argument type and whether it converts with `.into()`.
    pub(super) setter: Option<(String, TokenStream, bool)>,
    pub(super) docs: Vec<String>,
    pub(super) what: What<'a>,
}

pub(super) enum What<'a> {
    Client,
    /// The whole URL of a webhook or callback request (see [`Target`]), evaluated when the
    /// builder is made.
    Target,
    Param(&'a Param),
    Body,
    /// File name / content type of a binary multipart field (by wire name).
    FileName(String),
    ContentType(String),
}

/// How a value is passed in: `impl Into<String>` for strings and `impl Into<Bytes>` for bytes,
/// else the type itself. Returns the argument type and whether `.into()` is needed.
fn argument(api: &Api, ty: &TypeRef) -> (TokenStream, bool) {
    match normalize(ty) {
        TypeRef::Primitive(Primitive::String) => (quote!(impl Into<String>), true),
        TypeRef::Primitive(Primitive::Binary) => (quote!(impl Into<::stencil::bytes::Bytes>), true),
        other => (type_ref(api, &other, false), false),
    }
}

/// The Rust type of a request body of `content`, and how it is passed in.
fn body_type(api: &Api, content: &Content) -> (TokenStream, TokenStream, bool) {
    match content.kind {
        MediaKind::Json | MediaKind::Form => {
            let ty = content
                .ty
                .as_ref()
                .map(|t| type_ref(api, t, false))
                .unwrap_or(quote!(::stencil::serde_json::Value));
            (ty.clone(), ty, false)
        }
        MediaKind::Text => (quote!(String), quote!(impl Into<String>), true),
        // Bytes in memory or a stream (`stencil::client::Binary`); request bodies of a streamed
        // kind are bytes too (the IR makes them `Binary`).
        MediaKind::Binary | MediaKind::EventStream | MediaKind::JsonLines => (
            quote!(::stencil::client::Binary),
            quote!(impl Into<::stencil::client::Binary>),
            true,
        ),
        MediaKind::Multipart => match content.ty.as_ref() {
            Some(ty) if multipart_struct(api, ty).is_some() => {
                let ty = type_ref(api, ty, false);
                (ty.clone(), ty, false)
            }
            // Without an object schema the caller assembles the parts.
            _ => (
                quote!(::stencil::client::Multipart),
                quote!(::stencil::client::Multipart),
                false,
            ),
        },
    }
}

/// The struct behind a multipart body type (through aliases), with the type arguments of a
/// generic instantiation.
pub(super) fn multipart_struct<'a>(
    api: &'a Api,
    ty: &TypeRef,
) -> Option<(&'a Struct, Vec<TypeRef>)> {
    match normalize(ty) {
        TypeRef::Named(id, args) => match &api.ty(id).kind {
            TypeKind::Struct(s) => Some((s, args)),
            TypeKind::Alias(inner) => multipart_struct(api, inner),
            _ => None,
        },
        TypeRef::Boxed(inner) => multipart_struct(api, &inner),
        _ => None,
    }
}

/// The fields of a call's request builder.
pub(super) fn fields<'a>(api: &Api, plan: &Plan<'a>, call: &Call<'a>) -> Vec<Field<'a>> {
    let op = plan.op;
    let mut names = Scope::new();
    for p in &op.params {
        names.claim(&p.name);
    }
    names.claim("body");
    // Setter names must not shadow the builder's own methods.
    let mut setters = Scope::with_reserved(&["send", "into_future"]);
    let mut out = Vec::new();
    out.push(Field {
        name: names.claim("client").0,
        stored: quote!(&'a Client),
        positional: None,
        setter: None,
        docs: Vec::new(),
        what: What::Client,
    });
    let target = match plan.target {
        Target::Base => None,
        Target::Url => Some((quote!(impl Into<String>), crate::naming::TARGET_URL)),
        Target::Callback(_) => Some((
            quote!(&::stencil::expression::Origin),
            crate::naming::TARGET_ORIGIN,
        )),
    };
    if let Some((arg, name)) = target {
        out.push(Field {
            name: names.claim(name).0,
            stored: quote!(Result<String, ::stencil::expression::ExpressionError>),
            positional: Some((arg, false)),
            setter: None,
            docs: Vec::new(),
            what: What::Target,
        });
    }
    let template = path_names(&op.path);
    for p in &op.params {
        if p.location == ParamLocation::Path && !template.contains(&p.wire_name.as_str()) {
            continue;
        }
        let ty = type_ref(api, &p.ty, false);
        let (arg, into) = argument(api, &p.ty);
        if p.required {
            out.push(Field {
                name: p.name.clone(),
                stored: ty,
                positional: Some((arg, into)),
                setter: None,
                docs: Vec::new(),
                what: What::Param(p),
            });
        } else {
            let setter = setters.claim(&p.name).0;
            out.push(Field {
                name: p.name.clone(),
                stored: quote!(Option<#ty>),
                positional: None,
                setter: Some((setter, arg, into)),
                docs: param_docs(p),
                what: What::Param(p),
            });
        }
    }
    if let Some(content) = call.content {
        let required = op.body.as_ref().is_some_and(|b| b.required);
        let (ty, arg, into) = body_type(api, content);
        let mut docs = doc_lines(&op.body.as_ref().map(|b| b.docs.clone()).unwrap_or_default());
        if docs.is_empty() {
            docs.push("The request body.".to_owned());
        }
        docs.push(String::new());
        docs.push(format!("Sent as {}.", code_span(&content.media_type)));
        if required {
            out.push(Field {
                name: "body".to_owned(),
                stored: ty,
                positional: Some((arg, into)),
                setter: None,
                docs,
                what: What::Body,
            });
        } else {
            let setter = setters.claim("body").0;
            out.push(Field {
                name: "body".to_owned(),
                stored: quote!(Option<#ty>),
                positional: None,
                setter: Some((setter, arg, into)),
                docs,
                what: What::Body,
            });
        }
        if content.kind == MediaKind::Multipart {
            if let Some((s, args)) = content.ty.as_ref().and_then(|t| multipart_struct(api, t)) {
                for f in s
                    .fields
                    .iter()
                    .filter(|f| is_binary(&f.ty.substitute(&args)))
                {
                    let wire = code_span(&f.wire_name);
                    let file_name = names.claim(&format!("{}_file_name", f.name)).0;
                    out.push(Field {
                        stored: quote!(Option<String>),
                        positional: None,
                        setter: Some((
                            setters.claim(&file_name).0,
                            quote!(impl Into<String>),
                            true,
                        )),
                        docs: vec![format!(
                            "The file name sent with the {wire} part (default: {}).",
                            code_span(&f.wire_name)
                        )],
                        name: file_name,
                        what: What::FileName(f.wire_name.clone()),
                    });
                    let content_type = names.claim(&format!("{}_content_type", f.name)).0;
                    out.push(Field {
                        stored: quote!(Option<String>),
                        positional: None,
                        setter: Some((setters.claim(&content_type).0, quote!(impl Into<String>), true)),
                        docs: vec![format!(
                            "The content type of the {wire} part (default: `application/octet-stream`)."
                        )],
                        name: content_type,
                        what: What::ContentType(f.wire_name.clone()),
                    });
                }
            }
        }
    }
    out
}

/// Docs of an optional parameter's setter: its description, then where it goes.
fn param_docs(p: &Param) -> Vec<String> {
    let wire = code_span(&p.wire_name);
    let default = p.default.as_ref().map(|d| code_span(&header_default(d)));
    let place = match (p.location, &default) {
        (ParamLocation::Header, Some(d)) => {
            format!("The {wire} header; {d} (its default) when not set.")
        }
        (ParamLocation::Header, None) => format!("The {wire} header."),
        (ParamLocation::Query, Some(d)) => {
            format!("The {wire} query parameter (the server's default: {d}).")
        }
        (ParamLocation::Query, None) => format!("The {wire} query parameter."),
        (ParamLocation::QueryString, _) => {
            "The whole query string, its properties as `name=value` pairs.".to_owned()
        }
        (ParamLocation::Cookie, _) => format!("The {wire} cookie."),
        (ParamLocation::Path, _) => format!("The {wire} path parameter."),
    };
    join_paragraphs(vec![doc_lines(&p.docs), vec![place]])
}

#[derive(Clone, Copy)]
pub(super) enum TemplatePart<'p> {
    Literal(&'p str),
    Param(&'p str),
}

/// A path template in pieces: `/device/{device_id}/trip` → `/device/`, `device_id`, `/trip`.
/// An unclosed `{` is literal text.
pub(super) fn template(path: &str) -> Vec<TemplatePart<'_>> {
    let mut pieces = Vec::new();
    let mut rest = path;
    while !rest.is_empty() {
        let Some((open, close)) = rest
            .find('{')
            .and_then(|o| Some((o, o + rest[o..].find('}')?)))
        else {
            pieces.push(TemplatePart::Literal(rest));
            break;
        };
        if open > 0 {
            pieces.push(TemplatePart::Literal(&rest[..open]));
        }
        pieces.push(TemplatePart::Param(&rest[open + 1..close]));
        rest = &rest[close + 1..];
    }
    pieces
}

/// The `{name}`s of a path template.
fn path_names(path: &str) -> Vec<&str> {
    template(path)
        .into_iter()
        .filter_map(|p| match p {
            TemplatePart::Param(name) => Some(name),
            TemplatePart::Literal(_) => None,
        })
        .collect()
}
