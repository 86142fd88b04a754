//! Input records, their prepared (normalised, keyed) form, and the pairwise comparison.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::fields::{self, Country, Dob, DocNumber, Phone, Sex};
use crate::name::{self, Name, hash_str};
use crate::normalize::normalize_text;

/// A person as registered. Every field but `id` may be empty; a full name alone is enough.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Record {
    pub id: String,
    pub given_name: String,
    pub family_name: String,
    pub full_name: String,
    pub sex: String,
    pub date_of_birth: String,
    pub nationality: String,
    pub passport_number: String,
    pub phone: String,
    pub place_of_origin: String,
}

/// The fields compared, in the order of [`Pattern`] entries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Field {
    Name,
    DateOfBirth,
    Sex,
    Nationality,
    Document,
    Phone,
    Place,
}

impl Field {
    pub const ALL: [Field; 7] = [
        Field::Name,
        Field::DateOfBirth,
        Field::Sex,
        Field::Nationality,
        Field::Document,
        Field::Phone,
        Field::Place,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Field::Name => "name",
            Field::DateOfBirth => "date_of_birth",
            Field::Sex => "sex",
            Field::Nationality => "nationality",
            Field::Document => "passport_number",
            Field::Phone => "phone",
            Field::Place => "place_of_origin",
        }
    }

    /// Number of comparison levels (level 0 is always "missing").
    pub fn levels(self) -> usize {
        self.level_names().len()
    }

    pub fn level_names(self) -> &'static [&'static str] {
        match self {
            Field::Name => &name::level::NAMES,
            Field::DateOfBirth => &fields::dob_level::NAMES,
            Field::Sex | Field::Nationality => &["missing", "different", "same"],
            Field::Document => &fields::doc_level::NAMES,
            Field::Phone => &fields::phone_level::NAMES,
            Field::Place => &fields::place_level::NAMES,
        }
    }
}

pub const NFIELDS: usize = 7;

/// Comparison levels of one pair, one per [`Field`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize)]
pub struct Pattern(pub [u8; NFIELDS]);

impl Pattern {
    /// Mixed-radix code, for histograms over all possible patterns.
    pub fn code(&self) -> usize {
        let mut c = 0usize;
        for (f, &l) in Field::ALL.iter().zip(&self.0) {
            c = c * f.levels() + usize::from(l);
        }
        c
    }

    pub fn from_code(mut c: usize) -> Pattern {
        let mut p = [0u8; NFIELDS];
        for i in (0..NFIELDS).rev() {
            let n = Field::ALL[i].levels();
            p[i] = (c % n) as u8;
            c /= n;
        }
        Pattern(p)
    }

    pub fn count() -> usize {
        Field::ALL.iter().map(|f| f.levels()).product()
    }
}

/// A problem with one field of a record; the record is still usable without that field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldIssue {
    pub field: &'static str,
    pub message: String,
}

/// A record normalised and keyed for comparison. The original [`Record`] is kept.
#[derive(Debug, Clone)]
pub struct Prepared {
    pub record: Record,
    pub name: Name,
    pub dob: Option<Dob>,
    pub sex: Option<Sex>,
    pub nationality: Option<String>,
    pub document: Option<DocNumber>,
    pub phone: Option<Phone>,
    pub place: Option<String>,
    /// Orients pairs so that comparing (a, b) and (b, a) gives identical results.
    order: u64,
    /// Hash of the name's sorted first forms (0 when there is no name), for name frequencies.
    pub name_key: u64,
}

impl Prepared {
    /// Prepare a record; unreadable fields are dropped and reported, never fatal. An age in
    /// the date-of-birth column is reported too: use [`Prepared::new_on`] to read it.
    pub fn new(record: Record) -> (Prepared, Vec<FieldIssue>) {
        Prepared::new_on(record, None)
    }

