//! The JSON API under `/api/v1`. Everything the UI does is here too; `openapi.json` describes it
//! and the integration tests validate real responses against it.

use axum::body::Bytes;
use axum::extract::rejection::JsonRejection;
use axum::extract::{DefaultBodyLimit, Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use moei_domain::{ArrivalGroupInput, PersonInput, PersonPatch};
use moei_store::persons::{MAX_PHOTO_BYTES, PersonQuery};
use serde::Deserialize;
use serde_json::json;

use crate::AppState;
use crate::auth::ApiUser;
use crate::error::ApiError;
use crate::mrz_image::{MAX_MRZ_IMAGE_BYTES, ReadError};

/// The OpenAPI document: the core file plus one fragment per area of the application, each
/// holding its own `paths` and `components.schemas` (so areas can grow independently).
const OPENAPI_CORE: &str = include_str!("../openapi/core.json");
const OPENAPI_FRAGMENTS: [(&str, &str); 4] = [
    ("documents", include_str!("../openapi/documents.json")),
    ("matching", include_str!("../openapi/matching.json")),
    ("screening", include_str!("../openapi/screening.json")),
    ("logistics", include_str!("../openapi/logistics.json")),
];

/// The merged OpenAPI document, built once. A fragment that does not parse or that redefines a
/// path or schema is a programming error caught by the `openapi_fragments_merge` test.
pub fn openapi_document() -> &'static str {
    static DOC: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DOC.get_or_init(|| merge_openapi().unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}")))
}

fn merge_openapi() -> Result<String, String> {
    let mut doc: serde_json::Value =
        serde_json::from_str(OPENAPI_CORE).map_err(|e| format!("core: {e}"))?;
    for (area, text) in OPENAPI_FRAGMENTS {
        let fragment: serde_json::Value =
            serde_json::from_str(text).map_err(|e| format!("{area}: {e}"))?;
        for (section, pointer) in [("paths", "/paths"), ("schemas", "/components/schemas")] {
            let Some(entries) = fragment.pointer(pointer).and_then(|v| v.as_object()) else {
                continue;
            };
            let target = doc
                .pointer_mut(pointer)
                .and_then(|v| v.as_object_mut())
                .ok_or_else(|| format!("core has no {section}"))?;
            for (name, value) in entries {
                if target.insert(name.clone(), value.clone()).is_some() {
                    return Err(format!("{area}: {section} {name} defined twice"));
                }
            }
        }
    }
    serde_json::to_string_pretty(&doc).map_err(|e| e.to_string())
}

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/openapi.json", get(openapi))
        .route("/api/v1/me", get(me))
        .route(
            "/api/v1/arrival-groups",
            post(create_group).get(list_groups),
        )
        .route("/api/v1/arrival-groups/{id}", get(get_group))
        .route("/api/v1/persons", post(create_person).get(list_persons))
        .route("/api/v1/persons/export", get(export_persons))
        .route("/api/v1/persons/match", post(match_person))
        .route("/api/v1/persons/{id}", get(get_person).patch(update_person))
        .route("/api/v1/persons/{id}/history", get(person_history))
        .route(
            "/api/v1/persons/{id}/documents",
            post(add_document).get(list_documents),
        )
        .route(
            "/api/v1/persons/{id}/photo",
            get(get_photo)
                .put(put_photo)
                .layer(DefaultBodyLimit::max(MAX_PHOTO_BYTES)),
        )
        .route(
            "/api/v1/mrz/read",
            post(read_mrz_image).layer(DefaultBodyLimit::max(MAX_MRZ_IMAGE_BYTES)),
        )
        .route("/api/v1/counts", get(counts))
        .route("/api/v1/audit", get(audit))
        .route("/healthz", get(|| async { "ok" }))
}

pub(crate) type ApiResult<T> = Result<T, ApiError>;

pub(crate) fn body<T>(payload: Result<Json<T>, JsonRejection>) -> ApiResult<T> {
    payload.map(|Json(v)| v).map_err(ApiError::from)
}

