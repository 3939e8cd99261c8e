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

/// The same API with the `Trip` schema replaced by [`MyTrip`] (`Config::replace_type`).
pub mod replaced {
    stencil::include_api!("replaced");
}

/// The crate's own trip type, used by `replaced` wherever the document says `Trip`.
#[derive(Debug, Clone, PartialEq, stencil::serde::Serialize, stencil::serde::Deserialize)]
#[serde(crate = "stencil::serde")]
pub struct MyTrip {
    pub id: String,
    pub distance_metres: f64,
}

#[cfg(test)]
mod tests {
    #[test]
    fn replaced_type_is_used_everywhere() {
        // `Success[Trip]` now carries the crate's own type.
        let trip: super::replaced::types::SuccessTrip = stencil::serde_json::from_value(
            stencil::serde_json::json!({"data": {"id": "t1", "distance_metres": 12.5}}),
        )
        .expect("decodes into MyTrip");
        assert_eq!(
            trip.data,
            super::MyTrip {
                id: "t1".into(),
                distance_metres: 12.5
            }
        );
    }

    #[test]
    fn generated_type_serializes() {
        assert_eq!(
            super::login_body("ada", "secret"),
            stencil::serde_json::json!({"username": "ada", "password": "secret"})
        );
    }
}
