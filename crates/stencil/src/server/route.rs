//! From an OpenAPI path template to axum routes.
//!
//! axum's router (matchit 0.8) takes a parameter only as a whole segment (`/pets/{id}`), while
//! documents also write `/pets/{id}.json`, `/calls(from={from},to={to})`, a query
//! (`/models/{id}?beta=true`) or a fragment (`/files/{id}#add_link`) in a path. And two
//! operations may share a route: `GET /x/{id}` next to `GET /x/f(a='{a}')`, or routes that differ
//! only in parameter names (`GET /a/{id}`, `DELETE /a/{x}`), which axum refuses to merge.
//!
//! - [`Shape`] reads a template: the axum route (a segment that is not exactly one parameter
//!   becomes `{__N}`, N its segment index; the query and fragment are dropped), each such
//!   segment's pattern (literal text and parameters, matched left to right), and the query
//!   pairs the path requires.
//! - [`assemble`] merges the operations' routers. Operations whose route is shared with another
//!   of different parameter names, whose path has patterned segments, or which require query
//!   pairs, are served by one dispatching route per shape, which picks the operation by method,
//!   segment patterns and query (most specific first) and forwards the request to its router;
//!   no operation matching → 404, no operation of that method → 405. So are the operations of
//!   methods axum's method router does not know (`QUERY`, `LINK`: OpenAPI 3.2), whose routers
//!   take every method.
//! - [`Input`](super::Input) reads the parameters of patterned segments with
//!   [`Shape::path_params`].

use std::collections::BTreeMap;
use std::convert::Infallible;

use axum::extract::Request;
use axum::response::{IntoResponse, Response};
use axum::Router;
use http::StatusCode;
use tower::ServiceExt;

use super::schema::Operation;

/// Find the operation a request was routed to from its method and the route's path template
/// (axum's `MatchedPath`), e.g. in a middleware added with `Router::layer`, which runs before
/// the route's own extensions are set.
pub fn find_operation(
    operations: &[&'static Operation],
    method: &http::Method,
    matched_path: &str,
) -> Option<&'static Operation> {
    operations.iter().copied().find(|op| {
        op.method == method.as_str()
            && (op.path == matched_path || Shape::parse(op.path).route == matched_path)
    })
}

/// Whether axum's method router can route `method` (`MethodFilter` has it); the others are
/// routed by [`route`] and [`assemble`] themselves.
pub(crate) fn axum_routes(method: &str) -> bool {
    matches!(
        method,
        "GET" | "PUT" | "POST" | "DELETE" | "OPTIONS" | "HEAD" | "PATCH" | "TRACE"
    )
}

/// One piece of a patterned segment.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Piece {
    Literal(String),
    Param(String),
}

/// A path template as axum routes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Shape {
    /// The route for axum.
    pub route: String,
    /// The route with every parameter written `{}`: operations with equal keys compete for one
    /// axum route.
    key: String,
    /// Patterned segments: segment index (in `route.split('/')`) and pieces.
    patterns: Vec<(usize, Vec<Piece>)>,
    /// Query pairs written in the template (`?beta=true`).
    query: Vec<(String, String)>,
}

impl Shape {
    /// Read a path template.
    pub fn parse(template: &str) -> Shape {
        let path_end = template.find(['?', '#']).unwrap_or(template.len());
        let (path, rest) = template.split_at(path_end);
        let query = rest
            .strip_prefix('?')
            .map(|q| q.split('#').next().unwrap_or(""))
            .map(|q| form_urlencoded::parse(q.as_bytes()).into_owned().collect())
            .unwrap_or_default();
        let mut route = Vec::new();
        let mut key = Vec::new();
        let mut patterns = Vec::new();
        for (index, segment) in path.split('/').enumerate() {
            let pieces = pieces(segment);
            match pieces.as_slice() {
                [] => {
                    route.push(String::new());
                    key.push(String::new());
                }
                // axum refuses literal segments that start with `:` or `*` (0.7 syntax); they
                // are matched as patterns instead.
                [Piece::Literal(text)] if !text.starts_with([':', '*']) => {
                    route.push(text.clone());
                    key.push(text.clone());
                }
                [Piece::Param(name)] if is_route_name(name) => {
                    route.push(format!("{{{name}}}"));
                    key.push("{}".to_owned());
                }
                _ => {
                    route.push(format!("{{__{index}}}"));
                    key.push("{}".to_owned());
                    patterns.push((index, pieces));
                }
            }
        }
        Shape {
            route: route.join("/"),
            key: key.join("/"),
            patterns,
            query,
        }
    }

