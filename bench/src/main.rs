//! Measures Waymark at a given size and prints Markdown rows for
//! BENCHMARKS.md. Run it in release mode:
//!
//! ```sh
//! cargo run --release -p bench -- --database-url sqlite:///tmp/bench.sqlite --referrals 200000
//! ```
//!
//! It builds the demonstration landscape and N synthetic referrals if the
//! database is empty, then measures, in process: search (p50 and p95 over
//! many queries of each kind), the MoJ return for the last year, and the
//! import of a police feed beside `sqlite3 .import` of the same file into a
//! bare table.

use std::time::{Duration, Instant};

use anyhow::{Context, Result, anyhow};
use app::{App, Settings};
use clap::Parser;
use domain::policy::{Actor, Grant, GrantScope, Role};
use store::Db;

#[derive(Parser)]
struct Args {
    #[arg(long)]
    database_url: String,
    /// Referrals to generate into an empty database.
    #[arg(long, default_value_t = 200_000)]
    referrals: usize,
    /// Searches to time.
    #[arg(long, default_value_t = 2000)]
    searches: usize,
    /// Rows in the feed file to import (0 to skip).
    #[arg(long, default_value_t = 20_000)]
    import_rows: usize,
}

/// A sampled person: given, family, date of birth, phone, reference, crime reference.
type Sampled = (
    String,
    String,
    Option<String>,
    Option<String>,
    String,
    Option<String>,
);

fn percentile(samples: &mut [Duration], p: f64) -> Duration {
    samples.sort();
    let i = ((samples.len() as f64 - 1.0) * p).round() as usize;
    samples[i.min(samples.len() - 1)]
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

#[tokio::main]
async fn main() -> Result<()> {
    let args = Args::parse();
    let db = Db::connect(&args.database_url)
        .await
        .map_err(|e| anyhow!("{e}"))?;
    let db_backend = db.backend();
    let engine = match db_backend {
        store::Backend::Sqlite => "SQLite",
        store::Backend::Postgres => "PostgreSQL",
    };
    let app = App::new(db, Settings::default());
    app.migrate().await.map_err(|e| anyhow!("{e:?}"))?;
    let existing: i64 = sqlx::query_scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM referrals")
        .fetch_one(app.db.pool())
        .await?;
    if existing == 0 {
        generate(&app, &args, engine).await?;
    }
    let total: i64 = sqlx::query_scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM referrals")
        .fetch_one(app.db.pool())
        .await?;

    // A team leader of the largest service searches, as a worker would.
    let cli = app::command_line_actor();
    let services = app.services(&cli).await.map_err(|e| anyhow!("{e:?}"))?;
    let generic = services
        .iter()
        .find(|s| s.kind == "generic")
        .context("a generic service")?;
    let worker = Actor {
        submission: None,
        id: "bench".into(),
        label: "bench".into(),
        organisation_id: String::new(),
        grants: vec![Grant {
            role: Role::TeamLeader,
            scope: GrantScope::Service(generic.id.clone()),
        }],
    };
    let run = Run {
        app: &app,
        args: &args,
        engine,
        total,
    };
    run.search(&worker, generic).await?;
    run.moj_return().await?;
    if args.import_rows > 0 {
        run.import(generic, db_backend).await?;
    }
    Ok(())
}

/// One measuring run: the data set and where its rows are printed.
struct Run<'a> {
    app: &'a App,
    args: &'a Args,
    engine: &'static str,
    total: i64,
}

/// The demonstration landscape and `args.referrals` synthetic referrals.
async fn generate(app: &App, args: &Args, engine: &str) -> Result<()> {
    app::demo::seed(app).await.map_err(|e| anyhow!("{e:?}"))?;
    let started = Instant::now();
    let step = (args.referrals / 20).max(1);
    app::demo::generate(app, args.referrals, 2026, &|n| {
        if n % step < 500 {
            eprintln!("generated {n}");
        }
    })
    .await
    .map_err(|e| anyhow!("{e:?}"))?;
    let secs = started.elapsed().as_secs_f64();
    println!(
        "| {engine} | generate {} referrals | {:.0} s ({:.0} referrals/s) |",
        args.referrals,
        secs,
        args.referrals as f64 / secs
    );
    Ok(())
}

