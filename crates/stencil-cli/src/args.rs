//! The command line, declared with clap: help, usage errors (exit status 2) and suggestions for
//! misspelt flags follow clap's conventions.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::crate_args::{CrateArgs, Runtime};
use crate::crate_name::validate_crate_name;

const EXIT_STATUS: &str = "Exit status: 0 success, 1 invalid input or stale output, 2 usage error.";

/// Rust crates (types, reqwest client, axum server) from OpenAPI 3.0/3.1 documents.
#[derive(Debug, Parser)]
#[command(
    name = "stencil",
    version,
    after_help = EXIT_STATUS,
    arg_required_else_help = false,
    max_term_width = 100
)]
pub struct Cli {
    /// How diagnostics are printed: `human` (rustc-style, with the source line; colour on a
    /// terminal unless NO_COLOR is set), `short` (one line each, then the pointer and the hint)
    /// or `json` (one object per line)
    #[arg(
        long,
        value_enum,
        global = true,
        default_value_t = MessageFormat::Human,
        value_name = "FMT"
    )]
    pub message_format: MessageFormat,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum MessageFormat {
    Human,
    Short,
    Json,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Write a crate generated from SPEC to DIR
    #[command(
        after_help = "Exit status: 0 written (or already up to date), 1 invalid input \
                            (diagnostics on stderr; nothing written), 2 usage error."
    )]
    Generate(GenerateArgs),
    /// Check that DIR is what `generate` would write (pass the options DIR was generated with)
    #[command(
        after_help = "Exit status: 0 up to date, 1 stale (a unified diff on stdout) or \
                            invalid input, 2 usage error."
    )]
    Check(CheckArgs),
    /// Print every diagnostic for SPEC, warnings included; generate nothing
    #[command(
        after_help = "Exit status: 0 no errors (warnings allowed), 1 errors, 2 usage error."
    )]
    Lint {
        /// The OpenAPI document (YAML or JSON)
        spec: PathBuf,
    },
    /// Print a completion script for SHELL (`stencil completions bash >
    /// ~/.local/share/bash-completion/completions/stencil`)
    Completions {
        /// The shell to complete for
        shell: clap_complete::Shell,
    },
}

#[derive(Debug, Args)]
pub struct GenerateArgs {
    /// The OpenAPI document (YAML or JSON)
    pub spec: PathBuf,
    /// Where to write the crate (DIR/Cargo.toml, DIR/src/lib.rs, and with the server the
    /// document it serves, DIR/src/openapi.yaml or .json). Everything is generated
    /// before anything is written, then swapped in: on any failure DIR is left as it was. A
    /// non-empty DIR must be one stencil wrote
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    #[command(flatten)]
    pub options: CrateOptions,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The OpenAPI document (YAML or JSON)
    pub spec: PathBuf,
    /// The generated crate to compare with
    #[arg(long, value_name = "DIR")]
    pub against: PathBuf,
    #[command(flatten)]
    pub options: CrateOptions,
}

/// The options of `generate` that shape its output (so `check` takes them too). The names
/// match the keys of `codegen.toml` (`cargo xtask regen`): `--include-path` is `include_paths`.
#[derive(Debug, Args)]
pub struct CrateOptions {
    /// Package name (default: SPEC's file stem, made a valid crate name)
    #[arg(long, value_name = "NAME", value_parser = parse_name)]
    pub name: Option<String>,
    /// Do not generate the reqwest client (the `client` feature)
    #[arg(long)]
    pub no_client: bool,
    /// Do not generate the axum server (the `server` feature)
    #[arg(long)]
    pub no_server: bool,
    /// Write the code unformatted (long lines; several times faster, for very large documents)
    #[arg(long)]
    pub no_format: bool,
    /// Split the server's handler trait: one trait per tag (`<Tag>Api`), the hooks in
    /// `ApiBase`. Much faster to compile for APIs with thousands of operations
    #[arg(long)]
    pub server_traits_per_tag: bool,
    /// Generate only the operations whose path matches GLOB (repeatable), and the types they
    /// use: `/users/**`, `/users/*/messages#GET`. `*` matches within a path segment, `**` any
    /// number of segments, `#GET,POST` limits the methods
    #[arg(long, value_name = "GLOB", value_parser = non_empty)]
    pub include_path: Vec<String>,
    /// Leave out the operations whose path matches GLOB (repeatable; after --include-path), and
    /// the types only they use
    #[arg(long, value_name = "GLOB", value_parser = non_empty)]
    pub exclude_path: Vec<String>,
    /// Page an operation (repeatable) the document does not mark with `x-pagination`:
    /// `OPERATION; key=value; ...`, OPERATION its operationId or `METHOD /path`, e.g.
    /// `GET /items; scheme=cursor; param=cursor; items=/data; next=/next_cursor`
    #[arg(long, value_name = "RULE", value_parser = non_empty)]
    pub paginate: Vec<String>,
    /// Print the values of properties and parameters named NAME as `[redacted]` in `Debug`
    /// (repeatable; replaces the default list: password, secret, token, access_token,
    /// refresh_token, api_key, client_secret). `format: password` and `writeOnly` values are
    /// redacted whatever the list
    #[arg(long, value_name = "NAME", value_parser = non_empty)]
    pub secret_field: Vec<String>,
    #[command(flatten)]
    pub runtime: RuntimeOptions,
    /// Add an empty [workspace] table, so DIR builds on its own even inside another
    /// workspace's directory
    #[arg(long)]
    pub standalone: bool,
}

