//! The line-breaking engine of prettyplease (an Oppen pretty printer: words, breaks and boxes),
//! for `direct`, which prints common items without syn. Adapted from prettyplease 0.2's
//! `algorithm.rs`, `ring.rs` and `convenience.rs` (MIT OR Apache-2.0, like this crate), itself
//! adapted from rustc's `pp.rs`: the same token sequence gives the same text, byte for byte,
//! which is what lets `direct` reproduce prettyplease's output (a differential test checks it).

use std::borrow::Cow;
use std::collections::VecDeque;

/// prettyplease's line width, indentation step and least room left on a line.
const MARGIN: isize = 89;
pub(super) const INDENT: isize = 4;
const MIN_SPACE: isize = 60;
const SIZE_INFINITY: isize = 0xffff;

#[derive(Clone, Copy, PartialEq)]
enum Breaks {
    Consistent,
    Inconsistent,
}

/// A break: where a line may end (prettyplease's `BreakToken`).
#[derive(Clone, Copy, Default)]
pub(super) struct BreakToken {
    pub(super) offset: isize,
    pub(super) blank_space: usize,
    pub(super) pre_break: Option<char>,
    pub(super) post_break: &'static str,
    pub(super) no_break: Option<char>,
    pub(super) if_nonempty: bool,
    pub(super) never_break: bool,
}

#[derive(Clone, Copy)]
struct BeginToken {
    offset: isize,
    breaks: Breaks,
}

enum Token {
    String(Cow<'static, str>),
    Break(BreakToken),
    Begin(BeginToken),
    End,
}

#[derive(Clone, Copy)]
enum Frame {
    Fits,
    Broken(usize, Breaks),
}

struct Entry {
    token: Token,
    size: isize,
}

/// Tokens in, text out: [`Printer::finish`] gives what prettyplease prints for the same calls.
pub(super) struct Printer {
    out: String,
    space: isize,
    buf: VecDeque<Entry>,
    /// Index, in an endless queue, of `buf[0]`.
    buf_offset: usize,
    left_total: isize,
    right_total: isize,
    scan_stack: VecDeque<usize>,
    print_stack: Vec<Frame>,
    indent: usize,
    pending_indentation: usize,
    /// Set by printing code that met a shape it does not print: the text is not to be used.
    failed: bool,
}

impl Printer {
    pub(super) fn new() -> Self {
        Printer {
            out: String::new(),
            space: MARGIN,
            buf: VecDeque::new(),
            buf_offset: 0,
            left_total: 0,
            right_total: 0,
            scan_stack: VecDeque::new(),
            print_stack: Vec::new(),
            indent: 0,
            pending_indentation: 0,
            failed: false,
        }
    }

    /// Marks the text as not to be used (see [`Printer::finish`]).
    pub(super) fn fail(&mut self) {
        self.failed = true;
    }

    /// The text, or `None` when the printing code called [`Printer::fail`].
    pub(super) fn finish(mut self) -> Option<String> {
        if self.failed {
            return None;
        }
        if !self.scan_stack.is_empty() {
            self.check_stack(0);
            self.advance_left();
        }
        Some(self.out)
    }

    // The ring buffer (prettyplease's `RingBuffer`).

    fn push(&mut self, entry: Entry) -> usize {
        let index = self.buf_offset + self.buf.len();
        self.buf.push_back(entry);
        index
    }

    fn entry(&mut self, index: usize) -> &mut Entry {
        &mut self.buf[index - self.buf_offset]
    }

    fn clear(&mut self) {
        self.buf.clear();
    }

    // The engine (prettyplease's `algorithm.rs`).

    fn scan_begin(&mut self, token: BeginToken) {
        if self.scan_stack.is_empty() {
            self.left_total = 1;
            self.right_total = 1;
            self.clear();
        }
        let right = self.push(Entry {
            token: Token::Begin(token),
            size: -self.right_total,
        });
        self.scan_stack.push_back(right);
    }

