//! Expressions, statements and patterns as prettyplease prints them, for `direct_impl`
//! (prettyplease's `expr.rs`, `stmt.rs` and `pat.rs`, call for call, for the trees
//! `expr_tree` reads; none of them needs the parentheses prettyplease's fixups add).

use super::cursor::Cursor;
use super::direct_types::{expr_path, ty};
use super::expr_tree::{Expr, Stmt};
use super::pat_tree::Pat;
use super::printer::{BreakToken, Printer, INDENT};

/// A function's or a block's statements (prettyplease's `stmt` for each).
pub(super) fn stmts(p: &mut Printer, stmts: &[Stmt]) {
    for stmt in stmts {
        match stmt {
            Stmt::Let(pat, init, diverge) => {
                p.ibox(0);
                p.word("let ");
                self::pat(p, pat);
                p.word(" = ");
                p.neverbreak();
                expr(p, init);
                if let Some(diverge) = diverge {
                    p.space();
                    p.word("else ");
                    p.end();
                    p.neverbreak();
                    p.cbox(INDENT);
                    small_block(p, diverge);
                }
                p.end();
                p.word(";");
                p.hardbreak();
            }
            Stmt::Expr(e, semi) => {
                p.ibox(0);
                expr_beginning_of_line(p, e, true);
                if *semi || add_semi(e) {
                    p.word(";");
                }
                p.end();
                p.hardbreak();
            }
        }
    }
}

pub(super) fn expr(p: &mut Printer, e: &Expr) {
    match e {
        Expr::Path(text) | Expr::Lit(text, _) => p.word(text.clone()),
        Expr::GenericPath(trees) => {
            if expr_path(p, trees).is_none() {
                p.fail();
            }
        }
        Expr::Return(value) => {
            p.word("return");
            if let Some(value) = value {
                p.nbsp();
                expr(p, value);
            }
        }
        Expr::Unary(op, inner) => {
            p.word(*op);
            expr(p, inner);
        }
        Expr::Reference(mutable, inner) => {
            p.word("&");
            if *mutable {
                p.word("mut ");
            }
            expr(p, inner);
        }
        Expr::Call(func, args) => {
            expr_beginning_of_line(p, func, false);
            call_args(p, args);
        }
        // Printed as at the beginning of a line, except that it is not.
        Expr::Method(..) | Expr::Field(..) | Expr::Await(_) | Expr::Try(_) => {
            expr_beginning_of_line(p, e, false);
        }
        Expr::Array(elems) => array(p, elems),
        Expr::Tuple(elems) => tuple(p, elems),
        Expr::Paren(inner) => {
            p.word("(");
            expr(p, inner);
            p.word(")");
        }
        Expr::Struct(path, fields, rest) => struct_literal(p, path, fields, rest.as_deref()),
        Expr::Closure(asyncness, moves, inputs, body) => {
            closure(p, (*asyncness, *moves), inputs, body);
        }
        Expr::Match(scrutinee, arms) => match_expr(p, scrutinee, arms),
        Expr::Assign(left, right) => {
            p.ibox(0);
            expr(p, left);
            p.word(" = ");
            p.neverbreak();
            expr(p, right);
            p.end();
        }
        Expr::Block(stmts) => {
            p.cbox(INDENT);
            small_block(p, stmts);
            p.end();
        }
    }
}

/// prettyplease's `expr_beginning_of_line`: method chains, fields, `.await` and `?` know
/// whether they start a line (a short receiver such as `self` then stays on it).
fn expr_beginning_of_line(p: &mut Printer, e: &Expr, beginning_of_line: bool) {
    match e {
        Expr::Method(..) => method_call(p, e, beginning_of_line),
        Expr::Field(..) | Expr::Await(_) => {
            p.cbox(INDENT);
            prefix_subexpr(p, e, beginning_of_line);
            p.end();
        }
        Expr::Try(inner) => {
            expr_beginning_of_line(p, inner, beginning_of_line);
            p.word("?");
        }
        _ => expr(p, e),
    }
}

fn method_call(p: &mut Printer, e: &Expr, beginning_of_line: bool) {
    let Expr::Method(receiver, ..) = e else {
        return expr(p, e);
    };
    p.cbox(INDENT);
    let unindent_call_args = beginning_of_line && is_short_ident(receiver);
    prefix_method_call(p, e, beginning_of_line, unindent_call_args);
    p.end();
}

