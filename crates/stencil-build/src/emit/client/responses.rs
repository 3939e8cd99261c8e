//! Responses of one operation: its success type, its error enum and the `match` that decodes a
//! response by status.
//!
//! - Success (`S`): the body type when every declared success status (2xx, `2XX`) has the same
//!   one (`()` for none), else `{Op}Success` with a variant per status. An operation that
//!   declares no success status but a `default` decodes 2xx with the `default` body.
//! - Error (`E`): `{Op}Error` with a variant per declared error status (named after the status:
//!   `BadRequest`), range (`ClientError` for `4XX`, ...) and `Default`; unit variants for
//!   responses without content. `::std::convert::Infallible` when there are none.
//! - Decoding: declared codes first, then ranges, then `default` (which takes every other
//!   status); without `default` an undeclared status is `Error::UnexpectedStatus`.
//!
//! A response's body is decoded as its first media type: JSON with the schema's type
//! (`serde_json::Value` without a schema), `text/*` and forms as `String`, anything else as
//! `Bytes`.

use proc_macro2::{Ident, Literal, TokenStream};
use quote::quote;

use super::super::{doc_attrs, doc_lines, ident, markdown_lines, normalize, type_ref};
use super::streams;
use crate::ir::{Api, Content, MediaKind, Operation, Primitive, Response, Status, TypeRef};
use crate::naming::Scope;

/// How a body is decoded and into what.
#[derive(Clone, Debug, PartialEq)]
pub enum Body {
    /// No content: `()`, nothing decoded.
    Empty,
    Json(TypeRef),
    Text,
    Bytes,
}

impl Body {
    pub fn of(content: Option<&Content>) -> Body {
        let Some(content) = content else {
            return Body::Empty;
        };
        match content.kind {
            MediaKind::Json => {
                Body::Json(content.ty.as_ref().map(normalize).unwrap_or(TypeRef::Any))
            }
            // Read whole (an error status, a `send` beside `send_events`): event streams as
            // text, JSON Lines as bytes; `streams.rs` reads them as streams.
            MediaKind::Text | MediaKind::Form | MediaKind::EventStream => Body::Text,
            MediaKind::Binary | MediaKind::Multipart | MediaKind::JsonLines => Body::Bytes,
        }
    }

    fn of_response(response: &Response) -> Body {
        Body::of(response.contents.first())
    }

    pub fn ty(&self, api: &Api) -> TokenStream {
        match self {
            Body::Empty => quote!(()),
            Body::Json(ty) => type_ref(api, ty, false),
            Body::Text => quote!(String),
            Body::Bytes => quote!(::stencil::bytes::Bytes),
        }
    }

    fn decoder(&self) -> TokenStream {
        match self {
            Body::Empty => quote!(::stencil::client::empty),
            Body::Json(_) => quote!(::stencil::client::json),
            Body::Text => quote!(::stencil::client::text),
            Body::Bytes => quote!(::stencil::client::bytes),
        }
    }
}

/// The response side of an operation.
pub struct Plan {
    /// `S` in `ResponseValue<S>`.
    pub success: TokenStream,
    /// `E` in `Error<E>`.
    pub error: TokenStream,
    /// `{Op}Success` / `{Op}Error` definitions.
    pub items: TokenStream,
    /// `|response| ...`: the decoding closure passed to `Request::send`.
    pub decode: TokenStream,
    /// `Accept`, when a response offers several media types.
    pub accept: Option<String>,
    /// The methods that open the response as a stream.
    pub streams: streams::Streams,
}

