//! Each pagination scheme against a server on 127.0.0.1 serving seven items, three a page.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use axum::extract::Query;
use axum::routing::get;
use axum::Json;
use futures_util::StreamExt as _;
use reqwest::Method;
use serde_json::{json, Value};

use super::tests_retry::serve;
use super::*;

const ITEMS: usize = 7;
const PER_PAGE: usize = 3;

fn item(i: usize) -> Value {
    json!({"id": format!("i{i}"), "n": i})
}

/// Items `from..` of one page.
fn page(from: usize) -> Vec<Value> {
    (from..ITEMS.min(from + PER_PAGE)).map(item).collect()
}

type Params = Query<HashMap<String, String>>;

fn number(q: &Params, name: &str, default: usize) -> usize {
    q.get(name).and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn router(loops: Arc<AtomicUsize>) -> axum::Router {
    axum::Router::new()
        // `next_cursor` in the body: the index of the next item.
        .route(
            "/cursor",
            get(|q: Params| async move {
                let from = number(&q, "cursor", 0);
                let next = (from + PER_PAGE < ITEMS).then(|| (from + PER_PAGE).to_string());
                Json(json!({"data": page(from), "next_cursor": next}))
            }),
        )
        // Stripe: `has_more` and `starting_after` = the last id.
        .route(
            "/stripe",
            get(|q: Params| async move {
                let from = q
                    .get("starting_after")
                    .and_then(|id| id.trim_start_matches('i').parse::<usize>().ok())
                    .map_or(0, |i| i + 1);
                let more = from + PER_PAGE < ITEMS;
                Json(json!({"object": "list", "data": page(from), "has_more": more}))
            }),
        )
        // page / per_page from 1; the body is the array; past the end an empty page.
        .route(
            "/pages",
            get(|q: Params| async move {
                let n = number(&q, "page", 1);
                Json(Value::from(page((n - 1) * PER_PAGE)))
            }),
        )
        // offset / limit.
        .route(
            "/offset",
            get(|q: Params| async move { Json(json!({"items": page(number(&q, "offset", 0))})) }),
        )
        // GitHub: `Link: <...?page=2>; rel="next"`.
        .route(
            "/link",
            get(|q: Params| async move {
                let n = number(&q, "page", 1);
                let mut links = vec![format!("<http://x/link?page=1>; rel=\"first\"")];
                if n * PER_PAGE < ITEMS {
                    links.push(format!(
                        "<http://x/link?per_page=3&page={}>; rel=\"next\"",
                        n + 1
                    ));
                }
                (
                    [("link", links.join(", "))],
                    Json(Value::from(page((n - 1) * PER_PAGE))),
                )
            }),
        )
        // A broken server: the same cursor forever.
        .route(
            "/loop",
            get(move || {
                loops.fetch_add(1, Ordering::SeqCst);
                async { Json(json!({"data": [item(0)], "next_cursor": "again"})) }
            }),
        )
}

/// A request of the test API: a path and its cursor parameter.
#[derive(Clone)]
struct Req<'a> {
    core: &'a Core,
    path: &'static str,
    param: &'static str,
    cursor: Option<Value>,
}

fn send(r: Req<'_>) -> Sending<Value, ()> {
    r.core
        .request(Method::GET)
        .path(r.path)
        .query(r.param, &r.cursor, Style::Form, true)
        .send(|response| match response.status() {
            200 => response.ok(json),
            _ => response.unexpected(),
        })
}

const CURSOR: Cursor<Req<'static>> = Cursor {
    get: |r| r.cursor.clone(),
    set: |mut r, v| {
        r.cursor = Some(v);
        Ok(r)
    },
};

async fn ids(
    core: &'static Core,
    path: &'static str,
    param: &'static str,
    pagination: Pagination,
) -> Vec<String> {
    let first = Req {
        core,
        path,
        param,
        cursor: None,
    };
    let items: Vec<Result<Value, Error<()>>> =
        paginate(first, pagination, send, CURSOR).collect().await;
    items
        .into_iter()
        .map(|i| i.unwrap()["id"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn every_scheme_yields_every_item_once() {
    let loops = Arc::new(AtomicUsize::new(0));
    let core: &'static Core =
        Box::leak(Box::new(Core::new(serve(router(loops.clone())).await, &[])));
    let all: Vec<String> = (0..ITEMS).map(|i| format!("i{i}")).collect();
    let data = |paging| Pagination {
        items: "/data",
        paging,
    };
    assert_eq!(
        ids(
            core,
            "/cursor",
            "cursor",
            data(Paging::Cursor {
                next: "/next_cursor"
            })
        )
        .await,
        all
    );
    assert_eq!(
        ids(
            core,
            "/stripe",
            "starting_after",
            data(Paging::HasMore {
                has_more: "/has_more",
                id: "/id"
            })
        )
        .await,
        all
    );
    let whole = |paging| Pagination { items: "", paging };
    assert_eq!(
        ids(
            core,
            "/pages",
            "page",
            whole(Paging::PageNumber { first: 1 })
        )
        .await,
        all
    );
    assert_eq!(
        ids(
            core,
            "/offset",
            "offset",
            Pagination {
                items: "/items",
                paging: Paging::Offset
            }
        )
        .await,
        all
    );
    assert_eq!(
        ids(
            core,
            "/link",
            "page",
            whole(Paging::LinkHeader { param: "page" })
        )
        .await,
        all
    );
    // A repeated cursor ends the stream: two requests (the second repeats "again").
    let looped = ids(
        core,
        "/loop",
        "cursor",
        data(Paging::Cursor {
            next: "/next_cursor",
        }),
    )
    .await;
    assert_eq!(looped, ["i0", "i0"]);
    assert_eq!(loops.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn errors_end_the_stream() {
    let core: &'static Core = Box::leak(Box::new(Core::new(
        serve(router(Arc::default())).await,
        &[],
    )));
    let request = |path| Req {
        core,
        path,
        param: "cursor",
        cursor: None,
    };
    let by_cursor = |items| Pagination {
        items,
        paging: Paging::Cursor {
            next: "/next_cursor",
        },
    };
    let items: Vec<Result<Value, Error<()>>> =
        paginate(request("/missing"), by_cursor("/data"), send, CURSOR)
            .collect()
            .await;
    assert_eq!(items.len(), 1);
    assert_eq!(
        items[0].as_ref().unwrap_err().status().map(|s| s.as_u16()),
        Some(404)
    );
    // Items that are not an array, or not of the item type: a decoding error.
    let first = request("/cursor");
    let wrong = by_cursor("/next_cursor");
    let items: Vec<Result<Value, Error<()>>> =
        paginate(first.clone(), wrong, send, CURSOR).collect().await;
    assert!(
        matches!(&items[..], [Err(Error::Decode { .. })]),
        "{items:?}"
    );
    let typed: Vec<Result<u32, Error<()>>> = paginate(
        first,
        Pagination {
            items: "/data",
            paging: Paging::Offset,
        },
        send,
        CURSOR,
    )
    .collect()
    .await;
    assert!(matches!(&typed[..], [Err(Error::Decode { .. })]));
}
