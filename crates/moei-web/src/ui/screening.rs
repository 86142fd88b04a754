//! Screening pages: the triage queue with its daily counts, a person's screening (interviews,
//! assessments, MDT conferences, punitive requests), the interview form with the questions in
//! the interview language, and the safeguard dashboard.
//!
//! The UI language (English or Thai) and the question language (any language the instrument
//! carries, e.g. Hindi) are independent: the screener reads the page in Thai and reads the
//! questions aloud in the person's language.

use std::collections::{BTreeSet, HashMap};

use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use jiff::Timestamp;
use maud::{Markup, html};
use moei_domain::{Action, Person};
use moei_screening::interview::{
    Consent, ConsentDecision, ConsentTopic, IndicatorResponse, Interpreter, InterviewRecord,
    Interviewer,
};
use moei_screening::mdt::{Decision, Dissent, Exploitation, Reviewer};
use moei_screening::safeguard::{ProposedAction, SeniorRole};
use moei_screening::{Answer, Instrument};
use moei_store::StoreError;
use moei_store::screening::{
    ConferenceMember, DeterminationInput, Interview, MdtCase, MdtCaseInput, OverrideInput,
    PunitiveActionInput, SHAREABLE_PARTS,
};

use super::desk::{Errors, translate_errors};
use super::layout::{Ctx, page};
use super::pages::display_name;
use crate::AppState;
use crate::auth::UiUser;

type FormData = HashMap<String, String>;

const TOPICS: [(ConsentTopic, &str); 6] = [
    (ConsentTopic::Purpose, "purpose"),
    (ConsentTopic::DataUse, "data-use"),
    (ConsentTopic::RightToAccess, "right-to-access"),
    (ConsentTopic::Retention, "retention"),
    (ConsentTopic::Withdrawal, "withdrawal"),
    (
        ConsentTopic::RefusalWithoutPenalty,
        "refusal-without-penalty",
    ),
];

const DECISIONS: [Decision; 4] = [
    Decision::VictimOfTrafficking,
    Decision::VictimOfForcedLabour,
    Decision::NotVictimIrregularMigrant,
    Decision::SuspectedOffender,
];

const EXPLOITATIONS: [(Exploitation, &str); 7] = [
    (Exploitation::ForcedLabour, "forced-labour"),
    (Exploitation::ForcedCriminality, "forced-criminality"),
    (Exploitation::SexualExploitation, "sexual-exploitation"),
    (Exploitation::ChildLabour, "child-labour"),
    (Exploitation::Servitude, "servitude"),
    (Exploitation::ForcedMarriage, "forced-marriage"),
    (Exploitation::ForcedBegging, "forced-begging"),
];

const PUNITIVE: [(ProposedAction, &str); 5] = [
    (ProposedAction::ReferForProsecution, "refer-for-prosecution"),
    (
        ProposedAction::ProsecuteImmigrationOffence,
        "prosecute-immigration-offence",
    ),
    (ProposedAction::ImmigrationFine, "immigration-fine"),
    (ProposedAction::Deport, "deport"),
    (ProposedAction::DetainAsOffender, "detain-as-offender"),
];

const OFFICES: [(SeniorRole, &str); 5] = [
    (SeniorRole::MdtChair, "mdt-chair"),
    (SeniorRole::ProvincialGovernor, "provincial-governor"),
    (SeniorRole::PublicProsecutor, "public-prosecutor"),
    (
        SeniorRole::ProvincialPoliceCommander,
        "provincial-police-commander",
    ),
    (
        SeniorRole::ProvincialSocialDevelopmentDirector,
        "provincial-social-development-director",
    ),
];

/// Languages the interview questions can be shown in (the instrument files carry these).
const QUESTION_LANGUAGES: [(&str, &str); 6] = [
    ("en", "English"),
    ("th", "ไทย"),
    ("zh-Hans", "中文"),
    ("hi", "हिन्दी"),
    ("vi", "Tiếng Việt"),
    ("my", "မြန်မာ"),
];

/// Translation key of a snake_case value: `prefix-value-with-dashes`.
fn key(prefix: &str, value: &str) -> String {
    format!("{prefix}-{}", value.replace('_', "-"))
}

fn forbidden(ctx: &Ctx) -> Response {
    (
        StatusCode::FORBIDDEN,
        page(ctx, &ctx.t("error-forbidden"), html! {}),
    )
        .into_response()
}

/// Store errors for screening forms; the safeguard's refusal is shown with its reason.
fn screening_errors(ctx: &Ctx, e: &StoreError) -> Errors {
    match e {
        StoreError::Safeguard(reason) => vec![(
            String::new(),
            format!("{} ({reason})", ctx.t("safeguard-refused")),
        )],
        StoreError::Unsupported(_) => vec![(String::new(), ctx.t("screening-no-key"))],
        other => translate_errors(ctx, other),
    }
}

fn error_list(errors: &Errors) -> Markup {
    html! {
        @if !errors.is_empty() {
            div class="errors" role="alert" data-testid="errors" {
                @for (_, msg) in errors { p class="error" { (msg) } }
            }
        }
    }
}

fn local_time(t: Timestamp) -> String {
    t.to_zoned(moei_domain::clock::deployment_zone())
        .strftime("%Y-%m-%d %H:%M")
        .to_string()
}

// ----- the queue ------------------------------------------------------------------------

#[derive(serde::Deserialize, Default)]
pub struct QueueQuery {
    language: Option<String>,
}

