//! The generated `openapi-32` crate (specs/fixtures/openapi-3.2.yaml, issue 14), client
//! against server on 127.0.0.1: the `QUERY` method with its body, `additionalOperations`
//! (`LINK` sharing a route with `GET` and `QUERY`, `PURGE` alone on its route), the query
//! string read whole as one typed value (`in: querystring`) with violations in the declared
//! envelope, and handler traits that follow the tag hierarchy.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use openapi_32::client::Client;
use openapi_32::server::{self as api, ApiBase, CatsApi, DefaultApi, PetsApi};
use openapi_32::types::{Pet, PetFilter, PetKind, PetQuery};
use serde_json::{json, Value};
use stencil::server::{http::StatusCode, Credentials, Error};

/// Records what each handler received (what the client cannot see); clones share it.
#[derive(Clone, Default)]
struct Pets {
    seen: Arc<Mutex<Vec<String>>>,
}

impl Pets {
    fn saw(&self, what: String) {
        self.seen.lock().unwrap().push(what);
    }
}

fn pet(name: &str) -> Pet {
    Pet {
        name: name.to_owned(),
        kind: None,
    }
}

impl ApiBase for Pets {
    type Error = Error;
    type Principal = ();

    async fn authenticate(&self, _: Credentials) -> Result<(), Error> {
        Ok(())
    }
}

// `PetsApi` before `CatsApi`: the tag `cats` is nested under `pets`, so its trait extends
// `PetsApi` (a type cannot implement `CatsApi` without it).
impl PetsApi for Pets {
    async fn list_pets(&self, _: api::ListPetsRequest) -> Result<api::ListPetsResponse, Error> {
        Ok(api::ListPetsResponse::Ok(vec![pet("get")]))
    }

    async fn search_pets(
        &self,
        request: api::SearchPetsRequest,
    ) -> Result<api::SearchPetsResponse, Error> {
        let filter = request.body;
        self.saw(format!("query {:?} {:?}", filter.kind, filter.name));
        let name = filter.name.into_value().unwrap_or_default();
        Ok(api::SearchPetsResponse::Ok(vec![pet(&name)]))
    }
}

impl CatsApi for Pets {
    async fn search_pets_by_query_string(
        &self,
        request: api::SearchPetsByQueryStringRequest,
    ) -> Result<api::SearchPetsByQueryStringResponse, Error> {
        self.saw(format!("querystring {:?}", request.filter));
        let found = match request.filter {
            Some(q) => q.tag.unwrap_or_default().iter().map(|t| pet(t)).collect(),
            None => Vec::new(),
        };
        Ok(api::SearchPetsByQueryStringResponse::Ok(found))
    }

    async fn pet_events(
        &self,
        _: (),
        _: api::PetEventsRequest,
    ) -> Result<api::PetEventsResponse, Error> {
        Err(Error::new(StatusCode::NOT_IMPLEMENTED, "no events here"))
    }
}

impl DefaultApi for Pets {
    async fn link_pets(
        &self,
        request: api::LinkPetsRequest,
    ) -> Result<api::LinkPetsResponse, Error> {
        self.saw(format!("link {}", request.link));
        Ok(api::LinkPetsResponse::NoContent)
    }

    async fn purge_pet(
        &self,
        request: api::PurgePetRequest,
    ) -> Result<api::PurgePetResponse, Error> {
        self.saw(format!("purge {}", request.name));
        Ok(match request.name.as_str() {
            "ghost" => api::PurgePetResponse::NotFound,
            _ => api::PurgePetResponse::NoContent,
        })
    }
}

