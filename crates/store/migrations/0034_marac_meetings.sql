-- A MARAC's meetings at work (docs/marac.md): roles held over a MARAC,
-- each member agency's organisation, the agenda's hand-set places, the
-- confidentiality acknowledged per meeting, each agency's research, the
-- actions agreed, the outcome per case and the minutes.
ALTER TABLE role_grants ADD COLUMN marac_id TEXT REFERENCES maracs (id);

-- The organisation whose MARAC members speak for this agency.
ALTER TABLE marac_agencies ADD COLUMN organisation_id TEXT REFERENCES organisations (id);

ALTER TABLE marac_meetings ADD COLUMN minutes TEXT NOT NULL DEFAULT '';
ALTER TABLE marac_meetings ADD COLUMN minutes_recorded_at TEXT;

-- A place on the agenda the coordinator set by hand (1 first).
ALTER TABLE marac_referrals ADD COLUMN agenda_place INTEGER;
ALTER TABLE marac_referrals ADD COLUMN outcome TEXT NOT NULL DEFAULT '';
ALTER TABLE marac_referrals ADD COLUMN heard_at TEXT;

CREATE TABLE marac_acknowledgements (
    meeting_id TEXT NOT NULL REFERENCES marac_meetings (id),
    -- A person, or an API token acting for a member agency.
    user_id TEXT NOT NULL,
    agency_id TEXT REFERENCES marac_agencies (id),
    acknowledged_at TEXT NOT NULL,
    PRIMARY KEY (meeting_id, user_id)
);

CREATE TABLE marac_research (
    id TEXT PRIMARY KEY,
    referral_id TEXT NOT NULL REFERENCES marac_referrals (id),
    agency_id TEXT NOT NULL REFERENCES marac_agencies (id),
    item TEXT NOT NULL,
    -- 1 when every agency at the meeting may see it.
    shareable INTEGER NOT NULL,
    reason TEXT NOT NULL,
    added_by TEXT NOT NULL,
    added_at TEXT NOT NULL
);
CREATE INDEX marac_research_referral ON marac_research (referral_id, added_at);

CREATE TABLE marac_actions (
    id TEXT PRIMARY KEY,
    marac_id TEXT NOT NULL REFERENCES maracs (id),
    referral_id TEXT NOT NULL REFERENCES marac_referrals (id),
    -- The meeting that agreed it.
    meeting_id TEXT NOT NULL REFERENCES marac_meetings (id),
    agency_id TEXT NOT NULL REFERENCES marac_agencies (id),
    description TEXT NOT NULL,
    due_on TEXT NOT NULL,
    -- open, done or not_done.
    status TEXT NOT NULL DEFAULT 'open',
    -- For not_done: circumstances_changed or agency_did_not_act.
    not_done_class TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_by TEXT,
    updated_at TEXT
);
CREATE INDEX marac_actions_marac ON marac_actions (marac_id, status, due_on);
CREATE INDEX marac_actions_referral ON marac_actions (referral_id);