impl Run<'_> {
    /// Search by each kind of query, p50 and p95.
    async fn search(&self, worker: &Actor, generic: &store::directory::Service) -> Result<()> {
        let (app, args, engine, total) = (self.app, self.args, self.engine, self.total);
        let sample: Vec<Sampled> = sqlx::query_as(
            "SELECT p.given_name, p.family_name, p.date_of_birth, p.phone, r.reference, r.crime_reference
             FROM referrals r JOIN people p ON p.id = r.person_id WHERE r.service_id = $1 LIMIT 500",
        )
        .bind(generic.id.clone())
        .fetch_all(app.db.pool())
        .await?;
        let mut kinds: Vec<(&str, Vec<(String, String)>)> = vec![
            (
                "full name",
                sample
                    .iter()
                    .map(|s| (format!("{} {}", s.0, s.1), String::new()))
                    .collect(),
            ),
            (
                "family name",
                sample
                    .iter()
                    .map(|s| (s.1.clone(), String::new()))
                    .collect(),
            ),
            (
                "date of birth",
                sample
                    .iter()
                    .filter_map(|s| s.2.clone())
                    .map(|d| (String::new(), d))
                    .collect(),
            ),
            (
                "phone",
                sample
                    .iter()
                    .filter_map(|s| s.3.clone())
                    .map(|p| (p, String::new()))
                    .collect(),
            ),
            (
                "reference",
                sample
                    .iter()
                    .map(|s| (s.4.clone(), String::new()))
                    .collect(),
            ),
            (
                "crime reference",
                sample
                    .iter()
                    .filter_map(|s| s.5.clone())
                    .map(|c| (c, String::new()))
                    .collect(),
            ),
        ];
        let mut all = Vec::new();
        for (kind, queries) in kinds.iter_mut() {
            let mut samples = Vec::new();
            for i in 0..args.searches / 6 {
                let (q, dob) = &queries[i % queries.len()];
                let started = Instant::now();
                let found = app
                    .search_people(worker, q, dob, 1)
                    .await
                    .map_err(|e| anyhow!("{e:?}"))?;
                samples.push(started.elapsed());
                assert!(!found.rows.is_empty(), "{kind} '{q}' found nothing");
            }
            all.extend(samples.iter().copied());
            let p50 = percentile(&mut samples, 0.5);
            let p95 = percentile(&mut samples, 0.95);
            println!(
                "| {engine} | {total} referrals | search by {kind}: p50 {}, p95 {} |",
                ms(p50),
                ms(p95)
            );
        }
        println!(
            "| {engine} | {total} referrals | search, all kinds: p95 **{}** (each search includes writing its audit event) |",
            ms(percentile(&mut all, 0.95))
        );
        Ok(())
    }

    /// The MoJ return for the last year, all services, median of three:
    /// the exact figures the system holder reads (a commissioner's protected
    /// return is one service and one ended quarter).
    async fn moj_return(&self) -> Result<()> {
        let (app, engine, total) = (self.app, self.engine, self.total);
        let to = app.today();
        let from = to
            .checked_sub(jiff::Span::new().days(365))
            .map_err(|e| anyhow!("{e}"))?;
        let mut runs = Vec::new();
        for _ in 0..3 {
            let started = Instant::now();
            app.moj_return_for_system(from, to, &[], false)
                .await
                .map_err(|e| anyhow!("{e:?}"))?;
            runs.push(started.elapsed());
        }
        let whole = percentile(&mut runs, 0.5);
        // The limit: the return's own statements, run one after another on
        // one connection with nothing of the application around them.
        let services: Vec<String> = app
            .services(&app::command_line_actor())
            .await
            .map_err(|e| anyhow!("{e:?}"))?
            .into_iter()
            .map(|s| s.id)
            .collect();
        let (from_text, to_text) = (from.to_string(), to.to_string());
        let scope = store::reports::Scope {
            services: &services,
            from: &from_text,
            to: &to_text,
        };
        let mut raw = Vec::new();
        // Each statement's time in the last run, to see where the time goes.
        let mut each: Vec<(&str, Duration)> = Vec::new();
        for _ in 0..3 {
            let mut conn = app.db.conn().await.map_err(|e| anyhow!("{e}"))?;
            let started = Instant::now();
            let conn = &mut *conn;
            let fail = |e: store::StoreError| anyhow!("{e}");
            each.clear();
            let mut lap = Instant::now();
            let mut timed = |name: &'static str| {
                each.push((name, lap.elapsed()));
                lap = Instant::now();
            };
            store::reports::referral_groups(conn, &scope, &to_text)
                .await
                .map_err(fail)?;
            timed("referral groups");
            store::reports::victims_referred_and_contacted(conn, &scope)
                .await
                .map_err(fail)?;
            timed("victims referred and contacted");
            store::reports::supported(conn, &scope)
                .await
                .map_err(fail)?;
            timed("supported");
            store::reports::outcomes(conn, &scope).await.map_err(fail)?;
            timed("outcomes");
            store::reports::continuing(conn, &scope)
                .await
                .map_err(fail)?;
            timed("continuing");
            store::reports::waits_for_contact(conn, &scope)
                .await
                .map_err(fail)?;
            timed("waits for contact");
            store::reports::waits_for_support(conn, &scope)
                .await
                .map_err(fail)?;
            timed("waits for support");
            store::reports::satisfaction(conn, &scope)
                .await
                .map_err(fail)?;
            timed("satisfaction");
            store::reports::assessments_at_intake_and_exit(conn, &scope)
                .await
                .map_err(fail)?;
            timed("risk and answers at intake and exit");
            raw.push(started.elapsed());
        }
        let limit = percentile(&mut raw, 0.5);
        println!(
            "| {engine} | {total} referrals | MoJ return for a year, all services: median **{}** of 3; its statements alone, one after another on one connection: {} ({:.2}×) |",
            ms(whole),
            ms(limit),
            whole.as_secs_f64() / limit.as_secs_f64().max(1e-9)
        );
        let parts: Vec<String> = each
            .iter()
            .map(|(name, took)| format!("{name} {}", ms(*took)))
            .collect();
        println!(
            "| {engine} | {total} referrals | the return's statements, last run: {} |",
            parts.join("; ")
        );
        Ok(())
    }

    /// Importing a police feed, beside `sqlite3 .import` of the same file.
    async fn import(
        &self,
        generic: &store::directory::Service,
        db_backend: store::Backend,
    ) -> Result<()> {
        let (app, args, engine, total) = (self.app, self.args, self.engine, self.total);
        let cli = app::command_line_actor();
        let dir = std::env::temp_dir().join(format!("waymark-bench-{}", std::process::id()));
        std::fs::create_dir_all(&dir)?;
        let file = dir.join("feed.csv");
        let mut text = app::import::COLUMNS.join(",");
        text.push('\n');
        for i in 0..args.import_rows {
            let day = 1 + i % 28;
            text.push_str(&format!(
                "{},BENCH-{total}-{i},2026-10-{day:02}T10:00:00Z,2026-10-{day:02},EM/{i}/26,theft,2026-10-{day:02},given,,,,,Bench{},Row{},1980-01-01,07700 900{:03},,,,,,,,,,no\n",
                generic.name,
                i % 977,
                i % 991,
                i % 1000
            ));
        }
        std::fs::write(&file, &text)?;
        let police = app
            .organisations(&cli)
            .await
            .map_err(|e| anyhow!("{e:?}"))?
            .into_iter()
            .find(|o| o.kind == "police")
            .context("a police force")?;
        let sender = Actor {
            submission: None,
            id: "bench-feed".into(),
            label: "bench feed".into(),
            organisation_id: police.id,
            grants: vec![Grant {
                role: Role::Referrer,
                scope: GrantScope::Everywhere,
            }],
        };
        let started = Instant::now();
        let report = app
            .import_referrals(&sender, text.as_bytes(), false)
            .await
            .map_err(|e| anyhow!("{e:?}"))?;
        let secs = started.elapsed().as_secs_f64();
        assert_eq!(
            report.imported,
            args.import_rows,
            "{:?}",
            report.errors.first()
        );
        let rate = args.import_rows as f64 / secs;
        let floor = match db_backend {
            store::Backend::Sqlite => Some(schema_floor(app, total, args.import_rows).await?),
            store::Backend::Postgres => None,
        };
        let bare = dir.join("bare.sqlite");
        let started = Instant::now();
        let status = std::process::Command::new("sqlite3")
            .arg(&bare)
            .arg("-cmd")
            .arg("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;")
            .arg(format!(".import --csv {} feed", file.display()))
            .status()
            .context("sqlite3 (Debian package sqlite3) is needed for the comparison")?;
        let raw = args.import_rows as f64 / started.elapsed().as_secs_f64();
        if status.success() {
            println!(
                "| {engine} | {total} referrals | import {} feed rows: **{:.0} rows/s**; `sqlite3 .import` of the same file into a bare table: {:.0} rows/s ({:.0}%) |",
                args.import_rows,
                rate,
                raw,
                rate / raw * 100.0
            );
            if let Some(floor) = floor {
                println!(
                    "| {engine} | {total} referrals | SQLite itself copying the same records (people, referrals, audit events) with all their indexes, one transaction: {:.0} rows/s ({:.0}% of the bare `.import`; the import reaches {:.0}% of it) |",
                    floor,
                    floor / raw * 100.0,
                    rate / floor * 100.0
                );
            }
        }
        let _ = std::fs::remove_dir_all(&dir);
        Ok(())
    }
}

