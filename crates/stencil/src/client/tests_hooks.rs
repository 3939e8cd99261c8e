//! Hooks, spans, options and transports, over a real socket and in-process.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::http::HeaderMap as AxumHeaders;
use axum::routing::get;
use hmac::{Hmac, KeyInit, Mac};
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use reqwest::{Method, StatusCode};
use sha2::Sha256;

use super::tests_retry::{serve, status, Script};
use super::*;

const KEY: &[u8] = b"shared signing key";

/// The signature of a request: HMAC-SHA256 of `METHOD path?query\nbody`, hex.
fn signature(method: &str, path_and_query: &str, body: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(KEY).unwrap();
    mac.update(format!("{method} {path_and_query}\n").as_bytes());
    mac.update(body);
    mac.finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Signs every attempt in an `x-signature` header.
struct Sign;

impl Hook for Sign {
    fn before_send(
        &self,
        request: &mut reqwest::Request,
        _: &Operation<'_>,
    ) -> Result<(), BoxError> {
        let url = request.url();
        let target = match url.query() {
            Some(q) => format!("{}?{q}", url.path()),
            None => url.path().to_owned(),
        };
        let body = request
            .body()
            .and_then(|b| b.as_bytes())
            .unwrap_or_default();
        let sig = signature(request.method().as_str(), &target, body);
        request.headers_mut().insert("x-signature", sig.parse()?);
        Ok(())
    }
}

/// Records what each hook saw, to check the order.
struct Record(&'static str, Arc<Mutex<Vec<String>>>);

impl Hook for Record {
    fn before_send(
        &self,
        request: &mut reqwest::Request,
        op: &Operation<'_>,
    ) -> Result<(), BoxError> {
        let signed = request.headers().contains_key("x-signature");
        self.1.lock().unwrap().push(format!(
            "{} before {} {} {} attempt {} signed {signed}",
            self.0,
            op.id.unwrap_or("-"),
            op.method,
            op.template,
            op.attempt
        ));
        Ok(())
    }

    fn after_receive(&self, status: StatusCode, headers: &HeaderMap, op: &Operation<'_>) {
        self.1.lock().unwrap().push(format!(
            "{} after {} {status} {}",
            self.0,
            op.id.unwrap_or("-"),
            headers
                .get("x-verified")
                .map_or("?", |v| v.to_str().unwrap_or("?"))
        ));
    }
}

/// A server that checks the signature and says so in `x-verified` (401 when it is wrong).
fn verifying_router() -> axum::Router {
    axum::Router::new().fallback(
        |method: axum::http::Method,
         uri: axum::http::Uri,
         headers: AxumHeaders,
         body: axum::body::Bytes| async move {
            let target = uri.path_and_query().map_or("/", |p| p.as_str()).to_owned();
            let expected = signature(method.as_str(), &target, &body);
            let ok = headers
                .get("x-signature")
                .is_some_and(|s| s == expected.as_str());
            let status = if ok {
                axum::http::StatusCode::OK
            } else {
                axum::http::StatusCode::UNAUTHORIZED
            };
            (
                status,
                [("x-verified", if ok { "yes" } else { "no" })],
                "{}",
            )
        },
    )
}

#[tokio::test]
async fn hooks_sign_requests_and_run_in_order() {
    let url = serve(verifying_router()).await;
    let log = Arc::new(Mutex::new(Vec::new()));
    let core = Core::new(url, &[]).configure(|o| {
        o.hook(Record("first", log.clone()))
            .hook(Sign)
            .hook(Record("last", log.clone()))
    });
    let request = core
        .request(Method::POST)
        .operation("create_item")
        .path("/items/")
        .segment("id", "a b")
        .query("q", "x", Style::Form, true)
        .json(&serde_json::json!({"n": 1}), "application/json");
    assert_eq!(
        status(request).await.unwrap(),
        200,
        "the signature verifies"
    );
    assert_eq!(
        *log.lock().unwrap(),
        [
            "first before create_item POST /items/{id} attempt 1 signed false",
            "last before create_item POST /items/{id} attempt 1 signed true",
            "first after create_item 200 OK yes",
            "last after create_item 200 OK yes",
        ]
    );
    // Without the signing hook the server refuses.
    let unsigned = Core::new(core.base_url().to_owned(), &[]);
    assert_eq!(
        status(unsigned.request(Method::GET).path("/x"))
            .await
            .unwrap(),
        401
    );
}

#[tokio::test]
async fn a_failing_hook_stops_the_request() {
    struct Refuse;
    impl Hook for Refuse {
        fn before_send(&self, _: &mut reqwest::Request, _: &Operation<'_>) -> Result<(), BoxError> {
            Err("no signing key".into())
        }
    }
    let script = Script::new(&[(200, None)]);
    let core = Core::new(script.serve().await, &[]).configure(|o| o.hook(Refuse));
    let err = status(core.request(Method::GET).path("/a"))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Hook(e) if e.to_string() == "no signing key"),
        "{err:?}"
    );
    assert_eq!(script.received(), 0);
}

