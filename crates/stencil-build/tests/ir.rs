//! The IR built from real documents: names, deduplication, generics, nullability, security.

use std::path::{Path, PathBuf};

use stencil_build::stages::ir::{self, Api, Presence, Primitive, Status, TypeKind, TypeRef};

fn spec(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(rel)
}

fn build(rel: &str) -> (Api, Vec<stencil_build::Diagnostic>) {
    let loaded = stencil_build::stages::load::load(&spec(rel))
        .unwrap_or_else(|e| panic!("{rel} loads:\n{e}"));
    let mut warnings = loaded.warnings.clone();
    let api = ir::build(&loaded, &mut warnings).unwrap_or_else(|e| panic!("{rel} builds:\n{e}"));
    (api, warnings)
}

fn named<'a>(api: &'a Api, name: &str) -> &'a ir::TypeDef {
    api.types()
        .iter()
        .find(|t| t.name == name)
        .unwrap_or_else(|| {
            panic!(
                "no type {name}; have {:?}",
                api.types().iter().map(|t| &t.name).collect::<Vec<_>>()
            )
        })
}

fn op<'a>(api: &'a Api, name: &str) -> &'a ir::Operation {
    api.operations
        .iter()
        .find(|o| o.name == name)
        .unwrap_or_else(|| panic!("no operation {name}"))
}

fn body_type(api: &Api, op_name: &str, status: u16) -> String {
    let o = op(api, op_name);
    let r = o
        .responses
        .iter()
        .find(|r| r.status == Status::Code(status))
        .expect("status declared");
    match r.contents[0].ty.as_ref().expect("has a schema") {
        TypeRef::Named(id, _) => api.ty(*id).name.clone(),
        other => panic!("{other:?}"),
    }
}

const PATHSTACK: &str = "specs/pathstack/openapi_2024-03-26.yaml";

#[test]
fn login_envelopes_are_deduplicated() {
    let (api, _) = build(PATHSTACK);
    // 400, 401 and 403 differ only in examples: one type. 422 adds loc/msg/type: another.
    assert_eq!(body_type(&api, "login", 400), "ErrorResponse");
    assert_eq!(body_type(&api, "login", 401), "ErrorResponse");
    assert_eq!(body_type(&api, "login", 403), "ErrorResponse");
    assert_eq!(body_type(&api, "login", 422), "UnprocessableEntityResponse");
    // Other operations' envelopes are the same types, not copies.
    assert_eq!(body_type(&api, "refresh", 401), "ErrorResponse");
    let error = named(&api, "ErrorResponseError");
    let TypeKind::Struct(s) = &error.kind else {
        panic!()
    };
    assert_eq!(
        s.fields
            .iter()
            .map(|f| f.wire_name.as_str())
            .collect::<Vec<_>>(),
        ["code", "message"]
    );
    let TypeKind::Struct(s) = &named(&api, "UnprocessableEntityResponseError").kind else {
        panic!()
    };
    assert_eq!(
        s.fields
            .iter()
            .map(|f| f.wire_name.as_str())
            .collect::<Vec<_>>(),
        ["code", "message", "loc", "msg", "type"]
    );
    assert_eq!(s.fields[4].name, "type_", "keyword field renamed");
}

#[test]
fn pydantic_generics_become_one_generic_type() {
    let (api, _) = build(PATHSTACK);
    let success = named(&api, "Success");
    assert_eq!(success.generics, ["T"]);
    let TypeKind::Struct(s) = &success.kind else {
        panic!()
    };
    assert_eq!(s.fields[0].ty, TypeRef::Generic(0));
    let alias = named(&api, "SuccessAuthenticationResult");
    let TypeKind::Alias(TypeRef::Named(base, args)) = &alias.kind else {
        panic!("{:?}", alias.kind)
    };
    assert_eq!(api.ty(*base).name, "Success");
    assert!(
        matches!(&args[..], [TypeRef::Named(a, _)] if api.ty(*a).name == "AuthenticationResult")
    );
    // Success[list[Union[A, B]]] shares the structure too: T = Vec<union of A and B>.
    let list = named(
        &api,
        "SuccessListUnionRealtimeValidStateRealtimeTimeoutState",
    );
    let TypeKind::Alias(TypeRef::Named(base, args)) = &list.kind else {
        panic!()
    };
    assert_eq!(api.ty(*base).name, "Success");
    assert!(matches!(&args[..], [TypeRef::Array(_)]));
    assert_eq!(body_type(&api, "login", 200), "SuccessAuthenticationResult");
}

