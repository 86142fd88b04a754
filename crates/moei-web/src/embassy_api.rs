//! The embassy workspace over the JSON API (`openapi/logistics.json`): the nominal roll as a
//! file, consular findings per person or from the embassy's verification spreadsheet, the
//! protection rules that decide what an embassy may see, and the list of embassies.
//!
//! Who sees whom (nationality scope, disclosable persons only) is decided in
//! `moei_store::embassy`; this layer parses requests and writes files.

use axum::extract::multipart::MultipartRejection;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{DefaultBodyLimit, Multipart, Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::{Json, Router};
use moei_store::StoreError;
use moei_store::embassy::{ConsularInput, ConsularRecord, Embassy, ImportReport};
use serde::Deserialize;
use serde_json::json;

use crate::AppState;
use crate::api::{ApiResult, body};
use crate::auth::ApiUser;
use crate::error::ApiError;
use crate::logistics_api::{XLSX, attachment, file_failed, pdf_lang, person_id, query};
use crate::logistics_files::{FileError, read_consular_xlsx, roll_csv, roll_pdf, roll_xlsx};

/// An embassy's verification file; a roll of thousands of rows is far below this.
pub const MAX_CONSULAR_FILE_BYTES: usize = 5 * 1024 * 1024;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/nominal-roll", get(nominal_roll))
        .route("/api/v1/persons/{id}/consular", put(record_consular))
        .route(
            "/api/v1/consular/import",
            // Room for the multipart framing around a file at the limit; the file itself is
            // measured while it is read.
            post(import_consular).layer(DefaultBodyLimit::max(MAX_CONSULAR_FILE_BYTES + 64 * 1024)),
        )
        .route("/api/v1/persons/{id}/protection", put(set_protection))
        .route(
            "/api/v1/persons/{id}/disclosure-basis",
            put(record_disclosure_basis),
        )
        .route("/api/v1/embassies", get(embassies))
        .route("/api/v1/embassies/{nationality}", put(set_embassy))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RollQuery {
    nationality: String,
    format: String,
    lang: Option<String>,
    /// PDF only: include photos where the nationality's sharing agreement allows them.
    photos: Option<String>,
}

async fn nominal_roll(
    State(s): State<AppState>,
    ApiUser(actor): ApiUser,
    headers: HeaderMap,
    q: Result<Query<RollQuery>, QueryRejection>,
) -> ApiResult<Response> {
    let q = query(q)?;
    if !matches!(q.format.as_str(), "xlsx" | "csv" | "pdf") {
        return Err(
            ApiError::bad_request("unknown_value", "format must be xlsx, csv or pdf")
                .field("format"),
        );
    }
    let lang = pdf_lang(q.lang.as_deref(), &headers)?;
    let with_photos = flag("photos", q.photos.as_deref())? && q.format == "pdf";
    let roll = s
        .store
        .nominal_roll(&actor, &q.nationality, with_photos)
        .await?;
    let name = format!("nominal-roll-{}.{}", roll.nationality, q.format);
    let (content_type, bytes) = match q.format.as_str() {
        "xlsx" => (XLSX, roll_xlsx(&roll)),
        "pdf" => ("application/pdf", roll_pdf(&roll, lang)),
        _ => ("text/csv; charset=utf-8", roll_csv(&roll)),
    };
    Ok(attachment(
        content_type,
        &name,
        bytes.map_err(|_| file_failed())?,
    ))
}

/// The embassy's findings on one person; fields left out stay as they were.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ConsularBody {
    verification: Option<String>,
    travel_document_kind: Option<String>,
    travel_document_number: Option<String>,
    travel_document_valid_until: Option<String>,
    proposed_departure: Option<String>,
}

async fn record_consular(
    State(s): State<AppState>,
    ApiUser(actor): ApiUser,
    Path(id): Path<String>,
    payload: Result<Json<ConsularBody>, JsonRejection>,
) -> ApiResult<Json<ConsularRecord>> {
    let b = body(payload)?;
    let input = ConsularInput {
        verification: b.verification,
        travel_document_kind: b.travel_document_kind,
        travel_document_number: b.travel_document_number,
        travel_document_valid_until: b.travel_document_valid_until,
        proposed_departure: b.proposed_departure,
    };
    let id = person_id(&s, &actor, &id).await?;
    Ok(Json(s.store.record_consular(&actor, &id, &input).await?))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ImportQuery {
    accept_valid_rows: Option<String>,
}

/// A yes/no query parameter (parsed here: serde's own message would not name it).
fn flag(field: &str, value: Option<&str>) -> ApiResult<bool> {
    match value.map(str::trim) {
        None | Some("") | Some("false") | Some("0") => Ok(false),
        Some("true") | Some("1") => Ok(true),
        Some(_) => Err(ApiError::bad_request(
            "unknown_value",
            format!("{field} must be true or false"),
        )
        .field(field)),
    }
}

fn file_error(code: &str, message: impl Into<String>) -> ApiError {
    ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, code, message).field("file")
}

fn multipart_error(e: axum::extract::multipart::MultipartError) -> ApiError {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        too_large()
    } else {
        ApiError::bad_request("bad_multipart", e.body_text()).field("file")
    }
}

fn too_large() -> ApiError {
    ApiError::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        "too_large",
        format!(
            "the file must be at most {} MiB",
            MAX_CONSULAR_FILE_BYTES / (1024 * 1024)
        ),
    )
    .field("file")
}

