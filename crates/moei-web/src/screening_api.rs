//! The screening part of the JSON API: interviews, MDT case conferences, the non-punishment
//! safeguard, the screening queue and counts, and the HTCDS export (`openapi/screening.json`).
//!
//! Handlers stay thin: who may see what, encryption and audit are in `moei_store::screening`.

use axum::extract::rejection::JsonRejection;
use axum::extract::{DefaultBodyLimit, Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::{Json, Router};
use moei_screening::interview::InterviewRecord;
use moei_store::screening::{
    DeterminationInput, Interpreter, InterpreterInput, Interview, MdtCase, MdtCaseInput,
    PunitiveAction, PunitiveActionInput, QueueEntry, SafeguardDashboard, ScreeningFlags,
    ScreeningStats,
};
use serde::Deserialize;
use serde_json::json;

use crate::AppState;
use crate::auth::ApiUser;
use crate::error::ApiError;

/// A full interview (67 indicators, each with evidence and a note, and a narrative) is larger
/// than the general JSON limit.
const INTERVIEW_BODY_LIMIT: usize = 512 * 1024;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/api/v1/persons/{id}/interviews",
            post(record_interview)
                .get(list_interviews)
                .layer(DefaultBodyLimit::max(INTERVIEW_BODY_LIMIT)),
        )
        .route("/api/v1/persons/{id}/mdt-cases", get(list_mdt_cases))
        .route("/api/v1/persons/{id}/screening-flags", put(set_flags))
        .route(
            "/api/v1/persons/{id}/shared-screening",
            get(shared_screening),
        )
        .route("/api/v1/interviews/{id}", get(get_interview))
        .route("/api/v1/mdt/cases", post(open_mdt_case))
        .route("/api/v1/mdt/cases/{id}/determination", post(decide))
        .route("/api/v1/punitive-actions", post(request_punitive_action))
        .route("/api/v1/safeguard", get(safeguard_dashboard))
        .route("/api/v1/screening/queue", get(queue))
        .route("/api/v1/screening/stats", get(stats))
        .route(
            "/api/v1/screening/interpreters",
            get(list_interpreters).post(add_interpreter),
        )
        .route("/api/v1/screening/htcds.csv", get(htcds_csv))
        .route("/api/v1/screening/htcds.xlsx", get(htcds_xlsx))
}

type ApiResult<T> = Result<T, ApiError>;

fn body<T>(payload: Result<Json<T>, JsonRejection>) -> ApiResult<T> {
    payload.map(|Json(v)| v).map_err(ApiError::from)
}

async fn record_interview(
    State(s): State<AppState>,
    ApiUser(actor): ApiUser,
    Path(id): Path<String>,
    payload: Result<Json<InterviewRecord>, JsonRejection>,
) -> ApiResult<(StatusCode, Json<Interview>)> {
    let record = body(payload)?;
    Ok((
        StatusCode::CREATED,
        Json(s.store.record_interview(&actor, &id, &record).await?),
    ))
}

async fn list_interviews(
    State(s): State<AppState>,
    ApiUser(actor): ApiUser,
    Path(id): Path<String>,
) -> ApiResult<Json<serde_json::Value>> {
    let items = s.store.interviews_of(&actor, &id).await?;
    Ok(Json(json!({ "items": items })))
}

async fn get_interview(
    State(s): State<AppState>,
    ApiUser(actor): ApiUser,
    Path(id): Path<String>,
) -> ApiResult<Json<Interview>> {
    Ok(Json(s.store.interview(&actor, &id).await?))
}

async fn shared_screening(
    State(s): State<AppState>,
    ApiUser(actor): ApiUser,
    Path(id): Path<String>,
) -> ApiResult<Json<serde_json::Value>> {
    Ok(Json(s.store.shared_screening(&actor, &id).await?))
}

async fn list_mdt_cases(
    State(s): State<AppState>,
    ApiUser(actor): ApiUser,
    Path(id): Path<String>,
) -> ApiResult<Json<serde_json::Value>> {
    let items = s.store.mdt_cases_of(&actor, &id).await?;
    Ok(Json(json!({ "items": items })))
}

async fn open_mdt_case(
    State(s): State<AppState>,
    ApiUser(actor): ApiUser,
    payload: Result<Json<MdtCaseInput>, JsonRejection>,
) -> ApiResult<(StatusCode, Json<MdtCase>)> {
    let input = body(payload)?;
    Ok((
        StatusCode::CREATED,
        Json(s.store.open_mdt_case(&actor, &input).await?),
    ))
}

