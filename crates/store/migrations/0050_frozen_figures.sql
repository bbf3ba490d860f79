-- Figures as first shown to someone outside the service, for one reporting
-- period (docs/moj-return.md#frozen): later reads show these, so that a
-- correction to the period's records cannot be worked out by reading the
-- figures before and after it. `kind` is 'moj-return' (subject: a service),
-- 'marac' (a MARAC) or 'programme' (a programme's evaluation); `tables` is
-- the protected tables as JSON.
CREATE TABLE frozen_figures (
    kind TEXT NOT NULL,
    subject_id TEXT NOT NULL,
    period_from TEXT NOT NULL,
    period_to TEXT NOT NULL,
    tables TEXT NOT NULL,
    frozen_at TEXT NOT NULL,
    PRIMARY KEY (kind, subject_id, period_from, period_to)
);
