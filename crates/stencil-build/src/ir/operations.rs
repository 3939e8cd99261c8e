//! Operations: parameters, request bodies and responses, in document order (security is in
//! `security.rs`).

use std::collections::HashMap;

use openapiv3::{
    Header, MediaType, Parameter, ParameterSchemaOrContent, PathStyle, QueryStyle, ReferenceOr,
    RequestBody as OaBody, Response as OaResponse, StatusCode,
};
use serde_json::Value;

use crate::diag::join;
use crate::ir::build::{Builder, Hint};
use crate::ir::convert::Typed;
use crate::ir::media::{content_kind, media_kind};
use crate::ir::{
    Constraints, Content, Docs, MediaKind, Method, Operation, Param, ParamLocation, ParamStyle,
    Primitive, RequestBody, Response, ResponseHeader, Status, TypeRef,
};
use crate::load::ext;
use crate::naming;

/// A path item to take operations from: its key (a path template, a webhook name or a
/// callback expression), the item, and its pointer.
pub(crate) type Item<'d> = (String, &'d openapiv3::PathItem, String);

const METHODS: [(&str, Method); 8] = [
    ("get", Method::Get),
    ("put", Method::Put),
    ("post", Method::Post),
    ("delete", Method::Delete),
    ("options", Method::Options),
    ("head", Method::Head),
    ("patch", Method::Patch),
    ("trace", Method::Trace),
];

