//! Login, person search and record pages, groups, statistics and the admin views.

use std::collections::HashMap;

use axum::Form;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, html};
use moei_domain::{Action, Need, Person, PersonPatch};
use moei_i18n::Lang;
use moei_store::persons::PersonQuery;

use super::desk::{Errors, language_list, text_field, translate_errors};
use super::document_image::MrzDraft;
use super::layout::{Ctx, page};
use crate::AppState;
use crate::auth::{
    LANG_COOKIE, SESSION_COOKIE, UiUser, clear_session_cookie, cookie, lang, session_cookie,
};

pub async fn home(user: UiUser) -> Redirect {
    let p = &user.actor.principal;
    if p.may(Action::RegisterPerson) {
        Redirect::to("/desk")
    } else if p.may(Action::ListPersons) {
        Redirect::to("/persons")
    } else {
        Redirect::to("/stats")
    }
}

fn login_form(lang: Lang, error: Option<String>) -> Markup {
    let ctx = Ctx {
        lang,
        principal: None,
        csrf: "",
    };
    let body = html! {
        form method="post" action="/login" class="login" {
            @if let Some(e) = error { p class="error" role="alert" { (e) } }
            label for="username" { (ctx.t("login-username")) }
            input id="username" name="username" autocomplete="username" autofocus required;
            label for="password" { (ctx.t("login-password")) }
            input id="password" name="password" type="password" autocomplete="current-password" required;
            button type="submit" class="primary" { (ctx.t("login-submit")) }
        }
    };
    page(&ctx, &ctx.t("login-title"), body)
}

pub async fn login_page(headers: HeaderMap) -> Markup {
    login_form(lang(&headers), None)
}

pub async fn login(
    State(s): State<AppState>,
    headers: HeaderMap,
    axum::extract::ConnectInfo(addr): axum::extract::ConnectInfo<std::net::SocketAddr>,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let lang = lang(&headers);
    let username = form.get("username").map(|u| u.trim()).unwrap_or("");
    let password = form.get("password").map(String::as_str).unwrap_or("");
    match s
        .store
        .login(username, password, &addr.ip().to_string())
        .await
    {
        Ok(Some(principal)) => match s.store.create_session(&principal).await {
            Ok((secret, _csrf)) => (
                [(
                    header::SET_COOKIE,
                    session_cookie(&secret, s.secure_cookies),
                )],
                Redirect::to("/"),
            )
                .into_response(),
            Err(_) => (
                StatusCode::INTERNAL_SERVER_ERROR,
                login_form(lang, Some(moei_i18n::t(lang, "error-internal"))),
            )
                .into_response(),
        },
        Ok(None) => (
            StatusCode::UNAUTHORIZED,
            login_form(lang, Some(moei_i18n::t(lang, "login-failed"))),
        )
            .into_response(),
        Err(_) => (
            StatusCode::INTERNAL_SERVER_ERROR,
            login_form(lang, Some(moei_i18n::t(lang, "error-internal"))),
        )
            .into_response(),
    }
}

pub async fn logout(
    State(s): State<AppState>,
    user: UiUser,
    headers: HeaderMap,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    if let Err(r) = user.check_csrf(form.get("csrf").map(String::as_str).unwrap_or("")) {
        return r;
    }
    if let Some(secret) = cookie(&headers, SESSION_COOKIE) {
        let _ = s.store.end_session(&secret).await;
    }
    (
        [(header::SET_COOKIE, clear_session_cookie(s.secure_cookies))],
        Redirect::to("/login"),
    )
        .into_response()
}

pub async fn set_lang(Path(code): Path<String>, headers: HeaderMap) -> Response {
    let lang = Lang::parse(&code).unwrap_or_default();
    // Back to the page the user was on, if it was ours.
    let back = headers
        .get(header::REFERER)
        .and_then(|v| v.to_str().ok())
        .and_then(|r| r.find("://").map(|i| &r[i + 3..]))
        .and_then(|r| r.find('/').map(|i| r[i..].to_string()))
        .unwrap_or_else(|| "/".into());
    (
        [(
            header::SET_COOKIE,
            format!(
                "{LANG_COOKIE}={}; Path=/; SameSite=Strict; Max-Age=31536000",
                lang.code()
            ),
        )],
        Redirect::to(&back),
    )
        .into_response()
}

