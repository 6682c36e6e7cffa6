//! Real processes on real sockets: the server runs in a child process (this test binary
//! re-executed with `child_server`, which calls `server::serve` exactly as `huella serve`
//! does), is killed with SIGKILL right after receipts come back, and restarted; and two
//! processes share one PostgreSQL.

mod harness;

use harness::{bio_attachments, manifest, pg_database};
use packet::{Action, BuildOptions, Packet, PublicKey, Rules, Timestamp};
use server::client::Http;
use std::io::BufRead;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use test_pki::{Pki, Profile, TempDir};

const RP: &str = "B5510768108";
const NSS: &str = "92919084431";
const CURP: &str = "LOMA900315MJCPRN09";

#[test]
#[ignore = "entry point of the child server process started by the other tests"]
fn child_server() {
    let Ok(dir) = std::env::var("HUELLA_CHILD_DATA_DIR") else {
        return;
    };
    let cfg = server::ServeConfig {
        addr: "127.0.0.1:0".parse().unwrap(),
        data_dir: dir.into(),
        trust_store: vec![std::env::var("HUELLA_CHILD_TRUST").unwrap().into()],
        database_url: std::env::var("HUELLA_CHILD_DB").ok(),
        rate_per_sec: 0,
        ..Default::default()
    };
    if std::env::var("HUELLA_CHILD_LOG").is_ok() {
        server::init_logging(); // JSON lines on stderr, as `huella serve` does
    }
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(server::serve(cfg, server::Clock::system()))
        .unwrap();
}

struct ChildServer {
    child: Child,
    url: String,
}

impl Drop for ChildServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn spawn(data: &Path, trust: &Path, db: Option<&str>) -> ChildServer {
    spawn_with_log(data, trust, db, None)
}

/// Like [`spawn`], with the server's JSON logs (level info) written to `log`.
fn spawn_with_log(data: &Path, trust: &Path, db: Option<&str>, log: Option<&Path>) -> ChildServer {
    let mut cmd = Command::new(std::env::current_exe().unwrap());
    cmd.args([
        "child_server",
        "--exact",
        "--ignored",
        "--nocapture",
        "--test-threads=1",
    ])
    .env("HUELLA_CHILD_DATA_DIR", data)
    .env("HUELLA_CHILD_TRUST", trust)
    .env("RUST_LOG", "warn")
    .stdout(Stdio::piped())
    .stderr(Stdio::null());
    if let Some(db) = db {
        cmd.env("HUELLA_CHILD_DB", db);
    }
    if let Some(log) = log {
        cmd.env("HUELLA_CHILD_LOG", "1")
            .env("RUST_LOG", "info")
            .stderr(std::fs::File::create(log).unwrap());
    }
    let mut child = cmd.spawn().unwrap();
    let stdout = child.stdout.take().unwrap();
    let mut lines = std::io::BufReader::new(stdout).lines();
    let url = loop {
        let line = lines
            .next()
            .expect("child exited before listening")
            .unwrap();
        // libtest prints "test child_server ... " on the same line before serve's output.
        if let Some(json) = line.find("{\"url\"").map(|i| &line[i..]) {
            let v: serde_json::Value = serde_json::from_str(json).unwrap();
            break v["url"].as_str().unwrap().to_string();
        }
    };
    std::thread::spawn(move || for _ in lines {});
    ChildServer { child, url }
}

async fn server_key(http: &Http, url: &str) -> PublicKey {
    let (status, body) = http.get(&format!("{url}/api/v1/keys"), None).await.unwrap();
    assert_eq!(status, 200);
    let v: serde_json::Value = serde_json::from_slice(&body).unwrap();
    serde_json::from_value(v["current"].clone()).unwrap()
}

fn build(cred: &efirma::Credential, key: &PublicKey, m: packet::Manifest, seed: u8) -> Packet {
    let atts = if m.action == Action::Biometria {
        bio_attachments(seed)
    } else {
        vec![]
    };
    let rules = Rules::default();
    packet::build(
        m,
        &atts,
        &BuildOptions {
            credential: cred,
            at: Timestamp::now(),
            server_key: Some(key),
            rules: &rules,
        },
    )
    .unwrap()
    .packet
}

async fn post(http: &Http, url: &str, p: &Packet) -> (u16, Vec<u8>) {
    let (s, b) = http
        .post(&format!("{url}/api/v1/packets"), p.to_json().into())
        .await
        .unwrap();
    (s, b.to_vec())
}

