-- A contact can be recorded after it happened: contacted_at is when it
-- happened, recorded_at when it was entered (empty for contacts entered
-- before this, which were entered as they happened).
ALTER TABLE case_contacts ADD COLUMN recorded_at TEXT;