pub(super) fn forbidden(ctx: &Ctx) -> Response {
    (
        StatusCode::FORBIDDEN,
        page(ctx, &ctx.t("error-forbidden"), html! {}),
    )
        .into_response()
}

pub fn display_name(p: &Person) -> String {
    let latin = format!("{} {}", p.given_name, p.family_name)
        .trim()
        .to_string();
    if latin.is_empty() {
        "—".into()
    } else {
        latin
    }
}

#[derive(serde::Deserialize, Default)]
pub struct SearchForm {
    q: Option<String>,
    nationality: Option<String>,
    day: Option<String>,
    group: Option<String>,
    cursor: Option<String>,
}

pub async fn persons_page(
    State(s): State<AppState>,
    user: UiUser,
    Query(f): Query<SearchForm>,
) -> Response {
    let ctx = Ctx::of(&user);
    if !ctx.may(Action::ListPersons) {
        return forbidden(&ctx);
    }
    let query = PersonQuery {
        q: f.q.clone(),
        nationality: f.nationality.clone(),
        day: f.day.clone(),
        arrival_group_id: f.group.clone(),
        cursor: f.cursor.clone(),
        limit: Some(50),
    };
    let result = s.store.search_persons(&user.actor, &query).await;
    let errors: Errors = result
        .as_ref()
        .err()
        .map(|e| translate_errors(&ctx, e))
        .unwrap_or_default();
    let page_items = result.ok();
    let val = |v: &Option<String>| v.clone().unwrap_or_default();
    let body = html! {
        form method="get" action="/persons" class="search" role="search" {
            div class="field" {
                label for="q" { (ctx.t("search-q")) }
                input id="q" name="q" value=(val(&f.q)) autofocus placeholder=(ctx.t("search-q-hint"));
            }
            div class="field" {
                label for="nationality" { (ctx.t("field-nationality")) }
                input id="nationality" name="nationality" value=(val(&f.nationality)) maxlength="3" size="4";
            }
            div class="field" {
                label for="day" { (ctx.t("search-day")) }
                input id="day" name="day" type="date" value=(val(&f.day));
            }
            @if let Some(g) = &f.group { input type="hidden" name="group" value=(g); }
            button type="submit" { (ctx.t("search-submit")) }
        }
        @for (_, msg) in &errors { p class="error" role="alert" { (msg) } }
        @if let Some(pg) = &page_items {
            @if pg.items.is_empty() { p { (ctx.t("search-none")) } }
            @else {
                table class="persons" {
                    thead { tr {
                        th scope="col" { (ctx.t("field-registration-number")) }
                        th scope="col" { (ctx.t("field-name")) }
                        th scope="col" { (ctx.t("field-name-original-script")) }
                        th scope="col" { (ctx.t("field-sex")) }
                        th scope="col" { (ctx.t("field-date-of-birth")) }
                        th scope="col" { (ctx.t("field-nationality")) }
                        th scope="col" { (ctx.t("field-registered-at")) }
                    } }
                    tbody {
                        @for p in &pg.items {
                            tr {
                                td { a href={ "/persons/" (p.id) } { (p.registration_number) } }
                                td { (display_name(p)) }
                                td { (p.name_original_script) }
                                td { (p.sex.as_str()) }
                                td { (p.date_of_birth.map(|d| d.to_api_string()).or(p.estimated_age.map(|a| format!("~{a}"))).unwrap_or_default()) }
                                td { (p.nationality) }
                                td { (p.registered_at.to_zoned(moei_domain::clock::deployment_zone()).strftime("%Y-%m-%d %H:%M")) }
                            }
                        }
                    }
                }
                @if let Some(next) = &pg.next {
                    a class="next" href={ "/persons?q=" (urlencode(&val(&f.q))) "&nationality=" (urlencode(&val(&f.nationality))) "&day=" (urlencode(&val(&f.day))) "&group=" (urlencode(&val(&f.group))) "&cursor=" (next) } { (ctx.t("search-next")) }
                }
            }
        }
    };
    page(&ctx, &ctx.t("persons-title"), body).into_response()
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

pub async fn person_page(
    State(s): State<AppState>,
    user: UiUser,
    Path(id): Path<String>,
) -> Response {
    render_person(&s, &user, &id, &Vec::new(), StatusCode::OK).await
}

async fn render_person(
    s: &AppState,
    user: &UiUser,
    id: &str,
    errors: &Errors,
    status: StatusCode,
) -> Response {
    render_person_with(s, user, id, errors, status, None).await
}

/// The person page, with the document form filled from an image read when `draft` is given.
pub(super) async fn render_person_with(
    s: &AppState,
    user: &UiUser,
    id: &str,
    errors: &Errors,
    status: StatusCode,
    draft: Option<&MrzDraft>,
) -> Response {
    let ctx = Ctx::of(user);
    // One audited read for the whole page: record, timeline and documents.
    let (p, history, documents) = match s.store.person_record(&user.actor, id).await {
        Ok(r) => r,
        Err(e) => {
            let errs = translate_errors(&ctx, &e);
            let msg = errs.first().map(|e| e.1.clone()).unwrap_or_default();
            let code = if matches!(e, moei_store::StoreError::Forbidden) {
                StatusCode::FORBIDDEN
            } else {
                StatusCode::NOT_FOUND
            };
            return (code, page(&ctx, &msg, html! {})).into_response();
        }
    };
    let can_edit = ctx.may(Action::UpdatePerson);
    let dob = p
        .date_of_birth
        .map(|d| d.to_api_string())
        .unwrap_or_default();
    let body = html! {
        p class="regno-big" data-testid="registration-number" { (p.registration_number) }
        @if ctx.may(Action::ReadScreening) || ctx.may(Action::RequestPunitiveAction) || ctx.may(Action::OverrideSafeguard) {
            p { a href={ "/persons/" (p.id) "/screening" } data-testid="screening-link" { (ctx.t("nav-screening")) } }
        }
        @if super::facilities::may_see_logistics(&ctx) {
            p { a href={ "/persons/" (p.id) "/logistics" } data-testid="logistics-link" { (ctx.t("logistics-person-link")) } }
        }
        div class="person" {
            dl class="facts" {
                dt { (ctx.t("field-name")) } dd { (display_name(&p)) }
                dt { (ctx.t("field-name-original-script")) } dd { (p.name_original_script) }
                dt { (ctx.t("field-sex")) } dd { (p.sex.as_str()) }
                dt { (ctx.t("field-date-of-birth")) } dd { (dob) }
                dt { (ctx.t("field-estimated-age")) } dd { (p.estimated_age.map(|a| a.to_string()).unwrap_or_default()) }
                dt { (ctx.t("field-nationality")) } dd { (p.nationality) " " (moei_domain::countries::name(&p.nationality).unwrap_or("")) }
                dt { (ctx.t("field-languages")) } dd { (p.languages.join(", ")) }
                dt { (ctx.t("field-has-identity-document")) } dd { (ctx.t(if p.has_identity_document { "yes" } else { "no" })) }
                dt { (ctx.t("field-needs")) } dd { (p.needs.iter().map(|n| ctx.t(&format!("need-{}", n.as_str()))).collect::<Vec<_>>().join(", ")) }
                dt { (ctx.t("field-notes")) } dd { (p.notes) }
                dt { (ctx.t("field-registered-at")) } dd { (p.registered_at.to_zoned(moei_domain::clock::deployment_zone()).strftime("%Y-%m-%d %H:%M")) " · " (p.registered_by) }
                @if let Some(g) = &p.arrival_group_id { dt { (ctx.t("desk-group")) } dd { a href={ "/persons?group=" (g) } { (ctx.t("group-members")) } } }
            }
            @if let Some(hash) = &p.photo_sha256 {
                figure { img src={ "/persons/" (p.id) "/photo" } alt=(ctx.t("person-photo")) width="160"; figcaption { "SHA-256 " code { (hash[..12.min(hash.len())]) } } }
            }
        }
        @if can_edit {
            h2 { (ctx.t("person-edit")) }
            @for (f, msg) in errors { @if f.is_empty() { p class="error" role="alert" { (msg) } } }
            form method="post" action={ "/persons/" (p.id) } class="grid" {
                (ctx.csrf_field())
                input type="hidden" name="expected_version" value=(p.version);
                (text_field(&ctx, "given_name", &p.given_name, errors, false, None))
                (text_field(&ctx, "family_name", &p.family_name, errors, false, None))
                (text_field(&ctx, "name_original_script", &p.name_original_script, errors, false, None))
                (text_field(&ctx, "sex", p.sex.as_str(), errors, false, None))
                (text_field(&ctx, "date_of_birth", &dob, errors, false, None))
                (text_field(&ctx, "estimated_age", &p.estimated_age.map(|a| a.to_string()).unwrap_or_default(), errors, false, None))
                (text_field(&ctx, "nationality", &p.nationality, errors, false, None))
                (text_field(&ctx, "languages", &p.languages.join(", "), errors, false, None))
                div class="checks" {
                    label { input type="checkbox" name="has_identity_document" value="on" checked[p.has_identity_document]; " " (ctx.t("field-has-identity-document")) }
                    fieldset {
                        legend { (ctx.t("field-needs")) }
                        @for need in Need::ALL {
                            label { input type="checkbox" name={ "need_" (need.as_str()) } value="on" checked[p.needs.contains(&need)]; " " (ctx.t(&format!("need-{}", need.as_str()))) }
                        }
                    }
                }
                label for="notes" { (ctx.t("field-notes")) }
                textarea id="notes" name="notes" rows="3" { (p.notes) }
                button type="submit" class="primary" { (ctx.t("person-save")) }
            }
            h2 { (ctx.t("person-photo")) }
            form method="post" action={ "/persons/" (p.id) "/photo?csrf=" (ctx.csrf) } enctype="multipart/form-data" {
                label for="photo" { (ctx.t("person-photo-upload")) }
                input id="photo" name="photo" type="file" accept="image/jpeg,image/png";
                button type="submit" { (ctx.t("person-photo-submit")) }
            }
        }
        h2 { (ctx.t("documents-title")) }
        @if documents.is_empty() { p { (ctx.t("documents-none")) } }
        @for d in &documents {
            section class="document" data-testid="document" {
                p {
                    strong { (ctx.t(&format!("doc-kind-{}", d.kind.replace('_', "-")))) }
                    " · " (ctx.t(&format!("doc-status-{}", d.status.replace('_', "-"))))
                    @if !d.number.is_empty() { " · " code { (d.number) } }
                    @if !d.issuing_state.is_empty() { " · " (d.issuing_state) }
                    @if let Some(e) = &d.expiry_date { " · " (ctx.t("doc-expiry")) " " (e) }
                }
                @if d.expired { p class="error" { (ctx.t("doc-expired")) } }
                @match d.mrz_valid {
                    Some(true) => p class="success" { (ctx.t("doc-mrz-valid")) },
                    Some(false) => p class="error" { (ctx.t("doc-mrz-invalid")) },
                    None => {},
                }
                @if let Some(list) = d.checks["disagreements"].as_array() {
                    @if !list.is_empty() {
                        p class="error" { (ctx.t("doc-disagreements")) }
                        ul { @for x in list {
                            li { (ctx.t(&format!("field-{}", x["field"].as_str().unwrap_or("").replace('_', "-")))) ": "
                                (ctx.t("doc-stated")) " " (x["stated"].as_str().unwrap_or("")) " · "
                                (ctx.t("doc-on-document")) " " (x["document"].as_str().unwrap_or("")) }
                        } }
                    }
                }
                @if !d.same_number_persons.is_empty() {
                    p class="error" data-testid="same-number" { (ctx.t("doc-same-number")) " " (d.same_number_persons.join(", ")) }
                }
            }
        }
        @if can_edit {
            details open[draft.is_some()] {
                summary { (ctx.t("doc-add")) }
                form method="post" action={ "/persons/" (p.id) "/documents/read-mrz?csrf=" (ctx.csrf) } enctype="multipart/form-data" class="mrz-image" {
                    label for="mrz-image" { (ctx.t("doc-image-upload")) }
                    input id="mrz-image" name="image" type="file" accept="image/jpeg,image/png";
                    button type="submit" { (ctx.t("doc-image-submit")) }
                    p class="hint" { (ctx.t("doc-image-note")) }
                }
                @if let Some(d) = draft {
                    p class=(if d.valid { "success" } else { "error" }) role="status" data-testid="mrz-image-result" { (d.message) }
                }
                form method="post" action={ "/persons/" (p.id) "/documents" } class="grid" {
                    (ctx.csrf_field())
                    div class="field" {
                        label for="doc-kind" { (ctx.t("doc-kind")) }
                        select id="doc-kind" name="kind" {
                            @for k in moei_domain::document::DocumentKind::ALL {
                                option value=(k.as_str()) { (ctx.t(&format!("doc-kind-{}", k.as_str().replace('_', "-")))) }
                            }
                        }
                    }
                    div class="field" {
                        label for="doc-status" { (ctx.t("doc-status")) }
                        select id="doc-status" name="status" {
                            @for st in moei_domain::document::DocumentStatus::ALL {
                                option value=(st.as_str()) { (ctx.t(&format!("doc-status-{}", st.as_str().replace('_', "-")))) }
                            }
                        }
                    }
                    (text_field(&ctx, "number", "", errors, false, None))
                    (text_field(&ctx, "issuing_state", "", errors, false, Some("IND")))
                    (text_field(&ctx, "expiry_date", "", errors, false, Some("YYYY-MM-DD")))
                    label for="mrz" { (ctx.t("field-mrz")) }
                    textarea id="mrz" name="mrz" rows="3" class="mrz" spellcheck="false" autocomplete="off" placeholder=(ctx.t("doc-mrz-hint")) { (draft.map_or("", |d| d.mrz.as_str())) }
                    button type="submit" { (ctx.t("doc-save")) }
                }
            }
        }
        h2 { (ctx.t("person-timeline")) }
        ol class="timeline" {
            @for h in &history {
                li {
                    time { (h.at.get(..16).unwrap_or(&h.at).replace('T', " ")) } " · " (h.by) " · " (ctx.t(&format!("event-{}", h.event)))
                    @if let Some(obj) = h.changes.as_object() {
                        @if !obj.is_empty() {
                            ul { @for (field, change) in obj {
                                li { (ctx.t(&format!("field-{}", field.replace('_', "-")))) ": " (value_text(&change["from"])) " → " (value_text(&change["to"])) }
                            } }
                        }
                    }
                }
            }
        }
    };
    (status, page(&ctx, &display_name(&p), body)).into_response()
}

fn value_text(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::Null => "—".into(),
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Array(a) => a.iter().map(value_text).collect::<Vec<_>>().join(", "),
        other => other.to_string(),
    }
}

