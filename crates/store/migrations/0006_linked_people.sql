-- People linked to a case besides the victim: children in the household,
-- the alleged perpetrator, others. Each is a person record of its own, so
-- it never carries the victim's address or contact details.

CREATE TABLE case_people (
    id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases (id),
    person_id TEXT NOT NULL REFERENCES people (id),
    relationship TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX case_people_case ON case_people (case_id);
CREATE INDEX case_people_person ON case_people (person_id);
