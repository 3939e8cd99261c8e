//! Printing the most common generated items straight from their tokens, without syn: structs,
//! enums and type aliases (with their attributes, fields and types), which are most of the
//! `types` module and the client's and server's request and response types; impl blocks,
//! functions, constants and statics (`direct_impl`) whose bodies are made of the expressions
//! `expr_tree` reads (the client's request builders and operations).
//!
//! The printing code follows prettyplease's (`item.rs`, `data.rs`, `attr.rs`, `ty.rs`,
//! `path.rs`, `generics.rs`, `expr.rs`, `stmt.rs`, `pat.rs`) call for call, on the
//! line-breaking engine it uses ([`super::printer`]), so the text is prettyplease's. Anything
//! outside the shapes handled here (a `where` clause, a bound, a macro, a binary operator, a
//! multi-line doc comment, ...) gives `None`, and the caller formats the item with syn and
//! prettyplease. A differential test compares the two on every item of every fixture
//! (`cargo xtask corpus-format` on the corpus); where they differ, this printer is wrong.

use proc_macro2::{Delimiter, TokenStream, TokenTree};

use super::cursor::Cursor;
use super::direct_attrs::{outer_attrs, visibility};
use super::direct_impl::{const_or_static, impl_item, item_fn, item_impl, item_type};
use super::direct_types::{close_box, generics, literal_expr, ty, word};
use super::printer::{Printer, INDENT};

/// Where an item stands: in a module (or at the top of a file), or in an impl block.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Place {
    Module,
    Impl,
}

/// prettyplease's text for `item` standing `depth` blocks deep in `place`, or `None` when the
/// item is not of a shape printed here.
pub(super) fn item_text(item: &TokenStream, depth: usize, place: Place) -> Option<String> {
    let trees: Vec<TokenTree> = item.clone().into_iter().collect();
    let mut p = Printer::new();
    let indent = INDENT * depth as isize;
    // The enclosing block, broken (its items each start a line).
    p.cbox(indent);
    p.hardbreak();
    let mut c = Cursor::new(&trees);
    match place {
        Place::Module => self::item(&mut p, &mut c)?,
        Place::Impl => impl_item(&mut p, &mut c)?,
    }
    if !c.done() {
        return None;
    }
    p.end();
    let text = p.finish()?;
    text.strip_prefix('\n').map(str::to_owned)
}

/// The items handled in a module: attributes, a visibility, then `struct`, `enum`, `type`,
/// `impl`, `fn`, `const` or `static`.
fn item(p: &mut Printer, c: &mut Cursor<'_>) -> Option<()> {
    outer_attrs(p, c)?;
    let vis = visibility(c)?;
    match c.ident()?.as_str() {
        "struct" => item_struct(p, c, &vis),
        "enum" => item_enum(p, c, &vis),
        "type" => item_type(p, c, &vis),
        "impl" if vis.is_empty() => item_impl(p, c),
        "fn" => item_fn(p, c, &vis),
        "const" => const_or_static(p, c, &vis, "const "),
        "static" => const_or_static(p, c, &vis, "static "),
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