#[test]
fn fastapi_operation_names_are_cleaned() {
    let (api, _) = build(PATHSTACK);
    let names: Vec<&str> = api.operations.iter().map(|o| o.name.as_str()).collect();
    assert!(names.contains(&"login"), "{names:?}");
    assert!(names.contains(&"refresh"), "{names:?}");
    assert!(names.contains(&"update_device_by_id"), "{names:?}");
    assert_eq!(op(&api, "login").id, "login_token_post");
}

#[test]
fn security_is_per_operation() {
    let (api, _) = build(PATHSTACK);
    assert!(op(&api, "login").security.is_empty());
    assert!(op(&api, "refresh").security.is_empty());
    let summary = op(&api, "account_summary");
    assert_eq!(summary.security.len(), 1);
    assert_eq!(
        api.security_schemes[summary.security[0][0].scheme].kind,
        ir::SecurityKind::HttpBearer
    );
}

#[test]
fn header_default_and_boolean_zero_default() {
    let (api, _) = build(PATHSTACK);
    let login = op(&api, "login");
    let version = login
        .params
        .iter()
        .find(|p| p.wire_name == "x-api-version")
        .expect("x-api-version");
    assert_eq!(version.ty, TypeRef::Primitive(Primitive::Date));
    assert_eq!(version.default, Some(serde_json::json!("2024-03-26")));
    // FastAPI's `default: 0` on a boolean query parameter reads as false.
    let bools: Vec<_> = api
        .operations
        .iter()
        .flat_map(|o| &o.params)
        .filter(|p| p.ty == TypeRef::Primitive(Primitive::Bool) && p.default.is_some())
        .collect();
    assert!(!bools.is_empty());
    assert!(bools
        .iter()
        .all(|p| p.default.as_ref().is_some_and(|d| d.is_boolean())));
}

#[test]
fn nullable_any_of_reaches_the_ir() {
    let (api, _) = build(PATHSTACK);
    let TypeKind::Struct(links) = &named(&api, "Links").kind else {
        panic!()
    };
    let previous = links
        .fields
        .iter()
        .find(|f| f.wire_name == "previous")
        .unwrap();
    assert_eq!(previous.ty, TypeRef::Primitive(Primitive::String));
    assert!(previous.nullable);
    assert_eq!(previous.presence(), Presence::OptionalNullable);
}

#[test]
fn arena_is_sorted_and_ids_match() {
    let (api, _) = build(PATHSTACK);
    for (i, t) in api.types().iter().enumerate() {
        assert_eq!(t.id.index(), i);
    }
    let names: Vec<&String> = api.types().iter().map(|t| &t.name).collect();
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted);
    sorted.dedup();
    assert_eq!(sorted.len(), names.len(), "type names are unique");
}

#[test]
fn adding_an_operation_renames_nothing() {
    // The token document is the Login operation alone; the full document adds eleven more.
    let (small, _) = build("specs/pathstack/openapi_2024-03-26.token.yaml");
    let (full, _) = build(PATHSTACK);
    for t in small.types() {
        assert!(
            full.types().iter().any(|u| u.name == t.name),
            "{} renamed when operations were added",
            t.name
        );
    }
}

#[test]
fn kitchen_sinks_build() {
    for rel in [
        "specs/fixtures/kitchen-sink-3.1.yaml",
        "specs/fixtures/kitchen-sink-3.0.yaml",
        "specs/fixtures/petstore-3.0.json",
        "specs/fixtures/multi-file/api.yaml",
    ] {
        let (api, _) = build(rel);
        assert!(
            !api.types().is_empty() && !api.operations.is_empty(),
            "{rel}"
        );
    }
}

#[test]
fn root_aliases_of_other_files_name_the_types() {
    // `Pet: {$ref: schemas/pet.yaml}` and `Error: {$ref: common.yaml#/...}`: the imported
    // schemas are the structs `Pet` and `Error`, not `Pet2` / `Error2` behind aliases.
    let (api, _) = build("specs/fixtures/multi-file/api.yaml");
    for name in ["Pet", "Error"] {
        assert!(
            matches!(named(&api, name).kind, TypeKind::Struct(_)),
            "{name}: {:?}",
            named(&api, name).kind
        );
    }
    assert!(!api
        .types()
        .iter()
        .any(|t| t.name == "Pet2" || t.name == "Error2"));
}

#[test]
fn recursion_is_boxed() {
    let (api, _) = build("specs/fixtures/kitchen-sink-3.0.yaml");
    let TypeKind::Struct(series) = &named(&api, "Series").kind else {
        panic!()
    };
    let parent = series
        .fields
        .iter()
        .find(|f| f.wire_name == "parent")
        .unwrap();
    assert!(matches!(parent.ty, TypeRef::Boxed(_)), "{:?}", parent.ty);
}

