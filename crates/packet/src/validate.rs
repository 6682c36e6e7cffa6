//! Domain rules for manifests (domain.md §1–8): identifiers, SBC limits from dated
//! configuration rows, movement-specific fields and finger positions.

use crate::ids;
use crate::manifest::{Action, Biometrics, Manifest, Movement};
use crate::{Error, Result};
use serde::{Deserialize, Serialize};

/// A dated daily amount (pesos): salario mínimo (general / ZLFN) or UMA (same in both).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DatedAmount {
    /// First day it applies, `YYYY-MM-DD`.
    pub valid_from: String,
    /// Last day it applies, `YYYY-MM-DD`.
    pub valid_to: String,
    /// General zone.
    pub general: f64,
    /// Zona Libre de la Frontera Norte.
    pub zlfn: f64,
}

/// Configuration for the rules: dated minimum wages and UMA rows (LSS 28).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Rules {
    /// Salario mínimo rows (lower SBC limit).
    pub minimum_wage: Vec<DatedAmount>,
    /// UMA rows (upper SBC limit = `uma_cap_multiple` × UMA).
    pub uma: Vec<DatedAmount>,
    /// 25 under LSS 28.
    pub uma_cap_multiple: f64,
}

impl Default for Rules {
    /// The rows of domain.md §6 (2025–2026).
    fn default() -> Self {
        let row = |f: &str, t: &str, g: f64, z: f64| DatedAmount {
            valid_from: f.into(),
            valid_to: t.into(),
            general: g,
            zlfn: z,
        };
        Rules {
            minimum_wage: vec![
                row("2025-01-01", "2025-12-31", 278.80, 419.88),
                row("2026-01-01", "2026-12-31", 315.04, 440.87),
            ],
            uma: vec![
                row("2025-02-01", "2026-01-31", 113.14, 113.14),
                row("2026-02-01", "2027-01-31", 117.31, 117.31),
            ],
            uma_cap_multiple: 25.0,
        }
    }
}

fn find<'a>(rows: &'a [DatedAmount], date: &str) -> Option<&'a DatedAmount> {
    rows.iter()
        .find(|r| r.valid_from.as_str() <= date && date <= r.valid_to.as_str())
}

impl Rules {
    /// SBC limits `(min, max)` in force on `date` for `zone` (`general` | `zlfn`).
    pub fn sbc_limits(&self, date: &str, zone: &str) -> Option<(f64, f64)> {
        let wage = find(&self.minimum_wage, date)?;
        let uma = find(&self.uma, date)?;
        let min = if zone == "zlfn" {
            wage.zlfn
        } else {
            wage.general
        };
        Some((min, uma.general * self.uma_cap_multiple))
    }
}

/// Something worth showing but not a reason to refuse.
pub type Warning = String;

fn check_date(field: &str, d: &str) -> Result<()> {
    let b = d.as_bytes();
    let n = |r: core::ops::Range<usize>| d.get(r).and_then(|x| x.parse::<u32>().ok());
    let ok = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && matches!((n(0..4), n(5..7), n(8..10)), (Some(y), Some(m), Some(dd)) if y >= 1900 && (1..=12).contains(&m) && (1..=31).contains(&dd));
    if ok {
        Ok(())
    } else {
        Err(Error::invalid(field, "fecha inválida (AAAA-MM-DD)"))
    }
}

fn in_range(field: &str, v: Option<u8>, max: u8, required: bool) -> Result<()> {
    match v {
        Some(x) if x <= max => Ok(()),
        Some(_) => Err(Error::invalid(
            field,
            format!("valor fuera del catálogo (0–{max})"),
        )),
        None if required => Err(Error::invalid(field, "campo obligatorio")),
        None => Ok(()),
    }
}

/// Worker type (1–4), salary type (0–2) and reduced week/day (0–6): the régimen of an alta
/// or a cambio de régimen (domain.md §5).
fn check_regime(mv: &Movement) -> Result<()> {
    if !matches!(mv.worker_type, Some(1..=4)) {
        return Err(Error::invalid(
            "movement.worker_type",
            "debe ser 1, 2, 3 o 4",
        ));
    }
    in_range("movement.salary_type", mv.salary_type, 2, true)?;
    in_range("movement.reduced_week", mv.reduced_week, 6, false)
}

fn check_sbc(rules: &Rules, mv: &Movement, zone: &str) -> Result<()> {
    let sbc = mv
        .sbc
        .ok_or_else(|| Error::invalid("movement.sbc", "campo obligatorio"))?;
    let (min, max) = rules.sbc_limits(&mv.date, zone).ok_or_else(|| {
        Error::invalid(
            "movement.date",
            "no hay límites de SBC configurados para esa fecha",
        )
    })?;
    if !sbc.is_finite() || sbc < min || sbc > max {
        return Err(Error::invalid(
            "movement.sbc",
            format!("el SBC debe estar entre {min:.2} y {max:.2} para {zone}"),
        ));
    }
    Ok(())
}

fn check_movement(rules: &Rules, m: &Manifest, zone: &str) -> Result<()> {
    let mv = m
        .movement
        .as_ref()
        .ok_or_else(|| Error::invalid("movement", "campo obligatorio para esta acción"))?;
    check_date("movement.date", &mv.date)?;
    match m.action {
        Action::Alta => {
            check_regime(mv)?;
            check_sbc(rules, mv, zone)
        }
        Action::Baja => match mv.cause.as_deref() {
            Some("1" | "2" | "3" | "4" | "5" | "6" | "7" | "8" | "9" | "A") => Ok(()),
            _ => Err(Error::invalid("movement.cause", "causa de baja: 1–9 o A")),
        },
        Action::ModificacionSalario => {
            in_range("movement.salary_type", mv.salary_type, 2, false)?;
            check_sbc(rules, mv, zone)
        }
        Action::CambioRegimen => {
            check_regime(mv)?;
            match mv.sbc {
                Some(_) => check_sbc(rules, mv, zone),
                None => Ok(()),
            }
        }
        _ => Ok(()),
    }
}

