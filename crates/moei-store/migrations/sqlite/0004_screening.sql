-- Trafficking screening: interviews, MDT case conferences, the non-punishment safeguard,
-- triage flags and interpreters. Columns ending in `_enc` hold values sealed with the field key
-- (moei_crypto::field), which is kept in a file outside the database: a copy of the database
-- alone shows no answer, no narrative and no MDT reasoning. Plain columns are only what the
-- queue, counts and safeguard need.
CREATE TABLE screening_interviews (
    id TEXT PRIMARY KEY,
    person_id TEXT NOT NULL REFERENCES persons(id),
    instrument TEXT NOT NULL,
    instrument_version TEXT NOT NULL,
    language TEXT NOT NULL,
    consent_decision TEXT NOT NULL,
    started_at TEXT NOT NULL,
    ended_at TEXT,
    -- presumed_victim, further_interview or not_met; empty while in progress or without consent.
    result TEXT NOT NULL DEFAULT '',
    people_enc TEXT NOT NULL,
    consent_enc TEXT NOT NULL,
    responses_enc TEXT NOT NULL,
    narrative_enc TEXT NOT NULL,
    assessment_enc TEXT NOT NULL,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL
);
CREATE INDEX screening_interviews_person ON screening_interviews(person_id);
CREATE INDEX screening_interviews_ended ON screening_interviews(ended_at);

CREATE TABLE mdt_cases (
    id TEXT PRIMARY KEY,
    person_id TEXT NOT NULL REFERENCES persons(id),
    conference_on TEXT NOT NULL,
    -- Officials' names, agencies and roles (JSON): not the person's data.
    members TEXT NOT NULL,
    opened_at TEXT NOT NULL,
    opened_by TEXT NOT NULL,
    decision TEXT,
    decided_on TEXT,
    review_on TEXT,
    decided_at TEXT,
    decided_by TEXT,
    -- Interview parts the decision shares with investigators (JSON list, e.g. ["narrative"]).
    shared_parts TEXT NOT NULL DEFAULT '[]',
    determination_enc TEXT
);
CREATE INDEX mdt_cases_person ON mdt_cases(person_id);

-- Which accounts sit on which conference: an MDT member sees the interviews of these persons only.
CREATE TABLE mdt_case_members (
    case_id TEXT NOT NULL REFERENCES mdt_cases(id),
    person_id TEXT NOT NULL REFERENCES persons(id),
    username TEXT NOT NULL,
    PRIMARY KEY (case_id, username)
);
CREATE INDEX mdt_case_members_user ON mdt_case_members(username, person_id);

CREATE TABLE punitive_actions (
    id TEXT PRIMARY KEY,
    person_id TEXT NOT NULL REFERENCES persons(id),
    kind TEXT NOT NULL,
    reason TEXT NOT NULL,
    requested_by TEXT NOT NULL,
    requested_at TEXT NOT NULL,
    case_status TEXT NOT NULL,
    -- allowed, allowed_by_override or refused
    status TEXT NOT NULL,
    refused_because TEXT NOT NULL DEFAULT '',
    override_by TEXT,
    override_office TEXT,
    override_reason TEXT
);
CREATE INDEX punitive_actions_person ON punitive_actions(person_id);
CREATE INDEX punitive_actions_status ON punitive_actions(status);

-- What desk and protection staff saw, for the screening queue's priority.
CREATE TABLE screening_flags (
    person_id TEXT PRIMARY KEY REFERENCES persons(id),
    signs_of_violence BIGINT NOT NULL DEFAULT 0,
    appears_minor BIGINT NOT NULL DEFAULT 0,
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL
);

CREATE TABLE interpreters (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    agency TEXT NOT NULL,
    -- Comma-separated language tags.
    languages TEXT NOT NULL,
    available BIGINT NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL
);