pub async fn update_person(
    State(s): State<AppState>,
    user: UiUser,
    Path(id): Path<String>,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    if let Err(r) = user.check_csrf(form.get("csrf").map(String::as_str).unwrap_or("")) {
        return r;
    }
    let get = |k: &str| form.get(k).map(|v| v.trim().to_string());
    let opt = |k: &str| get(k).map(|v| if v.is_empty() { None } else { Some(v) });
    let patch = PersonPatch {
        given_name: opt("given_name"),
        family_name: opt("family_name"),
        name_original_script: opt("name_original_script"),
        sex: opt("sex"),
        date_of_birth: opt("date_of_birth"),
        estimated_age: opt("estimated_age").map(|v| v.map(|a| a.parse::<i64>().unwrap_or(-1))),
        nationality: opt("nationality"),
        languages: get("languages").map(|l| language_list(&l)),
        has_identity_document: Some(Some(get("has_identity_document").is_some())),
        needs: Some(
            Need::ALL
                .iter()
                .filter(|n| form.contains_key(&format!("need_{}", n.as_str())))
                .map(|n| n.as_str().to_string())
                .collect(),
        ),
        notes: opt("notes"),
        expected_version: get("expected_version").and_then(|v| v.parse().ok()),
    };
    match s.store.update_person(&user.actor, &id, &patch).await {
        Ok(p) => Redirect::to(&format!("/persons/{}", p.id)).into_response(),
        Err(e) => {
            let ctx = Ctx::of(&user);
            let errors = translate_errors(&ctx, &e);
            render_person(&s, &user, &id, &errors, StatusCode::UNPROCESSABLE_ENTITY).await
        }
    }
}

