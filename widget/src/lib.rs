//! The survey widget shoppers see: a Yew app compiled to WebAssembly.
//!
//! The loader (`loader/w.js`) imports this module only once a survey is due, fetches the site's
//! config alongside, and calls [`show`]. The widget renders in a shadow root of its own, so the
//! store's CSS cannot reach it and its CSS cannot leak out, and hands each answer back to the loader,
//! which queues and sends it. Nothing here may throw into the host page: every failure means
//! "no survey".

pub mod app;
pub mod components;
pub mod i18n;
pub mod mount;
pub mod privacy;
pub mod response_id;
pub mod state;

use std::collections::BTreeMap;
use survey::{SiteConfig, Stage};
use wasm_bindgen::prelude::*;

/// Shows the survey of `stage` from `config` (the site's public config) and returns whether it did.
///
/// `context` is what the store passed with the stage (`{order: '1042'}`); `locale` is the store's
/// `cx('locale', ...)`, if any; `deliver(key, body)` is the loader's function that queues a
/// response's JSON under `key` and sends it to `collector`; `emit(name, detail)` tells the store's
/// `cx('on', ...)` listeners.
#[allow(
    clippy::too_many_arguments,
    reason = "the loader's one call into the widget"
)]
#[wasm_bindgen]
pub fn show(
    collector: String,
    site: String,
    config: JsValue,
    stage: String,
    context: JsValue,
    locale: Option<String>,
    deliver: js_sys::Function,
    emit: js_sys::Function,
) -> bool {
    // Every way of showing nothing is announced to the store's `cx('on', 'skip', fn)` listeners,
    // so "why did it not show?" has an answer.
    let skip = |reason: &str| {
        emit_skip(&emit, &stage, reason);
        false
    };
    let Ok(stage_name) = stage.parse::<Stage>() else {
        return skip("unknown_stage");
    };
    let Ok(config) = serde_wasm_bindgen::from_value::<SiteConfig>(config) else {
        return skip("unreadable_config");
    };
    let Some(question_set) = config.question_set(stage_name).cloned() else {
        return skip("no_question_set");
    };
    if config.respect_privacy_signals && privacy::browser_sends_signal() {
        return skip("privacy_signal");
    }
    let Some(response_id) = response_id::new_response_id() else {
        return skip("no_randomness");
    };
    let locale = i18n::choose_locale(locale.as_deref().or(config.locale.as_deref()));
    let props = app::SurveyProps {
        response_id,
        collector,
        site,
        question_set: std::rc::Rc::new(question_set),
        locale,
        context: context_entries(&context),
        deliver,
        emit: emit.clone(),
    };
    match mount::mount_once(props, &config.theme) {
        Ok(()) => true,
        Err(reason) => skip(reason),
    }
}

/// Tells the store's listeners that no survey was shown, and why.
fn emit_skip(emit: &js_sys::Function, stage: &str, reason: &str) {
    let detail = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&detail, &"stage".into(), &stage.into());
    let _ = js_sys::Reflect::set(&detail, &"reason".into(), &reason.into());
    let _ = emit.call2(&JsValue::NULL, &"skip".into(), &detail);
}

/// The store's context object as string entries; numbers are kept, anything else is dropped.
fn context_entries(context: &JsValue) -> BTreeMap<String, String> {
    let Some(object) = context.dyn_ref::<js_sys::Object>() else {
        return BTreeMap::new();
    };
    js_sys::Object::entries(object)
        .iter()
        .filter_map(|entry| {
            let pair = js_sys::Array::from(&entry);
            let key = pair.get(0).as_string()?;
            let value = pair.get(1);
            // Formatted by JS, so a number reads as the store wrote it (1042, not 1042.0).
            let value = value.as_string().or_else(|| {
                value.as_f64()?;
                js_sys::Number::from(value)
                    .to_string_with_radix(10)
                    .ok()
                    .map(String::from)
            })?;
            Some((key, value))
        })
        .collect()
}
