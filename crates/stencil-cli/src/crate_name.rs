//! Package names: checking a `--name`, and making one from a spec's file stem.

/// Rust keywords (strict, reserved and edition-specific): Cargo rejects them as package names.
const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern",
    "false", "fn", "for", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub",
    "ref", "return", "self", "static", "struct", "super", "trait", "true", "type", "unsafe", "use",
    "where", "while", "abstract", "become", "box", "do", "final", "gen", "macro", "override",
    "priv", "try", "typeof", "unsized", "virtual", "yield",
];
/// Names Cargo rejects or that clash with the standard library's crates.
const RESERVED: &[&str] = &["core", "std", "alloc", "proc_macro", "proc-macro", "test"];

/// Why `name` is not a usable package name, if it is not.
pub fn validate_crate_name(name: &str) -> Result<(), String> {
    let Some(first) = name.chars().next() else {
        return Err("it is empty".to_owned());
    };
    if first.is_ascii_digit() {
        return Err("a package name cannot start with a digit".to_owned());
    }
    if !first.is_ascii_alphabetic() && first != '_' {
        return Err("a package name must start with a letter or `_`".to_owned());
    }
    if let Some(bad) = name
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || *c == '-' || *c == '_'))
    {
        return Err(format!(
            "invalid character `{bad}` (use ASCII letters, digits, `-` and `_`)"
        ));
    }
    if KEYWORDS.contains(&name) || RESERVED.contains(&name) {
        return Err(format!("`{name}` is reserved"));
    }
    Ok(())
}

/// A valid crate name from a file stem: lower-case ASCII letters, digits, `-` and `_`; any
/// other run of characters becomes one `-`; a leading digit gets an `api-` prefix.
pub fn crate_name_from_stem(stem: &str) -> String {
    let mut name = String::new();
    let mut pending_dash = false;
    for c in stem.chars() {
        if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
            if pending_dash && !name.is_empty() {
                name.push('-');
            }
            pending_dash = false;
            name.push(c.to_ascii_lowercase());
        } else {
            pending_dash = true;
        }
    }
    let name = name.trim_matches(['-', '_']).to_owned();
    let name = if name.is_empty() {
        "api".to_owned()
    } else if name.starts_with(|c: char| c.is_ascii_digit()) {
        format!("api-{name}")
    } else {
        name
    };
    if validate_crate_name(&name).is_err() {
        format!("{name}-api")
    } else {
        name
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crate_names_from_stems() {
        assert_eq!(
            crate_name_from_stem("openapi_2024-03-26"),
            "openapi_2024-03-26"
        );
        assert_eq!(
            crate_name_from_stem("openapi_2024-03-26.token"),
            "openapi_2024-03-26-token"
        );
        assert_eq!(crate_name_from_stem("My API v2"), "my-api-v2");
        assert_eq!(crate_name_from_stem("3dprint"), "api-3dprint");
        assert_eq!(crate_name_from_stem("__x__"), "x");
        assert_eq!(crate_name_from_stem("..."), "api");
        assert_eq!(crate_name_from_stem(""), "api");
        assert_eq!(crate_name_from_stem("Ünïcode"), "n-code");
        assert_eq!(crate_name_from_stem("test"), "test-api");
        assert_eq!(crate_name_from_stem("type"), "type-api");
        for stem in ["openapi.v1", "1", "-a-", "std", "self", "a b c"] {
            let name = crate_name_from_stem(stem);
            assert_eq!(validate_crate_name(&name), Ok(()), "{stem} -> {name}");
        }
    }

    #[test]
    fn crate_name_validation() {
        assert!(validate_crate_name("my-api_2").is_ok());
        assert!(validate_crate_name("_x").is_ok());
        assert!(validate_crate_name("").is_err());
        assert!(validate_crate_name("-x").is_err());
        assert!(validate_crate_name("a.b").is_err());
        assert!(validate_crate_name("fn").is_err());
    }
}
