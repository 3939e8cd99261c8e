//! Rendering: token stream → formatted, deterministic Rust source with a `// @generated` header.

mod chunks;
mod formatter;

pub use formatter::{format_time, Formatter};

use proc_macro2::TokenStream;

/// Longest header line before it is split in two.
const HEADER_WIDTH: usize = 100;

/// Format the emitted tokens with prettyplease under a `// @generated` header naming the source
/// document and the command that regenerates the file.
///
/// The output depends only on the arguments (byte-deterministic). An `Err` means the emitters
/// produced tokens that are not a Rust file: a Stencil bug, reported rather than panicking in a
/// build script.
#[cfg(test)]
pub fn render(
    tokens: TokenStream,
    regenerate_command: &str,
    source: &str,
) -> Result<String, String> {
    Ok(assemble(
        vec![render_part(tokens)?],
        regenerate_command,
        source,
    ))
}

/// A formatted part of a file (top-level items, blank lines between them), to [`assemble`].
#[derive(Clone, Debug, Default)]
pub struct Piece {
    text: String,
    /// Whether the last line ends an item (a blank line goes before a following item).
    ends_item: bool,
}

/// Format some top-level items: the pieces of one file can be formatted separately (on several
/// threads) and [`assemble`]d into exactly the text [`render`] makes of all their tokens.
/// A part that is one module is formatted a few items at a time (`chunks`), which gives the
/// same text without holding every item's syntax tree at once.
#[cfg(test)]
pub fn render_part(tokens: TokenStream) -> Result<Piece, String> {
    let unparsed = match chunks::unparse_module(tokens) {
        Ok(text) => text?,
        Err(tokens) => {
            let file: syn::File = syn::parse2(tokens).map_err(|error| {
                format!(
                    "Stencil generated code that does not parse as Rust ({error}); please \
                     report this bug"
                )
            })?;
            prettyplease::unparse(&file)
        }
    };
    let (text, ends_item) = space_items(&unparsed);
    Ok(Piece { text, ends_item })
}

/// Put `document`'s string literal in place of [`crate::literals::document_placeholder`], which
/// the server emitter gives `OPENAPI_DOCUMENT` when the pipeline formats its output. The result is the text that
/// rendering the literal itself gives, without syn and prettyplease parsing and printing
/// megabytes of string. The placeholder is the first line that is exactly that item: only the
/// module's `///` docs and its `use` come before it. Returns whether it was found.
pub fn splice_document(piece: &mut Piece, document: &str) -> bool {
    let mut offset = 0;
    for line in piece.text.split_inclusive('\n') {
        if crate::literals::is_document_placeholder(line.trim()) {
            let at = offset + line.find("\"\"").unwrap_or(0);
            let literal = crate::literals::text(document).to_string();
            piece.text.replace_range(at..at + 2, &literal);
            return true;
        }
        offset += line.len();
    }
    false
}

/// Some top-level items as their token stream prints, one line per item (the bodies of
/// modules, traits and impl blocks opened, one item per line inside): what
/// `Options::format == false` writes (no syn parse, no prettyplease).
#[cfg(test)]
pub fn unformatted_part(tokens: TokenStream) -> Result<Piece, String> {
    let mut text = String::new();
    unformatted_items(tokens, &mut text);
    Ok(Piece {
        text,
        ends_item: true,
    })
}

fn unformatted_items(tokens: TokenStream, text: &mut String) {
    for (item, _) in chunks::items(tokens) {
        match chunks::as_block(item) {
            Ok((_, block)) => {
                text.push_str(&block.head.to_string());
                text.push_str(" {\n");
                unformatted_items(block.body, text);
                text.push_str("}\n");
            }
            Err(item) => {
                text.push_str(&item.to_string());
                text.push('\n');
            }
        }
    }
}

/// The `// @generated` header, then the pieces in order.
///
/// The text is built in the first piece's string (the header put in front of it), and each
/// other piece is dropped as soon as it is appended: the whole file and a copy of all its
/// pieces are never in memory together (Microsoft Graph's file is 165 MB).
pub fn assemble(pieces: Vec<Piece>, regenerate_command: &str, source: &str) -> String {
    let mut head = header(regenerate_command, source);
    head.push('\n');
    let mut pieces = pieces.into_iter().filter(|p| !p.text.is_empty());
    let Some(first) = pieces.next() else {
        return head;
    };
    let mut out = first.text;
    out.insert_str(0, &head);
    let mut previous_ends_item = first.ends_item;
    for piece in pieces {
        let first = piece.text.lines().next().unwrap_or("").trim();
        if previous_ends_item && starts_item(first) {
            out.push('\n');
        }
        out.push_str(&piece.text);
        previous_ends_item = piece.ends_item;
    }
    out
}

