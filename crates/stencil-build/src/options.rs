//! What to generate: [`Options`] as the build script, the CLI and xtask fill them in, and
//! [`Settings`], the same options validated once, at the start of a run. Each stage takes the
//! plain values it uses from the settings (a list of derive paths, a flag), never the options:
//! this module belongs to no stage.
//!
//! Architecture invariant: nothing under `load`, `ir`, `emit` or `render` imports this module.

use crate::diag::{Diagnostic, Diagnostics};
use crate::ir::select::PathPattern;
use crate::naming::DEFAULT_SECRET_FIELDS;

/// What to generate. The build.rs, xtask and CLI surfaces all fill this in.
#[derive(Clone, Debug)]
pub struct Options {
    /// Generate the `client` module.
    pub client: bool,
    /// Generate the `server` module.
    pub server: bool,
    /// Wrap the client and server modules in `#[cfg(feature = "client")]` /
    /// `#[cfg(feature = "server")]` (for generated crates with those features).
    pub feature_gates: bool,
    /// Extra `#[derive(...)]` paths added to every generated type.
    pub extra_derives: Vec<String>,
    /// The command that regenerates the output, named in the `// @generated` header.
    pub regenerate_command: String,
    /// Schemas replaced by existing Rust types: schema (its key under `components/schemas`,
    /// or its generated Rust name) → Rust path. The generated type becomes an alias of the path.
    pub type_replacements: Vec<(String, String)>,
    /// Split the server's handler trait: one trait per tag (`<Tag>Api`, operations without a
    /// tag in `DefaultApi`), the hooks in `ApiBase`, and `Api` implemented for every type
    /// implementing them all. A tag nested under another (3.2 `parent`) extends its trait.
    pub server_traits_per_tag: bool,
    /// Format the output with prettyplease (default). Off, each part is written as its token
    /// stream prints (valid, deterministic Rust on a few very long lines): generation is
    /// several times faster, for documents so large nobody reads the output (as
    /// prost-build's `format(false)`).
    pub format: bool,
    /// Generate only the operations whose path matches one of these patterns (all when empty),
    /// and only the types they use: `/users/**`, `/token#POST`, `/me/*#GET,PATCH`. `*` matches
    /// within a path segment, a `**` segment any number of segments.
    pub include_paths: Vec<String>,
    /// Leave out the operations whose path matches one of these patterns (after
    /// `include_paths`), and the types only they use.
    pub exclude_paths: Vec<String>,
    /// Property names whose values `Debug` prints as `[redacted]` (compared with the
    /// property's name on the wire and its Rust field name, case-insensitively), besides every
    /// property with `format: password` or `writeOnly: true`. Default:
    /// [`DEFAULT_SECRET_FIELDS`].
    pub secret_fields: Vec<String>,
    /// Operations that page, for documents without `x-pagination` (or to override it): one
    /// `OPERATION; key=value; ...` each, the operation its `operationId` or `METHOD /path`, the
    /// keys those of `x-pagination` (`scheme`, `param`, `items`, `next`, `has_more`, `id`,
    /// `first`): `"GET /items; scheme=cursor; param=cursor; items=/data; next=/next_cursor"`.
    /// The client's request builder of each gets `into_stream`.
    pub pagination: Vec<String>,
    /// Generate `server::docs_router(path)`, an interactive documentation page for the
    /// server's own document, behind `#[cfg(feature = "docs-ui")]`: for crates with a `docs-ui`
    /// feature that turns on `stencil/docs-ui` (the CLI and xtask write one). Default: off.
    pub docs_router: bool,
    /// The name, without extension, of the file the server's `OPENAPI_DOCUMENT` is included
    /// from (`include_str!`), beside the generated source file: [`Generated::document`] holds
    /// it, to be written there (`.json` or `.yaml` after the document's format). Default:
    /// `openapi`; [`Config`] uses `<module name>.openapi`.
    ///
    /// [`Generated::document`]: crate::Generated::document
    /// [`Config`]: crate::Config
    pub document_stem: String,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            client: true,
            server: true,
            feature_gates: false,
            extra_derives: Vec::new(),
            regenerate_command: "stencil generate".to_owned(),
            type_replacements: Vec::new(),
            server_traits_per_tag: false,
            format: true,
            include_paths: Vec::new(),
            exclude_paths: Vec::new(),
            secret_fields: DEFAULT_SECRET_FIELDS
                .iter()
                .map(|s| (*s).to_owned())
                .collect(),
            pagination: Vec::new(),
            docs_router: false,
            document_stem: "openapi".to_owned(),
        }
    }
}

