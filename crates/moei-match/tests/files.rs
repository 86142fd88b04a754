//! CLI functions on real files, including malformed and hostile input.

// Helpers outside #[test] functions unwrap too: a broken fixture should fail the test loudly.
#![allow(clippy::unwrap_used)]

use std::io::Write;
use std::path::{Path, PathBuf};

use moei_match::io::read_records;
use moei_match::synth;
use moei_match::{DedupOptions, Index, LinkOptions, Model, Record, run_dedup, run_link};

const HEADER: &str = "record_id,given_name,family_name,full_name,sex,date_of_birth,nationality,passport_number,phone,place_of_origin\n";

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::File::create(&p).unwrap().write_all(bytes).unwrap();
    p
}

fn read_csv(p: &Path) -> Vec<Vec<String>> {
    let mut r = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_path(p)
        .unwrap();
    r.records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect()
}

#[test]
fn dedup_clusters_duplicates_and_explains() {
    let dir = tempfile::tempdir().unwrap();
    let body = format!(
        "{HEADER}\
a1,Wei,Zhang,,M,1988-11-23,China,E12345678,,Fujian\n\
a2,,,张伟,M,1988-11-23,CHN,E12345678,,\n\
a3,,,Wei Zhang,M,1988-23-11,China,,,Fujian\n\
b1,Abebe,Bekele,,M,1994-06-30,Ethiopia,,+251 911 234567,Addis Ababa\n\
b2,,,አበበ በቀለ,M,1994,Ethiopian,,0911234567,\n\
c1,Priya,Sharma,,F,1997-02-14,India,N1234567,,Jaipur\n\
d1,Kebede,Alemu,,M,1980-01-01,Ethiopia,,,Jimma\n"
    );
    let input = write(dir.path(), "in.csv", body.as_bytes());
    let out = dir.path().join("clusters.csv");
    let mut err = Vec::new();
    let opts = DedupOptions {
        explain: true,
        ..DedupOptions::new(&input, &out)
    };
    let s = run_dedup(&opts, &mut err).unwrap();
    assert_eq!(s.records, 7);
    let rows = read_csv(&out);
    assert_eq!(rows[0], vec!["record_id", "cluster_id"]);
    let cluster = |id: &str| rows.iter().find(|r| r[0] == id).unwrap()[1].clone();
    assert_eq!(cluster("a2"), "a1");
    assert_eq!(cluster("b2"), "b1");
    assert_eq!(cluster("c1"), "c1");
    assert_eq!(cluster("d1"), "d1");
    // The swapped date "1988-23-11" cannot be read: reported, the row is kept.
    let err = String::from_utf8(err).unwrap();
    assert!(err.contains("row 4: column `date_of_birth`"), "{err}");
    let explain = read_csv(&s.explain_file.unwrap());
    assert_eq!(
        &explain[0][..5],
        &[
            "left_id",
            "right_id",
            "score",
            "same_cluster",
            "match_weight"
        ]
    );
    assert!(explain[0].contains(&"name_level".to_owned()));
    assert!(explain.len() > 2);
}

#[test]
fn link_writes_scored_pairs() {
    let dir = tempfile::tempdir().unwrap();
    let left = write(dir.path(), "l.csv", format!("{HEADER}L1,,,Nguyễn Văn An,M,1995-07-01,Vietnam,C1234567,,\nL2,,,Somchai Jaidee,M,1985-02-02,Thai,,,\n").as_bytes());
    let right = write(dir.path(), "r.csv", format!("{HEADER}R1,An,Nguyen,,M,1995-07-01,VN,C1234567,,\nR2,,,Malee Srisuk,F,1985-02-02,Thailand,,,\n").as_bytes());
    let out = dir.path().join("pairs.csv");
    let mut err = Vec::new();
    let s = run_link(
        &LinkOptions {
            explain: true,
            ..LinkOptions::new(&left, &right, &out)
        },
        &mut err,
    )
    .unwrap();
    let rows = read_csv(&out);
    assert_eq!(
        &rows[0][..4],
        &["left_id", "right_id", "score", "match_weight"]
    );
    assert_eq!(s.matched_pairs, 1, "{rows:?}");
    assert_eq!(&rows[1][..2], &["L1", "R1"]);
    let score: f64 = rows[1][2].parse().unwrap();
    assert!(score >= 0.9);
}

