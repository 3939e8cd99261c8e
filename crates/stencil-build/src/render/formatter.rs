//! The renderer's [`Sink`]: formats a part's items as the emitter gives them, a few at a time,
//! and keeps only text. The emitter and the formatter take turns on one thread, so the tokens
//! of a few operations are alive at a time instead of the whole part's, and the heap stays
//! small (Microsoft Graph's document: see `notes/generation.md`).
//!
//! The text is exactly what formatting the collected tokens whole gives ([`super::render_part`]
//! of [`crate::emit::Collect`]'s stream): items format independently of their neighbours, the
//! items of a block are formatted inside throwaway blocks of the kinds they stand in
//! (`chunks::Wrapper`: modules, traits, impl blocks), and the tests compare the two on every
//! fixture.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use proc_macro2::TokenStream;

use super::chunks::{self, Wrapper};
use super::Piece;
use crate::emit::{Reserved, Sink};
use crate::progress::Progress;

/// How many [`Sink::items`] calls are formatted together (each is a type, or an operation's
/// items). Measured on Microsoft Graph's document (2 cores): 4 → 9.5–9.8 s, 32 → 10.3–10.9 s,
/// 256 → 11.4–11.8 s; OpenAI's is the same from 4 to 32.
const BATCH: usize = 4;

/// Nanoseconds spent formatting (syn and prettyplease), summed over threads, since the process
/// began: benchmarks read it around a run to split its time between emitting and formatting.
static FORMAT_NANOS: AtomicU64 = AtomicU64::new(0);

/// Time spent formatting so far, summed over every thread (for the benchmark).
pub fn format_time() -> Duration {
    Duration::from_nanos(FORMAT_NANOS.load(Ordering::Relaxed))
}

/// A sink that formats (or, with `format == false`, prints unformatted) what it is given.
pub struct Formatter {
    format: bool,
    /// Where finished types and operations are counted.
    progress: Option<Progress>,
    /// The blocks (modules, traits, impls) the items given now stand in, outermost first.
    wrappers: Vec<Wrapper>,
    pending: Vec<TokenStream>,
    text: String,
    /// Reserved positions: where in `text`, in which blocks, and the text filled in.
    slots: Vec<(usize, Vec<Wrapper>, String)>,
    /// Each block opened here and not yet closed: where its body begins in `text`, and the
    /// slots reserved before it.
    open: Vec<(usize, usize)>,
    /// Blocks closed with nothing in them but slots: the text of `{` to the end of `}`, and the
    /// range of slots inside. They become `{}` if those slots stay empty.
    empty: Vec<(std::ops::Range<usize>, std::ops::Range<usize>)>,
    error: Option<String>,
}

impl Formatter {
    pub fn new(format: bool) -> Self {
        Formatter {
            format,
            progress: None,
            wrappers: Vec::new(),
            pending: Vec::new(),
            text: String::new(),
            slots: Vec::new(),
            open: Vec::new(),
            empty: Vec::new(),
            error: None,
        }
    }

    /// Count the types and operations made into `progress`.
    pub fn counting(mut self, progress: Progress) -> Self {
        self.progress = Some(progress);
        self
    }

    /// The text, blank lines between items; an error if the tokens were not Rust (a bug).
    pub fn finish(mut self) -> Result<Piece, String> {
        self.flush();
        while !self.open.is_empty() {
            self.close();
        }
        if let Some(error) = self.error {
            return Err(error);
        }
        // Edits from the end of the text back, so that earlier offsets stay valid.
        enum Edit {
            Insert(String),
            Empty(usize),
        }
        let mut edits: Vec<(usize, Edit)> = Vec::new();
        for (braces, inside) in self.empty {
            if self.slots[inside]
                .iter()
                .all(|(_, _, text)| text.is_empty())
            {
                edits.push((braces.start, Edit::Empty(braces.end)));
            }
        }
        for (at, _, text) in self.slots {
            if !text.is_empty() {
                edits.push((at, Edit::Insert(text)));
            }
        }
        edits.sort_by_key(|(at, _)| std::cmp::Reverse(*at));
        let mut text = self.text;
        for (at, edit) in edits {
            match edit {
                Edit::Insert(inserted) => text.insert_str(at, &inserted),
                // As prettyplease and `TokenStream`'s printer write an empty module.
                Edit::Empty(end) => {
                    text.replace_range(at..end, if self.format { "{}\n" } else { "{ }\n" });
                }
            }
        }
        if !self.format {
            return Ok(Piece {
                text,
                ends_item: true,
            });
        }
        let (text, ends_item) = super::space_items(&text);
        Ok(Piece { text, ends_item })
    }

    fn flush(&mut self) {
        if self.pending.is_empty() {
            return;
        }
        let tokens: TokenStream = std::mem::take(&mut self.pending).into_iter().collect();
        let wrappers = self.wrappers.clone();
        let text = self.items_text(tokens, &wrappers);
        self.text.push_str(&text);
    }

