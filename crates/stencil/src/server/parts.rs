//! A `multipart/form-data` request body read part by part as it arrives ([`Parts`]): a file
//! part reaches the handler as a stream of chunks, never whole and never as JSON numbers, and
//! the body limit applies to the whole body. Parsed with `multer`, the parser behind axum's own
//! `Multipart` extractor.

use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll};

use axum::body::Body as AxumBody;
use bytes::Bytes;
use futures_util::Stream;
use http::{header, HeaderMap};

use super::stream::BodyError;

/// The parts of a multipart body, one at a time: each [`Part`] must be dropped (or read to its
/// end) before the next is asked for.
pub struct Parts {
    inner: multer::Multipart<'static>,
    limit: usize,
}

/// Read `body` (with the request's `headers`) as multipart parts, at most `limit` bytes in all.
/// A request that is not `multipart/form-data` with a boundary is [`BodyError::Malformed`].
pub fn multipart_parts(
    headers: &HeaderMap,
    body: AxumBody,
    limit: usize,
) -> Result<Parts, BodyError> {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let boundary = multer::parse_boundary(content_type)
        .map_err(|e| BodyError::Malformed(format!("not a multipart body: {e}")))?;
    let constraints =
        multer::Constraints::new().size_limit(multer::SizeLimit::new().whole_stream(limit as u64));
    Ok(Parts {
        inner: multer::Multipart::with_constraints(body.into_data_stream(), boundary, constraints),
        limit,
    })
}

impl Parts {
    /// The next part; `None` after the last.
    pub async fn next_part(&mut self) -> Result<Option<Part>, BodyError> {
        let limit = self.limit;
        match self.inner.next_field().await {
            Ok(field) => Ok(field.map(|field| Part { field, limit })),
            Err(e) => Err(body_error(e, limit)),
        }
    }
}

impl fmt::Debug for Parts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Parts")
            .field("limit", &self.limit)
            .finish_non_exhaustive()
    }
}

fn body_error(error: multer::Error, limit: usize) -> BodyError {
    match error {
        multer::Error::StreamSizeExceeded { .. } => BodyError::TooLarge { limit },
        multer::Error::StreamReadFailed(e) => BodyError::Read(e),
        other => BodyError::Malformed(other.to_string()),
    }
}

/// One part of a multipart body; a [`Stream`] of its chunks.
pub struct Part {
    field: multer::Field<'static>,
    limit: usize,
}

impl Part {
    /// The form field name (`Content-Disposition: form-data; name=...`).
    pub fn name(&self) -> Option<&str> {
        self.field.name()
    }

    /// The file name the client sent, if any.
    pub fn file_name(&self) -> Option<&str> {
        self.field.file_name()
    }

    /// The part's `Content-Type`, as sent.
    pub fn content_type(&self) -> Option<&str> {
        self.field.content_type().map(|m| m.as_ref())
    }

    /// The next chunk of the part's data; `None` at its end.
    pub async fn chunk(&mut self) -> Result<Option<Bytes>, BodyError> {
        let limit = self.limit;
        self.field.chunk().await.map_err(|e| body_error(e, limit))
    }

    /// The whole part (for small parts: it is held in memory).
    pub async fn bytes(self) -> Result<Bytes, BodyError> {
        let limit = self.limit;
        self.field.bytes().await.map_err(|e| body_error(e, limit))
    }
}

impl Stream for Part {
    type Item = Result<Bytes, BodyError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let limit = self.limit;
        Pin::new(&mut self.field)
            .poll_next(cx)
            .map(|item| item.map(|chunk| chunk.map_err(|e| body_error(e, limit))))
    }
}

impl fmt::Debug for Part {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Part")
            .field("name", &self.name())
            .field("file_name", &self.file_name())
            .field("content_type", &self.content_type())
            .finish_non_exhaustive()
    }
}
