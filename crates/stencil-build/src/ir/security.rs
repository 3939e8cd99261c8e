//! Security: the schemes of `components/securitySchemes` and the requirements of operations.

use openapiv3::{APIKeyLocation, ReferenceOr, SecurityScheme as OaScheme};

use crate::diag::join;
use crate::ir::build::Builder;
use crate::ir::{Docs, ParamLocation, SecurityKind, SecurityScheme, SecurityUse};
use crate::load::ext;
use crate::naming;

impl Builder<'_> {
    pub(crate) fn security(
        &mut self,
        reqs: Option<&Vec<openapiv3::SecurityRequirement>>,
        ptr: &str,
    ) -> Vec<Vec<SecurityUse>> {
        let Some(reqs) = reqs else { return Vec::new() };
        let keys: Vec<String> = self
            .doc
            .components
            .iter()
            .flat_map(|c| c.security_schemes.keys().cloned())
            .collect();
        let mut out = Vec::new();
        for req in reqs {
            let mut set = Vec::new();
            for (name, scopes) in req {
                // Mutual TLS happens below HTTP: the client's `reqwest::Client` presents the
                // certificate, and TLS ends before the server's handlers. Nothing to send or
                // check here.
                if self.is_mutual_tls(name) {
                    continue;
                }
                match keys.iter().position(|k| k == name) {
                    Some(scheme) => set.push(SecurityUse {
                        scheme,
                        scopes: scopes.clone(),
                    }),
                    None => self.error(
                        &join(ptr, "security"),
                        format!("security scheme `{name}` is not declared"),
                        "declare it under #/components/securitySchemes",
                    ),
                }
            }
            out.push(set);
        }
        out
    }

    /// Whether the security scheme `key` is `type: mutualTLS` (read as an HTTP scheme marked
    /// `x-stencil-mutual-tls`).
    fn is_mutual_tls(&self, key: &str) -> bool {
        let scheme = self
            .doc
            .components
            .as_ref()
            .and_then(|c| c.security_schemes.get(key));
        matches!(scheme, Some(ReferenceOr::Item(OaScheme::HTTP { extensions, .. }))
            if extensions.contains_key(ext::MUTUAL_TLS))
    }

    pub(crate) fn security_schemes(&mut self) -> Vec<SecurityScheme> {
        let mut scope = naming::Scope::new();
        let mut out = Vec::new();
        let schemes: Vec<(String, ReferenceOr<OaScheme>)> = self
            .doc
            .components
            .iter()
            .flat_map(|c| {
                c.security_schemes
                    .iter()
                    .map(|(k, v)| (k.clone(), v.clone()))
            })
            .collect();
        for (key, s) in schemes {
            let (kind, description) = match s {
                ReferenceOr::Reference { .. } => (SecurityKind::Unsupported("$ref".into()), None),
                ReferenceOr::Item(OaScheme::HTTP {
                    scheme,
                    description,
                    ..
                }) => (
                    match scheme.to_ascii_lowercase().as_str() {
                        "bearer" => SecurityKind::HttpBearer,
                        "basic" => SecurityKind::HttpBasic,
                        other => SecurityKind::Unsupported(format!("http {other}")),
                    },
                    description,
                ),
                ReferenceOr::Item(OaScheme::APIKey {
                    location,
                    name,
                    description,
                    ..
                }) => (
                    SecurityKind::ApiKey {
                        location: match location {
                            APIKeyLocation::Query => ParamLocation::Query,
                            APIKeyLocation::Header => ParamLocation::Header,
                            APIKeyLocation::Cookie => ParamLocation::Cookie,
                        },
                        wire_name: name,
                    },
                    description,
                ),
                ReferenceOr::Item(OaScheme::OAuth2 { description, .. }) => {
                    (SecurityKind::OAuth2, description)
                }
                ReferenceOr::Item(OaScheme::OpenIDConnect { description, .. }) => {
                    (SecurityKind::OAuth2, description)
                }
            };
            let mutual = self.is_mutual_tls(&key);
            let kind = if mutual {
                self.warning(
                    &join("/components/securitySchemes", &key),
                    format!("security scheme `{key}` is mutual TLS: the generated code sends and checks no credentials for it"),
                    "give the client a `reqwest::Client` with the client certificate \
                     (`Client::with_client`), and terminate TLS in front of the server",
                );
                SecurityKind::MutualTls
            } else {
                kind
            };
            if let (false, SecurityKind::Unsupported(what)) = (mutual, &kind) {
                self.warning(&join("/components/securitySchemes", &key), format!("security scheme `{key}` ({what}) is not supported; operations using it send no credentials for it"), "use http bearer/basic, apiKey or oauth2");
            }
            out.push(SecurityScheme {
                name: scope.claim(&naming::field_name(&key)).0,
                key,
                kind,
                docs: Docs {
                    description,
                    ..Docs::default()
                },
            });
        }
        out
    }
}
