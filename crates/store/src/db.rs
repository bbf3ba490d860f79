use std::str::FromStr;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{Any, AnyConnection, AnyPool, Connection, Executor, Transaction};

use crate::{Result, StoreError};

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
}

impl Db {
    /// Connects to `url`: `sqlite://PATH` (created if missing) or
    /// `postgres://…`.
    pub async fn connect(url: &str) -> Result<Db> {
        sqlx::any::install_default_drivers();
        let (backend, url) = if let Some(rest) = url.strip_prefix("sqlite:") {
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
                        // 32 MiB of page cache (the default is 2 MiB): a batch
                        // of writes touches many index pages, and a cache that
                        // spills mid-transaction writes them twice.
                        conn.execute("PRAGMA cache_size = -32768").await?;
                    }
                    Ok(())
                })
            })
            .connect_with(options)
            .await?;
        Ok(Db { pool, backend })
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
    pub async fn begin_write(&self, now: &str) -> Result<WriteTx> {
        let mut tx = self.pool.begin().await?;
        sqlx::query("UPDATE audit_head SET touched_at = $1 WHERE id = 1")
            .bind(now.to_string())
            .execute(&mut *tx)
            .await?;
        Ok(WriteTx { tx })
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
}

/// A writing transaction: commit it, or drop it to roll everything back.
pub struct WriteTx {
    tx: Transaction<'static, Any>,
}

impl WriteTx {
    pub fn conn(&mut self) -> &mut AnyConnection {
        &mut self.tx
    }

    pub async fn commit(self) -> Result<()> {
        self.tx.commit().await?;
        Ok(())
    }
}
