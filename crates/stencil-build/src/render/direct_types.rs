//! Types, generic parameters and literals as prettyplease prints them, for `direct`
//! (prettyplease's `ty.rs`, `path.rs` and `generics.rs`, call for call, for the shapes
//! generated code uses: paths with generic arguments, references, slices, arrays of literal
//! length, tuples; parameters without bounds).

use proc_macro2::{Delimiter, Spacing, TokenTree};

use super::cursor::Cursor;
use super::printer::{Printer, INDENT};

/// `-`? literal, as prettyplease prints a literal expression (or a negated one).
pub(super) fn literal_expr(p: &mut Printer, c: &mut Cursor<'_>) -> Option<()> {
    if c.eat_punct('-') {
        p.word("-");
    }
    match c.next()? {
        TokenTree::Literal(l) => {
            p.word(l.to_string());
            Some(())
        }
        _ => None,
    }
}

/// The end of a box opened with [`INDENT`]: the last break moved back, the box closed, then
/// `closing`.
pub(super) fn close_box(p: &mut Printer, closing: &'static str) {
    p.offset(-INDENT);
    p.end();
    p.word(closing);
}

/// `text` unless empty (prettyplease prints nothing for an inherited visibility).
pub(super) fn word(p: &mut Printer, text: &str) {
    if !text.is_empty() {
        p.word(text.to_owned());
    }
}

/// An item's generic parameters: lifetimes and type parameters without bounds (lifetimes
/// printed first, as prettyplease does).
pub(super) fn generics(p: &mut Printer, c: &mut Cursor<'_>) -> Option<()> {
    if !c.eat_punct('<') {
        return Some(());
    }
    angle_list(p, c, 0, generic_param)
}

/// A type parameter with its bounds and default (prettyplease's `type_param`).
fn generic_param(p: &mut Printer, c: &mut Cursor<'_>) -> Option<()> {
    p.word(c.ident()?);
    p.ibox(INDENT);
    if c.eat_punct(':') {
        p.word(": ");
        bound(p, c)?;
        while c.eat_punct('+') {
            p.space();
            p.word("+ ");
            bound(p, c)?;
        }
    }
    if c.eat_punct('=') {
        p.space();
        p.word("= ");
        ty(p, c)?;
    }
    p.end();
    Some(())
}

/// An expression path with generic arguments (`a::b::<T>`, prettyplease's `path` with
/// `PathKind::Expr`), all of `trees`.
pub(super) fn expr_path(p: &mut Printer, trees: &[TokenTree]) -> Option<()> {
    let mut c = Cursor::new(trees);
    if c.eat_path_sep() {
        p.word("::");
    }
    loop {
        p.word(c.ident()?);
        if !c.eat_path_sep() {
            return c.done().then_some(());
        }
        p.word("::");
        if c.eat_punct('<') {
            angle_list(p, &mut c, INDENT, generic_argument)?;
            if !c.eat_path_sep() {
                return c.done().then_some(());
            }
            p.word("::");
        }
    }
}

/// After a `&` (of a reference type or a receiver): `&`, its lifetime and `mut` as
/// prettyplease prints them.
pub(super) fn reference_prefix(p: &mut Printer, c: &mut Cursor<'_>) -> Option<()> {
    p.word("&");
    if c.is_lifetime() {
        p.word(c.lifetime()?);
        p.nbsp();
    }
    if c.eat_ident("mut") {
        p.word("mut ");
    }
    Some(())
}

/// A type: a path (with generic arguments), a reference, a slice, an array of literal length,
/// a tuple or a parenthesised type. Stops before the `,`, `;`, `=` or `>` that follows it.
pub(super) fn ty(p: &mut Printer, c: &mut Cursor<'_>) -> Option<()> {
    match c.peek()? {
        TokenTree::Punct(amp) if amp.as_char() == '&' => {
            c.next();
            reference_prefix(p, c)?;
            ty(p, c)
        }
        TokenTree::Group(g) if g.delimiter() == Delimiter::Bracket => {
            let inner: Vec<TokenTree> = g.stream().into_iter().collect();
            c.next();
            let mut inner = Cursor::new(&inner);
            p.word("[");
            ty(p, &mut inner)?;
            if inner.eat_punct(';') {
                p.word("; ");
                literal_expr(p, &mut inner)?;
            }
            if !inner.done() {
                return None;
            }
            p.word("]");
            Some(())
        }
        TokenTree::Group(g) if g.delimiter() == Delimiter::Parenthesis => {
            let inner: Vec<TokenTree> = g.stream().into_iter().collect();
            c.next();
            type_tuple(p, &inner)
        }
        TokenTree::Ident(i) if i == "impl" || i == "dyn" => {
            let keyword = if i == "impl" { "impl " } else { "dyn " };
            c.next();
            p.word(keyword);
            bounds(p, c)
        }
        TokenTree::Ident(i) if i == "fn" || i == "unsafe" || i == "extern" => None,
        TokenTree::Ident(_) => type_path(p, c),
        TokenTree::Punct(_) if c.is_path_sep() => type_path(p, c),
        _ => None,
    }
}

/// `Bound + Bound ...` after `impl` or `dyn`: trait paths (with generic arguments, no
/// parenthesised ones, no `for<'a>`) and lifetimes, as prettyplease's `type_param_bound`.
fn bounds(p: &mut Printer, c: &mut Cursor<'_>) -> Option<()> {
    bound(p, c)?;
    while c.eat_punct('+') {
        p.word(" + ");
        bound(p, c)?;
    }
    Some(())
}

