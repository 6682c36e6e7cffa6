//! `huella packet import`: a kiosk's offline queue delivered to a real `huella serve` process,
//! exactly once (a second run finds everything `ya_entregado`), with receipts, refusals,
//! bad files and an interrupted import that a re-run completes.

use packet::{Action, BuildOptions, Manifest, NewAttachment, Packet, PublicKey, Rules, Timestamp};
use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use test_pki::{Pki, Profile, TempDir};

const RP: &str = "B5510768108";
const NSS: &str = "92919084431";
const CURP: &str = "LOMA900315MJCPRN09";

struct Server {
    child: Child,
    url: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `huella serve --addr 127.0.0.1:0 [extra…]` on `data`, trusting the test CA.
fn serve(data: &Path, trust: &Path, extra: &[&str]) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_huella"))
        .args(["serve", "--addr", "127.0.0.1:0", "--rate-limit", "0"])
        .args(extra)
        .arg("--data-dir")
        .arg(data)
        .arg("--trust-store")
        .arg(trust)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let mut lines = std::io::BufReader::new(stdout).lines();
    let line = lines
        .next()
        .expect("server exited before listening")
        .unwrap();
    let v: serde_json::Value = serde_json::from_str(&line).unwrap();
    let url = v["url"].as_str().unwrap().to_string();
    std::thread::spawn(move || for _ in lines {});
    Server { child, url }
}

fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

fn get(url: &str) -> (u16, Vec<u8>) {
    let (s, b) = rt()
        .block_on(server::client::Http::new().get(url, None))
        .unwrap();
    (s, b.to_vec())
}

fn server_key(url: &str) -> PublicKey {
    let (s, body) = get(&format!("{url}/api/v1/keys"));
    assert_eq!(s, 200);
    let v: serde_json::Value = serde_json::from_slice(&body).unwrap();
    serde_json::from_value(v["current"].clone()).unwrap()
}

fn manifest(action: Action, rp: &str) -> Manifest {
    let mut m = packet::template(action);
    if let Some(e) = m.employer.as_mut() {
        e.registro_patronal = rp.into();
    }
    if let Some(s) = m.subject.as_mut() {
        s.nss = NSS.into();
        s.curp = CURP.into();
    }
    m
}

fn build(cred: &efirma::Credential, key: &PublicKey, m: Manifest) -> Packet {
    build_at(cred, key, m, Timestamp::now())
}

/// A packet signed `days` ago (a kiosk queue drained late).
fn build_days_ago(cred: &efirma::Credential, key: &PublicKey, m: Manifest, days: i64) -> Packet {
    let at = Timestamp::from_unix(Timestamp::now().unix() - days * 86_400);
    build_at(cred, key, m, at)
}

fn build_at(cred: &efirma::Credential, key: &PublicKey, m: Manifest, at: Timestamp) -> Packet {
    let atts: Vec<NewAttachment> = if m.action == Action::Biometria {
        std::iter::once(("face".to_string(), vec![0xFF, 0xD8, 1, 0xFF, 0xD9]))
            .chain((1..=10u8).map(|p| (format!("finger.{p}"), vec![p; 300])))
            .map(|(name, bytes)| NewAttachment {
                name,
                bytes,
                ..Default::default()
            })
            .collect()
    } else {
        Vec::new()
    };
    let rules = Rules::default();
    packet::build(
        m,
        &atts,
        &BuildOptions {
            credential: cred,
            at,
            server_key: Some(key),
            rules: &rules,
        },
    )
    .unwrap()
    .packet
}

/// A `huella-cola/1` export of `packets` with ids `<prefix>-1…`.
fn queue(dir: &TempDir, name: &str, packets: &[(&str, &Packet)]) -> PathBuf {
    let items: Vec<serde_json::Value> = packets
        .iter()
        .map(|(id, p)| {
            serde_json::json!({
                "id": id,
                "created_at": "2026-11-20T09:00:00Z",
                "packet": serde_json::from_slice::<serde_json::Value>(&p.to_json()).unwrap(),
            })
        })
        .collect();
    let doc = serde_json::json!({
        "format": "huella-cola/1",
        "exported_at": "2026-11-27T10:00:00Z",
        "kiosk": "Clínica rural 3",
        "packets": items,
    });
    let path = dir.path(name);
    std::fs::write(&path, doc.to_string()).unwrap();
    path
}

