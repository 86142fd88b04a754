//! External lists: importing an authority list or embassy roll from a file, and the lists
//! imported so far (names and counts; the records go to the review queue as candidates).

use axum::extract::{Multipart, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use maud::{Markup, html};
use moei_domain::Action;
use moei_store::identity::{ListKind, NewList};

use super::layout::{Ctx, page};
use crate::AppState;
use crate::auth::UiUser;
use crate::identity::{ImportError, ImportOutcome, ListFormat, MAX_UPLOAD_BYTES};

const KINDS: [ListKind; 3] = [
    ListKind::AuthorityList,
    ListKind::EmbassyRoll,
    ListKind::Other,
];

/// What to show above the lists after an import attempt.
enum Notice {
    None,
    Imported(ImportOutcome),
    Problems(Vec<String>),
    Error(String),
}

async fn render(s: &AppState, user: &UiUser, notice: Notice) -> Response {
    let ctx = Ctx::of(user);
    let Ok(lists) = s.store.lists(&user.actor).await else {
        return super::pages::forbidden(&ctx);
    };
    let status = match notice {
        Notice::None | Notice::Imported(_) => StatusCode::OK,
        _ => StatusCode::UNPROCESSABLE_ENTITY,
    };
    let problems = |title: &str, rows: &[String]| -> Markup {
        html! {
            p { (ctx.t(title)) }
            ul class="problems" { @for r in rows.iter().take(200) { li { (r) } } }
        }
    };
    let body = html! {
        p class="hint" { (ctx.t("lists-intro")) }
        @match &notice {
            Notice::Imported(out) => {
                p class="success" role="status" {
                    (ctx.ta("lists-imported", &[("count", out.list.record_count.into())])) " "
                    (ctx.ta("review-run-done", &[("count", (out.candidates_added as i64).into())]))
                }
                @if !out.rejected.is_empty() { (problems("lists-problems-kept", &out.rejected)) }
            }
            Notice::Problems(rows) => { div role="alert" class="error" { (problems("lists-problems", rows)) } }
            Notice::Error(m) => { p class="error" role="alert" { (ctx.t("field-file")) ": " (m) } }
            Notice::None => {}
        }
        @if ctx.may(Action::ImportLists) {
            h2 { (ctx.t("lists-import")) }
            form method="post" action={ "/lists?csrf=" (ctx.csrf) } enctype="multipart/form-data" {
                label for="name" { (ctx.t("field-list-name")) }
                input type="text" id="name" name="name" required maxlength="200";
                label for="source" { (ctx.t("field-source")) }
                input type="text" id="source" name="source" required maxlength="200";
                label for="kind" { (ctx.t("field-kind")) }
                select id="kind" name="kind" {
                    @for k in KINDS { option value=(k.as_str()) { (ctx.t(&format!("list-kind-{}", k.as_str()))) } }
                }
                label for="file" { (ctx.t("lists-file")) }
                input type="file" id="file" name="file" required accept=".csv,.xlsx";
                label { input type="checkbox" name="accept_rejected" value="1"; " " (ctx.t("lists-accept")) }
                button type="submit" { (ctx.t("lists-submit")) }
            }
        }
        h2 { (ctx.t("lists-title")) }
        table {
            thead { tr {
                th scope="col" { (ctx.t("field-list-name")) }
                th scope="col" { (ctx.t("field-kind")) }
                th scope="col" { (ctx.t("field-source")) }
                th scope="col" { (ctx.t("lists-rows")) }
                th scope="col" { (ctx.t("lists-rejected")) }
                th scope="col" { (ctx.t("field-registered-at")) }
            } }
            tbody { @for l in &lists { tr {
                td { a href="/review?kind=list" { (l.name) } }
                td { (ctx.t(&format!("list-kind-{}", l.kind))) }
                td { (l.source) }
                td class="num" { (l.record_count) }
                td class="num" { (l.rejected_count) }
                td { (l.created_at.get(..16).unwrap_or(&l.created_at).replace('T', " ")) }
            } } }
        }
    };
    (status, page(&ctx, &ctx.t("lists-title"), body)).into_response()
}

pub async fn lists_page(State(s): State<AppState>, user: UiUser) -> Response {
    render(&s, &user, Notice::None).await
}

#[derive(serde::Deserialize)]
pub struct CsrfQuery {
    csrf: Option<String>,
}

/// Reads the form's parts; the file is read in chunks and refused past the upload limit.
async fn read_form(
    mut multipart: Multipart,
) -> Result<(NewList, bool, Vec<u8>, Option<ListFormat>), String> {
    let mut list = NewList {
        name: String::new(),
        source: String::new(),
        kind: String::new(),
    };
    let (mut accept, mut bytes, mut format) = (false, Vec::new(), None);
    while let Some(mut field) = multipart.next_field().await.map_err(|e| e.body_text())? {
        let name = field.name().unwrap_or("").to_string();
        match name.as_str() {
            "file" => {
                format = field.file_name().and_then(ListFormat::from_file_name);
                while let Some(chunk) = field.chunk().await.map_err(|e| e.body_text())? {
                    if bytes.len() + chunk.len() > MAX_UPLOAD_BYTES {
                        return Err(format!(
                            "more than {} MiB",
                            MAX_UPLOAD_BYTES / (1024 * 1024)
                        ));
                    }
                    bytes.extend_from_slice(&chunk);
                }
            }
            other => {
                let text = field.text().await.map_err(|e| e.body_text())?;
                match other {
                    "name" => list.name = text,
                    "source" => list.source = text,
                    "kind" => list.kind = text,
                    "accept_rejected" => accept = true,
                    _ => {}
                }
            }
        }
    }
    Ok((list, accept, bytes, format))
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
    let (list, accept, bytes, format) = match read_form(multipart).await {
        Ok(parts) => parts,
        Err(m) => return render(&s, &user, Notice::Error(m)).await,
    };
    let Some(format) = format else {
        return render(&s, &user, Notice::Error(ctx.t("lists-file"))).await;
    };
    let notice =
        match crate::identity::import_list(&s.store, &user.actor, &list, &bytes, format, accept)
            .await
        {
            Ok(out) => Notice::Imported(out),
            Err(ImportError::File(m)) => Notice::Error(m),
            Err(ImportError::Rejected { problems, .. }) => Notice::Problems(problems),
            Err(ImportError::Store(e)) => {
                let messages: Vec<String> = super::desk::translate_errors(&ctx, &e)
                    .into_iter()
                    .map(|(_, m)| m)
                    .collect();
                Notice::Error(messages.join("; "))
            }
        };
    render(&s, &user, notice).await
}
