//! Likely earlier registrations of the person being registered, with the reasons, from an
//! in-memory index of everyone registered (built at start, kept current as people register).

use std::sync::{Arc, RwLock};

use moei_domain::person::NewPerson;
use moei_domain::{BirthDate, Person, Sex};
use moei_match::{Index, Model, Record};

#[derive(Default)]
pub struct Matcher {
    index: RwLock<Option<Index>>,
}

pub fn record_of(id: &str, p: &PersonFields<'_>) -> Record {
    Record {
        id: id.to_string(),
        given_name: p.given_name.to_string(),
        family_name: p.family_name.to_string(),
        full_name: p.name_original_script.to_string(),
        sex: p.sex.to_string(),
        date_of_birth: p.date_of_birth.to_string(),
        nationality: p.nationality.to_string(),
        passport_number: String::new(),
        phone: String::new(),
        place_of_origin: String::new(),
    }
}

/// The fields the matcher compares, borrowed from a stored person or a form being typed.
pub struct PersonFields<'a> {
    pub given_name: &'a str,
    pub family_name: &'a str,
    pub name_original_script: &'a str,
    pub sex: &'a str,
    pub date_of_birth: &'a str,
    pub nationality: &'a str,
}

/// The matcher's view of a stored person.
pub(crate) fn person_record(p: &Person) -> Record {
    record_with_birth(
        &p.id,
        &p.given_name,
        &p.family_name,
        &p.name_original_script,
        p.sex,
        p.date_of_birth,
        &p.nationality,
    )
}

/// The matcher's view of a validated person not yet stored (no id yet).
pub(crate) fn new_person_record(p: &NewPerson) -> Record {
    record_with_birth(
        "",
        &p.given_name,
        &p.family_name,
        &p.name_original_script,
        p.sex,
        p.date_of_birth,
        &p.nationality,
    )
}

fn record_with_birth(
    id: &str,
    given_name: &str,
    family_name: &str,
    name_original_script: &str,
    sex: Sex,
    date_of_birth: Option<BirthDate>,
    nationality: &str,
) -> Record {
    let dob = date_of_birth.map(|d| d.to_api_string()).unwrap_or_default();
    record_of(
        id,
        &PersonFields {
            given_name,
            family_name,
            name_original_script,
            sex: sex.as_str(),
            date_of_birth: &dob,
            nationality,
        },
    )
}

impl Matcher {
    /// Builds the index from every stored person, in the background so serving starts at once.
    pub fn start(store: moei_store::Store) -> Arc<Matcher> {
        let matcher = Arc::new(Matcher::default());
        let m = matcher.clone();
        tokio::spawn(async move {
            match store.all_persons_for_matching().await {
                Ok(persons) => {
                    let records: Vec<Record> = persons.iter().map(person_record).collect();
                    let built = tokio::task::spawn_blocking(move || {
                        Index::build(records, Model::default()).0
                    })
                    .await;
                    if let Ok(index) = built {
                        *m.index.write().unwrap_or_else(|e| e.into_inner()) = Some(index);
                    }
                }
                Err(e) => tracing::error!(error = %e, "could not build the matching index"),
            }
        });
        matcher
    }

    pub fn ready(&self) -> bool {
        self.index.read().map(|i| i.is_some()).unwrap_or(false)
    }

    /// Adds a newly registered person (ignored until the index is built: the build reads it).
    pub fn add(&self, p: &Person) {
        if let Ok(mut guard) = self.index.write()
            && let Some(index) = guard.as_mut()
        {
            let _ = index.insert(person_record(p));
        }
    }

    /// The `k` best candidates with their probability and explanation, excluding `except`.
    pub fn candidates(
        &self,
        record: &Record,
        k: usize,
        threshold: f64,
    ) -> Vec<moei_match::Candidate> {
        let Ok(guard) = self.index.read() else {
            return Vec::new();
        };
        let Some(index) = guard.as_ref() else {
            return Vec::new();
        };
        index
            .query(record, k + 1)
            .into_iter()
            .filter(|c| c.id != record.id && c.probability >= threshold)
            .take(k)
            .collect()
    }
}
