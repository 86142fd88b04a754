//! Departure batches (a flight or a bus): creating and listing them, assigning people by filter
//! with the refusals and their reasons, per-person outcomes, the departure with its exit
//! formalities and handover receipt; and the bottleneck view with the planned departure rate.

use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use maud::html;
use moei_domain::Action;
use moei_domain::logistics::{BatchKind, Outcome};
use moei_store::StoreError;
use moei_store::departures::{AssignReport, BatchInput};

use super::desk::{Errors, translate_errors};
use super::layout::{Ctx, page};
use super::logistics::{
    PDF, Pairs, all, check_csrf, download, error_list, field, filter_fields, is_preview, label,
    preview_controls, read_filter, store_error_page, when,
};
use crate::AppState;
use crate::auth::UiUser;
use crate::logistics_files::handover_receipt_pdf;

/// The translated messages of a store refusal; a conflict gets the page's own explanation.
fn errors_of(ctx: &Ctx, e: &StoreError, conflict_key: &str) -> Errors {
    match e {
        StoreError::Conflict(_) => vec![(String::new(), ctx.t(conflict_key))],
        other => translate_errors(ctx, other),
    }
}

async fn render_list(s: &AppState, user: &UiUser, errors: &Errors, status: StatusCode) -> Response {
    let ctx = Ctx::of(user);
    if !ctx.may(Action::ManageDepartures) {
        return super::pages::forbidden(&ctx);
    }
    let batches = match s.store.batches(&user.actor).await {
        Ok(b) => b,
        Err(e) => return store_error_page(&ctx, &e),
    };
    let body = html! {
        @if batches.is_empty() { p { (ctx.t("logistics-no-batches")) } }
        @else {
            table data-testid="batches" {
                thead { tr {
                    th scope="col" { (ctx.t("field-departure-date")) }
                    th scope="col" { (ctx.t("field-kind")) }
                    th scope="col" { (ctx.t("field-carrier")) }
                    th scope="col" { (ctx.t("field-route")) }
                    th scope="col" { (ctx.t("logistics-seats")) }
                    th scope="col" { (ctx.t("field-status")) }
                } }
                tbody { @for b in &batches { tr {
                    td { a href={ "/batches/" (b.id) } { (b.departure_date) } }
                    td { (label(&ctx, "logistics-batch-kind", &b.kind)) }
                    td { (b.carrier) }
                    td { (b.route) }
                    td class="num" { (b.assigned) " / " (b.capacity) }
                    td { (label(&ctx, "logistics-batch-status", &b.status)) }
                } } }
            }
        }
        h2 { (ctx.t("logistics-batch-create")) }
        (error_list(errors))
        form method="post" action="/batches" class="grid" data-testid="batch-form" {
            (ctx.csrf_field())
            div class="field" {
                label for="kind" { (ctx.t("field-kind")) }
                select id="kind" name="kind" {
                    @for k in BatchKind::ALL { option value=(k.as_str()) { (label(&ctx, "logistics-batch-kind", k.as_str())) } }
                }
            }
            div class="field" {
                label for="carrier" { (ctx.t("field-carrier")) }
                input id="carrier" name="carrier" required maxlength="200";
            }
            div class="field" {
                label for="route" { (ctx.t("field-route")) }
                input id="route" name="route" required maxlength="200";
            }
            div class="field" {
                label for="departure_date" { (ctx.t("field-departure-date")) }
                input id="departure_date" name="departure_date" type="date" required;
            }
            div class="field" {
                label for="capacity" { (ctx.t("field-capacity")) }
                input id="capacity" name="capacity" type="number" min="1" max="10000" required;
            }
            button type="submit" class="primary" { (ctx.t("logistics-batch-submit")) }
        }
    };
    (status, page(&ctx, &ctx.t("logistics-batches-title"), body)).into_response()
}

pub async fn batches_page(State(s): State<AppState>, user: UiUser) -> Response {
    render_list(&s, &user, &Vec::new(), StatusCode::OK).await
}

