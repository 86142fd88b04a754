//! The logistics part of the JSON API: site occupancy, the bottleneck view and the nominal roll
//! download. Authorization, scope and audit happen in the store.

use axum::extract::{Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use moei_store::departures::BottleneckReport;
use moei_store::facilities::Facility;
use serde::Deserialize;

use crate::AppState;
use crate::auth::ApiUser;
use crate::error::ApiError;
use crate::logistics_files::{roll_csv, roll_xlsx};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/facilities", get(facilities))
        .route("/api/v1/bottlenecks", get(bottlenecks))
        .route("/api/v1/nominal-roll", get(nominal_roll))
}

async fn facilities(
    State(s): State<AppState>,
    ApiUser(actor): ApiUser,
) -> Result<Json<Vec<Facility>>, ApiError> {
    Ok(Json(s.store.facilities(&actor).await?))
}

async fn bottlenecks(
    State(s): State<AppState>,
    ApiUser(actor): ApiUser,
) -> Result<Json<BottleneckReport>, ApiError> {
    Ok(Json(s.store.bottlenecks(&actor).await?))
}

#[derive(Deserialize)]
struct RollQuery {
    nationality: String,
    format: String,
}

async fn nominal_roll(
    State(s): State<AppState>,
    ApiUser(actor): ApiUser,
    Query(q): Query<RollQuery>,
) -> Result<Response, ApiError> {
    let (content_type, extension) = match q.format.as_str() {
        "xlsx" => (
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "xlsx",
        ),
        "csv" => ("text/csv; charset=utf-8", "csv"),
        _ => {
            return Err(
                ApiError::bad_request("unknown_value", "format must be xlsx or csv")
                    .field("format"),
            );
        }
    };
    let roll = s.store.nominal_roll(&actor, &q.nationality, false).await?;
    let bytes = match extension {
        "xlsx" => roll_xlsx(&roll),
        _ => roll_csv(&roll),
    }
    .map_err(|_| {
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "could not write the roll",
        )
    })?;
    let disposition = format!(
        "attachment; filename=\"nominal-roll-{}.{extension}\"",
        roll.nationality
    );
    Ok((
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        bytes,
    )
        .into_response())
}
