-- Facilities, movements, embassy coordination and departures (issue 6). Keep in step with
-- migrations/postgres/0005_logistics.sql: the schema-parity test compares the two.

CREATE TABLE facilities (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL
);

CREATE TABLE facility_sections (
    facility_id TEXT NOT NULL REFERENCES facilities(id),
    section TEXT NOT NULL,
    capacity BIGINT NOT NULL,
    PRIMARY KEY (facility_id, section)
);

-- A transfer between sites (or the first placement, with no origin): its manifest is
-- movement_persons. Occupancy and each person's location history are computed from these.
CREATE TABLE movements (
    id TEXT PRIMARY KEY,
    to_facility_id TEXT NOT NULL REFERENCES facilities(id),
    vehicle TEXT NOT NULL DEFAULT '',
    escort TEXT NOT NULL DEFAULT '',
    departed_at TEXT NOT NULL,
    arrived_at TEXT,
    filter TEXT NOT NULL,
    person_count BIGINT NOT NULL,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL
);

CREATE TABLE movement_persons (
    movement_id TEXT NOT NULL REFERENCES movements(id),
    person_id TEXT NOT NULL REFERENCES persons(id),
    from_facility_id TEXT,
    section TEXT NOT NULL,
    arrival TEXT NOT NULL,
    checked_at TEXT,
    checked_by TEXT,
    PRIMARY KEY (movement_id, person_id)
);
CREATE INDEX movement_persons_person ON movement_persons(person_id, movement_id);

-- Where each person is now: the destination of their latest movement (a derived index kept in
-- the movement's transaction), until they depart.
CREATE TABLE person_locations (
    person_id TEXT PRIMARY KEY REFERENCES persons(id),
    facility_id TEXT NOT NULL REFERENCES facilities(id),
    section TEXT NOT NULL,
    movement_id TEXT NOT NULL REFERENCES movements(id),
    since TEXT NOT NULL
);
CREATE INDEX person_locations_facility ON person_locations(facility_id, section);

-- Which nationalities have an embassy (or consulate) in Thailand, and what the sharing
-- agreement allows. Data, editable by an admin, with its source.
CREATE TABLE embassies (
    nationality TEXT PRIMARY KEY,
    has_embassy BIGINT NOT NULL,
    photos_allowed BIGINT NOT NULL DEFAULT 0,
    source TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL
);

-- The embassy's findings per person: verification, travel document, proposed departure.
CREATE TABLE consular_records (
    person_id TEXT PRIMARY KEY REFERENCES persons(id),
    verification TEXT NOT NULL DEFAULT 'pending',
    travel_document_kind TEXT,
    travel_document_number TEXT,
    travel_document_valid_until TEXT,
    proposed_departure TEXT,
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL
);
CREATE INDEX consular_verification ON consular_records(verification);

-- Fear of return: blocks disclosure to the embassy and departure until reviewed.
CREATE TABLE protection_flags (
    person_id TEXT PRIMARY KEY REFERENCES persons(id),
    status TEXT NOT NULL,
    reason TEXT NOT NULL,
    flagged_at TEXT NOT NULL,
    flagged_by TEXT NOT NULL,
    reviewed_at TEXT,
    reviewed_by TEXT
);

-- The legal basis on which a person's identity data may go to their embassy.
CREATE TABLE disclosure_bases (
    person_id TEXT PRIMARY KEY REFERENCES persons(id),
    basis TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    recorded_by TEXT NOT NULL
);

-- Every disclosure made (one row per person per roll), with the basis it relied on.
CREATE TABLE disclosures (
    id TEXT NOT NULL,
    person_id TEXT NOT NULL REFERENCES persons(id),
    recipient TEXT NOT NULL,
    basis TEXT NOT NULL,
    disclosed_at TEXT NOT NULL,
    PRIMARY KEY (id, person_id)
);
CREATE INDEX disclosures_person ON disclosures(person_id);

CREATE TABLE departure_batches (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    carrier TEXT NOT NULL,
    route TEXT NOT NULL,
    departure_date TEXT NOT NULL,
    capacity BIGINT NOT NULL,
    status TEXT NOT NULL,
    exit_record TEXT NOT NULL DEFAULT '',
    handed_over_to TEXT NOT NULL DEFAULT '',
    departed_at TEXT,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL
);

CREATE TABLE batch_persons (
    batch_id TEXT NOT NULL REFERENCES departure_batches(id),
    person_id TEXT NOT NULL REFERENCES persons(id),
    outcome TEXT NOT NULL,
    reentry_ban BIGINT NOT NULL DEFAULT 0,
    assigned_at TEXT NOT NULL,
    assigned_by TEXT NOT NULL,
    PRIMARY KEY (batch_id, person_id)
);
CREATE INDEX batch_persons_person ON batch_persons(person_id, outcome);

-- Sources: Moei's reference notes §5 (press reports of February to November 2025). Indian,
-- Chinese, Indonesian and Vietnamese embassies ran returns from Bangkok; Ethiopians and other
-- Africans waited because their countries had no embassy in Thailand. Admins correct this list.
INSERT INTO embassies (nationality, has_embassy, photos_allowed, source, updated_at, updated_by) VALUES
 ('CHN', 1, 1, 'press reports 2025: charter flights organised with the embassy in Bangkok', '2025-11-01T00:00:00.000000Z', 'system'),
 ('IND', 1, 1, 'press reports 2025: repatriation flights organised with the embassy in Bangkok', '2025-11-01T00:00:00.000000Z', 'system'),
 ('IDN', 1, 0, 'press reports 2025: embassy escorted returns by bus to Bangkok', '2025-11-01T00:00:00.000000Z', 'system'),
 ('VNM', 1, 0, 'embassy in Bangkok', '2025-11-01T00:00:00.000000Z', 'system'),
 ('PHL', 1, 0, 'embassy in Bangkok', '2025-11-01T00:00:00.000000Z', 'system'),
 ('ETH', 0, 0, 'press reports Feb 2025: Africans without an embassy in Thailand were the hardest to clear; Ethiopians waited for theirs', '2025-11-01T00:00:00.000000Z', 'system');

INSERT INTO settings (key, value) VALUES ('departure_rate_per_weekday', '300');
