//! What the survey costs the store's page, measured in headless Chromium: bytes fetched from the
//! collector, main-thread long tasks (over 50 ms), layout shift, and how long after navigation the
//! survey is on screen. The baseline is the same store page with the snippet but no stage marked
//! (the loader and the config only), measured in the same run.
//!
//! Run with `cargo bench -p e2e --bench page_impact`. Timings vary with the machine; sizes and
//! layout shift do not.

use e2e::store_page::StorePage;
use e2e::{Browser, TestCollector, wait};

const RUNS: usize = 8;

/// A store page with the snippet, observers that record long tasks and layout shifts from the
/// start, and (when `mark`) the checkout stage marked.
fn page(collector: &str, mark: bool) -> String {
    let stage = if mark {
        "cx('on', 'show', () => { window.__shownAt = performance.now(); });
         cx('stage', 'checkout', { order: 'BENCH-' + Math.random().toString(36).slice(2) });"
    } else {
        ""
    };
    format!(
        r#"<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Store</title>
<script>window.__long = []; window.__shift = 0;
new PerformanceObserver(l => l.getEntries().forEach(e => __long.push(e.duration)))
  .observe({{ type: 'longtask', buffered: true }});
new PerformanceObserver(l => l.getEntries().forEach(e => {{ if (!e.hadRecentInput) __shift += e.value; }}))
  .observe({{ type: 'layout-shift', buffered: true }});</script>
<script async src="{collector}/w.js" data-site="demo"></script>
<script>window.cx=window.cx||function(){{(cx.q=cx.q||[]).push(arguments)}};{stage}</script>
</head><body><main><h1>Order confirmed</h1><p>{}</p></main></body></html>"#,
        "Thank you for your order. ".repeat(40)
    )
}

/// One page load's figures.
struct Load {
    bytes: f64,
    requests: usize,
    long_tasks: usize,
    longest: f64,
    shift: f64,
    shown_at: Option<f64>,
}

async fn measure(
    browser: &Browser,
    url: &str,
    collector: &str,
    mark: bool,
) -> anyhow::Result<Load> {
    // A new visit each time (one survey per visit), with the browser's cache kept.
    let _ = browser
        .client
        .execute("localStorage.clear();", vec![])
        .await;
    browser.client.goto(url).await?;
    if mark {
        wait::until("the survey", || async {
            let shown = browser
                .client
                .execute("return window.__shownAt;", vec![])
                .await
                .ok()?;
            shown.as_f64()
        })
        .await?;
    }
    // Let the page settle, so late tasks are counted too.
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    let figures = browser
        .client
        .execute(
            &format!(
                "const r = performance.getEntriesByType('resource')
                     .filter(e => e.name.startsWith('{collector}'));
                 return [r.reduce((s, e) => s + e.transferSize, 0), r.length,
                         __long.length, Math.max(0, ...__long), __shift, window.__shownAt ?? null];"
            ),
            vec![],
        )
        .await?;
    let n = |i: usize| figures[i].as_f64().unwrap_or(0.0);
    Ok(Load {
        bytes: n(0),
        requests: n(1) as usize,
        long_tasks: n(2) as usize,
        longest: n(3),
        shift: n(4),
        shown_at: figures[5].as_f64(),
    })
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values.get(values.len() / 2).copied().unwrap_or(f64::NAN)
}

fn report(name: &str, loads: &[Load]) {
    let first = &loads[0];
    let warm = &loads[1..];
    let shown: Vec<f64> = loads.iter().filter_map(|l| l.shown_at).collect();
    println!(
        "| {name} | {:.1} KB in {} requests | {:.1} KB in {} | {} | {:.0} ms | {:.3} | {} |",
        first.bytes / 1024.0,
        first.requests,
        median(warm.iter().map(|l| l.bytes).collect()) / 1024.0,
        warm.iter().map(|l| l.requests).max().unwrap_or(0),
        loads.iter().map(|l| l.long_tasks).sum::<usize>(),
        loads.iter().map(|l| l.longest).fold(0.0, f64::max),
        loads.iter().map(|l| l.shift).fold(0.0, f64::max),
        if shown.is_empty() {
            "-".to_owned()
        } else {
            format!(
                "{:.0} ms cold, {:.0} ms warm (median)",
                shown[0],
                median(shown[1..].to_vec())
            )
        }
    );
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> anyhow::Result<()> {
    let collector = TestCollector::start().await?;
    let origin = collector.url("");
    let baseline = StorePage::serve(page(&origin, false), vec![]).await?;
    let survey = StorePage::serve(page(&origin, true), vec![]).await?;
    println!(
        "{RUNS} loads each in one headless Chromium profile (the first with an empty cache)\n"
    );
    println!(
        "| page | first load: from the collector | later loads | long tasks (all loads) | longest | layout shift | survey on screen after navigation |"
    );
    println!("| --- | --- | --- | ---: | ---: | ---: | --- |");
    let mut notes = Vec::new();
    for (name, store, mark) in [
        ("snippet, no survey due (baseline)", &baseline, false),
        ("snippet, checkout survey shown", &survey, true),
    ] {
        let browser = Browser::start().await?;
        let mut loads = Vec::new();
        for _ in 0..RUNS {
            loads.push(measure(&browser, &store.url(), &origin, mark).await?);
        }
        report(name, &loads);
        // Which loads had them: the cold first load (compiling the widget) or a warm one.
        notes.extend(
            loads
                .iter()
                .enumerate()
                .filter(|(_, l)| l.long_tasks > 0)
                .map(|(i, l)| {
                    format!(
                        "{name}: load {} ({}) had {} long task(s), the longest {:.0} ms",
                        i + 1,
                        if i == 0 { "cold" } else { "warm" },
                        l.long_tasks,
                        l.longest
                    )
                }),
        );
        browser.close().await?;
    }
    for note in notes {
        println!("\n{note}");
    }
    Ok(())
}