pub async fn add_document(
    State(s): State<AppState>,
    user: UiUser,
    Path(id): Path<String>,
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
    let input = moei_domain::document::DocumentInput {
        kind: get("kind"),
        status: get("status"),
        number: get("number"),
        issuing_state: get("issuing_state"),
        expiry_date: get("expiry_date"),
        mrz: get("mrz"),
        notes: get("notes"),
    };
    match s.store.add_document(&user.actor, &id, &input).await {
        Ok(_) => Redirect::to(&format!("/persons/{id}")).into_response(),
        Err(e) => {
            let ctx = Ctx::of(&user);
            let errors = translate_errors(&ctx, &e)
                .into_iter()
                .map(|(_, m)| (String::new(), m))
                .collect();
            render_person(&s, &user, &id, &errors, StatusCode::UNPROCESSABLE_ENTITY).await
        }
    }
}

pub async fn photo(State(s): State<AppState>, user: UiUser, Path(id): Path<String>) -> Response {
    match s.store.photo(&user.actor, &id).await {
        Ok((ct, bytes)) => ([(header::CONTENT_TYPE, ct)], bytes).into_response(),
        Err(_) => StatusCode::NOT_FOUND.into_response(),
    }
}

#[derive(serde::Deserialize)]
pub struct CsrfQuery {
    pub(super) csrf: Option<String>,
}

