//! Formatting a module a few items at a time.
//!
//! prettyplease formats a whole `syn::File`, so formatting a part in one go holds the syntax
//! tree of every item at once (gigabytes for Microsoft Graph's document). Items format
//! independently, so a module is formatted as its header (`pub mod name {`), then its items in
//! chunks, each chunk wrapped in as many throwaway modules as the real one is nested deep (so
//! prettyplease indents it as it would in place, and breaks lines at the same columns), the
//! wrapper lines cut off again, then the closing `}`. Nested modules are formatted the same
//! way. The text is exactly what formatting the whole module gives (checked against it in the
//! tests and by `cargo xtask regen --check`).

use std::sync::atomic::{AtomicU64, Ordering};

use proc_macro2::{Delimiter, TokenStream, TokenTree};
use quote::quote;

use super::direct::Place;

/// How items are formatted: how many prettyplease formats at a time, and whether the ones
/// `direct` prints are printed by it.
#[derive(Clone, Copy, Debug)]
pub(super) struct How {
    pub(super) chunk_items: usize,
    pub(super) direct: bool,
}

/// Bytes of text `direct` printed, summed over threads, since the process began (for the
/// benchmark: the share of the output it printed).
static DIRECT_BYTES: AtomicU64 = AtomicU64::new(0);

/// Bytes of text printed without syn so far (see [`DIRECT_BYTES`]).
pub fn direct_bytes() -> u64 {
    DIRECT_BYTES.load(Ordering::Relaxed)
}

/// Items formatted together when a whole module is given at once (the server's operation
/// table, its routes): few enough to bound the syntax trees alive at once, enough that the
/// per-chunk cost stays small. (Before the emitters gave items a few at a time, smaller chunks
/// cost much more CPU time in a heap of gigabytes of tokens; now 64 and 8,192 items per chunk
/// take the same time on Microsoft Graph's document.)
pub(super) const CHUNK_ITEMS: usize = 512;

/// A `mod name { body }` item: everything before the body (attributes, visibility, `mod`,
/// name), and the body.
pub(super) struct Module {
    pub(super) head: TokenStream,
    pub(super) body: TokenStream,
}

/// The unspaced prettyplease text of `tokens`, formatted chunk by chunk when they are one
/// module item; the tokens back when they are not (the caller formats them whole). The tokens
/// are consumed chunk by chunk, so their memory goes as the text grows.
#[cfg(test)]
pub(super) fn unparse_module(tokens: TokenStream) -> Result<Result<String, String>, TokenStream> {
    unparse_module_in(tokens, CHUNK_ITEMS, false)
}

/// [`unparse_module`] with `chunk_items` items per chunk, the items `direct` prints printed
/// by it when `direct`.
#[cfg(test)]
fn unparse_module_in(
    tokens: TokenStream,
    chunk_items: usize,
    direct: bool,
) -> Result<Result<String, String>, TokenStream> {
    let module = as_module(tokens)?;
    let mut out = String::new();
    let how = How {
        chunk_items,
        direct,
    };
    Ok(module_text(module, &[], how, &mut out).map(|()| out))
}

/// `tokens` as a module item with a non-empty body, if it is one (else the tokens back).
pub(super) fn as_module(tokens: TokenStream) -> Result<Module, TokenStream> {
    let mut trees: Vec<TokenTree> = tokens.into_iter().collect();
    if !is_module(&trees) {
        return Err(trees.into_iter().collect());
    }
    let Some(TokenTree::Group(group)) = trees.pop() else {
        unreachable!("is_module checked the last tree");
    };
    let body = group.stream();
    // The body's only owner from here: taking it apart moves its trees instead of copying them.
    drop(group);
    Ok(Module {
        head: trees.into_iter().collect(),
        body,
    })
}

