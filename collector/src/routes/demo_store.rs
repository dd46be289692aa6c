//! The demo storefront (`www/store/`), compiled into the binary so `collector serve` shows it with
//! nothing else installed. Pages share one layout that carries the embed snippet, as a store's theme
//! template would; the order number is filled in server-side, as a store's checkout would.

use crate::AppState;
use crate::error::ApiError;
use axum::Router;
use axum::extract::{Path, Query};
use axum::http::{HeaderMap, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use serde::Deserialize;
use survey::validation::is_token;

const LAYOUT: &str = include_str!("../../../www/store/layout.html");
const STYLESHEET: &str = include_str!("../../../www/store/store.css");

/// Each page: its file name, its title and its body.
const PAGES: &[(&str, &str, &str)] = &[
    (
        "index.html",
        "Shop",
        include_str!("../../../www/store/index.html"),
    ),
    (
        "product.html",
        "Highland Morning",
        include_str!("../../../www/store/product.html"),
    ),
    (
        "cart.html",
        "Cart",
        include_str!("../../../www/store/cart.html"),
    ),
    (
        "order-confirmation.html",
        "Order confirmed",
        include_str!("../../../www/store/order-confirmation.html"),
    ),
    (
        "order-status.html",
        "Order status",
        include_str!("../../../www/store/order-status.html"),
    ),
    (
        "support.html",
        "Help",
        include_str!("../../../www/store/support.html"),
    ),
    (
        "returns.html",
        "Returns",
        include_str!("../../../www/store/returns.html"),
    ),
];

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(|| async { Redirect::to("/demo/") }))
        .route("/demo", get(|| async { Redirect::to("/demo/") }))
        .route(
            "/demo/",
            get(|headers: HeaderMap, query: Query<PageQuery>| {
                page(Path("index.html".into()), headers, query)
            }),
        )
        .route("/demo/{page}", get(page))
}

#[derive(Debug, Deserialize)]
struct PageQuery {
    order: Option<String>,
}

async fn page(
    Path(name): Path<String>,
    headers: HeaderMap,
    Query(query): Query<PageQuery>,
) -> Result<Response, ApiError> {
    if name == "store.css" {
        return Ok((
            [(header::CONTENT_TYPE, "text/css; charset=utf-8")],
            STYLESHEET,
        )
            .into_response());
    }
    let (_, title, body) = PAGES
        .iter()
        .find(|(file, _, _)| *file == name)
        .ok_or(ApiError::NotFound)?;
    let order = query
        .order
        .filter(|o| o.len() <= 32 && is_token(o))
        .unwrap_or_else(new_order_number);
    let html = LAYOUT
        .replace("{{TITLE}}", title)
        .replace("{{BODY}}", body)
        .replace("{{COLLECTOR}}", &super::collector_origin(&headers))
        .replace("{{ORDER}}", &order);
    Ok(Html(html).into_response())
}

/// A fresh order number per visit, so each demo checkout is a new order.
fn new_order_number() -> String {
    (1000 + crate::store::now_ms().rem_euclid(90_000)).to_string()
}
