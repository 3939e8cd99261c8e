//! The generated server of the FastAPI differential test (`tests/fastapi-diff/run.sh`, issue
//! 20): the document FastAPI writes for `tests/fastapi-diff/app.py`, with handlers that answer a
//! fixed value, as the app's do. The test sends the same requests to both servers and compares
//! how they reject the invalid ones.
//!
//! ```text
//! cargo run -p stencil-tests --example fastapi_diff_server -- 127.0.0.1:8124
//! ```
//!
//! Prints `listening on http://ADDR` once it accepts connections.

use fastapi_diff::server::*;
use fastapi_diff::types::{Success, SuccessStr};

struct Stub;

fn ok() -> SuccessStr {
    Success {
        success: true,
        data: "ok".to_owned(),
    }
}

impl Api for Stub {
    type Error = stencil::server::Error;

    async fn create_person(
        &self,
        request: CreatePersonRequest,
    ) -> Result<CreatePersonResponse, Self::Error> {
        Ok(CreatePersonResponse::Ok(Success {
            success: true,
            data: request.body,
        }))
    }

    async fn create_owner(
        &self,
        _request: CreateOwnerRequest,
    ) -> Result<CreateOwnerResponse, Self::Error> {
        Ok(CreateOwnerResponse::Ok(ok()))
    }

    async fn create_event(
        &self,
        _request: CreateEventRequest,
    ) -> Result<CreateEventResponse, Self::Error> {
        Ok(CreateEventResponse::Ok(ok()))
    }

    async fn create_page(
        &self,
        request: CreatePageRequest,
    ) -> Result<CreatePageResponse, Self::Error> {
        Ok(CreatePageResponse::Ok(Success {
            success: true,
            data: request.body.total,
        }))
    }

    async fn read_item(&self, _request: ReadItemRequest) -> Result<ReadItemResponse, Self::Error> {
        Ok(ReadItemResponse::Ok(ok()))
    }

    async fn read_thing(
        &self,
        _request: ReadThingRequest,
    ) -> Result<ReadThingResponse, Self::Error> {
        Ok(ReadThingResponse::Ok(ok()))
    }

    async fn search(&self, _request: SearchRequest) -> Result<SearchResponse, Self::Error> {
        Ok(SearchResponse::Ok(ok()))
    }

    async fn login(&self, _request: LoginRequest) -> Result<LoginResponse, Self::Error> {
        Ok(LoginResponse::Ok(ok()))
    }

    async fn upload(&self, _request: UploadRequest) -> Result<UploadResponse, Self::Error> {
        Ok(UploadResponse::Ok(ok()))
    }

    async fn replace_person(
        &self,
        request: ReplacePersonRequest,
    ) -> Result<ReplacePersonResponse, Self::Error> {
        Ok(ReplacePersonResponse::Ok(Success {
            success: true,
            data: request.body,
        }))
    }

    async fn numbers(&self, _request: NumbersRequest) -> Result<NumbersResponse, Self::Error> {
        Ok(NumbersResponse::Ok(ok()))
    }
}

#[tokio::main]
async fn main() {
    let addr = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:0".to_owned());
    let listener = match tokio::net::TcpListener::bind(&addr).await {
        Ok(l) => l,
        Err(e) => {
            eprintln!("cannot listen on {addr}: {e}");
            std::process::exit(1);
        }
    };
    let local = listener
        .local_addr()
        .expect("a bound listener has an address");
    println!("listening on http://{local}");
    if let Err(e) = axum::serve(listener, router(Stub)).await {
        eprintln!("server error: {e}");
        std::process::exit(1);
    }
}
