//! The plain-data plan of an operation's client code, made before any of it is emitted: its
//! calls (one `Client` method and request builder per media type of the body) and its
//! response types. `call.rs`, `request.rs` and `fields.rs` read it.

use super::responses;
use crate::ir::{Api, Content, MediaKind, Operation, UrlPiece};
use crate::naming::{self, Scope};

/// Where a client's requests go.
#[derive(Clone, Copy, Debug)]
pub enum Target<'a> {
    /// The client's base URL, then the operation's path.
    Base,
    /// A whole URL the caller gives (a webhook's subscriber).
    Url,
    /// A callback's URL, evaluated from the request that subscribed (its `Origin`).
    Callback(&'a [UrlPiece]),
}

/// An operation and the calls made for it.
pub struct Plan<'a> {
    pub op: &'a Operation,
    pub target: Target<'a>,
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

/// The calls and response types of `op`, their names claimed in `methods` and `types`.
pub fn plan<'a>(
    api: &Api,
    op: &'a Operation,
    target: Target<'a>,
    methods: &mut Scope,
    types: &mut Scope,
) -> Plan<'a> {
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
        target,
        calls,
        responses,
    }
}

/// The Rust method-name suffix for a media kind (`create_animal_form`).
fn kind_suffix(kind: MediaKind) -> &'static str {
    match kind {
        MediaKind::Json => "json",
        MediaKind::Form => "form",
        MediaKind::Multipart => "multipart",
        MediaKind::Text => "text",
        MediaKind::Binary => "bytes",
        MediaKind::EventStream => "events",
        MediaKind::JsonLines => "lines",
    }
}
