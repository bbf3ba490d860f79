-- MARACs, their member agencies and meetings, and referrals to them from
-- cases (docs/marac.md). A referral keeps what it was made on: the
-- criteria met, the assessment, the score and level, the children and
-- incidents counted, so the form never needs re-keying.
CREATE TABLE maracs (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    area_id TEXT NOT NULL REFERENCES areas (id),
    -- The agenda's order, as written: keys separated by commas.
    agenda_order TEXT NOT NULL DEFAULT 'repeats, children, referred',
    -- Working days after a meeting that its minutes and actions are due.
    minutes_due_days INTEGER NOT NULL DEFAULT 5,
    created_at TEXT NOT NULL
);

CREATE TABLE marac_agencies (
    id TEXT PRIMARY KEY,
    marac_id TEXT NOT NULL REFERENCES maracs (id),
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    UNIQUE (marac_id, name)
);

CREATE TABLE marac_meetings (
    id TEXT PRIMARY KEY,
    marac_id TEXT NOT NULL REFERENCES maracs (id),
    meets_on TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (marac_id, meets_on)
);

CREATE TABLE marac_referrals (
    id TEXT PRIMARY KEY,
    marac_id TEXT NOT NULL REFERENCES maracs (id),
    meeting_id TEXT NOT NULL REFERENCES marac_meetings (id),
    case_id TEXT NOT NULL REFERENCES cases (id),
    person_id TEXT NOT NULL REFERENCES people (id),
    service_id TEXT NOT NULL REFERENCES services (id),
    referred_on TEXT NOT NULL,
    -- Criterion codes, separated by commas.
    criteria TEXT NOT NULL,
    assessment_id TEXT REFERENCES risk_assessments (id),
    score INTEGER,
    level TEXT,
    children INTEGER NOT NULL,
    incidents_in_year INTEGER NOT NULL,
    is_repeat INTEGER NOT NULL,
    summary TEXT NOT NULL,
    -- given, or not_given with the reason.
    consent TEXT NOT NULL,
    without_consent_reason TEXT NOT NULL DEFAULT '',
    -- pending until heard.
    status TEXT NOT NULL DEFAULT 'pending',
    referred_by TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX marac_referrals_person ON marac_referrals (person_id, marac_id, referred_on);
CREATE INDEX marac_referrals_meeting ON marac_referrals (meeting_id);
CREATE INDEX marac_referrals_case ON marac_referrals (case_id);
