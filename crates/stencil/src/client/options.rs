//! [`Options`] of a client (retry policy, timeout, extra headers, hooks) and the [`Hook`] trait.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use reqwest::{Method, StatusCode};

use super::retry::RetryPolicy;

/// The future behind a generated request builder's `IntoFuture` impl.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// A boxed error, as hooks and custom transports return.
pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// What a request is, as hooks and spans see it.
#[derive(Clone, Copy, Debug)]
pub struct Operation<'a> {
    /// The operation's id in the document (`operationId`, or the generated method name), when
    /// the generated code names it.
    pub id: Option<&'a str>,
    /// The HTTP method.
    pub method: &'a Method,
    /// The path template, `/pets/{petId}`: parameters are never in it.
    pub template: &'a str,
    /// 1 for the first attempt, 2 for the first retry, ...
    pub attempt: u32,
}

/// Code run around every attempt of every request of a client, in the spirit of progenitor's
/// `ClientHooks`. Hooks run in the order they were added.
///
/// `before_send` sees the request as it goes on the wire (credentials, extra headers and the
/// body included) and may change it, for example to sign it; an error stops the request
/// ([`Error::Hook`](super::Error::Hook)). `after_receive` sees the status and headers of each
/// response, retried ones included. Both run once per attempt, so a signature is fresh on each.
pub trait Hook: Send + Sync + 'static {
    /// Called before each attempt is sent, with the request as it will go on the wire.
    fn before_send(
        &self,
        request: &mut reqwest::Request,
        operation: &Operation<'_>,
    ) -> Result<(), BoxError> {
        let _ = (request, operation);
        Ok(())
    }

    /// Called when each attempt's response head arrived (before its body is decoded).
    fn after_receive(&self, status: StatusCode, headers: &HeaderMap, operation: &Operation<'_>) {
        let _ = (status, headers, operation);
    }
}

/// How a client sends requests beyond what the document says: a [`RetryPolicy`], a timeout,
/// headers added to every request, [`Hook`]s. The default is none of them: each request is sent
/// once, with reqwest's own timeouts.
///
/// Set on a client for all its requests, or on a derived client (`client.configure(...)`) for
/// some: the derived one shares the connection pool and the credentials.
#[derive(Clone, Default)]
pub struct Options {
    pub(crate) retry: Option<RetryPolicy>,
    pub(crate) timeout: Option<Duration>,
    pub(crate) headers: HeaderMap,
    pub(crate) hooks: Vec<Arc<dyn Hook>>,
}

impl Options {
    /// Retry as `policy` says; `None` sends each request once.
    pub fn retry(&mut self, policy: impl Into<Option<RetryPolicy>>) -> &mut Self {
        self.retry = policy.into();
        self
    }

    /// A timeout for each attempt (connecting, sending and reading the whole response).
    pub fn timeout(&mut self, timeout: impl Into<Option<Duration>>) -> &mut Self {
        self.timeout = timeout.into();
        self
    }

    /// A header sent with every request, replacing one of the same name the request has.
    pub fn header(&mut self, name: HeaderName, value: HeaderValue) -> &mut Self {
        self.headers.insert(name, value);
        self
    }

    /// Run `hook` around every attempt, after the hooks already added.
    pub fn hook(&mut self, hook: impl Hook) -> &mut Self {
        self.hooks.push(Arc::new(hook));
        self
    }

    /// Remove every hook.
    pub fn clear_hooks(&mut self) -> &mut Self {
        self.hooks.clear();
        self
    }

    /// The retry policy, if any.
    pub fn retry_policy(&self) -> Option<&RetryPolicy> {
        self.retry.as_ref()
    }

    /// The per-attempt timeout, if any.
    pub fn timeout_value(&self) -> Option<Duration> {
        self.timeout
    }

    /// The headers added to every request.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }
}

impl fmt::Debug for Options {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Header values may be secrets: only their names are shown.
        f.debug_struct("Options")
            .field("retry", &self.retry)
            .field("timeout", &self.timeout)
            .field("headers", &self.headers.keys().collect::<Vec<_>>())
            .field("hooks", &self.hooks.len())
            .finish()
    }
}
