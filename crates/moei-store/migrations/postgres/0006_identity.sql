-- Identity resolution: external lists (authority lists, embassy rolls), families' missing-person
-- reports, the review queue of match candidates, and reversible merges of duplicate persons.

-- A merged person keeps every row it had (history, documents, photo); lists and search show only
-- the survivor it points to. Undoing the merge clears this column again.
ALTER TABLE persons ADD COLUMN merged_into TEXT;
CREATE INDEX persons_merged_into ON persons(merged_into);

CREATE TABLE external_lists (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    source TEXT NOT NULL,
    kind TEXT NOT NULL,
    record_count BIGINT NOT NULL,
    rejected_count BIGINT NOT NULL,
    agency TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL
);

CREATE TABLE list_records (
    id TEXT PRIMARY KEY,
    list_id TEXT NOT NULL REFERENCES external_lists(id),
    row_number BIGINT NOT NULL,
    record_id TEXT NOT NULL,
    given_name TEXT NOT NULL DEFAULT '',
    family_name TEXT NOT NULL DEFAULT '',
    full_name TEXT NOT NULL DEFAULT '',
    sex TEXT NOT NULL DEFAULT '',
    date_of_birth TEXT NOT NULL DEFAULT '',
    nationality TEXT NOT NULL DEFAULT '',
    passport_number TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL DEFAULT '',
    place_of_origin TEXT NOT NULL DEFAULT '',
    UNIQUE (list_id, record_id)
);
CREATE INDEX list_records_list ON list_records(list_id, row_number);

CREATE TABLE missing_reports (
    id TEXT PRIMARY KEY,
    given_name TEXT NOT NULL DEFAULT '',
    family_name TEXT NOT NULL DEFAULT '',
    name_original_script TEXT NOT NULL DEFAULT '',
    sex TEXT NOT NULL DEFAULT '',
    date_of_birth TEXT NOT NULL DEFAULT '',
    estimated_age BIGINT,
    nationality TEXT NOT NULL,
    phone TEXT NOT NULL DEFAULT '',
    place_of_origin TEXT NOT NULL DEFAULT '',
    last_contact TEXT NOT NULL DEFAULT '',
    reporter_name TEXT NOT NULL,
    reporter_relationship TEXT NOT NULL,
    reporter_contact TEXT NOT NULL,
    consent_to_share BIGINT NOT NULL,
    reporting_agency TEXT NOT NULL,
    status TEXT NOT NULL,
    found_person_id TEXT REFERENCES persons(id),
    family_informed_at TEXT,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL
);
CREATE INDEX missing_reports_nationality ON missing_reports(nationality, status);

-- other_ref is a person id (duplicate), a list record id (list) or a report id (missing).
CREATE TABLE match_candidates (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    person_id TEXT NOT NULL REFERENCES persons(id),
    other_ref TEXT NOT NULL,
    probability DOUBLE PRECISION NOT NULL,
    explanation TEXT NOT NULL,
    status TEXT NOT NULL,
    reason TEXT NOT NULL DEFAULT '',
    decided_by TEXT,
    decided_at TEXT,
    created_at TEXT NOT NULL,
    UNIQUE (kind, person_id, other_ref)
);
CREATE INDEX match_candidates_queue ON match_candidates(status, kind, probability);

CREATE TABLE person_merges (
    id TEXT PRIMARY KEY,
    survivor_id TEXT NOT NULL REFERENCES persons(id),
    merged_id TEXT NOT NULL REFERENCES persons(id),
    candidate_id TEXT,
    candidate_status TEXT,
    reason TEXT NOT NULL DEFAULT '',
    merged_at TEXT NOT NULL,
    merged_by TEXT NOT NULL,
    undone_at TEXT,
    undone_by TEXT
);
CREATE INDEX person_merges_survivor ON person_merges(survivor_id);
CREATE INDEX person_merges_merged ON person_merges(merged_id);
