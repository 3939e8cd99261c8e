//! Attributes and visibilities as prettyplease prints them, for `direct` and `direct_impl`
//! (prettyplease's `attr.rs` and `visibility`): one-line doc comments as `///`, other
//! attributes as `#[...]` with their tokens spaced and broken as prettyplease does.

use proc_macro2::{Delimiter, TokenStream, TokenTree};

use super::cursor::Cursor;
use super::direct_types::close_box;
use super::printer::{Printer, INDENT};

/// `pub `, `pub(crate) `, `pub(in a::b) `, or nothing, as prettyplease prints it.
pub(super) fn visibility(c: &mut Cursor<'_>) -> Option<String> {
    if !c.eat_ident("pub") {
        return Some(String::new());
    }
    let Some(TokenTree::Group(g)) = c.peek() else {
        return Some("pub ".to_owned());
    };
    if g.delimiter() != Delimiter::Parenthesis {
        return Some("pub ".to_owned());
    }
    c.next();
    let inner: Vec<TokenTree> = g.stream().into_iter().collect();
    let mut inner = Cursor::new(&inner);
    let restricted = inner.eat_ident("in");
    let path = inner.simple_path()?;
    if !inner.done() {
        return None;
    }
    let omit_in = matches!(path.as_str(), "self" | "super" | "crate");
    if !restricted && !omit_in {
        // Not Rust (`pub(path)` needs `in`): syn's error is the caller's to report.
        return None;
    }
    Some(if omit_in {
        format!("pub({path}) ")
    } else {
        format!("pub(in {path}) ")
    })
}

/// Outer attributes: `///` lines for one-line doc strings, `#[...]` for the others.
pub(super) fn outer_attrs(p: &mut Printer, c: &mut Cursor<'_>) -> Option<()> {
    while c.is_punct('#') {
        c.next();
        if c.is_punct('!') {
            return None;
        }
        let body = c.group(Delimiter::Bracket)?;
        attr(p, &body)?;
    }
    Some(())
}

fn attr(p: &mut Printer, body: &[TokenTree]) -> Option<()> {
    let mut c = Cursor::new(body);
    let path = c.simple_path()?;
    match c.next() {
        None => {
            p.word("#");
            p.word("[");
            p.word(path);
        }
        Some(TokenTree::Group(g)) if c.done() => {
            if g.delimiter() == Delimiter::None {
                return None;
            }
            p.word("#");
            p.word("[");
            p.word(path);
            attr_tokens(p, TokenStream::from(TokenTree::Group(g.clone())));
        }
        Some(TokenTree::Punct(eq)) if eq.as_char() == '=' => {
            let TokenTree::Literal(literal) = c.next()? else {
                return None;
            };
            if !c.done() {
                return None;
            }
            if path == "doc" {
                let doc = doc_value(literal)?;
                if doc.contains('\n') || doc.starts_with('/') {
                    return None;
                }
                p.word("///");
                p.word(doc.trim_end_matches(' ').to_owned());
                p.hardbreak();
                return Some(());
            }
            p.word("#");
            p.word("[");
            p.word(path);
            p.word(" = ");
            p.word(literal.to_string());
        }
        _ => return None,
    }
    p.word("]");
    p.space();
    Some(())
}

/// The value of a doc attribute's string literal: its text between the quotes when it has no
/// escape (most doc lines), else syn's unescaping of it.
fn doc_value(literal: &proc_macro2::Literal) -> Option<String> {
    let text = literal.to_string();
    if let Some(inner) = text.strip_prefix('"').and_then(|t| t.strip_suffix('"')) {
        if !inner.contains('\\') {
            return Some(inner.to_owned());
        }
    }
    match syn::Lit::new(literal.clone()) {
        syn::Lit::Str(doc) => Some(doc.value()),
        _ => None,
    }
}

/// prettyplease's `attr_tokens`: the tokens of an attribute's list, spaced and broken as it
/// does.
fn attr_tokens(p: &mut Printer, tokens: TokenStream) {
    #[derive(PartialEq)]
    enum State {
        Word,
        Punct,
        TrailingComma,
    }
    use State::*;
    let mut stack = vec![(tokens.into_iter().peekable(), Delimiter::None)];
    let mut broken_space = false;
    let space = |p: &mut Printer, broken: bool| {
        if broken {
            p.space();
        } else {
            p.nbsp();
        }
    };
    let mut state = Word;
    while let Some((tokens, delimiter)) = stack.last_mut() {
        match tokens.next() {
            Some(word @ (TokenTree::Ident(_) | TokenTree::Literal(_))) => {
                if state == Word {
                    space(p, broken_space);
                }
                p.word(word.to_string());
                state = Word;
            }
            Some(TokenTree::Punct(punct)) => {
                let ch = punct.as_char();
                if state == Word && ch == '=' {
                    p.nbsp();
                }
                if ch == ',' && tokens.peek().is_none() {
                    p.trailing_comma(true);
                    state = TrailingComma;
                } else {
                    p.word(ch.to_string());
                    if ch == '=' {
                        p.nbsp();
                    } else if ch == ',' {
                        space(p, broken_space);
                    }
                    state = Punct;
                }
            }
            Some(TokenTree::Group(group)) => {
                let delimiter = group.delimiter();
                match delimiter {
                    Delimiter::Parenthesis => {
                        p.word("(");
                        p.cbox(INDENT);
                        p.zerobreak();
                    }
                    Delimiter::Brace => p.word("{"),
                    Delimiter::Bracket => p.word("["),
                    Delimiter::None => {}
                }
                if delimiter != Delimiter::None {
                    state = Punct;
                }
                stack.push((group.stream().into_iter().peekable(), delimiter));
                broken_space = true;
            }
            None => {
                match delimiter {
                    Delimiter::Parenthesis => {
                        if state != TrailingComma {
                            p.zerobreak();
                        }
                        close_box(p, ")");
                    }
                    Delimiter::Brace => p.word("}"),
                    Delimiter::Bracket => p.word("]"),
                    Delimiter::None => {}
                }
                if *delimiter != Delimiter::None {
                    state = Punct;
                }
                stack.pop();
                if stack.is_empty() {
                    broken_space = false;
                }
            }
        }
    }
}