fn has_attachment(m: &Manifest, name: &str) -> bool {
    m.attachments.iter().any(|a| a.name == name)
}

fn check_biometrics(m: &Manifest, fingers_required: bool) -> Result<()> {
    let b: &Biometrics = m
        .biometrics
        .as_ref()
        .ok_or_else(|| Error::invalid("biometrics", "campo obligatorio para esta acción"))?;
    if !has_attachment(m, &b.face) {
        return Err(Error::invalid(
            "biometrics.face",
            "falta el adjunto del rostro",
        ));
    }
    if !fingers_required {
        if b.liveness.is_none() {
            return Err(Error::invalid(
                "biometrics.liveness",
                "falta la prueba de vida",
            ));
        }
        return Ok(());
    }
    let mut seen = [false; 11];
    for (i, f) in b.fingers.iter().enumerate() {
        let field = format!("biometrics.fingers[{i}]");
        let pos = usize::from(f.position);
        if !(1..=10).contains(&pos) {
            return Err(Error::invalid(field, "posición fuera de 1–10"));
        }
        if seen[pos] {
            return Err(Error::invalid(field, "posición repetida"));
        }
        seen[pos] = true;
        match (&f.attachment, &f.exception) {
            (Some(name), None) if has_attachment(m, name) => {}
            (Some(_), None) => return Err(Error::invalid(field, "falta el adjunto de la huella")),
            (None, Some(code)) if code == "XX" || code == "UP" => {
                if f.reason.as_deref().is_none_or(str::is_empty) {
                    return Err(Error::invalid(field, "la excepción requiere un motivo"));
                }
                if f.evidence.as_ref().is_some_and(|e| !has_attachment(m, e)) {
                    return Err(Error::invalid(field, "falta la foto de la mano"));
                }
                if m.operator.is_some() && f.evidence.is_none() {
                    return Err(Error::invalid(
                        field,
                        "en kiosco, la excepción requiere la foto de la mano",
                    ));
                }
                if m.operator.as_ref().is_some_and(|o| !o.confirmed_exceptions) {
                    return Err(Error::invalid(
                        field,
                        "en kiosco, el operador debe confirmar la excepción",
                    ));
                }
            }
            _ => {
                return Err(Error::invalid(
                    field,
                    "cada dedo lleva una imagen o una excepción XX/UP",
                ))
            }
        }
    }
    if seen[1..].iter().any(|s| !s) {
        return Err(Error::invalid(
            "biometrics.fingers",
            "faltan posiciones de 1 a 10",
        ));
    }
    Ok(())
}

/// Checks a manifest against the domain rules; returns warnings (e.g. an RFC whose check
/// digit does not match) or the first broken rule.
pub fn validate(m: &Manifest, rules: &Rules) -> Result<Vec<Warning>> {
    let mut warnings = Vec::new();
    let mut zone = "general".to_string();
    if m.action.needs_employer() {
        let e = m
            .employer
            .as_ref()
            .ok_or_else(|| Error::invalid("employer", "campo obligatorio para esta acción"))?;
        ids::check_registro_patronal(&e.registro_patronal)
            .map_err(|r| Error::invalid("employer.registro_patronal", r))?;
        if e.zone != "general" && e.zone != "zlfn" {
            return Err(Error::invalid("employer.zone", "debe ser general o zlfn"));
        }
        zone.clone_from(&e.zone);
        if m.action == Action::Patron && e.name.as_deref().is_none_or(str::is_empty) {
            return Err(Error::invalid("employer.name", "falta la razón social"));
        }
    }
    if m.action != Action::Patron {
        let s = m
            .subject
            .as_ref()
            .ok_or_else(|| Error::invalid("subject", "campo obligatorio para esta acción"))?;
        ids::check_nss(&s.nss).map_err(|r| Error::invalid("subject.nss", r))?;
        ids::check_curp(&s.curp).map_err(|r| Error::invalid("subject.curp", r))?;
        if s.name.trim().is_empty() {
            return Err(Error::invalid("subject.name", "falta el nombre"));
        }
        if let Some(rfc) = &s.rfc {
            ids::check_rfc(rfc).map_err(|r| Error::invalid("subject.rfc", r))?;
            if !ids::rfc_check_digit_ok(rfc) {
                warnings.push("subject.rfc: el dígito verificador no coincide".into());
            }
        }
    }
    match m.action {
        Action::Alta | Action::Baja | Action::ModificacionSalario | Action::CambioRegimen => {
            check_movement(rules, m, &zone)?
        }
        Action::Biometria => check_biometrics(m, true)?,
        Action::Supervivencia => check_biometrics(m, false)?,
        Action::Patron => {}
    }
    let mut names: Vec<&str> = m.attachments.iter().map(|a| a.name.as_str()).collect();
    names.sort_unstable();
    if names.windows(2).any(|w| w[0] == w[1]) {
        return Err(Error::invalid(
            "attachments",
            "nombres de adjunto repetidos",
        ));
    }
    Ok(warnings)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sbc_limits_follow_dated_rows() {
        let r = Rules::default();
        assert_eq!(
            r.sbc_limits("2026-01-15", "general"),
            Some((315.04, 113.14 * 25.0))
        );
        assert_eq!(
            r.sbc_limits("2026-03-01", "zlfn"),
            Some((440.87, 117.31 * 25.0))
        );
        assert_eq!(r.sbc_limits("2024-06-01", "general"), None);
    }
}