/// The block `trees` (an item's, without its body) open: the keyword after the outer
/// attributes, the visibility and `unsafe`.
fn block_kind(trees: &[TokenTree]) -> Option<Wrapper> {
    let mut i = 0;
    loop {
        match (trees.get(i)?, trees.get(i + 1)) {
            (TokenTree::Punct(p), Some(TokenTree::Group(g)))
                if p.as_char() == '#' && g.delimiter() == Delimiter::Bracket =>
            {
                i += 2;
            }
            (TokenTree::Ident(v), Some(TokenTree::Group(g)))
                if v == "pub" && g.delimiter() == Delimiter::Parenthesis =>
            {
                i += 2;
            }
            (TokenTree::Ident(v), _) if v == "pub" || v == "unsafe" => i += 1,
            (TokenTree::Ident(v), _) if v == "mod" => return Some(Wrapper::Module),
            (TokenTree::Ident(v), _) if v == "trait" => return Some(Wrapper::Trait),
            (TokenTree::Ident(v), _) if v == "impl" => return Some(Wrapper::Impl),
            _ => return None,
        }
    }
}

/// `tokens` as a module, trait or impl block with a non-empty body, if they are one item of
/// that kind (else the tokens back).
pub(super) fn as_block(tokens: TokenStream) -> Result<(Wrapper, Module), TokenStream> {
    let mut trees: Vec<TokenTree> = tokens.into_iter().collect();
    let kind = match trees.split_last() {
        Some((TokenTree::Group(body), rest))
            if body.delimiter() == Delimiter::Brace && !body.stream().is_empty() =>
        {
            block_kind(rest)
        }
        _ => None,
    };
    let Some(kind) = kind else {
        return Err(trees.into_iter().collect());
    };
    let Some(TokenTree::Group(group)) = trees.pop() else {
        unreachable!("checked above");
    };
    let body = group.stream();
    drop(group);
    Ok((
        kind,
        Module {
            head: trees.into_iter().collect(),
            body,
        },
    ))
}

/// Whether `trees` are `#[attr]... pub(...) mod name { non-empty body }`.
fn is_module(trees: &[TokenTree]) -> bool {
    let Some((TokenTree::Group(body), rest)) = trees.split_last() else {
        return false;
    };
    if body.delimiter() != Delimiter::Brace || body.stream().is_empty() {
        return false;
    }
    matches!(rest, [.., TokenTree::Ident(keyword), TokenTree::Ident(_)] if keyword == "mod")
        && block_kind(rest) == Some(Wrapper::Module)
}

/// The items of a module body: each ends after a `;`, or after a `{ ... }` group that no `;`
/// or `else` follows. Inner attributes stay with the first item. Each item comes with whether
/// it may be a module (`mod` then a name at its top level), so that only those are examined.
pub(super) fn items(body: TokenStream) -> Vec<(TokenStream, bool)> {
    let mut out = Vec::new();
    let mut item = TokenStream::new();
    let mut module = false;
    let mut after_mod = false;
    let mut trees = body.into_iter().peekable();
    while let Some(tree) = trees.next() {
        if let TokenTree::Ident(ident) = &tree {
            module |= after_mod;
            after_mod = ident == "mod";
        } else {
            after_mod = false;
        }
        let ends = match &tree {
            TokenTree::Punct(p) => p.as_char() == ';',
            TokenTree::Group(g) => {
                g.delimiter() == Delimiter::Brace
                    && !matches!(trees.peek(), Some(TokenTree::Punct(p)) if p.as_char() == ';')
                    && !matches!(trees.peek(), Some(TokenTree::Ident(i)) if i == "else")
            }
            _ => false,
        };
        item.extend(std::iter::once(tree));
        if ends {
            out.push((std::mem::take(&mut item), std::mem::take(&mut module)));
            after_mod = false;
        }
    }
    if !item.is_empty() {
        out.push((item, module));
    }
    out
}