/// A lifetime or a trait path (prettyplease's `type_param_bound`).
fn bound(p: &mut Printer, c: &mut Cursor<'_>) -> Option<()> {
    if c.is_lifetime() {
        p.word(c.lifetime()?);
        return Some(());
    }
    if c.eat_punct('?') {
        p.word("?");
    }
    if c.is_ident("for") {
        return None;
    }
    type_path(p, c)?;
    match c.peek() {
        Some(TokenTree::Group(g)) if g.delimiter() == Delimiter::Parenthesis => None,
        _ => Some(()),
    }
}

fn type_tuple(p: &mut Printer, inner: &[TokenTree]) -> Option<()> {
    // One element without a comma is a parenthesised type; one with a comma prints `(T,)`.
    let (parts, _) = split_top_level(inner, 0, false)?;
    let trailing = matches!(inner.last(), Some(TokenTree::Punct(c)) if c.as_char() == ',');
    let element = |p: &mut Printer, (start, end): (usize, usize)| {
        let mut part = Cursor::new(&inner[start..end]);
        ty(p, &mut part)?;
        part.done().then_some(())
    };
    if parts.len() == 1 && !trailing {
        p.word("(");
        element(p, parts[0])?;
        p.word(")");
        return Some(());
    }
    p.word("(");
    p.cbox(INDENT);
    p.zerobreak();
    let count = parts.len();
    for (index, part) in parts.into_iter().enumerate() {
        element(p, part)?;
        if count == 1 {
            p.word(",");
            p.zerobreak();
        } else {
            p.trailing_comma(index + 1 == count);
        }
    }
    close_box(p, ")");
    Some(())
}

/// `::a::b<T, 'x, Item = U>` (a type path; generic arguments on any segment).
fn type_path(p: &mut Printer, c: &mut Cursor<'_>) -> Option<()> {
    if c.eat_path_sep() {
        p.word("::");
    }
    loop {
        p.word(c.ident()?);
        if c.eat_punct('<') {
            angle_list(p, c, INDENT, generic_argument)?;
        }
        if !c.eat_path_sep() {
            return Some(());
        }
        p.word("::");
    }
}

/// After `<`: generic arguments (or parameters) up to and including `>`, each printed by
/// `other` unless it is a lifetime; lifetimes first, as prettyplease prints them, in a box
/// indented by `indent`. Nothing for `<>`. Each argument is read once (nested types stay
/// linear).
fn angle_list(
    p: &mut Printer,
    c: &mut Cursor<'_>,
    indent: isize,
    other: impl Fn(&mut Printer, &mut Cursor<'_>) -> Option<()>,
) -> Option<()> {
    let trees = c.trees;
    let (parts, end) = split_top_level(trees, c.pos, true)?;
    c.pos = end;
    let is_lifetime = |&(start, _): &(usize, usize)| matches!(&trees[start], TokenTree::Punct(q) if q.as_char() == '\'');
    let (lifetimes, others): (Vec<_>, Vec<_>) = parts.into_iter().partition(is_lifetime);
    let total = lifetimes.len() + others.len();
    if total == 0 {
        return Some(());
    }
    p.word("<");
    p.cbox(indent);
    p.zerobreak();
    for (i, (start, end)) in lifetimes.into_iter().chain(others).enumerate() {
        let mut part = Cursor::new(&trees[start..end]);
        if part.is_lifetime() {
            p.word(part.lifetime()?);
        } else {
            other(p, &mut part)?;
        }
        if !part.done() {
            return None;
        }
        p.trailing_comma(i + 1 == total);
    }
    close_box(p, ">");
    Some(())
}

/// The comma-separated parts of `trees` from `start` (commas inside `<...>` and groups do not
/// separate), up to the end, or with `angle` up to the `>` closing the list; each part's range
/// and where the list ends (after its `>`). A trailing comma makes no empty part.
fn split_top_level(
    trees: &[TokenTree],
    start: usize,
    angle: bool,
) -> Option<(Vec<(usize, usize)>, usize)> {
    let mut parts = Vec::new();
    let mut depth = 0usize;
    let mut part_start = start;
    let mut i = start;
    while i < trees.len() {
        if let TokenTree::Punct(punct) = &trees[i] {
            match punct.as_char() {
                // `->` closes nothing.
                '-' if punct.spacing() == Spacing::Joint => i += 1,
                '<' => depth += 1,
                '>' if depth > 0 => depth -= 1,
                '>' => {
                    if !angle {
                        return None;
                    }
                    if part_start < i {
                        parts.push((part_start, i));
                    }
                    return Some((parts, i + 1));
                }
                ',' if depth == 0 => {
                    parts.push((part_start, i));
                    part_start = i + 1;
                }
                _ => {}
            }
        }
        i += 1;
    }
    if angle || depth != 0 {
        return None;
    }
    if part_start < trees.len() {
        parts.push((part_start, trees.len()));
    }
    Some((parts, trees.len()))
}

/// A type, or `Name = Type` (an associated type).
fn generic_argument(p: &mut Printer, c: &mut Cursor<'_>) -> Option<()> {
    let assoc = matches!(
        (c.peek(), c.peek_at(1)),
        (Some(TokenTree::Ident(_)), Some(TokenTree::Punct(eq)))
            if eq.as_char() == '=' && eq.spacing() == Spacing::Alone
    );
    if assoc {
        p.word(c.ident()?);
        c.next();
        p.word(" = ");
    }
    ty(p, c)
}
