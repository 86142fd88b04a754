//! The registration desk: open an arrival group, then register its people one after another,
//! by keyboard, with running counts beside the form.

use std::collections::HashMap;

use axum::Form;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, html};
use moei_domain::{Action, ArrivalGroupInput, CrossingMode, Need, PersonInput};
use moei_store::StoreError;

use super::layout::{Ctx, field_error, page};
use crate::AppState;
use crate::auth::UiUser;

pub type Errors = Vec<(String, String)>;

/// Languages as typed in one form field: "hi, en" or "hi en".
pub fn language_list(field: &str) -> Vec<String> {
    field
        .split([',', ' '])
        .filter(|x| !x.is_empty())
        .map(str::to_string)
        .collect()
}

/// The desk's text fields in tab order.
const DESK_FIELDS: [&str; 8] = [
    "given_name",
    "family_name",
    "name_original_script",
    "sex",
    "date_of_birth",
    "estimated_age",
    "nationality",
    "languages",
];

/// Turns store validation errors into (field, translated message) pairs.
pub fn translate_errors(ctx: &Ctx, e: &StoreError) -> Errors {
    match e {
        StoreError::Invalid(v) => {
            v.0.iter()
                .map(|f| {
                    let field = f.field.rsplit('.').next().unwrap_or(&f.field).to_string();
                    let label = ctx.t(&format!("field-{}", field.replace('_', "-")));
                    (
                        field,
                        format!("{label}: {}", ctx.t(&format!("err-{}", f.code))),
                    )
                })
                .collect()
        }
        StoreError::Forbidden => vec![(String::new(), ctx.t("error-forbidden"))],
        StoreError::NotFound => vec![(String::new(), ctx.t("error-not-found"))],
        StoreError::Conflict(_) => vec![(String::new(), ctx.t("error-conflict"))],
        _ => vec![(String::new(), ctx.t("error-internal"))],
    }
}

fn general_errors(errors: &Errors) -> Markup {
    html! {
        @for (f, msg) in errors {
            @if f.is_empty() { p class="error" role="alert" { (msg) } }
        }
    }
}

#[derive(serde::Deserialize, Default)]
pub struct DeskQuery {
    group: Option<String>,
    last: Option<String>,
    nat: Option<String>,
    langs: Option<String>,
}

pub async fn desk_page(
    State(s): State<AppState>,
    user: UiUser,
    Query(q): Query<DeskQuery>,
) -> Response {
    let values: HashMap<String, String> = [
        ("nationality".to_string(), q.nat.clone().unwrap_or_default()),
        ("languages".to_string(), q.langs.clone().unwrap_or_default()),
    ]
    .into_iter()
    .collect();
    render_desk(
        &s,
        &user,
        q.group.as_deref(),
        q.last.as_deref(),
        &values,
        &Vec::new(),
    )
    .await
}

