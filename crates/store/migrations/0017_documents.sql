-- Documents attached to a case: letters, court papers, photos, and letters
-- written from templates. The content is in its own table, so listing a
-- case's documents never reads a file; both live in the database, so a
-- backup of it holds them and an upload commits with its audit event.
-- A removed document keeps its row (who removed it, when, why) and loses
-- its content.
CREATE TABLE documents (
    id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases (id),
    file_name TEXT NOT NULL,
    kind TEXT NOT NULL,
    size_bytes BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    description TEXT,
    added_by TEXT NOT NULL REFERENCES users (id),
    added_at TEXT NOT NULL,
    removed_by TEXT REFERENCES users (id),
    removed_at TEXT,
    removal_reason TEXT
);
CREATE INDEX documents_case ON documents (case_id, added_at);

CREATE TABLE document_contents (
    document_id TEXT PRIMARY KEY REFERENCES documents (id),
    content BYTEA NOT NULL
);