/// The `file` part (read in chunks, refused past the limit) and the optional
/// `accept_valid_rows` part of the form.
async fn read_upload(mut multipart: Multipart) -> ApiResult<(Option<Vec<u8>>, bool)> {
    let (mut file, mut accept) = (None, false);
    while let Some(mut field) = multipart.next_field().await.map_err(multipart_error)? {
        match field.name().unwrap_or("") {
            "file" => {
                let mut bytes = Vec::new();
                while let Some(chunk) = field.chunk().await.map_err(multipart_error)? {
                    if bytes.len() + chunk.len() > MAX_CONSULAR_FILE_BYTES {
                        return Err(too_large());
                    }
                    bytes.extend_from_slice(&chunk);
                }
                file = Some(bytes);
            }
            "accept_valid_rows" => {
                let text = field.text().await.map_err(multipart_error)?;
                accept = matches!(text.trim(), "true" | "1" | "on" | "yes");
            }
            _ => {}
        }
    }
    Ok((file, accept))
}

/// Applies an embassy's verification file (multipart, part `file`). Rows are matched by
/// registration number within the officer's scope. A file with any bad row is refused whole
/// (422 with the report) unless `accept_valid_rows=true`, in which case the good rows are kept.
async fn import_consular(
    State(s): State<AppState>,
    ApiUser(actor): ApiUser,
    q: Result<Query<ImportQuery>, QueryRejection>,
    multipart: Result<Multipart, MultipartRejection>,
) -> ApiResult<Response> {
    let q = query(q)?;
    let multipart = multipart.map_err(|e| {
        ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "content_type",
            format!(
                "send the file as multipart/form-data in a part named file: {}",
                e.body_text()
            ),
        )
        .field("file")
    })?;
    let (file, accept_in_form) = read_upload(multipart).await?;
    let bytes = file
        .filter(|b| !b.is_empty())
        .ok_or_else(|| file_error("required", "attach the XLSX file in a part named file"))?;
    let rows = read_consular_xlsx(&bytes).map_err(|e| match e {
        FileError::MissingColumn(_) => file_error("missing_column", e.to_string()),
        other => file_error("unreadable_file", other.to_string()),
    })?;
    if rows.is_empty() {
        return Err(file_error(
            "empty_file",
            "the file has no rows under its header",
        ));
    }
    let accept = flag("accept_valid_rows", q.accept_valid_rows.as_deref())? || accept_in_form;
    let report: ImportReport = s.store.import_consular(&actor, &rows, accept).await?;
    if report.rejected > 0 && !accept {
        let err = json!({ "error": {
            "code": "rejected_rows",
            "message": format!(
                "{} of {} rows were not applied (see report.rows); nothing was stored. Send accept_valid_rows=true to keep the {} valid rows",
                report.rejected, report.rows.len(), report.valid
            ),
            "field": "file",
        }, "report": report });
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, Json(err)).into_response());
    }
    Ok(Json(report).into_response())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ProtectionBody {
    /// `flagged` (a fear of return, not reviewed), `upheld` or `cleared` (the review).
    status: String,
    #[serde(default)]
    reason: String,
}

async fn set_protection(
    State(s): State<AppState>,
    ApiUser(actor): ApiUser,
    Path(id): Path<String>,
    payload: Result<Json<ProtectionBody>, JsonRejection>,
) -> ApiResult<Json<serde_json::Value>> {
    let b = body(payload)?;
    let id = person_id(&s, &actor, &id).await?;
    s.store
        .set_protection(&actor, &id, &b.status, &b.reason)
        .await?;
    Ok(Json(json!({ "person_id": id, "status": b.status.trim() })))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct BasisBody {
    basis: String,
}

async fn record_disclosure_basis(
    State(s): State<AppState>,
    ApiUser(actor): ApiUser,
    Path(id): Path<String>,
    payload: Result<Json<BasisBody>, JsonRejection>,
) -> ApiResult<Json<serde_json::Value>> {
    let b = body(payload)?;
    let id = person_id(&s, &actor, &id).await?;
    s.store
        .record_disclosure_basis(&actor, &id, &b.basis)
        .await?;
    Ok(Json(json!({ "person_id": id, "basis": b.basis.trim() })))
}

async fn embassies(
    State(s): State<AppState>,
    ApiUser(_actor): ApiUser,
) -> ApiResult<Json<serde_json::Value>> {
    // Which countries have an embassy is public knowledge: any signed-in caller may read it.
    let items = s.store.embassies().await?;
    Ok(Json(json!({ "items": items })))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EmbassyBody {
    has_embassy: bool,
    photos_allowed: bool,
    source: String,
}

async fn set_embassy(
    State(s): State<AppState>,
    ApiUser(actor): ApiUser,
    Path(nationality): Path<String>,
    payload: Result<Json<EmbassyBody>, JsonRejection>,
) -> ApiResult<Json<Embassy>> {
    let b = body(payload)?;
    let entry = Embassy {
        nationality: nationality.trim().to_uppercase(),
        has_embassy: b.has_embassy,
        photos_allowed: b.photos_allowed,
        source: b.source,
    };
    s.store.set_embassy(&actor, &entry).await?;
    s.store
        .embassies()
        .await?
        .into_iter()
        .find(|e| e.nationality == entry.nationality)
        .map(Json)
        .ok_or_else(|| StoreError::NotFound.into())
}
