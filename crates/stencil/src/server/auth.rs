//! Credentials: extracted per the operation's declared security schemes and handed to the
//! user's authentication hook.

use std::future::Future;

use base64::Engine as _;
use http::header;

use super::error::{ApiError, ErrorReport};
use super::input::Input;
use super::schema::{Location, Operation, SchemeKind, SchemeUse};

/// A credential as it arrived.
#[derive(Clone, PartialEq, Eq)]
pub enum Credential {
    /// `Authorization: Bearer <token>` (HTTP bearer, OAuth 2, OpenID Connect).
    Bearer(String),
    /// `Authorization: Basic ...`, decoded.
    Basic {
        /// The user name.
        username: String,
        /// The password.
        password: String,
    },
    /// An API key from its header, query parameter or cookie.
    ApiKey(String),
}

impl std::fmt::Debug for Credential {
    /// Never prints secrets.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Credential::Bearer(_) => f.write_str("Bearer(..)"),
            Credential::Basic { username, .. } => {
                write!(f, "Basic {{ username: {username:?}, .. }}")
            }
            Credential::ApiKey(_) => f.write_str("ApiKey(..)"),
        }
    }
}

/// One scheme's credential.
#[derive(Clone, Debug)]
pub struct Provided {
    /// The scheme's key under `components/securitySchemes`.
    pub scheme: &'static str,
    /// The scopes the operation asks of this scheme.
    pub scopes: &'static [&'static str],
    /// The credential the request carried for this scheme.
    pub credential: Credential,
}

/// What the authentication hook receives: the operation and the credentials of the first
/// security alternative the request satisfies (all of its schemes).
#[derive(Clone, Debug)]
pub struct Credentials {
    /// The operation the request is for.
    pub operation: &'static Operation,
    /// One credential per scheme of the satisfied alternative, in the alternative's order.
    pub provided: Vec<Provided>,
}

impl Credentials {
    /// The bearer token, if one was given.
    pub fn bearer(&self) -> Option<&str> {
        self.provided.iter().find_map(|p| match &p.credential {
            Credential::Bearer(t) => Some(t.as_str()),
            _ => None,
        })
    }

    /// The basic-auth user name and password, if given.
    pub fn basic(&self) -> Option<(&str, &str)> {
        self.provided.iter().find_map(|p| match &p.credential {
            Credential::Basic { username, password } => {
                Some((username.as_str(), password.as_str()))
            }
            _ => None,
        })
    }

    /// The API key of scheme `scheme` (its key in the document), if given.
    pub fn api_key(&self, scheme: &str) -> Option<&str> {
        self.provided.iter().find_map(|p| match &p.credential {
            Credential::ApiKey(k) if p.scheme == scheme => Some(k.as_str()),
            _ => None,
        })
    }

    /// The credential of scheme `scheme`, if given.
    pub fn get(&self, scheme: &str) -> Option<&Credential> {
        self.provided
            .iter()
            .find(|p| p.scheme == scheme)
            .map(|p| &p.credential)
    }
}

fn extract(input: &Input, uses: &'static [SchemeUse]) -> Option<Vec<Provided>> {
    let mut out = Vec::with_capacity(uses.len());
    for u in uses {
        let credential = match u.scheme.kind {
            SchemeKind::Bearer => {
                let value = input.known_header(&header::AUTHORIZATION)?;
                let (scheme, token) = value.trim().split_once(' ')?;
                let token = token.trim();
                if !scheme.eq_ignore_ascii_case("bearer") || token.is_empty() {
                    return None;
                }
                Credential::Bearer(token.to_owned())
            }
            SchemeKind::Basic => {
                let value = input.known_header(&header::AUTHORIZATION)?;
                let (scheme, encoded) = value.trim().split_once(' ')?;
                if !scheme.eq_ignore_ascii_case("basic") {
                    return None;
                }
                let decoded = base64::engine::general_purpose::STANDARD
                    .decode(encoded.trim())
                    .ok()?;
                let decoded = String::from_utf8(decoded).ok()?;
                let (username, password) = decoded.split_once(':')?;
                Credential::Basic {
                    username: username.to_owned(),
                    password: password.to_owned(),
                }
            }
            SchemeKind::ApiKey(location, name) => {
                let value = match location {
                    Location::Header => input.header(name),
                    Location::Query => input.query_last(name),
                    Location::Cookie => input.cookie(name),
                    Location::Path | Location::QueryString => None,
                }?;
                Credential::ApiKey(value.to_owned())
            }
            SchemeKind::Unsupported => return None,
        };
        out.push(Provided {
            scheme: u.scheme.key,
            scopes: u.scopes,
            credential,
        });
    }
    Some(out)
}

/// The credentials of the first alternative the request satisfies; `Ok(None)` when none is and
/// authentication is optional; a 401 report when none is and it is required.
fn credentials(op: &'static Operation, input: &Input) -> Result<Option<Credentials>, ErrorReport> {
    let mut optional = false;
    for set in op.security {
        if set.is_empty() {
            optional = true;
            continue;
        }
        if let Some(provided) = extract(input, set) {
            return Ok(Some(Credentials {
                operation: op,
                provided,
            }));
        }
    }
    if optional {
        Ok(None)
    } else {
        Err(ErrorReport::unauthenticated(op, "Not authenticated"))
    }
}

/// Authenticate a request to a secured operation with the user's hook.
pub async fn authenticate<P, E, F, Fut>(
    op: &'static Operation,
    input: &Input,
    hook: F,
) -> Result<P, ErrorReport>
where
    E: ApiError,
    F: FnOnce(Credentials) -> Fut,
    Fut: Future<Output = Result<P, E>>,
{
    match credentials(op, input)? {
        Some(c) => hook(c).await.map_err(|e| ErrorReport::auth(op, &e)),
        None => Err(ErrorReport::unauthenticated(op, "Not authenticated")),
    }
}

/// Authenticate a request to an operation where authentication is optional: `None` when no
/// credential was given, a rejection when one was given and the hook refused it.
pub async fn authenticate_optional<P, E, F, Fut>(
    op: &'static Operation,
    input: &Input,
    hook: F,
) -> Result<Option<P>, ErrorReport>
where
    E: ApiError,
    F: FnOnce(Credentials) -> Fut,
    Fut: Future<Output = Result<P, E>>,
{
    match credentials(op, input)? {
        Some(c) => hook(c)
            .await
            .map(Some)
            .map_err(|e| ErrorReport::auth(op, &e)),
        None => Ok(None),
    }
}
