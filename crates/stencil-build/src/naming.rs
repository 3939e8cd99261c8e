//! Every Rust naming decision lives here: casing (heck), keywords, invalid identifiers,
//! FastAPI/pydantic names, names for inline schemas, and deterministic collision resolution.
//!
//! Invariant: every function returning an identifier returns a valid, non-keyword Rust
//! identifier (ASCII letters, digits and `_`, not starting with a digit, not `_` alone).

use std::collections::BTreeSet;

use heck::{ToShoutySnakeCase, ToSnakeCase, ToUpperCamelCase};

/// Strict and reserved keywords of Rust 2015–2024, plus names that cannot be raw identifiers.
const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern",
    "false", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut",
    "pub", "ref", "return", "self", "Self", "static", "struct", "super", "trait", "true", "type",
    "unsafe", "use", "where", "while", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "try", "typeof", "unsized", "virtual", "yield", "union",
];

/// Associated items of the generated client that operation names must not take (the client's
/// other methods, such as its credential setters, give way to operations instead).
pub const CLIENT_ITEMS: &[&str] = &["new", "with_client", "base_url", "client", "default"];

/// The positional argument of a webhook sender's method: the subscriber's URL.
pub const TARGET_URL: &str = "url";

/// The positional argument of a callback sender's method: the request that subscribed
/// (`stencil::expression::Origin`), which the callback URL is evaluated from.
pub const TARGET_ORIGIN: &str = "origin";

/// Locals of a generated server handler that the bindings of its parameters must not shadow
/// (a parameter named `server` would hide the server the handler calls).
pub const HANDLER_LOCALS: &[&str] = &["server", "op", "input", "principal"];

/// The server trait's method receiving operation `op`'s request body as a stream.
pub fn stream_method(op: &str) -> String {
    format!("{op}_stream")
}

/// The generic functions a generated server's handlers call (`emit::server`), by the
/// credentials an operation takes. Handlers are `handle_<operation>`; nothing else in the
/// module starts with `serve_`.
pub const SERVE_PUBLIC: &str = "serve_public";
/// See [`SERVE_PUBLIC`]: operations that require credentials.
pub const SERVE_SECURED: &str = "serve_secured";
/// See [`SERVE_PUBLIC`]: operations whose credentials are optional.
pub const SERVE_OPTIONAL: &str = "serve_optional";

/// Type names that would shadow the prelude or types generated code relies on.
const RESERVED_TYPES: &[&str] = &[
    "Option",
    "Some",
    "None",
    "Result",
    "Ok",
    "Err",
    "String",
    "Vec",
    "Box",
    "Self",
    "Default",
    "Clone",
    "Debug",
    "Send",
    "Sync",
    "Sized",
    "Copy",
    "Eq",
    "PartialEq",
    "Ord",
    "PartialOrd",
    "Hash",
    "Fn",
    "FnMut",
    "FnOnce",
    "Drop",
    "Iterator",
    "From",
    "Into",
    "ToString",
    "Serialize",
    "Deserialize",
    "Future",
];

/// Whether `s` is a Rust keyword (strict, reserved, or a name that cannot be a raw identifier).
pub fn is_keyword(s: &str) -> bool {
    KEYWORDS.contains(&s)
}

/// Transliterate to ASCII word characters: anything else becomes a word break. Non-ASCII letters
/// are spelled as `uXXXX` so that two different unicode names do not collapse to one.
fn ascii_words(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if c.is_alphanumeric() {
            out.push_str(&format!(" u{:04x} ", c as u32));
        } else {
            out.push(' ');
        }
    }
    out
}

fn fix_start(mut s: String, prefix: &str) -> String {
    if s.is_empty() {
        return prefix.to_owned();
    }
    if s.as_bytes()[0].is_ascii_digit() {
        s.insert_str(0, prefix);
    }
    s
}

/// `UpperCamelCase` type name. Never a keyword or a prelude name.
pub fn type_name(raw: &str) -> String {
    let name = fix_start(ascii_words(raw).to_upper_camel_case(), "T");
    if is_keyword(&name) || RESERVED_TYPES.contains(&name.as_str()) {
        format!("{name}Type")
    } else {
        name
    }
}

/// `UpperCamelCase` enum variant name. `Other` is reserved for the fallback variant.
pub fn variant_name(raw: &str) -> String {
    // Sort orders and signed values: `-title` → `MinusTitle`, `+1` → `Plus1`.
    let signed = match raw.as_bytes().first() {
        Some(b'-') if raw.len() > 1 => format!("minus {}", &raw[1..]),
        Some(b'+') if raw.len() > 1 => format!("plus {}", &raw[1..]),
        _ => raw.to_owned(),
    };
    let mut name = ascii_words(&signed).to_upper_camel_case();
    if name.is_empty() {
        name = match raw {
            "" => "Empty".to_owned(),
            _ => symbol_name(raw),
        };
    }
    let name = fix_start(name, "V");
    if is_keyword(&name) || name == "Other" {
        format!("{name}Value")
    } else {
        name
    }
}

