-- One row that /readyz rewrites while storage is failing, to learn whether
-- writes that need fresh room succeed again.
CREATE TABLE storage_probe (
    id INTEGER PRIMARY KEY,
    written_at TEXT NOT NULL,
    filler TEXT NOT NULL
);
