//! The build.rs API, in the style of prost-build: a plain builder ([`Config`]) and a one-liner
//! ([`compile`]).
//!
//! ```no_run
//! // build.rs
//! fn main() -> Result<(), Box<dyn std::error::Error>> {
//!     stencil_build::Config::new()
//!         .server(false)
//!         .derive("PartialEq")
//!         .compile("openapi.yaml")?;
//!     Ok(())
//! }
//! ```
//!
//! ```ignore
//! // src/lib.rs
//! pub mod api {
//!     include!(concat!(env!("OUT_DIR"), "/api.rs"));
//! }
//! ```

use std::ffi::OsString;
use std::fmt;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::diag::Diagnostics;
use crate::options::Options;
use crate::pipeline::Generated;

/// The command named in the `// @generated` header of code written by [`Config::compile`].
const BUILD_RS_COMMAND: &str = "cargo build (stencil-build in build.rs)";

/// Generate code for the OpenAPI document at `spec` into `$OUT_DIR/api.rs`, with the default
/// [`Config`]: types, client and server.
///
/// Shorthand for `Config::new().compile(spec)`; see [`Config::compile`].
///
/// ```no_run
/// // build.rs
/// fn main() -> Result<(), Box<dyn std::error::Error>> {
///     stencil_build::compile("specs/api.yaml")?;
///     Ok(())
/// }
/// ```
pub fn compile(spec: impl AsRef<Path>) -> Result<(), Error> {
    Config::new().compile(spec)
}

/// Configuration for generating code from an OpenAPI document.
///
/// Setters take and return `&mut Self`, so calls chain from [`Config::new`] to
/// [`Config::compile`] (for build.rs) or [`Config::generate`] (code in memory).
///
/// ```no_run
/// // build.rs
/// fn main() -> Result<(), Box<dyn std::error::Error>> {
///     stencil_build::Config::new()
///         .server(false)
///         .module_name("pathstack")
///         .derive("PartialEq")
///         .compile("specs/pathstack.yaml")?;
///     Ok(())
/// }
/// ```
#[derive(Clone, Debug)]
pub struct Config {
    options: Options,
    module_name: String,
    out_dir: Option<PathBuf>,
}

impl Default for Config {
    fn default() -> Self {
        Config::new()
    }
}

impl Config {
    /// Types, client and server; module `api`; output into `$OUT_DIR`; no feature gates.
    pub fn new() -> Self {
        Config {
            options: Options {
                regenerate_command: BUILD_RS_COMMAND.to_owned(),
                ..Options::default()
            },
            module_name: "api".to_owned(),
            out_dir: None,
        }
    }

    /// The pipeline options this configuration amounts to.
    pub fn options(&self) -> &Options {
        &self.options
    }

    /// Generate the reqwest client (default: `true`).
    pub fn client(&mut self, yes: bool) -> &mut Self {
        self.options.client = yes;
        self
    }

    /// Generate the axum server (default: `true`).
    pub fn server(&mut self, yes: bool) -> &mut Self {
        self.options.server = yes;
        self
    }

    /// Wrap the client and server in `#[cfg(feature = "client")]` / `#[cfg(feature = "server")]`
    /// (default: `false`). Turn it on when the crate including the code has those features.
    pub fn feature_gates(&mut self, yes: bool) -> &mut Self {
        self.options.feature_gates = yes;
        self
    }

