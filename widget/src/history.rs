//! What this browser remembers between pages, in localStorage under the `cx:` namespace: earlier
//! surveys (for the recontact limits), the random visitor id (the sampling key when there is no
//! order) and the current visit (counted by the loader). No cookies.

use crate::js_json;
use survey::eligibility::History;
use web_sys::Storage;

/// Earlier surveys, as `survey::eligibility::History` JSON.
const HISTORY_KEY: &str = "cx:h";
/// The random visitor id.
const VISITOR_KEY: &str = "cx:id";
/// The loader's visit record: `start,last,page views` (ms since the epoch, ms, count).
const VISIT_KEY: &str = "cx:v";
/// Until when (ms since the epoch) no browsing survey can be due: the loader reads it before
/// fetching the widget for a browsing trigger.
const QUIET_KEY: &str = "cx:b";

fn storage() -> Option<Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

fn read(key: &str) -> Option<String> {
    storage()?.get_item(key).ok().flatten()
}

/// The remembered history; empty when storage is unavailable or holds something unreadable.
pub fn load() -> History {
    read(HISTORY_KEY)
        .and_then(|json| js_json::parse(&json))
        .map(|value| survey::decode::history(&value))
        .unwrap_or_default()
}

/// Remembers `history`; does nothing where storage is unavailable.
pub fn save(history: &History) {
    if let Some(storage) = storage() {
        let _ = storage.set_item(HISTORY_KEY, &survey::encode::history(history));
    }
}

/// Changes the remembered history (as it is now: another tab may have changed it).
pub fn update(change: impl FnOnce(&mut History)) {
    let mut history = load();
    change(&mut history);
    save(&history);
}

/// This browser's random visitor id, made on first use; a fresh one per page where storage is
/// unavailable (such a shopper is then drawn anew on each page, which only matters below 100%).
pub fn visitor_id() -> Option<String> {
    if let Some(id) = read(VISITOR_KEY) {
        return Some(id);
    }
    let id = crate::response_id::new_response_id()?;
    if let Some(storage) = storage() {
        let _ = storage.set_item(VISITOR_KEY, &id);
    }
    Some(id)
}

/// Tells the loader not to fetch the widget for a browsing trigger before `until`.
pub fn quiet_browsing_until(until: i64) {
    if let Some(storage) = storage() {
        let _ = storage.set_item(QUIET_KEY, &until.to_string());
    }
}

/// When the current visit began, from the loader's record; `now` when there is none.
pub fn visit_started(now: i64) -> i64 {
    read(VISIT_KEY)
        .and_then(|record| parse_visit_start(&record))
        .unwrap_or(now)
}

/// The start of a `start,last,views` record.
pub fn parse_visit_start(record: &str) -> Option<i64> {
    record.split(',').next()?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_loaders_visit_record_is_read() {
        assert_eq!(
            parse_visit_start("1780000000000,1780000060000,3"),
            Some(1_780_000_000_000)
        );
        assert_eq!(parse_visit_start(""), None);
        assert_eq!(parse_visit_start("garbage"), None);
    }
}
