//! The survey widget shoppers see: a Yew app compiled to WebAssembly.
//!
//! The loader (`loader/w.js`) imports this module only once a survey is due, fetches the site's
//! config alongside, and calls [`show`]. The widget renders in a shadow root of its own, so the
//! store's CSS cannot reach it and its CSS cannot leak out, and hands each answer back to the loader,
//! which queues and sends it. Nothing here may throw into the host page: every failure means
//! "no survey".

pub mod app;
pub mod components;
pub mod debug;
pub mod history;
pub mod hosted;
pub mod i18n;
pub mod js_json;
pub mod mount;
pub mod privacy;
pub mod response_id;
pub mod state;

/// The allocator: talc instead of Rust's default dlmalloc, for about 1.5 KB less wasm (brotli) and
/// faster allocation; the widget is single-threaded, as the wasm build without atomics is.
#[cfg(all(target_family = "wasm", not(target_feature = "atomics")))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();
use survey::Stage;
use survey::eligibility::{self, Moment};
use wasm_bindgen::prelude::*;

/// Shows the survey of `stage` from `config` (the site's public config) if the etiquette allows,
/// and returns whether it did.
///
/// `context` is what the store passed with the stage (`{order: '1042'}`); `locale` is the store's
/// `cx('locale', ...)`, if any; `trigger` names the browsing trigger that fired; `forced` is set by
/// `cx('show', ...)`, which waives the etiquette; `deliver(key, body)` is the loader's function
/// that queues a response's JSON under `key` and sends it to `collector`; `emit(name, detail)`
/// tells the store's `cx('on', ...)` listeners.
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
    trigger: Option<String>,
    forced: bool,
    deliver: js_sys::Function,
    emit: js_sys::Function,
) -> bool {
    // Every way of showing nothing is announced to the store's `cx('on', 'skip', fn)` listeners,
    // so "why did it not show?" has an answer.
    let skip = |reason: &str| {
        emit_skip(&emit, &stage, reason);
        if debug::enabled() {
            debug::print(&stage, &[], &format!("not shown ({reason})"));
        }
        false
    };
    let Ok(stage_name) = stage.parse::<Stage>() else {
        return skip("unknown_stage");
    };
    let Some(config) = survey::decode::site_config(&js_json::Json(config)) else {
        return skip("unreadable_config");
    };
    // The collector's hosted page (an e-mail link) marks its call so: the survey goes in the page's
    // own container, and a score in the link answers the first question.
    let hosted = trigger.as_deref() == Some(hosted::TRIGGER);
    let Some(visitor) = history::visitor_id() else {
        return skip("no_randomness");
    };
    let context = context_entries(&context);
    let now = js_sys::Date::now() as i64;
    let visit_started = history::visit_started(now);
    let path = web_sys::window()
        .and_then(|w| w.location().pathname().ok())
        .unwrap_or_default();
    let moment = Moment {
        stage: stage_name,
        now,
        visit_started,
        path: &path,
        order: context.get("order").map(String::as_str),
        visitor: &visitor,
        trigger: trigger.as_deref(),
        privacy_signal: privacy::browser_sends_signal(),
        shown_on_page: mount::shown_on_page(),
        forced,
        opened_by_shopper: hosted,
    };
    let mut remembered = history::load();
    let verdicts = eligibility::evaluate(&config, &remembered, &moment);
    let refusal = eligibility::first_refusal(&verdicts);
    if debug::enabled() {
        let outcome = refusal.map_or_else(|| "shown".to_owned(), |r| format!("not shown ({r})"));
        debug::print(&stage, &verdicts, &outcome);
    }
    if let Some(reason) = refusal {
        if stage_name == Stage::Browsing
            && let Some(until) = eligibility::quiet_until(&verdicts)
        {
            history::quiet_browsing_until(until);
        }
        emit_skip(&emit, &stage, reason);
        return false;
    }
    let Some(question_set) = config.question_set(stage_name).cloned() else {
        return skip("no_question_set");
    };
    let Some(response_id) = response_id::new_response_id() else {
        return skip("no_randomness");
    };
    let locale = i18n::choose_locale(locale.as_deref().or(config.locale.as_deref()));
    // The visitor id travels only where it is the sampling key, so the collector can check the draw.
    let visitor = (!context.contains_key("order")).then_some(visitor);
    let preset = if hosted {
        hosted::preset_answer(&question_set)
    } else {
        None
    };
    let mut theme = config.theme;
    if hosted {
        theme.container = hosted::CONTAINER.into();
    }
    let props = app::SurveyProps {
        preset,
        response_id,
        collector,
        site,
        question_set: std::rc::Rc::new(question_set),
        locale,
        context,
        visitor,
        deliver,
        emit: emit.clone(),
    };
    match mount::mount_survey(props, &theme) {
        Ok(()) => {
            remembered.record_shown(visit_started);
            history::save(&remembered);
            // One survey per visit: no browsing survey for the rest of it.
            history::quiet_browsing_until(now + eligibility::VISIT_IDLE_MS);
            true
        }
        Err(reason) => {
            emit_skip(&emit, &stage, reason);
            false
        }
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
fn context_entries(context: &JsValue) -> survey::small_map::SmallMap<String, String> {
    let mut entries = survey::small_map::SmallMap::new();
    let Some(object) = context.dyn_ref::<js_sys::Object>() else {
        return entries;
    };
    for entry in js_sys::Object::entries(object).iter() {
        let pair = js_sys::Array::from(&entry);
        let (Some(key), value) = (pair.get(0).as_string(), pair.get(1)) else {
            continue;
        };
        // Formatted by JS, so a number reads as the store wrote it (1042, not 1042.0).
        let value = value.as_string().or_else(|| {
            value.as_f64()?;
            js_sys::Number::from(value)
                .to_string_with_radix(10)
                .ok()
                .map(String::from)
        });
        if let Some(value) = value {
            entries.insert(key, value);
        }
    }
    entries
}
