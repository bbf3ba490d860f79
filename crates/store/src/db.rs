use std::str::FromStr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::pool::PoolConnection;
use sqlx::{Any, AnyConnection, AnyPool, Connection, Executor};

use crate::{Result, StorageHealth, StoreError};

pub type Conn = AnyConnection;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// The database: a pool of connections to one SQLite file or one PostgreSQL
/// database.
#[derive(Clone, Debug)]
pub struct Db {
    pool: AnyPool,
    backend: Backend,
    health: Arc<StorageHealth>,
    /// SQLite's `max_page_count` for every connection, when set (0: not set).
    page_cap: Arc<AtomicU64>,
    /// The SQLite database file, whose folder's free space matters.
    sqlite_file: Option<std::path::PathBuf>,
    /// SQLite has one writer: this process's writers queue here, in turn,
    /// rather than in SQLite's busy handler, which sleeps and retries.
    /// (Other processes still wait in the busy handler.)
    writer: Option<Arc<tokio::sync::Mutex<()>>>,
}

/// How the database is opened.
#[derive(Debug, Clone, Copy)]
pub struct DbOptions {
    /// SQLite: the page cache of each connection, in MiB. Every connection
    /// of the pool keeps its own, so the pool's memory is this times its
    /// size (8).
    pub sqlite_cache_mib: u32,
}

impl Default for DbOptions {
    fn default() -> Self {
        DbOptions {
            sqlite_cache_mib: 16,
        }
    }
}

impl Db {
    /// Connects to `url`: `sqlite://PATH` (created if missing) or
    /// `postgres://…`.
    pub async fn connect(url: &str) -> Result<Db> {
        Db::connect_with(url, DbOptions::default()).await
    }

