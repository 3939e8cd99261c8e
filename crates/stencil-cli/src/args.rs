//! Command-line parsing (hand-rolled: three subcommands, a dozen flags).

use std::fmt;
use std::path::PathBuf;

pub const USAGE: &str = "\
stencil: Rust crates (types, reqwest client, axum server) from OpenAPI 3.0/3.1 documents

Usage:
  stencil generate SPEC --out DIR [OPTIONS]   write a crate generated from SPEC to DIR
  stencil check SPEC --against DIR [OPTIONS]  check that DIR is what `generate` would write
  stencil lint SPEC                           print every diagnostic for SPEC, generate nothing
  stencil help [COMMAND]                      print this help, or a command's

Options:
  -h, --help     print help (also after a command: `stencil generate --help`)
  -V, --version  print the version

Exit status: 0 success, 1 invalid input or stale output, 2 usage error.
";

pub const GENERATE_USAGE: &str = "\
Write a complete crate generated from the OpenAPI document SPEC to DIR: DIR/Cargo.toml and
DIR/src/lib.rs. The client and server are behind the crate's `client` and `server` features
(both on by default).

Usage: stencil generate SPEC --out DIR [OPTIONS]

Options:
  --out DIR              where to write the crate (required). Everything is generated before
                         anything is written, then swapped in: on any failure DIR is left as
                         it was. A non-empty DIR must be one stencil wrote; only its
                         Cargo.toml and src/lib.rs are replaced.
  --name NAME            package name (default: SPEC's file stem, made a valid crate name)
  --no-client            do not generate the reqwest client
  --no-server            do not generate the axum server
  --no-format            write the code unformatted (long lines; several times faster, for
                         very large documents)
  --server-traits-per-tag
                         split the server's handler trait: one trait per tag (`<Tag>Api`),
                         the hooks in `ApiBase`. Much faster to compile for APIs with
                         thousands of operations (rustc checks a trait's `impl Future`
                         methods in quadratic time)
  --include-path GLOB    generate only the operations whose path matches GLOB (repeatable),
                         and only the types they use: `/users/**`, `/users/*/messages#GET`.
                         `*` matches within a path segment, `**` any number of segments,
                         `#GET,POST` limits the methods
  --exclude-path GLOB    leave out the operations whose path matches GLOB (repeatable; after
                         --include-path), and the types only they use
  --runtime-version VER  depend on the stencil runtime from crates.io: stencil = \"VER\"
                         (default: the version of this stencil, {VERSION})
  --runtime-path PATH    depend on the stencil runtime at PATH (relative to the current
                         directory; written relative to DIR)
  --runtime-git URL      depend on the stencil runtime from a git repository
  --standalone           add an empty [workspace] table, so DIR builds on its own even inside
                         another workspace's directory
  -h, --help             print this help

Exit status: 0 written (or already up to date), 1 invalid input (diagnostics on stderr;
nothing written), 2 usage error.
";

pub const CHECK_USAGE: &str = "\
Regenerate in memory and compare with the crate in DIR (DIR/Cargo.toml and DIR/src/lib.rs).
Pass the SPEC path and the options DIR was generated with: both are part of the output.

Usage: stencil check SPEC --against DIR [OPTIONS]

Options:
  --against DIR          the generated crate to compare with (required)
  --name NAME, --no-client, --no-server, --no-format, --server-traits-per-tag,
  --include-path GLOB, --exclude-path GLOB, --runtime-version VER, --runtime-path PATH,
  --runtime-git URL, --standalone
                         as for `stencil generate`
  -h, --help             print this help

Exit status: 0 up to date, 1 stale (a unified diff on stdout) or invalid input, 2 usage error.
";

pub const LINT_USAGE: &str = "\
Load and check the OpenAPI document SPEC and print every diagnostic, warnings included,
without writing anything.

Usage: stencil lint SPEC

Options:
  -h, --help  print this help

Exit status: 0 no errors (warnings allowed), 1 errors, 2 usage error.
";

/// The help text of `command` (`None`: the top-level usage).
pub fn help(command: Option<Cmd>) -> String {
    match command {
        None => USAGE.to_owned(),
        Some(Cmd::Generate) => GENERATE_USAGE.replace("{VERSION}", env!("CARGO_PKG_VERSION")),
        Some(Cmd::Check) => CHECK_USAGE.to_owned(),
        Some(Cmd::Lint) => LINT_USAGE.to_owned(),
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cmd {
    Generate,
    Check,
    Lint,
}

impl Cmd {
    fn from_name(name: &str) -> Option<Cmd> {
        match name {
            "generate" => Some(Cmd::Generate),
            "check" => Some(Cmd::Check),
            "lint" => Some(Cmd::Lint),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Cmd::Generate => "generate",
            Cmd::Check => "check",
            Cmd::Lint => "lint",
        }
    }

    fn synopsis(self) -> &'static str {
        match self {
            Cmd::Generate => "stencil generate SPEC --out DIR [OPTIONS]",
            Cmd::Check => "stencil check SPEC --against DIR [OPTIONS]",
            Cmd::Lint => "stencil lint SPEC",
        }
    }
}

#[derive(Debug, PartialEq)]
pub enum Command {
    Help(Option<Cmd>),
    Version,
    Generate(CrateArgs),
    Check(CrateArgs),
    Lint { spec: PathBuf },
}

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
    pub runtime: Option<Runtime>,
    pub standalone: bool,
}

/// Where the generated crate gets the `stencil` runtime from (`None` in [`CrateArgs`]: the
/// crates.io release matching this binary).
#[derive(Clone, Debug, PartialEq)]
pub enum Runtime {
    Version(String),
    Path(PathBuf),
    Git(String),
}

#[derive(Debug, PartialEq)]
pub struct UsageError {
    pub command: Option<Cmd>,
    pub message: String,
}

impl fmt::Display for UsageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "error: {}", self.message)?;
        match self.command {
            Some(cmd) => write!(
                f,
                "\nUsage: {}\nRun `stencil {} --help` for more information.",
                cmd.synopsis(),
                cmd.name()
            ),
            None => write!(
                f,
                "\nUsage: stencil <generate|check|lint|help> ...\nRun `stencil --help` for more \
                 information."
            ),
        }
    }
}