pub async fn create(State(s): State<AppState>, user: UiUser, Form(form): Form<Pairs>) -> Response {
    if let Err(r) = check_csrf(&user, &form) {
        return r;
    }
    let ctx = Ctx::of(&user);
    let Ok(capacity) = field(&form, "capacity").parse::<i64>() else {
        let errors = vec![(
            "capacity".into(),
            format!("{}: {}", ctx.t("field-capacity"), ctx.t("err-out_of_range")),
        )];
        return render_list(&s, &user, &errors, StatusCode::UNPROCESSABLE_ENTITY).await;
    };
    let input = BatchInput {
        kind: field(&form, "kind").to_string(),
        carrier: field(&form, "carrier").to_string(),
        route: field(&form, "route").to_string(),
        departure_date: field(&form, "departure_date").to_string(),
        capacity,
    };
    match s.store.create_batch(&user.actor, &input).await {
        Ok(b) => Redirect::to(&format!("/batches/{}", b.id)).into_response(),
        Err(StoreError::Invalid(v)) => {
            let errors = translate_errors(&ctx, &StoreError::Invalid(v));
            render_list(&s, &user, &errors, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => store_error_page(&ctx, &e),
    }
}

/// What to show at the top of a batch page after an action.
enum Notice {
    None,
    Assigned(AssignReport),
    Changed(i64),
    Errors(Errors),
    /// How many the posted filter selects, with the form to show again filled in.
    Preview(i64, Pairs),
    /// An assignment refused as a whole, with the form to show again filled in.
    AssignErrors(Errors, Pairs),
}

async fn render_batch(
    s: &AppState,
    user: &UiUser,
    id: &str,
    notice: Notice,
    status: StatusCode,
) -> Response {
    let ctx = Ctx::of(user);
    if !ctx.may(Action::ManageDepartures) {
        return super::pages::forbidden(&ctx);
    }
    let b = match s.store.batch(&user.actor, id).await {
        Ok(b) => b,
        Err(e) => return store_error_page(&ctx, &e),
    };
    let persons = match s.store.batch_persons(&user.actor, id).await {
        Ok(p) => p,
        Err(e) => return store_error_page(&ctx, &e),
    };
    let facilities = s.store.facilities(&user.actor).await.unwrap_or_default();
    let planned = b.status == "planned";
    let no_values = Pairs::new();
    let (preview, posted) = match &notice {
        Notice::Preview(n, form) => (Some(*n), form),
        Notice::AssignErrors(_, form) => (None, form),
        _ => (None, &no_values),
    };
    let body = html! {
        @match &notice {
            Notice::Assigned(r) => {
                p class="success" role="status" data-testid="assigned" { (ctx.ta("logistics-assigned", &[("count", r.assigned.into())])) }
                @if !r.refused.is_empty() {
                    div class="error" role="alert" data-testid="refusals" {
                        p { (ctx.ta("logistics-refused", &[("count", (r.refused.len() as i64).into())])) }
                        table class="problems" {
                            thead { tr {
                                th scope="col" { (ctx.t("logistics-col-registration-number")) }
                                th scope="col" { (ctx.t("logistics-reasons")) }
                            } }
                            tbody { @for x in &r.refused { tr {
                                td { (x.registration_number) }
                                td { (x.reasons.iter().map(|why| label(&ctx, "logistics-block", why)).collect::<Vec<_>>().join("; ")) }
                            } } }
                        }
                    }
                }
            }
            Notice::Changed(n) => { p class="success" role="status" { (ctx.ta("logistics-outcomes-saved", &[("count", (*n).into())])) } }
            Notice::Errors(errors) | Notice::AssignErrors(errors, _) => { (error_list(errors)) }
            Notice::Preview(..) | Notice::None => {}
        }
        dl class="facts" {
            dt { (ctx.t("field-kind")) } dd { (label(&ctx, "logistics-batch-kind", &b.kind)) }
            dt { (ctx.t("field-carrier")) } dd { (b.carrier) }
            dt { (ctx.t("field-route")) } dd { (b.route) }
            dt { (ctx.t("field-departure-date")) } dd { (b.departure_date) }
            dt { (ctx.t("logistics-seats")) } dd data-testid="seats" { (b.assigned) " / " (b.capacity) }
            dt { (ctx.t("field-status")) } dd data-testid="batch-status" { (label(&ctx, "logistics-batch-status", &b.status)) }
            @if let Some(at) = &b.departed_at {
                dt { (ctx.t("logistics-departed")) } dd { (when(at)) }
                dt { (ctx.t("field-exit-record")) } dd { (b.exit_record) }
                dt { (ctx.t("field-handed-over-to")) } dd { (b.handed_over_to) }
            }
        }
        @if !planned {
            p class="downloads" { a href={ "/batches/" (b.id) "/receipt" } data-testid="receipt" { (ctx.t("logistics-receipt-download")) } }
        }
        @if planned {
            h2 { (ctx.t("logistics-assign-title")) }
            p class="hint" { (ctx.t("logistics-assign-hint")) }
            form method="post" action={ "/batches/" (b.id) "/assign" } class="grid" data-testid="assign-form" {
                (ctx.csrf_field())
                (filter_fields(&ctx, &facilities, posted))
                // The preview comes first, so that Enter in a field counts rather than assigns.
                (preview_controls(&ctx, preview))
                button type="submit" class="primary" data-testid="assign-submit" { (ctx.t("logistics-assign-submit")) }
            }
        }
        h2 { (ctx.t("logistics-batch-persons")) }
        @if persons.is_empty() { p { (ctx.t("logistics-batch-empty")) } }
        @else {
            @if planned { form id="outcomes" method="post" action={ "/batches/" (b.id) "/outcome" } { (ctx.csrf_field()) } }
            table class="manifest" data-testid="batch-persons" {
                thead { tr {
                    @if planned { th scope="col" { (ctx.t("logistics-select")) } }
                    th scope="col" { (ctx.t("logistics-col-registration-number")) }
                    th scope="col" { (ctx.t("field-name")) }
                    th scope="col" { (ctx.t("logistics-col-original-script")) }
                    th scope="col" { (ctx.t("logistics-col-nationality")) }
                    th scope="col" { (ctx.t("logistics-col-travel-document")) }
                    th scope="col" { (ctx.t("field-outcome")) }
                    th scope="col" { (ctx.t("logistics-reentry-ban")) }
                } }
                tbody { @for p in &persons { tr class={ "outcome-" (p.outcome) } data-number=(p.person.registration_number) {
                    @if planned { td { input type="checkbox" form="outcomes" name="n" value=(p.person.registration_number) aria-label=(p.person.registration_number); } }
                    td { a href={ "/persons/" (p.person.person_id) "/logistics" } { (p.person.registration_number) } }
                    td { (p.person.given_name) " " (p.person.family_name) }
                    td { (p.person.name_original_script) }
                    td { (p.person.nationality) }
                    td { (p.travel_document_number.clone().unwrap_or_default()) }
                    td class="outcome" { (label(&ctx, "logistics-outcome", &p.outcome)) }
                    td { @if p.reentry_ban { (ctx.t("yes")) } }
                } } }
            }
            @if planned {
                div class="grid" {
                    div class="field" {
                        label for="outcome" { (ctx.t("field-outcome")) }
                        select id="outcome" name="outcome" form="outcomes" {
                            @for o in Outcome::ALL.iter().filter(|o| **o != Outcome::Departed) {
                                option value=(o.as_str()) { (label(&ctx, "logistics-outcome", o.as_str())) }
                            }
                        }
                    }
                    label { input type="checkbox" name="reentry_ban" value="1" form="outcomes"; " " (ctx.t("logistics-reentry-ban")) }
                    button type="submit" form="outcomes" data-testid="outcome-submit" { (ctx.t("logistics-outcome-submit")) }
                }
                h2 { (ctx.t("logistics-depart-title")) }
                form method="post" action={ "/batches/" (b.id) "/depart" } class="grid" data-testid="depart-form" {
                    (ctx.csrf_field())
                    div class="field" {
                        label for="exit_record" { (ctx.t("field-exit-record")) }
                        input id="exit_record" name="exit_record" required maxlength="200";
                    }
                    div class="field" {
                        label for="handed_over_to" { (ctx.t("field-handed-over-to")) }
                        input id="handed_over_to" name="handed_over_to" required maxlength="200";
                    }
                    p class="hint" { (ctx.t("logistics-depart-hint")) }
                    button type="submit" class="primary" { (ctx.t("logistics-depart-submit")) }
                }
            }
        }
    };
    let title = format!("{} · {} {}", b.carrier, b.route, b.departure_date);
    (status, page(&ctx, &title, body)).into_response()
}

pub async fn batch_page(
    State(s): State<AppState>,
    user: UiUser,
    Path(id): Path<String>,
) -> Response {
    render_batch(&s, &user, &id, Notice::None, StatusCode::OK).await
}

pub async fn assign(
    State(s): State<AppState>,
    user: UiUser,
    Path(id): Path<String>,
    Form(form): Form<Pairs>,
) -> Response {
    if let Err(r) = check_csrf(&user, &form) {
        return r;
    }
    let ctx = Ctx::of(&user);
    let filter = read_filter(&form);
    let result = if is_preview(&form) {
        s.store
            .count_filter(&user.actor, &filter)
            .await
            .map(|n| Notice::Preview(n, form.clone()))
    } else {
        s.store
            .assign_to_batch(&user.actor, &id, &filter)
            .await
            .map(Notice::Assigned)
    };
    let (notice, status) = match result {
        Ok(notice) => (notice, StatusCode::OK),
        Err(StoreError::Forbidden) => return super::pages::forbidden(&ctx),
        Err(StoreError::NotFound) => return store_error_page(&ctx, &StoreError::NotFound),
        Err(e) => (
            Notice::AssignErrors(errors_of(&ctx, &e, "logistics-assign-conflict"), form),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
    };
    render_batch(&s, &user, &id, notice, status).await
}

pub async fn outcome(
    State(s): State<AppState>,
    user: UiUser,
    Path(id): Path<String>,
    Form(form): Form<Pairs>,
) -> Response {
    if let Err(r) = check_csrf(&user, &form) {
        return r;
    }
    let ctx = Ctx::of(&user);
    let numbers: Vec<String> = all(&form, "n").into_iter().map(str::to_string).collect();
    if numbers.is_empty() {
        let notice = Notice::Errors(vec![(String::new(), ctx.t("logistics-none-ticked"))]);
        return render_batch(&s, &user, &id, notice, StatusCode::UNPROCESSABLE_ENTITY).await;
    }
    let ban = field(&form, "reentry_ban") == "1";
    let (notice, status) = match s
        .store
        .set_batch_outcome(&user.actor, &id, &numbers, field(&form, "outcome"), ban)
        .await
    {
        Ok(n) => (Notice::Changed(n), StatusCode::OK),
        Err(StoreError::Forbidden) => return super::pages::forbidden(&ctx),
        Err(StoreError::NotFound) => return store_error_page(&ctx, &StoreError::NotFound),
        Err(e) => (
            Notice::Errors(errors_of(&ctx, &e, "logistics-batch-closed")),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
    };
    render_batch(&s, &user, &id, notice, status).await
}

pub async fn depart(
    State(s): State<AppState>,
    user: UiUser,
    Path(id): Path<String>,
    Form(form): Form<Pairs>,
) -> Response {
    if let Err(r) = check_csrf(&user, &form) {
        return r;
    }
    let ctx = Ctx::of(&user);
    match s
        .store
        .depart_batch(
            &user.actor,
            &id,
            field(&form, "exit_record"),
            field(&form, "handed_over_to"),
        )
        .await
    {
        Ok(_) => Redirect::to(&format!("/batches/{id}")).into_response(),
        Err(StoreError::Forbidden) => super::pages::forbidden(&ctx),
        Err(StoreError::NotFound) => store_error_page(&ctx, &StoreError::NotFound),
        Err(e) => {
            let notice = Notice::Errors(errors_of(&ctx, &e, "logistics-depart-conflict"));
            render_batch(&s, &user, &id, notice, StatusCode::UNPROCESSABLE_ENTITY).await
        }
    }
}

pub async fn receipt(State(s): State<AppState>, user: UiUser, Path(id): Path<String>) -> Response {
    let ctx = Ctx::of(&user);
    let b = match s.store.batch(&user.actor, &id).await {
        Ok(b) => b,
        Err(e) => return store_error_page(&ctx, &e),
    };
    let persons = match s.store.batch_persons(&user.actor, &id).await {
        Ok(p) => p,
        Err(e) => return store_error_page(&ctx, &e),
    };
    download(
        &ctx,
        handover_receipt_pdf(&b, &persons, user.lang),
        PDF,
        &format!("handover-receipt-{}.pdf", b.departure_date),
    )
}

async fn render_bottlenecks(
    s: &AppState,
    user: &UiUser,
    errors: &Errors,
    status: StatusCode,
) -> Response {
    let ctx = Ctx::of(user);
    let r = match s.store.bottlenecks(&user.actor).await {
        Ok(r) => r,
        Err(e) => return store_error_page(&ctx, &e),
    };
    let body = html! {
        p data-testid="projection" {
            (ctx.ta("logistics-present", &[("count", r.present.into())])) " "
            @match &r.projected_clear_date {
                Some(d) => { (ctx.ta("logistics-projected", &[("date", d.clone().into()), ("rate", r.rate_per_weekday.into())])) }
                None => { (ctx.t("logistics-projected-none")) }
            }
        }
        table data-testid="bottlenecks" {
            thead { tr {
                th scope="col" { (ctx.t("field-nationality")) }
                th scope="col" { (ctx.t("logistics-embassy")) }
                th scope="col" { (ctx.t("logistics-present-col")) }
                th scope="col" { (ctx.t("logistics-assigned-col")) }
                th scope="col" { (ctx.t("logistics-ready")) }
                th scope="col" { (ctx.t("logistics-blocked")) }
                th scope="col" { (ctx.t("logistics-reasons")) }
            } }
            tbody { @for n in &r.nationalities { tr data-nationality=(n.nationality) {
                td { (n.nationality) " " (moei_domain::countries::name(&n.nationality).unwrap_or("")) }
                td { (ctx.t(if n.has_embassy { "yes" } else { "no" })) }
                td class="num" { (n.present) }
                td class="num" { (n.assigned) }
                td class="num ready" { (n.ready) }
                td class="num blocked" { (n.blocked) }
                td { ul class="reasons" { @for (why, count) in n.reasons.iter().filter(|(_, c)| *c > 0) {
                    li { (label(&ctx, "logistics-block", why)) ": " (count) }
                } } }
            } } }
        }
        @if ctx.may(Action::ManageDepartures) {
            h2 { (ctx.t("logistics-rate-title")) }
            (error_list(errors))
            form method="post" action="/bottlenecks/rate" class="grid" {
                (ctx.csrf_field())
                div class="field" {
                    label for="rate" { (ctx.t("field-rate")) }
                    input id="rate" name="rate" type="number" min="1" max="100000" value=(r.rate_per_weekday) required;
                }
                button type="submit" { (ctx.t("logistics-rate-submit")) }
            }
        }
    };
    (
        status,
        page(&ctx, &ctx.t("logistics-bottlenecks-title"), body),
    )
        .into_response()
}

pub async fn bottlenecks_page(State(s): State<AppState>, user: UiUser) -> Response {
    render_bottlenecks(&s, &user, &Vec::new(), StatusCode::OK).await
}

pub async fn set_rate(
    State(s): State<AppState>,
    user: UiUser,
    Form(form): Form<Pairs>,
) -> Response {
    if let Err(r) = check_csrf(&user, &form) {
        return r;
    }
    let ctx = Ctx::of(&user);
    // An unreadable number is out of range, like the store's own check.
    let rate = field(&form, "rate").parse::<i64>().unwrap_or(0);
    match s.store.set_departure_rate(&user.actor, rate).await {
        Ok(()) => Redirect::to("/bottlenecks").into_response(),
        Err(StoreError::Forbidden) => super::pages::forbidden(&ctx),
        Err(e) => {
            let errors = translate_errors(&ctx, &e);
            render_bottlenecks(&s, &user, &errors, StatusCode::UNPROCESSABLE_ENTITY).await
        }
    }
}
