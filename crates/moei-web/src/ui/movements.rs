//! Moving people between sites: everyone a filter selects goes in one action (hundreds at a
//! time, no cap), then the movement page holds the manifest, its files, and the arrival check
//! person by person; closing the check raises the alert for anyone missing.

use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, html};
use moei_domain::Action;
use moei_domain::logistics::Section;
use moei_store::facilities::{MoveInput, MovementFilter, MovementSummary};

use super::desk::{Errors, translate_errors};
use super::facilities::occupancy_table;
use super::layout::{Ctx, page};
use super::logistics::{
    PDF, Pairs, XLSX, all, check_csrf, download, error_list, field, filter_fields, is_preview,
    label, preview_controls, read_filter, section_label, store_error_page, when,
};
use crate::AppState;
use crate::auth::UiUser;
use crate::logistics_files::{manifest_pdf, manifest_xlsx};

/// The move form (kept filled in after a preview or an error), the list of movements with
/// their arrival state, and the occupancy of every site.
async fn render_form(
    s: &AppState,
    user: &UiUser,
    values: &Pairs,
    preview: Option<i64>,
    errors: &Errors,
    status: StatusCode,
) -> Response {
    let ctx = Ctx::of(user);
    if !ctx.may(Action::MovePersons) {
        return super::pages::forbidden(&ctx);
    }
    let facilities = match s.store.facilities(&user.actor).await {
        Ok(f) => f,
        Err(e) => return store_error_page(&ctx, &e),
    };
    let movements = match s
        .store
        .movements(&user.actor, &MovementFilter::default())
        .await
    {
        Ok(m) => m,
        Err(e) => return store_error_page(&ctx, &e),
    };
    let v = |name: &str| field(values, name).to_string();
    let (to, to_section) = (v("to_facility_id"), v("to_section"));
    let body = html! {
        p class="hint" { (ctx.t("logistics-move-intro")) }
        (error_list(errors))
        form method="post" action="/movements" class="grid" data-testid="move-form" {
            (ctx.csrf_field())
            (filter_fields(&ctx, &facilities, values))
            fieldset class="filter" {
                legend { (ctx.t("logistics-destination")) }
                div class="field" {
                    label for="to_facility_id" { (ctx.t("field-to-facility-id")) }
                    select id="to_facility_id" name="to_facility_id" required {
                        @for f in &facilities { option value=(f.id) selected[to == f.id] { (f.name) } }
                    }
                }
                div class="field" {
                    label for="to_section" { (ctx.t("field-to-section")) }
                    select id="to_section" name="to_section" {
                        option value="" { (ctx.t("logistics-section-keep")) }
                        @for sec in Section::ALL { option value=(sec.as_str()) selected[to_section == sec.as_str()] { (section_label(&ctx, sec.as_str())) } }
                    }
                }
                div class="field" {
                    label for="vehicle" { (ctx.t("field-vehicle")) }
                    input id="vehicle" name="vehicle" maxlength="200" value=(v("vehicle"));
                }
                div class="field" {
                    label for="escort" { (ctx.t("field-escort")) }
                    input id="escort" name="escort" maxlength="200" value=(v("escort"));
                }
                div class="field" {
                    label for="departed_at" { (ctx.t("field-departed-at")) }
                    input id="departed_at" name="departed_at" type="datetime-local" value=(v("departed_at")) aria-describedby="departed_at-hint";
                    small id="departed_at-hint" class="hint" { (ctx.t("logistics-departed-at-hint")) }
                }
            }
            // The preview comes first, so that Enter in a field counts rather than moves.
            (preview_controls(&ctx, preview))
            button type="submit" class="primary" data-testid="move-submit" { (ctx.t("logistics-move-submit")) }
        }
        h2 { (ctx.t("logistics-movements-list")) }
        (movement_list(&ctx, &movements))
        h2 { (ctx.t("logistics-facilities-title")) }
        (occupancy_table(&ctx, &facilities))
    };
    (
        status,
        page(&ctx, &ctx.t("logistics-movements-title"), body),
    )
        .into_response()
}

