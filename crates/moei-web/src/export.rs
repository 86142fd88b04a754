//! Export files. Cells that a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, CR)
//! are prefixed with an apostrophe, and CSV starts with a UTF-8 BOM so Thai and other scripts
//! open correctly in spreadsheet programs.

use moei_domain::Person;

pub const PERSON_COLUMNS: [&str; 13] = [
    "registration_number",
    "family_name",
    "given_name",
    "name_original_script",
    "sex",
    "date_of_birth",
    "estimated_age",
    "nationality",
    "languages",
    "has_identity_document",
    "needs",
    "registered_at",
    "id",
];

pub fn formula_safe(cell: &str) -> String {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}")
    } else {
        cell.to_string()
    }
}

pub fn persons_csv(persons: &[Person]) -> Result<Vec<u8>, csv::Error> {
    let mut out = Vec::from("\u{feff}".as_bytes());
    {
        let mut w = csv::Writer::from_writer(&mut out);
        w.write_record(PERSON_COLUMNS)?;
        for p in persons {
            let row = [
                p.registration_number.to_string(),
                p.family_name.clone(),
                p.given_name.clone(),
                p.name_original_script.clone(),
                p.sex.as_str().to_string(),
                p.date_of_birth
                    .map(|d| d.to_api_string())
                    .unwrap_or_default(),
                p.estimated_age.map(|a| a.to_string()).unwrap_or_default(),
                p.nationality.clone(),
                p.languages.join(" "),
                p.has_identity_document.to_string(),
                p.needs
                    .iter()
                    .map(|n| n.as_str())
                    .collect::<Vec<_>>()
                    .join(" "),
                p.registered_at.to_string(),
                p.id.clone(),
            ];
            w.write_record(row.iter().map(|c| formula_safe(c)))?;
        }
        w.flush()?;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_defused() {
        assert_eq!(formula_safe("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(formula_safe("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(formula_safe("Nguyễn"), "Nguyễn");
    }
}
