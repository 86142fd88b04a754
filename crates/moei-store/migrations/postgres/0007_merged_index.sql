-- Only merged registrations are looked up by the person they were merged into. An index over
-- every row (nearly all NULL) misled SQLite's planner into answering "merged_into IS NULL",
-- which every list and search asks, by reading the whole index and sorting: 150 ms for a page
-- at 1,000,000 persons instead of 1 ms down the primary key.
DROP INDEX persons_merged_into;
CREATE INDEX persons_merged_into ON persons(merged_into) WHERE merged_into IS NOT NULL;
