//! The embassy workspace: the nominal roll of one nationality (minimal identity data and the
//! consular state only, never screening), its files, per-person consular findings, and the
//! upload of an embassy's verification file. The store scopes embassy officers to their
//! nationals who may be disclosed, and records every disclosure.

use axum::Form;
use axum::extract::{Multipart, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use maud::{Markup, html};
use moei_domain::Action;
use moei_domain::logistics::{TravelDocumentKind, Verification};
use moei_domain::validation::ValidationErrors;
use moei_store::StoreError;
use moei_store::embassy::{ConsularInput, ConsularRow, ImportReport};

use super::desk::{Errors, translate_errors};
use super::layout::{Ctx, page};
use super::logistics::{
    CSV, PDF, Pairs, XLSX, check_csrf, download, error_list, field, from_hex, label,
    store_error_page, to_hex,
};
use crate::AppState;
use crate::auth::UiUser;
use crate::identity::MAX_UPLOAD_BYTES;
use crate::logistics_files::{read_consular_xlsx, roll_csv, roll_pdf, roll_xlsx};

/// What to show above the roll after an action.
enum Notice {
    None,
    Saved(String),
    Errors(Errors),
    /// An import's report; with the file (hex) when valid rows wait for confirmation.
    Report(ImportReport, Option<String>),
}

#[derive(serde::Deserialize, Default)]
pub struct RollQuery {
    nationality: Option<String>,
}

/// The nationality asked for, else an embassy officer's first.
fn chosen(user: &UiUser, asked: Option<&str>) -> String {
    asked
        .map(|n| n.trim().to_uppercase())
        .filter(|n| !n.is_empty())
        .or_else(|| user.actor.principal.nationalities.first().cloned())
        .unwrap_or_default()
}

fn report_markup(
    ctx: &Ctx,
    nationality: &str,
    report: &ImportReport,
    file: Option<&str>,
) -> Markup {
    html! {
        div data-testid="import-report" {
            p class=(if report.rejected == 0 { "success" } else { "error" }) role="status" {
                (ctx.ta("logistics-import-summary", &[
                    ("valid", (report.valid as i64).into()),
                    ("rejected", (report.rejected as i64).into()),
                    ("applied", (report.applied as i64).into()),
                ]))
            }
            @if report.rejected > 0 {
                table class="problems" {
                    thead { tr {
                        th scope="col" { (ctx.t("logistics-line")) }
                        th scope="col" { (ctx.t("logistics-col-registration-number")) }
                        th scope="col" { (ctx.t("field-status")) }
                        th scope="col" { (ctx.t("logistics-problems")) }
                    } }
                    tbody { @for r in report.rows.iter().filter(|r| r.status != "ok") { tr {
                        td class="num" { (r.line) }
                        td { (r.registration_number) }
                        td { (label(ctx, "logistics-row", &r.status)) }
                        td { (translate_errors(ctx, &StoreError::Invalid(ValidationErrors(r.errors.clone()))).into_iter().map(|(_, m)| m).collect::<Vec<_>>().join("; ")) }
                    } } }
                }
            }
            @if let Some(hex) = file {
                @if report.valid > 0 {
                    form method="post" action={ "/embassy/import?csrf=" (ctx.csrf) } enctype="multipart/form-data" {
                        input type="hidden" name="nationality" value=(nationality);
                        input type="hidden" name="accept" value="1";
                        input type="hidden" name="data" value=(hex);
                        button type="submit" class="primary" data-testid="apply-valid" {
                            (ctx.ta("logistics-apply-valid", &[("count", (report.valid as i64).into())]))
                        }
                    }
                }
            }
        }
    }
}

async fn render(
    s: &AppState,
    user: &UiUser,
    nationality: &str,
    notice: Notice,
    status: StatusCode,
) -> Response {
    let ctx = Ctx::of(user);
    if !ctx.may(Action::ReadNominalRoll) {
        return super::pages::forbidden(&ctx);
    }
    let officer_nationalities = &user.actor.principal.nationalities;
    // Viewing the roll is a disclosure to the viewer; the store records it per person.
    let roll = if nationality.is_empty() {
        None
    } else {
        match s.store.nominal_roll(&user.actor, nationality, false).await {
            Ok(r) => Some(r),
            Err(e) => return store_error_page(&ctx, &e),
        }
    };
    let may_record = ctx.may(Action::RecordConsular);
    let body = html! {
        form method="get" action="/embassy" class="search" {
            div class="field" {
                label for="nationality" { (ctx.t("field-nationality")) }
                @if officer_nationalities.is_empty() {
                    input id="nationality" name="nationality" value=(nationality) maxlength="3" size="4" required;
                } @else {
                    select id="nationality" name="nationality" {
                        @for n in officer_nationalities { option value=(n) selected[n == nationality] { (n) } }
                    }
                }
            }
            button type="submit" { (ctx.t("logistics-roll-show")) }
        }
        @match &notice {
            Notice::Saved(m) => { p class="success" role="status" { (m) } }
            Notice::Errors(errors) => { (error_list(errors)) }
            Notice::Report(r, file) => { (report_markup(&ctx, nationality, r, file.as_deref())) }
            Notice::None => {}
        }
        @if let Some(roll) = &roll {
            p class="hint" { (ctx.t("logistics-roll-basis-note")) }
            p class="downloads" {
                @for (format, key) in [("xlsx", "logistics-download-xlsx"), ("pdf", "logistics-download-pdf"), ("csv", "logistics-download-csv")] {
                    a href={ "/embassy/roll/" (format) "?nationality=" (roll.nationality) } data-testid={ "roll-" (format) } { (ctx.t(key)) } " "
                }
            }
            p { (ctx.t("logistics-total")) " " strong data-testid="roll-count" { (roll.entries.len()) } }
            table class="roll" data-testid="roll" {
                thead { tr {
                    th scope="col" { (ctx.t("logistics-col-registration-number")) }
                    th scope="col" { (ctx.t("logistics-col-family-name")) }
                    th scope="col" { (ctx.t("logistics-col-given-name")) }
                    th scope="col" { (ctx.t("logistics-col-original-script")) }
                    th scope="col" { (ctx.t("logistics-col-sex")) }
                    th scope="col" { (ctx.t("logistics-col-date-of-birth")) }
                    th scope="col" { (ctx.t("logistics-col-nationality")) }
                    th scope="col" { (ctx.t("logistics-col-verification")) }
                    th scope="col" { (ctx.t("logistics-col-travel-document")) }
                    th scope="col" { (ctx.t("field-proposed-departure")) }
                    th scope="col" { (ctx.t("logistics-col-legal-basis")) }
                } }
                tbody { @for e in &roll.entries { tr {
                    td { (e.registration_number) }
                    td { (e.family_name) }
                    td { (e.given_name) }
                    td { (e.name_original_script) }
                    td { (e.sex) }
                    td { (e.date_of_birth.clone().unwrap_or_default()) }
                    td { (e.nationality) }
                    td { (label(&ctx, "logistics-verification", &e.verification)) }
                    td {
                        @if let Some(k) = &e.travel_document_kind { (label(&ctx, "logistics-doc", k)) " " }
                        (e.travel_document_number.clone().unwrap_or_default())
                        @if let Some(u) = &e.travel_document_valid_until { " → " (u) }
                    }
                    td { (e.proposed_departure.clone().unwrap_or_default()) }
                    td { (label(&ctx, "logistics-basis", &e.legal_basis)) }
                } } }
            }
            @if may_record {
                h2 { (ctx.t("logistics-consular-title")) }
                form method="post" action="/embassy/consular" class="grid" data-testid="consular-form" {
                    (ctx.csrf_field())
                    input type="hidden" name="nationality" value=(roll.nationality);
                    div class="field" {
                        label for="registration_number" { (ctx.t("field-registration-number")) }
                        select id="registration_number" name="registration_number" required {
                            @for e in &roll.entries { option value=(e.registration_number) { (e.registration_number) " · " (e.given_name) " " (e.family_name) } }
                        }
                    }
                    div class="field" {
                        label for="verification" { (ctx.t("field-verification")) }
                        select id="verification" name="verification" {
                            option value="" { (ctx.t("logistics-unchanged")) }
                            @for v in Verification::ALL { option value=(v.as_str()) { (label(&ctx, "logistics-verification", v.as_str())) } }
                        }
                    }
                    div class="field" {
                        label for="travel_document_kind" { (ctx.t("field-travel-document-kind")) }
                        select id="travel_document_kind" name="travel_document_kind" {
                            option value="" { (ctx.t("logistics-unchanged")) }
                            @for k in TravelDocumentKind::ALL { option value=(k.as_str()) { (label(&ctx, "logistics-doc", k.as_str())) } }
                        }
                    }
                    div class="field" {
                        label for="travel_document_number" { (ctx.t("field-travel-document-number")) }
                        input id="travel_document_number" name="travel_document_number" maxlength="40";
                    }
                    div class="field" {
                        label for="travel_document_valid_until" { (ctx.t("field-travel-document-valid-until")) }
                        input id="travel_document_valid_until" name="travel_document_valid_until" type="date";
                    }
                    div class="field" {
                        label for="proposed_departure" { (ctx.t("field-proposed-departure")) }
                        input id="proposed_departure" name="proposed_departure" type="date";
                    }
                    button type="submit" class="primary" { (ctx.t("logistics-consular-submit")) }
                }
                h2 { (ctx.t("logistics-import-title")) }
                p class="hint" { (ctx.t("logistics-import-hint")) }
                form method="post" action={ "/embassy/import?csrf=" (ctx.csrf) } enctype="multipart/form-data" {
                    input type="hidden" name="nationality" value=(roll.nationality);
                    label for="file" { (ctx.t("field-file")) }
                    input type="file" id="file" name="file" required accept=".xlsx";
                    button type="submit" { (ctx.t("logistics-import-submit")) }
                }
            }
            @if roll.entries.is_empty() { p { (ctx.t("logistics-roll-empty")) } }
        }
    };
    let title = if nationality.is_empty() {
        ctx.t("logistics-embassy-title")
    } else {
        format!("{} {nationality}", ctx.t("logistics-roll-title"))
    };
    (status, page(&ctx, &title, body)).into_response()
}

pub async fn workspace(
    State(s): State<AppState>,
    user: UiUser,
    Query(q): Query<RollQuery>,
) -> Response {
    let nationality = chosen(&user, q.nationality.as_deref());
    render(&s, &user, &nationality, Notice::None, StatusCode::OK).await
}

pub async fn roll_file(
    State(s): State<AppState>,
    user: UiUser,
    axum::extract::Path(format): axum::extract::Path<String>,
    Query(q): Query<RollQuery>,
) -> Response {
    let ctx = Ctx::of(&user);
    let nationality = chosen(&user, q.nationality.as_deref());
    if !["xlsx", "pdf", "csv"].contains(&format.as_str()) {
        return store_error_page(&ctx, &StoreError::NotFound);
    }
    // Photos go into the PDF only where the sharing agreement allows them (the store decides).
    let roll = match s
        .store
        .nominal_roll(&user.actor, &nationality, format == "pdf")
        .await
    {
        Ok(r) => r,
        Err(e) => return store_error_page(&ctx, &e),
    };
    let name = format!("nominal-roll-{}.{format}", roll.nationality);
    match format.as_str() {
        "xlsx" => download(&ctx, roll_xlsx(&roll), XLSX, &name),
        "pdf" => download(&ctx, roll_pdf(&roll, user.lang), PDF, &name),
        _ => download(&ctx, roll_csv(&roll), CSV, &name),
    }
}

/// One person's findings, as a one-row import: the store matches the registration number
/// within the officer's disclosable nationals, validates, and writes or refuses as a whole.
pub async fn record(State(s): State<AppState>, user: UiUser, Form(form): Form<Pairs>) -> Response {
    if let Err(r) = check_csrf(&user, &form) {
        return r;
    }
    let ctx = Ctx::of(&user);
    let nationality = chosen(&user, Some(field(&form, "nationality")));
    let number = field(&form, "registration_number").to_string();
    let opt = |k: &str| Some(field(&form, k).to_string()).filter(|v| !v.is_empty());
    let row = ConsularRow {
        line: 1,
        registration_number: number.clone(),
        input: ConsularInput {
            verification: opt("verification"),
            travel_document_kind: opt("travel_document_kind"),
            travel_document_number: opt("travel_document_number"),
            travel_document_valid_until: opt("travel_document_valid_until"),
            proposed_departure: opt("proposed_departure"),
        },
    };
    let (notice, status) = match s.store.import_consular(&user.actor, &[row], false).await {
        Ok(r) if r.applied == 1 => (
            Notice::Saved(ctx.ta("logistics-consular-saved", &[("number", number.into())])),
            StatusCode::OK,
        ),
        Ok(r) => {
            let errors = r
                .rows
                .into_iter()
                .flat_map(|row| row.errors)
                .collect::<Vec<_>>();
            (
                Notice::Errors(translate_errors(
                    &ctx,
                    &StoreError::Invalid(ValidationErrors(errors)),
                )),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
        }
        Err(e) => return store_error_page(&ctx, &e),
    };
    render(&s, &user, &nationality, notice, status).await
}

#[derive(serde::Deserialize)]
pub struct CsrfQuery {
    csrf: Option<String>,
}

/// The upload form's parts: nationality, the file (or the hex copy a confirmation carries),
/// and whether to apply the valid rows of a file with errors.
async fn read_upload(mut multipart: Multipart) -> Result<(String, Vec<u8>, bool), String> {
    let (mut nationality, mut bytes, mut accept) = (String::new(), Vec::new(), false);
    while let Some(mut part) = multipart.next_field().await.map_err(|e| e.body_text())? {
        match part.name().unwrap_or("") {
            "file" => {
                while let Some(chunk) = part.chunk().await.map_err(|e| e.body_text())? {
                    if bytes.len() + chunk.len() > MAX_UPLOAD_BYTES {
                        return Err(format!("> {} MiB", MAX_UPLOAD_BYTES / (1024 * 1024)));
                    }
                    bytes.extend_from_slice(&chunk);
                }
            }
            "data" => {
                let text = part.text().await.map_err(|e| e.body_text())?;
                bytes = from_hex(&text).ok_or_else(|| "?".to_string())?;
            }
            "nationality" => nationality = part.text().await.map_err(|e| e.body_text())?,
            "accept" => accept = true,
            _ => {}
        }
    }
    Ok((nationality, bytes, accept))
}

pub async fn import(
    State(s): State<AppState>,
    user: UiUser,
    Query(q): Query<CsrfQuery>,
    multipart: Multipart,
) -> Response {
    if let Err(r) = user.check_csrf(q.csrf.as_deref().unwrap_or("")) {
        return r;
    }
    let ctx = Ctx::of(&user);
    let file_error = |detail: String| {
        Notice::Errors(vec![(
            "file".into(),
            format!("{}: {}", ctx.t("field-file"), detail),
        )])
    };
    let (nationality, bytes, accept) = match read_upload(multipart).await {
        Ok(parts) => parts,
        Err(m) => {
            let nationality = chosen(&user, None);
            let notice = file_error(m);
            return render(
                &s,
                &user,
                &nationality,
                notice,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
    };
    let nationality = chosen(&user, Some(&nationality));
    let rows = match read_consular_xlsx(&bytes) {
        Ok(rows) if !rows.is_empty() => rows,
        Ok(_) => {
            let notice = file_error(ctx.t("err-no_records"));
            return render(
                &s,
                &user,
                &nationality,
                notice,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
        Err(e) => {
            let notice = file_error(e.to_string());
            return render(
                &s,
                &user,
                &nationality,
                notice,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
    };
    match s.store.import_consular(&user.actor, &rows, accept).await {
        Ok(report) => {
            // Nothing written yet and some rows valid: offer to apply them.
            let pending = (report.applied == 0 && report.valid > 0).then(|| to_hex(&bytes));
            let status = if report.rejected == 0 {
                StatusCode::OK
            } else {
                StatusCode::UNPROCESSABLE_ENTITY
            };
            render(
                &s,
                &user,
                &nationality,
                Notice::Report(report, pending),
                status,
            )
            .await
        }
        Err(e) => store_error_page(&ctx, &e),
    }
}
