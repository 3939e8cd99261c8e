//! `into_stream` of the generated client against the generated server (127.0.0.1), one
//! pagination scheme per operation: seven items, three a page, each yielded once, in order; a
//! server that repeats its cursor does not loop. Twice: the schemes as the document's
//! `x-pagination` says (specs/fixtures/pagination.yaml), and as configuration says for a
//! document without any extension (pagination-config.yaml, the `pagination` option in
//! codegen.toml).

use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use futures_util::StreamExt as _;
use stencil::server::Error;

const ITEMS: usize = 7;

fn index(n: Option<i64>, default: i64) -> usize {
    usize::try_from(n.unwrap_or(default)).unwrap_or(0)
}

/// The server and the tests, for one generated crate.
macro_rules! scheme_tests {
    ($krate:ident) => {
        mod $krate {
            use super::*;
            use ::$krate::client::Client;
            use ::$krate::server::{self as api, Api};
            use ::$krate::types::{self, Item};

            fn page(from: usize, per_page: usize) -> Vec<Item> {
                (from..ITEMS.min(from + per_page))
                    .map(|i| Item {
                        id: format!("i{i}"),
                        n: i as i64,
                    })
                    .collect()
            }

            #[derive(Default)]
            struct Store {
                /// `list_by_cursor` always answers the cursor `again` (a broken server).
                repeat: bool,
                requests: Arc<AtomicUsize>,
            }

            impl Api for Store {
                type Error = Error;

                async fn list_by_cursor(
                    &self,
                    request: api::ListByCursorRequest,
                ) -> Result<api::ListByCursorResponse, Error> {
                    self.requests.fetch_add(1, Ordering::SeqCst);
                    let from: usize = request
                        .cursor
                        .as_deref()
                        .map_or(0, |c| c.parse().unwrap_or(0));
                    let next = if self.repeat {
                        Some("again".to_owned())
                    } else {
                        (from + 3 < ITEMS).then(|| (from + 3).to_string())
                    };
                    Ok(api::ListByCursorResponse::Ok(types::ListByCursorResponse {
                        data: page(if self.repeat { 0 } else { from }, 3),
                        next_cursor: stencil::Nullable::from_option(Some(next)),
                    }))
                }

                async fn list_stripe(
                    &self,
                    request: api::ListStripeRequest,
                ) -> Result<api::ListStripeResponse, Error> {
                    let from = request
                        .starting_after
                        .and_then(|id| id.trim_start_matches('i').parse::<usize>().ok())
                        .map_or(0, |i| i + 1);
                    let limit = index(Some(request.limit), 3);
                    Ok(api::ListStripeResponse::Ok(types::ListStripeResponse {
                        object: Some("list".into()),
                        data: page(from, limit),
                        has_more: from + limit < ITEMS,
                    }))
                }

                async fn list_pages(
                    &self,
                    request: api::ListPagesRequest,
                ) -> Result<api::ListPagesResponse, Error> {
                    let per_page = index(Some(request.per_page), 3);
                    let n = index(request.page, 1).max(1);
                    Ok(api::ListPagesResponse::Ok(page(
                        (n - 1) * per_page,
                        per_page,
                    )))
                }

                async fn list_offset(
                    &self,
                    request: api::ListOffsetRequest,
                ) -> Result<api::ListOffsetResponse, Error> {
                    let limit = index(Some(request.limit), 3);
                    Ok(api::ListOffsetResponse::Ok(types::ListOffsetResponse {
                        items: page(index(request.offset, 0), limit),
                    }))
                }

                async fn list_linked(
                    &self,
                    request: api::ListLinkedRequest,
                ) -> Result<api::ListLinkedResponse, Error> {
                    let n = index(request.page, 1).max(1);
                    let mut links =
                        vec!["<http://example.test/link?page=1>; rel=\"first\"".to_owned()];
                    if n * 3 < ITEMS {
                        links.push(format!(
                            "<http://example.test/link?page={}>; rel=\"next\"",
                            n + 1
                        ));
                    }
                    Ok(api::ListLinkedResponse::Ok {
                        body: page((n - 1) * 3, 3),
                        link: Some(links.join(", ")),
                    })
                }

                async fn list_broken(
                    &self,
                    _: api::ListBrokenRequest,
                ) -> Result<api::ListBrokenResponse, Error> {
                    Ok(api::ListBrokenResponse::Ok(page(0, 3)))
                }
            }

            async fn serve(store: Store) -> SocketAddr {
                let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
                let address = listener.local_addr().unwrap();
                let router = api::router(store);
                tokio::spawn(async move { axum::serve(listener, router).await });
                address
            }

            async fn ids<S>(stream: S) -> Vec<String>
            where
                S: futures_util::Stream<
                    Item = Result<Item, stencil::client::Error<std::convert::Infallible>>,
                >,
            {
                stream.map(|item| item.unwrap().id).collect().await
            }

            #[tokio::test]
            async fn every_scheme_walks_every_page() {
                let client = Client::new(format!("http://{}", serve(Store::default()).await));
                let all: Vec<String> = (0..ITEMS).map(|i| format!("i{i}")).collect();
                assert_eq!(
                    ids(client.list_by_cursor().into_stream()).await,
                    all,
                    "cursor"
                );
                assert_eq!(
                    ids(client.list_stripe().into_stream()).await,
                    all,
                    "has_more"
                );
                assert_eq!(ids(client.list_pages().into_stream()).await, all, "page");
                assert_eq!(ids(client.list_offset().into_stream()).await, all, "offset");
                assert_eq!(ids(client.list_linked().into_stream()).await, all, "link");
                // Other parameters carry over to every page; the cursor starts where the request says.
                assert_eq!(
                    ids(client
                        .list_stripe()
                        .limit(2)
                        .starting_after("i2")
                        .into_stream())
                    .await,
                    ["i3", "i4", "i5", "i6"]
                );
                assert_eq!(ids(client.list_pages().page(3).into_stream()).await, ["i6"]);
            }

            #[tokio::test]
            async fn a_repeated_cursor_ends_the_stream() {
                let requests = Arc::new(AtomicUsize::new(0));
                let store = Store {
                    repeat: true,
                    requests: requests.clone(),
                };
                let client = Client::new(format!("http://{}", serve(store).await));
                let got = ids(client.list_by_cursor().into_stream()).await;
                assert_eq!(got, ["i0", "i1", "i2", "i0", "i1", "i2"]);
                assert_eq!(requests.load(Ordering::SeqCst), 2);
            }
        }
    };
}

scheme_tests!(pagination);
scheme_tests!(pagination_config);
