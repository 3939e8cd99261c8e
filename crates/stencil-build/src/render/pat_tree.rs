//! Patterns read from their tokens, for `expr_tree` (match arms, `let`, closure parameters)
//! and `direct_expr` (which prints them as prettyplease's `pat.rs` does): identifiers, paths,
//! `_`, literals and ranges of literals, tuples, tuple-struct and struct patterns, `|`
//! alternatives, typed closure parameters. Anything else gives `None`.

use proc_macro2::{Delimiter, Spacing, TokenTree};

use super::cursor::Cursor;

/// A pattern.
pub(super) enum Pat {
    /// An identifier or a path (`x`, `None`, `A::B`, `mut x`), as one word.
    Word(String),
    Wild,
    Lit(String),
    /// A range of two literals (`200..=299`), as one word.
    Range(String),
    /// `Path { field, field: pattern, .. }`: the fields, and whether `..` ends them.
    Struct(String, Vec<(Option<String>, Pat)>, bool),
    Tuple(Vec<Pat>, bool),
    TupleStruct(String, Vec<Pat>),
    Or(Vec<Pat>),
    /// `pattern: Type` (a closure's parameter, a `let`): the type's tokens.
    Type(Box<Pat>, Vec<TokenTree>),
}

/// A pattern without a top-level `|`.
pub(super) fn pat_single(c: &mut Cursor<'_>) -> Option<Pat> {
    match c.peek()? {
        TokenTree::Literal(l) => {
            c.next();
            if !c.is_dot_dot_eq() {
                return Some(Pat::Lit(l.to_string()));
            }
            c.pos += 3;
            match c.next()? {
                TokenTree::Literal(end) => Some(Pat::Range(format!("{l}..={end}"))),
                _ => None,
            }
        }
        TokenTree::Ident(i) if i == "_" => {
            c.next();
            Some(Pat::Wild)
        }
        TokenTree::Ident(i) if i == "true" || i == "false" => {
            c.next();
            Some(Pat::Lit(i.to_string()))
        }
        TokenTree::Ident(i) if i == "mut" => {
            c.next();
            let name = c.ident()?;
            Some(Pat::Word(format!("mut {name}")))
        }
        TokenTree::Ident(i) if i == "ref" || i == "box" => None,
        TokenTree::Group(g) if g.delimiter() == Delimiter::Parenthesis => {
            let inner: Vec<TokenTree> = g.stream().into_iter().collect();
            c.next();
            let (elems, trailing) = pats(&inner)?;
            // `(p)` is a parenthesised pattern: not handled.
            if elems.len() == 1 && !trailing {
                return None;
            }
            Some(Pat::Tuple(elems, trailing))
        }
        TokenTree::Punct(_) if !c.is_path_sep() => None,
        TokenTree::Ident(_) | TokenTree::Punct(_) => {
            let path = c.simple_path()?;
            if c.is_punct('!') || c.is_punct('@') || c.is_path_sep() {
                return None;
            }
            match c.peek() {
                Some(TokenTree::Group(g)) if g.delimiter() == Delimiter::Parenthesis => {
                    let inner: Vec<TokenTree> = g.stream().into_iter().collect();
                    c.next();
                    Some(Pat::TupleStruct(path, pats(&inner)?.0))
                }
                Some(TokenTree::Group(g)) if g.delimiter() == Delimiter::Brace => {
                    let inner: Vec<TokenTree> = g.stream().into_iter().collect();
                    c.next();
                    let (fields, rest) = field_pats(&inner)?;
                    Some(Pat::Struct(path, fields, rest))
                }
                _ => Some(Pat::Word(path)),
            }
        }
        _ => None,
    }
}

/// Comma-separated patterns (all of `trees`), and whether a comma ends them.
fn pats(trees: &[TokenTree]) -> Option<(Vec<Pat>, bool)> {
    let mut c = Cursor::new(trees);
    let mut out = Vec::new();
    let mut trailing = false;
    while !c.done() {
        out.push(pat_single(&mut c)?);
        trailing = c.eat_punct(',');
        if !trailing && !c.done() {
            return None;
        }
    }
    Some((out, trailing))
}

/// A struct pattern's fields (`name`, `mut name`, `name: pattern`), and whether `..` ends
/// them.
#[allow(clippy::type_complexity)]
fn field_pats(trees: &[TokenTree]) -> Option<(Vec<(Option<String>, Pat)>, bool)> {
    let mut c = Cursor::new(trees);
    let mut out = Vec::new();
    while !c.done() {
        if c.is_dot_dot() {
            c.pos += 2;
            return c.done().then_some((out, true));
        }
        let named = matches!(
            (c.peek(), c.peek_at(1)),
            (Some(TokenTree::Ident(_) | TokenTree::Literal(_)), Some(TokenTree::Punct(colon)))
                if colon.as_char() == ':' && colon.spacing() == Spacing::Alone
        );
        if named {
            let member = c.next()?.to_string();
            c.next();
            out.push((Some(member), pat_single(&mut c)?));
        } else {
            let pat = pat_single(&mut c)?;
            if !matches!(pat, Pat::Word(ref name) if !name.contains(':')) {
                return None;
            }
            out.push((None, pat));
        }
        if !c.eat_punct(',') && !c.done() {
            return None;
        }
    }
    Some((out, false))
}
