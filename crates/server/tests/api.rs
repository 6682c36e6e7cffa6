//! The API through `app(state)` with `oneshot`, on SQLite and on a real PostgreSQL.

mod harness;

use axum::http::StatusCode;
use harness::*;
use packet::{Action, Manifest, Packet};

const RP_A: &str = "B5510768108";
const NSS_1: &str = "92919084431";
const CURP_1: &str = "LOMA900315MJCPRN09";
const NSS_2: &str = "01129404578";
const CURP_2: &str = "EAAF011130MMCSRRB2";

both_backends!(employer_flow_statuses_and_history);
both_backends!(idempotent_retries_replays_and_staleness);

/// Re-signs a packet's manifest after `edit`, keeping its nonce.
fn resign(
    h: &Harness,
    cred: &efirma::Credential,
    p: &Packet,
    edit: impl FnOnce(&mut Manifest),
) -> Packet {
    let env = p.envelope().unwrap();
    let mut m: Manifest = serde_json::from_slice(&env.payload).unwrap();
    edit(&mut m);
    let payload = serde_json::to_vec(&m).unwrap();
    let sig = cred.sign_cms(&payload, h.clock.now()).unwrap();
    Packet::new(&payload, &sig, p.attachments.clone())
}

async fn employer_flow_statuses_and_history(b: Backend) {
    let h = harness("flow", b).await;
    let a = h.fiel("PATRON_A", "PEXC850101Q31", "PEXC850101HDFXXR09");
    let r = h
        .post_packet(&h.build(&a, manifest(Action::Patron, RP_A, "", ""), &[]))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let receipt = r.json();
    assert!(receipt["folio"].as_str().unwrap().starts_with("HU-"));
    assert_eq!(receipt["signer_rfc"], "PEXC850101Q31");
    assert!(receipt["seal"].as_str().unwrap().len() > 40);

    let r = h
        .post_packet(&h.build(&a, manifest(Action::Alta, RP_A, NSS_1, CURP_1), &[]))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());

    // Reads need a session.
    let r = h.get("/api/v1/workers", None).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert_eq!(r.code(), "unauthenticated");
    let cookie = h.login(&a).await;
    let list = h.get("/api/v1/workers", Some(&cookie)).await.json();
    assert_eq!(list["workers"][0]["nss"], NSS_1);
    assert_eq!(list["workers"][0]["status"], "sin_biometria");

    // 30 days without biometrics: restringido.
    h.clock.advance(30 * 86_400 + 1);
    let cookie = h.login(&a).await;
    let r = h
        .get("/api/v1/workers?status=restringido", Some(&cookie))
        .await
        .json();
    assert_eq!(r["workers"].as_array().unwrap().len(), 1, "{r}");

    // Biometrics: registered at once after the receipt.
    let bio = h.build(
        &a,
        manifest(Action::Biometria, RP_A, NSS_1, CURP_1),
        &bio_attachments(1),
    );
    let r = h.post_packet(&bio).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let digest = r.json()["packet_digest"].as_str().unwrap().to_string();
    let w = h
        .get(&format!("/api/v1/workers/{NSS_1}"), Some(&cookie))
        .await
        .json();
    assert_eq!(w["worker"]["status"], "biometrico_registrado");
    // The attachments rest sealed, named by the packet digest.
    let bundle = h
        .data
        .0
        .join("attachments")
        .join(&digest[..2])
        .join(format!("{digest}.json"));
    let stored = std::fs::read_to_string(bundle).unwrap();
    assert!(stored.contains("HPKE-Base-X25519"));

    let r = h
        .post_packet(&h.build(
            &a,
            manifest(Action::ModificacionSalario, RP_A, NSS_1, CURP_1),
            &[],
        ))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let r = h
        .post_packet(&h.build(&a, manifest(Action::Baja, RP_A, NSS_1, CURP_1), &[]))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let w = h
        .get(&format!("/api/v1/workers/{NSS_1}"), Some(&cookie))
        .await
        .json();
    assert_eq!(w["worker"]["status"], "dado_de_baja");
    assert_eq!(w["worker"]["sbc"], "520.50");
    let actions: Vec<&str> = w["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions,
        ["alta", "biometria", "modificacion_salario", "baja"]
    );

    // Pensioner proof of life: signed by the pensioner; sees only itself.
    let pensioner = h.fiel("PENSIONADA", "EAAF011130AB1", CURP_2);
    let mut m = manifest(Action::Supervivencia, "", NSS_2, CURP_2);
    m.employer = None;
    let r = h
        .post_packet(&h.build(&pensioner, m.clone(), &bio_attachments(2)[..1]))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let pc = h.login(&pensioner).await;
    let list = h.get("/api/v1/workers", Some(&pc)).await.json();
    let nss: Vec<&str> = list["workers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["nss"].as_str().unwrap())
        .collect();
    assert_eq!(nss, [NSS_2]);
    assert_eq!(
        h.get(&format!("/api/v1/workers/{NSS_1}"), Some(&pc))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    // Someone else cannot file a pensioner's proof of life.
    let r = h
        .post_packet(&h.build(&a, m, &bio_attachments(3)[..1]))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(r.code(), "not_authorized");

    // Open endpoints carry no personal data.
    let health = h.get("/health", None).await.text();
    let metrics = h.get("/metrics", None).await.text();
    for text in [&health, &metrics] {
        for secret in [NSS_1, CURP_1, NSS_2, CURP_2, "PEXC850101Q31"] {
            assert!(!text.contains(secret), "{secret} leaked");
        }
    }
    assert!(metrics.contains("huella_events_total{event=\"packets_stored\"}"));
}

async fn idempotent_retries_replays_and_staleness(b: Backend) {
    let h = harness("idem", b).await;
    let a = h.fiel("PATRON_A", "PEXC850101Q31", "PEXC850101HDFXXR09");
    let p = h.build(&a, manifest(Action::Patron, RP_A, "", ""), &[]);
    let first = h.post_packet(&p).await;
    assert_eq!(first.status, StatusCode::CREATED);
    h.clock.advance(60);
    let again = h.post_packet(&p).await;
    assert_eq!(again.status, StatusCode::OK);
    assert_eq!(again.body, first.body, "same packet, same receipt");
    assert_eq!(h.packet_count().await, 1);

    // Same nonce, other content: replay, nothing stored.
    let other = resign(&h, &a, &p, |m| {
        m.employer.as_mut().unwrap().name = Some("Otra".into())
    });
    let r = h.post_packet(&other).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(r.code(), "replay");

    // Concurrent retries of one new packet: one receipt.
    let p2 = h.build(&a, manifest(Action::Alta, RP_A, NSS_1, CURP_1), &[]);
    let posts = (0..8).map(|_| h.post_packet(&p2));
    let replies = futures_join(posts).await;
    let bodies: std::collections::BTreeSet<Vec<u8>> =
        replies.iter().map(|r| r.body.clone()).collect();
    assert_eq!(bodies.len(), 1);
    assert_eq!(
        replies
            .iter()
            .filter(|r| r.status == StatusCode::CREATED)
            .count(),
        1
    );
    assert_eq!(h.packet_count().await, 2);

    // Outside the freshness window (30 days by default: kiosk queues arrive late).
    assert_eq!(h.cfg.max_age.as_secs(), 30 * 86_400);
    let queued = h.build(
        &a,
        manifest(Action::ModificacionSalario, RP_A, NSS_1, CURP_1),
        &[],
    );
    let late = h.build(&a, manifest(Action::Baja, RP_A, NSS_1, CURP_1), &[]);
    h.clock.advance(29 * 86_400);
    let r = h.post_packet(&queued).await;
    assert_eq!(r.status, StatusCode::CREATED, "29 days late: {}", r.text());
    h.clock.advance(86_400 + 1);
    let r = h.post_packet(&late).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.code(), "stale");

    // Malformed, tampered, oversized: JSON errors, nothing stored.
    let r = h
        .call("POST", "/api/v1/packets", b"{not json".to_vec(), None)
        .await;
    assert_eq!(
        (r.status, r.code().as_str()),
        (StatusCode::BAD_REQUEST, "bad_format")
    );
    let fresh = h.build(&a, manifest(Action::Baja, RP_A, NSS_1, CURP_1), &[]);
    let mut tampered = fresh.clone();
    tampered.payload = tampered.payload.replacen('e', "f", 1);
    let r = h.post_packet(&tampered).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        ["bad_signature", "bad_format"].contains(&r.code().as_str()),
        "{}",
        r.code()
    );
    let big = vec![b' '; h.cfg.body_limit + 1];
    let r = h.call("POST", "/api/v1/packets", big, None).await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(r.code(), "too_large");
    assert!(r.content_type.starts_with("application/json"));
    assert_eq!(h.packet_count().await, 3);
    let r = h.get("/nope", None).await;
    assert_eq!(
        (r.status, r.code().as_str()),
        (StatusCode::NOT_FOUND, "not_found")
    );
}

