//! The page frame: navigation for the user's role, language switch, skip link.

use maud::{DOCTYPE, Markup, html};
use moei_domain::{Action, Principal, Role};
use moei_i18n::{Arg, Lang, t, t_args};

use crate::auth::UiUser;

/// What every page needs to render.
pub struct Ctx<'a> {
    pub lang: Lang,
    pub principal: Option<&'a Principal>,
    pub csrf: &'a str,
}

impl<'a> Ctx<'a> {
    pub fn of(user: &'a UiUser) -> Self {
        Ctx {
            lang: user.lang,
            principal: Some(&user.actor.principal),
            csrf: &user.csrf,
        }
    }

    pub fn t(&self, key: &str) -> String {
        t(self.lang, key)
    }

    pub fn ta(&self, key: &str, args: &[(&str, Arg)]) -> String {
        t_args(self.lang, key, args)
    }

    pub fn may(&self, action: Action) -> bool {
        self.principal.is_some_and(|p| p.may(action))
    }

    pub fn csrf_field(&self) -> Markup {
        html! { input type="hidden" name="csrf" value=(self.csrf); }
    }
}

pub fn role_key(role: Role) -> String {
    format!("role-{}", role.as_str().replace('_', "-"))
}

pub fn page(ctx: &Ctx, title: &str, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang=(ctx.lang.code()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · Moei" }
                link rel="stylesheet" href="/assets/style.css";
                script src="/assets/app.js" defer {}
            }
            body {
                a class="skip" href="#main" { (ctx.t("nav-skip")) }
                header {
                    nav aria-label=(ctx.t("nav-label")) {
                        a class="brand" href="/" { "Moei" }
                        @if let Some(p) = ctx.principal {
                            @if p.may(Action::RegisterPerson) { a href="/desk" { (ctx.t("nav-desk")) } }
                            @if p.may(Action::ListPersons) { a href="/persons" { (ctx.t("nav-persons")) } }
                            @if p.may(Action::ReadArrivalGroups) { a href="/groups" { (ctx.t("nav-groups")) } }
                            @if p.may(Action::CountPersons) { a href="/stats" { (ctx.t("nav-stats")) } }
                            @if p.may(Action::ReviewMatches) { a href="/review" { (ctx.t("nav-review")) } }
                            @if p.may(Action::ReviewMatches) { a href="/lists" { (ctx.t("nav-lists")) } }
                            @if p.may(Action::ReportMissing) { a href="/missing" { (ctx.t("nav-missing")) } }
                            @if p.may(Action::ReadScreeningQueue) { a href="/screening" { (ctx.t("nav-screening")) } }
                            @if p.may(Action::ReadSafeguard) { a href="/safeguard" { (ctx.t("nav-safeguard")) } }
                            @if p.may(Action::ReadLogisticsCounts) { a href="/facilities" { (ctx.t("nav-facilities")) } }
                            @if p.may(Action::MovePersons) { a href="/movements" { (ctx.t("nav-movements")) } }
                            @if p.may(Action::ReadNominalRoll) { a href="/embassy" { (ctx.t("nav-embassy")) } }
                            @if p.may(Action::ManageDepartures) { a href="/batches" { (ctx.t("nav-batches")) } }
                            @if p.may(Action::ReadLogisticsCounts) { a href="/bottlenecks" { (ctx.t("nav-bottlenecks")) } }
                            @if p.may(Action::ReadAudit) { a href="/admin/audit" { (ctx.t("nav-audit")) } }
                            @if p.may(Action::ManageUsers) { a href="/admin/users" { (ctx.t("nav-users")) } }
                        }
                        span class="spacer" {}
                        @let other = if ctx.lang == Lang::En { Lang::Th } else { Lang::En };
                        a href={ "/lang/" (other.code()) } lang=(other.code()) { (t(other, "lang-name")) }
                        @if let Some(p) = ctx.principal {
                            span class="who" { (p.username) " · " (ctx.t(&role_key(p.role))) }
                            form method="post" action="/logout" class="inline" {
                                (ctx.csrf_field())
                                button type="submit" { (ctx.t("nav-logout")) }
                            }
                        }
                    }
                }
                main id="main" tabindex="-1" {
                    h1 { (title) }
                    (body)
                }
            }
        }
    }
}

/// An error message tied to its field for screen readers.
pub fn field_error(errors: &[(String, String)], field: &str) -> Markup {
    html! {
        @for (f, msg) in errors {
            @if f == field {
                p class="error" id={ "err-" (field) } role="alert" { (msg) }
            }
        }
    }
}
