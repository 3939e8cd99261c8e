//! Generating part of an API: the operations whose paths match the user's patterns, and only
//! the types those operations use.
//!
//! A pattern is a path glob with an optional method list, as Kiota writes them:
//! `/users/**`, `/users/{user-id}/messages#GET`, `/me/*#GET,PATCH`. Segments are compared one
//! by one: `*` in a segment matches any run of characters except `/`, a segment that is `**`
//! matches any number of segments (none included), anything else matches itself (a path
//! parameter is written as the document writes it, `{user-id}`, or matched by `*`).
//!
//! Selection runs on the finished IR, so type names are those of the whole document: choosing
//! other operations later never renames a type a program already uses.

use std::collections::BTreeSet;

use crate::diag::Diagnostic;
use crate::ir::walk::{kind_refs_mut, operation_refs_mut};
use crate::ir::{Api, HookKind, Method, Operation, TypeId, TypeRef};

/// A parsed `--include-path` / `--exclude-path` pattern.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PathPattern {
    /// The pattern as written (for messages).
    pub text: String,
    segments: Vec<String>,
    /// `None`: every method.
    methods: Option<Vec<Method>>,
}

impl PathPattern {
    /// Parse `pattern`; the error says what is wrong with it.
    pub fn parse(pattern: &str) -> Result<PathPattern, String> {
        let (path, methods) = match pattern.split_once('#') {
            Some((path, methods)) => (path, Some(methods)),
            None => (pattern, None),
        };
        if !path.starts_with('/') {
            return Err(format!(
                "path pattern `{pattern}` does not start with `/`: patterns match the document's \
                 path templates, such as `/users/**` or `/token#POST`"
            ));
        }
        let methods = match methods {
            None => None,
            Some(list) => {
                let mut out = Vec::new();
                for name in list.split(',').map(str::trim) {
                    match method(name) {
                        Some(m) => out.push(m),
                        None => {
                            return Err(format!(
                                "path pattern `{pattern}`: `{name}` is not an HTTP method (write \
                                 them after `#`, separated by commas: `#GET,POST`)"
                            ))
                        }
                    }
                }
                Some(out)
            }
        };
        Ok(PathPattern {
            text: pattern.to_owned(),
            segments: path[1..].split('/').map(str::to_owned).collect(),
            methods,
        })
    }

    /// Whether the pattern selects `op`.
    pub fn matches(&self, op: &Operation) -> bool {
        if let Some(methods) = &self.methods {
            let wanted = op.method.as_str();
            if !methods
                .iter()
                .any(|m| m.as_str().eq_ignore_ascii_case(wanted))
            {
                return false;
            }
        }
        let path = op.path.strip_prefix('/').unwrap_or(&op.path);
        let path: Vec<&str> = path.split('/').collect();
        let pattern: Vec<&str> = self.segments.iter().map(String::as_str).collect();
        segments_match(&pattern, &path)
    }
}

/// A method of a path pattern: the fixed ones in any case, extension methods (`LINK`) as
/// HTTP tokens, matched without regard to case.
fn method(name: &str) -> Option<Method> {
    Method::from_key(name)
}

/// Segment-wise glob: `**` spans any number of segments.
fn segments_match(pattern: &[&str], path: &[&str]) -> bool {
    glob(
        pattern,
        path,
        |p| *p == "**",
        |p, s| segment_matches(p.as_bytes(), s.as_bytes()),
    )
}

/// `*` matches any run of characters inside one segment.
fn segment_matches(pattern: &[u8], text: &[u8]) -> bool {
    glob(pattern, text, |p| *p == b'*', |p, t| p == t)
}

/// Wildcard matching with one kind of star (matching any run of items): the classic two-cursor
/// walk that only ever retries from the last star, O(pattern × text) at worst, so no pattern
/// makes it exponential.
fn glob<P, T>(
    pattern: &[P],
    text: &[T],
    is_star: impl Fn(&P) -> bool,
    item: impl Fn(&P, &T) -> bool,
) -> bool {
    let (mut p, mut t) = (0, 0);
    // The last star seen, and the text position its match currently ends at.
    let mut retry: Option<(usize, usize)> = None;
    while t < text.len() {
        if p < pattern.len() && is_star(&pattern[p]) {
            retry = Some((p, t));
            p += 1;
        } else if p < pattern.len() && item(&pattern[p], &text[t]) {
            p += 1;
            t += 1;
        } else if let Some((star, end)) = retry {
            // Let the last star take one more item, and go on after it.
            retry = Some((star, end + 1));
            p = star + 1;
            t = end + 1;
        } else {
            return false;
        }
    }
    pattern[p..].iter().all(is_star)
}

