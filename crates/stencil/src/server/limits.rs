//! What a request body may cost before it is decoded: the time it takes to arrive, the depth
//! of a JSON document, the number of multipart parts.

use std::time::Duration;

use axum::body::{Body, Bytes};
use http_body_util::BodyExt as _;

/// The body, at most `limit` bytes of it, read within `timeout`; `None` when the time ran out.
/// Outside a Tokio runtime, there is no deadline.
pub(crate) async fn collect_within(
    body: Body,
    limit: usize,
    timeout: Option<Duration>,
) -> Option<Result<Bytes, axum::BoxError>> {
    let read = http_body_util::Limited::new(body, limit).collect();
    // The timer needs a Tokio runtime; without one (a test driving a route by hand with
    // another executor) the body is read without a deadline.
    let timeout = timeout.filter(|_| tokio::runtime::Handle::try_current().is_ok());
    let collected = match timeout {
        Some(timeout) => tokio::time::timeout(timeout, read).await.ok()?,
        None => read.await,
    };
    Some(collected.map(|c| c.to_bytes()))
}

/// Whether a JSON text nests arrays and objects deeper than `max` (brackets inside strings do
/// not count). A linear scan, done before decoding: `serde_json` stops at 128 levels by itself,
/// and the validator walks what it decoded.
pub(crate) fn json_too_deep(bytes: &[u8], max: usize) -> bool {
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    for &b in bytes {
        if in_string {
            match b {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                if depth > max {
                    return true;
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    false
}

/// How many parts a multipart body delimited by `boundary` has at most: the delimiter lines
/// it holds, less the closing one.
pub(crate) fn multipart_parts(bytes: &[u8], boundary: &str) -> usize {
    let delimiter = format!("--{boundary}");
    let finder = delimiter.as_bytes();
    if finder.len() <= 2 {
        return 0;
    }
    let mut count = 0usize;
    let mut from = 0;
    while let Some(i) = bytes[from..]
        .windows(finder.len())
        .position(|w| w == finder)
    {
        count += 1;
        from += i + finder.len();
    }
    count.saturating_sub(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn depth_counts_brackets_outside_strings() {
        assert!(!json_too_deep(br#"{"a":[1,{"b":2}]}"#, 3));
        assert!(json_too_deep(br#"{"a":[1,{"b":[]}]}"#, 3));
        assert!(!json_too_deep(br#"{"a":"[[[[[[\"[[["}"#, 1));
        let deep = "[".repeat(100_000);
        assert!(json_too_deep(deep.as_bytes(), 64));
    }

    #[test]
    fn parts_are_delimiters_less_the_closing_one() {
        let body = b"--xy\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--xy\r\nContent-Disposition: form-data; name=\"b\"\r\n\r\n2\r\n--xy--\r\n";
        assert_eq!(multipart_parts(body, "xy"), 2);
        assert_eq!(multipart_parts(b"", "xy"), 0);
    }
}
