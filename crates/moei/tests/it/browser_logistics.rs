//! The logistics pages in real headless Chromium: a bulk move of 300 people with the arrival
//! check, a departure batch from assignment to handover receipt, and the embassy workspace's
//! scope. Mouse clicks are used here (the keyboard-only rule is for the registration desk).

#![cfg(test)]

use calamine::Reader;
use fantoccini::{Client, Locator};
use moei_domain::{Person, Role};
use moei_store::Actor;
use moei_store::embassy::ConsularInput;
use moei_store::facilities::{FacilityInput, MoveInput, PersonFilter};
use serde_json::json;

use crate::browser::{World, exists, find, js, mark_page, text_of, wait_new_page};
use crate::common::*;

/// Clicks the element and waits for the page that answers.
async fn click_and_wait(c: &Client, css: &str) {
    let element = find(c, css).await;
    mark_page(c).await;
    element.click().await.unwrap();
    wait_new_page(c).await;
}

async fn fill(c: &Client, css: &str, text: &str) {
    find(c, css).await.send_keys(text).await.unwrap();
}

async fn choose(c: &Client, css: &str, value: &str) {
    find(c, css).await.select_by_value(value).await.unwrap();
}

/// Fetches a download with the browser's session: (status, content type, disposition, bytes).
async fn fetch(c: &Client, path: &str) -> (u16, String, String, Vec<u8>) {
    let v = c
        .execute_async(
            "var done = arguments[arguments.length - 1];
             fetch(arguments[0]).then(function (r) {
               return r.arrayBuffer().then(function (b) {
                 done([r.status, r.headers.get('content-type') || '', r.headers.get('content-disposition') || '',
                       Array.from(new Uint8Array(b))]);
               });
             }).catch(function (e) { done([0, String(e), '', []]); });",
            vec![json!(path)],
        )
        .await
        .unwrap();
    let bytes = v[3]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b.as_u64().unwrap() as u8)
        .collect();
    (
        v[0].as_u64().unwrap() as u16,
        v[1].as_str().unwrap().to_string(),
        v[2].as_str().unwrap().to_string(),
        bytes,
    )
}

/// The first sheet of an XLSX file as rows of text.
fn sheet(bytes: Vec<u8>) -> Vec<Vec<String>> {
    let mut wb = calamine::Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
    let range = wb.worksheet_range_at(0).unwrap().unwrap();
    range
        .rows()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect()
}

/// An embassy's verification file as it would send it back.
fn verification_xlsx(rows: &[[&str; 5]]) -> Vec<u8> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    let header = [
        "registration_number",
        "verification",
        "travel_document_kind",
        "travel_document_number",
        "travel_document_valid_until",
    ];
    for (col, h) in (0u16..).zip(header) {
        ws.write_string(0, col, h).unwrap();
    }
    for (r, row) in (1u32..).zip(rows) {
        for (col, v) in (0u16..).zip(row) {
            ws.write_string(r, col, *v).unwrap();
        }
    }
    wb.save_to_buffer().unwrap()
}

async fn main_text_has(c: &Client, needle: &str) -> bool {
    text_of(c, "main").await.contains(needle)
}

async fn texts(c: &Client, css: &str) -> Vec<String> {
    let mut out = Vec::new();
    for e in c.find_all(Locator::Css(css)).await.unwrap() {
        out.push(e.text().await.unwrap().trim().to_string());
    }
    out
}

async fn facility(store: &moei_store::Store, fm: &Actor, name: &str, men: i64) -> String {
    store
        .create_facility(
            fm,
            &FacilityInput {
                name: name.into(),
                kind: "holding".into(),
                capacities: vec![
                    ("men".into(), men),
                    ("women".into(), 20),
                    ("families".into(), 10),
                    ("minors".into(), 10),
                ],
            },
        )
        .await
        .unwrap()
        .id
}

/// Makes a person eligible to leave the way screening and the embassy would: a legal basis for
/// disclosure, a confirmed nationality with a travel document, and (when `cleared`) a
/// determination that clears them for departure.
async fn prepare(w: &World, emb: &Actor, p: &Person, cleared: bool) {
    let store = &w.server.store;
    store
        .record_disclosure_basis(&Actor::cli(), &p.id, "consent")
        .await
        .unwrap();
    store
        .record_consular(
            emb,
            &p.id,
            &ConsularInput {
                verification: Some("confirmed".into()),
                travel_document_kind: Some("emergency_certificate".into()),
                travel_document_number: Some(format!("EC{}", p.registration_number)),
                travel_document_valid_until: Some("2027-12-31".into()),
                proposed_departure: None,
            },
        )
        .await
        .unwrap();
    if cleared {
        w.db.raw(&format!(
            "UPDATE persons SET case_status = 'irregular_migrant' WHERE id = '{}'",
            p.id
        ))
        .await;
    }
}

