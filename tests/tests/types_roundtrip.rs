//! The PathStack examples deserialise into the generated types and serialise back to the same
//! JSON: the login request, the response with tokens, each error envelope, and a PATCH body
//! where "omitted" and "null" mean different things.

use pathstack::types;
use serde_json::{json, Value};
use stencil::Nullable;

/// `value` → `T` → JSON must give `value` back, and `T` must hold what the JSON says.
fn round_trip<T>(value: Value) -> T
where
    T: stencil::serde::de::DeserializeOwned + stencil::serde::Serialize,
{
    let typed: T = serde_json::from_value(value.clone()).expect("deserialises");
    let back = serde_json::to_value(&typed).expect("serialises");
    assert_eq!(back, value, "round trip changed the JSON");
    typed
}

#[test]
fn login_request() {
    let body: types::UsernamePassword =
        round_trip(json!({"username": "fleet@example.com", "password": "hunter2"}));
    assert_eq!(body.username, "fleet@example.com");
    assert_eq!(body.password, "hunter2");
    // Both fields are required.
    assert!(serde_json::from_value::<types::UsernamePassword>(json!({"username": "x"})).is_err());
}

#[test]
fn login_response_with_tokens() {
    let ok: types::SuccessAuthenticationResult = round_trip(json!({
        "data": {
            "token_type": "Bearer",
            "expires_in": 3600,
            "access_token": "eyJhbGciOi.access",
            "refresh_token": "eyJhbGciOi.refresh",
            "sub": "8f0c2a4e-user",
            "refresh_token_expires_in": 2592000
        }
    }));
    // `Success[AuthenticationResult]` is the generic `Success<T>`.
    let generic: &types::Success<types::AuthenticationResult> = &ok;
    assert_eq!(generic.data.expires_in, 3600);
    assert_eq!(ok.data.access_token, "eyJhbGciOi.access");
}

#[test]
fn error_envelopes_400_401_403() {
    for (code, message) in [
        (400, "Invalid JWT format"),
        (
            401,
            "Authentication header is missing, or token is invalid/expired.",
        ),
        (403, "You do not have access to this resource"),
    ] {
        let envelope: types::ErrorResponse =
            round_trip(json!({"error": {"code": code, "message": message}}));
        let error = envelope.error.expect("error present");
        assert_eq!(error.code, Some(code));
        assert_eq!(error.message.as_deref(), Some(message));
    }
}

#[test]
fn error_envelope_422() {
    let envelope: types::UnprocessableEntityResponse = round_trip(json!({
        "error": {
            "code": 422,
            "message": "Field required",
            "loc": ["body", "username", 0],
            "msg": "Field required",
            "type": "missing"
        }
    }));
    let error = envelope.error.expect("error present");
    assert_eq!(error.type_.as_deref(), Some("missing"));
    assert_eq!(
        error.loc.expect("loc"),
        vec![
            types::UnprocessableEntityResponseErrorLocItem::String("body".into()),
            types::UnprocessableEntityResponseErrorLocItem::String("username".into()),
            types::UnprocessableEntityResponseErrorLocItem::I64(0),
        ]
    );
}

#[test]
fn patch_body_keeps_absent_and_null_apart() {
    // Omitted: unchanged. null: clear. A value: set.
    let body: types::UpdateConnectionBody =
        round_trip(json!({"business_name": null, "tags": ["north", "fleet-2"]}));
    assert_eq!(body.business_name, Nullable::Null, "null means clear");
    assert_eq!(
        body.tags,
        Nullable::Value(vec!["north".into(), "fleet-2".into()])
    );
    assert_eq!(body.abn, Nullable::Absent, "absent means unchanged");
    assert_eq!(body.email, Nullable::Absent);
    let empty: types::UpdateConnectionBody = round_trip(json!({}));
    assert_eq!(empty, types::UpdateConnectionBody::default());
}

#[test]
fn nullable_links_are_always_optional() {
    let links: types::Links = round_trip(
        json!({"previous": null, "current": "/device/1/trip?page=0", "next": "/device/1/trip?page=1"}),
    );
    assert_eq!(links.previous, Nullable::Null);
    assert_eq!(links.next, Nullable::Value("/device/1/trip?page=1".into()));
}

/// Secrets never print in `Debug` (issue 18): PathStack's credentials and tokens are redacted,
/// the other fields print as derived.
#[test]
fn credentials_and_tokens_print_redacted() {
    let login = pathstack::types::UsernamePassword {
        username: "ann".to_owned(),
        password: "hunter2-SECRET".to_owned(),
    };
    assert_eq!(
        format!("{login:?}"),
        r#"UsernamePassword { username: "ann", password: [redacted] }"#
    );
    let auth = pathstack::types::AuthenticationResult {
        token_type: "bearer".to_owned(),
        access_token: "access-SECRET".to_owned(),
        refresh_token: "refresh-SECRET".to_owned(),
        sub: "ann".to_owned(),
        expires_in: 3600,
        refresh_token_expires_in: 86400,
    };
    let shown = format!("{auth:?} {auth:#?}");
    assert!(!shown.contains("SECRET"), "{shown}");
    assert!(shown.contains("access_token: [redacted]"), "{shown}");
    assert!(shown.contains(r#"sub: "ann""#), "{shown}");
    // Inside a generated request, too.
    let request = pathstack::server::LoginRequest {
        x_api_version: Default::default(),
        body: login,
    };
    assert!(!format!("{request:?}").contains("SECRET"));
}
