//! The server's own limits: a request head or body that comes too slowly,
//! an idle kept-alive connection, and a body declared too large.

use std::time::{Duration, Instant};

use app::Settings;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::support::{app_on, databases, serve_with};

/// Reads until the server answers and closes, or `limit` passes: what came,
/// and how long it took.
async fn answer(stream: &mut TcpStream, limit: Duration) -> (String, Duration) {
    let started = Instant::now();
    let mut text = Vec::new();
    let mut buffer = [0u8; 4096];
    loop {
        match tokio::time::timeout(
            limit.saturating_sub(started.elapsed()),
            stream.read(&mut buffer),
        )
        .await
        {
            Ok(Ok(0)) | Ok(Err(_)) | Err(_) => break,
            Ok(Ok(n)) => text.extend_from_slice(&buffer[..n]),
        }
    }
    (
        String::from_utf8_lossy(&text).to_string(),
        started.elapsed(),
    )
}

#[tokio::test]
async fn slow_or_oversized_requests_are_cut_off_and_idle_connections_closed() {
    let db = databases().await.remove(0);
    let config = web::WebConfig {
        header_timeout: Duration::from_secs(1),
        body_timeout: Duration::from_secs(1),
        ..web::WebConfig::default()
    };
    let server = serve_with(app_on(&db, Settings::default()).await, db.engine, config).await;
    let address = server.base.trim_start_matches("http://").to_string();

    // A head that never finishes: the connection is closed.
    let mut slow = TcpStream::connect(&address).await.expect("connect");
    slow.write_all(b"GET /healthz HTTP/1.1\r\nHost: waymark\r\n")
        .await
        .expect("write");
    let (_, took) = answer(&mut slow, Duration::from_secs(10)).await;
    assert!(
        took < Duration::from_secs(5),
        "a slow head held for {took:?}"
    );

    // An idle kept-alive connection is closed too.
    let mut idle = TcpStream::connect(&address).await.expect("connect");
    idle.write_all(b"GET /healthz HTTP/1.1\r\nHost: waymark\r\n\r\n")
        .await
        .expect("write");
    let (text, took) = answer(&mut idle, Duration::from_secs(10)).await;
    assert!(text.starts_with("HTTP/1.1 200"), "{text}");
    assert!(
        took < Duration::from_secs(5),
        "an idle connection held for {took:?}"
    );

    // A body declared larger than anything Waymark reads: refused at once.
    let mut huge = TcpStream::connect(&address).await.expect("connect");
    huge.write_all(
        b"POST /api/v1/referrals HTTP/1.1\r\nHost: waymark\r\nContent-Type: application/json\r\nContent-Length: 1000000000\r\n\r\n",
    )
    .await
    .expect("write");
    let (text, took) = answer(&mut huge, Duration::from_secs(10)).await;
    assert!(text.starts_with("HTTP/1.1 413"), "{text}");
    assert!(took < Duration::from_millis(900), "refused after {took:?}");

    // A body that trickles: refused when its time is up.
    let mut trickle = TcpStream::connect(&address).await.expect("connect");
    trickle
        .write_all(
            b"POST /login HTTP/1.1\r\nHost: waymark\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\nusername=",
        )
        .await
        .expect("write");
    let (text, took) = answer(&mut trickle, Duration::from_secs(10)).await;
    assert!(text.starts_with("HTTP/1.1 4"), "{text}");
    assert!(
        took < Duration::from_secs(5),
        "a trickling body held for {took:?}"
    );
}
