//! Rust literals in generated code (text, raw strings, numbers) and the name of the file the
//! server's document is included from: one home, shared by the emitters and the pipeline.
//!
//! Architecture invariant: this module imports nothing from the crate; every stage may use it.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

/// The file name `OPENAPI_DOCUMENT` is included from (`include_str!`), beside the generated
/// source file: `stem` and the extension of the document's format (`json` when it is a JSON
/// object, else `yaml`). `None` when `stem` is not a plain file name.
pub fn document_file(stem: &str, document: &str) -> Option<String> {
    let plain = !stem.is_empty()
        && stem != "."
        && stem != ".."
        && !stem.contains(['/', '\\'])
        && !stem.chars().any(char::is_control);
    let extension = if document.trim_start().starts_with('{') {
        "json"
    } else {
        "yaml"
    };
    plain.then(|| format!("{stem}.{extension}"))
}

/// A string literal for a long multi-line text (an embedded document, a JSON default): a raw
/// string `r#"..."#` with enough `#`s that the text cannot end it, so the generated file shows
/// the text as written. Texts with a carriage return (not allowed in raw strings) fall back to
/// an escaped literal.
pub fn text(text: &str) -> Literal {
    if text.contains('\r') {
        return Literal::string(text);
    }
    let mut hashes = 1;
    while text.contains(&format!("\"{}", "#".repeat(hashes))) {
        hashes += 1;
    }
    let fence = "#".repeat(hashes);
    format!("r{fence}\"{text}\"{fence}")
        .parse()
        .unwrap_or_else(|_| Literal::string(text))
}

/// An integer, negative ones as `-` before the literal.
pub fn int(value: i64) -> TokenStream {
    let abs = Literal::u64_unsuffixed(value.unsigned_abs());
    if value < 0 {
        quote!(-#abs)
    } else {
        quote!(#abs)
    }
}

/// A float (`None` when not finite, or not finite as an `f32`), negative ones as `-` before the
/// literal; `approx_constant` is set when clippy would take it for a `std::f64::consts` value.
pub fn float(value: f64, f32: bool, approx_constant: &mut bool) -> Option<TokenStream> {
    let repr = if f32 {
        let narrow = value as f32;
        if !narrow.is_finite() {
            return None;
        }
        format!("{:?}", narrow.abs())
    } else {
        if !value.is_finite() {
            return None;
        }
        format!("{:?}", value.abs())
    };
    *approx_constant |= looks_like_constant(&repr);
    let literal: Literal = repr.parse().ok()?;
    Some(if value.is_sign_negative() && value != 0.0 {
        quote!(-#literal)
    } else {
        quote!(#literal)
    })
}

/// Whether clippy's `approx_constant` would take this literal for a `std::f64::consts` value.
fn looks_like_constant(repr: &str) -> bool {
    use std::f64::consts::*;
    const CONSTANTS: &[f64] = &[
        E,
        FRAC_1_PI,
        FRAC_1_SQRT_2,
        FRAC_2_PI,
        FRAC_2_SQRT_PI,
        FRAC_PI_2,
        FRAC_PI_3,
        FRAC_PI_4,
        FRAC_PI_6,
        FRAC_PI_8,
        LN_10,
        LN_2,
        LOG10_E,
        LOG2_E,
        LOG2_10,
        LOG10_2,
        PI,
        SQRT_2,
        TAU,
    ];
    let Some((_, decimals)) = repr.split_once('.') else {
        return false;
    };
    if repr.len() < 4 || repr.contains('e') {
        return false;
    }
    CONSTANTS.iter().any(|c| {
        let full = c.to_string();
        full.starts_with(repr) || format!("{c:.*}", decimals.len()) == repr
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals() {
        assert_eq!(text("a\"#b").to_string(), "r##\"a\"#b\"##");
        assert_eq!(text("a\r\nb").to_string(), "\"a\\r\\nb\"");
        assert_eq!(int(-3).to_string(), "- 3");
        let mut approx = false;
        assert_eq!(
            float(-1.5, false, &mut approx).map(|t| t.to_string()),
            Some("- 1.5".into())
        );
        assert!(!approx);
        assert!(float(f64::MAX, true, &mut approx).is_none());
        float(std::f64::consts::PI, false, &mut approx);
        assert!(approx);
    }

    #[test]
    fn clippy_constants() {
        assert!(looks_like_constant("3.14"));
        assert!(looks_like_constant("2.718"));
        assert!(!looks_like_constant("3.0"));
        assert!(!looks_like_constant("0.5"));
        assert!(!looks_like_constant("1.5"));
    }

    #[test]
    fn document_files_are_named_by_format() {
        assert_eq!(
            document_file("openapi", "openapi: 3.0.0").as_deref(),
            Some("openapi.yaml")
        );
        assert_eq!(
            document_file("api.openapi", " {\"openapi\": \"3.1.0\"}").as_deref(),
            Some("api.openapi.json")
        );
        for bad in ["", "..", "a/b", "a\\b", "a\nb"] {
            assert_eq!(document_file(bad, "{}"), None, "{bad:?}");
        }
    }
}
