//! `Config::include_path("/token#POST")` (build.rs, module `login_only`): the client and server
//! have that operation alone, the types module only what it uses, and the generated client
//! logs in against the generated server over 127.0.0.1.

use std::fs;
use std::path::Path;

use stencil::server as rt;
use stencil_build_consumer::login_only::{client, server, types};

/// A server for the selected API: implementing `login` is all the handler trait asks for (with
/// another operation left in, this impl would not compile; `login` needs no credentials, so
/// neither `Principal` nor `authenticate` is asked for either).
struct Login;

impl server::Api for Login {
    type Error = rt::Error;

    async fn login(
        &self,
        request: server::LoginRequest,
    ) -> Result<server::LoginResponse, rt::Error> {
        if request.body.password != "secret" {
            return Ok(server::LoginResponse::Unauthorized(types::ErrorResponse {
                error: Some(types::ErrorResponseError {
                    code: Some(401),
                    message: Some("wrong password".into()),
                }),
            }));
        }
        Ok(server::LoginResponse::Ok(types::Success {
            data: types::AuthenticationResult {
                token_type: "bearer".into(),
                expires_in: 3600,
                access_token: format!("access-{}", request.body.username),
                refresh_token: "refresh".into(),
                sub: request.body.username,
                refresh_token_expires_in: 86400,
            },
        }))
    }
}

#[tokio::test]
async fn the_selected_operation_works_end_to_end() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        stencil::axum::serve(listener, server::router(Login))
            .await
            .unwrap();
    });
    assert_eq!(server::operations::ALL.len(), 1);

    let client = client::Client::new(base.clone());
    let body = |password: &str| types::UsernamePassword {
        username: "ada".into(),
        password: password.into(),
    };
    let ok = client.login(body("secret")).await.expect("200");
    assert_eq!(ok.data.access_token, "access-ada");
    match client.login(body("nope")).await {
        Err(stencil::client::Error::Api(e)) => {
            assert_eq!(e.status().as_u16(), 401);
            assert!(matches!(
                e.into_inner(),
                client::LoginError::Unauthorized(_)
            ));
        }
        other => panic!("expected the declared 401, got {other:?}"),
    }
    // Other paths of the document are not served.
    let status = stencil::reqwest::Client::new()
        .get(format!("{base}/device/d1"))
        .send()
        .await
        .unwrap()
        .status();
    assert_eq!(status.as_u16(), 404);
}

#[test]
fn the_served_document_has_the_selected_operation_only() {
    let doc: stencil::serde_json::Value =
        stencil::serde_json::from_str(server::OPENAPI_DOCUMENT).expect("JSON");
    let paths = doc["paths"].as_object().expect("paths");
    assert_eq!(paths.keys().collect::<Vec<_>>(), ["/token"]);
    let methods: Vec<&String> = paths["/token"].as_object().unwrap().keys().collect();
    assert_eq!(methods, ["post"]);
    assert_eq!(doc["info"]["version"], "2024-03-26");
}

#[test]
fn only_the_types_login_uses_are_generated() {
    let code = fs::read_to_string(Path::new(env!("OUT_DIR")).join("login_only.rs")).unwrap();
    let full = fs::read_to_string(Path::new(env!("OUT_DIR")).join("api.rs")).unwrap();
    let types = |code: &str| -> Vec<String> {
        code.lines()
            .filter_map(|l| {
                let l = l.trim_start();
                l.strip_prefix("pub struct ")
                    .or_else(|| l.strip_prefix("pub enum "))
                    .or_else(|| l.strip_prefix("pub type "))
                    .map(|rest| {
                        rest.split([' ', '<', '(', '{', '='])
                            .next()
                            .unwrap_or("")
                            .to_owned()
                    })
            })
            .collect()
    };
    let (selected, all) = (types(&code), types(&full));
    for used in [
        "UsernamePassword",
        "SuccessAuthenticationResult",
        "AuthenticationResult",
    ] {
        assert!(
            selected.iter().any(|t| t == used),
            "{used} missing: {selected:?}"
        );
    }
    for unused in ["Trip", "Device", "UpdateDeviceByIdRequest"] {
        assert!(
            all.iter().any(|t| t == unused),
            "{unused} is in the whole API"
        );
        assert!(
            !selected.iter().any(|t| t == unused),
            "{unused} generated: {selected:?}"
        );
    }
    assert!(
        selected.len() * 3 < all.len(),
        "{} of {} types",
        selected.len(),
        all.len()
    );
}

#[test]
fn the_other_selections_are_what_they_say() {
    use stencil_build_consumer::{no_operations, trips_only};
    assert_eq!(trips_only::server::operations::ALL.len(), 1);
    assert_eq!(
        trips_only::server::operations::ALL[0].path,
        "/device/{device_id}/trip"
    );
    let _: fn(
        &trips_only::client::Client,
        stencil::uuid::Uuid,
    ) -> trips_only::client::TripsRequest<'_> = trips_only::client::Client::trips;
    assert!(no_operations::server::operations::ALL.is_empty());
    let code = fs::read_to_string(Path::new(env!("OUT_DIR")).join("no_operations.rs")).unwrap();
    let types = code
        .split("pub mod types {")
        .nth(1)
        .and_then(|rest| rest.split("pub mod client").next())
        .expect("a types module before the client");
    assert!(
        !types.contains("pub struct ") && !types.contains("pub enum "),
        "{types}"
    );
}
