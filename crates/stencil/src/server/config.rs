//! Server settings: what a request may cost (body size, nesting, parts) and, for [`serve`], how
//! long and how large a connection's requests may be.
//!
//! [`serve`]: crate::server::serve

use std::time::Duration;

/// The default request body limit: 2 MiB.
pub const DEFAULT_BODY_LIMIT: usize = 2 * 1024 * 1024;

/// Server settings.
///
/// The body settings apply to every generated route (`router_with(Server::with_config(api,
/// config))`). The connection settings (timeouts, header and URI limits) are applied by
/// [`serve`](crate::server::serve); `axum::serve` cannot set them.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Config {
    /// Bodies larger than this many bytes are answered with 413.
    pub body_limit: usize,
    /// A body not read in full within this time is answered with 408 (default 30 s; `None`:
    /// no limit).
    pub body_read_timeout: Option<Duration>,
    /// JSON bodies nested deeper than this (arrays and objects) are answered with 422
    /// (default 64).
    pub json_depth: usize,
    /// Multipart bodies with more parts than this are answered with 413 (default 256).
    pub multipart_parts: usize,
    /// [`serve`](crate::server::serve): a connection that has not sent a request's whole head
    /// (request line and headers) within this time is closed (default 10 s).
    pub header_read_timeout: Duration,
    /// [`serve`](crate::server::serve): a connection with no bytes read or written for this
    /// long is closed once its request in flight, if any, is answered (default 60 s).
    pub idle_timeout: Duration,
    /// [`serve`](crate::server::serve): a request head larger than this many bytes is answered
    /// with 431 (default 16 KiB).
    pub max_header_size: usize,
    /// [`serve`](crate::server::serve): a request with more header fields than this is answered
    /// with 431 (default 64).
    pub max_headers: usize,
    /// [`serve`](crate::server::serve): a request target (path and query) longer than this many
    /// bytes is answered with 414 (default 8 KiB).
    pub max_uri_length: usize,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            body_limit: DEFAULT_BODY_LIMIT,
            body_read_timeout: Some(Duration::from_secs(30)),
            json_depth: 64,
            multipart_parts: 256,
            header_read_timeout: Duration::from_secs(10),
            idle_timeout: Duration::from_secs(60),
            max_header_size: 16 * 1024,
            max_headers: 64,
            max_uri_length: 8 * 1024,
        }
    }
}

impl Config {
    /// Set the request body limit in bytes.
    pub fn body_limit(mut self, bytes: usize) -> Self {
        self.body_limit = bytes;
        self
    }

    /// Set the time a request body may take to arrive (`None`: no limit).
    pub fn body_read_timeout(mut self, timeout: Option<Duration>) -> Self {
        self.body_read_timeout = timeout;
        self
    }

    /// Set the deepest nesting of arrays and objects a JSON body may have.
    pub fn json_depth(mut self, depth: usize) -> Self {
        self.json_depth = depth;
        self
    }

    /// Set the most parts a multipart body may have.
    pub fn multipart_parts(mut self, parts: usize) -> Self {
        self.multipart_parts = parts;
        self
    }

    /// Set the time a client has to send a request's head.
    pub fn header_read_timeout(mut self, timeout: Duration) -> Self {
        self.header_read_timeout = timeout;
        self
    }

    /// Set the time a connection may stay without traffic.
    pub fn idle_timeout(mut self, timeout: Duration) -> Self {
        self.idle_timeout = timeout;
        self
    }

    /// Set the largest request head in bytes (at least 1 KiB is kept).
    pub fn max_header_size(mut self, bytes: usize) -> Self {
        self.max_header_size = bytes;
        self
    }

    /// Set the most header fields a request may have.
    pub fn max_headers(mut self, count: usize) -> Self {
        self.max_headers = count;
        self
    }

    /// Set the longest request target (path and query) in bytes.
    pub fn max_uri_length(mut self, bytes: usize) -> Self {
        self.max_uri_length = bytes;
        self
    }
}
