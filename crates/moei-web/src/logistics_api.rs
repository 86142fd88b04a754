//! The logistics part of the JSON API (`openapi/logistics.json`): sites and their occupancy,
//! bulk movements with manifests and arrival checks, departure batches, the departure rate and
//! the bottleneck view. The embassy workspace is in [`crate::embassy_api`].
//!
//! Handlers stay thin: authorization, nationality scope, validation and audit are in
//! `moei_store::{facilities, departures}`.

use std::collections::BTreeMap;

use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{DefaultBodyLimit, Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use moei_domain::Action;
use moei_domain::validation::FieldError;
use moei_i18n::Lang;
use moei_store::departures::{AssignReport, Batch, BatchInput, BottleneckReport};
use moei_store::embassy::Protection;
use moei_store::facilities::{
    ArrivalReport, Facility, FacilityInput, LocationEntry, Manifest, MoveInput, MoveResult,
    MovementFilter, MovementSummary, PersonFilter,
};
use serde::Deserialize;
use serde_json::json;

use crate::AppState;
use crate::api::{ApiResult, body};
use crate::auth::ApiUser;
use crate::error::ApiError;
use crate::logistics_files::{handover_receipt_pdf, manifest_pdf, manifest_xlsx};

/// Bulk requests can list many registration numbers (a whole bus, a whole flight).
const BULK_BODY_LIMIT: usize = 2 * 1024 * 1024;

/// Explicit numbers become one SQL parameter each; this stays well inside what SQLite and
/// PostgreSQL accept in one statement. Selections by filter have no limit.
const MAX_LISTED_NUMBERS: usize = 20_000;

pub(crate) const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

pub fn routes() -> Router<AppState> {
    let bulk = || DefaultBodyLimit::max(BULK_BODY_LIMIT);
    Router::new()
        .route("/api/v1/facilities", get(facilities).post(create_facility))
        .route("/api/v1/persons/{id}/locations", get(location_history))
        .route("/api/v1/persons/{id}/protection", get(protection))
        .route(
            "/api/v1/persons/count-filter",
            post(count_filter).layer(bulk()),
        )
        .route(
            "/api/v1/movements",
            get(movements).post(move_persons).layer(bulk()),
        )
        .route("/api/v1/movements/{id}/manifest", get(manifest))
        .route(
            "/api/v1/movements/{id}/arrivals",
            post(check_arrivals).layer(bulk()),
        )
        .route("/api/v1/movements/{id}/close", post(close_arrival))
        .route("/api/v1/bottlenecks", get(bottlenecks))
        .route(
            "/api/v1/departure-rate",
            get(departure_rate).put(set_departure_rate),
        )
        .route("/api/v1/batches", get(batches).post(create_batch))
        .route("/api/v1/batches/{id}", get(batch))
        .route("/api/v1/batches/{id}/assign", post(assign).layer(bulk()))
        .route(
            "/api/v1/batches/{id}/outcomes",
            post(set_outcome).layer(bulk()),
        )
        .route("/api/v1/batches/{id}/depart", post(depart))
        .route("/api/v1/batches/{id}/receipt", get(receipt))
        .merge(crate::embassy_api::routes())
}

/// A query string that does not parse is a 400 naming the parameter serde complained about.
pub(crate) fn query<T>(q: Result<Query<T>, QueryRejection>) -> ApiResult<T> {
    q.map(|Query(v)| v).map_err(|e| {
        let text = e.body_text();
        let err = ApiError::bad_request("bad_query", text.clone());
        match text.split('`').nth(1) {
            Some(field) => err.field(field),
            None => err,
        }
    })
}

/// Like [`body`], for the routes with the larger bulk limit (the general message names 64 KiB).
fn bulk_body<T>(payload: Result<Json<T>, JsonRejection>) -> ApiResult<T> {
    match payload {
        Err(JsonRejection::BytesRejection(e)) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
            Err(ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "too_large",
                "the body is larger than 2 MiB",
            ))
        }
        other => body(other),
    }
}