pub async fn queue_page(
    State(s): State<AppState>,
    user: UiUser,
    Query(q): Query<QueueQuery>,
) -> Response {
    let ctx = Ctx::of(&user);
    if !ctx.may(Action::ReadScreeningQueue) {
        return forbidden(&ctx);
    }
    let language = q.language.clone().filter(|l| !l.trim().is_empty());
    let (queue, stats, interpreters) = match (
        s.store
            .screening_queue(&user.actor, language.as_deref(), 200)
            .await,
        s.store.screening_stats(&user.actor).await,
        s.store.interpreters(&user.actor).await,
    ) {
        (Ok(q), Ok(st), Ok(i)) => (q, st, i),
        _ => return forbidden(&ctx),
    };
    let body = html! {
        section class="stats" aria-labelledby="stats-h" {
            h2 id="stats-h" { (ctx.t("screening-stats")) }
            dl class="facts" {
                dt { (ctx.t("screening-waiting")) } dd data-testid="waiting" { (stats.waiting) }
                dt { (ctx.t("screening-screened")) } dd data-testid="screened" { (stats.screened) }
                dt { (ctx.t("screening-determined")) } dd { (stats.determined) }
            }
            table {
                thead { tr {
                    th scope="col" { (ctx.t("screening-day")) }
                    th scope="col" { (ctx.t("screening-arrived")) }
                    th scope="col" { (ctx.t("screening-screened")) }
                } }
                tbody {
                    @for d in stats.by_day.iter().rev().take(14) {
                        tr { td { (d.day) } td class="num" { (d.arrived) } td class="num" { (d.screened) } }
                    }
                }
            }
        }
        form method="get" action="/screening" class="search" {
            div class="field" {
                label for="language" { (ctx.t("screening-filter-language")) }
                input id="language" name="language" value=(language.clone().unwrap_or_default()) size="8" placeholder="my";
            }
            button type="submit" { (ctx.t("search-submit")) }
        }
        h2 { (ctx.t("screening-queue")) }
        @if queue.is_empty() { p { (ctx.t("screening-queue-empty")) } }
        @else {
            table class="persons" data-testid="queue" {
                thead { tr {
                    th scope="col" { (ctx.t("screening-priority")) }
                    th scope="col" { (ctx.t("field-registration-number")) }
                    th scope="col" { (ctx.t("field-name")) }
                    th scope="col" { (ctx.t("field-sex")) }
                    th scope="col" { (ctx.t("field-nationality")) }
                    th scope="col" { (ctx.t("field-languages")) }
                    th scope="col" { (ctx.t("screening-case-status")) }
                    th scope="col" { (ctx.t("screening-reasons")) }
                    th scope="col" { (ctx.t("screening-interpreters")) }
                } }
                tbody {
                    @for e in &queue {
                        tr {
                            td class="num" { (e.score) }
                            td { a href={ "/persons/" (e.person_id) "/screening" } { (e.registration_number) } }
                            td { (format!("{} {}", e.given_name, e.family_name).trim()) }
                            td { (e.sex) }
                            td { (e.nationality) }
                            td { (e.languages.join(", ")) }
                            td { (ctx.t(&key("case-status", e.case_status.as_str()))) }
                            td { (e.reasons.iter().map(|r| ctx.t(&key("triage", &enum_str(r)))).collect::<Vec<_>>().join(", ")) }
                            td { @if e.interpreters.is_empty() { (ctx.t("screening-no-interpreter")) } @else { (e.interpreters.join(", ")) } }
                        }
                    }
                }
            }
        }
        h2 { (ctx.t("screening-interpreters")) }
        ul {
            @for i in &interpreters {
                li { (i.name) " (" (i.agency) "): " (i.languages.join(", ")) @if !i.available { " · " (ctx.t("screening-unavailable")) } }
            }
        }
    };
    page(&ctx, &ctx.t("screening-title"), body).into_response()
}

fn enum_str<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

// ----- a person's screening ---------------------------------------------------------------

pub async fn person_screening_page(
    State(s): State<AppState>,
    user: UiUser,
    Path(id): Path<String>,
) -> Response {
    render_person_screening(&s, &user, &id, &Vec::new(), StatusCode::OK).await
}

async fn render_person_screening(
    s: &AppState,
    user: &UiUser,
    id: &str,
    errors: &Errors,
    status: StatusCode,
) -> Response {
    let ctx = Ctx::of(user);
    let person = match s.store.person(&user.actor, id).await {
        Ok(p) => p,
        Err(e) => return not_shown(&ctx, &e),
    };
    let sees_screening = ctx.may(Action::ReadScreening);
    let (interviews, cases) = if sees_screening {
        match (
            s.store.interviews_of(&user.actor, id).await,
            s.store.mdt_cases_of(&user.actor, id).await,
        ) {
            (Ok(i), Ok(c)) => (i, c),
            // An MDT member not on this person's conference sees no content.
            _ => (Vec::new(), Vec::new()),
        }
    } else {
        (Vec::new(), Vec::new())
    };
    let body = html! {
        p class="regno-big" { a href={ "/persons/" (person.id) } { (person.registration_number) } " · " (display_name(&person)) }
        (error_list(errors))
        @if ctx.may(Action::ConductScreening) { (new_interview_form(&ctx, &person)) }
        @if sees_screening {
            h2 { (ctx.t("screening-interviews")) }
            @if interviews.is_empty() { p { (ctx.t("screening-no-interviews")) } }
            @for i in &interviews { (interview_view(&ctx, i)) }
            h2 { (ctx.t("mdt-title")) }
            @for c in &cases { (mdt_case_view(&ctx, c)) }
            @if ctx.may(Action::OpenMdtCase) { (open_case_form(&ctx, &person)) }
        }
        @if ctx.may(Action::RequestPunitiveAction) || ctx.may(Action::OverrideSafeguard) {
            (punitive_form(&ctx, &person))
        }
    };
    (status, page(&ctx, &ctx.t("screening-person-title"), body)).into_response()
}

