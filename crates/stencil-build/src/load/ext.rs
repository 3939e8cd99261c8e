//! Extension keys the normaliser writes for 3.1 keywords `openapiv3` has no field for. The IR
//! builder reads them.

/// `const: v` (also written as `enum: [v]`).
pub const CONST: &str = "x-stencil-const";
/// schema `examples: [...]` (the first is also written as `example`).
pub const EXAMPLES: &str = "x-stencil-examples";
/// `prefixItems: [...]`: raw schemas of a tuple.
pub const PREFIX_ITEMS: &str = "x-stencil-prefix-items";
/// `contentMediaType` of a string schema.
pub const CONTENT_MEDIA_TYPE: &str = "x-stencil-content-media-type";
/// Set on the `allOf: [{$ref}]` wrapper made from a `$ref` with sibling keywords: the schema
/// is the referenced one, the siblings only add docs/nullability.
pub const REF_SIBLINGS: &str = "x-stencil-ref-siblings";
/// `type: 'null'` alone: the only value is `null`.
pub const NULL_TYPE: &str = "x-stencil-null";
/// The OpenAPI version the document declared (`3.0.3`, `3.1.0`), on the root.
pub const ORIGINAL_VERSION: &str = "x-stencil-openapi";
/// The root `webhooks` (3.1): name → path item.
pub const WEBHOOKS: &str = "x-stencil-webhooks";
/// `type: mutualTLS` (3.1), on the HTTP security scheme it is read as.
pub const MUTUAL_TLS: &str = "x-stencil-mutual-tls";
/// The `query` operation of a path item (3.2).
pub const QUERY: &str = "x-stencil-query";
/// `additionalOperations` of a path item (3.2): method name → operation.
pub const ADDITIONAL_OPERATIONS: &str = "x-stencil-additional-operations";
/// `in: querystring` (3.2), on the parameter it is read as (`in: query`): the whole query
/// string is one value, described by the parameter's `content`.
pub const QUERYSTRING: &str = "x-stencil-querystring";
/// `style: cookie` (3.2), on the cookie parameter it is read as (`style: form`).
pub const COOKIE_STYLE: &str = "x-stencil-cookie-style";
/// `itemSchema` of a media type (3.2): the schema of each item of a sequential media type
/// (`text/event-stream`, `application/jsonl`, ...).
pub const ITEM_SCHEMA: &str = "x-stencil-item-schema";
/// Tag `summary` (3.2): a short title.
pub const TAG_SUMMARY: &str = "x-stencil-tag-summary";
/// Tag `parent` (3.2): the name of the tag this one is nested under.
pub const TAG_PARENT: &str = "x-stencil-tag-parent";
/// Tag `kind` (3.2): `nav`, `badge`, `audience`, ... (a registry of values).
pub const TAG_KIND: &str = "x-stencil-tag-kind";
/// The root `$self` (3.2): the document's own URI.
pub const SELF: &str = "x-stencil-self";
/// `oauth2MetadataUrl` of an OAuth2 security scheme (3.2).
pub const OAUTH2_METADATA_URL: &str = "x-stencil-oauth2-metadata-url";
/// The OAuth2 `deviceAuthorization` flow (3.2), under `flows`.
pub const DEVICE_AUTHORIZATION: &str = "x-stencil-device-authorization";
