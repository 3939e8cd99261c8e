//! Objects other than schemas, on the bundled document: what 3.1 and 3.2 allow that the 3.0
//! model `openapiv3` reads does not, and what real documents omit.
//!
//! - an operation without `responses` (optional since 3.1; a warning in 3.0) gets `{}`;
//! - a response without `description` (optional since 3.2; a warning before) gets `""`;
//! - a `mutualTLS` security scheme (3.1) becomes an HTTP scheme marked `x-stencil-mutual-tls`;
//! - a callback that is a `$ref` to `#/components/callbacks/...` gets a copy of the component
//!   (`openapiv3` reads operation callbacks without references), and so does a media type that
//!   is a `$ref` to `#/components/mediaTypes/...` (3.2);
//! - 3.1 `webhooks` travel as `x-stencil-webhooks` (the IR reads them);
//! - 3.2 keywords travel as `x-stencil-*` extensions (`load::ext`): the `query` method and
//!   `additionalOperations` of path items, `in: querystring`, `style: cookie`, media type `itemSchema`, tag
//!   `summary` / `parent` / `kind`, `$self`, the OAuth device authorization flow and
//!   `oauth2MetadataUrl`.

use serde_json::{json, Value};

use super::super::ext;
use super::super::parse::Version;
use super::super::pointer;
use super::super::walk::{each_child, each_child_mut, push_steps, Kind};
use super::Object;
use crate::diag::Diagnostic;

/// Normalise every non-schema object of the bundled document `doc`.
pub(crate) fn objects(doc: &mut Value, version: Version, warnings: &mut Vec<Diagnostic>) {
    inline_references(doc);
    if let Value::Object(m) = doc {
        rename(m, "$self", ext::SELF);
        rename(m, "webhooks", ext::WEBHOOKS);
        tags(m);
    }
    visit(doc, Kind::Root, &mut String::new(), version, warnings);
}

/// Move `key` to `to`, when present.
fn rename(m: &mut Object, key: &str, to: &str) {
    if let Some(v) = m.shift_remove(key) {
        m.insert(to.to_owned(), v);
    }
}

fn tags(m: &mut Object) {
    let Some(Value::Array(tags)) = m.get_mut("tags") else {
        return;
    };
    for tag in tags.iter_mut().filter_map(Value::as_object_mut) {
        rename(tag, "summary", ext::TAG_SUMMARY);
        rename(tag, "parent", ext::TAG_PARENT);
        rename(tag, "kind", ext::TAG_KIND);
    }
}

fn visit(
    node: &mut Value,
    kind: Kind,
    path: &mut String,
    version: Version,
    warnings: &mut Vec<Diagnostic>,
) {
    if let Value::Object(m) = node {
        if !m.contains_key("$ref") {
            object(m, kind, path, version, warnings);
        }
    }
    each_child_mut(node, kind, &mut |a, b, child, k| {
        let len = path.len();
        push_steps(path, a, b);
        visit(child, k, path, version, warnings);
        path.truncate(len);
    });
}

fn object(
    m: &mut Object,
    kind: Kind,
    path: &str,
    version: Version,
    warnings: &mut Vec<Diagnostic>,
) {
    match kind {
        Kind::PathItem => {
            rename(m, "query", ext::QUERY);
            rename(m, "additionalOperations", ext::ADDITIONAL_OPERATIONS);
        }
        Kind::Operation if !m.contains_key("responses") => {
            if version == Version::V30 {
                warnings.push(
                    Diagnostic::warning(path, "the operation has no `responses`")
                        .with_hint("declare the responses (required in OpenAPI 3.0)"),
                );
            }
            m.insert("responses".to_owned(), json!({}));
        }
        Kind::Response if !m.contains_key("description") => {
            if version != Version::V32 {
                warnings.push(
                    Diagnostic::warning(path, "the response has no `description`")
                        .with_hint("add `description:` (required before OpenAPI 3.2)"),
                );
            }
            m.insert("description".to_owned(), json!(""));
        }
        Kind::Parameter => parameter(m),
        Kind::MediaType => rename(m, "itemSchema", ext::ITEM_SCHEMA),
        Kind::SecurityScheme => security_scheme(m),
        _ => {}
    }
}

fn parameter(m: &mut Object) {
    if m.get("in").and_then(Value::as_str) == Some("querystring") {
        m.insert("in".to_owned(), json!("query"));
        m.insert(ext::QUERYSTRING.to_owned(), json!(true));
    }
    // `style: cookie` (3.2, cookies only) is `form` with `; ` between cookie pairs, which
    // is how a client sends cookies anyway.
    if m.get("style").and_then(Value::as_str) == Some("cookie") {
        m.insert("style".to_owned(), json!("form"));
        m.insert(ext::COOKIE_STYLE.to_owned(), json!(true));
    }
}

fn security_scheme(m: &mut Object) {
    if m.get("type").and_then(Value::as_str) == Some("mutualTLS") {
        m.insert("type".to_owned(), json!("http"));
        m.insert("scheme".to_owned(), json!("mutualTLS"));
        m.insert(ext::MUTUAL_TLS.to_owned(), json!(true));
    }
    rename(m, "oauth2MetadataUrl", ext::OAUTH2_METADATA_URL);
    if let Some(Value::Object(flows)) = m.get_mut("flows") {
        rename(flows, "deviceAuthorization", ext::DEVICE_AUTHORIZATION);
    }
}

/// Callbacks and media types that are a `$ref` to a component get a copy of it: `openapiv3`
/// reads neither as a reference.
fn inline_references(doc: &mut Value) {
    let mut found = Vec::new();
    find_inlined_refs(doc, Kind::Root, &mut String::new(), &mut found);
    for (at, target) in found {
        let Some(copy) = pointer::parse(&target)
            .and_then(|t| pointer::get(doc, &t))
            .filter(|c| c.get("$ref").is_none())
            .cloned()
        else {
            continue;
        };
        if let Some(node) = pointer::parse(&at).and_then(|t| pointer::get_mut(doc, &t)) {
            *node = copy;
        }
    }
}

/// (pointer, target pointer) of every callback or media type `$ref` outside the components.
fn find_inlined_refs(node: &Value, kind: Kind, path: &mut String, out: &mut Vec<(String, String)>) {
    let inlined = matches!(kind, Kind::Callback | Kind::MediaType);
    if inlined && !path.starts_with("/components/") {
        if let Some(target) = node
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|r| r.strip_prefix('#'))
        {
            out.push((path.clone(), target.to_owned()));
            return;
        }
    }
    each_child(node, kind, &mut |a, b, child, k| {
        let len = path.len();
        push_steps(path, a, b);
        find_inlined_refs(child, k, path, out);
        path.truncate(len);
    });
}
