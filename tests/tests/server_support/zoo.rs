//! A kitchen-sink (OpenAPI 3.1) `Api` that records what its handlers receive: shared by
//! `tests/server_kitchen_sink.rs` and the `http_server` fuzz target (`fuzz/`).

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use kitchen_sink_31::server::{self as api, Api};
use stencil::server::{http::StatusCode, Credentials, Error};

/// Records what each handler received (Debug text), and answers simply.
#[derive(Default)]
pub struct Zoo {
    /// What each handler received, in order.
    pub seen: Mutex<Vec<String>>,
    /// How many times a handler answered an error no operation declares (a logged 500).
    pub undeclared: AtomicUsize,
}

impl Zoo {
    fn record(&self, what: String) {
        self.seen.lock().unwrap().push(what);
    }

    fn unused(&self) -> Error {
        self.undeclared.fetch_add(1, Ordering::Relaxed);
        Error::new(StatusCode::NOT_IMPLEMENTED, "not used by these tests")
    }

    /// Whether a handler ran: a 5xx is then the handler's answer, not the glue's (the
    /// `http_server` fuzz target asks; the tests do not).
    #[allow(dead_code)]
    pub fn handled(&self) -> bool {
        !self.seen.lock().unwrap().is_empty() || self.undeclared.load(Ordering::Relaxed) > 0
    }
}

impl Api for Zoo {
    type Error = Error;
    type Principal = String;

    async fn authenticate(&self, credentials: Credentials) -> Result<String, Error> {
        if credentials.bearer() == Some("bad") {
            return Err(Error::unauthorized("Token revoked"));
        }
        let mut parts: Vec<String> = Vec::new();
        for p in &credentials.provided {
            parts.push(format!("{}={:?}", p.scheme, p.credential));
        }
        if let Some((user, password)) = credentials.basic() {
            parts.push(format!("user={user}:{password}"));
        }
        for key in ["apiKeyHeader", "apiKeyQuery", "apiKeyCookie"] {
            if let Some(k) = credentials.api_key(key) {
                parts.push(format!("{key}:{k}"));
            }
        }
        Ok(parts.join(" "))
    }

    async fn login(&self, request: api::LoginRequest) -> Result<api::LoginResponse, Error> {
        self.record(format!("{request:?}"));
        Err(Error::unauthorized("Wrong username or password."))
    }

    async fn list_animals(
        &self,
        principal: String,
        request: api::ListAnimalsRequest,
    ) -> Result<api::ListAnimalsResponse, Error> {
        self.record(format!("{principal} {request:?}"));
        Err(Error::bad_request("recorded"))
    }

    async fn create_animal(
        &self,
        _: String,
        request: api::CreateAnimalRequest,
    ) -> Result<api::CreateAnimalResponse, Error> {
        self.record(format!("{request:?}"));
        Err(Error::new(StatusCode::CONFLICT, "Already there"))
    }

    async fn get_animal(
        &self,
        _: String,
        _: api::GetAnimalRequest,
    ) -> Result<api::GetAnimalResponse, Error> {
        Err(self.unused())
    }

    async fn delete_animal(
        &self,
        principal: String,
        request: api::DeleteAnimalRequest,
    ) -> Result<api::DeleteAnimalResponse, Error> {
        self.record(format!("{principal} {request:?}"));
        Ok(api::DeleteAnimalResponse::NoContent)
    }

    async fn upload_photo(
        &self,
        _: String,
        request: api::UploadPhotoRequest,
    ) -> Result<api::UploadPhotoResponse, Error> {
        self.record(format!(
            "{:?} {:?} {:?}",
            request.body.file, request.body.caption, request.body.metadata
        ));
        Ok(api::UploadPhotoResponse::Created {
            body: request.body.metadata.unwrap_or_default(),
            location: Some(format!("/animals/{}/photos/0", request.animal_id)),
        })
    }

    async fn download_photo(
        &self,
        principal: String,
        request: api::DownloadPhotoRequest,
    ) -> Result<api::DownloadPhotoResponse, Error> {
        self.record(format!("{principal} {request:?}"));
        Ok(api::DownloadPhotoResponse::Ok(
            stencil::bytes::Bytes::from_static(b"\x89PNG"),
        ))
    }

    async fn replace_photo(
        &self,
        _: String,
        request: api::ReplacePhotoRequest,
    ) -> Result<api::ReplacePhotoResponse, Error> {
        self.record(format!("{request:?}"));
        Ok(api::ReplacePhotoResponse::NoContent)
    }

    async fn get_habitat(
        &self,
        _: String,
        _: api::GetHabitatRequest,
    ) -> Result<api::GetHabitatResponse, Error> {
        Err(self.unused())
    }

    async fn add_note(
        &self,
        _: String,
        request: api::AddNoteRequest,
    ) -> Result<api::AddNoteResponse, Error> {
        Ok(api::AddNoteResponse::Ok(format!(
            "{}: {}",
            request.enclosure_code,
            request.body.to_uppercase()
        )))
    }

    async fn list_keepers(
        &self,
        _: String,
        _: api::ListKeepersRequest,
    ) -> Result<api::ListKeepersResponse, Error> {
        Err(self.unused())
    }

    async fn schedule_feeding(
        &self,
        _: String,
        request: api::ScheduleFeedingRequest,
    ) -> Result<api::ScheduleFeedingResponse, Error> {
        Ok(api::ScheduleFeedingResponse::Created(request.body))
    }

    async fn get_search(
        &self,
        principal: Option<String>,
        request: api::GetSearchRequest,
    ) -> Result<api::GetSearchResponse, Error> {
        self.record(format!("{principal:?} {request:?}"));
        Err(self.unused())
    }

    async fn get_catalog(
        &self,
        _: String,
        _: api::GetCatalogRequest,
    ) -> Result<api::GetCatalogResponse, Error> {
        Err(self.unused())
    }

    async fn echo_hostile(
        &self,
        _: String,
        _: api::EchoHostileRequest,
    ) -> Result<api::EchoHostileResponse, Error> {
        Err(self.unused())
    }
}