/// Where `direct` prints items standing in `wrappers`: in modules, or in an impl block in
/// modules (not in traits).
pub(super) fn direct_place(wrappers: &[Wrapper]) -> Option<Place> {
    match wrappers.split_last() {
        None => Some(Place::Module),
        Some((last, outer)) if outer.iter().all(|w| *w == Wrapper::Module) => match last {
            Wrapper::Module => Some(Place::Module),
            Wrapper::Impl => Some(Place::Impl),
            Wrapper::Trait => None,
        },
        Some(_) => None,
    }
}

/// What items stand in: their formatting is the same in any block of that kind, so a chunk of
/// them is formatted in a throwaway one (`mod __stencil_chunk { ... }`, ...).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Wrapper {
    Module,
    Trait,
    Impl,
}

impl Wrapper {
    /// The kind of block `head` (everything before a block's `{`) opens: `mod`, `trait` or
    /// `impl` after its attributes and visibility (and `unsafe`).
    pub(super) fn of(head: &TokenStream) -> Option<Wrapper> {
        let trees: Vec<TokenTree> = head.clone().into_iter().collect();
        block_kind(&trees)
    }

    fn wrap(self, inner: TokenStream) -> TokenStream {
        match self {
            Wrapper::Module => quote!(mod __stencil_chunk { #inner }),
            Wrapper::Trait => quote!(trait __StencilChunk { #inner }),
            Wrapper::Impl => quote!(impl __StencilChunk { #inner }),
        }
    }
}

/// Append the module standing in `wrappers` (none: the top level of the file).
fn module_text(
    module: Module,
    wrappers: &[Wrapper],
    how: How,
    out: &mut String,
) -> Result<(), String> {
    out.push_str(&block_header(&module.head, wrappers)?);
    out.push_str("{\n");
    let inside = [wrappers, &[Wrapper::Module]].concat();
    items_text(module.body, &inside, how, out)?;
    out.push_str(&"    ".repeat(wrappers.len()));
    out.push_str("}\n");
    Ok(())
}

/// A block's first lines as prettyplease writes them, up to its `{` (excluded): its head with
/// an empty body, formatted inside `wrappers`, `{}` cut off.
pub(super) fn block_header(head: &TokenStream, wrappers: &[Wrapper]) -> Result<String, String> {
    let header = unparse_in(quote!(#head {}), wrappers)?;
    let header = header.trim_end();
    match header.strip_suffix("{}") {
        Some(header) => Ok(header.to_owned()),
        None => Err(format!(
            "formatting a block header gave {header:?}; please report this bug"
        )),
    }
}

/// Append items standing in `wrappers`, formatted `how.chunk_items` at a time (modules among
/// them opened and formatted the same way), the items `direct` prints printed by it when
/// `how.direct` and they stand where it prints them ([`direct_place`]).
pub(super) fn items_text(
    tokens: TokenStream,
    wrappers: &[Wrapper],
    how: How,
    out: &mut String,
) -> Result<(), String> {
    let place = how.direct.then(|| direct_place(wrappers)).flatten();
    let mut chunk: Vec<TokenStream> = Vec::new();
    for (item, maybe_module) in items(tokens) {
        let item = if maybe_module {
            match as_module(item) {
                Ok(inner) => {
                    flush(&mut chunk, wrappers, out)?;
                    module_text(inner, wrappers, how, out)?;
                    continue;
                }
                Err(item) => item,
            }
        } else {
            item
        };
        if let Some(place) = place {
            if let Some(text) = super::direct::item_text(&item, wrappers.len(), place) {
                flush(&mut chunk, wrappers, out)?;
                DIRECT_BYTES.fetch_add(text.len() as u64, Ordering::Relaxed);
                out.push_str(&text);
                continue;
            }
        }
        chunk.push(item);
        if chunk.len() == how.chunk_items {
            flush(&mut chunk, wrappers, out)?;
        }
    }
    flush(&mut chunk, wrappers, out)
}

fn flush(
    chunk: &mut Vec<TokenStream>,
    wrappers: &[Wrapper],
    out: &mut String,
) -> Result<(), String> {
    if chunk.is_empty() {
        return Ok(());
    }
    let tokens: TokenStream = std::mem::take(chunk).into_iter().collect();
    out.push_str(&unparse_in(tokens, wrappers)?);
    Ok(())
}

/// prettyplease's text for `tokens` as if they stood in `wrappers` (outermost first).
pub(super) fn unparse_in(tokens: TokenStream, wrappers: &[Wrapper]) -> Result<String, String> {
    let mut wrapped = tokens;
    for wrapper in wrappers.iter().rev() {
        wrapped = wrapper.wrap(wrapped);
    }
    let file: syn::File = syn::parse2(wrapped).map_err(|error| {
        format!(
            "Stencil generated code that does not parse as Rust ({error}); please report this bug"
        )
    })?;
    let text = prettyplease::unparse(&file);
    drop(file);
    let depth = wrappers.len();
    if depth == 0 {
        return Ok(text);
    }
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    if lines.len() < 2 * depth {
        return Err("formatting a chunk of items lost its wrapper; please report this bug".into());
    }
    Ok(lines[depth..lines.len() - depth].concat())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn whole(tokens: TokenStream) -> String {
        prettyplease::unparse(&syn::parse2::<syn::File>(tokens).unwrap())
    }

    #[test]
    fn chunks_format_as_the_whole_module_does() {
        let many: Vec<TokenStream> = (0..150)
            .map(|i| {
                let name = quote::format_ident!("Item{i}");
                quote! {
                    #[derive(Debug)]
                    pub struct #name { pub a_field_with_a_long_name: ::std::collections::BTreeMap<String, Vec<Option<::std::sync::Arc<String>>>> }
                    impl #name { pub fn f(&self) -> usize { match self.a_field_with_a_long_name.len() { 0 => 1, n => n } } }
                    pub static X: [&str; 2] = ["a", "b"];
                }
            })
            .collect();
        let tokens = quote! {
            #[doc = " Docs."]
            #[cfg(feature = "x")]
            pub mod outer {
                #![allow(clippy::all)]
                use ::std::fmt;
                #(#many)*
                pub mod inner {
                    const A: &str = r#"multi
        line"#;
                    #(#many)*
                    mod empty {}
                }
                pub const LAST: u8 = 1;
            }
        };
        let whole = whole(tokens.clone());
        for chunk_items in [1, 7, 64, CHUNK_ITEMS] {
            for direct in [false, true] {
                let chunked = unparse_module_in(tokens.clone(), chunk_items, direct)
                    .unwrap()
                    .unwrap();
                assert_eq!(chunked, whole, "{chunk_items} items per chunk");
            }
        }
    }

    /// Every module of the fixtures' generated code (a part is one module, the webhooks and
    /// callbacks part one each, or none) formats the same chunked and whole, the items
    /// `direct` prints printed by it (the differential test of `direct` on whole modules;
    /// `differential::tests` compares item by item).
    #[test]
    fn generated_parts_format_as_whole_files_do() {
        let mut modules = 0;
        for (spec, api) in super::super::fixture_apis() {
            for part in super::super::FIXTURE_PARTS {
                let mut collect = crate::emit::Collect::new();
                super::super::emit_fixture_part(&api, part, true, &mut collect);
                for (tokens, _) in items(collect.finish()) {
                    let chunked = unparse_module_in(tokens.clone(), 5, true)
                        .expect("a module")
                        .unwrap();
                    assert_eq!(chunked, whole(tokens), "{spec} {part:?}");
                    modules += 1;
                }
            }
        }
        // Types, client and server of each fixture, and the hooks of those that have some.
        assert!(
            modules > 3 * super::super::fixture_apis().len(),
            "{modules}"
        );
    }

    #[test]
    fn other_items_are_not_chunked() {
        assert!(unparse_module(quote!(
            pub struct A;
        ))
        .is_err());
        assert!(unparse_module(quote!(
            pub mod a {}
        ))
        .is_err());
        assert!(unparse_module(quote!(
            pub struct A;
            pub mod a {
                struct B;
            }
        ))
        .is_err());
    }
}
