//! Runtime benchmark of Stencil's generated PathStack server and client (issue 7, runtime part).
//!
//! Two servers doing the same work for `POST /token` (Login): read the JSON body
//! `{"username": ..., "password": ...}` into a struct, check the credentials, answer the same
//! token JSON (`{"data": {...}}`, 200) or the same error envelope (401):
//!
//! - [`generated::router`]: the generated `pathstack::server::router` over [`generated::Bench`],
//!   a minimal `Api` implementation;
//! - [`hand::router`]: a hand-written axum 0.8 handler (`Json<LoginBody>` in, `Json<...>` out).
//!
//! The binaries (`runtime-bench-server`, `runtime-bench-client`, `runtime-bench-inproc`) are
//! driven by `benches/runtime/run.sh`, which builds them in release mode and prints a table.
//! Nothing here asserts on time.

use std::time::Duration;

/// The user name that logs in.
pub const USERNAME: &str = "demo";
/// Its password.
pub const PASSWORD: &str = "secret";
/// The request body every benchmark sends (`wrk` reads the same text from `login.lua`).
pub const LOGIN_BODY: &str = r#"{"username":"demo","password":"secret"}"#;

/// The token fields both servers answer.
pub const TOKEN_TYPE: &str = "bearer";
pub const ACCESS_TOKEN: &str = "access-demo-0123456789abcdef";
pub const REFRESH_TOKEN: &str = "refresh-demo-0123456789abcdef";
pub const SUB: &str = "sub-demo";
pub const EXPIRES_IN: i64 = 3600;
pub const REFRESH_EXPIRES_IN: i64 = 86400;
/// The 401 message both servers answer for wrong credentials.
pub const UNAUTHORIZED: &str = "Incorrect username or password";

/// The hand-written server: plain axum 0.8, serde structs, no Stencil.
pub mod hand {
    use axum::http::StatusCode;
    use axum::response::{IntoResponse, Response};
    use axum::routing::post;
    use axum::{Json, Router};
    use serde::{Deserialize, Serialize};

    /// The request body.
    #[derive(Debug, Clone, Serialize, Deserialize)]
    pub struct LoginBody {
        pub username: String,
        pub password: String,
    }

    /// The token, in the order the generated `AuthenticationResult` serialises its fields.
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct Token {
        pub token_type: String,
        pub expires_in: i64,
        pub access_token: String,
        pub refresh_token: String,
        pub sub: String,
        pub refresh_token_expires_in: i64,
    }

    /// The success wrapper (`Success[AuthenticationResult]`).
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct Success<T> {
        pub data: T,
    }

    #[derive(Debug, Clone, Serialize)]
    struct ErrorBody {
        code: i64,
        message: String,
    }

    #[derive(Debug, Clone, Serialize)]
    struct ErrorEnvelope {
        error: ErrorBody,
    }

    /// `POST /token`.
    pub async fn login(Json(body): Json<LoginBody>) -> Response {
        if body.username == super::USERNAME && body.password == super::PASSWORD {
            Json(Success {
                data: Token {
                    token_type: super::TOKEN_TYPE.to_owned(),
                    expires_in: super::EXPIRES_IN,
                    access_token: super::ACCESS_TOKEN.to_owned(),
                    refresh_token: super::REFRESH_TOKEN.to_owned(),
                    sub: super::SUB.to_owned(),
                    refresh_token_expires_in: super::REFRESH_EXPIRES_IN,
                },
            })
            .into_response()
        } else {
            (
                StatusCode::UNAUTHORIZED,
                Json(ErrorEnvelope {
                    error: ErrorBody {
                        code: 401,
                        message: super::UNAUTHORIZED.to_owned(),
                    },
                }),
            )
                .into_response()
        }
    }

    /// The hand-written router: only `POST /token`.
    pub fn router() -> Router {
        Router::new().route("/token", post(login))
    }
}

/// The generated server: `pathstack::server::router` over a minimal `Api` implementation.
pub mod generated {
    use pathstack::server::{self as api, Api};
    use pathstack::types;
    use stencil::server::{http::StatusCode, Credentials, Error};

    /// Login checks the credentials and answers the fixed token; every other operation
    /// answers 501 (the benchmark never calls them).
    #[derive(Debug, Default, Clone, Copy)]
    pub struct Bench;

    fn unused() -> Error {
        Error::new(StatusCode::NOT_IMPLEMENTED, "not part of the benchmark")
    }

    impl Api for Bench {
        type Error = Error;
        type Principal = ();

        async fn authenticate(&self, _credentials: Credentials) -> Result<(), Error> {
            Err(Error::unauthorized("not part of the benchmark"))
        }

