//! Server-rendered pages. Every string comes from the translation files; every asset is
//! embedded in the binary, so a border-post laptop needs no network.
//!
//! The registration desk is built for the keyboard: the first name field has focus, Enter
//! registers, the new registration number is announced, and group mode keeps the shared fields.

mod batches;
mod desk;
mod document_image;
mod embassy;
mod facilities;
mod layout;
mod lists;
mod logistics;
mod missing;
mod movements;
mod pages;
mod review;
mod screening;

use axum::Router;
use axum::extract::DefaultBodyLimit;
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
        .route(
            "/persons/{id}",
            get(pages::person_page).post(pages::update_person),
        )
        .route(
            "/persons/{id}/photo",
            get(pages::photo).post(pages::upload_photo),
        )
        .route("/persons/{id}/documents", post(pages::add_document))
        .route(
            "/persons/{id}/documents/read-mrz",
            post(document_image::read_mrz_image).layer(axum::extract::DefaultBodyLimit::max(
                crate::mrz_image::MAX_MRZ_IMAGE_BYTES,
            )),
        )
        .route("/stats", get(pages::stats_page))
        .route("/review", get(review::review_page))
        .route("/review/run", post(review::run))
        .route("/review/{id}/decide", post(review::decide))
        .route("/review/merges/{id}/undo", post(review::undo))
        .route(
            "/lists",
            get(lists::lists_page)
                .post(lists::import)
                .layer(DefaultBodyLimit::max(
                    crate::identity::MAX_UPLOAD_BYTES + 64 * 1024,
                )),
        )
        .route("/missing", get(missing::missing_page).post(missing::create))
        .route("/missing/{id}/informed", post(missing::informed))
        .route("/screening", get(screening::queue_page))
        .route("/safeguard", get(screening::safeguard_page))
        .route(
            "/persons/{id}/screening",
            get(screening::person_screening_page),
        )
        .route(
            "/persons/{id}/interview",
            get(screening::interview_form_page).post(screening::save_interview),
        )
        .route("/persons/{id}/mdt", post(screening::open_case))
        .route("/persons/{id}/punitive", post(screening::request_punitive))
        .route("/mdt/{id}/decide", post(screening::decide_case))
        // Logistics: sites, movements, the embassy workspace, departures.
        .route(
            "/facilities",
            get(facilities::facilities_page).post(facilities::create),
        )
        .route("/persons/{id}/logistics", get(facilities::person_page))
        .route("/persons/{id}/protection", post(facilities::set_protection))
        .route(
            "/persons/{id}/disclosure-basis",
            post(facilities::set_basis),
        )
        .route(
            "/movements",
            get(movements::movements_page).post(movements::create),
        )
        .route("/movements/{id}", get(movements::movement_page))
        .route("/movements/{id}/arrivals", post(movements::arrivals))
        .route("/movements/{id}/close", post(movements::close))
        .route(
            "/movements/{id}/manifest/{format}",
            get(movements::manifest_file),
        )
        .route("/embassy", get(embassy::workspace))
        .route("/embassy/roll/{format}", get(embassy::roll_file))
        .route("/embassy/consular", post(embassy::record))
        .route(
            "/embassy/import",
            // The confirmation carries the file as hex text: twice its size.
            post(embassy::import).layer(DefaultBodyLimit::max(
                2 * crate::identity::MAX_UPLOAD_BYTES + 64 * 1024,
            )),
        )
        .route("/batches", get(batches::batches_page).post(batches::create))
        .route("/batches/{id}", get(batches::batch_page))
        .route("/batches/{id}/assign", post(batches::assign))
        .route("/batches/{id}/outcome", post(batches::outcome))
        .route("/batches/{id}/depart", post(batches::depart))
        .route("/batches/{id}/receipt", get(batches::receipt))
        .route("/bottlenecks", get(batches::bottlenecks_page))
        .route("/bottlenecks/rate", post(batches::set_rate))
        .route("/admin/audit", get(pages::audit_page))
        .route("/admin/users", get(pages::users_page))
        .route(
            "/assets/style.css",
            get(|| async { ([(header::CONTENT_TYPE, "text/css")], STYLE).into_response() }),
        )
        .route(
            "/assets/app.js",
            get(|| async { ([(header::CONTENT_TYPE, "text/javascript")], SCRIPT).into_response() }),
        )
}

