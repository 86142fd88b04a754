use std::io::Cursor;

use calamine::{Reader, Xlsx, open_workbook_from_rs};
use jiff::civil::date;
use moei_screening::Sex;
use moei_screening::htcds::{
    DecisionMakingOrg, HTCDS_HEADERS, HtcdsCase, htcds_gender, htcds_row, htcds_trafficking_status,
    htcds_xlsx, write_htcds_csv,
};
use moei_screening::mdt::{Decision, Exploitation};

use crate::mdt::determination;

fn case(decision: Decision) -> HtcdsCase {
    HtcdsCase {
        case_id: "MS-2025-0001".into(),
        first_name: "Min Thu".into(),
        second_name: "Aung".into(),
        birthdate: Some(date(1995, 3, 14)),
        sex: Some(Sex::M),
        citizenship: vec!["MMR".into()],
        decision_making_org: DecisionMakingOrg::NonPoliceGovernmentalOrganization,
        determination: determination(decision),
    }
}

fn value<'a>(row: &'a [(&'static str, String)], header: &str) -> &'a str {
    row.iter()
        .find(|(h, _)| *h == header)
        .map(|(_, v)| v.as_str())
        .unwrap()
}

#[test]
fn forced_criminality_goes_out_as_other_with_subtype() {
    let row = htcds_row(&case(Decision::VictimOfTrafficking)).unwrap();
    let headers: Vec<&str> = row.iter().map(|(h, _)| *h).collect();
    assert_eq!(headers, HTCDS_HEADERS);
    assert_eq!(value(&row, "vic_TypeOfExploitation"), "Other;ForcedLabour");
    assert_eq!(value(&row, "moei_ExploitationSubType"), "ForcedCriminality");
    assert_eq!(
        value(&row, "vic_TraffickingStatus"),
        "ActualVictimOfTrafficking"
    );
    assert_eq!(
        value(&row, "vic_TraffickingStatusDecisionMakingOrg"),
        "NonPoliceGovernmentalOrganization"
    );
    assert_eq!(value(&row, "prs_Gender"), "Masculine");
    assert_eq!(value(&row, "prs_Birthdate"), "1995-03-14");
    assert_eq!(value(&row, "moei_Decision"), "victim_of_trafficking");
    assert_eq!(value(&row, "moei_ReviewDate"), "2025-11-30");
}

#[test]
fn status_and_gender_mappings() {
    assert_eq!(
        htcds_trafficking_status(Decision::VictimOfTrafficking),
        "ActualVictimOfTrafficking"
    );
    assert_eq!(
        htcds_trafficking_status(Decision::VictimOfForcedLabour),
        "PossibleVictimOfTrafficking"
    );
    assert_eq!(
        htcds_trafficking_status(Decision::NotVictimIrregularMigrant),
        "NotAVictimOfTrafficking"
    );
    assert_eq!(
        htcds_trafficking_status(Decision::SuspectedOffender),
        "NotAVictimOfTrafficking"
    );
    assert_eq!(htcds_gender(Some(Sex::F)), "Feminine");
    assert_eq!(htcds_gender(Some(Sex::M)), "Masculine");
    assert_eq!(htcds_gender(Some(Sex::X)), "NonSpecifiedUnknown");
    assert_eq!(htcds_gender(None), "NonSpecifiedUnknown");

    let row = htcds_row(&case(Decision::NotVictimIrregularMigrant)).unwrap();
    assert_eq!(value(&row, "vic_TypeOfExploitation"), "");
    assert_eq!(value(&row, "moei_ExploitationSubType"), "");
    let mut c = case(Decision::VictimOfForcedLabour);
    c.determination.exploitation = vec![Exploitation::ForcedLabour];
    let row = htcds_row(&c).unwrap();
    assert_eq!(value(&row, "vic_TypeOfExploitation"), "ForcedLabour");
    assert_eq!(value(&row, "moei_ExploitationSubType"), "");
}

#[test]
fn invalid_cases_are_rejected_naming_fields() {
    let mut c = case(Decision::SuspectedOffender);
    c.case_id = " ".into();
    c.citizenship = vec!["Myanmar".into(), "D".into()];
    let e = htcds_row(&c).unwrap_err();
    for f in [
        "case_id",
        "citizenship[0]",
        "citizenship[1]",
        "determination.second_reviewer",
    ] {
        assert!(e.has_field(f), "{f}: {e}");
    }
}

#[test]
fn csv_has_bom_header_and_defused_values() {
    let mut c = case(Decision::VictimOfTrafficking);
    c.first_name = "=HYPERLINK(\"x\")".into();
    c.second_name = "อ่อง, \"Aung\"".into();
    let rows = vec![
        htcds_row(&c).unwrap(),
        htcds_row(&case(Decision::NotVictimIrregularMigrant)).unwrap(),
    ];
    let mut out = Vec::new();
    write_htcds_csv(&rows, &mut out).unwrap();
    assert!(out.starts_with("\u{feff}".as_bytes()));
    let text = String::from_utf8(out[3..].to_vec()).unwrap();
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let headers: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(headers, HTCDS_HEADERS);
    let records: Vec<csv::StringRecord> = r.records().map(|x| x.unwrap()).collect();
    assert_eq!(records.len(), 2);
    assert_eq!(&records[0][1], "'=HYPERLINK(\"x\")");
    assert_eq!(&records[0][2], "อ่อง, \"Aung\"");
    assert_eq!(&records[1][6], "NotAVictimOfTrafficking");
}

#[test]
fn rows_of_the_wrong_shape_are_refused() {
    let mut row = htcds_row(&case(Decision::VictimOfTrafficking)).unwrap();
    row.swap(0, 1);
    let e = write_htcds_csv(&[row.clone()], Vec::new()).unwrap_err();
    assert!(e.to_string().contains("row 1"), "{e}");
    assert!(htcds_xlsx(&[row]).is_err());
}

#[test]
fn xlsx_reads_back_with_calamine() {
    let mut c = case(Decision::VictimOfTrafficking);
    c.first_name = "=1+1".into();
    c.sex = Some(Sex::F);
    let rows = vec![
        htcds_row(&c).unwrap(),
        htcds_row(&case(Decision::SuspectedOffender).tap_second()).unwrap(),
    ];
    let bytes = htcds_xlsx(&rows).unwrap();
    let mut wb: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes)).unwrap();
    let range = wb.worksheet_range("HTCDS").unwrap();
    let cells: Vec<Vec<String>> = range
        .rows()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect();
    assert_eq!(cells.len(), 3);
    assert_eq!(cells[0], HTCDS_HEADERS.map(String::from).to_vec());
    for (sheet_row, row) in cells[1..].iter().zip(&rows) {
        let expected: Vec<String> = row.iter().map(|(_, v)| v.clone()).collect();
        assert_eq!(sheet_row, &expected);
    }
    assert_eq!(cells[1][1], "=1+1", "text stays text, not a formula");
    assert_eq!(cells[1][4], "Feminine");
    assert_eq!(cells[2][6], "NotAVictimOfTrafficking");
}

trait SecondReviewer {
    fn tap_second(self) -> Self;
}

impl SecondReviewer for HtcdsCase {
    /// A suspected-offender case is only valid with a second reviewer from another agency.
    fn tap_second(mut self) -> Self {
        self.determination.second_reviewer = Some(moei_screening::mdt::Reviewer {
            name: "Jane D.".into(),
            agency: "Border NGO".into(),
        });
        self
    }
}
