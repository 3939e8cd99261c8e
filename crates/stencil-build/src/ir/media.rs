//! Media types: which kind of body each is (JSON, form, multipart, text, bytes, or a stream of
//! events or JSON lines), and what a wildcard stands for.

use crate::ir::{MediaKind, Primitive, TypeRef};

/// The media types of JSON Lines and their kin (`stencil::client::JSON_LINES` reads them).
const JSON_LINES: [&str; 6] = [
    "application/jsonl",
    "application/x-ndjson",
    "application/ndjson",
    "application/x-jsonlines",
    "application/jsonlines",
    "application/json-seq",
];

pub fn media_kind(media_type: &str) -> MediaKind {
    let essence = media_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    if essence == "application/json" || essence.ends_with("+json") {
        MediaKind::Json
    } else if essence == "application/x-www-form-urlencoded" {
        MediaKind::Form
    } else if essence == "multipart/form-data" {
        MediaKind::Multipart
    } else if essence == "text/event-stream" {
        MediaKind::EventStream
    } else if JSON_LINES.contains(&essence.as_str()) || essence.ends_with("+json-seq") {
        MediaKind::JsonLines
    } else if essence.starts_with("text/") {
        MediaKind::Text
    } else {
        MediaKind::Binary
    }
}

/// The media type and kind a content entry is generated as. A wildcard (`*/*`,
/// `application/*`) with a schema that is not raw bytes is JSON: Spring (springdoc) documents
/// every JSON response as `*/*`, and a client or server must send some concrete type.
pub(crate) fn content_kind(media_type: &str, ty: Option<&TypeRef>) -> (String, MediaKind) {
    let essence = media_type.split(';').next().unwrap_or("").trim();
    let wildcard = essence == "*/*" || essence.eq_ignore_ascii_case("application/*");
    let bytes = matches!(
        ty,
        None | Some(TypeRef::Primitive(Primitive::Binary | Primitive::String))
    );
    if wildcard && !bytes {
        return ("application/json".to_owned(), MediaKind::Json);
    }
    (media_type.to_owned(), media_kind(media_type))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streamed_media_types() {
        assert_eq!(media_kind("text/event-stream"), MediaKind::EventStream);
        assert_eq!(
            media_kind("Text/Event-Stream; charset=utf-8"),
            MediaKind::EventStream
        );
        assert_eq!(media_kind("application/x-ndjson"), MediaKind::JsonLines);
        assert_eq!(media_kind("application/jsonl"), MediaKind::JsonLines);
        assert_eq!(media_kind("application/geo+json-seq"), MediaKind::JsonLines);
        assert_eq!(media_kind("text/plain"), MediaKind::Text);
        assert_eq!(media_kind("application/problem+json"), MediaKind::Json);
        assert_eq!(media_kind("application/octet-stream"), MediaKind::Binary);
    }
}