    /// `tokens`' items as text, standing in `wrappers`.
    fn items_text(&mut self, tokens: TokenStream, wrappers: &[Wrapper]) -> String {
        let mut text = String::new();
        if self.error.is_some() {
            return text;
        }
        if !self.format {
            super::unformatted_items(tokens, &mut text);
            return text;
        }
        let start = Instant::now();
        let how = chunks::How {
            chunk_items: chunks::CHUNK_ITEMS,
            direct: true,
        };
        if let Err(error) = chunks::items_text(tokens, wrappers, how, &mut text) {
            self.error = Some(error);
        }
        count(start);
        text
    }
}

fn count(start: Instant) {
    let nanos = u64::try_from(start.elapsed().as_nanos()).unwrap_or(u64::MAX);
    FORMAT_NANOS.fetch_add(nanos, Ordering::Relaxed);
}

impl Sink for Formatter {
    fn done(&mut self) {
        if let Some(progress) = &self.progress {
            progress.advance();
        }
    }

    fn items(&mut self, tokens: TokenStream) {
        if tokens.is_empty() {
            return;
        }
        self.pending.push(tokens);
        if self.pending.len() >= BATCH {
            self.flush();
        }
    }

    fn open(&mut self, head: TokenStream) {
        self.flush();
        if self.format {
            let start = Instant::now();
            match chunks::block_header(&head, &self.wrappers) {
                Ok(header) => self.text.push_str(&header),
                Err(error) => self.error = Some(error),
            }
            count(start);
        } else {
            self.text.push_str(&head.to_string());
            self.text.push(' ');
        }
        self.open.push((self.text.len(), self.slots.len()));
        self.text.push_str("{\n");
        // A head that opens no block is a bug of the emitter; formatting its items as a
        // module's reports it (they will not parse where they stand).
        self.wrappers
            .push(Wrapper::of(&head).unwrap_or(Wrapper::Module));
    }

    fn close(&mut self) {
        self.flush();
        let Some((body, slots)) = self.open.pop() else {
            return;
        };
        self.wrappers.pop();
        let depth = self.wrappers.len();
        if self.format {
            self.text.push_str(&"    ".repeat(depth));
        }
        self.text.push_str("}\n");
        if self.text.len() == body + "{\n".len() + 4 * depth * usize::from(self.format) + 2 {
            self.empty
                .push((body..self.text.len(), slots..self.slots.len()));
        }
    }

    fn reserve(&mut self) -> Reserved {
        self.flush();
        self.slots
            .push((self.text.len(), self.wrappers.clone(), String::new()));
        Reserved(self.slots.len() - 1)
    }

    fn fill(&mut self, slot: Reserved, tokens: TokenStream) {
        let Some((_, wrappers, _)) = self.slots.get(slot.0) else {
            return;
        };
        let wrappers = wrappers.clone();
        let text = self.items_text(tokens, &wrappers);
        self.slots[slot.0].2 = text;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::emit::Collect;

    fn piece_text(piece: Result<Piece, String>) -> String {
        piece.expect("renders").text
    }

    /// Formatting items as they come gives the text of formatting the collected part whole,
    /// formatted or not, for every part of the fixtures and of an empty document.
    #[test]
    fn streamed_parts_are_the_collected_parts() {
        let mut apis = vec![("empty".to_owned(), crate::ir::Api::default())];
        apis.extend(super::super::fixture_apis());
        for (name, api) in &apis {
            for feature_gates in [false, true] {
                for part in super::super::FIXTURE_PARTS {
                    for format in [true, false] {
                        let mut collect = Collect::new();
                        super::super::emit_fixture_part(api, part, feature_gates, &mut collect);
                        let tokens = collect.finish();
                        let whole = if format {
                            piece_text(super::super::render_part(tokens))
                        } else {
                            piece_text(super::super::unformatted_part(tokens))
                        };
                        let mut formatter = Formatter::new(format);
                        super::super::emit_fixture_part(api, part, feature_gates, &mut formatter);
                        let streamed = piece_text(formatter.finish());
                        assert!(
                            streamed == whole,
                            "{name} {part:?} format {format}: streamed text differs:\n{}",
                            first_difference(&streamed, &whole)
                        );
                    }
                }
            }
        }
    }

    fn first_difference(a: &str, b: &str) -> String {
        let line = a
            .lines()
            .zip(b.lines())
            .position(|(x, y)| x != y)
            .unwrap_or_else(|| a.lines().count().min(b.lines().count()));
        let show = |s: &str| {
            s.lines()
                .skip(line.saturating_sub(2))
                .take(5)
                .collect::<Vec<_>>()
                .join("\n")
        };
        format!(
            "at line {}:\n--- streamed\n{}\n--- whole\n{}",
            line + 1,
            show(a),
            show(b)
        )
    }

    #[test]
    fn bad_tokens_are_an_error() {
        let mut formatter = Formatter::new(true);
        formatter.open(quote::quote!(pub mod a));
        formatter.items(quote::quote!(pub struct;));
        formatter.close();
        assert!(formatter.finish().is_err());
    }
}