/// Names for values made only of punctuation: `+` → `Plus`, `-` → `Minus`, ...
fn symbol_name(raw: &str) -> String {
    let mut out = String::new();
    for c in raw.chars() {
        let word = match c {
            '+' => "Plus",
            '-' => "Minus",
            '*' => "Star",
            '/' => "Slash",
            '.' => "Dot",
            '<' => "Lt",
            '>' => "Gt",
            '=' => "Eq",
            '!' => "Bang",
            '_' => "Underscore",
            ' ' => "Space",
            _ => "X",
        };
        out.push_str(word);
    }
    out
}

/// `snake_case` field, method, parameter or module name. Never a keyword.
pub fn field_name(raw: &str) -> String {
    let snake = ascii_words(raw).to_snake_case();
    let name = if snake.is_empty() {
        "field".to_owned()
    } else {
        fix_start(snake, "f_")
    };
    if is_keyword(&name) || name == "_" {
        format!("{name}_")
    } else {
        name
    }
}

/// Split a pydantic generic model title `Success[list[Union[A, B]]]` into the base name and its
/// top-level arguments: `("Success", ["list[Union[A, B]]"])`. `None` when it is not generic.
pub fn pydantic_generic(title: &str) -> Option<(&str, Vec<&str>)> {
    let open = title.find('[')?;
    if !title.ends_with(']') || open == 0 {
        return None;
    }
    let base = &title[..open];
    if !base.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        return None;
    }
    let inner = &title[open + 1..title.len() - 1];
    let mut args = Vec::new();
    let (mut depth, mut start) = (0i32, 0usize);
    for (i, c) in inner.char_indices() {
        match c {
            '[' => depth += 1,
            ']' => depth -= 1,
            ',' if depth == 0 => {
                args.push(inner[start..i].trim());
                start = i + 1;
            }
            _ => {}
        }
        if depth < 0 {
            return None;
        }
    }
    if depth != 0 {
        return None;
    }
    args.push(inner[start..].trim());
    if args.iter().any(|a| a.is_empty()) {
        return None;
    }
    Some((base, args))
}

/// The readable type name of a schema: its pydantic title when it has one
/// (`Success[AuthenticationResult]` → `SuccessAuthenticationResult`,
/// `Success[list[Union[A, B]]]` → `SuccessListUnionAB`), else its component key.
pub fn schema_type_name(key: &str, title: Option<&str>) -> String {
    if let Some(title) = title {
        if pydantic_generic(title).is_some() {
            return type_name(title);
        }
    }
    type_name(key)
}

/// FastAPI builds operation ids as `{function}_{path}_{method}`: `login_token_post`,
/// `update_device_by_id_device__device_id__patch`. Returns the function name when `id` has
/// that shape for this path and method.
pub fn fastapi_function_name(id: &str, method: &str, path: &str) -> Option<String> {
    let method = method.to_ascii_lowercase();
    let suffix_path: String = path
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    let suffix = format!("{suffix_path}_{method}");
    let func = id.strip_suffix(&suffix)?;
    let func = func.trim_end_matches('_');
    if func.is_empty() {
        None
    } else {
        Some(func.to_owned())
    }
}

/// A method name for an operation without an `operationId`: `GET /device/{id}/trip` →
/// `get_device_by_id_trip`.
pub fn operation_name_from_route(method: &str, path: &str) -> String {
    let mut words = vec![method.to_ascii_lowercase()];
    for segment in path.split('/').filter(|s| !s.is_empty()) {
        if let Some(param) = segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
            words.push(format!("by_{param}"));
        } else {
            words.push(segment.to_owned());
        }
    }
    field_name(&words.join("_"))
}

/// The route a webhook or callback receiver serves a hook at: `/<method name>` (unique and
/// safe in a path), then `suffix`, what a callback URL adds after its expression (`/data`),
/// when it is plain path text.
pub fn hook_route(name: &str, suffix: Option<&str>) -> String {
    let plain = |s: &str| {
        s.starts_with('/')
            && !s.contains("//")
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || "-._~/".contains(c))
    };
    match suffix.filter(|s| plain(s)) {
        Some(suffix) => format!("/{name}{}", suffix.trim_end_matches('/')),
        None => format!("/{name}"),
    }
}

/// The server's handler trait for an operation tag (`Auth` → `AuthApi`); untagged operations
/// go to `DefaultApi`.
pub fn tag_trait_name(tag: Option<&str>) -> String {
    match tag {
        Some(tag) => format!("{}Api", type_name(tag)),
        None => "DefaultApi".to_owned(),
    }
}

