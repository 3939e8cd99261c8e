//! A downstream crate that uses Stencil exactly as the README documents: `stencil-build` in
//! `build.rs` writes `$OUT_DIR/api.rs` from the PathStack document, and `include_api!` brings it
//! in. `tests/out_dir.rs` checks the output against the checked-in `generated/pathstack`.

stencil::include_api!("api");

/// The body of `POST /token`, built from a generated type.
pub fn login_body(username: &str, password: &str) -> stencil::serde_json::Value {
    let body = types::UsernamePassword {
        username: username.to_owned(),
        password: password.to_owned(),
    };
    stencil::serde_json::to_value(body).expect("a struct of strings serializes")
}

#[cfg(test)]
mod tests {
    #[test]
    fn generated_type_serializes() {
        assert_eq!(
            super::login_body("ada", "secret"),
            stencil::serde_json::json!({"username": "ada", "password": "secret"})
        );
    }
}
