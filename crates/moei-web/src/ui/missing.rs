//! Families' missing-person reports: the form an NGO or embassy fills in with the family, and
//! the reports the user may read, with their status.

use std::collections::HashMap;

use axum::extract::{Form, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use maud::html;
use moei_domain::Action;
use moei_store::StoreError;
use moei_store::identity::MissingReportInput;

use super::desk::{Errors, text_field, translate_errors};
use super::layout::{Ctx, page};
use crate::AppState;
use crate::auth::UiUser;

const PERSON_FIELDS: [&str; 9] = [
    "given_name",
    "family_name",
    "name_original_script",
    "sex",
    "date_of_birth",
    "nationality",
    "phone",
    "place_of_origin",
    "last_contact",
];
const REPORTER_FIELDS: [&str; 3] = ["reporter_name", "reporter_relationship", "reporter_contact"];

#[derive(serde::Deserialize, Default)]
pub struct MissingQuery {
    saved: Option<i64>,
}

async fn render(
    s: &AppState,
    user: &UiUser,
    form: &HashMap<String, String>,
    errors: &Errors,
    saved: Option<i64>,
) -> Response {
    let ctx = Ctx::of(user);
    let reports = match s.store.missing_reports(&user.actor, None).await {
        Ok(r) => r,
        Err(_) => return super::pages::forbidden(&ctx),
    };
    let value = |k: &str| form.get(k).map(String::as_str).unwrap_or("");
    let body = html! {
        p class="hint" { (ctx.t("missing-intro")) }
        @if let Some(n) = saved { p class="success" role="status" { (ctx.ta("missing-saved", &[("count", n.into())])) } }
        @for (f, m) in errors { @if f.is_empty() { p class="error" role="alert" { (m) } } }
        @if ctx.may(Action::ReportMissing) {
            h2 { (ctx.t("missing-new")) }
            form method="post" action="/missing" {
                (ctx.csrf_field())
                fieldset {
                    legend { (ctx.t("missing-person")) }
                    @for f in PERSON_FIELDS { (text_field(&ctx, f, value(f), errors, f == "given_name", None)) }
                }
                fieldset {
                    legend { (ctx.t("missing-reporter")) }
                    @for f in REPORTER_FIELDS { (text_field(&ctx, f, value(f), errors, false, None)) }
                    label {
                        input type="checkbox" name="consent_to_share" value="1" checked[form.contains_key("consent_to_share")];
                        " " (ctx.t("missing-consent"))
                    }
                }
                button type="submit" { (ctx.t("missing-submit")) }
            }
        }
        h2 { (ctx.t("missing-title")) }
        @if reports.is_empty() { p { (ctx.t("missing-none")) } }
        @else {
            table {
                thead { tr {
                    th scope="col" { (ctx.t("field-name")) }
                    th scope="col" { (ctx.t("field-nationality")) }
                    th scope="col" { (ctx.t("field-reporter-relationship")) }
                    th scope="col" { (ctx.t("field-reporting-agency")) }
                    th scope="col" { (ctx.t("field-consent-to-share")) }
                    th scope="col" { (ctx.t("field-status")) }
                } }
                tbody { @for r in &reports { tr {
                    td { (format!("{} {}", r.given_name, r.family_name).trim()) " " (r.name_original_script) }
                    td { (r.nationality) }
                    td { (r.reporter_relationship) }
                    td { (r.reporting_agency) }
                    td { (ctx.t(if r.consent_to_share { "yes" } else { "no" })) }
                    td {
                        (ctx.t(&format!("missing-status-{}", r.status)))
                        @if let Some(p) = &r.found_person_id { " · " a href={ "/persons/" (p) } { (ctx.t("review-open-record")) } }
                        @if r.family_informed_at.is_some() { " · " (ctx.t("missing-family-informed")) }
                        @else if r.status == "found" && ctx.may(Action::NotifyFamily) {
                            form method="post" action={ "/missing/" (r.id) "/informed" } class="inline" {
                                (ctx.csrf_field())
                                button type="submit" { (ctx.t("missing-inform")) }
                            }
                        }
                    }
                } } }
            }
        }
    };
    page(&ctx, &ctx.t("missing-title"), body).into_response()
}

pub async fn missing_page(
    State(s): State<AppState>,
    user: UiUser,
    Query(q): Query<MissingQuery>,
) -> Response {
    render(&s, &user, &HashMap::new(), &Vec::new(), q.saved).await
}

/// A page shown again after a failed action carries the failure's status.
pub(super) fn with_status(mut r: Response, e: &StoreError) -> Response {
    if r.status() == StatusCode::OK {
        *r.status_mut() = match e {
            StoreError::Forbidden => StatusCode::FORBIDDEN,
            StoreError::NotFound => StatusCode::NOT_FOUND,
            StoreError::Conflict(_) => StatusCode::CONFLICT,
            _ => StatusCode::UNPROCESSABLE_ENTITY,
        };
    }
    r
}

pub async fn create(
    State(s): State<AppState>,
    user: UiUser,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    if let Err(r) = user.check_csrf(form.get("csrf").map(String::as_str).unwrap_or("")) {
        return r;
    }
    let get = |k: &str| form.get(k).cloned().unwrap_or_default();
    let input = MissingReportInput {
        given_name: get("given_name"),
        family_name: get("family_name"),
        name_original_script: get("name_original_script"),
        sex: get("sex").to_ascii_uppercase(),
        date_of_birth: get("date_of_birth"),
        estimated_age: None,
        nationality: get("nationality"),
        phone: get("phone"),
        place_of_origin: get("place_of_origin"),
        last_contact: get("last_contact"),
        reporter_name: get("reporter_name"),
        reporter_relationship: get("reporter_relationship"),
        reporter_contact: get("reporter_contact"),
        consent_to_share: form.contains_key("consent_to_share"),
    };
    let saved = match s.store.create_missing_report(&user.actor, &input).await {
        Ok(report) => crate::identity::match_reports(&s.store, &user.actor, Some(&report.id)).await,
        Err(e) => Err(e),
    };
    match saved {
        Ok(n) => Redirect::to(&format!("/missing?saved={n}")).into_response(),
        Err(e) => {
            let errors = translate_errors(&Ctx::of(&user), &e);
            with_status(render(&s, &user, &form, &errors, None).await, &e)
        }
    }
}

pub async fn informed(
    State(s): State<AppState>,
    user: UiUser,
    Path(id): Path<String>,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    if let Err(r) = user.check_csrf(form.get("csrf").map(String::as_str).unwrap_or("")) {
        return r;
    }
    match s.store.mark_family_informed(&user.actor, &id).await {
        Ok(_) => Redirect::to("/missing").into_response(),
        Err(e) => {
            let errors = translate_errors(&Ctx::of(&user), &e);
            with_status(render(&s, &user, &HashMap::new(), &errors, None).await, &e)
        }
    }
}