/// The function giving a field's schema default (`#[serde(default = "...")]`), before
/// collision numbering: `default_<type>_<field>`.
pub fn default_fn_name(type_name: &str, field: &str) -> String {
    format!(
        "default_{}_{}",
        type_name.to_snake_case(),
        field.trim_end_matches('_')
    )
}

/// The `static` describing a schema for validation, before collision numbering: the type's
/// name and its type arguments' words in SHOUTY_SNAKE_CASE (`Page_Pet` → `PAGE_PET`).
pub fn schema_static_name(words: &str) -> String {
    words.to_shouty_snake_case()
}

/// The enum variant naming a response status, in the client's and the server's response
/// enums alike: a code's reason phrase (`404` → `NotFound`, see [`status_name`]), a class of
/// codes by its first digit (`2XX` → `Success`, `4XX` → `ClientError`), `Default` for
/// `default` (both `None`).
pub fn status_variant(code: Option<u16>, class: Option<u16>) -> String {
    match (code, class) {
        (Some(code), _) => status_name(code),
        (None, Some(1)) => "Informational".to_owned(),
        (None, Some(2)) => "Success".to_owned(),
        (None, Some(3)) => "Redirection".to_owned(),
        (None, Some(4)) => "ClientError".to_owned(),
        (None, Some(5)) => "ServerError".to_owned(),
        (None, Some(class)) => format!("Status{class}xx"),
        (None, None) => "Default".to_owned(),
    }
}

/// The reason phrase of an HTTP status, as an UpperCamelCase word: 422 → `UnprocessableEntity`.
pub fn status_name(code: u16) -> String {
    let phrase = match code {
        100 => "Continue",
        101 => "SwitchingProtocols",
        200 => "Ok",
        201 => "Created",
        202 => "Accepted",
        203 => "NonAuthoritativeInformation",
        204 => "NoContent",
        205 => "ResetContent",
        206 => "PartialContent",
        207 => "MultiStatus",
        300 => "MultipleChoices",
        301 => "MovedPermanently",
        302 => "Found",
        303 => "SeeOther",
        304 => "NotModified",
        307 => "TemporaryRedirect",
        308 => "PermanentRedirect",
        400 => "BadRequest",
        401 => "Unauthorized",
        402 => "PaymentRequired",
        403 => "Forbidden",
        404 => "NotFound",
        405 => "MethodNotAllowed",
        406 => "NotAcceptable",
        407 => "ProxyAuthenticationRequired",
        408 => "RequestTimeout",
        409 => "Conflict",
        410 => "Gone",
        411 => "LengthRequired",
        412 => "PreconditionFailed",
        413 => "PayloadTooLarge",
        414 => "UriTooLong",
        415 => "UnsupportedMediaType",
        416 => "RangeNotSatisfiable",
        417 => "ExpectationFailed",
        418 => "ImATeapot",
        421 => "MisdirectedRequest",
        422 => "UnprocessableEntity",
        423 => "Locked",
        424 => "FailedDependency",
        425 => "TooEarly",
        426 => "UpgradeRequired",
        428 => "PreconditionRequired",
        429 => "TooManyRequests",
        431 => "RequestHeaderFieldsTooLarge",
        451 => "UnavailableForLegalReasons",
        500 => "InternalServerError",
        501 => "NotImplemented",
        502 => "BadGateway",
        503 => "ServiceUnavailable",
        504 => "GatewayTimeout",
        505 => "HttpVersionNotSupported",
        507 => "InsufficientStorage",
        508 => "LoopDetected",
        511 => "NetworkAuthenticationRequired",
        _ => return format!("Status{code}"),
    };
    phrase.to_owned()
}

/// Hands out unique names in one scope, deterministically: the first claimant of a name keeps
/// it, later ones get `2`, `3`, ... appended (`_2` for snake_case names).
#[derive(Debug, Default, Clone)]
pub struct Scope {
    taken: BTreeSet<String>,
}

impl Scope {
    /// An empty scope.
    pub fn new() -> Self {
        Scope::default()
    }

    /// A scope where `reserved` names are already taken.
    pub fn with_reserved(reserved: &[&str]) -> Self {
        Scope {
            taken: reserved.iter().map(|s| (*s).to_owned()).collect(),
        }
    }

    /// Whether `name` is taken.
    pub fn contains(&self, name: &str) -> bool {
        self.taken.contains(name)
    }

    /// Claim `name`, or the first free numbered form of it. Returns the name claimed and
    /// whether it had to be changed.
    pub fn claim(&mut self, name: &str) -> (String, bool) {
        if self.taken.insert(name.to_owned()) {
            return (name.to_owned(), false);
        }
        let snake = name.chars().next().is_some_and(|c| c.is_ascii_lowercase());
        for n in 2.. {
            // `self_` → `self_2`, not `self__2` (which is not snake_case).
            let candidate = if snake && !name.ends_with('_') {
                format!("{name}_{n}")
            } else {
                format!("{name}{n}")
            };
            if self.taken.insert(candidate.clone()) {
                return (candidate, true);
            }
        }
        unreachable!("an unbounded counter always finds a free name")
    }
}

