//! An interactive documentation page for a generated server's own document (feature
//! `docs-ui`): Swagger UI, what FastAPI serves at `/docs`, so users of the frameworks Stencil
//! replaces find what they know, with "Try it out" against the server itself.
//!
//! Every asset comes from the server: the Swagger UI distribution is compiled in (from the
//! `swagger-ui-redist` crate, which ships the files inside the crate: no download at build time,
//! no CDN at run time), so the page works offline and behind firewalls.

use axum::response::Html;
use axum::routing::get;
use axum::Router;
use http::header;
use swagger_ui_redist::{SwaggerUi, SwaggerUiStaticFile};

/// A router serving the documentation page for `document` (a generated server's
/// `OPENAPI_DOCUMENT`) at `path` (e.g. `/docs`), its assets under `path/`, and the document
/// itself at `path/openapi.json` or `path/openapi.yaml` (as the text is).
///
/// ```ignore
/// let app = pathstack::server::router(MyApi)
///     .merge(stencil::server::docs_route("/docs", pathstack::server::OPENAPI_DOCUMENT));
/// ```
pub fn docs_route(path: &str, document: &'static str) -> Router {
    let base = path.trim_end_matches('/');
    let path = if base.is_empty() { "/" } else { base };
    let extension = if document.trim_start().starts_with('{') {
        "json"
    } else {
        "yaml"
    };
    let document_path = format!("{base}/openapi.{extension}");

    let mut ui = SwaggerUi::new();
    ui.title("API documentation");
    ui.config().urls([document_path.clone()]);
    for file in SwaggerUiStaticFile::all() {
        ui.override_file_path(*file, format!("{base}/{}", file.file_name()));
    }
    // Only fails when the configuration cannot be serialised, which a list of URLs can.
    let page = ui
        .serve()
        .unwrap_or_else(|e| format!("<!doctype html><title>docs</title><p>{e}</p>"));

    let mut router = Router::new()
        .route(path, get(move || async move { Html(page.clone()) }))
        .merge(super::document_route(&document_path, document));
    for (file, bytes) in SwaggerUi::static_files() {
        let media_type = media_type(file.file_name());
        router = router.route(
            &format!("{base}/{}", file.file_name()),
            get(move || async move { ([(header::CONTENT_TYPE, media_type)], *bytes) }),
        );
    }
    router
}

fn media_type(file_name: &str) -> &'static str {
    match file_name.rsplit('.').next() {
        Some("css") => "text/css; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("png") => "image/png",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::Body;
    use http::{Request, StatusCode};
    use tower::ServiceExt as _;

    async fn get_path(router: &Router, path: &str) -> (StatusCode, String, Vec<u8>) {
        let response = router
            .clone()
            .oneshot(Request::get(path).body(Body::empty()).unwrap())
            .await
            .unwrap();
        let status = response.status();
        let media = response
            .headers()
            .get(header::CONTENT_TYPE)
            .map(|v| v.to_str().unwrap().to_owned())
            .unwrap_or_default();
        let body = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .unwrap();
        (status, media, body.to_vec())
    }

    #[tokio::test]
    async fn the_page_its_assets_and_the_document_come_from_the_server() {
        let router = docs_route("/docs/", "openapi: 3.1.0\n");
        let (status, media, page) = get_path(&router, "/docs").await;
        assert_eq!(status, StatusCode::OK);
        assert!(media.starts_with("text/html"), "{media}");
        let page = String::from_utf8(page).unwrap();
        assert!(page.contains("/docs/openapi.yaml"), "{page}");
        assert!(
            !page.contains("http://") && !page.contains("https://"),
            "{page}"
        );
        for file in SwaggerUiStaticFile::all() {
            let url = format!("/docs/{}", file.file_name());
            assert!(
                page.contains(&url) || url.ends_with(".png"),
                "{url} in {page}"
            );
            let (status, _, body) = get_path(&router, &url).await;
            assert_eq!(status, StatusCode::OK, "{url}");
            assert!(!body.is_empty(), "{url}");
        }
        let (status, media, body) = get_path(&router, "/docs/openapi.yaml").await;
        assert_eq!(
            (status, media.as_str()),
            (StatusCode::OK, "application/yaml")
        );
        assert_eq!(body, b"openapi: 3.1.0\n");
        assert_eq!(
            get_path(&docs_route("/d", "{}"), "/d/openapi.json").await.0,
            StatusCode::OK
        );
    }
}
