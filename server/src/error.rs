//! The API's one error type: every error is `{"code": "...", "message": "..."}` with a stable code.
//! Internal details are logged, never returned.

use axum::extract::rejection::QueryRejection;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use kho_core::query::QueryError;
use kho_core::search::SearchError;
use serde::Serialize;

/// An error answered to an API client.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
}

/// The JSON body of an error.
#[derive(Debug, Serialize)]
pub struct ErrorBody<'a> {
    pub code: &'a str,
    pub message: &'a str,
}

impl ApiError {
    /// An error with this status, code and message.
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError { status, code, message: message.into() }
    }

    pub fn bad_request(code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError { status: StatusCode::BAD_REQUEST, code, message: message.into() }
    }

    pub fn not_found(code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError { status: StatusCode::NOT_FOUND, code, message: message.into() }
    }

    /// 503: the server cannot serve this yet (still starting).
    pub fn unavailable(code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError { status: StatusCode::SERVICE_UNAVAILABLE, code, message: message.into() }
    }

    /// A failure on our side: the details go to the log, the client gets a generic message.
    pub fn internal(error: &(dyn std::error::Error + 'static)) -> ApiError {
        let mut chain = error.to_string();
        let mut source = error.source();
        while let Some(cause) = source {
            chain.push_str(": ");
            chain.push_str(&cause.to_string());
            source = cause.source();
        }
        tracing::error!(error = %chain, "internal error");
        ApiError {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            code: "internal_error",
            message: "Lỗi máy chủ, xin thử lại sau / internal server error, please try again later".to_owned(),
        }
    }
}

impl From<QueryError> for ApiError {
    fn from(error: QueryError) -> ApiError {
        ApiError::bad_request(error.code, error.message)
    }
}

impl From<SearchError> for ApiError {
    fn from(error: SearchError) -> ApiError {
        match error {
            SearchError::BadRequest(query_error) => query_error.into(),
            SearchError::Index(index_error) => ApiError::internal(&index_error),
        }
    }
}

/// A query string that does not parse into the handler's parameters.
impl From<kho_cluster::ClusterError> for ApiError {
    fn from(error: kho_cluster::ClusterError) -> ApiError {
        match error {
            kho_cluster::ClusterError::Search(search) => search.into(),
            kho_cluster::ClusterError::Unavailable { .. } | kho_cluster::ClusterError::Partial { .. } => {
                tracing::error!(error = %error, "search cluster unavailable");
                ApiError::unavailable(
                    "cluster_unavailable",
                    "Cụm tìm kiếm không trả lời / the search cluster does not answer",
                )
            }
            other => ApiError::internal(&other),
        }
    }
}

impl From<QueryRejection> for ApiError {
    fn from(error: QueryRejection) -> ApiError {
        ApiError::bad_request("bad_query_string", error.body_text())
    }
}

impl From<tokio::task::JoinError> for ApiError {
    fn from(error: tokio::task::JoinError) -> ApiError {
        ApiError::internal(&error)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.status, Json(ErrorBody { code: self.code, message: &self.message })).into_response()
    }
}