/// The property names generated types redact in `Debug` unless `Options::secret_fields` says
/// otherwise: those of credentials. Compared with a property's wire name and its Rust field
/// name, lowercased ([`is_secret_name`]).
pub const DEFAULT_SECRET_FIELDS: &[&str] = &[
    "password",
    "secret",
    "token",
    "access_token",
    "refresh_token",
    "api_key",
    "client_secret",
];

/// Whether a property or parameter named `name` (on the wire, or as a Rust name) is one of
/// `secrets` (lowercase): case-insensitive, a raw identifier's `r#` ignored, `-` read as `_`,
/// and an `x_` prefix ignored, so the header `X-API-Key` is `api_key`.
pub fn is_secret_name(name: &str, secrets: &[String]) -> bool {
    let name = name
        .trim_start_matches("r#")
        .to_ascii_lowercase()
        .replace('-', "_");
    let bare = name.strip_prefix("x_").unwrap_or(&name);
    secrets.iter().any(|s| *s == name || s == bare)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fastapi_names() {
        assert_eq!(
            fastapi_function_name("login_token_post", "post", "/token").as_deref(),
            Some("login")
        );
        assert_eq!(
            fastapi_function_name(
                "update_device_by_id_device__device_id__patch",
                "PATCH",
                "/device/{device_id}"
            )
            .as_deref(),
            Some("update_device_by_id")
        );
        assert_eq!(fastapi_function_name("listPets", "get", "/pets"), None);
    }

    /// Client and server name status variants the same way.
    #[test]
    fn status_variants() {
        assert_eq!(status_variant(Some(404), None), "NotFound");
        assert_eq!(status_variant(None, Some(2)), "Success");
        assert_eq!(status_variant(None, Some(4)), "ClientError");
        assert_eq!(status_variant(None, Some(5)), "ServerError");
        assert_eq!(status_variant(None, Some(9)), "Status9xx");
        assert_eq!(status_variant(None, None), "Default");
        assert_eq!(schema_static_name("Page_Pet"), "PAGE_PET");
        assert_eq!(default_fn_name("PetList", "type_"), "default_pet_list_type");
    }

    #[test]
    fn pydantic_titles() {
        assert_eq!(
            pydantic_generic("Success[list[Union[A, B]]]"),
            Some(("Success", vec!["list[Union[A, B]]"]))
        );
        assert_eq!(
            pydantic_generic("Page[A, B]"),
            Some(("Page", vec!["A", "B"]))
        );
        assert_eq!(pydantic_generic("Plain"), None);
        assert_eq!(pydantic_generic("Bad[x"), None);
        assert_eq!(
            schema_type_name(
                "Success_AuthenticationResult_",
                Some("Success[AuthenticationResult]")
            ),
            "SuccessAuthenticationResult"
        );
        assert_eq!(
            schema_type_name(
                "Success_list_Union_A__B___",
                Some("Success[list[Union[A, B]]]")
            ),
            "SuccessListUnionAB"
        );
    }

    #[test]
    fn identifiers() {
        assert_eq!(type_name("type"), "Type");
        assert_eq!(type_name("Self"), "SelfType");
        assert_eq!(type_name("123abc"), "T123abc");
        assert_eq!(type_name(""), "T");
        assert_eq!(type_name("Option"), "OptionType");
        assert_eq!(field_name("type"), "type_");
        assert_eq!(field_name("self"), "self_");
        assert_eq!(field_name("2fa"), "f_2fa");
        assert_eq!(field_name("x-api-version"), "x_api_version");
        assert_eq!(field_name(""), "field");
        assert_eq!(variant_name("+"), "Plus");
        assert_eq!(variant_name("-title"), "MinusTitle");
        assert_eq!(variant_name("+1"), "Plus1");
        assert_eq!(variant_name("-1"), "Minus1");
        assert_eq!(variant_name(""), "Empty");
        assert_eq!(variant_name("other"), "OtherValue");
        assert_ne!(type_name("é"), type_name("è"));
    }

    #[test]
    fn scope_numbers_collisions() {
        let mut s = Scope::new();
        assert_eq!(s.claim("Foo"), ("Foo".to_owned(), false));
        assert_eq!(s.claim("Foo"), ("Foo2".to_owned(), true));
        assert_eq!(s.claim("bar"), ("bar".to_owned(), false));
        assert_eq!(s.claim("bar"), ("bar_2".to_owned(), true));
    }
}
