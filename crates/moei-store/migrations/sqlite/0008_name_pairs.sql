-- Pair keys of name tokens ("wan wei": the first three characters of two tokens of one person,
-- in code-point order). A search for two name prefixes looks its pair up here and walks the
-- persons newest first, instead of intersecting two long token lists: "wang wei" among many
-- Wangs and many Weis. Without a rowid, the table is its own (pair, person_id) index.
CREATE TABLE person_name_pairs (
    pair TEXT NOT NULL,
    person_id TEXT NOT NULL REFERENCES persons(id),
    PRIMARY KEY (pair, person_id)
) WITHOUT ROWID;

-- Truncation keeps order (a < b implies prefix(a) <= prefix(b)), so this gives the same keys as
-- moei_domain::search::name_pairs.
INSERT OR IGNORE INTO person_name_pairs (pair, person_id)
SELECT substr(a.token, 1, 3) || ' ' || substr(b.token, 1, 3), a.person_id
FROM person_tokens a
JOIN person_tokens b ON b.person_id = a.person_id AND a.token < b.token;