/// The named file of a multipart form posted with the CSRF token in the query. `Ok(None)` when
/// the file is absent, empty, or cut off by the route's size limit.
pub(super) async fn form_file(
    user: &UiUser,
    q: &CsrfQuery,
    mut multipart: Multipart,
    name: &str,
) -> Result<Option<axum::body::Bytes>, Response> {
    user.check_csrf(q.csrf.as_deref().unwrap_or(""))?;
    let mut bytes = None;
    loop {
        match multipart.next_field().await {
            Ok(Some(field)) if field.name() == Some(name) => match field.bytes().await {
                Ok(b) => bytes = Some(b),
                Err(_) => return Ok(None),
            },
            Ok(Some(_)) => {}
            Ok(None) => break,
            Err(_) => return Ok(None),
        }
    }
    Ok(bytes.filter(|b| !b.is_empty()))
}

pub async fn upload_photo(
    State(s): State<AppState>,
    user: UiUser,
    Path(id): Path<String>,
    Query(q): Query<CsrfQuery>,
    multipart: Multipart,
) -> Response {
    let bytes = match form_file(&user, &q, multipart, "photo").await {
        Ok(b) => b,
        Err(r) => return r,
    };
    let ctx = Ctx::of(&user);
    let Some(bytes) = bytes else {
        let errors = vec![(
            String::new(),
            format!(
                "{}: {}",
                ctx.t("person-photo"),
                ctx.t("err-unsupported_image")
            ),
        )];
        return render_person(&s, &user, &id, &errors, StatusCode::UNPROCESSABLE_ENTITY).await;
    };
    match s.store.set_photo(&user.actor, &id, &bytes).await {
        Ok(p) => Redirect::to(&format!("/persons/{}", p.id)).into_response(),
        Err(e) => {
            let errors: Errors = translate_errors(&ctx, &e)
                .into_iter()
                .map(|(_, m)| (String::new(), m))
                .collect();
            render_person(&s, &user, &id, &errors, StatusCode::UNPROCESSABLE_ENTITY).await
        }
    }
}

