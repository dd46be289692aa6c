//! The shopper's privacy signals: Global Privacy Control and Do Not Track.

use wasm_bindgen::JsValue;

/// Whether the signals ask not to be tracked: GPC on, or DNT set to "1".
pub fn signal_present(global_privacy_control: bool, do_not_track: Option<&str>) -> bool {
    global_privacy_control || do_not_track == Some("1")
}

/// Whether this browser sends either signal. Read through `Reflect` because neither is in every
/// browser's `Navigator` (GPC is not standard yet).
pub fn browser_sends_signal() -> bool {
    let Some(navigator) = web_sys::window().map(|w| w.navigator()) else {
        return false;
    };
    let read = |name: &str| js_sys::Reflect::get(&navigator, &JsValue::from_str(name)).ok();
    let gpc = read("globalPrivacyControl")
        .and_then(|v| v.as_bool())
        .unwrap_or(false);
    let dnt = read("doNotTrack").and_then(|v| v.as_string());
    signal_present(gpc, dnt.as_deref())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn either_signal_counts_and_dnt_only_when_set_to_one() {
        assert!(signal_present(true, None));
        assert!(signal_present(false, Some("1")));
        assert!(!signal_present(false, Some("0")));
        assert!(!signal_present(false, Some("unspecified")));
        assert!(!signal_present(false, None));
    }
}
