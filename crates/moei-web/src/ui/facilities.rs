//! Sites with capacity and occupancy per section, creating a site, and one person's logistics
//! page: where they have been, and (for protection staff) the fear-of-return flag and the legal
//! basis for disclosing their identity to their embassy.

use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, html};
use moei_domain::Action;
use moei_domain::logistics::{FacilityKind, LegalBasis, ProtectionStatus, Section};
use moei_store::embassy::Protection;
use moei_store::facilities::{Facility, FacilityInput};

use super::desk::{Errors, translate_errors};
use super::layout::{Ctx, page};
use super::logistics::{
    Pairs, check_csrf, error_list, field, label, section_label, store_error_page, when,
};
use crate::AppState;
use crate::auth::UiUser;

/// The occupancy table of every site, with a warning on sections near or over capacity.
pub(super) fn occupancy_table(ctx: &Ctx, facilities: &[Facility]) -> maud::Markup {
    html! {
        table class="occupancy" data-testid="occupancy" {
            thead { tr {
                th scope="col" { (ctx.t("logistics-facility")) }
                th scope="col" { (ctx.t("field-kind")) }
                th scope="col" { (ctx.t("field-section")) }
                th scope="col" { (ctx.t("logistics-occupied")) }
                th scope="col" { (ctx.t("field-capacity")) }
                th scope="col" { (ctx.t("logistics-level")) }
            } }
            tbody {
                @for f in facilities {
                    @for (i, s) in f.sections.iter().enumerate() {
                        tr class=(format!("level-{}", s.level)) data-facility=(f.name) data-section=(s.section) {
                            td { @if i == 0 { strong { (f.name) } } }
                            td { @if i == 0 { (label(ctx, "logistics-kind", &f.kind)) } }
                            td { (section_label(ctx, &s.section)) }
                            td class="num" { (s.occupied) }
                            td class="num" { (s.capacity) }
                            td {
                                @if s.level == "ok" { (ctx.t("logistics-level-ok")) }
                                @else { strong class="warning" role="alert" { (label(ctx, "logistics-level", &s.level)) } }
                            }
                        }
                    }
                    tr class="total" {
                        td { (f.name) } td {} td { (ctx.t("logistics-total-row")) }
                        td class="num" { (f.occupied) } td class="num" { (f.capacity) } td {}
                    }
                }
            }
        }
    }
}

async fn render(s: &AppState, user: &UiUser, errors: &Errors, status: StatusCode) -> Response {
    let ctx = Ctx::of(user);
    let facilities = match s.store.facilities(&user.actor).await {
        Ok(f) => f,
        Err(e) => return store_error_page(&ctx, &e),
    };
    let body = html! {
        @if facilities.is_empty() { p { (ctx.t("logistics-no-facilities")) } }
        @else { (occupancy_table(&ctx, &facilities)) }
        @if ctx.may(Action::ManageFacilities) {
            h2 { (ctx.t("logistics-facility-create")) }
            (error_list(errors))
            form method="post" action="/facilities" class="grid" {
                (ctx.csrf_field())
                div class="field" {
                    label for="name" { (ctx.t("field-name")) }
                    input id="name" name="name" required maxlength="120";
                }
                div class="field" {
                    label for="kind" { (ctx.t("field-kind")) }
                    select id="kind" name="kind" {
                        @for k in FacilityKind::ALL { option value=(k.as_str()) { (label(&ctx, "logistics-kind", k.as_str())) } }
                    }
                }
                @for sec in Section::ALL {
                    div class="field" {
                        label for={ "cap_" (sec.as_str()) } { (ctx.t("field-capacity")) ": " (section_label(&ctx, sec.as_str())) }
                        input id={ "cap_" (sec.as_str()) } name={ "cap_" (sec.as_str()) } type="number" min="0" max="1000000" value="0";
                    }
                }
                button type="submit" class="primary" { (ctx.t("logistics-facility-submit")) }
            }
        }
    };
    (
        status,
        page(&ctx, &ctx.t("logistics-facilities-title"), body),
    )
        .into_response()
}

pub async fn facilities_page(State(s): State<AppState>, user: UiUser) -> Response {
    render(&s, &user, &Vec::new(), StatusCode::OK).await
}

