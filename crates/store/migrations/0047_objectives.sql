-- The commissioner's victim objectives, from the police and crime plan,
-- and the contracts that serve each (docs/commissioning.md#objectives).
CREATE TABLE objectives (
    id TEXT PRIMARY KEY,
    office_id TEXT NOT NULL REFERENCES organisations (id),
    code TEXT NOT NULL,
    title TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE UNIQUE INDEX objectives_code ON objectives (office_id, code);

CREATE TABLE contract_objectives (
    contract_id TEXT NOT NULL REFERENCES contracts (id),
    objective_id TEXT NOT NULL REFERENCES objectives (id),
    PRIMARY KEY (contract_id, objective_id)
);
CREATE INDEX contract_objectives_objective ON contract_objectives (objective_id);
