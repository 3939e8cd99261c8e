//! `codegen.toml`: which crates `cargo xtask regen` generates from which documents.
//!
//! Parsed by hand: the file is a list of `[[crate]]` tables whose values are strings, booleans
//! and arrays of strings (over one line or several), and that is all this parser reads (with line numbers in its
//! errors).

use std::collections::BTreeSet;
use std::fmt;
use std::path::{Component, Path, PathBuf};

/// The manifest's file name, at the repository root.
pub const FILE: &str = "codegen.toml";

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Manifest {
    pub crates: Vec<CrateEntry>,
}

/// One `[[crate]]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CrateEntry {
    /// Package name.
    pub name: String,
    /// The OpenAPI document, relative to the repository root.
    pub spec: PathBuf,
    /// The crate's directory, relative to the repository root.
    pub out: PathBuf,
    pub client: bool,
    pub server: bool,
    pub derive: Vec<String>,
    /// One server handler trait per tag.
    pub server_traits_per_tag: bool,
    /// Only the operations whose path matches one of these globs (all when empty).
    pub include_paths: Vec<String>,
    /// Leave out the operations whose path matches one of these globs.
    pub exclude_paths: Vec<String>,
    /// Property names `Debug` redacts (`Options::secret_fields`); the default list when absent.
    pub secret_fields: Option<Vec<String>>,
    /// Operations that page (`Options::pagination`): `OPERATION; key=value; ...` each.
    pub pagination: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ManifestError {
    pub line: usize,
    pub message: String,
}

impl fmt::Display for ManifestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            write!(f, "{FILE}: {}", self.message)
        } else {
            write!(f, "{FILE}:{}: {}", self.line, self.message)
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
enum Value {
    Str(String),
    Bool(bool),
    Array(Vec<String>),
}

impl Value {
    fn kind(&self) -> &'static str {
        match self {
            Value::Str(_) => "a string",
            Value::Bool(_) => "a boolean",
            Value::Array(_) => "an array",
        }
    }
}

/// `(line, key, value)`.
type KeyValue = (usize, String, Value);

