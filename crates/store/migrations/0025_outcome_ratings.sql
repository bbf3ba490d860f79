-- Each cope-and-recover measure rated on one scale (1 to 5: how true its
-- statement is for the victim) at the start, with the needs assessment,
-- and at exit. The outcome at closure (improved, sustained, not improved)
-- is worked out from the two and kept in case_outcomes as before, so the
-- return counts it the same way as answers given directly.
CREATE TABLE case_ratings (
    case_id TEXT NOT NULL REFERENCES cases (id),
    measure TEXT NOT NULL,
    -- 'start' or 'exit'.
    stage TEXT NOT NULL,
    rating INTEGER NOT NULL,
    rated_by TEXT,
    rated_at TEXT NOT NULL,
    PRIMARY KEY (case_id, measure, stage)
);