    /// The property and parameter names whose values `Debug` prints as `[redacted]`, replacing
    /// [`DEFAULT_SECRET_FIELDS`](crate::DEFAULT_SECRET_FIELDS) (`password`, `token`, `api_key`,
    /// ...). Compared case-insensitively with wire and Rust names, `-` read as `_` and an `x_`
    /// prefix ignored (the header `X-API-Key` is `api_key`). `format: password` and `writeOnly`
    /// values are redacted whatever the list.
    pub fn secret_fields<I, S>(&mut self, names: I) -> &mut Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.options.secret_fields = names.into_iter().map(Into::into).collect();
        self
    }

    /// Add derives to every generated type, e.g. `derive("PartialEq")` or
    /// `derive("PartialEq, Eq, Hash")`. Can be called more than once.
    pub fn derive(&mut self, derives: &str) -> &mut Self {
        self.options.extra_derives.extend(
            derives
                .split(',')
                .map(str::trim)
                .filter(|d| !d.is_empty())
                .map(str::to_owned),
        );
        self
    }

    /// Use an existing Rust type for a schema instead of generating one: `schema` is its key
    /// under `components/schemas` (or its generated Rust name), `rust_type` a type path such as
    /// `"crate::money::Money"`. The generated type becomes an alias of it, so every field,
    /// parameter and body using the schema uses your type, which must implement `Debug`,
    /// `Clone`, `PartialEq`, `Serialize` and `Deserialize` (from `stencil::serde`).
    pub fn replace_type(&mut self, schema: &str, rust_type: &str) -> &mut Self {
        self.options
            .type_replacements
            .push((schema.to_owned(), rust_type.to_owned()));
        self
    }

    /// Generate only the operations whose path matches `pattern`, and only the types they use
    /// (default: every operation, every schema). Can be called more than once: an operation
    /// matching any of the patterns is kept. `pattern` is a glob over the document's path
    /// templates, with an optional method list: `"/users/**"`, `"/users/*/messages#GET,POST"`,
    /// `"/token#POST"`. `*` matches within a path segment, a `**` segment any number of
    /// segments. Type names do not depend on the selection, so widening it later renames
    /// nothing.
    ///
    /// For very large documents (Microsoft Graph has 11,000 operations) this is what keeps
    /// the generated code to what a program calls.
    pub fn include_path(&mut self, pattern: &str) -> &mut Self {
        self.options.include_paths.push(pattern.to_owned());
        self
    }

    /// Leave out the operations whose path matches `pattern` (see
    /// [`include_path`](Config::include_path)), and the types only they use. Exclusions apply
    /// after inclusions. Can be called more than once.
    pub fn exclude_path(&mut self, pattern: &str) -> &mut Self {
        self.options.exclude_paths.push(pattern.to_owned());
        self
    }

    /// Page an operation the document does not mark with `x-pagination` (or page it
    /// differently): `OPERATION; key=value; ...`, the operation its `operationId` or
    /// `METHOD /path`, the keys those of `x-pagination` (see the README). Its request builder
    /// gets `into_stream`. Can be called more than once.
    ///
    /// ```no_run
    /// stencil_build::Config::new()
    ///     .paginate("GET /v1/customers; scheme=has_more; param=starting_after; items=/data")
    ///     .paginate("list_repos; scheme=link; param=page")
    ///     .compile("openapi.yaml")?;
    /// # Ok::<(), stencil_build::Error>(())
    /// ```
    pub fn paginate(&mut self, rule: &str) -> &mut Self {
        self.options.pagination.push(rule.to_owned());
        self
    }

    /// Generate `server::docs_router(path)` (default: `false`), the interactive documentation
    /// page of the server's own document, behind `#[cfg(feature = "docs-ui")]`: give the crate
    /// a feature `docs-ui = ["stencil/docs-ui"]`. Without it, mount the runtime's route:
    /// `stencil::server::docs_route("/docs", api::server::OPENAPI_DOCUMENT)`.
    pub fn docs_router(&mut self, yes: bool) -> &mut Self {
        self.options.docs_router = yes;
        self
    }

    /// Split the server's handler trait by tag (default: `false`): the associated types and
    /// hooks (`Error`, `authenticate`, `render_error`) go in `ApiBase`, each tag's operations
    /// in `<Tag>Api` (an operation with several tags in its first, untagged ones in
    /// `DefaultApi`), and `Api` is implemented for every type implementing them all. The
    /// trait of a tag nested under another (OpenAPI 3.2 `parent`) extends the parent's trait.
    pub fn server_traits_per_tag(&mut self, yes: bool) -> &mut Self {
        self.options.server_traits_per_tag = yes;
        self
    }

    /// Format the generated code with prettyplease (default: `true`). Off, the code is written
    /// as its token stream prints: valid and deterministic but on long lines, and generated
    /// several times faster, for very large documents whose output nobody reads.
    pub fn format(&mut self, yes: bool) -> &mut Self {
        self.options.format = yes;
        self
    }

    /// The name of the file [`compile`](Config::compile) writes, without `.rs` (default: `api`).
    pub fn module_name(&mut self, name: &str) -> &mut Self {
        self.module_name = name.to_owned();
        self
    }

    /// Where [`compile`](Config::compile) writes (default: the `OUT_DIR` environment variable,
    /// which Cargo sets for build scripts).
    pub fn out_dir(&mut self, path: impl Into<PathBuf>) -> &mut Self {
        self.out_dir = Some(path.into());
        self
    }

    /// Generate code for the document at `spec` and return it, writing nothing.
    ///
    /// ```no_run
    /// let generated = stencil_build::Config::new().server(false).generate("openapi.yaml")?;
    /// for warning in &generated.warnings {
    ///     eprintln!("{warning}");
    /// }
    /// println!("{}", generated.code);
    /// # Ok::<(), stencil_build::Diagnostics>(())
    /// ```
    ///
    /// The server's document is in [`Generated::document`], named `<module name>.openapi.yaml`
    /// (or `.json`): the code includes it from its own directory.
    pub fn generate(&self, spec: impl AsRef<Path>) -> Result<Generated, Diagnostics> {
        let mut options = self.options.clone();
        options.document_stem = format!("{}.openapi", self.module_name);
        crate::pipeline::generate(spec.as_ref(), &options)
    }

    /// Generate code for the document at `spec` into `<out_dir>/<module_name>.rs`, for build.rs,
    /// and, with the server, the document its `OPENAPI_DOCUMENT` includes into
    /// `<out_dir>/<module_name>.openapi.yaml` (or `.json`).
    ///
    /// Each file is written only when its content changed, so dependants are not rebuilt for
    /// nothing. Prints `cargo:rerun-if-changed` for every file the document was read from and
    /// each warning as `cargo:warning` lines. On failure nothing is written and the [`Error`]
    /// lists every diagnostic; return it from `main` and Cargo shows it as the build error.
    ///
    /// ```no_run
    /// // build.rs
    /// fn main() -> Result<(), Box<dyn std::error::Error>> {
    ///     stencil_build::Config::new().client(false).compile("openapi.yaml")?;
    ///     Ok(())
    /// }
    /// ```
    pub fn compile(&self, spec: impl AsRef<Path>) -> Result<(), Error> {
        let spec = spec.as_ref();
        let file_name = self.file_name()?;
        let out_dir = match &self.out_dir {
            Some(dir) => dir.clone(),
            None => std::env::var_os("OUT_DIR")
                .map(PathBuf::from)
                .ok_or(Error::NoOutDir)?,
        };

        let generated = match self.generate(spec) {
            Ok(generated) => generated,
            Err(diagnostics) => {
                // Cargo reruns a failed build script anyway; this covers the root document when
                // the pipeline stopped before it could list the files it read.
                println!("cargo:rerun-if-changed={}", spec.display());
                return Err(Error::Generate {
                    spec: spec.to_owned(),
                    diagnostics,
                });
            }
        };

        for file in &generated.files {
            println!("cargo:rerun-if-changed={}", file.display());
        }
        if generated.files.is_empty() {
            println!("cargo:rerun-if-changed={}", spec.display());
        }
        for warning in &generated.warnings {
            for line in warning.to_string().lines() {
                println!("cargo:warning={line}");
            }
        }

        if let Some(document) = &generated.document {
            let path = out_dir.join(&document.name);
            write_if_changed(&path, document.text.as_bytes())
                .map_err(|error| Error::Io { path, error })?;
        }
        let path = out_dir.join(file_name);
        write_if_changed(&path, generated.code.as_bytes())
            .map_err(|error| Error::Io { path, error })
    }

    fn file_name(&self) -> Result<OsString, Error> {
        let name = &self.module_name;
        let valid = !name.is_empty()
            && name != "."
            && name != ".."
            && !name.contains(['/', '\\'])
            && !name.chars().any(char::is_control);
        if !valid {
            return Err(Error::InvalidModuleName(name.clone()));
        }
        Ok(format!("{name}.rs").into())
    }
}

