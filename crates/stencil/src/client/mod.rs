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
mod exchange;
mod frame;
mod headers;
mod limits;
mod multipart;
mod opening;
mod options;
mod paginate;
mod request;
mod response;
mod retry;
mod shared;
mod sse;
mod stream;
mod transport;

pub use crate::{Event, FromEvent};
pub use encode::Style;
pub use headers::{header, FromHeaders, HeaderError};
pub use limits::{StreamConfig, StreamError, DEFAULT_STREAM_LIMIT};
pub use multipart::{FileParts, Multipart};
pub use opening::{Opening, JSON_LINES};
pub use options::{BoxError, BoxFuture, Hook, Operation, Options};
pub use paginate::{cursor_value, paginate, Cursor, Pages, Pagination, Paging};
pub use request::{Decode, Request, Sending};
pub use response::{bytes, empty, json, text, Error, Response, ResponseValue};
pub use retry::RetryPolicy;
pub use shared::{Core, KeyLocation, Scheme};
pub use sse::{from_event, json_event, text_event, EventDecoder, EventStream, Reconnect};
pub use stream::{Binary, ByteStream, JsonLines};
pub use transport::Transport;

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_hooks;
#[cfg(test)]
mod tests_opening;
#[cfg(test)]
mod tests_paginate;
#[cfg(test)]
mod tests_retry;
