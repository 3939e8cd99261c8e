//! Function bodies read from their tokens into a small tree, for `direct_expr` to print: the
//! expressions, statements and patterns generated code uses (paths, literals, calls, method
//! chains, fields, `?`, `.await`, references, arrays, tuples, struct literals, closures,
//! `match`, assignments, `let`). Anything else (binary operators, macros, `if`, casts,
//! ranges, labels, attributes on expressions, ...) gives `None`: the item then goes to syn and
//! prettyplease. Where syn would need parentheses prettyplease adds (a `match` as a method's
//! receiver, a struct literal as a `match` scrutinee), the reading gives `None` too, so what is
//! read prints without any.

use proc_macro2::{Delimiter, Spacing, TokenTree};

use super::cursor::Cursor;

/// An expression.
pub(super) enum Expr {
    /// A path without generic arguments (`self`, `None`, `::a::B`), as one word.
    Path(String),
    /// A literal, and whether prettyplease's `simple_array` counts it as simple (integers,
    /// booleans, characters, bytes).
    Lit(String, bool),
    Unary(&'static str, Box<Expr>),
    Reference(bool, Box<Expr>),
    Call(Box<Expr>, Vec<Expr>),
    Method(Box<Expr>, String, Vec<Expr>),
    Field(Box<Expr>, String),
    Try(Box<Expr>),
    Await(Box<Expr>),
    Array(Vec<Expr>),
    Tuple(Vec<Expr>),
    Paren(Box<Expr>),
    /// `Path { member: value, shorthand, ..rest }`.
    Struct(String, Vec<(String, Option<Expr>)>, Option<Box<Expr>>),
    /// `move`?, the parameters, the body (no return type).
    Closure(bool, Vec<Pat>, Box<Expr>),
    Match(Box<Expr>, Vec<(Pat, Expr)>),
    Assign(Box<Expr>, Box<Expr>),
    Block(Vec<Stmt>),
}

/// A statement.
pub(super) enum Stmt {
    /// An expression, and whether a `;` follows it.
    Expr(Expr, bool),
    /// `let pattern = init;` (no type, no `else`).
    Let(Pat, Expr),
}

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
}

/// Keywords that start or continue expressions this reading does not handle.
const UNHANDLED: &[&str] = &[
    "if", "let", "loop", "while", "for", "return", "break", "continue", "async", "unsafe", "const",
    "static", "as", "in", "ref", "box", "yield", "dyn", "impl", "else", "where", "fn", "struct",
    "enum", "type", "use", "mod", "trait", "pub", "become", "do", "try", "macro",
];

/// The statements of a block body, all of it.
pub(super) fn block(trees: &[TokenTree]) -> Option<Vec<Stmt>> {
    let mut c = Cursor::new(trees);
    let mut stmts = Vec::new();
    while !c.done() {
        if c.eat_ident("let") {
            let pat = pat_single(&mut c)?;
            if !c.eat_punct('=') {
                return None;
            }
            let init = expr(&mut c, false)?;
            if !c.eat_punct(';') {
                return None;
            }
            stmts.push(Stmt::Let(pat, init));
            continue;
        }
        if c.is_punct('#') || c.is_punct(';') {
            return None;
        }
        let e = expr(&mut c, false)?;
        if c.eat_punct(';') {
            stmts.push(Stmt::Expr(e, true));
        } else if c.done() || matches!(e, Expr::Match(..) | Expr::Block(_)) {
            stmts.push(Stmt::Expr(e, false));
        } else {
            return None;
        }
    }
    Some(stmts)
}

/// Whether the cursor is at `=>`.
fn is_fat_arrow(c: &Cursor<'_>) -> bool {
    matches!(
        (c.peek(), c.peek_at(1)),
        (Some(TokenTree::Punct(a)), Some(TokenTree::Punct(b)))
            if a.as_char() == '=' && a.spacing() == Spacing::Joint && b.as_char() == '>'
    )
}

