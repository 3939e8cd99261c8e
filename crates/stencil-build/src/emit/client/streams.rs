//! Streamed responses of one operation: server-sent events (`text/event-stream`) and JSON Lines
//! (NDJSON, JSON text sequences), read as they arrive through `stencil::client::EventStream` and
//! `JsonLines`. The schema of such a media type describes one item: an event's `data` (as
//! OpenAPI 3.0/3.1 documents write it, OpenAI's among them) or one line.
//!
//! - When the first media type of every success status is one streamed kind with one item
//!   type, `send` opens the stream: `Opening<EventStream<T, E>, E>` (awaiting it gives the
//!   stream).
//! - Otherwise a success status that also offers a streamed media type (OpenAI: JSON, or events
//!   with `stream: true`) adds a method per streamed kind, `send_events` / `send_lines`, next to
//!   `send`, which keeps decoding the first media type.
//!
//! - A success of bytes (`application/octet-stream`, images, ...) keeps `send` (the whole body
//!   as `Bytes`) and adds `send_stream`: `Opening<ByteStream<E>, E>`, chunks as they arrive.
//!
//! Either way every success status streams and the declared error statuses decode as usual
//! (into `Error::Api`) before anything streams.

use proc_macro2::TokenStream;
use quote::quote;

use super::super::{normalize, type_ref};
use crate::ir::{Api, MediaKind, Operation, Primitive, TypeKind, TypeRef};

/// One request-builder method that opens a stream.
pub struct Stream {
    /// `send`, `send_events` or `send_lines`.
    pub method: &'static str,
    /// `S` in `Opening<S, E>`.
    pub ty: TokenStream,
    /// What ends the request chain in place of `.send(decode)`.
    pub finish: TokenStream,
    /// The media kind, for docs.
    pub kind: MediaKind,
}

/// The streams of an operation; `streamed`: `send` itself is `calls[0]`.
pub struct Streams {
    pub streamed: bool,
    pub calls: Vec<Stream>,
}

/// The streams of `op`, whose error type is `error` and whose error statuses `decode_errors`
/// (a closure) decodes.
pub fn plan(
    api: &Api,
    op: &Operation,
    error: &TokenStream,
    decode_errors: &TokenStream,
) -> Streams {
    let successes: Vec<_> = op
        .responses
        .iter()
        .filter(|r| r.status.is_success())
        .collect();
    let firsts: Vec<Option<(MediaKind, Option<TypeRef>)>> = successes
        .iter()
        .map(|r| {
            r.contents
                .first()
                .filter(|c| c.kind.is_stream())
                .map(|c| (c.kind, c.ty.as_ref().map(normalize)))
        })
        .collect();
    if let Some(Some((kind, ty))) = firsts.first() {
        if firsts.iter().all(|f| f == &firsts[0]) {
            let call = stream(api, "send", *kind, ty.as_ref(), error, decode_errors);
            return Streams {
                streamed: true,
                calls: vec![call],
            };
        }
    }
    let mut calls: Vec<Stream> = Vec::new();
    // Bytes: `send` keeps the whole body (`Bytes`), `send_stream` hands it on as it arrives.
    let bytes = |r: &&crate::ir::Response| {
        r.contents
            .first()
            .is_some_and(|c| c.kind == MediaKind::Binary)
    };
    if !successes.is_empty() && successes.iter().all(bytes) {
        calls.push(Stream {
            method: "send_stream",
            ty: quote!(::stencil::client::ByteStream<#error>),
            finish: quote!(.byte_stream(#decode_errors)),
            kind: MediaKind::Binary,
        });
    }
    for content in successes.iter().flat_map(|r| r.contents.iter().skip(1)) {
        if !content.kind.is_stream() || calls.iter().any(|c| c.kind == content.kind) {
            continue;
        }
        let method = if content.kind == MediaKind::EventStream {
            "send_events"
        } else {
            "send_lines"
        };
        let ty = content.ty.as_ref().map(normalize);
        calls.push(stream(
            api,
            method,
            content.kind,
            ty.as_ref(),
            error,
            decode_errors,
        ));
    }
    Streams {
        streamed: false,
        calls,
    }
}

fn stream(
    api: &Api,
    method: &'static str,
    kind: MediaKind,
    ty: Option<&TypeRef>,
    error: &TokenStream,
    decode: &TokenStream,
) -> Stream {
    let item = ty.map(|t| type_ref(api, t, false));
    let (ty, finish) = if kind == MediaKind::EventStream {
        // Event data without a schema, or a string schema, is kept as text.
        match item.filter(|_| !matches!(ty, Some(TypeRef::Primitive(Primitive::String)))) {
            // A payload keyed by event type decodes each event by its type.
            Some(item) if ty.is_some_and(|t| event_keyed(api, t)) => (
                quote!(::stencil::client::EventStream<#item, #error>),
                quote!(.events(::stencil::client::from_event, #decode)),
            ),
            Some(item) => (
                quote!(::stencil::client::EventStream<#item, #error>),
                quote!(.events(::stencil::client::json_event, #decode)),
            ),
            None => (
                quote!(::stencil::client::EventStream<String, #error>),
                quote!(.events(::stencil::client::text_event, #decode)),
            ),
        }
    } else {
        let item = item.unwrap_or(quote!(::stencil::serde_json::Value));
        (
            quote!(::stencil::client::JsonLines<#item, #error>),
            quote!(.json_lines(::stencil::client::json, #decode)),
        )
    };
    Stream {
        method,
        ty,
        finish,
        kind,
    }
}

/// Whether `ty` is a union keyed by event type (it implements `FromEvent`).
fn event_keyed(api: &Api, ty: &TypeRef) -> bool {
    matches!(ty, TypeRef::Named(id, _) if matches!(&api.ty(*id).kind, TypeKind::Union(u) if u.event_keyed))
}
