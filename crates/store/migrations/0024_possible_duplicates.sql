-- "Possibly the same person": two people of one service who may be one
-- victim recorded twice, found at intake or by searching the records, for
-- a caseworker to merge or dismiss. A pair is stored once, the later
-- record (the greater id) first, so finding it again adds nothing and a
-- dismissed pair is not asked about again.
CREATE TABLE possible_duplicates (
    id TEXT PRIMARY KEY,
    service_id TEXT NOT NULL REFERENCES services (id),
    person_id TEXT NOT NULL REFERENCES people (id),
    other_person_id TEXT NOT NULL REFERENCES people (id),
    -- 'intake' or 'search'.
    found_by TEXT NOT NULL,
    found_at TEXT NOT NULL,
    -- 'open', 'merged' or 'dismissed'.
    status TEXT NOT NULL DEFAULT 'open',
    decided_at TEXT,
    decided_by TEXT,
    -- Why a pair was dismissed, in the caseworker's words.
    reason TEXT,
    UNIQUE (person_id, other_person_id)
);
CREATE INDEX possible_duplicates_list ON possible_duplicates (service_id, status, found_at, id);
CREATE INDEX possible_duplicates_other ON possible_duplicates (other_person_id);

-- A record merged into another is kept, so its history can still be read,
-- but it is found no more: searches and the duplicate check pass it by.
ALTER TABLE people ADD COLUMN merged_into TEXT REFERENCES people (id);