/// prettyplease's `prefix_subexpr`: a link of a method chain, without its own box.
fn prefix_subexpr(p: &mut Printer, e: &Expr, beginning_of_line: bool) {
    match e {
        Expr::Call(func, args) => {
            prefix_subexpr(p, func, false);
            call_args(p, args);
        }
        Expr::Method(..) => prefix_method_call(p, e, beginning_of_line, false),
        Expr::Field(base, member) => {
            dot(p, base, beginning_of_line);
            p.word(member.clone());
        }
        Expr::Await(base) => {
            prefix_subexpr(p, base, beginning_of_line);
            chain_break(p, base, beginning_of_line);
            p.word(".await");
        }
        Expr::Try(inner) => {
            prefix_subexpr(p, inner, beginning_of_line);
            p.word("?");
        }
        _ => {
            p.cbox(-INDENT);
            expr(p, e);
            p.end();
        }
    }
}

/// The receiver of a field or method, the break before the `.`, and the `.`.
fn dot(p: &mut Printer, base: &Expr, beginning_of_line: bool) {
    prefix_subexpr(p, base, beginning_of_line);
    chain_break(p, base, beginning_of_line);
    p.word(".");
}

fn chain_break(p: &mut Printer, base: &Expr, beginning_of_line: bool) {
    if !(beginning_of_line && is_short_ident(base)) {
        let no_break = p.ends_with('.').then_some(' ');
        p.scan_break(BreakToken {
            no_break,
            ..BreakToken::default()
        });
    }
}

fn prefix_method_call(p: &mut Printer, e: &Expr, beginning_of_line: bool, unindent: bool) {
    let Expr::Method(receiver, method, args) = e else {
        return;
    };
    dot(p, receiver, beginning_of_line);
    p.word(method.clone());
    p.cbox(if unindent { -INDENT } else { 0 });
    call_args(p, args);
    p.end();
}

fn is_short_ident(e: &Expr) -> bool {
    matches!(e, Expr::Path(path) if path.len() <= INDENT as usize && !path.contains(':'))
}

fn is_blocklike(e: &Expr) -> bool {
    matches!(
        e,
        Expr::Array(_) | Expr::Block(_) | Expr::Closure(..) | Expr::Struct(..) | Expr::Tuple(_)
    )
}

/// `(args)` (prettyplease's `call_args` between the parentheses).
fn call_args(p: &mut Printer, args: &[Expr]) {
    if let [arg] = args {
        if is_blocklike(arg) {
            p.word("(");
            expr(p, arg);
            p.word(")");
            return;
        }
    }
    comma_list(p, "(", args, expr, ")");
}

fn array(p: &mut Printer, elems: &[Expr]) {
    if elems.is_empty() {
        return p.word("[]");
    }
    if elems.iter().all(|e| matches!(e, Expr::Lit(_, true))) {
        p.cbox(INDENT);
        p.word("[");
        p.zerobreak();
        p.ibox(0);
        for (i, e) in elems.iter().enumerate() {
            expr(p, e);
            if i + 1 < elems.len() {
                p.word(",");
                p.space();
            }
        }
        p.end();
        p.trailing_comma(true);
        p.offset(-INDENT);
        p.word("]");
        p.end();
        return;
    }
    comma_list(p, "[", elems, expr, "]");
}

/// `open`, the items broken consistently with a comma after each (the last one's only when
/// broken), `close`.
fn comma_list<T>(
    p: &mut Printer,
    open: &'static str,
    items: &[T],
    each: fn(&mut Printer, &T),
    close: &'static str,
) {
    p.word(open);
    p.cbox(INDENT);
    p.zerobreak();
    for (i, item) in items.iter().enumerate() {
        each(p, item);
        p.trailing_comma(i + 1 == items.len());
    }
    p.offset(-INDENT);
    p.end();
    p.word(close);
}

fn tuple(p: &mut Printer, elems: &[Expr]) {
    p.word("(");
    p.cbox(INDENT);
    p.zerobreak();
    for (i, e) in elems.iter().enumerate() {
        expr(p, e);
        if elems.len() == 1 {
            p.word(",");
            p.zerobreak();
        } else {
            p.trailing_comma(i + 1 == elems.len());
        }
    }
    p.offset(-INDENT);
    p.end();
    p.word(")");
}