fn usage(command: Option<Cmd>, message: impl Into<String>) -> UsageError {
    UsageError {
        command,
        message: message.into(),
    }
}

/// Parse the arguments after the program name.
pub fn parse(args: impl IntoIterator<Item = std::ffi::OsString>) -> Result<Command, UsageError> {
    let args = args
        .into_iter()
        .map(|arg| {
            arg.into_string()
                .map_err(|arg| usage(None, format!("argument {arg:?} is not valid UTF-8")))
        })
        .collect::<Result<Vec<String>, _>>()?;
    let mut args = args.into_iter();

    let Some(first) = args.next() else {
        return Err(usage(None, "no command given"));
    };
    match first.as_str() {
        "-h" | "--help" => return Ok(Command::Help(None)),
        "-V" | "--version" => return Ok(Command::Version),
        "help" => {
            return match args.next() {
                None => Ok(Command::Help(None)),
                Some(name) => match Cmd::from_name(&name) {
                    Some(cmd) => Ok(Command::Help(Some(cmd))),
                    None => Err(usage(None, format!("unknown command `{name}`"))),
                },
            };
        }
        _ => {}
    }
    let Some(cmd) = Cmd::from_name(&first) else {
        return Err(if first.starts_with('-') {
            usage(None, format!("unknown option `{first}`"))
        } else {
            usage(None, format!("unknown command `{first}`"))
        });
    };
    parse_command(cmd, args)
}

