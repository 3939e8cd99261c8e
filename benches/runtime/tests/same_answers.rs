//! Both benchmark servers must do the same work: the same status, content type and body bytes
//! for a good and a bad login. (Nothing here is timed.)

use axum::body::Body;
use axum::http::{header, Method, Request};
use http_body_util::BodyExt as _;
use stencil_runtime_bench::{generated, hand, LOGIN_BODY};
use tower::ServiceExt as _;

async fn answer(router: axum::Router, body: &'static str) -> (u16, String, Vec<u8>) {
    let request = Request::builder()
        .method(Method::POST)
        .uri("/token")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(body))
        .expect("a valid request");
    let response = router.oneshot(request).await.expect("infallible");
    let status = response.status().as_u16();
    let content_type = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let bytes = response
        .into_body()
        .collect()
        .await
        .expect("a body")
        .to_bytes();
    (status, content_type, bytes.to_vec())
}

#[tokio::test]
async fn both_servers_answer_the_same_bytes() {
    for body in [LOGIN_BODY, r#"{"username":"demo","password":"wrong"}"#] {
        let g = answer(generated::router(), body).await;
        let h = answer(hand::router(), body).await;
        assert_eq!(g.0, h.0, "status for {body}");
        assert_eq!(g.1, h.1, "content type for {body}");
        assert_eq!(
            String::from_utf8_lossy(&g.2),
            String::from_utf8_lossy(&h.2),
            "body for {body}"
        );
    }
    let ok = answer(generated::router(), LOGIN_BODY).await;
    assert_eq!(ok.0, 200);
}
