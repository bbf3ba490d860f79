-- Commissioning (docs/commissioning.md): an office's funding sources and
-- what each allocates by financial year; decisions with their amounts,
-- consultations, approval and publication day. Money is whole pence.
CREATE TABLE funding_sources (
    id TEXT PRIMARY KEY,
    office_id TEXT NOT NULL REFERENCES organisations (id),
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    origin TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL
);
CREATE UNIQUE INDEX funding_sources_name ON funding_sources (office_id, name);

-- What a source allocates in a financial year, by the year's first day.
CREATE TABLE budgets (
    source_id TEXT NOT NULL REFERENCES funding_sources (id),
    year_from TEXT NOT NULL,
    allocated_pence BIGINT NOT NULL,
    PRIMARY KEY (source_id, year_from)
);

CREATE TABLE decisions (
    id TEXT PRIMARY KEY,
    office_id TEXT NOT NULL REFERENCES organisations (id),
    number TEXT NOT NULL,
    title TEXT NOT NULL,
    received_on TEXT NOT NULL,
    author TEXT NOT NULL,
    summary TEXT NOT NULL,
    background TEXT NOT NULL,
    decision TEXT NOT NULL,
    financial TEXT NOT NULL,
    legal TEXT NOT NULL,
    equality TEXT NOT NULL,
    spend TEXT NOT NULL,
    exemption TEXT NOT NULL DEFAULT '',
    exempt_text TEXT NOT NULL DEFAULT '',
    section_b TEXT NOT NULL,
    interests TEXT NOT NULL,
    corrects_id TEXT REFERENCES decisions (id),
    stage TEXT NOT NULL,
    approved_on TEXT,
    approved_by TEXT REFERENCES users (id),
    publish_on TEXT,
    deferral_reason TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE UNIQUE INDEX decisions_number ON decisions (office_id, number);
-- The public register lists published decisions, latest first.
CREATE INDEX decisions_by_publication ON decisions (publish_on, number);

CREATE TABLE decision_amounts (
    decision_id TEXT NOT NULL REFERENCES decisions (id),
    position INTEGER NOT NULL,
    recipient TEXT NOT NULL,
    source_id TEXT NOT NULL REFERENCES funding_sources (id),
    amount_pence BIGINT NOT NULL,
    PRIMARY KEY (decision_id, position)
);
CREATE INDEX decision_amounts_source ON decision_amounts (source_id);

-- Each consultee's approval of the decision as it stands; an amendment
-- removes them.
CREATE TABLE decision_consultations (
    decision_id TEXT NOT NULL REFERENCES decisions (id),
    consultee TEXT NOT NULL,
    user_id TEXT NOT NULL REFERENCES users (id),
    on_day TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (decision_id, consultee)
);