/// [`Options`] validated: derives parsed as paths, replacement types checked, path patterns
/// parsed. Made once per run by [`Settings::new`]; an option that cannot be used is an error
/// diagnostic then, before anything is generated.
#[derive(Clone, Debug)]
pub(crate) struct Settings {
    pub client: bool,
    pub server: bool,
    pub feature_gates: bool,
    /// `Options::extra_derives`, trimmed, each a path (see [`Settings::derive_paths`]).
    pub derives: Vec<String>,
    pub regenerate_command: String,
    /// `Options::type_replacements`, every path a Rust type.
    pub replacements: Vec<(String, String)>,
    pub server_traits_per_tag: bool,
    pub format: bool,
    pub include: Vec<PathPattern>,
    pub exclude: Vec<PathPattern>,
    /// `Options::secret_fields`, trimmed and lowercased.
    pub secret_fields: Vec<String>,
    /// `Options::pagination`: each operation and its settings as `x-pagination` would hold them.
    pub pagination: Vec<(String, serde_json::Value)>,
    pub docs_router: bool,
    /// `Options::document_stem`, a plain file name.
    pub document_stem: String,
}

impl Settings {
    /// Validate `options`. Every option that cannot be used is reported, each naming the
    /// option and the value.
    pub fn new(options: &Options) -> Result<Settings, Diagnostics> {
        let mut errors = Vec::new();
        let mut derives = Vec::new();
        for text in &options.extra_derives {
            match syn::parse_str::<syn::Path>(text.trim()) {
                Ok(_) => derives.push(text.trim().to_owned()),
                Err(_) => errors.push(
                    Diagnostic::error("", format!("extra derive `{text}` is not a path"))
                        .with_hint("give a derive macro path such as `Hash` or `my_crate::Schema`"),
                ),
            }
        }
        let mut replacements = Vec::new();
        for (schema, path) in &options.type_replacements {
            if syn::parse_str::<syn::Type>(path).is_ok() {
                replacements.push((schema.clone(), path.clone()));
            } else {
                errors.push(
                    Diagnostic::error(
                        "",
                        format!("type replacement for `{schema}`: `{path}` is not a Rust type"),
                    )
                    .with_hint(
                        "give a type path such as `my_crate::Money` or `::chrono::NaiveTime`",
                    ),
                );
            }
        }
        if crate::literals::document_file(&options.document_stem, "").is_none() {
            errors.push(
                Diagnostic::error(
                    "",
                    format!(
                        "document file name `{}` is not a plain file name",
                        options.document_stem.escape_debug()
                    ),
                )
                .with_hint("give a name such as `openapi`, without a directory"),
            );
        }
        let include = patterns(&options.include_paths, "include path", &mut errors);
        let exclude = patterns(&options.exclude_paths, "exclude path", &mut errors);
        let mut pagination = Vec::new();
        for text in &options.pagination {
            match paging(text) {
                Ok(rule) => pagination.push(rule),
                Err(why) => errors.push(
                    Diagnostic::error("", format!("pagination `{text}`: {why}")).with_hint(
                        "write `OPERATION; scheme=...; param=...`, e.g. `GET /items; scheme=cursor; param=cursor; items=/data; next=/next_cursor`",
                    ),
                ),
            }
        }
        if !errors.is_empty() {
            return Err(Diagnostics(errors));
        }
        Ok(Settings {
            client: options.client,
            server: options.server,
            feature_gates: options.feature_gates,
            derives,
            regenerate_command: options.regenerate_command.clone(),
            replacements,
            server_traits_per_tag: options.server_traits_per_tag,
            format: options.format,
            include,
            exclude,
            secret_fields: options
                .secret_fields
                .iter()
                .map(|s| s.trim().to_ascii_lowercase())
                .filter(|s| !s.is_empty())
                .collect(),
            pagination,
            docs_router: options.docs_router,
            document_stem: options.document_stem.clone(),
        })
    }

    /// The extra derives as paths. syn's values are not `Send`, so each emitting thread parses
    /// its own (every one parsed when the settings were made).
    pub fn derive_paths(&self) -> Vec<syn::Path> {
        let parse = |text: &String| syn::parse_str::<syn::Path>(text).ok();
        self.derives.iter().filter_map(parse).collect()
    }