pub async fn groups_page(State(s): State<AppState>, user: UiUser) -> Response {
    let ctx = Ctx::of(&user);
    let Ok(groups) = s.store.arrival_groups(&user.actor, 200).await else {
        return forbidden(&ctx);
    };
    let body = html! {
        @if ctx.may(Action::CreateArrivalGroup) { (super::desk::group_form(&ctx, &HashMap::new(), &Vec::new())) }
        table {
            thead { tr {
                th scope="col" { (ctx.t("field-arrived-at")) }
                th scope="col" { (ctx.t("field-crossing-point")) }
                th scope="col" { (ctx.t("field-mode")) }
                th scope="col" { (ctx.t("field-headcount")) }
                th scope="col" { (ctx.t("count-registered")) }
                th scope="col" { (ctx.t("field-officer")) }
            } }
            tbody {
                @for g in &groups {
                    tr {
                        td { (g.arrived_at.to_zoned(moei_domain::clock::deployment_zone()).strftime("%Y-%m-%d %H:%M")) }
                        td { @if ctx.may(Action::RegisterPerson) { a href={ "/desk?group=" (g.id) } { (g.crossing_point) } } @else { (g.crossing_point) } }
                        td { (ctx.t(&format!("mode-{}", g.mode.as_str()))) }
                        td class="num" { (g.headcount.map(|h| h.to_string()).unwrap_or_default()) }
                        td class="num" { a href={ "/persons?group=" (g.id) } { (g.registered_count) } }
                        td { (g.officer) }
                    }
                }
            }
        }
    };
    page(&ctx, &ctx.t("groups-title"), body).into_response()
}

