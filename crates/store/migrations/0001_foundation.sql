-- Waymark foundation: the directory of organisations, areas, services and
-- teams; staff accounts and their role grants; sessions, login throttling and
-- API tokens; the hash-chained audit log.
--
-- Portable SQL only (see docs/adr/0002): TEXT, INTEGER/BIGINT columns; ids
-- are UUID v7 text made by the application; instants are fixed-width UTC
-- RFC 3339 text; booleans are INTEGER 0/1.

CREATE TABLE areas (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    parent_id TEXT REFERENCES areas (id),
    created_at TEXT NOT NULL
);
CREATE UNIQUE INDEX areas_name ON areas (LOWER(name));

CREATE TABLE organisations (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE UNIQUE INDEX organisations_name ON organisations (LOWER(name));

CREATE TABLE services (
    id TEXT PRIMARY KEY,
    organisation_id TEXT NOT NULL REFERENCES organisations (id),
    commissioner_id TEXT REFERENCES organisations (id),
    area_id TEXT NOT NULL REFERENCES areas (id),
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE UNIQUE INDEX services_name ON services (organisation_id, LOWER(name));
CREATE INDEX services_commissioner ON services (commissioner_id);

CREATE TABLE teams (
    id TEXT PRIMARY KEY,
    service_id TEXT NOT NULL REFERENCES services (id),
    name TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE UNIQUE INDEX teams_name ON teams (service_id, LOWER(name));

CREATE TABLE users (
    id TEXT PRIMARY KEY,
    username TEXT NOT NULL,
    display_name TEXT NOT NULL,
    organisation_id TEXT NOT NULL REFERENCES organisations (id),
    service_id TEXT REFERENCES services (id),
    team_id TEXT REFERENCES teams (id),
    password_hash TEXT NOT NULL,
    disabled INTEGER NOT NULL DEFAULT 0,
    totp_secret TEXT,
    totp_last_step BIGINT,
    created_at TEXT NOT NULL,
    password_changed_at TEXT NOT NULL
);
CREATE UNIQUE INDEX users_username ON users (username);
CREATE INDEX users_service ON users (service_id);
CREATE INDEX users_organisation ON users (organisation_id);

CREATE TABLE role_grants (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id),
    role TEXT NOT NULL,
    -- Exactly one of these is set, or neither for a grant everywhere.
    organisation_id TEXT REFERENCES organisations (id),
    service_id TEXT REFERENCES services (id),
    created_at TEXT NOT NULL
);
CREATE INDEX role_grants_user ON role_grants (user_id);

CREATE TABLE sessions (
    id_hash TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id),
    -- 'second_factor': password accepted, code awaited;
    -- 'enrol': must enrol a second factor before anything else; 'full'.
    stage TEXT NOT NULL,
    csrf_token TEXT NOT NULL,
    created_at TEXT NOT NULL,
    last_seen_at TEXT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE login_failures (
    id TEXT PRIMARY KEY,
    -- As typed (lower-cased), whether or not such a user exists.
    username TEXT NOT NULL,
    address TEXT NOT NULL,
    -- The hash of the trusted-device token the browser presented, if any.
    device_hash TEXT,
    at TEXT NOT NULL
);
CREATE INDEX login_failures_username ON login_failures (username, at);
CREATE INDEX login_failures_address ON login_failures (address, at);

CREATE TABLE trusted_devices (
    token_hash TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id),
    created_at TEXT NOT NULL
);

CREATE TABLE api_tokens (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL,
    -- The first characters of the token, so people can tell tokens apart.
    prefix TEXT NOT NULL,
    organisation_id TEXT NOT NULL REFERENCES organisations (id),
    service_id TEXT REFERENCES services (id),
    -- Space-separated scopes, e.g. 'directory:read audit:read'.
    scopes TEXT NOT NULL,
    created_by TEXT,
    created_at TEXT NOT NULL,
    last_used_at TEXT,
    revoked_at TEXT
);
CREATE UNIQUE INDEX api_tokens_hash ON api_tokens (token_hash);

CREATE TABLE audit_events (
    seq BIGINT PRIMARY KEY,
    id TEXT NOT NULL,
    occurred_at TEXT NOT NULL,
    actor_id TEXT,
    actor_label TEXT NOT NULL,
    action TEXT NOT NULL,
    record_type TEXT NOT NULL,
    record_id TEXT,
    organisation_id TEXT,
    service_id TEXT,
    before_json TEXT,
    after_json TEXT,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE INDEX audit_events_record ON audit_events (record_type, record_id);
CREATE INDEX audit_events_actor ON audit_events (actor_id);

-- The chain head: one row, updated with each event. Every writing
-- transaction touches it first, which serialises writers on both engines.
CREATE TABLE audit_head (
    id INTEGER PRIMARY KEY,
    seq BIGINT NOT NULL,
    hash TEXT NOT NULL,
    touched_at TEXT
);
INSERT INTO audit_head (id, seq, hash, touched_at)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000', NULL);
