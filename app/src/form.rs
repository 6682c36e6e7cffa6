//! The worker data of a movement (alta, baja, salary and regime changes), checked field by field
//! as the person types with the same rules the server applies (`packet::ids`, `packet::Rules`),
//! and turned into the manifest the packet signs.

use packet::{Action, Employer, Manifest, Movement, Rules, Signer, Subject};

/// The form's fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    /// Número de Seguridad Social (11 digits).
    Nss,
    /// CURP (18 characters).
    Curp,
    /// Full name.
    Name,
    /// RFC (optional for a worker).
    Rfc,
    /// Movement date, AAAA-MM-DD.
    Date,
    /// Salario base de cotización, pesos per day.
    Sbc,
    /// Tipo de trabajador 1–4.
    WorkerType,
    /// Tipo de salario 0–2.
    SalaryType,
    /// Semana o jornada reducida 0–6.
    ReducedWeek,
    /// Causa de baja 1–9, A.
    Cause,
}

impl Field {
    /// The manifest path the server names in an `invalid_manifest` refusal.
    pub fn path(self) -> &'static str {
        match self {
            Field::Nss => "subject.nss",
            Field::Curp => "subject.curp",
            Field::Name => "subject.name",
            Field::Rfc => "subject.rfc",
            Field::Date => "movement.date",
            Field::Sbc => "movement.sbc",
            Field::WorkerType => "movement.worker_type",
            Field::SalaryType => "movement.salary_type",
            Field::ReducedWeek => "movement.reduced_week",
            Field::Cause => "movement.cause",
        }
    }

    /// The field a manifest path refers to.
    pub fn from_path(path: &str) -> Option<Field> {
        ALL.iter().copied().find(|f| f.path() == path)
    }
}

const ALL: [Field; 10] = [
    Field::Nss,
    Field::Curp,
    Field::Name,
    Field::Rfc,
    Field::Date,
    Field::Sbc,
    Field::WorkerType,
    Field::SalaryType,
    Field::ReducedWeek,
    Field::Cause,
];

/// The fields each movement asks for, in screen order.
pub fn fields_for(action: Action) -> &'static [Field] {
    match action {
        // Everything but the baja cause.
        Action::Alta => ALL.split_last().map_or(&[], |(_, rest)| rest),
        Action::Baja => &[
            Field::Nss,
            Field::Curp,
            Field::Name,
            Field::Date,
            Field::Cause,
        ],
        Action::ModificacionSalario => &[
            Field::Nss,
            Field::Curp,
            Field::Name,
            Field::Date,
            Field::Sbc,
            Field::SalaryType,
        ],
        Action::CambioRegimen => &[
            Field::Nss,
            Field::Curp,
            Field::Name,
            Field::Date,
            Field::WorkerType,
            Field::SalaryType,
            Field::ReducedWeek,
        ],
        _ => &[Field::Nss, Field::Curp, Field::Name],
    }
}

/// What the person typed (kept as text so nothing typed is ever lost to a parse error).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct WorkerData {
    /// NSS.
    pub nss: String,
    /// CURP.
    pub curp: String,
    /// Name.
    pub name: String,
    /// RFC (optional).
    pub rfc: String,
    /// AAAA-MM-DD.
    pub date: String,
    /// SBC in pesos.
    pub sbc: String,
    /// 1–4.
    pub worker_type: String,
    /// 0–2.
    pub salary_type: String,
    /// 0–6.
    pub reduced_week: String,
    /// Baja cause.
    pub cause: String,
}

impl WorkerData {
    /// The text of `field`.
    pub fn get(&self, field: Field) -> &str {
        match field {
            Field::Nss => &self.nss,
            Field::Curp => &self.curp,
            Field::Name => &self.name,
            Field::Rfc => &self.rfc,
            Field::Date => &self.date,
            Field::Sbc => &self.sbc,
            Field::WorkerType => &self.worker_type,
            Field::SalaryType => &self.salary_type,
            Field::ReducedWeek => &self.reduced_week,
            Field::Cause => &self.cause,
        }
    }