    fn scan_end(&mut self) {
        if self.scan_stack.is_empty() {
            self.print_end();
            return;
        }
        if let Some(Entry {
            token: Token::Break(token),
            ..
        }) = self.buf.back()
        {
            let token = *token;
            let len = self.buf.len();
            if len >= 2 && matches!(self.buf[len - 2].token, Token::Begin(_)) {
                self.buf.pop_back();
                self.buf.pop_back();
                self.scan_stack.pop_back();
                self.scan_stack.pop_back();
                self.right_total -= token.blank_space as isize;
                return;
            }
            if token.if_nonempty {
                self.buf.pop_back();
                self.scan_stack.pop_back();
                self.right_total -= token.blank_space as isize;
            }
        }
        let right = self.push(Entry {
            token: Token::End,
            size: -1,
        });
        self.scan_stack.push_back(right);
    }

    pub(super) fn scan_break(&mut self, token: BreakToken) {
        if self.scan_stack.is_empty() {
            self.left_total = 1;
            self.right_total = 1;
            self.clear();
        } else {
            self.check_stack(0);
        }
        let right = self.push(Entry {
            token: Token::Break(token),
            size: -self.right_total,
        });
        self.scan_stack.push_back(right);
        self.right_total += token.blank_space as isize;
    }

    fn scan_string(&mut self, string: Cow<'static, str>) {
        if self.scan_stack.is_empty() {
            self.print_string(&string);
        } else {
            let len = string.len() as isize;
            self.push(Entry {
                token: Token::String(string),
                size: len,
            });
            self.right_total += len;
            self.check_stream();
        }
    }

    /// Moves the last break (prettyplease's `offset`); only called right after a break or a
    /// box begins, as prettyplease does.
    pub(super) fn offset(&mut self, offset: isize) {
        if let Some(Entry {
            token: Token::Break(token),
            ..
        }) = self.buf.back_mut()
        {
            token.offset += offset;
        }
    }

    /// Ends a box, first making it too wide for one line if it is wider than `max`
    /// (prettyplease's `end_with_max_width`).
    pub(super) fn end_with_max_width(&mut self, max: isize) {
        let mut depth = 1;
        for &index in self.scan_stack.iter().rev() {
            let entry = &self.buf[index - self.buf_offset];
            match entry.token {
                Token::Begin(_) => {
                    depth -= 1;
                    if depth == 0 {
                        if entry.size < 0 && entry.size + self.right_total > max {
                            self.push(Entry {
                                token: Token::String(Cow::Borrowed("")),
                                size: SIZE_INFINITY,
                            });
                            self.right_total += SIZE_INFINITY;
                        }
                        break;
                    }
                }
                Token::End => depth += 1,
                Token::Break(_) | Token::String(_) => {}
            }
        }
        self.scan_end();
    }

    /// Whether the last word written ends with `ch`.
    pub(super) fn ends_with(&self, ch: char) -> bool {
        for entry in self.buf.iter().rev() {
            if let Token::String(token) = &entry.token {
                return token.ends_with(ch);
            }
        }
        self.out.ends_with(ch)
    }

    fn check_stream(&mut self) {
        while self.right_total - self.left_total > self.space {
            if self.scan_stack.front() == Some(&self.buf_offset) {
                self.scan_stack.pop_front();
                if let Some(first) = self.buf.front_mut() {
                    first.size = SIZE_INFINITY;
                }
            }
            self.advance_left();
            if self.buf.is_empty() {
                break;
            }
        }
    }

    fn advance_left(&mut self) {
        while self.buf.front().is_some_and(|first| first.size >= 0) {
            let Some(left) = self.buf.pop_front() else {
                break;
            };
            self.buf_offset += 1;
            match left.token {
                Token::String(string) => {
                    self.left_total += left.size;
                    self.print_string(&string);
                }
                Token::Break(token) => {
                    self.left_total += token.blank_space as isize;
                    self.print_break(token, left.size);
                }
                Token::Begin(token) => self.print_begin(token, left.size),
                Token::End => self.print_end(),
            }
        }
    }

    fn check_stack(&mut self, mut depth: usize) {
        while let Some(&index) = self.scan_stack.back() {
            let right_total = self.right_total;
            let entry = self.entry(index);
            match entry.token {
                Token::Begin(_) => {
                    if depth == 0 {
                        break;
                    }
                    entry.size += right_total;
                    self.scan_stack.pop_back();
                    depth -= 1;
                }
                Token::End => {
                    entry.size = 1;
                    self.scan_stack.pop_back();
                    depth += 1;
                }
                Token::Break(_) => {
                    entry.size += right_total;
                    self.scan_stack.pop_back();
                    if depth == 0 {
                        break;
                    }
                }
                Token::String(_) => unreachable!("strings are never on the scan stack"),
            }
        }
    }