#[tokio::test]
async fn logistics_move_300_and_depart_a_batch() {
    let w = World::start().await;
    let store = &w.server.store;
    let c = &w.c;
    let fm = add_user(store, "fm", Role::FacilityManager, &[]).await;
    let emb = add_user(store, "emb-ind", Role::EmbassyOfficer, &["IND"]).await;
    let inputs: Vec<_> = (0..300)
        .map(|i| person(&format!("Given{i}"), "Kumar", "IND"))
        .chain((0..6).map(|i| person(&format!("Wei{i}"), "Zhang", "CHN")))
        .collect();
    let persons = store
        .register_persons(&Actor::cli(), &inputs)
        .await
        .unwrap();
    let (ind, chn) = persons.split_at(300);
    let site_a = facility(store, &fm, "Mae Sot shelter A", 400).await;
    let site_b = facility(store, &fm, "Tak departure centre B", 320).await;
    store
        .move_persons(
            &fm,
            &MoveInput {
                filter: PersonFilter {
                    unplaced: true,
                    ..Default::default()
                },
                to_facility_id: site_a.clone(),
                to_section: None,
                vehicle: String::new(),
                escort: String::new(),
                departed_at: None,
            },
        )
        .await
        .unwrap();

    // --- The facility manager moves the 300 Indian nationals from A to B in one action.
    w.login("fm").await;
    assert!(exists(c, "nav a[href='/movements']").await);
    w.open("/facilities").await;
    let occupancy = text_of(c, "[data-testid=occupancy]").await;
    assert!(occupancy.contains("Mae Sot shelter A") && occupancy.contains("306"));

    // An empty selection never moves everyone: the error names the field, nothing moves.
    w.open("/movements").await;
    choose(c, "#to_facility_id", &site_b).await;
    click_and_wait(c, "[data-testid=move-submit]").await;
    let error = text_of(c, "p.error[role=alert]").await;
    assert!(
        error.starts_with("Selection: choose at least one criterion"),
        "{error}"
    );
    assert_eq!(
        store
            .facilities(&fm)
            .await
            .unwrap()
            .iter()
            .map(|f| f.occupied)
            .sum::<i64>(),
        306
    );

    w.open("/movements").await;
    assert!(text_of(c, "main").await.contains("Mae Sot shelter A"));
    fill(c, "#f_nationality", "IND").await;
    choose(c, "#f_facility", &site_a).await;
    choose(c, "#to_facility_id", &site_b).await;
    // The count first: nobody moves, and the form stays filled in.
    click_and_wait(c, "[data-testid=preview]").await;
    assert_eq!(
        text_of(c, "[data-testid=preview-count]").await,
        "300 persons match. Nobody has been moved or assigned yet."
    );
    assert_eq!(
        find(c, "#f_nationality")
            .await
            .prop("value")
            .await
            .unwrap()
            .as_deref(),
        Some("IND")
    );
    assert_eq!(
        find(c, "#to_facility_id")
            .await
            .prop("value")
            .await
            .unwrap()
            .as_deref(),
        Some(site_b.as_str())
    );
    assert!(
        store
            .movements(&fm, &Default::default())
            .await
            .unwrap()
            .len()
            == 1
    );
    fill(c, "#vehicle", "Bus 12-3456 Tak").await;
    fill(c, "#escort", "Sgt. Somchai").await;
    // The bus left at 09:15 Bangkok time, before the server's 10:00.
    js(
        c,
        "document.getElementById('departed_at').value = '2025-10-24T09:15';",
        vec![],
    )
    .await;
    click_and_wait(c, "[data-testid=move-submit]").await;
    assert_eq!(
        text_of(c, "[data-testid=moved]").await,
        "300 persons moved."
    );
    assert_eq!(text_of(c, "[data-testid=manifest-count]").await, "300");
    // 300 men in a section for 320: the warning is on the page.
    assert!(
        text_of(c, "main").await.contains("Near capacity"),
        "no capacity warning"
    );
    let movement_path = c.current_url().await.unwrap().path().to_string();
    let movement_id = movement_path.trim_start_matches("/movements/").to_string();

    // The manifest files, as the browser downloads them.
    let (status, ct, disposition, xlsx) =
        fetch(c, &format!("/movements/{movement_id}/manifest/xlsx")).await;
    assert_eq!(status, 200);
    assert!(ct.contains("spreadsheetml") && disposition.starts_with("attachment"));
    let rows = sheet(xlsx);
    assert_eq!(rows.len(), 301, "a header row and 300 persons");
    let numbers: Vec<&str> = rows[1..].iter().map(|r| r[0].as_str()).collect();
    assert!(numbers.contains(&ind[0].registration_number.as_str()));
    assert!(!numbers.contains(&chn[0].registration_number.as_str()));
    let (status, ct, _, pdf) = fetch(c, &format!("/movements/{movement_id}/manifest/pdf")).await;
    assert_eq!((status, ct.as_str()), (200, "application/pdf"));
    let text = pdf_text(w.db.dir.path(), &pdf);
    assert!(text.contains("Tak departure centre B"), "{text}");
    assert!(text.contains("Bus 12-3456 Tak"), "{text}");
    assert!(text.contains(ind[0].registration_number.as_str()));
    assert!(text.contains(ind[299].registration_number.as_str()));
    assert!(!text.contains(chn[0].registration_number.as_str()));
    assert!(
        main_text_has(c, "2025-10-24 09:15").await,
        "the departure time given"
    );

    // Arrival: everyone but one is ticked off, then the check is closed.
    let missing = ind[299].registration_number.to_string();
    let boxes = c.find_all(Locator::Css("input.arrived")).await.unwrap();
    assert_eq!(boxes.len(), 300);
    for b in &boxes {
        if b.attr("value").await.unwrap().as_deref() != Some(missing.as_str()) {
            b.click().await.unwrap();
        }
    }
    click_and_wait(c, "[data-testid=record-arrivals]").await;
    assert!(
        text_of(c, "main")
            .await
            .contains("299 persons checked off as arrived.")
    );
    assert!(
        text_of(c, "[data-testid=arrival-counts]")
            .await
            .contains("Expected 1")
    );
    assert!(!exists(c, "[data-testid=missing-alert]").await);
    click_and_wait(c, "[data-testid=close-arrival]").await;
    let alert = text_of(c, "[data-testid=missing-alert]").await;
    assert!(alert.contains("Missing on arrival: 1 persons"), "{alert}");
    assert!(alert.contains(&missing), "{alert}");
    assert!(!alert.contains(ind[0].registration_number.as_str()));
    assert_eq!(
        find(c, "[data-testid=missing-alert]")
            .await
            .attr("role")
            .await
            .unwrap()
            .as_deref(),
        Some("alert")
    );
    let b = store
        .facilities(&fm)
        .await
        .unwrap()
        .into_iter()
        .find(|f| f.id == site_b)
        .unwrap();
    assert_eq!(b.occupied, 299, "the missing person left the occupancy");

    // The list of movements leads back to this one, with its counts.
    w.open("/movements").await;
    let row = text_of(c, &format!("tr[data-movement='{movement_id}']")).await;
    assert!(row.starts_with("2025-10-24 09:15"), "{row}");
    assert!(
        row.contains("Mae Sot shelter A") && row.contains("Tak departure centre B"),
        "{row}"
    );
    assert!(row.contains("300 299 1") && row.contains("Closed"), "{row}");
    click_and_wait(c, &format!("tr[data-movement='{movement_id}'] a")).await;
    assert_eq!(text_of(c, "[data-testid=manifest-count]").await, "300");

    // From a person's record to their whereabouts and protection state.
    w.open(&format!("/persons/{}", ind[0].id)).await;
    click_and_wait(c, "[data-testid=logistics-link]").await;
    assert_eq!(
        text_of(c, "[data-testid=protection-flag]").await,
        "None recorded"
    );
    assert_eq!(
        text_of(c, "[data-testid=protection-disclosable]").await,
        "No"
    );

    // --- A departure batch for cleared persons. ind[0..5] are cleared; ind[5] is not screened.
    for p in &ind[0..5] {
        prepare(&w, &emb, p, true).await;
    }
    prepare(&w, &emb, &ind[5], false).await;
    store
        .record_disclosure_basis(&Actor::cli(), &chn[0].id, "consent")
        .await
        .unwrap();

    w.open("/batches").await;
    choose(c, "#kind", "flight").await;
    fill(c, "#carrier", "Thai Airways TG 337").await;
    fill(c, "#route", "Bangkok - Kolkata").await;
    js(
        c,
        "document.getElementById('departure_date').value = '2025-11-03';",
        vec![],
    )
    .await;
    fill(c, "#capacity", "10").await;
    click_and_wait(c, "[data-testid=batch-form] button[type=submit]").await;
    let batch_path = c.current_url().await.unwrap().path().to_string();
    assert!(batch_path.starts_with("/batches/"), "{batch_path}");
    let batch_id = batch_path.trim_start_matches("/batches/").to_string();

    let numbers: Vec<String> = ind[0..6]
        .iter()
        .map(|p| p.registration_number.to_string())
        .collect();
    fill(
        c,
        "[data-testid=assign-form] #f_numbers",
        &numbers.join(" "),
    )
    .await;
    click_and_wait(c, "[data-testid=preview]").await;
    assert_eq!(
        text_of(c, "[data-testid=preview-count]").await,
        "6 persons match. Nobody has been moved or assigned yet."
    );
    assert_eq!(text_of(c, "[data-testid=seats]").await, "0 / 10");
    click_and_wait(c, "[data-testid=assign-submit]").await;
    assert_eq!(
        text_of(c, "[data-testid=assigned]").await,
        "5 persons assigned."
    );
    let refusals = text_of(c, "[data-testid=refusals]").await;
    assert!(
        refusals.contains(&numbers[5]) && refusals.contains("Not screened"),
        "{refusals}"
    );
    assert!(!refusals.contains(&numbers[0]));
    assert_eq!(text_of(c, "[data-testid=seats]").await, "5 / 10");

    // Outcomes: one no-show; one leaves with a re-entry ban.
    let tick = |n: &str| format!("input[form=outcomes][value='{n}']");
    find(c, &tick(&numbers[0])).await.click().await.unwrap();
    choose(c, "#outcome", "no_show").await;
    click_and_wait(c, "[data-testid=outcome-submit]").await;
    assert_eq!(
        text_of(c, &format!("tr[data-number='{}'] td.outcome", numbers[0])).await,
        "No-show"
    );
    find(c, &tick(&numbers[1])).await.click().await.unwrap();
    choose(c, "#outcome", "assigned").await;
    find(c, "input[name=reentry_ban]")
        .await
        .click()
        .await
        .unwrap();
    click_and_wait(c, "[data-testid=outcome-submit]").await;
    let row = text_of(c, &format!("tr[data-number='{}']", numbers[1])).await;
    assert!(row.contains("Assigned") && row.ends_with("Yes"), "{row}");

    // Departure with the exit formalities, then the handover receipt.
    fill(c, "#exit_record", "TM6 exit list 2025-11-03/17").await;
    fill(c, "#handed_over_to", "Embassy of India, Bangkok").await;
    click_and_wait(c, "[data-testid=depart-form] button[type=submit]").await;
    assert_eq!(text_of(c, "[data-testid=batch-status]").await, "Departed");
    assert!(!exists(c, "[data-testid=assign-form]").await);
    let outcomes = texts(c, "[data-testid=batch-persons] td.outcome").await;
    assert_eq!(outcomes.iter().filter(|o| *o == "Departed").count(), 4);
    assert_eq!(outcomes.iter().filter(|o| *o == "No-show").count(), 1);
    let receipt = find(c, "[data-testid=receipt]")
        .await
        .attr("href")
        .await
        .unwrap()
        .unwrap();
    let (status, ct, disposition, pdf) = fetch(c, &receipt).await;
    assert_eq!((status, ct.as_str()), (200, "application/pdf"));
    assert!(disposition.contains("handover-receipt-2025-11-03.pdf"));
    let text = pdf_text(w.db.dir.path(), &pdf);
    assert!(text.contains("Embassy of India, Bangkok"), "{text}");
    assert!(text.contains("Thai Airways TG 337"), "{text}");
    for n in &numbers[1..5] {
        assert!(text.contains(n.as_str()), "{n} left: {text}");
    }
    assert!(!text.contains(numbers[5].as_str()), "never assigned");
    let on_batch = store.batch_persons(&fm, &batch_id).await.unwrap();
    let departed: Vec<&str> = on_batch
        .iter()
        .filter(|p| p.outcome == "departed")
        .map(|p| p.person.registration_number.as_str())
        .collect();
    assert_eq!(departed.len(), 4);
    assert!(!departed.contains(&numbers[0].as_str()));
    assert!(
        on_batch
            .iter()
            .any(|p| p.person.registration_number == numbers[1] && p.reentry_ban)
    );

    // The bottleneck view counts who is left.
    w.open("/bottlenecks").await;
    let ind_row = text_of(c, "tr[data-nationality=IND]").await;
    assert!(ind_row.contains("Not screened"), "{ind_row}");

    // --- The embassy officer sees only Indian nationals who may be disclosed, still here.
    w.login("emb-ind").await;
    assert!(!exists(c, "nav a[href='/movements']").await);
    assert!(exists(c, "nav a[href='/embassy']").await);
    w.open("/embassy").await;
    let mut on_roll = texts(c, "[data-testid=roll] tbody tr td:first-child").await;
    on_roll.sort();
    let mut expected = vec![numbers[0].clone(), numbers[5].clone()];
    expected.sort();
    assert_eq!(on_roll, expected, "the no-show and the unscreened person");
    assert_eq!(
        texts(c, "[data-testid=roll] tbody tr td:nth-child(7)").await,
        vec!["IND", "IND"]
    );
    let main = text_of(c, "main").await;
    assert!(!main.contains("Zhang") && !main.contains(chn[0].registration_number.as_str()));
    let (status, _, _, xlsx) = fetch(c, "/embassy/roll/xlsx?nationality=IND").await;
    assert_eq!(status, 200);
    assert_eq!(sheet(xlsx).len(), 3);
    let (status, _, _, _) = fetch(c, "/embassy/roll/xlsx?nationality=CHN").await;
    assert_eq!(status, 404, "another nationality's roll is not found");
    let (status, _, _, _) = fetch(c, &format!("/movements/{movement_id}/manifest/xlsx")).await;
    assert_eq!(status, 403, "no manifests for an embassy officer");

    // The embassy's verification file: one good row, one with an expired document. Nothing is
    // written until the officer chooses to apply the valid row.
    let file = w.db.dir.path().join("verified.xlsx");
    std::fs::write(
        &file,
        verification_xlsx(&[
            [
                numbers[0].as_str(),
                "confirmed",
                "passport",
                "Z7654321",
                "2030-01-31",
            ],
            [
                numbers[5].as_str(),
                "confirmed",
                "passport",
                "Z1111111",
                "2020-01-01",
            ],
        ]),
    )
    .unwrap();
    let doc_of = |roll: moei_store::embassy::NominalRoll, n: &str| {
        roll.entries
            .into_iter()
            .find(|e| e.registration_number == n)
            .and_then(|e| e.travel_document_number)
    };
    find(c, "#file")
        .await
        .send_keys(file.to_str().unwrap())
        .await
        .unwrap();
    click_and_wait(c, "form[enctype='multipart/form-data'] button[type=submit]").await;
    let report = text_of(c, "[data-testid=import-report]").await;
    assert!(
        report.contains("Valid rows: 1. Rows with problems: 1. Rows applied: 0."),
        "{report}"
    );
    assert!(
        report.contains(numbers[5].as_str()) && report.contains("expired"),
        "{report}"
    );
    let roll = store.nominal_roll(&emb, "IND", false).await.unwrap();
    assert_eq!(
        doc_of(roll, &numbers[0]).as_deref(),
        Some(format!("EC{}", numbers[0]).as_str()),
        "nothing written before the confirmation"
    );
    click_and_wait(c, "[data-testid=apply-valid]").await;
    let report = text_of(c, "[data-testid=import-report]").await;
    assert!(report.contains("Rows applied: 1."), "{report}");
    let roll = store.nominal_roll(&emb, "IND", false).await.unwrap();
    assert_eq!(
        doc_of(roll.clone(), &numbers[0]).as_deref(),
        Some("Z7654321")
    );
    assert_eq!(
        doc_of(roll, &numbers[5]).as_deref(),
        Some(format!("EC{}", numbers[5]).as_str()),
        "the bad row is not applied"
    );

    w.finish().await;
}
