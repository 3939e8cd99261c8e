//! `Debug` for generated types that hold secrets: the secret fields print as `[redacted]`.

use std::fmt;

/// What a secret field prints as in `Debug`.
pub const REDACTED: &str = "[redacted]";

/// A field of [`fmt_redacted`]: its name, and its value or `None` for a secret.
pub type DebugField<'a> = (&'a str, Option<&'a dyn fmt::Debug>);

struct Redacted;

impl fmt::Debug for Redacted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(REDACTED)
    }
}

/// Write a struct the way `#[derive(Debug)]` does, the fields given as `None` (secrets: `format:
/// password`, `writeOnly`, or named like a credential) as `[redacted]`. Generated `impl Debug`
/// blocks of types with secret fields call this, so each is one call whatever its size.
///
/// ```
/// use std::fmt;
/// struct Login { user: String, password: String }
/// impl fmt::Debug for Login {
///     fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
///         stencil::fmt_redacted(f, "Login", &[("user", Some(&self.user)), ("password", None)])
///     }
/// }
/// let login = Login { user: "ann".into(), password: "hunter2".into() };
/// assert_eq!(format!("{login:?}"), r#"Login { user: "ann", password: [redacted] }"#);
/// ```
pub fn fmt_redacted(
    f: &mut fmt::Formatter<'_>,
    name: &str,
    fields: &[DebugField<'_>],
) -> fmt::Result {
    let mut s = f.debug_struct(name);
    for (field, value) in fields {
        match value {
            Some(value) => s.field(field, value),
            None => s.field(field, &Redacted),
        };
    }
    s.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Pair {
        token: Option<String>,
        count: u8,
    }

    impl fmt::Debug for Pair {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            fmt_redacted(f, "Pair", &[("token", None), ("count", Some(&self.count))])
        }
    }

    #[test]
    fn secrets_print_redacted_in_both_forms() {
        let pair = Pair {
            token: Some("s3cr3t".into()),
            count: 2,
        };
        assert!(pair.token.is_some());
        assert_eq!(format!("{pair:?}"), "Pair { token: [redacted], count: 2 }");
        let pretty = format!("{pair:#?}");
        assert!(!pretty.contains("s3cr3t"), "{pretty}");
        assert!(pretty.contains("token: [redacted],"), "{pretty}");
    }
}
