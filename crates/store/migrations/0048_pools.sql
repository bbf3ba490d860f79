-- Regional pools (docs/commissioning.md#pools): money several offices
-- contribute under a collaboration agreement, held by a lead office as one
-- of its funding sources, so the pool's decisions and spend are the lead
-- office's decisions drawing on that source.
CREATE TABLE pools (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    agreement TEXT NOT NULL,
    lead_office_id TEXT NOT NULL REFERENCES organisations (id),
    source_id TEXT NOT NULL REFERENCES funding_sources (id),
    year_from TEXT NOT NULL,
    created_at TEXT NOT NULL
);

CREATE TABLE pool_contributions (
    pool_id TEXT NOT NULL REFERENCES pools (id),
    office_id TEXT NOT NULL REFERENCES organisations (id),
    amount_pence BIGINT NOT NULL,
    PRIMARY KEY (pool_id, office_id)
);
CREATE INDEX pool_contributions_office ON pool_contributions (office_id);