/// At most one of these. Without any: `stencil = { version = "<this stencil's version>", path
/// = "<its runtime sources>" }` when the runtime sources this binary was built from are still
/// on disk (`cargo install --path`), else the version alone.
#[derive(Debug, Args)]
#[group(multiple = false)]
pub struct RuntimeOptions {
    /// Depend on the stencil runtime VER from crates.io only: stencil = "VER"
    #[arg(long, value_name = "VER", value_parser = non_empty)]
    pub runtime_version: Option<String>,
    /// Depend on the stencil runtime at PATH (relative to the current directory; written
    /// relative to DIR)
    #[arg(long, value_name = "PATH")]
    pub runtime_path: Option<PathBuf>,
    /// Depend on the stencil runtime from a git repository
    #[arg(long, value_name = "URL", value_parser = non_empty)]
    pub runtime_git: Option<String>,
}

fn non_empty(value: &str) -> Result<String, String> {
    if value.is_empty() {
        Err("a non-empty value is required".to_owned())
    } else {
        Ok(value.to_owned())
    }
}

fn parse_name(value: &str) -> Result<String, String> {
    validate_crate_name(value)?;
    Ok(value.to_owned())
}

impl CrateOptions {
    /// The generator's view of `spec`, `dir` and these options.
    pub fn crate_args(&self, spec: PathBuf, dir: PathBuf) -> CrateArgs {
        let runtime = &self.runtime;
        let runtime = if let Some(v) = &runtime.runtime_version {
            Some(Runtime::Version(v.clone()))
        } else if let Some(p) = &runtime.runtime_path {
            Some(Runtime::Path(p.clone()))
        } else {
            runtime.runtime_git.clone().map(Runtime::Git)
        };
        CrateArgs {
            spec,
            dir,
            name: self.name.clone(),
            client: !self.no_client,
            server: !self.no_server,
            format: !self.no_format,
            server_traits_per_tag: self.server_traits_per_tag,
            include_paths: self.include_path.clone(),
            exclude_paths: self.exclude_path.clone(),
            pagination: self.paginate.clone(),
            secret_fields: (!self.secret_field.is_empty()).then(|| self.secret_field.clone()),
            runtime,
            standalone: self.standalone,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::error::ErrorKind;

    fn parse(args: &[&str]) -> Result<Cli, clap::Error> {
        Cli::try_parse_from(std::iter::once("stencil").chain(args.iter().copied()))
    }

    fn crate_args(args: &[&str]) -> CrateArgs {
        match parse(args).unwrap().command {
            Command::Generate(g) => g.options.crate_args(g.spec, g.out),
            Command::Check(c) => c.options.crate_args(c.spec, c.against),
            other => panic!("{other:?}"),
        }
    }

    fn kind(args: &[&str]) -> ErrorKind {
        parse(args).unwrap_err().kind()
    }

    #[test]
    fn the_declaration_is_consistent() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }

    #[test]
    fn generate_defaults() {
        assert_eq!(
            crate_args(&["generate", "api.yaml", "--out", "gen"]),
            CrateArgs {
                spec: "api.yaml".into(),
                dir: "gen".into(),
                name: None,
                client: true,
                server: true,
                format: true,
                server_traits_per_tag: false,
                include_paths: Vec::new(),
                exclude_paths: Vec::new(),
                pagination: Vec::new(),
                secret_fields: None,
                runtime: None,
                standalone: false,
            }
        );
    }

    #[test]
    fn path_patterns_repeat_in_order() {
        let args = crate_args(&[
            "check",
            "api.yaml",
            "--against",
            "gen",
            "--include-path",
            "/users/**",
            "--exclude-path=/users/*/photo",
            "--include-path=/me#GET",
            "--server-traits-per-tag",
            "--paginate",
            "list; scheme=page; param=p",
            "--secret-field",
            "pin",
            "--secret-field=session",
        ]);
        assert_eq!(args.pagination, ["list; scheme=page; param=p"]);
        assert_eq!(
            args.secret_fields,
            Some(vec!["pin".to_owned(), "session".to_owned()])
        );
        assert_eq!(args.include_paths, ["/users/**", "/me#GET"]);
        assert_eq!(args.exclude_paths, ["/users/*/photo"]);
        assert!(args.server_traits_per_tag);
        assert_eq!(
            kind(&["generate", "a.yaml", "--out", "g", "--include-path"]),
            ErrorKind::InvalidValue
        );
        assert_eq!(
            kind(&["generate", "a.yaml", "--out", "g", "--include-path="]),
            ErrorKind::ValueValidation
        );
    }

    #[test]
    fn generate_everything() {
        let args = crate_args(&[
            "generate",
            "--out=gen",
            "--name",
            "my-api",
            "--no-server",
            "--runtime-path",
            "../stencil",
            "--standalone",
            "--",
            "-weird.yaml",
        ]);
        assert_eq!(args.spec, PathBuf::from("-weird.yaml"));
        assert_eq!(args.name.as_deref(), Some("my-api"));
        assert!(args.client && !args.server && args.standalone);
        assert_eq!(args.runtime, Some(Runtime::Path("../stencil".into())));
    }

    #[test]
    fn check_lint_completions() {
        assert!(!crate_args(&["check", "a.yaml", "--against", "gen", "--no-client"]).client);
        let cli = parse(&["lint", "--message-format", "json", "a.yaml"]).unwrap();
        assert_eq!(cli.message_format, MessageFormat::Json);
        assert!(
            matches!(cli.command, Command::Lint { spec } if spec == std::path::Path::new("a.yaml"))
        );
        assert_eq!(
            kind(&["lint", "a.yaml", "--out", "x"]),
            ErrorKind::UnknownArgument
        );
        assert_eq!(
            kind(&["check", "a.yaml", "--out", "x"]),
            ErrorKind::UnknownArgument
        );
        assert!(matches!(
            parse(&["completions", "zsh"]).unwrap().command,
            Command::Completions {
                shell: clap_complete::Shell::Zsh
            }
        ));
        assert_eq!(kind(&["completions", "cmd"]), ErrorKind::InvalidValue);
    }

    #[test]
    fn usage_errors() {
        assert_eq!(kind(&[]), ErrorKind::MissingSubcommand);
        assert_eq!(kind(&["frobnicate"]), ErrorKind::InvalidSubcommand);
        assert_eq!(
            kind(&["generate", "a.yaml"]),
            ErrorKind::MissingRequiredArgument
        );
        assert_eq!(
            kind(&["generate", "--out", "x"]),
            ErrorKind::MissingRequiredArgument
        );
        assert_eq!(
            kind(&["generate", "a", "b", "--out", "x"]),
            ErrorKind::UnknownArgument
        );
        assert_eq!(
            kind(&["generate", "a", "--out", "x", "--out", "y"]),
            ErrorKind::ArgumentConflict
        );
        assert_eq!(
            kind(&["generate", "a", "--out", "x", "--no-client=1"]),
            ErrorKind::TooManyValues
        );
        assert_eq!(
            kind(&[
                "generate",
                "a",
                "--out",
                "x",
                "--runtime-path",
                "p",
                "--runtime-git",
                "g"
            ]),
            ErrorKind::ArgumentConflict
        );
        let e = parse(&["generate", "a", "--out", "x", "--name", "1abc"]).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::ValueValidation);
        assert!(
            e.to_string()
                .contains("a package name cannot start with a digit"),
            "{e}"
        );
        let e = parse(&["generate", "a", "--out", "x", "--no-clent"]).unwrap_err();
        assert!(e.to_string().contains("--no-client"), "a suggestion: {e}");
    }
}
