//! Mounting the widget in a shadow root of its own, once per page view.

use crate::app::{Survey, SurveyProps};
use std::cell::Cell;
use wasm_bindgen::JsCast;
use web_sys::{ShadowRootInit, ShadowRootMode};

/// The widget's stylesheet, scoped by the shadow root.
const STYLES: &str = include_str!("styles.css");
/// The host element's tag: a custom element name, so host rules on `div` or `section` miss it.
const HOST_TAG: &str = "cx-survey";

thread_local! {
    static SHOWN: Cell<bool> = const { Cell::new(false) };
}

/// Mounts the survey unless one was already shown on this page; returns whether it mounted.
pub fn mount_once(props: SurveyProps) -> bool {
    if SHOWN.with(Cell::get) {
        return false;
    }
    let mounted = mount(props).is_some();
    SHOWN.with(|shown| shown.set(mounted));
    mounted
}

fn mount(props: SurveyProps) -> Option<()> {
    let document = web_sys::window()?.document()?;
    let body = document.body()?;
    let host = document.create_element(HOST_TAG).ok()?;
    let shadow = host
        .attach_shadow(&ShadowRootInit::new(ShadowRootMode::Open))
        .ok()?;
    let style = document.create_element("style").ok()?;
    style.set_text_content(Some(STYLES));
    shadow.append_child(&style).ok()?;
    let root = document.create_element("div").ok()?;
    shadow.append_child(&root).ok()?;
    body.append_child(&host).ok()?;
    yew::Renderer::<Survey>::with_root_and_props(root.unchecked_into(), props).render();
    Some(())
}