fn import(file: &Path, url: &str, receipts: Option<&Path>) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_huella"));
    cmd.args(["packet", "import"])
        .arg(file)
        .args(["--server", url]);
    if let Some(r) = receipts {
        cmd.arg("--receipts").arg(r);
    }
    cmd.output().unwrap()
}

/// The per-packet lines and the summary.
fn lines(out: &Output) -> (Vec<serde_json::Value>, serde_json::Value) {
    let text = String::from_utf8(out.stdout.clone()).unwrap();
    let mut v: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|_| panic!("not JSON: {l}")))
        .collect();
    let summary = v.pop().expect("a summary line");
    (v, summary["summary"].clone())
}

fn stderr_code(out: &Output) -> String {
    let v: serde_json::Value = serde_json::from_slice(&out.stderr)
        .unwrap_or_else(|_| panic!("stderr: {}", String::from_utf8_lossy(&out.stderr)));
    v["code"].as_str().unwrap().to_string()
}

/// A server that receipts one packet and then goes away (the connection drops mid-file).
fn one_shot_server() -> (String, std::thread::JoinHandle<()>) {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let handle = std::thread::spawn(move || {
        let (mut conn, _) = listener.accept().unwrap();
        let mut buf = Vec::new();
        let mut chunk = [0u8; 4096];
        let body_len = loop {
            let n = conn.read(&mut chunk).unwrap();
            assert!(n > 0, "client closed early");
            buf.extend_from_slice(&chunk[..n]);
            let text = String::from_utf8_lossy(&buf).to_string();
            if let Some(end) = text.find("\r\n\r\n") {
                let len = text[..end]
                    .lines()
                    .find_map(|l| {
                        let (k, v) = l.split_once(':')?;
                        k.eq_ignore_ascii_case("content-length")
                            .then(|| v.trim().parse::<usize>().unwrap())
                    })
                    .unwrap();
                break end + 4 + len;
            }
        };
        while buf.len() < body_len {
            let n = conn.read(&mut chunk).unwrap();
            buf.extend_from_slice(&chunk[..n]);
        }
        let body = br#"{"format":"huella.acuse/1","folio":"HU-PRUEBA"}"#;
        let head = format!(
            "HTTP/1.1 201 Created\r\ncontent-type: application/json\r\n\
             content-length: {}\r\nconnection: close\r\n\r\n",
            body.len()
        );
        conn.write_all(head.as_bytes()).unwrap();
        conn.write_all(body).unwrap();
        // Dropping the listener and the connection: the next POST cannot connect.
    });
    (url, handle)
}

fn metric(url: &str, event: &str) -> u64 {
    let (_, body) = get(&format!("{url}/metrics"));
    let text = String::from_utf8(body).unwrap();
    let prefix = format!("huella_events_total{{event=\"{event}\"}} ");
    text.lines()
        .find_map(|l| l.strip_prefix(&prefix))
        .map_or(0, |n| n.parse().unwrap())
}