async fn render_desk(
    s: &AppState,
    user: &UiUser,
    group_id: Option<&str>,
    last: Option<&str>,
    values: &HashMap<String, String>,
    errors: &Errors,
) -> Response {
    let ctx = Ctx::of(user);
    if !ctx.may(Action::RegisterPerson) {
        return (StatusCode::FORBIDDEN, ctx.t("error-forbidden")).into_response();
    }
    let group = match group_id.filter(|g| !g.is_empty()) {
        Some(g) => s.store.arrival_group(&user.actor, g).await.ok(),
        None => None,
    };
    let groups = s
        .store
        .arrival_groups(&user.actor, 12)
        .await
        .unwrap_or_default();
    let counts = s
        .store
        .counts(&user.actor, group.as_ref().map(|g| g.id.as_str()))
        .await
        .unwrap_or_default();
    let v = |k: &str| values.get(k).cloned().unwrap_or_default();
    // After a refusal the cursor goes to the first field in error, else to the first name.
    let focus = DESK_FIELDS
        .iter()
        .find(|f| errors.iter().any(|(e, _)| e == *f))
        .copied()
        .unwrap_or("given_name");
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let body = html! {
        div class="desk" {
            section class="register" aria-labelledby="reg-h" {
                @if let Some(number) = last {
                    p class="success" role="status" aria-live="polite" {
                        (ctx.t("desk-registered")) " "
                        strong class="regno" data-testid="last-registration" { (number) }
                    }
                }
                @if let Some(g) = &group {
                    p class="group-banner" {
                        (ctx.t("desk-group")) ": " strong { (g.crossing_point) } " · " (ctx.t(&format!("mode-{}", g.mode.as_str())))
                        " · " (g.arrived_at.to_zoned(moei_domain::clock::deployment_zone()).strftime("%Y-%m-%d %H:%M"))
                        " · " a href="/desk" { (ctx.t("desk-leave-group")) }
                    }
                }
                h2 id="reg-h" { (ctx.t("desk-new-person")) }
                (general_errors(errors))
                form method="post" action="/desk/register" id="register-form" class="grid" data-submit-on-ctrl-enter="" {
                    (ctx.csrf_field())
                    @if let Some(g) = &group { input type="hidden" name="group" value=(g.id); }
                    (text_field(&ctx, "given_name", &v("given_name"), errors, focus == "given_name", None))
                    (text_field(&ctx, "family_name", &v("family_name"), errors, focus == "family_name", None))
                    (text_field(&ctx, "name_original_script", &v("name_original_script"), errors, focus == "name_original_script", None))
                    (text_field(&ctx, "sex", &v("sex"), errors, focus == "sex", Some("F / M / X")))
                    (text_field(&ctx, "date_of_birth", &v("date_of_birth"), errors, focus == "date_of_birth", Some("YYYY-MM-DD / YYYY")))
                    (text_field(&ctx, "estimated_age", &v("estimated_age"), errors, focus == "estimated_age", None))
                    (text_field(&ctx, "nationality", &v("nationality"), errors, focus == "nationality", Some("IND, PHL, CHN, XXX")))
                    (text_field(&ctx, "languages", &v("languages"), errors, focus == "languages", Some("hi, en")))
                    div class="checks" {
                        label { input type="checkbox" name="has_identity_document" value="on" checked[v("has_identity_document") == "on"]; " " (ctx.t("field-has-identity-document")) }
                        fieldset {
                            legend { (ctx.t("field-needs")) }
                            @for need in Need::ALL {
                                @let name = format!("need_{}", need.as_str());
                                label { input type="checkbox" name=(name) value="on" checked[v(&name) == "on"]; " " (ctx.t(&format!("need-{}", need.as_str()))) }
                            }
                        }
                        (field_error(errors, "needs"))
                    }
                    label for="notes" { (ctx.t("field-notes")) }
                    textarea id="notes" name="notes" rows="2" { (v("notes")) }
                    button type="submit" class="primary" { (ctx.t("desk-register")) }
                    p class="hint" { (ctx.t("desk-keyboard-hint")) }
                }
            }
            aside class="matches" id="matches" aria-live="polite" aria-labelledby="matches-h"
                data-csrf=(ctx.csrf)
                data-label-probability=(ctx.t("match-probability"))
                data-label-none=(ctx.t("match-none")) {
                h2 id="matches-h" { (ctx.t("match-title")) }
                p class="hint" { (ctx.t("match-hint")) }
                ol id="match-list" {}
            }
            aside class="counts" aria-labelledby="counts-h" {
                h2 id="counts-h" { (ctx.t("desk-counts")) }
                dl {
                    dt { (ctx.t("count-today")) } dd data-testid="count-today" { (counts.today) }
                    dt { (ctx.t("count-total")) } dd { (counts.total) }
                    @if let (Some(g), Some(n)) = (&group, counts.group) {
                        dt { (ctx.t("count-group")) }
                        dd data-testid="count-group" { (n) @if let Some(h) = g.headcount { " / " (h) } }
                    }
                }
                h3 { (ctx.t("count-by-nationality")) }
                table {
                    @for (code, n) in counts.by_nationality.iter().take(12) {
                        tr { td { (code) } td class="num" { (n) } }
                    }
                }
                h2 { (ctx.t("desk-groups")) }
                ul class="groups" {
                    @for g in &groups {
                        li { a href={ "/desk?group=" (g.id) } { (g.crossing_point) " · " (ctx.t(&format!("mode-{}", g.mode.as_str()))) " (" (g.registered_count) ")" } }
                    }
                }
                (group_form(&ctx, &HashMap::new(), &Vec::new()))
            }
        }
        datalist id="nationalities" {
            @for code in ["IND", "PHL", "CHN", "VNM", "ETH", "IDN", "KEN", "PAK", "LKA", "NPL", "BGD", "MYS", "TWN", "UGA", "NGA", "LAO", "KHM", "MMR", "THA", "XXA", "XXX"] {
                option value=(code) { (moei_domain::countries::name(code).unwrap_or(code)) }
            }
        }
    };
    (status, page(&ctx, &ctx.t("desk-title"), body)).into_response()
}