fn not_shown(ctx: &Ctx, e: &StoreError) -> Response {
    let code = if matches!(e, StoreError::Forbidden) {
        StatusCode::FORBIDDEN
    } else {
        StatusCode::NOT_FOUND
    };
    let msg = translate_errors(ctx, e)
        .first()
        .map(|e| e.1.clone())
        .unwrap_or_default();
    (code, page(ctx, &msg, html! {})).into_response()
}

fn new_interview_form(ctx: &Ctx, person: &Person) -> Markup {
    let ids = moei_store::screening::instrument_ids().unwrap_or_default();
    let default_lang = person
        .languages
        .iter()
        .find(|l| QUESTION_LANGUAGES.iter().any(|(c, _)| c == l))
        .cloned()
        .unwrap_or_else(|| "en".into());
    html! {
        form method="get" action={ "/persons/" (person.id) "/interview" } class="search" {
            div class="field" {
                label for="instrument" { (ctx.t("screening-instrument")) }
                select id="instrument" name="instrument" {
                    @for i in &ids { option value=(i) { (i) } }
                }
            }
            div class="field" {
                label for="qlang" { (ctx.t("screening-question-language")) }
                select id="qlang" name="qlang" {
                    @for (code, name) in QUESTION_LANGUAGES {
                        option value=(code) selected[code == default_lang] lang=(code) { (name) }
                    }
                }
            }
            button type="submit" data-testid="start-interview" { (ctx.t("screening-start")) }
        }
    }
}

fn interview_view(ctx: &Ctx, i: &Interview) -> Markup {
    let r = &i.record;
    html! {
        article class="interview" data-testid="interview" {
            h3 { (local_time(r.started_at)) " · " (r.instrument) " " (r.instrument_version) " · " (r.language) }
            dl class="facts" {
                dt { (ctx.t("screening-interviewer")) } dd { (r.interviewer.name) " (" (r.interviewer.agency) ")" }
                @if let Some(p) = &r.interpreter {
                    dt { (ctx.t("screening-interpreter")) } dd { (p.name) " (" (p.agency) ", " (p.language) ")" }
                }
                dt { (ctx.t("screening-consent")) } dd { (ctx.t(&key("consent", &enum_str(&r.consent.decision)))) }
                dt { (ctx.t("screening-ended")) } dd { (r.ended_at.map(local_time).unwrap_or_else(|| ctx.t("screening-in-progress"))) }
                dt { (ctx.t("screening-case-status")) } dd { (ctx.t(&key("case-status", i.case_status.as_str()))) }
            }
            @if let Some(a) = &i.assessment { (assessment_view(ctx, a)) }
            @if !r.narrative.is_empty() {
                details { summary { (ctx.t("screening-narrative")) } p class="narrative" { (r.narrative) } }
            }
            @if !r.responses.is_empty() {
                details {
                    summary { (ctx.t("screening-answers")) " (" (r.responses.len()) ")" }
                    ul { @for resp in &r.responses {
                        li { code { (resp.indicator) } ": " (ctx.t(&key("answer", resp.answer.as_str())))
                            @if let Some(e) = &resp.evidence { " · " (ctx.t("screening-evidence")) ": " (e) }
                            @if let Some(n) = &resp.note { " · " (ctx.t("screening-note")) ": " (n) } }
                    } }
                }
            }
        }
    }
}

/// The assessment is decision support: the result, and which answers carried each dimension.
fn assessment_view(ctx: &Ctx, a: &serde_json::Value) -> Markup {
    let result = a["result"].as_str().unwrap_or("");
    let dims = a["dimensions"].as_object().cloned().unwrap_or_default();
    html! {
        section class="assessment" aria-label=(ctx.t("screening-assessment")) {
            p { strong { (ctx.t("screening-assessment")) ": " }
                span data-testid="result" { (ctx.t(&key("result", result))) } }
            p class="hint" { (ctx.t("screening-decision-support")) }
            ul {
                @for (d, v) in &dims {
                    li { (d) ": "
                        @if v["positive"].as_bool() == Some(true) {
                            (ctx.t("screening-dimension-met")) " — "
                            (v["carried_by"].as_array().map(|c| c.iter().filter_map(|x| x.as_str()).collect::<Vec<_>>().join(", ")).unwrap_or_default())
                        } @else { (ctx.t("screening-dimension-not-met")) }
                    }
                }
            }
        }
    }
}

