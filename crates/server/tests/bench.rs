//! The load benchmark (design.md §8), out of the default `cargo test`:
//!
//! ```text
//! cargo test -p server --release --test bench -- --ignored --nocapture
//! HUELLA_BENCH_PACKETS=3000 cargo test -p server --release --test bench -- --ignored --nocapture
//! ```
//!
//! A CA and a FIEL are made at test time; the server runs in this process on 127.0.0.1
//! (SQLite in a temp folder, then a fresh PostgreSQL database), 64 clients post distinct
//! packets of ten 25 KB prints and a 60 KB face. Prints two JSON reports per backend:
//! saturation (closed loop: 64 clients back to back) and latency at an offered 500
//! packets/s (open loop, `HUELLA_BENCH_RATE`), latency counted from each packet's due time.

mod harness;

use server::bench::{run, BenchOptions, Target};
use server::ServeConfig;
use test_pki::{Pki, Profile, TempDir};

fn options(pki: &Pki, target: Target, rate: Option<f64>) -> BenchOptions {
    let packets = std::env::var("HUELLA_BENCH_PACKETS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1500);
    BenchOptions {
        target,
        credential: pki.credential(
            "PATRON",
            "PEXC850101Q31",
            "PEXC850101HDFXXR09",
            Profile::Fiel,
        ),
        at: None,
        packets,
        concurrency: 64,
        rate,
        finger_bytes: 25_000,
        face_bytes: 60_000,
        registro_patronal: "B5510768108".into(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "benchmark: run with --release --ignored --nocapture"]
async fn bench_sqlite_and_postgres() {
    let pki = Pki::new("bench");
    for backend in ["sqlite", "postgres"] {
        let data = TempDir::new(&format!("bench-{backend}"));
        let database_url = match backend {
            "postgres" => Some(harness::pg_database().await),
            _ => None,
        };
        let cfg = ServeConfig {
            data_dir: data.0.clone(),
            database_url,
            trust_store: vec![pki.ca_pem_path.clone()],
            max_connections: 16,
            ..ServeConfig::default()
        };
        // Saturation (closed loop), then latency at the offered target rate (open loop).
        let offered = std::env::var("HUELLA_BENCH_RATE")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(500.0);
        for rate in [None, Some(offered)] {
            let report = run(options(
                &pki,
                Target::InProcess(Box::new(cfg.clone())),
                rate,
            ))
            .await
            .unwrap();
            println!("{}", serde_json::to_string(&report).unwrap());
            assert_eq!(report.errors, 0);
            assert_eq!(report.lost_receipts, Some(0));
        }
    }
}
