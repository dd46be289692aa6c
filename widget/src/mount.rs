//! Mounting the widget in a shadow root of its own, and remembering that this page has one.

use crate::app::{Survey, SurveyProps};
use std::cell::Cell;
use survey::Theme;
use survey::theme::{Corner, Font, Mode};
use wasm_bindgen::JsCast;
use web_sys::{HtmlElement, ShadowRootInit, ShadowRootMode};

/// The widget's stylesheet, scoped by the shadow root.
const STYLES: &str = include_str!("styles.css");
/// The host element's tag: a custom element name, so host rules on `div` or `section` miss it.
const HOST_TAG: &str = "cx-survey";

thread_local! {
    static SHOWN: Cell<bool> = const { Cell::new(false) };
}

/// Whether a survey was already shown on this page.
pub fn shown_on_page() -> bool {
    SHOWN.with(Cell::get)
}

/// Mounts the survey and remembers that this page has shown one (the `one_per_page` rule, which
/// the caller has evaluated, reads it); the error says why it could not.
pub fn mount_survey(props: SurveyProps, theme: &Theme) -> Result<(), &'static str> {
    mount(props, theme).ok_or("mount_failed")?;
    SHOWN.with(|shown| shown.set(true));
    Ok(())
}

fn mount(props: SurveyProps, theme: &Theme) -> Option<()> {
    let window = web_sys::window()?;
    let document = window.document()?;
    let body = document.body()?;
    let host: HtmlElement = document.create_element(HOST_TAG).ok()?.dyn_into().ok()?;
    apply_theme(&window, &body, &host, theme);
    // Inline in the store's container when it names one that is on this page; else the popover.
    let container = Some(theme.container.as_str())
        .filter(|selector| !selector.is_empty())
        .and_then(|selector| document.query_selector(selector).ok().flatten());
    let placement = match (&container, theme.corner) {
        (Some(_), _) => "inline",
        (None, Corner::Right) => "right",
        (None, Corner::Left) => "left",
    };
    let _ = host.set_attribute("data-placement", placement);
    let shadow = host
        .attach_shadow(&ShadowRootInit::new(ShadowRootMode::Open))
        .ok()?;
    adopt_styles(&document, &shadow)?;
    let root = document.create_element("div").ok()?;
    shadow.append_child(&root).ok()?;
    match container {
        Some(container) => container.append_child(&host).ok()?,
        None => body.append_child(&host).ok()?,
    };
    yew::Renderer::<Survey>::with_root_and_props(root.unchecked_into(), props).render();
    Some(())
}

/// Gives the shadow root its stylesheet as a constructed sheet: unlike a `<style>` element, it is
/// not inline style to a Content-Security-Policy, so stores with a strict `style-src` need no
/// `'unsafe-inline'`. Browsers without constructed sheets get the `<style>` element.
fn adopt_styles(document: &web_sys::Document, shadow: &web_sys::ShadowRoot) -> Option<()> {
    if let Ok(sheet) = web_sys::CssStyleSheet::new()
        && sheet.replace_sync(STYLES).is_ok()
    {
        shadow.set_adopted_style_sheets(&js_sys::Array::of1(&sheet));
        return Some(());
    }
    let style = document.create_element("style").ok()?;
    style.set_text_content(Some(STYLES));
    shadow.append_child(&style).ok()?;
    Some(())
}

/// Sets the theme as custom properties on the host, which the shadow root's stylesheet reads. The
/// `all: initial` that shields the widget from the page also cuts off the page's font, so
/// "inherit" copies the page's computed font family.
fn apply_theme(window: &web_sys::Window, body: &HtmlElement, host: &HtmlElement, theme: &Theme) {
    let style = host.style();
    let _ = style.set_property("--cx-brand", &theme.brand);
    let _ = style.set_property("--cx-on-brand", theme.on_brand());
    let _ = style.set_property("--cx-radius", &format!("{}px", theme.radius));
    if theme.font == Font::Inherit
        && let Ok(Some(page)) = window.get_computed_style(body)
        && let Ok(family) = page.get_property_value("font-family")
        && !family.is_empty()
    {
        let _ = style.set_property("--cx-font", &family);
    }
    let mode = match theme.mode {
        Mode::Light => "light",
        Mode::Dark => "dark",
        Mode::Auto => "auto",
    };
    let _ = host.set_attribute("data-mode", mode);
}