fn mdt_case_view(ctx: &Ctx, c: &MdtCase) -> Markup {
    html! {
        article class="mdt" data-testid="mdt-case" {
            h3 { (ctx.t("mdt-conference")) " " (c.conference_on) }
            ul { @for m in &c.members { li { (m.name) " · " (m.agency) " · " (m.role) } } }
            @if let Some(d) = &c.determination {
                p { strong { (ctx.t("mdt-decision")) ": " } span data-testid="decision" { (ctx.t(&key("decision", d.decision.as_str()))) } }
                ul { @for r in &d.reasons { li { (r) } } }
                @for dis in &d.dissent { p { (ctx.t("mdt-dissent")) ": " (dis.member) " — " (dis.reason) } }
                p { (ctx.t("mdt-review-on")) ": " (d.review_on.to_string()) }
            } @else if ctx.may(Action::DecideMdt) {
                (decide_form(ctx, c))
            }
        }
    }
}

fn open_case_form(ctx: &Ctx, person: &Person) -> Markup {
    html! {
        details {
            summary { (ctx.t("mdt-open")) }
            form method="post" action={ "/persons/" (person.id) "/mdt" } class="grid" {
                (ctx.csrf_field())
                div class="field" { label for="conference_on" { (ctx.t("mdt-conference-on")) } input id="conference_on" name="conference_on" type="date" required; }
                @for i in 0..5 {
                    fieldset {
                        legend { (ctx.t("mdt-member")) " " (i + 1) }
                        @for (f, label) in [("name", "field-name"), ("agency", "field-agency"), ("role", "mdt-member-role"), ("username", "mdt-member-account")] {
                            label { (ctx.t(label)) " " input name={ "m" (i) "_" (f) }; }
                        }
                    }
                }
                button type="submit" { (ctx.t("mdt-open")) }
            }
        }
    }
}

fn decide_form(ctx: &Ctx, c: &MdtCase) -> Markup {
    html! {
        form method="post" action={ "/mdt/" (c.id) "/decide" } class="grid" data-testid="decide-form" {
            (ctx.csrf_field())
            input type="hidden" name="person_id" value=(c.person_id);
            fieldset {
                legend { (ctx.t("mdt-decision")) }
                @for d in DECISIONS {
                    label { input type="radio" name="decision" value=(d.as_str()); " " (ctx.t(&key("decision", d.as_str()))) }
                }
            }
            fieldset {
                legend { (ctx.t("mdt-exploitation")) }
                @for (e, k) in EXPLOITATIONS {
                    label { input type="checkbox" name={ "x_" (enum_str(&e)) } value="on"; " " (ctx.t(&key("exploitation", k))) }
                }
            }
            div class="field" { label for="reasons" { (ctx.t("mdt-reasons")) } textarea id="reasons" name="reasons" rows="3" {} }
            div class="field" { label for="dissent" { (ctx.t("mdt-dissent-hint")) } textarea id="dissent" name="dissent" rows="2" {} }
            @for (p, label) in [("reviewer", "mdt-reviewer"), ("second", "mdt-second-reviewer")] {
                fieldset {
                    legend { (ctx.t(label)) }
                    label { (ctx.t("field-name")) " " input name={ (p) "_name" }; }
                    label { (ctx.t("field-agency")) " " input name={ (p) "_agency" }; }
                }
            }
            div class="field" { label for="decided_on" { (ctx.t("mdt-decided-on")) } input id="decided_on" name="decided_on" type="date"; }
            div class="field" { label for="review_on" { (ctx.t("mdt-review-on")) } input id="review_on" name="review_on" type="date"; }
            fieldset {
                legend { (ctx.t("mdt-share")) }
                @for part in SHAREABLE_PARTS {
                    label { input type="checkbox" name={ "share_" (part) } value="on"; " " (ctx.t(&key("share", part))) }
                }
            }
            button type="submit" { (ctx.t("mdt-record-decision")) }
        }
    }
}

fn punitive_form(ctx: &Ctx, person: &Person) -> Markup {
    html! {
        section class="safeguard" {
            h2 { (ctx.t("safeguard-request")) }
            p class="hint" { (ctx.t("safeguard-explained")) }
            form method="post" action={ "/persons/" (person.id) "/punitive" } class="grid" data-testid="punitive-form" {
                (ctx.csrf_field())
                div class="field" {
                    label for="kind" { (ctx.t("safeguard-kind")) }
                    select id="kind" name="kind" {
                        @for (a, k) in PUNITIVE { option value=(enum_str(&a)) { (ctx.t(&key("punitive", k))) } }
                    }
                }
                div class="field" { label for="reason" { (ctx.t("safeguard-reason")) } textarea id="reason" name="reason" rows="2" required {} }
                @if ctx.may(Action::OverrideSafeguard) {
                    fieldset {
                        legend { (ctx.t("safeguard-override")) }
                        label { (ctx.t("safeguard-office")) " "
                            select name="office" {
                                option value="" { "—" }
                                @for (o, k) in OFFICES { option value=(enum_str(&o)) { (ctx.t(&key("office", k))) } }
                            }
                        }
                        label { (ctx.t("safeguard-override-reason")) " " textarea name="override_reason" rows="2" {} }
                    }
                }
                button type="submit" { (ctx.t("safeguard-submit")) }
            }
        }
    }
}

// ----- the interview form -----------------------------------------------------------------

#[derive(serde::Deserialize, Default)]
pub struct InterviewQuery {
    instrument: Option<String>,
    qlang: Option<String>,
}