#[test]
fn kiosk_queue_is_delivered_exactly_once() {
    let pki = Pki::new("import");
    let cred = pki.credential(
        "PATRON",
        "PEXC850101Q31",
        "PEXC850101HDFXXR09",
        Profile::Fiel,
    );
    let data = TempDir::new("import-data");
    let srv = serve(&data.0, &pki.ca_pem_path, &[]);
    let key = server_key(&srv.url);
    let p1 = build(&cred, &key, manifest(Action::Patron, RP));
    let p2 = build(&cred, &key, manifest(Action::Alta, RP));
    let p3 = build(&cred, &key, manifest(Action::Biometria, RP));
    let file = queue(
        &data,
        "cola.json",
        &[("k-1", &p1), ("k-2", &p2), ("k-3", &p3)],
    );
    let receipts = data.path("acuses");

    let first = import(&file, &srv.url, Some(&receipts));
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    let (rows, summary) = lines(&first);
    assert_eq!(
        summary,
        serde_json::json!({"total": 3, "entregado": 3, "ya_entregado": 0, "rechazado": 0, "completo": true})
    );
    let mut saved = Vec::new();
    for (row, id) in rows.iter().zip(["k-1", "k-2", "k-3"]) {
        assert_eq!(
            (row["id"].as_str(), row["status"].as_str()),
            (Some(id), Some("entregado"))
        );
        let receipt = std::fs::read(receipts.join(format!("{id}.json"))).unwrap();
        let r: serde_json::Value = serde_json::from_slice(&receipt).unwrap();
        assert_eq!(r["folio"], row["folio"]);
        assert_eq!(r["format"], "huella.acuse/1");
        assert!(r["seal"].as_str().is_some_and(|s| !s.is_empty()));
        saved.push(receipt);
    }

    // Re-running (e.g. after an interruption) delivers nothing twice: same receipts.
    let second = import(&file, &srv.url, Some(&receipts));
    assert!(second.status.success());
    let (rows, summary) = lines(&second);
    assert_eq!(summary["ya_entregado"], 3);
    assert!(rows.iter().all(|r| r["status"] == "ya_entregado"));
    for (id, before) in ["k-1", "k-2", "k-3"].iter().zip(&saved) {
        assert_eq!(
            &std::fs::read(receipts.join(format!("{id}.json"))).unwrap(),
            before
        );
    }
    assert_eq!(
        metric(&srv.url, "packets_stored"),
        3,
        "each packet stored once"
    );
    assert_eq!(metric(&srv.url, "packets_duplicate"), 3);

    // Refused packets are reported, the rest delivered, exit 1. `huella serve` accepts
    // packets up to 30 days old by default.
    let refused = build(&cred, &key, manifest(Action::Alta, "C1234567890"));
    let p4 = build(&cred, &key, manifest(Action::ModificacionSalario, RP));
    let month = build_days_ago(&cred, &key, manifest(Action::ModificacionSalario, RP), 31);
    let weeks = build_days_ago(&cred, &key, manifest(Action::ModificacionSalario, RP), 29);
    let file2 = queue(
        &data,
        "cola2.json",
        &[
            ("r-1", &refused),
            ("r-2", &p4),
            ("r-3", &month),
            ("r-4", &weeks),
        ],
    );
    let out = import(&file2, &srv.url, None);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(stderr_code(&out), "refused");
    let (rows, summary) = lines(&out);
    assert_eq!(
        (summary["rechazado"].clone(), summary["entregado"].clone()),
        (2.into(), 2.into())
    );
    assert_eq!(rows[0]["status"], "rechazado");
    assert_eq!(rows[0]["code"], "not_authorized");
    assert!(rows[0]["message"].as_str().is_some_and(|m| !m.is_empty()));
    assert!(rows[0].get("folio").is_none());
    assert_eq!(rows[1]["status"], "entregado");
    assert_eq!(
        (&rows[2]["status"], &rows[2]["code"]),
        (&"rechazado".into(), &"stale".into())
    );
    assert_eq!(rows[3]["status"], "entregado", "29 days late is in time");

    // A bad file is refused before anything is sent.
    let stored = metric(&srv.url, "packets_stored");
    for (name, text) in [
        (
            "bad1.json",
            "{\"format\":\"otra/1\",\"packets\":[]}".to_string(),
        ),
        ("bad2.json", "[1,2".to_string()),
    ] {
        std::fs::write(data.path(name), text).unwrap();
        let out = import(&data.path(name), &srv.url, None);
        assert_eq!(out.status.code(), Some(1));
        assert_eq!(stderr_code(&out), "bad_queue_file");
        assert!(out.stdout.is_empty());
    }
    assert_eq!(metric(&srv.url, "packets_stored"), stored);

    // The network fails mid-file: the import stops with a clear error; a re-run continues.
    let p5 = build(&cred, &key, manifest(Action::Baja, RP));
    let file3 = queue(&data, "cola3.json", &[("n-1", &p4), ("n-2", &p5)]);
    drop(srv);
    let (url, fake) = one_shot_server();
    let out = import(&file3, &url, None);
    fake.join().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(stderr_code(&out), "network");
    assert!(String::from_utf8_lossy(&out.stderr).contains("n-2"));
    let (rows, summary) = lines(&out);
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["status"], "entregado");
    assert_eq!(summary["completo"], false);

    // Re-run on the restarted server (with a longer window, so the month-old packet also
    // goes through): what was delivered is not delivered again, the rest is.
    let srv = serve(&data.0, &pki.ca_pem_path, &["--max-age-days", "60"]);
    let file4 = queue(
        &data,
        "cola4.json",
        &[("n-1", &p4), ("n-2", &p5), ("n-3", &month)],
    );
    let out = import(&file4, &srv.url, None);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let (rows, _) = lines(&out);
    let statuses: Vec<&str> = rows.iter().map(|r| r["status"].as_str().unwrap()).collect();
    assert_eq!(statuses, ["ya_entregado", "entregado", "entregado"]);
}
