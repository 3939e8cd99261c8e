//! Remote `$ref`s (`https://...`) are not fetched. One that nothing generated needs is left
//! out with a warning: an example or a link (documentation only), or a component other than a
//! schema that no reference names (a security scheme: that no security requirement names).
//! Anywhere else it is an error at the user's `$ref`. A URI under the document's own `$self`
//! (3.2) is not remote: it names the document or a file next to it.

use serde_json::Value;

use super::super::pointer;
use super::super::walk::{Kind, METHODS};
use super::{Bundler, Remote};
use crate::diag::Diagnostic;

/// Whether `r` (or the file part of a `$ref`) names a document on the network.
fn is_remote(r: &str) -> bool {
    let file = r.split_once('#').map_or(r, |(f, _)| f);
    file.contains("://") || file.starts_with("//")
}

/// `file` (the file part of a `$ref`) relative to the document `doc`, when it is an absolute
/// URI under the document's `$self` (3.2: the document's own URI, the base of its references):
/// `""` for the document itself, else the path relative to its directory.
fn under_self(doc: &Value, file: &str) -> Option<String> {
    let own = doc.get("$self")?.as_str()?;
    if !is_remote(own) || !is_remote(file) {
        return None;
    }
    if file == own {
        return Some(String::new());
    }
    let base = &own[..=own.rfind('/')?];
    file.strip_prefix(base)
        .filter(|rest| !rest.is_empty() && !rest.starts_with('/'))
        .map(str::to_owned)
}

/// Security scheme names that a requirement of the document uses (root and operations).
fn required_schemes(root: &Value) -> Vec<String> {
    let mut names = Vec::new();
    let mut add = |security: Option<&Value>| {
        for requirement in security.and_then(Value::as_array).into_iter().flatten() {
            if let Value::Object(m) = requirement {
                names.extend(m.keys().cloned());
            }
        }
    };
    add(root.get("security"));
    let items = root
        .get("paths")
        .and_then(Value::as_object)
        .into_iter()
        .flatten();
    for (_, item) in items {
        for method in METHODS {
            add(item.get(*method).and_then(|op| op.get("security")));
        }
    }
    names
}

impl Bundler {
    /// Whether `r` (or the file part of a `$ref`) names a document on the network.
    pub(super) fn is_remote(r: &str) -> bool {
        is_remote(r)
    }

    /// `file` relative to `doc` when it is under the document's `$self` (see [`under_self`]).
    pub(super) fn under_self(doc: &Value, file: &str) -> Option<String> {
        under_self(doc, file)
    }

    /// Decide for each remote `$ref`: left out with a warning, or an error.
    pub(super) fn settle_remote(&mut self) {
        let required = required_schemes(&self.sources[0].value);
        for remote in std::mem::take(&mut self.remote) {
            let tokens = pointer::parse(&remote.at).unwrap_or_default();
            // The object holding the `$ref`.
            let object = &tokens[..tokens.len().saturating_sub(1)];
            let unused_component = remote.file == 0
                && object.len() == 3
                && object[0] == "components"
                && remote.kind.section() == Some(object[1].as_str())
                && remote.kind != Kind::Schema
                && !self.targets.contains_key(&(0, object.to_vec()))
                && (remote.kind != Kind::SecurityScheme || !required.contains(&object[2]));
            let documentation = matches!(remote.kind, Kind::Example | Kind::Link);
            if !(unused_component || documentation) {
                let Remote {
                    file,
                    at,
                    message,
                    hint,
                    ..
                } = remote;
                self.error(file, at, message, hint);
                continue;
            }
            if let Some((name, parent)) = object.split_last() {
                if let Some(Value::Object(m)) =
                    pointer::get_mut(&mut self.sources[remote.file].value, parent)
                {
                    m.shift_remove(name);
                }
            }
            let what = if documentation {
                format!("the {} is left out", remote.kind.name())
            } else {
                format!(
                    "nothing uses this {}, so it is left out",
                    remote.kind.name()
                )
            };
            let mut d = Diagnostic::warning(
                pointer::render(object),
                format!("{}; {what}", remote.message),
            )
            .with_hint(remote.hint);
            d.file = self.sources[remote.file].display.clone().into();
            self.warnings.push(d);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn uris_under_self_are_local() {
        let doc = json!({"$self": "https://example.com/api/openapi.yaml"});
        let local = |f: &str| under_self(&doc, f);
        assert_eq!(
            local("https://example.com/api/openapi.yaml").as_deref(),
            Some("")
        );
        assert_eq!(
            local("https://example.com/api/schemas/pet.yaml").as_deref(),
            Some("schemas/pet.yaml")
        );
        assert_eq!(local("https://example.com/other/pet.yaml"), None);
        assert_eq!(local("https://example.com/api/"), None);
        assert_eq!(local("schemas/pet.yaml"), None);
        assert_eq!(
            under_self(&json!({}), "https://example.com/api/x.yaml"),
            None
        );
        // A relative `$self` is no base for absolute URIs.
        let relative = json!({"$self": "api/openapi.yaml"});
        assert_eq!(
            under_self(&relative, "https://example.com/api/x.yaml"),
            None
        );
    }
}
