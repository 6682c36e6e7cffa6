//! `GET /api/v1/session` (who is logged in, with the RFC's registros patronales) and
//! `DELETE /api/v1/session` (logout). On SQLite and on a real PostgreSQL.

mod harness;

use axum::http::StatusCode;
use harness::*;
use packet::Action;

const RP_A: &str = "B5510768108";
const RP_A2: &str = "B5510768199";
const RP_B: &str = "C1234567890";

both_backends!(session_lists_the_rfcs_registros_and_logout_ends_it);

async fn session_lists_the_rfcs_registros_and_logout_ends_it(b: Backend) {
    let h = harness("session", b).await;

    // No cookie, or a made-up one: 401 JSON.
    for cookie in [None, Some("huella_session=nope")] {
        let r = h.get("/api/v1/session", cookie).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
        assert_eq!(r.code(), "unauthenticated");
    }

    let a = h.fiel("PATRON_A", "PEXC850101Q31", "PEXC850101HDFXXR09");
    let other = h.fiel("PATRON_B", "HEXC050620AB1", "HEXC050620HNERXRA0");
    for (cred, rp, name) in [
        (&a, RP_A2, "Sucursal Norte"),
        (&a, RP_A, "Matriz"),
        (&other, RP_B, "Otro"),
    ] {
        let mut m = manifest(Action::Patron, rp, "", "");
        m.employer.as_mut().unwrap().name = Some(name.into());
        let r = h.post_packet(&h.build(cred, m, &[])).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    }

    let cookie = h.login(&a).await;
    let r = h.get("/api/v1/session", Some(&cookie)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let v = r.json();
    assert_eq!(v["rfc"], "PEXC850101Q31");
    assert_eq!(v["curp"], "PEXC850101HDFXXR09");
    assert_eq!(
        v["registros_patronales"],
        serde_json::json!([
            {"registro_patronal": RP_A, "name": "Matriz", "zone": "general"},
            {"registro_patronal": RP_A2, "name": "Sucursal Norte", "zone": "general"},
        ]),
        "only the RFC's own registros, sorted"
    );

    // A second session of the same RFC survives the first one's logout.
    let second = h.login(&a).await;
    let r = h
        .call("DELETE", "/api/v1/session", Vec::new(), Some(&cookie))
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    let clear = r.set_cookie.expect("logout clears the cookie");
    assert!(
        clear.starts_with("huella_session=;") && clear.contains("Max-Age=0"),
        "{clear}"
    );
    assert!(clear.contains("HttpOnly") && clear.contains("SameSite=Strict"));
    for path in ["/api/v1/session", "/api/v1/workers"] {
        let r = h.get(path, Some(&cookie)).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{path} after logout");
    }
    let r = h.get("/api/v1/session", Some(&second)).await;
    assert_eq!(r.status, StatusCode::OK);

    // Logging out twice, or without a session, is harmless.
    for c in [Some(cookie.as_str()), None] {
        let r = h.call("DELETE", "/api/v1/session", Vec::new(), c).await;
        assert_eq!(r.status, StatusCode::NO_CONTENT);
    }

    // An RFC without registros (e.g. a pensioner) gets an empty list.
    let p = h.fiel("PENSIONADA", "LOMA900315H77", "LOMA900315MJCPRN09");
    let c = h.login(&p).await;
    let v = h.get("/api/v1/session", Some(&c)).await.json();
    assert_eq!(v["rfc"], "LOMA900315H77");
    assert_eq!(v["registros_patronales"], serde_json::json!([]));
}
