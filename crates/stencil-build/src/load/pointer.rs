//! JSON pointers (RFC 6901) as token lists, and access to `serde_json::Value`s through them.

use serde_json::{Map, Value};

use crate::diag::escape_token;

/// The unescaped reference tokens of a pointer: `/a~1b/0` is `["a/b", "0"]`.
pub(crate) type Tokens = Vec<String>;

/// Split a pointer into tokens; `None` when it is neither empty nor starts with `/`.
pub(crate) fn parse(pointer: &str) -> Option<Tokens> {
    if pointer.is_empty() {
        return Some(Vec::new());
    }
    let rest = pointer.strip_prefix('/')?;
    Some(
        rest.split('/')
            .map(|t| t.replace("~1", "/").replace("~0", "~"))
            .collect(),
    )
}

/// The pointer of a token list.
pub(crate) fn render(tokens: &[String]) -> String {
    let mut out = String::new();
    for t in tokens {
        out.push('/');
        out.push_str(&escape_token(t));
    }
    out
}

/// `tokens` followed by `more`.
pub(crate) fn join(tokens: &[String], more: &[&str]) -> Tokens {
    let mut out = Vec::with_capacity(tokens.len() + more.len());
    out.extend(tokens.iter().cloned());
    out.extend(more.iter().map(|s| (*s).to_owned()));
    out
}

/// An array index token: digits only, no leading zero.
pub(crate) fn index(token: &str) -> Option<usize> {
    let digits = !token.is_empty() && token.bytes().all(|b| b.is_ascii_digit());
    if !digits || (token.len() > 1 && token.starts_with('0')) {
        return None;
    }
    token.parse().ok()
}

pub(crate) fn get<'a>(mut value: &'a Value, tokens: &[String]) -> Option<&'a Value> {
    for t in tokens {
        value = match value {
            Value::Object(m) => m.get(t)?,
            Value::Array(a) => a.get(index(t)?)?,
            _ => return None,
        };
    }
    Some(value)
}

pub(crate) fn get_mut<'a>(mut value: &'a mut Value, tokens: &[String]) -> Option<&'a mut Value> {
    for t in tokens {
        value = match value {
            Value::Object(m) => m.get_mut(t)?,
            Value::Array(a) => a.get_mut(index(t)?)?,
            _ => return None,
        };
    }
    Some(value)
}

/// Store `node` at `tokens`, creating (or replacing non-object) intermediate objects. Used to
/// write `components/<section>/<name>`.
pub(crate) fn insert(root: &mut Value, tokens: &[String], node: Value) {
    let Some((last, parents)) = tokens.split_last() else {
        *root = node;
        return;
    };
    let mut cur = root;
    for t in parents {
        if !cur.is_object() {
            *cur = Value::Object(Map::new());
        }
        let Value::Object(m) = cur else { return };
        cur = m
            .entry(t.clone())
            .or_insert_with(|| Value::Object(Map::new()));
    }
    if !cur.is_object() {
        *cur = Value::Object(Map::new());
    }
    if let Value::Object(m) = cur {
        m.insert(last.clone(), node);
    }
}

/// A pointer to a node nested deeper than `limit` (a scalar is at the depth of its
/// container), if there is one. Iterative: safe on any depth; allocates only on the way back.
pub(crate) fn depth_over(root: &Value, limit: usize) -> Option<Tokens> {
    fn nested(v: &Value) -> bool {
        matches!(v, Value::Object(m) if !m.is_empty())
            || matches!(v, Value::Array(a) if !a.is_empty())
    }
    let mut stack: Vec<(&Value, usize)> = vec![(root, 0)];
    let mut deepest = None;
    while let Some((v, depth)) = stack.pop() {
        if depth > limit {
            deepest = Some(v);
            break;
        }
        match v {
            Value::Object(m) => {
                stack.extend(m.values().filter(|c| nested(c)).map(|c| (c, depth + 1)))
            }
            Value::Array(a) => stack.extend(a.iter().filter(|c| nested(c)).map(|c| (c, depth + 1))),
            _ => {}
        }
    }
    let target = deepest?;
    // Find the path of `target` (by identity) with a second walk that keeps paths.
    let mut stack: Vec<(&Value, Tokens)> = vec![(root, Vec::new())];
    while let Some((v, path)) = stack.pop() {
        if std::ptr::eq(v, target) {
            return Some(path);
        }
        if path.len() > limit {
            continue;
        }
        match v {
            Value::Object(m) => {
                for (k, c) in m {
                    stack.push((c, join(&path, &[k])));
                }
            }
            Value::Array(a) => {
                for (i, c) in a.iter().enumerate() {
                    stack.push((c, join(&path, &[&i.to_string()])));
                }
            }
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn round_trip() {
        let t = parse("/paths/~1pets~1{id}/get/a~0b").unwrap();
        assert_eq!(t, ["paths", "/pets/{id}", "get", "a~b"]);
        assert_eq!(render(&t), "/paths/~1pets~1{id}/get/a~0b");
        assert_eq!(parse(""), Some(vec![]));
        assert_eq!(parse("x"), None);
    }

    #[test]
    fn access() {
        let mut v = json!({"a": [{"b": 1}]});
        assert_eq!(get(&v, &parse("/a/0/b").unwrap()), Some(&json!(1)));
        assert_eq!(get(&v, &parse("/a/01/b").unwrap()), None);
        insert(&mut v, &parse("/c/d").unwrap(), json!(2));
        assert_eq!(v["c"]["d"], 2);
        assert_eq!(depth_over(&v, 1), Some(vec!["a".into(), "0".into()]));
        assert_eq!(depth_over(&v, 2), None);
        assert_eq!(depth_over(&v, 5), None);
    }
}