async fn futures_join<F: std::future::Future<Output = Reply>>(
    fs: impl Iterator<Item = F>,
) -> Vec<Reply> {
    let mut set = Vec::new();
    for f in fs {
        set.push(f);
    }
    let mut out = Vec::new();
    // Poll them concurrently through a JoinSet-like fan-out on the same task.
    let results = futures_all(set).await;
    out.extend(results);
    out
}

async fn futures_all<F: std::future::Future<Output = Reply>>(fs: Vec<F>) -> Vec<Reply> {
    let mut pinned: Vec<std::pin::Pin<Box<F>>> = fs.into_iter().map(Box::pin).collect();
    let mut done: Vec<Option<Reply>> = (0..pinned.len()).map(|_| None).collect();
    std::future::poll_fn(|cx| {
        let mut pending = false;
        for (i, f) in pinned.iter_mut().enumerate() {
            if done[i].is_none() {
                match f.as_mut().poll(cx) {
                    std::task::Poll::Ready(r) => done[i] = Some(r),
                    std::task::Poll::Pending => pending = true,
                }
            }
        }
        if pending {
            std::task::Poll::Pending
        } else {
            std::task::Poll::Ready(())
        }
    })
    .await;
    done.into_iter().map(|r| r.unwrap()).collect()
}

