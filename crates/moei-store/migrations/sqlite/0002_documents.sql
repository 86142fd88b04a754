-- Identity documents held by (or taken from) a person, with the MRZ as read and its checks.
CREATE TABLE person_documents (
    id TEXT PRIMARY KEY,
    person_id TEXT NOT NULL REFERENCES persons(id),
    kind TEXT NOT NULL,
    status TEXT NOT NULL,
    number TEXT NOT NULL DEFAULT '',
    number_key TEXT NOT NULL DEFAULT '',
    issuing_state TEXT NOT NULL DEFAULT '',
    expiry_date TEXT,
    mrz TEXT NOT NULL DEFAULT '',
    mrz_valid BIGINT,
    checks TEXT NOT NULL DEFAULT '{}',
    notes TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL
);
CREATE INDEX person_documents_person ON person_documents(person_id);
CREATE INDEX person_documents_number ON person_documents(number_key);