pub fn text_field(
    ctx: &Ctx,
    name: &str,
    value: &str,
    errors: &Errors,
    autofocus: bool,
    hint: Option<&str>,
) -> Markup {
    let key = format!("field-{}", name.replace('_', "-"));
    let has_error = errors.iter().any(|(f, _)| f == name);
    html! {
        div class="field" {
            label for=(name) { (ctx.t(&key)) }
            input id=(name) name=(name) value=(value) autofocus[autofocus] autocomplete="off"
                list=[(name == "nationality").then_some("nationalities")]
                placeholder=[hint]
                aria-invalid=[has_error.then_some("true")]
                aria-describedby=[has_error.then(|| format!("err-{name}"))];
            (field_error(errors, name))
        }
    }
}

pub fn group_form(ctx: &Ctx, values: &HashMap<String, String>, errors: &Errors) -> Markup {
    let v = |k: &str| values.get(k).cloned().unwrap_or_default();
    html! {
        details open[!errors.is_empty()] {
            summary { (ctx.t("group-new")) }
            form method="post" action="/groups" class="grid" {
                (ctx.csrf_field())
                (general_errors(errors))
                (text_field(ctx, "crossing_point", &v("crossing_point"), errors, false, Some("Friendship Bridge 2")))
                div class="field" {
                    label for="mode" { (ctx.t("field-mode")) }
                    select id="mode" name="mode" {
                        @for m in CrossingMode::ALL {
                            option value=(m.as_str()) selected[v("mode") == m.as_str()] { (ctx.t(&format!("mode-{}", m.as_str()))) }
                        }
                    }
                }
                (text_field(ctx, "arrived_at", &v("arrived_at"), errors, false, Some("2025-10-22T14:30:00+07:00")))
                (text_field(ctx, "headcount", &v("headcount"), errors, false, None))
                (text_field(ctx, "officer", &v("officer"), errors, false, None))
                button type="submit" { (ctx.t("group-open")) }
            }
        }
    }
}

pub async fn create_group(
    State(s): State<AppState>,
    user: UiUser,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    if let Err(r) = user.check_csrf(form.get("csrf").map(String::as_str).unwrap_or("")) {
        return r;
    }
    let get = |k: &str| {
        form.get(k)
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
    };
    let headcount = get("headcount").map(|h| h.parse::<i64>().unwrap_or(-1));
    let input = ArrivalGroupInput {
        crossing_point: get("crossing_point"),
        arrived_at: get("arrived_at"),
        mode: get("mode"),
        officer: get("officer"),
        headcount,
        notes: get("notes"),
    };
    match s.store.create_arrival_group(&user.actor, &input).await {
        Ok(g) => Redirect::to(&format!("/desk?group={}", g.id)).into_response(),
        Err(e) => {
            let ctx = Ctx::of(&user);
            let errors = translate_errors(&ctx, &e);
            let body = group_form(&ctx, &form, &errors);
            (
                StatusCode::UNPROCESSABLE_ENTITY,
                page(&ctx, &ctx.t("group-new"), body),
            )
                .into_response()
        }
    }
}

pub async fn register(
    State(s): State<AppState>,
    user: UiUser,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    if let Err(r) = user.check_csrf(form.get("csrf").map(String::as_str).unwrap_or("")) {
        return r;
    }
    let get = |k: &str| {
        form.get(k)
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
    };
    let estimated_age = get("estimated_age").map(|a| a.parse::<i64>().unwrap_or(-1));
    let group = get("group");
    let input = PersonInput {
        arrival_group_id: group.clone(),
        given_name: get("given_name"),
        family_name: get("family_name"),
        name_original_script: get("name_original_script"),
        sex: get("sex"),
        date_of_birth: get("date_of_birth"),
        estimated_age,
        nationality: get("nationality"),
        languages: get("languages")
            .map(|l| language_list(&l))
            .unwrap_or_default(),
        has_identity_document: Some(get("has_identity_document").is_some()),
        needs: Need::ALL
            .iter()
            .filter(|n| get(&format!("need_{}", n.as_str())).is_some())
            .map(|n| n.as_str().to_string())
            .collect(),
        notes: get("notes"),
    };
    match crate::identity::register_person(&s, &user.actor, &input).await {
        Ok(p) => {
            // Group mode: the next person of the same group usually shares nationality and languages.
            let mut url = format!("/desk?last={}", p.registration_number);
            if let Some(g) = &group {
                url.push_str(&format!(
                    "&group={g}&nat={}&langs={}",
                    p.nationality,
                    p.languages.join(",")
                ));
            }
            Redirect::to(&url).into_response()
        }
        Err(e) => {
            let ctx = Ctx::of(&user);
            let errors = translate_errors(&ctx, &e);
            render_desk(&s, &user, group.as_deref(), None, &form, &errors).await
        }
    }
}
