//! What `stencil generate` writes and `stencil check` compares, once the command line is read.

use std::path::PathBuf;

/// What `generate` writes (and `check` compares): `dir` is `--out` or `--against`.
#[derive(Clone, Debug, PartialEq)]
pub struct CrateArgs {
    pub spec: PathBuf,
    pub dir: PathBuf,
    pub name: Option<String>,
    pub client: bool,
    pub server: bool,
    /// Format the code with prettyplease (`--no-format` turns it off).
    pub format: bool,
    /// One handler trait per tag (`--server-traits-per-tag`).
    pub server_traits_per_tag: bool,
    /// `--include-path` patterns, in the order given.
    pub include_paths: Vec<String>,
    /// `--exclude-path` patterns, in the order given.
    pub exclude_paths: Vec<String>,
    /// `--paginate` rules (`Options::pagination`), in the order given.
    pub pagination: Vec<String>,
    /// `--secret-field` names (`Options::secret_fields`); `None`: the default list.
    pub secret_fields: Option<Vec<String>>,
    pub runtime: Option<Runtime>,
    pub standalone: bool,
}

/// Where the generated crate gets the `stencil` runtime from (`None` in [`CrateArgs`]: the
/// version this binary was built with, plus the path of its sources when they are on disk).
#[derive(Clone, Debug, PartialEq)]
pub enum Runtime {
    Version(String),
    Path(PathBuf),
    Git(String),
}