#[test]
fn malformed_rows_are_reported_and_good_rows_kept() {
    let dir = tempfile::tempdir().unwrap();
    let mut body = Vec::new();
    body.extend_from_slice("\u{feff}Record_ID,Full_Name,Date_Of_Birth,Extra\n".as_bytes());
    body.extend_from_slice(b"1,Ana Santos,1990-01-01,x\n");
    body.extend_from_slice(b"2,Ragged Row\n");
    body.extend_from_slice(b"3,Bad \xff\xfe UTF,1990-01-01,x\n");
    body.extend_from_slice(b"4,Ok Ignored Col,1990-01-01,\xff\n");
    body.extend_from_slice(format!("5,{},1990-01-01,x\n", "A".repeat(100_000)).as_bytes());
    body.extend_from_slice(b"6,\"=HYPERLINK(\"\"http://x\"\")\",1990-01-01,x\n");
    body.extend_from_slice(b"1,Duplicate Id,1990-01-01,x\n");
    body.extend_from_slice(b",No Id,1990-01-01,x\n");
    body.extend_from_slice(b",,,\n");
    body.extend_from_slice(b"7,Last Good,not a date,x\n");
    let p = write(dir.path(), "bad.csv", &body);
    let mut err = Vec::new();
    let loaded = read_records(&p, &mut err).unwrap();
    let err = String::from_utf8(err).unwrap();
    let ids: Vec<&str> = loaded.rows.iter().map(|r| r.record.id.as_str()).collect();
    assert_eq!(ids, vec!["1", "4", "6", "7"], "{err}");
    assert_eq!(loaded.rejected, 5);
    assert!(
        err.contains("row 3: has 2 fields but the header has 4"),
        "{err}"
    );
    assert!(
        err.contains("row 4: column `full_name`: not valid UTF-8"),
        "{err}"
    );
    assert!(
        err.contains("row 6: column `full_name`: value is 100000 bytes"),
        "{err}"
    );
    assert!(
        err.contains("row 8: column `record_id`: \"1\" repeats the id of row 2"),
        "{err}"
    );
    assert!(err.contains("row 9: column `record_id`: empty"), "{err}");
    // The formula-looking name is data, and is escaped when written back out.
    let out = dir.path().join("c.csv");
    let mut err2 = Vec::new();
    run_dedup(&DedupOptions::new(&p, &out), &mut err2).unwrap();
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(text.lines().count() == 5);
    assert!(
        String::from_utf8(err2)
            .unwrap()
            .contains("row 11: column `date_of_birth`")
    );
}

#[test]
fn formula_ids_are_escaped_on_output() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(
        dir.path(),
        "f.csv",
        b"record_id,full_name\n=1+2,Ana Santos\n@cmd,Juan Cruz\n",
    );
    let out = dir.path().join("c.csv");
    run_dedup(&DedupOptions::new(&p, &out), &mut Vec::new()).unwrap();
    let rows = read_csv(&out);
    assert_eq!(rows[1], vec!["'=1+2", "'=1+2"]);
    assert_eq!(rows[2][0], "'@cmd");
}

