//! Waiting on a condition with a deadline, instead of sleeping.

use std::future::Future;
use std::time::{Duration, Instant};

/// How long a browser or collector condition may take before the test fails.
pub const DEADLINE: Duration = Duration::from_secs(30);

/// Polls `check` until it returns `Some`, failing with `what` after [`DEADLINE`].
pub async fn until<T, F, Fut>(what: &str, mut check: F) -> anyhow::Result<T>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Option<T>>,
{
    let start = Instant::now();
    loop {
        if let Some(value) = check().await {
            return Ok(value);
        }
        if start.elapsed() > DEADLINE {
            anyhow::bail!("timed out after {DEADLINE:?} waiting for {what}");
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}