#[test]
fn discriminator_mapping_gives_tag_values() {
    let (api, _) = build("specs/fixtures/kitchen-sink-3.0.yaml");
    let TypeKind::Union(u) = &named(&api, "Publication").kind else {
        panic!()
    };
    assert_eq!(u.tag.as_deref(), Some("kind"));
    let magazine = u.variants.iter().find(|v| v.name == "Magazine").unwrap();
    assert_eq!(magazine.tag_values, ["magazine", "zine"]);
}

#[test]
fn openapi_32_item_schemas_are_the_item_types_of_their_media_types() {
    let (api, warnings) = build("specs/fixtures/openapi-3.2.yaml");
    let events = op(&api, "pet_events");
    let item = |media: &str| {
        let content = events.responses[0]
            .contents
            .iter()
            .find(|c| c.media_type == media)
            .unwrap_or_else(|| panic!("no {media}"));
        match &content.item {
            Some(TypeRef::Named(id, _)) => api.ty(*id).name.clone(),
            other => panic!("{media}: {other:?}"),
        }
    };
    // Events: the payload that the event's `data` holds (`contentSchema`).
    assert_eq!(item("text/event-stream"), "PetEvent");
    assert_eq!(item("application/jsonl"), "PetEvent");
    // Without `schema`, the streams' items are those types (what the emitters read).
    for content in &events.responses[0].contents {
        assert_eq!(content.ty, content.item, "{}", content.media_type);
    }
    // Every 3.2 construct of the fixture is generated: no warning.
    let shown: Vec<String> = warnings.iter().map(|w| w.to_string()).collect();
    assert!(warnings.is_empty(), "{shown:?}");
}

#[test]
fn openapi_32_methods_querystring_and_tags() {
    use stencil_build::stages::ir::{Method, ParamLocation, ParamStyle};
    let (api, _) = build("specs/fixtures/openapi-3.2.yaml");
    let search = op(&api, "search_pets");
    assert_eq!(
        (&search.method, search.path.as_str()),
        (&Method::Query, "/pets")
    );
    assert_eq!(search.origin, "/paths/~1pets/query");
    assert!(search.body.as_ref().is_some_and(|b| b.required));
    let link = op(&api, "link_pets");
    assert_eq!(link.method, Method::Other("LINK".into()));
    assert_eq!(link.origin, "/paths/~1pets/additionalOperations/LINK");
    let purge = op(&api, "purge_pet");
    assert_eq!(purge.method, Method::Other("PURGE".into()));
    // The path item's parameters apply to its additional operations too.
    assert_eq!(purge.params[0].wire_name, "name");
    assert_eq!(purge.params[0].location, ParamLocation::Path);
    let by_query = op(&api, "search_pets_by_query_string");
    let [filter] = by_query.params.as_slice() else {
        panic!("{:?}", by_query.params)
    };
    assert_eq!(filter.location, ParamLocation::QueryString);
    assert_eq!((filter.style, filter.explode), (ParamStyle::Form, true));
    assert!(matches!(&filter.ty, TypeRef::Named(id, _) if api.ty(*id).name == "PetQuery"));
    let parents: Vec<(&str, Option<&str>)> = api
        .tags
        .iter()
        .map(|t| (t.name.as_str(), t.parent.as_deref()))
        .collect();
    assert_eq!(
        parents,
        [("pets", None), ("cats", Some("pets")), ("beta", None)]
    );
    assert_eq!(api.tags[1].docs.title.as_deref(), Some("Cats"));
}

