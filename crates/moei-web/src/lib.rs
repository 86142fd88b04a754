//! Moei's web layer: the only crate that knows HTTP.
//!
//! Layout:
//! - [`error`]: every failure becomes `{"error": {"code", "message", "field"}}` with its status.
//! - [`auth`]: sessions (cookie + CSRF token) and API bearer tokens, resolved to an `Actor`.
//! - [`api`]: the JSON API under `/api/v1`, described by `openapi.json`.
//! - [`export`]: CSV files for download (formula-safe, with a BOM for spreadsheet programs).
//! - [`logistics_api`]: occupancy, the bottleneck view and the nominal roll over the API.
//! - [`logistics_files`]: nominal rolls, manifests and receipts; reading embassy files.
//! - [`matching`]: likely earlier registrations, from an in-memory identity index.
//! - [`identity`] and [`identity_api`]: lists, missing-person reports, the review queue, merges.
//! - [`screening_api`]: the screening API (interviews, MDT, safeguard, queue, HTCDS export).
//! - [`mrz_image`]: reading a zone from an uploaded image of a document (audited, not stored).
//! - [`ui`]: server-rendered pages (maud), every string through `moei-i18n`, assets embedded.
//!
//! Handlers stay thin: authorization, validation and audit happen in `moei-store`, so the API,
//! the UI and the command line cannot disagree.

pub mod api;
pub mod auth;
pub mod embassy_api;
pub mod error;
pub mod export;
pub mod identity;
pub mod identity_api;
pub mod logistics_api;
pub mod logistics_files;
pub mod matching;
pub mod mrz_image;
pub mod screening_api;
pub mod ui;

use std::net::SocketAddr;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderValue, header};
use moei_store::Store;
use tower_http::set_header::SetResponseHeaderLayer;

/// JSON bodies larger than this are refused with 413 (photos have their own limit).
pub const JSON_BODY_LIMIT: usize = 64 * 1024;

#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub matcher: std::sync::Arc<matching::Matcher>,
    /// Mark cookies `Secure` (HTTPS deployments). Off for plain-HTTP loopback use on a laptop.
    pub secure_cookies: bool,
}

pub fn router(state: AppState) -> Router {
    let security_headers = [
        (
            header::CONTENT_SECURITY_POLICY,
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
        ),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::REFERRER_POLICY, "no-referrer"),
        (header::X_FRAME_OPTIONS, "DENY"),
        (header::CACHE_CONTROL, "no-store"),
    ];
    let mut app = Router::new()
        .merge(api::routes())
        .merge(identity_api::routes())
        .merge(logistics_api::routes())
        .merge(screening_api::routes())
        .merge(ui::routes())
        .layer(DefaultBodyLimit::max(JSON_BODY_LIMIT))
        .layer(axum::middleware::from_fn(auth::reject_cross_site));
    for (name, value) in security_headers {
        app = app.layer(SetResponseHeaderLayer::if_not_present(
            name,
            HeaderValue::from_static(value),
        ));
    }
    app.with_state(state)
}

/// Serves until `shutdown` resolves. Binding is separate so callers can print the real address.
impl AppState {
    /// The state for serving `store`; starts building the matching index in the background.
    pub fn new(store: Store, secure_cookies: bool) -> AppState {
        let matcher = matching::Matcher::start(store.clone());
        AppState {
            store,
            matcher,
            secure_cookies,
        }
    }
}

pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    use axum::serve::ListenerExt;
    // Answers go out at once: with Nagle's algorithm a response written in two parts waits for
    // the client's delayed acknowledgement (tens of milliseconds per request on keep-alive).
    let listener = listener.tap_io(|tcp| {
        if let Err(e) = tcp.set_nodelay(true) {
            tracing::debug!(error = %e, "could not set TCP_NODELAY");
        }
    });
    axum::serve(
        listener,
        router(state).into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
}
