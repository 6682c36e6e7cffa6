//! Test harness: a server state over a temp data folder and a CA made at test time, on
//! SQLite or on a real PostgreSQL (HUELLA_TEST_DATABASE_URL, or a cluster started with
//! scripts/pg-test-cluster.sh for this test process).
#![allow(dead_code)]

use axum::body::Body;
use axum::http::{Request, StatusCode};
use axum::Router;
use base64::Engine;
use http_body_util::BodyExt;
use packet::{Action, BuildOptions, Manifest, NewAttachment, Packet, PublicKey, Rules, Timestamp};
use server::{AppState, Clock, ServeConfig};
use std::sync::OnceLock;
use test_pki::{Pki, Profile, TempDir};
use tower::ServiceExt;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// The admin URL of the test PostgreSQL (started once per test process if needed).
pub fn pg_admin_url() -> String {
    static URL: OnceLock<String> = OnceLock::new();
    URL.get_or_init(|| {
        if let Ok(u) = std::env::var("HUELLA_TEST_DATABASE_URL") {
            return u;
        }
        let script = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../scripts/pg-test-cluster.sh"
        );
        let out = std::process::Command::new(script)
            .args(["start", "--owner-pid", &std::process::id().to_string()])
            .output()
            .expect("run scripts/pg-test-cluster.sh");
        assert!(
            out.status.success(),
            "pg-test-cluster.sh failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap().trim().to_string()
    })
    .clone()
}

/// A fresh database on the test PostgreSQL.
pub async fn pg_database() -> String {
    use sqlx::Connection;
    sqlx::any::install_default_drivers();
    let admin = pg_admin_url();
    let name = format!("huella_{}", hex::encode(rand16()));
    let mut conn = sqlx::AnyConnection::connect(&admin).await.unwrap();
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .execute(&mut conn)
        .await
        .unwrap();
    let base = admin.rsplit_once('/').unwrap().0;
    format!("{base}/{name}")
}

pub fn rand16() -> [u8; 16] {
    let mut b = [0u8; 16];
    getrandom::fill(&mut b).unwrap();
    b
}

pub struct Harness {
    pub state: AppState,
    pub app: Router,
    pub clock: Clock,
    pub pki: Pki,
    pub data: TempDir,
    pub key: PublicKey,
    pub cfg: ServeConfig,
}

pub async fn harness(tag: &str, backend: Backend) -> Harness {
    harness_with(tag, backend, |_| {}).await
}

pub async fn harness_with(
    tag: &str,
    backend: Backend,
    tune: impl FnOnce(&mut ServeConfig),
) -> Harness {
    let pki = Pki::new(tag);
    let data = TempDir::new(&format!("{tag}-data"));
    let database_url = match backend {
        Backend::Sqlite => None,
        Backend::Postgres => Some(pg_database().await),
    };
    let mut cfg = ServeConfig {
        data_dir: data.0.clone(),
        database_url,
        trust_store: vec![pki.ca_pem_path.clone()],
        rate_per_sec: 0,
        ..ServeConfig::default()
    };
    tune(&mut cfg);
    let clock = Clock::fixed(Timestamp::now());
    let state = server::build_state(cfg.clone(), clock.clone())
        .await
        .unwrap();
    let key = state.keys().keyring.current().unwrap().clone();
    Harness {
        app: server::app(state.clone()),
        state,
        clock,
        pki,
        data,
        key,
        cfg,
    }
}

pub struct Reply {
    pub status: StatusCode,
    pub body: Vec<u8>,
    pub set_cookie: Option<String>,
    pub content_type: String,
    pub csp: Option<String>,
}

impl Reply {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|_| panic!("not JSON: {}", String::from_utf8_lossy(&self.body)))
    }
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
    pub fn code(&self) -> String {
        self.json()["code"].as_str().unwrap_or("").to_string()
    }
}