/// Parse and validate the text of `codegen.toml`.
pub fn parse(text: &str) -> Result<Manifest, ManifestError> {
    let err = |line: usize, message: String| ManifestError { line, message };
    let mut tables: Vec<(usize, Vec<KeyValue>)> = Vec::new();
    let mut lines = text.lines().enumerate();
    while let Some((i, raw)) = lines.next() {
        let n = i + 1;
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if line.starts_with('[') {
            let header = strip_comment(line).trim();
            let name = header
                .strip_prefix("[[")
                .and_then(|h| h.strip_suffix("]]"))
                .map(str::trim);
            if name != Some("crate") {
                return Err(err(
                    n,
                    format!("unsupported table `{header}`: only `[[crate]]`"),
                ));
            }
            tables.push((n, Vec::new()));
            continue;
        }
        let Some((key, rest)) = line.split_once('=') else {
            return Err(err(n, format!("expected `key = value`, found `{line}`")));
        };
        let key = key.trim();
        if key.is_empty()
            || !key
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        {
            return Err(err(n, format!("invalid key `{key}`")));
        }
        let mut value_text = rest.trim_start().to_owned();
        let (value, rest) = loop {
            match parse_value(&value_text) {
                Ok((value, rest)) => break (value, rest.to_owned()),
                // An array may go on over the next lines (comment lines skipped).
                Err(m) if m == UNCLOSED => match lines.next() {
                    Some((_, next)) => {
                        let next = next.trim();
                        if !next.starts_with('#') {
                            value_text.push(' ');
                            value_text.push_str(next);
                        }
                    }
                    None => {
                        return Err(err(
                            n,
                            format!("the array of `{}` is not closed", key.trim()),
                        ))
                    }
                },
                Err(m) => return Err(err(n, m)),
            }
        };
        let rest = rest.trim_start();
        if !(rest.is_empty() || rest.starts_with('#')) {
            return Err(err(
                n,
                format!("unexpected `{rest}` after the value of `{key}`"),
            ));
        }
        let Some((_, keys)) = tables.last_mut() else {
            return Err(err(n, format!("`{key}` outside a `[[crate]]` table")));
        };
        if keys.iter().any(|(_, k, _)| k == key) {
            return Err(err(n, format!("`{key}` given twice in one `[[crate]]`")));
        }
        keys.push((n, key.to_owned(), value));
    }

    let mut crates = Vec::new();
    for (header_line, keys) in tables {
        let mut name = None;
        let mut spec = None;
        let mut out = None;
        let mut client = true;
        let mut server = true;
        let mut derive = Vec::new();
        let mut server_traits_per_tag = false;
        let mut include_paths = Vec::new();
        let mut exclude_paths = Vec::new();
        let mut secret_fields = None;
        let mut pagination = Vec::new();
        for (n, key, value) in keys {
            let expected =
                |what: &str| err(n, format!("`{key}` must be {what}, found {}", value.kind()));
            match (key.as_str(), &value) {
                ("name", Value::Str(s)) => name = Some(s.clone()),
                ("spec", Value::Str(s)) => spec = Some((n, s.clone())),
                ("out", Value::Str(s)) => out = Some((n, s.clone())),
                ("client", Value::Bool(b)) => client = *b,
                ("server", Value::Bool(b)) => server = *b,
                ("server_traits_per_tag", Value::Bool(b)) => server_traits_per_tag = *b,
                ("derive", Value::Array(items)) => derive = items.clone(),
                ("include_paths", Value::Array(items)) => include_paths = items.clone(),
                ("exclude_paths", Value::Array(items)) => exclude_paths = items.clone(),
                ("secret_fields", Value::Array(items)) => secret_fields = Some(items.clone()),
                ("pagination", Value::Array(items)) => pagination = items.clone(),
                ("name" | "spec" | "out", _) => return Err(expected("a string")),
                ("client" | "server" | "server_traits_per_tag", _) => {
                    return Err(expected("a boolean"))
                }
                (
                    "derive" | "include_paths" | "exclude_paths" | "secret_fields" | "pagination",
                    _,
                ) => return Err(expected("an array of strings")),
                _ => {
                    return Err(err(
                        n,
                        format!(
                            "unknown key `{key}` (known: name, spec, out, client, server, derive, \
                             server_traits_per_tag, include_paths, exclude_paths, secret_fields, \
                             pagination)"
                        ),
                    ))
                }
            }
        }
        let missing = |key: &str| err(header_line, format!("`[[crate]]` without `{key}`"));
        let name = name.ok_or_else(|| missing("name"))?;
        let (spec_line, spec) = spec.ok_or_else(|| missing("spec"))?;
        let (out_line, out) = out.ok_or_else(|| missing("out"))?;
        if let Err(problem) = check_crate_name(&name) {
            return Err(err(
                header_line,
                format!("invalid crate name `{name}`: {problem}"),
            ));
        }
        let spec = relative_path(&spec).map_err(|m| err(spec_line, format!("`spec`: {m}")))?;
        let out = relative_path(&out).map_err(|m| err(out_line, format!("`out`: {m}")))?;
        crates.push(CrateEntry {
            name,
            spec,
            out,
            client,
            server,
            derive,
            server_traits_per_tag,
            include_paths,
            exclude_paths,
            secret_fields,
            pagination,
        });
    }

    let mut names = BTreeSet::new();
    for (i, c) in crates.iter().enumerate() {
        if !names.insert(&c.name) {
            return Err(err(0, format!("two crates are named `{}`", c.name)));
        }
        for other in &crates[..i] {
            if c.out.starts_with(&other.out) || other.out.starts_with(&c.out) {
                return Err(err(
                    0,
                    format!(
                        "the `out` directories of `{}` and `{}` overlap",
                        other.name, c.name
                    ),
                ));
            }
        }
    }
    Ok(Manifest { crates })
}