fn struct_literal(
    p: &mut Printer,
    path: &str,
    fields: &[(String, Option<Expr>)],
    rest: Option<&Expr>,
) {
    p.cbox(INDENT);
    p.ibox(-INDENT);
    p.word(path.to_owned());
    p.end();
    p.word(" {");
    p.space_if_nonempty();
    for (i, (member, value)) in fields.iter().enumerate() {
        p.word(member.clone());
        if let Some(value) = value {
            p.word(": ");
            p.ibox(0);
            expr(p, value);
            p.end();
        }
        p.trailing_comma_or_space(i + 1 == fields.len() && rest.is_none());
    }
    if let Some(rest) = rest {
        p.word("..");
        expr(p, rest);
        p.space();
    }
    p.offset(-INDENT);
    p.end_with_max_width(34);
    p.word("}");
}

/// A closure: `(async, move)`, its parameters, its body.
fn closure(p: &mut Printer, (asyncness, moves): (bool, bool), inputs: &[Pat], body: &Expr) {
    p.ibox(0);
    if asyncness {
        p.word("async ");
    }
    if moves {
        p.word("move ");
    }
    p.cbox(INDENT);
    p.word("|");
    for (i, input) in inputs.iter().enumerate() {
        if i == 0 {
            p.zerobreak();
        }
        pat(p, input);
        if i + 1 < inputs.len() {
            p.word(",");
            p.space();
        }
    }
    p.word("|");
    p.space();
    p.offset(-INDENT);
    p.end();
    p.neverbreak();
    let wrap_in_brace = !matches!(body, Expr::Match(..) | Expr::Call(..)) && !is_blocklike(body);
    if wrap_in_brace {
        p.cbox(INDENT);
        let okay_to_brace = parseable_as_stmt(body);
        p.scan_break(BreakToken {
            pre_break: Some(if okay_to_brace { '{' } else { '(' }),
            ..BreakToken::default()
        });
        expr(p, body);
        p.scan_break(BreakToken {
            offset: -INDENT,
            pre_break: (okay_to_brace && add_semi(body)).then_some(';'),
            post_break: if okay_to_brace { "}" } else { ")" },
            ..BreakToken::default()
        });
        p.end();
    } else {
        expr(p, body);
    }
    p.end();
}

fn match_expr(p: &mut Printer, scrutinee: &Expr, arms: &[(Pat, Expr)]) {
    p.ibox(0);
    p.word("match ");
    // `expr_condition`.
    p.cbox(0);
    expr(p, scrutinee);
    if needs_newline_if_wrap(scrutinee) {
        p.space();
    } else {
        p.nbsp();
    }
    p.end();
    p.word("{");
    p.neverbreak();
    p.cbox(INDENT);
    p.hardbreak_if_nonempty();
    for (pattern, body) in arms {
        arm(p, pattern, body);
        p.hardbreak();
    }
    p.offset(-INDENT);
    p.end();
    p.word("}");
    p.end();
}

fn arm(p: &mut Printer, pattern: &Pat, mut body: &Expr) {
    p.ibox(0);
    pat(p, pattern);
    p.word(" => ");
    while let Expr::Block(stmts) = body {
        match stmts.as_slice() {
            [Stmt::Expr(inner, false)] => body = inner,
            _ => break,
        }
    }
    let empty: &[Stmt] = &[];
    let block = match body {
        Expr::Block(stmts) => Some(stmts.as_slice()),
        Expr::Tuple(elems) if elems.is_empty() => Some(empty),
        _ => None,
    };
    if let Some(stmts) = block {
        p.word("{");
        p.neverbreak();
        p.cbox(INDENT);
        p.hardbreak_if_nonempty();
        self::stmts(p, stmts);
        p.offset(-INDENT);
        p.end();
        p.word("}");
    } else {
        p.neverbreak();
        p.cbox(INDENT);
        let okay_to_brace = parseable_as_stmt(body);
        p.scan_break(BreakToken {
            pre_break: Some(if okay_to_brace { '{' } else { '(' }),
            ..BreakToken::default()
        });
        expr_beginning_of_line(p, body, true);
        p.scan_break(BreakToken {
            offset: -INDENT,
            pre_break: (okay_to_brace && add_semi(body)).then_some(';'),
            post_break: if okay_to_brace { "}" } else { ")," },
            no_break: (!matches!(body, Expr::Match(..) | Expr::Block(_))).then_some(','),
            ..BreakToken::default()
        });
        p.end();
    }
    p.end();
}

