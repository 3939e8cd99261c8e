//! A small in-memory PathStack: the generated server's `Api` implemented over a few maps.
//! Shared by the end-to-end tests (`tests/server_e2e.rs`) and the contract-test server
//! (`examples/pathstack_server.rs`).
//!
//! Users: `demo` / `secret` logs in; `blocked` / anything is forbidden (403); a blank user name
//! is a bad request (400); anything else is unauthorized (401). The bearer token
//! [`STATIC_TOKEN`] is always accepted, besides the tokens `/token` hands out.

use std::collections::{BTreeMap, HashMap};
use std::sync::Mutex;

use pathstack::server::{self as api, Api};
use pathstack::types;
use stencil::chrono::{TimeZone, Utc};
use stencil::serde_json::{json, Value};
use stencil::server::{http::StatusCode, Credentials, Error};
use stencil::uuid::Uuid;

/// A bearer token the server always accepts (the contract test sends it).
pub const STATIC_TOKEN: &str = "contract-test-token";

/// The trip the store knows.
pub const KNOWN_TRIP: Uuid = Uuid::from_u128(0x0000_0000_0000_4000_8000_0000_0000_0001);

#[derive(Default)]
pub struct Memory {
    /// access token → user
    tokens: Mutex<HashMap<String, String>>,
    /// sub → refresh token
    refresh: Mutex<HashMap<String, String>>,
    connections: Mutex<BTreeMap<Uuid, types::ConnectionNoCredentials>>,
    /// When set, `account_summary` fails with a status it does not declare (to test the 500).
    pub fail_undeclared: bool,
}

impl Memory {
    pub fn new() -> Self {
        Memory::default()
    }

    fn issue(&self, user: &str) -> types::AuthenticationResult {
        let n = self.tokens.lock().unwrap().len() + 1;
        let access = format!("access-{user}-{n}");
        let refresh = format!("refresh-{user}-{n}");
        let sub = format!("sub-{user}");
        self.tokens
            .lock()
            .unwrap()
            .insert(access.clone(), user.to_owned());
        self.refresh
            .lock()
            .unwrap()
            .insert(sub.clone(), refresh.clone());
        types::AuthenticationResult {
            token_type: "bearer".to_owned(),
            expires_in: 3600,
            access_token: access,
            refresh_token: refresh,
            sub,
            refresh_token_expires_in: 86400,
        }
    }
}

fn error_envelope(code: i64, message: &str) -> types::ErrorResponse {
    types::ErrorResponse {
        error: Some(types::ErrorResponseError {
            code: Some(code),
            message: Some(message.to_owned()),
        }),
    }
}

fn trip(id: Uuid, device: Option<Uuid>) -> types::Trip {
    types::Trip {
        id: Some(id.to_string()),
        device_id: device.map(|d| d.to_string()),
        start_latitude: Some(-33.8688),
        start_longitude: Some(151.2093),
        end_latitude: Some(-33.8915),
        end_longitude: Some(151.2767),
        distance_metres: Some(8123.5),
        duration_seconds: Some(1260),
        is_valid: Some(true),
        start_time: Some("2024-03-26T08:00:00Z".to_owned()),
        end_time: Some("2024-03-26T08:21:00Z".to_owned()),
        ..types::Trip::default()
    }
}

impl Api for Memory {
    type Error = Error;
    /// The user name.
    type Principal = String;

    async fn authenticate(&self, credentials: Credentials) -> Result<String, Error> {
        let token = credentials.bearer().unwrap_or_default();
        if token == STATIC_TOKEN {
            return Ok("contract".to_owned());
        }
        match self.tokens.lock().unwrap().get(token) {
            Some(user) => Ok(user.clone()),
            None => Err(Error::unauthorized(
                "Authentication header is missing, or token is invalid/expired.",
            )),
        }
    }