/// Recent movements, newest first: where from and to, how, when, and the arrival counts.
fn movement_list(ctx: &Ctx, movements: &[MovementSummary]) -> Markup {
    html! {
        @if movements.is_empty() { p { (ctx.t("logistics-no-movements")) } }
        @else {
            table data-testid="movements" {
                thead { tr {
                    th scope="col" { (ctx.t("logistics-departed")) }
                    th scope="col" { (ctx.t("logistics-from")) }
                    th scope="col" { (ctx.t("field-to-facility-id")) }
                    th scope="col" { (ctx.t("field-vehicle")) }
                    th scope="col" { (ctx.t("field-escort")) }
                    th scope="col" { (ctx.t("logistics-on-board")) }
                    th scope="col" { (label(ctx, "logistics-arrival", "arrived")) }
                    th scope="col" { (label(ctx, "logistics-arrival", "missing")) }
                    th scope="col" { (ctx.t("logistics-arrival-check")) }
                } }
                tbody { @for m in movements { tr data-movement=(m.movement_id) {
                    td { a href={ "/movements/" (m.movement_id) } { (when(&m.departed_at)) } }
                    td {
                        (m.from.join(", "))
                        @if m.from_unplaced > 0 {
                            @if !m.from.is_empty() { ", " }
                            (ctx.t("logistics-unplaced"))
                        }
                    }
                    td { (m.to_facility) }
                    td { (m.vehicle) }
                    td { (m.escort) }
                    td class="num" { (m.on_board) }
                    td class="num" { (m.arrived) }
                    td class="num" { (m.missing) }
                    td class="state" {
                        @if m.open { (ctx.t("logistics-arrival-open")) }
                        @else { (ctx.t("logistics-arrival-closed")) " " (m.arrived_at.as_deref().map(when).unwrap_or_default()) }
                    }
                } } }
            }
        }
    }
}

pub async fn movements_page(State(s): State<AppState>, user: UiUser) -> Response {
    render_form(&s, &user, &Vec::new(), None, &Vec::new(), StatusCode::OK).await
}

