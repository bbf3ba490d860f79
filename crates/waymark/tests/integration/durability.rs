//! Acknowledged means durable: an API client told 201 finds its referral
//! however storage fails around it (a full disk, a terminated database
//! backend, a killed server), every refusal wrote nothing, and the server
//! recovers by itself when the cause goes.

use app::{App, Settings};
use serde_json::json;
use store::Db;

use crate::support::{Server, TestDb, databases, demo_app, police_feed, serve};

fn referral(reference: &str) -> serde_json::Value {
    json!({
        "source": "police", "sender_reference": reference,
        "received_at": "2026-11-20T10:00:00Z", "crime_reported_on": "2026-11-20",
        "crime_type": "burglary", "consent": "given", "consent_recorded_on": "2026-11-20",
        "incident_date": "2026-11-19", "given_name": "Robin", "family_name": format!("Durable {reference}"),
        "date_of_birth": "1980-02-01", "area": "eastmoor city",
    })
}

/// What the server answered to one referral.
#[derive(Debug)]
struct Answer {
    reference: String,
    status: u16,
    retry_after: bool,
}

/// Sends `count` referrals at once, named `prefix-1`…
async fn send_together(base: &str, token: &str, prefix: &str, count: usize) -> Vec<Answer> {
    let client = reqwest::Client::new();
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..count {
        let reference = format!("{prefix}-{i}");
        let request = client
            .post(format!("{base}/api/v1/referrals"))
            .bearer_auth(token)
            .json(&referral(&reference));
        tasks.spawn(async move {
            match request.send().await {
                Ok(response) => Answer {
                    reference,
                    status: response.status().as_u16(),
                    retry_after: response.headers().contains_key("retry-after"),
                },
                // The connection failed: nothing was acknowledged.
                Err(_) => Answer {
                    reference,
                    status: 0,
                    retry_after: false,
                },
            }
        });
    }
    let mut answers = Vec::new();
    while let Some(answer) = tasks.join_next().await {
        answers.push(answer.expect("join"));
    }
    answers
}

/// The sender references among `references` that the database holds, read
/// over a connection of its own.
async fn stored(url: &str, references: &[String]) -> Vec<String> {
    let db = Db::connect(url).await.expect("connect");
    let mut found = Vec::new();
    for reference in references {
        let n: i64 = sqlx::query_scalar(
            "SELECT CAST(COUNT(*) AS BIGINT) FROM referrals WHERE sender_reference = $1",
        )
        .bind(reference)
        .fetch_one(db.pool())
        .await
        .expect("count");
        assert!(n <= 1, "{reference} stored {n} times");
        if n == 1 {
            found.push(reference.clone());
        }
    }
    db.close().await;
    found
}

/// Every 201 is stored and every refusal stored nothing, read from a
/// separate connection while the server runs, and again after all of the
/// server's connections are closed (as a stop would). A request that got no
/// answer at all (the server was killed) may or may not have been stored.
async fn acknowledged_means_durable(db: &TestDb, app: &App, answers: &[Answer]) {
    use std::collections::BTreeSet;
    let all: Vec<String> = answers.iter().map(|a| a.reference.clone()).collect();
    let acknowledged: BTreeSet<String> = answers
        .iter()
        .filter(|a| a.status == 201)
        .map(|a| a.reference.clone())
        .collect();
    let unanswered: BTreeSet<String> = answers
        .iter()
        .filter(|a| a.status == 0)
        .map(|a| a.reference.clone())
        .collect();
    let check = |seen: Vec<String>, when: &str| {
        let seen: BTreeSet<String> = seen.into_iter().collect();
        let lost: Vec<&String> = acknowledged.difference(&seen).collect();
        assert!(
            lost.is_empty(),
            "{}: {when}, acknowledged but not stored: {lost:?}",
            db.engine
        );
        let refused_but_stored: Vec<&String> = seen
            .iter()
            .filter(|r| !acknowledged.contains(*r) && !unanswered.contains(*r))
            .collect();
        assert!(
            refused_but_stored.is_empty(),
            "{}: {when}, refused but stored: {refused_but_stored:?}",
            db.engine
        );
    };
    check(stored(&db.url, &all).await, "read by a second reader");
    app.db.close().await;
    check(stored(&db.url, &all).await, "after a stop");
    let reopened = App::new(
        Db::connect(&db.url).await.expect("reopen"),
        Settings::default(),
    );
    assert!(
        reopened.verify_audit().await.expect("verify").is_ok(),
        "{}: the audit chain verifies",
        db.engine
    );
    reopened.db.close().await;
}

