-- Duty requests (docs/duty.md#requests): a request to the duty service
-- from the police, a hospital, a MARAC, a court or the victim, its
-- response target, and when and how it was actioned. A rota's response
-- target: within so many hours in cover, else by a time the next morning.
ALTER TABLE duty_rotas ADD COLUMN response_hours INTEGER NOT NULL DEFAULT 2;
ALTER TABLE duty_rotas ADD COLUMN out_of_hours_by TEXT NOT NULL DEFAULT '10:00';

CREATE TABLE duty_requests (
    id TEXT PRIMARY KEY,
    rota_id TEXT NOT NULL REFERENCES duty_rotas (id),
    -- The service that took it, whose person record it is linked to.
    service_id TEXT NOT NULL REFERENCES services (id),
    source TEXT NOT NULL,
    urgency TEXT NOT NULL,
    received_at TEXT NOT NULL,
    target_at TEXT NOT NULL,
    person_id TEXT NOT NULL REFERENCES people (id),
    asked TEXT NOT NULL,
    taken_by TEXT NOT NULL,
    actioned_at TEXT,
    outcome TEXT,
    outcome_note TEXT NOT NULL DEFAULT '',
    recorded_at TEXT NOT NULL
);
CREATE INDEX duty_requests_rota ON duty_requests (rota_id, received_at);
