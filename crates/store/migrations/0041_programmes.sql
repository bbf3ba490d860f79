-- Programmes (docs/programmes.md): a pilot such as a domestic abuse
-- partnership car, delivered by a service, with its partners, period,
-- funding and baseline period; its call-outs, each with what it achieved
-- and the criminal justice outcome added later; and a baseline given as
-- aggregate figures when it was not recorded call by call.
CREATE TABLE programmes (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    service_id TEXT NOT NULL REFERENCES services (id),
    starts_on TEXT NOT NULL,
    ends_on TEXT NOT NULL,
    baseline_from TEXT NOT NULL,
    baseline_to TEXT NOT NULL,
    funding_pence BIGINT NOT NULL DEFAULT 0,
    funding_source TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL
);

CREATE TABLE programme_partners (
    programme_id TEXT NOT NULL REFERENCES programmes (id),
    position INTEGER NOT NULL,
    name TEXT NOT NULL,
    part TEXT NOT NULL,
    PRIMARY KEY (programme_id, position)
);

CREATE TABLE call_outs (
    id TEXT PRIMARY KEY,
    programme_id TEXT NOT NULL REFERENCES programmes (id),
    attended_at TEXT NOT NULL,
    on_day TEXT NOT NULL,
    incident_reference TEXT NOT NULL,
    area_id TEXT NOT NULL REFERENCES areas (id),
    person_id TEXT NOT NULL REFERENCES people (id),
    joint_attendance INTEGER NOT NULL,
    dash_done INTEGER NOT NULL,
    dash_level TEXT,
    safety_plan INTEGER NOT NULL,
    children_present INTEGER NOT NULL,
    arrest INTEGER NOT NULL,
    protection_applied INTEGER NOT NULL,
    protection_granted INTEGER NOT NULL,
    engaged INTEGER NOT NULL,
    onward_referral INTEGER NOT NULL,
    justice_outcome TEXT NOT NULL,
    recorded_by TEXT NOT NULL REFERENCES users (id),
    recorded_at TEXT NOT NULL,
    corrected_at TEXT
);
CREATE INDEX call_outs_by_day ON call_outs (programme_id, attended_at);

CREATE TABLE programme_baselines (
    programme_id TEXT NOT NULL REFERENCES programmes (id),
    measure TEXT NOT NULL,
    count BIGINT NOT NULL,
    imported_at TEXT NOT NULL,
    PRIMARY KEY (programme_id, measure)
);
