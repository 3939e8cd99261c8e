//! The differential check of `direct`: a [`Sink`] that, for every item the emitters give
//! (inside modules given whole too), compares the text `direct` prints with the text syn and
//! prettyplease make of the same tokens in the same place. Used by the tests on every fixture
//! and by `cargo xtask corpus-format` on the corpus documents.

use proc_macro2::TokenStream;

use super::chunks::{self, Wrapper};
use crate::emit::{Reserved, Sink};

/// What a [`Differential`] sink found.
#[derive(Clone, Debug, Default)]
pub struct DirectCheck {
    /// Items compared (every item standing in modules).
    pub items: usize,
    /// Items `direct` printed, all compared with prettyplease's text.
    pub direct: usize,
    /// Bytes of text `direct` printed.
    pub direct_bytes: usize,
    /// Bytes of text of every item compared.
    pub bytes: usize,
    /// The items whose two texts differ: `direct`'s text, then prettyplease's (at most
    /// [`MAX_SHOWN`] kept; [`DirectCheck::differing`] counts them all).
    pub shown: Vec<(String, String)>,
    /// How many items differ.
    pub differing: usize,
    /// Tokens that did not parse (a bug of the emitters, reported by the pipeline too).
    pub errors: Vec<String>,
}

impl DirectCheck {
    /// Add `other`'s counts (and differences, up to [`MAX_SHOWN`]).
    pub fn merge(&mut self, other: DirectCheck) {
        self.items += other.items;
        self.direct += other.direct;
        self.direct_bytes += other.direct_bytes;
        self.bytes += other.bytes;
        self.differing += other.differing;
        let room = MAX_SHOWN.saturating_sub(self.shown.len());
        self.shown.extend(other.shown.into_iter().take(room));
        self.errors.extend(other.errors);
    }
}

/// Differing items kept for the report.
pub const MAX_SHOWN: usize = 5;

/// A sink comparing `direct` with prettyplease on every item it is given.
#[derive(Default)]
pub struct Differential {
    wrappers: Vec<Wrapper>,
    slots: Vec<Vec<Wrapper>>,
    check: DirectCheck,
}

impl Differential {
    pub fn new() -> Self {
        Differential::default()
    }

    pub fn finish(self) -> DirectCheck {
        self.check
    }

    fn compare(&mut self, tokens: TokenStream, wrappers: &[Wrapper]) {
        // `direct` prints items in modules and impl blocks; the others go to prettyplease.
        let Some(place) = chunks::direct_place(wrappers) else {
            return;
        };
        for (item, maybe_module) in chunks::items(tokens) {
            let item = if maybe_module {
                match chunks::as_module(item) {
                    Ok(module) => {
                        let inside = [wrappers, &[Wrapper::Module]].concat();
                        self.compare(module.body, &inside);
                        continue;
                    }
                    Err(item) => item,
                }
            } else {
                item
            };
            let reference = match chunks::unparse_in(item.clone(), wrappers) {
                Ok(text) => text,
                Err(error) => {
                    self.check.errors.push(error);
                    continue;
                }
            };
            self.check.items += 1;
            self.check.bytes += reference.len();
            let Some(text) = super::direct::item_text(&item, wrappers.len(), place) else {
                continue;
            };
            self.check.direct += 1;
            self.check.direct_bytes += text.len();
            if text != reference {
                self.check.differing += 1;
                if self.check.shown.len() < MAX_SHOWN {
                    self.check.shown.push((text, reference));
                }
            }
        }
    }
}

impl Sink for Differential {
    fn items(&mut self, tokens: TokenStream) {
        let wrappers = self.wrappers.clone();
        self.compare(tokens, &wrappers);
    }

    fn open(&mut self, head: TokenStream) {
        self.wrappers
            .push(Wrapper::of(&head).unwrap_or(Wrapper::Module));
    }

    fn close(&mut self) {
        self.wrappers.pop();
    }

    fn reserve(&mut self) -> Reserved {
        self.slots.push(self.wrappers.clone());
        Reserved(self.slots.len() - 1)
    }

