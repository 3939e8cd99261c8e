//! Function bodies read from their tokens into a small tree, for `direct_expr` to print: the
//! expressions and statements generated code uses (paths, with generic arguments too,
//! literals, calls, method chains, fields, `?`, `.await`, references, arrays, tuples, struct
//! literals, closures, `async` ones too, `match`, assignments, `let` and `let ... else`,
//! `return`; patterns are `pat_tree`'s). Anything else (binary operators, macros, `if`,
//! casts, ranges, labels, attributes on expressions, ...) gives `None`: the item then goes to
//! syn and prettyplease. Where syn would need parentheses prettyplease adds (a `match` as a method's
//! receiver, a struct literal as a `match` scrutinee), the reading gives `None` too, so what is
//! read prints without any.

use proc_macro2::{Delimiter, Spacing, TokenTree};

use super::cursor::Cursor;
use super::pat_tree::{pat_single, Pat};

/// An expression.
pub(super) enum Expr {
    /// A path without generic arguments (`self`, `None`, `::a::B`), as one word.
    Path(String),
    /// A path with generic arguments (`a::f::<T>`): its tokens.
    GenericPath(Vec<TokenTree>),
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
    /// `async`?, `move`?, the parameters, the body (no return type).
    Closure(bool, bool, Vec<Pat>, Box<Expr>),
    Return(Option<Box<Expr>>),
    Match(Box<Expr>, Vec<(Pat, Expr)>),
    Assign(Box<Expr>, Box<Expr>),
    Block(Vec<Stmt>),
}

/// A statement.
pub(super) enum Stmt {
    /// An expression, and whether a `;` follows it.
    Expr(Expr, bool),
    /// `let pattern = init;` (the pattern may be `name: Type`), or
    /// `let pattern = init else { ... };`.
    Let(Pat, Expr, Option<Vec<Stmt>>),
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
            let mut pat = pat_single(&mut c)?;
            if c.eat_punct(':') {
                pat = Pat::Type(Box::new(pat), type_tokens(&mut c)?);
            }
            if !c.eat_punct('=') {
                return None;
            }
            let init = expr(&mut c, false)?;
            let diverge = if c.eat_ident("else") {
                // prettyplease parenthesises an initialiser ending in `}` here.
                if !matches!(
                    init,
                    Expr::Tuple(_)
                        | Expr::Call(..)
                        | Expr::Method(..)
                        | Expr::Path(_)
                        | Expr::Try(_)
                ) {
                    return None;
                }
                Some(block(&c.group(Delimiter::Brace)?)?)
            } else {
                None
            };
            if !c.eat_punct(';') {
                return None;
            }
            stmts.push(Stmt::Let(pat, init, diverge));
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
        Some(TokenTree::Punct(p)) => matches!(p.as_char(), ',' | ';') || c.is_fat_arrow(),
        Some(TokenTree::Group(g)) => g.delimiter() == Delimiter::Brace,
        // `let ... else`.
        Some(TokenTree::Ident(i)) => i == "else",
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
            if matches!(
                inner,
                Expr::Closure(..) | Expr::Assign(..) | Expr::Return(_)
            ) {
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
                Expr::Closure(..) | Expr::Reference(..) | Expr::Unary(..) | Expr::Return(_)
            ) {
                return None;
            }
            Some(Expr::Unary(op, Box::new(inner)))
        }
        '|' => closure(c, false, false, no_struct),
        _ => postfix(c, no_struct),
    }
}

fn closure(c: &mut Cursor<'_>, asyncness: bool, moves: bool, no_struct: bool) -> Option<Expr> {
    let mut inputs = Vec::new();
    // `||`: a joint `|` then `|`.
    let empty = matches!(c.peek(), Some(TokenTree::Punct(p)) if p.spacing() == Spacing::Joint)
        && matches!(c.peek_at(1), Some(TokenTree::Punct(p)) if p.as_char() == '|');
    c.next();
    if empty {
        c.next();
    } else {
        while !c.eat_punct('|') {
            let input = pat_single(c)?;
            inputs.push(if c.eat_punct(':') {
                Pat::Type(Box::new(input), type_tokens(c)?)
            } else {
                input
            });
            if !c.eat_punct(',') && !c.is_punct('|') {
                return None;
            }
        }
    }
    if c.is_punct('-') {
        return None;
    }
    let body = unary(c, no_struct)?;
    Some(Expr::Closure(asyncness, moves, inputs, Box::new(body)))
}