/// One line, or two when it would be long. Line breaks in the arguments cannot end the comment.
fn header(regenerate_command: &str, source: &str) -> String {
    let one_line = |text: &str| -> String {
        text.chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect::<String>()
            .trim()
            .to_owned()
    };
    let source = one_line(source);
    let command = one_line(regenerate_command);
    let first = format!("// @generated by Stencil from {source}.");
    let second = format!("Do not edit; regenerate with: {command}");
    if first.len() + 1 + second.len() <= HEADER_WIDTH {
        format!("{first} {second}\n")
    } else {
        format!("{first}\n// {second}\n")
    }
}

/// Lines that start an item (or an item-position macro call) in prettyplease output.
fn starts_item(line: &str) -> bool {
    const PREFIXES: &[&str] = &[
        "#[",
        "///",
        "pub ",
        "pub(",
        "impl ",
        "impl<",
        "fn ",
        "const ",
        "static ",
        "type ",
        "struct ",
        "enum ",
        "trait ",
        "mod ",
        "use ",
        "unsafe ",
        "async fn ",
        "extern ",
        "macro_rules!",
    ];
    PREFIXES.iter().any(|p| line.starts_with(p))
        || (line.starts_with("::") && line.ends_with(");") && line.contains("!("))
}

/// Blank lines between consecutive items, as people write them (prettyplease writes none):
/// before a line that starts an item when the line before ends one (`}` or `;`). Lines inside
/// string literals and comments are never touched, so the code's meaning cannot change.
/// Also says whether the last line ends an item.
fn space_items(code: &str) -> (String, bool) {
    #[derive(Clone, Copy, PartialEq)]
    enum State {
        Code,
        Str,
        RawStr(usize),
        Comment(usize),
    }
    let mut state = State::Code;
    let mut out = String::with_capacity(code.len() + code.len() / 16);
    // Whether the previous line was code from start to end and ended an item.
    let mut previous_ends_item = false;
    let mut previous_line = "";
    let mut chars: Vec<char> = Vec::new();
    for line in code.split_inclusive('\n') {
        let starts_in_code = state == State::Code;
        let trimmed = line.trim();
        // Consecutive associated constants stay together.
        let constants = trimmed.starts_with("const ") && previous_line.starts_with("const ");
        if starts_in_code && previous_ends_item && starts_item(trimmed) && !constants {
            out.push('\n');
        }
        out.push_str(line);

        chars.clear();
        chars.extend(line.chars());
        let mut i = 0;
        let mut line_comment = false;
        while i < chars.len() {
            let c = chars[i];
            let next = chars.get(i + 1).copied();
            match state {
                State::Code => match c {
                    '/' if next == Some('/') => {
                        line_comment = true;
                        break;
                    }
                    '/' if next == Some('*') => {
                        state = State::Comment(1);
                        i += 1;
                    }
                    '"' => state = State::Str,
                    'r' if i == 0
                        || !is_ident_char(chars[i - 1])
                        || (chars[i - 1] == 'b' && (i < 2 || !is_ident_char(chars[i - 2]))) =>
                    {
                        let hashes = chars[i + 1..].iter().take_while(|&&h| h == '#').count();
                        if chars.get(i + 1 + hashes) == Some(&'"') {
                            state = State::RawStr(hashes);
                            i += 1 + hashes;
                        }
                    }
                    '\'' => {
                        if next == Some('\\') {
                            // An escaped char literal: up to its closing quote.
                            i += 2;
                            while i < chars.len() && chars[i] != '\'' {
                                i += 1;
                            }
                        } else if chars.get(i + 2) == Some(&'\'') {
                            i += 2;
                        }
                        // Otherwise a lifetime.
                    }
                    _ => {}
                },
                State::Str => match c {
                    '\\' => i += 1,
                    '"' => state = State::Code,
                    _ => {}
                },
                State::RawStr(hashes) => {
                    if c == '"'
                        && chars[i + 1..].iter().take_while(|&&h| h == '#').count() >= hashes
                    {
                        state = State::Code;
                        i += hashes;
                    }
                }
                State::Comment(depth) => {
                    if c == '*' && next == Some('/') {
                        state = if depth == 1 {
                            State::Code
                        } else {
                            State::Comment(depth - 1)
                        };
                        i += 1;
                    } else if c == '/' && next == Some('*') {
                        state = State::Comment(depth + 1);
                        i += 1;
                    }
                }
            }
            i += 1;
        }
        previous_line = trimmed;
        previous_ends_item = starts_in_code
            && state == State::Code
            && !line_comment
            && (trimmed.ends_with('}') || trimmed.ends_with(';'));
    }
    (out, previous_ends_item)
}

