//! `GET /v1/admin/sites/{site}/responses/export?format=csv|ndjson`: every answer, streamed.

use super::auth::Admin;
use super::sites::load;
use crate::AppState;
use crate::error::ErrorBody;
use crate::error::{ApiError, ApiQuery};
use crate::export::{Encoder, Format};
use crate::reports::Period;
use crate::store::ExportQuery;
use axum::body::{Body, Bytes};
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use futures_util::StreamExt;
use serde::Deserialize;
use survey::Stage;
use tokio_stream::wrappers::ReceiverStream;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// Chunks in flight between the database reader and the client: what bounds the memory an export
/// takes, whatever its size (this many chunks of about `CHUNK_BYTES`).
const CHUNKS_IN_FLIGHT: usize = 4;

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(export))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
struct ExportParams {
    format: Format,
    stage: Option<Stage>,
    /// First day (in the site's time zone); without from and to, everything.
    from: Option<String>,
    to: Option<String>,
}

/// Every answer, streamed: CSV (a row per answer) or NDJSON (a line per response).
#[utoipa::path(get, path = "/sites/{site}/responses/export", tag = "export", security(("bearer" = [])), params(("site" = String, Path, description = "The site's key"), ExportParams),
    responses((status = 200, description = "text/csv or application/x-ndjson, streamed"), (status = 401, description = "unauthorized", body = ErrorBody), (status = 403, description = "forbidden: the token does not cover this site", body = ErrorBody),
              (status = 400, description = "invalid_query", body = ErrorBody)))]
async fn export(
    State(state): State<AppState>,
    admin: Admin,
    Path(key): Path<String>,
    ApiQuery(params): ApiQuery<ExportParams>,
) -> Result<Response, ApiError> {
    admin.check_site(&key)?;
    let site = load(&state, &key).await?;
    let (from_ms, to_ms) = if params.from.is_none() && params.to.is_none() {
        (i64::MIN, i64::MAX)
    } else {
        Period::parse(
            &site.time_zone,
            params.from.as_deref(),
            params.to.as_deref(),
            jiff::Timestamp::now(),
        )
        .and_then(|p| p.bounds_ms())
        .map_err(ApiError::InvalidQuery)?
    };
    let query = ExportQuery {
        stage: params.stage,
        from_ms,
        to_ms,
    };
    let format = params.format;
    let (chunks, body) =
        tokio::sync::mpsc::channel::<Result<Bytes, std::io::Error>>(CHUNKS_IN_FLIGHT);
    let store = state.store.clone();
    let site_key = site.key.clone();
    tokio::spawn(async move {
        let mut rows = store.export_rows(&site_key, &query);
        let mut encoder = Encoder::new(format);
        while let Some(row) = rows.next().await {
            let chunk = match row {
                Ok(row) => encoder.push(row),
                Err(error) => {
                    // The status line is already sent: cutting the body short is how the client
                    // learns the export is incomplete.
                    tracing::error!(%error, "export failed");
                    let _ = chunks
                        .send(Err(std::io::Error::other("export failed")))
                        .await;
                    return;
                }
            };
            if let Some(chunk) = chunk
                && chunks.send(Ok(Bytes::from(chunk))).await.is_err()
            {
                return; // The client went away.
            }
        }
        let _ = chunks.send(Ok(Bytes::from(encoder.finish()))).await;
    });
    let filename = format!("{}-responses.{}", site.key, format.extension());
    Ok((
        [
            (header::CONTENT_TYPE, format.content_type().to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{filename}\""),
            ),
        ],
        Body::from_stream(ReceiverStream::new(body)),
    )
        .into_response())
}