    /// Sets `field` (identifiers are upper-cased and trimmed as typed).
    pub fn set(&mut self, field: Field, value: &str) {
        let v = match field {
            Field::Curp | Field::Rfc => value.trim().to_uppercase(),
            Field::Nss => value.trim().to_string(),
            _ => value.to_string(),
        };
        match field {
            Field::Nss => self.nss = v,
            Field::Curp => self.curp = v,
            Field::Name => self.name = v,
            Field::Rfc => self.rfc = v,
            Field::Date => self.date = v,
            Field::Sbc => self.sbc = v,
            Field::WorkerType => self.worker_type = v,
            Field::SalaryType => self.salary_type = v,
            Field::ReducedWeek => self.reduced_week = v,
            Field::Cause => self.cause = v,
        }
    }

    /// A fresh alta form with the usual defaults (permanent worker, fixed salary, full week).
    pub fn alta_defaults(today: &str) -> Self {
        WorkerData {
            date: today.to_string(),
            worker_type: "1".into(),
            salary_type: "0".into(),
            reduced_week: "0".into(),
            cause: "2".into(),
            ..WorkerData::default()
        }
    }
}

fn num<T: std::str::FromStr>(s: &str) -> Option<T> {
    s.trim().parse().ok()
}

/// The problem with `field`, in Spanish, or `None` when it is fine. `zone` is the employer's
/// salary zone (`general` | `zlfn`), for the SBC limits on the movement date.
pub fn check(field: Field, d: &WorkerData, zone: &str, rules: &Rules) -> Option<String> {
    let v = d.get(field).trim();
    let required = |msg: &str| v.is_empty().then(|| msg.to_string());
    match field {
        Field::Nss => required("Escriba el NSS (11 dígitos)")
            .or_else(|| packet::ids::check_nss(v).err().map(str::to_string)),
        Field::Curp => required("Escriba la CURP (18 caracteres)")
            .or_else(|| packet::ids::check_curp(v).err().map(str::to_string)),
        Field::Name => required("Escriba el nombre completo").or_else(|| {
            (v.chars().count() < 5).then(|| "El nombre parece incompleto".to_string())
        }),
        Field::Rfc => {
            if v.is_empty() {
                None
            } else {
                packet::ids::check_rfc(v).err().map(str::to_string)
            }
        }
        Field::Date => required("Escriba la fecha (AAAA-MM-DD)").or_else(|| {
            let ok = v.len() == 10
                && v.as_bytes().get(4) == Some(&b'-')
                && v.as_bytes().get(7) == Some(&b'-')
                && matches!(
                    (num::<u32>(&v[0..4]), num::<u32>(&v[5..7]), num::<u32>(&v[8..10])),
                    (Some(y), Some(m), Some(dd)) if y >= 1900 && (1..=12).contains(&m) && (1..=31).contains(&dd)
                );
            (!ok).then(|| "Fecha inválida: use AAAA-MM-DD".to_string())
        }),
        Field::Sbc => required("Escriba el salario base de cotización").or_else(|| {
            let Some(sbc) = num::<f64>(&v.replace(',', "")) else {
                return Some("El SBC debe ser un número, p. ej. 450.50".into());
            };
            match rules.sbc_limits(d.date.trim(), zone) {
                Some((min, max)) if sbc < min || sbc > max => Some(format!(
                    "El SBC debe estar entre {min:.2} y {max:.2} pesos diarios en esa fecha"
                )),
                Some(_) => None,
                None => Some("No hay límites de SBC para esa fecha".into()),
            }
        }),
        Field::WorkerType => (!matches!(num::<u8>(v), Some(1..=4)))
            .then(|| "Elija el tipo de trabajador".to_string()),
        Field::SalaryType => (!matches!(num::<u8>(v), Some(0..=2)))
            .then(|| "Elija el tipo de salario".to_string()),
        Field::ReducedWeek => (!matches!(num::<u8>(v), Some(0..=6)))
            .then(|| "Elija la jornada".to_string()),
        Field::Cause => (!matches!(v, "1" | "2" | "3" | "4" | "5" | "6" | "7" | "8" | "9" | "A"))
            .then(|| "Elija la causa de la baja".to_string()),
    }
}

/// Every problem of the fields `action` asks for.
pub fn problems(action: Action, d: &WorkerData, zone: &str, rules: &Rules) -> Vec<(Field, String)> {
    fields_for(action)
        .iter()
        .filter_map(|&f| check(f, d, zone, rules).map(|m| (f, m)))
        .collect()
}

