//! [`paginate`]: the items of every page of a paged operation, as one `Stream`.
//!
//! The page body is looked at as JSON (through its `Serialize` impl), so one implementation
//! serves every response type: the items and the next cursor are found by JSON pointer. The
//! request of the next page is the previous request with its cursor parameter set (a setter the
//! caller passes), so every other parameter carries over.

use std::collections::{HashSet, VecDeque};
use std::future::Future;
use std::pin::Pin;

use futures_util::stream::{self, Stream};
use reqwest::header::{HeaderMap, LINK};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

use super::response::{Error, ResponseValue};

/// How a response says where the next page is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Paging {
    /// A cursor in the body (JSON pointer, `/next_cursor`, `/meta/next`) goes into the cursor
    /// parameter; absent, `null` or `""` ends.
    Cursor {
        /// JSON pointer to the next cursor in the body.
        next: &'static str,
    },
    /// Stripe: while the body's `has_more` (pointer) is `true`, the cursor parameter
    /// (`starting_after`) takes the `id` (pointer into the item) of the page's last item.
    HasMore {
        /// JSON pointer to the `has_more` flag in the body.
        has_more: &'static str,
        /// JSON pointer to the id in an item.
        id: &'static str,
    },
    /// page / per_page: the page parameter counts up from its value (or `first`) by one; an
    /// empty page ends.
    PageNumber {
        /// The number of the first page (when the request does not set one).
        first: i64,
    },
    /// offset / limit: the offset parameter grows by the number of items received (from its
    /// value, or 0); an empty page ends.
    Offset,
    /// `Link: <...>; rel="next"` (GitHub): the cursor parameter takes its value in the next
    /// link's query; no such link ends.
    LinkHeader {
        /// The query parameter of the next link that is the cursor.
        param: &'static str,
    },
}

/// A paged operation: where its items are and how it pages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Pagination {
    /// JSON pointer to the array of items in the body (`/data`); `""` when the body is the array.
    pub items: &'static str,
    /// How it pages.
    pub paging: Paging,
}

/// The items of every page, as [`paginate`] yields them: a `futures` `Stream` (read it with
/// `futures::StreamExt::next`, `try_collect`, ...).
pub type Pages<'a, T, E> = Pin<Box<dyn Stream<Item = Result<T, Error<E>>> + Send + 'a>>;

/// The cursor parameter of a request: reads its current value, and sets a new one.
pub struct Cursor<R> {
    /// The parameter's value on `request`, as JSON (`None` when unset).
    pub get: fn(&R) -> Option<Value>,
    /// `request` with the parameter set to `value`; an error when `value` does not fit its type.
    pub set: fn(R, Value) -> Result<R, String>,
}

/// A request parameter as JSON, for [`Cursor::get`]: `None` when it does not serialise.
pub fn cursor_value<T: Serialize>(value: &T) -> Option<Value> {
    serde_json::to_value(value).ok()
}

// Two fn pointers: copied into each step (`derive` would ask `R: Copy`).
impl<R> Clone for Cursor<R> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<R> Copy for Cursor<R> {}

struct State<R, T, F> {
    next: Option<R>,
    items: VecDeque<T>,
    seen: HashSet<String>,
    send: F,
}

/// Every item of every page, first request `first`; stops after the last page, on a cursor
/// already seen (a server that repeats itself would otherwise be asked forever), and after the
/// first error (which it yields).
///
/// `send` sends a request of the operation (its `send`); `T` is the item type.
pub fn paginate<'a, R, S, T, E, F, Fut>(
    first: R,
    pagination: Pagination,
    send: F,
    cursor: Cursor<R>,
) -> Pages<'a, T, E>
where
    R: Clone + Send + 'a,
    S: Serialize,
    T: DeserializeOwned + Send + 'a,
    E: Send + 'a,
    F: Fn(R) -> Fut + Send + 'a,
    Fut: Future<Output = Result<ResponseValue<S>, Error<E>>> + Send + 'a,
{
    let state = State {
        next: Some(first),
        items: VecDeque::new(),
        seen: HashSet::new(),
        send,
    };
    Box::pin(stream::unfold(state, move |mut state| async move {
        loop {
            if let Some(item) = state.items.pop_front() {
                return Some((Ok(item), state));
            }
            let request = state.next.take()?;
            let page = match (state.send)(request.clone()).await {
                Ok(page) => as_json(page),
                Err(e) => return Some((Err(e), state)),
            };
            match turn_page(&request, &page, pagination, &cursor, &mut state.seen) {
                Ok((items, next)) => {
                    state.items = items.into();
                    state.next = next;
                }
                Err(e) => return Some((Err(e), state)),
            }
        }
    }))
}