pub async fn create(State(s): State<AppState>, user: UiUser, Form(form): Form<Pairs>) -> Response {
    if let Err(r) = check_csrf(&user, &form) {
        return r;
    }
    let filter = read_filter(&form);
    let ctx = Ctx::of(&user);
    if is_preview(&form) {
        return match s.store.count_filter(&user.actor, &filter).await {
            Ok(n) => render_form(&s, &user, &form, Some(n), &Vec::new(), StatusCode::OK).await,
            Err(moei_store::StoreError::Invalid(v)) => {
                let errors = translate_errors(&ctx, &moei_store::StoreError::Invalid(v));
                render_form(
                    &s,
                    &user,
                    &form,
                    None,
                    &errors,
                    StatusCode::UNPROCESSABLE_ENTITY,
                )
                .await
            }
            Err(e) => store_error_page(&ctx, &e),
        };
    }
    let input = MoveInput {
        filter,
        to_facility_id: field(&form, "to_facility_id").to_string(),
        to_section: Some(field(&form, "to_section").to_string()),
        vehicle: field(&form, "vehicle").to_string(),
        escort: field(&form, "escort").to_string(),
        departed_at: Some(field(&form, "departed_at").to_string()),
    };
    match s.store.move_persons(&user.actor, &input).await {
        Ok(r) => {
            Redirect::to(&format!("/movements/{}?moved={}", r.movement_id, r.moved)).into_response()
        }
        Err(moei_store::StoreError::Invalid(v)) => {
            let errors = translate_errors(&ctx, &moei_store::StoreError::Invalid(v));
            render_form(
                &s,
                &user,
                &form,
                None,
                &errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => store_error_page(&ctx, &e),
    }
}

#[derive(serde::Deserialize, Default)]
pub struct MovementQuery {
    moved: Option<i64>,
    checked: Option<i64>,
}

async fn render_movement(
    s: &AppState,
    user: &UiUser,
    id: &str,
    q: &MovementQuery,
    errors: &Errors,
    status: StatusCode,
) -> Response {
    let ctx = Ctx::of(user);
    let m = match s.store.manifest(&user.actor, id).await {
        Ok(m) => m,
        Err(e) => return store_error_page(&ctx, &e),
    };
    // Sections of the destination now near or over capacity (counts only).
    let warnings: Vec<_> = s
        .store
        .facilities(&user.actor)
        .await
        .unwrap_or_default()
        .into_iter()
        .filter(|f| f.name == m.to_facility)
        .flat_map(|f| f.sections)
        .filter(|sec| sec.level != "ok")
        .collect();
    let count = |state: &str| m.persons.iter().filter(|p| p.arrival == state).count() as i64;
    let (expected, arrived, missing) = (count("expected"), count("arrived"), count("missing"));
    let open = m.arrived_at.is_none();
    let body = html! {
        @if let Some(n) = q.moved {
            p class="success" role="status" data-testid="moved" { (ctx.ta("logistics-moved", &[("count", n.into())])) }
        }
        @if let Some(n) = q.checked {
            p class="success" role="status" { (ctx.ta("logistics-checked", &[("count", n.into())])) }
        }
        (error_list(errors))
        @for w in &warnings {
            p class="warning" role="alert" {
                (label(&ctx, "logistics-level", &w.level)) ": " (section_label(&ctx, &w.section))
                " " (w.occupied) " / " (w.capacity)
            }
        }
        @if !open && missing > 0 {
            div class="error alert" role="alert" data-testid="missing-alert" {
                p { strong { (ctx.ta("logistics-missing-alert", &[("count", missing.into())])) } }
                ul { @for p in m.persons.iter().filter(|p| p.arrival == "missing") {
                    li { (p.person.registration_number) " · " (p.person.given_name) " " (p.person.family_name) " · " (p.person.nationality) }
                } }
            }
        }
        dl class="facts" {
            dt { (ctx.t("field-to-facility-id")) } dd { (m.to_facility) }
            dt { (ctx.t("field-vehicle")) } dd { (m.vehicle) }
            dt { (ctx.t("field-escort")) } dd { (m.escort) }
            dt { (ctx.t("logistics-departed")) } dd { (when(&m.departed_at)) }
            dt { (ctx.t("logistics-arrived-at")) } dd { (m.arrived_at.as_deref().map(when).unwrap_or_else(|| ctx.t("logistics-arrival-open"))) }
            dt { (ctx.t("logistics-total")) } dd data-testid="manifest-count" { (m.persons.len()) }
            dt { (ctx.t("logistics-counts")) } dd data-testid="arrival-counts" {
                (label(&ctx, "logistics-arrival", "expected")) " " (expected) " · "
                (label(&ctx, "logistics-arrival", "arrived")) " " (arrived) " · "
                (label(&ctx, "logistics-arrival", "missing")) " " (missing)
            }
        }
        p class="downloads" {
            a href={ "/movements/" (m.movement_id) "/manifest/pdf" } data-testid="manifest-pdf" { (ctx.t("logistics-download-pdf")) }
            " · "
            a href={ "/movements/" (m.movement_id) "/manifest/xlsx" } data-testid="manifest-xlsx" { (ctx.t("logistics-download-xlsx")) }
        }
        @if open && expected > 0 {
            form method="post" action={ "/movements/" (m.movement_id) "/arrivals" } id="arrivals" {
                (ctx.csrf_field())
                p {
                    button type="submit" name="all" value="1" data-testid="all-present" { (ctx.t("logistics-all-present")) }
                }
            }
        }
        table class="manifest" {
            thead { tr {
                th scope="col" { (ctx.t("logistics-col-arrival")) }
                th scope="col" { (ctx.t("logistics-col-registration-number")) }
                th scope="col" { (ctx.t("field-name")) }
                th scope="col" { (ctx.t("logistics-col-original-script")) }
                th scope="col" { (ctx.t("logistics-col-sex")) }
                th scope="col" { (ctx.t("logistics-col-nationality")) }
                th scope="col" { (ctx.t("logistics-col-section")) }
            } }
            tbody { @for p in &m.persons { tr class={ "arrival-" (p.arrival) } {
                td {
                    @if open && p.arrival == "expected" {
                        label {
                            input type="checkbox" form="arrivals" name="n" value=(p.person.registration_number) class="arrived";
                            " " (ctx.t("logistics-tick-arrived"))
                        }
                    } @else { (label(&ctx, "logistics-arrival", &p.arrival)) }
                }
                td { a href={ "/persons/" (p.person.person_id) "/logistics" } { (p.person.registration_number) } }
                td { (p.person.given_name) " " (p.person.family_name) }
                td { (p.person.name_original_script) }
                td { (p.person.sex) }
                td { (p.person.nationality) }
                td { (section_label(&ctx, &p.section)) }
            } } }
        }
        @if open && expected > 0 {
            p { button type="submit" form="arrivals" class="primary" data-testid="record-arrivals" { (ctx.t("logistics-record-arrivals")) } }
        }
        @if open {
            form method="post" action={ "/movements/" (m.movement_id) "/close" } {
                (ctx.csrf_field())
                p class="hint" { (ctx.t("logistics-close-hint")) }
                button type="submit" data-testid="close-arrival" { (ctx.t("logistics-close-arrival")) }
            }
        }
    };
    (
        status,
        page(
            &ctx,
            &format!("{} {}", ctx.t("logistics-manifest-title"), m.to_facility),
            body,
        ),
    )
        .into_response()
}

pub async fn movement_page(
    State(s): State<AppState>,
    user: UiUser,
    Path(id): Path<String>,
    Query(q): Query<MovementQuery>,
) -> Response {
    render_movement(&s, &user, &id, &q, &Vec::new(), StatusCode::OK).await
}

/// Ticked persons (or, with "all present", everyone still expected) are checked off.
pub async fn arrivals(
    State(s): State<AppState>,
    user: UiUser,
    Path(id): Path<String>,
    Form(form): Form<Pairs>,
) -> Response {
    if let Err(r) = check_csrf(&user, &form) {
        return r;
    }
    let ctx = Ctx::of(&user);
    let numbers: Vec<String> = if field(&form, "all") == "1" {
        match s.store.manifest(&user.actor, &id).await {
            Ok(m) => m
                .persons
                .into_iter()
                .filter(|p| p.arrival == "expected")
                .map(|p| p.person.registration_number)
                .collect(),
            Err(e) => return store_error_page(&ctx, &e),
        }
    } else {
        all(&form, "n").into_iter().map(str::to_string).collect()
    };
    if numbers.is_empty() {
        let errors = vec![(String::new(), ctx.t("logistics-none-ticked"))];
        return render_movement(
            &s,
            &user,
            &id,
            &MovementQuery::default(),
            &errors,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    match s.store.check_arrivals(&user.actor, &id, &numbers).await {
        Ok(r) => Redirect::to(&format!("/movements/{id}?checked={}", r.checked)).into_response(),
        Err(e) => store_error_page(&ctx, &e),
    }
}

pub async fn close(
    State(s): State<AppState>,
    user: UiUser,
    Path(id): Path<String>,
    Form(form): Form<Pairs>,
) -> Response {
    if let Err(r) = check_csrf(&user, &form) {
        return r;
    }
    match s.store.close_arrival(&user.actor, &id).await {
        // The movement page lists the missing persons of a closed arrival as an alert.
        Ok(_) => Redirect::to(&format!("/movements/{id}")).into_response(),
        Err(e) => store_error_page(&Ctx::of(&user), &e),
    }
}

pub async fn manifest_file(
    State(s): State<AppState>,
    user: UiUser,
    Path((id, format)): Path<(String, String)>,
) -> Response {
    let ctx = Ctx::of(&user);
    let m = match s.store.manifest(&user.actor, &id).await {
        Ok(m) => m,
        Err(e) => return store_error_page(&ctx, &e),
    };
    let name = format!("manifest-{}.{format}", m.movement_id);
    match format.as_str() {
        "pdf" => download(&ctx, manifest_pdf(&m, user.lang), PDF, &name),
        "xlsx" => download(&ctx, manifest_xlsx(&m), XLSX, &name),
        _ => store_error_page(&ctx, &moei_store::StoreError::NotFound),
    }
}
