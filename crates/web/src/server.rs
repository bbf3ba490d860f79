//! The connection loop: HTTP/1 with a deadline for each request's head (which
//! also closes idle kept-alive connections) and for its body, a declared
//! body over the largest any route reads refused at once, and a graceful
//! stop that lets the requests under way finish.

use std::error::Error;
use std::net::SocketAddr;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::ConnectInfo;
use axum::http::{Request, Response, StatusCode, header};
use http_body::{Frame, SizeHint};
use hyper::body::Incoming;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto::Builder;
use hyper_util::server::graceful::GracefulShutdown;

use crate::state::WebConfig;

/// The largest body any route reads (a document and its form).
pub const MAX_BODY: u64 = crate::extract::UPLOAD_BODY_LIMIT as u64;

/// How long the requests under way may take to finish at a stop.
const DRAIN: Duration = Duration::from_secs(20);

/// A request body that fails once its deadline passes, so a client that
/// sends a byte a minute cannot hold a request open.
struct TimedBody {
    inner: Incoming,
    deadline: Pin<Box<tokio::time::Sleep>>,
}

impl http_body::Body for TimedBody {
    type Data = Bytes;
    type Error = Box<dyn Error + Send + Sync>;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
        if self.deadline.as_mut().poll(cx).is_ready() {
            return Poll::Ready(Some(Err("the request body did not arrive in time".into())));
        }
        Pin::new(&mut self.inner)
            .poll_frame(cx)
            .map_err(|e| Box::new(e) as Self::Error)
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}

/// A body declared larger than any route reads: refused before it is read.
fn too_large(request: &Request<Incoming>) -> bool {
    request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok())
        .is_some_and(|length| length > MAX_BODY)
}

fn refusal() -> Response<Body> {
    let message = crate::messages::PageMessage::RequestTooLarge {
        limit: domain::documents::limit_text(),
    };
    let mut response = Response::new(Body::from(format!("{}\n", message.english())));
    *response.status_mut() = StatusCode::PAYLOAD_TOO_LARGE;
    response.headers_mut().insert(
        header::CONNECTION,
        header::HeaderValue::from_static("close"),
    );
    response
}

/// Serves `router` on `listener` until `stop` completes.
pub async fn run(
    listener: tokio::net::TcpListener,
    router: Router,
    config: &WebConfig,
    stop: impl std::future::Future<Output = ()>,
) -> std::io::Result<()> {
    let graceful = GracefulShutdown::new();
    let mut builder = Builder::new(TokioExecutor::new());
    builder
        .http1()
        .timer(TokioTimer::new())
        .header_read_timeout(config.header_timeout)
        .keep_alive(true);
    let builder = builder.http1_only();
    let body_timeout = config.body_timeout;
    tokio::pin!(stop);
    loop {
        let (stream, address) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    // Out of file descriptors, say: wait, then go on.
                    tracing::warn!(error = %e, "accepting a connection failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut stop => break,
        };
        let router = router.clone();
        let service = hyper::service::service_fn(move |request: Request<Incoming>| {
            let mut router = router.clone();
            async move {
                if too_large(&request) {
                    return Ok::<_, std::convert::Infallible>(refusal());
                }
                let mut request = request.map(|inner| {
                    Body::new(TimedBody {
                        inner,
                        deadline: Box::pin(tokio::time::sleep(body_timeout)),
                    })
                });
                request
                    .extensions_mut()
                    .insert(ConnectInfo::<SocketAddr>(address));
                tower_service::Service::call(&mut router, request).await
            }
        });
        let connection = builder.serve_connection(TokioIo::new(stream), service);
        let connection = graceful.watch(connection.into_owned());
        tokio::spawn(async move {
            // A client that goes away, or a head that came too slowly: not ours to report.
            let _ = connection.await;
        });
    }
    drop(listener);
    if tokio::time::timeout(DRAIN, graceful.shutdown())
        .await
        .is_err()
    {
        tracing::warn!("some requests were still running at the stop");
    }
    Ok(())
}
