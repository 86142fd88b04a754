//! The review queue: possible matches side by side with the reasons, and the decisions
//! (confirm, reject with a reason, merge and undo for administrators).

use std::collections::HashMap;

use axum::extract::{Form, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, html};
use moei_domain::{Action, Person};
use moei_store::StoreError;
use moei_store::identity::{CANDIDATE_STATUSES, Candidate, CandidateFilter};

use super::desk::translate_errors;
use super::layout::{Ctx, page};
use crate::AppState;
use crate::auth::UiUser;

pub const KINDS: [&str; 3] = ["duplicate", "list", "missing"];

#[derive(serde::Deserialize, Default)]
pub struct ReviewQuery {
    kind: Option<String>,
    status: Option<String>,
    added: Option<i64>,
}

/// One line of the side-by-side comparison: label key, left value, right value.
type Row = (&'static str, String, String);

fn person_side(p: &Person) -> [String; 8] {
    [
        p.registration_number.to_string(),
        format!("{} {}", p.given_name, p.family_name)
            .trim()
            .to_string(),
        p.name_original_script.clone(),
        p.sex.as_str().to_string(),
        p.date_of_birth
            .map(|d| d.to_api_string())
            .or(p.estimated_age.map(|a| format!("~{a}")))
            .unwrap_or_default(),
        p.nationality.clone(),
        String::new(),
        String::new(),
    ]
}

fn other_side(c: &Candidate) -> [String; 8] {
    if let Some(p) = &c.other_person {
        return person_side(p);
    }
    if let Some(r) = &c.list_record {
        let e = &r.record;
        return [
            e.record_id.clone(),
            format!("{} {}", e.given_name, e.family_name)
                .trim()
                .to_string(),
            e.full_name.clone(),
            e.sex.clone(),
            e.date_of_birth.clone(),
            e.nationality.clone(),
            e.phone.clone(),
            e.place_of_origin.clone(),
        ];
    }
    if let Some(r) = &c.report {
        return [
            String::new(),
            format!("{} {}", r.given_name, r.family_name)
                .trim()
                .to_string(),
            r.name_original_script.clone(),
            r.sex.clone(),
            if r.date_of_birth.is_empty() {
                r.estimated_age.map(|a| format!("~{a}")).unwrap_or_default()
            } else {
                r.date_of_birth.clone()
            },
            r.nationality.clone(),
            r.phone.clone(),
            r.place_of_origin.clone(),
        ];
    }
    Default::default()
}

fn comparison(c: &Candidate) -> Vec<Row> {
    const LABELS: [&str; 8] = [
        "field-record-id",
        "field-name",
        "field-name-original-script",
        "field-sex",
        "field-date-of-birth",
        "field-nationality",
        "field-phone",
        "field-place-of-origin",
    ];
    let left = person_side(&c.person);
    let right = other_side(c);
    LABELS
        .iter()
        .zip(left.into_iter().zip(right))
        .filter(|(_, (l, r))| !l.is_empty() || !r.is_empty())
        .map(|(label, (l, r))| (*label, l, r))
        .collect()
}

/// The explanation as translated lines: field, agrees / differs / unknown, weight.
fn reasons(ctx: &Ctx, c: &Candidate) -> Markup {
    let items = c.explanation["contributions"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    html! {
        ul class="reasons" {
            @for item in &items {
                @let field = item["field"].as_str().unwrap_or("").to_lowercase();
                @let weight = item["weight"].as_f64().unwrap_or(0.0);
                @let verdict = if weight > 0.0 { "match-agrees" } else if weight < 0.0 { "match-differs" } else { "match-missing" };
                li {
                    (ctx.t(&format!("match-field-{field}"))) ": " (ctx.t(verdict))
                    " (" (format!("{weight:+.1}")) ")"
                }
            }
        }
    }
}

fn candidate_card(ctx: &Ctx, c: &Candidate) -> Markup {
    let percent = format!("{:.1}", c.probability * 100.0);
    let side_title = match (&c.list, &c.report) {
        (Some(l), _) => format!("{}: {}", ctx.t(&format!("list-kind-{}", l.kind)), l.name),
        (_, Some(r)) => format!("{} · {}", ctx.t("kind-missing"), r.reporting_agency),
        _ => ctx.t("review-other"),
    };
    html! {
        section class="candidate" id={ "c-" (c.id) } {
            h2 { (ctx.t(&format!("kind-{}", c.kind))) " · " (ctx.ta("review-probability", &[("percent", percent.into())])) }
            table {
                thead { tr {
                    th scope="col" {}
                    th scope="col" { a href={ "/persons/" (c.person.id) } { (ctx.t("review-this-person")) } }
                    th scope="col" {
                        @if let Some(o) = &c.other_person { a href={ "/persons/" (o.id) } { (side_title) } }
                        @else { (side_title) }
                    }
                } }
                tbody { @for (label, l, r) in comparison(c) {
                    tr class=[(l != r).then_some("differs")] { th scope="row" { (ctx.t(label)) } td { (l) } td { (r) } }
                } }
            }
            h3 { (ctx.t("review-why")) }
            (reasons(ctx, c))
            @if c.status != "open" {
                p { (ctx.ta("review-decided", &[("status", ctx.t(&format!("status-{}", c.status)).into()), ("by", c.decided_by.clone().unwrap_or_default().into())]))
                    @if !c.reason.is_empty() { " · " (c.reason) } }
            }
            @if c.status == "open" && ctx.may(Action::DecideMatches) {
                form method="post" action={ "/review/" (c.id) "/decide" } class="decide" {
                    (ctx.csrf_field())
                    label for={ "reason-" (c.id) } { (ctx.t("review-reason")) }
                    input type="text" id={ "reason-" (c.id) } name="reason" maxlength="1000";
                    button type="submit" name="decision" value="confirm" { (ctx.t("review-confirm")) }
                    button type="submit" name="decision" value="reject" { (ctx.t("review-reject")) }
                    @if c.kind == "duplicate" && ctx.may(Action::MergePersons) {
                        button type="submit" name="decision" value="merge" { (ctx.t("review-merge")) }
                    }
                }
                @if c.kind == "duplicate" && ctx.may(Action::MergePersons) { p class="hint" { (ctx.t("review-merge-hint")) } }
            }
            @if let Some(merge) = &c.merge_id {
                @if ctx.may(Action::MergePersons) {
                    form method="post" action={ "/review/merges/" (merge) "/undo" } {
                        (ctx.csrf_field())
                        button type="submit" { (ctx.t("review-undo")) }
                    }
                }
            }
        }
    }
}

fn select(
    ctx: &Ctx,
    name: &str,
    label: &str,
    options: &[&str],
    key: &str,
    current: &str,
) -> Markup {
    html! {
        label for=(name) { (ctx.t(label)) }
        select id=(name) name=(name) {
            option value="" { (ctx.t("review-any")) }
            @for o in options {
                option value=(o) selected[*o == current] { (ctx.t(&format!("{key}-{o}"))) }
            }
        }
    }
}

async fn render(
    s: &AppState,
    user: &UiUser,
    q: &ReviewQuery,
    errors: &[(String, String)],
) -> Response {
    let ctx = Ctx::of(user);
    let status = q.status.clone().unwrap_or_else(|| "open".into());
    let filter = CandidateFilter {
        kind: q.kind.clone(),
        status: Some(status.clone()),
        limit: Some(50),
    };
    let items = match s.store.candidates(&user.actor, &filter).await {
        Ok(items) => items,
        Err(StoreError::Forbidden) => return super::pages::forbidden(&ctx),
        Err(e) => {
            return (StatusCode::UNPROCESSABLE_ENTITY, page(&ctx, &ctx.t("review-title"), html! {
                @for (_, m) in translate_errors(&ctx, &e) { p class="error" role="alert" { (m) } }
            }))
                .into_response();
        }
    };
    let body = html! {
        p class="hint" { (ctx.t("review-intro")) }
        @for (_, m) in errors { p class="error" role="alert" { (m) } }
        @if let Some(n) = q.added { p class="success" role="status" { (ctx.ta("review-run-done", &[("count", n.into())])) } }
        form method="get" action="/review" class="filters" {
            (select(&ctx, "kind", "review-kind", &KINDS, "kind", q.kind.as_deref().unwrap_or("")))
            (select(&ctx, "status", "review-status", &CANDIDATE_STATUSES, "status", &status))
            button type="submit" { (ctx.t("review-filter")) }
        }
        @if ctx.may(Action::ImportLists) {
            form method="post" action="/review/run" class="inline" {
                (ctx.csrf_field())
                button type="submit" name="what" value="dedup" { (ctx.t("review-run-dedup")) }
                button type="submit" name="what" value="reports" { (ctx.t("review-run-reports")) }
            }
        }
        @if items.is_empty() { p { (ctx.t("review-empty")) } }
        @for c in &items { (candidate_card(&ctx, c)) }
    };
    page(&ctx, &ctx.t("review-title"), body).into_response()
}

pub async fn review_page(
    State(s): State<AppState>,
    user: UiUser,
    Query(q): Query<ReviewQuery>,
) -> Response {
    render(&s, &user, &q, &[]).await
}

fn form_value<'a>(form: &'a HashMap<String, String>, key: &str) -> &'a str {
    form.get(key).map(String::as_str).unwrap_or("")
}