pub async fn create(State(s): State<AppState>, user: UiUser, Form(form): Form<Pairs>) -> Response {
    if let Err(r) = check_csrf(&user, &form) {
        return r;
    }
    let ctx = Ctx::of(&user);
    let mut errors: Errors = Vec::new();
    let mut capacities = Vec::new();
    for sec in Section::ALL {
        let raw = field(&form, &format!("cap_{}", sec.as_str()));
        match raw.parse::<i64>() {
            Ok(n) => capacities.push((sec.as_str().to_string(), n)),
            Err(_) if raw.is_empty() => {}
            Err(_) => errors.push((
                "capacities".into(),
                format!(
                    "{} ({}): {}",
                    ctx.t("field-capacity"),
                    section_label(&ctx, sec.as_str()),
                    ctx.t("err-out_of_range")
                ),
            )),
        }
    }
    if !errors.is_empty() {
        return render(&s, &user, &errors, StatusCode::UNPROCESSABLE_ENTITY).await;
    }
    let input = FacilityInput {
        name: field(&form, "name").to_string(),
        kind: field(&form, "kind").to_string(),
        capacities,
    };
    match s.store.create_facility(&user.actor, &input).await {
        Ok(_) => Redirect::to("/facilities").into_response(),
        Err(moei_store::StoreError::Forbidden) => super::pages::forbidden(&ctx),
        Err(e) => {
            let errors = translate_errors(&ctx, &e);
            render(&s, &user, &errors, StatusCode::UNPROCESSABLE_ENTITY).await
        }
    }
}

/// Staff who act on a person's whereabouts or protection; embassy officers are not among them.
pub(super) fn may_see_logistics(ctx: &Ctx) -> bool {
    ctx.may(Action::MovePersons) || ctx.may(Action::RecordProtection)
}

/// The fear-of-return flag and the disclosure basis as they stand now, above the forms that
/// change them.
fn protection_state(ctx: &Ctx, p: &Protection) -> Markup {
    let by = |who: &str, at: &str| {
        ctx.ta(
            "logistics-by-at",
            &[("who", who.to_string().into()), ("when", when(at).into())],
        )
    };
    html! {
        h2 { (ctx.t("logistics-protection-state")) }
        dl class="facts" data-testid="protection-state" {
            dt { (ctx.t("logistics-fear-of-return")) }
            dd data-testid="protection-flag" {
                @match &p.flag {
                    None => { (ctx.t("logistics-none-recorded")) }
                    Some(f) => {
                        strong { (label(ctx, "logistics-protection-state", &f.status)) }
                        " · " (by(&f.flagged_by, &f.flagged_at))
                        @if let (Some(who), Some(at)) = (&f.reviewed_by, &f.reviewed_at) {
                            " · " (ctx.t("logistics-reviewed")) " " (by(who, at))
                        }
                    }
                }
            }
            @if let Some(reason) = p.flag.as_ref().and_then(|f| f.reason.as_deref()).filter(|r| !r.is_empty()) {
                dt { (ctx.t("field-reason")) } dd { (reason) }
            }
            dt { (ctx.t("logistics-basis")) }
            dd data-testid="protection-basis" {
                @match &p.disclosure_basis {
                    None => { (ctx.t("logistics-none-recorded")) }
                    Some(b) => { strong { (label(ctx, "logistics-basis", &b.basis)) } " · " (by(&b.recorded_by, &b.recorded_at)) }
                }
            }
            dt { (ctx.t("logistics-disclosable")) }
            dd data-testid="protection-disclosable" { (ctx.t(if p.disclosable { "yes" } else { "no" })) }
        }
    }
}