/// The items of a page and the request of the next one.
fn turn_page<R: Clone, T: DeserializeOwned, E>(
    request: &R,
    page: &ResponseValue<Value>,
    pagination: Pagination,
    cursor: &Cursor<R>,
    seen: &mut HashSet<String>,
) -> Result<(Vec<T>, Option<R>), Error<E>> {
    let decode_error = |message: String| Error::Decode {
        status: page.status(),
        headers: Box::new(page.headers().clone()),
        body: bytes::Bytes::from(page.to_string()),
        message,
    };
    let raw: &[Value] = match page.pointer(pagination.items) {
        Some(Value::Array(items)) => items,
        Some(Value::Null) | None => &[],
        Some(_) => {
            return Err(decode_error(format!(
                "the items at `{}` are not an array",
                pagination.items
            )))
        }
    };
    let items = raw
        .iter()
        .map(|item| T::deserialize(item).map_err(|e| decode_error(e.to_string())))
        .collect::<Result<Vec<T>, _>>()?;
    let Some(value) = next_cursor(request, page, raw, pagination.paging, cursor) else {
        return Ok((items, None));
    };
    if !seen.insert(value.to_string()) {
        tracing::warn!(cursor = %value, "pagination stopped: the server repeated a cursor");
        return Ok((items, None));
    }
    let next = (cursor.set)(request.clone(), value).map_err(Error::InvalidRequest)?;
    Ok((items, Some(next)))
}

/// The next cursor, or `None` after the last page.
fn next_cursor<R>(
    request: &R,
    page: &ResponseValue<Value>,
    items: &[Value],
    paging: Paging,
    cursor: &Cursor<R>,
) -> Option<Value> {
    let number = |v: Option<Value>| v.and_then(|v| v.as_i64());
    match paging {
        Paging::Cursor { next } => match page.pointer(next)? {
            Value::Null => None,
            Value::String(s) if s.is_empty() => None,
            other => Some(other.clone()),
        },
        Paging::HasMore { has_more, id } => {
            if page.pointer(has_more)? != &Value::Bool(true) {
                return None;
            }
            items.last()?.pointer(id).cloned()
        }
        Paging::PageNumber { first } => {
            if items.is_empty() {
                return None;
            }
            let current = number((cursor.get)(request)).unwrap_or(first);
            Some(Value::from(current.checked_add(1)?))
        }
        Paging::Offset => {
            if items.is_empty() {
                return None;
            }
            let current = number((cursor.get)(request)).unwrap_or(0);
            Some(Value::from(current.checked_add(items.len() as i64)?))
        }
        Paging::LinkHeader { param } => link_param(page.headers(), param),
    }
}

/// The value of `param` in the query of the `rel="next"` link (RFC 8288), a number when it
/// reads as one.
fn link_param(headers: &HeaderMap, param: &str) -> Option<Value> {
    for header in headers.get_all(LINK) {
        let text = header.to_str().ok()?;
        for link in text.split(',') {
            let (target, params) = link.trim().split_once(';').unwrap_or((link.trim(), ""));
            let is_next = params.split(';').any(|p| {
                let p = p.trim().to_ascii_lowercase();
                p == "rel=\"next\"" || p == "rel=next" || p.starts_with("rel=\"next ")
            });
            if !is_next {
                continue;
            }
            let target = target.trim().strip_prefix('<')?.strip_suffix('>')?;
            let query = target.split_once('?')?.1;
            let query = query.split('#').next().unwrap_or_default();
            let value = form_urlencoded::parse(query.as_bytes())
                .find(|(k, _)| k == param)
                .map(|(_, v)| v.into_owned())?;
            return Some(match value.parse::<i64>() {
                Ok(n) => Value::from(n),
                Err(_) => Value::String(value),
            });
        }
    }
    None
}

/// The operation's success body as JSON: how pages are read.
fn as_json<S: Serialize>(value: ResponseValue<S>) -> ResponseValue<Value> {
    value.map(|body| serde_json::to_value(body).unwrap_or(Value::Null))
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    #[test]
    fn link_headers() {
        let mut h = HeaderMap::new();
        assert_eq!(link_param(&h, "page"), None);
        h.insert(
            LINK,
            HeaderValue::from_static(
                r#"<https://api.github.com/repos/x/y/issues?page=1>; rel="prev", <https://api.github.com/repos/x/y/issues?per_page=2&page=3>; rel="next""#,
            ),
        );
        assert_eq!(link_param(&h, "page"), Some(Value::from(3)));
        assert_eq!(link_param(&h, "cursor"), None);
        h.insert(
            LINK,
            HeaderValue::from_static(r#"<https://x/items?after=a%20b>; rel="next""#),
        );
        assert_eq!(link_param(&h, "after"), Some(Value::from("a b")));
        h.insert(
            LINK,
            HeaderValue::from_static(r#"<https://x/items?page=9>; rel="last""#),
        );
        assert_eq!(link_param(&h, "page"), None, "only rel=next");
        h.insert(LINK, HeaderValue::from_static("garbage, <;;>, ;"));
        assert_eq!(link_param(&h, "page"), None);
    }
}
