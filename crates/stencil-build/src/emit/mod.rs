//! Emitters: IR → token streams. Small functions, one per concept.
//!
//! [`api`] assembles the generated file: `pub mod types` ([`types::types`]) always, then the
//! client and server modules as the options ask. The helpers here are shared by every emitter:
//!
//! - [`type_ref`] / [`type_ref_generic`]: the Rust type of a [`TypeRef`];
//! - [`docs`], [`doc_lines`], [`doc_attrs`], [`markdown_lines`], [`code_span`]: `#[doc]`
//!   attributes from document text, safe against any text and against clippy's doc lints;
//! - [`ident`], [`serde_attrs`], [`derive_attr`], [`extra_derives`].
//!
//! Conventions of generated code: it names nothing outside `::stencil::...`, `::std::...` and
//! the prelude (generated type names never shadow prelude names, see [`crate::naming`]); inside
//! `types` types name each other bare, elsewhere as `super::types::Name`.

pub mod client;
pub mod server;
pub mod types;

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use crate::ir::{Api, Docs, Primitive, TypeRef};
use crate::pipeline::Options;

/// The whole generated file: `pub mod types { ... }`, and `client`/`server` as the options ask.
pub fn api(api: &Api, options: &Options) -> TokenStream {
    let mut tokens = TokenStream::new();
    for part in Part::wanted(options) {
        tokens.extend(self::part(api, options, part));
    }
    tokens
}

/// A top-level module of the generated file. The file is the wanted parts in this order; each
/// is emitted (and rendered) on its own, so that they can be made in parallel.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Part {
    Types,
    Client,
    Server,
}

impl Part {
    /// The parts `options` ask for, in file order.
    pub fn wanted(options: &Options) -> Vec<Part> {
        let mut parts = vec![Part::Types];
        if options.client {
            parts.push(Part::Client);
        }
        if options.server {
            parts.push(Part::Server);
        }
        parts
    }
}