    /// [`Prepared::new`], reading an age in the date-of-birth column as of `list_date`.
    pub fn new_on(record: Record, list_date: Option<Date>) -> (Prepared, Vec<FieldIssue>) {
        let mut issues = Vec::new();
        fn take<T>(
            issues: &mut Vec<FieldIssue>,
            field: &'static str,
            r: Result<Option<T>, String>,
        ) -> Option<T> {
            r.unwrap_or_else(|message| {
                issues.push(FieldIssue { field, message });
                None
            })
        }
        let name = Name::parse(&record.given_name, &record.family_name, &record.full_name);
        let dob = take(
            &mut issues,
            "date_of_birth",
            Dob::parse_on(&record.date_of_birth, list_date),
        );
        let sex = take(&mut issues, "sex", Sex::parse(&record.sex));
        let nationality = fields::nationality_key(&record.nationality);
        let default_country: Option<&Country> = fields::country(&record.nationality);
        let document = take(
            &mut issues,
            "passport_number",
            DocNumber::parse(&record.passport_number),
        );
        let phone = take(
            &mut issues,
            "phone",
            Phone::parse(&record.phone, default_country),
        );
        let place = Some(normalize_text(&record.place_of_origin)).filter(|p| !p.is_empty());
        let latin = name.latin_key();
        let name_key = if latin.is_empty() {
            0
        } else {
            hash_str(&latin)
        };
        let mut key = latin;
        for part in [
            &record.date_of_birth,
            &record.passport_number,
            &record.phone,
            &record.id,
        ] {
            key.push('\u{1F}');
            key.push_str(part);
        }
        let order = hash_str(&key);
        (
            Prepared {
                record,
                name,
                dob,
                sex,
                nationality,
                document,
                phone,
                place,
                order,
                name_key,
            },
            issues,
        )
    }

    pub fn id(&self) -> &str {
        &self.record.id
    }

    /// The key that orients pairs in [`compare`].
    pub(crate) fn order(&self) -> u64 {
        self.order
    }
}

/// Compare two prepared records field by field. Symmetric: `compare(a, b) == compare(b, a)`.
pub fn compare(a: &Prepared, b: &Prepared) -> Pattern {
    let (a, b) = if swapped(a, b) { (b, a) } else { (a, b) };
    Pattern([
        name::compare_names(&a.name, &b.name),
        fields::compare_dob(a.dob.as_ref(), b.dob.as_ref()),
        fields::compare_eq(a.sex.as_ref(), b.sex.as_ref()),
        fields::compare_eq(a.nationality.as_ref(), b.nationality.as_ref()),
        fields::compare_doc(a.document.as_ref(), b.document.as_ref()),
        fields::compare_phone(a.phone.as_ref(), b.phone.as_ref()),
        fields::compare_place(a.place.as_deref(), b.place.as_deref()),
    ])
}

/// Whether [`compare`] swaps the pair before comparing (so the result is symmetric).
pub(crate) fn swapped(a: &Prepared, b: &Prepared) -> bool {
    (a.order, a.id()) > (b.order, b.id())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pattern_code_round_trips() {
        for c in [0, 1, 17, Pattern::count() - 1] {
            assert_eq!(Pattern::from_code(c).code(), c);
        }
        assert_eq!(Pattern::count(), 7 * 7 * 3 * 3 * 5 * 4 * 5);
        assert!(
            Pattern::count() <= usize::from(u16::MAX) + 1,
            "codes fit in u16"
        );
    }

    #[test]
    fn bad_fields_are_reported_not_fatal() {
        let r = Record {
            id: "1".into(),
            full_name: "Abebe Bekele".into(),
            date_of_birth: "31/02/1990".into(),
            sex: "Q".into(),
            ..Default::default()
        };
        let (p, issues) = Prepared::new(r);
        assert!(p.dob.is_none());
        assert_eq!(issues.len(), 2);
        assert_eq!(issues[0].field, "date_of_birth");
    }
}