/// `?lang=en|th` for PDFs; without it, the caller's language preference.
pub(crate) fn pdf_lang(lang: Option<&str>, headers: &HeaderMap) -> ApiResult<Lang> {
    match lang.map(str::trim).filter(|l| !l.is_empty()) {
        None => Ok(crate::auth::lang(headers)),
        Some("en") => Ok(Lang::En),
        Some("th") => Ok(Lang::Th),
        Some(_) => {
            Err(ApiError::bad_request("unknown_value", "lang must be en or th").field("lang"))
        }
    }
}

pub(crate) fn file_failed() -> ApiError {
    ApiError::new(
        StatusCode::INTERNAL_SERVER_ERROR,
        "internal",
        "could not write the file",
    )
}

pub(crate) fn attachment(content_type: &str, filename: &str, bytes: Vec<u8>) -> Response {
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

/// A person's id, or (what is on the wristband and on the embassy's roll) their registration
/// number, resolved within the caller's scope.
pub(crate) async fn person_id(
    s: &AppState,
    actor: &moei_store::Actor,
    id: &str,
) -> ApiResult<String> {
    if id.len() < 20 {
        Ok(s.store.person_by_registration_number(actor, id).await?.id)
    } else {
        Ok(id.to_string())
    }
}

/// Who a bulk action applies to; the criteria combine with AND.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FilterBody {
    nationality: Option<String>,
    facility_id: Option<String>,
    section: Option<String>,
    case_status: Option<String>,
    arrival_group_id: Option<String>,
    #[serde(default)]
    unplaced: bool,
    #[serde(default)]
    registration_numbers: Vec<String>,
}

fn check_count(field: &str, numbers: &[String]) -> ApiResult<()> {
    if numbers.len() > MAX_LISTED_NUMBERS {
        return Err(ApiError::from(moei_store::StoreError::from(
            FieldError::new(
                field,
                "too_many",
                format!(
                    "list at most {MAX_LISTED_NUMBERS} registration numbers per request, or select by filter"
                ),
            ),
        )));
    }
    Ok(())
}

impl FilterBody {
    fn into_filter(self) -> ApiResult<PersonFilter> {
        check_count("registration_numbers", &self.registration_numbers)?;
        let blank = |v: Option<String>| v.filter(|s| !s.trim().is_empty());
        Ok(PersonFilter {
            nationality: blank(self.nationality).map(|n| n.trim().to_ascii_uppercase()),
            facility_id: blank(self.facility_id),
            section: blank(self.section),
            case_status: blank(self.case_status),
            arrival_group_id: blank(self.arrival_group_id),
            unplaced: self.unplaced,
            registration_numbers: self.registration_numbers,
        })
    }
}

