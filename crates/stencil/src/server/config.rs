//! Server settings.

/// The default request body limit: 2 MiB.
pub const DEFAULT_BODY_LIMIT: usize = 2 * 1024 * 1024;

/// Server settings.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Config {
    /// Bodies larger than this many bytes are answered with 413.
    pub body_limit: usize,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            body_limit: DEFAULT_BODY_LIMIT,
        }
    }
}

impl Config {
    /// Set the request body limit in bytes.
    pub fn body_limit(mut self, bytes: usize) -> Self {
        self.body_limit = bytes;
        self
    }
}
