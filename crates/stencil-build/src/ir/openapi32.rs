//! OpenAPI 3.2 constructs of path items and media types: `itemSchema` (the item type of a
//! sequential media type), and the operations the emitters cannot send or route yet.

use openapiv3::ReferenceOr;

use crate::diag::join;
use crate::ir::build::{Builder, Hint};
use crate::ir::TypeRef;
use crate::load::ext;

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
}
