//! Counters for `GET /metrics` (Prometheus text exposition format 0.0.4). No labels carry
//! personal data: only error codes, status classes and fixed names.

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::time::Duration;

const BUCKETS_MS: [u64; 10] = [1, 2, 5, 10, 20, 50, 100, 250, 500, 1000];

/// Process-local counters.
#[derive(Default)]
pub struct Metrics {
    inner: Mutex<Inner>,
}

#[derive(Default)]
struct Inner {
    counters: BTreeMap<String, u64>,
    rejected: BTreeMap<&'static str, u64>,
    http: BTreeMap<u16, u64>,
    buckets: [u64; BUCKETS_MS.len()],
    sum_ms: f64,
    count: u64,
}

impl Metrics {
    fn with(&self, f: impl FnOnce(&mut Inner)) {
        if let Ok(mut g) = self.inner.lock() {
            f(&mut g)
        }
    }

    /// Adds 1 to a named counter.
    pub fn count(&self, name: &str) {
        self.with(|m| *m.counters.entry(name.to_string()).or_default() += 1);
    }

    /// Counts a refused packet by code.
    pub fn rejected(&self, code: &'static str) {
        self.with(|m| *m.rejected.entry(code).or_default() += 1);
    }

    /// Counts a response by status.
    pub fn http(&self, status: u16) {
        self.with(|m| *m.http.entry(status).or_default() += 1);
    }

    /// Records an ingest latency.
    pub fn observe_ingest(&self, d: Duration) {
        let ms = d.as_secs_f64() * 1000.0;
        self.with(|m| {
            for (i, b) in BUCKETS_MS.iter().enumerate() {
                if ms <= *b as f64 {
                    m.buckets[i] += 1;
                }
            }
            m.sum_ms += ms;
            m.count += 1;
        });
    }

    /// The exposition text.
    pub fn render(&self) -> String {
        let mut out = String::new();
        let Ok(m) = self.inner.lock() else {
            return out;
        };
        out.push_str("# TYPE huella_events_total counter\n");
        for (k, v) in &m.counters {
            out.push_str(&format!("huella_events_total{{event=\"{k}\"}} {v}\n"));
        }
        out.push_str("# TYPE huella_packets_rejected_total counter\n");
        for (k, v) in &m.rejected {
            out.push_str(&format!(
                "huella_packets_rejected_total{{code=\"{k}\"}} {v}\n"
            ));
        }
        out.push_str("# TYPE huella_http_responses_total counter\n");
        for (k, v) in &m.http {
            out.push_str(&format!(
                "huella_http_responses_total{{status=\"{k}\"}} {v}\n"
            ));
        }
        out.push_str("# TYPE huella_ingest_seconds histogram\n");
        for (i, b) in BUCKETS_MS.iter().enumerate() {
            out.push_str(&format!(
                "huella_ingest_seconds_bucket{{le=\"{}\"}} {}\n",
                *b as f64 / 1000.0,
                m.buckets[i]
            ));
        }
        out.push_str(&format!(
            "huella_ingest_seconds_bucket{{le=\"+Inf\"}} {}\nhuella_ingest_seconds_sum {}\nhuella_ingest_seconds_count {}\n",
            m.count,
            m.sum_ms / 1000.0,
            m.count
        ));
        out
    }
}
