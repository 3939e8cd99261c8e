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

/// The same API's server with one handler trait per tag (`Config::server_traits_per_tag`).
pub mod per_tag {
    stencil::include_api!("per_tag");
}

/// The same API, written unformatted (`Config::format(false)`).
pub mod unformatted {
    stencil::include_api!("unformatted");
}

/// Only `POST /token` of the same API, and the types it uses (`Config::include_path`).
pub mod login_only {
    stencil::include_api!("login_only");
}

/// Only `GET /device/{device_id}/trip` (nothing in its request to validate against a schema).
pub mod trips_only {
    stencil::include_api!("trips_only");
}

/// No operation at all (`exclude_path("/**")`): empty client and server, no types.
pub mod no_operations {
    stencil::include_api!("no_operations");
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
    /// The unformatted module is the same API: same types, same wire format.
    #[test]
    fn unformatted_code_is_the_same_api() {
        let formatted = crate::types::UsernamePassword {
            username: "ann".into(),
            password: "pw".into(),
        };
        let unformatted = crate::unformatted::types::UsernamePassword {
            username: "ann".into(),
            password: "pw".into(),
        };
        assert_eq!(
            stencil::serde_json::to_string(&formatted).unwrap(),
            stencil::serde_json::to_string(&unformatted).unwrap()
        );
        let _client = crate::unformatted::client::Client::default();
        assert_eq!(
            crate::unformatted::server::OPENAPI_DOCUMENT,
            crate::server::OPENAPI_DOCUMENT
        );
    }

    /// A server implementing the per-tag traits: `login` for real, the rest a domain error.
    mod per_tag_server {
        use crate::per_tag::server::*;
        use crate::per_tag::types;
        use stencil::server as rt;

        pub struct Server;

        fn unimplemented<T>() -> Result<T, rt::Error> {
            Err(rt::Error::new(
                rt::http::StatusCode::NOT_IMPLEMENTED,
                "not implemented",
            ))
        }

        impl ApiBase for Server {
            type Error = rt::Error;
            type Principal = String;

            async fn authenticate(&self, _: rt::Credentials) -> Result<String, rt::Error> {
                Err(rt::Error::unauthorized("no tokens here"))
            }
        }

        impl AuthApi for Server {
            async fn login(&self, request: LoginRequest) -> Result<LoginResponse, rt::Error> {
                if request.body.password != "secret" {
                    return Err(rt::Error::unauthorized("wrong password"));
                }
                Ok(LoginResponse::Ok(types::Success {
                    data: types::AuthenticationResult {
                        token_type: "bearer".into(),
                        expires_in: 3600,
                        access_token: "access".into(),
                        refresh_token: "refresh".into(),
                        sub: request.body.username,
                        refresh_token_expires_in: 86400,
                    },
                }))
            }
            async fn refresh(&self, _: RefreshRequest) -> Result<RefreshResponse, rt::Error> {
                unimplemented()
            }
        }

        impl AccountApi for Server {
            async fn account_summary(
                &self,
                _: String,
                _: AccountSummaryRequest,
            ) -> Result<AccountSummaryResponse, rt::Error> {
                unimplemented()
            }
            async fn account_activity_summary(
                &self,
                _: String,
                _: AccountActivitySummaryRequest,
            ) -> Result<AccountActivitySummaryResponse, rt::Error> {
                unimplemented()
            }
        }

        impl ConnectionsApi for Server {
            async fn update_connection(
                &self,
                _: String,
                _: UpdateConnectionRequest,
            ) -> Result<UpdateConnectionResponse, rt::Error> {
                unimplemented()
            }
            async fn update_connection_credentials(
                &self,
                _: String,
                _: UpdateConnectionCredentialsRequest,
            ) -> Result<UpdateConnectionCredentialsResponse, rt::Error> {
                unimplemented()
            }
        }

        impl DevicesApi for Server {
            async fn update_device_by_id(
                &self,
                _: String,
                _: UpdateDeviceByIdRequest,
            ) -> Result<UpdateDeviceByIdResponse, rt::Error> {
                unimplemented()
            }
        }

        impl TripsApi for Server {
            async fn trips(&self, _: String, _: TripsRequest) -> Result<TripsResponse, rt::Error> {
                unimplemented()
            }
            async fn trip_by_id(
                &self,
                _: String,
                _: TripByIdRequest,
            ) -> Result<TripByIdResponse, rt::Error> {
                unimplemented()
            }
        }

        impl PositionsApi for Server {
            async fn positions_by_trip_id(
                &self,
                _: String,
                _: PositionsByTripIdRequest,
            ) -> Result<PositionsByTripIdResponse, rt::Error> {
                unimplemented()
            }
        }

        impl RealTimeApi for Server {
            async fn get_realtime_positions(
                &self,
                _: String,
                _: GetRealtimePositionsRequest,
            ) -> Result<GetRealtimePositionsResponse, rt::Error> {
                unimplemented()
            }
        }

        impl DefaultApi for Server {
            async fn post_webhook(
                &self,
                _: String,
                _: PostWebhookRequest,
            ) -> Result<PostWebhookResponse, rt::Error> {
                unimplemented()
            }
        }
    }

    #[test]
    fn per_tag_traits_make_an_api() {
        // `Api` comes from the blanket impl; `router` takes it as before.
        fn is_api<A: crate::per_tag::server::Api>(_: &A) {}
        is_api(&per_tag_server::Server);
        let _router: stencil::axum::Router = crate::per_tag::server::router(per_tag_server::Server);
    }

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