impl Builder<'_> {
    /// The operations under `paths`.
    pub(crate) fn operations(&mut self) -> Vec<Operation> {
        let doc = self.doc;
        let mut items = Vec::new();
        for (path, item) in &doc.paths.paths {
            let item_ptr = join("/paths", path);
            let ReferenceOr::Item(item) = item else {
                self.warning(
                    &item_ptr,
                    "path item `$ref` is not supported; the path is skipped",
                    "inline the path item",
                );
                continue;
            };
            items.push((path.clone(), item, item_ptr));
        }
        self.operations_of(&items, true)
    }

    /// The operations of `items`, named in one scope. `paths`: the items are `paths` entries,
    /// whose keys are path templates (else webhook names or callback expressions).
    pub(crate) fn operations_of(&mut self, items: &[Item<'_>], paths: bool) -> Vec<Operation> {
        let doc = self.doc;
        // OpenAPI 3.2 `query` and `additionalOperations`, read per item before borrowing.
        let extensions: Vec<Vec<(String, Method, openapiv3::Operation)>> = items
            .iter()
            .map(|(_, item, item_ptr)| self.extension_operations(item, item_ptr))
            .collect();
        // Names: FastAPI suffixes are cleaned only where the result stays unique.
        let mut found = Vec::new();
        for ((path, item, item_ptr), extra) in items.iter().zip(&extensions) {
            let item = *item;
            for (key, method) in METHODS {
                let op = match method {
                    Method::Get => &item.get,
                    Method::Put => &item.put,
                    Method::Post => &item.post,
                    Method::Delete => &item.delete,
                    Method::Options => &item.options,
                    Method::Head => &item.head,
                    Method::Patch => &item.patch,
                    _ => &item.trace,
                };
                if let Some(op) = op {
                    let ptr = join(item_ptr, key);
                    found.push((path, item, item_ptr, key.to_owned(), method, op, ptr));
                }
            }
            for (at, method, op) in extra {
                let key = method.as_str().to_ascii_lowercase();
                let ptr = format!("{item_ptr}/{at}");
                found.push((path, item, item_ptr, key, method.clone(), op, ptr));
            }
        }
        let cleaned: Vec<String> = found
            .iter()
            .map(|(path, _, _, key, _, op, _)| match &op.operation_id {
                Some(id) => naming::field_name(
                    &naming::fastapi_function_name(id, key, path).unwrap_or_else(|| id.clone()),
                ),
                None => naming::operation_name_from_route(key, path),
            })
            .collect();
        let mut counts: HashMap<&str, usize> = HashMap::new();
        for c in &cleaned {
            *counts.entry(c.as_str()).or_default() += 1;
        }
        let mut scope = naming::Scope::with_reserved(naming::CLIENT_ITEMS);
        let mut ops = Vec::new();
        for ((path, item, item_ptr, _key, method, op, ptr), clean) in found.iter().zip(&cleaned) {
            let wanted = match (&op.operation_id, counts[clean.as_str()]) {
                (Some(id), n) if n > 1 => naming::field_name(id),
                _ => clean.clone(),
            };
            let (name, renamed) = scope.claim(&wanted);
            if renamed {
                let (message, hint) = if naming::CLIENT_ITEMS.contains(&wanted.as_str()) {
                    (
                        format!("operation name `{wanted}` is a method of the generated client; this operation is `{name}`"),
                        "give the operation another operationId to choose its Rust name",
                    )
                } else {
                    (
                        format!("operation name `{wanted}` is used twice; this one is `{name}`"),
                        "give the operations distinct operationIds",
                    )
                };
                self.warning(ptr, message, hint);
            }
            let type_name = naming::type_name(&name);
            let id = op
                .operation_id
                .clone()
                .unwrap_or_else(|| format!("{} {}", method.as_str(), path));
            let mut params = Vec::new();
            let mut pscope = naming::Scope::with_reserved(&["body"]);
            let all: Vec<(&ReferenceOr<Parameter>, String)> = item
                .parameters
                .iter()
                .enumerate()
                .map(|(i, p)| (p, join(&join(item_ptr, "parameters"), &i.to_string())))
                .chain(
                    op.parameters
                        .iter()
                        .enumerate()
                        .map(|(i, p)| (p, join(&join(ptr, "parameters"), &i.to_string()))),
                )
                .collect();
            // Operation-level parameters override path-level ones with the same name and location.
            let mut resolved: Vec<(Parameter, String)> = Vec::new();
            for (p, pptr) in all {
                let Some(p) = self.resolve_param(p, &pptr) else {
                    continue;
                };
                let data = p.clone().parameter_data();
                let loc = std::mem::discriminant(&p);
                resolved.retain(|(q, _)| {
                    !(std::mem::discriminant(q) == loc
                        && q.clone().parameter_data().name == data.name)
                });
                resolved.push((p, pptr));
            }
            if paths {
                self.match_path_template(path, ptr, &mut resolved);
            }
            for (p, pptr) in resolved {
                if let Some(param) = self.param(&p, &pptr, &type_name, &mut pscope) {
                    params.push(param);
                }
            }
            self.one_query_string(&mut params, ptr);
            let body = op
                .request_body
                .as_ref()
                .and_then(|b| self.body(b, &join(ptr, "requestBody"), &type_name));
            let responses = self.responses(op, ptr, &type_name);
            let security = self.security(op.security.as_ref().or(doc.security.as_ref()), ptr);
            let pagination = self.pagination(op.extensions.get("x-pagination"), &params, ptr);
            ops.push(Operation {
                id,
                name,
                type_name,
                method: method.clone(),
                path: (*path).clone(),
                tags: op.tags.clone(),
                docs: Docs {
                    title: op.summary.clone(),
                    description: op.description.clone(),
                    examples: Vec::new(),
                    deprecated: op.deprecated,
                },
                params,
                body,
                responses,
                security,
                origin: ptr.clone(),
                pagination,
            });
        }
        ops
    }

    fn resolve_param(&mut self, p: &ReferenceOr<Parameter>, ptr: &str) -> Option<Parameter> {
        match p {
            ReferenceOr::Item(p) => Some(p.clone()),
            ReferenceOr::Reference { reference } => {
                let key = reference.strip_prefix("#/components/parameters/");
                let found = key.and_then(|k| self.doc.components.as_ref()?.parameters.get(k));
                match found {
                    Some(ReferenceOr::Item(p)) => Some(p.clone()),
                    _ => {
                        self.warning(
                            ptr,
                            format!(
                                "parameter `$ref: {reference}` does not resolve to a parameter; the parameter is skipped"
                            ),
                            "point it at an entry of #/components/parameters",
                        );
                        None
                    }
                }
            }
        }
    }

    fn param(
        &mut self,
        p: &Parameter,
        ptr: &str,
        op: &str,
        scope: &mut naming::Scope,
    ) -> Option<Param> {
        let (location, style, explode_default) = match p {
            Parameter::Query { style, .. } => (
                ParamLocation::Query,
                match style {
                    QueryStyle::Form => ParamStyle::Form,
                    QueryStyle::SpaceDelimited => ParamStyle::SpaceDelimited,
                    QueryStyle::PipeDelimited => ParamStyle::PipeDelimited,
                    QueryStyle::DeepObject => ParamStyle::DeepObject,
                },
                matches!(style, QueryStyle::Form | QueryStyle::DeepObject),
            ),
            Parameter::Path { style, .. } => (
                ParamLocation::Path,
                match style {
                    PathStyle::Simple => ParamStyle::Simple,
                    PathStyle::Label => ParamStyle::Label,
                    PathStyle::Matrix => ParamStyle::Matrix,
                },
                false,
            ),
            Parameter::Header { .. } => (ParamLocation::Header, ParamStyle::Simple, false),
            Parameter::Cookie { .. } => (ParamLocation::Cookie, ParamStyle::Form, true),
        };
        let data = p.clone().parameter_data();
        let (location, style, explode_default) = if data.extensions.contains_key(ext::QUERYSTRING) {
            if !self.query_string_is_form(&data, ptr) {
                return None;
            }
            (ParamLocation::QueryString, ParamStyle::Form, true)
        } else {
            (location, style, explode_default)
        };
        if location == ParamLocation::Header
            && ["accept", "content-type", "authorization"]
                .contains(&data.name.to_ascii_lowercase().as_str())
        {
            return None;
        }
        let hint = Hint::root(format!("{op}{}", naming::type_name(&data.name)));
        let t = self.param_schema(&data.format, &join(ptr, "schema"), hint);
        let (name, _) = scope.claim(&naming::field_name(&data.name));
        let default = coerce_default(t.default.clone(), &t.ty);
        Some(Param {
            wire_name: data.name.clone(),
            name,
            location,
            required: data.required || location == ParamLocation::Path,
            ty: t.ty,
            default,
            style,
            explode: data.explode.unwrap_or(explode_default),
            constraints: t.constraints,
            docs: Docs {
                title: None,
                description: data.description.clone(),
                examples: data.example.clone().into_iter().collect(),
                deprecated: data.deprecated.unwrap_or(false),
            },
        })
    }

    fn param_schema(&mut self, format: &ParameterSchemaOrContent, ptr: &str, hint: Hint) -> Typed {
        match format {
            ParameterSchemaOrContent::Schema(s) => self.type_of(s, ptr, hint),
            ParameterSchemaOrContent::Content(c) => match c.iter().next() {
                Some((
                    _,
                    MediaType {
                        schema: Some(s), ..
                    },
                )) => self.type_of(s, ptr, hint),
                _ => self.type_of::<openapiv3::Schema>(&ReferenceOr::Item(any_schema()), ptr, hint),
            },
        }
    }

    fn body(&mut self, b: &ReferenceOr<OaBody>, ptr: &str, op: &str) -> Option<RequestBody> {
        let body = match b {
            ReferenceOr::Item(b) => b.clone(),
            ReferenceOr::Reference { reference } => {
                let key = reference.strip_prefix("#/components/requestBodies/");
                match key.and_then(|k| self.doc.components.as_ref()?.request_bodies.get(k)) {
                    Some(ReferenceOr::Item(b)) => b.clone(),
                    _ => {
                        self.warning(
                            ptr,
                            format!("request body `$ref: {reference}` does not resolve to a request body; the operation takes no body"),
                            "point it at an entry of #/components/requestBodies",
                        );
                        return None;
                    }
                }
            }
        };
        let several = body.content.len() > 1;
        let mut contents = Vec::new();
        for (media_type, m) in &body.content {
            let suffix = match (several, media_kind(media_type)) {
                (true, MediaKind::Form) => "Form",
                (true, MediaKind::Multipart) => "Multipart",
                _ => "Body",
            };
            let mptr = join(&join(&join(ptr, "content"), media_type), "schema");
            let typed = m
                .schema
                .as_ref()
                .map(|s| self.type_of(s, &mptr, Hint::root(format!("{op}{suffix}"))));
            let constraints = typed
                .as_ref()
                .map(|t| t.constraints.clone())
                .unwrap_or_default();
            let ty = typed.map(|t| t.ty);
            let item = self.item_type(m, &mptr, Hint::root(format!("{op}{suffix}Item")), false);
            let (media_type, kind) = content_kind(media_type, ty.as_ref());
            // A request body of a streamed kind is sent and received as bytes.
            let kind = if kind.is_stream() {
                MediaKind::Binary
            } else {
                kind
            };
            if contents
                .iter()
                .any(|c: &Content| c.media_type == media_type)
            {
                continue;
            }
            contents.push(Content {
                media_type,
                kind,
                ty,
                item,
                constraints,
            });
        }
        Some(RequestBody {
            required: body.required,
            contents,
            docs: Docs {
                description: body.description.clone(),
                ..Docs::default()
            },
        })
    }

    fn responses(&mut self, op: &openapiv3::Operation, ptr: &str, op_name: &str) -> Vec<Response> {
        let rptr = join(ptr, "responses");
        let successes = op
            .responses
            .responses
            .keys()
            .filter(|s| status_of(s).is_success())
            .count();
        let mut out = Vec::new();
        let entries = op
            .responses
            .responses
            .iter()
            .map(|(s, r)| (status_of(s), r))
            .chain(op.responses.default.iter().map(|r| (Status::Default, r)));
        for (status, r) in entries {
            let key = match status {
                Status::Code(c) => c.to_string(),
                Status::Range(r) => format!("{r}XX"),
                Status::Default => "default".to_owned(),
            };
            let sptr = join(&rptr, &key);
            let Some(resp) = self.resolve_response(r, &sptr) else {
                continue;
            };
            let hint = match status {
                Status::Code(c) if status.is_success() && successes > 1 => {
                    Hint::root(format!("{op_name}{}Response", naming::status_name(c)))
                }
                _ if status.is_success() => Hint::root(format!("{op_name}Response")),
                Status::Code(c) => Hint {
                    error_status: Some(c),
                    fallback_prefix: Some(op_name.to_owned()),
                    ..Hint::root(format!("{}Response", naming::status_name(c)))
                },
                Status::Range(r) => Hint {
                    fallback_prefix: Some(op_name.to_owned()),
                    ..Hint::root(format!("Status{r}xxResponse"))
                },
                Status::Default => Hint::root(format!("{op_name}DefaultResponse")),
            };
            let mut contents = Vec::new();
            for (media_type, m) in &resp.content {
                let mptr = join(&join(&join(&sptr, "content"), media_type), "schema");
                let ty = m
                    .schema
                    .as_ref()
                    .map(|s| self.type_of(s, &mptr, hint.clone()).ty);
                let item_hint = Hint {
                    text: format!("{}Item", hint.text),
                    ..hint.clone()
                };
                let events = media_kind(media_type) == MediaKind::EventStream;
                let item = self.item_type(m, &mptr, item_hint, events);
                // A sequence without `schema` (OpenAPI 3.2) streams items of its `itemSchema`.
                let ty = match (ty, &item) {
                    (None, Some(item)) if media_kind(media_type).is_stream() => Some(item.clone()),
                    (ty, _) => ty,
                };
                let (media_type, kind) = content_kind(media_type, ty.as_ref());
                if contents
                    .iter()
                    .any(|c: &Content| c.media_type == media_type)
                {
                    continue;
                }
                contents.push(Content {
                    media_type,
                    kind,
                    ty,
                    item,
                    constraints: Constraints::default(),
                });
            }
            let mut headers = Vec::new();
            let mut hscope = naming::Scope::new();
            for (wire, h) in &resp.headers {
                let hptr = join(&join(&sptr, "headers"), wire);
                let Some(h) = self.resolve_header(h, &hptr) else {
                    continue;
                };
                let t = self.param_schema(
                    &h.format,
                    &join(&hptr, "schema"),
                    Hint::root(format!("{op_name}{}", naming::type_name(wire))),
                );
                headers.push(ResponseHeader {
                    wire_name: wire.clone(),
                    name: hscope.claim(&naming::field_name(wire)).0,
                    required: h.required,
                    ty: t.ty,
                    docs: Docs {
                        description: h.description.clone(),
                        ..Docs::default()
                    },
                });
            }
            out.push(Response {
                status,
                description: resp.description.clone(),
                contents,
                headers,
            });
        }
        // No responses at all (optional since 3.1): any success, without a body the client
        // would need to decode.
        if op.responses.responses.is_empty() && op.responses.default.is_none() {
            out.push(Response {
                status: Status::Range(2),
                description: "Any successful response (the document declares no responses)."
                    .to_owned(),
                contents: Vec::new(),
                headers: Vec::new(),
            });
        }
        out
    }

    fn resolve_response(&mut self, r: &ReferenceOr<OaResponse>, ptr: &str) -> Option<OaResponse> {
        match r {
            ReferenceOr::Item(r) => Some(r.clone()),
            ReferenceOr::Reference { reference } => {
                let key = reference.strip_prefix("#/components/responses/");
                match key.and_then(|k| self.doc.components.as_ref()?.responses.get(k)) {
                    Some(ReferenceOr::Item(r)) => Some(r.clone()),
                    _ => {
                        self.warning(
                            ptr,
                            format!("response `$ref: {reference}` does not resolve to a response; the status is left undeclared"),
                            "point it at an entry of #/components/responses",
                        );
                        None
                    }
                }
            }
        }
    }

    fn resolve_header(&mut self, h: &ReferenceOr<Header>, ptr: &str) -> Option<Header> {
        match h {
            ReferenceOr::Item(h) => Some(h.clone()),
            ReferenceOr::Reference { reference } => {
                let key = reference.strip_prefix("#/components/headers/");
                match key.and_then(|k| self.doc.components.as_ref()?.headers.get(k)) {
                    Some(ReferenceOr::Item(h)) => Some(h.clone()),
                    _ => {
                        self.warning(
                            ptr,
                            format!("header `$ref: {reference}` does not resolve to a header; the header is skipped"),
                            "point it at an entry of #/components/headers",
                        );
                        None
                    }
                }
            }
        }
    }
}

fn status_of(s: &StatusCode) -> Status {
    match s {
        StatusCode::Code(c) => Status::Code(*c),
        StatusCode::Range(r) => Status::Range(*r),
    }
}

fn any_schema() -> openapiv3::Schema {
    openapiv3::Schema {
        schema_data: Default::default(),
        schema_kind: openapiv3::SchemaKind::Any(Default::default()),
    }
}

/// FastAPI writes `default: 0` for boolean parameters; read it as `false`.
fn coerce_default(default: Option<Value>, ty: &TypeRef) -> Option<Value> {
    match (default, ty) {
        (Some(Value::Number(n)), TypeRef::Primitive(Primitive::Bool)) => {
            Some(Value::Bool(n.as_f64() != Some(0.0)))
        }
        (d, _) => d,
    }
}
