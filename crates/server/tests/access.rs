//! Who may see and touch what: employers are isolated from each other; the constancia is
//! sealed and verifiable by anyone. On SQLite and on a real PostgreSQL.

mod harness;

use axum::http::StatusCode;
use harness::*;
use packet::Action;

const RP_A: &str = "B5510768108";
const RP_B: &str = "C1234567890";
const NSS_1: &str = "92919084431";
const CURP_1: &str = "LOMA900315MJCPRN09";

both_backends!(employers_cannot_see_or_touch_each_other);
both_backends!(constancia_is_sealed_and_verifiable);

async fn employers_cannot_see_or_touch_each_other(b: Backend) {
    let h = harness("isolation", b).await;
    let a = h.fiel("PATRON_A", "PEXC850101Q31", "PEXC850101HDFXXR09");
    let bb = h.fiel("PATRON_B", "HEXC050620AB1", "HEXC050620HNERXRA0");
    for (cred, rp) in [(&a, RP_A), (&bb, RP_B)] {
        let r = h
            .post_packet(&h.build(cred, manifest(Action::Patron, rp, "", ""), &[]))
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    }
    let r = h
        .post_packet(&h.build(&a, manifest(Action::Alta, RP_A, NSS_1, CURP_1), &[]))
        .await;
    assert_eq!(r.status, StatusCode::CREATED);
    let before = h.packet_count().await;

    // B cannot take A's registro, file for it, or move A's active worker.
    let r = h
        .post_packet(&h.build(&bb, manifest(Action::Patron, RP_A, "", ""), &[]))
        .await;
    assert_eq!(
        (r.status, r.code().as_str()),
        (StatusCode::FORBIDDEN, "not_authorized")
    );
    for action in [Action::Baja, Action::ModificacionSalario, Action::Alta] {
        let r = h
            .post_packet(&h.build(&bb, manifest(action, RP_A, NSS_1, CURP_1), &[]))
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{action:?}");
    }
    let r = h
        .post_packet(&h.build(&bb, manifest(Action::Alta, RP_B, NSS_1, CURP_1), &[]))
        .await;
    assert_eq!(
        r.status,
        StatusCode::FORBIDDEN,
        "active with another employer"
    );
    let r = h
        .post_packet(&h.build(
            &bb,
            manifest(Action::Biometria, RP_B, NSS_1, CURP_1),
            &bio_attachments(4),
        ))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(h.packet_count().await, before, "refusals store nothing");
    // No orphan bundle either.
    let bundles = walk(&h.data.0.join("attachments"));
    assert_eq!(bundles, 0);

    // B cannot see A's worker.
    let cb = h.login(&bb).await;
    let list = h.get("/api/v1/workers", Some(&cb)).await.json();
    assert!(list["workers"].as_array().unwrap().is_empty());
    let r = h.get(&format!("/api/v1/workers/{NSS_1}"), Some(&cb)).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = h
        .get(&format!("/api/v1/constancia/{NSS_1}"), Some(&cb))
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    // A can.
    let ca = h.login(&a).await;
    assert_eq!(
        h.get(&format!("/api/v1/workers/{NSS_1}"), Some(&ca))
            .await
            .status,
        StatusCode::OK
    );
}

fn walk(dir: &std::path::Path) -> usize {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return 0;
    };
    rd.filter_map(|e| e.ok())
        .map(|e| {
            if e.path().is_dir() {
                walk(&e.path())
            } else {
                1
            }
        })
        .sum()
}

async fn constancia_is_sealed_and_verifiable(b: Backend) {
    let h = harness("constancia", b).await;
    let a = h.fiel("PATRON_A", "PEXC850101Q31", "PEXC850101HDFXXR09");
    h.post_packet(&h.build(&a, manifest(Action::Patron, RP_A, "", ""), &[]))
        .await;
    h.post_packet(&h.build(&a, manifest(Action::Alta, RP_A, NSS_1, CURP_1), &[]))
        .await;
    let cookie = h.login(&a).await;
    let r = h
        .get(&format!("/api/v1/constancia/{NSS_1}"), Some(&cookie))
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let html = r.text();
    assert!(html.contains("Constancia de Vigencia de Derechos") && html.contains("VIGENTE"));
    assert!(html.contains("<svg"), "QR code");
    let start = html.find("CV-").unwrap();
    let folio = &html[start..start + 23];
    assert!(html.contains(&format!("http://huella.test/verify/{folio}")));
    let v = h
        .get(&format!("/verify/{folio}?format=json"), None)
        .await
        .json();
    assert_eq!(v["seal_valid"], true);
    assert_eq!(v["vigente"], true);
    assert!(
        !v.to_string().contains(NSS_1),
        "the open page masks the NSS"
    );
    let page = h.get(&format!("/verify/{folio}"), None).await.text();
    assert!(page.contains("auténtica"));
    assert_eq!(
        h.get("/verify/CV-NOPE", None).await.status,
        StatusCode::NOT_FOUND
    );
}
