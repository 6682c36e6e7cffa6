//! The database: SQLite (embedded, WAL, `synchronous=FULL`) or PostgreSQL, one set of
//! migrations and one set of queries through sqlx's `Any` driver (`$1` placeholders work on
//! both).
//!
//! Idempotency and replay refusal rest on unique constraints (`packets.nonce`,
//! `packets.digest`, `packets.folio`), so several processes on one PostgreSQL agree.

use sqlx::any::{AnyPoolOptions, AnyRow};
use sqlx::{AnyPool, Executor, Row};
use std::path::Path;

/// Which engine is behind the pool.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    /// Embedded SQLite file.
    Sqlite,
    /// PostgreSQL server.
    Postgres,
}

/// A pool and its engine.
#[derive(Debug, Clone)]
pub struct Db {
    /// The connection pool.
    pub pool: AnyPool,
    /// The engine.
    pub engine: Engine,
}

const MIGRATIONS: &[(i64, &str)] = &[(
    1,
    "CREATE TABLE IF NOT EXISTS packets (
        folio TEXT PRIMARY KEY,
        nonce TEXT NOT NULL UNIQUE,
        digest TEXT NOT NULL UNIQUE,
        action TEXT NOT NULL,
        signer_rfc TEXT NOT NULL,
        registro_patronal TEXT,
        nss TEXT,
        received_at BIGINT NOT NULL,
        issued_at BIGINT NOT NULL,
        payload {blob} NOT NULL,
        signature {blob} NOT NULL,
        attachments_key TEXT,
        receipt TEXT NOT NULL);
    CREATE TABLE IF NOT EXISTS employers (
        registro_patronal TEXT PRIMARY KEY,
        rfc TEXT NOT NULL,
        name TEXT NOT NULL,
        zone TEXT NOT NULL,
        folio TEXT NOT NULL,
        registered_at BIGINT NOT NULL);
    CREATE INDEX IF NOT EXISTS employers_rfc ON employers (rfc);
    CREATE TABLE IF NOT EXISTS workers (
        nss TEXT PRIMARY KEY,
        curp TEXT NOT NULL,
        name TEXT NOT NULL,
        registro_patronal TEXT,
        alta_at BIGINT,
        alta_date TEXT,
        baja_at BIGINT,
        baja_date TEXT,
        biometrics_at BIGINT,
        last_proof_at BIGINT,
        sbc TEXT,
        updated_at BIGINT NOT NULL);
    CREATE INDEX IF NOT EXISTS workers_rp ON workers (registro_patronal);
    CREATE INDEX IF NOT EXISTS workers_curp ON workers (curp);
    CREATE TABLE IF NOT EXISTS events (
        seq {serial},
        folio TEXT NOT NULL UNIQUE,
        nss TEXT NOT NULL,
        action TEXT NOT NULL,
        registro_patronal TEXT,
        at BIGINT NOT NULL,
        detail TEXT NOT NULL);
    CREATE INDEX IF NOT EXISTS events_nss ON events (nss);
    CREATE TABLE IF NOT EXISTS challenges (
        nonce TEXT PRIMARY KEY,
        expires_at BIGINT NOT NULL,
        used BIGINT NOT NULL);
    CREATE TABLE IF NOT EXISTS sessions (
        token_hash TEXT PRIMARY KEY,
        rfc TEXT NOT NULL,
        curp TEXT,
        expires_at BIGINT NOT NULL);
    CREATE TABLE IF NOT EXISTS constancias (
        folio TEXT PRIMARY KEY,
        nss TEXT NOT NULL,
        issued_at BIGINT NOT NULL,
        content TEXT NOT NULL,
        seal TEXT NOT NULL)",
)];

impl Db {
    /// Connects (creating the SQLite file if needed) and runs the migrations.
    pub async fn connect(url: &str, max_connections: u32) -> Result<Db, sqlx::Error> {
        sqlx::any::install_default_drivers();
        let engine = if url.starts_with("postgres") {
            Engine::Postgres
        } else {
            Engine::Sqlite
        };
        let mut opts = AnyPoolOptions::new()
            .max_connections(max_connections)
            .acquire_timeout(std::time::Duration::from_secs(10));
        if engine == Engine::Sqlite {
            opts = opts.after_connect(|conn, _| {
                Box::pin(async move {
                    conn.execute(
                        "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; \
                         PRAGMA busy_timeout=10000; PRAGMA foreign_keys=ON;",
                    )
                    .await?;
                    Ok(())
                })
            });
        }
        let pool = opts.connect(url).await?;
        let db = Db { pool, engine };
        db.migrate().await?;
        Ok(db)
    }

    /// The SQLite URL for a data folder.
    pub fn sqlite_url(data_dir: &Path) -> String {
        format!("sqlite://{}?mode=rwc", data_dir.join("huella.db").display())
    }

    async fn migrate(&self) -> Result<(), sqlx::Error> {
        let (blob, serial) = match self.engine {
            Engine::Sqlite => ("BLOB", "INTEGER PRIMARY KEY AUTOINCREMENT"),
            Engine::Postgres => ("BYTEA", "BIGSERIAL PRIMARY KEY"),
        };
        self.pool
            .execute("CREATE TABLE IF NOT EXISTS schema_version (version BIGINT PRIMARY KEY)")
            .await?;
        for (version, sql) in MIGRATIONS {
            let done: Option<AnyRow> =
                sqlx::query("SELECT version FROM schema_version WHERE version = $1")
                    .bind(*version)
                    .fetch_optional(&self.pool)
                    .await?;
            if done.is_some() {
                continue;
            }
            let mut tx = self.pool.begin().await?;
            let ddl = sql.replace("{blob}", blob).replace("{serial}", serial);
            for stmt in ddl.split(';').filter(|s| !s.trim().is_empty()) {
                // Audited: constant DDL from MIGRATIONS with a constant type name.
                sqlx::query(sqlx::AssertSqlSafe(stmt.to_string()))
                    .execute(&mut *tx)
                    .await?;
            }
            sqlx::query(
                "INSERT INTO schema_version (version) VALUES ($1) ON CONFLICT (version) DO NOTHING",
            )
            .bind(*version)
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
        }
        Ok(())
    }

    /// Liveness of the database (for `/health`).
    pub async fn ping(&self) -> bool {
        sqlx::query("SELECT 1").fetch_one(&self.pool).await.is_ok()
    }
}

/// Reads an optional text column.
pub fn opt_text(row: &AnyRow, col: &str) -> Option<String> {
    row.try_get::<Option<String>, _>(col).ok().flatten()
}

/// Reads an optional integer column.
pub fn opt_i64(row: &AnyRow, col: &str) -> Option<i64> {
    row.try_get::<Option<i64>, _>(col).ok().flatten()
}
