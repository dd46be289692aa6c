//! `?cx_debug=1`: one console group per considered survey, listing every etiquette rule and its
//! verdict, which answers the store owner's "why didn't it show?".

use survey::eligibility::Verdict;
use wasm_bindgen::JsValue;

/// Whether the page's URL asks for the debug output.
pub fn enabled() -> bool {
    // The browser's own substring search: Rust's str::contains would add 2 KB of wasm.
    web_sys::window()
        .and_then(|w| w.location().search().ok())
        .is_some_and(|search| js_sys::JsString::from(search).includes("cx_debug=1", 0))
}

/// Prints the verdicts for `stage` as one collapsed console group.
pub fn print(stage: &str, verdicts: &[Verdict], outcome: &str) {
    web_sys::console::group_collapsed_1(&JsValue::from_str(&format!(
        "cx survey: {stage}: {outcome}"
    )));
    for verdict in verdicts {
        let mark = if verdict.passed { "pass" } else { "FAIL" };
        web_sys::console::log_1(&JsValue::from_str(&format!(
            "{mark} {}: {}",
            verdict.rule, verdict.detail
        )));
    }
    web_sys::console::group_end();
}