/// Shows the queue again with the error, or goes back to it.
async fn after(s: &AppState, user: &UiUser, done: Result<String, StoreError>) -> Response {
    match done {
        Ok(url) => Redirect::to(&url).into_response(),
        Err(e) => {
            let ctx = Ctx::of(user);
            let errors = translate_errors(&ctx, &e);
            super::missing::with_status(render(s, user, &ReviewQuery::default(), &errors).await, &e)
        }
    }
}

pub async fn decide(
    State(s): State<AppState>,
    user: UiUser,
    Path(id): Path<String>,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    if let Err(r) = user.check_csrf(form_value(&form, "csrf")) {
        return r;
    }
    let done = crate::identity::decide(
        &s.store,
        &user.actor,
        &id,
        form_value(&form, "decision"),
        form_value(&form, "reason"),
    )
    .await
    .map(|c| format!("/review?status={}#c-{}", c.status, c.id));
    after(&s, &user, done).await
}

pub async fn undo(
    State(s): State<AppState>,
    user: UiUser,
    Path(id): Path<String>,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    if let Err(r) = user.check_csrf(form_value(&form, "csrf")) {
        return r;
    }
    let done = s
        .store
        .undo_merge(&user.actor, &id)
        .await
        .map(|_| "/review".to_string());
    after(&s, &user, done).await
}

pub async fn run(
    State(s): State<AppState>,
    user: UiUser,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    if let Err(r) = user.check_csrf(form_value(&form, "csrf")) {
        return r;
    }
    let added = match form_value(&form, "what") {
        "reports" => crate::identity::match_reports(&s.store, &user.actor, None).await,
        _ => crate::identity::dedup_persons(&s.store, &user.actor).await,
    };
    let done = added.map(|n| format!("/review?added={n}"));
    after(&s, &user, done).await
}
