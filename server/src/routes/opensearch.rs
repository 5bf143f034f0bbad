//! `GET /opensearch.xml`: the OpenSearch description that lets a browser add Kho as a search engine,
//! with suggestions from `/api/suggest?format=opensearch`.
//!
//! Its URLs must be absolute; they are built from the request's `Host` (and `X-Forwarded-Proto` behind
//! a TLS proxy), checked to be a plain host name or address and escaped.

use axum::http::header::{CONTENT_TYPE, HOST};
use axum::http::{HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};

use crate::render::escape;

/// The `Content-Type` of an OpenSearch description.
pub const OPENSEARCH_TYPE: &str = "application/opensearchdescription+xml";

pub async fn description(headers: HeaderMap) -> Response {
    let base = escape(&public_base(&headers));
    let xml = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<OpenSearchDescription xmlns="http://a9.com/-/spec/opensearch/1.1/" xmlns:moz="http://www.mozilla.org/2006/browser/search/">
  <ShortName>Kho</ShortName>
  <Description>Tìm trong kho tài liệu sản xuất sạch hơn (SXSH)</Description>
  <Tags>sản xuất sạch hơn SXSH tài liệu</Tags>
  <InputEncoding>UTF-8</InputEncoding>
  <OutputEncoding>UTF-8</OutputEncoding>
  <Language>vi</Language>
  <Image width="64" height="64" type="image/svg+xml">{base}/assets/favicon.svg</Image>
  <Url type="text/html" method="get" template="{base}/?q={{searchTerms}}"/>
  <Url type="application/x-suggestions+json" method="get" template="{base}/api/suggest?q={{searchTerms}}&amp;format=opensearch"/>
  <Url type="{OPENSEARCH_TYPE}" rel="self" template="{base}/opensearch.xml"/>
  <moz:SearchForm>{base}/</moz:SearchForm>
</OpenSearchDescription>
"#
    );
    let mut response = xml.into_response();
    response.headers_mut().insert(CONTENT_TYPE, HeaderValue::from_static(OPENSEARCH_TYPE));
    response
}

/// `scheme://host[:port]` this server was reached at.
fn public_base(headers: &HeaderMap) -> String {
    let host = headers
        .get(HOST)
        .and_then(|v| v.to_str().ok())
        .filter(|h| !h.is_empty() && h.chars().all(|c| c.is_ascii_alphanumeric() || "-.:[]".contains(c)))
        .unwrap_or("localhost");
    let https = headers.get("x-forwarded-proto").and_then(|v| v.to_str().ok()).is_some_and(|p| p == "https");
    format!("{}://{host}", if https { "https" } else { "http" })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_comes_from_a_checked_host() {
        let mut headers = HeaderMap::new();
        assert_eq!(public_base(&headers), "http://localhost");
        headers.insert(HOST, HeaderValue::from_static("kho.example.gov.vn:8080"));
        assert_eq!(public_base(&headers), "http://kho.example.gov.vn:8080");
        headers.insert("x-forwarded-proto", HeaderValue::from_static("https"));
        assert_eq!(public_base(&headers), "https://kho.example.gov.vn:8080");
        headers.insert(HOST, HeaderValue::from_static("evil\"><x"));
        assert_eq!(public_base(&headers), "https://localhost");
    }
}
