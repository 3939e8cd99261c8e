//! Arbitrary HTTP requests (method, target bytes, headers, content type, body) into the
//! generated PathStack and kitchen-sink (3.1) routers, in process: no panic, no hang, and no 5xx
//! unless a handler ran and answered an error its operation does not declare (the glue itself
//! never answers 500).
#![no_main]

#[path = "../../tests/tests/server_support/memory.rs"]
#[allow(dead_code)]
mod memory;
#[path = "../../tests/tests/server_support/zoo.rs"]
mod zoo;

use std::sync::OnceLock;

use arbitrary::Arbitrary;
use http_body_util::BodyExt as _;
use libfuzzer_sys::fuzz_target;
use stencil::server::{Config, Server};
use tower::ServiceExt as _;

#[derive(Arbitrary, Debug)]
struct Input {
    kitchen_sink: bool,
    method: u8,
    /// Index into a list of the routers' paths, or a raw target.
    path: PathChoice,
    query: Vec<(String, String)>,
    authorized: bool,
    content_type: u8,
    headers: Vec<(String, Vec<u8>)>,
    body: Body,
}

#[derive(Arbitrary, Debug)]
enum PathChoice {
    Known(u8, Vec<String>),
    Raw(Vec<u8>),
}

#[derive(Arbitrary, Debug)]
enum Body {
    Bytes(Vec<u8>),
    /// Arbitrary text, often JSON-shaped.
    Text(String),
    Json(Vec<(String, JsonLeaf)>),
}

#[derive(Arbitrary, Debug)]
enum JsonLeaf {
    Str(String),
    Int(i64),
    Big(u128),
    Float(f64),
    Bool(bool),
    Null,
    List(Vec<i32>),
}

const METHODS: &[&str] = &[
    "GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "TRACE",
];
const CONTENT_TYPES: &[&str] = &[
    "application/json",
    "application/x-www-form-urlencoded",
    "multipart/form-data; boundary=x",
    "text/plain",
    "application/octet-stream",
    "application/json; charset=utf-8",
    "image/png",
];
const PATHS: &[&str] = &[
    // PathStack
    "/token",
    "/refresh",
    "/account/summary",
    "/account/activity-summary",
    "/connection/{}",
    "/connection/{}/credentials",
    "/device/{}",
    "/device/{}/trip",
    "/trip/{}",
    "/trip/{}/position",
    "/realtime/device",
    "/webhook",
    // kitchen sink
    "/animals",
    "/animals/{}",
    "/animals/{}/photos",
    "/animals/{}/photos/{}",
    "/enclosures/{}",
    "/enclosures/{}/notes",
    "/keepers",
    "/feedings",
    "/search",
    "/catalog",
    "/echo/hostile",
];

fn runtime() -> &'static tokio::runtime::Runtime {
    static RUNTIME: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    RUNTIME.get_or_init(|| {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a runtime")
    })
}

fn target(input: &Input) -> String {
    let mut target = match &input.path {
        PathChoice::Known(i, segments) => {
            let mut path = PATHS[usize::from(*i) % PATHS.len()].to_owned();
            for s in segments {
                if !path.contains("{}") {
                    break;
                }
                let encoded: String = form_urlencoded::byte_serialize(s.as_bytes()).collect();
                path = path.replacen("{}", &encoded, 1);
            }
            path.replace("{}", "00000000-0000-4000-8000-000000000001")
        }
        PathChoice::Raw(bytes) => String::from_utf8_lossy(bytes).into_owned(),
    };
    if !input.query.is_empty() {
        let query: String = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(&input.query)
            .finish();
        target.push('?');
        target.push_str(&query);
    }
    target
}

fn body(input: &Input) -> Vec<u8> {
    match &input.body {
        Body::Bytes(b) => b.clone(),
        Body::Text(t) => t.clone().into_bytes(),
        Body::Json(fields) => {
            // Written by hand: integers beyond u64 need no `arbitrary_precision` (which would
            // change the runtime's own `serde_json` in this build).
            let members: Vec<String> = fields
                .iter()
                .map(|(k, v)| {
                    let v = match v {
                        JsonLeaf::Str(s) => serde_json::Value::from(s.clone()).to_string(),
                        JsonLeaf::Int(n) => n.to_string(),
                        JsonLeaf::Big(n) => n.to_string(),
                        JsonLeaf::Float(f) => serde_json::Number::from_f64(*f)
                            .map_or("null".to_owned(), |n| n.to_string()),
                        JsonLeaf::Bool(b) => b.to_string(),
                        JsonLeaf::Null => "null".to_owned(),
                        JsonLeaf::List(xs) => serde_json::Value::from(xs.clone()).to_string(),
                    };
                    format!("{}:{v}", serde_json::Value::from(k.clone()))
                })
                .collect();
            format!("{{{}}}", members.join(",")).into_bytes()
        }
    }
}

fuzz_target!(|input: Input| {
    let Ok(uri) = http::Uri::try_from(target(&input)) else {
        return; // hyper answers 400 before any router sees it
    };
    let mut request = http::Request::builder()
        .method(METHODS[usize::from(input.method) % METHODS.len()])
        .uri(uri);
    if input.authorized {
        request = request.header(
            "authorization",
            if input.kitchen_sink {
                "Bearer t"
            } else {
                "Bearer contract-test-token"
            },
        );
    }
    request = request.header(
        "content-type",
        CONTENT_TYPES[usize::from(input.content_type) % CONTENT_TYPES.len()],
    );
    for (name, value) in input.headers.iter().take(16) {
        if let (Ok(name), Ok(value)) = (
            http::HeaderName::from_bytes(name.as_bytes()),
            http::HeaderValue::from_bytes(value),
        ) {
            request = request.header(name, value);
        }
    }
    let Ok(request) = request.body(axum::body::Body::from(body(&input))) else {
        return;
    };
    let config = Config::default().body_limit(64 * 1024);
    let zoo = Server::with_config(zoo::Zoo::default(), config.clone());
    let router = if input.kitchen_sink {
        kitchen_sink_31::server::router_with(zoo.clone())
    } else {
        pathstack::server::router_with(Server::with_config(memory::Memory::new(), config))
    };
    let (status, bytes) = runtime().block_on(async move {
        let response = router.oneshot(request).await.expect("infallible");
        let status = response.status();
        let bytes = response
            .into_body()
            .collect()
            .await
            .expect("a body the server made")
            .to_bytes();
        (status, bytes)
    });
    if status.is_server_error() {
        assert!(
            input.kitchen_sink && zoo.api().handled(),
            "{status} from the glue: {}",
            String::from_utf8_lossy(&bytes)
        );
    }
    if status.is_client_error() && status != http::StatusCode::METHOD_NOT_ALLOWED {
        // Rejections are rendered in an envelope; 404 and 405 from the router have no body.
        if !bytes.is_empty() {
            assert!(
                serde_json::from_slice::<serde_json::Value>(&bytes).is_ok(),
                "{status} with a body that is not JSON: {}",
                String::from_utf8_lossy(&bytes)
            );
        }
    }
});
