//! The person page's "read the MRZ from an image" form: the image is read on
//! the server, the zone is put into the document form for the officer to
//! compare with the document and save, and the image is dropped.

use axum::extract::{Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;

use super::desk::Errors;
use super::pages::{CsrfQuery, form_file, render_person_with};
use crate::AppState;
use crate::auth::UiUser;
use crate::mrz_image::{ReadError, read_audited};
use crate::ui::Ctx;
use moei_mrz_image::ImageError;

/// What the document form shows after an image was read.
pub struct MrzDraft {
    /// The zone as read; empty when none was found.
    pub mrz: String,
    /// What the officer is told above the form.
    pub message: String,
    pub valid: bool,
}

pub async fn read_mrz_image(
    State(s): State<AppState>,
    user: UiUser,
    Path(id): Path<String>,
    Query(q): Query<CsrfQuery>,
    multipart: Multipart,
) -> Response {
    let bytes = match form_file(&user, &q, multipart, "image").await {
        Ok(b) => b,
        Err(r) => return r,
    };
    let ctx = Ctx::of(&user);
    let read = match bytes {
        Some(bytes) => read_audited(&s.store, &user.actor, Some(&id), bytes).await,
        None => Err(ReadError::Image(ImageError::Decode(String::new()))),
    };
    let (status, errors, draft): (StatusCode, Errors, Option<MrzDraft>) = match read {
        Ok(read) => {
            let message = if read.text.is_empty() {
                ctx.t("doc-image-no-zone")
            } else if read.report.is_valid() {
                ctx.t("doc-image-read-valid")
            } else {
                ctx.t("doc-image-read-invalid")
            };
            let draft = MrzDraft {
                valid: read.report.is_valid(),
                message,
                mrz: read.text,
            };
            (StatusCode::OK, Vec::new(), Some(draft))
        }
        Err(ReadError::Image(_)) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            vec![(String::new(), ctx.t("doc-image-unreadable"))],
            None,
        ),
        // Not allowed, or not a person the user may see: the page says which.
        Err(ReadError::Store(_)) => (StatusCode::FORBIDDEN, Vec::new(), None),
    };
    render_person_with(&s, &user, &id, &errors, status, draft.as_ref()).await
}
