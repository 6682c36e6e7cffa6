//! The 30-day biometrics deadline shown on the dashboard (domain.md: after an alta the worker
//! has 30 days to register biometrics before the status becomes `restringido`).

/// Whole days from `now_unix` to the RFC 3339 `deadline` (rounded up while still ahead,
/// negative once past). `None` when the date cannot be read.
pub fn days_until(deadline: &str, now_unix: i64) -> Option<i64> {
    let t = efirma::Timestamp::parse_rfc3339(deadline)?.unix();
    let secs = t - now_unix;
    Some(if secs >= 0 {
        (secs + 86_399) / 86_400
    } else {
        -((-secs) / 86_400)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_days() {
        let now = efirma::Timestamp::parse_rfc3339("2026-03-01T12:00:00Z")
            .unwrap()
            .unix();
        assert_eq!(days_until("2026-03-31T12:00:00Z", now), Some(30));
        assert_eq!(days_until("2026-03-01T13:00:00Z", now), Some(1));
        assert_eq!(days_until("2026-03-01T12:00:00Z", now), Some(0));
        assert_eq!(days_until("2026-02-27T11:00:00Z", now), Some(-2));
        assert_eq!(days_until("mañana", now), None);
    }
}
