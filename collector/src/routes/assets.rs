//! The loader (`/w.js`) and the content-hashed widget files, precompressed.

use crate::AppState;
use crate::error::ApiError;
use crate::error::ErrorBody;
use crate::widget_assets::{Asset, HASHED, LOADER};
use axum::extract::Path;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// Short, so a fix to the loader reaches every store within minutes.
const LOADER_CACHE: &str = "public, max-age=300";
/// Everything the loader points at is content-hashed, so it never changes under its name.
const IMMUTABLE_CACHE: &str = "public, max-age=31536000, immutable";

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(loader))
        .routes(routes!(hashed_asset))
        .layer(super::timing_allowed())
}

/// The loader the embed snippet points at; cached for minutes so fixes reach every store.
#[utoipa::path(get, path = "/w.js", tag = "widget",
    responses((status = 200, description = "The loader script (brotli or gzip when accepted)", content_type = "text/javascript"),
              (status = 304, description = "Not modified (If-None-Match)")))]
async fn loader(headers: HeaderMap) -> Response {
    serve(&LOADER, &headers)
}

/// A content-hashed widget file, cached for a year.
#[utoipa::path(get, path = "/assets/{file}", tag = "widget",
    params(("file" = String, Path, description = "`widget-<hash>.js` or `widget-<hash>.wasm`, as named by the loader")),
    responses((status = 200, description = "The file"), (status = 404, description = "No such file", body = ErrorBody)))]
async fn hashed_asset(Path(file): Path<String>, headers: HeaderMap) -> Result<Response, ApiError> {
    let path = format!("/assets/{file}");
    let asset = HASHED
        .iter()
        .find(|a| a.path == path)
        .ok_or(ApiError::NotFound)?;
    Ok(serve(asset, &headers))
}

/// The encodings we hold precompressed, best first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Encoding {
    Brotli,
    Gzip,
    Identity,
}

/// The best encoding the client accepts (a `q=0` entry refuses it).
fn negotiate(headers: &HeaderMap) -> Encoding {
    let accepted = |name: &str| {
        headers
            .get_all(header::ACCEPT_ENCODING)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .any(|entry| {
                let mut parts = entry.split(';').map(str::trim);
                let coding = parts.next().unwrap_or_default();
                let refused = parts.any(|p| {
                    p.strip_prefix("q=")
                        .and_then(|q| q.parse::<f32>().ok())
                        .is_some_and(|q| q <= 0.0)
                });
                coding.eq_ignore_ascii_case(name) && !refused
            })
    };
    if accepted("br") {
        Encoding::Brotli
    } else if accepted("gzip") {
        Encoding::Gzip
    } else {
        Encoding::Identity
    }
}

fn serve(asset: &Asset, headers: &HeaderMap) -> Response {
    let etag = format!("\"{}\"", asset.hash);
    let cache = if asset.immutable {
        IMMUTABLE_CACHE
    } else {
        LOADER_CACHE
    };
    let mut response = if if_none_match(headers, &etag) {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        let (body, encoding) = match negotiate(headers) {
            Encoding::Brotli => (asset.brotli, Some("br")),
            Encoding::Gzip => (asset.gzip, Some("gzip")),
            Encoding::Identity => (asset.identity, None),
        };
        let mut response = body.into_response();
        let h = response.headers_mut();
        h.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static(asset.content_type),
        );
        if let Some(encoding) = encoding {
            h.insert(header::CONTENT_ENCODING, HeaderValue::from_static(encoding));
        }
        response
    };
    let h = response.headers_mut();
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    h.insert(header::VARY, HeaderValue::from_static("Accept-Encoding"));
    // The widget is loaded with import() and fetch() from the store's origin: both need CORS.
    h.insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
    if let Ok(etag) = HeaderValue::from_str(&etag) {
        h.insert(header::ETAG, etag);
    }
    response
}

/// Whether the client's `If-None-Match` names `etag` (or `*`).
pub(super) fn if_none_match(headers: &HeaderMap, etag: &str) -> bool {
    headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|t| t.trim().trim_start_matches("W/"))
        .any(|t| t == etag || t == "*")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn accept(value: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(
            header::ACCEPT_ENCODING,
            HeaderValue::from_str(value).expect("ascii"),
        );
        h
    }

    #[test]
    fn brotli_is_preferred_then_gzip() {
        assert_eq!(
            negotiate(&accept("gzip, deflate, br, zstd")),
            Encoding::Brotli
        );
        assert_eq!(negotiate(&accept("gzip")), Encoding::Gzip);
        assert_eq!(negotiate(&accept("br;q=0, gzip;q=0.5")), Encoding::Gzip);
        assert_eq!(negotiate(&accept("identity")), Encoding::Identity);
        assert_eq!(negotiate(&HeaderMap::new()), Encoding::Identity);
    }
}