    /// Whether axum can route the template as written (and [`assemble`] need not dispatch).
    fn is_plain(&self) -> bool {
        self.patterns.is_empty() && self.query.is_empty()
    }

    /// How specific the template is: literal text in patterned segments, then required query
    /// pairs. The most specific matching operation wins.
    fn specificity(&self) -> (usize, usize) {
        let literal = self
            .patterns
            .iter()
            .flat_map(|(_, pieces)| pieces)
            .map(|p| match p {
                Piece::Literal(text) => text.len(),
                Piece::Param(_) => 0,
            })
            .sum();
        (literal, self.query.len())
    }

    /// Whether a request path (as sent, percent-encoded) and query fit the template's patterned
    /// segments and required query pairs.
    fn matches(&self, path: &str, query: Option<&str>) -> bool {
        let segments: Vec<&str> = path.split('/').collect();
        let patterned = self.patterns.iter().all(|(index, pieces)| {
            segments
                .get(*index)
                .is_some_and(|raw| split(pieces, &percent_decode(raw)).is_some())
        });
        if !patterned {
            return false;
        }
        if self.query.is_empty() {
            return true;
        }
        let pairs: Vec<(String, String)> = query
            .map(|q| form_urlencoded::parse(q.as_bytes()).into_owned().collect())
            .unwrap_or_default();
        self.query.iter().all(|required| pairs.contains(required))
    }

    /// The parameters of the path: axum's captures by name (`raw`, percent-decoded), with each
    /// patterned segment's capture `__N` split into the parameters it holds. A capture that does
    /// not fit its pattern is left out (the parameter then counts as missing).
    pub fn path_params(&self, raw: Vec<(String, String)>) -> Vec<(String, String)> {
        if self.patterns.is_empty() {
            return raw;
        }
        // Captures of this route only: a request dispatched by `assemble` also carries those of
        // the shared route it came through, named as another operation names them.
        let own: Vec<&str> = self
            .route
            .split('/')
            .filter_map(|s| s.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
            .collect();
        let mut out = Vec::with_capacity(raw.len());
        for (name, value) in raw {
            if !own.contains(&name.as_str()) {
                continue;
            }
            let pattern = name
                .strip_prefix("__")
                .and_then(|i| i.parse::<usize>().ok())
                .and_then(|i| self.patterns.iter().find(|(index, _)| *index == i));
            match pattern {
                Some((_, pieces)) => out.extend(split(pieces, &value).unwrap_or_default()),
                None => out.push((name, value)),
            }
        }
        out
    }
}

/// Whether `name` can be an axum capture name as written.
fn is_route_name(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with("__")
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '.')
}

/// A segment as literal text and `{name}` parameters.
fn pieces(segment: &str) -> Vec<Piece> {
    let mut out = Vec::new();
    let mut rest = segment;
    while !rest.is_empty() {
        match (rest.find('{'), rest.find('}')) {
            (Some(open), Some(close)) if open < close => {
                if open > 0 {
                    out.push(Piece::Literal(rest[..open].to_owned()));
                }
                out.push(Piece::Param(rest[open + 1..close].to_owned()));
                rest = &rest[close + 1..];
            }
            _ => {
                out.push(Piece::Literal(rest.to_owned()));
                rest = "";
            }
        }
    }
    out
}