    async fn login(&self, request: api::LoginRequest) -> Result<api::LoginResponse, Error> {
        let types::UsernamePassword { username, password } = request.body;
        Ok(match (username.trim(), password.as_str()) {
            ("", _) => {
                api::LoginResponse::BadRequest(error_envelope(400, "Username must not be blank"))
            }
            ("blocked", _) => api::LoginResponse::Forbidden(error_envelope(
                403,
                "You do not have access to this resource",
            )),
            ("demo", "secret") => api::LoginResponse::Ok(types::Success {
                data: self.issue("demo"),
            }),
            _ => api::LoginResponse::Unauthorized(error_envelope(
                401,
                "Incorrect username or password",
            )),
        })
    }

    async fn refresh(&self, request: api::RefreshRequest) -> Result<api::RefreshResponse, Error> {
        let known = self.refresh.lock().unwrap().get(&request.body.sub).cloned();
        if known.as_deref() != Some(request.body.refresh_token.as_str()) {
            // A domain error: rendered in the declared 401 envelope.
            return Err(Error::unauthorized("Refresh token is invalid or expired."));
        }
        let result = self.issue("demo");
        Ok(api::RefreshResponse::Ok(types::Success {
            data: types::RefreshResult {
                token_type: Some(result.token_type),
                expires_in: Some(result.expires_in),
                access_token: Some(result.access_token),
            },
        }))
    }

    async fn account_summary(
        &self,
        _user: String,
        _request: api::AccountSummaryRequest,
    ) -> Result<api::AccountSummaryResponse, Error> {
        if self.fail_undeclared {
            return Err(Error::new(
                StatusCode::CONFLICT,
                "database password is hunter2",
            ));
        }
        let connections = self.connections.lock().unwrap();
        let active = connections
            .values()
            .filter(|c| c.active == Some(true))
            .count() as i64;
        Ok(api::AccountSummaryResponse::Ok(types::Success {
            data: types::AccountSummary {
                connections: Some(types::AccountSummaryConnections {
                    total: Some(connections.len() as i64),
                    active: Some(active),
                    inactive: Some(connections.len() as i64 - active),
                    providers: Some(1),
                }),
                devices: Some(types::AccountSummaryDevices {
                    total: Some(2),
                    active: Some(1),
                    tagged: Some(0),
                }),
            },
        }))
    }

    async fn account_activity_summary(
        &self,
        _user: String,
        request: api::AccountActivitySummaryRequest,
    ) -> Result<api::AccountActivitySummaryResponse, Error> {
        Ok(api::AccountActivitySummaryResponse::Ok(types::Success {
            data: types::ActivitySummary {
                limit: Some(request.limit),
                trips_by_connection: Some(vec![types::ActivitySummaryTripsByConnectionItem {
                    connection: Some("fleet".to_owned()),
                    count: Some(request.days),
                }]),
                ..types::ActivitySummary::default()
            },
        }))
    }

    async fn update_connection(
        &self,
        user: String,
        request: api::UpdateConnectionRequest,
    ) -> Result<api::UpdateConnectionResponse, Error> {
        let mut connections = self.connections.lock().unwrap();
        let c = connections.entry(request.connection_id).or_insert_with(|| {
            types::ConnectionNoCredentials {
                id: Some(request.connection_id.to_string()),
                tenant_id: Some(user),
                active: Some(true),
                collection_start_time: Utc.with_ymd_and_hms(2024, 3, 26, 0, 0, 0).single(),
                ..types::ConnectionNoCredentials::default()
            }
        });
        let body = request.body;
        if let Some(active) = body.active.into_option() {
            c.active = active.or(c.active);
        }
        if let Some(name) = body.business_name.into_option() {
            c.business_name = name;
        }
        if let Some(abn) = body.abn.into_option() {
            c.abn = abn;
        }
        if let Some(email) = body.email.into_option() {
            c.email = email;
        }
        Ok(api::UpdateConnectionResponse::Ok(types::Success {
            data: c.clone(),
        }))
    }