async fn facilities(
    State(s): State<AppState>,
    ApiUser(actor): ApiUser,
) -> ApiResult<Json<Vec<Facility>>> {
    Ok(Json(s.store.facilities(&actor).await?))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FacilityBody {
    name: String,
    kind: String,
    /// Capacity per section: `{"men": 200, "women": 80}`.
    #[serde(default)]
    capacities: BTreeMap<String, i64>,
}

async fn create_facility(
    State(s): State<AppState>,
    ApiUser(actor): ApiUser,
    payload: Result<Json<FacilityBody>, JsonRejection>,
) -> ApiResult<(StatusCode, Json<Facility>)> {
    let b = body(payload)?;
    let input = FacilityInput {
        name: b.name,
        kind: b.kind,
        capacities: b.capacities.into_iter().collect(),
    };
    Ok((
        StatusCode::CREATED,
        Json(s.store.create_facility(&actor, &input).await?),
    ))
}

async fn location_history(
    State(s): State<AppState>,
    ApiUser(actor): ApiUser,
    Path(id): Path<String>,
) -> ApiResult<Json<serde_json::Value>> {
    let id = person_id(&s, &actor, &id).await?;
    let items: Vec<LocationEntry> = s.store.location_history(&actor, &id).await?;
    Ok(Json(json!({ "items": items })))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MoveBody {
    filter: FilterBody,
    to_facility_id: String,
    to_section: Option<String>,
    #[serde(default)]
    vehicle: String,
    #[serde(default)]
    escort: String,
    /// RFC 3339; by default now.
    departed_at: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MovementsQuery {
    /// "open" or "closed"; by default both.
    status: Option<String>,
    to_facility_id: Option<String>,
    limit: Option<i64>,
}

/// Movements newest first with their arrival counts (counts only: the manifest is separate).
async fn movements(
    State(s): State<AppState>,
    ApiUser(actor): ApiUser,
    q: Result<Query<MovementsQuery>, QueryRejection>,
) -> ApiResult<Json<serde_json::Value>> {
    let q = query(q)?;
    let open = match q.status.as_deref().map(str::trim) {
        None | Some("") => None,
        Some("open") => Some(true),
        Some("closed") => Some(false),
        Some(_) => {
            return Err(
                ApiError::bad_request("unknown_value", "status must be open or closed")
                    .field("status"),
            );
        }
    };
    let filter = MovementFilter {
        open,
        to_facility_id: q.to_facility_id.filter(|f| !f.trim().is_empty()),
        limit: q.limit,
    };
    let items: Vec<MovementSummary> = s.store.movements(&actor, &filter).await?;
    Ok(Json(json!({ "items": items })))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CountBody {
    filter: FilterBody,
}

/// How many persons a filter selects now, before moving or assigning them.
async fn count_filter(
    State(s): State<AppState>,
    ApiUser(actor): ApiUser,
    payload: Result<Json<CountBody>, JsonRejection>,
) -> ApiResult<Json<serde_json::Value>> {
    let b = bulk_body(payload)?;
    let filter = b.filter.into_filter()?;
    let count = s.store.count_filter(&actor, &filter).await?;
    Ok(Json(json!({ "count": count })))
}

/// The current fear-of-return flag and disclosure basis of one person.
async fn protection(
    State(s): State<AppState>,
    ApiUser(actor): ApiUser,
    Path(id): Path<String>,
) -> ApiResult<Json<Protection>> {
    let id = person_id(&s, &actor, &id).await?;
    Ok(Json(s.store.protection_of(&actor, &id).await?))
}

async fn move_persons(
    State(s): State<AppState>,
    ApiUser(actor): ApiUser,
    payload: Result<Json<MoveBody>, JsonRejection>,
) -> ApiResult<(StatusCode, Json<MoveResult>)> {
    let b = bulk_body(payload)?;
    let input = MoveInput {
        filter: b.filter.into_filter()?,
        to_facility_id: b.to_facility_id,
        to_section: b.to_section,
        vehicle: b.vehicle,
        escort: b.escort,
        departed_at: b.departed_at,
    };
    Ok((
        StatusCode::CREATED,
        Json(s.store.move_persons(&actor, &input).await?),
    ))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileQuery {
    format: Option<String>,
    lang: Option<String>,
}

async fn manifest(
    State(s): State<AppState>,
    ApiUser(actor): ApiUser,
    Path(id): Path<String>,
    headers: HeaderMap,
    q: Result<Query<FileQuery>, QueryRejection>,
) -> ApiResult<Response> {
    let q = query(q)?;
    let format = q.format.as_deref().unwrap_or("json");
    if !matches!(format, "json" | "xlsx" | "pdf") {
        return Err(
            ApiError::bad_request("unknown_value", "format must be json, xlsx or pdf")
                .field("format"),
        );
    }
    let lang = pdf_lang(q.lang.as_deref(), &headers)?;
    let m: Manifest = s.store.manifest(&actor, &id).await?;
    let name = format!("manifest-{}", m.movement_id);
    Ok(match format {
        "xlsx" => attachment(
            XLSX,
            &format!("{name}.xlsx"),
            manifest_xlsx(&m).map_err(|_| file_failed())?,
        ),
        "pdf" => attachment(
            "application/pdf",
            &format!("{name}.pdf"),
            manifest_pdf(&m, lang).map_err(|_| file_failed())?,
        ),
        _ => Json(m).into_response(),
    })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NumbersBody {
    registration_numbers: Vec<String>,
}

async fn check_arrivals(
    State(s): State<AppState>,
    ApiUser(actor): ApiUser,
    Path(id): Path<String>,
    payload: Result<Json<NumbersBody>, JsonRejection>,
) -> ApiResult<Json<ArrivalReport>> {
    let b = bulk_body(payload)?;
    if b.registration_numbers.is_empty() {
        return Err(moei_store::StoreError::from(FieldError::new(
            "registration_numbers",
            "required",
            "list at least one registration number",
        ))
        .into());
    }
    check_count("registration_numbers", &b.registration_numbers)?;
    Ok(Json(
        s.store
            .check_arrivals(&actor, &id, &b.registration_numbers)
            .await?,
    ))
}

/// Closes the arrival check; everyone not checked off is missing and raises the alert.
async fn close_arrival(
    State(s): State<AppState>,
    ApiUser(actor): ApiUser,
    Path(id): Path<String>,
) -> ApiResult<Json<serde_json::Value>> {
    let missing = s.store.close_arrival(&actor, &id).await?;
    Ok(Json(
        json!({ "movement_id": id, "alert": !missing.is_empty(), "missing": missing }),
    ))
}

async fn bottlenecks(
    State(s): State<AppState>,
    ApiUser(actor): ApiUser,
) -> ApiResult<Json<BottleneckReport>> {
    Ok(Json(s.store.bottlenecks(&actor).await?))
}

async fn departure_rate(
    State(s): State<AppState>,
    ApiUser(actor): ApiUser,
) -> ApiResult<Json<serde_json::Value>> {
    // The store's getter is unchecked (it feeds the bottleneck view); the rate is a logistics
    // figure, so the caller needs the same right as for that view.
    if !actor.principal.may(Action::ReadLogisticsCounts) {
        return Err(moei_store::StoreError::Forbidden.into());
    }
    Ok(Json(
        json!({ "rate_per_weekday": s.store.departure_rate().await? }),
    ))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RateBody {
    rate_per_weekday: i64,
}

async fn set_departure_rate(
    State(s): State<AppState>,
    ApiUser(actor): ApiUser,
    payload: Result<Json<RateBody>, JsonRejection>,
) -> ApiResult<Json<serde_json::Value>> {
    let b = body(payload)?;
    s.store
        .set_departure_rate(&actor, b.rate_per_weekday)
        .await
        .map_err(|e| rename_field(e, "rate", "rate_per_weekday"))?;
    Ok(Json(json!({ "rate_per_weekday": b.rate_per_weekday })))
}

/// The store names some fields by its own parameter names; the API names them as sent.
fn rename_field(e: moei_store::StoreError, from: &str, to: &str) -> ApiError {
    let mut err = ApiError::from(e);
    if err.field.as_deref() == Some(from) {
        err.field = Some(to.to_string());
    }
    err
}

async fn batches(
    State(s): State<AppState>,
    ApiUser(actor): ApiUser,
) -> ApiResult<Json<serde_json::Value>> {
    let items = s.store.batches(&actor).await?;
    Ok(Json(json!({ "items": items })))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct BatchBody {
    kind: String,
    carrier: String,
    route: String,
    departure_date: String,
    capacity: i64,
}

async fn create_batch(
    State(s): State<AppState>,
    ApiUser(actor): ApiUser,
    payload: Result<Json<BatchBody>, JsonRejection>,
) -> ApiResult<(StatusCode, Json<Batch>)> {
    let b = body(payload)?;
    let input = BatchInput {
        kind: b.kind,
        carrier: b.carrier,
        route: b.route,
        departure_date: b.departure_date,
        capacity: b.capacity,
    };
    Ok((
        StatusCode::CREATED,
        Json(s.store.create_batch(&actor, &input).await?),
    ))
}

/// The batch with its counts; the persons on it only for those who manage departures (others,
/// such as embassy officers and analysts, see counts of their scope).
async fn batch(
    State(s): State<AppState>,
    ApiUser(actor): ApiUser,
    Path(id): Path<String>,
) -> ApiResult<Json<serde_json::Value>> {
    let batch = s.store.batch(&actor, &id).await?;
    let persons = if actor.principal.may(Action::ManageDepartures) {
        Some(s.store.batch_persons(&actor, &id).await?)
    } else {
        None
    };
    let mut out = json!(batch);
    out["persons"] = json!(persons);
    Ok(Json(out))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AssignBody {
    filter: FilterBody,
}

async fn assign(
    State(s): State<AppState>,
    ApiUser(actor): ApiUser,
    Path(id): Path<String>,
    payload: Result<Json<AssignBody>, JsonRejection>,
) -> ApiResult<Json<AssignReport>> {
    let b = bulk_body(payload)?;
    let filter = b.filter.into_filter()?;
    Ok(Json(s.store.assign_to_batch(&actor, &id, &filter).await?))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct OutcomeBody {
    registration_numbers: Vec<String>,
    outcome: String,
    #[serde(default)]
    reentry_ban: bool,
}

async fn set_outcome(
    State(s): State<AppState>,
    ApiUser(actor): ApiUser,
    Path(id): Path<String>,
    payload: Result<Json<OutcomeBody>, JsonRejection>,
) -> ApiResult<Json<serde_json::Value>> {
    let b = bulk_body(payload)?;
    if b.registration_numbers.is_empty() {
        return Err(moei_store::StoreError::from(FieldError::new(
            "registration_numbers",
            "required",
            "list at least one registration number",
        ))
        .into());
    }
    check_count("registration_numbers", &b.registration_numbers)?;
    let changed = s
        .store
        .set_batch_outcome(
            &actor,
            &id,
            &b.registration_numbers,
            &b.outcome,
            b.reentry_ban,
        )
        .await?;
    Ok(Json(
        json!({ "changed": changed, "outcome": b.outcome.trim() }),
    ))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DepartBody {
    exit_record: String,
    handed_over_to: String,
}

async fn depart(
    State(s): State<AppState>,
    ApiUser(actor): ApiUser,
    Path(id): Path<String>,
    payload: Result<Json<DepartBody>, JsonRejection>,
) -> ApiResult<Json<Batch>> {
    let b = body(payload)?;
    Ok(Json(
        s.store
            .depart_batch(&actor, &id, &b.exit_record, &b.handed_over_to)
            .await?,
    ))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LangQuery {
    lang: Option<String>,
}

/// The handover receipt of a batch that has left, for the receiving party to sign.
async fn receipt(
    State(s): State<AppState>,
    ApiUser(actor): ApiUser,
    Path(id): Path<String>,
    headers: HeaderMap,
    q: Result<Query<LangQuery>, QueryRejection>,
) -> ApiResult<Response> {
    let lang = pdf_lang(query(q)?.lang.as_deref(), &headers)?;
    let batch = s.store.batch(&actor, &id).await?;
    if !actor.principal.may(Action::ManageDepartures) {
        return Err(moei_store::StoreError::Forbidden.into());
    }
    if batch.status != "departed" {
        return Err(moei_store::StoreError::Conflict(
            "this batch has not left yet: record its departure first".into(),
        )
        .into());
    }
    let persons = s.store.batch_persons(&actor, &id).await?;
    let pdf = handover_receipt_pdf(&batch, &persons, lang).map_err(|_| file_failed())?;
    Ok(attachment(
        "application/pdf",
        &format!("handover-receipt-{}.pdf", batch.id),
        pdf,
    ))
}
