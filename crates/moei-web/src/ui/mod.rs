//! Server-rendered pages. Every string comes from the translation files; every asset is
//! embedded in the binary, so a border-post laptop needs no network.
//!
//! The registration desk is built for the keyboard: the first name field has focus, Enter
//! registers, the new registration number is announced, and group mode keeps the shared fields.

mod desk;
mod layout;
mod pages;

use axum::Router;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::{get, post};

use crate::AppState;

pub use layout::Ctx;

const STYLE: &str = include_str!("../../assets/style.css");
const SCRIPT: &str = include_str!("../../assets/app.js");

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(pages::home))
        .route("/login", get(pages::login_page).post(pages::login))
        .route("/logout", post(pages::logout))
        .route("/lang/{code}", get(pages::set_lang))
        .route("/desk", get(desk::desk_page))
        .route("/desk/register", post(desk::register))
        .route("/groups", get(pages::groups_page).post(desk::create_group))
        .route("/persons", get(pages::persons_page))
        .route("/persons/{id}", get(pages::person_page).post(pages::update_person))
        .route("/persons/{id}/photo", get(pages::photo).post(pages::upload_photo))
        .route("/stats", get(pages::stats_page))
        .route("/admin/audit", get(pages::audit_page))
        .route("/admin/users", get(pages::users_page))
        .route("/assets/style.css", get(|| async { ([(header::CONTENT_TYPE, "text/css")], STYLE).into_response() }))
        .route(
            "/assets/app.js",
            get(|| async { ([(header::CONTENT_TYPE, "text/javascript")], SCRIPT).into_response() }),
        )
}
