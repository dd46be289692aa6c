//! `GET /s/{site}/{stage}`: the hosted survey page, for e-mail links. The same widget, through the
//! same loader, full-page on the collector's own origin; the link's query carries the context
//! (`?order=1042`), and optionally the language (`lang=pl`) and a first score (`score=9`, which the
//! widget records as soon as the page shows, so one click in the e-mail answers).

use crate::AppState;
use crate::error::ApiError;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::Html;
use axum::routing::get;
use std::collections::BTreeMap;
use survey::Stage;
use survey::validation::is_token;

const PAGE: &str = include_str!("../../../www/hosted/survey.html");

/// "We already have your answer", in the page's language (the widget's built-in languages).
fn already_answered(lang: &str) -> &'static str {
    match lang.split(['-', '_']).next().unwrap_or(lang) {
        "pt" => "<p role=\"status\">Obrigado! Já recebemos a sua resposta sobre este pedido.</p>",
        "pl" => {
            "<p role=\"status\">Dziękujemy! Mamy już Twoją odpowiedź w sprawie tego zamówienia.</p>"
        }
        _ => "<p role=\"status\">Thank you! We already have your answer about this order.</p>",
    }
}

/// Query keys that are not context.
const NOT_CONTEXT: [&str; 2] = ["score", "lang"];

pub(super) fn router() -> Router<AppState> {
    Router::new().route("/s/{site}/{stage}", get(page))
}

async fn page(
    State(state): State<AppState>,
    Path((site, stage)): Path<(String, String)>,
    Query(query): Query<BTreeMap<String, String>>,
) -> Result<Html<String>, ApiError> {
    let stage: Stage = stage.parse()?;
    let site = super::find_site(&state, &site).await?;
    let context: survey::small_map::SmallMap<String, String> = query
        .iter()
        .filter(|(key, _)| !NOT_CONTEXT.contains(&key.as_str()))
        .map(|(key, value)| (key.clone(), value.clone()))
        .collect();
    // Refused here, where the link's author sees it, rather than as answers the collector refuses.
    survey::validation::check_context(&context)?;
    let lang = query
        .get("lang")
        .filter(|l| l.len() <= 35 && is_token(l))
        .map(String::as_str);
    // A second answer for the order would be refused (one per order and stage), so a shopper who
    // already answered, on the store or from an earlier click, is thanked instead of asked.
    let answered = match context.get("order") {
        Some(order) => state.store.order_answered(&site.key, stage, order).await?,
        None => false,
    };
    let (scripts, message) = if answered {
        (String::new(), already_answered(lang.unwrap_or("en")))
    } else {
        let context = serde_json::to_string(&context).map_err(|e| ApiError::Internal(e.into()))?;
        let locale_call = lang.map_or_else(String::new, |l| format!("cx('locale', '{l}');"));
        let scripts = format!(
            "<script async src=\"/w.js\" data-site=\"{site}\"></script>\n\
             <script>window.cx=window.cx||function(){{(cx.q=cx.q||[]).push(arguments)}};\
             {locale_call}cx('show', '{stage}', {context}, 'hosted');</script>",
            site = site.key,
            stage = stage.as_str(),
            // JSON is JS; `<` escaped so no value can close the script element.
            context = context.replace('<', "\\u003c"),
        );
        (scripts, "")
    };
    let html = PAGE
        .replace("{{LANG}}", lang.unwrap_or("en"))
        .replace("{{SITE_NAME}}", &super::escape_html(&site.name))
        .replace("{{SURVEY_SCRIPTS}}", &scripts)
        .replace("{{ANSWERED}}", message);
    Ok(Html(html))
}
