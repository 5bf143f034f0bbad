//! The static files of the web side, built into the binary: the page's stylesheet and script, the
//! embeddable widget (`/widget.js` and its stylesheet) and the icon.

use axum::extract::Path;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::http::HeaderValue;
use axum::response::{IntoResponse, Response};

use crate::error::ApiError;

/// How long browsers may reuse an asset, in seconds.
const CACHE_SECONDS: &str = "public, max-age=300";

/// One built-in file.
struct Asset {
    body: &'static str,
    content_type: &'static str,
}

fn asset(name: &str) -> Option<Asset> {
    let (body, content_type) = match name {
        "kho.css" => (include_str!("../../assets/kho.css"), "text/css; charset=utf-8"),
        "kho.js" => (include_str!("../../assets/kho.js"), "text/javascript; charset=utf-8"),
        "admin.js" => (include_str!("../../assets/admin.js"), "text/javascript; charset=utf-8"),
        "widget.css" => (include_str!("../../assets/widget.css"), "text/css; charset=utf-8"),
        "widget.js" => (include_str!("../../assets/widget.js"), "text/javascript; charset=utf-8"),
        "favicon.svg" => (include_str!("../../assets/favicon.svg"), "image/svg+xml"),
        _ => return None,
    };
    Some(Asset { body, content_type })
}

fn respond(asset: Asset) -> Response {
    let mut response = asset.body.into_response();
    let headers = response.headers_mut();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static(asset.content_type));
    headers.insert(CACHE_CONTROL, HeaderValue::from_static(CACHE_SECONDS));
    response
}

/// The built-in file `name`, or 404.
fn answer(name: &str) -> Result<Response, ApiError> {
    asset(name).map(respond).ok_or_else(|| ApiError::not_found("not_found", "Không có tệp này / no such file"))
}

/// `GET /assets/{name}`.
pub async fn asset_file(Path(name): Path<String>) -> Result<Response, ApiError> {
    answer(&name)
}

/// `GET /widget.js`: the script another site includes to embed a Kho search box.
pub async fn widget_script() -> Result<Response, ApiError> {
    answer("widget.js")
}