async fn render_person(
    s: &AppState,
    user: &UiUser,
    id: &str,
    notice: Option<String>,
    errors: &Errors,
    status: StatusCode,
) -> Response {
    let ctx = Ctx::of(user);
    if !may_see_logistics(&ctx) {
        return super::pages::forbidden(&ctx);
    }
    // The person read and the history are audited by the store.
    let person = match s.store.person(&user.actor, id).await {
        Ok(p) => p,
        Err(e) => return store_error_page(&ctx, &e),
    };
    let history = match s.store.location_history(&user.actor, id).await {
        Ok(h) => h,
        Err(e) => return store_error_page(&ctx, &e),
    };
    let protection = match s.store.protection_of(&user.actor, &person.id).await {
        Ok(p) => p,
        Err(e) => return store_error_page(&ctx, &e),
    };
    let body = html! {
        p class="regno-big" data-testid="registration-number" { (person.registration_number) }
        p { a href={ "/persons/" (person.id) } { (ctx.t("logistics-person-record")) } }
        @if let Some(n) = &notice { p class="success" role="status" { (n) } }
        (error_list(errors))
        (protection_state(&ctx, &protection))
        h2 { (ctx.t("logistics-location-history")) }
        @if history.is_empty() { p { (ctx.t("logistics-never-moved")) } }
        @else {
            table data-testid="location-history" {
                thead { tr {
                    th scope="col" { (ctx.t("logistics-departed")) }
                    th scope="col" { (ctx.t("logistics-facility")) }
                    th scope="col" { (ctx.t("field-section")) }
                    th scope="col" { (ctx.t("logistics-col-arrival")) }
                } }
                tbody { @for h in &history { tr {
                    td { @if ctx.may(Action::MovePersons) { a href={ "/movements/" (h.movement_id) } { (when(&h.departed_at)) } } @else { (when(&h.departed_at)) } }
                    td { (h.facility) }
                    td { (section_label(&ctx, &h.section)) }
                    td { (label(&ctx, "logistics-arrival", &h.arrival)) }
                } } }
            }
        }
        @if ctx.may(Action::RecordProtection) {
            h2 { (ctx.t("logistics-protection")) }
            p class="hint" { (ctx.t("logistics-protection-hint")) }
            form method="post" action={ "/persons/" (person.id) "/protection" } class="grid" {
                (ctx.csrf_field())
                div class="field" {
                    label for="status" { (ctx.t("field-status")) }
                    select id="status" name="status" {
                        @for st in ProtectionStatus::ALL { option value=(st.as_str()) { (label(&ctx, "logistics-protection", st.as_str())) } }
                    }
                }
                label for="reason" { (ctx.t("field-reason")) }
                textarea id="reason" name="reason" rows="2" maxlength="2000" {}
                button type="submit" { (ctx.t("logistics-protection-submit")) }
            }
            h2 { (ctx.t("logistics-basis")) }
            form method="post" action={ "/persons/" (person.id) "/disclosure-basis" } class="grid" {
                (ctx.csrf_field())
                div class="field" {
                    label for="basis" { (ctx.t("field-basis")) }
                    select id="basis" name="basis" {
                        @for b in LegalBasis::ALL { option value=(b.as_str()) { (label(&ctx, "logistics-basis", b.as_str())) } }
                    }
                }
                button type="submit" { (ctx.t("logistics-basis-submit")) }
            }
        }
    };
    (
        status,
        page(
            &ctx,
            &format!(
                "{} · {}",
                super::pages::display_name(&person),
                ctx.t("logistics-person-title")
            ),
            body,
        ),
    )
        .into_response()
}

pub async fn person_page(
    State(s): State<AppState>,
    user: UiUser,
    Path(id): Path<String>,
) -> Response {
    render_person(&s, &user, &id, None, &Vec::new(), StatusCode::OK).await
}

pub async fn set_protection(
    State(s): State<AppState>,
    user: UiUser,
    Path(id): Path<String>,
    Form(form): Form<Pairs>,
) -> Response {
    if let Err(r) = check_csrf(&user, &form) {
        return r;
    }
    let ctx = Ctx::of(&user);
    let status = field(&form, "status");
    let result = s
        .store
        .set_protection(&user.actor, &id, status, field(&form, "reason"))
        .await;
    after_protection(&s, &user, &id, result, || {
        label(&ctx, "logistics-protection-saved", status)
    })
    .await
}

pub async fn set_basis(
    State(s): State<AppState>,
    user: UiUser,
    Path(id): Path<String>,
    Form(form): Form<Pairs>,
) -> Response {
    if let Err(r) = check_csrf(&user, &form) {
        return r;
    }
    let ctx = Ctx::of(&user);
    let basis = field(&form, "basis");
    let result = s
        .store
        .record_disclosure_basis(&user.actor, &id, basis)
        .await;
    after_protection(&s, &user, &id, result, || {
        format!(
            "{} {}",
            ctx.t("logistics-basis-saved"),
            label(&ctx, "logistics-basis", basis)
        )
    })
    .await
}

async fn after_protection(
    s: &AppState,
    user: &UiUser,
    id: &str,
    result: moei_store::Result<()>,
    notice: impl FnOnce() -> String,
) -> Response {
    let ctx = Ctx::of(user);
    match result {
        Ok(()) => render_person(s, user, id, Some(notice()), &Vec::new(), StatusCode::OK).await,
        Err(moei_store::StoreError::Invalid(v)) => {
            let errors = translate_errors(&ctx, &moei_store::StoreError::Invalid(v));
            render_person(s, user, id, None, &errors, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => store_error_page(&ctx, &e),
    }
}
