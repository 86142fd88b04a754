-- Moei foundation schema (SQLite). Keep in step with migrations/postgres: the schema-parity
-- test compares the two. Timestamps are RFC 3339 UTC text with fixed width, so they sort.

CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE counters (
    name TEXT PRIMARY KEY,
    value BIGINT NOT NULL
);

CREATE TABLE agencies (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL
);

CREATE TABLE users (
    id TEXT PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    role TEXT NOT NULL,
    agency_id TEXT REFERENCES agencies(id),
    nationalities TEXT NOT NULL DEFAULT '',
    password_hash TEXT,
    disabled BIGINT NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL
);

CREATE TABLE api_tokens (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id),
    name TEXT NOT NULL,
    token_digest TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    revoked_at TEXT
);

CREATE TABLE sessions (
    id_digest TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id),
    csrf_token TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE arrival_groups (
    id TEXT PRIMARY KEY,
    crossing_point TEXT NOT NULL,
    arrived_at TEXT NOT NULL,
    mode TEXT NOT NULL,
    officer TEXT NOT NULL,
    headcount BIGINT,
    notes TEXT NOT NULL DEFAULT '',
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX arrival_groups_arrived ON arrival_groups(arrived_at);

CREATE TABLE persons (
    id TEXT PRIMARY KEY,
    registration_number TEXT NOT NULL UNIQUE,
    arrival_group_id TEXT REFERENCES arrival_groups(id),
    given_name TEXT NOT NULL DEFAULT '',
    family_name TEXT NOT NULL DEFAULT '',
    name_original_script TEXT NOT NULL DEFAULT '',
    sex TEXT NOT NULL,
    date_of_birth TEXT,
    estimated_age BIGINT,
    nationality TEXT NOT NULL,
    languages TEXT NOT NULL DEFAULT '',
    has_identity_document BIGINT NOT NULL DEFAULT 0,
    needs TEXT NOT NULL DEFAULT '',
    photo_sha256 TEXT,
    notes TEXT NOT NULL DEFAULT '',
    version BIGINT NOT NULL,
    registered_at TEXT NOT NULL,
    registered_day TEXT NOT NULL,
    registered_by TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX persons_nationality ON persons(nationality, id);
CREATE INDEX persons_group ON persons(arrival_group_id, id);
CREATE INDEX persons_day ON persons(registered_day, nationality);

-- Name tokens for prefix search; both directions are indexed so the planner can start from a
-- rare token or from the newest persons.
CREATE TABLE person_tokens (
    token TEXT NOT NULL,
    person_id TEXT NOT NULL REFERENCES persons(id),
    PRIMARY KEY (token, person_id)
);
CREATE INDEX person_tokens_person ON person_tokens(person_id, token);

CREATE TABLE person_photos (
    person_id TEXT PRIMARY KEY REFERENCES persons(id),
    content_type TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    data BLOB NOT NULL,
    uploaded_at TEXT NOT NULL
);

CREATE TABLE person_history (
    person_id TEXT NOT NULL REFERENCES persons(id),
    version BIGINT NOT NULL,
    changed_at TEXT NOT NULL,
    changed_by TEXT NOT NULL,
    event TEXT NOT NULL,
    changes TEXT NOT NULL,
    PRIMARY KEY (person_id, version)
);

-- Append-only, hash-chained. audit_head holds the newest link so that deleting the tail is
-- detected too.
CREATE TABLE audit_log (
    seq BIGINT PRIMARY KEY,
    at TEXT NOT NULL,
    actor_id TEXT NOT NULL,
    actor_name TEXT NOT NULL,
    actor_role TEXT NOT NULL,
    action TEXT NOT NULL,
    target_kind TEXT NOT NULL,
    target_id TEXT NOT NULL,
    detail TEXT NOT NULL,
    origin TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE INDEX audit_target ON audit_log(target_kind, target_id);

CREATE TABLE audit_head (
    id BIGINT PRIMARY KEY,
    seq BIGINT NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

INSERT INTO counters (name, value) VALUES ('registration', 0);