pub async fn interview_form_page(
    State(s): State<AppState>,
    user: UiUser,
    Path(id): Path<String>,
    Query(q): Query<InterviewQuery>,
) -> Response {
    let ctx = Ctx::of(&user);
    if !ctx.may(Action::ConductScreening) {
        return forbidden(&ctx);
    }
    let person = match s.store.person(&user.actor, &id).await {
        Ok(p) => p,
        Err(e) => return not_shown(&ctx, &e),
    };
    let instrument_id = q
        .instrument
        .unwrap_or_else(|| moei_screening::DEFAULT_INSTRUMENT.into());
    let Ok(instrument) = moei_store::screening::instrument(&instrument_id) else {
        return not_shown(&ctx, &StoreError::NotFound);
    };
    let mut values = FormData::new();
    values.insert("qlang".into(), q.qlang.unwrap_or_else(|| "en".into()));
    values.insert(
        "interviewer_name".into(),
        user.actor.principal.username.clone(),
    );
    values.insert(
        "interviewer_agency".into(),
        user.actor.principal.agency.clone().unwrap_or_default(),
    );
    interview_form(
        &ctx,
        &person,
        instrument,
        &values,
        &Vec::new(),
        StatusCode::OK,
    )
}

fn interview_form(
    ctx: &Ctx,
    person: &Person,
    instrument: &Instrument,
    values: &FormData,
    errors: &Errors,
    status: StatusCode,
) -> Response {
    let v = |k: &str| values.get(k).cloned().unwrap_or_default();
    let qlang = v("qlang");
    let body = html! {
        p class="regno-big" { (person.registration_number) " · " (display_name(person)) }
        (error_list(errors))
        form method="post" action={ "/persons/" (person.id) "/interview" } class="interview-form" data-testid="interview-form" {
            (ctx.csrf_field())
            input type="hidden" name="instrument" value=(instrument.id());
            input type="hidden" name="instrument_version" value=(instrument.version());
            input type="hidden" name="qlang" value=(qlang);
            p class="hint" { (ctx.t("screening-instrument")) ": " (instrument.title()) " · " (instrument.version()) }
            fieldset {
                legend { (ctx.t("screening-people")) }
                @for (name, label) in [
                    ("interviewer_name", "screening-interviewer-name"),
                    ("interviewer_agency", "screening-interviewer-agency"),
                    ("interpreter_name", "screening-interpreter-name"),
                    ("interpreter_agency", "screening-interpreter-agency"),
                    ("interpreter_language", "screening-interpreter-language"),
                    ("language", "screening-language"),
                ] {
                    div class="field" {
                        label for=(name) { (ctx.t(label)) }
                        input id=(name) name=(name) value=(if name == "language" && v(name).is_empty() { qlang.clone() } else { v(name) });
                    }
                }
                div class="field" { label for="started_at" { (ctx.t("screening-started-at")) } input id="started_at" name="started_at" type="datetime-local" value=(v("started_at")); }
                div class="field" { label for="ended_at" { (ctx.t("screening-ended-at")) } input id="ended_at" name="ended_at" type="datetime-local" value=(v("ended_at")); }
            }
            fieldset data-testid="consent" {
                legend { (ctx.t("screening-consent")) }
                p class="hint" { (ctx.t("screening-consent-hint")) }
                @for (_, k) in TOPICS {
                    label { input type="checkbox" name={ "explained_" (k) } value="on" checked[values.contains_key(&format!("explained_{k}"))]; " " (ctx.t(&key("consent-topic", k))) }
                }
                @for d in ["given", "refused", "withdrawn"] {
                    label { input type="radio" name="consent" value=(d) checked[v("consent") == d]; " " (ctx.t(&key("consent", d))) }
                }
            }
            h2 { (ctx.t("screening-questions")) }
            ol class="questions" {
                @for ind in instrument.indicators() {
                    @let name = field_id(&ind.id);
                    @let (text, shown_lang) = match ind.text.get(&qlang) {
                        Some(t) => (t.text.as_str(), qlang.as_str()),
                        None => (ind.english(), "en"),
                    };
                    li data-indicator=(ind.id) {
                        fieldset {
                            legend lang=(shown_lang) { (text) }
                            @if shown_lang != qlang { span class="hint" { (ctx.t("screening-no-translation")) } }
                            div class="answers" {
                                @for a in Answer::ALL {
                                    label { input type="radio" name={ "a_" (name) } value=(a.as_str()) checked[v(&format!("a_{name}")) == a.as_str()]; " " (ctx.t(&key("answer", a.as_str()))) }
                                }
                            }
                            label { (ctx.t("screening-evidence")) " " input name={ "e_" (name) } value=(v(&format!("e_{name}"))); }
                            label { (ctx.t("screening-note")) " " input name={ "n_" (name) } value=(v(&format!("n_{name}"))); }
                        }
                    }
                }
            }
            div class="field" {
                label for="narrative" { (ctx.t("screening-narrative")) }
                textarea id="narrative" name="narrative" rows="6" { (v("narrative")) }
            }
            button type="submit" data-testid="save-interview" { (ctx.t("screening-save")) }
        }
    };
    (status, page(ctx, &ctx.t("screening-interview-title"), body)).into_response()
}

/// Indicator ids contain dots; form field names keep to letters, digits and underscores.
fn field_id(indicator: &str) -> String {
    indicator
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect()
}

