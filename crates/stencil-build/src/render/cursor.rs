//! A cursor over token trees, for `direct`'s printing code: it reads the generated tokens
//! as far as it recognises them (anything else ends the attempt).

use proc_macro2::{Delimiter, Spacing, TokenTree};

/// A position in a sequence of token trees.
pub(super) struct Cursor<'a> {
    pub(super) trees: &'a [TokenTree],
    pub(super) pos: usize,
}

impl<'a> Cursor<'a> {
    pub(super) fn new(trees: &'a [TokenTree]) -> Self {
        Cursor { trees, pos: 0 }
    }

    pub(super) fn done(&self) -> bool {
        self.pos >= self.trees.len()
    }

    pub(super) fn peek(&self) -> Option<&'a TokenTree> {
        self.trees.get(self.pos)
    }

    pub(super) fn peek_at(&self, ahead: usize) -> Option<&'a TokenTree> {
        self.trees.get(self.pos + ahead)
    }

    pub(super) fn next(&mut self) -> Option<&'a TokenTree> {
        let tree = self.trees.get(self.pos)?;
        self.pos += 1;
        Some(tree)
    }

    pub(super) fn is_punct(&self, ch: char) -> bool {
        matches!(self.peek(), Some(TokenTree::Punct(p)) if p.as_char() == ch)
    }

    pub(super) fn is_ident(&self, word: &str) -> bool {
        matches!(self.peek(), Some(TokenTree::Ident(i)) if i == word)
    }

    pub(super) fn eat_punct(&mut self, ch: char) -> bool {
        let yes = self.is_punct(ch);
        self.pos += usize::from(yes);
        yes
    }

    pub(super) fn eat_ident(&mut self, word: &str) -> bool {
        let yes = self.is_ident(word);
        self.pos += usize::from(yes);
        yes
    }

    /// `::` (two `:` puncts, the first joint).
    pub(super) fn is_path_sep(&self) -> bool {
        matches!(
            (self.peek(), self.peek_at(1)),
            (Some(TokenTree::Punct(a)), Some(TokenTree::Punct(b)))
                if a.as_char() == ':' && a.spacing() == Spacing::Joint && b.as_char() == ':'
        )
    }

    pub(super) fn eat_path_sep(&mut self) -> bool {
        let yes = self.is_path_sep();
        self.pos += 2 * usize::from(yes);
        yes
    }

    pub(super) fn ident(&mut self) -> Option<String> {
        match self.next()? {
            TokenTree::Ident(i) => Some(i.to_string()),
            _ => None,
        }
    }

    /// `a::b::c` or `::a::b` (no generic arguments), as written.
    pub(super) fn simple_path(&mut self) -> Option<String> {
        let mut path = String::new();
        if self.eat_path_sep() {
            path.push_str("::");
        }
        path.push_str(&self.ident()?);
        while self.eat_path_sep() {
            path.push_str("::");
            path.push_str(&self.ident()?);
        }
        Some(path)
    }

    pub(super) fn group(&mut self, delimiter: Delimiter) -> Option<Vec<TokenTree>> {
        match self.next()? {
            TokenTree::Group(g) if g.delimiter() == delimiter => {
                Some(g.stream().into_iter().collect())
            }
            _ => None,
        }
    }

    /// A lifetime (`'a`): its text.
    pub(super) fn lifetime(&mut self) -> Option<String> {
        match (self.peek()?, self.peek_at(1)?) {
            (TokenTree::Punct(q), TokenTree::Ident(name))
                if q.as_char() == '\'' && q.spacing() == Spacing::Joint =>
            {
                self.pos += 2;
                Some(format!("'{name}"))
            }
            _ => None,
        }
    }

    pub(super) fn is_lifetime(&self) -> bool {
        self.is_punct('\'')
    }

    /// Whether the cursor is at `=>`.
    pub(super) fn is_fat_arrow(&self) -> bool {
        matches!(
            (self.peek(), self.peek_at(1)),
            (Some(TokenTree::Punct(a)), Some(TokenTree::Punct(b)))
                if a.as_char() == '=' && a.spacing() == Spacing::Joint && b.as_char() == '>'
        )
    }

    /// Whether the cursor is at `..` (not `..=`, not `...`).
    pub(super) fn is_dot_dot(&self) -> bool {
        matches!(
            (self.peek(), self.peek_at(1)),
            (Some(TokenTree::Punct(a)), Some(TokenTree::Punct(b)))
                if a.as_char() == '.' && a.spacing() == Spacing::Joint
                    && b.as_char() == '.' && b.spacing() == Spacing::Alone
        )
    }

    /// Whether the cursor is at `..=`.
    pub(super) fn is_dot_dot_eq(&self) -> bool {
        matches!(
            (self.peek(), self.peek_at(1), self.peek_at(2)),
            (Some(TokenTree::Punct(a)), Some(TokenTree::Punct(b)), Some(TokenTree::Punct(d)))
                if a.as_char() == '.' && a.spacing() == Spacing::Joint
                    && b.as_char() == '.' && b.spacing() == Spacing::Joint
                    && d.as_char() == '=' && d.spacing() == Spacing::Alone
        )
    }
}