fn parse_command(cmd: Cmd, args: impl Iterator<Item = String>) -> Result<Command, UsageError> {
    let err = |message: String| usage(Some(cmd), message);
    let mut positional: Vec<String> = Vec::new();
    let mut dir: Option<String> = None;
    let mut name: Option<String> = None;
    let mut client = true;
    let mut server = true;
    let mut format = true;
    let mut server_traits_per_tag = false;
    let mut include_paths = Vec::new();
    let mut exclude_paths = Vec::new();
    let mut standalone = false;
    let mut runtime: Option<(String, Runtime)> = None;

    let dir_flag = match cmd {
        Cmd::Generate => Some("--out"),
        Cmd::Check => Some("--against"),
        Cmd::Lint => None,
    };

    let mut args = args.peekable();
    let mut only_positional = false;
    while let Some(arg) = args.next() {
        if only_positional || arg == "-" || !arg.starts_with('-') {
            positional.push(arg);
            continue;
        }
        if arg == "--" {
            only_positional = true;
            continue;
        }
        if arg == "-h" || arg == "--help" {
            return Ok(Command::Help(Some(cmd)));
        }
        let (flag, inline) = match arg.split_once('=') {
            Some((flag, value)) if flag.starts_with("--") => (flag, Some(value.to_owned())),
            _ => (arg.as_str(), None),
        };
        let takes_value = matches!(
            flag,
            "--name"
                | "--runtime-path"
                | "--runtime-version"
                | "--runtime-git"
                | "--include-path"
                | "--exclude-path"
        ) || Some(flag) == dir_flag;
        let is_switch = matches!(
            flag,
            "--no-client"
                | "--no-server"
                | "--no-format"
                | "--server-traits-per-tag"
                | "--standalone"
        );
        if cmd == Cmd::Lint || !(takes_value || is_switch) {
            return Err(err(format!(
                "unknown option `{flag}` for `stencil {}`",
                cmd.name()
            )));
        }
        if is_switch {
            if inline.is_some() {
                return Err(err(format!("`{flag}` takes no value")));
            }
            match flag {
                "--no-client" => client = false,
                "--no-server" => server = false,
                "--no-format" => format = false,
                "--server-traits-per-tag" => server_traits_per_tag = true,
                _ => standalone = true,
            }
            continue;
        }
        let value = match inline {
            Some(value) => value,
            None => match args.next() {
                Some(value) if value == "--" || value.starts_with("--") => {
                    return Err(err(format!("`{flag}` needs a value, found `{value}`")));
                }
                Some(value) => value,
                None => return Err(err(format!("`{flag}` needs a value"))),
            },
        };
        if value.is_empty() {
            return Err(err(format!("`{flag}` needs a non-empty value")));
        }
        let once = |slot: &Option<String>| {
            if slot.is_some() {
                Err(err(format!("`{flag}` given more than once")))
            } else {
                Ok(())
            }
        };
        match flag {
            "--name" => {
                once(&name)?;
                if let Err(problem) = crate::crate_name::validate_crate_name(&value) {
                    return Err(err(format!("invalid --name `{value}`: {problem}")));
                }
                name = Some(value);
            }
            "--include-path" => include_paths.push(value),
            "--exclude-path" => exclude_paths.push(value),
            "--runtime-path" | "--runtime-version" | "--runtime-git" => {
                if let Some((previous, _)) = &runtime {
                    return Err(err(if previous == flag {
                        format!("`{flag}` given more than once")
                    } else {
                        format!("`{previous}` and `{flag}` cannot be used together")
                    }));
                }
                let rt = match flag {
                    "--runtime-path" => Runtime::Path(PathBuf::from(value)),
                    "--runtime-version" => Runtime::Version(value),
                    _ => Runtime::Git(value),
                };
                runtime = Some((flag.to_owned(), rt));
            }
            _ => {
                once(&dir)?;
                dir = Some(value);
            }
        }
    }

    let mut positional = positional.into_iter();
    let Some(spec) = positional.next() else {
        return Err(err("missing SPEC (the OpenAPI document to read)".to_owned()));
    };
    if let Some(extra) = positional.next() {
        return Err(err(format!("unexpected argument `{extra}`")));
    }
    let spec = PathBuf::from(spec);

    let Some(dir_flag) = dir_flag else {
        return Ok(Command::Lint { spec });
    };
    let Some(dir) = dir else {
        return Err(err(format!("missing `{dir_flag} DIR`")));
    };
    let args = CrateArgs {
        spec,
        dir: PathBuf::from(dir),
        name,
        client,
        server,
        format,
        server_traits_per_tag,
        include_paths,
        exclude_paths,
        runtime: runtime.map(|(_, rt)| rt),
        standalone,
    };
    Ok(match cmd {
        Cmd::Generate => Command::Generate(args),
        _ => Command::Check(args),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_str(args: &[&str]) -> Result<Command, UsageError> {
        parse(args.iter().map(|a| a.into()))
    }

    fn message(args: &[&str]) -> String {
        parse_str(args).unwrap_err().message
    }

    #[test]
    fn generate_defaults() {
        let Command::Generate(args) = parse_str(&["generate", "api.yaml", "--out", "gen"]).unwrap()
        else {
            panic!()
        };
        assert_eq!(
            args,
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
                runtime: None,
                standalone: false,
            }
        );
    }

    #[test]
    fn path_patterns_repeat_in_order() {
        let Command::Check(args) = parse_str(&[
            "check",
            "api.yaml",
            "--against",
            "gen",
            "--include-path",
            "/users/**",
            "--exclude-path=/users/*/photo",
            "--include-path=/me#GET",
            "--server-traits-per-tag",
        ])
        .unwrap() else {
            panic!()
        };
        assert_eq!(args.include_paths, ["/users/**", "/me#GET"]);
        assert_eq!(args.exclude_paths, ["/users/*/photo"]);
        assert!(args.server_traits_per_tag);
        assert_eq!(
            message(&["generate", "a.yaml", "--out", "g", "--include-path"]),
            "`--include-path` needs a value"
        );
    }

    #[test]
    fn generate_everything() {
        let Command::Generate(args) = parse_str(&[
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
        ])
        .unwrap() else {
            panic!()
        };
        assert_eq!(args.spec, PathBuf::from("-weird.yaml"));
        assert_eq!(args.name.as_deref(), Some("my-api"));
        assert!(args.client && !args.server && args.standalone);
        assert_eq!(args.runtime, Some(Runtime::Path("../stencil".into())));
    }

    #[test]
    fn check_and_lint() {
        assert!(matches!(
            parse_str(&["check", "a.yaml", "--against", "gen", "--no-client"]),
            Ok(Command::Check(CrateArgs { client: false, .. }))
        ));
        assert_eq!(
            parse_str(&["lint", "a.yaml"]),
            Ok(Command::Lint {
                spec: "a.yaml".into()
            })
        );
        assert_eq!(
            message(&["lint", "a.yaml", "--out", "x"]),
            "unknown option `--out` for `stencil lint`"
        );
        assert_eq!(
            message(&["check", "a.yaml", "--out", "x"]),
            "unknown option `--out` for `stencil check`"
        );
    }

    #[test]
    fn help_and_version() {
        assert_eq!(parse_str(&["--help"]), Ok(Command::Help(None)));
        assert_eq!(parse_str(&["help"]), Ok(Command::Help(None)));
        assert_eq!(
            parse_str(&["help", "check"]),
            Ok(Command::Help(Some(Cmd::Check)))
        );
        assert_eq!(
            parse_str(&["generate", "--bogus", "--help"]),
            Err(UsageError {
                command: Some(Cmd::Generate),
                message: "unknown option `--bogus` for `stencil generate`".into()
            })
        );
        assert_eq!(
            parse_str(&["generate", "-h"]),
            Ok(Command::Help(Some(Cmd::Generate)))
        );
        assert_eq!(
            parse_str(&["lint", "--help"]),
            Ok(Command::Help(Some(Cmd::Lint)))
        );
        assert_eq!(parse_str(&["-V"]), Ok(Command::Version));
    }

    #[test]
    fn usage_errors() {
        assert_eq!(message(&[]), "no command given");
        assert_eq!(message(&["frobnicate"]), "unknown command `frobnicate`");
        assert_eq!(message(&["generate", "a.yaml"]), "missing `--out DIR`");
        assert_eq!(
            message(&["generate", "--out", "x"]),
            "missing SPEC (the OpenAPI document to read)"
        );
        assert_eq!(
            message(&["generate", "a", "b", "--out", "x"]),
            "unexpected argument `b`"
        );
        assert_eq!(
            message(&["generate", "a", "--out"]),
            "`--out` needs a value"
        );
        assert_eq!(
            message(&["generate", "a", "--out", "--name"]),
            "`--out` needs a value, found `--name`"
        );
        assert_eq!(
            message(&["generate", "a", "--out", "x", "--out", "y"]),
            "`--out` given more than once"
        );
        assert_eq!(
            message(&["generate", "a", "--out", "x", "--no-client=1"]),
            "`--no-client` takes no value"
        );
        assert_eq!(
            message(&[
                "generate",
                "a",
                "--out",
                "x",
                "--runtime-path",
                "p",
                "--runtime-git",
                "g"
            ]),
            "`--runtime-path` and `--runtime-git` cannot be used together"
        );
        assert_eq!(
            message(&["generate", "a", "--out", "x", "--name", "1abc"]),
            "invalid --name `1abc`: a package name cannot start with a digit"
        );
    }
}
