//! `GET /api/openapi.json`: the OpenAPI 3 description of the JSON API, written by hand in
//! `assets/openapi.json`.

use axum::http::header::CONTENT_TYPE;
use axum::http::HeaderValue;
use axum::response::{IntoResponse, Response};

const OPENAPI: &str = include_str!("../../assets/openapi.json");

pub async fn openapi() -> Response {
    let mut response = OPENAPI.into_response();
    response.headers_mut().insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn is_json_and_every_error_is_code_and_message() {
        let spec: serde_json::Value = serde_json::from_str(OPENAPI).expect("valid JSON");
        assert!(spec["openapi"].as_str().is_some_and(|v| v.starts_with("3.")));
        let required = &spec["components"]["schemas"]["Error"]["required"];
        assert_eq!(required, &serde_json::json!(["code", "message"]));
        for (path, item) in spec["paths"].as_object().expect("paths") {
            for (method, operation) in item.as_object().expect("operations") {
                for (status, answer) in operation["responses"].as_object().expect("responses") {
                    if status.starts_with('4') || status.starts_with('5') {
                        let schema = answer.pointer("/content/application~1json/schema/$ref");
                        let reference = answer.get("$ref");
                        assert!(
                            schema.is_some_and(|s| s == "#/components/schemas/Error")
                                || reference.is_some_and(|r| r
                                    .as_str()
                                    .is_some_and(|r| r.starts_with("#/components/responses/"))),
                            "{method} {path} {status} is not an Error"
                        );
                    }
                }
            }
        }
    }
}
