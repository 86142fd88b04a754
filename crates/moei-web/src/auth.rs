//! Who is calling: a browser session (cookie, with a CSRF token for every change) or an API
//! client (bearer token). Both resolve to an `Actor` that the store checks and audits.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use moei_i18n::Lang;
use moei_store::Actor;

use crate::AppState;
use crate::error::ApiError;

pub const SESSION_COOKIE: &str = "moei_session";
pub const LANG_COOKIE: &str = "moei_lang";
pub const CSRF_HEADER: &str = "x-csrf-token";

pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

/// The client's address, for the audit log.
pub fn origin(parts: &Parts) -> String {
    parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip().to_string())
        .unwrap_or_else(|| "unknown".into())
}

pub fn lang(headers: &HeaderMap) -> Lang {
    cookie(headers, LANG_COOKIE)
        .and_then(|c| Lang::parse(&c))
        .or_else(|| {
            headers
                .get(header::ACCEPT_LANGUAGE)
                .and_then(|v| v.to_str().ok())
                .map(Lang::negotiate)
        })
        .unwrap_or_default()
}

fn is_unsafe(method: &Method) -> bool {
    !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// A caller of the JSON API.
pub struct ApiUser(pub Actor);

impl FromRequestParts<AppState> for ApiUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let origin = origin(parts);
        let bearer = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim);
        if let Some(token) = bearer {
            return match state.store.principal_for_token(token).await? {
                Some(p) => Ok(ApiUser(Actor::new(p, origin))),
                None => Err(ApiError::unauthorized()),
            };
        }
        let Some(secret) = cookie(&parts.headers, SESSION_COOKIE) else {
            return Err(ApiError::unauthorized());
        };
        let Some((principal, csrf)) = state.store.session(&secret).await? else {
            return Err(ApiError::unauthorized());
        };
        // A cookie is sent by the browser on its own; a change must also prove it came from our
        // pages by echoing the session's CSRF token in a header.
        if is_unsafe(&parts.method) {
            let sent = parts
                .headers
                .get(CSRF_HEADER)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("");
            if !csrf_matches(sent, &csrf) {
                return Err(ApiError::new(
                    StatusCode::FORBIDDEN,
                    "csrf",
                    "missing or wrong CSRF token",
                ));
            }
        }
        Ok(ApiUser(Actor::new(principal, origin)))
    }
}

fn csrf_matches(sent: &str, expected: &str) -> bool {
    !sent.is_empty() && moei_crypto::constant_time_eq(sent, expected)
}

/// A signed-in user of the web UI; anyone else is sent to the login page.
pub struct UiUser {
    pub actor: Actor,
    pub csrf: String,
    pub lang: Lang,
}

impl UiUser {
    /// Forms carry the session's CSRF token in a hidden field.
    #[allow(clippy::result_large_err)] // The error is the response itself, built once per refusal.
    pub fn check_csrf(&self, sent: &str) -> Result<(), Response> {
        if csrf_matches(sent, &self.csrf) {
            Ok(())
        } else {
            Err((StatusCode::FORBIDDEN, moei_i18n::t(self.lang, "error-csrf")).into_response())
        }
    }
}

impl FromRequestParts<AppState> for UiUser {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let lang = lang(&parts.headers);
        let origin = origin(parts);
        let session = match cookie(&parts.headers, SESSION_COOKIE) {
            Some(secret) => state.store.session(&secret).await.ok().flatten(),
            None => None,
        };
        match session {
            Some((principal, csrf)) => Ok(UiUser {
                actor: Actor::new(principal, origin),
                csrf,
                lang,
            }),
            None => Err(Redirect::to("/login").into_response()),
        }
    }
}

/// Refuses state-changing requests that a browser marks as coming from another site.
pub async fn reject_cross_site(req: Request, next: Next) -> Response {
    if is_unsafe(req.method()) {
        let cross = req
            .headers()
            .get("sec-fetch-site")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v == "cross-site");
        let host = req
            .headers()
            .get(header::HOST)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        let foreign_origin = req
            .headers()
            .get(header::ORIGIN)
            .and_then(|v| v.to_str().ok())
            .filter(|o| *o != "null")
            .is_some_and(|o| {
                let o_host = o.split("://").nth(1).unwrap_or(o);
                host.as_deref().is_some_and(|h| h != o_host)
            });
        if cross || foreign_origin {
            return ApiError::new(
                StatusCode::FORBIDDEN,
                "cross_site",
                "cross-site requests are refused",
            )
            .into_response();
        }
    }
    next.run(req).await
}

pub fn session_cookie(secret: &str, secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!("{SESSION_COOKIE}={secret}; Path=/; HttpOnly; SameSite=Strict; Max-Age=43200{secure}")
}

pub fn clear_session_cookie(secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!("{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0{secure}")
}