async fn readyz(server: &Server) -> u16 {
    reqwest::get(server.url("/readyz"))
        .await
        .expect("readyz")
        .status()
        .as_u16()
}

#[tokio::test]
async fn a_full_database_refuses_with_503_loses_nothing_acknowledged_and_recovers() {
    let db = databases().await.remove(0);
    assert_eq!(db.engine, "sqlite");
    let server = serve(demo_app(&db, Settings::default()).await, db.engine).await;
    let token = police_feed(&server).await;
    let mut answers = send_together(&server.base, &token, "BEFORE", 4).await;
    assert!(answers.iter().all(|a| a.status == 201), "{answers:?}");

    // No room beyond what the database holds now: writes that need a new
    // page fail with SQLITE_FULL, as on a full disk.
    let pages: i64 = sqlx::query_scalar("PRAGMA page_count")
        .fetch_one(server.app.db.pool())
        .await
        .expect("page count");
    server.app.db.cap_sqlite_pages(pages as u64);
    let mut full = Vec::new();
    for round in 0..60 {
        let sent = send_together(&server.base, &token, &format!("FULL{round}"), 4).await;
        let refused = sent.iter().any(|a| a.status != 201);
        full.extend(sent);
        if refused && round >= 3 {
            break;
        }
    }
    // And more while it is full.
    for round in 0..3 {
        full.extend(send_together(&server.base, &token, &format!("STILL{round}"), 4).await);
    }
    let refused: Vec<&Answer> = full.iter().filter(|a| a.status != 201).collect();
    assert!(!refused.is_empty(), "the cap must refuse some writes");
    for answer in &refused {
        assert_eq!(
            answer.status, 503,
            "a storage failure answers 503, not 500: {answer:?}"
        );
        assert!(answer.retry_after, "with Retry-After: {answer:?}");
    }
    assert_eq!(readyz(&server).await, 503, "not ready while writes fail");

    // Room again: the same running server takes writes.
    server.app.db.cap_sqlite_pages(1 << 30);
    let mut recovered = Vec::new();
    for round in 0..3 {
        recovered.extend(send_together(&server.base, &token, &format!("AFTER{round}"), 4).await);
    }
    assert!(
        recovered.iter().all(|a| a.status == 201),
        "writes succeed again without a restart: {recovered:?}"
    );
    assert_eq!(readyz(&server).await, 200, "ready again");

    answers.extend(full);
    answers.extend(recovered);
    acknowledged_means_durable(&db, &server.app, &answers).await;
}