#[cfg(test)]
mod tests {
    /// Every translation key the pages use, literal or built from an enum, exists in English and
    /// Thai (which the i18n crate keeps identical).
    #[test]
    fn every_key_used_is_translated() {
        let en = moei_i18n::keys(moei_i18n::Lang::En);
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/src/ui");
        let mut used: Vec<String> = Vec::new();
        for entry in std::fs::read_dir(dir).unwrap() {
            let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
            for pattern in [
                "ctx.t(\"",
                "ctx.ta(\"",
                "t(lang, \"",
                "t(self.lang, \"",
                "t(other, \"",
            ] {
                for part in text.split(pattern).skip(1) {
                    if let Some(key) = part.split('"').next() {
                        used.push(key.to_string());
                    }
                }
            }
        }
        for m in moei_domain::CrossingMode::ALL {
            used.push(format!("mode-{}", m.as_str()));
        }
        for n in moei_domain::Need::ALL {
            used.push(format!("need-{}", n.as_str()));
        }
        for r in moei_domain::Role::ALL {
            used.push(super::layout::role_key(r));
        }
        for f in [
            "given_name",
            "family_name",
            "name_original_script",
            "sex",
            "date_of_birth",
            "estimated_age",
            "nationality",
            "languages",
            "has_identity_document",
            "needs",
            "notes",
            "has_photo",
            "photo_sha256",
            "crossing_point",
            "mode",
            "arrived_at",
            "headcount",
            "officer",
            "arrival_group_id",
        ] {
            used.push(format!("field-{}", f.replace('_', "-")));
        }
        for k in moei_domain::document::DocumentKind::ALL {
            used.push(format!("doc-kind-{}", k.as_str().replace('_', "-")));
        }
        for st in moei_domain::document::DocumentStatus::ALL {
            used.push(format!("doc-status-{}", st.as_str().replace('_', "-")));
        }
        for f in [
            "number",
            "issuing_state",
            "expiry_date",
            "mrz",
            "name",
            "document",
        ] {
            used.push(format!("field-{}", f.replace('_', "-")));
        }
        for k in super::review::KINDS {
            used.push(format!("kind-{k}"));
        }
        for st in moei_store::identity::CANDIDATE_STATUSES {
            used.push(format!("status-{st}"));
        }
        for k in ["authority_list", "embassy_roll", "other"] {
            used.push(format!("list-kind-{k}"));
        }
        for f in [
            "name",
            "dateofbirth",
            "sex",
            "nationality",
            "document",
            "phone",
            "place",
        ] {
            used.push(format!("match-field-{f}"));
        }
        for st in ["open", "found"] {
            used.push(format!("missing-status-{st}"));
        }
        for f in [
            "last_contact",
            "reporter_name",
            "reporter_relationship",
            "reporter_contact",
            "merged_into",
            "merged_from",
        ] {
            used.push(format!("field-{}", f.replace('_', "-")));
        }
        for e in ["merge", "unmerge"] {
            used.push(format!("event-{e}"));
        }
        for e in ["registered", "updated", "photo", "document"] {
            used.push(format!("event-{e}"));
        }
        // Logistics vocabularies, labelled as `prefix-value` with dashes.
        {
            use moei_domain::logistics::*;
            let mut add = |prefix: &str, values: Vec<&str>| {
                for v in values {
                    used.push(format!("{prefix}-{}", v.replace('_', "-")));
                }
            };
            add(
                "logistics-section",
                Section::ALL.iter().map(|v| v.as_str()).collect(),
            );
            add(
                "logistics-kind",
                FacilityKind::ALL.iter().map(|v| v.as_str()).collect(),
            );
            add(
                "logistics-arrival",
                ArrivalCheck::ALL.iter().map(|v| v.as_str()).collect(),
            );
            add(
                "logistics-verification",
                Verification::ALL.iter().map(|v| v.as_str()).collect(),
            );
            add(
                "logistics-doc",
                TravelDocumentKind::ALL.iter().map(|v| v.as_str()).collect(),
            );
            add(
                "logistics-basis",
                LegalBasis::ALL.iter().map(|v| v.as_str()).collect(),
            );
            let statuses: Vec<&str> = ProtectionStatus::ALL.iter().map(|v| v.as_str()).collect();
            add("logistics-protection", statuses.clone());
            add("logistics-protection-saved", statuses.clone());
            add("logistics-protection-state", statuses);
            add(
                "logistics-batch-kind",
                BatchKind::ALL.iter().map(|v| v.as_str()).collect(),
            );
            add(
                "logistics-outcome",
                Outcome::ALL.iter().map(|v| v.as_str()).collect(),
            );
            add(
                "logistics-block",
                BlockReason::ALL.iter().map(|v| v.as_str()).collect(),
            );
            add(
                "logistics-batch-status",
                vec!["planned", "departed", "cancelled"],
            );
            add(
                "logistics-level",
                vec!["ok", "near_capacity", "over_capacity"],
            );
            add("logistics-row", vec!["ok", "not_matched", "invalid"]);
            for c in moei_domain::CaseStatus::ALL {
                used.push(format!("case-status-{}", c.as_str().replace('_', "-")));
            }
            // Fields and codes the logistics store names in its validation errors.
            for f in [
                "filter",
                "to_facility_id",
                "to_section",
                "vehicle",
                "escort",
                "capacities",
                "capacity",
                "verification",
                "travel_document_kind",
                "travel_document_number",
                "travel_document_valid_until",
                "proposed_departure",
                "basis",
                "status",
                "reason",
                "carrier",
                "route",
                "departure_date",
                "outcome",
                "exit_record",
                "handed_over_to",
                "rate",
                "section",
                "case_status",
                "registration_number",
                "name",
                "kind",
                "file",
                "departed_at",
            ] {
                used.push(format!("field-{}", f.replace('_', "-")));
            }
            for code in [
                "empty_filter",
                "unknown_value",
                "no_match",
                "unknown_facility",
                "too_long",
                "bad_length",
                "out_of_range",
                "taken",
                "expired",
                "required",
                "in_the_past",
                "not_flagged",
                "use_departure",
                "bad_date",
                "not_matched",
                "no_records",
                "too_far_ahead",
                "invalid_timestamp",
            ] {
                used.push(format!("err-{code}"));
            }
        }
        used.sort();
        used.dedup();
        let missing: Vec<_> = used.iter().filter(|k| !en.contains(k)).collect();
        assert!(
            missing.is_empty(),
            "keys used but not translated: {missing:?}"
        );
        assert!(used.len() > 80, "scan found only {} keys", used.len());
    }
}
