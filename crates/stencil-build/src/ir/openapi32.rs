//! OpenAPI 3.2 constructs of path items and media types: `itemSchema` (the item type of a
//! sequential media type; for server-sent events whose branches name their `event`, an enum
//! keyed by event name), and the operations of the `query` method and of
//! `additionalOperations`.

use openapiv3::ReferenceOr;
use serde_json::Value;

use crate::diag::join;
use crate::ir::build::{Builder, Hint};
use crate::ir::{Docs, Method, Param, ParamLocation, Tag, TypeKind, TypeRef, Union, UnionVariant};
use crate::load::ext;
use crate::naming::{variant_name, Scope};

impl Builder<'_> {
    /// The document's tags with their `parent` (3.2). A parent that is not a declared tag, or
    /// that leads back to the tag, is a warning, and the tag is left at the top.
    pub(crate) fn tags(&mut self) -> Vec<Tag> {
        let doc = self.doc;
        let parent_of = |t: &openapiv3::Tag| {
            t.extensions
                .get(ext::TAG_PARENT)
                .and_then(serde_json::Value::as_str)
                .map(str::to_owned)
        };
        let declared: Vec<&str> = doc.tags.iter().map(|t| t.name.as_str()).collect();
        let mut out = Vec::new();
        for (i, t) in doc.tags.iter().enumerate() {
            let ptr = format!("/tags/{i}/parent");
            let mut parent = parent_of(t);
            if let Some(p) = parent.clone() {
                // Walk up from the parent: meeting the tag again is a cycle (bounded, as a cycle
                // elsewhere in the chain is that tag's own warning).
                let mut at = Some(p.clone());
                let mut circular = false;
                for _ in 0..=declared.len() {
                    let Some(name) = at.take() else { break };
                    if name == t.name {
                        circular = true;
                        break;
                    }
                    at = doc.tags.iter().find(|u| u.name == name).and_then(parent_of);
                }
                let (why, hint) = if !declared.contains(&p.as_str()) {
                    (
                        "is not a declared tag",
                        "declare it under `tags`, or remove `parent`",
                    )
                } else if circular {
                    (
                        "leads back to the tag",
                        "the tag hierarchy may not be circular",
                    )
                } else {
                    ("", "")
                };
                if !why.is_empty() {
                    self.warning(
                        &ptr,
                        format!(
                            "the parent `{p}` of tag `{}` {why}; the tag is read without it",
                            t.name
                        ),
                        hint,
                    );
                    parent = None;
                }
            }
            out.push(Tag {
                name: t.name.clone(),
                parent,
                docs: Docs {
                    title: t
                        .extensions
                        .get(ext::TAG_SUMMARY)
                        .and_then(serde_json::Value::as_str)
                        .map(str::to_owned),
                    description: t.description.clone(),
                    ..Docs::default()
                },
            });
        }
        out
    }

    /// The OpenAPI 3.2 operations of a path item beyond the fixed fields: `query`, then
    /// `additionalOperations` in document order, each with its pointer below the item
    /// (`query`, `additionalOperations/LINK`). A method a fixed field names, or a key that
    /// is not an HTTP token, is left out with a warning.
    pub(crate) fn extension_operations(
        &mut self,
        item: &openapiv3::PathItem,
        item_ptr: &str,
    ) -> Vec<(String, Method, openapiv3::Operation)> {
        let mut raw: Vec<(String, Method, &serde_json::Value)> = Vec::new();
        if let Some(op) = item.extensions.get(ext::QUERY) {
            raw.push(("query".to_owned(), Method::Query, op));
        }
        if let Some(serde_json::Value::Object(more)) =
            item.extensions.get(ext::ADDITIONAL_OPERATIONS)
        {
            for (name, op) in more {
                let at = format!("additionalOperations/{}", crate::diag::escape_token(name));
                match Method::from_key(name) {
                    Some(method @ Method::Other(_)) => raw.push((at, method, op)),
                    Some(fixed) => self.warning(
                        &format!("{item_ptr}/{at}"),
                        format!(
                            "`{name}` is a fixed field of the path item; `additionalOperations` \
                             may not name it, and the operation is left out"
                        ),
                        &format!(
                            "write the operation under `{}`",
                            fixed.as_str().to_ascii_lowercase()
                        ),
                    ),
                    None => self.warning(
                        &format!("{item_ptr}/{at}"),
                        format!("`{name}` is not an HTTP method name; the operation is left out"),
                        "a method is a token (RFC 9110): letters, digits and the characters !#$%&'*+-.^_|~ and \
                         the backtick",
                    ),
                }
            }
        }
        let mut out = Vec::new();
        for (at, method, op) in raw {
            match serde_json::from_value::<openapiv3::Operation>(op.clone()) {
                Ok(op) => out.push((at, method, op)),
                Err(e) => self.warning(
                    &format!("{item_ptr}/{at}"),
                    format!(
                        "the `{}` operation is not an operation object ({e}); it is left out",
                        method.as_str()
                    ),
                    "fix the operation object",
                ),
            }
        }
        out
    }

    /// Whether an `in: querystring` parameter (3.2) is generated: its `content` is
    /// `application/x-www-form-urlencoded` (the query string's pairs as an object's
    /// properties). Another media type is a warning, and the parameter is left out.
    pub(crate) fn query_string_is_form(
        &mut self,
        data: &openapiv3::ParameterData,
        ptr: &str,
    ) -> bool {
        let media = match &data.format {
            openapiv3::ParameterSchemaOrContent::Content(content) => content.keys().next(),
            openapiv3::ParameterSchemaOrContent::Schema(_) => None,
        };
        let form =
            media.is_some_and(|m| crate::ir::media::media_kind(m) == crate::ir::MediaKind::Form);
        if !form {
            let what = media.map_or("no `content`".to_owned(), |m| format!("`{m}`"));
            self.warning(
                ptr,
                format!(
                    "`in: querystring` (`{}`) with {what} is not generated; the parameter is \
                     left out",
                    data.name
                ),
                "describe the query string as `content: {application/x-www-form-urlencoded: \
                 {schema: ...}}`, or declare the query parameters one by one",
            );
        }
        form
    }

    /// An operation's parameters once read: with an `in: querystring` parameter, which is the
    /// whole query string, the specification allows neither a second one nor `in: query`
    /// parameters. Those are left out with a warning (at the operation, `ptr`).
    pub(crate) fn one_query_string(&mut self, params: &mut Vec<Param>, ptr: &str) {
        let Some(first) = params
            .iter()
            .position(|p| p.location == ParamLocation::QueryString)
        else {
            return;
        };
        let whole = params[first].wire_name.clone();
        let mut index = 0;
        let mut dropped = Vec::new();
        params.retain(|p| {
            let keep = index == first
                || !matches!(
                    p.location,
                    ParamLocation::Query | ParamLocation::QueryString
                );
            index += 1;
            if !keep {
                dropped.push(p.wire_name.clone());
            }
            keep
        });
        for name in dropped {
            self.warning(
                &join(ptr, "parameters"),
                format!(
                    "the query parameter `{name}` cannot be sent next to the query string \
                     `{whole}` (`in: querystring`); it is left out"
                ),
                "make it a property of the query string's schema",
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
        let loaded = self.loaded;
        let (raw, ptr) = resolve(&loaded.raw, raw, ptr);
        let (key, branches) = ["oneOf", "anyOf"]
            .into_iter()
            .find_map(|k| Some((k, raw.get(k)?.as_array()?)))?;
        let mut found = Vec::new();
        for (i, branch) in branches.iter().enumerate() {
            // A branch may be a `$ref` to a component describing the event.
            let (branch, at) =
                resolve(&loaded.raw, branch, &join(&join(&ptr, key), &i.to_string()));
            let event = branch.pointer("/properties/event");
            let name = event
                .and_then(|e| e.get("const"))
                .or_else(|| match event?.get("enum")?.as_array()?.as_slice() {
                    [one] => Some(one),
                    _ => None,
                })
                .and_then(Value::as_str)?;
            let data = branch.pointer("/properties/data/contentSchema")?;
            found.push((at, name.to_owned(), data));
        }
        if found.is_empty() {
            return None;
        }
        let mut names = Scope::new();
        let mut variants = Vec::new();
        for (at, event, data) in found {
            let at = ["properties", "data", "contentSchema"]
                .iter()
                .fold(at, |p, t| join(&p, t));
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
        Some(self.named(TypeKind::Union(union), docs, &ptr, hint.clone(), None))
    }
}

/// `schema` with its local `$ref`s followed in the bundled `document` (at most 16 in a row; a
/// reference that leads nowhere is left as it is), and the pointer where it was found.
fn resolve<'a>(document: &'a Value, schema: &'a Value, ptr: &str) -> (&'a Value, String) {
    let (mut schema, mut ptr) = (schema, ptr.to_owned());
    for _ in 0..16 {
        let Some(target) = schema
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|r| r.strip_prefix('#'))
        else {
            break;
        };
        let Some(found) = document.pointer(target) else {
            break;
        };
        schema = found;
        ptr = target.to_owned();
    }
    (schema, ptr)
}
