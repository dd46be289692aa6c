//! `GET /v1/admin/sites/{site}/email-links/{stage}`: an e-mail snippet with one link per score of
//! the stage's first question. Each link opens the hosted survey page, which records that score at
//! once and asks the rest (the comment), so one click in the e-mail is an answer.

use super::auth::Admin;
use super::sites::load;
use crate::AppState;
use crate::error::{ApiError, ApiQuery, ErrorBody};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use serde::{Deserialize, Serialize};
use survey::{QuestionSet, Stage};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(email_links))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
struct LinkOptions {
    /// The links' context, as the e-mail tool's placeholders, e.g. `order={{ order.name }}`
    /// (default `order={{order}}`, or `ticket={{ticket}}` for support); put in the links as written.
    context: Option<String>,
    /// The language of the question and of the page (default `en`).
    lang: Option<String>,
    /// The collector's public address (default: the one this request came to).
    base: Option<String>,
}

/// The snippet, and each link on its own.
#[derive(Debug, Serialize, utoipa::ToSchema)]
struct EmailLinks {
    /// HTML for the e-mail's body: the question and a row of score links, inline-styled.
    html: String,
    /// One link per score, lowest first.
    links: Vec<ScoreLink>,
}

/// One score's link.
#[derive(Debug, Serialize, utoipa::ToSchema)]
struct ScoreLink {
    score: i64,
    url: String,
}

/// An e-mail snippet with one link per score of the stage's first question (NPS, CSAT or CES);
/// a click records the score and opens the hosted page for the rest.
#[utoipa::path(get, path = "/sites/{site}/email-links/{stage}", tag = "question sets", security(("bearer" = [])),
    params(("site" = String, Path, description = "The site's key"), ("stage" = String, Path, description = "The stage"), LinkOptions),
    responses((status = 200, body = EmailLinks), (status = 401, description = "unauthorized", body = ErrorBody), (status = 403, description = "forbidden: the token does not cover this site", body = ErrorBody),
              (status = 404, description = "site_not_found, unknown_stage, question_set_not_found (no published set)", body = ErrorBody),
              (status = 400, description = "invalid_query: the first question is not a scale, or a bad lang", body = ErrorBody)))]
async fn email_links(
    State(state): State<AppState>,
    admin: Admin,
    headers: HeaderMap,
    Path((key, stage)): Path<(String, String)>,
    ApiQuery(options): ApiQuery<LinkOptions>,
) -> Result<Json<EmailLinks>, ApiError> {
    admin.check_site(&key)?;
    let stage: Stage = stage.parse()?;
    let site = load(&state, &key).await?;
    let set = state
        .store
        .published_question_sets(&site.key)
        .await?
        .into_iter()
        .find(|set| set.stage == stage)
        .ok_or(ApiError::QuestionSetNotFound { stage, version: 0 })?;
    let lang = options.lang.unwrap_or_else(|| "en".into());
    if lang.len() > 35 || !survey::validation::is_token(&lang) {
        return Err(ApiError::InvalidQuery(format!(
            "lang: {lang:?} is not a language tag"
        )));
    }
    let context = options.context.unwrap_or_else(|| match stage {
        Stage::Support => "ticket={{ticket}}".into(),
        _ => "order={{order}}".into(),
    });
    let base = options
        .base
        .unwrap_or_else(|| crate::routes::collector_origin(&headers));
    let base = base.trim_end_matches('/');
    Ok(Json(snippet(&set, &site.key, base, &context, &lang)?))
}

/// The snippet for `set`'s first question.
fn snippet(
    set: &QuestionSet,
    site: &str,
    base: &str,
    context: &str,
    lang: &str,
) -> Result<EmailLinks, ApiError> {
    let question = set
        .questions
        .first()
        .ok_or_else(|| ApiError::InvalidQuery("the question set is empty".into()))?;
    let (low, high) = question.kind.scale().ok_or_else(|| {
        ApiError::InvalidQuery(format!(
            "the first {} question ({:?}) is not a scale (NPS, CSAT or CES), so it has no scores \
             to link",
            set.stage, question.id
        ))
    })?;
    let stage = set.stage;
    let links: Vec<ScoreLink> = (low..=high)
        .map(|score| ScoreLink {
            score,
            url: format!("{base}/s/{site}/{stage}?{context}&lang={lang}&score={score}"),
        })
        .collect();
    let cells: String = links
        .iter()
        .map(|link| {
            format!(
                "<td style=\"padding:2px\"><a href=\"{}\" style=\"display:inline-block;\
                 min-width:28px;padding:8px 4px;border:1px solid #c9d1d9;border-radius:4px;\
                 text-align:center;text-decoration:none;color:#1b1f24;font:14px Arial,sans-serif\">{}</a></td>",
                crate::routes::escape_html(&link.url),
                link.score
            )
        })
        .collect();
    let html = format!(
        "<table role=\"presentation\" cellpadding=\"0\" cellspacing=\"0\" border=\"0\">\
         <tr><td colspan=\"{}\" style=\"padding:0 0 8px;font:16px Arial,sans-serif;color:#1b1f24\">{}</td></tr>\
         <tr>{cells}</tr></table>",
        links.len(),
        crate::routes::escape_html(question.text.get(lang))
    );
    Ok(EmailLinks { html, links })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_link_per_score_of_the_first_question() {
        let set = survey::defaults::question_set(Stage::Delivery);
        let links = snippet(&set, "demo", "https://cx.example", "order={{order}}", "pl")
            .expect("NPS is a scale");
        assert_eq!(links.links.len(), 11);
        assert_eq!(
            links.links[9].url,
            "https://cx.example/s/demo/delivery?order={{order}}&lang=pl&score=9"
        );
        assert!(links.html.contains("&amp;score=10\""), "{}", links.html);
        assert!(
            links.html.contains("Jak prawdopodobne"),
            "the Polish question: {}",
            links.html
        );
        let browsing = survey::defaults::question_set(Stage::Browsing);
        assert!(
            snippet(&browsing, "demo", "", "", "en").is_err(),
            "yes/no has no scores"
        );
    }
}