#[tokio::test]
async fn default_trust_store_is_sats_production_cas_and_refuses_the_test_fiel() {
    let data = test_pki::TempDir::new("default-trust");
    let t = ts("2019-06-01T12:00:00Z");
    let cfg = server::ServeConfig {
        data_dir: data.0.clone(),
        ..Default::default()
    };
    let state = server::build_state(cfg, server::Clock::fixed(t))
        .await
        .unwrap();
    assert_eq!(state.trust().anchors().len(), 9);
    let app = server::app(state.clone());
    let fiel = test_pki::sat_fiel();
    let rules = packet::Rules::default();
    let p = packet::build(
        packet::template(Action::Patron),
        &[],
        &packet::BuildOptions {
            credential: &fiel,
            at: t,
            server_key: None,
            rules: &rules,
        },
    )
    .unwrap()
    .packet;
    use tower::ServiceExt;
    let req = axum::http::Request::post("/api/v1/packets")
        .body(axum::body::Body::from(p.to_json()))
        .unwrap();
    let resp = app.clone().oneshot(req).await.unwrap();
    assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = http_body_util::BodyExt::collect(resp.into_body())
        .await
        .unwrap()
        .to_bytes();
    let v: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(v["code"], "untrusted_chain");
    let req = axum::http::Request::get("/health")
        .body(axum::body::Body::empty())
        .unwrap();
    let body = http_body_util::BodyExt::collect(app.oneshot(req).await.unwrap().into_body())
        .await
        .unwrap()
        .to_bytes();
    let v: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(v["trust_anchors"].as_array().unwrap().len(), 9);
}

#[tokio::test]
async fn per_client_rate_limit_answers_429_json() {
    let h = harness_with("ratelimit", Backend::Sqlite, |c| {
        c.rate_per_sec = 1;
        c.rate_burst = 3;
    })
    .await;
    let mut statuses = Vec::new();
    for _ in 0..5 {
        statuses.push(h.get("/health", None).await.status.as_u16());
    }
    assert_eq!(statuses, [200, 200, 200, 429, 429]);
    let r = h.get("/health", None).await;
    assert_eq!(r.code(), "rate_limited");
}

/// A request that outlives the timeout gets 408 in the same JSON error shape as everything else,
/// and nothing is stored.
#[tokio::test]
async fn request_timeout_answers_408_json_and_stores_nothing() {
    let h = harness_with("timeout", Backend::Sqlite, |c| {
        c.request_timeout = std::time::Duration::from_nanos(1);
    })
    .await;
    let cred = h.fiel("PATRON", "LOMA900315H77", "LOMA900315MJCPRN09");
    let p = h.build(
        &cred,
        manifest(
            Action::Patron,
            "B5510768108",
            "92919084431",
            "LOMA900315MJCPRN09",
        ),
        &[],
    );
    let r = h.post_packet(&p).await;
    assert_eq!(r.status.as_u16(), 408, "{}", r.text());
    assert_eq!(r.code(), "timeout");
    assert!(
        r.content_type.starts_with("application/json"),
        "{}",
        r.content_type
    );
    assert_eq!(h.packet_count().await, 0);
}

/// `--www` pages come with the strict Content-Security-Policy (own-origin scripts and
/// WebAssembly, network to this origin only); API routes still win over files.
#[tokio::test]
async fn static_pages_are_served_with_a_strict_csp() {
    let www = test_pki::TempDir::new("www");
    std::fs::create_dir_all(www.path("demo")).unwrap();
    std::fs::write(www.path("demo/page.html"), "<!doctype html><p>hola</p>").unwrap();
    let dir = www.0.clone();
    let h = harness_with("www", Backend::Sqlite, move |c| c.www_dir = Some(dir)).await;
    let r = h.get("/demo/page.html", None).await;
    assert_eq!(r.status.as_u16(), 200);
    assert!(r.text().contains("hola"));
    let csp = r.csp.expect("no CSP header");
    assert_eq!(csp, server::CSP);
    assert!(
        csp.contains("connect-src 'self'") && csp.contains("script-src 'self' 'wasm-unsafe-eval'")
    );
    assert_eq!(h.get("/health", None).await.status.as_u16(), 200);
    assert_eq!(h.get("/demo/missing.html", None).await.status.as_u16(), 404);
}