#[test]
fn fatal_errors_are_clear() {
    let dir = tempfile::tempdir().unwrap();
    let empty = write(dir.path(), "empty.csv", b"");
    let e = run_dedup(
        &DedupOptions::new(&empty, dir.path().join("o.csv")),
        &mut Vec::new(),
    )
    .unwrap_err();
    assert!(e.to_string().contains("empty"), "{e}");
    let no_id = write(dir.path(), "noid.csv", b"name,dob\nAna,1990\n");
    let e = run_dedup(
        &DedupOptions::new(&no_id, dir.path().join("o.csv")),
        &mut Vec::new(),
    )
    .unwrap_err();
    assert!(e.to_string().contains("no record_id column"), "{e}");
    let header_only = write(dir.path(), "h.csv", HEADER.as_bytes());
    let s = run_dedup(
        &DedupOptions::new(&header_only, dir.path().join("o.csv")),
        &mut Vec::new(),
    )
    .unwrap();
    assert_eq!(s.records, 0);
    let wrong = write(dir.path(), "x.pdf", b"%PDF");
    assert!(
        run_dedup(
            &DedupOptions::new(&wrong, dir.path().join("o.csv")),
            &mut Vec::new()
        )
        .is_err()
    );
    let bad_xlsx = write(dir.path(), "x.xlsx", b"not a zip");
    let e = run_dedup(
        &DedupOptions::new(&bad_xlsx, dir.path().join("o.csv")),
        &mut Vec::new(),
    )
    .unwrap_err();
    assert!(e.to_string().contains("cannot open as XLSX"), "{e}");
    let opts = DedupOptions {
        threshold: 1.5,
        ..DedupOptions::new(&header_only, dir.path().join("o.csv"))
    };
    assert!(run_dedup(&opts, &mut Vec::new()).is_err());
}

#[test]
fn reads_xlsx_first_sheet() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("in.xlsx");
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    for (c, h) in [
        "Record_ID",
        "Full_Name",
        "Date_of_Birth",
        "Passport_Number",
        "Phone",
        "Nationality",
    ]
    .iter()
    .enumerate()
    {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    ws.write_string(1, 0, "x1").unwrap();
    ws.write_string(1, 1, "Rajesh Kumar").unwrap();
    let date = rust_xlsxwriter::ExcelDateTime::from_ymd(1992, 1, 15).unwrap();
    let fmt = rust_xlsxwriter::Format::new().set_num_format("yyyy-mm-dd");
    ws.write_datetime_with_format(1, 2, &date, &fmt).unwrap();
    ws.write_number(1, 3, 12345678.0).unwrap();
    ws.write_number(1, 4, 919876543210.0).unwrap();
    ws.write_string(1, 5, "India").unwrap();
    ws.write_number(2, 0, 2.0).unwrap();
    ws.write_string(2, 1, "राजेश कुमार").unwrap();
    ws.write_string(2, 2, "15/01/1992").unwrap();
    ws.write_string(2, 5, "IN").unwrap();
    wb.save(&path).unwrap();
    let mut err = Vec::new();
    let loaded = read_records(&path, &mut err).unwrap();
    assert_eq!(loaded.rows.len(), 2, "{}", String::from_utf8_lossy(&err));
    assert_eq!(loaded.rows[0].record.date_of_birth, "1992-01-15");
    assert_eq!(loaded.rows[0].record.passport_number, "12345678");
    assert_eq!(loaded.rows[1].record.id, "2");
    assert_eq!(loaded.rows[1].row, 3);
    let out = dir.path().join("c.csv");
    let s = run_dedup(&DedupOptions::new(&path, &out), &mut Vec::new()).unwrap();
    assert_eq!(s.duplicate_clusters, 1);
}

#[test]
fn index_finds_noisy_duplicates_incrementally() {
    let data = synth::generate(3000, 0.3, 9);
    let mut index = Index::new(Model::default());
    let mut found = 0;
    let mut asked = 0;
    for r in &data {
        // Before inserting, ask whether this person is already registered.
        let earlier = data
            .iter()
            .take_while(|x| x.record.id != r.record.id)
            .find(|x| x.person == r.person);
        if let Some(e) = earlier {
            asked += 1;
            let top = index.query(&r.record, 3);
            found += usize::from(top.iter().any(|c| c.id == e.record.id));
            if let Some(best) = top.first() {
                assert_eq!(best.explanation.contributions.len(), 7);
            }
        }
        index.insert(r.record.clone()).unwrap();
    }
    assert!(asked > 500);
    let recall = found as f64 / asked as f64;
    assert!(recall > 0.9, "top-3 recall {recall}");
    let dup = Record {
        id: data[0].record.id.clone(),
        ..Default::default()
    };
    assert!(index.insert(dup).is_err());
}

