-- Where each person stands in screening and determination (moei_domain::CaseStatus), whether
-- they are held for prosecution, and the earliest departure planned for them. Screening writes
-- the first two; embassy coordination and departure batches write the third; triage reads it.
ALTER TABLE persons ADD COLUMN case_status TEXT NOT NULL DEFAULT 'unscreened';
ALTER TABLE persons ADD COLUMN held_for_prosecution BIGINT NOT NULL DEFAULT 0;
ALTER TABLE persons ADD COLUMN planned_departure TEXT;
CREATE INDEX persons_case_status ON persons(case_status);
