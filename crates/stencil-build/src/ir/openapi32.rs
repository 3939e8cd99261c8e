//! OpenAPI 3.2 constructs of path items and media types: `itemSchema` (the item type of a
//! sequential media type; for server-sent events whose branches name their `event`, an enum
//! keyed by event name), and the operations the emitters cannot send or route yet.

use openapiv3::ReferenceOr;
use serde_json::Value;

use crate::diag::join;
use crate::ir::build::{Builder, Hint};
use crate::ir::{Docs, TypeKind, TypeRef, Union, UnionVariant};
use crate::load::ext;
use crate::naming::{variant_name, Scope};

impl Builder<'_> {
    /// OpenAPI 3.2 operations the emitters cannot send or route yet (the `query` method,
    /// `additionalOperations`): a warning each.
    pub(crate) fn methods_not_generated(&mut self, item: &openapiv3::PathItem, item_ptr: &str) {
        let mut methods = Vec::new();
        if item.extensions.contains_key(ext::QUERY) {
            methods.push(("query".to_owned(), "QUERY".to_owned()));
        }
        if let Some(serde_json::Value::Object(more)) =
            item.extensions.get(ext::ADDITIONAL_OPERATIONS)
        {
            for name in more.keys() {
                let at = format!("additionalOperations/{}", crate::diag::escape_token(name));
                methods.push((at, name.clone()));
            }
        }
        for (at, method) in methods {
            self.warning(
                &format!("{item_ptr}/{at}"),
                format!("the `{method}` operation is not generated yet"),
                "operations of the methods get, put, post, delete, options, head, patch and \
                 trace are generated",
            );
        }
    }

    /// The type of each item of a sequential media type (`itemSchema`, 3.2, carried as
    /// `x-stencil-item-schema`); `schema_ptr` is the pointer of the media type's `schema`.
    /// `events`: the media type is `text/event-stream`.
    pub(crate) fn item_type(
        &mut self,
        m: &openapiv3::MediaType,
        schema_ptr: &str,
        hint: Hint,
        events: bool,
    ) -> Option<TypeRef> {
        let mut raw = m.extensions.get(ext::ITEM_SCHEMA)?;
        let mut ptr = schema_ptr
            .strip_suffix("/schema")
            .map(|media| join(media, "itemSchema"))
            .unwrap_or_default();
        // Server-sent events: the item is the event, whose `data` carries the payload; when
        // the event's `data` says what it holds (`contentSchema`), the payload is the item.
        if events {
            if let Some(keyed) = self.event_keyed(raw, &ptr, &hint) {
                return Some(keyed);
            }
            if let Some(content) = raw.pointer("/properties/data/contentSchema") {
                raw = content;
                ptr = join(&join(&join(&ptr, "properties"), "data"), "contentSchema");
            }
        }
        match serde_json::from_value::<ReferenceOr<openapiv3::Schema>>(raw.clone()) {
            Ok(schema) => Some(self.type_of(&schema, &ptr, hint).ty),
            Err(e) => {
                self.warning(
                    &ptr,
                    format!("`itemSchema` is not a schema ({e}); it is ignored"),
                    "fix the schema",
                );
                None
            }
        }
    }

    /// An event `itemSchema` whose `oneOf` (or `anyOf`) branches each fix `event` (`const`, or
    /// an `enum` of one name) and describe their `data` with `contentSchema`: a union keyed by
    /// event name, a variant per branch. `None` when any branch does not have that shape.
    fn event_keyed(&mut self, raw: &Value, ptr: &str, hint: &Hint) -> Option<TypeRef> {
        let (key, branches) = ["oneOf", "anyOf"]
            .into_iter()
            .find_map(|k| Some((k, raw.get(k)?.as_array()?)))?;
        let mut found = Vec::new();
        for (i, branch) in branches.iter().enumerate() {
            let event = branch.pointer("/properties/event");
            let name = event
                .and_then(|e| e.get("const"))
                .or_else(|| match event?.get("enum")?.as_array()?.as_slice() {
                    [one] => Some(one),
                    _ => None,
                })
                .and_then(Value::as_str)?;
            let data = branch.pointer("/properties/data/contentSchema")?;
            found.push((i, name.to_owned(), data));
        }
        if found.is_empty() {
            return None;
        }
        let mut names = Scope::new();
        let mut variants = Vec::new();
        for (i, event, data) in found {
            let at = ["properties", "data", "contentSchema"]
                .iter()
                .fold(join(&join(ptr, key), &i.to_string()), |p, t| join(&p, t));
            let schema = match serde_json::from_value::<ReferenceOr<openapiv3::Schema>>(
                data.clone(),
            ) {
                Ok(schema) => schema,
                Err(e) => {
                    self.warning(
                        &at,
                        format!("the `contentSchema` of event `{event}` is not a schema ({e}); the events are not typed by name"),
                        "fix the schema",
                    );
                    return None;
                }
            };
            let name = names.claim(&variant_name(&event)).0;
            let ty = self.type_of(&schema, &at, hint.child(&name)).ty;
            let docs = Docs {
                description: Some(format!("The `{}` event.", event.replace('`', "'"))),
                ..Docs::default()
            };
            variants.push(UnionVariant {
                name,
                tag_values: vec![event],
                ty,
                docs,
            });
        }
        let union = Union {
            tag: None,
            variants,
            event_keyed: true,
        };
        let docs = Docs {
            description: Some("A server-sent event's payload, by the event's type.".to_owned()),
            ..Docs::default()
        };
        Some(self.named(TypeKind::Union(union), docs, ptr, hint.clone(), None))
    }
}