async fn openapi() -> Response {
    (
        [(header::CONTENT_TYPE, "application/json")],
        openapi_document(),
    )
        .into_response()
}

async fn me(ApiUser(actor): ApiUser) -> Json<serde_json::Value> {
    let p = &actor.principal;
    Json(json!({
        "id": p.user_id, "username": p.username, "role": p.role,
        "agency": p.agency, "nationalities": p.nationalities,
    }))
}

async fn create_group(
    State(s): State<AppState>,
    ApiUser(actor): ApiUser,
    payload: Result<Json<ArrivalGroupInput>, JsonRejection>,
) -> ApiResult<(StatusCode, Json<moei_domain::ArrivalGroup>)> {
    let input = body(payload)?;
    Ok((
        StatusCode::CREATED,
        Json(s.store.create_arrival_group(&actor, &input).await?),
    ))
}

#[derive(Deserialize)]
struct LimitQuery {
    limit: Option<i64>,
}

async fn list_groups(
    State(s): State<AppState>,
    ApiUser(actor): ApiUser,
    Query(q): Query<LimitQuery>,
) -> ApiResult<Json<serde_json::Value>> {
    let items = s
        .store
        .arrival_groups(&actor, q.limit.unwrap_or(50))
        .await?;
    Ok(Json(json!({ "items": items, "next": null })))
}

async fn get_group(
    State(s): State<AppState>,
    ApiUser(actor): ApiUser,
    Path(id): Path<String>,
) -> ApiResult<Json<moei_domain::ArrivalGroup>> {
    Ok(Json(s.store.arrival_group(&actor, &id).await?))
}

async fn create_person(
    State(s): State<AppState>,
    ApiUser(actor): ApiUser,
    payload: Result<Json<PersonInput>, JsonRejection>,
) -> ApiResult<(StatusCode, Json<moei_domain::Person>)> {
    let input = body(payload)?;
    let person = crate::identity::register_person(&s, &actor, &input).await?;
    Ok((StatusCode::CREATED, Json(person)))
}

/// What is known so far about the person at the desk; every field may be empty.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct MatchQuery {
    #[serde(default)]
    pub given_name: String,
    #[serde(default)]
    pub family_name: String,
    #[serde(default)]
    pub name_original_script: String,
    #[serde(default)]
    pub sex: String,
    #[serde(default)]
    pub date_of_birth: String,
    #[serde(default)]
    pub nationality: String,
    /// The person's own id, when checking someone already registered.
    #[serde(default)]
    pub exclude_id: Option<String>,
}

/// Probability at or above which a stored person is shown as a likely earlier registration.
pub const SUGGEST_THRESHOLD: f64 = 0.5;

pub async fn likely_matches(
    s: &AppState,
    actor: &moei_store::Actor,
    q: &MatchQuery,
) -> Result<Vec<serde_json::Value>, moei_store::StoreError> {
    let nationality = q.nationality.to_ascii_uppercase();
    let record = crate::matching::record_of(
        q.exclude_id.as_deref().unwrap_or(""),
        &crate::matching::PersonFields {
            given_name: &q.given_name,
            family_name: &q.family_name,
            name_original_script: &q.name_original_script,
            sex: &q.sex,
            date_of_birth: &q.date_of_birth,
            nationality: &nationality,
        },
    );
    let candidates = s.matcher.candidates(&record, 5, SUGGEST_THRESHOLD);
    if candidates.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<String> = candidates.iter().map(|c| c.id.clone()).collect();
    let visible = s.store.persons_by_ids(actor, &ids).await?;
    Ok(candidates
        .into_iter()
        .filter_map(|c| {
            let person = visible.iter().find(|p| p.id == c.id)?;
            Some(json!({ "person": person, "probability": c.probability, "explanation": c.explanation }))
        })
        .collect())
}

