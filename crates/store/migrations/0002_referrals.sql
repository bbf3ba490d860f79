-- The victim's journey, first part: people, referrals with their Victims'
-- Code deadlines, safe-contact preferences and contact attempts; the
-- configurable crime types; bank holiday changes loaded at run time.

-- Which nation's bank holidays apply to services in an area.
ALTER TABLE areas ADD COLUMN nation TEXT NOT NULL DEFAULT 'england_and_wales';

CREATE TABLE crime_types (
    code TEXT PRIMARY KEY,
    label TEXT NOT NULL,
    -- 'opt_in': passed on only with consent; 'opt_out': unless declined.
    consent_rule TEXT NOT NULL,
    active INTEGER NOT NULL DEFAULT 1
);
INSERT INTO crime_types (code, label, consent_rule) VALUES
    ('violence_against_the_person', 'Violence against the person', 'opt_out'),
    ('domestic_abuse', 'Domestic abuse', 'opt_in'),
    ('sexual_offence', 'Sexual offence', 'opt_in'),
    ('stalking_harassment', 'Stalking or harassment', 'opt_out'),
    ('homicide_bereaved', 'Homicide (bereaved family)', 'opt_in'),
    ('robbery', 'Robbery', 'opt_out'),
    ('burglary', 'Burglary', 'opt_out'),
    ('theft', 'Theft', 'opt_out'),
    ('criminal_damage', 'Criminal damage and arson', 'opt_out'),
    ('fraud', 'Fraud', 'opt_out'),
    ('identity_theft', 'Identity theft', 'opt_out'),
    ('hate_crime', 'Hate crime', 'opt_out'),
    ('hate_incident', 'Hate incident', 'opt_out'),
    ('anti_social_behaviour', 'Anti-social behaviour', 'opt_out'),
    ('road_traffic_collision', 'Road traffic collision', 'opt_out'),
    ('modern_slavery', 'Modern slavery', 'opt_in'),
    ('other_crime', 'Other crime', 'opt_out');

CREATE TABLE holiday_changes (
    nation TEXT NOT NULL,
    day TEXT NOT NULL,
    -- 1 adds a holiday on this day, 0 removes one the rules give.
    holiday INTEGER NOT NULL,
    name TEXT NOT NULL,
    loaded_at TEXT NOT NULL,
    PRIMARY KEY (nation, day)
);

-- Readable references per year: REF-2026-000123.
CREATE TABLE reference_counters (
    year INTEGER PRIMARY KEY,
    last_number BIGINT NOT NULL
);

-- A person supported by (or linked to a case in) a service.
CREATE TABLE people (
    id TEXT PRIMARY KEY,
    service_id TEXT NOT NULL REFERENCES services (id),
    given_name TEXT NOT NULL,
    family_name TEXT NOT NULL,
    -- Lower-case names without spaces or punctuation, for duplicate checks and search.
    name_key TEXT NOT NULL,
    date_of_birth TEXT,
    phone TEXT,
    -- Digits only, for matching.
    phone_key TEXT,
    email TEXT,
    address TEXT,
    postcode TEXT,
    -- Upper-case without spaces, for matching.
    postcode_key TEXT,
    -- Demographics as given; each allows 'prefer_not_to_say' and 'not_known'.
    gender TEXT NOT NULL DEFAULT 'not_known',
    ethnicity TEXT NOT NULL DEFAULT 'not_known',
    disability TEXT NOT NULL DEFAULT 'not_known',
    sexual_orientation TEXT NOT NULL DEFAULT 'not_known',
    religion TEXT NOT NULL DEFAULT 'not_known',
    first_language TEXT,
    interpreter_needed INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL
);
CREATE INDEX people_service_name ON people (service_id, name_key);
CREATE INDEX people_dob ON people (date_of_birth);
CREATE INDEX people_phone ON people (phone_key);
CREATE INDEX people_postcode ON people (postcode_key);

-- Whether each channel is safe to use for a person, when, and notes.
CREATE TABLE contact_preferences (
    person_id TEXT NOT NULL REFERENCES people (id),
    channel TEXT NOT NULL,
    safe INTEGER NOT NULL,
    safe_times TEXT,
    notes TEXT,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (person_id, channel)
);

CREATE TABLE referrals (
    id TEXT PRIMARY KEY,
    reference TEXT NOT NULL,
    service_id TEXT NOT NULL REFERENCES services (id),
    person_id TEXT NOT NULL REFERENCES people (id),
    source TEXT NOT NULL,
    -- The sending organisation and its own reference, for idempotent receipt.
    sender_id TEXT REFERENCES organisations (id),
    sender_reference TEXT,
    received_at TEXT NOT NULL,
    crime_reported_on TEXT,
    crime_reference TEXT,
    crime_type TEXT NOT NULL REFERENCES crime_types (code),
    incident_date TEXT,
    consent TEXT NOT NULL,
    consent_recorded_on TEXT,
    consent_how TEXT,
    consent_by TEXT,
    -- Space-separated enhanced-rights reasons; enhanced is 1 if any.
    enhanced_reasons TEXT NOT NULL DEFAULT '',
    enhanced INTEGER NOT NULL DEFAULT 0,
    status TEXT NOT NULL,
    triage_note TEXT,
    -- Victims' Code deadlines (dates) and when each was done.
    passed_due_on TEXT,
    information_due_on TEXT NOT NULL,
    contact_due_on TEXT NOT NULL,
    first_contact_on TEXT,
    created_by TEXT,
    created_at TEXT NOT NULL
);
CREATE UNIQUE INDEX referrals_reference ON referrals (reference);
CREATE UNIQUE INDEX referrals_sender ON referrals (sender_id, sender_reference);
CREATE INDEX referrals_service_status ON referrals (service_id, status, received_at);
CREATE INDEX referrals_person ON referrals (person_id);
CREATE INDEX referrals_crime_reference ON referrals (crime_reference);

CREATE TABLE contact_attempts (
    id TEXT PRIMARY KEY,
    referral_id TEXT NOT NULL REFERENCES referrals (id),
    attempted_at TEXT NOT NULL,
    channel TEXT NOT NULL,
    result TEXT NOT NULL,
    notes TEXT,
    user_id TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX contact_attempts_referral ON contact_attempts (referral_id, attempted_at);