    fn print_begin(&mut self, token: BeginToken, size: isize) {
        if size > self.space {
            self.print_stack
                .push(Frame::Broken(self.indent, token.breaks));
            self.indent = (self.indent as isize + token.offset).max(0) as usize;
        } else {
            self.print_stack.push(Frame::Fits);
        }
    }

    fn print_end(&mut self) {
        if let Some(Frame::Broken(indent, _)) = self.print_stack.pop() {
            self.indent = indent;
        }
    }

    fn print_break(&mut self, token: BreakToken, size: isize) {
        let top = self
            .print_stack
            .last()
            .copied()
            .unwrap_or(Frame::Broken(0, Breaks::Inconsistent));
        let fits = token.never_break
            || match top {
                Frame::Fits => true,
                Frame::Broken(.., Breaks::Consistent) => false,
                Frame::Broken(.., Breaks::Inconsistent) => size <= self.space,
            };
        if fits {
            self.pending_indentation += token.blank_space;
            self.space -= token.blank_space as isize;
            if let Some(no_break) = token.no_break {
                self.out.push(no_break);
                self.space -= no_break.len_utf8() as isize;
            }
        } else {
            if let Some(pre_break) = token.pre_break {
                self.print_indent();
                self.out.push(pre_break);
            }
            self.out.push('\n');
            let indent = self.indent as isize + token.offset;
            self.pending_indentation = indent.max(0) as usize;
            self.space = (MARGIN - indent).max(MIN_SPACE);
            if !token.post_break.is_empty() {
                self.print_indent();
                self.out.push_str(token.post_break);
                self.space -= token.post_break.len() as isize;
            }
        }
    }

    fn print_string(&mut self, string: &str) {
        self.print_indent();
        self.out.push_str(string);
        self.space -= string.len() as isize;
    }

    fn print_indent(&mut self) {
        self.out
            .extend(std::iter::repeat_n(' ', self.pending_indentation));
        self.pending_indentation = 0;
    }

    // The calls printing code makes (prettyplease's `convenience.rs`).

    pub(super) fn ibox(&mut self, indent: isize) {
        self.scan_begin(BeginToken {
            offset: indent,
            breaks: Breaks::Inconsistent,
        });
    }

    pub(super) fn cbox(&mut self, indent: isize) {
        self.scan_begin(BeginToken {
            offset: indent,
            breaks: Breaks::Consistent,
        });
    }

    pub(super) fn end(&mut self) {
        self.scan_end();
    }

    pub(super) fn word(&mut self, word: impl Into<Cow<'static, str>>) {
        self.scan_string(word.into());
    }

    fn spaces(&mut self, n: usize) {
        self.scan_break(BreakToken {
            blank_space: n,
            ..BreakToken::default()
        });
    }

    pub(super) fn zerobreak(&mut self) {
        self.spaces(0);
    }

    pub(super) fn space(&mut self) {
        self.spaces(1);
    }

    pub(super) fn nbsp(&mut self) {
        self.word(" ");
    }

    pub(super) fn hardbreak(&mut self) {
        self.spaces(SIZE_INFINITY as usize);
    }

    pub(super) fn space_if_nonempty(&mut self) {
        self.scan_break(BreakToken {
            blank_space: 1,
            if_nonempty: true,
            ..BreakToken::default()
        });
    }

    pub(super) fn hardbreak_if_nonempty(&mut self) {
        self.scan_break(BreakToken {
            blank_space: SIZE_INFINITY as usize,
            if_nonempty: true,
            ..BreakToken::default()
        });
    }

    pub(super) fn trailing_comma(&mut self, is_last: bool) {
        if is_last {
            self.scan_break(BreakToken {
                pre_break: Some(','),
                ..BreakToken::default()
            });
        } else {
            self.word(",");
            self.space();
        }
    }

    pub(super) fn trailing_comma_or_space(&mut self, is_last: bool) {
        if is_last {
            self.scan_break(BreakToken {
                blank_space: 1,
                pre_break: Some(','),
                ..BreakToken::default()
            });
        } else {
            self.word(",");
            self.space();
        }
    }

    pub(super) fn neverbreak(&mut self) {
        self.scan_break(BreakToken {
            never_break: true,
            ..BreakToken::default()
        });
    }
}