/// The manifest for `action` (signer, nonce, time and attachments are filled in when signing),
/// or the problems to fix first.
pub fn manifest(
    action: Action,
    employer: &Employer,
    d: &WorkerData,
    rules: &Rules,
) -> Result<Manifest, Vec<(Field, String)>> {
    let errs = problems(action, d, &employer.zone, rules);
    if !errs.is_empty() {
        return Err(errs);
    }
    let asks = |f: Field| fields_for(action).contains(&f);
    let opt_u8 = |f: Field| if asks(f) { num::<u8>(d.get(f)) } else { None };
    let movement = match action {
        Action::Alta | Action::Baja | Action::ModificacionSalario | Action::CambioRegimen => {
            Some(Movement {
                date: d.date.trim().to_string(),
                worker_type: opt_u8(Field::WorkerType),
                salary_type: opt_u8(Field::SalaryType),
                reduced_week: opt_u8(Field::ReducedWeek),
                sbc: if asks(Field::Sbc) {
                    num::<f64>(&d.sbc.replace(',', ""))
                } else {
                    None
                },
                cause: asks(Field::Cause).then(|| d.cause.trim().to_string()),
            })
        }
        _ => None,
    };
    let rfc = d.rfc.trim();
    Ok(Manifest {
        action,
        issued_at: String::new(),
        nonce: String::new(),
        signer: Signer::default(),
        employer: Some(employer.clone()),
        subject: Some(Subject {
            nss: d.nss.trim().to_string(),
            curp: d.curp.trim().to_string(),
            name: d.name.trim().to_uppercase(),
            rfc: (!rfc.is_empty()).then(|| rfc.to_string()),
        }),
        movement,
        biometrics: None,
        attachments: Vec::new(),
        operator: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn employer() -> Employer {
        Employer {
            registro_patronal: packet::REGISTRO_PATRONAL.into(),
            name: Some("Demo".into()),
            zone: "general".into(),
        }
    }

    fn good() -> WorkerData {
        let mut d = WorkerData::alta_defaults("2026-03-02");
        d.set(Field::Nss, packet::NSS);
        d.set(Field::Curp, &packet::CURP.to_lowercase());
        d.set(Field::Name, "Ana López Martínez");
        d.sbc = "450.00".into();
        d
    }

    #[test]
    fn a_good_alta_makes_a_manifest_the_core_accepts_but_for_the_signer() {
        let rules = Rules::default();
        let m = manifest(Action::Alta, &employer(), &good(), &rules).unwrap();
        assert_eq!(m.subject.as_ref().unwrap().curp, packet::CURP);
        assert_eq!(m.movement.as_ref().unwrap().sbc, Some(450.0));
        assert_eq!(m.movement.as_ref().unwrap().cause, None);
        // The same manifest passes the core's own domain checks.
        let mut signed = m.clone();
        signed.issued_at = "2026-03-02T10:00:00Z".into();
        signed.nonce = "AAAAAAAAAAAAAAAAAAAAAA".into();
        signed.signer.rfc = "AAA010101AAA".into();
        signed.signer.certificate_number = "1".repeat(20);
        packet::validate(&signed, &rules).unwrap();
    }

    #[test]
    fn each_bad_field_is_named() {
        let rules = Rules::default();
        let mut d = good();
        d.set(Field::Nss, "12345678901");
        d.set(Field::Sbc, "1");
        d.set(Field::Date, "2026-13-01");
        let errs = problems(Action::Alta, &d, "general", &rules);
        let fields: Vec<Field> = errs.iter().map(|e| e.0).collect();
        assert!(fields.contains(&Field::Nss), "{errs:?}");
        assert!(fields.contains(&Field::Date), "{errs:?}");
        assert!(fields.contains(&Field::Sbc), "{errs:?}");
        assert!(manifest(Action::Alta, &employer(), &d, &rules).is_err());
        // Nothing typed was lost.
        assert_eq!(d.get(Field::Nss), "12345678901");
    }

    #[test]
    fn baja_needs_a_cause_and_no_salary() {
        let rules = Rules::default();
        let mut d = good();
        d.set(Field::Cause, "Z");
        assert_eq!(
            problems(Action::Baja, &d, "general", &rules)[0].0,
            Field::Cause
        );
        d.set(Field::Cause, "2");
        let m = manifest(Action::Baja, &employer(), &d, &rules).unwrap();
        assert_eq!(m.movement.unwrap().sbc, None);
        assert_eq!(Field::from_path("movement.cause"), Some(Field::Cause));
    }
}
