//! What the logistics pages share: choosing persons by filter, form fields read from repeated
//! keys (hundreds of ticked boxes), translated vocabularies and file downloads.

use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use maud::{Markup, html};
use moei_domain::CaseStatus;
use moei_domain::logistics::Section;
use moei_store::facilities::{Facility, PersonFilter};

use super::layout::{Ctx, page};
use crate::auth::UiUser;

/// A posted form as pairs, so that repeated keys (ticked boxes) all arrive.
pub type Pairs = Vec<(String, String)>;

/// The trimmed value of a form field, empty when absent.
pub fn field<'a>(form: &'a Pairs, name: &str) -> &'a str {
    form.iter()
        .find(|(k, _)| k == name)
        .map_or("", |(_, v)| v.trim())
}

/// Every value of a repeated form field (ticked boxes).
pub fn all<'a>(form: &'a Pairs, name: &str) -> Vec<&'a str> {
    form.iter()
        .filter(|(k, v)| k == name && !v.trim().is_empty())
        .map(|(_, v)| v.trim())
        .collect()
}

#[allow(clippy::result_large_err)] // The error is the response itself, as in `UiUser::check_csrf`.
pub fn check_csrf(user: &UiUser, form: &Pairs) -> Result<(), Response> {
    user.check_csrf(field(form, "csrf"))
}

fn given(v: &str) -> Option<String> {
    (!v.is_empty()).then(|| v.to_string())
}

/// Reads the filter fields of [`filter_fields`]. Registration numbers may be separated by
/// spaces, commas or new lines.
pub fn read_filter(form: &Pairs) -> PersonFilter {
    let facility = field(form, "f_facility");
    PersonFilter {
        nationality: given(&field(form, "f_nationality").to_uppercase()),
        facility_id: given(facility).filter(|f| f != "unplaced"),
        section: given(field(form, "f_section")),
        case_status: given(field(form, "f_status")),
        arrival_group_id: None,
        unplaced: facility == "unplaced",
        registration_numbers: field(form, "f_numbers")
            .split(|c: char| c.is_whitespace() || c == ',' || c == ';')
            .filter(|n| !n.is_empty())
            .map(str::to_string)
            .collect(),
    }
}

/// The criteria a bulk action selects persons by; they combine with AND. `values` is the
/// form as last posted (after a preview or an error), so that the choices stay made.
pub fn filter_fields(ctx: &Ctx, facilities: &[Facility], values: &Pairs) -> Markup {
    let v = |name: &str| field(values, name).to_string();
    let (facility, section, status) = (v("f_facility"), v("f_section"), v("f_status"));
    html! {
        fieldset class="filter" {
            legend { (ctx.t("logistics-filter")) }
            div class="field" {
                label for="f_nationality" { (ctx.t("field-nationality")) }
                input id="f_nationality" name="f_nationality" maxlength="3" size="4" value=(v("f_nationality"));
            }
            div class="field" {
                label for="f_facility" { (ctx.t("logistics-current-facility")) }
                select id="f_facility" name="f_facility" {
                    option value="" { (ctx.t("logistics-any")) }
                    option value="unplaced" selected[facility == "unplaced"] { (ctx.t("logistics-unplaced")) }
                    @for f in facilities { option value=(f.id) selected[facility == f.id] { (f.name) } }
                }
            }
            div class="field" {
                label for="f_section" { (ctx.t("field-section")) }
                select id="f_section" name="f_section" {
                    option value="" { (ctx.t("logistics-any")) }
                    @for s in Section::ALL { option value=(s.as_str()) selected[section == s.as_str()] { (section_label(ctx, s.as_str())) } }
                }
            }
            div class="field" {
                label for="f_status" { (ctx.t("field-case-status")) }
                select id="f_status" name="f_status" {
                    option value="" { (ctx.t("logistics-any")) }
                    @for c in CaseStatus::ALL { option value=(c.as_str()) selected[status == c.as_str()] { (case_status_label(ctx, c.as_str())) } }
                }
            }
            div class="field wide" {
                label for="f_numbers" { (ctx.t("logistics-numbers")) }
                textarea id="f_numbers" name="f_numbers" rows="2" spellcheck="false" { (v("f_numbers")) }
            }
        }
    }
}

/// Whether a bulk form was posted with its "Preview" button (count only, act on nobody).
pub fn is_preview(form: &Pairs) -> bool {
    field(form, "preview") == "1"
}

