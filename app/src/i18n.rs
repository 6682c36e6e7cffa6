//! Spanish first, English on request. Every UI string is written as a pair at its use site
//! (`t.s("Enviar", "Send")`), so a missing translation cannot happen.

/// The UI language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    /// Español (default).
    #[default]
    Es,
    /// English.
    En,
}

impl Lang {
    /// Picks the string for this language.
    pub fn pick<'a>(self, es: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Es => es,
            Lang::En => en,
        }
    }

    /// The `lang` attribute value.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Es => "es",
            Lang::En => "en",
        }
    }

    /// From a stored code (anything unknown is Spanish).
    pub fn parse(s: &str) -> Lang {
        if s.eq_ignore_ascii_case("en") {
            Lang::En
        } else {
            Lang::Es
        }
    }

    /// The other language (the switch).
    pub fn other(self) -> Lang {
        match self {
            Lang::Es => Lang::En,
            Lang::En => Lang::Es,
        }
    }
}

/// Formats a count of days as "faltan N días" / "N days left" (negative: overdue).
pub fn days_left(lang: Lang, days: i64) -> String {
    match (lang, days) {
        (Lang::Es, d) if d < 0 => format!("vencido hace {} día{}", -d, plural(-d)),
        (Lang::Es, 0) => "vence hoy".into(),
        (Lang::Es, 1) => "falta 1 día".into(),
        (Lang::Es, d) => format!("faltan {d} días"),
        (Lang::En, d) if d < 0 => format!("overdue by {} day{}", -d, plural(-d)),
        (Lang::En, 0) => "due today".into(),
        (Lang::En, d) => format!("{d} day{} left", plural(d)),
    }
}

fn plural(n: i64) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn picks_and_counts() {
        assert_eq!(Lang::parse("EN").pick("sí", "yes"), "yes");
        assert_eq!(Lang::parse("fr"), Lang::Es);
        assert_eq!(days_left(Lang::Es, 1), "falta 1 día");
        assert_eq!(days_left(Lang::Es, 12), "faltan 12 días");
        assert_eq!(days_left(Lang::Es, -3), "vencido hace 3 días");
        assert_eq!(days_left(Lang::En, 0), "due today");
        assert_eq!(Lang::Es.other(), Lang::En);
    }
}
