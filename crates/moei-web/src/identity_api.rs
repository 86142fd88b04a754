//! The identity-resolution part of the JSON API: lists, missing-person reports, the review
//! queue, merges. Described in `openapi/matching.json`.

use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, JsonRejection, QueryRejection};
use axum::extract::{DefaultBodyLimit, Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::routing::{get, post};
use axum::{Json, Router};
use moei_store::identity::{CandidateFilter, MissingReportInput, NewList};
use serde::Deserialize;
use serde_json::json;

use crate::AppState;
use crate::api::{ApiResult, body};
use crate::auth::ApiUser;
use crate::error::ApiError;
use crate::identity::{self, ImportError, ListFormat, MAX_UPLOAD_BYTES};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/api/v1/lists",
            get(lists)
                .post(import_list)
                .layer(DefaultBodyLimit::max(MAX_UPLOAD_BYTES)),
        )
        .route("/api/v1/lists/{id}/records", get(list_records))
        .route("/api/v1/lists/{id}/link", post(link_list))
        .route(
            "/api/v1/missing-reports",
            post(create_report).get(list_reports),
        )
        .route("/api/v1/missing-reports/match", post(match_reports))
        .route("/api/v1/missing-reports/{id}", get(get_report))
        .route(
            "/api/v1/missing-reports/{id}/family-informed",
            post(family_informed),
        )
        .route("/api/v1/match-candidates", get(list_candidates))
        .route("/api/v1/match-candidates/dedup", post(dedup))
        .route("/api/v1/match-candidates/{id}", get(get_candidate))
        .route("/api/v1/match-candidates/{id}/decision", post(decide))
        .route("/api/v1/persons/{id}/merge", post(merge))
        .route("/api/v1/persons/{id}/merges", get(merges_of))
        .route("/api/v1/merges/{id}/undo", post(undo_merge))
}

fn query<T>(q: Result<Query<T>, QueryRejection>) -> ApiResult<T> {
    q.map(|Query(v)| v)
        .map_err(|e| ApiError::bad_request("bad_query", e.body_text()))
}

async fn lists(
    State(s): State<AppState>,
    ApiUser(actor): ApiUser,
) -> ApiResult<Json<serde_json::Value>> {
    let items = s.store.lists(&actor).await?;
    Ok(Json(json!({ "items": items, "next": null })))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ImportQuery {
    name: String,
    source: String,
    kind: String,
    /// Keep the good rows even though some rows have problems.
    #[serde(default)]
    accept_rejected: bool,
}

fn import_error(e: ImportError) -> ApiError {
    match e {
        ImportError::File(message) => {
            ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "unreadable_file", message)
                .field("file")
        }
        ImportError::Rejected { problems, good } => {
            let shown: Vec<&str> = problems.iter().take(50).map(String::as_str).collect();
            ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "rejected_rows",
                format!(
                    "{} rows have problems (nothing was stored; send accept_rejected=true to keep the {good} good rows): {}",
                    problems.len(),
                    shown.join("; ")
                ),
            )
            .field("file")
        }
        ImportError::Store(e) => e.into(),
    }
}

async fn import_list(
    State(s): State<AppState>,
    ApiUser(actor): ApiUser,
    headers: HeaderMap,
    q: Result<Query<ImportQuery>, QueryRejection>,
    bytes: Result<Bytes, BytesRejection>,
) -> ApiResult<(StatusCode, Json<serde_json::Value>)> {
    let q = query(q)?;
    let bytes = bytes.map_err(|e| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "too_large",
                "list files must be at most 10 MiB",
            )
            .field("file")
        } else {
            ApiError::bad_request("bad_body", e.body_text())
        }
    })?;
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let format = ListFormat::from_content_type(content_type).ok_or_else(|| {
        ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "content_type",
            "send the list as text/csv or as an XLSX workbook",
        )
        .field("file")
    })?;
    let list = NewList {
        name: q.name,
        source: q.source,
        kind: q.kind,
    };
    let out = identity::import_list(&s.store, &actor, &list, &bytes, format, q.accept_rejected)
        .await
        .map_err(import_error)?;
    Ok((StatusCode::CREATED, Json(json!(out))))
}

async fn list_records(
    State(s): State<AppState>,
    ApiUser(actor): ApiUser,
    Path(id): Path<String>,
) -> ApiResult<Json<serde_json::Value>> {
    let items = s.store.list_records(&actor, &id).await?;
    Ok(Json(json!({ "items": items, "next": null })))
}

async fn link_list(
    State(s): State<AppState>,
    ApiUser(actor): ApiUser,
    Path(id): Path<String>,
) -> ApiResult<Json<serde_json::Value>> {
    let added = identity::link_list(&s.store, &actor, &id).await?;
    Ok(Json(json!({ "candidates_added": added })))
}