#[tokio::test]
async fn terminated_database_backends_lose_nothing_acknowledged_and_are_not_reused() {
    let Some(db) = databases()
        .await
        .into_iter()
        .find(|d| d.engine == "postgres")
    else {
        return;
    };
    let server = serve(demo_app(&db, Settings::default()).await, db.engine).await;
    let token = police_feed(&server).await;
    let killer = Db::connect(&db.url).await.expect("connect");
    let database = db.url.rsplit('/').next().expect("name").to_string();
    let mut answers = Vec::new();
    for round in 0..8 {
        let base = server.base.clone();
        let token_for_round = token.clone();
        let sending = tokio::spawn(async move {
            send_together(&base, &token_for_round, &format!("PG{round}"), 6).await
        });
        // Terminate every backend of the server's pool, mid-write.
        tokio::time::sleep(std::time::Duration::from_millis(5 + 7 * round)).await;
        sqlx::query(
            "SELECT CAST(COUNT(pg_terminate_backend(pid)) AS BIGINT) FROM pg_stat_activity \
             WHERE datname = $1 AND pid <> pg_backend_pid()",
        )
        .bind(&database)
        .fetch_one(killer.pool())
        .await
        .expect("terminate");
        let sent = sending.await.expect("join");
        for answer in &sent {
            assert!(
                matches!(answer.status, 201 | 503),
                "a terminated backend answers 503, never 500 or a false 2xx: {answer:?}"
            );
        }
        answers.extend(sent);
    }
    // The server recovers by itself: broken connections were not reused.
    let after = send_together(&server.base, &token, "PG-AFTER", 6).await;
    assert!(
        after.iter().all(|a| a.status == 201),
        "the pool recovers by itself: {after:?}"
    );
    assert_eq!(readyz(&server).await, 200);
    answers.extend(after);
    killer.close().await;
    acknowledged_means_durable(&db, &server.app, &answers).await;
}

/// A write of a made-up row to `storage_probe`, inside the transaction.
async fn write_probe(tx: &mut store::WriteTx, id: i64) {
    sqlx::query("INSERT INTO storage_probe (id, written_at, filler) VALUES ($1, 'now', 'x')")
        .bind(id)
        .execute(tx.conn())
        .await
        .expect("insert");
}

/// Lets a dropped connection go back to the pool (it does so in a task of
/// its own), so the next write takes that same connection.
async fn settle() {
    tokio::time::sleep(std::time::Duration::from_millis(20)).await;
}

async fn probe_rows(url: &str) -> Vec<i64> {
    let db = Db::connect(url).await.expect("connect");
    let rows = sqlx::query_scalar("SELECT id FROM storage_probe ORDER BY id")
        .fetch_all(db.pool())
        .await
        .expect("rows");
    db.close().await;
    rows
}

/// The cause of lost acknowledgements: SQLite may end a transaction by itself
/// when a statement fails for want of space. The driver's rollback then
/// fails and it believes the connection is still in a transaction, so the
/// next write on it becomes a savepoint; a failure there rolls back to the
/// savepoint but leaves SQLite's transaction open, and every later "commit"
/// on that connection only releases a nested savepoint: answered as done,
/// never durable, and holding the writer's lock. A connection whose
/// transaction did not end cleanly must never be reused.
#[tokio::test]
async fn a_connection_whose_transaction_ended_badly_is_never_reused() {
    for db in databases().await {
        let app = crate::support::app_on(&db, Settings::default()).await;
        let store = &app.db;
        // Often enough to reach every connection of the pool, which hands
        // out its idle connections in turn.
        for round in 0..20 {
            // The transaction ends underneath the write, as SQLITE_FULL can do.
            let mut tx = store
                .begin_write("2026-11-28T09:00:00Z")
                .await
                .expect("begin");
            write_probe(&mut tx, 1000 + round).await;
            sqlx::raw_sql("ROLLBACK")
                .execute(tx.conn())
                .await
                .expect("rollback underneath");
            drop(tx);
            settle().await;
        }
        for round in 0..20 {
            // A write that fails part-way.
            let mut tx = store
                .begin_write("2026-11-28T09:00:01Z")
                .await
                .expect("begin");
            write_probe(&mut tx, 2000 + round).await;
            drop(tx);
            settle().await;
        }
        let mut committed = Vec::new();
        for round in 0..20 {
            // A write that is committed, and so must be durable.
            let mut tx = store
                .begin_write("2026-11-28T09:00:02Z")
                .await
                .expect("begin");
            write_probe(&mut tx, round).await;
            tx.commit().await.expect("commit");
            committed.push(round);
            settle().await;
        }
        assert_eq!(
            probe_rows(&db.url).await,
            committed,
            "{}: a second reader sees exactly the committed writes",
            db.engine
        );
        // And the writer's lock is free for everyone else.
        let other = Db::connect(&db.url).await.expect("connect");
        let mut tx = other
            .begin_write("2026-11-28T09:00:03Z")
            .await
            .expect("begin");
        write_probe(&mut tx, 99).await;
        tx.commit().await.expect("another writer commits");
        other.close().await;
        committed.push(99);
        assert_eq!(probe_rows(&db.url).await, committed, "{}", db.engine);
    }
}

