-- The duty service (docs/duty.md): a rota shared by one or more services,
-- its cover pattern, and the shifts worked. A shift is one of the
-- pattern's shifts on a day, held by one worker; a shift of the pattern
-- with no row here is a gap.
CREATE TABLE duty_rotas (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    -- The duty role partners ask for, such as "Duty IDVA".
    role TEXT NOT NULL,
    -- How partners reach whoever is on duty: the duty line, never a
    -- person's own number.
    contact TEXT NOT NULL,
    -- The cover pattern as written: "weekday 09:00-20:00; weekend ...".
    pattern TEXT NOT NULL,
    created_at TEXT NOT NULL
);

CREATE TABLE duty_rota_services (
    rota_id TEXT NOT NULL REFERENCES duty_rotas (id),
    service_id TEXT NOT NULL REFERENCES services (id),
    PRIMARY KEY (rota_id, service_id)
);
CREATE INDEX duty_rota_services_service ON duty_rota_services (service_id);

CREATE TABLE duty_shifts (
    id TEXT PRIMARY KEY,
    rota_id TEXT NOT NULL REFERENCES duty_rotas (id),
    -- The day the shift starts, and which of that day's shifts it is.
    on_day TEXT NOT NULL,
    slot INTEGER NOT NULL,
    -- The instants it runs between (UTC), worked out from the pattern.
    starts_at TEXT NOT NULL,
    ends_at TEXT NOT NULL,
    worker_id TEXT NOT NULL REFERENCES users (id),
    -- The service the worker covers it for: one of the rota's.
    service_id TEXT NOT NULL REFERENCES services (id),
    created_at TEXT NOT NULL,
    UNIQUE (rota_id, on_day, slot)
);
CREATE INDEX duty_shifts_worker ON duty_shifts (worker_id, starts_at);
CREATE INDEX duty_shifts_now ON duty_shifts (rota_id, ends_at);

-- A worker's request that a colleague take one of their shifts, decided
-- by a manager of the service the shift is covered for.
CREATE TABLE duty_swaps (
    id TEXT PRIMARY KEY,
    shift_id TEXT NOT NULL REFERENCES duty_shifts (id),
    rota_id TEXT NOT NULL REFERENCES duty_rotas (id),
    asked_by TEXT NOT NULL REFERENCES users (id),
    cover_by TEXT NOT NULL REFERENCES users (id),
    reason TEXT NOT NULL DEFAULT '',
    -- pending, approved or refused
    status TEXT NOT NULL,
    decided_by TEXT,
    decided_at TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX duty_swaps_rota ON duty_swaps (rota_id, status);