/// The "Preview" button of a bulk form, and the count it answered with.
pub fn preview_controls(ctx: &Ctx, count: Option<i64>) -> Markup {
    html! {
        @if let Some(n) = count {
            p class="notice" role="status" data-testid="preview-count" {
                (ctx.ta("logistics-preview-count", &[("count", n.into())]))
            }
        }
        button type="submit" name="preview" value="1" formnovalidate data-testid="preview" {
            (ctx.t("logistics-preview"))
        }
    }
}

pub fn section_label(ctx: &Ctx, s: &str) -> String {
    ctx.t(&format!("logistics-section-{s}"))
}

pub fn case_status_label(ctx: &Ctx, s: &str) -> String {
    ctx.t(&format!("case-status-{}", s.replace('_', "-")))
}

/// A vocabulary value's label: `prefix` then the value with dashes.
pub fn label(ctx: &Ctx, prefix: &str, value: &str) -> String {
    ctx.t(&format!("{prefix}-{}", value.replace('_', "-")))
}

/// A stored timestamp as "YYYY-MM-DD HH:MM" in Bangkok time, the time the forms take.
pub fn when(ts: &str) -> String {
    match ts.parse::<jiff::Timestamp>() {
        Ok(t) => t
            .to_zoned(moei_domain::clock::deployment_zone())
            .strftime("%Y-%m-%d %H:%M")
            .to_string(),
        Err(_) => ts.get(..16).unwrap_or(ts).replace('T', " "),
    }
}

/// A file to download, or an error page if it could not be written.
pub fn download(
    ctx: &Ctx,
    file: Result<Vec<u8>, crate::logistics_files::FileError>,
    content_type: &str,
    file_name: &str,
) -> Response {
    match file {
        Ok(bytes) => (
            [
                (header::CONTENT_TYPE, content_type.to_string()),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"{file_name}\""),
                ),
            ],
            bytes,
        )
            .into_response(),
        Err(_) => (
            StatusCode::INTERNAL_SERVER_ERROR,
            page(ctx, &ctx.t("error-internal"), html! {}),
        )
            .into_response(),
    }
}

pub const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
pub const PDF: &str = "application/pdf";
pub const CSV: &str = "text/csv; charset=utf-8";

/// The page for a store error: 403, 404 or 409 with the translated message.
pub fn store_error_page(ctx: &Ctx, e: &moei_store::StoreError) -> Response {
    use moei_store::StoreError;
    let code = match e {
        StoreError::Forbidden => StatusCode::FORBIDDEN,
        StoreError::NotFound => StatusCode::NOT_FOUND,
        StoreError::Conflict(_) => StatusCode::CONFLICT,
        StoreError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
        _ => StatusCode::INTERNAL_SERVER_ERROR,
    };
    let msg = super::desk::translate_errors(ctx, e)
        .into_iter()
        .map(|(_, m)| m)
        .collect::<Vec<_>>()
        .join("; ");
    (code, page(ctx, &msg, html! {})).into_response()
}

/// Errors above a form, each with role="alert".
pub fn error_list(errors: &[(String, String)]) -> Markup {
    html! { @for (_, m) in errors { p class="error" role="alert" { (m) } } }
}

/// Bytes carried through a confirmation form as hex text.
pub fn to_hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

pub fn from_hex(text: &str) -> Option<Vec<u8>> {
    let text = text.trim().as_bytes();
    if !text.len().is_multiple_of(2) {
        return None;
    }
    text.chunks(2)
        .map(|pair| {
            std::str::from_utf8(pair)
                .ok()
                .and_then(|s| u8::from_str_radix(s, 16).ok())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_round_trips_and_refuses_junk() {
        let bytes = vec![0u8, 1, 0xab, 0xff, 0x10];
        assert_eq!(from_hex(&to_hex(&bytes)), Some(bytes));
        assert_eq!(from_hex("abc"), None);
        assert_eq!(from_hex("zz"), None);
    }

    #[test]
    fn filter_reads_numbers_and_unplaced() {
        let form: Pairs = vec![
            ("f_facility".into(), "unplaced".into()),
            ("f_nationality".into(), "ind".into()),
            (
                "f_numbers".into(),
                "MS-0000001, MS-0000002\nMS-0000003".into(),
            ),
        ];
        let f = read_filter(&form);
        assert!(f.unplaced && f.facility_id.is_none());
        assert_eq!(f.nationality.as_deref(), Some("IND"));
        assert_eq!(f.registration_numbers.len(), 3);
    }
}