impl Harness {
    pub async fn call(
        &self,
        method: &str,
        path: &str,
        body: Vec<u8>,
        cookie: Option<&str>,
    ) -> Reply {
        let mut req = Request::builder()
            .method(method)
            .uri(path)
            .header("host", "huella.test")
            .header("content-type", "application/json");
        if let Some(c) = cookie {
            req = req.header("cookie", c);
        }
        let resp = self
            .app
            .clone()
            .oneshot(req.body(Body::from(body)).unwrap())
            .await
            .unwrap();
        let status = resp.status();
        let set_cookie = resp
            .headers()
            .get("set-cookie")
            .map(|v| v.to_str().unwrap().to_string());
        let content_type = resp
            .headers()
            .get("content-type")
            .map(|v| v.to_str().unwrap().to_string())
            .unwrap_or_default();
        let csp = resp
            .headers()
            .get("content-security-policy")
            .map(|v| v.to_str().unwrap().to_string());
        let body = resp
            .into_body()
            .collect()
            .await
            .unwrap()
            .to_bytes()
            .to_vec();
        Reply {
            status,
            body,
            set_cookie,
            content_type,
            csp,
        }
    }

    pub async fn get(&self, path: &str, cookie: Option<&str>) -> Reply {
        self.call("GET", path, Vec::new(), cookie).await
    }

    pub async fn post_packet(&self, p: &Packet) -> Reply {
        self.call("POST", "/api/v1/packets", p.to_json(), None)
            .await
    }

    /// A FIEL for a person with this RFC and CURP, issued by the test CA.
    pub fn fiel(&self, file: &str, rfc: &str, curp: &str) -> efirma::Credential {
        self.pki.credential(file, rfc, curp, Profile::Fiel)
    }

    /// Logs in with a FIEL; returns the `name=value` cookie.
    pub async fn login(&self, cred: &efirma::Credential) -> String {
        let ch = self.get("/api/v1/session/challenge", None).await.json();
        let challenge = ch["challenge"].as_str().unwrap().to_string();
        let sig = cred
            .sign_cms(challenge.as_bytes(), self.clock.now())
            .unwrap();
        let body = serde_json::json!({
            "challenge": challenge,
            "signature": base64::engine::general_purpose::STANDARD.encode(sig),
        });
        let r = self
            .call(
                "POST",
                "/api/v1/session",
                body.to_string().into_bytes(),
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        let c = r.set_cookie.unwrap();
        assert!(
            c.contains("HttpOnly") && c.contains("SameSite=Strict"),
            "{c}"
        );
        c.split(';').next().unwrap().to_string()
    }

    /// Builds a packet signed now (by the harness clock).
    pub fn build(&self, cred: &efirma::Credential, m: Manifest, atts: &[NewAttachment]) -> Packet {
        let rules = Rules::default();
        packet::build(
            m,
            atts,
            &BuildOptions {
                credential: cred,
                at: self.clock.now(),
                server_key: Some(&self.key),
                rules: &rules,
            },
        )
        .unwrap()
        .packet
    }

    pub async fn packet_count(&self) -> i64 {
        use sqlx::Row;
        sqlx::query("SELECT COUNT(*) AS n FROM packets")
            .fetch_one(&self.state.db.pool)
            .await
            .unwrap()
            .try_get::<i64, _>("n")
            .unwrap()
    }
}

/// Face + ten small fake WSQ prints.
pub fn bio_attachments(seed: u8) -> Vec<NewAttachment> {
    let mut v = vec![NewAttachment {
        name: "face".into(),
        bytes: vec![0xFF, 0xD8, seed, 1, 2, 3, 0xFF, 0xD9],
        ..Default::default()
    }];
    for p in 1..=10u8 {
        v.push(NewAttachment {
            name: format!("finger.{p}"),
            bytes: vec![p ^ seed; 256],
            ppi: Some(500),
            ..Default::default()
        });
    }
    v
}

/// The template for `action` for employer `rp` and worker (`nss`, `curp`).
pub fn manifest(action: Action, rp: &str, nss: &str, curp: &str) -> Manifest {
    let mut m = packet::template(action);
    if let Some(e) = m.employer.as_mut() {
        e.registro_patronal = rp.into();
    }
    if let Some(s) = m.subject.as_mut() {
        s.nss = nss.into();
        s.curp = curp.into();
    }
    m
}

pub fn ts(s: &str) -> Timestamp {
    Timestamp::parse_rfc3339(s).unwrap()
}

/// Runs an `async fn(Backend)` as two tests: `sqlite` and `postgres`.
#[macro_export]
macro_rules! both_backends {
    ($name:ident) => {
        mod $name {
            use $crate::harness::Backend;
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                super::$name(Backend::Sqlite).await
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                super::$name(Backend::Postgres).await
            }
        }
    };
}