/// One top-level module: `pub mod types { ... }`, `pub mod client { ... }` or
/// `pub mod server { ... }` (feature-gated as the options ask).
pub fn part(api: &Api, options: &Options, part: Part) -> TokenStream {
    match part {
        Part::Types => types::types(api, options),
        Part::Client => {
            let client = client::client(api, options);
            if options.feature_gates {
                quote!(#[cfg(feature = "client")] #client)
            } else {
                client
            }
        }
        Part::Server => {
            let server = server::server(api, options);
            if options.feature_gates {
                quote!(#[cfg(feature = "server")] #server)
            } else {
                server
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Identifiers and types

/// An identifier for an IR name. IR names are valid, non-keyword identifiers (see
/// [`crate::naming`]); should one not be, it is repaired rather than panicking in a build script
/// (invalid characters become `_`, a keyword becomes a raw identifier).
pub fn ident(name: &str) -> Ident {
    let valid = !name.is_empty()
        && name != "_"
        && !name.starts_with(|c: char| c.is_ascii_digit())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if valid {
        if crate::naming::is_keyword(name) {
            return match name {
                // These cannot be raw identifiers.
                "self" | "Self" | "super" | "crate" => {
                    Ident::new(&format!("{name}_"), Span::call_site())
                }
                _ => Ident::new_raw(name, Span::call_site()),
            };
        }
        return Ident::new(name, Span::call_site());
    }
    let mut repaired: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if repaired.is_empty() || repaired.starts_with(|c: char| c.is_ascii_digit()) || repaired == "_"
    {
        repaired.insert_str(0, "x_");
    }
    ident(&repaired)
}

/// Redundant boxes dropped: `Vec`, `BTreeMap`, `String` and bytes already put their contents on
/// the heap, so a `Boxed` directly inside or around them is not needed to break a cycle (and
/// would trip clippy's `vec_box` / `box_collection`). Emitters pass every [`TypeRef`] through
/// this (the helpers here do) so that types and values agree.
pub fn normalize(ty: &TypeRef) -> TypeRef {
    fn unbox(ty: &TypeRef) -> TypeRef {
        match ty {
            TypeRef::Boxed(inner) => unbox(inner),
            other => normalize(other),
        }
    }
    match ty {
        TypeRef::Named(id, args) => TypeRef::Named(*id, args.iter().map(normalize).collect()),
        TypeRef::Array(item) => TypeRef::Array(Box::new(unbox(item))),
        TypeRef::Map(value) => TypeRef::Map(Box::new(unbox(value))),
        TypeRef::Tuple(items) => TypeRef::Tuple(items.iter().map(normalize).collect()),
        TypeRef::Option(inner) => TypeRef::Option(Box::new(normalize(inner))),
        TypeRef::Boxed(inner) => match unbox(inner) {
            inner @ (TypeRef::Array(_)
            | TypeRef::Map(_)
            | TypeRef::Primitive(
                Primitive::String | Primitive::Base64 | Primitive::Binary,
            )
            | TypeRef::Any) => inner,
            inner => TypeRef::Boxed(Box::new(inner)),
        },
        TypeRef::Generic(_) | TypeRef::Primitive(_) | TypeRef::Any => ty.clone(),
    }
}

/// The Rust type of `ty`. Outside the `types` module (`in_types_module == false`) named types
/// are `super::types::Name`. A `TypeRef::Generic` has no name here (use
/// [`type_ref_generic`] inside a generic type); it becomes a `compile_error!`.
pub fn type_ref(api: &Api, ty: &TypeRef, in_types_module: bool) -> TokenStream {
    type_ref_generic(api, ty, in_types_module, &[])
}

/// [`type_ref`] inside a generic type whose parameters are `generics`.
pub fn type_ref_generic(
    api: &Api,
    ty: &TypeRef,
    in_types_module: bool,
    generics: &[String],
) -> TokenStream {
    rust_type(api, &normalize(ty), in_types_module, generics)
}

fn rust_type(api: &Api, ty: &TypeRef, in_types: bool, generics: &[String]) -> TokenStream {
    let recurse = |ty: &TypeRef| rust_type(api, ty, in_types, generics);
    match ty {
        TypeRef::Named(id, args) => {
            let name = ident(&api.ty(*id).name);
            let path = if in_types {
                quote!(#name)
            } else {
                quote!(super::types::#name)
            };
            if args.is_empty() {
                path
            } else {
                let args = args.iter().map(recurse);
                quote!(#path<#(#args),*>)
            }
        }
        TypeRef::Generic(i) => match generics.get(*i) {
            Some(name) => {
                let name = ident(name);
                quote!(#name)
            }
            None => {
                let message =
                    format!("Stencil bug: type parameter #{i} used outside its generic type");
                quote!(::core::compile_error!(#message))
            }
        },
        TypeRef::Primitive(p) => primitive(*p),
        TypeRef::Array(item) => {
            let item = recurse(item);
            quote!(Vec<#item>)
        }
        TypeRef::Map(value) => {
            let value = recurse(value);
            quote!(::std::collections::BTreeMap<String, #value>)
        }
        TypeRef::Tuple(items) => {
            let items = items.iter().map(recurse);
            // A one-element tuple needs its trailing comma.
            quote!((#(#items,)*))
        }
        TypeRef::Option(inner) => {
            let inner = recurse(inner);
            quote!(Option<#inner>)
        }
        TypeRef::Boxed(inner) => {
            let inner = recurse(inner);
            quote!(Box<#inner>)
        }
        TypeRef::Any => quote!(::stencil::serde_json::Value),
    }
}

/// The Rust type of a primitive. `Binary` is `::stencil::bytes::Bytes`: the type reqwest and
/// axum use for bodies, with serde impls (an array of numbers in JSON; `format: binary` is meant
/// for raw bodies and multipart parts, not JSON).
pub fn primitive(p: Primitive) -> TokenStream {
    match p {
        Primitive::String => quote!(String),
        Primitive::Bool => quote!(bool),
        Primitive::I8 => quote!(i8),
        Primitive::I16 => quote!(i16),
        Primitive::I32 => quote!(i32),
        Primitive::I64 => quote!(i64),
        Primitive::U8 => quote!(u8),
        Primitive::U16 => quote!(u16),
        Primitive::U32 => quote!(u32),
        Primitive::U64 => quote!(u64),
        Primitive::F32 => quote!(f32),
        Primitive::F64 => quote!(f64),
        Primitive::Date => quote!(::stencil::chrono::NaiveDate),
        Primitive::DateTime => quote!(::stencil::chrono::DateTime<::stencil::chrono::Utc>),
        Primitive::Uuid => quote!(::stencil::uuid::Uuid),
        Primitive::Base64 => quote!(::stencil::Base64),
        Primitive::Binary => quote!(::stencil::bytes::Bytes),
    }
}

// ---------------------------------------------------------------------------------------------
// Attributes

/// `#[derive(...)]` of the given paths (`Debug`, `::stencil::serde::Serialize`, ...).
pub fn derive_attr(derives: &[TokenStream]) -> TokenStream {
    if derives.is_empty() {
        TokenStream::new()
    } else {
        quote!(#[derive(#(#derives),*)])
    }
}

/// `#[serde(crate = "::stencil::serde", ...)]`: every serde derive in generated code names the
/// runtime's serde, so generated crates need no direct serde dependency.
pub fn serde_attrs(extra: TokenStream) -> TokenStream {
    if extra.is_empty() {
        quote!(#[serde(crate = "::stencil::serde")])
    } else {
        quote!(#[serde(crate = "::stencil::serde", #extra)])
    }
}

/// `Options::extra_derives` as paths. A string that is not a path becomes a `compile_error!`
/// (in `errors`), so that the mistake is reported where the derive would have gone.
pub fn extra_derives(options: &Options) -> (Vec<syn::Path>, TokenStream) {
    let mut paths = Vec::new();
    let mut errors = TokenStream::new();
    for text in &options.extra_derives {
        match syn::parse_str::<syn::Path>(text.trim()) {
            Ok(path) => paths.push(path),
            Err(_) => {
                let message = format!("Stencil: extra derive `{text}` is not a path");
                errors.extend(quote!(::core::compile_error!(#message);));
            }
        }
    }
    (paths, errors)
}

// ---------------------------------------------------------------------------------------------
// Documentation

/// `#[doc]` attributes for [`Docs`]: title, description, examples and a deprecation line.
pub fn docs(docs: &Docs) -> TokenStream {
    doc_attrs(&doc_lines(docs))
}

/// One `#[doc = " line"]` per line (blank lines as `#[doc = ""]`). The text is a string
/// literal token, so nothing in it can end the comment or inject code; prettyplease prints it
/// as `///`.
pub fn doc_attrs(lines: &[String]) -> TokenStream {
    let attrs = lines.iter().map(|line| {
        let line = if line.is_empty() {
            String::new()
        } else {
            format!(" {line}")
        };
        quote!(#[doc = #line])
    });
    quote!(#(#attrs)*)
}

/// The lines of the doc comment for [`Docs`], paragraphs separated by blank lines: title,
/// description (when it is not just the title again), examples (``Example: `...` ``, or a
/// ```` ```json ```` block when long) and `**Deprecated**`.
pub fn doc_lines(docs: &Docs) -> Vec<String> {
    let mut paragraphs: Vec<Vec<String>> = Vec::new();
    let title = docs
        .title
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty());
    let description = docs
        .description
        .as_deref()
        .map(str::trim)
        .filter(|d| !d.is_empty());
    if let Some(title) = title {
        paragraphs.push(markdown_lines(title));
    }
    if let Some(description) = description {
        if Some(description) != title {
            paragraphs.push(markdown_lines(description));
        }
    }
    if !docs.examples.is_empty() {
        paragraphs.push(example_lines(&docs.examples));
    }
    if docs.deprecated {
        paragraphs.push(vec!["**Deprecated**".to_owned()]);
    }
    join_paragraphs(paragraphs)
}

/// Paragraphs joined with blank lines; empty paragraphs dropped.
pub fn join_paragraphs(paragraphs: Vec<Vec<String>>) -> Vec<String> {
    let mut lines = Vec::new();
    for paragraph in paragraphs.into_iter().filter(|p| !p.is_empty()) {
        if !lines.is_empty() {
            lines.push(String::new());
        }
        lines.extend(paragraph);
    }
    lines
}

/// Longest compact JSON shown inline as ``Example: `...` ``.
const INLINE_EXAMPLE: usize = 80;

fn example_lines(examples: &[serde_json::Value]) -> Vec<String> {
    let compact: Vec<String> = examples.iter().map(|e| e.to_string()).collect();
    if compact.iter().all(|c| c.chars().count() <= INLINE_EXAMPLE) {
        return match compact.as_slice() {
            [one] => vec![format!("Example: {}", code_span(one))],
            _ => {
                let mut lines = vec!["Examples:".to_owned()];
                lines.extend(compact.iter().map(|c| format!("- {}", code_span(c))));
                lines
            }
        };
    }
    let mut lines = vec![if examples.len() == 1 {
        "Example:"
    } else {
        "Examples:"
    }
    .to_owned()];
    for example in examples {
        let pretty = serde_json::to_string_pretty(example).unwrap_or_else(|_| example.to_string());
        lines.push(String::new());
        lines.push("```json".to_owned());
        // JSON strings escape control characters, so these are plain lines.
        lines.extend(pretty.lines().map(str::to_owned));
        lines.push("```".to_owned());
    }
    lines
}

/// Markdown inline code for any text: a backtick fence longer than any run of backticks
/// inside, padded with spaces when the text starts or ends with a backtick.
pub fn code_span(text: &str) -> String {
    let text: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let mut longest = 0;
    let mut run = 0;
    for c in text.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    let fence = "`".repeat(longest + 1);
    if text.starts_with('`') || text.ends_with('`') || text.is_empty() {
        format!("{fence} {text} {fence}")
    } else {
        format!("{fence}{text}{fence}")
    }
}

/// Document text (CommonMark) as doc comment lines, adjusted so that it neither breaks the
/// build of a generated crate nor trips clippy:
///
/// - line breaks normalised, tabs expanded, other control characters dropped, trailing spaces
///   and surrounding blank lines trimmed;
/// - code blocks that rustdoc would compile as doctests (fences without a language or marked
///   `rust`, indented blocks) become ```` ```text ```` fences; unclosed fences are closed;
/// - continuation lines of list items are indented to the item's content
///   (`clippy::doc_lazy_continuation`, `clippy::doc_overindented_list_items`), and those of
///   block quotes get their `>`.
pub fn markdown_lines(text: &str) -> Vec<String> {
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let raw: Vec<String> = text
        .split('\n')
        .map(|line| {
            let mut clean = String::with_capacity(line.len());
            for c in line.chars() {
                match c {
                    '\t' => clean.push_str("    "),
                    c if c.is_control() => {}
                    // Line and paragraph separators end a `//` comment in some tools.
                    '\u{2028}' | '\u{2029}' => clean.push(' '),
                    c => clean.push(c),
                }
            }
            clean.trim_end().to_owned()
        })
        .collect();

    let mut out: Vec<String> = Vec::new();
    // Open fence: its character and length.
    let mut fence: Option<(char, usize)> = None;
    // Inside an indented code block turned into a fence.
    let mut indented_block = false;
    // Content column of the list item whose paragraph continues on the next line.
    let mut list_paragraph: Option<usize> = None;
    // Content column of the innermost list item (after blank lines too).
    let mut list_content: Option<usize> = None;
    let mut quote_paragraph = false;
    let mut previous_blank = true;

    for line in &raw {
        let indent = line.len() - line.trim_start().len();
        let trimmed = line.trim_start();
        let blank = trimmed.is_empty();

        if let Some((fence_char, fence_len)) = fence {
            out.push(line.clone());
            let run = trimmed.chars().take_while(|&c| c == fence_char).count();
            if run >= fence_len && trimmed[run..].trim().is_empty() {
                fence = None;
            }
            previous_blank = false;
            continue;
        }

        if indented_block {
            let code_indent = list_content.map_or(4, |c| c + 4);
            if blank || indent >= code_indent {
                out.push(line.get(code_indent..).unwrap_or("").to_owned());
                continue;
            }
            // Trailing blank lines belong after the fence.
            let mut blanks = 0;
            while out.last().is_some_and(|l| l.is_empty()) {
                out.pop();
                blanks += 1;
            }
            out.push(format!("{}```", " ".repeat(list_content.unwrap_or(0))));
            out.extend(std::iter::repeat_n(String::new(), blanks));
            indented_block = false;
            previous_blank = blanks > 0;
        }

        if blank {
            out.push(String::new());
            list_paragraph = None;
            quote_paragraph = false;
            previous_blank = true;
            continue;
        }

        // A block at a smaller indentation than the list's content ends the list: after a blank
        // line, or a fence, which may interrupt a paragraph.
        let opens_fence = trimmed.starts_with("```") || trimmed.starts_with("~~~");
        if list_content.is_some_and(|c| indent < c)
            && (previous_blank || opens_fence)
            && list_item_content(line).is_none()
        {
            list_content = None;
            list_paragraph = None;
        }

        // A fence opens.
        if let Some(fence_char) = trimmed.chars().next().filter(|c| *c == '`' || *c == '~') {
            let run = trimmed.chars().take_while(|&c| c == fence_char).count();
            if run >= 3 && indent < 4 + list_content.unwrap_or(0) {
                let info = trimmed[run..].trim();
                let info = if is_rust_info(info) { "text" } else { info };
                out.push(format!(
                    "{}{}{}",
                    " ".repeat(indent),
                    fence_char.to_string().repeat(run),
                    info
                ));
                fence = Some((fence_char, run));
                list_paragraph = None;
                previous_blank = false;
                continue;
            }
        }

        // An indented code block starts (only after a blank line: it cannot interrupt a
        // paragraph).
        let code_indent = list_content.map_or(4, |c| c + 4);
        if previous_blank && indent >= code_indent {
            let pad = " ".repeat(list_content.unwrap_or(0));
            out.push(format!("{pad}```text"));
            out.push(line[code_indent..].to_owned());
            indented_block = true;
            previous_blank = false;
            continue;
        }

        if let Some(content) = list_item_content(line) {
            out.push(line.clone());
            list_paragraph = Some(content);
            list_content = Some(content);
            quote_paragraph = false;
        } else if let Some(content) = list_paragraph {
            // Lazy or over-indented continuation of a list item's paragraph.
            out.push(format!("{}{}", " ".repeat(content), trimmed));
        } else if trimmed.starts_with('>') {
            out.push(line.clone());
            quote_paragraph = true;
        } else if quote_paragraph {
            out.push(format!("> {trimmed}"));
        } else {
            out.push(line.clone());
        }
        previous_blank = false;
    }

    if indented_block {
        while out.last().is_some_and(|l| l.is_empty()) {
            out.pop();
        }
        out.push(format!("{}```", " ".repeat(list_content.unwrap_or(0))));
    }
    if let Some((fence_char, fence_len)) = fence {
        out.push(fence_char.to_string().repeat(fence_len));
    }
    while out.last().is_some_and(|l| l.is_empty()) {
        out.pop();
    }
    while out.first().is_some_and(|l| l.is_empty()) {
        out.remove(0);
    }
    out
}

/// Whether rustdoc would compile a code block with this info string as a Rust doctest.
fn is_rust_info(info: &str) -> bool {
    const RUSTDOC: &[&str] = &[
        "rust",
        "ignore",
        "should_panic",
        "no_run",
        "compile_fail",
        "test_harness",
        "standalone_crate",
        "allow_fail",
        "edition2015",
        "edition2018",
        "edition2021",
        "edition2024",
    ];
    let words: Vec<&str> = info
        .split(|c: char| c == ',' || c.is_whitespace())
        .filter(|w| !w.is_empty())
        .collect();
    words.is_empty()
        || words
            .iter()
            .all(|w| RUSTDOC.contains(w) || w.starts_with("ignore-") || w.starts_with('{'))
}

/// The content column of a list item line (`- x`, `* x`, `+ x`, `1. x`, `1) x`).
fn list_item_content(line: &str) -> Option<usize> {
    let indent = line.len() - line.trim_start().len();
    let rest = &line[indent..];
    let marker = if rest.starts_with(['-', '*', '+']) {
        1
    } else {
        let digits = rest.chars().take_while(char::is_ascii_digit).count();
        if digits == 0 || digits > 9 || !rest[digits..].starts_with(['.', ')']) {
            return None;
        }
        digits + 1
    };
    let after = &rest[marker..];
    if after.is_empty() {
        return Some(indent + marker + 1);
    }
    let spaces = after.len() - after.trim_start_matches(' ').len();
    if spaces == 0 {
        return None;
    }
    // A thematic break (`- - -`, `***`) is not a list item.
    if rest.starts_with(['-', '*'])
        && rest
            .chars()
            .all(|c| c == rest.as_bytes()[0] as char || c == ' ')
    {
        return None;
    }
    Some(indent + marker + if spaces > 4 { 1 } else { spaces })
}

/// A string literal for a long multi-line text (an embedded document): a raw string
/// `r#"..."#` with enough `#`s that the text cannot end it, so the generated file shows the
/// text as written. Texts with a carriage return (not allowed in raw strings) fall back to an
/// escaped literal.
pub fn text_literal(text: &str) -> proc_macro2::Literal {
    if text.contains('\r') {
        return proc_macro2::Literal::string(text);
    }
    let mut hashes = 1;
    while text.contains(&format!("\"{}", "#".repeat(hashes))) {
        hashes += 1;
    }
    let fence = "#".repeat(hashes);
    format!("r{fence}\"{text}\"{fence}")
        .parse()
        .unwrap_or_else(|_| proc_macro2::Literal::string(text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_spans_survive_backticks() {
        assert_eq!(code_span("a"), "`a`");
        assert_eq!(code_span("a`b"), "``a`b``");
        assert_eq!(code_span("`x`"), "`` `x` ``");
        assert_eq!(code_span("a\nb"), "`a b`");
    }

    #[test]
    fn markdown_is_made_safe() {
        let text = "Intro\r\n\r\n- one\nlazy\n      over\n- two\n\n```\nlet x = 1;\n```\n\n    indented\n    code\n\ndone\t!\n> quote\nlazy quote\n```json\n{}";
        assert_eq!(
            markdown_lines(text),
            [
                "Intro",
                "",
                "- one",
                "  lazy",
                "  over",
                "- two",
                "",
                "```text",
                "let x = 1;",
                "```",
                "",
                "```text",
                "indented",
                "code",
                "```",
                "",
                "done    !",
                "> quote",
                "> lazy quote",
                "```json",
                "{}",
                "```",
            ]
        );
    }

    #[test]
    fn list_items() {
        assert_eq!(list_item_content("- a"), Some(2));
        assert_eq!(list_item_content("  10. a"), Some(6));
        assert_eq!(list_item_content("*emphasis*"), None);
        assert_eq!(list_item_content("- - -"), None);
        assert_eq!(list_item_content("2024. was a year"), Some(6));
        assert_eq!(list_item_content("3.14"), None);
    }

    #[test]
    fn idents_never_panic() {
        assert_eq!(ident("name").to_string(), "name");
        assert_eq!(ident("type").to_string(), "r#type");
        assert_eq!(ident("self").to_string(), "self_");
        assert_eq!(ident("a-b").to_string(), "a_b");
        assert_eq!(ident("1x").to_string(), "x_1x");
        assert_eq!(ident("").to_string(), "x_");
    }
}