/// An expression, up to a `,`, `;`, `=>` or the end (which must follow: any operator
/// there is not handled). `no_struct`: a `{` after a path is not a struct literal (a
/// `match` scrutinee).
pub(super) fn expr(c: &mut Cursor<'_>, no_struct: bool) -> Option<Expr> {
    let left = unary(c, no_struct)?;
    if matches!(left, Expr::Match(..) | Expr::Block(_)) {
        // Ends a statement or an arm without a `,` or `;`.
        return Some(left);
    }
    let assign = matches!(c.peek(), Some(TokenTree::Punct(eq))
        if eq.as_char() == '=' && eq.spacing() == Spacing::Alone);
    if assign {
        if !matches!(left, Expr::Path(_) | Expr::Field(..)) {
            return None;
        }
        c.next();
        let right = unary(c, no_struct)?;
        return ended(c).then(|| Expr::Assign(Box::new(left), Box::new(right)));
    }
    ended(c).then_some(left)
}

/// Whether an expression may end here.
fn ended(c: &Cursor<'_>) -> bool {
    match c.peek() {
        None => true,
        Some(TokenTree::Punct(p)) => matches!(p.as_char(), ',' | ';') || is_fat_arrow(c),
        Some(TokenTree::Group(g)) => g.delimiter() == Delimiter::Brace,
        _ => false,
    }
}

fn unary(c: &mut Cursor<'_>, no_struct: bool) -> Option<Expr> {
    let Some(TokenTree::Punct(p)) = c.peek() else {
        return postfix(c, no_struct);
    };
    match p.as_char() {
        '&' => {
            c.next();
            let mutable = c.eat_ident("mut");
            let inner = unary(c, no_struct)?;
            if matches!(inner, Expr::Closure(..) | Expr::Assign(..)) {
                return None;
            }
            Some(Expr::Reference(mutable, Box::new(inner)))
        }
        '-' | '!' | '*' if p.spacing() == Spacing::Alone => {
            c.next();
            let op = match p.as_char() {
                '-' => "-",
                '!' => "!",
                _ => "*",
            };
            let inner = unary(c, no_struct)?;
            if matches!(
                inner,
                Expr::Closure(..) | Expr::Reference(..) | Expr::Unary(..)
            ) {
                return None;
            }
            Some(Expr::Unary(op, Box::new(inner)))
        }
        '|' => closure(c, false, no_struct),
        _ => postfix(c, no_struct),
    }
}

fn closure(c: &mut Cursor<'_>, moves: bool, no_struct: bool) -> Option<Expr> {
    let mut inputs = Vec::new();
    // `||`: a joint `|` then `|`.
    let empty = matches!(c.peek(), Some(TokenTree::Punct(p)) if p.spacing() == Spacing::Joint)
        && matches!(c.peek_at(1), Some(TokenTree::Punct(p)) if p.as_char() == '|');
    c.next();
    if empty {
        c.next();
    } else {
        while !c.eat_punct('|') {
            inputs.push(pat_single(c)?);
            if !c.eat_punct(',') && !c.is_punct('|') {
                return None;
            }
        }
    }
    if c.is_punct('-') {
        return None;
    }
    let body = unary(c, no_struct)?;
    Some(Expr::Closure(moves, inputs, Box::new(body)))
}