fn is_ident_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// The IR of each fixture document, for the renderer's and the pipeline's tests.
#[cfg(test)]
pub(crate) fn fixture_apis() -> Vec<(String, crate::ir::Api)> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../specs");
    [
        "pathstack/openapi_2024-03-26.yaml",
        "fixtures/kitchen-sink-3.1.yaml",
        "fixtures/kitchen-sink-3.0.yaml",
        "fixtures/hostile.yaml",
        "fixtures/real-world.yaml",
    ]
    .into_iter()
    .map(|spec| {
        let loaded = crate::load::load(&root.join(spec)).expect("fixture loads");
        let api = crate::ir::build(&loaded, &mut Vec::new()).expect("fixture builds");
        (spec.to_owned(), api)
    })
    .collect()
}

/// Emit `part` (0: types, 1: client, 2: server) of `api` into `sink` as the pipeline does with
/// default options, feature gates as given, the server's document a placeholder when
/// `placeholder` (for the renderer's tests).
#[cfg(test)]
pub(crate) fn emit_fixture_part(
    api: &crate::ir::Api,
    part: usize,
    feature_gates: bool,
    placeholder: bool,
    sink: &mut dyn crate::emit::Sink,
) {
    use crate::emit::{client, server, types};
    let secrets: Vec<String> = crate::naming::DEFAULT_SECRET_FIELDS
        .iter()
        .map(|s| (*s).to_owned())
        .collect();
    match part {
        0 => {
            let sides = types::Sides {
                client: true,
                server: true,
                gated: feature_gates,
            };
            types::types_into(api, &[], &secrets, sides, sink)
        }
        1 => client::client_into(api, feature_gates, &secrets, sink),
        _ => {
            let document = (!api.document.is_empty()).then(|| {
                if placeholder {
                    server::Document::Placeholder
                } else {
                    server::Document::Text(&api.document)
                }
            });
            server::server_into(api, false, document, feature_gates, &secrets, false, sink);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_with_header() {
        let code = render(
            quote::quote!(
                pub struct A;
            ),
            "stencil generate",
            "api.yaml",
        )
        .unwrap();
        assert_eq!(
            code,
            "// @generated by Stencil from api.yaml. Do not edit; regenerate with: stencil generate\n\npub struct A;\n"
        );
    }

    #[test]
    fn long_headers_take_two_lines_and_newlines_cannot_escape() {
        let code = render(
            TokenStream::new(),
            "cargo xtask generate --spec specs/pathstack/openapi_2024-03-26.yaml",
            "specs/pathstack/openapi_2024-03-26.yaml\nfn evil() {}",
        )
        .unwrap();
        assert_eq!(
            code,
            "// @generated by Stencil from specs/pathstack/openapi_2024-03-26.yaml fn evil() {}.\n\
             // Do not edit; regenerate with: cargo xtask generate --spec specs/pathstack/openapi_2024-03-26.yaml\n\n"
        );
    }

    #[test]
    fn items_get_blank_lines_and_strings_do_not() {
        let code = "pub struct A;\nimpl A {\n    const X: &str = \"a\\\"\n}\nfn f() {}\";\n    fn f() {}\n}\n// x;\nfn g() {\n    let s = r#\"\n};\nfn h() {}\n\"#;\n    let c = '\"';\n}\n::stencil::m!(A);\nuse x;\n";
        assert_eq!(
            space_items(code).0,
            "pub struct A;\n\nimpl A {\n    const X: &str = \"a\\\"\n}\nfn f() {}\";\n    fn f() {}\n}\n// x;\nfn g() {\n    let s = r#\"\n};\nfn h() {}\n\"#;\n    let c = '\"';\n}\n\n::stencil::m!(A);\n\nuse x;\n"
        );
    }

    #[test]
    fn invalid_tokens_are_an_error_not_a_panic() {
        let error = render(quote::quote!(pub struct;), "x", "y").unwrap_err();
        assert!(
            error.contains("Stencil bug") || error.contains("report this bug"),
            "{error}"
        );
    }
}