/// Keep the operations `include` and `exclude` select (see [`select`]). A pattern that
/// matches nothing is a warning (a typo would otherwise go unnoticed), and so is an include
/// list that leaves no operation.
pub fn apply(
    api: &mut Api,
    include: &[PathPattern],
    exclude: &[PathPattern],
    warnings: &mut Vec<Diagnostic>,
) {
    let selection = select(api, include, exclude);
    let unmatched = [
        (include, &selection.unmatched_include, "include path"),
        (exclude, &selection.unmatched_exclude, "exclude path"),
    ];
    for (patterns, which, flag) in unmatched {
        for &i in which {
            warnings.push(
                Diagnostic::warning(
                    "/paths",
                    format!("{flag} `{}` matches no operation", patterns[i].text),
                )
                .with_hint(
                    "patterns match path templates as the document writes them \
                     (`/users/{user-id}`); `*` matches within a segment, `**` across segments",
                ),
            );
        }
    }
    if api.operations.is_empty() && !include.is_empty() {
        warnings.push(
            Diagnostic::warning("/paths", "the path patterns leave no operation to generate")
                .with_hint("check `include_paths` / `--include-path` against the document's paths"),
        );
    }
}

/// What [`select`] kept.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Selection {
    /// Patterns (by index into `include`, then `exclude`) that matched no operation.
    pub unmatched_include: Vec<usize>,
    pub unmatched_exclude: Vec<usize>,
    pub operations_dropped: usize,
    pub types_dropped: usize,
}

/// Keep the operations that match an `include` pattern (every operation when there is none)
/// and no `exclude` pattern, then the types they use (directly or through other types). With no
/// pattern at all the API is left as it is, unused component schemas included.
pub fn select(api: &mut Api, include: &[PathPattern], exclude: &[PathPattern]) -> Selection {
    let mut selection = Selection::default();
    if include.is_empty() && exclude.is_empty() {
        return selection;
    }
    let mut included = vec![false; include.len()];
    let mut excluded = vec![false; exclude.len()];
    let before = api.operations.len();
    api.operations.retain(|op| {
        let mut keep = include.is_empty();
        for (i, p) in include.iter().enumerate() {
            if p.matches(op) {
                included[i] = true;
                keep = true;
            }
        }
        for (i, p) in exclude.iter().enumerate() {
            if p.matches(op) {
                excluded[i] = true;
                keep = false;
            }
        }
        keep
    });
    selection.operations_dropped = before - api.operations.len();
    // The callbacks of the operations left out go with them; webhooks have no path to select.
    let kept: BTreeSet<String> = api.operations.iter().map(|op| op.name.clone()).collect();
    api.hooks.retain(|h| match &h.kind {
        HookKind::Callback { owner, .. } => kept.contains(owner),
        HookKind::Webhook { .. } => true,
    });
    selection.unmatched_include = (0..include.len()).filter(|&i| !included[i]).collect();
    selection.unmatched_exclude = (0..exclude.len()).filter(|&i| !excluded[i]).collect();
    selection.types_dropped = retain_used_types(api);
    selection
}

/// The operations `api` keeps, as (path, lowercase method): what the server's embedded
/// document keeps under `paths` (see [`crate::load::trim_paths`]).
pub fn kept_operations(api: &Api) -> Vec<(String, String)> {
    let key = |op: &Operation| (op.path.clone(), op.method.as_str().to_ascii_lowercase());
    api.operations.iter().map(key).collect()
}