/// A closure parameter's or a `let`'s type: the tokens up to the `,`, `|` or `=` after it
/// (outside `<...>`).
fn type_tokens(c: &mut Cursor<'_>) -> Option<Vec<TokenTree>> {
    let start = c.pos;
    let mut depth = 0usize;
    while let Some(tree) = c.peek() {
        if let TokenTree::Punct(p) = tree {
            match p.as_char() {
                '<' => depth += 1,
                '>' if depth > 0 => depth -= 1,
                '-' if p.spacing() == Spacing::Joint => c.pos += 1,
                ',' | '|' if depth == 0 => break,
                '=' if depth == 0 && p.spacing() == Spacing::Alone => break,
                _ => {}
            }
        }
        c.pos += 1;
    }
    (c.pos > start && depth == 0).then(|| c.trees[start..c.pos].to_vec())
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
                if !matches!(e, Expr::Path(_) | Expr::GenericPath(_)) {
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
        TokenTree::Ident(i) if i == "move" || i == "async" => {
            c.next();
            let asyncness = i == "async";
            let moves = !asyncness || c.eat_ident("move");
            if !c.is_punct('|') {
                return None;
            }
            closure(c, asyncness, moves, no_struct)
        }
        TokenTree::Ident(i) if i == "return" => {
            c.next();
            if ended(c) {
                return Some(Expr::Return(None));
            }
            let value = expr(c, no_struct)?;
            if matches!(value, Expr::Match(..) | Expr::Block(_)) {
                return None;
            }
            Some(Expr::Return(Some(Box::new(value))))
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
    let start = c.pos;
    let mut path = String::new();
    if c.eat_path_sep() {
        path.push_str("::");
    }
    path.push_str(&c.ident()?);
    while c.is_path_sep() {
        if matches!(c.peek_at(2), Some(TokenTree::Punct(p)) if p.as_char() == '<') {
            return generic_path(c, start);
        }
        c.pos += 2;
        path.push_str("::");
        path.push_str(&c.ident()?);
    }
    // A macro call.
    if c.is_punct('!') {
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

/// The rest of a path with generic arguments begun at `start` (`a::f::<T>::g`), up to its
/// end; not followed by a struct literal's or a macro's body.
fn generic_path(c: &mut Cursor<'_>, start: usize) -> Option<Expr> {
    while c.eat_path_sep() {
        if c.eat_punct('<') {
            let mut depth = 1usize;
            while depth > 0 {
                match c.next()? {
                    TokenTree::Punct(p) if p.as_char() == '<' => depth += 1,
                    TokenTree::Punct(p) if p.as_char() == '>' => depth -= 1,
                    TokenTree::Punct(p) if p.as_char() == '-' && p.spacing() == Spacing::Joint => {
                        c.next();
                    }
                    _ => {}
                }
            }
        } else {
            c.ident()?;
        }
    }
    match c.peek() {
        Some(TokenTree::Group(g)) if g.delimiter() == Delimiter::Brace => None,
        Some(TokenTree::Punct(p)) if p.as_char() == '!' => None,
        _ => Some(Expr::GenericPath(c.trees[start..c.pos].to_vec())),
    }
}

/// A struct literal's fields, and what follows `..` at their end.
#[allow(clippy::type_complexity)]
fn fields(trees: &[TokenTree]) -> Option<(Vec<(String, Option<Expr>)>, Option<Box<Expr>>)> {
    let mut c = Cursor::new(trees);
    let mut out = Vec::new();
    while !c.done() {
        if c.is_dot_dot() {
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
        if !c.is_fat_arrow() {
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
