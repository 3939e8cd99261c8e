//! `x-pagination` on an operation: how the generated client's `into_stream` walks its pages.
//!
//! ```yaml
//! x-pagination:
//!   scheme: cursor      # cursor | has_more | page | offset | link
//!   param: cursor       # the query parameter that carries the cursor, page number or offset
//!   items: /data        # JSON pointer to the items in the success body ("" or absent: the body)
//!   next: /next_cursor  # cursor: where the next cursor is in the body
//!   has_more: /has_more # has_more: the flag (default /has_more); id: the item's id (default /id)
//!   first: 1            # page: the first page's number (default 1)
//! ```
//!
//! A malformed extension is a warning and the operation is not paged.
//!
//! The same settings may come from the options instead ([`configure`]: `Options::pagination`,
//! for documents that say nothing about paging); they win over the extension, and a setting
//! that cannot be used is an error naming the option and the operation.

use serde_json::Value;

use crate::diag::{join, Diagnostic, Diagnostics};
use crate::ir::build::Builder;
use crate::ir::{Api, PageScheme, Pagination, Param, ParamLocation};

const HINT: &str = "x-pagination: {scheme: cursor|has_more|page|offset|link, param: <query parameter>, items: <JSON pointer>, next: <JSON pointer>}";

const CONFIG_HINT: &str = "settings: scheme (cursor, has_more, page, offset or link), param (a query parameter of the operation), items, next, has_more and id (JSON pointers into the body or an item), first (an integer)";

impl Builder<'_> {
    /// The operation's `x-pagination`, checked against its query parameters.
    pub(crate) fn pagination(
        &mut self,
        extension: Option<&Value>,
        params: &[Param],
        ptr: &str,
    ) -> Option<Pagination> {
        let value = extension?;
        let ptr = join(ptr, "x-pagination");
        match parse(value, params) {
            Ok(p) => Some(p),
            Err(message) => {
                self.warning(&ptr, format!("{message}; the operation is not paged"), HINT);
                None
            }
        }
    }
}

/// Page the operations named in `rules`: each an operation (its `operationId`, or
/// `METHOD /path`) and its settings, the keys of `x-pagination`. Every rule that names no
/// operation, or whose settings do not fit the operation, is an error; nothing is paged then.
pub fn configure(api: &mut Api, rules: &[(String, Value)]) -> Result<(), Diagnostics> {
    let mut errors = Vec::new();
    for (operation, settings) in rules {
        let wanted = operation.trim();
        let found = api.operations.iter_mut().find(|op| {
            op.id == wanted
                || wanted.split_once(' ').is_some_and(|(method, path)| {
                    method.eq_ignore_ascii_case(op.method.as_str()) && path.trim() == op.path
                })
        });
        let Some(op) = found else {
            errors.push(
                Diagnostic::error(
                    "",
                    format!("option `pagination`: no operation `{wanted}` in the document"),
                )
                .with_hint(
                    "name an operation by its operationId or as `METHOD /path`, e.g. `GET /items`",
                ),
            );
            continue;
        };
        match parse(settings, &op.params) {
            Ok(p) => op.pagination = Some(p),
            Err(message) => errors.push(
                Diagnostic::error(
                    op.origin.clone(),
                    format!("option `pagination` for operation `{wanted}`: {message}"),
                )
                .with_hint(CONFIG_HINT),
            ),
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(Diagnostics(errors))
    }
}

fn text<'v>(value: &'v Value, key: &str) -> Result<Option<&'v str>, String> {
    match value.get(key) {
        None => Ok(None),
        Some(Value::String(s))
            if s.is_empty() || s.starts_with('/') || key == "param" || key == "scheme" =>
        {
            Ok(Some(s))
        }
        Some(Value::String(s)) => Err(format!(
            "`{key}` must be a JSON pointer (`/...`), not `{s}`"
        )),
        Some(other) => Err(format!("`{key}` must be a string, not {other}")),
    }
}

fn parse(value: &Value, params: &[Param]) -> Result<Pagination, String> {
    if !value.is_object() {
        return Err("x-pagination must be an object".to_owned());
    }
    let param = text(value, "param")?.ok_or("`param` (the cursor's query parameter) is missing")?;
    let Some(field) = params
        .iter()
        .find(|p| p.location == ParamLocation::Query && p.wire_name == param)
    else {
        return Err(format!(
            "`{param}` is not a query parameter of the operation"
        ));
    };
    let pointer = |key: &str, default: &str| -> Result<String, String> {
        Ok(text(value, key)?.unwrap_or(default).to_owned())
    };
    let scheme = match text(value, "scheme")?.unwrap_or_default() {
        "cursor" => PageScheme::Cursor {
            next: text(value, "next")?
                .ok_or("`next` (where the next cursor is) is missing")?
                .to_owned(),
        },
        "has_more" => PageScheme::HasMore {
            has_more: pointer("has_more", "/has_more")?,
            id: pointer("id", "/id")?,
        },
        "page" => PageScheme::Page {
            first: match value.get("first") {
                None => 1,
                Some(v) => v.as_i64().ok_or("`first` must be an integer")?,
            },
        },
        "offset" => PageScheme::Offset,
        "link" => PageScheme::Link,
        other => return Err(format!("unknown scheme `{other}`")),
    };
    Ok(Pagination {
        items: pointer("items", "")?,
        param: param.to_owned(),
        field: field.name.clone(),
        scheme,
    })
}
