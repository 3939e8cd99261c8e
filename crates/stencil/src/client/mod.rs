//! Runtime for generated clients (feature `client`).
//!
//! A generated `Client` wraps a [`Core`]: the base URL, a user-suppliable [`reqwest::Client`]
//! and the credential store. Each generated operation builds a [`Request`], which serialises
//! parameters and bodies to the wire exactly as the OpenAPI document describes them, and hands a
//! decoding function to [`Request::send`] that maps the status code to a typed body.
//!
//! What generated code finds here:
//!
//! - [`Core`], [`Scheme`] and the credential setters: authentication from `securitySchemes`;
//! - [`Request`] and [`Style`]: path, query, header and cookie parameters in every OpenAPI style,
//!   and JSON, form, multipart, text and binary bodies;
//! - [`Response`], the decoders [`json`], [`text`], [`bytes()`] and [`empty`]: decoding by status;
//! - [`ResponseValue`] and [`Error`]: what an operation returns;
//! - [`Request::events`], [`Request::json_lines`] and [`Request::byte_stream`]: streamed
//!   responses ([`EventStream`] of server-sent [`Event`]s, [`JsonLines`], [`ByteStream`]), read
//!   as they arrive under the limits of a [`StreamConfig`]; [`Request::body_stream`] sends a
//!   body from a stream;
//! - [`Multipart`] forms, and [`FileParts`] for their binary file fields.
//!
//! Nothing here panics on anything a server sends: every failure is an [`Error`].

mod encode;
mod frame;
mod limits;
mod multipart;
mod opening;
mod request;
mod response;
mod shared;
mod sse;
mod stream;

pub use crate::Event;
pub use encode::Style;
pub use limits::{StreamConfig, StreamError, DEFAULT_STREAM_LIMIT};
pub use multipart::{FileParts, Multipart};
pub use opening::{Opening, JSON_LINES};
pub use request::{BoxFuture, Decode, Request, Sending};
pub use response::{bytes, empty, json, text, Error, Response, ResponseValue};
pub use shared::{Core, KeyLocation, Scheme};
pub use sse::{
    from_event, json_event, text_event, EventDecoder, EventStream, FromEvent, Reconnect,
};
pub use stream::{ByteStream, JsonLines};

#[cfg(test)]
mod tests;