    async fn update_connection_credentials(
        &self,
        _user: String,
        request: api::UpdateConnectionCredentialsRequest,
    ) -> Result<api::UpdateConnectionCredentialsResponse, Error> {
        Ok(api::UpdateConnectionCredentialsResponse::Ok(
            types::Success {
                data: types::ConnectionCredentials {
                    connection_id: Some(request.connection_id.to_string()),
                    credentials: Some(
                        request
                            .body
                            .credentials
                            .keys()
                            .map(|k| (k.clone(), json!("***")))
                            .collect(),
                    ),
                },
            },
        ))
    }

    async fn update_device_by_id(
        &self,
        _user: String,
        request: api::UpdateDeviceByIdRequest,
    ) -> Result<api::UpdateDeviceByIdResponse, Error> {
        if request
            .body
            .get("name")
            .is_some_and(|n| n.as_str() == Some(""))
        {
            return Ok(api::UpdateDeviceByIdResponse::BadRequest(error_envelope(
                400,
                "Device name must not be empty",
            )));
        }
        let mut device = request.body;
        device.insert(
            "id".to_owned(),
            Value::String(request.device_id.to_string()),
        );
        Ok(api::UpdateDeviceByIdResponse::Ok(types::Success {
            data: device,
        }))
    }

    async fn trips(
        &self,
        _user: String,
        request: api::TripsRequest,
    ) -> Result<api::TripsResponse, Error> {
        let data = if request.page == 0 {
            vec![trip(KNOWN_TRIP, Some(request.device_id))]
        } else {
            Vec::new()
        };
        Ok(api::TripsResponse::Ok(types::TripsResponse {
            data,
            links: Some(types::Links {
                previous: stencil::Nullable::Null,
                current: Some(format!(
                    "/device/{}/trip?page={}",
                    request.device_id, request.page
                )),
                next: stencil::Nullable::Null,
            }),
        }))
    }

    async fn trip_by_id(
        &self,
        _user: String,
        request: api::TripByIdRequest,
    ) -> Result<api::TripByIdResponse, Error> {
        if request.trip_id != KNOWN_TRIP {
            // A domain error whose status (400) the operation declares.
            return Err(Error::bad_request(format!(
                "Trip {} not found",
                request.trip_id
            )));
        }
        Ok(api::TripByIdResponse::Ok(types::Success {
            data: trip(KNOWN_TRIP, None),
        }))
    }

    async fn positions_by_trip_id(
        &self,
        _user: String,
        request: api::PositionsByTripIdRequest,
    ) -> Result<api::PositionsByTripIdResponse, Error> {
        let mut body = BTreeMap::new();
        body.insert(
            "data".to_owned(),
            json!([{"latitude": -33.87, "longitude": 151.21, "trip_id": request.trip_id}]),
        );
        body.insert("page".to_owned(), json!(request.page));
        body.insert(
            "osm".to_owned(),
            json!(request.include_osm_road_classification.unwrap_or(false)),
        );
        Ok(api::PositionsByTripIdResponse::Ok(body))
    }

    async fn get_realtime_positions(
        &self,
        _user: String,
        request: api::GetRealtimePositionsRequest,
    ) -> Result<api::GetRealtimePositionsResponse, Error> {
        if request
            .body
            .get("filter_parameters")
            .is_some_and(|f| !f.is_object())
        {
            return Ok(api::GetRealtimePositionsResponse::BadRequest(
                error_envelope(400, "filter_parameters must be an object"),
            ));
        }
        let mut state = BTreeMap::new();
        state.insert("device_id".to_owned(), json!("d-1"));
        state.insert("latitude".to_owned(), json!(-33.87));
        Ok(api::GetRealtimePositionsResponse::Ok(types::Success {
            data: vec![types::SuccessListUnionRealtimeValidStateRealtimeTimeoutStateDataItem::RealtimeValidState(state)],
        }))
    }

    async fn post_webhook(
        &self,
        _user: String,
        request: api::PostWebhookRequest,
    ) -> Result<api::PostWebhookResponse, Error> {
        Ok(api::PostWebhookResponse::Ok(types::PostWebhookResponse {
            data: Some(request.body),
        }))
    }
}
