//! Serving a router over HTTP/1.1 with the limits a server facing the internet needs.
//!
//! `axum::serve` sets none of hyper's connection limits: a client may take forever to send its
//! headers (slowloris), keep an idle connection open forever, or send a request head as large
//! as hyper's ~400 KB buffer. [`serve`] runs the same router on hyper's HTTP/1 connection
//! builder with the limits of [`Config`]:
//!
//! - `header_read_timeout`: hyper closes a connection whose request head is not complete in
//!   time;
//! - `idle_timeout`: a connection without a byte read or written for that long is shut down
//!   gracefully (a request in flight is answered first, within one more `idle_timeout`);
//! - `max_header_size`, `max_headers`: hyper answers 431;
//! - `max_uri_length`: answered 414 before routing.
//!
//! The body limits (`body_limit`, `body_read_timeout`, `json_depth`, `multipart_parts`) are
//! the generated routes' own ([`Server::with_config`](crate::server::Server::with_config)).

use std::convert::Infallible;
use std::io;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use axum::response::IntoResponse;
use axum::Router;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::time::Instant;
use tower::ServiceExt as _;

use super::config::Config;

/// Serve `router` on `listener` until the listener fails for good, with the connection limits
/// of `config`: `header_read_timeout` (slow request heads are cut off), `idle_timeout`,
/// `max_header_size` and `max_headers` (431), `max_uri_length` (414). `axum::serve` sets none
/// of them. Errors accepting one connection (too
/// many open files, a connection reset before it was accepted) are logged and waited out.
///
/// ```no_run
/// # async fn run(router: axum::Router) -> std::io::Result<()> {
/// use stencil::server::{serve, Config};
/// let listener = tokio::net::TcpListener::bind("127.0.0.1:8080").await?;
/// serve(listener, router, &Config::default()).await
/// # }
/// ```
pub async fn serve(listener: TcpListener, router: Router, config: &Config) -> io::Result<()> {
    let mut builder = hyper::server::conn::http1::Builder::new();
    let max_header_size = config.max_header_size.max(1024);
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(config.header_read_timeout)
        .max_header_size(max_header_size)
        .max_headers(config.max_headers.max(1))
        // The read buffer: a head that does not end within it is answered 431 without
        // buffering up to hyper's default ~400 KB (hyper's minimum is 8 KiB).
        .max_buf_size(max_header_size.saturating_add(8192));
    let builder = Arc::new(builder);
    loop {
        let (stream, _) = match listener.accept().await {
            Ok(accepted) => accepted,
            Err(e) if is_connection_error(&e) => continue,
            Err(e) => {
                tracing::error!(error = %e, "accepting a connection failed; retrying in 1 s");
                tokio::time::sleep(Duration::from_secs(1)).await;
                continue;
            }
        };
        let _ = stream.set_nodelay(true);
        tokio::spawn(connection(
            builder.clone(),
            stream,
            router.clone(),
            config.max_uri_length,
            config.idle_timeout,
        ));
    }
}

fn is_connection_error(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::ConnectionRefused
            | io::ErrorKind::ConnectionAborted
            | io::ErrorKind::ConnectionReset
    )
}

/// One connection: served until it ends, or shut down once idle for `idle`.
async fn connection(
    builder: Arc<hyper::server::conn::http1::Builder>,
    stream: TcpStream,
    router: Router,
    max_uri_length: usize,
    idle: Duration,
) {
    let started = Instant::now();
    let last = Arc::new(AtomicU64::new(0));
    let io = TokioIo::new(Activity {
        inner: stream,
        started,
        last: last.clone(),
    });
    let service = hyper::service::service_fn(move |request: http::Request<Incoming>| {
        let router = router.clone();
        async move {
            let target = request
                .uri()
                .path_and_query()
                .map_or(0, |pq| pq.as_str().len());
            if target > max_uri_length {
                return Ok::<_, Infallible>(http::StatusCode::URI_TOO_LONG.into_response());
            }
            router.oneshot(request.map(axum::body::Body::new)).await
        }
    });
    let conn = builder.serve_connection(io, service).with_upgrades();
    tokio::pin!(conn);
    loop {
        let quiet_since = started + Duration::from_millis(last.load(Ordering::Relaxed));
        tokio::select! {
            result = conn.as_mut() => {
                if let Err(e) = result {
                    tracing::debug!(error = %e, "connection ended with an error");
                }
                return;
            }
            () = tokio::time::sleep_until(quiet_since + idle) => {
                let quiet_since = started + Duration::from_millis(last.load(Ordering::Relaxed));
                if quiet_since + idle <= Instant::now() {
                    break;
                }
            }
        }
    }
    // Idle: close between requests, or after the request in flight is answered.
    conn.as_mut().graceful_shutdown();
    let _ = tokio::time::timeout(idle, conn).await;
}

/// A stream that records when it last read or wrote a byte (milliseconds after `started`).
struct Activity {
    inner: TcpStream,
    started: Instant,
    last: Arc<AtomicU64>,
}

impl Activity {
    fn touch(&self) {
        let millis = u64::try_from(self.started.elapsed().as_millis()).unwrap_or(u64::MAX);
        self.last.store(millis, Ordering::Relaxed);
    }
}

impl AsyncRead for Activity {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        let poll = Pin::new(&mut self.inner).poll_read(cx, buf);
        if buf.filled().len() != before {
            self.touch();
        }
        poll
    }
}

impl AsyncWrite for Activity {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let poll = Pin::new(&mut self.inner).poll_write(cx, buf);
        if matches!(poll, Poll::Ready(Ok(n)) if n > 0) {
            self.touch();
        }
        poll
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let poll = Pin::new(&mut self.inner).poll_write_vectored(cx, bufs);
        if matches!(poll, Poll::Ready(Ok(n)) if n > 0) {
            self.touch();
        }
        poll
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}
