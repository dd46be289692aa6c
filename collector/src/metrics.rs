//! Prometheus metrics, served at `/metrics` in the text exposition format.

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;

/// Labels of an HTTP request.
#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct RequestLabels {
    /// The route's pattern (`/v1/sites/{site}/config`), never the raw path, to bound cardinality.
    pub route: String,
    /// The HTTP method.
    pub method: String,
    /// The status code.
    pub status: u16,
}

/// One label naming an outcome, a reason or an operation.
#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct Label {
    /// Its value.
    pub kind: String,
}

type HistogramFamily = Family<Label, Histogram, fn() -> Histogram>;

/// Every metric the collector keeps.
#[derive(Debug)]
pub struct Metrics {
    registry: Registry,
    /// Requests by route, method and status.
    pub requests: Family<RequestLabels, Counter>,
    /// Responses stored, by outcome (`created`, `merged`).
    pub stored: Family<Label, Counter>,
    /// Responses refused, by the `error` code of the 4xx.
    pub rejected: Family<Label, Counter>,
    /// Saves waiting for or holding the database.
    pub write_queue: Gauge,
    /// How long storage operations take, in seconds, by operation.
    pub storage_seconds: HistogramFamily,
}

impl Default for Metrics {
    fn default() -> Self {
        let mut registry = Registry::with_prefix("cx");
        let requests = Family::<RequestLabels, Counter>::default();
        registry.register(
            "http_requests",
            "HTTP requests by route, method and status",
            requests.clone(),
        );
        let stored = Family::<Label, Counter>::default();
        registry.register(
            "responses_stored",
            "Responses stored, by outcome (created, merged)",
            stored.clone(),
        );
        let rejected = Family::<Label, Counter>::default();
        registry.register(
            "responses_rejected",
            "Responses refused, by error code",
            rejected.clone(),
        );
        let write_queue = Gauge::default();
        registry.register(
            "write_queue_depth",
            "Saves waiting for or holding the database",
            write_queue.clone(),
        );
        // 0.5 ms to about 4 s.
        let storage_seconds: HistogramFamily =
            Family::new_with_constructor(|| Histogram::new(exponential_buckets(0.0005, 2.0, 14)));
        registry.register(
            "storage_seconds",
            "Storage operation latency by operation",
            storage_seconds.clone(),
        );
        Metrics {
            registry,
            requests,
            stored,
            rejected,
            write_queue,
            storage_seconds,
        }
    }
}

impl Metrics {
    /// The exposition text.
    pub fn render(&self) -> String {
        let mut out = String::new();
        // Writing to a String cannot fail.
        let _ = prometheus_client::encoding::text::encode(&mut out, &self.registry);
        out
    }
}

/// A label value.
pub fn label(kind: &str) -> Label {
    Label {
        kind: kind.to_owned(),
    }
}