async fn start() -> (Client, Pets, String) {
    let pets = Pets::default();
    let router = api::router(pets.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr: SocketAddr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    let base = format!("http://{addr}");
    (Client::new(base.clone()), pets, base)
}

fn seen(pets: &Pets) -> Vec<String> {
    std::mem::take(&mut *pets.seen.lock().unwrap())
}

fn method(name: &str) -> reqwest::Method {
    reqwest::Method::from_bytes(name.as_bytes()).unwrap()
}

#[tokio::test]
async fn query_and_additional_operations_are_sent_and_routed_by_method() {
    let (client, pets, base) = start().await;
    // QUERY, with its body.
    let found = client
        .search_pets(PetFilter {
            kind: Some(PetKind::Cat),
            name: stencil::Nullable::Value("tom".into()),
        })
        .await
        .unwrap();
    assert_eq!(found.into_inner(), vec![pet("tom")]);
    // LINK, on the same route as GET and QUERY.
    let linked = client.link_pets("</pets/tom>; rel=friend").await.unwrap();
    assert_eq!(linked.status(), 204);
    // GET still answers on that route.
    assert_eq!(
        client.list_pets().await.unwrap().into_inner(),
        vec![pet("get")]
    );
    // PURGE, alone on its route.
    assert_eq!(client.purge_pet("tom").await.unwrap().status(), 204);
    let gone = client.purge_pet("ghost").await;
    assert_eq!(gone.unwrap_err().status().map(|s| s.as_u16()), Some(404));
    assert_eq!(
        seen(&pets),
        [
            "query Some(Cat) Value(\"tom\")",
            "link </pets/tom>; rel=friend",
            "purge tom",
            "purge ghost",
        ]
    );

    // On the wire: the methods as written; others are 405 with the allowed method named;
    // HEAD on the shared route is answered by GET.
    let http = reqwest::Client::new();
    let send = |m: &str, path: &str| http.request(method(m), format!("{base}{path}"));
    let query = send("QUERY", "/pets")
        .json(&json!({"name": "x"}))
        .send()
        .await
        .unwrap();
    assert_eq!(query.status(), 200);
    assert_eq!(query.json::<Value>().await.unwrap(), json!([{"name": "x"}]));
    for (m, path, allow) in [
        ("UNLINK", "/pets", "GET, QUERY, LINK"),
        ("GET", "/pets/tom", "PURGE"),
        ("LINK", "/pets/tom", "PURGE"),
        ("DELETE", "/pets/tom", "PURGE"),
    ] {
        let response = send(m, path).send().await.unwrap();
        assert_eq!(response.status(), 405, "{m} {path}");
        assert_eq!(response.headers()["allow"], allow, "{m} {path}");
    }
    let head = send("HEAD", "/pets").send().await.unwrap();
    assert_eq!(head.status(), 200);
    // A QUERY body is validated like any body: the declared envelope (400 Problem).
    let bad = send("QUERY", "/pets")
        .json(&json!({"kind": "cow"}))
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 400);
    let problem: Value = bad.json().await.unwrap();
    assert_eq!(problem["errors"][0]["field"], "body.kind", "{problem}");
    // A LINK without its required header is rejected before the handler.
    let bare = send("LINK", "/pets").send().await.unwrap();
    assert_eq!(bare.status(), 422);
    // Only the valid QUERY reached a handler.
    assert_eq!(seen(&pets), ["query None Value(\"x\")"]);
}

#[tokio::test]
async fn the_query_string_is_one_typed_value() {
    let (client, pets, base) = start().await;
    let filter = PetQuery {
        kind: Some(PetKind::Dog),
        limit: Some(2),
        tag: Some(vec!["a b".into(), "c&d".into()]),
    };
    let found = client
        .search_pets_by_query_string()
        .filter(filter.clone())
        .await
        .unwrap();
    assert_eq!(found.into_inner(), vec![pet("a b"), pet("c&d")]);
    // Without a value, no query string: the optional parameter is absent.
    client.search_pets_by_query_string().await.unwrap();
    assert_eq!(
        seen(&pets),
        [
            format!("querystring {:?}", Some(filter)),
            "querystring None".to_owned()
        ]
    );

    // The server reads a query string written by hand the same way, and locates violations
    // at the property, in the declared envelope.
    let http = reqwest::Client::new();
    let get = |q: &str| http.get(format!("{base}/pets/search?{q}")).send();
    let ok = get("tag=x&kind=cat&limit=100").await.unwrap();
    assert_eq!(ok.json::<Value>().await.unwrap(), json!([{"name": "x"}]));
    assert_eq!(
        seen(&pets),
        [format!(
            "querystring {:?}",
            Some(PetQuery {
                kind: Some(PetKind::Cat),
                limit: Some(100),
                tag: Some(vec!["x".into()]),
            })
        )]
    );
    for (q, at) in [
        ("limit=0", "query.limit"),
        ("limit=many", "query.limit"),
        ("kind=cow", "query.kind"),
    ] {
        let bad = get(q).await.unwrap();
        assert_eq!(bad.status(), 400, "{q}");
        let problem: Value = bad.json().await.unwrap();
        assert_eq!(problem["errors"][0]["field"], at, "{q}: {problem}");
        assert_eq!(
            problem["errors"].as_array().unwrap().len(),
            1,
            "{q}: {problem}"
        );
    }
    assert!(seen(&pets).is_empty());
}