    /// Whether path patterns narrow the API.
    pub fn selects(&self) -> bool {
        !(self.include.is_empty() && self.exclude.is_empty())
    }
}

/// Parse path patterns; one that does not parse is an error naming `option`.
fn patterns(texts: &[String], option: &str, errors: &mut Vec<Diagnostic>) -> Vec<PathPattern> {
    texts
        .iter()
        .filter_map(|p| match PathPattern::parse(p) {
            Ok(p) => Some(p),
            Err(why) => {
                errors.push(Diagnostic::error("", format!("{option}: {why}")).with_hint(
                    "write a path glob such as `/users/**` or `/users/*/messages#GET,POST`",
                ));
                None
            }
        })
        .collect()
}

/// The keys of one `Options::pagination` entry.
const PAGING_KEYS: [&str; 7] = [
    "scheme", "param", "items", "next", "has_more", "id", "first",
];

/// `OPERATION; key=value; ...` as the operation and an `x-pagination` object (checked against
/// the operation later, when it is at hand).
fn paging(text: &str) -> Result<(String, serde_json::Value), String> {
    let mut parts = text.split(';');
    let operation = parts.next().unwrap_or_default().trim();
    if operation.is_empty() {
        return Err("no operation before the first `;`".to_owned());
    }
    let mut settings = serde_json::Map::new();
    for part in parts.map(str::trim).filter(|p| !p.is_empty()) {
        let Some((key, value)) = part.split_once('=') else {
            return Err(format!("`{part}` is not `key=value`"));
        };
        let (key, value) = (key.trim(), value.trim());
        if !PAGING_KEYS.contains(&key) {
            return Err(format!(
                "unknown key `{key}` (known: {})",
                PAGING_KEYS.join(", ")
            ));
        }
        let value = match (key, value.parse::<i64>()) {
            ("first", Ok(n)) => serde_json::Value::from(n),
            _ => serde_json::Value::from(value),
        };
        if settings.insert(key.to_owned(), value).is_some() {
            return Err(format!("`{key}` given twice"));
        }
    }
    Ok((operation.to_owned(), serde_json::Value::Object(settings)))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every option that cannot be used is reported at once, naming it.
    #[test]
    fn bad_options_are_errors() {
        let options = Options {
            extra_derives: vec!["Hash".into(), "not a path".into()],
            type_replacements: vec![("Money".into(), "my crate::Money".into())],
            include_paths: vec!["users/**".into()],
            exclude_paths: vec!["/x#GET;FETCH".into()],
            pagination: vec![
                "; scheme=cursor".into(),
                "list; colour=red".into(),
                "list; cursor".into(),
            ],
            document_stem: "../openapi".into(),
            ..Options::default()
        };
        let errors = Settings::new(&options)
            .expect_err("bad options")
            .to_string();
        assert!(
            errors.contains("extra derive `not a path` is not a path"),
            "{errors}"
        );
        assert!(
            errors.contains("`my crate::Money` is not a Rust type"),
            "{errors}"
        );
        assert!(errors.contains("include path: path pattern `users/**` does not start"));
        assert!(errors.contains("exclude path: path pattern `/x#GET;FETCH`: `GET;FETCH` is not"));
        assert!(errors.contains("pagination `; scheme=cursor`: no operation"));
        assert!(errors.contains("pagination `list; colour=red`: unknown key `colour`"));
        assert!(errors.contains("pagination `list; cursor`: `cursor` is not `key=value`"));
        assert!(errors.contains("document file name `../openapi` is not a plain file name"));
        let good = Settings::new(&Options {
            extra_derives: vec![" my_crate::Schema ".into()],
            ..Options::default()
        })
        .expect("valid options");
        assert_eq!(good.derives, ["my_crate::Schema"]);
        let paged = Settings::new(&Options {
            pagination: vec![" GET /items ; scheme = page; param=p; first=0 ;".into()],
            ..Options::default()
        })
        .expect("valid pagination");
        assert_eq!(
            paged.pagination,
            [(
                "GET /items".to_owned(),
                serde_json::json!({"scheme": "page", "param": "p", "first": 0})
            )]
        );
        assert_eq!(good.derive_paths().len(), 1);
        assert!(!good.selects());
    }
}
