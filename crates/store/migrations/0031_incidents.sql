-- Domestic abuse incidents, recorded per victim within a service (on one
-- of their cases), for potential escalation: a number of incidents within
-- 12 months, the number set per service (docs/risk.md#incidents).
CREATE TABLE incidents (
    id TEXT PRIMARY KEY,
    person_id TEXT NOT NULL REFERENCES people (id),
    service_id TEXT NOT NULL REFERENCES services (id),
    case_id TEXT NOT NULL REFERENCES cases (id),
    occurred_on TEXT NOT NULL,
    -- police_callout, other_agency or victims_account.
    source TEXT NOT NULL,
    -- The alleged perpetrator, when linked to the case as one.
    perpetrator_link_id TEXT REFERENCES case_people (id),
    summary TEXT NOT NULL DEFAULT '',
    recorded_by TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);
CREATE INDEX incidents_person ON incidents (person_id, service_id, occurred_on);

CREATE TABLE risk_settings (
    service_id TEXT PRIMARY KEY REFERENCES services (id),
    escalation_incidents INTEGER NOT NULL,
    set_by TEXT NOT NULL,
    set_at TEXT NOT NULL
);
