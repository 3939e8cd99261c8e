//! Impl blocks, functions, constants and statics as prettyplease prints them, for `direct`
//! (prettyplease's `item_impl`, `impl_item_fn`, `signature`, `item_const` and `item_static`,
//! call for call): the client's request builders (setters, `send`), `IntoFuture`
//! implementations, the operations of `impl Client`, and tables. Their bodies are read by
//! `expr_tree` and printed by `direct_expr`; any other shape gives `None`.

use proc_macro2::{Delimiter, Spacing, TokenTree};

use super::cursor::Cursor;
use super::direct_attrs::{outer_attrs, visibility};
use super::direct_expr;
use super::direct_types::{generics, reference_prefix, ty, word};
use super::expr_tree;
use super::pat_tree::pat_single;
use super::printer::{Printer, INDENT};

/// `impl<generics> [Trait for] Type { items }`, after its outer attributes (printed).
pub(super) fn item_impl(p: &mut Printer, c: &mut Cursor<'_>) -> Option<()> {
    p.cbox(INDENT);
    p.ibox(-INDENT);
    p.cbox(INDENT);
    p.word("impl");
    generics(p, c)?;
    p.end();
    p.nbsp();
    if c.is_punct('!') {
        return None;
    }
    ty(p, c)?;
    if c.eat_ident("for") {
        p.space();
        p.word("for ");
        ty(p, c)?;
    }
    p.end();
    // `where_clause_for_body` without a where clause.
    p.nbsp();
    let body = c.group(Delimiter::Brace)?;
    p.word("{");
    p.hardbreak_if_nonempty();
    let mut items = Cursor::new(&body);
    while !items.done() {
        impl_item(p, &mut items)?;
    }
    p.offset(-INDENT);
    p.end();
    p.word("}");
    p.hardbreak();
    Some(())
}

/// An item of an impl block: a function, an associated type or a constant.
pub(super) fn impl_item(p: &mut Printer, c: &mut Cursor<'_>) -> Option<()> {
    outer_attrs(p, c)?;
    let vis = visibility(c)?;
    match c.ident()?.as_str() {
        "fn" => item_fn(p, c, &vis),
        "const" => const_or_static(p, c, &vis, "const "),
        "type" => item_type(p, c, &vis),
        _ => None,
    }
}

/// A function with a body (after `fn`): prettyplease's `item_fn` and `impl_item_fn`.
pub(super) fn item_fn(p: &mut Printer, c: &mut Cursor<'_>, vis: &str) -> Option<()> {
    p.cbox(INDENT);
    word(p, vis);
    signature(p, c)?;
    if c.is_ident("where") {
        return None;
    }
    let body = c.group(Delimiter::Brace)?;
    let stmts = expr_tree::block(&body)?;
    p.nbsp();
    p.word("{");
    p.hardbreak_if_nonempty();
    direct_expr::stmts(p, &stmts);
    p.offset(-INDENT);
    p.end();
    p.word("}");
    p.hardbreak();
    Some(())
}

/// `fn name<generics>(inputs) -> Output` (after `fn`).
fn signature(p: &mut Printer, c: &mut Cursor<'_>) -> Option<()> {
    p.word("fn ");
    p.word(c.ident()?);
    generics(p, c)?;
    let inputs = c.group(Delimiter::Parenthesis)?;
    p.word("(");
    p.neverbreak();
    p.cbox(0);
    p.zerobreak();
    let mut inputs = Cursor::new(&inputs);
    while !inputs.done() {
        fn_arg(p, &mut inputs)?;
        let comma = inputs.eat_punct(',');
        if !comma && !inputs.done() {
            return None;
        }
        p.trailing_comma(inputs.done());
    }
    p.offset(-INDENT);
    p.end();
    p.word(")");
    p.cbox(-INDENT);
    if is_arrow(c) {
        c.pos += 2;
        p.word(" -> ");
        ty(p, c)?;
    }
    p.end();
    Some(())
}

fn is_arrow(c: &Cursor<'_>) -> bool {
    matches!(
        (c.peek(), c.peek_at(1)),
        (Some(TokenTree::Punct(a)), Some(TokenTree::Punct(b)))
            if a.as_char() == '-' && a.spacing() == Spacing::Joint && b.as_char() == '>'
    )
}

/// A receiver (`self`, `mut self`, `&self`, `&'a mut self`) or `pattern: Type`.
fn fn_arg(p: &mut Printer, c: &mut Cursor<'_>) -> Option<()> {
    if c.eat_punct('&') {
        reference_prefix(p, c)?;
        if !c.eat_ident("self") {
            return None;
        }
        p.word("self");
        return receiver_end(c);
    }
    let receiver = c.is_ident("self")
        || c.is_ident("mut") && matches!(c.peek_at(1), Some(TokenTree::Ident(i)) if i == "self");
    if receiver {
        if c.eat_ident("mut") {
            p.word("mut ");
        }
        c.next();
        p.word("self");
        return receiver_end(c);
    }
    let pattern = pat_single(c)?;
    if !c.eat_punct(':') {
        return None;
    }
    direct_expr::pat(p, &pattern);
    p.word(": ");
    ty(p, c)
}

/// A receiver ends at a `,` or the end (`self: Type` is not handled).
fn receiver_end(c: &Cursor<'_>) -> Option<()> {
    (c.done() || c.is_punct(',')).then_some(())
}

/// `const NAME: Type = value;` or `static NAME: Type = value;` (after the keyword), in a
/// module or an impl block.
pub(super) fn const_or_static(
    p: &mut Printer,
    c: &mut Cursor<'_>,
    vis: &str,
    keyword: &'static str,
) -> Option<()> {
    p.cbox(0);
    word(p, vis);
    p.word(keyword);
    let name = c.ident()?;
    if matches!(name.as_str(), "mut" | "fn" | "unsafe") || !c.eat_punct(':') {
        return None;
    }
    p.word(name);
    p.word(": ");
    ty(p, c)?;
    if !c.eat_punct('=') {
        return None;
    }
    p.word(" = ");
    p.neverbreak();
    let value = expr_tree::expr(c, false)?;
    direct_expr::expr(p, &value);
    semicolon(p, c)?;
    p.end();
    p.hardbreak();
    Some(())
}

/// `type Name<generics> = Type;` (after `type`): prettyplease's `item_type` and
/// `impl_item_type`, the same text without a where clause.
pub(super) fn item_type(p: &mut Printer, c: &mut Cursor<'_>, vis: &str) -> Option<()> {
    p.cbox(INDENT);
    word(p, vis);
    p.word("type ");
    p.word(c.ident()?);
    generics(p, c)?;
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
    semicolon(p, c)?;
    p.end();
    p.hardbreak();
    Some(())
}

/// The `;` that must come next.
fn semicolon(p: &mut Printer, c: &mut Cursor<'_>) -> Option<()> {
    if !c.eat_punct(';') {
        return None;
    }
    p.word(";");
    Some(())
}