/// A path relative to the repository root and inside it: only normal components.
fn relative_path(s: &str) -> Result<PathBuf, String> {
    let path = Path::new(s);
    if s.is_empty() || s.contains('\\') {
        return Err(format!("`{s}` is not a relative path with `/` separators"));
    }
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::Normal(part) => out.push(part),
            Component::CurDir => {}
            _ => {
                return Err(format!(
                    "`{s}` must be relative to the repository root and inside it"
                ))
            }
        }
    }
    if out.as_os_str().is_empty() {
        return Err(format!("`{s}` names the repository root"));
    }
    Ok(out)
}

fn check_crate_name(name: &str) -> Result<(), &'static str> {
    match name.chars().next() {
        None => Err("it is empty"),
        Some(c) if !c.is_ascii_alphabetic() && c != '_' => Err("it must start with a letter"),
        _ if !name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') =>
        {
            Err("use ASCII letters, digits, `-` and `_`")
        }
        _ => Ok(()),
    }
}

/// The part of a header line before a `#` comment (headers hold no strings).
fn strip_comment(line: &str) -> &str {
    line.split_once('#').map_or(line, |(before, _)| before)
}

/// The error of an array the text ends in.
const UNCLOSED: &str = "unclosed array";

/// Parse one value at the start of `s`; return it and the rest of the line.
fn parse_value(s: &str) -> Result<(Value, &str), String> {
    if let Some(rest) = s.strip_prefix("true") {
        return Ok((Value::Bool(true), rest));
    }
    if let Some(rest) = s.strip_prefix("false") {
        return Ok((Value::Bool(false), rest));
    }
    if s.starts_with('"') || s.starts_with('\'') {
        let (string, rest) = parse_string(s)?;
        return Ok((Value::Str(string), rest));
    }
    if let Some(mut rest) = s.strip_prefix('[') {
        let mut items = Vec::new();
        loop {
            rest = rest.trim_start();
            if rest.is_empty() {
                return Err(UNCLOSED.to_owned());
            }
            if let Some(after) = rest.strip_prefix(']') {
                return Ok((Value::Array(items), after));
            }
            let (item, after) =
                parse_string(rest).map_err(|_| "arrays must hold strings".to_owned())?;
            items.push(item);
            rest = after.trim_start();
            if let Some(after) = rest.strip_prefix(',') {
                rest = after;
            } else if rest.is_empty() {
                return Err(UNCLOSED.to_owned());
            } else if !rest.starts_with(']') {
                return Err("expected `,` or `]` in array".to_owned());
            }
        }
    }
    Err(format!(
        "unsupported value `{s}`: use a string, true/false or an array of strings"
    ))
}

