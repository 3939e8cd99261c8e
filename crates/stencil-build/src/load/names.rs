//! Component names for hoisted and bundled nodes, and "did you mean" suggestions.

use super::pointer;

const STRUCTURAL: &[&str] = &[
    "schema",
    "schemas",
    "items",
    "properties",
    "additionalProperties",
    "allOf",
    "anyOf",
    "oneOf",
    "not",
    "content",
    "parameters",
    "responses",
    "requestBody",
    "requestBodies",
    "headers",
    "paths",
    "components",
    "get",
    "put",
    "post",
    "delete",
    "options",
    "head",
    "patch",
    "trace",
    "prefixItems",
    "default",
];

/// The last token of a pointer that names something (not an index, keyword or media type).
pub(crate) fn last_meaningful(tokens: &[String]) -> Option<&str> {
    tokens
        .iter()
        .rev()
        .map(String::as_str)
        .find(|t| pointer::index(t).is_none() && !STRUCTURAL.contains(t) && !t.contains('/'))
}

/// A component name: letters, digits, `.`, `-` and `_` (the 3.0 rule for component keys).
pub(crate) fn sanitize(name: &str) -> String {
    let s: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect();
    let s = s.trim_matches('_').to_owned();
    if s.is_empty() {
        "Schema".to_owned()
    } else {
        s
    }
}

/// The key of `keys` closest to `wanted` (same ignoring case, or at most 2 edits away).
pub(crate) fn closest<'a>(wanted: &str, keys: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    let mut best: Option<(usize, &str)> = None;
    for k in keys {
        let d = if k.eq_ignore_ascii_case(wanted) {
            0
        } else {
            edit_distance(k, wanted)
        };
        if d <= 2 && best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, k));
        }
    }
    best.map(|(_, k)| k)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    if a.len().abs_diff(b.len()) > 2 || a.len() > 64 || b.len() > 64 {
        return usize::MAX;
    }
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert_eq!(closest("Eror", ["Error", "Pet"].into_iter()), Some("Error"));
        assert_eq!(closest("pet", ["Error", "Pet"].into_iter()), Some("Pet"));
        assert_eq!(closest("Zebra", ["Error", "Pet"].into_iter()), None);
        assert_eq!(sanitize("a b/c"), "a_b_c");
        let t = |s: &[&str]| s.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        assert_eq!(
            last_meaningful(&t(&["paths", "/a", "get", "parameters", "0"])),
            None
        );
        assert_eq!(
            last_meaningful(&t(&["x-shared", "Pet", "properties", "tag"])),
            Some("tag")
        );
    }
}
