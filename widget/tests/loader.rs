//! Runs the loader's own tests (`loader/w.test.mjs`: queue, retries, page-hide flush and browsing
//! triggers against a scripted page and clock) under Node, so `cargo test` covers the hand-written
//! JavaScript natively too. The browser tests in `tests/` run the minified loader in Chromium.

use std::process::Command;

#[test]
fn the_loaders_queue_retry_and_trigger_logic() {
    let tests = concat!(env!("CARGO_MANIFEST_DIR"), "/loader/w.test.mjs");
    let output = Command::new("node")
        .args(["--test", tests])
        .output()
        .expect("node runs (collector/scripts/install-tools.sh installs it)");
    let report = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "the loader's tests failed:\n{report}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    // Every test ran: a harness that silently found nothing would also exit 0.
    let passed = report
        .lines()
        .find_map(|line| line.strip_prefix("# pass "))
        .and_then(|n| n.trim().parse::<u32>().ok());
    assert!(
        passed.is_some_and(|n| n >= 15),
        "expected the loader's 15 tests to pass:\n{report}"
    );
}
