//! Demo mode (`--demo`): fictitious SAT-like credentials made in pure Rust, served with their
//! password, trusted only in demo mode, reused across restarts, and a demo employer whose
//! registro patronal is registered through the normal ingest path.

mod harness;

use axum::http::StatusCode;
use harness::*;
use packet::{Action, NewAttachment};
use server::demo::{PASSWORD, REGISTRO_PATRONAL};

both_backends!(demo_credentials_work_end_to_end);

/// The same data folder and database, started again with `tune`.
async fn restart(h: Harness, tune: impl FnOnce(&mut server::ServeConfig)) -> Harness {
    let Harness {
        pki,
        data,
        mut cfg,
        clock,
        ..
    } = h;
    tune(&mut cfg);
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

async fn download(h: &Harness, url: &str) -> Vec<u8> {
    let r = h.get(url, None).await;
    assert_eq!(r.status, StatusCode::OK, "{url}");
    assert_eq!(r.content_type, "application/octet-stream");
    r.body
}

/// Lists the credentials and opens each one as a user would, from the downloaded files.
async fn open_all(h: &Harness) -> Vec<(serde_json::Value, efirma::Credential)> {
    let r = h.get("/api/v1/demo/credentials", None).await;
    assert_eq!(r.status, StatusCode::OK);
    let list = r.json();
    let mut out = Vec::new();
    for c in list["credentials"].as_array().unwrap() {
        assert_eq!(c["password"], PASSWORD);
        let cer = download(h, c["cer"].as_str().unwrap()).await;
        let key = download(h, c["key"].as_str().unwrap()).await;
        let cred = efirma::Credential::open(&cer, &key, PASSWORD).unwrap();
        assert!(matches!(
            efirma::Credential::open(&cer, &key, "otra"),
            Err(efirma::Error::BadPassword)
        ));
        out.push((c.clone(), cred));
    }
    out
}

async fn demo_credentials_work_end_to_end(b: Backend) {
    let h = harness_with("demo", b, |c| c.demo = true).await;
    let creds = open_all(&h).await;
    let ids: Vec<&str> = creds
        .iter()
        .map(|(c, _)| c["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["empleador", "empleador-csd", "pensionado"]);
    let now = h.clock.now().unix();
    for (c, cred) in &creds {
        let id = cred.identity();
        let (rfc, curp) = (c["rfc"].as_str().unwrap(), c["curp"].as_str().unwrap());
        assert_eq!((id.rfc.as_str(), id.curp.as_deref()), (rfc, Some(curp)));
        assert_eq!(id.name, c["name"].as_str().unwrap());
        assert_eq!(packet::ids::check_rfc(rfc), Ok(()), "{rfc}");
        assert!(packet::ids::rfc_check_digit_ok(rfc), "{rfc}");
        assert_eq!(packet::ids::check_curp(curp), Ok(()), "{curp}");
        assert_eq!(id.certificate_number.len(), 20);
        assert!(id.certificate_number.bytes().all(|b| b.is_ascii_digit()));
        assert_eq!(
            id.certificate_number,
            c["certificate_number"].as_str().unwrap()
        );
        assert!(id.issuer.contains("NO ES DEL SAT"), "{}", id.issuer);
        assert!(id.not_after.unix() > now + 700 * 86_400);
        assert!(id.not_before.unix() <= now);
        let kind = if c["kind"] == "csd" {
            efirma::Kind::Csd
        } else {
            efirma::Kind::Fiel
        };
        assert_eq!(id.kind, kind, "{}", c["id"]);
    }
    let (emp_json, emp) = &creds[0];
    assert_eq!(emp_json["registro_patronal"], REGISTRO_PATRONAL);
    assert!(emp_json["label"].as_str().unwrap().contains("FIEL"));
    assert!(creds[1].0.get("registro_patronal").is_none());
    assert!(creds[1].1.identity().organizational_unit.is_some());
    assert!(h.data.0.join("demo/credentials.json").is_file());
    assert_eq!(h.get("/health", None).await.json()["demo"], true);
    for bad in [
        "ca.key",
        "empleador.pem",
        "otro.cer",
        "..%2Fkeys.json",
        "credentials.json",
    ] {
        let r = h
            .get(&format!("/api/v1/demo/credentials/{bad}"), None)
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{bad}");
    }

    // The demo employer was registered through ingest, once: alta goes through right away.
    assert_eq!(h.packet_count().await, 1);
    let cookie = h.login(emp).await;
    let s = h.get("/api/v1/session", Some(&cookie)).await.json();
    assert_eq!(s["rfc"], emp_json["rfc"]);
    assert_eq!(
        s["registros_patronales"][0]["registro_patronal"],
        REGISTRO_PATRONAL
    );
    let alta = manifest(
        Action::Alta,
        REGISTRO_PATRONAL,
        "92919084431",
        "LOMA900315MJCPRN09",
    );
    let r = h.post_packet(&h.build(emp, alta, &[])).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());

    // The CSD is refused where a FIEL is needed.
    let csd = &creds[1].1;
    let ch = h.get("/api/v1/session/challenge", None).await.json();
    let challenge = ch["challenge"].as_str().unwrap();
    let sig = csd.sign_cms(challenge.as_bytes(), h.clock.now()).unwrap();
    let body = serde_json::json!({"challenge": challenge, "signature": b64(&sig)});
    let r = h
        .call(
            "POST",
            "/api/v1/session",
            body.to_string().into_bytes(),
            None,
        )
        .await;
    assert_eq!(
        (r.status, r.code().as_str()),
        (StatusCode::UNAUTHORIZED, "not_fiel")
    );

    // The pensioner files her own proof of life.
    let (pen_json, pen) = &creds[2];
    let mut m = packet::template(Action::Supervivencia);
    let subject = m.subject.as_mut().unwrap();
    subject.curp = pen_json["curp"].as_str().unwrap().into();
    subject.nss = pen_json["nss"].as_str().unwrap().into();
    subject.name = pen_json["name"].as_str().unwrap().into();
    subject.rfc = None;
    let face = NewAttachment {
        name: "face".into(),
        bytes: vec![0xFF, 0xD8, 9, 9, 0xFF, 0xD9],
        ..Default::default()
    };
    let r = h.post_packet(&h.build(pen, m, &[face])).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());

    // SIGHUP reload keeps the demo CA.
    h.state.reload();
    let names: Vec<String> = server::trust::describe(&h.state.trust())
        .into_iter()
        .map(|a| a.subject)
        .collect();
    assert!(
        names.iter().any(|n| n.contains("AC DEMO HUELLA")),
        "{names:?}"
    );
    h.login(emp).await;
    let count = h.packet_count().await;

    // Restart: same files (same certificate numbers), no second patron packet.
    let before: Vec<String> = creds
        .iter()
        .map(|(_, c)| c.identity().certificate_number.clone())
        .collect();
    let h = restart(h, |_| {}).await;
    let again = open_all(&h).await;
    let after: Vec<String> = again
        .iter()
        .map(|(_, c)| c.identity().certificate_number.clone())
        .collect();
    assert_eq!(before, after, "demo credentials are reused");
    assert_eq!(h.packet_count().await, count);
    h.login(&again[0].1).await;

    // Without --demo: no routes, and the demo CA is not trusted.
    let h = restart(h, |c| c.demo = false).await;
    assert_eq!(h.get("/health", None).await.json()["demo"], false);
    for path in ["/api/v1/demo/credentials", "/api/v1/demo/ca.cer"] {
        assert_eq!(
            h.get(path, None).await.status,
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
    let emp = &again[0].1;
    let baja = manifest(
        Action::Baja,
        REGISTRO_PATRONAL,
        "92919084431",
        "LOMA900315MJCPRN09",
    );
    let r = h.post_packet(&h.build(emp, baja, &[])).await;
    assert_eq!(r.code(), "untrusted_chain", "{}", r.text());
    assert_eq!(h.packet_count().await, count);

    // A damaged set is made anew at the next demo start; the registro stays the employer's.
    std::fs::remove_file(h.data.0.join("demo/pensionado.key")).unwrap();
    let h = restart(h, |c| c.demo = true).await;
    let fresh = open_all(&h).await;
    assert_ne!(
        fresh[0].1.identity().certificate_number,
        after[0],
        "regenerated"
    );
    assert_eq!(
        h.packet_count().await,
        count,
        "same RFC: no new patron packet"
    );
    let r = h
        .post_packet(&h.build(
            &fresh[0].1,
            manifest(
                Action::Baja,
                REGISTRO_PATRONAL,
                "92919084431",
                "LOMA900315MJCPRN09",
            ),
            &[],
        ))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
}

fn b64(bytes: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}
