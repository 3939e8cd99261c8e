//! Where emitters put what they make: a [`Sink`] takes a part's items in file order, a few at a
//! time, so that the pipeline can format them as they come and drop their tokens (a part of
//! Microsoft Graph's document is hundreds of megabytes of tokens; held whole, they were most of
//! the peak memory, and the allocator slowed down in so large a heap).
//!
//! [`Collect`] puts the pieces back together into one token stream ([`super::part`]: tests,
//! snapshots, callers who want tokens); the renderer's sink formats them
//! (`crate::render::Formatter`). Both see exactly the same calls, so the formatted text is the
//! text of the collected tokens.

use proc_macro2::TokenStream;
#[cfg(test)]
use quote::quote;

/// Receives a part's items in file order.
///
/// Rules (each sink relies on them): every [`Sink::items`] call is one or more whole items; a
/// block is opened, filled and closed ([`Sink::open`] ... [`Sink::close`]) or given whole to
/// `items`; a [`Reserved`] position is filled before its block is closed.
pub trait Sink {
    /// One or more items, at the current position.
    fn items(&mut self, tokens: TokenStream);
    /// Open a block whose items follow: a module, a trait or an impl block. `head` is
    /// everything before its `{` (docs, attributes, visibility, `mod name`, `trait Name: Bounds`,
    /// `impl Type`).
    fn open(&mut self, head: TokenStream);
    /// Close the innermost open block.
    fn close(&mut self);
    /// Keep the current position for items known only later (an import that depends on what
    /// the items use), given with [`Sink::fill`].
    fn reserve(&mut self) -> Reserved;
    /// The items of a reserved position.
    fn fill(&mut self, slot: Reserved, tokens: TokenStream);
    /// A unit of the part is made (a type, an operation), for progress reports.
    fn done(&mut self) {}
}

/// A position kept by [`Sink::reserve`].
#[derive(Debug)]
pub struct Reserved(pub(crate) usize);

/// A sink that puts the items back together into one token stream: what the streaming
/// formatter is tested against.
#[cfg(test)]
#[derive(Default)]
pub struct Collect {
    /// The file's top level, then each open module: its head and its entries so far (a
    /// reserved slot is an entry filled later).
    stack: Vec<(TokenStream, Vec<TokenStream>)>,
    /// Where each slot is: stack level and entry.
    slots: Vec<(usize, usize)>,
}

#[cfg(test)]
impl Collect {
    pub fn new() -> Self {
        Collect {
            stack: vec![(TokenStream::new(), Vec::new())],
            slots: Vec::new(),
        }
    }

    /// Everything given, as one token stream (modules left open are closed).
    pub fn finish(mut self) -> TokenStream {
        while self.stack.len() > 1 {
            self.close();
        }
        self.stack
            .pop()
            .map(|(_, entries)| entries.into_iter().collect())
            .unwrap_or_default()
    }

    fn entries(&mut self) -> &mut Vec<TokenStream> {
        if self.stack.is_empty() {
            self.stack.push((TokenStream::new(), Vec::new()));
        }
        let last = self.stack.len() - 1;
        &mut self.stack[last].1
    }
}

#[cfg(test)]
impl Sink for Collect {
    fn items(&mut self, tokens: TokenStream) {
        self.entries().push(tokens);
    }

    fn open(&mut self, head: TokenStream) {
        self.entries();
        self.stack.push((head, Vec::new()));
    }

    fn close(&mut self) {
        if self.stack.len() < 2 {
            return;
        }
        if let Some((head, entries)) = self.stack.pop() {
            let body: TokenStream = entries.into_iter().collect();
            self.entries().push(quote!(#head { #body }));
        }
    }

    fn reserve(&mut self) -> Reserved {
        let entries = self.entries();
        entries.push(TokenStream::new());
        let entry = entries.len() - 1;
        let at = (self.stack.len() - 1, entry);
        self.slots.push(at);
        Reserved(self.slots.len() - 1)
    }

    fn fill(&mut self, slot: Reserved, tokens: TokenStream) {
        let Some(&(level, entry)) = self.slots.get(slot.0) else {
            return;
        };
        if let Some(place) = self
            .stack
            .get_mut(level)
            .and_then(|(_, e)| e.get_mut(entry))
        {
            *place = tokens;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn collects_modules_and_slots_in_order() {
        let mut sink = Collect::new();
        sink.open(quote!(#[doc = "d"] pub mod a));
        let slot = sink.reserve();
        sink.items(quote!(
            struct B;
        ));
        sink.open(quote!(mod c));
        sink.items(quote!(
            struct D;
        ));
        sink.close();
        sink.fill(
            slot,
            quote!(
                use x::Y;
            ),
        );
        sink.close();
        sink.items(quote!(
            struct E;
        ));
        let expected = quote! {
            #[doc = "d"] pub mod a { use x::Y; struct B; mod c { struct D; } }
            struct E;
        };
        assert_eq!(sink.finish().to_string(), expected.to_string());
    }
}