/// A connection given back still inside a transaction that wrote is closed,
/// not pooled: otherwise its lock would stop every other writer.
#[tokio::test]
async fn a_connection_given_back_inside_a_transaction_is_closed() {
    for db in databases().await {
        let app = crate::support::app_on(&db, Settings::default()).await;
        for _ in 0..3 {
            let mut conn = app.db.conn().await.expect("conn");
            sqlx::raw_sql("BEGIN; UPDATE audit_head SET touched_at = 'held' WHERE id = 1")
                .execute(&mut *conn)
                .await
                .expect("begin and write");
            drop(conn);
            settle().await;
            let write = async {
                let mut tx = app.db.begin_write("2026-11-28T10:00:00Z").await?;
                sqlx::query("UPDATE audit_head SET touched_at = $1 WHERE id = 1")
                    .bind("2026-11-28T10:00:00Z")
                    .execute(tx.conn())
                    .await?;
                tx.commit().await
            };
            let done = tokio::time::timeout(std::time::Duration::from_secs(5), write).await;
            assert!(
                matches!(done, Ok(Ok(()))),
                "{}: the next writer is not blocked: {done:?}",
                db.engine
            );
        }
    }
}

/// `waymark serve` as its own process on a free port, once it answers.
async fn spawn_server(
    url: &str,
    output: impl Fn() -> std::process::Stdio,
) -> (std::process::Child, String) {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("free port")
        .port();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_waymark"))
        .args(["serve", "--listen", &format!("127.0.0.1:{port}")])
        .env("WAYMARK_DATABASE_URL", url)
        .env("WAYMARK_LOG", "info")
        .stdout(output())
        .stderr(output())
        .spawn()
        .expect("start waymark serve");
    let base = format!("http://127.0.0.1:{port}");
    for _ in 0..200 {
        if reqwest::get(format!("{base}/healthz")).await.is_ok() {
            return (child, base);
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let _ = child.kill();
    let _ = child.wait();
    panic!("waymark serve did not start");
}

/// A log that cannot be written (standard output and error on a full disk)
/// never stops the server.
#[tokio::test]
async fn a_server_whose_log_cannot_be_written_keeps_serving() {
    let db = databases().await.remove(0);
    let app = demo_app(&db, Settings::default()).await;
    app.db.close().await;
    let full = || {
        std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .expect("/dev/full")
            .into()
    };
    let (mut child, base) = spawn_server(&db.url, full).await;
    let client = reqwest::Client::new();
    for _ in 0..50 {
        for path in ["/healthz", "/login", "/no-such-page"] {
            let response = client.get(format!("{base}{path}")).send().await;
            assert!(response.is_ok(), "{path} answers: {response:?}");
        }
    }
    assert!(
        child.try_wait().expect("status").is_none(),
        "the server is still running"
    );
    child.kill().expect("stop");
    let _ = child.wait();
}

/// Killed with SIGKILL while clients write, ten times over: every referral
/// answered 201 is there when it starts again.
#[tokio::test]
async fn acknowledged_writes_survive_kill_9() {
    for db in databases().await {
        let app = demo_app(&db, Settings::default()).await;
        let server = Server {
            app: app.clone(),
            base: String::new(),
            engine: db.engine,
        };
        let token = police_feed(&server).await;
        app.db.close().await;
        let mut answers = Vec::new();
        for round in 0..10u64 {
            let (mut child, base) = spawn_server(&db.url, std::process::Stdio::null).await;
            let sending = {
                let (base, token) = (base.clone(), token.clone());
                tokio::spawn(async move {
                    let mut sent = Vec::new();
                    for batch in 0..40 {
                        let prefix = format!("KILL{round}-{batch}");
                        let answers = send_together(&base, &token, &prefix, 4).await;
                        let stopped = answers.iter().any(|a| a.status == 0);
                        sent.extend(answers);
                        if stopped {
                            break;
                        }
                    }
                    sent
                })
            };
            tokio::time::sleep(std::time::Duration::from_millis(150 + 37 * round)).await;
            child.kill().expect("SIGKILL");
            let _ = child.wait();
            let sent = sending.await.expect("join");
            assert!(
                sent.iter().all(|a| matches!(a.status, 0 | 201)),
                "{}: {sent:?}",
                db.engine
            );
            answers.extend(sent);
        }
        let acknowledged = answers.iter().filter(|a| a.status == 201).count();
        assert!(acknowledged >= 10, "{}: writes happened", db.engine);
        let reopened = App::new(
            Db::connect(&db.url).await.expect("reopen"),
            Settings::default(),
        );
        acknowledged_means_durable(&db, &reopened, &answers).await;
    }
}

/// Reads are recorded in batches (ADR 11): killed with SIGKILL while a
/// client reads the same referral many times at once, every read that was
/// answered has its audit event, and the chain verifies.
#[tokio::test]
async fn answered_reads_are_recorded_through_kill_9() {
    for db in databases().await {
        let app = demo_app(&db, Settings::default()).await;
        let server = Server {
            app: app.clone(),
            base: String::new(),
            engine: db.engine,
        };
        let token = police_feed(&server).await;
        app.db.close().await;
        let (mut first, base) = spawn_server(&db.url, std::process::Stdio::null).await;
        let client = reqwest::Client::new();
        let sent: serde_json::Value = client
            .post(format!("{base}/api/v1/referrals"))
            .bearer_auth(&token)
            .json(&referral("READ-KILL"))
            .send()
            .await
            .expect("send")
            .json()
            .await
            .expect("json");
        let id = sent["id"].as_str().expect("id").to_string();
        first.kill().expect("stop");
        let _ = first.wait();
        let mut answered = 0;
        let mut asked = 0;
        for round in 0..5u64 {
            let (mut child, base) = spawn_server(&db.url, std::process::Stdio::null).await;
            let mut reads = tokio::task::JoinSet::new();
            let first_answer = std::sync::Arc::new(tokio::sync::Notify::new());
            // Fewer than a token's burst (a quarter of 600 a minute).
            for _ in 0..120 {
                let request = client
                    .get(format!("{base}/api/v1/referrals/{id}"))
                    .bearer_auth(&token);
                let first_answer = first_answer.clone();
                reads.spawn(async move {
                    let answer = request.send().await.map(|r| r.status().as_u16());
                    first_answer.notify_one();
                    answer
                });
            }
            // Killed while reads are being answered: after the first, and a
            // little later each round.
            first_answer.notified().await;
            tokio::time::sleep(std::time::Duration::from_millis(3 * round)).await;
            child.kill().expect("SIGKILL");
            let _ = child.wait();
            while let Some(read) = reads.join_next().await {
                asked += 1;
                match read.expect("join") {
                    Ok(200) => answered += 1,
                    Ok(other) => panic!("{}: a read answered {other}", db.engine),
                    Err(_) => {}
                }
            }
        }
        let reopened = App::new(
            Db::connect(&db.url).await.expect("reopen"),
            Settings::default(),
        );
        let recorded: i64 = sqlx::query_scalar(
            "SELECT CAST(COUNT(*) AS BIGINT) FROM audit_events \
             WHERE action = 'referral.progress_read' AND record_id = $1",
        )
        .bind(&id)
        .fetch_one(reopened.db.pool())
        .await
        .expect("count");
        assert!(answered > 0, "{}: some reads were answered", db.engine);
        assert!(
            recorded >= answered && recorded <= asked,
            "{}: {answered} answered of {asked}, {recorded} recorded",
            db.engine
        );
        assert!(
            reopened.verify_audit().await.expect("verify").is_ok(),
            "{}: the audit chain verifies",
            db.engine
        );
        reopened.db.close().await;
    }
}