/// A TOML basic ("...") or literal ('...') string at the start of `s`.
fn parse_string(s: &str) -> Result<(String, &str), String> {
    let mut chars = s.char_indices();
    let quote = match chars.next() {
        Some((_, q @ ('"' | '\''))) => q,
        _ => return Err("expected a string".to_owned()),
    };
    let mut out = String::new();
    while let Some((i, c)) = chars.next() {
        match c {
            c if c == quote => return Ok((out, &s[i + 1..])),
            '\\' if quote == '"' => match chars.next().map(|(_, c)| c) {
                Some('"') => out.push('"'),
                Some('\\') => out.push('\\'),
                Some('n') => out.push('\n'),
                Some('t') => out.push('\t'),
                other => return Err(format!("unsupported escape `\\{}`", other.unwrap_or(' '))),
            },
            c => out.push(c),
        }
    }
    Err("unterminated string".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_entries() {
        let m = parse(
            "# comment\n\
             [[crate]]\n\
             name = \"pathstack\" # trailing\n\
             spec = 'specs/p.yaml'\n\
             out = \"./generated/pathstack/\"\n\
             client = true\n\
             server = false\n\
             derive = [\"PartialEq\", 'Eq' ]\n\
             server_traits_per_tag = true\n\
             include_paths = [\"/token#POST\", \"/users/**\"]\n\
             exclude_paths = [\"/users/*/photo\"]\n\
             pagination = [\n\
             # over several lines\n\
             'GET /items; scheme=page; param=p',\n\
             \"list; scheme=offset; param=o\"\n\
             ]\n\
             \n\
             [[crate]]\n\
             name = \"b\"\n\
             spec = \"b.json\"\n\
             out = \"generated/b\"\n",
        )
        .unwrap();
        assert_eq!(
            m.crates[0],
            CrateEntry {
                name: "pathstack".into(),
                spec: "specs/p.yaml".into(),
                out: "generated/pathstack".into(),
                client: true,
                server: false,
                derive: vec!["PartialEq".into(), "Eq".into()],
                server_traits_per_tag: true,
                include_paths: vec!["/token#POST".into(), "/users/**".into()],
                exclude_paths: vec!["/users/*/photo".into()],
                secret_fields: None,
                pagination: vec![
                    "GET /items; scheme=page; param=p".into(),
                    "list; scheme=offset; param=o".into()
                ],
            }
        );
        assert_eq!(m.crates[1].name, "b");
        assert!(m.crates[1].client && m.crates[1].server && m.crates[1].derive.is_empty());
    }

    #[test]
    fn errors_name_the_line() {
        let e = |text: &str| parse(text).unwrap_err().to_string();
        assert_eq!(
            e("name = \"x\"\n"),
            "codegen.toml:1: `name` outside a `[[crate]]` table"
        );
        assert_eq!(
            e("[crate]\n"),
            "codegen.toml:1: unsupported table `[crate]`: only `[[crate]]`"
        );
        assert_eq!(
            e("[[crate]]\nnmae = \"x\"\n"),
            "codegen.toml:2: unknown key `nmae` (known: name, spec, out, client, server, derive, \
             server_traits_per_tag, include_paths, exclude_paths, secret_fields, \
             pagination)"
        );
        assert_eq!(
            e("[[crate]]\nclient = \"yes\"\n"),
            "codegen.toml:2: `client` must be a boolean, found a string"
        );
        assert_eq!(
            e("[[crate]]\nname = \"x\nspec = 1\n"),
            "codegen.toml:2: unterminated string"
        );
        assert_eq!(
            e("[[crate]]\nname = \"x\" y\n"),
            "codegen.toml:2: unexpected `y` after the value of `name`"
        );
        assert_eq!(
            e("[[crate]]\nname = \"x\"\nspec = \"s\"\n"),
            "codegen.toml:1: `[[crate]]` without `out`"
        );
        assert_eq!(
            e("[[crate]]\nname = \"x\"\nspec = \"s\"\nout = \"../x\"\n"),
            "codegen.toml:4: `out`: `../x` must be relative to the repository root and inside it"
        );
        assert_eq!(
            e("[[crate]]\nname = \"x\"\nspec = \"s\"\nout = \"g\"\n[[crate]]\nname = \"y\"\nspec = \"s\"\nout = \"g/y\"\n"),
            "codegen.toml: the `out` directories of `x` and `y` overlap"
        );
        assert_eq!(
            e("[[crate]]\nname = \"1x\"\nspec = \"s\"\nout = \"g\"\n"),
            "codegen.toml:1: invalid crate name `1x`: it must start with a letter"
        );
        assert_eq!(
            e("[[crate]]\npagination = [\n'a',\n"),
            "codegen.toml:2: the array of `pagination` is not closed"
        );
        assert_eq!(
            e("[[crate]]\nderive = [1,\n]\n"),
            "codegen.toml:2: arrays must hold strings"
        );
    }
}