    /// Connects to `url` with these options.
    pub async fn connect_with(url: &str, db_options: DbOptions) -> Result<Db> {
        let cache_kib = i64::from(db_options.sqlite_cache_mib.max(1)) * 1024;
        sqlx::any::install_default_drivers();
        let mut sqlite_file = None;
        let (backend, url) = if let Some(rest) = url.strip_prefix("sqlite:") {
            let path = rest.trim_start_matches("//");
            let path = path.split('?').next().unwrap_or_default();
            sqlite_file = Some(std::path::PathBuf::from(path));
            let url = if rest.contains("mode=") {
                url.to_string()
            } else if rest.contains('?') {
                format!("{url}&mode=rwc")
            } else {
                format!("{url}?mode=rwc")
            };
            (Backend::Sqlite, url)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            (Backend::Postgres, url.to_string())
        } else {
            return Err(StoreError::Url(
                "use sqlite://PATH or postgres://USER@HOST:PORT/DATABASE".into(),
            ));
        };
        let options = AnyConnectOptions::from_str(&url)?;
        let page_cap = Arc::new(AtomicU64::new(0));
        let cap_on_acquire = page_cap.clone();
        let pool = AnyPoolOptions::new()
            .max_connections(match backend {
                Backend::Sqlite => 8,
                Backend::Postgres => 16,
            })
            .after_connect(move |conn, _meta| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        // URLs cannot set these. FULL makes an acknowledged
                        // commit survive a power cut, not only a crash.
                        conn.execute("PRAGMA journal_mode = WAL").await?;
                        conn.execute("PRAGMA synchronous = FULL").await?;
                        conn.execute("PRAGMA foreign_keys = ON").await?;
                        conn.execute("PRAGMA busy_timeout = 10000").await?;
                        // LIKE as PostgreSQL has it (case-sensitive), which lets
                        // a prefix search (`family_key LIKE 'kit%'`) use its
                        // index instead of reading the whole service.
                        conn.execute("PRAGMA case_sensitive_like = ON").await?;
                        // A page cache larger than SQLite's 2 MiB: a batch of
                        // writes touches many index pages, and a cache that
                        // spills mid-transaction writes them twice.
                        let sql = format!("PRAGMA cache_size = -{cache_kib}");
                        conn.execute(sqlx::AssertSqlSafe(sql)).await?;
                    }
                    Ok(())
                })
            })
            // A SQLite connection is a thread in this process, not a socket
            // that can break while idle; pinging it before each use only
            // costs a hand-off to that thread and back.
            .test_before_acquire(backend == Backend::Postgres)
            // A connection is never taken back while inside a transaction:
            // its next user's "commit" would only release a savepoint of a
            // transaction nobody will commit, and it would hold the writer's
            // lock. An idle SQLite connection cannot enter one, so asking
            // again when it is handed out would only repeat the question.
            .after_release(move |conn, _meta| {
                Box::pin(async move { outside_transaction(conn, backend, true).await })
            })
            .before_acquire(move |conn, _meta| {
                let cap = cap_on_acquire.load(Ordering::Acquire);
                Box::pin(async move {
                    match backend {
                        Backend::Sqlite => {
                            if cap > 0 {
                                let sql = format!("PRAGMA max_page_count = {cap}");
                                conn.execute(sqlx::AssertSqlSafe(sql)).await?;
                            }
                            Ok(true)
                        }
                        Backend::Postgres => outside_transaction(conn, backend, false).await,
                    }
                })
            })
            .connect_with(options)
            .await?;
        Ok(Db {
            pool,
            backend,
            health: Arc::new(StorageHealth::default()),
            page_cap,
            sqlite_file,
            writer: (backend == Backend::Sqlite).then(|| Arc::new(tokio::sync::Mutex::new(()))),
        })
    }

    /// Bytes free to this process on the file system that holds the SQLite
    /// database; `None` on PostgreSQL (its server watches its own disk).
    pub fn free_space(&self) -> Option<u64> {
        let file = self.sqlite_file.as_ref()?;
        let folder = match file.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => std::path::Path::new("."),
        };
        let stats = rustix::fs::statvfs(folder).ok()?;
        Some(stats.f_bavail.saturating_mul(stats.f_frsize))
    }

    /// Whether storage is taking writes.
    pub fn health(&self) -> &StorageHealth {
        &self.health
    }

    /// SQLite only: caps the database at this many pages on every
    /// connection (`PRAGMA max_page_count`), so that a full disk can be
    /// rehearsed without filling one. Raise the cap and writes succeed again.
    pub fn cap_sqlite_pages(&self, pages: u64) {
        self.page_cap.store(pages, Ordering::Release);
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// A connection for reads.
    pub async fn conn(&self) -> Result<sqlx::pool::PoolConnection<Any>> {
        Ok(self.pool.acquire().await?)
    }

    /// Starts a writing transaction. Its first statement takes the writer's
    /// lock (the audit chain head), so writers queue here rather than fail
    /// part-way on SQLite, and audit events chain in commit order on both.
    ///
    /// If anything fails, the connection is closed rather than returned to
    /// the pool: storage failures are noted in [`Db::health`].
    pub async fn begin_write(&self, now: &str) -> Result<WriteTx> {
        let turn = match &self.writer {
            Some(writer) => Some(writer.clone().lock_owned().await),
            None => None,
        };
        let conn = self.pool.acquire().await.map_err(|e| self.noted(e))?;
        let mut tx = WriteTx {
            conn,
            finished: false,
            health: self.health.clone(),
            _turn: turn,
        };
        sqlx::raw_sql("BEGIN")
            .execute(&mut *tx.conn)
            .await
            .map_err(|e| self.noted(e))?;
        sqlx::query("UPDATE audit_head SET touched_at = $1 WHERE id = 1")
            .bind(now.to_string())
            .execute(&mut *tx.conn)
            .await
            .map_err(|e| self.noted(e))?;
        Ok(tx)
    }

    /// Commits a small write that needs fresh room in the database: true if
    /// storage takes writes. `/readyz` asks this, so recovery is noticed
    /// even when nobody else writes. A success stands for a few seconds, so
    /// a flood of readiness checks does not become a flood of writes.
    pub async fn probe_write(&self, now: &str) -> bool {
        if self.health.recently_probed() {
            return true;
        }
        let attempt = async {
            let mut tx = self.begin_write(now).await?;
            sqlx::query(
                "INSERT INTO storage_probe (id, written_at, filler) VALUES (1, $1, $2) \
                 ON CONFLICT (id) DO UPDATE SET written_at = $1, filler = $2",
            )
            .bind(now.to_string())
            .bind("probe ".repeat(PROBE_BYTES / 6))
            .execute(tx.conn())
            .await?;
            tx.commit().await?;
            // Rewriting that row can reuse the pages it frees, so a full
            // database would still take it: a second row needs fresh room,
            // and is rolled back so the probes never grow the file.
            let mut tx = self.begin_write(now).await?;
            sqlx::query("INSERT INTO storage_probe (id, written_at, filler) VALUES (2, $1, $2)")
                .bind(now.to_string())
                .bind("probe ".repeat(PROBE_BYTES / 6))
                .execute(tx.conn())
                .await?;
            tx.rollback().await
        };
        match attempt.await {
            Ok(()) => {
                self.health.probed();
                true
            }
            Err(e) => {
                self.health.note(&e);
                false
            }
        }
    }

    /// Notes a storage failure in the health record, and passes the error on.
    fn noted(&self, e: sqlx::Error) -> StoreError {
        let e = StoreError::from(e);
        self.health.note(&e);
        e
    }

    /// Refreshes the statistics the query planner chooses indexes by.
    /// PostgreSQL keeps its own up to date; SQLite needs asking, after
    /// bulk loads and now and then.
    pub async fn optimize(&self, thorough: bool) -> Result<()> {
        if self.backend == Backend::Sqlite {
            let sql = if thorough {
                "ANALYZE"
            } else {
                "PRAGMA optimize"
            };
            sqlx::query(sql).execute(&self.pool).await?;
        }
        Ok(())
    }

    /// After many rows were added to some tables (an import): SQLite's own
    /// `PRAGMA optimize` decides what needs analysing; PostgreSQL analyses
    /// those tables at once, since its automatic analysis waits for a tenth
    /// of a table to change and, until then, plans for the table as it was
    /// (a sender with no references, say, whose thousands are then read one
    /// by one).
    pub async fn after_import(&self, tables: &[&'static str]) -> Result<()> {
        let sql = match self.backend {
            Backend::Sqlite => "PRAGMA optimize".to_string(),
            Backend::Postgres => format!("ANALYZE {}", tables.join(", ")),
        };
        sqlx::query(sqlx::AssertSqlSafe(sql))
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// After loading a large data set: fresh statistics on both engines,
    /// and on PostgreSQL a vacuum too, so that queries answered from an
    /// index alone need not visit each row to see whether it is visible.
    pub async fn after_bulk_load(&self) -> Result<()> {
        let sql = match self.backend {
            Backend::Sqlite => "ANALYZE",
            Backend::Postgres => "VACUUM ANALYZE",
        };
        sqlx::query(sql).execute(&self.pool).await?;
        Ok(())
    }

    /// Whether the database answers: for readiness checks.
    pub async fn ping(&self) -> Result<()> {
        let mut conn = self.pool.acquire().await?;
        conn.ping().await?;
        Ok(())
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }

    /// The SQLite database file, if this is one.
    pub fn sqlite_file(&self) -> Option<&std::path::Path> {
        self.sqlite_file.as_deref()
    }

    /// SQLite: moves everything in the write-ahead log into the database
    /// file and empties the log, as at a clean stop. Nothing on PostgreSQL.
    pub async fn checkpoint(&self) -> Result<()> {
        if self.backend == Backend::Sqlite {
            sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
                .execute(&self.pool)
                .await?;
        }
        Ok(())
    }

    /// SQLite: writes a consistent copy of the database to `path` (which
    /// must not exist) while others go on writing: one read transaction,
    /// so unlike the online backup it never starts again.
    pub async fn copy_into(&self, path: &std::path::Path) -> Result<()> {
        if self.backend != Backend::Sqlite {
            return Err(StoreError::Schema(
                "only a SQLite database is copied this way".into(),
            ));
        }
        let quoted = path.display().to_string().replace('\'', "''");
        let sql = format!("VACUUM INTO '{quoted}'");
        sqlx::query(sqlx::AssertSqlSafe(sql))
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// SQLite's own check of every page and index: "ok", or what is wrong.
    /// PostgreSQL checks its pages itself: "ok".
    pub async fn integrity_check(&self) -> Result<String> {
        if self.backend != Backend::Sqlite {
            return Ok("ok".into());
        }
        let rows: Vec<String> = sqlx::query_scalar("PRAGMA integrity_check")
            .fetch_all(&self.pool)
            .await?;
        Ok(rows.join("; "))
    }

    /// SQLite: takes the lock that says a server is using this database
    /// file (a `.lock` file beside it), for as long as the returned file is
    /// held. `Ok(None)` on PostgreSQL; an error when someone holds it.
    pub fn lock_for_use(&self) -> std::io::Result<Option<std::fs::File>> {
        let Some(file) = &self.sqlite_file else {
            return Ok(None);
        };
        let lock = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(format!("{}.lock", file.display()))?;
        rustix::fs::flock(&lock, rustix::fs::FlockOperation::NonBlockingLockExclusive)?;
        Ok(Some(lock))
    }

    /// PostgreSQL: makes an empty database beside this one, for checking
    /// a backup by restoring it.
    pub async fn create_database(&self, name: &str) -> Result<()> {
        if !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            return Err(StoreError::Schema(format!("not a database name: {name}")));
        }
        let sql = format!("CREATE DATABASE {name}");
        sqlx::query(sqlx::AssertSqlSafe(sql))
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// PostgreSQL: drops a database made by [`Db::create_database`].
    pub async fn drop_database(&self, name: &str) -> Result<()> {
        if !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            return Err(StoreError::Schema(format!("not a database name: {name}")));
        }
        let sql = format!("DROP DATABASE IF EXISTS {name}");
        sqlx::query(sqlx::AssertSqlSafe(sql))
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Whether the database holds any of Waymark's tables.
    pub async fn holds_tables(&self) -> Result<bool> {
        let sql = match self.backend {
            Backend::Sqlite => {
                "SELECT CAST(COUNT(*) AS BIGINT) FROM sqlite_master WHERE type = 'table'"
            }
            Backend::Postgres => {
                "SELECT CAST(COUNT(*) AS BIGINT) FROM information_schema.tables WHERE table_schema = current_schema()"
            }
        };
        let count: i64 = sqlx::query_scalar(sql).fetch_one(&self.pool).await?;
        Ok(count > 0)
    }
}

/// How much room the readiness probe's write needs: several pages, so that
/// a database with no room left refuses it.
const PROBE_BYTES: usize = 32 * 1024;

/// Whether a connection is outside any transaction, so it may be used or
/// pooled. On SQLite this asks the database itself: a failed statement may
/// have ended the transaction without the driver knowing, or the other way
/// round. On PostgreSQL the driver's own count, and, when a connection comes
/// back, whether it holds a transaction that wrote (a broken connection
/// fails the driver's ping that follows).
async fn outside_transaction(
    conn: &mut AnyConnection,
    backend: Backend,
    returning: bool,
) -> sqlx::Result<bool> {
    match backend {
        // BEGIN fails inside a transaction; a deferred one takes no lock.
        Backend::Sqlite => Ok(sqlx::raw_sql("BEGIN; ROLLBACK")
            .execute(&mut *conn)
            .await
            .is_ok()),
        Backend::Postgres if conn.is_in_transaction() => Ok(false),
        Backend::Postgres if returning => {
            let wrote: i64 = sqlx::query_scalar(
                "SELECT CAST(CASE WHEN pg_current_xact_id_if_assigned() IS NULL \
                 THEN 0 ELSE 1 END AS BIGINT)",
            )
            .fetch_one(&mut *conn)
            .await?;
            Ok(wrote == 0)
        }
        Backend::Postgres => Ok(true),
    }
}

/// A writing transaction: commit it, or drop it to roll everything back.
///
/// The transaction is begun and ended here rather than by the driver so
/// that a connection whose transaction did not end cleanly is never reused:
/// if `BEGIN`, a statement's error, `COMMIT` or `ROLLBACK` leaves it
/// unfinished, the connection is closed (which rolls back) instead of going
/// back to the pool.
pub struct WriteTx {
    conn: PoolConnection<Any>,
    finished: bool,
    health: Arc<StorageHealth>,
    /// This process's turn to write (SQLite), given up when the transaction
    /// ends; declared after the connection so it is dropped after it.
    _turn: Option<tokio::sync::OwnedMutexGuard<()>>,
}

impl WriteTx {
    pub fn conn(&mut self) -> &mut AnyConnection {
        &mut self.conn
    }

    /// Commits. `Ok` means durable; only then may a change be acknowledged.
    pub async fn commit(mut self) -> Result<()> {
        match sqlx::raw_sql("COMMIT").execute(&mut *self.conn).await {
            Ok(_) => {
                self.finished = true;
                self.health.committed();
                Ok(())
            }
            Err(e) => {
                let e = StoreError::from(e);
                self.health.note(&e);
                Err(e)
            }
        }
    }
}

impl WriteTx {
    /// Rolls back, keeping the connection if that ends the transaction cleanly.
    pub async fn rollback(mut self) -> Result<()> {
        sqlx::raw_sql("ROLLBACK").execute(&mut *self.conn).await?;
        self.finished = true;
        Ok(())
    }
}

impl Drop for WriteTx {
    fn drop(&mut self) {
        if !self.finished {
            // Closing ends the transaction on both engines, whatever state
            // the connection is in; a rollback here could not be awaited.
            self.conn.close_on_drop();
        }
    }
}
