//! Finding `$ref`s in a document: Reference Objects, and strings that look like references.

use serde_json::Value;

use crate::load::walk::{each_child, push_steps, push_token, Kind};

/// The `$ref` of an object that may be a Reference Object.
pub(super) fn ref_of(node: &Value, kind: Kind) -> Option<&str> {
    if !kind.allows_ref() {
        return None;
    }
    node.get("$ref").and_then(Value::as_str)
}

/// A `$ref` with nothing else that matters: a chain link to follow. Schema siblings matter
/// (3.1 applies them); Reference Object siblings (`summary`, `description`) do not.
pub(super) fn pure_ref(node: &Value, kind: Kind) -> Option<&str> {
    let r = ref_of(node, kind)?;
    let Value::Object(m) = node else { return None };
    let pure = kind != Kind::Schema || m.keys().all(|k| k == "$ref" || k.starts_with("x-"));
    pure.then_some(r)
}

/// A discriminator mapping value that is a reference rather than a schema name.
pub(super) fn looks_like_ref(s: &str) -> bool {
    s.contains('#')
        || s.contains('/')
        || [".yaml", ".yml", ".json"]
            .iter()
            .any(|ext| s.ends_with(ext))
}

pub(super) fn is_component(frag: &[String], kind: Kind) -> bool {
    frag.len() == 3 && frag[0] == "components" && kind.section().is_some()
}

/// The `$ref`s under `node` (of kind `kind`, at `path`): (pointer of the reference, reference,
/// kind of object it must point at). Discriminator mappings count as schema references.
pub(super) fn find_refs(
    node: &Value,
    kind: Kind,
    path: &mut String,
    out: &mut Vec<(String, String, Kind)>,
) {
    if let Some(r) = ref_of(node, kind) {
        out.push((format!("{path}/$ref"), r.to_owned(), kind));
        if kind != Kind::Schema {
            return;
        }
    }
    if kind == Kind::Schema {
        if let Some(Value::Object(mapping)) =
            node.get("discriminator").and_then(|d| d.get("mapping"))
        {
            for (k, v) in mapping {
                if let Some(s) = v.as_str().filter(|s| looks_like_ref(s)) {
                    let mut at = format!("{path}/discriminator/mapping");
                    push_token(&mut at, k);
                    out.push((at, s.to_owned(), Kind::Schema));
                }
            }
        }
    }
    each_child(node, kind, &mut |a, b, child, k| {
        let len = path.len();
        push_steps(path, a, b);
        find_refs(child, k, path, out);
        path.truncate(len);
    });
}
