-- Contracts and grants (docs/commissioning.md#contracts): an office's
-- agreement with a provider for some of its services, its period and value
-- a year, its funding sources and co-commissioners with their shares, its
-- payment schedule and the payments made, its KPIs and the provider's
-- narrative each quarter. Shares are basis points (6000 is 60%).
CREATE TABLE contracts (
    id TEXT PRIMARY KEY,
    office_id TEXT NOT NULL REFERENCES organisations (id),
    reference TEXT NOT NULL,
    title TEXT NOT NULL,
    kind TEXT NOT NULL,
    provider_id TEXT NOT NULL REFERENCES organisations (id),
    starts_on TEXT NOT NULL,
    ends_on TEXT NOT NULL,
    extension_until TEXT,
    annual_pence BIGINT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE UNIQUE INDEX contracts_reference ON contracts (office_id, reference);
CREATE INDEX contracts_provider ON contracts (provider_id);

CREATE TABLE contract_services (
    contract_id TEXT NOT NULL REFERENCES contracts (id),
    service_id TEXT NOT NULL REFERENCES services (id),
    PRIMARY KEY (contract_id, service_id)
);

CREATE TABLE contract_funding (
    contract_id TEXT NOT NULL REFERENCES contracts (id),
    position INTEGER NOT NULL,
    source_id TEXT NOT NULL REFERENCES funding_sources (id),
    share_bp INTEGER NOT NULL,
    PRIMARY KEY (contract_id, position)
);

CREATE TABLE contract_partners (
    contract_id TEXT NOT NULL REFERENCES contracts (id),
    position INTEGER NOT NULL,
    name TEXT NOT NULL,
    share_bp INTEGER NOT NULL,
    lead INTEGER NOT NULL,
    PRIMARY KEY (contract_id, position)
);

CREATE TABLE contract_schedule (
    contract_id TEXT NOT NULL REFERENCES contracts (id),
    position INTEGER NOT NULL,
    due_on TEXT NOT NULL,
    amount_pence BIGINT NOT NULL,
    PRIMARY KEY (contract_id, position)
);

CREATE TABLE contract_payments (
    id TEXT PRIMARY KEY,
    contract_id TEXT NOT NULL REFERENCES contracts (id),
    paid_on TEXT NOT NULL,
    amount_pence BIGINT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    recorded_by TEXT NOT NULL REFERENCES users (id),
    created_at TEXT NOT NULL
);
CREATE INDEX contract_payments_contract ON contract_payments (contract_id, paid_on);

CREATE TABLE contract_kpis (
    contract_id TEXT NOT NULL REFERENCES contracts (id),
    position INTEGER NOT NULL,
    measure TEXT NOT NULL,
    target BIGINT NOT NULL,
    PRIMARY KEY (contract_id, position)
);

-- The provider's account of a quarter, by the quarter's first day.
CREATE TABLE contract_narratives (
    contract_id TEXT NOT NULL REFERENCES contracts (id),
    quarter_from TEXT NOT NULL,
    narrative TEXT NOT NULL,
    written_by TEXT NOT NULL REFERENCES users (id),
    written_at TEXT NOT NULL,
    PRIMARY KEY (contract_id, quarter_from)
);
