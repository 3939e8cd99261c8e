//! What every request of a generated client shares: the [`Core`] (base URL, HTTP client) and
//! the credentials set for the API's security schemes.

use std::fmt;
use std::sync::{Arc, RwLock};

use super::limits::StreamConfig;
use super::options::Options;
use super::transport::Transport;

/// Where an API key travels.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyLocation {
    /// A request header.
    Header,
    /// A query parameter.
    Query,
    /// A cookie.
    Cookie,
}

/// A security scheme as a generated client declares it (`components/securitySchemes`), in
/// document order: the index of a scheme in that list is how operations refer to it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scheme {
    /// HTTP bearer, OAuth2 and OpenID Connect: `Authorization: Bearer <token>`.
    Bearer,
    /// HTTP basic: `Authorization: Basic base64(user:password)`.
    Basic,
    /// An API key in a header, query parameter or cookie named `name`.
    ApiKey {
        /// Where the key travels.
        location: KeyLocation,
        /// The header, query parameter or cookie name.
        name: &'static str,
    },
    /// A scheme the client cannot send (mutual TLS, other HTTP schemes): operations that
    /// require it alone send no credentials.
    Unsupported,
}

/// A credential set on a client.
#[derive(Clone, PartialEq, Eq)]
pub(super) enum Credential {
    Token(String),
    Basic { user: String, password: String },
    Key(String),
}

/// Credentials, one slot per scheme, shared by every clone of a client.
#[derive(Clone)]
pub(super) struct Credentials {
    pub(super) schemes: &'static [Scheme],
    pub(super) slots: Arc<RwLock<Vec<Option<Credential>>>>,
}

impl Credentials {
    pub(super) fn new(schemes: &'static [Scheme]) -> Self {
        Credentials {
            schemes,
            slots: Arc::new(RwLock::new(vec![None; schemes.len()])),
        }
    }

    pub(super) fn set(&self, scheme: usize, credential: Option<Credential>) {
        // A poisoned lock only means another thread panicked while holding it; the slots are
        // plain values and stay consistent.
        let mut slots = self.slots.write().unwrap_or_else(|e| e.into_inner());
        if let Some(slot) = slots.get_mut(scheme) {
            *slot = credential;
        }
    }

    /// The credentials of the first alternative whose schemes all have one set.
    pub(super) fn select(&self, alternatives: &[&[usize]]) -> Option<Vec<(Scheme, Credential)>> {
        let slots = self.slots.read().unwrap_or_else(|e| e.into_inner());
        'alternatives: for set in alternatives {
            let mut chosen = Vec::with_capacity(set.len());
            for &index in *set {
                match (self.schemes.get(index), slots.get(index)) {
                    (Some(scheme), Some(Some(credential))) if *scheme != Scheme::Unsupported => {
                        chosen.push((*scheme, credential.clone()))
                    }
                    _ => continue 'alternatives,
                }
            }
            return Some(chosen);
        }
        None
    }
}

/// What a generated `Client` holds: base URL, transport, [`Options`] and credentials. Clones
/// share the credentials (setting a token on one clone is seen by all) and the HTTP connection
/// pool.
#[derive(Clone)]
pub struct Core {
    pub(super) transport: Transport,
    pub(super) base_url: Arc<str>,
    pub(super) credentials: Credentials,
    stream_config: Arc<StreamConfig>,
    pub(super) options: Arc<Options>,
}

impl Core {
    /// A core with a default [`reqwest::Client`].
    pub fn new(base_url: impl Into<String>, schemes: &'static [Scheme]) -> Self {
        Self::with_client(base_url, reqwest::Client::new(), schemes)
    }

    /// A core using `http` as it is configured (timeouts, proxies, TLS, default headers).
    pub fn with_client(
        base_url: impl Into<String>,
        http: reqwest::Client,
        schemes: &'static [Scheme],
    ) -> Self {
        Self::with_transport(base_url, Transport::reqwest(http), schemes)
    }

    /// A core sending over `transport`: reqwest, an in-process service (an axum `Router`) or a
    /// function such as a reqwest-middleware client's `execute`.
    pub fn with_transport(
        base_url: impl Into<String>,
        transport: Transport,
        schemes: &'static [Scheme],
    ) -> Self {
        let mut base_url: String = base_url.into();
        while base_url.ends_with('/') {
            base_url.pop();
        }
        Core {
            transport,
            base_url: base_url.into(),
            credentials: Credentials::new(schemes),
            stream_config: Arc::default(),
            options: Arc::default(),
        }
    }

    /// The same core with `config` for its streamed responses (limits, read timeout).
    pub fn with_stream_config(mut self, config: StreamConfig) -> Self {
        self.stream_config = Arc::new(config);
        self
    }

    /// The settings of streamed responses.
    pub fn stream_config(&self) -> &StreamConfig {
        &self.stream_config
    }
    /// A core like this one with its [`Options`] changed by `change`: the same transport,
    /// connection pool and credentials (shared, not copied). For options on some requests only:
    /// `client.configure(|o| o.timeout(Duration::from_secs(1)))`.
    pub fn configure(&self, change: impl FnOnce(&mut Options) -> &mut Options) -> Self {
        let mut options = Options::clone(&self.options);
        change(&mut options);
        Core {
            options: Arc::new(options),
            ..self.clone()
        }
    }

    /// The options requests are sent with.
    pub fn options(&self) -> &Options {
        &self.options
    }

    /// What carries the requests.
    pub fn transport(&self) -> &Transport {
        &self.transport
    }

    /// The base URL, without a trailing `/`.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The reqwest client requests are sent with (with a custom transport: a default client
    /// that only builds them).
    pub fn http_client(&self) -> &reqwest::Client {
        self.transport.client()
    }

    /// Set the token of a bearer / OAuth2 scheme.
    pub fn set_token(&self, scheme: usize, token: String) {
        self.credentials.set(scheme, Some(Credential::Token(token)));
    }

    /// Set the user and password of an HTTP basic scheme.
    pub fn set_basic(&self, scheme: usize, user: String, password: String) {
        self.credentials
            .set(scheme, Some(Credential::Basic { user, password }));
    }

    /// Set the key of an API key scheme.
    pub fn set_api_key(&self, scheme: usize, key: String) {
        self.credentials.set(scheme, Some(Credential::Key(key)));
    }

    /// Forget the credential of one scheme.
    pub fn clear(&self, scheme: usize) {
        self.credentials.set(scheme, None);
    }

    /// Forget every credential.
    pub fn clear_all(&self) {
        for scheme in 0..self.credentials.schemes.len() {
            self.credentials.set(scheme, None);
        }
    }
}

impl fmt::Debug for Core {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let slots = self
            .credentials
            .slots
            .read()
            .unwrap_or_else(|e| e.into_inner());
        let set: Vec<bool> = slots.iter().map(Option::is_some).collect();
        f.debug_struct("Core")
            .field("base_url", &self.base_url)
            .field("schemes", &self.credentials.schemes)
            // Secrets are never printed, only whether they are set.
            .field("credentials_set", &set)
            .field("transport", &self.transport)
            .field("options", &self.options)
            .finish()
    }
}