async fn match_person(
    State(s): State<AppState>,
    ApiUser(actor): ApiUser,
    payload: Result<Json<MatchQuery>, JsonRejection>,
) -> ApiResult<Json<serde_json::Value>> {
    let q = body(payload)?;
    let items = likely_matches(&s, &actor, &q).await?;
    Ok(Json(json!({ "ready": s.matcher.ready(), "items": items })))
}

#[derive(Deserialize)]
struct ListQuery {
    q: Option<String>,
    nationality: Option<String>,
    group: Option<String>,
    day: Option<String>,
    cursor: Option<String>,
    limit: Option<i64>,
}

async fn list_persons(
    State(s): State<AppState>,
    ApiUser(actor): ApiUser,
    query: Result<Query<ListQuery>, axum::extract::rejection::QueryRejection>,
) -> ApiResult<Json<moei_store::persons::Page<moei_domain::Person>>> {
    let Query(q) = query.map_err(|e| ApiError::bad_request("bad_query", e.body_text()))?;
    let query = PersonQuery {
        q: q.q,
        nationality: q.nationality,
        arrival_group_id: q.group,
        day: q.day,
        cursor: q.cursor,
        limit: q.limit,
    };
    Ok(Json(s.store.search_persons(&actor, &query).await?))
}

async fn get_person(
    State(s): State<AppState>,
    ApiUser(actor): ApiUser,
    Path(id): Path<String>,
) -> ApiResult<Json<moei_domain::Person>> {
    // A registration number works as well as an id: that is what is on the wristband.
    let person = if id.len() < 20 {
        s.store.person_by_registration_number(&actor, &id).await?
    } else {
        s.store.person(&actor, &id).await?
    };
    Ok(Json(person))
}

async fn update_person(
    State(s): State<AppState>,
    ApiUser(actor): ApiUser,
    Path(id): Path<String>,
    payload: Result<Json<PersonPatch>, JsonRejection>,
) -> ApiResult<Json<moei_domain::Person>> {
    let patch = body(payload)?;
    if patch.is_empty() {
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "empty_patch",
            "no field to change",
        ));
    }
    Ok(Json(s.store.update_person(&actor, &id, &patch).await?))
}

async fn person_history(
    State(s): State<AppState>,
    ApiUser(actor): ApiUser,
    Path(id): Path<String>,
) -> ApiResult<Json<serde_json::Value>> {
    let items = s.store.person_history(&actor, &id).await?;
    Ok(Json(json!({ "items": items, "next": null })))
}

async fn add_document(
    State(s): State<AppState>,
    ApiUser(actor): ApiUser,
    Path(id): Path<String>,
    payload: Result<Json<moei_domain::document::DocumentInput>, JsonRejection>,
) -> ApiResult<(StatusCode, Json<moei_store::documents::Document>)> {
    let input = body(payload)?;
    Ok((
        StatusCode::CREATED,
        Json(s.store.add_document(&actor, &id, &input).await?),
    ))
}

async fn list_documents(
    State(s): State<AppState>,
    ApiUser(actor): ApiUser,
    Path(id): Path<String>,
) -> ApiResult<Json<serde_json::Value>> {
    let items = s.store.documents(&actor, &id).await?;
    Ok(Json(json!({ "items": items, "next": null })))
}

/// A raw request body; one over the route's limit is a 413 naming `field`.
fn raw_body(
    bytes: Result<Bytes, axum::extract::rejection::BytesRejection>,
    field: &str,
    too_large: &str,
) -> ApiResult<Bytes> {
    bytes.map_err(|e| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, "too_large", too_large).field(field)
        } else {
            ApiError::bad_request("bad_body", e.body_text())
        }
    })
}

async fn put_photo(
    State(s): State<AppState>,
    ApiUser(actor): ApiUser,
    Path(id): Path<String>,
    bytes: Result<Bytes, axum::extract::rejection::BytesRejection>,
) -> ApiResult<Json<moei_domain::Person>> {
    let bytes = raw_body(bytes, "photo", "photos must be at most 5 MiB")?;
    Ok(Json(s.store.set_photo(&actor, &id, &bytes).await?))
}

