-- Continuity on duty (docs/duty.md#continuity): a case opened from a duty
-- request is held by the duty worker until the rota's handover time, then
-- handed to an allocated worker with a note. A request taken over the API
-- is the sender's, once (idempotent on the sender's reference).
ALTER TABLE duty_rotas ADD COLUMN handover_at TEXT NOT NULL DEFAULT '20:00';
ALTER TABLE duty_requests ADD COLUMN referral_id TEXT REFERENCES referrals (id);
ALTER TABLE duty_requests ADD COLUMN sender_id TEXT REFERENCES organisations (id);
ALTER TABLE duty_requests ADD COLUMN sender_reference TEXT;
ALTER TABLE duty_requests ADD COLUMN sender_content TEXT;
CREATE UNIQUE INDEX duty_requests_sender ON duty_requests (sender_id, sender_reference);

CREATE TABLE duty_cases (
    case_id TEXT PRIMARY KEY REFERENCES cases (id),
    rota_id TEXT NOT NULL REFERENCES duty_rotas (id),
    request_id TEXT NOT NULL REFERENCES duty_requests (id),
    service_id TEXT NOT NULL REFERENCES services (id),
    duty_worker_id TEXT NOT NULL REFERENCES users (id),
    opened_at TEXT NOT NULL,
    hand_over_by TEXT NOT NULL,
    handed_over_at TEXT,
    handed_to TEXT REFERENCES users (id),
    handed_by TEXT REFERENCES users (id)
);
CREATE INDEX duty_cases_waiting ON duty_cases (rota_id, handed_over_at, hand_over_by);
