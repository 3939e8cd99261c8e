//! Which serde impls each type needs, by the way it travels: a type only a request carries is
//! serialized by the client and deserialized by the server (and the client deserializes it too,
//! so a request can be built from JSON); a type only a response carries is serialized by the
//! server and deserialized by the client. Every other type (in both, in hooks, in no operation)
//! derives both.
//!
//! serde's derives are most of a generated crate's compile time, and `Deserialize` is the larger
//! half: a client-only crate does not compile the `Deserialize` of its request bodies, nor the
//! `Serialize` of its responses.

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::{Api, Content, Operation, Presence, TypeId, TypeKind, TypeRef};

/// The generated parts, as the types see them.
#[derive(Clone, Copy, Debug)]
pub struct Sides {
    /// The client is generated.
    pub client: bool,
    /// The server is generated.
    pub server: bool,
    /// The client and server are behind the crate's `client` / `server` features.
    pub gated: bool,
}

const SENT: u8 = 1;
const RECEIVED: u8 = 2;
const BOTH: u8 = SENT | RECEIVED;

/// The serde derives of each type, decided over the whole API.
pub struct Directions {
    flags: Vec<u8>,
    sides: Sides,
}

/// When a type has one of its serde impls.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Need {
    /// In every build of the crate.
    Always,
    /// With the crate's `server` feature.
    Server,
    /// Never: no generated part uses it.
    Never,
}

impl Need {
    /// `#[cfg(feature = "server")]` for `Server`, else nothing.
    pub fn cfg(self) -> TokenStream {
        match self {
            Need::Server => quote!(#[cfg(feature = "server")]),
            Need::Always | Need::Never => TokenStream::new(),
        }
    }
}

impl Directions {
    pub fn new(api: &Api, sides: Sides) -> Directions {
        let mut flags = vec![0u8; api.types.len()];
        for op in &api.operations {
            operation(api, op, &mut flags, None);
        }
        for hook in &api.hooks {
            operation(api, &hook.operation, &mut flags, Some(BOTH));
        }
        // Types no operation carries get both, and so does everything they are made of.
        for def in &api.types {
            if flags[def.id.0 as usize] == 0 {
                mark(api, &TypeRef::Named(def.id, Vec::new()), BOTH, &mut flags);
            }
        }
        Directions { flags, sides }
    }

    /// When the type has `Serialize` and `Deserialize`.
    pub fn needs(&self, id: TypeId) -> (Need, Need) {
        let flag = self.flags.get(id.0 as usize).copied().unwrap_or(BOTH);
        // What each side does with the type: (serialize, deserialize). The client keeps
        // `Deserialize` on what it sends, so requests can be built from JSON (a file, `json!`).
        let client = (flag & SENT != 0, flag != 0);
        let server = (flag & RECEIVED != 0, flag & SENT != 0);
        let need = |always: bool, with_server: bool| match (always, with_server) {
            (true, _) => Need::Always,
            (false, true) => Need::Server,
            (false, false) => Need::Never,
        };
        let Sides {
            client: with_client,
            server: with_server,
            gated,
        } = self.sides;
        match (with_client, with_server) {
            (false, false) => (Need::Always, Need::Always),
            (true, false) => (need(client.0, false), need(client.1, false)),
            (false, true) => (need(server.0, false), need(server.1, false)),
            (true, true) if gated => (need(client.0, server.0), need(client.1, server.1)),
            (true, true) => (
                need(client.0 || server.0, false),
                need(client.1 || server.1, false),
            ),
        }
    }
}

/// Mark what `op` carries: its parameters and body as sent, its responses as received (`force`:
/// everything as that; a paginated operation's responses as both).
fn operation(api: &Api, op: &Operation, flags: &mut [u8], force: Option<u8>) {
    let sent = force.unwrap_or(SENT);
    // The client reads a page's items through its JSON form (`client::paginate`).
    let received = match op.pagination {
        Some(_) => BOTH,
        None => force.unwrap_or(RECEIVED),
    };
    for param in &op.params {
        mark(api, &param.ty, sent, flags);
    }
    for content in op.body.iter().flat_map(|b| &b.contents) {
        content_types(api, content, sent, flags);
    }
    for response in &op.responses {
        for content in &response.contents {
            content_types(api, content, received, flags);
        }
        for header in &response.headers {
            mark(api, &header.ty, received, flags);
        }
    }
}

fn content_types(api: &Api, content: &Content, flag: u8, flags: &mut [u8]) {
    for ty in content.ty.iter().chain(content.item.iter()) {
        mark(api, ty, flag, flags);
    }
}

/// Mark `ty` and everything it is made of with `flag`.
fn mark(api: &Api, ty: &TypeRef, flag: u8, flags: &mut [u8]) {
    let mut stack = vec![(ty, flag)];
    while let Some((ty, flag)) = stack.pop() {
        match ty {
            TypeRef::Named(id, args) => {
                stack.extend(args.iter().map(|a| (a, flag)));
                let Some(slot) = flags.get_mut(id.0 as usize) else {
                    continue;
                };
                if *slot & flag == flag {
                    continue;
                }
                *slot |= flag;
                let def = api.ty(*id);
                match &def.kind {
                    TypeKind::Struct(s) => {
                        for field in &s.fields {
                            // A schema default may be read from JSON (`default_from_json`) in
                            // either direction.
                            let field_flag = if field.presence() == Presence::Defaulted {
                                BOTH
                            } else {
                                flag
                            };
                            stack.push((&field.ty, field_flag));
                        }
                        stack.extend(s.additional.iter().map(|t| (t, flag)));
                    }
                    TypeKind::Union(u) => stack.extend(u.variants.iter().map(|v| (&v.ty, flag))),
                    TypeKind::Alias(t) | TypeKind::Newtype(t, _) => stack.push((t, flag)),
                    TypeKind::StringEnum(_) | TypeKind::IntEnum(_) | TypeKind::External(_) => {}
                }
            }
            TypeRef::Array(x) | TypeRef::Map(x) | TypeRef::Option(x) | TypeRef::Boxed(x) => {
                stack.push((x, flag))
            }
            TypeRef::Tuple(xs) => stack.extend(xs.iter().map(|x| (x, flag))),
            TypeRef::Generic(_) | TypeRef::Primitive(_) | TypeRef::Any => {}
        }
    }
}
