-- The one-time key of each form whose change was committed: a form sent
-- twice (a double click, a resend after a slow answer) changes once.
-- Keys older than a day are pruned.
CREATE TABLE form_submissions (
    submission_key TEXT PRIMARY KEY,
    actor_id TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX form_submissions_created ON form_submissions (created_at);