async fn decide(
    State(s): State<AppState>,
    ApiUser(actor): ApiUser,
    Path(id): Path<String>,
    payload: Result<Json<DeterminationInput>, JsonRejection>,
) -> ApiResult<Json<MdtCase>> {
    let input = body(payload)?;
    Ok(Json(s.store.decide_mdt_case(&actor, &id, &input).await?))
}

async fn request_punitive_action(
    State(s): State<AppState>,
    ApiUser(actor): ApiUser,
    payload: Result<Json<PunitiveActionInput>, JsonRejection>,
) -> ApiResult<(StatusCode, Json<PunitiveAction>)> {
    let input = body(payload)?;
    Ok((
        StatusCode::CREATED,
        Json(s.store.request_punitive_action(&actor, &input).await?),
    ))
}

async fn safeguard_dashboard(
    State(s): State<AppState>,
    ApiUser(actor): ApiUser,
) -> ApiResult<Json<SafeguardDashboard>> {
    Ok(Json(s.store.safeguard_dashboard(&actor).await?))
}

async fn set_flags(
    State(s): State<AppState>,
    ApiUser(actor): ApiUser,
    Path(id): Path<String>,
    payload: Result<Json<ScreeningFlags>, JsonRejection>,
) -> ApiResult<Json<ScreeningFlags>> {
    let flags = body(payload)?;
    Ok(Json(
        s.store.set_screening_flags(&actor, &id, &flags).await?,
    ))
}

#[derive(Deserialize)]
struct QueueQuery {
    language: Option<String>,
    limit: Option<usize>,
}

async fn queue(
    State(s): State<AppState>,
    ApiUser(actor): ApiUser,
    Query(q): Query<QueueQuery>,
) -> ApiResult<Json<serde_json::Value>> {
    let limit = q.limit.unwrap_or(100).clamp(1, 1000);
    let items: Vec<QueueEntry> = s
        .store
        .screening_queue(&actor, q.language.as_deref(), limit)
        .await?;
    Ok(Json(json!({ "items": items })))
}

async fn stats(
    State(s): State<AppState>,
    ApiUser(actor): ApiUser,
) -> ApiResult<Json<ScreeningStats>> {
    Ok(Json(s.store.screening_stats(&actor).await?))
}

async fn list_interpreters(
    State(s): State<AppState>,
    ApiUser(actor): ApiUser,
) -> ApiResult<Json<serde_json::Value>> {
    let items: Vec<Interpreter> = s.store.interpreters(&actor).await?;
    Ok(Json(json!({ "items": items })))
}

async fn add_interpreter(
    State(s): State<AppState>,
    ApiUser(actor): ApiUser,
    payload: Result<Json<InterpreterInput>, JsonRejection>,
) -> ApiResult<(StatusCode, Json<Interpreter>)> {
    let input = body(payload)?;
    Ok((
        StatusCode::CREATED,
        Json(s.store.add_interpreter(&actor, &input).await?),
    ))
}

/// The HTCDS rows of every determined case the caller may export.
async fn htcds_rows(
    s: &AppState,
    actor: &moei_store::Actor,
) -> ApiResult<Vec<moei_screening::HtcdsRow>> {
    let cases = s.store.htcds_cases(actor).await?;
    cases
        .iter()
        .map(|c| {
            moei_screening::htcds_row(c).map_err(|e| {
                ApiError::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "htcds_invalid",
                    format!("case {}: {e}", c.case_id),
                )
            })
        })
        .collect()
}

fn export_failed() -> ApiError {
    ApiError::new(
        StatusCode::INTERNAL_SERVER_ERROR,
        "internal",
        "could not write the export",
    )
}

async fn htcds_csv(State(s): State<AppState>, ApiUser(actor): ApiUser) -> ApiResult<Response> {
    let rows = htcds_rows(&s, &actor).await?;
    let mut out = Vec::new();
    moei_screening::write_htcds_csv(&rows, &mut out).map_err(|_| export_failed())?;
    Ok(attachment("text/csv; charset=utf-8", "moei-htcds.csv", out))
}

async fn htcds_xlsx(State(s): State<AppState>, ApiUser(actor): ApiUser) -> ApiResult<Response> {
    let rows = htcds_rows(&s, &actor).await?;
    let out = moei_screening::htcds_xlsx(&rows).map_err(|_| export_failed())?;
    Ok(attachment(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "moei-htcds.xlsx",
        out,
    ))
}

fn attachment(content_type: &'static str, filename: &str, bytes: Vec<u8>) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{filename}\""),
            ),
        ],
        bytes,
    )
        .into_response()
}