/// An age in the date-of-birth column is read as an age, not reported as an unreadable date
/// (the date it counts back from: `ages_count_back_from_the_list_date_or_else_the_file_date`).
#[test]
fn dedup_reads_an_age_in_the_date_of_birth_column() {
    let dir = tempfile::tempdir().unwrap();
    let body = format!(
        "{HEADER}\
a1,Tesfaye,Girma,,M,1995-03-01,Ethiopia,,,Gonder\n\
a2,Tesfaye,Girma,,M,age 30,Ethiopia,,,Gonder\n"
    );
    let input = write(dir.path(), "in.csv", body.as_bytes());
    let out = dir.path().join("clusters.csv");
    let mut err = Vec::new();
    let opts = DedupOptions {
        explain: true,
        ..DedupOptions::new(&input, &out)
    };
    let s = run_dedup(&opts, &mut err).unwrap();
    assert_eq!(s.field_issues, 0, "{}", String::from_utf8_lossy(&err));
    assert_eq!(s.records, 2);
}

/// The level the explained link of `L1` and `R1` gives the date of birth ("age 35" on the
/// right), or `None` when the pair is not linked.
fn age_level(
    dir: &Path,
    list_date: Option<&str>,
    modified: Option<std::time::SystemTime>,
) -> Option<String> {
    let left = write(
        dir,
        "l.csv",
        format!("{HEADER}L1,Aung,Kyaw,,M,1990-05-01,Myanmar,MA1234567,+95 9 421234567,Yangon\n")
            .as_bytes(),
    );
    let right = write(
        dir,
        "r.csv",
        format!("{HEADER}R1,Aung,Kyaw,,M,age 35,Myanmar,MA1234567,+95 9 421234567,Yangon\n")
            .as_bytes(),
    );
    if let Some(t) = modified {
        for p in [&left, &right] {
            std::fs::File::options()
                .write(true)
                .open(p)
                .unwrap()
                .set_modified(t)
                .unwrap();
        }
    }
    let out = dir.join("pairs.csv");
    run_link(
        &LinkOptions {
            explain: true,
            list_date: list_date.map(|d| moei_match::parse_list_date(d).unwrap()),
            ..LinkOptions::new(&left, &right, &out)
        },
        &mut Vec::new(),
    )
    .unwrap();
    let rows = read_csv(&out);
    let col = rows[0]
        .iter()
        .position(|h| h == "date_of_birth_level")
        .unwrap();
    rows.get(1).map(|r| r[col].clone())
}

#[test]
fn ages_count_back_from_the_list_date_or_else_the_file_date() {
    let dir = tempfile::tempdir().unwrap();
    let within = "within a stated age's tolerance";
    let day = |d: &str| {
        let ts = d
            .parse::<jiff::civil::Date>()
            .unwrap()
            .to_zoned(jiff::tz::TimeZone::UTC)
            .unwrap()
            .timestamp();
        std::time::SystemTime::from(ts)
    };
    // Age 35 stated on 2025-10-25: born 1989 or 1990, give or take three years.
    let files_2060 = Some(day("2060-01-01"));
    assert_eq!(
        age_level(dir.path(), Some("2025-10-25"), files_2060).as_deref(),
        Some(within)
    );
    // Stated in 2060, the same age is another person's: the pair is not linked at that level.
    assert_ne!(
        age_level(dir.path(), Some("2060-01-01"), Some(day("2025-10-25"))).as_deref(),
        Some(within)
    );
    // Without a list date, the files' modification date is used.
    assert_eq!(
        age_level(dir.path(), None, Some(day("2025-10-25"))).as_deref(),
        Some(within)
    );
    assert_ne!(
        age_level(dir.path(), None, files_2060).as_deref(),
        Some(within)
    );
}

#[test]
fn a_malformed_list_date_is_an_error_naming_the_option() {
    assert_eq!(
        moei_match::parse_list_date("2025-10-25").unwrap(),
        jiff::civil::date(2025, 10, 25)
    );
    for bad in ["25/10/2025", "2025-13-01", "", "2025-02-30", "yesterday"] {
        let e = format!("{:#}", moei_match::parse_list_date(bad).unwrap_err());
        assert!(e.contains("--list-date"), "{e}");
        assert!(e.contains("YYYY-MM-DD"), "{e}");
    }
}
