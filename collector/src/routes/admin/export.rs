//! `GET /v1/admin/sites/{site}/responses/export?format=csv|ndjson`: every answer, streamed.

use super::auth::Admin;
use super::sites::load;
use crate::AppState;
use crate::error::{ApiError, ApiQuery};
use crate::export::{Encoder, Format};
use crate::reports::Period;
use crate::store::ExportQuery;
use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use futures_util::StreamExt;
use serde::Deserialize;
use survey::Stage;
use tokio_stream::wrappers::ReceiverStream;

/// Chunks in flight between the database reader and the client: what bounds the memory an export
/// takes, whatever its size (this many chunks of about `CHUNK_BYTES`).
const CHUNKS_IN_FLIGHT: usize = 4;

pub(super) fn router() -> Router<AppState> {
    Router::new().route("/sites/{site}/responses/export", get(export))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ExportParams {
    format: Format,
    stage: Option<Stage>,
    /// First day (in the site's time zone); without from and to, everything.
    from: Option<String>,
    to: Option<String>,
}

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
