//! What the streaming tests share: a real axum server on 127.0.0.1, a payload type, raw
//! responses, and a timeout so that nothing hangs.
#![allow(dead_code)]

use std::convert::Infallible;
use std::future::Future;
use std::time::Duration;

use axum::body::Body;
use axum::response::IntoResponse;
use axum::Router;
use bytes::Bytes;
use futures_util::{stream, Stream};
use serde::{Deserialize, Serialize};
use stencil::client::{json, Core, Error, Response, ResponseValue};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Tick {
    pub n: u32,
    pub text: String,
}

#[derive(Debug, PartialEq, Deserialize)]
pub struct Problem {
    pub message: String,
}

/// The declared statuses of the test operations other than the stream: 400 is a JSON problem.
pub fn decode(response: Response) -> Result<ResponseValue<Infallible>, Error<Problem>> {
    match response.status() {
        400 => response.err(json, |p: Problem| p),
        _ => response.unexpected(),
    }
}

pub async fn serve(router: Router) -> Core {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    Core::new(format!("http://{address}"), &[])
}

/// Fail instead of hanging.
pub async fn within<T>(future: impl Future<Output = T>) -> T {
    tokio::time::timeout(Duration::from_secs(30), future)
        .await
        .expect("the test took longer than 30 s")
}

/// A raw response with `content_type`, its body the chunks of `chunks`.
pub fn raw<S>(content_type: &'static str, chunks: S) -> axum::response::Response
where
    S: Stream<Item = Result<Bytes, std::io::Error>> + Send + 'static,
{
    ([("content-type", content_type)], Body::from_stream(chunks)).into_response()
}

pub fn chunks(parts: &[&'static str]) -> impl Stream<Item = Result<Bytes, std::io::Error>> {
    stream::iter(
        parts
            .iter()
            .map(|p| Ok(Bytes::from_static(p.as_bytes())))
            .collect::<Vec<_>>(),
    )
}

pub fn tick(n: u32) -> Tick {
    Tick {
        n,
        text: format!("tick {n}"),
    }
}
