//! Reports and comments of a site: `/v1/admin/sites/{site}/reports/...` and `/comments`.

use super::auth::Admin;
use super::sites::load;
use crate::AppState;
use crate::error::ErrorBody;
use crate::error::{ApiError, ApiQuery};
use crate::reports::{self, Grain, JourneyReport, Period, StageReport};
use crate::store::{Comment, CommentQuery, Site};
use axum::Json;
use axum::extract::{Path, State};
use serde::{Deserialize, Serialize};
use survey::Stage;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The most comments one page returns.
const MAX_PAGE: i64 = 200;
/// Comments per page when the request names no limit.
const DEFAULT_PAGE: i64 = 50;

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(journey))
        .routes(routes!(stage))
        .routes(routes!(comments))
}

/// `from` and `to` (ISO dates, inclusive, in the site's time zone) and the series' grain.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
struct RangeParams {
    from: Option<String>,
    to: Option<String>,
    #[serde(default)]
    grain: Grain,
}

/// The site (checked against the token), the report's period in its time zone, and that period as
/// Unix milliseconds.
async fn site_and_period(
    state: &AppState,
    admin: &Admin,
    key: &str,
    from: Option<&str>,
    to: Option<&str>,
) -> Result<(Site, Period, (i64, i64)), ApiError> {
    admin.check_site(key)?;
    let site = load(state, key).await?;
    let period = Period::parse(&site.time_zone, from, to, jiff::Timestamp::now())
        .map_err(ApiError::InvalidQuery)?;
    let bounds = period.bounds_ms().map_err(ApiError::InvalidQuery)?;
    Ok((site, period, bounds))
}

/// Every stage side by side, and the weakest.
#[utoipa::path(get, path = "/sites/{site}/reports/journey", tag = "reports", security(("bearer" = [])), params(("site" = String, Path, description = "The site's key"), RangeParams),
    responses((status = 200, body = JourneyReport), (status = 401, description = "unauthorized", body = ErrorBody), (status = 403, description = "forbidden: the token does not cover this site", body = ErrorBody), (status = 400, description = "invalid_query", body = ErrorBody)))]
async fn journey(
    State(state): State<AppState>,
    admin: Admin,
    Path(key): Path<String>,
    ApiQuery(params): ApiQuery<RangeParams>,
) -> Result<Json<JourneyReport>, ApiError> {
    let (site, period, (from_ms, to_ms)) = site_and_period(
        &state,
        &admin,
        &key,
        params.from.as_deref(),
        params.to.as_deref(),
    )
    .await?;
    let counts = state.store.score_counts(&site.key, from_ms, to_ms).await?;
    Ok(Json(reports::journey_report(&site, &period, &counts)))
}

/// One stage: each scale question's score, distribution, series and breakdowns.
#[utoipa::path(get, path = "/sites/{site}/reports/stages/{stage}", tag = "reports", security(("bearer" = [])),
    params(("site" = String, Path, description = "The site's key"), ("stage" = String, Path, description = "browsing, checkout, delivery, support or returns"), RangeParams),
    responses((status = 200, body = StageReport), (status = 401, description = "unauthorized", body = ErrorBody), (status = 403, description = "forbidden: the token does not cover this site", body = ErrorBody), (status = 400, description = "invalid_query", body = ErrorBody)))]
async fn stage(
    State(state): State<AppState>,
    admin: Admin,
    Path((key, stage)): Path<(String, String)>,
    ApiQuery(params): ApiQuery<RangeParams>,
) -> Result<Json<StageReport>, ApiError> {
    let (site, period, (from_ms, to_ms)) = site_and_period(
        &state,
        &admin,
        &key,
        params.from.as_deref(),
        params.to.as_deref(),
    )
    .await?;
    let stage: Stage = stage.parse()?;
    let counts = state.store.score_counts(&site.key, from_ms, to_ms).await?;
    Ok(Json(reports::stage_report(
        &site,
        &period,
        params.grain,
        stage,
        &counts,
    )))
}

/// Filters of the comment list.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
struct CommentParams {
    from: Option<String>,
    to: Option<String>,
    stage: Option<Stage>,
    /// Text the comment contains.
    q: Option<String>,
    /// With `min_score`/`max_score`: the scale question whose answer must be in range.
    question: Option<String>,
    min_score: Option<i64>,
    max_score: Option<i64>,
    limit: Option<i64>,
    /// The `next` of the previous page.
    after: Option<String>,
}

/// One page of comments.
#[derive(Debug, Serialize, utoipa::ToSchema)]
struct CommentPage {
    comments: Vec<Comment>,
    /// Pass as `after` for the next page; absent on the last page.
    next: Option<String>,
}

/// Comments, newest first, with their response's scores; page with `next`.
#[utoipa::path(get, path = "/sites/{site}/comments", tag = "reports", security(("bearer" = [])), params(("site" = String, Path, description = "The site's key"), CommentParams),
    responses((status = 200, body = CommentPage), (status = 401, description = "unauthorized", body = ErrorBody), (status = 403, description = "forbidden: the token does not cover this site", body = ErrorBody), (status = 400, description = "invalid_query", body = ErrorBody)))]
async fn comments(
    State(state): State<AppState>,
    admin: Admin,
    Path(key): Path<String>,
    ApiQuery(params): ApiQuery<CommentParams>,
) -> Result<Json<CommentPage>, ApiError> {
    let (site, _, (from_ms, to_ms)) = site_and_period(
        &state,
        &admin,
        &key,
        params.from.as_deref(),
        params.to.as_deref(),
    )
    .await?;
    let limit = params.limit.unwrap_or(DEFAULT_PAGE);
    if !(1..=MAX_PAGE).contains(&limit) {
        return Err(ApiError::InvalidQuery(format!(
            "limit must be 1 to {MAX_PAGE}"
        )));
    }
    if (params.min_score.is_some() || params.max_score.is_some()) && params.question.is_none() {
        return Err(ApiError::InvalidQuery(
            "min_score and max_score need question (the scale question they apply to)".into(),
        ));
    }
    let after = params.after.as_deref().map(parse_cursor).transpose()?;
    let query = CommentQuery {
        stage: params.stage,
        from_ms,
        to_ms,
        search: params.q.filter(|q| !q.trim().is_empty()),
        score_question: params.question,
        min_score: params.min_score.unwrap_or(i64::MIN),
        max_score: params.max_score.unwrap_or(i64::MAX),
        // One more than asked tells whether there is a next page.
        limit: limit + 1,
        after,
    };
    let mut comments = state.store.comments(&site.key, &query).await?;
    let next = if comments.len() as i64 > limit {
        comments.truncate(limit as usize);
        comments
            .last()
            .map(|c| format!("{}~{}", c.received_at_ms, c.response_id))
    } else {
        None
    };
    Ok(Json(CommentPage { comments, next }))
}

/// `received_at_ms~response_id`, as made by [`comments`].
fn parse_cursor(cursor: &str) -> Result<(i64, String), ApiError> {
    cursor
        .split_once('~')
        .and_then(|(ms, id)| Some((ms.parse().ok()?, id.to_owned())))
        .ok_or_else(|| {
            ApiError::InvalidQuery(format!("after: {cursor:?} is not a cursor from `next`"))
        })
}
