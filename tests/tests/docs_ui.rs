//! The documentation page of the generated server (`server::docs_router`, the generated crate's
//! feature `docs-ui`) in a real browser:
//! headless Chromium loads it from the generated PathStack server on 127.0.0.1, with every
//! other host unreachable, and the page it renders lists the `POST /token` Login operation.
//!
//! Needs Chromium: `tests/docs-ui/run.sh` installs it (Debian package) and runs this test.
//! `STENCIL_CHROMIUM` names the binary (default `chromium`).

#[path = "server_support/memory.rs"]
mod memory;

use std::process::Command;

use memory::Memory;
use tower::ServiceExt as _;

/// Without a browser: the generated route serves the page and the server's own document beside
/// the operations' routes.
#[tokio::test]
async fn the_generated_server_serves_its_docs_page() {
    let router =
        pathstack::server::router(Memory::new()).merge(pathstack::server::docs_router("/docs"));
    let get = |path: &str| {
        let request = axum::http::Request::get(path)
            .body(axum::body::Body::empty())
            .unwrap();
        let router = router.clone();
        async move {
            let response = router.oneshot(request).await.unwrap();
            let status = response.status();
            let body = axum::body::to_bytes(response.into_body(), usize::MAX)
                .await
                .unwrap();
            (status, String::from_utf8_lossy(&body).into_owned())
        }
    };
    let (status, page) = get("/docs").await;
    assert_eq!(status, 200);
    assert!(page.contains("/docs/openapi.yaml"), "{page}");
    let (status, document) = get("/docs/openapi.yaml").await;
    assert_eq!(
        (status.as_u16(), document.as_str()),
        (200, pathstack::server::OPENAPI_DOCUMENT)
    );
    // The operations are still served.
    assert_eq!(get("/token").await.0, 405, "POST only");
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs Chromium: tests/docs-ui/run.sh"]
async fn the_docs_page_lists_the_operations_offline() {
    let router =
        pathstack::server::router(Memory::new()).merge(pathstack::server::docs_router("/docs"));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind 127.0.0.1");
    let addr = listener.local_addr().expect("local addr");
    tokio::spawn(async move { axum::serve(listener, router).await.expect("serve") });

    let url = format!("http://{addr}/docs");
    let dom = tokio::task::spawn_blocking(move || dump_dom(&url))
        .await
        .expect("join");
    // Swagger UI renders one `opblock` per operation once it has fetched and parsed the
    // document: none of this is in the HTML the server sends.
    assert!(dom.contains("id=\"swagger-ui\""), "{dom}");
    assert!(
        dom.contains("opblock-post"),
        "no operation rendered:\n{dom}"
    );
    assert!(
        dom.contains("data-path=\"/token\""),
        "no POST /token:\n{dom}"
    );
    assert!(dom.contains(">Login<"), "no Login summary:\n{dom}");
}

/// The DOM of `url` after its scripts ran, from headless Chromium that can reach 127.0.0.1
/// only: names resolve to nothing and other addresses go through a proxy that is not there.
fn dump_dom(url: &str) -> String {
    let chromium = std::env::var("STENCIL_CHROMIUM").unwrap_or_else(|_| "chromium".to_owned());
    let profile = std::env::temp_dir().join(format!("stencil-docs-ui-{}", std::process::id()));
    let output = Command::new(&chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
            "--proxy-server=http://127.0.0.1:9",
            "--virtual-time-budget=20000",
            "--dump-dom",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(url)
        .output()
        .unwrap_or_else(|e| {
            panic!("cannot run {chromium} (tests/docs-ui/run.sh installs it): {e}")
        });
    let _ = std::fs::remove_dir_all(&profile);
    assert!(
        output.status.success(),
        "{chromium} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}