/// The match pattern of a status. A range leaves out the codes declared on their own (which
/// have their own arms), so that no arms overlap (`clippy::match_overlapping_arm`):
/// `2XX` next to `200` and `204` is `201..=203 | 205..=299`.
fn pattern(status: Status, codes: &[u16]) -> TokenStream {
    match status {
        Status::Code(code) => {
            let code = Literal::u16_unsuffixed(code);
            quote!(#code)
        }
        Status::Range(r) => {
            let (first, last) = (r * 100, r * 100 + 99);
            let mut pieces = Vec::new();
            let mut low = first;
            let mut excluded: Vec<u16> = codes
                .iter()
                .copied()
                .filter(|c| (first..=last).contains(c))
                .collect();
            excluded.sort_unstable();
            excluded.dedup();
            for code in excluded.into_iter().chain([last + 1]) {
                if code > low {
                    let high = code - 1;
                    let (l, h) = (Literal::u16_unsuffixed(low), Literal::u16_unsuffixed(high));
                    pieces.push(if low == high {
                        quote!(#l)
                    } else {
                        quote!(#l..=#h)
                    });
                }
                low = code + 1;
            }
            quote!(#(#pieces)|*)
        }
        Status::Default => quote!(_),
    }
}

/// `Status 404: Not Found` as doc lines.
fn variant_docs(response: &Response) -> TokenStream {
    let status = match response.status {
        Status::Code(code) => format!("Status {code}"),
        Status::Range(r) => format!("Status {r}XX"),
        Status::Default => "Any other status (`default`)".to_owned(),
    };
    let description = response.description.trim();
    let mut lines = Vec::new();
    if description.is_empty() {
        lines.push(format!("{status}."));
    } else if !description.contains('\n') {
        lines.extend(markdown_lines(&format!("{status}: {description}")));
    } else {
        lines.push(format!("{status}:"));
        lines.push(String::new());
        lines.extend(markdown_lines(description));
    }
    doc_attrs(&lines)
}

/// `#[allow(clippy::enum_variant_names)]` when all (3 or more) variant names start or end with
/// the same word, or `large_enum_variant` could fire (variants carry structs of unknown size).
fn allows(names: &[String], payloads: usize) -> TokenStream {
    let mut lints = Vec::new();
    let words = |name: &str| -> Vec<String> {
        let mut words: Vec<String> = Vec::new();
        for c in name.chars() {
            if c.is_ascii_uppercase() || words.is_empty() {
                words.push(String::new());
            }
            if let Some(last) = words.last_mut() {
                last.push(c);
            }
        }
        words
    };
    if names.len() >= 3 {
        let split: Vec<Vec<String>> = names.iter().map(|n| words(n)).collect();
        let same = |pick: fn(&Vec<String>) -> Option<&String>| {
            let first = pick(&split[0]);
            first.is_some() && split.iter().all(|w| pick(w) == first)
        };
        if same(|w| w.first()) || same(|w| w.last()) {
            lints.push(quote!(clippy::enum_variant_names));
        }
    }
    if names.len() > 1 && payloads > 0 {
        lints.push(quote!(clippy::large_enum_variant));
    }
    if lints.is_empty() {
        TokenStream::new()
    } else {
        quote!(#[allow(#(#lints),*)])
    }
}

/// The response side of `op`: its success and error types (enums named in `types` when
/// needed) and the closure decoding a response by status.
pub fn plan(api: &Api, op: &Operation, types: &mut Scope) -> Plan {
    let mut items = TokenStream::new();
    let mut arms: Vec<(Status, TokenStream)> = Vec::new();
    let (successes, errors): (Vec<&Response>, Vec<&Response>) =
        op.responses.iter().partition(|r| r.status.is_success());
    let success = success_type(api, op, &successes, types, &mut items, &mut arms);
    let mut error_arms = Vec::new();
    let error = error_type(api, op, &errors, types, &mut items, &mut error_arms);
    let streams = streams::plan(api, op, &error, &decode_closure(error_arms.clone()));
    arms.extend(error_arms);
    items.extend(header_structs(api, op, types));
    Plan {
        success,
        error,
        items,
        decode: decode_closure(arms),
        accept: accept(op),
        streams,
    }
}

/// `S`: the body type shared by every success status, else `{Op}Success` (added to `items`);
/// the success arms go to `arms`.
fn success_type(
    api: &Api,
    op: &Operation,
    successes: &[&Response],
    types: &mut Scope,
    items: &mut TokenStream,
    arms: &mut Vec<(Status, TokenStream)>,
) -> TokenStream {
    if successes.is_empty() {
        let default = op.responses.iter().find(|r| r.status == Status::Default);
        return match default {
            // Only `default` describes the success body.
            Some(response) => {
                let body = Body::of_response(response);
                let decoder = body.decoder();
                arms.push((Status::Range(2), quote!(response.ok(#decoder))));
                body.ty(api)
            }
            None => quote!(()),
        };
    }
    let bodies: Vec<Body> = successes.iter().map(|r| Body::of_response(r)).collect();
    if bodies.iter().all(|b| *b == bodies[0]) {
        let decoder = bodies[0].decoder();
        for response in successes {
            arms.push((response.status, quote!(response.ok(#decoder))));
        }
        return bodies[0].ty(api);
    }
    let name = ident(&types.claim(&format!("{}Success", op.type_name)).0);
    let method = &op.name;
    let docs = [format!(
        "The successful responses of [`Client::{method}`], which differ by status."
    )];
    items.extend(response_enum(api, &name, successes, "ok_with", &docs, arms));
    quote!(#name)
}

/// `{Op}{Status}Headers` for each response that declares headers: an `Option` field per
/// header, parsed per its schema by `ResponseValue::typed_headers` (absent: `None`; present but
/// unparsable: a `HeaderError` naming it).
fn header_structs(api: &Api, op: &Operation, types: &mut Scope) -> TokenStream {
    let mut out = TokenStream::new();
    for response in op.responses.iter().filter(|r| !r.headers.is_empty()) {
        let variant = response.status.variant_name();
        let name = ident(&types.claim(&format!("{}{variant}Headers", op.type_name)).0);
        let fields = response.headers.iter().map(|h| {
            let field = ident(&h.name);
            let ty = type_ref(api, &h.ty, false);
            let mut lines = doc_lines(&h.docs);
            lines.push(format!("The `{}` header.", h.wire_name.replace('`', "'")));
            let docs = doc_attrs(&lines);
            quote!(#docs pub #field: Option<#ty>,)
        });
        let reads = response.headers.iter().map(|h| {
            let field = ident(&h.name);
            let wire = h.wire_name.to_ascii_lowercase();
            quote!(#field: ::stencil::client::header(headers, #wire)?,)
        });
        let method = &op.name;
        let doc = doc_attrs(&[format!(
            "The headers the `{variant}` response of [`Client::{method}`] declares: `response.typed_headers::<{name}>()`."
        )]);
        out.extend(quote! {
            #doc
            #[derive(Debug, Clone, PartialEq, Default)]
            pub struct #name {
                #(#fields)*
            }

            impl ::stencil::client::FromHeaders for #name {
                fn from_headers(
                    headers: &::stencil::reqwest::header::HeaderMap,
                ) -> Result<Self, ::stencil::client::HeaderError> {
                    Ok(Self { #(#reads)* })
                }
            }
        });
    }
    out
}

/// `E`: `{Op}Error` (added to `items`) with a variant per error status, or `Infallible`; the
/// error arms go to `arms`.
fn error_type(
    api: &Api,
    op: &Operation,
    errors: &[&Response],
    types: &mut Scope,
    items: &mut TokenStream,
    arms: &mut Vec<(Status, TokenStream)>,
) -> TokenStream {
    if errors.is_empty() {
        return quote!(::std::convert::Infallible);
    }
    let name = ident(&types.claim(&format!("{}Error", op.type_name)).0);
    let method = &op.name;
    let docs = [
        format!("The error responses of [`Client::{method}`]: one variant per status the document declares."),
        String::new(),
        "Returned in [`Error::Api`], whose [`ResponseValue`] also has the status and headers.".to_owned(),
    ];
    items.extend(response_enum(api, &name, errors, "err", &docs, arms));
    quote!(#name)
}

/// An enum with a variant per response (its body, if any, as payload), and the arm decoding
/// each (`response.<decode>(decoder, Variant)`).
fn response_enum(
    api: &Api,
    name: &Ident,
    responses: &[&Response],
    decode: &str,
    docs: &[String],
    arms: &mut Vec<(Status, TokenStream)>,
) -> TokenStream {
    let decode = ident(decode);
    let mut variants = Vec::new();
    let mut names = Vec::new();
    let mut payloads = 0;
    for response in responses {
        let body = Body::of_response(response);
        let variant_str = response.status.variant_name();
        let variant = ident(&variant_str);
        names.push(variant_str);
        let docs = variant_docs(response);
        let decoder = body.decoder();
        if body == Body::Empty {
            variants.push(quote!(#docs #variant));
            arms.push((
                response.status,
                quote!(response.#decode(#decoder, |()| #name::#variant)),
            ));
        } else {
            if matches!(body, Body::Json(_)) {
                payloads += 1;
            }
            let ty = body.ty(api);
            variants.push(quote!(#docs #variant(#ty)));
            arms.push((
                response.status,
                quote!(response.#decode(#decoder, #name::#variant)),
            ));
        }
    }
    let allow = allows(&names, payloads);
    let docs = doc_attrs(docs);
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq)]
        #allow
        pub enum #name {
            #(#variants,)*
        }
    }
}

/// `|response| match response.status() { .. }`: codes first, then ranges, then `default`
/// (`_`), and `_ => unexpected` when there is no `default`.
fn decode_closure(mut arms: Vec<(Status, TokenStream)>) -> TokenStream {
    arms.sort_by_key(|(status, _)| match status {
        Status::Code(_) => 0,
        Status::Range(_) => 1,
        Status::Default => 2,
    });
    let has_default = arms.iter().any(|(s, _)| *s == Status::Default);
    let codes: Vec<u16> = arms
        .iter()
        .filter_map(|(s, _)| match s {
            Status::Code(c) => Some(*c),
            _ => None,
        })
        .collect();
    let mut match_arms: Vec<TokenStream> = arms
        .iter()
        // A range whose every code is declared on its own has nothing left to match.
        .filter(|(status, _)| !matches!(status, Status::Range(r) if (r * 100..=r * 100 + 99).all(|c| codes.contains(&c))))
        .map(|(status, expr)| {
            let pattern = pattern(*status, &codes);
            quote!(#pattern => #expr)
        })
        .collect();
    if !has_default {
        match_arms.push(quote!(_ => response.unexpected()));
    }
    if arms.is_empty() {
        // Nothing declared: a `match` with only `_` would trip `clippy::match_single_binding`.
        quote!(|response| response.unexpected())
    } else {
        quote! {
            |response| match response.status() {
                #(#match_arms,)*
            }
        }
    }
}

/// `Accept` listing the media types the client decodes, when some response offers several
/// (so that a server doing content negotiation answers with the one the client reads).
fn accept(op: &Operation) -> Option<String> {
    if op.responses.iter().all(|r| r.contents.len() <= 1) {
        return None;
    }
    let mut types: Vec<&str> = Vec::new();
    for response in &op.responses {
        let Some(first) = response.contents.first() else {
            continue;
        };
        let decoded = Body::of(Some(first));
        for content in &response.contents {
            if Body::of(Some(content)) == decoded && !types.contains(&content.media_type.as_str()) {
                types.push(&content.media_type);
            }
        }
    }
    Some(types.join(", "))
}

/// The wire text of a header default (`simple` style): strings as written, arrays `,`-joined.
pub fn header_default(value: &serde_json::Value) -> String {
    use serde_json::Value;
    let scalar = |v: &Value| match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    match value {
        Value::Array(items) => items.iter().map(scalar).collect::<Vec<_>>().join(","),
        Value::Object(map) => map
            .iter()
            .flat_map(|(k, v)| [k.clone(), scalar(v)])
            .collect::<Vec<_>>()
            .join(","),
        other => scalar(other),
    }
}

/// Whether a type is bytes sent as a file part (`format: binary`), possibly optional or
/// repeated.
pub fn is_binary(ty: &TypeRef) -> bool {
    match ty {
        TypeRef::Primitive(Primitive::Binary) => true,
        TypeRef::Option(inner) | TypeRef::Boxed(inner) | TypeRef::Array(inner) => is_binary(inner),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_leave_out_declared_codes() {
        let p = |status, codes: &[u16]| pattern(status, codes).to_string();
        assert_eq!(p(Status::Range(2), &[]), "200 ..= 299");
        assert_eq!(
            p(Status::Range(2), &[200, 204, 404]),
            "201 ..= 203 | 205 ..= 299"
        );
        assert_eq!(p(Status::Range(4), &[400, 401, 499]), "402 ..= 498");
        assert_eq!(p(Status::Range(3), &[301, 303]), "300 | 302 | 304 ..= 399");
        assert_eq!(p(Status::Code(418), &[418]), "418");
    }
}