fn postfix(c: &mut Cursor<'_>, no_struct: bool) -> Option<Expr> {
    let mut e = primary(c, no_struct)?;
    loop {
        match c.peek() {
            Some(TokenTree::Punct(p)) if p.as_char() == '.' && p.spacing() == Spacing::Alone => {
                if matches!(e, Expr::Match(..) | Expr::Block(_)) {
                    return None;
                }
                c.next();
                match c.next()? {
                    TokenTree::Ident(i) if i == "await" => e = Expr::Await(Box::new(e)),
                    TokenTree::Ident(i) => {
                        let name = i.to_string();
                        match c.peek() {
                            Some(TokenTree::Group(g))
                                if g.delimiter() == Delimiter::Parenthesis =>
                            {
                                c.next();
                                let args: Vec<TokenTree> = g.stream().into_iter().collect();
                                e = Expr::Method(Box::new(e), name, list(&args)?.0);
                            }
                            _ if c.is_path_sep() => return None,
                            _ => e = Expr::Field(Box::new(e), name),
                        }
                    }
                    TokenTree::Literal(l) => {
                        let index = l.to_string();
                        if !index.bytes().all(|b| b.is_ascii_digit()) {
                            return None;
                        }
                        e = Expr::Field(Box::new(e), index);
                    }
                    _ => return None,
                }
            }
            Some(TokenTree::Punct(p)) if p.as_char() == '?' => {
                if matches!(e, Expr::Match(..) | Expr::Block(_)) {
                    return None;
                }
                c.next();
                e = Expr::Try(Box::new(e));
            }
            Some(TokenTree::Group(g)) if g.delimiter() == Delimiter::Parenthesis => {
                if !matches!(e, Expr::Path(_)) {
                    return None;
                }
                c.next();
                let args: Vec<TokenTree> = g.stream().into_iter().collect();
                e = Expr::Call(Box::new(e), list(&args)?.0);
            }
            Some(TokenTree::Group(g)) if g.delimiter() == Delimiter::Bracket => return None,
            _ => return Some(e),
        }
    }
}

/// Comma-separated expressions (all of `trees`), and whether a comma ends them.
fn list(trees: &[TokenTree]) -> Option<(Vec<Expr>, bool)> {
    let mut c = Cursor::new(trees);
    let mut items = Vec::new();
    let mut trailing = false;
    while !c.done() {
        items.push(expr(&mut c, false)?);
        trailing = c.eat_punct(',');
        if !trailing && !c.done() {
            return None;
        }
    }
    Some((items, trailing))
}

fn primary(c: &mut Cursor<'_>, no_struct: bool) -> Option<Expr> {
    match c.peek()? {
        TokenTree::Literal(l) => {
            c.next();
            let text = l.to_string();
            let simple = literal_is_simple(&text);
            Some(Expr::Lit(text, simple))
        }
        TokenTree::Ident(i) if i == "true" || i == "false" => {
            c.next();
            Some(Expr::Lit(i.to_string(), true))
        }
        TokenTree::Ident(i) if i == "match" => {
            c.next();
            let scrutinee = expr(c, true)?;
            if matches!(
                scrutinee,
                Expr::Struct(..) | Expr::Closure(..) | Expr::Assign(..)
            ) {
                return None;
            }
            let body = c.group(Delimiter::Brace)?;
            Some(Expr::Match(Box::new(scrutinee), arms(&body)?))
        }
        TokenTree::Ident(i) if i == "move" => {
            c.next();
            if !c.is_punct('|') {
                return None;
            }
            closure(c, true, no_struct)
        }
        TokenTree::Ident(i) if UNHANDLED.contains(&i.to_string().as_str()) => None,
        TokenTree::Ident(_) => path_or_struct(c, no_struct),
        TokenTree::Punct(_) if c.is_path_sep() => path_or_struct(c, no_struct),
        TokenTree::Group(g) => {
            let inner: Vec<TokenTree> = g.stream().into_iter().collect();
            let delimiter = g.delimiter();
            c.next();
            match delimiter {
                Delimiter::Parenthesis => {
                    let (mut items, trailing) = list(&inner)?;
                    if items.len() == 1 && !trailing {
                        items.pop().map(|e| Expr::Paren(Box::new(e)))
                    } else {
                        Some(Expr::Tuple(items))
                    }
                }
                Delimiter::Bracket => Some(Expr::Array(list(&inner)?.0)),
                Delimiter::Brace => Some(Expr::Block(block(&inner)?)),
                Delimiter::None => None,
            }
        }
        _ => None,
    }
}

/// prettyplease's `simple_array` elements: integer, boolean, character and byte literals.
fn literal_is_simple(text: &str) -> bool {
    let bytes = text.as_bytes();
    match bytes.first() {
        Some(b'\'') => true,
        Some(b'b') => bytes.get(1) == Some(&b'\''),
        Some(b'0'..=b'9') => {
            let radix = text.starts_with("0x") || text.starts_with("0o") || text.starts_with("0b");
            radix
                || !(text.contains(['.', 'e', 'E'])
                    || text.ends_with("f32")
                    || text.ends_with("f64"))
        }
        _ => false,
    }
}