pub async fn stats_page(State(s): State<AppState>, user: UiUser) -> Response {
    let ctx = Ctx::of(&user);
    let Ok(c) = s.store.counts(&user.actor, None).await else {
        return forbidden(&ctx);
    };
    let body = html! {
        p { (ctx.ta("stats-total", &[("count", c.total.into())])) }
        div class="stats" {
            section {
                h2 { (ctx.t("count-by-day")) }
                table { @for (day, n) in &c.by_day { tr { td { (day) } td class="num" { (n) } } } }
            }
            section {
                h2 { (ctx.t("count-by-nationality")) }
                table { @for (code, n) in &c.by_nationality { tr { td { (code) " " (moei_domain::countries::name(code).unwrap_or("")) } td class="num" { (n) } } } }
            }
        }
    };
    page(&ctx, &ctx.t("stats-title"), body).into_response()
}

pub async fn audit_page(State(s): State<AppState>, user: UiUser) -> Response {
    let ctx = Ctx::of(&user);
    let Ok(entries) = s.store.audit_entries(&user.actor, None, 200).await else {
        return forbidden(&ctx);
    };
    let report = s.store.verify_audit().await.ok();
    let body = html! {
        @if let Some(r) = report {
            @if r.ok() { p class="success" { (ctx.ta("audit-chain-ok", &[("count", r.rows.into())])) } }
            @else { p class="error" role="alert" { (ctx.ta("audit-chain-broken", &[("seq", r.first_broken.map(|b| b.seq).unwrap_or(0).into())])) } }
        }
        table {
            thead { tr { th { "#" } th { (ctx.t("audit-at")) } th { (ctx.t("audit-who")) } th { (ctx.t("audit-action")) } th { (ctx.t("audit-target")) } th { (ctx.t("audit-origin")) } } }
            tbody { @for e in &entries { tr {
                td class="num" { (e.seq) } td { (e.at.get(..19).unwrap_or(&e.at)) } td { (e.actor_name) " (" (e.actor_role) ")" }
                td { (e.action) } td { (e.target_kind) " " (e.target_id.get(..8).unwrap_or(&e.target_id)) } td { (e.origin) }
            } } }
        }
    };
    page(&ctx, &ctx.t("audit-title"), body).into_response()
}

pub async fn users_page(State(s): State<AppState>, user: UiUser) -> Response {
    let ctx = Ctx::of(&user);
    let Ok(users) = s.store.list_users(&user.actor).await else {
        return forbidden(&ctx);
    };
    let body = html! {
        p class="hint" { (ctx.t("users-cli-hint")) }
        table {
            thead { tr { th { (ctx.t("login-username")) } th { (ctx.t("users-role")) } th { (ctx.t("users-agency")) } th { (ctx.t("users-nationalities")) } } }
            tbody { @for u in &users { tr {
                td { (u.username) } td { (ctx.t(&super::layout::role_key(u.role))) } td { (u.agency.clone().unwrap_or_default()) } td { (u.nationalities.join(", ")) }
            } } }
        }
    };
    page(&ctx, &ctx.t("users-title"), body).into_response()
}