#[test]
fn openapi_32_bad_methods_and_tag_parents_are_warnings() {
    let dir = std::env::temp_dir().join(format!("stencil-ir-32-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("bad.yaml");
    std::fs::write(
        &path,
        "openapi: 3.2.0\ninfo: {title: t, version: '1'}\n\
         tags:\n  - {name: a, parent: b}\n  - {name: b, parent: a}\n  - {name: c, parent: z}\n\
         paths:\n  /x:\n    additionalOperations:\n      POST: {responses: {'204': {description: ok}}}\n\
         \x20     'NOT A TOKEN': {responses: {'204': {description: ok}}}\n\
         \x20     COPY: {responses: {'204': {description: ok}}}\n\
         \x20 /y:\n    get:\n      responses: {'204': {description: ok}}\n      parameters:\n\
         \x20       - {name: q, in: querystring, content: {application/x-www-form-urlencoded: {schema: {type: object}}}}\n\
         \x20       - {name: r, in: querystring, content: {application/x-www-form-urlencoded: {schema: {type: object}}}}\n\
         \x20       - {name: s, in: query, schema: {type: string}}\n\
         \x20       - {name: t, in: header, schema: {type: string}}\n\
         \x20 /z:\n    get:\n      responses: {'204': {description: ok}}\n      parameters:\n\
         \x20       - {name: j, in: querystring, content: {application/json: {schema: {type: object}}}}\n",
    )
    .unwrap();
    let loaded = stencil_build::stages::load::load(&path).expect("loads");
    let mut warnings = loaded.warnings.clone();
    let api = ir::build(&loaded, &mut warnings).expect("builds");
    std::fs::remove_dir_all(&dir).ok();
    let shown: Vec<String> = warnings.iter().map(|w| w.to_string()).collect();
    for (message, at) in [
        (
            "`POST` is a fixed field of the path item",
            "/paths/~1x/additionalOperations/POST",
        ),
        (
            "`NOT A TOKEN` is not an HTTP method name",
            "/paths/~1x/additionalOperations/NOT A TOKEN",
        ),
        (
            "the parent `b` of tag `a` leads back to the tag",
            "/tags/0/parent",
        ),
        (
            "the parent `a` of tag `b` leads back to the tag",
            "/tags/1/parent",
        ),
        (
            "the parent `z` of tag `c` is not a declared tag",
            "/tags/2/parent",
        ),
        (
            "the query parameter `r` cannot be sent next to the query string `q`",
            "/paths/~1y/get/parameters",
        ),
        (
            "the query parameter `s` cannot be sent next to the query string `q`",
            "/paths/~1y/get/parameters",
        ),
        (
            "`in: querystring` (`j`) with `application/json` is not generated",
            "/paths/~1z/get/parameters/0",
        ),
    ] {
        assert!(
            shown.iter().any(|w| w.contains(message) && w.contains(at)),
            "{message} at {at}: {shown:?}"
        );
    }
    let methods: Vec<&str> = api.operations.iter().map(|o| o.method.as_str()).collect();
    assert_eq!(methods, ["COPY", "GET", "GET"]);
    let kept: Vec<&str> = api.operations[1]
        .params
        .iter()
        .map(|p| p.wire_name.as_str())
        .collect();
    assert_eq!(kept, ["q", "t"]);
    assert!(api.operations[2].params.is_empty());
    assert!(api.tags.iter().all(|t| t.parent.is_none()));
}

#[test]
fn webhooks_and_callbacks_are_hooks() {
    use stencil_build::stages::ir::{HookKind, UrlPiece, ValueSource};
    let (api, _) = build("specs/conformance/oas/examples/v3.1_webhook-example.yaml");
    assert!(api.operations.is_empty());
    let [hook] = api.hooks.as_slice() else {
        panic!("{:?}", api.hooks)
    };
    assert_eq!(
        hook.kind,
        HookKind::Webhook {
            name: "newPet".into()
        }
    );
    assert_eq!(hook.operation.origin, "/webhooks/newPet/post");
    let body = hook.operation.body.as_ref().unwrap();
    assert!(
        matches!(&body.contents[0].ty, Some(TypeRef::Named(id, _)) if api.ty(*id).name == "Pet")
    );
    assert_eq!(hook.operation.responses[0].status, Status::Code(200));

    let (api, warnings) = build("specs/conformance/oas/examples/v3.0_callback-example.yaml");
    let [hook] = api.hooks.as_slice() else {
        panic!("{:?}", api.hooks)
    };
    let HookKind::Callback {
        owner,
        name,
        expression,
        url,
    } = &hook.kind
    else {
        panic!("{:?}", hook.kind)
    };
    assert_eq!(owner, &api.operations[0].name);
    assert_eq!(
        (name.as_str(), expression.as_str()),
        ("onData", "{$request.query.callbackUrl}/data")
    );
    // The expression, split: the query parameter's value, then the literal suffix.
    assert_eq!(
        url,
        &[
            UrlPiece::Request(ValueSource::Query("callbackUrl".into())),
            UrlPiece::Text("/data".into()),
        ]
    );
    // Named after the callback, not its URL.
    assert_eq!(hook.operation.name, "post_on_data");
    // The callback's inline body is a type of the arena, named from the hook.
    let body = hook.operation.body.as_ref().unwrap();
    let Some(TypeRef::Named(id, _)) = &body.contents[0].ty else {
        panic!("{body:?}")
    };
    assert!(
        matches!(api.ty(*id).kind, TypeKind::Struct(_)),
        "{:?}",
        api.ty(*id)
    );
    // The expression is no path template: no path parameter is invented for it.
    assert!(hook.operation.params.is_empty());
    assert!(warnings.is_empty(), "{warnings:?}");
}
