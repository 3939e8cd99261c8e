//! The operation table (`pub mod operations`): one static `rt::Operation` per operation, the
//! parameter descriptions and error lists several operations share written once as constants,
//! and the fallback error envelope.

use proc_macro2::{Ident, Literal, TokenStream};
use quote::{format_ident, quote};

use super::{messages, Cx};
use crate::emit::Sink;
use crate::ir::{MediaKind, ParamLocation, ParamStyle, SecurityKind, Status};

/// One operation's static, its parameters and error list as indexes into [`Shared`] (known
/// once every operation has been seen).
struct OperationStatic {
    /// `` `GET /path` ``
    doc: String,
    name: Ident,
    params: Vec<usize>,
    body: TokenStream,
    security: Vec<TokenStream>,
    /// `None`: no error response (an empty list is as short as a constant's name).
    errors: Option<usize>,
}

impl Cx<'_> {
    /// `pub mod operations`: the static description of each operation, into `sink` an
    /// operation at a time (after the parameters and error lists they share).
    pub(super) fn operations(&mut self, sink: &mut dyn Sink) {
        let api = self.api;
        let schemes: Vec<Ident> = api
            .security_schemes
            .iter()
            .map(|s| format_ident!("SCHEME_{}", s.name.to_ascii_uppercase()))
            .collect();
        let mut items = scheme_statics(self, &schemes);
        // The API's usual error envelope.
        let fallback = self.fallback();
        let fallback_ref = match fallback {
            Some(tokens) => {
                items.push(quote!(static FALLBACK: rt::ErrorResponse = #tokens;));
                quote!(Some(&FALLBACK))
            }
            None => quote!(None),
        };
        // Parameters and error lists that several operations share are written once, as
        // constants (big documents repeat the same query parameters and error responses on
        // thousands of operations).
        let mut shared = Shared::default();
        let ops: Vec<OperationStatic> = (0..api.operations.len())
            .map(|i| self.operation_static(i, &schemes, &mut shared))
            .collect();
        shared.params.seal();
        shared.errors.seal();
        // rustdoc resolves the links in a module's outer docs in the parent module: `server`.
        sink.open(quote! {
            /// The operations, described for the runtime (and for middleware: see
            /// [`operation_of`]).
            pub mod operations
        });
        let params = shared.params.constants("PARAM", quote!(rt::Param));
        let errors = shared
            .errors
            .constants("ERRORS", quote!(&[rt::ErrorResponse]));
        sink.items(quote! {
            use ::stencil::server as rt;
            #(#params)*
            #(#errors)*
            // The security schemes and the fallback error envelope.
            #(#items)*
        });
        for (i, op) in ops.into_iter().enumerate() {
            sink.items(self.operation_item(i, op, &shared, &fallback_ref));
        }
        let all = self.statics.iter();
        sink.items(quote! {
            /// Every operation, in document order.
            pub static ALL: &[&rt::Operation] = &[#(&#all),*];
        });
        sink.close();
    }

    /// The parts of operation `i`'s static, its parameters and error list recorded in `shared`.
    fn operation_static(
        &mut self,
        i: usize,
        schemes: &[Ident],
        shared: &mut Shared,
    ) -> OperationStatic {
        let op = &self.api.operations[i];
        let params: Vec<TokenStream> = op.params.iter().map(|p| self.param(p)).collect();
        let body = self.body(op);
        let security: Vec<TokenStream> = op
            .security
            .iter()
            .map(|set| {
                let uses = set.iter().filter_map(|u| {
                    let scheme = schemes.get(u.scheme)?;
                    let scopes = &u.scopes;
                    Some(quote!(rt::SchemeUse { scheme: &#scheme, scopes: &[#(#scopes),*] }))
                });
                quote!(&[#(#uses),*])
            })
            .collect();
        let errors: Vec<TokenStream> = op
            .responses
            .iter()
            .filter(|r| !r.status.is_success())
            .map(|r| self.error_response(r))
            .collect();
        OperationStatic {
            doc: format!(" `{} {}`", op.method.as_str(), op.path.replace('`', "'")),
            name: self.statics[i].clone(),
            params: params.into_iter().map(|p| shared.params.add(p)).collect(),
            body,
            security,
            errors: (!errors.is_empty()).then(|| shared.errors.add(quote!(&[#(#errors),*]))),
        }
    }

    /// `pub static <OP>: rt::Operation = ..;` for operation `i`.
    fn operation_item(
        &self,
        i: usize,
        parts: OperationStatic,
        shared: &Shared,
        fallback: &TokenStream,
    ) -> TokenStream {
        let op = &self.api.operations[i];
        let (id, method_name, method, path) = (&op.id, &op.name, op.method.as_str(), &op.path);
        let OperationStatic {
            doc,
            name,
            params,
            body,
            security,
            errors,
        } = parts;
        let params = params.into_iter().map(|p| shared.params.get(p, "PARAM"));
        let errors = match errors {
            Some(errors) => shared.errors.get(errors, "ERRORS"),
            None => quote!(&[]),
        };
        quote! {
            #[doc = #doc]
            pub static #name: rt::Operation = rt::Operation {
                id: #id,
                name: #method_name,
                method: #method,
                path: #path,
                params: &[#(#params),*],
                body: #body,
                security: &[#(#security),*],
                errors: #errors,
                fallback: #fallback,
            };
        }
    }

    /// `rt::Param { .. }`: a parameter as the runtime reads and checks it.
    fn param(&mut self, p: &crate::ir::Param) -> TokenStream {
        let pname = &p.wire_name;
        let location = location_tokens(p.location);
        let required = p.required;
        let style = style_tokens(p.style);
        let explode = p.explode;
        let schema = self.schemas.checked(&p.ty, &p.constraints);
        let default = match messages::param_field(self.api, p).default {
            Some(d) => {
                let text = d.to_string();
                quote!(Some(#text))
            }
            None => quote!(None),
        };
        quote!(rt::Param { name: #pname, location: #location, required: #required, style: #style, explode: #explode, schema: #schema, default: #default })
    }

    /// `Some(&rt::Body { .. })` for an operation with a request body, else `None`.
    fn body(&mut self, op: &crate::ir::Operation) -> TokenStream {
        let Some(b) = op.body.as_ref().filter(|b| !b.contents.is_empty()) else {
            return quote!(None);
        };
        let required = b.required;
        let contents: Vec<TokenStream> = b
            .contents
            .iter()
            .map(|c| {
                let media_type = &c.media_type;
                let kind = media_kind_tokens(c.kind);
                let schema = match (&c.ty, c.kind) {
                    (Some(ty), k) if k != MediaKind::Binary => {
                        let s = self.schemas.checked(ty, &c.constraints);
                        quote!(Some(#s))
                    }
                    _ => quote!(None),
                };
                quote!(rt::Content { media_type: #media_type, kind: #kind, schema: #schema })
            })
            .collect();
        quote!(Some(&rt::Body { required: #required, contents: &[#(#contents),*] }))
    }

    fn error_response(&mut self, r: &crate::ir::Response) -> TokenStream {
        let status = match r.status {
            Status::Code(c) => {
                let c = Literal::u16_unsuffixed(c);
                quote!(rt::StatusSpec::Code(#c))
            }
            Status::Range(d) => {
                let d = Literal::u16_unsuffixed(d);
                quote!(rt::StatusSpec::Range(#d))
            }
            Status::Default => quote!(rt::StatusSpec::Default),
        };
        let (media_type, schema) = match r.contents.first() {
            Some(c) => {
                let mt = &c.media_type;
                let schema = match &c.ty {
                    Some(ty) => {
                        let s = self.schemas.schema(ty);
                        quote!(Some(#s))
                    }
                    None => quote!(None),
                };
                (quote!(Some(#mt)), schema)
            }
            None => (quote!(None), quote!(None)),
        };
        quote!(rt::ErrorResponse { status: #status, media_type: #media_type, schema: #schema })
    }

    /// The most common error envelope of 422 responses, else 400, else any 4xx response.
    fn fallback(&mut self) -> Option<TokenStream> {
        let api = self.api;
        let pick = |pred: &dyn Fn(Status) -> bool| -> Option<&crate::ir::Response> {
            let mut counts: Vec<(&crate::ir::Response, usize)> = Vec::new();
            for r in api.operations.iter().flat_map(|op| &op.responses) {
                if !pred(r.status) || r.contents.first().and_then(|c| c.ty.as_ref()).is_none() {
                    continue;
                }
                let key = &r.contents[0].ty;
                match counts.iter_mut().find(|(x, _)| &x.contents[0].ty == key) {
                    Some((_, n)) => *n += 1,
                    None => counts.push((r, 1)),
                }
            }
            counts.iter().max_by_key(|(_, n)| *n).map(|(r, _)| *r)
        };
        let r = pick(&|s| s == Status::Code(422))
            .or_else(|| pick(&|s| s == Status::Code(400)))
            .or_else(|| pick(&|s| matches!(s, Status::Code(400..=499) | Status::Range(4))))?;
        Some(self.error_response(r))
    }
}

/// `static SCHEME_<NAME>: rt::Scheme` for each security scheme an operation uses (a scheme
/// the document declares but no operation names, or that a path selection left unused, would
/// be dead code).
fn scheme_statics(cx: &Cx<'_>, schemes: &[Ident]) -> Vec<TokenStream> {
    let api = cx.api;
    let used: std::collections::BTreeSet<usize> = api
        .operations
        .iter()
        .flat_map(|op| op.security.iter().flatten().map(|u| u.scheme))
        .collect();
    let mut items = Vec::new();
    for (i, (s, name)) in api.security_schemes.iter().zip(schemes).enumerate() {
        if !used.contains(&i) {
            continue;
        }
        let key = &s.key;
        let kind = match &s.kind {
            SecurityKind::HttpBearer | SecurityKind::OAuth2 => quote!(rt::SchemeKind::Bearer),
            SecurityKind::HttpBasic => quote!(rt::SchemeKind::Basic),
            SecurityKind::ApiKey {
                location,
                wire_name,
            } => {
                let loc = location_tokens(*location);
                quote!(rt::SchemeKind::ApiKey(#loc, #wire_name))
            }
            SecurityKind::MutualTls | SecurityKind::Unsupported(_) => {
                quote!(rt::SchemeKind::Unsupported)
            }
        };
        items.push(quote!(static #name: rt::Scheme = rt::Scheme { key: #key, kind: #kind };));
    }
    items
}

/// The parameter descriptions and error lists of the operations, each distinct one once.
#[derive(Default)]
struct Shared {
    params: Table,
    errors: Table,
}

/// Distinct token streams in order of first use, with how often each is used. The ones used
/// more than once become constants `{PREFIX}_{n}`, numbered from 1 in order of first use.
#[derive(Default)]
struct Table {
    /// Tokens, uses, constant number.
    entries: Vec<(TokenStream, usize, usize)>,
    index: std::collections::HashMap<String, usize>,
}

impl Table {
    /// Record a use of `tokens`; its index.
    fn add(&mut self, tokens: TokenStream) -> usize {
        let key = tokens.to_string();
        if let Some(&i) = self.index.get(&key) {
            self.entries[i].1 += 1;
            return i;
        }
        self.entries.push((tokens, 1, 0));
        self.index.insert(key, self.entries.len() - 1);
        self.entries.len() - 1
    }

    /// Number the constants; call once, after the last [`Table::add`].
    fn seal(&mut self) {
        let mut n = 0;
        for entry in &mut self.entries {
            if entry.1 > 1 {
                n += 1;
                entry.2 = n;
            }
        }
    }

    /// The tokens of entry `i`, or the name of its constant when it is used more than once.
    fn get(&self, i: usize, prefix: &str) -> TokenStream {
        let (tokens, uses, n) = &self.entries[i];
        if *uses > 1 {
            let name = format_ident!("{}_{}", prefix, *n);
            quote!(#name)
        } else {
            tokens.clone()
        }
    }

    /// `const {PREFIX}_{n}: {ty} = ...;` for each entry used more than once.
    fn constants(&self, prefix: &str, ty: TokenStream) -> Vec<TokenStream> {
        self.entries
            .iter()
            .filter(|(_, uses, _)| *uses > 1)
            .map(|(tokens, _, n)| {
                let name = format_ident!("{}_{}", prefix, *n);
                quote!(const #name: #ty = #tokens;)
            })
            .collect()
    }
}

fn location_tokens(l: ParamLocation) -> TokenStream {
    match l {
        ParamLocation::Path => quote!(rt::Location::Path),
        ParamLocation::Query => quote!(rt::Location::Query),
        ParamLocation::Header => quote!(rt::Location::Header),
        ParamLocation::Cookie => quote!(rt::Location::Cookie),
        ParamLocation::QueryString => quote!(rt::Location::QueryString),
    }
}

fn style_tokens(s: ParamStyle) -> TokenStream {
    match s {
        ParamStyle::Simple => quote!(rt::Style::Simple),
        ParamStyle::Form => quote!(rt::Style::Form),
        ParamStyle::Label => quote!(rt::Style::Label),
        ParamStyle::Matrix => quote!(rt::Style::Matrix),
        ParamStyle::SpaceDelimited => quote!(rt::Style::SpaceDelimited),
        ParamStyle::PipeDelimited => quote!(rt::Style::PipeDelimited),
        ParamStyle::DeepObject => quote!(rt::Style::DeepObject),
    }
}

fn media_kind_tokens(k: MediaKind) -> TokenStream {
    match k {
        MediaKind::Json => quote!(rt::MediaKind::Json),
        MediaKind::Form => quote!(rt::MediaKind::Form),
        MediaKind::Multipart => quote!(rt::MediaKind::Multipart),
        MediaKind::Text => quote!(rt::MediaKind::Text),
        MediaKind::Binary | MediaKind::EventStream | MediaKind::JsonLines => {
            quote!(rt::MediaKind::Binary)
        }
    }
}
