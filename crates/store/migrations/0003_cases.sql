-- The victim's journey, second part: a case opened from an accepted
-- referral, its needs assessment, support plan, contacts, notes, tasks,
-- onward referrals, status history, and closure with outcomes.

CREATE TABLE cases (
    id TEXT PRIMARY KEY,
    referral_id TEXT NOT NULL REFERENCES referrals (id),
    service_id TEXT NOT NULL REFERENCES services (id),
    person_id TEXT NOT NULL REFERENCES people (id),
    caseworker_id TEXT REFERENCES users (id),
    status TEXT NOT NULL,
    opened_at TEXT NOT NULL,
    closed_at TEXT,
    closure_reason TEXT,
    satisfaction TEXT
);
CREATE UNIQUE INDEX cases_referral ON cases (referral_id);
CREATE INDEX cases_service_status ON cases (service_id, status);
CREATE INDEX cases_caseworker ON cases (caseworker_id, status);

CREATE TABLE case_status_history (
    id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases (id),
    status TEXT NOT NULL,
    note TEXT,
    changed_by TEXT,
    changed_at TEXT NOT NULL
);
CREATE INDEX case_status_history_case ON case_status_history (case_id, changed_at);

CREATE TABLE case_needs (
    case_id TEXT NOT NULL REFERENCES cases (id),
    area TEXT NOT NULL,
    level TEXT NOT NULL,
    notes TEXT,
    assessed_by TEXT,
    assessed_at TEXT NOT NULL,
    PRIMARY KEY (case_id, area)
);

-- Goals, and actions under them.
CREATE TABLE plan_items (
    id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases (id),
    goal_id TEXT REFERENCES plan_items (id),
    need_area TEXT,
    description TEXT NOT NULL,
    due_on TEXT,
    done_on TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX plan_items_case ON plan_items (case_id);

CREATE TABLE case_contacts (
    id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases (id),
    kind TEXT NOT NULL,
    channel TEXT NOT NULL,
    duration_minutes BIGINT NOT NULL,
    notes TEXT,
    contacted_at TEXT NOT NULL,
    user_id TEXT
);
CREATE INDEX case_contacts_case ON case_contacts (case_id, contacted_at);

CREATE TABLE case_notes (
    id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases (id),
    body TEXT NOT NULL,
    sensitive INTEGER NOT NULL,
    created_by TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX case_notes_case ON case_notes (case_id, created_at);

CREATE TABLE tasks (
    id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases (id),
    title TEXT NOT NULL,
    due_on TEXT NOT NULL,
    assigned_to TEXT REFERENCES users (id),
    done_at TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX tasks_assigned ON tasks (assigned_to, done_at, due_on);

CREATE TABLE onward_referrals (
    id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases (id),
    agency TEXT NOT NULL,
    reason TEXT NOT NULL,
    consent_given INTEGER NOT NULL,
    override_reason TEXT,
    made_by TEXT,
    made_at TEXT NOT NULL
);

CREATE TABLE case_outcomes (
    case_id TEXT NOT NULL REFERENCES cases (id),
    measure TEXT NOT NULL,
    result TEXT NOT NULL,
    PRIMARY KEY (case_id, measure)
);