/// A `datetime-local` value (Bangkok time) as a timestamp.
fn local_input_time(field: &str, s: &str, errors: &mut Errors, ctx: &Ctx) -> Option<Timestamp> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    let parsed = s
        .parse::<jiff::civil::DateTime>()
        .ok()
        .and_then(|dt| dt.to_zoned(moei_domain::clock::deployment_zone()).ok())
        .map(|z| z.timestamp());
    if parsed.is_none() {
        errors.push((
            field.into(),
            format!(
                "{}: {}",
                ctx.t(&key("screening", &field.replace('_', "-"))),
                ctx.t("err-invalid_timestamp")
            ),
        ));
    }
    parsed
}

fn record_from_form(
    ctx: &Ctx,
    instrument: &Instrument,
    f: &FormData,
    now: Timestamp,
) -> Result<InterviewRecord, Errors> {
    let v = |k: &str| value(f, k);
    let opt = |k: &str| Some(v(k)).filter(|s| !s.is_empty());
    let mut errors = Errors::new();
    let started_at =
        local_input_time("started_at", &v("started_at"), &mut errors, ctx).unwrap_or(now);
    let ended_at = local_input_time("ended_at", &v("ended_at"), &mut errors, ctx);
    let decision = match v("consent").as_str() {
        "given" => ConsentDecision::Given,
        "refused" => ConsentDecision::Refused,
        "withdrawn" => ConsentDecision::Withdrawn,
        _ => {
            errors.push((
                "consent".into(),
                format!("{}: {}", ctx.t("screening-consent"), ctx.t("err-required")),
            ));
            ConsentDecision::Refused
        }
    };
    let explained: BTreeSet<ConsentTopic> = TOPICS
        .iter()
        .filter(|(_, k)| f.contains_key(&format!("explained_{k}")))
        .map(|(t, _)| *t)
        .collect();
    let mut responses = Vec::new();
    for ind in instrument.indicators() {
        let name = field_id(&ind.id);
        let answer = match v(&format!("a_{name}")).as_str() {
            "yes" => Answer::Yes,
            "no" => Answer::No,
            "unknown" => Answer::Unknown,
            "declined" => Answer::Declined,
            _ => continue,
        };
        responses.push(IndicatorResponse {
            indicator: ind.id.clone(),
            answer,
            evidence: opt(&format!("e_{name}")),
            note: opt(&format!("n_{name}")),
        });
    }
    let interpreter = opt("interpreter_name").map(|name| Interpreter {
        name,
        agency: v("interpreter_agency"),
        language: v("interpreter_language"),
    });
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(InterviewRecord {
        instrument: instrument.id().into(),
        instrument_version: v("instrument_version"),
        interviewer: Interviewer {
            name: v("interviewer_name"),
            agency: v("interviewer_agency"),
        },
        interpreter,
        language: v("language"),
        consent: Consent {
            explained,
            decision,
            // Consent is taken at the start of the interview.
            recorded_at: started_at,
        },
        started_at,
        ended_at,
        responses,
        narrative: v("narrative"),
    })
}

/// Screening validation names fields such as `responses[3].evidence`; say which question.
fn interview_errors(ctx: &Ctx, e: &StoreError, record: &InterviewRecord) -> Errors {
    let StoreError::Invalid(v) = e else {
        return screening_errors(ctx, e);
    };
    v.0.iter()
        .map(|f| {
            let question = f
                .field
                .strip_prefix("responses[")
                .and_then(|rest| rest.split(']').next())
                .and_then(|i| i.parse::<usize>().ok())
                .and_then(|i| record.responses.get(i))
                .map(|r| format!(" ({})", r.indicator))
                .unwrap_or_default();
            let last = f.field.rsplit('.').next().unwrap_or(&f.field);
            let last = last.split('[').next().unwrap_or(last);
            (
                f.field.clone(),
                format!(
                    "{}{question}: {}",
                    ctx.t(&key("screening-field", last)),
                    ctx.t(&format!("err-{}", f.code))
                ),
            )
        })
        .collect()
}