fn path_or_struct(c: &mut Cursor<'_>, no_struct: bool) -> Option<Expr> {
    let path = c.simple_path()?;
    // A macro call, or a turbofish (`a::<T>`, which `simple_path` stops before).
    if c.is_punct('!') || c.is_path_sep() {
        return None;
    }
    match c.peek() {
        Some(TokenTree::Group(g)) if g.delimiter() == Delimiter::Brace && !no_struct => {
            let body: Vec<TokenTree> = g.stream().into_iter().collect();
            c.next();
            let (fields, rest) = fields(&body)?;
            Some(Expr::Struct(path, fields, rest))
        }
        _ => Some(Expr::Path(path)),
    }
}

/// A struct literal's fields, and what follows `..` at their end.
#[allow(clippy::type_complexity)]
fn fields(trees: &[TokenTree]) -> Option<(Vec<(String, Option<Expr>)>, Option<Box<Expr>>)> {
    let mut c = Cursor::new(trees);
    let mut out = Vec::new();
    while !c.done() {
        if is_dot_dot(&c) {
            c.pos += 2;
            let rest = expr(&mut c, false)?;
            return c.done().then(|| (out, Some(Box::new(rest))));
        }
        let member = match c.next()? {
            TokenTree::Ident(i) => i.to_string(),
            TokenTree::Literal(l) => l.to_string(),
            _ => return None,
        };
        let value = if c.eat_punct(':') {
            Some(expr(&mut c, false)?)
        } else {
            None
        };
        out.push((member, value));
        if !c.eat_punct(',') && !c.done() {
            return None;
        }
    }
    Some((out, None))
}

/// Whether the cursor is at `..` (not `..=`, not `...`).
fn is_dot_dot(c: &Cursor<'_>) -> bool {
    matches!(
        (c.peek(), c.peek_at(1)),
        (Some(TokenTree::Punct(a)), Some(TokenTree::Punct(b)))
            if a.as_char() == '.' && a.spacing() == Spacing::Joint
                && b.as_char() == '.' && b.spacing() == Spacing::Alone
    )
}

/// Whether the cursor is at `..=`.
fn is_dot_dot_eq(c: &Cursor<'_>) -> bool {
    matches!(
        (c.peek(), c.peek_at(1), c.peek_at(2)),
        (Some(TokenTree::Punct(a)), Some(TokenTree::Punct(b)), Some(TokenTree::Punct(d)))
            if a.as_char() == '.' && a.spacing() == Spacing::Joint
                && b.as_char() == '.' && b.spacing() == Spacing::Joint
                && d.as_char() == '=' && d.spacing() == Spacing::Alone
    )
}

/// A `match` body's arms (no guards, no attributes).
fn arms(trees: &[TokenTree]) -> Option<Vec<(Pat, Expr)>> {
    let mut c = Cursor::new(trees);
    let mut out = Vec::new();
    while !c.done() {
        let mut cases = vec![pat_single(&mut c)?];
        while c.eat_punct('|') {
            cases.push(pat_single(&mut c)?);
        }
        let pat = if cases.len() == 1 {
            cases.pop()?
        } else {
            Pat::Or(cases)
        };
        if !is_fat_arrow(&c) {
            return None;
        }
        c.pos += 2;
        let body = expr(&mut c, false)?;
        let blocklike = matches!(body, Expr::Match(..) | Expr::Block(_));
        if !c.eat_punct(',') && !c.done() && !blocklike {
            return None;
        }
        out.push((pat, body));
    }
    Some(out)
}

/// A pattern without a top-level `|`.
fn pat_single(c: &mut Cursor<'_>) -> Option<Pat> {
    match c.peek()? {
        TokenTree::Literal(l) => {
            c.next();
            if !is_dot_dot_eq(c) {
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
        TokenTree::Ident(_) => {
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
        if is_dot_dot(&c) {
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