fn small_block(p: &mut Printer, stmts: &[Stmt]) {
    p.word("{");
    if !stmts.is_empty() {
        p.space();
        if let [Stmt::Expr(e, false)] = stmts {
            p.ibox(0);
            expr_beginning_of_line(p, e, true);
            p.end();
            p.space();
        } else {
            self::stmts(p, stmts);
        }
        p.offset(-INDENT);
    }
    p.word("}");
}

/// prettyplease's `add_semi`: an assignment or a `return` as a statement or a block's end.
fn add_semi(e: &Expr) -> bool {
    matches!(e, Expr::Assign(..) | Expr::Return(_))
}

/// prettyplease's `parseable_as_stmt` (`{ e }` means `e`).
fn parseable_as_stmt(mut e: &Expr) -> bool {
    loop {
        match e {
            Expr::Assign(inner, _) | Expr::Call(inner, _) => {
                // `requires_semi_to_be_stmt` is false for a `match` or a block.
                if matches!(**inner, Expr::Match(..) | Expr::Block(_)) {
                    return false;
                }
                e = inner;
            }
            Expr::Await(inner) | Expr::Field(inner, _) | Expr::Try(inner) => e = inner,
            Expr::Method(receiver, ..) => e = receiver,
            _ => return true,
        }
    }
}

fn needs_newline_if_wrap(e: &Expr) -> bool {
    match e {
        Expr::Assign(..) | Expr::Await(_) | Expr::Field(..) | Expr::Method(..) => true,
        Expr::Call(inner, _)
        | Expr::Paren(inner)
        | Expr::Reference(_, inner)
        | Expr::Try(inner)
        | Expr::Unary(_, inner) => needs_newline_if_wrap(inner),
        Expr::Return(Some(inner)) => needs_newline_if_wrap(inner),
        _ => false,
    }
}

pub(super) fn pat(p: &mut Printer, pattern: &Pat) {
    match pattern {
        Pat::Word(text) | Pat::Lit(text) | Pat::Range(text) => p.word(text.clone()),
        Pat::Wild => p.word("_"),
        Pat::Type(inner, ty) => {
            pat(p, inner);
            p.word(": ");
            let mut c = Cursor::new(ty);
            if self::ty(p, &mut c).is_none() || !c.done() {
                p.fail();
            }
        }
        Pat::Tuple(elems, trailing) => {
            p.word("(");
            p.cbox(INDENT);
            p.zerobreak();
            for (i, elem) in elems.iter().enumerate() {
                pat(p, elem);
                if elems.len() == 1 {
                    if *trailing {
                        p.word(",");
                    }
                    p.zerobreak();
                } else {
                    p.trailing_comma(i + 1 == elems.len());
                }
            }
            p.offset(-INDENT);
            p.end();
            p.word(")");
        }
        Pat::TupleStruct(path, elems) => {
            p.word(path.clone());
            comma_list(p, "(", elems, pat, ")");
        }
        Pat::Struct(path, fields, rest) => {
            p.cbox(INDENT);
            p.word(path.clone());
            p.word(" {");
            p.space_if_nonempty();
            for (i, (member, field)) in fields.iter().enumerate() {
                if let Some(member) = member {
                    p.word(member.clone());
                    p.word(": ");
                }
                pat(p, field);
                p.trailing_comma_or_space(i + 1 == fields.len() && !rest);
            }
            if *rest {
                p.word("..");
                p.space();
            }
            p.offset(-INDENT);
            p.end();
            p.word("}");
        }
        Pat::Or(cases) => {
            let consistent = cases.iter().any(|c| !matches!(c, Pat::Lit(_) | Pat::Wild));
            if consistent {
                p.cbox(0);
            } else {
                p.ibox(0);
            }
            for (i, case) in cases.iter().enumerate() {
                if i > 0 {
                    p.space();
                    p.word("| ");
                }
                pat(p, case);
            }
            p.end();
        }
    }
}
