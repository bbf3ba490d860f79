-- Recorded activity (docs/activity.md): time a worker spent, on a day, on
-- a kind of work, against a service, an area (district), a funder and, for
-- casework, a case. Reports and activity shares are sums of these.
CREATE TABLE activities (
    id TEXT PRIMARY KEY,
    service_id TEXT NOT NULL REFERENCES services (id),
    worker_id TEXT NOT NULL REFERENCES users (id),
    on_day TEXT NOT NULL,
    kind TEXT NOT NULL,
    minutes INTEGER NOT NULL,
    case_id TEXT REFERENCES cases (id),
    area_id TEXT NOT NULL REFERENCES areas (id),
    funder_id TEXT REFERENCES organisations (id),
    note TEXT NOT NULL DEFAULT '',
    recorded_at TEXT NOT NULL
);
CREATE INDEX activities_worker_day ON activities (worker_id, on_day);
CREATE INDEX activities_service_day ON activities (service_id, on_day);