async fn post_all(http: &Http, url: &str, packets: &[Packet]) -> Vec<(u16, Vec<u8>)> {
    let mut tasks = Vec::new();
    for p in packets {
        let (http, url, p) = (http.clone(), url.to_string(), p.clone());
        tasks.push(tokio::spawn(async move { post(&http, &url, &p).await }));
    }
    let mut out = Vec::new();
    for t in tasks {
        out.push(t.await.unwrap());
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_receipted_packet_survives_sigkill() {
    let pki = Pki::new("crash");
    let data = TempDir::new("crash-data");
    let cred = pki.credential(
        "PATRON",
        "PEXC850101Q31",
        "PEXC850101HDFXXR09",
        Profile::Fiel,
    );
    let http = Http::new();
    let mut srv = spawn(&data.0, &pki.ca_pem_path, None);
    let (status, body) = http
        .get(&format!("{}/health", srv.url), None)
        .await
        .unwrap();
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));
    let key = server_key(&http, &srv.url).await;
    for action in [Action::Patron, Action::Alta] {
        let (s, b) = post(
            &http,
            &srv.url,
            &build(&cred, &key, manifest(action, RP, NSS, CURP), 0),
        )
        .await;
        assert_eq!(s, 201, "{}", String::from_utf8_lossy(&b));
    }
    let packets: Vec<Packet> = (0..48u8)
        .map(|i| build(&cred, &key, manifest(Action::Biometria, RP, NSS, CURP), i))
        .collect();
    let receipts = post_all(&http, &srv.url, &packets).await;
    // SIGKILL the moment the last receipt is in.
    srv.child.kill().unwrap();
    srv.child.wait().unwrap();
    assert!(receipts.iter().all(|(s, _)| *s == 201));

    let srv = spawn(&data.0, &pki.ca_pem_path, None);
    let again = post_all(&http, &srv.url, &packets).await;
    for ((s0, r0), (s1, r1)) in receipts.iter().zip(&again) {
        assert_eq!((*s0, *s1), (201, 200), "{}", String::from_utf8_lossy(r1));
        assert_eq!(r0, r1, "the stored receipt is the one that was answered");
        let v: serde_json::Value = serde_json::from_slice(r0).unwrap();
        let d = v["packet_digest"].as_str().unwrap();
        let bundle = data
            .0
            .join("attachments")
            .join(&d[..2])
            .join(format!("{d}.json"));
        assert!(
            bundle.exists(),
            "attachments of a receipted packet are on disk"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_processes_on_one_postgres_agree() {
    let pki = Pki::new("twoproc");
    let cred = pki.credential(
        "PATRON",
        "PEXC850101Q31",
        "PEXC850101HDFXXR09",
        Profile::Fiel,
    );
    let db = pg_database().await;
    let (d1, d2) = (TempDir::new("twoproc-1"), TempDir::new("twoproc-2"));
    let s1 = spawn(&d1.0, &pki.ca_pem_path, Some(&db));
    // Both processes must open attachments sealed to the same key: share the key folder.
    std::fs::create_dir_all(&d2.0).unwrap();
    copy_dir(&d1.0.join("keys"), &d2.0.join("keys"));
    let s2 = spawn(&d2.0, &pki.ca_pem_path, Some(&db));
    let http = Http::new();
    let key = server_key(&http, &s1.url).await;
    assert_eq!(key, server_key(&http, &s2.url).await);
    let (s, _) = post(
        &http,
        &s1.url,
        &build(&cred, &key, manifest(Action::Patron, RP, NSS, CURP), 0),
    )
    .await;
    assert_eq!(s, 201);
    let (s, _) = post(
        &http,
        &s2.url,
        &build(&cred, &key, manifest(Action::Alta, RP, NSS, CURP), 0),
    )
    .await;
    assert_eq!(s, 201);
    // Every packet goes to both processes at once: exactly one 201 per packet, same receipt.
    let packets: Vec<Packet> = (0..16u8)
        .map(|i| build(&cred, &key, manifest(Action::Biometria, RP, NSS, CURP), i))
        .collect();
    let mut tasks = Vec::new();
    for p in &packets {
        for url in [s1.url.clone(), s2.url.clone()] {
            let (http, p) = (http.clone(), p.clone());
            tasks.push(tokio::spawn(async move { post(&http, &url, &p).await }));
        }
    }
    let mut results = Vec::new();
    for t in tasks {
        results.push(t.await.unwrap());
    }
    for pair in results.chunks(2) {
        let mut statuses = [pair[0].0, pair[1].0];
        statuses.sort();
        assert_eq!(statuses, [200, 201]);
        assert_eq!(pair[0].1, pair[1].1);
    }
    // A different packet reusing a nonce is a replay on either process.
    let env = packets[0].envelope().unwrap();
    let mut m: packet::Manifest = serde_json::from_slice(&env.payload).unwrap();
    m.subject.as_mut().unwrap().name = "OTRA PERSONA".into();
    let payload = serde_json::to_vec(&m).unwrap();
    let sig = cred.sign_cms(&payload, Timestamp::now()).unwrap();
    let replay = Packet::new(&payload, &sig, packets[0].attachments.clone());
    for url in [&s1.url, &s2.url] {
        let (s, b) = post(&http, url, &replay).await;
        assert_eq!(s, 409, "{}", String::from_utf8_lossy(&b));
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
    }
}

/// Operators add SAT's newer CAs to the trust-store folder and send SIGHUP: the running
/// server lists (and uses) them without a restart.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sighup_reloads_the_trust_store_folder() {
    let first = Pki::new("reload-a");
    let second = Pki::new("reload-b");
    let data = TempDir::new("reload-data");
    let anchors = TempDir::new("reload-anchors");
    std::fs::write(anchors.path("a.pem"), first.ca_pem()).unwrap();
    let server = spawn(&data.0, &anchors.0, None);
    let http = Http::new();
    let count = |body: &[u8]| -> usize {
        let v: serde_json::Value = serde_json::from_slice(body).unwrap();
        v["trust_anchors"].as_array().unwrap().len()
    };
    let (s, body) = http
        .get(&format!("{}/health", server.url), None)
        .await
        .unwrap();
    assert_eq!(s, 200);
    assert_eq!(count(&body), 1);

    std::fs::write(anchors.path("b.pem"), second.ca_pem()).unwrap();
    let status = Command::new("kill")
        .args(["-HUP", &server.child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let mut seen = 0;
    for _ in 0..50 {
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        let (_, body) = http
            .get(&format!("{}/health", server.url), None)
            .await
            .unwrap();
        seen = count(&body);
        if seen == 2 {
            break;
        }
    }
    assert_eq!(seen, 2, "the new anchor was not loaded after SIGHUP");
}

/// The server's logs (JSON lines) record what happened — receipts, refusals — but never the
/// worker's NSS, CURP or RFC, names, or attachment bytes.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn logs_carry_no_personal_or_biometric_data() {
    let pki = Pki::new("logs");
    let data = TempDir::new("logs-data");
    let log = data.path("server.log");
    let cred = pki.credential(
        "PATRON",
        "PEXC850101Q31",
        "PEXC850101HDFXXR09",
        Profile::Fiel,
    );
    let http = Http::new();
    let mut srv = spawn_with_log(&data.0, &pki.ca_pem_path, None, Some(&log));
    let key = server_key(&http, &srv.url).await;
    let mut sent = Vec::new();
    for action in [Action::Patron, Action::Alta, Action::Biometria] {
        let p = build(&cred, &key, manifest(action, RP, NSS, CURP), 7);
        let (s, b) = post(&http, &srv.url, &p).await;
        assert_eq!(s, 201, "{}", String::from_utf8_lossy(&b));
        sent.push(p);
    }
    // A refused one too: a tampered payload.
    let mut bad = sent[1].clone();
    bad.payload.push('A');
    let (s, _) = post(&http, &srv.url, &bad).await;
    assert!(s >= 400);
    srv.child.kill().unwrap();
    srv.child.wait().unwrap();
    let text = std::fs::read_to_string(&log).unwrap();
    assert!(
        text.contains("packet receipted"),
        "no receipt logged: {text}"
    );
    assert!(text.contains("packet refused"), "no refusal logged: {text}");
    for secret in [
        NSS,
        CURP,
        "PEXC850101Q31",
        "PEXC850101HDFXXR09",
        "LÓPEZ",
        "LOPEZ",
    ] {
        assert!(!text.contains(secret), "log carries {secret}");
    }
    for p in &sent {
        for (name, att) in &p.attachments {
            let json = serde_json::to_string(att).unwrap();
            let ct = &json[json.len().saturating_sub(40)..json.len() - 2];
            assert!(!text.contains(ct), "log carries attachment {name}");
        }
    }
}