    fn fill(&mut self, slot: Reserved, tokens: TokenStream) {
        if let Some(wrappers) = self.slots.get(slot.0).cloned() {
            self.compare(tokens, &wrappers);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The differential test: on every item of every part of every fixture (with and without
    /// feature gates), `direct`'s text is prettyplease's, and `direct` prints many of them.
    #[test]
    fn direct_prints_what_prettyplease_prints() {
        let mut total = DirectCheck::default();
        for (name, api) in super::super::fixture_apis() {
            for feature_gates in [false, true] {
                for part in super::super::FIXTURE_PARTS {
                    let mut sink = Differential::new();
                    super::super::emit_fixture_part(&api, part, feature_gates, &mut sink);
                    let check = sink.finish();
                    assert!(check.errors.is_empty(), "{name}: {:?}", check.errors);
                    if let Some((direct, prettyplease)) = check.shown.first() {
                        panic!(
                            "{name} part {part}: {} item(s) differ; first:\n--- direct\n\
                             {direct}\n--- prettyplease\n{prettyplease}",
                            check.differing
                        );
                    }
                    total.items += check.items;
                    total.direct += check.direct;
                }
            }
        }
        // Not vacuous: a good share of the fixtures' items is printed directly.
        assert!(
            total.direct * 3 > total.items,
            "{} of {} items printed directly",
            total.direct,
            total.items
        );
    }

    /// Impl blocks and the functions in them (a setter, a method chain ending in a closure
    /// with a `match` on literals and ranges, an `IntoFuture` implementation, a `match` on
    /// struct patterns with `let`, a method of a block given open taking an `impl Trait`
    /// and making a struct with `..rest`) are printed directly and compared; a body with a
    /// binary operator is left to prettyplease.
    #[test]
    fn impl_blocks_and_functions_are_compared() {
        let mut sink = Differential::new();
        sink.items(quote::quote!(
            impl ARequest<'_> {
                /// The `limit` query parameter.
                pub fn limit(mut self, value: i32) -> Self {
                    self.limit = Some(value);
                    self
                }
                #[allow(clippy::result_large_err)]
                pub fn send(self) -> ::stencil::client::Sending<A, AError> {
                    self.client.core.request(::stencil::reqwest::Method::GET)
                        .operation("a").path("/a")
                        .query("limit", &self.limit, ::stencil::client::Style::Form, true)
                        .auth(&[&[0]])
                        .send(|response| match response.status() {
                            200 => response.ok(::stencil::client::json),
                            404 => response.err(::stencil::client::empty, |()| AError::NotFound),
                            500..=599 => response.err(::stencil::client::json, AError::Server),
                            _ => response.err(::stencil::client::json, AError::Default),
                        })
                }
            }
            impl<'a> ::std::future::IntoFuture for ARequest<'a> {
                type Output = Result<
                    ::stencil::client::ResponseValue<A>,
                    ::stencil::client::Error<AError>,
                >;
                type IntoFuture = ::stencil::client::BoxFuture<'a, Self::Output>;
                fn into_future(self) -> Self::IntoFuture {
                    Box::pin(self.send())
                }
            }
            pub fn sum() -> u8 {
                1 + 2
            }
            impl IntoResponse for AResponse {
                fn into_response(self) -> Response {
                    match self {
                        Self::Ok { body, x_next } => {
                            let mut response = rt::json(200, "application/json", &body);
                            rt::set_header(&mut response, "x-next", &x_next);
                            response
                        }
                        Self::Created(body) => rt::json(201, "application/json", &body),
                    }
                }
            }
        ));
        sink.open(quote::quote!(impl Client));
        sink.items(quote::quote!(
            pub fn a(&self, id: impl Into<String>, body: super::types::A) -> ARequest<'_> {
                ARequest {
                    client: self,
                    id: id.into(),
                    body,
                    ..Default::default()
                }
            }
        ));
        sink.close();
        let check = sink.finish();
        assert!(check.shown.is_empty(), "{:?}", check.shown);
        assert_eq!((check.items, check.direct, check.differing), (5, 4, 0));
    }

    /// A server's route (bounded generic parameter, turbofish) and handler (typed and async
    /// closures, `let ... else`, `return`) are printed directly and compared.
    #[test]
    fn routes_and_handlers_are_compared() {
        let mut sink = Differential::new();
        sink.items(quote::quote!(
            pub fn list_pets<A: super::Api + Send>(server: Arc<rt::Server<A>>) -> Router {
                rt::route(
                    &super::operations::LIST_PETS,
                    super::handle_list_pets::<A>,
                    server,
                )
            }
            fn handle_list_pets<A: Api>(
                State(server): State<Arc<rt::Server<A>>>,
                request: Request,
            ) -> impl ::std::future::Future<Output = Response> {
                serve_secured(
                    server,
                    request,
                    &operations::LIST_PETS,
                    false,
                    |input: &mut rt::Input| {
                        let (Some(limit), Some(status)) = (input.param(0), input.param(1)) else {
                            return None;
                        };
                        Some(ListPetsRequest { limit, status })
                    },
                    async |api: &A, principal, request| api.list_pets(principal, request).await,
                )
            }
        ));
        let check = sink.finish();
        assert!(check.shown.is_empty(), "{:?}", check.shown);
        assert_eq!((check.items, check.direct, check.differing), (2, 2, 0));
    }

    /// An item `direct` prints is counted and compared.
    #[test]
    fn a_struct_is_compared() {
        let mut sink = Differential::new();
        sink.items(quote::quote!(
            pub struct A {
                pub a: u8,
            }
        ));
        let check = sink.finish();
        assert_eq!((check.items, check.direct, check.differing), (1, 1, 0));
    }
}