/// Drop the types no operation uses, keeping the arena's order (by name) and renumbering every
/// reference. Returns how many were dropped.
fn retain_used_types(api: &mut Api) -> usize {
    let mut used: BTreeSet<u32> = BTreeSet::new();
    let mut pending: Vec<u32> = Vec::new();
    let mut note = |t: &mut TypeRef| {
        if let TypeRef::Named(id, _) = t {
            pending.push(id.0);
        }
    };
    for op in api.operations_mut() {
        operation_refs_mut(op, &mut note);
    }
    while let Some(id) = pending.pop() {
        if !used.insert(id) {
            continue;
        }
        let Some(def) = api.types.get_mut(id as usize) else {
            continue;
        };
        kind_refs_mut(&mut def.kind, &mut |t| {
            if let TypeRef::Named(id, _) = t {
                pending.push(id.0);
            }
        });
    }
    let before = api.types.len();
    let mut new_id: Vec<Option<TypeId>> = vec![None; before];
    let mut kept = Vec::with_capacity(used.len());
    for (old, mut def) in std::mem::take(&mut api.types).into_iter().enumerate() {
        if used.contains(&(old as u32)) {
            let id = TypeId(kept.len() as u32);
            new_id[old] = Some(id);
            def.id = id;
            kept.push(def);
        }
    }
    let mut renumber = |t: &mut TypeRef| {
        if let TypeRef::Named(id, _) = t {
            // Every reachable reference was marked used above, so it has a new id.
            if let Some(Some(new)) = new_id.get(id.0 as usize) {
                *id = *new;
            }
        }
    };
    for def in &mut kept {
        kind_refs_mut(&mut def.kind, &mut renumber);
    }
    for op in api.operations_mut() {
        operation_refs_mut(op, &mut renumber);
    }
    api.types = kept;
    before - api.types.len()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{Docs, Field, Param, ParamLocation, ParamStyle, Struct, TypeDef, TypeKind};

    fn op(method: Method, path: &str) -> Operation {
        Operation {
            id: path.to_owned(),
            name: path.replace(['/', '{', '}', '-'], "_"),
            type_name: String::new(),
            method,
            path: path.to_owned(),
            tags: Vec::new(),
            docs: Docs::default(),
            params: Vec::new(),
            body: None,
            responses: Vec::new(),
            security: Vec::new(),
            origin: String::new(),
            pagination: None,
        }
    }

    fn matches(pattern: &str, method: Method, path: &str) -> bool {
        PathPattern::parse(pattern)
            .unwrap()
            .matches(&op(method, path))
    }

    #[test]
    fn globs_match_by_segment() {
        use Method::*;
        assert!(matches("/token", Post, "/token"));
        assert!(!matches("/token", Post, "/tokens"));
        assert!(!matches("/token", Post, "/token/x"));
        assert!(matches("/users/**", Get, "/users"));
        assert!(matches("/users/**", Get, "/users/{user-id}/messages"));
        assert!(!matches("/users/**", Get, "/usersx"));
        assert!(matches("/users/*", Get, "/users/{user-id}"));
        assert!(!matches("/users/*", Get, "/users/{user-id}/messages"));
        assert!(matches("/users/{user-id}", Get, "/users/{user-id}"));
        assert!(matches("/device/*/trip", Get, "/device/{device_id}/trip"));
        assert!(matches("/dev*", Get, "/device"));
        assert!(!matches("/dev*", Get, "/device/{device_id}"));
        assert!(matches("/**/trip", Get, "/device/{device_id}/trip"));
        assert!(matches("/**", Delete, "/"));
        assert!(matches("/**", Delete, "/a/b/c"));
        assert!(matches("/a/**/c", Get, "/a/c"));
        assert!(matches("/a/**/c", Get, "/a/x/y/c"));
        assert!(!matches("/a/**/c", Get, "/a/x/y/d"));
        assert!(matches("/a/*x*y", Get, "/a/xxyxy"));
        assert!(!matches("/a/*x*y", Get, "/a/xxyx"));
    }

    #[test]
    fn many_stars_stay_fast() {
        // Exponential backtracking would not finish.
        let pattern = format!("/{}b", "*a".repeat(40));
        let path = format!("/{}", "a".repeat(200));
        assert!(!matches(&pattern, Method::Get, &path));
        let pattern = format!("{}/b", "/**/a".repeat(30));
        let path = "/a".repeat(100);
        assert!(!matches(&pattern, Method::Get, &path));
    }

    #[test]
    fn methods_filter() {
        use Method::*;
        assert!(matches("/token#POST", Post, "/token"));
        assert!(matches("/token#get,post", Post, "/token"));
        assert!(matches("/token#GET, POST", Post, "/token"));
        assert!(!matches("/token#GET", Post, "/token"));
        assert!(matches("/pets#query", Query, "/pets"));
        assert!(matches("/pets#link", Other("LINK".into()), "/pets"));
        assert!(!matches("/pets#LINK", Other("UNLINK".into()), "/pets"));
    }

    #[test]
    fn bad_patterns_say_why() {
        let e = PathPattern::parse("token").unwrap_err();
        assert!(e.contains("does not start with `/`"), "{e}");
        let e = PathPattern::parse("/token#GET;POST").unwrap_err();
        assert!(e.contains("`GET;POST` is not an HTTP method"), "{e}");
    }

    fn named(i: u32) -> TypeRef {
        TypeRef::Named(TypeId(i), Vec::new())
    }

    fn def(i: u32, name: &str, fields: Vec<TypeRef>) -> TypeDef {
        let fields = fields
            .into_iter()
            .enumerate()
            .map(|(n, ty)| Field {
                name: format!("f{n}"),
                wire_name: format!("f{n}"),
                ty,
                required: true,
                nullable: false,
                default: None,
                read_only: false,
                write_only: false,
                constraints: Default::default(),
                docs: Docs::default(),
            })
            .collect();
        TypeDef {
            id: TypeId(i),
            name: name.to_owned(),
            origin: String::new(),
            docs: Docs::default(),
            generics: Vec::new(),
            kind: TypeKind::Struct(Struct {
                fields,
                additional: None,
            }),
        }
    }

    fn param(ty: TypeRef) -> Param {
        Param {
            wire_name: "p".into(),
            name: "p".into(),
            location: ParamLocation::Query,
            required: false,
            ty,
            default: None,
            style: ParamStyle::Form,
            explode: true,
            constraints: Default::default(),
            docs: Docs::default(),
        }
    }

    /// A(→C), B, C(→E, →A: a cycle), D, E; `/a` uses A, `/b` uses B, `/d` uses D.
    fn api() -> Api {
        let mut a = op(Method::Get, "/a");
        a.params.push(param(TypeRef::Array(Box::new(named(0)))));
        let mut b = op(Method::Get, "/b");
        b.params.push(param(named(1)));
        let mut d = op(Method::Post, "/d");
        d.params.push(param(named(3)));
        Api {
            types: vec![
                def(0, "A", vec![named(2)]),
                def(1, "B", vec![]),
                def(2, "C", vec![TypeRef::Map(Box::new(named(4))), named(0)]),
                def(3, "D", vec![]),
                def(4, "E", vec![]),
            ],
            operations: vec![a, b, d],
            ..Api::default()
        }
    }

    fn names(api: &Api) -> Vec<&str> {
        api.types.iter().map(|t| t.name.as_str()).collect()
    }

    #[test]
    fn keeps_the_types_selected_operations_use_and_renumbers() {
        let mut api = api();
        let include = [PathPattern::parse("/a").unwrap()];
        let s = select(&mut api, &include, &[]);
        assert_eq!(names(&api), ["A", "C", "E"]);
        assert_eq!((s.operations_dropped, s.types_dropped), (2, 2));
        // Ids are positions again, and references point at the same types as before.
        for (i, t) in api.types.iter().enumerate() {
            assert_eq!(t.id, TypeId(i as u32));
        }
        assert_eq!(
            api.operations[0].params[0].ty,
            TypeRef::Array(Box::new(named(0)))
        );
        let TypeKind::Struct(c) = &api.types[1].kind else {
            panic!()
        };
        assert_eq!(c.fields[0].ty, TypeRef::Map(Box::new(named(2))));
        assert_eq!(c.fields[1].ty, named(0));
    }

    #[test]
    fn exclude_wins_and_unmatched_patterns_are_reported() {
        let mut api = api();
        let include = [
            PathPattern::parse("/**").unwrap(),
            PathPattern::parse("/zzz").unwrap(),
        ];
        let exclude = [
            PathPattern::parse("/a").unwrap(),
            PathPattern::parse("/d#GET").unwrap(),
        ];
        let s = select(&mut api, &include, &exclude);
        let paths: Vec<&str> = api.operations.iter().map(|o| o.path.as_str()).collect();
        assert_eq!(paths, ["/b", "/d"]);
        assert_eq!(names(&api), ["B", "D"]);
        assert_eq!(s.unmatched_include, [1]);
        assert_eq!(s.unmatched_exclude, [1]);
    }

    #[test]
    fn no_patterns_keep_everything() {
        let mut api = api();
        api.operations.clear();
        let s = select(&mut api, &[], &[]);
        assert_eq!(names(&api), ["A", "B", "C", "D", "E"]);
        assert_eq!(s, Selection::default());
    }

    #[test]
    fn callbacks_go_with_their_operation_webhooks_stay() {
        use crate::ir::{Hook, HookKind};
        let mut api = api();
        let hook = |kind: HookKind| Hook {
            kind,
            operation: op(Method::Post, "hook"),
        };
        let callback = |owner: &str| {
            hook(HookKind::Callback {
                owner: owner.to_owned(),
                name: "cb".to_owned(),
                expression: "{$url}".to_owned(),
                url: Vec::new(),
            })
        };
        let kept_owner = api.operations[0].name.clone();
        let dropped_owner = api.operations[1].name.clone();
        api.hooks = vec![
            callback(&kept_owner),
            callback(&dropped_owner),
            hook(HookKind::Webhook {
                name: "w".to_owned(),
            }),
        ];
        let include = [PathPattern::parse(&api.operations[0].path.clone()).unwrap()];
        select(&mut api, &include, &[]);
        let kinds: Vec<&HookKind> = api.hooks.iter().map(|h| &h.kind).collect();
        assert_eq!(kinds.len(), 2, "{kinds:?}");
        assert!(matches!(kinds[0], HookKind::Callback { owner, .. } if *owner == kept_owner));
        assert!(matches!(kinds[1], HookKind::Webhook { .. }));
    }
}