/// Write `contents` to `path` unless it already holds exactly that, creating parent
/// directories.
fn write_if_changed(path: &Path, contents: &[u8]) -> io::Result<()> {
    if fs::read(path).is_ok_and(|old| old == contents) {
        return Ok(());
    }
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        fs::create_dir_all(parent)?;
    }
    fs::write(path, contents)
}

/// Why [`Config::compile`] failed.
///
/// `Debug` prints the same readable text as `Display`, so that a build script whose `main`
/// returns `Result<(), Box<dyn Error>>` fails with the diagnostics rather than a struct dump.
#[non_exhaustive]
pub enum Error {
    /// The document could not be turned into code; `diagnostics` holds every error (and the
    /// warnings found before them).
    Generate {
        /// The document given to the build script.
        spec: PathBuf,
        /// What went wrong.
        diagnostics: Diagnostics,
    },
    /// Writing the output failed.
    Io {
        /// The file being written.
        path: PathBuf,
        /// Why it failed.
        error: io::Error,
    },
    /// Neither [`Config::out_dir`] was set nor the `OUT_DIR` environment variable.
    NoOutDir,
    /// [`Config::module_name`] was empty or not a plain file name.
    InvalidModuleName(String),
}

impl Error {
    /// The diagnostics, when the failure was in the document.
    pub fn diagnostics(&self) -> Option<&Diagnostics> {
        match self {
            Error::Generate { diagnostics, .. } => Some(diagnostics),
            _ => None,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Generate { spec, diagnostics } => {
                write!(
                    f,
                    "stencil-build: could not generate code from {}\n\n{diagnostics}",
                    spec.display()
                )
            }
            Error::Io { path, error } => {
                write!(
                    f,
                    "stencil-build: could not write {}: {error}",
                    path.display()
                )
            }
            Error::NoOutDir => f.write_str(
                "stencil-build: OUT_DIR is not set; `compile` is meant to run in a build \
                 script (build.rs). Elsewhere, set `Config::out_dir` or use `Config::generate`.",
            ),
            Error::InvalidModuleName(name) => write!(
                f,
                "stencil-build: invalid module name {name:?}: it must be a plain file name \
                 without `.rs` (e.g. \"api\")"
            ),
        }
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Generate { diagnostics, .. } => Some(diagnostics),
            Error::Io { error, .. } => Some(error),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Diagnostic;

    #[test]
    fn setters_fill_options() {
        let mut config = Config::new();
        config
            .client(false)
            .feature_gates(true)
            .derive("PartialEq, Eq")
            .derive("Hash");
        let options = config.options();
        assert!(!options.client);
        assert!(options.server);
        assert!(options.feature_gates);
        assert_eq!(options.extra_derives, ["PartialEq", "Eq", "Hash"]);
        assert_eq!(options.regenerate_command, BUILD_RS_COMMAND);
    }

    #[test]
    fn module_name_must_be_a_file_name() {
        for bad in ["", "a/b", "..", "a\\b"] {
            let err = Config::new()
                .module_name(bad)
                .out_dir("/nonexistent")
                .compile("x.yaml");
            assert!(matches!(err, Err(Error::InvalidModuleName(_))), "{bad:?}");
        }
    }

    #[test]
    fn error_debug_is_readable() {
        let mut diagnostic = Diagnostic::error("/paths", "bad thing").with_hint("fix it");
        diagnostic.file = PathBuf::from("api.yaml");
        let err = Error::Generate {
            spec: PathBuf::from("api.yaml"),
            diagnostics: Diagnostics(vec![diagnostic]),
        };
        let debug = format!("{err:?}");
        assert_eq!(debug, err.to_string());
        assert_eq!(
            debug,
            "stencil-build: could not generate code from api.yaml\n\n\
             error: api.yaml: bad thing\n  at /paths\n  help: fix it\n1 error(s), 0 warning(s)"
        );
    }

    #[test]
    fn write_if_changed_leaves_identical_files_alone() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/api.rs");
        write_if_changed(&path, b"one").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"one");
        let before = fs::metadata(&path).unwrap().modified().unwrap();
        std::thread::sleep(std::time::Duration::from_millis(20));
        write_if_changed(&path, b"one").unwrap();
        assert_eq!(fs::metadata(&path).unwrap().modified().unwrap(), before);
        write_if_changed(&path, b"two").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"two");
    }
}