/// The physical limit for our schema: SQLite copying the records the
/// import just wrote (each person, referral and its two audit events) into
/// the same tables with all their indexes, in one transaction, without any
/// checking. The copies are removed afterwards. Rows per second.
async fn schema_floor(app: &App, total: i64, rows: usize) -> Result<f64> {
    let mut conn = app.db.pool().acquire().await?;
    let prefix = format!("BENCH-{total}-%");
    for statement in [
        "CREATE TEMP TABLE floor_referrals AS SELECT * FROM referrals WHERE sender_reference LIKE $1",
        "CREATE TEMP TABLE floor_people AS SELECT * FROM people WHERE id IN (SELECT person_id FROM floor_referrals)",
    ] {
        sqlx::query(statement)
            .bind(prefix.clone())
            .execute(&mut *conn)
            .await?;
    }
    sqlx::query(
        "CREATE TEMP TABLE floor_audit AS SELECT * FROM audit_events WHERE record_id IN
            (SELECT id FROM floor_referrals UNION ALL SELECT id FROM floor_people)",
    )
    .execute(&mut *conn)
    .await?;
    let started = Instant::now();
    sqlx::query("BEGIN IMMEDIATE").execute(&mut *conn).await?;
    for statement in [
        "INSERT INTO people (id, service_id, given_name, family_name, name_key, date_of_birth,
            phone, phone_key, email, address, postcode, postcode_key, gender, ethnicity, disability,
            sexual_orientation, religion, first_language, interpreter_needed, created_at, given_key, family_key)
         SELECT 'floor-' || id, service_id, given_name, family_name, name_key, date_of_birth,
            phone, phone_key, email, address, postcode, postcode_key, gender, ethnicity, disability,
            sexual_orientation, religion, first_language, interpreter_needed, created_at, given_key, family_key
         FROM floor_people",
        "INSERT INTO referrals (id, reference, service_id, person_id, source, sender_id, sender_reference,
            received_at, crime_reported_on, crime_reference, crime_type, incident_date, consent,
            consent_recorded_on, consent_how, consent_by, enhanced_reasons, enhanced, status, passed_due_on,
            information_due_on, contact_due_on, created_by, created_at, received_on, area_id, first_contact_on)
         SELECT 'floor-' || id, 'floor-' || reference, service_id, 'floor-' || person_id, source, sender_id,
            'floor-' || sender_reference, received_at, crime_reported_on, crime_reference, crime_type,
            incident_date, consent, consent_recorded_on, consent_how, consent_by, enhanced_reasons, enhanced,
            status, passed_due_on, information_due_on, contact_due_on, created_by, created_at, received_on,
            area_id, first_contact_on
         FROM floor_referrals",
        "INSERT INTO audit_events SELECT seq + 1000000000, 'floor-' || id, occurred_at, actor_id, actor_label,
            action, record_type, record_id, organisation_id, service_id, before_json, after_json, prev_hash, hash
         FROM floor_audit",
        "COMMIT",
    ] {
        sqlx::query(statement).execute(&mut *conn).await?;
    }
    let secs = started.elapsed().as_secs_f64();
    for statement in [
        "DELETE FROM audit_events WHERE seq > 1000000000",
        "DELETE FROM referrals WHERE id LIKE 'floor-%'",
        "DELETE FROM people WHERE id LIKE 'floor-%'",
        "DROP TABLE floor_referrals",
        "DROP TABLE floor_people",
        "DROP TABLE floor_audit",
    ] {
        sqlx::query(statement).execute(&mut *conn).await?;
    }
    Ok(rows as f64 / secs)
}
