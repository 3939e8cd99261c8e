//! Printing the most common generated items straight from their tokens, without syn: structs,
//! enums and type aliases (with their attributes, fields and types), which are most of the
//! `types` module and the client's and server's request and response types.
//!
//! The printing code follows prettyplease's (`item.rs`, `data.rs`, `attr.rs`, `ty.rs`,
//! `path.rs`, `generics.rs`) call for call, on the line-breaking engine it uses
//! ([`super::printer`]), so the text is prettyplease's. Anything outside the shapes handled here
//! (a `where` clause, a bound, an expression beyond a literal, a multi-line doc comment, ...)
//! gives `None`, and the caller formats the item with syn and prettyplease. A differential test
//! compares the two on every item of every fixture (`cargo xtask corpus-format` on the corpus);
//! where they differ, this printer is wrong.

use proc_macro2::{Delimiter, TokenStream, TokenTree};

use super::cursor::Cursor;
use super::direct_types::{close_box, generics, literal_expr, ty, word};
use super::printer::{Printer, INDENT};

/// prettyplease's text for `item` standing `depth` blocks deep (in modules), or `None` when the
/// item is not of a shape printed here.
pub(super) fn item_text(item: &TokenStream, depth: usize) -> Option<String> {
    let trees: Vec<TokenTree> = item.clone().into_iter().collect();
    let mut p = Printer::new();
    let indent = INDENT * depth as isize;
    // The enclosing block, broken (its items each start a line).
    p.cbox(indent);
    p.hardbreak();
    let mut c = Cursor::new(&trees);
    self::item(&mut p, &mut c)?;
    if !c.done() {
        return None;
    }
    p.end();
    let text = p.finish();
    text.strip_prefix('\n').map(str::to_owned)
}

/// The items handled: attributes, a visibility, then `struct`, `enum` or `type`.
fn item(p: &mut Printer, c: &mut Cursor<'_>) -> Option<()> {
    outer_attrs(p, c)?;
    let vis = visibility(c)?;
    match c.ident()?.as_str() {
        "struct" => item_struct(p, c, &vis),
        "enum" => item_enum(p, c, &vis),
        "type" => item_type(p, c, &vis),
        _ => None,
    }
}

fn item_struct(p: &mut Printer, c: &mut Cursor<'_>, vis: &str) -> Option<()> {
    item_head(p, c, vis, "struct ")?;
    match c.next() {
        Some(TokenTree::Group(g)) if g.delimiter() == Delimiter::Brace => {
            let body: Vec<TokenTree> = g.stream().into_iter().collect();
            braced_list(p, &body, |p, c| field(p, c, true))?;
        }
        Some(TokenTree::Group(g)) if g.delimiter() == Delimiter::Parenthesis => {
            let body: Vec<TokenTree> = g.stream().into_iter().collect();
            fields_unnamed(p, &body)?;
            if !c.eat_punct(';') {
                return None;
            }
            p.word(";");
            p.end();
        }
        Some(TokenTree::Punct(semi)) if semi.as_char() == ';' => {
            p.word(";");
            p.end();
        }
        _ => return None,
    }
    p.hardbreak();
    Some(())
}

/// `vis keyword Name<generics>` in the item's box.
fn item_head(p: &mut Printer, c: &mut Cursor<'_>, vis: &str, keyword: &'static str) -> Option<()> {
    p.cbox(INDENT);
    word(p, vis);
    p.word(keyword);
    p.word(c.ident()?);
    generics(p, c)
}

/// ` {`, then each element of `body` (fields, variants) on its own line followed by `,`,
/// then `}` (prettyplease's bodies of structs and enums, without a where clause).
fn braced_list(
    p: &mut Printer,
    body: &[TokenTree],
    each: impl Fn(&mut Printer, &mut Cursor<'_>) -> Option<()>,
) -> Option<()> {
    p.nbsp();
    p.word("{");
    p.hardbreak_if_nonempty();
    let mut elements = Cursor::new(body);
    while !elements.done() {
        each(p, &mut elements)?;
        p.word(",");
        p.hardbreak();
        if !elements.eat_punct(',') && !elements.done() {
            return None;
        }
    }
    close_box(p, "}");
    Some(())
}

fn item_enum(p: &mut Printer, c: &mut Cursor<'_>, vis: &str) -> Option<()> {
    item_head(p, c, vis, "enum ")?;
    let body = c.group(Delimiter::Brace)?;
    braced_list(p, &body, variant)?;
    p.hardbreak();
    Some(())
}

fn item_type(p: &mut Printer, c: &mut Cursor<'_>, vis: &str) -> Option<()> {
    item_head(p, c, vis, "type ")?;
    // `where_clause_oneline` without a where clause.
    p.nbsp();
    if !c.eat_punct('=') {
        return None;
    }
    p.word("= ");
    p.neverbreak();
    p.ibox(-INDENT);
    ty(p, c)?;
    p.end();
    if !c.eat_punct(';') {
        return None;
    }
    p.word(";");
    p.end();
    p.hardbreak();
    Some(())
}

fn variant(p: &mut Printer, c: &mut Cursor<'_>) -> Option<()> {
    outer_attrs(p, c)?;
    p.word(c.ident()?);
    match c.peek() {
        Some(TokenTree::Group(g)) if g.delimiter() == Delimiter::Brace => {
            let body: Vec<TokenTree> = g.stream().into_iter().collect();
            c.next();
            p.nbsp();
            p.word("{");
            p.cbox(INDENT);
            p.space();
            let mut fields = Cursor::new(&body);
            while !fields.done() {
                field(p, &mut fields, true)?;
                fields.eat_punct(',');
                p.trailing_comma_or_space(fields.done());
            }
            close_box(p, "}");
        }
        Some(TokenTree::Group(g)) if g.delimiter() == Delimiter::Parenthesis => {
            let body: Vec<TokenTree> = g.stream().into_iter().collect();
            c.next();
            p.cbox(INDENT);
            fields_unnamed(p, &body)?;
            p.end();
        }
        _ => {}
    }
    if c.eat_punct('=') {
        p.word(" = ");
        literal_expr(p, c)?;
    }
    Some(())
}

fn fields_unnamed(p: &mut Printer, body: &[TokenTree]) -> Option<()> {
    p.word("(");
    p.zerobreak();
    let mut fields = Cursor::new(body);
    while !fields.done() {
        field(p, &mut fields, false)?;
        fields.eat_punct(',');
        p.trailing_comma(fields.done());
    }
    p.offset(-INDENT);
    p.word(")");
    Some(())
}

fn field(p: &mut Printer, c: &mut Cursor<'_>, named: bool) -> Option<()> {
    outer_attrs(p, c)?;
    let vis = visibility(c)?;
    word(p, &vis);
    if named {
        p.word(c.ident()?);
        if !c.eat_punct(':') {
            return None;
        }
        p.word(": ");
    }
    ty(p, c)
}

/// `pub `, `pub(crate) `, `pub(in a::b) `, or nothing, as prettyplease prints it.
fn visibility(c: &mut Cursor<'_>) -> Option<String> {
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
fn outer_attrs(p: &mut Printer, c: &mut Cursor<'_>) -> Option<()> {
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
                let syn::Lit::Str(doc) = syn::Lit::new(literal.clone()) else {
                    return None;
                };
                let doc = doc.value();
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
