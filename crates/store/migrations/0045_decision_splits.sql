-- How a decision's amounts were worked out, when they were split from one
-- sum (docs/commissioning.md#splits): by fixed shares, or by the activity
-- recorded in a period; the inputs are kept so the split can be made again.
CREATE TABLE decision_splits (
    decision_id TEXT PRIMARY KEY REFERENCES decisions (id),
    method TEXT NOT NULL,
    total_pence BIGINT NOT NULL,
    period_from TEXT,
    period_to TEXT,
    -- One line per part: recipient, funding source, weight (basis points,
    -- or minutes of activity) and, for activity, the area.
    inputs TEXT NOT NULL
);