#[derive(Deserialize)]
struct MrzReadQuery {
    person_id: Option<String>,
}

/// Reads the zone of a PNG or JPEG image sent as the request body. The
/// result is for an officer to confirm; nothing is recorded but the audit row.
async fn read_mrz_image(
    State(s): State<AppState>,
    ApiUser(actor): ApiUser,
    Query(q): Query<MrzReadQuery>,
    bytes: Result<Bytes, axum::extract::rejection::BytesRejection>,
) -> ApiResult<Json<serde_json::Value>> {
    let bytes = raw_body(bytes, "image", "images must be at most 8 MiB")?;
    let read = crate::mrz_image::read_audited(&s.store, &actor, q.person_id.as_deref(), bytes)
        .await
        .map_err(|e| match e {
            ReadError::Store(e) => ApiError::from(e),
            ReadError::Image(e) => ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "unsupported_image",
                e.to_string(),
            )
            .field("image"),
        })?;
    Ok(Json(json!({
        "mrz": read.text,
        "valid": read.report.is_valid(),
        "changed_by_checks": read.changed_by_checks,
        "report": read.report.to_json(),
    })))
}

async fn get_photo(
    State(s): State<AppState>,
    ApiUser(actor): ApiUser,
    Path(id): Path<String>,
) -> ApiResult<Response> {
    let (content_type, bytes) = s.store.photo(&actor, &id).await?;
    Ok(([(header::CONTENT_TYPE, content_type)], bytes).into_response())
}

#[derive(Deserialize)]
struct ExportQuery {
    nationality: Option<String>,
}

async fn export_persons(
    State(s): State<AppState>,
    ApiUser(actor): ApiUser,
    Query(q): Query<ExportQuery>,
) -> ApiResult<Response> {
    let persons = s
        .store
        .export_persons(&actor, q.nationality.as_deref())
        .await?;
    let csv = crate::export::persons_csv(&persons).map_err(|_| {
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "could not write the export",
        )
    })?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"moei-persons.csv\"",
            ),
        ],
        csv,
    )
        .into_response())
}

#[derive(Deserialize)]
struct CountsQuery {
    group: Option<String>,
}

async fn counts(
    State(s): State<AppState>,
    ApiUser(actor): ApiUser,
    Query(q): Query<CountsQuery>,
) -> ApiResult<Json<serde_json::Value>> {
    let c = s.store.counts(&actor, q.group.as_deref()).await?;
    let pairs = |v: &[(String, i64)], key: &str| -> Vec<serde_json::Value> {
        v.iter()
            .map(|(k, n)| json!({ key: k, "count": n }))
            .collect()
    };
    Ok(Json(json!({
        "total": c.total,
        "today": c.today,
        "group": c.group,
        "by_nationality": pairs(&c.by_nationality, "nationality"),
        "by_day": pairs(&c.by_day, "day"),
    })))
}

#[derive(Deserialize)]
struct AuditQuery {
    before: Option<i64>,
    limit: Option<i64>,
}

async fn audit(
    State(s): State<AppState>,
    ApiUser(actor): ApiUser,
    Query(q): Query<AuditQuery>,
) -> ApiResult<Json<serde_json::Value>> {
    let items = s
        .store
        .audit_entries(&actor, q.before, q.limit.unwrap_or(100))
        .await?;
    let next = if items.len() as i64 == q.limit.unwrap_or(100).clamp(1, 500) {
        items.last().map(|e| e.seq.to_string())
    } else {
        None
    };
    Ok(Json(json!({ "items": items, "next": next })))
}

#[cfg(test)]
mod tests {
    #[test]
    fn openapi_fragments_merge() {
        let merged = super::merge_openapi().unwrap();
        let doc: serde_json::Value = serde_json::from_str(&merged).unwrap();
        assert_eq!(doc["openapi"], "3.1.0");
        assert!(doc["paths"]["/api/v1/persons"].is_object());
    }
}