/// Split a segment's value along its pattern: each parameter takes the shortest text up to the
/// next literal (the rest of the segment for the last one); `None` when it does not fit.
fn split(pieces: &[Piece], value: &str) -> Option<Vec<(String, String)>> {
    let mut out = Vec::new();
    let mut rest = value;
    let mut i = 0;
    while i < pieces.len() {
        match &pieces[i] {
            Piece::Literal(text) => rest = rest.strip_prefix(text.as_str())?,
            Piece::Param(name) => {
                let taken = match pieces.get(i + 1) {
                    Some(Piece::Literal(next)) => &rest[..rest.find(next.as_str())?],
                    // Two parameters in a row (`{a}{b}`): the first takes one character.
                    Some(Piece::Param(_)) => &rest[..rest.chars().next()?.len_utf8()],
                    None => rest,
                };
                if taken.is_empty() {
                    return None;
                }
                out.push((name.clone(), taken.to_owned()));
                rest = &rest[taken.len()..];
            }
        }
        i += 1;
    }
    rest.is_empty().then_some(out)
}

/// Percent-decoding of a path segment (invalid escapes are kept as written).
fn percent_decode(raw: &str) -> String {
    let bytes = raw.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok();
            if let Some(b) = hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// One router for every operation (`routes`: each operation with its single-route router, as
/// [`route`](super::route) makes it). Plain routes are merged as they are; the others are
/// served through one dispatching route per shape (see the module documentation).
pub fn assemble(routes: impl IntoIterator<Item = (&'static Operation, Router)>) -> Router {
    // Shape key → the operations competing for it, in document order.
    let mut groups: BTreeMap<String, Vec<(&'static Operation, Shape, Router)>> = BTreeMap::new();
    let mut order = Vec::new();
    for (op, router) in routes {
        let shape = Shape::parse(op.path);
        let entry = groups.entry(shape.key.clone()).or_default();
        if entry.is_empty() {
            order.push(shape.key.clone());
        }
        entry.push((op, shape, router));
    }
    let mut out = Router::new();
    for key in order {
        let Some(group) = groups.remove(&key) else {
            continue;
        };
        let same_route = group.iter().all(|(_, s, _)| s.route == group[0].1.route);
        let distinct_methods = {
            let mut methods: Vec<&str> = group.iter().map(|(op, _, _)| op.method).collect();
            methods.sort_unstable();
            methods.windows(2).all(|w| w[0] != w[1])
        };
        // axum merges the method routers of one route only for the methods it knows.
        let known = group.iter().all(|(op, _, _)| axum_routes(op.method));
        if same_route && distinct_methods && known && group.iter().all(|(_, s, _)| s.is_plain()) {
            for (_, _, router) in group {
                out = out.merge(router);
            }
            continue;
        }
        let route = group[0].1.route.clone();
        let mut candidates: Vec<(&'static Operation, Shape, Router)> = group;
        // Most specific first; the sort is stable, so ties keep document order.
        candidates.sort_by_key(|(_, shape, _)| std::cmp::Reverse(shape.specificity()));
        let candidates = std::sync::Arc::new(candidates);
        let dispatch = move |request: Request| {
            let candidates = candidates.clone();
            async move { dispatch(&candidates, request).await }
        };
        out = out.route(&route, axum::routing::any(dispatch));
    }
    out
}

async fn dispatch(
    candidates: &[(&'static Operation, Shape, Router)],
    request: Request,
) -> Response {
    let mut method = request.method().as_str().to_owned();
    // As axum's method router does: a `HEAD` request is answered as `GET` without a body
    // (hyper leaves it out) when no operation is declared for `HEAD`.
    if method == "HEAD" && !candidates.iter().any(|(op, _, _)| op.method == "HEAD") {
        method = "GET".to_owned();
    }
    let path = request.uri().path().to_owned();
    let query = request.uri().query().map(str::to_owned);
    let mut method_allowed = false;
    for (op, shape, router) in candidates {
        if op.method != method {
            continue;
        }
        method_allowed = true;
        if shape.matches(&path, query.as_deref()) {
            // The operation's router sets its own matched path.
            let mut request = request;
            request
                .extensions_mut()
                .remove::<axum::extract::MatchedPath>();
            let result: Result<Response, Infallible> = router.clone().oneshot(request).await;
            return match result {
                Ok(response) => response,
                Err(never) => match never {},
            };
        }
    }
    if method_allowed {
        return StatusCode::NOT_FOUND.into_response();
    }
    // 405 names the methods the route has (RFC 9110 §15.5.6).
    let mut allow: Vec<&str> = Vec::new();
    for (op, _, _) in candidates {
        if !allow.contains(&op.method) {
            allow.push(op.method);
        }
    }
    let mut response = StatusCode::METHOD_NOT_ALLOWED.into_response();
    if let Ok(value) = http::HeaderValue::from_str(&allow.join(", ")) {
        response.headers_mut().insert(http::header::ALLOW, value);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_templates_route_as_written() {
        let shape = Shape::parse("/pets/{id}/photos");
        assert_eq!(shape.route, "/pets/{id}/photos");
        assert!(shape.is_plain());
        assert_eq!(
            shape.path_params(vec![("id".into(), "7".into())]),
            vec![("id".to_owned(), "7".to_owned())]
        );
    }

    #[test]
    fn patterned_segments_become_one_capture() {
        let shape = Shape::parse("/pets/{id}.json");
        assert_eq!(shape.route, "/pets/{__2}");
        assert!(shape.matches("/pets/7.json", None));
        assert!(!shape.matches("/pets/7.xml", None));
        assert!(!shape.matches("/pets/.json", None));
        assert_eq!(
            shape.path_params(vec![("__2".into(), "7.json".into())]),
            vec![("id".to_owned(), "7".to_owned())]
        );

        let shape = Shape::parse("/calls(from={from},to={to})/x");
        assert_eq!(shape.route, "/{__1}/x");
        assert_eq!(
            shape.path_params(vec![("__1".into(), "calls(from=a,to=b c)".into())]),
            vec![
                ("from".to_owned(), "a".to_owned()),
                ("to".to_owned(), "b c".to_owned())
            ]
        );
        assert!(shape.matches("/calls(from=a,to=b%20c)/x", None));
        assert!(!shape.matches("/calls(from=a)/x", None));
    }

    #[test]
    fn queries_and_fragments_leave_the_route() {
        let shape = Shape::parse("/models/{id}?beta=true");
        assert_eq!(shape.route, "/models/{id}");
        assert!(shape.matches("/models/m", Some("beta=true&x=1")));
        assert!(!shape.matches("/models/m", Some("x=1")));
        assert!(!shape.matches("/models/m", None));
        let shape = Shape::parse("/files/{id}#add_link");
        assert_eq!(shape.route, "/files/{id}");
        assert!(shape.is_plain());
    }

    #[test]
    fn segments_axum_takes_for_old_syntax_are_patterns() {
        let shape = Shape::parse("/a/:id/*");
        assert_eq!(shape.route, "/a/{__2}/{__3}");
        assert!(shape.matches("/a/:id/*", None));
        assert!(!shape.matches("/a/7/*", None));
        assert!(shape
            .path_params(vec![("__2".into(), ":id".into())])
            .is_empty());
    }

    #[test]
    fn the_most_specific_template_wins() {
        let plain = Shape::parse("/x/{id}");
        let function = Shape::parse("/x/f(a='{a}')");
        assert_eq!(plain.key, function.key);
        assert!(function.specificity() > plain.specificity());
        assert!(plain.matches("/x/f(a='1')", None));
        assert!(function.matches("/x/f(a='1')", None));
        assert!(!function.matches("/x/abc", None));
    }
}