pub async fn save_interview(
    State(s): State<AppState>,
    user: UiUser,
    Path(id): Path<String>,
    Form(form): Form<FormData>,
) -> Response {
    if let Err(r) = check_csrf(&user, &form) {
        return r;
    }
    let ctx = Ctx::of(&user);
    let person = match s.store.person(&user.actor, &id).await {
        Ok(p) => p,
        Err(e) => return not_shown(&ctx, &e),
    };
    let instrument_id = form.get("instrument").cloned().unwrap_or_default();
    let Ok(instrument) = moei_store::screening::instrument(&instrument_id) else {
        return not_shown(&ctx, &StoreError::NotFound);
    };
    let record = match record_from_form(&ctx, instrument, &form, s.store.clock().now()) {
        Ok(r) => r,
        Err(errors) => {
            return interview_form(
                &ctx,
                &person,
                instrument,
                &form,
                &errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            );
        }
    };
    match s.store.record_interview(&user.actor, &id, &record).await {
        Ok(_) => Redirect::to(&format!("/persons/{id}/screening")).into_response(),
        Err(e) => {
            let errors = interview_errors(&ctx, &e, &record);
            interview_form(
                &ctx,
                &person,
                instrument,
                &form,
                &errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
        }
    }
}

// ----- MDT and safeguard forms --------------------------------------------------------------

#[allow(clippy::result_large_err)] // The error is the response itself.
fn check_csrf(user: &UiUser, form: &FormData) -> Result<(), Response> {
    user.check_csrf(form.get("csrf").map(String::as_str).unwrap_or(""))
}

/// A form field, trimmed ("" when absent).
fn value(form: &FormData, key: &str) -> String {
    form.get(key)
        .map(|s| s.trim().to_string())
        .unwrap_or_default()
}

pub async fn open_case(
    State(s): State<AppState>,
    user: UiUser,
    Path(id): Path<String>,
    Form(form): Form<FormData>,
) -> Response {
    if let Err(r) = check_csrf(&user, &form) {
        return r;
    }
    let ctx = Ctx::of(&user);
    let v = |k: &str| value(&form, k);
    let members = (0..5)
        .filter(|i| !v(&format!("m{i}_name")).is_empty())
        .map(|i| ConferenceMember {
            name: v(&format!("m{i}_name")),
            agency: v(&format!("m{i}_agency")),
            role: v(&format!("m{i}_role")),
            username: Some(v(&format!("m{i}_username"))).filter(|u| !u.is_empty()),
        })
        .collect();
    let Ok(conference_on) = v("conference_on").parse() else {
        let errors = vec![(
            String::new(),
            format!("{}: {}", ctx.t("mdt-conference-on"), ctx.t("err-required")),
        )];
        return render_person_screening(&s, &user, &id, &errors, StatusCode::UNPROCESSABLE_ENTITY)
            .await;
    };
    let input = MdtCaseInput {
        person_id: id.clone(),
        conference_on,
        members,
    };
    match s.store.open_mdt_case(&user.actor, &input).await {
        Ok(_) => Redirect::to(&format!("/persons/{id}/screening")).into_response(),
        Err(e) => {
            let errors = screening_errors(&ctx, &e);
            render_person_screening(&s, &user, &id, &errors, StatusCode::UNPROCESSABLE_ENTITY).await
        }
    }
}

pub async fn decide_case(
    State(s): State<AppState>,
    user: UiUser,
    Path(case_id): Path<String>,
    Form(form): Form<FormData>,
) -> Response {
    if let Err(r) = check_csrf(&user, &form) {
        return r;
    }
    let ctx = Ctx::of(&user);
    let v = |k: &str| value(&form, k);
    let person_id = v("person_id");
    let lines = |k: &str| -> Vec<String> {
        v(k).lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_string)
            .collect()
    };
    let reviewer = |p: &str| Reviewer {
        name: v(&format!("{p}_name")),
        agency: v(&format!("{p}_agency")),
    };
    let decision = DECISIONS.into_iter().find(|d| d.as_str() == v("decision"));
    let dates = (v("decided_on").parse(), v("review_on").parse());
    let (Some(decision), (Ok(decided_on), Ok(review_on))) = (decision, dates) else {
        let errors = vec![(String::new(), ctx.t("mdt-incomplete"))];
        return render_person_screening(
            &s,
            &user,
            &person_id,
            &errors,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    };
    let input = DeterminationInput {
        decision,
        exploitation: EXPLOITATIONS
            .iter()
            .filter(|(e, _)| form.contains_key(&format!("x_{}", enum_str(e))))
            .map(|(e, _)| *e)
            .collect(),
        reasons: lines("reasons"),
        dissent: lines("dissent")
            .into_iter()
            .map(|l| match l.split_once(':') {
                Some((m, r)) => Dissent {
                    member: m.trim().into(),
                    reason: r.trim().into(),
                },
                None => Dissent {
                    member: l,
                    reason: String::new(),
                },
            })
            .collect(),
        reviewer: reviewer("reviewer"),
        second_reviewer: Some(reviewer("second")).filter(|r| !r.name.is_empty()),
        decided_on,
        review_on,
        share_with_investigators: SHAREABLE_PARTS
            .iter()
            .filter(|p| form.contains_key(&format!("share_{p}")))
            .map(|p| p.to_string())
            .collect(),
    };
    match s.store.decide_mdt_case(&user.actor, &case_id, &input).await {
        Ok(c) => Redirect::to(&format!("/persons/{}/screening", c.person_id)).into_response(),
        Err(e) => {
            let errors = screening_errors(&ctx, &e);
            render_person_screening(
                &s,
                &user,
                &person_id,
                &errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    }
}

pub async fn request_punitive(
    State(s): State<AppState>,
    user: UiUser,
    Path(id): Path<String>,
    Form(form): Form<FormData>,
) -> Response {
    if let Err(r) = check_csrf(&user, &form) {
        return r;
    }
    let ctx = Ctx::of(&user);
    let v = |k: &str| value(&form, k);
    let Some(kind) = PUNITIVE
        .iter()
        .map(|(a, _)| *a)
        .find(|a| enum_str(a) == v("kind"))
    else {
        return not_shown(&ctx, &StoreError::NotFound);
    };
    let override_by = OFFICES
        .iter()
        .find(|(o, _)| enum_str(o) == v("office"))
        .map(|(office, _)| OverrideInput {
            office: *office,
            reason: v("override_reason"),
        });
    let input = PunitiveActionInput {
        person_id: id.clone(),
        kind,
        reason: v("reason"),
        override_by,
    };
    match s.store.request_punitive_action(&user.actor, &input).await {
        Ok(_) => Redirect::to("/safeguard").into_response(),
        Err(e) => {
            let errors = screening_errors(&ctx, &e);
            let status = if matches!(e, StoreError::Safeguard(_)) {
                StatusCode::CONFLICT
            } else {
                StatusCode::UNPROCESSABLE_ENTITY
            };
            render_person_screening(&s, &user, &id, &errors, status).await
        }
    }
}

pub async fn safeguard_page(State(s): State<AppState>, user: UiUser) -> Response {
    let ctx = Ctx::of(&user);
    let Ok(d) = s.store.safeguard_dashboard(&user.actor).await else {
        return forbidden(&ctx);
    };
    let table = |rows: &[moei_store::screening::PunitiveAction], overrides: bool| {
        html! {
            table {
                thead { tr {
                    th scope="col" { (ctx.t("safeguard-when")) }
                    th scope="col" { (ctx.t("field-registration-number")) }
                    th scope="col" { (ctx.t("safeguard-kind")) }
                    th scope="col" { (ctx.t("safeguard-requested-by")) }
                    th scope="col" { (ctx.t("screening-case-status")) }
                    @if overrides {
                        th scope="col" { (ctx.t("safeguard-office")) }
                        th scope="col" { (ctx.t("safeguard-override-reason")) }
                    } @else {
                        th scope="col" { (ctx.t("safeguard-refused-because")) }
                    }
                } }
                tbody {
                    @for r in rows {
                        tr {
                            td { (r.requested_at.get(..16).unwrap_or(&r.requested_at).replace('T', " ")) }
                            td { a href={ "/persons/" (r.person_id) "/screening" } { (r.registration_number) } }
                            td { (ctx.t(&key("punitive", &r.kind))) }
                            td { (r.requested_by) }
                            td { (ctx.t(&key("case-status", &r.case_status))) }
                            @if overrides {
                                td { (r.override_by.clone().unwrap_or_default()) " · " (r.override_office.as_deref().map(|o| ctx.t(&key("office", o))).unwrap_or_default()) }
                                td { (r.override_reason.clone().unwrap_or_default()) }
                            } @else {
                                td { (r.refused_because) }
                            }
                        }
                    }
                }
            }
        }
    };
    let body = html! {
        dl class="facts" data-testid="safeguard-counts" {
            dt { (ctx.t("safeguard-requested")) } dd { (d.counts.requested) }
            dt { (ctx.t("safeguard-refused-count")) } dd data-testid="refused" { (d.counts.refused) }
            dt { (ctx.t("safeguard-overridden")) } dd data-testid="overridden" { (d.counts.overridden) }
            dt { (ctx.t("safeguard-allowed")) } dd { (d.counts.allowed) }
        }
        h2 { (ctx.t("safeguard-overrides")) }
        (table(&d.overrides, true))
        h2 { (ctx.t("safeguard-refusals")) }
        (table(&d.refusals, false))
    };
    page(&ctx, &ctx.t("safeguard-title"), body).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Keys built from values (statuses, answers, decisions...) and from label arrays, which the
    /// literal-key scan in `ui/mod.rs` cannot see.
    #[test]
    fn every_built_key_is_translated() {
        let en = moei_i18n::keys(moei_i18n::Lang::En);
        let mut used: Vec<String> = Vec::new();
        for c in moei_domain::CaseStatus::ALL {
            used.push(key("case-status", c.as_str()));
        }
        for a in Answer::ALL {
            used.push(key("answer", a.as_str()));
        }
        for r in ["", "presumed_victim", "further_interview", "not_met"] {
            used.push(key("result", r));
        }
        for d in DECISIONS {
            used.push(key("decision", d.as_str()));
        }
        for d in ["given", "refused", "withdrawn"] {
            used.push(key("consent", d));
        }
        for (_, k) in TOPICS {
            used.push(key("consent-topic", k));
        }
        for (e, k) in EXPLOITATIONS {
            used.push(key("exploitation", k));
            used.push(key("exploitation", &enum_str(&e)));
        }
        for (a, k) in PUNITIVE {
            used.push(key("punitive", k));
            used.push(key("punitive", &enum_str(&a)));
        }
        for (o, k) in OFFICES {
            used.push(key("office", k));
            used.push(key("office", &enum_str(&o)));
        }
        for part in SHAREABLE_PARTS {
            used.push(key("share", part));
        }
        for r in [
            "minor",
            "departure_within24h",
            "departure_within72h",
            "departure_within7d",
            "injured",
            "signs_of_violence",
            "woman",
        ] {
            used.push(key("triage", r));
        }
        for f in [
            "instrument",
            "instrument_version",
            "name",
            "agency",
            "language",
            "recorded_at",
            "ended_at",
            "explained",
            "narrative",
            "responses",
            "indicator",
            "evidence",
        ] {
            used.push(key("screening-field", f));
        }
        for f in ["started_at", "ended_at"] {
            used.push(key("screening", f));
        }
        for k in [
            "mdt-member-role",
            "mdt-member-account",
            "field-name",
            "field-agency",
            "mdt-reviewer",
            "mdt-second-reviewer",
            "screening-interviewer-name",
            "screening-interviewer-agency",
            "screening-interpreter-name",
            "screening-interpreter-agency",
            "screening-interpreter-language",
            "screening-language",
            "err-unknown_instrument",
            "err-unknown_indicator",
            "err-single_agency",
            "err-unknown_user",
            "err-not_punitive",
            "err-unknown_part",
        ] {
            used.push(k.to_string());
        }
        let missing: Vec<_> = used.iter().filter(|k| !en.contains(k)).collect();
        assert!(missing.is_empty(), "keys not translated: {missing:?}");
    }

    #[test]
    fn indicator_ids_become_plain_field_names() {
        assert_eq!(
            field_id("D1.deceived_nature_of_job"),
            "D1_deceived_nature_of_job"
        );
    }
}