        async fn login(&self, request: api::LoginRequest) -> Result<api::LoginResponse, Error> {
            let body = request.body;
            Ok(
                if body.username == super::USERNAME && body.password == super::PASSWORD {
                    api::LoginResponse::Ok(types::Success {
                        data: types::AuthenticationResult {
                            token_type: super::TOKEN_TYPE.to_owned(),
                            expires_in: super::EXPIRES_IN,
                            access_token: super::ACCESS_TOKEN.to_owned(),
                            refresh_token: super::REFRESH_TOKEN.to_owned(),
                            sub: super::SUB.to_owned(),
                            refresh_token_expires_in: super::REFRESH_EXPIRES_IN,
                        },
                    })
                } else {
                    api::LoginResponse::Unauthorized(types::ErrorResponse {
                        error: Some(types::ErrorResponseError {
                            code: Some(401),
                            message: Some(super::UNAUTHORIZED.to_owned()),
                        }),
                    })
                },
            )
        }

        async fn refresh(&self, _: api::RefreshRequest) -> Result<api::RefreshResponse, Error> {
            Err(unused())
        }

        async fn account_summary(
            &self,
            _: (),
            _: api::AccountSummaryRequest,
        ) -> Result<api::AccountSummaryResponse, Error> {
            Err(unused())
        }

        async fn account_activity_summary(
            &self,
            _: (),
            _: api::AccountActivitySummaryRequest,
        ) -> Result<api::AccountActivitySummaryResponse, Error> {
            Err(unused())
        }

        async fn update_connection(
            &self,
            _: (),
            _: api::UpdateConnectionRequest,
        ) -> Result<api::UpdateConnectionResponse, Error> {
            Err(unused())
        }

        async fn update_connection_credentials(
            &self,
            _: (),
            _: api::UpdateConnectionCredentialsRequest,
        ) -> Result<api::UpdateConnectionCredentialsResponse, Error> {
            Err(unused())
        }

        async fn update_device_by_id(
            &self,
            _: (),
            _: api::UpdateDeviceByIdRequest,
        ) -> Result<api::UpdateDeviceByIdResponse, Error> {
            Err(unused())
        }

        async fn trips(&self, _: (), _: api::TripsRequest) -> Result<api::TripsResponse, Error> {
            Err(unused())
        }

        async fn trip_by_id(
            &self,
            _: (),
            _: api::TripByIdRequest,
        ) -> Result<api::TripByIdResponse, Error> {
            Err(unused())
        }

        async fn positions_by_trip_id(
            &self,
            _: (),
            _: api::PositionsByTripIdRequest,
        ) -> Result<api::PositionsByTripIdResponse, Error> {
            Err(unused())
        }

        async fn get_realtime_positions(
            &self,
            _: (),
            _: api::GetRealtimePositionsRequest,
        ) -> Result<api::GetRealtimePositionsResponse, Error> {
            Err(unused())
        }

        async fn post_webhook(
            &self,
            _: (),
            _: api::PostWebhookRequest,
        ) -> Result<api::PostWebhookResponse, Error> {
            Err(unused())
        }
    }

    /// The generated router with every operation, as an application would mount it.
    pub fn router() -> axum::Router {
        pathstack::server::router(Bench)
    }
}

/// Which server a binary serves or measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Generated,
    Hand,
}

impl Mode {
    pub fn parse(text: &str) -> Option<Mode> {
        match text {
            "generated" => Some(Mode::Generated),
            "hand" => Some(Mode::Hand),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Mode::Generated => "generated",
            Mode::Hand => "hand",
        }
    }

    pub fn router(self) -> axum::Router {
        match self {
            Mode::Generated => generated::router(),
            Mode::Hand => hand::router(),
        }
    }
}

/// The tokio runtime every server and load binary uses: multi-threaded with `threads` workers
/// (the same settings for both servers).
pub fn runtime(threads: usize) -> std::io::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(threads.max(1))
        .enable_all()
        .build()
}

/// CPU time (user + system) this process has used so far, all threads.
pub fn process_cpu_time() -> Duration {
    cpu_clock(libc::CLOCK_PROCESS_CPUTIME_ID)
}

/// CPU time (user + system) the calling thread has used so far. Unlike wall-clock time it does
/// not count time the thread waited for a core (the machine is shared: builds running beside
/// the benchmark steal wall-clock time, not CPU time).
pub fn thread_cpu_time() -> Duration {
    cpu_clock(libc::CLOCK_THREAD_CPUTIME_ID)
}

fn cpu_clock(clock: libc::clockid_t) -> Duration {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `ts` is a valid, writable timespec; the clock ids are constants Linux knows.
    let rc = unsafe { libc::clock_gettime(clock, &mut ts) };
    if rc != 0 {
        return Duration::ZERO;
    }
    Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32)
}

/// A value of `--name VALUE` among `args`, parsed.
pub fn arg<T: std::str::FromStr>(args: &[String], name: &str) -> Option<T> {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
}