#[tokio::test]
async fn timeouts_and_extra_headers_per_request() {
    let router = axum::Router::new()
        .route(
            "/slow",
            get(|| async {
                tokio::time::sleep(Duration::from_secs(3)).await;
                "late"
            }),
        )
        .route(
            "/echo",
            get(|headers: AxumHeaders| async move {
                let v = headers
                    .get("x-extra")
                    .map(|v| v.to_str().unwrap().to_owned());
                (axum::http::StatusCode::OK, v.unwrap_or_default())
            }),
        );
    let url = serve(router.clone()).await;
    let core = Core::new(url.clone(), &[]);
    let quick = core.configure(|o| o.timeout(Duration::from_millis(200)));
    let err = status(quick.request(Method::GET).path("/slow"))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Transport(e) if e.is_timeout()),
        "{err:?}"
    );
    let tagged = core.configure(|o| {
        o.header(
            HeaderName::from_static("x-extra"),
            HeaderValue::from_static("t-1"),
        )
    });
    let text = |r: Request<'_>| {
        r.send::<String, ()>(|r| match r.status() {
            200 => r.ok(text),
            _ => r.unexpected(),
        })
    };
    assert_eq!(
        *text(tagged.request(Method::GET).path("/echo"))
            .await
            .unwrap(),
        "t-1"
    );
    assert_eq!(
        *text(core.request(Method::GET).path("/echo")).await.unwrap(),
        "",
        "the original core is unchanged"
    );
    // The same over the in-process transport: its timeout is an `Error::Custom`.
    let inproc = Core::with_transport("http://api.test", Transport::service(router), &[])
        .configure(|o| o.timeout(Duration::from_millis(200)));
    let err = status(inproc.request(Method::GET).path("/slow"))
        .await
        .unwrap_err();
    assert!(matches!(&err, Error::Custom(_)), "{err:?}");
}

#[tokio::test]
async fn in_process_and_function_transports() {
    let script = Script::new(&[(503, None), (200, None)]);
    let core = Core::with_transport(
        "http://api.test/v1",
        Transport::service(script.router()),
        &[],
    )
    .configure(|o| {
        o.retry(RetryPolicy::new().backoff(Duration::from_millis(1), Duration::from_millis(2)))
    });
    let sent = core
        .request(Method::GET)
        .path("/a")
        .send::<serde_json::Value, ()>(|r| match r.status() {
            200 => r.ok(json),
            _ => r.unexpected(),
        });
    let value = sent.await.unwrap();
    assert_eq!(*value, serde_json::json!({"status": 200}));
    assert_eq!(script.received(), 2, "retries work in-process too");
    assert_eq!(script.headers.lock().unwrap()[0]["host"], "api.test");
    // A reqwest-middleware client, through a function transport.
    let script = Script::new(&[(204, None)]);
    let url = script.serve().await;
    let middleware = reqwest_middleware::ClientBuilder::new(reqwest::Client::new())
        .with(tag)
        .build();
    let via_fn = Core::with_transport(
        url,
        Transport::from_fn(move |request| {
            let client = middleware.clone();
            async move { client.execute(request).await }
        }),
        &[],
    );
    assert_eq!(
        status(via_fn.request(Method::DELETE).path("/a"))
            .await
            .unwrap(),
        204
    );
    assert_eq!(script.headers.lock().unwrap()[0]["x-middleware"], "ran");
}

/// A reqwest-middleware middleware that tags each request.
fn tag<'a>(
    mut request: reqwest::Request,
    extensions: &'a mut http::Extensions,
    next: reqwest_middleware::Next<'a>,
) -> std::pin::Pin<
    Box<
        dyn std::future::Future<Output = reqwest_middleware::Result<reqwest::Response>> + Send + 'a,
    >,
> {
    request
        .headers_mut()
        .insert("x-middleware", HeaderValue::from_static("ran"));
    Box::pin(next.run(request, extensions))
}

/// A `tracing` writer into a shared buffer.
#[derive(Clone, Default)]
struct Buffer(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Buffer {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// What `run` logs (spans when they close, events at DEBUG) under a subscriber of its own.
pub(super) fn record(run: impl Fn()) -> String {
    let buffer = Buffer::default();
    let writer = buffer.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::DEBUG)
        .with_span_events(tracing_subscriber::fmt::format::FmtSpan::CLOSE)
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .finish();
    // Once without a subscriber, so that the span and event call sites are registered before
    // this one is: tests running at the same time without one could otherwise leave a "never
    // interested" verdict cached while registering them.
    run();
    tracing::subscriber::with_default(subscriber, || {
        tracing::callsite::rebuild_interest_cache();
        run();
    });
    let out = buffer.0.lock().unwrap().clone();
    String::from_utf8(out).unwrap()
}

#[test]
fn spans_carry_the_attributes_and_no_secrets() {
    static SCHEMES: &[Scheme] = &[
        Scheme::Bearer,
        Scheme::ApiKey {
            location: KeyLocation::Query,
            name: "api_key",
        },
    ];
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let script = Script::new(&[(503, None), (404, None)]);
    let url = runtime.block_on(script.serve());
    let core = Core::new(url, SCHEMES).configure(|o| {
        o.retry(RetryPolicy::new().backoff(Duration::from_millis(1), Duration::from_millis(2)))
    });
    core.set_token(0, "TOKEN-SECRET".into());
    core.set_api_key(1, "KEY-SECRET".into());
    let get_pet = || {
        *script.answers.lock().unwrap() = vec![(503, None), (404, None)];
        let request = core
            .request(Method::GET)
            .operation("get_pet")
            .path("/pets/")
            .segment("id", "PATH-VALUE")
            .query("q", "QUERY-VALUE", Style::Form, true)
            .auth(&[&[0, 1]]);
        assert_eq!(runtime.block_on(status(request)).unwrap(), 404);
    };
    let out = record(get_pet);
    for expected in [
        "http.client.request{",
        "otel.name=\"get_pet\"",
        "http.request.method=\"GET\"",
        "url.template=\"/pets/{id}\"",
        "server.address=\"127.0.0.1\"",
        "http.request.resend_count=1",
        "http.response.status_code=404",
        "error.type=\"404\"",
        "retrying",
    ] {
        assert!(out.contains(expected), "{expected} not in:\n{out}");
    }
    for secret in ["TOKEN-SECRET", "KEY-SECRET", "PATH-VALUE", "QUERY-VALUE"] {
        assert!(!out.contains(secret), "{secret} in:\n{out}");
    }
}