async fn create_report(
    State(s): State<AppState>,
    ApiUser(actor): ApiUser,
    payload: Result<Json<MissingReportInput>, JsonRejection>,
) -> ApiResult<(StatusCode, Json<serde_json::Value>)> {
    let input = body(payload)?;
    let report = s.store.create_missing_report(&actor, &input).await?;
    let added = identity::match_reports(&s.store, &actor, Some(&report.id)).await?;
    Ok((
        StatusCode::CREATED,
        Json(json!({ "report": report, "candidates_added": added })),
    ))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct StatusQuery {
    status: Option<String>,
}

async fn list_reports(
    State(s): State<AppState>,
    ApiUser(actor): ApiUser,
    q: Result<Query<StatusQuery>, QueryRejection>,
) -> ApiResult<Json<serde_json::Value>> {
    let q = query(q)?;
    let items = s.store.missing_reports(&actor, q.status.as_deref()).await?;
    Ok(Json(json!({ "items": items, "next": null })))
}

async fn get_report(
    State(s): State<AppState>,
    ApiUser(actor): ApiUser,
    Path(id): Path<String>,
) -> ApiResult<Json<moei_store::identity::MissingReport>> {
    Ok(Json(s.store.missing_report(&actor, &id).await?))
}

async fn match_reports(
    State(s): State<AppState>,
    ApiUser(actor): ApiUser,
) -> ApiResult<Json<serde_json::Value>> {
    let added = identity::match_reports(&s.store, &actor, None).await?;
    Ok(Json(json!({ "candidates_added": added })))
}

async fn family_informed(
    State(s): State<AppState>,
    ApiUser(actor): ApiUser,
    Path(id): Path<String>,
) -> ApiResult<Json<moei_store::identity::MissingReport>> {
    Ok(Json(s.store.mark_family_informed(&actor, &id).await?))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CandidateQuery {
    kind: Option<String>,
    status: Option<String>,
    limit: Option<i64>,
}

async fn list_candidates(
    State(s): State<AppState>,
    ApiUser(actor): ApiUser,
    q: Result<Query<CandidateQuery>, QueryRejection>,
) -> ApiResult<Json<serde_json::Value>> {
    let q = query(q)?;
    let filter = CandidateFilter {
        kind: q.kind,
        status: q.status,
        limit: q.limit,
    };
    let items = s.store.candidates(&actor, &filter).await?;
    Ok(Json(json!({ "items": items, "next": null })))
}

async fn get_candidate(
    State(s): State<AppState>,
    ApiUser(actor): ApiUser,
    Path(id): Path<String>,
) -> ApiResult<Json<moei_store::identity::Candidate>> {
    Ok(Json(s.store.candidate(&actor, &id).await?))
}

async fn dedup(
    State(s): State<AppState>,
    ApiUser(actor): ApiUser,
) -> ApiResult<Json<serde_json::Value>> {
    let added = identity::dedup_persons(&s.store, &actor).await?;
    Ok(Json(json!({ "candidates_added": added })))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DecisionInput {
    /// `confirm`, `reject` or `merge` (duplicates only: the first person survives).
    decision: String,
    #[serde(default)]
    reason: String,
}

async fn decide(
    State(s): State<AppState>,
    ApiUser(actor): ApiUser,
    Path(id): Path<String>,
    payload: Result<Json<DecisionInput>, JsonRejection>,
) -> ApiResult<Json<moei_store::identity::Candidate>> {
    let input = body(payload)?;
    Ok(Json(
        identity::decide(&s.store, &actor, &id, &input.decision, &input.reason).await?,
    ))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MergeInput {
    merged_id: String,
    #[serde(default)]
    candidate_id: Option<String>,
    #[serde(default)]
    reason: String,
}

async fn merge(
    State(s): State<AppState>,
    ApiUser(actor): ApiUser,
    Path(survivor): Path<String>,
    payload: Result<Json<MergeInput>, JsonRejection>,
) -> ApiResult<(StatusCode, Json<moei_store::identity::Merge>)> {
    let input = body(payload)?;
    let merge = s
        .store
        .merge_persons(
            &actor,
            &survivor,
            &input.merged_id,
            input.candidate_id.as_deref(),
            &input.reason,
        )
        .await?;
    Ok((StatusCode::CREATED, Json(merge)))
}

async fn merges_of(
    State(s): State<AppState>,
    ApiUser(actor): ApiUser,
    Path(id): Path<String>,
) -> ApiResult<Json<serde_json::Value>> {
    let items = s.store.merges_of(&actor, &id).await?;
    let merged_into = s.store.merged_into(&id).await?;
    Ok(Json(
        json!({ "items": items, "merged_into": merged_into, "next": null }),
    ))
}

async fn undo_merge(
    State(s): State<AppState>,
    ApiUser(actor): ApiUser,
    Path(id): Path<String>,
) -> ApiResult<Json<moei_store::identity::Merge>> {
    Ok(Json(s.store.undo_merge(&actor, &id).await?))
}
