//! What each accepted action changes: the employer binding, the worker's record and its
//! history (one event per packet).

use crate::commit::Record;
use packet::Action;
use sqlx::{Any, Row, Transaction};

/// Applies the record's action; `Ok(false)` when a concurrent registration of the same
/// registro patronal by another RFC won the race (the caller undoes the packet row).
pub async fn apply(tx: &mut Transaction<'_, Any>, rec: &Record) -> Result<bool, sqlx::Error> {
    let m = &rec.manifest;
    let rp = m.registro_patronal().map(str::to_string);
    let now = rec.received_at;
    match m.action {
        Action::Patron => {
            let e = m.employer.clone().unwrap_or_default();
            sqlx::query(
                "INSERT INTO employers (registro_patronal, rfc, name, zone, folio, registered_at) \
                 VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (registro_patronal) DO NOTHING",
            )
            .bind(e.registro_patronal.clone())
            .bind(rec.signer_rfc.clone())
            .bind(e.name.unwrap_or_default())
            .bind(e.zone)
            .bind(rec.folio.clone())
            .bind(now)
            .execute(&mut **tx)
            .await?;
            let owner = sqlx::query("SELECT rfc FROM employers WHERE registro_patronal = $1")
                .bind(e.registro_patronal)
                .fetch_one(&mut **tx)
                .await?
                .try_get::<String, _>("rfc")?;
            return Ok(owner == rec.signer_rfc);
        }
        Action::Alta => {
            let s = m.subject.clone().unwrap_or_default();
            let mv = m.movement.clone().unwrap_or_default();
            sqlx::query(
                "INSERT INTO workers (nss, curp, name, registro_patronal, alta_at, alta_date, \
                 baja_at, baja_date, biometrics_at, last_proof_at, sbc, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, NULL, NULL, NULL, NULL, $7, $5) \
                 ON CONFLICT (nss) DO UPDATE SET curp = excluded.curp, name = excluded.name, \
                 registro_patronal = excluded.registro_patronal, alta_at = excluded.alta_at, \
                 alta_date = excluded.alta_date, baja_at = NULL, baja_date = NULL, \
                 sbc = excluded.sbc, updated_at = excluded.updated_at",
            )
            .bind(s.nss)
            .bind(s.curp)
            .bind(s.name)
            .bind(rp.clone())
            .bind(now)
            .bind(mv.date)
            .bind(mv.sbc.map(|v| format!("{v:.2}")))
            .execute(&mut **tx)
            .await?;
        }
        Action::Baja => {
            let mv = m.movement.clone().unwrap_or_default();
            sqlx::query(
                "UPDATE workers SET baja_at = $1, baja_date = $2, updated_at = $1 WHERE nss = $3",
            )
            .bind(now)
            .bind(mv.date)
            .bind(m.nss().unwrap_or_default().to_string())
            .execute(&mut **tx)
            .await?;
        }
        Action::ModificacionSalario | Action::CambioRegimen => {
            let mv = m.movement.clone().unwrap_or_default();
            if let Some(sbc) = mv.sbc {
                sqlx::query("UPDATE workers SET sbc = $1, updated_at = $2 WHERE nss = $3")
                    .bind(format!("{sbc:.2}"))
                    .bind(now)
                    .bind(m.nss().unwrap_or_default().to_string())
                    .execute(&mut **tx)
                    .await?;
            }
        }
        Action::Biometria => {
            sqlx::query("UPDATE workers SET biometrics_at = $1, updated_at = $1 WHERE nss = $2")
                .bind(now)
                .bind(m.nss().unwrap_or_default().to_string())
                .execute(&mut **tx)
                .await?;
        }
        Action::Supervivencia => {
            let s = m.subject.clone().unwrap_or_default();
            sqlx::query(
                "INSERT INTO workers (nss, curp, name, registro_patronal, alta_at, alta_date, \
                 baja_at, baja_date, biometrics_at, last_proof_at, sbc, updated_at) \
                 VALUES ($1, $2, $3, NULL, NULL, NULL, NULL, NULL, $4, $4, NULL, $4) \
                 ON CONFLICT (nss) DO UPDATE SET last_proof_at = excluded.last_proof_at, \
                 biometrics_at = excluded.biometrics_at, updated_at = excluded.updated_at",
            )
            .bind(s.nss)
            .bind(s.curp)
            .bind(s.name)
            .bind(now)
            .execute(&mut **tx)
            .await?;
        }
    }
    if let Some(nss) = m.nss() {
        let detail = serde_json::json!({
            "movement": m.movement,
            "attachments": m.attachments.iter().map(|a| &a.name).collect::<Vec<_>>(),
        });
        sqlx::query(
            "INSERT INTO events (folio, nss, action, registro_patronal, at, detail) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(rec.folio.clone())
        .bind(nss.to_string())
        .bind(m.action.as_str())
        .bind(rp)
        .bind(now)
        .bind(detail.to_string())
        .execute(&mut **tx)
        .await?;
    }
    Ok(true)
}
