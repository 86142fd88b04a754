//! One error shape for the whole API: `{"error": {"code", "message", "field"}}`.

use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use moei_store::StoreError;
use serde_json::json;

#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: String,
    pub message: String,
    pub field: Option<String>,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &str, message: impl Into<String>) -> Self {
        Self {
            status,
            code: code.into(),
            message: message.into(),
            field: None,
        }
    }

    pub fn field(mut self, field: impl Into<String>) -> Self {
        self.field = Some(field.into());
        self
    }

    pub fn unauthorized() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "unauthenticated",
            "log in or send a bearer token",
        )
    }

    pub fn bad_request(code: &str, message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, code, message)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body =
            json!({ "error": { "code": self.code, "message": self.message, "field": self.field } });
        (self.status, Json(body)).into_response()
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => {
                ApiError::new(StatusCode::NOT_FOUND, "not_found", "no such record")
            }
            StoreError::Forbidden => ApiError::new(
                StatusCode::FORBIDDEN,
                "forbidden",
                "your role does not allow this",
            ),
            StoreError::Invalid(errors) => {
                let first = errors.first().cloned();
                let message = errors.to_string();
                let mut err = ApiError::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    first.as_ref().map(|f| f.code).unwrap_or("invalid"),
                    message,
                );
                err.field = first.map(|f| f.field);
                err
            }
            StoreError::Conflict(m) => ApiError::new(StatusCode::CONFLICT, "conflict", m),
            StoreError::Safeguard(m) => ApiError::new(
                StatusCode::CONFLICT,
                "non_punishment_safeguard",
                format!("refused by the non-punishment safeguard: {m}"),
            ),
            other => {
                // Database details stay in the server log, not in responses.
                tracing::error!(error = %other, "storage failure");
                ApiError::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal",
                    "the server could not complete the request",
                )
            }
        }
    }
}

impl From<JsonRejection> for ApiError {
    fn from(r: JsonRejection) -> Self {
        match r {
            JsonRejection::JsonSyntaxError(e) => ApiError::bad_request(
                "malformed_json",
                format!("the body is not valid JSON: {}", e.body_text()),
            ),
            JsonRejection::JsonDataError(e) => {
                // serde names the path of the offending field ("sex: invalid type ...").
                let text = e.body_text();
                let detail = text
                    .split_once(": ")
                    .map(|(_, d)| d)
                    .unwrap_or(&text)
                    .to_string();
                let field = detail
                    .split(':')
                    .next()
                    .filter(|f| !f.contains(' '))
                    .map(str::to_string);
                let mut err = ApiError::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "invalid_field",
                    detail.clone(),
                );
                if let Some(f) = field {
                    err.field = Some(f);
                } else if let Some(name) = detail.split('`').nth(1) {
                    err.field = Some(name.to_string());
                }
                err
            }
            JsonRejection::MissingJsonContentType(_) => ApiError::bad_request(
                "content_type",
                "send the body as JSON with Content-Type: application/json",
            ),
            JsonRejection::BytesRejection(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                ApiError::new(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    "too_large",
                    "the body is larger than 64 KiB",
                )
            }
            other => ApiError::bad_request("bad_request", other.body_text()),
        }
    }
}
